using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

/// <summary>A spinlock (<c>spinlock_t</c>): holding it disables preemption, so the holder is in atomic context.</summary>
public sealed class KernelSpinlock : KernelLock
{
    /// <summary>Creates an unlocked spinlock: <c>spin_lock_init()</c>.</summary>
    public KernelSpinlock(Machine machine, string name = "spinlock")
        : base(machine, name)
    {
    }

    /// <summary><c>spin_lock()</c>: disables preemption and takes the lock; never sleeps.</summary>
    [EntersRegion(Region.Atomic)]
    [Acquires("this")]
    public void Lock()
    {
        var task = Scheduler.Current;
        task.PreemptCount++;
        Machine.Lockdep.Acquire(this, shared: false, killable: false, "spin_lock");
    }

    /// <summary><c>spin_unlock()</c>: releases the lock and re-enables preemption.</summary>
    [ExitsRegion(Region.Atomic)]
    [Releases("this")]
    public void Unlock()
    {
        var task = Scheduler.Current;
        Machine.Lockdep.Release(this, shared: false, "spin_unlock");
        if (task.PreemptCount > 0)
        {
            task.PreemptCount--;
        }
    }
}
