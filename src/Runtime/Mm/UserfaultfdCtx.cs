using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

/// <summary>
/// A userfaultfd context (<c>struct userfaultfd_ctx</c>, fs/userfaultfd.c and mm/userfaultfd.c):
/// the ranges registered for missing-page faults, the messages queued for the monitor, and the
/// <see cref="MmapChanging"/> protocol that keeps the monitor's uffdio operations from running
/// concurrently with a change of the address space it has not been told about yet.
/// </summary>
/// <remarks>
/// The monitor side (<see cref="ReadEvent"/>, <see cref="Copy(UserPtr, ReadOnlySpan{byte}, UffdCopyMode)"/>,
/// <see cref="ZeroPage"/>, <see cref="Wake"/>) runs as a task of the same machine. Registration is
/// setup and may throw. The simulator models registrations of private anonymous memory.
/// </remarks>
public sealed class UserfaultfdCtx
{
    /// <summary>
    /// <c>ctx->mmap_changing</c>: raised by the non-cooperative events (fork, mremap,
    /// <c>MADV_DONTNEED</c> on a registered range) holding <see cref="MapChangingLock"/> for write,
    /// lowered when the monitor has read the event. The uffdio operations read it holding the lock
    /// for read and fail with <c>-EAGAIN</c> while it is non-zero, so that none of them runs
    /// concurrently with an event the monitor has not seen. Simulator code that reimplements an
    /// operation follows the same protocol.
    /// </summary>
    [GuardedBy(nameof(MapChangingLock))]
    public int MmapChanging;

    // ctx->fault_pending_wqh, ctx->event_wqh and the registrations: one monitor, as the ctx's
    // waitqueue locks are; never held while a kernel lock is taken.
    private readonly object gate = new();
    private readonly List<(ulong Start, ulong End)> registered = new();
    private readonly Queue<UffdMsg> faults = new();
    private readonly Queue<PendingEvent> events = new();
    private readonly List<FaultWaiter> waiters = new();
    private readonly List<PendingEvent> removals = new();
    private readonly Dictionary<ulong, Population> populated = new();

    internal UserfaultfdCtx(Mm mm, UffdFeatures features)
    {
        Mm = mm;
        Features = features;
        MapChangingLock = new RwSemaphore(mm.Machine, "&ctx->map_changing_lock");
    }

    /// <summary>The address space the context watches (<c>ctx->mm</c>).</summary>
    public Mm Mm { get; }

    /// <summary>The events the monitor asked for (<c>UFFDIO_API</c>).</summary>
    public UffdFeatures Features { get; }

    /// <summary>
    /// <c>ctx->map_changing_lock</c>: the events take it for write to raise
    /// <see cref="MmapChanging"/>; the uffdio operations hold it for read from their check of
    /// <see cref="MmapChanging"/> until the pages are filled.
    /// </summary>
    public RwSemaphore MapChangingLock { get; }

    /// <summary>
    /// <c>UFFDIO_REGISTER</c> with <see cref="UffdRegisterMode.Missing"/>: a fault on a missing page
    /// of [<paramref name="start"/>, +<paramref name="len"/>) no longer zero-fills; the faulting
    /// task queues a <see cref="UffdEvent.Pagefault"/> message and waits, killably, until the
    /// monitor fills the page or wakes it. Setup: throws on a range that is not page-aligned,
    /// not fully mapped, or not private anonymous memory.
    /// </summary>
    public void Register(UserPtr start, ulong len, UffdRegisterMode mode)
    {
        if (mode != UffdRegisterMode.Missing)
        {
            throw new ArgumentException("only UFFDIO_REGISTER_MODE_MISSING is modelled", nameof(mode));
        }

        var (from, to) = Mm.CheckUffdRange(start.Address, len);
        lock (gate)
        {
            registered.Add((from, to));
        }
    }

    /// <summary>
    /// <c>read()</c> of the userfaultfd, non-blocking: <c>0</c> with the oldest message (page
    /// faults before events, as <c>userfaultfd_ctx_read()</c>), or <c>-EAGAIN</c> when none is queued.
    /// Reading a non-cooperative event completes it: the task that raised it goes on and lowers
    /// <see cref="MmapChanging"/>.
    /// </summary>
    [MustCheck]
    [ReturnsErrno]
    public int ReadEvent(out UffdMsg msg)
    {
        lock (gate)
        {
            if (faults.Count > 0)
            {
                msg = faults.Dequeue();
                return 0;
            }

            if (events.Count > 0)
            {
                var pending = events.Dequeue();
                pending.ReadAt = Mm.Machine.Tick();
                msg = pending.Msg;
                Monitor.PulseAll(gate);
                return 0;
            }
        }

        msg = default;
        return -Errno.EAGAIN;
    }

    /// <summary>
    /// <c>ioctl(UFFDIO_COPY)</c> (<c>userfaultfd_copy()</c>, <c>mfill_atomic_copy()</c>): fills the
    /// missing pages of [<paramref name="dst"/>, +<paramref name="src"/>.Length) with
    /// <paramref name="src"/> and wakes the tasks waiting on them. <c>0</c> when every page was
    /// filled; <c>-EAGAIN</c> while <see cref="MmapChanging"/> is raised or when only part was
    /// filled; <c>-EEXIST</c> when the first page is already mapped; <c>-ENOENT</c> outside a
    /// registered range; <c>-EINVAL</c> for a range that is not page-aligned. Runs as the monitor's task.
    /// </summary>
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    public int Copy(UserPtr dst, ReadOnlySpan<byte> src, UffdCopyMode mode = UffdCopyMode.None) => Copy(dst, src, out _, mode);

    /// <summary>
    /// <c>ioctl(UFFDIO_COPY)</c> with the kernel's <c>uffdio_copy.copy</c> reported:
    /// <paramref name="copied"/> is the number of bytes filled, or the <c>-errno</c> when none was.
    /// Returns as <see cref="Copy(UserPtr, ReadOnlySpan{byte}, UffdCopyMode)"/>.
    /// </summary>
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    public int Copy(UserPtr dst, ReadOnlySpan<byte> src, out long copied, UffdCopyMode mode = UffdCopyMode.None)
    {
        copied = 0;
        if ((mode & ~UffdCopyMode.DontWake) != 0 || !ValidRange(dst.Address, (ulong)src.Length))
        {
            return -Errno.EINVAL;
        }

        // The lock-free look in userfaultfd_copy(): only a hint that saves the locking; the
        // decision is taken again under map_changing_lock.
        if (Volatile.Read(ref MmapChanging) != 0)
        {
            copied = -Errno.EAGAIN;
            return -Errno.EAGAIN;
        }

        copied = MfillAtomic(dst.Address, src, (ulong)src.Length, zeroPage: false);
        return Finish(dst.Address, (ulong)src.Length, copied, wake: (mode & UffdCopyMode.DontWake) == 0);
    }

    /// <summary>
    /// <c>ioctl(UFFDIO_ZEROPAGE)</c> (<c>mfill_atomic_zeropage()</c>): maps the zero page, read-only,
    /// at every missing page of the range and wakes the waiters. Returns as
    /// <see cref="Copy(UserPtr, ReadOnlySpan{byte}, UffdCopyMode)"/>.
    /// </summary>
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    public int ZeroPage(UserPtr start, ulong len)
    {
        if (!ValidRange(start.Address, len))
        {
            return -Errno.EINVAL;
        }

        if (Volatile.Read(ref MmapChanging) != 0)
        {
            return -Errno.EAGAIN;
        }

        long done = MfillAtomic(start.Address, default, len, zeroPage: true);
        return Finish(start.Address, len, done, wake: true);
    }

    /// <summary>
    /// <c>ioctl(UFFDIO_WAKE)</c>: wakes the tasks waiting on a fault in the range (after a copy with
    /// <see cref="UffdCopyMode.DontWake"/>); a woken task retries its fault. <c>0</c>, or
    /// <c>-EINVAL</c> for a range that is not page-aligned.
    /// </summary>
    [MustCheck]
    [ReturnsErrno]
    public int Wake(UserPtr start, ulong len)
    {
        if (!ValidRange(start.Address, len))
        {
            return -Errno.EINVAL;
        }

        WakeRange(start.Address, start.Address + len);
        return 0;
    }

    /// <summary>
    /// <c>mfill_atomic_pte_copy()</c>, for simulator code that reimplements a uffdio operation:
    /// fills the missing page at <paramref name="dst"/> (page-aligned) with <paramref name="src"/>
    /// (one page). <c>0</c>, <c>-EEXIST</c> when the page is already mapped, <c>-ENOENT</c> outside a
    /// registered range, <c>-EINVAL</c> for a misaligned address or a source that is not one page.
    /// The caller holds the mmap lock for read and has checked <see cref="MmapChanging"/> as the
    /// protocol says; <see cref="Audit"/> shows what happens when it did not.
    /// </summary>
    [MustCheck]
    [ReturnsErrno]
    [RequiresLock("this.Mm.MmapLock", Shared = true)]
    public int MfillAtomicPteCopy(UserPtr dst, ReadOnlySpan<byte> src)
    {
        Mm.MmapLock.AssertHeld(sharedIsEnough: true, "mfill_atomic_pte_copy");
        ulong va = Mm.Machine.Arch.UntaggedAddress(dst.Address);
        if (src.Length != Mm.Machine.Arch.PageSize || (va & (ulong)(src.Length - 1)) != 0)
        {
            return -Errno.EINVAL;
        }

        if (!IsRegistered(va, va + (ulong)src.Length))
        {
            return -Errno.ENOENT;
        }

        return Populate(va, src, zeroPage: false);
    }

    /// <summary>
    /// What the monitor's view cannot see: the addresses of pages that a uffdio operation filled
    /// after a <see cref="UffdEvent.Remove"/> of the range had been raised and the range zapped,
    /// although the operation had started before the event, so the page survives the removal the
    /// monitor was told about (a ghost page). Empty while every operation follows the
    /// <see cref="MmapChanging"/> protocol.
    /// </summary>
    public IReadOnlyList<UserPtr> Audit()
    {
        var ghosts = new List<UserPtr>();
        KeyValuePair<ulong, Population>[] fills;
        PendingEvent[] removed;
        lock (gate)
        {
            fills = new List<KeyValuePair<ulong, Population>>(populated).ToArray();
            removed = removals.ToArray();
        }

        // The page table is looked at outside the ctx's gate: the fault path takes them the other way round.
        foreach (var (va, population) in fills)
        {
            if (!Mm.IsMapped(va, population.Page))
            {
                continue;
            }

            foreach (var removal in removed)
            {
                if (va >= removal.Msg.Start.Address && va < removal.Msg.End.Address
                    && population.OperationStart < removal.RaisedAt && removal.ZappedAt != 0 && population.At > removal.ZappedAt)
                {
                    ghosts.Add(new UserPtr(va));
                    break;
                }
            }
        }

        ghosts.Sort((a, b) => a.Address.CompareTo(b.Address));
        return ghosts;
    }

    /// <summary>Whether a fault at <paramref name="va"/> belongs to the monitor instead of being zero-filled.</summary>
    internal bool IsRegistered(ulong va) => IsRegistered(va, va + 1);

    /// <summary>
    /// <c>handle_userfault()</c>: queues the page-fault message and waits, killably for a kernel task,
    /// until the monitor fills the page and wakes it (or a fatal signal arrives). The hung-task
    /// detector reports a monitor that never answers.
    /// </summary>
    internal void WaitForMonitor(ulong va, bool write, TaskStruct? task)
    {
        ulong page = va & ~(ulong)(Mm.Machine.Arch.PageSize - 1);
        var waiter = new FaultWaiter(page);
        lock (gate)
        {
            waiters.Add(waiter);
            faults.Enqueue(new UffdMsg { Event = UffdEvent.Pagefault, Address = new UserPtr(page), Write = write });
            try
            {
                SleepKillable(task, () => waiter.Woken, $"handle_userfault for the monitor to resolve the fault at 0x{page:x}");
            }
            finally
            {
                waiters.Remove(waiter);
            }
        }
    }

    /// <summary>
    /// <c>userfaultfd_remove()</c>: with <see cref="UffdFeatures.EventRemove"/> and a registration
    /// overlapping [<paramref name="from"/>, <paramref name="to"/>), raises <see cref="MmapChanging"/>
    /// under <see cref="MapChangingLock"/> for write, queues the event, waits (killably) until the
    /// monitor has read it, and lowers the counter. Returns the event for
    /// <see cref="OnZapped"/>, or <c>null</c> when the monitor is not told.
    /// </summary>
    internal PendingEvent? OnRemove(ulong from, ulong to)
    {
        if ((Features & UffdFeatures.EventRemove) == 0 || !Overlaps(from, to))
        {
            return null;
        }

        var pending = Raise(new UffdMsg { Event = UffdEvent.Remove, Start = new UserPtr(from), End = new UserPtr(to) });
        lock (gate)
        {
            removals.Add(pending);
        }

        WaitUntilRead(pending, "UFFD_EVENT_REMOVE");
        return pending;
    }

    // userfaultfd_event_wait_completion(): queue the event, sleep TASK_KILLABLE until the monitor
    // has read it, then lower mmap_changing (a decrement never waits for the readers).
    private void WaitUntilRead(PendingEvent pending, string name)
    {
        try
        {
            lock (gate)
            {
                events.Enqueue(pending);
                Monitor.PulseAll(gate);
                SleepKillable(Scheduler.Current, () => pending.ReadAt != 0, $"userfaultfd_event_wait_completion for the monitor to read {name}");
            }
        }
        finally
        {
            Interlocked.Decrement(ref MmapChanging);
        }
    }

    /// <summary>
    /// <c>dup_userfaultfd()</c>: a fork of an address space with registrations raises
    /// <see cref="MmapChanging"/> under <see cref="MapChangingLock"/> for write while the mappings are
    /// copied; <c>null</c> when the monitor did not ask for <see cref="UffdFeatures.EventFork"/>.
    /// </summary>
    internal PendingEvent? OnForkPrepare()
    {
        lock (gate)
        {
            if ((Features & UffdFeatures.EventFork) == 0 || registered.Count == 0)
            {
                return null;
            }
        }

        return Raise(default);
    }

    /// <summary>
    /// <c>dup_userfaultfd_complete()</c>: the child gets a context with the same features and
    /// registrations, the monitor is sent <see cref="UffdEvent.Fork"/> carrying it, and the forking
    /// task waits until it has been read, then lowers the counter.
    /// </summary>
    internal void OnForkComplete(PendingEvent? prepared, Mm child)
    {
        if (prepared is null)
        {
            return;
        }

        var childCtx = new UserfaultfdCtx(child, Features);
        lock (gate)
        {
            childCtx.registered.AddRange(registered);
        }

        child.AdoptUserfaultfd(childCtx);
        var fork = new PendingEvent(new UffdMsg { Event = UffdEvent.Fork, Child = childCtx }) { RaisedAt = prepared.RaisedAt };
        WaitUntilRead(fork, "UFFD_EVENT_FORK");
    }

    /// <summary>
    /// <c>mremap_userfaultfd_prep()</c>: a move of a registered range raises <see cref="MmapChanging"/>
    /// under <see cref="MapChangingLock"/> for write, so that no uffdio operation fills the old range
    /// while it moves; returns the event to complete, or <c>null</c> when the monitor is not told.
    /// </summary>
    internal PendingEvent? OnRemapPrepare(ulong from, ulong to)
    {
        if ((Features & UffdFeatures.EventRemap) == 0 || !Overlaps(from, to))
        {
            return null;
        }

        return Raise(default);
    }

    /// <summary>
    /// <c>mremap_userfaultfd_complete()</c>: the registration moves with the range (or is dropped
    /// without <see cref="UffdFeatures.EventRemap"/>); with the event, the monitor is sent
    /// <see cref="UffdEvent.Remap"/> (<see cref="UffdMsg.Start"/> the old address,
    /// <see cref="UffdMsg.End"/> the new one), the task waits until it has read it, and the counter goes down.
    /// </summary>
    internal void OnRemapComplete(PendingEvent? prepared, ulong from, ulong to, ulong target)
    {
        lock (gate)
        {
            for (int i = registered.Count - 1; i >= 0; i--)
            {
                var (start, end) = registered[i];
                if (start < to && end > from)
                {
                    registered.RemoveAt(i);
                    if (prepared is not null)
                    {
                        registered.Add((Math.Max(start, from) - from + target, Math.Min(end, to) - from + target));
                    }
                }
            }
        }

        if (prepared is null)
        {
            return;
        }

        var remap = new PendingEvent(new UffdMsg { Event = UffdEvent.Remap, Start = new UserPtr(from), End = new UserPtr(target) }) { RaisedAt = prepared.RaisedAt };
        WaitUntilRead(remap, "UFFD_EVENT_REMAP");
    }

    /// <summary>The range of <paramref name="removal"/> has been zapped.</summary>
    internal void OnZapped(PendingEvent removal) => removal.ZappedAt = Mm.Machine.Tick();

    // An event raised as the protocol says: the increment under map_changing_lock for write.
    private PendingEvent Raise(UffdMsg msg)
    {
        var pending = new PendingEvent(msg);
        MapChangingLock.DownWrite();
        Interlocked.Increment(ref MmapChanging);
        pending.RaisedAt = Mm.Machine.Tick();
        MapChangingLock.UpWrite();
        return pending;
    }

    // TASK_KILLABLE on the ctx's gate (held by the caller) until done() or a fatal signal; the
    // hung-task detector reports a wait that nothing ends. The user program (no task) is not killable.
    private void SleepKillable(TaskStruct? task, Func<bool> done, string where)
    {
        var timeout = Mm.Machine.Options.HungTaskTimeout;
        var started = Stopwatch.StartNew();
        while (!done() && !(task is { FatalSignalPending: true }))
        {
            var left = timeout - started.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                string text = $"INFO: task {(task?.ToString() ?? "user")} blocked for more than {timeout.TotalSeconds:0} seconds.\n"
                    + $"waiting in {where}";
                throw task is null ? new InvalidOperationException(text) : Mm.Machine.Log.Fatal(ReportKind.Deadlock, text, task);
            }

            Monitor.Wait(gate, left < TimeSpan.FromMilliseconds(20) ? left : TimeSpan.FromMilliseconds(20));
        }
    }

    private bool ValidRange(ulong start, ulong len)
    {
        ulong pageMask = (ulong)Mm.Machine.Arch.PageSize - 1;
        return len != 0 && (start & pageMask) == 0 && (len & pageMask) == 0
            && start + len > start && start + len <= Mm.Machine.Arch.TaskSize;
    }

    // mfill_atomic(): the mmap lock for read, map_changing_lock for read from the check of
    // mmap_changing until the last page is filled, cond_resched() between pages. The bytes
    // filled, or -errno when none was.
    private long MfillAtomic(ulong dst, ReadOnlySpan<byte> src, ulong len, bool zeroPage)
    {
        var task = Scheduler.Current;
        int pageSize = Mm.Machine.Arch.PageSize;
        long copied = 0;
        long err;
        Scheduler.MightSleep("mfill_atomic");
        Mm.Machine.Lockdep.Acquire(Mm.MmapLock, shared: true, killable: false, "mfill_atomic");
        MapChangingLock.DownRead();
        try
        {
            err = -Errno.EAGAIN;
            if (MmapChanging != 0)
            {
                return err;
            }

            err = -Errno.ENOENT;
            if (!IsRegistered(dst, dst + len))
            {
                return err;
            }

            for (ulong offset = 0; offset < len; offset += (ulong)pageSize)
            {
                err = Populate(dst + offset, zeroPage ? default : src.Slice((int)offset, pageSize), zeroPage);
                if (err != 0)
                {
                    break;
                }

                copied += pageSize;
                if (task.FatalSignalPending)
                {
                    err = -Errno.EINTR;
                    break;
                }

                Scheduler.Yield("cond_resched");
            }
        }
        finally
        {
            MapChangingLock.UpRead();
            Mm.Machine.Lockdep.Release(Mm.MmapLock, shared: true, "mfill_atomic");
        }

        return copied != 0 ? copied : err;
    }

    // The tail of userfaultfd_copy() / userfaultfd_zeropage(): wake the filled range, and -EAGAIN
    // when only part of it was filled.
    private int Finish(ulong start, ulong len, long done, bool wake)
    {
        if (done < 0)
        {
            return (int)done;
        }

        if (wake)
        {
            WakeRange(start, start + (ulong)done);
        }

        return (ulong)done == len ? 0 : -Errno.EAGAIN;
    }

    // mfill_atomic_install_pte(): -EEXIST unless the entry is empty; records who filled the page
    // and when its operation began, for Audit().
    private int Populate(ulong va, ReadOnlySpan<byte> bytes, bool zeroPage)
    {
        var task = Scheduler.Current;
        var page = Mm.InstallUffdPage(va, bytes, zeroPage);
        if (page is null)
        {
            return -Errno.EEXIST;
        }

        long at = Mm.Machine.Tick();
        lock (gate)
        {
            populated[va] = new Population(page, OperationStart(task, at), at);
        }

        return 0;
    }

    // When the filling operation made its decision: the protocol's lock if the task holds it (the
    // check of mmap_changing came after), else the mmap lock it runs under, else now.
    private long OperationStart(TaskStruct task, long now)
    {
        foreach (KernelLock @lock in new KernelLock[] { MapChangingLock, Mm.MmapLock })
        {
            if (Mm.Machine.Lockdep.IsHeld(@lock, task) && task.AcquiredAt.TryGetValue(@lock, out long at))
            {
                return at;
            }
        }

        return now;
    }

    private void WakeRange(ulong start, ulong end)
    {
        lock (gate)
        {
            foreach (var waiter in waiters)
            {
                if (waiter.Page >= start && waiter.Page < end)
                {
                    waiter.Woken = true;
                }
            }

            Monitor.PulseAll(gate);
        }
    }

    private bool IsRegistered(ulong start, ulong end)
    {
        lock (gate)
        {
            foreach (var (from, to) in registered)
            {
                if (start >= from && end <= to)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private bool Overlaps(ulong start, ulong end)
    {
        lock (gate)
        {
            foreach (var (from, to) in registered)
            {
                if (start < to && end > from)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>A non-cooperative event on its way to the monitor, with the clock readings the audit needs.</summary>
    internal sealed class PendingEvent
    {
        internal PendingEvent(UffdMsg msg) => Msg = msg;

        internal UffdMsg Msg { get; }

        internal long RaisedAt { get; set; }

        internal long ReadAt { get; set; }

        internal long ZappedAt { get; set; }
    }

    private sealed class FaultWaiter
    {
        internal FaultWaiter(ulong page) => Page = page;

        internal ulong Page { get; }

        internal bool Woken { get; set; }
    }

    private readonly record struct Population(Page Page, long OperationStart, long At);
}
