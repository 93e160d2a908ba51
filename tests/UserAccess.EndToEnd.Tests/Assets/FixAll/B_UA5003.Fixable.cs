// A shape the UA5003 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA5003.Fixable;

public static class Futex
{
    public static int Get(UserPtr<uint> uaddr, out uint val)
    {
        val = 0;

        // read the word with faults disabled
        PagefaultDisable();
        int ret = GetUserUnchecked(out val, uaddr);
        PagefaultEnable();
        return ret;
    }

    public static int Second(UserPtr<uint> uaddr, out uint v)
    {
        return GetUserUnchecked(out v, uaddr + 4);
    }

    public static int OutAssignedOnlyByTheAccess(UserPtr<uint> uaddr, out uint v)
    {
        PagefaultDisable();
        int ret = GetUserUnchecked(out v, uaddr);
        PagefaultEnable();
        return ret;
    }
}
