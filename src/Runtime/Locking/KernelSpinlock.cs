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

    /// <summary>
    /// A statically defined lock: <c>DEFINE_SPINLOCK()</c>, as a <c>static readonly</c> field of simulator
    /// code. It binds to the machine of the first task that takes it; taking it later from a task
    /// of another machine throws <see cref="System.InvalidOperationException"/>.
    /// </summary>
    public KernelSpinlock()
        : base(null, "spinlock")
    {
    }

    /// <summary><c>spin_lock()</c>: disables preemption and takes the lock; never sleeps.</summary>
    [EntersRegion(Region.Atomic)]
    [Acquires("this")]
    public void Lock()
    {
        var task = Scheduler.Current;
        task.PreemptCount++;
        Lockdep.Acquire(this, shared: false, killable: false, "spin_lock");
    }

    /// <summary><c>spin_unlock()</c>: releases the lock and re-enables preemption.</summary>
    [ExitsRegion(Region.Atomic)]
    [Releases("this")]
    public void Unlock()
    {
        var task = Scheduler.Current;
        Lockdep.Release(this, shared: false, "spin_unlock");
        if (task.PreemptCount > 0)
        {
            task.PreemptCount--;
        }
    }
}
