using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

/// <summary>A sleeping mutex (<c>struct mutex</c>).</summary>
public sealed class KernelMutex : KernelLock
{
    /// <summary>Creates an unlocked mutex: <c>mutex_init()</c>.</summary>
    public KernelMutex(Machine machine, string name = "mutex")
        : base(machine, name)
    {
    }

    /// <summary>
    /// A statically defined lock: <c>DEFINE_MUTEX()</c>, as a <c>static readonly</c> field of simulator
    /// code. It binds to the machine of the first task that takes it; taking it later from a task
    /// of another machine throws <see cref="System.InvalidOperationException"/>.
    /// </summary>
    public KernelMutex()
        : base(null, "mutex")
    {
    }

    /// <summary><c>mutex_lock()</c>: waits, uninterruptibly, until the mutex is free.</summary>
    [MightSleep]
    [Acquires("this")]
    [HasKillableVariant(nameof(LockKillable))]
    public void Lock()
    {
        Scheduler.MightSleep("mutex_lock");
        Lockdep.Acquire(this, shared: false, killable: false, "mutex_lock");
    }

    /// <summary><c>mutex_lock_killable()</c>: <c>0</c> with the mutex held, or <c>-EINTR</c> when it must wait and a fatal signal is pending or arrives.</summary>
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    [Acquires("this", When = AcquiredWhen.ReturnsZero)]
    public int LockKillable()
    {
        Scheduler.MightSleep("mutex_lock_killable");
        return Lockdep.Acquire(this, shared: false, killable: true, "mutex_lock_killable");
    }

    /// <summary><c>mutex_trylock()</c>: <c>true</c> with the mutex held, <c>false</c> if it was taken.</summary>
    [MustCheck]
    [Acquires("this", When = AcquiredWhen.ReturnsTrue)]
    public bool TryLock() => Lockdep.TryAcquire(this, shared: false);

    /// <summary><c>mutex_unlock()</c>.</summary>
    [Releases("this")]
    public void Unlock() => Lockdep.Release(this, shared: false, "mutex_unlock");
}
