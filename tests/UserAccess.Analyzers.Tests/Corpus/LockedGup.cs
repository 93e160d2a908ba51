// Corpus for the half-typed-code meta-test: locking around user access, a spinlock-protected
// counter, and a killable mmap lock with gup. Not compiled into the test assembly.
using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Corpus.Locking;

public sealed class EventCounter
{
    private readonly KernelSpinlock _lock;
    private long _events;

    public EventCounter(Machine machine) => _lock = new KernelSpinlock(machine, "event_lock");

    /// <summary>Reads the user's increment first, then updates under the spinlock: no fault in atomic context.</summary>
    public int Add(UserPtr<long> user)
    {
        if (GetUser(out long delta, user) != 0)
        {
            return -EFAULT;
        }

        _lock.Lock();
        _events += delta;
        _lock.Unlock();
        return 0;
    }

    /// <summary>Copies the counter out with faults disabled under the lock, falling back outside it.</summary>
    public int Snapshot(UserPtr<long> user)
    {
        long value;
        _lock.Lock();
        value = _events;
        PagefaultDisable();
        int ret = PutUser(value, user);
        PagefaultEnable();
        _lock.Unlock();
        if (ret == -EFAULT)
        {
            ret = PutUser(value, user);
        }

        return ret;
    }

    /// <summary>Pins the page behind <paramref name="user"/> with a killable mmap lock, goto-style cleanup.</summary>
    public static int PinOne(Mm mm, UserPtr user, PinnedPage[] pages)
    {
        int ret = MmapReadLockKillable(mm);
        if (ret != 0)
        {
            goto out_ret;
        }

        MmapReadUnlock(mm);
        ret = PinUserPagesUnlocked(user, 1, pages, GupFlags.Write);
        if (ret != 1)
        {
            ret = ret < 0 ? ret : -EFAULT;
            goto out_ret;
        }

        UnpinUserPage(pages[0]);
        ret = 0;
    out_ret:
        return ret;
    }
}
