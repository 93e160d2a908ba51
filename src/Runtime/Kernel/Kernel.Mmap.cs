using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

public static partial class Kernel
{
    /// <summary><c>mmap_read_lock()</c>: waits, uninterruptibly, for the mmap lock for read.</summary>
    [MightSleep]
    [Acquires("mm.MmapLock", Shared = true)]
    [HasKillableVariant(nameof(MmapReadLockKillable))]
    public static void MmapReadLock(Mm mm)
    {
        Scheduler.CheckFaultHandlingAllowed("mmap_read_lock");
        Scheduler.MightSleep("mmap_read_lock");
        mm.Machine.Lockdep.Acquire(mm.MmapLock, shared: true, killable: false, "mmap_read_lock");
    }

    /// <summary><c>mmap_read_lock_killable()</c>: <c>0</c> with the lock held for read, or <c>-EINTR</c> when it must wait and a fatal signal is pending or arrives.</summary>
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    [Acquires("mm.MmapLock", Shared = true, When = AcquiredWhen.ReturnsZero)]
    public static int MmapReadLockKillable(Mm mm)
    {
        Scheduler.CheckFaultHandlingAllowed("mmap_read_lock_killable");
        Scheduler.MightSleep("mmap_read_lock_killable");
        return mm.Machine.Lockdep.Acquire(mm.MmapLock, shared: true, killable: true, "mmap_read_lock_killable");
    }

    /// <summary><c>mmap_read_trylock()</c>: <c>true</c> with the lock held for read; never waits.</summary>
    [MustCheck]
    [Acquires("mm.MmapLock", Shared = true, When = AcquiredWhen.ReturnsTrue)]
    public static bool MmapReadTrylock(Mm mm) => mm.Machine.Lockdep.TryAcquire(mm.MmapLock, shared: true);

    /// <summary><c>mmap_read_unlock()</c>.</summary>
    [Releases("mm.MmapLock", Shared = true)]
    public static void MmapReadUnlock(Mm mm) => mm.Machine.Lockdep.Release(mm.MmapLock, shared: true, "mmap_read_unlock");

    /// <summary><c>mmap_write_lock()</c>: waits, uninterruptibly, for the mmap lock for write.</summary>
    [MightSleep]
    [Acquires("mm.MmapLock")]
    [HasKillableVariant(nameof(MmapWriteLockKillable))]
    public static void MmapWriteLock(Mm mm)
    {
        Scheduler.CheckFaultHandlingAllowed("mmap_write_lock");
        Scheduler.MightSleep("mmap_write_lock");
        mm.Machine.Lockdep.Acquire(mm.MmapLock, shared: false, killable: false, "mmap_write_lock");
    }

    /// <summary><c>mmap_write_lock_killable()</c>: <c>0</c> with the lock held for write, or <c>-EINTR</c> when it must wait and a fatal signal is pending or arrives.</summary>
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    [Acquires("mm.MmapLock", When = AcquiredWhen.ReturnsZero)]
    public static int MmapWriteLockKillable(Mm mm)
    {
        Scheduler.CheckFaultHandlingAllowed("mmap_write_lock_killable");
        Scheduler.MightSleep("mmap_write_lock_killable");
        return mm.Machine.Lockdep.Acquire(mm.MmapLock, shared: false, killable: true, "mmap_write_lock_killable");
    }

    /// <summary><c>mmap_write_unlock()</c>.</summary>
    [Releases("mm.MmapLock")]
    public static void MmapWriteUnlock(Mm mm) => mm.Machine.Lockdep.Release(mm.MmapLock, shared: false, "mmap_write_unlock");
}
