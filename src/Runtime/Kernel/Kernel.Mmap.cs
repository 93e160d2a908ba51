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

    /// <summary><c>SINGLE_DEPTH_NESTING</c>: the lockdep subclass of a second lock of the same class taken inside the first.</summary>
    public const int SINGLE_DEPTH_NESTING = 1;

    /// <summary>
    /// <c>mmap_write_lock_nested()</c>: waits, uninterruptibly, for the mmap lock of a second mm for
    /// write while holding another mm's (<c>dup_mmap()</c> takes the child's inside the parent's). The
    /// kernel has no killable variant: the nested mm is one nobody else can reach yet (the child of a
    /// fork), so nothing can hold it for long.
    /// </summary>
    [MightSleep]
    [Acquires("mm.MmapLock")]
    public static void MmapWriteLockNested(Mm mm, int subclass)
    {
        Scheduler.CheckFaultHandlingAllowed("mmap_write_lock_nested");
        Scheduler.MightSleep("mmap_write_lock_nested");
        mm.Machine.Lockdep.Acquire(mm.MmapLock, shared: false, killable: false, "mmap_write_lock_nested");
    }

    /// <summary>
    /// <c>get_task_mm()</c>: the address space <paramref name="task"/> runs in, with a reference taken
    /// (<c>mm_users</c>) that the caller drops with <see cref="Mmput"/>. Use it to look at another task's
    /// memory (the /proc files, ptrace); its mmap lock is then another task's, and waits on it should
    /// be killable. Every simulated task has an mm, so it never returns <c>null</c> here, as it does in
    /// the kernel for a kernel thread.
    /// </summary>
    [RemoteMm]
    public static Mm? GetTaskMm(TaskStruct task)
    {
        task.Mm.Get();
        return task.Mm;
    }

    /// <summary>
    /// <c>mmput()</c>: drops a reference <see cref="GetTaskMm"/> took. Dropping one that was never taken
    /// is reported as an imbalance.
    /// </summary>
    public static void Mmput(Mm mm)
    {
        if (!mm.Put())
        {
            var task = Scheduler.Current;
            mm.Machine.Log.Warn(ReportKind.Imbalance, $"WARNING: mmput() without get_task_mm(): mm_users would reach 0, pid: {task.Pid}, name: {task.Name}", task);
        }
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
