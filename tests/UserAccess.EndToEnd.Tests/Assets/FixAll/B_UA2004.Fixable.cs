// A shape the UA2004 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA2004.Fixable;

public static class Events
{
    public static void Raise(UserfaultfdCtx ctx)
    {
        // the event starts
        System.Threading.Interlocked.Increment(ref ctx.MmapChanging);
    }

    public static bool Busy(UserfaultfdCtx ctx)
    {
        if (ctx.MmapChanging != 0)
            return true;
        return false;
    }

    public static long MfillAtomicCopy(UserfaultfdCtx ctx, UserPtr dst, byte[] src)
    {
        long err = -EAGAIN;
        if (ctx.MmapChanging != 0)
            goto out_unlock;

        err = ctx.MfillAtomicPteCopy(dst, src);
    out_unlock:
        return err;
    }
}
