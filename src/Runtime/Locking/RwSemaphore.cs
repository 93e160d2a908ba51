using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

/// <summary>A reader-writer semaphore (<c>struct rw_semaphore</c>): many readers or one writer; waits sleep.</summary>
public sealed class RwSemaphore : KernelLock
{
    /// <summary>Creates an unlocked semaphore: <c>init_rwsem()</c>.</summary>
    public RwSemaphore(Machine machine, string name = "rwsem")
        : base(machine, name)
    {
    }

    /// <summary>
    /// A statically defined lock: <c>DECLARE_RWSEM()</c>, as a <c>static readonly</c> field of simulator
    /// code. It binds to the machine of the first task that takes it; taking it later from a task
    /// of another machine throws <see cref="System.InvalidOperationException"/>.
    /// </summary>
    public RwSemaphore()
        : base(null, "rwsem")
    {
    }

    /// <summary><c>down_read()</c>: waits, uninterruptibly, for read ownership.</summary>
    [MightSleep]
    [Acquires("this", Shared = true)]
    [HasKillableVariant(nameof(DownReadKillable))]
    public void DownRead()
    {
        Scheduler.MightSleep("down_read");
        Lockdep.Acquire(this, shared: true, killable: false, "down_read");
    }

    /// <summary><c>down_read_killable()</c>: <c>0</c> with read ownership, or <c>-EINTR</c> when it must wait and a fatal signal is pending or arrives.</summary>
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    [Acquires("this", Shared = true, When = AcquiredWhen.ReturnsZero)]
    public int DownReadKillable()
    {
        Scheduler.MightSleep("down_read_killable");
        return Lockdep.Acquire(this, shared: true, killable: true, "down_read_killable");
    }

    /// <summary><c>down_read_trylock()</c>: <c>true</c> with read ownership, <c>false</c> if a writer holds it.</summary>
    [MustCheck]
    [Acquires("this", Shared = true, When = AcquiredWhen.ReturnsTrue)]
    public bool DownReadTrylock() => Lockdep.TryAcquire(this, shared: true);

    /// <summary><c>down_write()</c>: waits, uninterruptibly, for exclusive ownership.</summary>
    [MightSleep]
    [Acquires("this")]
    [HasKillableVariant(nameof(DownWriteKillable))]
    public void DownWrite()
    {
        Scheduler.MightSleep("down_write");
        Lockdep.Acquire(this, shared: false, killable: false, "down_write");
    }

    /// <summary><c>down_write_killable()</c>: <c>0</c> with exclusive ownership, or <c>-EINTR</c> when it must wait and a fatal signal is pending or arrives.</summary>
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    [Acquires("this", When = AcquiredWhen.ReturnsZero)]
    public int DownWriteKillable()
    {
        Scheduler.MightSleep("down_write_killable");
        return Lockdep.Acquire(this, shared: false, killable: true, "down_write_killable");
    }

    /// <summary><c>up_read()</c>.</summary>
    [Releases("this", Shared = true)]
    public void UpRead() => Lockdep.Release(this, shared: true, "up_read");

    /// <summary><c>up_write()</c>.</summary>
    [Releases("this")]
    public void UpWrite() => Lockdep.Release(this, shared: false, "up_write");

    /// <summary><c>might_lock_read()</c>: lockdep's check that taking this lock for read now would not deadlock.</summary>
    internal void MightLockRead(string function) => Lockdep.MightLockRead(this, function);

    /// <summary><c>lockdep_assert_held()</c> / <c>mmap_assert_locked()</c>.</summary>
    internal void AssertHeld(bool sharedIsEnough, string function) => Lockdep.AssertHeld(this, sharedIsEnough, function);
}
