// A shape the UA5002 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA5002.Fixable;

public static class Ioctl
{
    public static int GetArgs(UserPtr arg, byte[] buf, int n)
    {
        if (CopyFromUser(buf, arg) >= n) // short copy
            return -EFAULT;
        if (CopyToUser(arg, buf) < 0)
            return -EFAULT;
        if (0 > CopyToUser(arg + 8, buf))
            return -EFAULT;
        if ((CopyFromUser(buf, arg)) == -EFAULT)
            return -EFAULT;
        return 0;
    }
}
