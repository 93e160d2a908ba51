// A shape the UA3001 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA3001.Declined;

public static class Unfixable
{
    public static void NoErrno(UserPtr<uint> uaddr)
    {
        PagefaultDisable();
        CmpxchgUserInatomic(uaddr, 0u, 1u, out uint actual);
        PagefaultEnable();
    }

    public static long Count(UserPtr<ulong> uaddr)
    {
        PagefaultDisable();
        int ret = XchgUserInatomic(uaddr, 1ul, out ulong old);
        PagefaultEnable();
        return ret == 0 ? (long)old : 0;
    }

    public static int Offset(UserPtr<ulong> uaddr)
    {
        PagefaultDisable();
        int ret = XchgUserInatomic(uaddr + 8, 1ul, out ulong old);
        PagefaultEnable();
        return ret;
    }
}
