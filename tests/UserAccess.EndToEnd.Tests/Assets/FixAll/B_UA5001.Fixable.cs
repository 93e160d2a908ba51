// A shape the UA5001 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA5001.Fixable;

public static class Ioctl
{
    public static int ReadArgs(UserPtr arg, byte[] buf)
    {
        // fetch the arguments
        CopyFromUser(buf, arg); // all or nothing
        return buf[0];
    }
}
