// A shape the UA2001 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA2001.Fixable;

public static class Gup
{
    public static int Fixup([RemoteMm] Mm mm, UserPtr uaddr)
    {
        // the fault path needs the mmap lock
        MmapReadLock(mm); // may wait long
        int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
        MmapReadUnlock(mm);
        return ret;
    }
}
