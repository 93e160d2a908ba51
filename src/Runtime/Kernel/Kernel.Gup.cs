using System;
using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

public static partial class Kernel
{
    /// <summary>
    /// <c>fault_in_readable()</c> (mm/gup.c): reads a byte at <paramref name="p"/> and at each
    /// following page start, faulting the pages in; the number of bytes NOT faulted in (<c>0</c> for
    /// size 0, all of them when <c>access_ok()</c> fails, a negative size being a huge <c>size_t</c>).
    /// Use it on the cold path of a nofault copy from user space that came back short, from the
    /// byte where the copy stopped. May sleep.
    /// </summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsBytesNotFaultedIn]
    [FaultsIn(AccessKind.Read, Pointer = "p", Size = "size")]
    public static int FaultInReadable(UserPtr p, int size) => (int)FaultInReadable(p, (long)size);

    /// <summary><c>fault_in_readable()</c> with a <c>long</c> size; the number of bytes NOT faulted in, as a <c>long</c>.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsBytesNotFaultedIn]
    [FaultsIn(AccessKind.Read, Pointer = "p", Size = "size")]
    public static long FaultInReadable(UserPtr p, long size) => FaultInSucceeded(FaultInProbing(p, size, write: false, "fault_in_readable"), size);

    /// <summary>
    /// <c>fault_in_writeable()</c> (mm/gup.c): WRITES a zero byte at <paramref name="p"/> and at each
    /// following page start (destructive: use it only on a buffer about to be overwritten); the
    /// number of bytes NOT faulted in. It probes page starts only, so a sub-page fault (an arm64 MTE
    /// granule) inside a page it reports as faulted in stays: a loop that retries the same range
    /// after it needs <see cref="FaultInSubpageWriteable(UserPtr, int)"/>. May sleep.
    /// </summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsBytesNotFaultedIn]
    [FaultsIn(AccessKind.Write, Pointer = "p", Size = "size")]
    public static int FaultInWriteable(UserPtr p, int size) => (int)FaultInWriteable(p, (long)size);

    /// <summary><c>fault_in_writeable()</c> with a <c>long</c> size; the number of bytes NOT faulted in, as a <c>long</c>.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsBytesNotFaultedIn]
    [FaultsIn(AccessKind.Write, Pointer = "p", Size = "size")]
    public static long FaultInWriteable(UserPtr p, long size) => FaultInSucceeded(FaultInProbing(p, size, write: true, "fault_in_writeable"), size);

    /// <summary>
    /// <c>fault_in_safe_writeable()</c> (mm/gup.c): non-destructive, <c>fixup_user_fault(FAULT_FLAG_WRITE)</c>
    /// page by page under the mmap read lock (killable); the number of bytes NOT faulted in. Use it
    /// for a buffer whose contents must survive (a read into memory the user may also be reading). May sleep.
    /// </summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsBytesNotFaultedIn]
    [FaultsIn(AccessKind.Write, Pointer = "p", Size = "size", Safe = true)]
    public static int FaultInSafeWriteable(UserPtr p, int size) => (int)FaultInSafeWriteable(p, (long)size);

    /// <summary><c>fault_in_safe_writeable()</c> with a <c>long</c> size; the number of bytes NOT faulted in, as a <c>long</c>.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsBytesNotFaultedIn]
    [FaultsIn(AccessKind.Write, Pointer = "p", Size = "size", Safe = true)]
    public static long FaultInSafeWriteable(UserPtr p, long size)
    {
        if (size == 0)
        {
            return 0;
        }

        if (!Scheduler.CheckFaultHandlingAllowed("fault_in_safe_writeable"))
        {
            return size;
        }

        Scheduler.MightSleep("fault_in_safe_writeable");
        var task = Scheduler.Current;
        var mm = task.Mm;

        // No access_ok() here, as in mm/gup.c: fixup_user_fault() fails at the first address
        // without a VMA (the user limit included), and what came before it counts as faulted in.
        ulong pageMask = ~(ulong)(task.Machine.Arch.PageSize - 1);
        ulong start = p.Address;
        ulong end = unchecked(start + (ulong)size + (ulong)task.Machine.Arch.PageSize - 1) & pageMask;
        if (end < start)
        {
            end = 0;
        }

        ulong cur = start;
        bool unlocked = false;
        mm.Machine.Lockdep.Acquire(mm.MmapLock, shared: true, killable: false, "fault_in_safe_writeable");
        do
        {
            if (Fixup(task, mm, cur, FaultFlags.Write | FaultFlags.AllowRetry | FaultFlags.Killable, ref unlocked) != 0)
            {
                break;
            }

            cur = (cur + (ulong)task.Machine.Arch.PageSize) & pageMask;
        }
        while (cur != end);
        mm.Machine.Lockdep.Release(mm.MmapLock, shared: true, "fault_in_safe_writeable");
        return FaultInSucceeded(NotFaultedIn(size, start, cur), size);
    }

    /// <summary>
    /// <c>fault_in_subpage_writeable()</c> (mm/gup.c): <see cref="FaultInWriteable(UserPtr, int)"/>,
    /// then <c>probe_subpage_writeable()</c> over what it faulted in: on arm64 with MTE a tag-checked
    /// probe of every 16-byte granule, elsewhere nothing more. The number of bytes NOT faulted in,
    /// counted from the first granule that refuses. The kernel's advice: use it "when the caller
    /// cannot guarantee forward progress of a copy_to_user() loop" — a loop that retries the same
    /// range (not from where the copy stopped) after a nofault copy failed, as btrfs'
    /// <c>search_ioctl()</c> does. Destructive like <c>fault_in_writeable()</c>. May sleep.
    /// </summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsBytesNotFaultedIn]
    [FaultsIn(AccessKind.Write, Pointer = "p", Size = "size", SubPage = true)]
    public static int FaultInSubpageWriteable(UserPtr p, int size) => (int)FaultInSubpageWriteable(p, (long)size);

    /// <summary><c>fault_in_subpage_writeable()</c> with a <c>long</c> size; the number of bytes NOT faulted in, as a <c>long</c>.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsBytesNotFaultedIn]
    [FaultsIn(AccessKind.Write, Pointer = "p", Size = "size", SubPage = true)]
    public static long FaultInSubpageWriteable(UserPtr p, long size)
    {
        // fault_in_writeable(), then probe_subpage_writeable() over what it faulted in.
        long faultedIn = size - FaultInProbing(p, size, write: true, "fault_in_subpage_writeable");
        if (faultedIn > 0)
        {
            var task = Scheduler.Current;
            faultedIn -= task.Machine.Arch.ProbeSubpageWriteable(task.Mm, p.Address, faultedIn, FaultModeOf(task));
        }

        return FaultInSucceeded(size - faultedIn, size);
    }

    /// <summary><c>fixup_user_fault(mm, address, flags, NULL)</c>: resolves one fault with the mmap lock held for read; <c>0</c>, <c>-EFAULT</c>, <c>-ENOMEM</c> or <c>-EINTR</c>.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static int FixupUserFault(Mm mm, UserPtr address, FaultFlags flags)
    {
        bool unlocked = false;
        return FixupUserFaultLocked(mm, address, flags & ~FaultFlags.AllowRetry, ref unlocked);
    }

    /// <summary><c>fixup_user_fault(mm, address, flags, &amp;unlocked)</c>: adds <c>FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE</c> and reports whether the lock was dropped and retaken; <c>0</c> or <c>-errno</c>.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static int FixupUserFault(Mm mm, UserPtr address, FaultFlags flags, out bool unlocked)
    {
        unlocked = false;
        return FixupUserFaultLocked(mm, address, flags | FaultFlags.AllowRetry | FaultFlags.Killable, ref unlocked);
    }

    /// <summary><c>pin_user_pages_unlocked()</c>: the number of pages pinned, or <c>-errno</c>; with <see cref="GupFlags.NoFault"/> only present, suitably writable pages.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    public static int PinUserPagesUnlocked(UserPtr start, int nrPages, PinnedPage[] pages, GupFlags flags)
    {
        if (pages is null)
        {
            throw new ArgumentNullException(nameof(pages));
        }

        if (nrPages > pages.Length)
        {
            throw new ArgumentException("pages cannot hold nrPages entries", nameof(pages));
        }

        bool noFault = (flags & GupFlags.NoFault) != 0;
        if (!noFault)
        {
            // GUP resolves faults through handle_mm_fault() and never looks at pagefault_disabled():
            // it works in a nofault region, which is why doing it there is reported, not refused.
            Scheduler.CheckFaultHandlingAllowed("pin_user_pages_unlocked");
        }

        Scheduler.MightSleep("pin_user_pages_unlocked");
        if (nrPages <= 0)
        {
            return 0;
        }

        var task = Scheduler.Current;
        var mm = task.Mm;
        var arch = task.Machine.Arch;
        bool write = (flags & GupFlags.Write) != 0;
        ulong first = arch.UntaggedAddress(start.Address) & ~(ulong)(arch.PageSize - 1);
        int pinned = 0;
        int error = 0;
        mm.Machine.Lockdep.Acquire(mm.MmapLock, shared: true, killable: false, "pin_user_pages_unlocked");
        for (int faults = 0; pinned < nrPages;)
        {
            ulong va = first + ((ulong)pinned * (ulong)arch.PageSize);
            if (task.FatalSignalPending)
            {
                error = -Errno.EINTR;
                break;
            }

            if (va >= arch.TaskSize)
            {
                error = -Errno.EFAULT;
                break;
            }

            if (!mm.VmaPermitsByFlags(va, write))
            {
                // check_vma_flags(): no fault can give a read pin of a write-only mapping.
                error = -Errno.EFAULT;
                break;
            }

            if (mm.FollowPage(va, write) is { } page)
            {
                page.Pin();
                pages[pinned++] = new PinnedPage(page, arch);
                faults = 0;
                continue;
            }

            // FOLL_NOFAULT: a page that is not present, or a zero or copy-on-write page for a
            // write pin, cannot be pinned without a fault.
            if (noFault || ++faults > 8)
            {
                error = -Errno.EFAULT;
                break;
            }

            bool unlocked = false;
            error = mm.HandleFault(va, write ? FaultFlags.Write : FaultFlags.None, task, ref unlocked, byVmaFlags: true);
            if (error != 0)
            {
                break;
            }
        }

        mm.Machine.Lockdep.Release(mm.MmapLock, shared: true, "pin_user_pages_unlocked");
        return pinned > 0 ? pinned : error;
    }

    /// <summary><c>unpin_user_page()</c>.</summary>
    public static void UnpinUserPage(PinnedPage page)
    {
        if (page is null)
        {
            throw new ArgumentNullException(nameof(page));
        }

        page.Unpin();
    }

    // fault_in_readable() / fault_in_writeable(): a real (tag-checked) one-byte access at the start
    // and at each following page start; the count not faulted in starts at the failing page.
    private static long FaultInProbing(UserPtr p, long size, bool write, string function)
    {
        if (size == 0)
        {
            return 0;
        }

        if (!Scheduler.CheckFaultHandlingAllowed(function))
        {
            return size;
        }

        Scheduler.MightFault(function);
        var task = Scheduler.Current;
        if (!AccessOk(p, size))
        {
            return size;
        }

        ulong pageMask = ~(ulong)(task.Machine.Arch.PageSize - 1);
        ulong start = p.Address;
        ulong end = start + (ulong)size;
        var mode = FaultModeOf(task);
        Span<byte> probe = stackalloc byte[1];
        probe[0] = 0;
        ulong cur = start;
        while (cur != 0 && cur < end)
        {
            if (task.Mm.Access(cur, probe, write ? AccessOp.Write : AccessOp.Read, mode, out _, out _) != 0)
            {
                break;
            }

            probe[0] = 0;
            cur = (cur + (ulong)task.Machine.Arch.PageSize) & pageMask;
        }

        return NotFaultedIn(size, start, cur);
    }

    private static long NotFaultedIn(long size, ulong start, ulong reached) =>
        (ulong)size > reached - start ? size - (long)(reached - start) : 0;

    private static long FaultInSucceeded(long notFaultedIn, long size)
    {
        if (size != 0)
        {
            Scheduler.Current.Livelock.OnFaultIn(succeeded: notFaultedIn == 0);
        }

        return notFaultedIn;
    }

    private static int FixupUserFaultLocked(Mm mm, UserPtr address, FaultFlags flags, ref bool unlocked)
    {
        if (mm is null)
        {
            throw new ArgumentNullException(nameof(mm));
        }

        // fixup_user_fault() calls handle_mm_fault() directly and never looks at
        // pagefault_disabled(): in a nofault region it still resolves the fault. The region exists
        // to keep the fault path out, so the call is reported, and then does what the kernel does.
        Scheduler.CheckFaultHandlingAllowed("fixup_user_fault");

        Scheduler.MightSleep("fixup_user_fault");
        mm.MmapLock.AssertHeld(sharedIsEnough: true, "fixup_user_fault");
        return Fixup(Scheduler.Current, mm, address.Address, flags, ref unlocked);
    }

    /// <summary>One <c>fixup_user_fault()</c> with the mmap lock held; its outcome tells the livelock detector.</summary>
    internal static int Fixup(TaskStruct task, Mm mm, ulong address, FaultFlags flags, ref bool unlocked)
    {
        int result = mm.HandleFault(mm.Machine.Arch.UntaggedAddress(address), flags, task, ref unlocked, byVmaFlags: true);
        task.Livelock.OnFaultIn(succeeded: result == 0);

        return result;
    }
}
