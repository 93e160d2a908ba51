using System;
using System.Linq;
using System.Threading;

namespace UserAccess.Runtime;

// What the userfaultfd context needs of the address space: its checks of a registration, the
// page it installs, and a task to run the events' kernel side as.
public sealed partial class Mm
{
    /// <summary>A registration's range: page-aligned, fully mapped, private anonymous; throws otherwise.</summary>
    internal (ulong From, ulong To) CheckUffdRange(ulong start, ulong len)
    {
        var (from, to) = PageRange(new UserPtr(start), len);
        if (len == 0 || (len & pageOffsetMask) != 0)
        {
            throw new ArgumentException("UFFDIO_REGISTER: the length must be a non-zero multiple of the page size (-EINVAL)", nameof(len));
        }

        lock (pageTableLock)
        {
            if (!IsFullyMapped(from, to))
            {
                throw new ArgumentException($"UFFDIO_REGISTER: [{from:x}, {to:x}) is not fully mapped (-EINVAL)");
            }

            foreach (var vma in Overlapping(from, to))
            {
                if (vma.IsShared || vma.File is not null)
                {
                    throw new NotSupportedException("the simulator models userfaultfd on private anonymous memory");
                }
            }
        }

        return (from, to);
    }

    /// <summary>Whether <paramref name="page"/> is still what the user sees at <paramref name="va"/>.</summary>
    internal bool IsMapped(ulong va, Page page)
    {
        lock (pageTableLock)
        {
            return pageTable.Lookup(va >> pageShift) is { IsPresent: true } pte && pte.Page == page;
        }
    }

    /// <summary>
    /// <c>mfill_atomic_install_pte()</c>: maps a new page holding <paramref name="bytes"/> (or the zero
    /// page, read-only) at an empty entry; <c>null</c> when the entry is not empty (<c>-EEXIST</c>).
    /// </summary>
    internal Page? InstallUffdPage(ulong va, ReadOnlySpan<byte> bytes, bool zeroPage)
    {
        ulong vpn = va >> pageShift;
        lock (pageTableLock)
        {
            if (FindVma(va) is not { } vma || pageTable.Lookup(vpn) is not null)
            {
                return null;
            }

            if (zeroPage)
            {
                pageTable.Set(vpn, new Pte(ZeroPage, FlagsFor(vma, writable: false)));
                return ZeroPage;
            }

            var page = new Page(pageSize, PageKind.Anon);
            bytes.CopyTo(page.Data);
            pageTable.Set(vpn, new Pte(page, FlagsFor(vma, writable: true)));
            return page;
        }
    }

    /// <summary>
    /// <c>mremap()</c>: resizes [<paramref name="oldAddress"/>, +<paramref name="oldLength"/>) to
    /// <paramref name="newLength"/> bytes, in place when it can, else (with
    /// <see cref="MremapFlags.MayMove"/>) at a new address, or exactly at <paramref name="newAddress"/>
    /// with <see cref="MremapFlags.Fixed"/>; returns where the mapping now starts. The pages move with
    /// their contents. Moving a range registered with userfaultfd raises
    /// <see cref="UserfaultfdCtx.MmapChanging"/> first and tells the monitor with a
    /// <see cref="UffdEvent.Remap"/> event (or, without <see cref="UffdFeatures.EventRemap"/>, the moved
    /// range is no longer registered). Setup: throws where the kernel returns an error.
    /// </summary>
    public UserPtr Mremap(UserPtr oldAddress, ulong oldLength, ulong newLength, MremapFlags flags = MremapFlags.MayMove, UserPtr newAddress = default)
    {
        var (from, to) = PageRange(oldAddress, oldLength);
        ulong newSize = (newLength + pageOffsetMask) & ~pageOffsetMask;
        bool @fixed = (flags & MremapFlags.Fixed) != 0;
        if (newSize == 0 || (@fixed && (flags & MremapFlags.MayMove) == 0))
        {
            throw new ArgumentException("mremap: invalid length or flags (-EINVAL)");
        }

        ulong target;
        lock (pageTableLock)
        {
            if (!IsFullyMapped(from, to) || Overlapping(from, to).Count() != 1)
            {
                throw new InvalidOperationException($"mremap: [{from:x}, {to:x}) is not one mapping (-EFAULT)");
            }

            if (!@fixed && newSize <= to - from)
            {
                RemoveRange(from + newSize, to);
                return new UserPtr(from);
            }

            if (!@fixed && !Overlaps(to, from + newSize) && from + newSize <= taskSize)
            {
                var vma = FindVma(from)!;
                RemoveVmas(from, to);
                InsertVma(vma.Slice(vma.Start, Math.Max(vma.End, from + newSize), vma.Prot));
                return new UserPtr(from);
            }

            if ((flags & MremapFlags.MayMove) == 0)
            {
                throw new InvalidOperationException("mremap: cannot grow in place without MREMAP_MAYMOVE (-ENOMEM)");
            }

            target = @fixed ? arch.UntaggedAddress(newAddress.Address) : ChooseAddress(newSize, MapFlags.Private, 0);
            if (@fixed && ((target & pageOffsetMask) != 0 || target < to && target + newSize > from || target + newSize > taskSize))
            {
                throw new ArgumentException("mremap: the new range is misaligned, overlaps the old one or leaves user space (-EINVAL)");
            }
        }

        // mremap_userfaultfd_prep(): raise mmap_changing before anything moves.
        var uffd = Userfaultfd;
        AsKernelTask("mremap", () =>
        {
            var remap = uffd?.OnRemapPrepare(from, to);
            Move(from, to, target, newSize);
            if (uffd is not null)
            {
                uffd.OnRemapComplete(remap, from, to, target);
            }
        });
        return new UserPtr(target);
    }

    /// <summary>
    /// <c>fork()</c>'s <c>dup_mmap()</c>: a child address space with the same mappings. Shared
    /// mappings share their pages; private pages are copied at once (the simulator does not share
    /// them copy-on-write, so only their page state differs from the kernel's, not their data).
    /// With a userfaultfd context that asked for <see cref="UffdFeatures.EventFork"/>,
    /// <see cref="UserfaultfdCtx.MmapChanging"/> is raised during the copy, the child gets a context
    /// of its own with the same registrations, and the monitor is sent <see cref="UffdEvent.Fork"/>
    /// with it; without the feature the child's ranges are not registered.
    /// </summary>
    public Mm Fork()
    {
        var child = new Mm(Machine);
        var uffd = Userfaultfd;
        AsKernelTask("fork", () =>
        {
            var prepared = uffd?.OnForkPrepare();
            CopyInto(child);
            uffd?.OnForkComplete(prepared, child);
        });
        return child;
    }

    /// <summary>Installs <paramref name="ctx"/> as the child's context (the fork event's new userfaultfd).</summary>
    internal void AdoptUserfaultfd(UserfaultfdCtx ctx) => Volatile.Write(ref userfaultfd, ctx);

    private void CopyInto(Mm child)
    {
        lock (pageTableLock)
        {
            foreach (var vma in vmas)
            {
                child.vmas.Add(vma);
                pageTable.ForEach(vma.Start >> pageShift, vma.End >> pageShift, (vpn, pte) =>
                {
                    var page = pte.Page;
                    if (page is not null && !vma.IsShared)
                    {
                        page = page.Kind switch
                        {
                            PageKind.Zero => child.ZeroPage,
                            PageKind.Anon => page.CopyForWrite(),
                            _ => page,
                        };
                    }

                    child.pageTable.Set(vpn, pte.IsPoisoned ? pte : new Pte(page, pte.Flags));
                });
            }
        }
    }

    // move_vma(): the VMA and its page-table entries go to the new range; the old one is unmapped.
    private void Move(ulong from, ulong to, ulong target, ulong newSize)
    {
        lock (pageTableLock)
        {
            var vma = FindVma(from)!;
            RemoveRange(target, target + newSize);
            var moved = new Vma(target, target + newSize, vma.Prot, vma.Flags, vma.File, vma.File is null ? 0 : vma.FileOffset + (long)(from - vma.Start));
            InsertVma(moved);
            for (ulong va = from; va < to; va += (ulong)pageSize)
            {
                if (pageTable.Lookup(va >> pageShift) is { } pte)
                {
                    pageTable.Set((target + (va - from)) >> pageShift, pte);
                    pageTable.Set(va >> pageShift, null);
                }
            }

            RemoveVmas(from, to);
        }
    }

    /// <summary><c>zap_page_range_single()</c>: every entry of [from, to) goes; pins keep their pages.</summary>
    private void Zap(ulong from, ulong to)
    {
        lock (pageTableLock)
        {
            ForEachEntry(from, to, (vpn, _) => pageTable.Set(vpn, null));
        }
    }

    // The kernel side of a setup call runs as the current task, or, when the test's own thread
    // calls it, as a short-lived task of this address space.
    private void AsKernelTask(string name, Action body)
    {
        if (Scheduler.CurrentOrNull is { } current && current.Mm.Machine == Machine)
        {
            body();
            return;
        }

        var task = CreateTask(name);
        int result = task.Run(() =>
        {
            body();
            return 0;
        });
        if (result == TaskStruct.Killed)
        {
            throw new InvalidOperationException($"{name}: the kernel side was unwound: {task.Oops}");
        }
    }
}
