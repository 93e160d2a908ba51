// Held out: user accesses under the wrong lock, or with the wrong lock missing, in mm/ and fs/, each before and
// after the kernel's own fix, and current correct code from mm/ doing the same things right:
// - fs/proc/task_mmu.c pagemap_read(): the page-table walk of another task's mm without its mmap_sem (the
//   callbacks put_user() each entry into the reader's pinned buffer), before d82ef020cf31 "proc: pagemap:
//   Hold mmap_sem during page walk" (KAMEZAWA Hiroyuki, v2.6.34), and the double-buffered version after it;
// - fs/xfs/xfs_fsmap.c xfs_getfsmap_rtdev_rtbitmap_query(): GETFSMAP records copy_to_user()ed from the query
//   callback with the realtime bitmap inode's ILOCK held, before 8ffa90e1145c "xfs: fix deadlock and
//   streamline xfs_getfsmap performance" (Darrick J. Wong, v5.10), and after it, with the v5.10
//   xfs_ioc_getfsmap() that copies the kernel array out once the locks are gone;
// - mm/memory.c get_user_pages(): the page loop over the caller's range that only an OOM victim could leave,
//   before 4779280d1ea4 "mm: make get_user_pages() interruptible" (v2.6.28), and after it;
// - mm/userfaultfd.c __mcopy_atomic() and mcopy_atomic_pte(), v5.13 (UFFDIO_COPY): the source page copied with
//   page faults disabled under the mmap lock, and copied again with faults enabled after dropping it, a
//   fatal-signal check every page: correct.
// Page tables, VMAs, the rt bitmap scan, the page cache and the memcg charge are stubs; the user pointers, the
// copies, the locks and the control flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.MmFsKernel;

/// <summary>struct pagemapread before d82ef020cf31: where the next entry goes in the reader's buffer, and its end.</summary>
public sealed class PagemapRead
{
    public UserPtr Out;
    public UserPtr End;
}

/// <summary>struct pagemapread after d82ef020cf31: a kernel buffer of pm.len entries and the next free slot.</summary>
public sealed class PagemapReadBuffered
{
    public int Pos;
    public int Len;
    public byte[]? Buffer;
}

public static class ProcPagemap
{
    private const int PAGE_SIZE = 4096;
    private const int PAGE_SHIFT = 12;
    private const ulong PAGE_MASK = ~(ulong)(PAGE_SIZE - 1);
    private const int PM_ENTRY_BYTES = 8;
    private const int PM_END_OF_BUFFER = 1;
    private const ulong PMD_SIZE = 1UL << 21;
    private const ulong PAGEMAP_WALK_SIZE = PMD_SIZE;
    private const ulong PAGEMAP_WALK_MASK = ~(PMD_SIZE - 1);
    private const int ESRCH = 3;
    private const int EACCES = 13;

    // fs/proc/task_mmu.c, pagemap_read(), v2.6.33, as the v2.6.26 text reads with the later walk API
    // (a local struct mm_walk, walk_page_range(start, end, &walk)) that the 2009 linux-mm patches against it
    // show; the v2.6.33 file itself was not at hand, so the lines around the walk may differ. Buggy: the reader's buffer is pinned with get_user_pages()
    // under its own mmap_sem, and then walk_page_range() walks the target's page tables and VMAs with no lock
    // on the target mm at all (its callbacks put_user() each entry through add_to_pagemap()). d82ef020cf31:
    // "In initial design, walk_page_range() was designed just for walking page table and it didn't require
    // mmap_sem. Now, find_vma() etc.. are used in walk_page_range() and we need mmap_sem around it." The lock
    // could not simply be added around the walk: "This will introduce 'put_user under mmap_sem' which is
    // deadlockable" (Alexey Dobriyan on Martin Schwidefsky's 2009 patch), hence the double buffering of the fix.
    public static long PagemapReadV2633(TaskStruct? task, UserPtr buf, long count, ref long ppos)
    {
        Helpers.Page?[]? pages;
        Helpers.Page? page;
        ulong uaddr, uend;
        Mm? mm;
        var pm = new PagemapRead();
        int pagecount;
        long ret = -ESRCH;
        var pagemapWalk = new Helpers.MmWalk();
        ulong src;
        ulong svpfn;
        ulong startVaddr;
        ulong endVaddr;

        if (task == null)
            goto out_;

        ret = -EACCES;
        if (!Helpers.PtraceMayAccess(task))
            goto out_task;

        ret = -EINVAL;
        /* file position must be aligned */
        if ((ppos % PM_ENTRY_BYTES) != 0)
            goto out_task;

        ret = 0;
        mm = GetTaskMm(task);
        if (mm == null)
            goto out_task;

        ret = -ENOMEM;
        uaddr = buf.Address & PAGE_MASK;
        uend = buf.Address + (ulong)count;
        pagecount = (int)((Helpers.PageAlign(uend) - uaddr) / PAGE_SIZE);
        pages = Helpers.KmallocPages(pagecount);
        if (pages == null)
            goto out_mm;

        MmapReadLock(Current.Mm);
        ret = Helpers.GetUserPages(Current.Mm, new UserPtr(uaddr), pagecount, pages);
        MmapReadUnlock(Current.Mm);

        if (ret < 0)
            goto out_free;

        if (ret != pagecount)
        {
            pagecount = (int)ret;
            ret = -EFAULT;
            goto out_pages;
        }

        pm.Out = buf;
        pm.End = buf + count;

        /* pagemap_walk.pmd_entry = pagemap_pte_range; .pte_hole = pagemap_pte_hole; .hugetlb_entry = ... */
        pagemapWalk.Mm = mm;
        pagemapWalk.Private = pm;

        src = (ulong)ppos;
        svpfn = src / PM_ENTRY_BYTES;
        startVaddr = svpfn << PAGE_SHIFT;
        endVaddr = Helpers.TaskSizeOf(task);

        /* watch out for wraparound */
        if (svpfn > Helpers.TaskSizeOf(task) >> PAGE_SHIFT)
            startVaddr = endVaddr;

        /*
         * The odds are that this will stop walking way
         * before end_vaddr, because the length of the
         * user buffer is tracked in "pm", and the walk
         * will stop when we hit the end of the buffer.
         */
        ret = Helpers.WalkPageRange(mm, startVaddr, endVaddr, pagemapWalk); // expect: UA2003
        if (ret == PM_END_OF_BUFFER)
            ret = 0;
        /* don't need mmap_sem for these, but this looks cleaner */
        ppos += (long)(pm.Out.Address - buf.Address);
        if (ret == 0)
            ret = (long)(pm.Out.Address - buf.Address);

    out_pages:
        for (; pagecount != 0; pagecount--)
        {
            page = pages[pagecount - 1];
            /* if (!PageReserved(page)) SetPageDirty(page); */
            Helpers.PageCacheRelease(page);
        }
    out_free:
        /* kfree(pages) */
    out_mm:
        Mmput(mm);
    out_task:
        Helpers.PutTaskStruct(task);
    out_:
        return ret;
    }

    // fs/proc/task_mmu.c, pagemap_read(), a v3.0-era tree (mm_for_maps() returning an ERR_PTR, before
    // mm_access()), after d82ef020cf31 (v2.6.34): the walk fills a kernel buffer of one PMD's worth of entries
    // under the target's mmap_sem, and copy_to_user() runs after up_read(). Correct as to the walk and the copy.
    // Buggy as to the wait: it is a reader of another task's mm waiting in D state behind its mmap_sem, which
    // the 2019 series made killable ("proc: use down_read_killable mmap_sem for /proc/pid/pagemap",
    // Konstantin Khlebnikov: "Do not remain stuck forever if something goes wrong").
    public static long PagemapRead(TaskStruct? task, UserPtr buf, long count, ref long ppos)
    {
        Mm? mm;
        var pm = new PagemapReadBuffered();
        long ret = -ESRCH;
        var pagemapWalk = new Helpers.MmWalk();
        ulong src;
        ulong svpfn;
        ulong startVaddr;
        ulong endVaddr;
        long copied = 0;

        if (task == null)
            goto out_;

        mm = Helpers.MmForMaps(task);
        ret = -EACCES; /* PTR_ERR(mm) */
        if (mm == null)
            goto out_task;

        ret = -EINVAL;
        /* file position must be aligned */
        if ((ppos % PM_ENTRY_BYTES) != 0 || (count % PM_ENTRY_BYTES) != 0)
            goto out_task;

        ret = 0;

        if (count == 0)
            goto out_task;

        pm.Len = PM_ENTRY_BYTES * (int)(PAGEMAP_WALK_SIZE >> PAGE_SHIFT);
        pm.Buffer = Helpers.KmallocOrNull(pm.Len); /* GFP_TEMPORARY */
        ret = -ENOMEM;
        if (pm.Buffer == null)
            goto out_mm;

        /* pagemap_walk.pmd_entry = pagemap_pte_range; .pte_hole = pagemap_pte_hole; .hugetlb_entry = ... */
        pagemapWalk.Mm = mm;
        pagemapWalk.Private = pm;

        src = (ulong)ppos;
        svpfn = src / PM_ENTRY_BYTES;
        startVaddr = svpfn << PAGE_SHIFT;
        endVaddr = Helpers.TaskSizeOf(task);

        /* watch out for wraparound */
        if (svpfn > Helpers.TaskSizeOf(task) >> PAGE_SHIFT)
            startVaddr = endVaddr;

        /*
         * The odds are that this will stop walking way
         * before end_vaddr, because the length of the
         * user buffer is tracked in "pm", and the walk
         * will stop when we hit the end of the buffer.
         */
        ret = 0;
        while (count != 0 && (startVaddr < endVaddr))
        {
            long len;
            ulong end;

            pm.Pos = 0;
            end = (startVaddr + PAGEMAP_WALK_SIZE) & PAGEMAP_WALK_MASK;
            /* overflow ? */
            if (end < startVaddr || end > endVaddr)
                end = endVaddr;
            MmapReadLock(mm); // expect: UA2001
            ret = Helpers.WalkPageRangeBuffered(mm, startVaddr, end, pagemapWalk);
            MmapReadUnlock(mm);
            startVaddr = end;

            len = Math.Min(count, (long)PM_ENTRY_BYTES * pm.Pos);
            if (CopyToUser(buf, pm.Buffer.AsSpan(0, (int)len)) != 0)
            {
                ret = -EFAULT;
                goto out_free;
            }
            copied += len;
            buf += len;
            count -= len;
        }
        ppos += copied;
        if (ret == 0 || ret == PM_END_OF_BUFFER)
            ret = copied;

    out_free:
        /* kfree(pm.buffer) */
    out_mm:
        Mmput(mm);
    out_task:
        Helpers.PutTaskStruct(task);
    out_:
        return ret;
    }
}

public static class MmGup
{
    private const int PAGE_SIZE = 4096;
    private const ulong PAGE_MASK = ~(ulong)(PAGE_SIZE - 1);
    private const uint VM_READ = 0x1, VM_WRITE = 0x2, VM_MAYREAD = 0x10, VM_MAYWRITE = 0x20;
    private const uint VM_IO = 0x4000, VM_PFNMAP = 0x400;
    private const uint FOLL_WRITE = 0x01, FOLL_TOUCH = 0x02, FOLL_GET = 0x04, FOLL_ANON = 0x08;
    private const int VM_FAULT_OOM = 0x0001, VM_FAULT_SIGBUS = 0x0002, VM_FAULT_MAJOR = 0x0004, VM_FAULT_WRITE = 0x0008;
    private const int VM_FAULT_ERROR = VM_FAULT_OOM | VM_FAULT_SIGBUS;
    private const int GUP_FLAGS_WRITE = 0x1, GUP_FLAGS_FORCE = 0x2, GUP_FLAGS_IGNORE_VMA_PERMISSIONS = 0x4;
    private const int ERESTARTSYS = 512;

    // mm/memory.c, get_user_pages(), v2.6.27 (follow_page(), handle_mm_fault() and the gate-area page-table
    // lookup are stubs). Buggy: the page loop faults in one page of the caller's range per round, for as many
    // pages as the caller asked, and only an OOM victim (TIF_MEMDIE) leaves early. 4779280d1ea4 "mm: make
    // get_user_pages() interruptible" (Ying Han, Paul Menage, v2.6.28): "The process can try to
    // get_user_pages() unlimited memory even if a user process has sent a SIGKILL to it ... In the old
    // implementation, the SIGKILL won't be handled until the get_user_pages() returns."
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static int GetUserPagesV2627(TaskStruct tsk, Mm mm, ulong start, int len, int write, int force,
        Helpers.Page?[]? pages, Helpers.Vma?[]? vmas)
    {
        int i;
        uint vmFlags;

        if (len <= 0)
            return 0;
        /*
         * Require read or write permissions.
         * If 'force' is set, we only require the "MAY" flags.
         */
        vmFlags = write != 0 ? (VM_WRITE | VM_MAYWRITE) : (VM_READ | VM_MAYREAD);
        vmFlags &= force != 0 ? (VM_MAYREAD | VM_MAYWRITE) : (VM_READ | VM_WRITE);
        i = 0;

        do
        {
            Helpers.Vma? vma;
            uint follFlags;

            vma = Helpers.FindExtendVma(mm, start);
            if (vma == null && Helpers.InGateArea(tsk, start))
            {
                ulong pg = start & PAGE_MASK;
                Helpers.Vma gateVma = Helpers.GetGateVma(tsk);

                if (write != 0) /* user gate pages are read-only */
                    return i != 0 ? i : -EFAULT;
                /* pgd_offset_k() / pgd_offset_gate(), pud, pmd, pte_offset_map() of pg */
                if (!Helpers.GatePtePresent(mm, pg))
                    return i != 0 ? i : -EFAULT;
                if (pages != null)
                {
                    Helpers.Page? gatePage = Helpers.VmNormalPage(gateVma, start);
                    pages[i] = gatePage;
                    if (gatePage != null)
                        Helpers.GetPage(gatePage);
                }
                /* pte_unmap(pte) */
                if (vmas != null)
                    vmas[i] = gateVma;
                i++;
                start += PAGE_SIZE;
                len--;
                continue;
            }

            if (vma == null || (vma.VmFlags & (VM_IO | VM_PFNMAP)) != 0
                    || (vmFlags & vma.VmFlags) == 0)
                return i != 0 ? i : -EFAULT;

            if (vma.Hugetlb)
            {
                i = Helpers.FollowHugetlbPage(mm, vma, pages, vmas, ref start, ref len, i, write);
                continue;
            }

            follFlags = FOLL_TOUCH;
            if (pages != null)
                follFlags |= FOLL_GET;
            if (write == 0 && Helpers.UseZeroPage(vma))
                follFlags |= FOLL_ANON;

            do // expect: UA4003
            {
                Helpers.Page? page;

                /*
                 * If tsk is ooming, cut off its access to large memory
                 * allocations. It has a pending SIGKILL, but it can't
                 * be processed until returning to user space.
                 */
                if (Helpers.TestTskThreadFlagMemdie(tsk))
                    return i != 0 ? i : -ENOMEM;

                if (write != 0)
                    follFlags |= FOLL_WRITE;

                CondResched();
                while ((page = Helpers.FollowPage(vma, start, follFlags)) == null)
                {
                    int ret;
                    ret = Helpers.HandleMmFault(mm, vma, start, (follFlags & FOLL_WRITE) != 0);
                    if ((ret & VM_FAULT_ERROR) != 0)
                    {
                        if ((ret & VM_FAULT_OOM) != 0)
                            return i != 0 ? i : -ENOMEM;
                        else if ((ret & VM_FAULT_SIGBUS) != 0)
                            return i != 0 ? i : -EFAULT;
                        Helpers.BugOn(true);
                    }
                    /* tsk->maj_flt++ or tsk->min_flt++ */

                    /*
                     * The VM_FAULT_WRITE bit tells us that
                     * do_wp_page has broken COW when necessary,
                     * even if maybe_mkwrite decided not to set
                     * pte_write. We can thus safely do subsequent
                     * page lookups as if they were reads. But only
                     * do so when looping for pte_write is futile:
                     * in some cases userspace may also be wanting
                     * to write to the gotten user page, which a
                     * read fault here might prevent (a readonly
                     * page might get reCOWed by userspace write).
                     */
                    if ((ret & VM_FAULT_WRITE) != 0 &&
                        (vma.VmFlags & VM_WRITE) == 0)
                        follFlags &= ~FOLL_WRITE;

                    CondResched();
                }
                if (Helpers.IsErr(page))
                    return i != 0 ? i : Helpers.PtrErr(page);
                if (pages != null)
                {
                    pages[i] = page;

                    /* flush_anon_page(vma, page, start); flush_dcache_page(page); */
                }
                if (vmas != null)
                    vmas[i] = vma;
                i++;
                start += PAGE_SIZE;
                len--;
            } while (len != 0 && start < vma.VmEnd);
        } while (len != 0);
        return i;
    }

    // mm/memory.c, __get_user_pages(), as 4779280d1ea4 left it (v2.6.28 merge window, with the GUP_FLAGS_*
    // of the mlock rework). Correct: a pending SIGKILL ends the page loop with the pages pinned so far or
    // -ERESTARTSYS ("If we have a pending SIGKILL, don't keep allocating memory").
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static int GetUserPages(TaskStruct tsk, Mm mm, ulong start, int len, int flags,
        Helpers.Page?[]? pages, Helpers.Vma?[]? vmas) // expect: none
    {
        int i;
        uint vmFlags = 0;
        int write = (flags & GUP_FLAGS_WRITE) != 0 ? 1 : 0;
        int force = (flags & GUP_FLAGS_FORCE) != 0 ? 1 : 0;
        int ignore = (flags & GUP_FLAGS_IGNORE_VMA_PERMISSIONS) != 0 ? 1 : 0;

        if (len <= 0)
            return 0;
        /*
         * Require read or write permissions.
         * If 'force' is set, we only require the "MAY" flags.
         */
        vmFlags = write != 0 ? (VM_WRITE | VM_MAYWRITE) : (VM_READ | VM_MAYREAD);
        vmFlags &= force != 0 ? (VM_MAYREAD | VM_MAYWRITE) : (VM_READ | VM_WRITE);
        i = 0;

        do
        {
            Helpers.Vma? vma;
            uint follFlags;

            vma = Helpers.FindExtendVma(mm, start);
            if (vma == null && Helpers.InGateArea(tsk, start))
            {
                ulong pg = start & PAGE_MASK;
                Helpers.Vma gateVma = Helpers.GetGateVma(tsk);

                /* user gate pages are read-only */
                if (ignore == 0 && write != 0)
                    return i != 0 ? i : -EFAULT;
                /* pgd_offset_k() / pgd_offset_gate(), pud, pmd, pte_offset_map() of pg */
                if (!Helpers.GatePtePresent(mm, pg))
                    return i != 0 ? i : -EFAULT;
                if (pages != null)
                {
                    Helpers.Page? gatePage = Helpers.VmNormalPage(gateVma, start);
                    pages[i] = gatePage;
                    if (gatePage != null)
                        Helpers.GetPage(gatePage);
                }
                /* pte_unmap(pte) */
                if (vmas != null)
                    vmas[i] = gateVma;
                i++;
                start += PAGE_SIZE;
                len--;
                continue;
            }

            if (vma == null ||
                (vma.VmFlags & (VM_IO | VM_PFNMAP)) != 0 ||
                (ignore == 0 && (vmFlags & vma.VmFlags) == 0))
                return i != 0 ? i : -EFAULT;

            if (vma.Hugetlb)
            {
                i = Helpers.FollowHugetlbPage(mm, vma, pages, vmas, ref start, ref len, i, write);
                continue;
            }

            follFlags = FOLL_TOUCH;
            if (pages != null)
                follFlags |= FOLL_GET;
            if (write == 0 && Helpers.UseZeroPage(vma))
                follFlags |= FOLL_ANON;

            do
            {
                Helpers.Page? page;

                /*
                 * If we have a pending SIGKILL, don't keep
                 * allocating memory.
                 */
                if (FatalSignalPending())
                    return i != 0 ? i : -ERESTARTSYS;

                if (write != 0)
                    follFlags |= FOLL_WRITE;

                CondResched();
                while ((page = Helpers.FollowPage(vma, start, follFlags)) == null)
                {
                    int ret;
                    ret = Helpers.HandleMmFault(mm, vma, start, (follFlags & FOLL_WRITE) != 0);
                    if ((ret & VM_FAULT_ERROR) != 0)
                    {
                        if ((ret & VM_FAULT_OOM) != 0)
                            return i != 0 ? i : -ENOMEM;
                        else if ((ret & VM_FAULT_SIGBUS) != 0)
                            return i != 0 ? i : -EFAULT;
                        Helpers.BugOn(true);
                    }
                    /* tsk->maj_flt++ or tsk->min_flt++ */

                    /*
                     * The VM_FAULT_WRITE bit tells us that
                     * do_wp_page has broken COW when necessary,
                     * even if maybe_mkwrite decided not to set
                     * pte_write. We can thus safely do subsequent
                     * page lookups as if they were reads. But only
                     * do so when looping for pte_write is futile:
                     * in some cases userspace may also be wanting
                     * to write to the gotten user page, which a
                     * read fault here might prevent (a readonly
                     * page might get reCOWed by userspace write).
                     */
                    if ((ret & VM_FAULT_WRITE) != 0 &&
                        (vma.VmFlags & VM_WRITE) == 0)
                        follFlags &= ~FOLL_WRITE;

                    CondResched();
                }
                if (Helpers.IsErr(page))
                    return i != 0 ? i : Helpers.PtrErr(page);
                if (pages != null)
                {
                    pages[i] = page;

                    /* flush_anon_page(vma, page, start); flush_dcache_page(page); */
                }
                if (vmas != null)
                    vmas[i] = vma;
                i++;
                start += PAGE_SIZE;
                len--;
            } while (len != 0 && start < vma.VmEnd);
        } while (len != 0);
        return i;
    }
}

/// <summary>struct xfs_inode, reduced to its ILOCK.</summary>
public sealed class XfsInode(RwSemaphore ilock)
{
    /// <summary>
    /// The inode's ILOCK. For the realtime bitmap inode (m_rbmip) the page-fault path takes it: a write fault
    /// on an mmap()ed sparse file on the realtime device allocates rt extents under it (8ffa90e1145c).
    /// </summary>
    [TakenInFaultPath]
    public RwSemaphore ILock = ilock;
}

/// <summary>struct xfs_mount, reduced to the rt bitmap inode and the rt extent size.</summary>
public sealed class XfsMount(XfsInode rbmip)
{
    public XfsInode MRbmip = rbmip;
    public ulong SbRextsize = 1;
    public ulong SbRextents;
}

/// <summary>struct xfs_trans, reduced to its mount.</summary>
public sealed class XfsTrans(XfsMount mountp)
{
    public XfsMount TMountp = mountp;
}

/// <summary>struct xfs_rtalloc_rec.</summary>
public sealed class XfsRtallocRec
{
    public ulong ArStartext;
    public ulong ArExtcount;
}

/// <summary>struct xfs_rmap_irec, reduced to the start block the query keys use.</summary>
public sealed class XfsRmapIrec
{
    public ulong RmStartblock;
}

/// <summary>
/// struct xfs_getfsmap_info, reduced to the query keys, the "last" flag, and where the formatter puts
/// records: the user's fmh_recs array before 8ffa90e1145c, a kernel array after it.
/// </summary>
public sealed class XfsGetfsmapInfo
{
    public XfsRmapIrec Low = new();
    public XfsRmapIrec High = new();
    public bool Last;
    public UserPtr UserRecs;
    public int Entries;
    public int Count;
    public byte[] KernelRecs = Array.Empty<byte>();
}

/// <summary>struct fsmap (64 bytes), as user space lays it out.</summary>
public struct Fsmap
{
    public uint FmrDevice;
    public uint FmrFlags;
    public ulong FmrPhysical;
    public ulong FmrOwner;
    public ulong FmrOffset;
    public ulong FmrLength;
    public ulong FmrReserved0, FmrReserved1, FmrReserved2;
}

/// <summary>struct fsmap_head (192 bytes), followed in user memory by fmh_count struct fsmap records.</summary>
public struct FsmapHead
{
    public uint FmhIflags;
    public uint FmhOflags;
    public uint FmhCount;
    public uint FmhEntries;
    public ulong FmhReserved0, FmhReserved1, FmhReserved2, FmhReserved3, FmhReserved4, FmhReserved5;
    public Fsmap FmhKey0;
    public Fsmap FmhKey1;
}

/// <summary>struct xfs_fsmap_head: the kernel's copy of the query, its keys and how many records it got.</summary>
public sealed class XfsFsmapHead
{
    public uint FmhIflags;
    public uint FmhOflags;
    public uint FmhCount;
    public uint FmhEntries;
    public Fsmap[] FmhKeys = new Fsmap[2];
}

public static class XfsFsmap
{
    private const int PAGE_SIZE = 4096;
    private const uint SIZEOF_FSMAP = 64;
    private const uint SIZEOF_FSMAP_HEAD = 192;
    private const uint FMR_OF_LAST = 0x20;
    private const int ECANCELED = 125;

    // fs/xfs/xfs_fsmap.c, xfs_getfsmap_rtdev_rtbitmap_query(), v5.9. Buggy: every free rt extent the rt bitmap
    // scan reports goes through xfs_getfsmap_helper() to the formatter, which copy_to_user()s the record,
    // with the rt bitmap inode's ILOCK held. 8ffa90e1145c: "The current code locks the rtbitmap to create
    // fsmappings and copies them into userspace, having not released the rtbitmap lock. If the userspace
    // buffer is an mmap of a sparse file that itself resides on the realtime device, the write page fault
    // will recurse into the fs for allocation, which will deadlock on the rtbitmap lock."
    public static int XfsGetfsmapRtdevRtbitmapQueryV59(XfsTrans tp, XfsGetfsmapInfo info)
    {
        var alow = new XfsRtallocRec();
        var ahigh = new XfsRtallocRec();
        int error;

        tp.TMountp.MRbmip.ILock.DownRead(); /* xfs_ilock(tp->t_mountp->m_rbmip, XFS_ILOCK_SHARED) */

        alow.ArStartext = info.Low.RmStartblock;
        ahigh.ArStartext = info.High.RmStartblock;
        Helpers.DoDiv(ref alow.ArStartext, tp.TMountp.SbRextsize);
        if (Helpers.DoDiv(ref ahigh.ArStartext, tp.TMountp.SbRextsize) != 0)
            ahigh.ArStartext++;
        error = Helpers.XfsRtallocQueryRange(tp, alow, ahigh, info); // expect: UA2002
        if (error != 0)
            goto err;

        /* Report any gaps at the end of the rtbitmap */
        info.Last = true;
        error = Helpers.XfsGetfsmapRtdevRtbitmapHelper(tp, ahigh, info); // expect: UA2002
        if (error != 0)
            goto err;
    err:
        tp.TMountp.MRbmip.ILock.UpRead(); /* xfs_iunlock(tp->t_mountp->m_rbmip, XFS_ILOCK_SHARED) */
        return error;
    }

    // fs/xfs/xfs_fsmap.c, xfs_getfsmap_rtdev_rtbitmap_query(), v5.10 (after 8ffa90e1145c). Correct: the same
    // query under the same lock, but the formatter now fills the kernel array xfs_ioc_getfsmap() allocated
    // ("create a shadow buffer in the kernel and copy the whole array once at the end"), which is copied to
    // the user's buffer after xfs_getfsmap() has released every lock.
    public static int XfsGetfsmapRtdevRtbitmapQuery(XfsTrans tp, XfsGetfsmapInfo info) // expect: none
    {
        var alow = new XfsRtallocRec();
        var ahigh = new XfsRtallocRec();
        int error;

        tp.TMountp.MRbmip.ILock.DownRead(); /* xfs_ilock(tp->t_mountp->m_rbmip, XFS_ILOCK_SHARED) */

        alow.ArStartext = info.Low.RmStartblock;
        ahigh.ArStartext = info.High.RmStartblock;
        Helpers.DoDiv(ref alow.ArStartext, tp.TMountp.SbRextsize);
        if (Helpers.DoDiv(ref ahigh.ArStartext, tp.TMountp.SbRextsize) != 0)
            ahigh.ArStartext++;
        error = Helpers.XfsRtallocQueryRangeKernel(tp, alow, ahigh, info);
        if (error != 0)
            goto err;

        /* Report any gaps at the end of the rtbitmap */
        info.Last = true;
        error = Helpers.XfsGetfsmapRtdevRtbitmapHelperKernel(tp, ahigh, info);
        if (error != 0)
            goto err;
    err:
        tp.TMountp.MRbmip.ILock.UpRead(); /* xfs_iunlock(tp->t_mountp->m_rbmip, XFS_ILOCK_SHARED) */
        return error;
    }

    // fs/xfs/xfs_ioctl.c, xfs_ioc_getfsmap(), v5.10 (after 8ffa90e1145c; xfs_getfsmap() is a stub that takes
    // and releases the AG and rt bitmap locks itself). Correct: every copy_to_user() runs with no lock held,
    // from the kernel array xfs_getfsmap() filled under them; a round copies at most 128k of records, and
    // xfs_getfsmap_helper() returns -EINTR for every record once a fatal signal is pending, which ends the loop
    // through the default case.
    public static int XfsIocGetfsmap(XfsMount mp, UserPtr<FsmapHead> arg) // expect: none
    {
        var xhead = new XfsFsmapHead();
        FsmapHead head;
        Fsmap[]? recs;
        uint count;
        uint lastFlags = 0;
        bool done = false;
        int error;

        if (CopyFromUser(out head, arg) != 0)
            return -EFAULT;
        if (Helpers.FsmapHeadReservedNonZero(head))
            return -EINVAL;

        /*
         * Use an internal memory buffer so that we don't have to copy fsmap
         * data to userspace while holding locks.  Start by trying to allocate
         * up to 128k for the buffer, but fall back to a single page if needed.
         */
        count = Math.Min(head.FmhCount, 131072 / SIZEOF_FSMAP);
        recs = Helpers.Kvcalloc(count);
        if (recs == null)
        {
            count = Math.Min(head.FmhCount, PAGE_SIZE / SIZEOF_FSMAP);
            recs = Helpers.Kvcalloc(count);
            if (recs == null)
                return -ENOMEM;
        }

        xhead.FmhIflags = head.FmhIflags;
        xhead.FmhKeys[0] = head.FmhKey0; /* xfs_fsmap_to_internal() */
        xhead.FmhKeys[1] = head.FmhKey1;

        head.FmhEntries = 0;
        do
        {
            UserPtr userRecs;
            Fsmap lastRec;

            userRecs = arg + SIZEOF_FSMAP_HEAD + head.FmhEntries * SIZEOF_FSMAP; /* &arg->fmh_recs[head.fmh_entries] */
            xhead.FmhEntries = 0;
            xhead.FmhCount = Math.Min(count, head.FmhCount - head.FmhEntries);

            /* Run query, record how many entries we got. */
            error = Helpers.XfsGetfsmap(mp, xhead, recs);
            switch (error)
            {
                case 0:
                    /*
                     * There are no more records in the result set.  Copy
                     * whatever we got to userspace and break out.
                     */
                    done = true;
                    break;
                case -ECANCELED:
                    /*
                     * The internal memory buffer is full.  Copy whatever
                     * records we got to userspace and go again if we have
                     * not yet filled the userspace buffer.
                     */
                    error = 0;
                    break;
                default:
                    goto out_free;
            }
            head.FmhEntries += xhead.FmhEntries;
            head.FmhOflags = xhead.FmhOflags;

            /*
             * If the caller wanted a record count or there aren't any
             * new records to return, we're done.
             */
            if (head.FmhCount == 0 || xhead.FmhEntries == 0)
                break;

            /* Copy all the records we got out to userspace. */
            if (CopyToUser(userRecs, System.Runtime.InteropServices.MemoryMarshal.AsBytes(recs.AsSpan(0, (int)xhead.FmhEntries))) != 0)
            {
                error = -EFAULT;
                goto out_free;
            }

            /* Remember the last record flags we copied to userspace. */
            lastRec = recs[xhead.FmhEntries - 1];
            lastFlags = lastRec.FmrFlags;

            /* Set up the low key for the next iteration. */
            xhead.FmhKeys[0] = lastRec; /* xfs_fsmap_to_internal() */
        } while (!done && head.FmhEntries < head.FmhCount);

        /*
         * If there are no more records in the query result set and we're not
         * in counting mode, mark the last record returned with the LAST flag.
         */
        if (done && head.FmhCount > 0 && head.FmhEntries > 0)
        {
            UserPtr userRec;

            lastFlags |= FMR_OF_LAST;
            userRec = arg + SIZEOF_FSMAP_HEAD + (head.FmhEntries - 1) * SIZEOF_FSMAP;

            if (CopyToUser((userRec + 4).Cast<uint>(), lastFlags) != 0) /* &user_rec->fmr_flags */
            {
                error = -EFAULT;
                goto out_free;
            }
        }

        /* copy back header */
        if (CopyToUser(arg, head) != 0)
        {
            error = -EFAULT;
            goto out_free;
        }

    out_free:
        /* kmem_free(recs) */
        return error;
    }
}

/// <summary>enum mcopy_atomic_mode.</summary>
public enum McopyAtomicMode
{
    Normal,
    Zeropage,
    Continue,
}

public static class UffdCopy
{
    private const int PAGE_SIZE = 4096;
    private const ulong PAGE_MASK = ~(ulong)(PAGE_SIZE - 1);
    private const ulong UFFDIO_COPY_MODE_WP = 1UL << 1;
    private const int ENOENT = 2;
    private const int EEXIST = 17;

    // mm/userfaultfd.c, mcopy_atomic_pte(), v5.13 (the page allocation, the memcg charge and the PTE install
    // are stubs). Correct: called with the destination mm's mmap lock held, it copies the source page from
    // the caller's memory with page faults disabled (kmap_atomic()), and on a fault returns -ENOENT with the
    // page so that __mcopy_atomic() copies it again after dropping the lock.
    [RequiresLock("dstMm.MmapLock", Shared = true)]
    public static int McopyAtomicPte(Mm dstMm, Helpers.Pmd dstPmd, Helpers.Vma dstVma, ulong dstAddr, ulong srcAddr,
        ref byte[]? pagep, bool wpCopy) // expect: none
    {
        int ret;
        byte[]? page;

        if (pagep == null)
        {
            ret = -ENOMEM;
            page = Helpers.AllocPageVma(dstVma, dstAddr);
            if (page == null)
                goto out_;

            PagefaultDisable(); /* kmap_atomic() */
            ret = CopyFromUser(page.AsSpan(0, PAGE_SIZE), new UserPtr(srcAddr));
            PagefaultEnable(); /* kunmap_atomic() */

            /* fallback to copy_from_user outside mmap_lock */
            if (ret != 0)
            {
                ret = -ENOENT;
                pagep = page;
                /* don't free the page */
                goto out_;
            }
        }
        else
        {
            page = pagep;
            pagep = null;
        }

        /*
         * The memory barrier inside __SetPageUptodate makes sure that
         * preceding stores to the page contents become visible before
         * the set_pte_at() write.
         */
        Helpers.SetPageUptodate(page);

        ret = -ENOMEM;
        if (Helpers.MemCgroupCharge(page, dstMm) != 0)
            goto out_release;

        ret = Helpers.MfillAtomicInstallPte(dstMm, dstPmd, dstVma, dstAddr, page, true, wpCopy);
        if (ret != 0)
            goto out_release;
    out_:
        return ret;
    out_release:
        Helpers.PutPage(page);
        goto out_;
    }

    // mm/userfaultfd.c, mfill_atomic_pte(), v5.13 (the UFFDIO_CONTINUE and shmem paths are stubs that
    // behave as mcopy_atomic_pte() does). Correct: dispatches with the mmap lock still held.
    [RequiresLock("dstMm.MmapLock", Shared = true)]
    public static int MfillAtomicPte(Mm dstMm, Helpers.Pmd dstPmd, Helpers.Vma dstVma, ulong dstAddr, ulong srcAddr,
        ref byte[]? page, McopyAtomicMode mode, bool wpCopy) // expect: none
    {
        int err;

        if (mode == McopyAtomicMode.Continue)
        {
            return Helpers.McontinueAtomicPte(dstMm, dstPmd, dstVma, dstAddr, wpCopy);
        }

        /*
         * The normal page fault path for a shmem will invoke the
         * fault, fill the hole in the file and COW it right away. The
         * result generates plain anonymous memory. So when we are
         * asked to fill an hole in a MAP_PRIVATE shmem mapping, we'll
         * generate anonymous memory directly without actually filling
         * the hole. For the MAP_PRIVATE case the robustness check
         * only happens in the pagetable (to verify it's still none)
         * and not in the radix tree.
         */
        if (!dstVma.Shared)
        {
            if (mode == McopyAtomicMode.Normal)
                err = McopyAtomicPte(dstMm, dstPmd, dstVma, dstAddr, srcAddr, ref page, wpCopy);
            else
                err = Helpers.MfillZeropagePte(dstMm, dstPmd, dstVma, dstAddr);
        }
        else
        {
            /* VM_WARN_ON_ONCE(wp_copy); */
            err = Helpers.ShmemMfillAtomicPte(dstMm, dstPmd, dstVma, dstAddr, srcAddr,
                mode != McopyAtomicMode.Normal, ref page);
        }

        return err;
    }

    // mm/userfaultfd.c, __mcopy_atomic(), v5.13 (UFFDIO_COPY, UFFDIO_ZEROPAGE, UFFDIO_CONTINUE; the VMA
    // checks and page-table allocation are stubs). Correct: the copy under the mmap lock never faults
    // (mfill_atomic_pte() returns -ENOENT instead), the faulting copy_from_user() runs after
    // mmap_read_unlock() and the walk starts over; every page copied is followed by a fatal-signal check, so
    // a large UFFDIO_COPY ends when the monitor is killed. The hugetlb path returns with the lock dropped.
    public static long McopyAtomic(Mm dstMm, ulong dstStart, ulong srcStart, ulong len, McopyAtomicMode mcopyMode,
        int[]? mmapChanging, ulong mode) // expect: none
    {
        Helpers.Vma? dstVma;
        long err;
        Helpers.Pmd? dstPmd;
        ulong srcAddr, dstAddr;
        long copied;
        byte[]? page;
        bool wpCopy;

        /*
         * Sanitize the command parameters:
         */
        Helpers.BugOn((dstStart & ~PAGE_MASK) != 0);
        Helpers.BugOn((len & ~PAGE_MASK) != 0);

        /* Does the address range wrap, or is the span zero-sized? */
        Helpers.BugOn(srcStart + len <= srcStart);
        Helpers.BugOn(dstStart + len <= dstStart);

        srcAddr = srcStart;
        dstAddr = dstStart;
        copied = 0;
        page = null;
    retry:
        MmapReadLock(dstMm);

        /*
         * If memory mappings are changing because of non-cooperative
         * operation (e.g. mremap) running in parallel, bail out and
         * request the user to retry later
         */
        err = -EAGAIN;
        if (mmapChanging != null && Helpers.AtomicRead(mmapChanging) != 0)
            goto out_unlock;

        /*
         * Make sure the vma is not shared, that the dst range is
         * both valid and fully within a single existing vma.
         */
        err = -ENOENT;
        dstVma = Helpers.FindDstVma(dstMm, dstStart, len);
        if (dstVma == null)
            goto out_unlock;

        err = -EINVAL;
        /*
         * shmem_zero_setup is invoked in mmap for MAP_ANONYMOUS|MAP_SHARED but
         * it will overwrite vm_ops, so vma_is_anonymous must return false.
         */
        if (dstVma.Anonymous && dstVma.Shared)
            goto out_unlock;

        /*
         * validate 'mode' now that we know the dst_vma: don't allow
         * a wrprotect copy if the userfaultfd didn't register as WP.
         */
        wpCopy = (mode & UFFDIO_COPY_MODE_WP) != 0;
        if (wpCopy && !dstVma.UffdWp)
            goto out_unlock;

        /*
         * If this is a HUGETLB vma, pass off to appropriate routine
         */
        if (dstVma.Hugetlb)
            return Helpers.McopyAtomicHugetlb(dstMm, dstVma, dstStart, srcStart, len, mcopyMode);

        if (!dstVma.Anonymous && !dstVma.Shmem)
            goto out_unlock;
        if (!dstVma.Shmem && mcopyMode == McopyAtomicMode.Continue)
            goto out_unlock;

        /*
         * Ensure the dst_vma has a anon_vma or this page
         * would get a NULL anon_vma when moved in the
         * dst_vma.
         */
        err = -ENOMEM;
        if (!dstVma.Shared && Helpers.AnonVmaPrepare(dstVma) != 0)
            goto out_unlock;

        while (srcAddr < srcStart + len)
        {
            Helpers.BugOn(dstAddr >= dstStart + len);

            dstPmd = Helpers.MmAllocPmd(dstMm, dstAddr);
            if (dstPmd == null)
            {
                err = -ENOMEM;
                break;
            }

            /*
             * If the dst_pmd is mapped as THP don't
             * override it and just be strict.
             */
            if (dstPmd.TransHuge)
            {
                err = -EEXIST;
                break;
            }
            if (dstPmd.None && Helpers.PteAlloc(dstMm, dstPmd) != 0)
            {
                err = -ENOMEM;
                break;
            }
            /* If an huge pmd materialized from under us fail */
            if (dstPmd.TransHuge)
            {
                err = -EFAULT;
                break;
            }

            err = MfillAtomicPte(dstMm, dstPmd, dstVma, dstAddr, srcAddr, ref page, mcopyMode, wpCopy);
            CondResched();

            if (err == -ENOENT)
            {
                MmapReadUnlock(dstMm);
                Helpers.BugOn(page == null);

                /* page_kaddr = kmap(page); */
                err = CopyFromUser(page!.AsSpan(0, PAGE_SIZE), new UserPtr(srcAddr));
                /* kunmap(page); */
                if (err != 0)
                {
                    err = -EFAULT;
                    goto out_;
                }
                goto retry;
            }
            else
                Helpers.BugOn(page != null);

            if (err == 0)
            {
                dstAddr += PAGE_SIZE;
                srcAddr += PAGE_SIZE;
                copied += PAGE_SIZE;

                if (FatalSignalPending())
                    err = -EINTR;
            }
            if (err != 0)
                break;
        }

    out_unlock:
        MmapReadUnlock(dstMm);
    out_:
        if (page != null)
            Helpers.PutPage(page);
        Helpers.BugOn(copied < 0);
        Helpers.BugOn(err > 0);
        Helpers.BugOn(copied == 0 && err == 0);
        return copied != 0 ? copied : err;
    }
}

public static class Helpers
{
    // ---- pagemap ----

    /// <summary>struct page.</summary>
    public sealed class Page
    {
    }

    /// <summary>struct mm_walk before v5.4: the callbacks (pagemap's put the entries), the mm, and the private data.</summary>
    public sealed class MmWalk
    {
        public Mm? Mm;
        public object? Private;
    }

    /// <summary>PAGE_ALIGN().</summary>
    public static ulong PageAlign(ulong addr) => (addr + 4095) & ~4095UL;

    /// <summary>kmalloc(pagecount * sizeof(struct page *), GFP_KERNEL): NULL when the allocation fails.</summary>
    [MightSleep]
    public static Page?[]? KmallocPages(int n) => n < 0 ? null : new Page?[n];

    /// <summary>kmalloc(): NULL when the allocation fails.</summary>
    [MightSleep]
    public static byte[]? KmallocOrNull(int size) => size < 0 ? null : new byte[size];

    /// <summary>ptrace_may_access(task, PTRACE_MODE_READ).</summary>
    public static bool PtraceMayAccess(TaskStruct task) => true;

    /// <summary>
    /// mm_for_maps(): the task's mm (get_task_mm()) if the reader may look at it, taken under the task's
    /// cred_guard_mutex; NULL or an ERR_PTR otherwise. Another task's mm.
    /// </summary>
    [RemoteMm]
    public static Mm? MmForMaps(TaskStruct task) => GetTaskMm(task);

    /// <summary>TASK_SIZE_OF(task).</summary>
    public static ulong TaskSizeOf(TaskStruct task) => 1UL << 47;

    /// <summary>put_task_struct().</summary>
    public static void PutTaskStruct(TaskStruct? task)
    {
    }

    /// <summary>
    /// get_user_pages(current, current->mm, start, npages, 1, 0, pages, NULL): pins the reader's buffer for
    /// writing; the number of pages pinned, or a negative errno. Needs the mm's mmap_sem.
    /// </summary>
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static long GetUserPages(Mm mm, UserPtr start, int npages, Page?[] pages)
    {
        for (int i = 0; i < npages && i < pages.Length; i++)
            pages[i] = new Page();
        return npages;
    }

    /// <summary>page_cache_release(): drops the pin.</summary>
    public static void PageCacheRelease(Page? page)
    {
    }

    /// <summary>
    /// walk_page_range(start, end, walk) of v2.6.33 on walk->mm (passed here as mm): find_vma() and the page
    /// tables of that mm, so its mmap_sem must be held. For pagemap, the callbacks pagemap_pte_range() and
    /// pagemap_pte_hole() put_user() one entry per page into pm->out (the reader's pinned buffer) through
    /// add_to_pagemap(), and stop with PM_END_OF_BUFFER at pm->end.
    /// </summary>
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static long WalkPageRange(Mm mm, ulong start, ulong end, MmWalk walk) => 0;

    /// <summary>
    /// walk_page_range(start, end, walk) after d82ef020cf31 on walk->mm (passed here as mm): the callbacks
    /// store one entry per page in pm->buffer, a kernel buffer, and stop with PM_END_OF_BUFFER when it is full.
    /// </summary>
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static long WalkPageRangeBuffered(Mm mm, ulong start, ulong end, MmWalk walk)
    {
        if (walk.Private is PagemapReadBuffered pm && pm.Buffer != null)
            pm.Pos = (int)Math.Min((end - start) >> 12, (ulong)(pm.Buffer.Length / 8));
        return 0;
    }

    // ---- get_user_pages ----

    /// <summary>An ERR_PTR() that follow_page() may return.</summary>
    public static readonly Page ErrPage = new();

    /// <summary>find_extend_vma(): the VMA containing start, the stack grown down to it if need be, or NULL. Needs mmap_sem.</summary>
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static Vma? FindExtendVma(Mm mm, ulong start) => new Vma();

    /// <summary>in_gate_area(tsk, addr): the vsyscall page.</summary>
    public static bool InGateArea(TaskStruct tsk, ulong addr) => false;

    /// <summary>get_gate_vma(tsk).</summary>
    public static Vma GetGateVma(TaskStruct tsk) => new Vma();

    /// <summary>The gate page's PTE is present (pmd_none() and pte_none() of the walk are false).</summary>
    public static bool GatePtePresent(Mm mm, ulong pg) => true;

    /// <summary>vm_normal_page().</summary>
    public static Page? VmNormalPage(Vma vma, ulong addr) => new Page();

    /// <summary>get_page().</summary>
    public static void GetPage(Page page)
    {
    }

    /// <summary>
    /// follow_hugetlb_page(): the same walk over a hugetlb VMA, advancing start and len; the new count of
    /// pages. Needs mmap_sem.
    /// </summary>
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static int FollowHugetlbPage(Mm mm, Vma vma, Page?[]? pages, Vma?[]? vmas, ref ulong start, ref int len, int i, int write)
    {
        start += 4096;
        len--;
        return i + 1;
    }

    /// <summary>use_zero_page(): the FOLL_ANON optimisation applies (no VM_LOCKED, VM_SHARED or -&gt;fault).</summary>
    public static bool UseZeroPage(Vma vma) => !vma.Shared;

    /// <summary>test_tsk_thread_flag(tsk, TIF_MEMDIE): the task was chosen by the OOM killer.</summary>
    public static bool TestTskThreadFlagMemdie(TaskStruct tsk) => false;

    /// <summary>follow_page(): the page mapped at address, NULL if it is not present (or not writable for FOLL_WRITE), or an ERR_PTR. Needs vma->vm_mm's mmap_sem.</summary>
    public static Page? FollowPage(Vma vma, ulong address, uint follFlags) => new Page();

    /// <summary>
    /// handle_mm_fault(mm, vma, address, write_access): faults the page in (allocating it, reading it from
    /// the file or swap, breaking COW); VM_FAULT_* flags. Called with mmap_sem held for read; it may sleep.
    /// </summary>
    [ResolvesFaults]
    [MightSleep]
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static int HandleMmFault(Mm mm, Vma vma, ulong address, bool writeAccess) => 0;

    /// <summary>IS_ERR().</summary>
    public static bool IsErr(Page? page) => ReferenceEquals(page, ErrPage);

    /// <summary>PTR_ERR().</summary>
    public static int PtrErr(Page? page) => -EFAULT;

    // ---- xfs ----

    /// <summary>do_div(n, base): n becomes the quotient; returns the remainder.</summary>
    public static ulong DoDiv(ref ulong n, ulong divisor)
    {
        ulong rem = n % divisor;
        n /= divisor;
        return rem;
    }

    /// <summary>
    /// xfs_rtalloc_query_range() with xfs_getfsmap_rtdev_rtbitmap_helper() as its callback: scans the rt bitmap
    /// (the caller holds the rt bitmap ILOCK) and calls the helper for each free extent; 0 or a negative errno.
    /// </summary>
    public static int XfsRtallocQueryRange(XfsTrans tp, XfsRtallocRec low, XfsRtallocRec high, XfsGetfsmapInfo info)
    {
        var rec = new XfsRtallocRec { ArStartext = low.ArStartext, ArExtcount = high.ArStartext - low.ArStartext };
        return XfsGetfsmapRtdevRtbitmapHelper(tp, rec, info);
    }

    /// <summary>
    /// xfs_getfsmap_rtdev_rtbitmap_helper() and xfs_getfsmap_helper() before 8ffa90e1145c: -EINTR if a fatal
    /// signal is pending, else the extent turned into an fsmap record and handed to info->formatter,
    /// xfs_getfsmap_format(), which copy_to_user()s it into the next slot of the user's fmh_recs array.
    /// </summary>
    public static int XfsGetfsmapRtdevRtbitmapHelper(XfsTrans tp, XfsRtallocRec rec, XfsGetfsmapInfo info)
    {
        var fm = new byte[64]; /* struct fsmap, converted from the rmap record */

        if (FatalSignalPending())
            return -EINTR;
        BitConverter.TryWriteBytes(fm, rec.ArStartext * tp.TMountp.SbRextsize);

        if (info.Entries >= info.Count)
            return -ECANCELED;
        if (CopyToUser(info.UserRecs + info.Entries * fm.Length, fm) != 0)
            return -EFAULT;
        info.Entries++;
        return 0;
    }

    /// <summary>xfs_rtalloc_query_range() with the v5.10 helper: the records go to the kernel array.</summary>
    public static int XfsRtallocQueryRangeKernel(XfsTrans tp, XfsRtallocRec low, XfsRtallocRec high, XfsGetfsmapInfo info)
    {
        var rec = new XfsRtallocRec { ArStartext = low.ArStartext, ArExtcount = high.ArStartext - low.ArStartext };
        return XfsGetfsmapRtdevRtbitmapHelperKernel(tp, rec, info);
    }

    /// <summary>
    /// xfs_getfsmap_rtdev_rtbitmap_helper() and xfs_getfsmap_helper() after 8ffa90e1145c: -EINTR if a fatal
    /// signal is pending, else the formatter, xfs_getfsmap_format(), copies the record into the kernel array
    /// xfs_ioc_getfsmap() allocated; -ECANCELED when that array is full.
    /// </summary>
    public static int XfsGetfsmapRtdevRtbitmapHelperKernel(XfsTrans tp, XfsRtallocRec rec, XfsGetfsmapInfo info)
    {
        const int size = 64;

        if (FatalSignalPending())
            return -EINTR;
        if (info.Entries >= info.Count || (info.Entries + 1) * size > info.KernelRecs.Length)
            return -ECANCELED;
        BitConverter.TryWriteBytes(info.KernelRecs.AsSpan(info.Entries * size, size), rec.ArStartext * tp.TMountp.SbRextsize);
        info.Entries++;
        return 0;
    }

    private const int ECANCELED = 125;

    /// <summary>memchr_inv() of fmh_reserved and of the keys' fmr_reserved: true if any reserved byte is set.</summary>
    public static bool FsmapHeadReservedNonZero(FsmapHead head) =>
        (head.FmhReserved0 | head.FmhReserved1 | head.FmhReserved2 | head.FmhReserved3 | head.FmhReserved4 | head.FmhReserved5 |
         head.FmhKey0.FmrReserved0 | head.FmhKey0.FmrReserved1 | head.FmhKey0.FmrReserved2 |
         head.FmhKey1.FmrReserved0 | head.FmhKey1.FmrReserved1 | head.FmhKey1.FmrReserved2) != 0;

    /// <summary>kvcalloc(count, sizeof(struct fsmap), GFP_KERNEL): NULL when the allocation fails.</summary>
    [MightSleep]
    public static Fsmap[]? Kvcalloc(uint count) => new Fsmap[count];

    /// <summary>
    /// xfs_getfsmap() after 8ffa90e1145c: for each device, takes the AGF buffers or the rt bitmap ILOCK, walks
    /// the rmap btree or the rt bitmap from the low key, and hands each record to xfs_getfsmap_helper(), which
    /// returns -EINTR when a fatal signal is pending and otherwise stores it in recs (-ECANCELED when
    /// head->fmh_count records are stored); releases every lock before it returns 0 or a negative errno.
    /// </summary>
    public static int XfsGetfsmap(XfsMount mp, XfsFsmapHead head, Fsmap[] recs)
    {
        ulong next = head.FmhKeys[0].FmrPhysical + head.FmhKeys[0].FmrLength;

        while (next < head.FmhKeys[1].FmrPhysical)
        {
            if (FatalSignalPending())
                return -EINTR;
            if (head.FmhEntries >= head.FmhCount || head.FmhEntries >= recs.Length)
                return -ECANCELED;
            recs[head.FmhEntries] = new Fsmap { FmrPhysical = next, FmrLength = 8 };
            head.FmhEntries++;
            next += 8;
        }
        return 0;
    }

    // ---- userfaultfd ----

    /// <summary>struct vm_area_struct, reduced to the flags get_user_pages() and __mcopy_atomic() test.</summary>
    public sealed class Vma
    {
        public uint VmFlags = 0x33;
        public ulong VmEnd = ulong.MaxValue;
        public bool Shared;
        public bool Anonymous = true;
        public bool Shmem;
        public bool Hugetlb;
        public bool UffdWp;
    }

    /// <summary>A pmd_t as __mcopy_atomic() reads it.</summary>
    public sealed class Pmd
    {
        public bool None = true;
        public bool TransHuge;
    }

    /// <summary>BUG_ON().</summary>
    public static void BugOn(bool condition)
    {
        if (condition)
            throw new InvalidOperationException("BUG");
    }

    /// <summary>atomic_read(mmap_changing).</summary>
    public static int AtomicRead(int[] v) => v[0];

    /// <summary>find_dst_vma(): the registered VMA covering the whole range, or NULL. Needs the mmap lock.</summary>
    [RequiresLock("dstMm.MmapLock", Shared = true)]
    public static Vma? FindDstVma(Mm dstMm, ulong dstStart, ulong len) => new Vma();

    /// <summary>anon_vma_prepare().</summary>
    public static int AnonVmaPrepare(Vma vma) => 0;

    /// <summary>mm_alloc_pmd(): NULL when a page-table level cannot be allocated.</summary>
    public static Pmd? MmAllocPmd(Mm mm, ulong address) => new Pmd();

    /// <summary>__pte_alloc().</summary>
    public static int PteAlloc(Mm mm, Pmd pmd)
    {
        pmd.None = false;
        return 0;
    }

    /// <summary>alloc_page_vma(GFP_HIGHUSER_MOVABLE, ...): NULL when the allocation fails.</summary>
    [MightSleep]
    public static byte[]? AllocPageVma(Vma vma, ulong addr) => new byte[4096];

    /// <summary>__SetPageUptodate().</summary>
    public static void SetPageUptodate(byte[] page)
    {
    }

    /// <summary>mem_cgroup_charge(page, dst_mm, GFP_KERNEL).</summary>
    public static int MemCgroupCharge(byte[] page, Mm mm) => 0;

    /// <summary>mfill_atomic_install_pte(): installs the PTE under the page-table spinlock; 0, -EEXIST or -EFAULT.</summary>
    public static int MfillAtomicInstallPte(Mm dstMm, Pmd dstPmd, Vma dstVma, ulong dstAddr, byte[] page,
        bool newlyAllocated, bool wpCopy) => 0;

    /// <summary>put_page().</summary>
    public static void PutPage(byte[] page)
    {
    }

    /// <summary>mcontinue_atomic_pte(): maps the page already in the shmem page cache; no user access.</summary>
    public static int McontinueAtomicPte(Mm dstMm, Pmd dstPmd, Vma dstVma, ulong dstAddr, bool wpCopy) => 0;

    /// <summary>mfill_zeropage_pte(): maps the zero page; no user access.</summary>
    public static int MfillZeropagePte(Mm dstMm, Pmd dstPmd, Vma dstVma, ulong dstAddr) => 0;

    /// <summary>
    /// shmem_mfill_atomic_pte(): as mcopy_atomic_pte(), the source page is copied with page faults disabled,
    /// and a fault returns -ENOENT with the page for the caller to fill after dropping the mmap lock.
    /// </summary>
    [RequiresLock("dstMm.MmapLock", Shared = true)]
    public static int ShmemMfillAtomicPte(Mm dstMm, Pmd dstPmd, Vma dstVma, ulong dstAddr, ulong srcAddr, bool zeropage,
        ref byte[]? pagep)
    {
        if (zeropage)
            return 0;
        if (pagep != null)
        {
            pagep = null;
            return 0;
        }
        var page = new byte[4096];
        PagefaultDisable();
        int ret = CopyFromUser(page.AsSpan(), new UserPtr(srcAddr));
        PagefaultEnable();
        if (ret != 0)
        {
            pagep = page;
            return -2; /* -ENOENT */
        }
        return 0;
    }

    /// <summary>
    /// __mcopy_atomic_hugetlb(): the same protocol for hugetlb VMAs; entered with the mmap lock held for
    /// read, and returns with it released.
    /// </summary>
    [Releases("dstMm.MmapLock", Shared = true)]
    public static long McopyAtomicHugetlb(Mm dstMm, Vma dstVma, ulong dstStart, ulong srcStart, ulong len,
        McopyAtomicMode mode)
    {
        MmapReadUnlock(dstMm);
        return -EINVAL;
    }
}
