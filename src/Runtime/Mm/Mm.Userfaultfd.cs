using System;

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
