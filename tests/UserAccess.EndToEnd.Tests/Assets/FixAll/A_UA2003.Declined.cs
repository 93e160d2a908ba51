// A shape the UA2003 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA2003.Declined;

public static class Unclear
{
    public static int InNofault(Mm mm, UserPtr uaddr)
    {
        PagefaultDisable();
        int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
        PagefaultEnable();
        return ret;
    }

    public static int SometimesLocked(Mm mm, UserPtr uaddr, bool locked)
    {
        if (locked)
            MmapReadLock(mm);
        int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
        if (locked)
            MmapReadUnlock(mm);
        return ret;
    }

    public static int Returned(Mm mm, UserPtr uaddr)
    {
        return FixupUserFault(mm, uaddr, FaultFlags.Write);
    }
}
