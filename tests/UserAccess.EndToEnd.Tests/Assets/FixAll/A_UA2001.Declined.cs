// A shape the UA2001 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA2001.Declined;

public static class Unclear
{
    public static int Branchy([RemoteMm] Mm mm, KernelMutex lk, bool locked, UserPtr uaddr)
    {
        if (locked)
            lk.Lock();
        MmapReadLock(mm);
        int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
        MmapReadUnlock(mm);
        if (locked)
            lk.Unlock();
        return ret;
    }
}
