// A shape the UA5003 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA5003.Declined;

public static class Unfixable
{
    public static uint Peek(UserPtr<uint> uaddr)
    {
        if (GetUserUnchecked(out uint v, uaddr) != 0)
            return 0;
        return v;
    }

    public static int Second(UserPtr<uint> uaddr, out uint v)
    {
        return GetUserUnchecked(out v, uaddr + 4);
    }

    public static int OutSetOnlyByTheAccess(UserPtr<uint> uaddr, out uint v)
    {
        PagefaultDisable();
        int ret = GetUserUnchecked(out v, uaddr);
        PagefaultEnable();
        return ret;
    }
}
