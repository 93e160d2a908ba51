using System;
using System.Collections.Generic;
using System.Threading;
using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

/// <summary>
/// An address space (<c>struct mm_struct</c>): VMAs, the page table, the mmap lock and the shared
/// zero page. The setup methods here are the user program's and the test's side: they may throw.
/// </summary>
public sealed partial class Mm
{
    // Where bottom-up placement starts: above the traditional ELF load area, below every arch's TaskSize.
    private const ulong MmapBase = 0x1000_0000UL;

    // mm->page_table_lock: guards the VMA list and every page-table write. Readers of present
    // entries never take it (see PageTable).
    private readonly object pageTableLock = new();
    private readonly List<Vma> vmas = new();
    private readonly PageTable pageTable;
    private readonly Arch arch;
    private readonly int pageShift;
    private readonly int pageSize;
    private readonly ulong pageOffsetMask;
    private readonly ulong taskSize;
    private UserfaultfdCtx? userfaultfd;
    private int users = 1;

    internal Mm(Machine machine)
    {
        Machine = machine;
        MmapLock = new RwSemaphore(machine, "&mm->mmap_lock");
        arch = machine.Arch;
        pageShift = arch.PageShift;
        pageSize = arch.PageSize;
        pageOffsetMask = (ulong)pageSize - 1;
        taskSize = arch.TaskSize;
        int addressBits = 64 - System.Numerics.BitOperations.LeadingZeroCount(taskSize - 1);
        pageTable = new PageTable(addressBits - pageShift);
        ZeroPage = new Page(pageSize, PageKind.Zero);
    }

    /// <summary>The machine this address space lives on.</summary>
    public Machine Machine { get; }

    /// <summary>
    /// <c>mm->mm_users</c>: one for the tasks that run in it, plus one for each reference
    /// <see cref="Kernel.GetTaskMm"/> handed out and <see cref="Kernel.Mmput"/> has not dropped.
    /// </summary>
    public int Users => Volatile.Read(ref users);

    /// <summary>
    /// <c>mm->mmap_lock</c>: the page-fault path takes it for read, and holders keep it across I/O
    /// (swap-in, a file read) and page faults, so waits for write on it should be killable, and waits
    /// for read on another task's mm (<see cref="RemoteMmAttribute"/>).
    /// </summary>
    [TakenInFaultPath]
    [LongHeld(RemoteReadersOnly = true)]
    public RwSemaphore MmapLock { get; }

    /// <summary>The userfaultfd context watching this address space, if one was created.</summary>
    internal UserfaultfdCtx? Userfaultfd => Volatile.Read(ref userfaultfd);

    /// <summary><c>ZERO_PAGE(0)</c>: what a read of an untouched private anonymous page maps, read-only.</summary>
    internal Page ZeroPage { get; }

    /// <summary>Creates a task that runs in this address space.</summary>
    public TaskStruct CreateTask(string name) => new(this, name);

    /// <summary><c>mmap()</c>: maps <paramref name="length"/> bytes (rounded up to pages) and returns the start.</summary>
    public UserPtr Mmap(ulong length, Prot prot, MapFlags flags = MapFlags.Private | MapFlags.Anonymous, UserPtr hint = default)
    {
        if ((flags & MapFlags.Anonymous) == 0)
        {
            throw new ArgumentException("a file mapping needs its file: use MmapFile", nameof(flags));
        }

        return MapRegion(length, prot, flags, hint, file: null, offset: 0);
    }

    /// <summary><c>mmap(fd)</c>: maps <paramref name="length"/> bytes of <paramref name="file"/> from <paramref name="offset"/> (a multiple of the page size) and returns the start.</summary>
    public UserPtr MmapFile(SimFile file, ulong length, Prot prot, MapFlags flags, long offset = 0)
    {
        if (file is null)
        {
            throw new ArgumentNullException(nameof(file));
        }

        if (file.Machine != Machine)
        {
            throw new ArgumentException("the file lives on another machine", nameof(file));
        }

        if (offset < 0 || (offset & (long)pageOffsetMask) != 0)
        {
            throw new ArgumentException("the offset must be a non-negative multiple of the page size", nameof(offset));
        }

        return MapRegion(length, prot, flags & ~MapFlags.Anonymous, default, file, offset);
    }

    /// <summary><c>munmap()</c>.</summary>
    public void Munmap(UserPtr start, ulong length)
    {
        var (from, to) = PageRange(start, length);
        lock (pageTableLock)
        {
            RemoveRange(from, to);
        }
    }

    /// <summary><c>mprotect()</c>.</summary>
    public void Mprotect(UserPtr start, ulong length, Prot prot)
    {
        CheckProt(prot);
        var (from, to) = PageRange(start, length);
        lock (pageTableLock)
        {
            if (!IsFullyMapped(from, to))
            {
                throw new InvalidOperationException($"mprotect: [{from:x}, {to:x}) is not fully mapped (-ENOMEM)");
            }

            var pieces = new List<Vma>();
            foreach (var vma in Overlapping(from, to))
            {
                pieces.Add(vma.Slice(Math.Max(vma.Start, from), Math.Min(vma.End, to), prot));
            }

            RemoveVmas(from, to);
            foreach (var piece in pieces)
            {
                InsertVma(piece);
                ChangeProtection(piece);
            }
        }
    }

    /// <summary>
    /// <c>madvise(MADV_DONTNEED)</c>: zaps the page-table entries (mm/madvise.c
    /// <c>madvise_dontneed_single_vma()</c>, <c>zap_page_range_single()</c>). Private anonymous memory
    /// reads back as zero afterwards; shared memory (shared anonymous, file) keeps its data in shmem
    /// or the page cache; a pinned page is unmapped too: the pin keeps the old page for its holder
    /// while the user faults in a fresh one. On a range registered with userfaultfd the monitor gets
    /// a <see cref="UffdEvent.Remove"/> event first.
    /// </summary>
    public void MadviseDontNeed(UserPtr start, ulong length)
    {
        var (from, to) = PageRange(start, length);
        lock (pageTableLock)
        {
            if (!IsFullyMapped(from, to))
            {
                throw new InvalidOperationException($"madvise: [{from:x}, {to:x}) is not fully mapped (-ENOMEM)");
            }
        }

        if (Userfaultfd is not { } uffd)
        {
            Zap(from, to);
            return;
        }

        // userfaultfd_remove(): the event is raised, and mmap_changing with it, before the zap; the
        // kernel side runs as the calling task, or as a task of its own for the test's setup code.
        AsKernelTask("madvise", () =>
        {
            var removal = uffd.OnRemove(from, to);
            Zap(from, to);
            if (removal is not null)
            {
                uffd.OnZapped(removal);
            }
        });
    }

    /// <summary>
    /// <c>userfaultfd()</c> + <c>UFFDIO_API</c>: a userfaultfd context for this address space that
    /// reports the <paramref name="features"/> events. Setup: one context per address space.
    /// </summary>
    public UserfaultfdCtx CreateUserfaultfd(UffdFeatures features = UffdFeatures.EventFork | UffdFeatures.EventRemap | UffdFeatures.EventRemove)
    {
        var ctx = new UserfaultfdCtx(this, features);
        if (Interlocked.CompareExchange(ref userfaultfd, ctx, null) is not null)
        {
            throw new InvalidOperationException("this address space already has a userfaultfd context");
        }

        return ctx;
    }

    /// <summary>Swaps the pages out: not present; bringing one back in sleeps, as I/O does.</summary>
    public void SwapOut(UserPtr start, ulong length)
    {
        var (from, to) = PageRange(start, length);
        lock (pageTableLock)
        {
            ForEachEntry(from, to, (vpn, pte) =>
            {
                if (!pte.IsPresent || pte.Page is not { } page || page.IsPinned)
                {
                    return;
                }

                switch (page.Kind)
                {
                    case PageKind.Anon:
                        // The frame itself is the swap slot: an update that raced with the unmap
                        // lands in the bytes that will be swapped back in, as with a real swap cache.
                        pageTable.Set(vpn, new Pte(page, PteFlags.Swapped | (pte.Flags & PteFlags.Mte)));
                        break;
                    case PageKind.PageCache:
                        // Reclaim of a clean file page: the page cache keeps the bytes.
                        pageTable.Set(vpn, null);
                        break;
                }
            });
        }
    }

    /// <summary>Marks the page at <paramref name="address"/> hardware-poisoned: every access fails, no fault-in can fix it.</summary>
    public void Poison(UserPtr address)
    {
        ulong va = arch.UntaggedAddress(address.Address) & ~pageOffsetMask;
        lock (pageTableLock)
        {
            if (FindVma(va) is null)
            {
                throw new InvalidOperationException($"poison: {address} is not mapped");
            }

            pageTable.Set(va >> pageShift, Pte.PoisonedEntry);
        }
    }

    /// <summary>Sets the MTE allocation tag of every 16-byte granule in the range (arm64, <see cref="Prot.Mte"/> mappings).</summary>
    public void SetMemoryTag(UserPtr start, ulong length, byte tag)
    {
        if (!arch.HasMte)
        {
            throw new NotSupportedException($"{arch.Name} has no memory tagging");
        }

        ulong from = arch.UntaggedAddress(start.Address);
        if ((from & (Page.MteGranuleSize - 1)) != 0 || (length & (Page.MteGranuleSize - 1)) != 0)
        {
            throw new ArgumentException("tags are set per 16-byte granule: start and length must be multiples of 16");
        }

        ulong end = from + length;
        for (ulong va = from; va < end; va += Page.MteGranuleSize)
        {
            var pte = pageTable.Lookup(va >> pageShift);
            if (pte is null || !pte.Allows(write: true))
            {
                // STG needs the page present and writable, as the user program's store would.
                bool unlocked = false;
                if (HandleFault(va, FaultFlags.Write, task: null, ref unlocked) != 0)
                {
                    throw new SegmentationFaultException(new UserPtr(va), "cannot tag an unmapped or read-only page");
                }

                pte = pageTable.Lookup(va >> pageShift);
            }

            if (pte is null || !pte.IsTagChecked || pte.Page is not { } page)
            {
                throw new InvalidOperationException($"SetMemoryTag: {new UserPtr(va)} is not in a PROT_MTE mapping");
            }

            page.SetTag((int)(va & pageOffsetMask), tag);
        }
    }

    /// <summary>What the user program itself reads: faults handled as in user mode; SIGSEGV becomes an exception.</summary>
    public void UserRead(UserPtr address, Span<byte> destination)
    {
        int left = Access(address.Address, destination, AccessOp.Read, FaultMode.User, out ulong failed, out var why);
        if (left != 0)
        {
            throw new SegmentationFaultException(new UserPtr(failed), DescribeSignal(failed, why));
        }
    }

    /// <summary>What the user program itself writes: faults handled as in user mode; SIGSEGV becomes an exception.</summary>
    public void UserWrite(UserPtr address, ReadOnlySpan<byte> bytes)
    {
        int left = Access(address.Address, AsWritable(bytes), AccessOp.Write, FaultMode.User, out ulong failed, out var why);
        if (left != 0)
        {
            throw new SegmentationFaultException(new UserPtr(failed), DescribeSignal(failed, why));
        }
    }

    /// <summary>The state of the page holding <paramref name="address"/>, for assertions.</summary>
    public PageState GetPageState(UserPtr address)
    {
        ulong va = arch.UntaggedAddress(address.Address);
        lock (pageTableLock)
        {
            if (va >= taskSize || FindVma(va) is null)
            {
                return PageState.NotMapped;
            }

            var pte = pageTable.Lookup(va >> pageShift);
            if (pte is null)
            {
                return PageState.NotPresent;
            }

            if (pte.IsPoisoned)
            {
                return PageState.Poisoned;
            }

            if (pte.IsSwapped)
            {
                return PageState.SwappedOut;
            }

            if (pte.Page?.Kind == PageKind.Zero)
            {
                return PageState.ZeroPage;
            }

            return (pte.Flags & PteFlags.Write) != 0 ? PageState.Writable : PageState.ReadOnly;
        }
    }

    // The signal the kernel would deliver, by its si_code.
    private string DescribeSignal(ulong address, AccessFailure why) => why switch
    {
        AccessFailure.TagMismatch => "SEGV_MTESERR: synchronous tag check fault",
        AccessFailure.KernelAddress => "SEGV_MAPERR: address outside the user address space",
        _ => GetPageState(new UserPtr(address)) switch
        {
            PageState.NotMapped => "SEGV_MAPERR: no mapping at the address",
            PageState.Poisoned => "BUS_MCEERR_AR: hardware memory error (poisoned page)",
            _ => "SEGV_ACCERR: the mapping does not permit the access",
        },
    };

    private UserPtr MapRegion(ulong length, Prot prot, MapFlags flags, UserPtr hint, SimFile? file, long offset)
    {
        CheckProt(prot);
        if (length == 0 || length > taskSize)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "mmap: invalid length (-EINVAL)");
        }

        bool shared = (flags & MapFlags.Shared) != 0;
        bool @private = (flags & MapFlags.Private) != 0;
        if (shared == @private)
        {
            throw new ArgumentException("mmap: exactly one of MAP_SHARED and MAP_PRIVATE (-EINVAL)", nameof(flags));
        }

        ulong size = (length + pageOffsetMask) & ~pageOffsetMask;
        if (shared && file is null)
        {
            // A shared anonymous mapping is a shmem file (shmem_zero_setup()): its pages live
            // outside the page table, so zapping the entries keeps the data.
            file = new SimFile(Machine, "/dev/zero (deleted)", (long)size);
            offset = 0;
        }

        ulong start;
        lock (pageTableLock)
        {
            start = ChooseAddress(size, flags, arch.UntaggedAddress(hint.Address));
            InsertVma(new Vma(start, start + size, prot, flags, file, offset));
        }

        if ((flags & MapFlags.Populate) != 0)
        {
            Populate(start, size, prot, shared);
        }

        return new UserPtr(start);
    }

    // populate_vma_page_range(): a private writable mapping is faulted in for write (no zero page),
    // anything else for read.
    private void Populate(ulong start, ulong size, Prot prot, bool shared)
    {
        var flags = (prot & Prot.Write) != 0 && !shared ? FaultFlags.Write : FaultFlags.None;
        if ((prot & (Prot.Read | Prot.Write)) == 0)
        {
            return;
        }

        for (ulong va = start; va < start + size; va += (ulong)pageSize)
        {
            bool unlocked = false;
            _ = HandleFault(va, flags, task: null, ref unlocked);
        }
    }

    private ulong ChooseAddress(ulong size, MapFlags flags, ulong hint)
    {
        if ((flags & MapFlags.Fixed) != 0)
        {
            if ((hint & pageOffsetMask) != 0 || hint + size > taskSize || hint + size < hint)
            {
                throw new ArgumentException($"mmap: MAP_FIXED at 0x{hint:x} is not a page-aligned user range (-EINVAL)");
            }

            RemoveRange(hint, hint + size);
            return hint;
        }

        if (hint != 0)
        {
            ulong aligned = hint & ~pageOffsetMask;
            if (aligned + size <= taskSize && aligned + size > aligned && !Overlaps(aligned, aligned + size))
            {
                return aligned;
            }
        }

        ulong candidate = Math.Min(MmapBase, taskSize / 4) & ~pageOffsetMask;
        foreach (var vma in vmas)
        {
            if (vma.End <= candidate)
            {
                continue;
            }

            if (vma.Start >= candidate + size)
            {
                break;
            }

            candidate = vma.End;
        }

        if (candidate + size > taskSize || candidate + size < candidate)
        {
            throw new InvalidOperationException("mmap: no free range below TASK_SIZE (-ENOMEM)");
        }

        return candidate;
    }

    private (ulong From, ulong To) PageRange(UserPtr start, ulong length)
    {
        ulong from = arch.UntaggedAddress(start.Address);
        if ((from & pageOffsetMask) != 0)
        {
            throw new ArgumentException($"{start} is not page-aligned (-EINVAL)", nameof(start));
        }

        ulong to = from + ((length + pageOffsetMask) & ~pageOffsetMask);
        if (to < from || to > taskSize)
        {
            throw new ArgumentException("the range leaves the user address space (-EINVAL)", nameof(length));
        }

        return (from, to);
    }

    private void CheckProt(Prot prot)
    {
        if ((prot & Prot.Mte) != 0 && !arch.HasMte)
        {
            throw new ArgumentException($"PROT_MTE on {arch.Name}, which has no memory tagging (-EINVAL)", nameof(prot));
        }
    }

    private static Span<byte> AsWritable(ReadOnlySpan<byte> bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(bytes), bytes.Length);

    // get_task_mm()'s mmget() and mmput()'s decrement; false when no reference was left to drop.
    internal void Get() => Interlocked.Increment(ref users);

    internal bool Put()
    {
        while (true)
        {
            int seen = Volatile.Read(ref users);
            if (seen <= 1)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref users, seen - 1, seen) == seen)
            {
                return true;
            }
        }
    }
}
