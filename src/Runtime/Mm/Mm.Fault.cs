using System;
using System.Threading;

namespace UserAccess.Runtime;

// The page-fault handler: fixup_user_fault()'s loop around handle_mm_fault(), used by the kernel's
// fault path (a uaccess that faulted), by FixupUserFault and GUP, and, without kernel locks, by the
// user program's own accesses.
public sealed partial class Mm
{
    private const int FaultRetry = 1;

    /// <summary>Test hook: runs during a swap-in's I/O wait (with the mmap lock dropped when the fault may retry).</summary>
    internal Action? SwapInIoHook { get; set; }

    /// <summary>
    /// <c>fixup_user_fault()</c>'s body. A kernel <paramref name="task"/> holds the mmap lock for read
    /// and holds it again on return; a <c>null</c> task is the user program (no kernel locks).
    /// Returns <c>0</c>, <c>-EFAULT</c> or <c>-EINTR</c>; sets <paramref name="unlocked"/> when the lock was dropped.
    /// <paramref name="byVmaFlags"/>: the permission check is <c>vma_permits_fault()</c>'s (fixup,
    /// GUP), not the arch fault handler's.
    /// </summary>
    internal int HandleFault(ulong va, FaultFlags flags, TaskStruct? task, ref bool unlocked, bool byVmaFlags = false)
    {
        bool write = (flags & FaultFlags.Write) != 0;
        while (true)
        {
            lock (pageTableLock)
            {
                if (va >= taskSize || FindVma(va) is not { } vma || !(byVmaFlags ? vma.PermitsByFlags(write) : vma.Permits(write)))
                {
                    return -Errno.EFAULT;
                }
            }

            if ((flags & FaultFlags.Killable) != 0 && task is { FatalSignalPending: true })
            {
                return -Errno.EINTR;
            }

            bool mayRetry = (flags & FaultFlags.AllowRetry) != 0 && task is not null && HoldsMmapLockForRead(task);
            int result = HandleMmFault(va, write, task, mayRetry);
            if (result != FaultRetry)
            {
                return result;
            }

            // VM_FAULT_RETRY: the lock was dropped for the I/O; take it again and look again.
            Machine.Lockdep.Acquire(MmapLock, shared: true, killable: false, "fixup_user_fault");
            unlocked = true;
        }
    }

    // Only a reader can drop the lock for the I/O wait: a writer (or a caller that forgot the lock,
    // already reported by lockdep_assert_held) keeps what it has and waits with it.
    private bool HoldsMmapLockForRead(TaskStruct task) =>
        MmapLock.Owner != task && Machine.Lockdep.IsHeld(MmapLock, task);

    /// <summary>
    /// The kernel's fault path for a faulting uaccess (<c>do_user_addr_fault()</c> from kernel mode):
    /// takes the mmap lock for read, resolves, releases. <c>0</c> when the access can be retried.
    /// </summary>
    internal int KernelFault(TaskStruct task, ulong va, bool write)
    {
        // A task that holds the mmap lock for write deadlocks here: lockdep reports and unwinds it.
        Machine.Lockdep.Acquire(MmapLock, shared: true, killable: false, "do_user_addr_fault");
        bool unlocked = false;
        int result = HandleFault(va, (write ? FaultFlags.Write : FaultFlags.None) | FaultFlags.AllowRetry | FaultFlags.Killable, task, ref unlocked);
        Machine.Lockdep.Release(MmapLock, shared: true, "do_user_addr_fault");
        return result;
    }

    /// <summary>
    /// <c>handle_mm_fault()</c>: zero page, fresh anonymous page, copy-on-write break, swap-in or
    /// page-cache page. <c>0</c>, <c>-EFAULT</c>, or <see cref="FaultRetry"/> with the mmap lock dropped.
    /// </summary>
    private int HandleMmFault(ulong va, bool write, TaskStruct? task, bool mayRetry)
    {
        ulong vpn = va >> pageShift;
        while (true)
        {
            Folio? folio;
            Page swapped;
            UserfaultfdCtx? userfault = null;
            lock (pageTableLock)
            {
                if (FindVma(va) is not { } vma || !vma.Permits(write))
                {
                    return -Errno.EFAULT;
                }

                var pte = pageTable.Lookup(vpn);
                if (pte is { IsPoisoned: true })
                {
                    // VM_FAULT_HWPOISON: -EHWPOISON, which the uaccess and GUP callers see as -EFAULT.
                    return -Errno.EFAULT;
                }

                if (pte is { IsPresent: true, Page: { } present })
                {
                    InstallForPresent(vpn, vma, pte, present, write);
                    return 0;
                }

                if (pte is { IsSwapped: true, Page: { } slot })
                {
                    swapped = slot;
                    folio = null;
                }
                else if (vma.File is null)
                {
                    if (Userfaultfd is not { } uffd || !uffd.IsRegistered(va))
                    {
                        InstallAnonymous(vpn, vma, write);
                        return 0;
                    }

                    // do_anonymous_page() on a range registered for missing faults: the monitor
                    // decides what the page holds (not even the zero page is mapped).
                    userfault = uffd;
                    folio = null;
                    swapped = null!;
                }
                else
                {
                    long index = (vma.FileOffset + (long)(va - vma.Start)) >> pageShift;
                    if (index << pageShift >= vma.File.Size)
                    {
                        // Beyond EOF: SIGBUS for the user, -EFAULT for the kernel.
                        return -Errno.EFAULT;
                    }

                    folio = vma.File.GetFolio(index);
                    swapped = null!;
                }
            }

            if (userfault is not null)
            {
                if (task is null)
                {
                    // The user program's own access: no kernel lock to drop; look again once woken.
                    userfault.WaitForMonitor(va, write, task: null);
                    continue;
                }

                // handle_userfault(): a fault that cannot drop the mmap lock cannot wait
                // (VM_FAULT_SIGBUS, -EFAULT for the kernel); one that can drops it, waits and retries.
                if (!mayRetry)
                {
                    return -Errno.EFAULT;
                }

                Scheduler.MightSleep("handle_userfault");
                Machine.Lockdep.Release(MmapLock, shared: true, "handle_userfault");
                userfault.WaitForMonitor(va, write, task);
                return FaultRetry;
            }

            if (folio is not null)
            {
                return FileFault(vpn, va, folio, write, task);
            }

            // do_swap_page(): reading the page back is I/O, so it sleeps; with FAULT_FLAG_ALLOW_RETRY
            // the mmap lock is dropped for the wait and the fault retried.
            if (task is not null)
            {
                Scheduler.MightSleep("swap_read_folio");
            }

            if (mayRetry)
            {
                Machine.Lockdep.Release(MmapLock, shared: true, "do_swap_page");
                SwapIn(vpn, swapped);
                return FaultRetry;
            }

            SwapIn(vpn, swapped);
        }
    }

    private void SwapIn(ulong vpn, Page slot)
    {
        SwapInIoHook?.Invoke();
        Thread.Yield();
        lock (pageTableLock)
        {
            var pte = pageTable.Lookup(vpn);
            if (pte is { IsSwapped: true } && pte.Page == slot && FindVma(vpn << pageShift) is { } vma)
            {
                pageTable.Set(vpn, new Pte(slot, FlagsFor(vma, writable: true)));
            }
        }
    }

    // A present page that does not allow the access: a permission upgrade after mprotect, the reuse
    // of an exclusive anonymous page, or a copy-on-write break (do_wp_page()).
    private void InstallForPresent(ulong vpn, Vma vma, Pte pte, Page page, bool write)
    {
        if (!write)
        {
            bool writable = (pte.Flags & PteFlags.Write) != 0;
            pageTable.Set(vpn, new Pte(page, FlagsFor(vma, writable)));
            return;
        }

        bool reuse = page.Kind == PageKind.Anon || (page.Kind == PageKind.PageCache && vma.IsShared);
        if (reuse)
        {
            pageTable.Set(vpn, new Pte(page, FlagsFor(vma, writable: true)));
            return;
        }

        var copy = page.Kind == PageKind.Zero ? new Page(pageSize, PageKind.Anon) : page.CopyForWrite();
        pageTable.Set(vpn, new Pte(copy, FlagsFor(vma, writable: true)));
    }

    // do_anonymous_page(): a read of a private page maps the shared zero page read-only.
    private void InstallAnonymous(ulong vpn, Vma vma, bool write)
    {
        if (!write && !vma.IsShared)
        {
            pageTable.Set(vpn, new Pte(ZeroPage, FlagsFor(vma, writable: false)));
            return;
        }

        pageTable.Set(vpn, new Pte(new Page(pageSize, PageKind.Anon), FlagsFor(vma, writable: true)));
    }

    // filemap_fault(): the folio is locked while it is mapped; a task that already holds that folio
    // lock deadlocks here, which lockdep reports (the buffered-write-from-the-same-file bug).
    private int FileFault(ulong vpn, ulong va, Folio folio, bool write, TaskStruct? task)
    {
        if (task is not null)
        {
            Scheduler.MightSleep("filemap_fault");
            Machine.Lockdep.Acquire(folio.Lock, shared: false, killable: false, "filemap_fault");
        }

        int result = 0;
        lock (pageTableLock)
        {
            if (FindVma(va) is not { } vma || !vma.Permits(write))
            {
                result = -Errno.EFAULT;
            }
            else if (pageTable.Lookup(vpn) is not { IsPresent: true })
            {
                if (vma.IsShared)
                {
                    pageTable.Set(vpn, new Pte(folio.Page, FlagsFor(vma, writable: true)));
                }
                else if (write)
                {
                    pageTable.Set(vpn, new Pte(folio.Page.CopyForWrite(), FlagsFor(vma, writable: true)));
                }
                else
                {
                    pageTable.Set(vpn, new Pte(folio.Page, FlagsFor(vma, writable: false)));
                }
            }
        }

        if (task is not null)
        {
            Machine.Lockdep.Release(folio.Lock, shared: false, "filemap_fault");
        }

        return result;
    }
}
