// find_vma() walks the VMA tree of an mm and needs its mmap lock held for read (today it asserts it with
// mmap_assert_locked()). Davidlohr Bueso's 2014 series "call find_vma with the mmap_sem held" ("Performing vma
// lookups without taking the mm->mmap_sem is asking for trouble. While doing the search, the vma in question
// can be modified or even removed before returning to the caller") fixed arch code: mips
// process_fpemu_return() and octeon_flush_cache_sigtramp(), m68k sys_cacheflush(), arc show_faulting_vma(),
// blackfin's ptrace is_user_addr_valid() (v3.15); Jason Gunthorpe's 79bb5b7ee177 "RDMA/umem: Fix
// missing mmap_sem in get umem ODP" (v4.20) fixed the hugetlb check of ib_umem_odp_get(). find_vma() is a
// helper that states its contract; signals and cache flushes are stubs.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.FindVmaWithoutMmapLock;

public static class MipsTraps
{
    private const int SIGSEGV = 11;
    private const int SIGBUS = 7;
    private const int SEGV_MAPERR = 1;
    private const int SEGV_ACCERR = 2;
    private const int BUS_ADRERR = 2;

    // arch/mips/kernel/traps.c, process_fpemu_return(), v3.14. Buggy: the lookup that decides between
    // SEGV_ACCERR and SEGV_MAPERR walks current->mm's VMAs without the mmap lock.
    public static int ProcessFpemuReturnV314(Mm mm, int sig, UserPtr faultAddr)
    {
        if (sig == SIGSEGV || sig == SIGBUS)
        {
            int code;
            if (sig == SIGSEGV)
            {
                if (Helpers.FindVma(mm, faultAddr.Address) != null) // expect: UA2003
                    code = SEGV_ACCERR;
                else
                    code = SEGV_MAPERR;
            }
            else
            {
                code = BUS_ADRERR;
            }
            Helpers.ForceSigInfo(sig, code, faultAddr);
            return 1;
        }
        else if (sig != 0)
        {
            Helpers.ForceSigInfo(sig, 0, faultAddr);
            return 1;
        }
        else
        {
            return 0;
        }
    }

    // arch/mips/kernel/traps.c, process_fpemu_return(), v3.15 (after "mips: call find_vma with the
    // mmap_sem held"). Correct.
    public static int ProcessFpemuReturn(Mm mm, int sig, UserPtr faultAddr) // expect: none
    {
        if (sig == SIGSEGV || sig == SIGBUS)
        {
            int code;
            if (sig == SIGSEGV)
            {
                MmapReadLock(mm);
                if (Helpers.FindVma(mm, faultAddr.Address) != null)
                    code = SEGV_ACCERR;
                else
                    code = SEGV_MAPERR;
                MmapReadUnlock(mm);
            }
            else
            {
                code = BUS_ADRERR;
            }
            Helpers.ForceSigInfo(sig, code, faultAddr);
            return 1;
        }
        else if (sig != 0)
        {
            Helpers.ForceSigInfo(sig, 0, faultAddr);
            return 1;
        }
        else
        {
            return 0;
        }
    }
}

public static class M68kCacheflush
{
    private const int FLUSH_SCOPE_LINE = 1;
    private const int FLUSH_SCOPE_ALL = 3;
    private const int FLUSH_CACHE_BOTH = 3;

    // arch/m68k/kernel/sys_m68k.c, sys_cacheflush(), v3.14 (the cache operations are a stub). Buggy: the
    // check that the range belongs to the caller looks the VMA up without the mmap lock.
    public static int SysCacheflushV314(Mm mm, ulong addr, int scope, int cache, ulong len, bool capable)
    {
        Helpers.Vma? vma;
        int ret = -EINVAL;

        if (scope < FLUSH_SCOPE_LINE || scope > FLUSH_SCOPE_ALL ||
            (cache & ~FLUSH_CACHE_BOTH) != 0)
            goto out_;

        if (scope == FLUSH_SCOPE_ALL)
        {
            /* Only the superuser may explicitly flush the whole cache. */
            ret = -EPERM;
            if (!capable)
                goto out_;
        }
        else
        {
            /*
             * Verify that the specified address region actually belongs
             * to this process.
             */
            vma = Helpers.FindVma(mm, addr); // expect: UA2003
            ret = -EINVAL;
            /* Check for overflow.  */
            if (addr + len < addr)
                goto out_;
            if (vma == null || addr < vma.Start || addr + len > vma.End)
                goto out_;
        }

        ret = Helpers.CacheFlush(addr, scope, cache, len);
    out_:
        return ret;
    }

    // arch/m68k/kernel/sys_m68k.c, sys_cacheflush(), v3.15 (after "m68k: call find_vma with the mmap_sem
    // held in sys_cacheflush()"). Correct: the lookup and the flush run under the read lock, released on
    // every exit.
    public static int SysCacheflush(Mm mm, ulong addr, int scope, int cache, ulong len, bool capable) // expect: none
    {
        Helpers.Vma? vma;
        int ret = -EINVAL;

        MmapReadLock(mm);
        if (scope < FLUSH_SCOPE_LINE || scope > FLUSH_SCOPE_ALL ||
            (cache & ~FLUSH_CACHE_BOTH) != 0)
            goto out_unlock;

        if (scope == FLUSH_SCOPE_ALL)
        {
            /* Only the superuser may explicitly flush the whole cache. */
            ret = -EPERM;
            if (!capable)
                goto out_unlock;
        }
        else
        {
            /*
             * Verify that the specified address region actually belongs
             * to this process.
             */
            vma = Helpers.FindVma(mm, addr);
            ret = -EINVAL;
            /* Check for overflow.  */
            if (addr + len < addr)
                goto out_unlock;
            if (vma == null || addr < vma.Start || addr + len > vma.End)
                goto out_unlock;
        }

        ret = Helpers.CacheFlush(addr, scope, cache, len);
    out_unlock:
        MmapReadUnlock(mm);
        return ret;
    }
}

public static class UmemOdp
{
    // drivers/infiniband/core/umem_odp.c, ib_umem_odp_get(), v4.19, the IB_ACCESS_HUGETLB check (the
    // interval-tree setup is not translated). Buggy: find_vma() on the registering process's mm without
    // its mmap lock.
    public static int IbUmemOdpGetHugetlbV419(Mm mm, Helpers.Umem umem, bool accessHugetlb)
    {
        if (accessHugetlb)
        {
            Helpers.Vma? vma;

            vma = Helpers.FindVma(mm, umem.Start); // expect: UA2003
            if (vma == null || !vma.Hugetlb)
                return -EINVAL;
            umem.PageShift = vma.PageShift;
            umem.Hugetlb = true;
        }
        else
        {
            umem.Hugetlb = false;
        }

        return 0;
    }

    // drivers/infiniband/core/umem_odp.c, ib_umem_odp_get(), v4.20 (after 79bb5b7ee177). Correct: the
    // lookup holds the read lock and both exits release it.
    public static int IbUmemOdpGetHugetlb(Mm mm, Helpers.Umem umem, bool accessHugetlb) // expect: none
    {
        if (accessHugetlb)
        {
            Helpers.Vma? vma;

            MmapReadLock(mm);
            vma = Helpers.FindVma(mm, umem.Start);
            if (vma == null || !vma.Hugetlb)
            {
                MmapReadUnlock(mm);
                return -EINVAL;
            }
            umem.PageShift = vma.PageShift;
            MmapReadUnlock(mm);
            umem.Hugetlb = true;
        }
        else
        {
            umem.Hugetlb = false;
        }

        return 0;
    }
}

public static class MoreArch
{
    private const int EIO = 5;

    // arch/mips/mm/c-octeon.c, octeon_flush_cache_sigtramp(), v3.14. Buggy: the VMA whose icache is flushed
    // on every core is looked up without the mmap lock.
    public static void OcteonFlushCacheSigtrampV314(Mm mm, ulong addr)
    {
        Helpers.Vma? vma;

        vma = Helpers.FindVma(mm, addr); // expect: UA2003
        Helpers.OcteonFlushIcacheAllCores(vma);
    }

    // arch/mips/mm/c-octeon.c, octeon_flush_cache_sigtramp(), v3.15. Correct.
    public static void OcteonFlushCacheSigtramp(Mm mm, ulong addr) // expect: none
    {
        Helpers.Vma? vma;

        MmapReadLock(mm);
        vma = Helpers.FindVma(mm, addr);
        Helpers.OcteonFlushIcacheAllCores(vma);
        MmapReadUnlock(mm);
    }

    // arch/arc/kernel/troubleshoot.c, show_faulting_vma(), v3.14 (the printing is a stub). Buggy: the
    // fault report walks the active mm's VMAs without its mmap lock.
    public static void ShowFaultingVmaV314(Mm activeMm, ulong address)
    {
        Helpers.Vma? vma;

        /* can't use print_vma_addr() yet as it doesn't check for
         * non-inclusive vma
         */
        vma = Helpers.FindVma(activeMm, address); // expect: UA2003

        /* check against the find_vma( ) behaviour which returns the next VMA
         * if the container VMA is not found
         */
        if (vma != null && vma.Start <= address)
            Helpers.PrintVma(vma, address);
        else
            Helpers.PrintVma(null, address);
    }

    // arch/blackfin/kernel/ptrace.c, is_user_addr_valid(), v3.14 (the SRAM and fixed-code ranges are a
    // stub). Buggy: PEEK/POKE of a traced child check its address against the child's VMAs without the
    // child's mmap lock.
    public static int IsUserAddrValidV314(Mm childMm, ulong start, ulong len)
    {
        Helpers.Vma? vma;

        /* overflow */
        if (start + len < start)
            return -EIO;

        vma = Helpers.FindVma(childMm, start); // expect: UA2003
        if (vma != null && start >= vma.Start && start + len <= vma.End)
            return 0;

        if (Helpers.InSramOrFixedCode(start, len))
            return 0;

        return -EIO;
    }

    // arch/blackfin/kernel/ptrace.c, is_user_addr_valid(), v3.15 (after "blackfin: ptrace: call find_vma
    // with the mmap_sem held"). Correct.
    public static int IsUserAddrValid(Mm childMm, ulong start, ulong len) // expect: none
    {
        Helpers.Vma? vma;

        /* overflow */
        if (start + len < start)
            return -EIO;

        MmapReadLock(childMm);
        vma = Helpers.FindVma(childMm, start);
        if (vma != null && start >= vma.Start && start + len <= vma.End)
        {
            MmapReadUnlock(childMm);
            return 0;
        }
        MmapReadUnlock(childMm);

        if (Helpers.InSramOrFixedCode(start, len))
            return 0;

        return -EIO;
    }
}

public static class Helpers
{
    /// <summary>struct vm_area_struct, reduced to what the callers read.</summary>
    public sealed class Vma(ulong start, ulong end)
    {
        public ulong Start = start;
        public ulong End = end;
        public bool Hugetlb;
        public int PageShift = 12;
    }

    /// <summary>struct ib_umem, reduced to the hugetlb fields.</summary>
    public sealed class Umem(ulong start)
    {
        public ulong Start = start;
        public int PageShift = 12;
        public bool Hugetlb;
    }

    /// <summary>find_vma(): the first VMA ending above addr; the caller holds the mmap lock.</summary>
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static Vma? FindVma(Mm mm, ulong addr) => null;

    public static void OcteonFlushIcacheAllCores(Vma? vma)
    {
    }

    public static void PrintVma(Vma? vma, ulong address)
    {
    }

    public static bool InSramOrFixedCode(ulong start, ulong len) => false;

    public static void ForceSigInfo(int sig, int code, UserPtr addr)
    {
    }

    [ReturnsErrno]
    public static int CacheFlush(ulong addr, int scope, int cache, ulong len) => 0;
}
