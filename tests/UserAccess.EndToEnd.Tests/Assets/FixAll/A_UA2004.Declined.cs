// Shapes the UA2004 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA2004.Declined;

public static class Unclear
{
    public static void ReadHeld(UserfaultfdCtx ctx)
    {
        ctx.MapChangingLock.DownRead();
        ctx.MmapChanging++;
        ctx.MapChangingLock.UpRead();
    }

    public static void Spin(UserfaultfdCtx ctx)
    {
        while (ctx.MmapChanging != 0)
            CondResched();
    }

    public static bool ChangedInACondition(UserfaultfdCtx ctx)
    {
        if (++ctx.MmapChanging > 1)
            return true;
        return false;
    }

    public static int CheckWithNoEnd(UserfaultfdCtx ctx, UserPtr<int> p)
    {
        if (ctx.MmapChanging != 0)
            return -EAGAIN;
        return PutUser(1, p);
    }
}
