using System;

namespace UserAccess.Runtime;

// What the fault explorer and the stress run do to an address space from outside the task under
// test: put one page into a given state (as reclaim, fork's write-protect, munmap or a memory error
// would), look at tags and count what is mapped. Each change installs new entries under the
// page-table lock, as every other page-table writer does.
public sealed partial class Mm
{
    /// <summary>
    /// Whether the page at <paramref name="pageVa"/> can be put into <paramref name="state"/> without
    /// inventing data: a page that holds bytes is never turned into the zero page or dropped as if
    /// it had never been written (swapping it out keeps them), and a page already in that state is
    /// left out (the run would repeat the clean one).
    /// </summary>
    internal bool CanPlace(ulong pageVa, PageState state)
    {
        if (state == GetPageState(new UserPtr(pageVa)))
        {
            return false;
        }

        lock (pageTableLock)
        {
            if (FindVma(pageVa) is not { } vma)
            {
                return false;
            }

            var pte = pageTable.Lookup(pageVa >> pageShift);
            bool anonPrivate = vma.File is null && !vma.IsShared;
            bool pinned = pte?.Page is { IsPinned: true };
            return state switch
            {
                PageState.NotPresent => pte is { IsPoisoned: false } && !pinned && (!anonPrivate || pte.Page is null || IsAllZero(pte.Page)),
                PageState.SwappedOut => pte is { IsPresent: true, Page.Kind: PageKind.Anon } && !pinned,
                PageState.ZeroPage => anonPrivate && (pte is null || (pte is { IsPresent: true, Page: { Kind: PageKind.Anon } page } && !pinned && IsAllZero(page))),
                PageState.ReadOnly => pte is { IsSwapped: true } || (pte is { IsPresent: true, Page.Kind: not PageKind.Zero } && (pte.Flags & PteFlags.Write) != 0 && !pinned),
                PageState.NotMapped or PageState.Poisoned => true,
                _ => false,
            };
        }
    }

    /// <summary>Puts the page at <paramref name="pageVa"/> into <paramref name="state"/> (see <see cref="CanPlace"/>).</summary>
    internal void Place(ulong pageVa, PageState state)
    {
        switch (state)
        {
            case PageState.NotMapped:
                Munmap(new UserPtr(pageVa), (ulong)pageSize);
                return;
            case PageState.Poisoned:
                Poison(new UserPtr(pageVa));
                return;
            case PageState.SwappedOut:
                SwapOut(new UserPtr(pageVa), (ulong)pageSize);
                return;
        }

        ulong vpn = pageVa >> pageShift;
        lock (pageTableLock)
        {
            if (FindVma(pageVa) is not { } vma)
            {
                return;
            }

            var pte = pageTable.Lookup(vpn);
            switch (state)
            {
                case PageState.NotPresent:
                    pageTable.Set(vpn, null);
                    break;
                case PageState.ZeroPage:
                    pageTable.Set(vpn, new Pte(ZeroPage, FlagsFor(vma, writable: false)));
                    break;
                case PageState.ReadOnly when pte?.Page is { } page:
                    // Write-protected as fork() leaves a page for copy-on-write: a write fault makes it writable again.
                    pageTable.Set(vpn, new Pte(page, FlagsFor(vma, writable: false)));
                    break;
            }
        }
    }

    /// <summary>A second task's <c>mprotect(PROT_READ)</c> of one page, keeping the mapping's other bits (PROT_MTE).</summary>
    internal void WriteProtectMapping(ulong pageVa)
    {
        Prot prot;
        lock (pageTableLock)
        {
            if (FindVma(pageVa) is not { } vma)
            {
                return;
            }

            prot = vma.Prot & ~Prot.Write;
        }

        Mprotect(new UserPtr(pageVa), (ulong)pageSize, prot | Prot.Read);
    }

    /// <summary>Whether accesses at <paramref name="va"/> are tag-checked (a <see cref="Prot.Mte"/> mapping on an MTE arch).</summary>
    internal bool IsTagChecked(ulong va)
    {
        if (!arch.HasMte)
        {
            return false;
        }

        lock (pageTableLock)
        {
            return FindVma(arch.UntaggedAddress(va)) is { } vma && (vma.Prot & Prot.Mte) != 0;
        }
    }

    /// <summary>Gives the granule at <paramref name="va"/> an allocation tag other than the one it has: every pointer that matched it now mismatches.</summary>
    internal void MismatchTag(ulong va)
    {
        ulong granule = arch.UntaggedAddress(va) & ~(ulong)(Page.MteGranuleSize - 1);
        var pte = pageTable.Lookup(granule >> pageShift);
        byte current = pte?.Page is { } page ? page.TagAt((int)(granule & pageOffsetMask)) : (byte)0;
        SetMemoryTag(new UserPtr(granule), Page.MteGranuleSize, (byte)((current + 1) & 0xF));
    }

    /// <summary>What the address space holds: its VMAs and its page-table entries (present, swapped, poisoned).</summary>
    internal (int Vmas, int Entries) Footprint()
    {
        lock (pageTableLock)
        {
            int entries = 0;
            pageTable.ForEach(0, taskSize >> pageShift, (_, _) => entries++);
            return (vmas.Count, entries);
        }
    }

    private static bool IsAllZero(Page page) => page.Data.AsSpan().IndexOfAnyExcept((byte)0) < 0;
}
