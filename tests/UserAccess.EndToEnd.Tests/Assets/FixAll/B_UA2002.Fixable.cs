// A shape the UA2002 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA2002.Fixable;

public static class Vma
{
    public static int ReadFlags(Mm mm, UserPtr<uint> uaddr, out uint flags)
    {
        flags = 0;
        int ret;

        // the VMA must not change under us
        if (MmapReadLockKillable(mm) != 0)
            return -EINTR;
        ret = GetUser(out flags, uaddr); // may fault
        MmapReadUnlock(mm);
        return ret;
    }

    // do_pages_stat(), one entry: the access tested in an if whose branch drops the lock and fails.
    public static int PageStat(Mm mm, UserPtr<ulong> pages, ulong[] addr)
    {
        if (MmapReadLockKillable(mm) != 0)
            return -EINTR;
        if (GetUser(out addr[0], pages) != 0)
        {
            MmapReadUnlock(mm);
            return -EFAULT;
        }
        MmapReadUnlock(mm);
        return 0;
    }
}
