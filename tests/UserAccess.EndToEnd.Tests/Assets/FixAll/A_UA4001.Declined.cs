// A shape the UA4001 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA4001.Declined;

public static class Read
{
    public static int Fetch(UserPtr from, byte[] buf)
    {
        if (FaultInReadable(from, buf.Length) != 0)
            return -EFAULT;
        PagefaultDisable();
        int left = CopyFromUser(buf, from);
        PagefaultEnable();
        return left != 0 ? -EFAULT : 0;
    }
}
