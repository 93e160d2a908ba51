// A shape the UA2002 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA2002.Declined;

public static class Unclear
{
    public static int Copy(Mm mm, UserPtr from, byte[] buf)
    {
        MmapReadLock(mm);
        int left = CopyFromUser(buf, from);
        MmapReadUnlock(mm);
        return left != 0 ? -EFAULT : 0;
    }

    public static int NoErrorPathYet([RemoteMm] Mm mm, UserPtr<uint> uaddr, uint[] result)
    {
        // the loop's -EINTR would be the first error return and make MmapReadLock a UA2001
        MmapReadLock(mm);
        int ret = GetUser(out result[0], uaddr);
        MmapReadUnlock(mm);
        return ret == 0 ? 1 : 0;
    }

    public static int More(Mm mm, UserPtr<uint> uaddr, out uint val, int[] counters)
    {
        MmapReadLock(mm);
        counters[0]++;
        int ret = GetUser(out val, uaddr);
        MmapReadUnlock(mm);
        return ret;
    }

    // do_pages_stat(), v2.6.28: the put_user() of entry i's status, its result dropped (UA5001 on the same
    // call, whose fix decides the failure). UA2002 declines it before that fix (the result is ignored) and
    // after it (the result stored and tested, but the pointer is computed from i: no plain fault-in range).
    public static int StoreStatus(Mm mm, UserPtr status, long i, int node)
    {
        if (MmapReadLockKillable(mm) != 0)
            return -EINTR;
        PutUser(node, (status + i * 4).Cast<int>());
        MmapReadUnlock(mm);
        return 0;
    }
}
