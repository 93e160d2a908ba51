// arch/x86/mm/mpx.c (v4.x, removed in v5.6): reading a bounds-directory entry with page faults disabled
// while mmap_sem is held, resolving a fault with get_user_pages() inside the kernel's own helper and giving
// up when that fails. The helper returns an errno: the retry loop ends on a permanent fault.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.ArchMpx;

public static class Mpx
{
    // arch/x86/mm/mpx.c, mpx_resolve_fault(), v4.14 (get_user_pages() translated as fixup_user_fault(),
    // which resolves the same one-page fault). Correct: called with mmap_sem held, as get_user_pages()
    // requires; 0 or an errno.
    [RequiresLock("mm.MmapLock", Shared = true)]
    [MustCheck]
    [ReturnsErrno]
    public static int MpxResolveFault(Mm mm, UserPtr addr, bool write) // expect: none
    {
        int gupRet;

        gupRet = FixupUserFault(mm, addr, write ? FaultFlags.Write : FaultFlags.None);
        /*
         * get_user_pages() returns number of pages gotten.
         * 0 means we failed to fault in and get anything,
         * probably because 'addr' is bad.
         */
        if (gupRet != 0)
            return gupRet;

        /* must have gup'd a page and gup_ret>0, success */
        return 0;
    }

    // arch/x86/mm/mpx.c, get_bt_addr(), v4.14 (the entry decoding is not translated). Correct: the caller
    // holds mmap_sem, so the read runs with page faults disabled; on -EFAULT the fault is resolved by the
    // helper above and the loop ends when that fails.
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static int GetBtAddr(Mm mm, UserPtr<long> bdEntryPtr, out ulong btAddrResult) // expect: none
    {
        int ret;
        long bdEntry;

        btAddrResult = 0;
        if (!AccessOk(bdEntryPtr, sizeof(long)))
            return -EFAULT;

        while (true)
        {
            bool needWrite = false;

            PagefaultDisable();
            ret = GetUser(out bdEntry, bdEntryPtr);
            PagefaultEnable();
            if (ret == 0)
                break;
            if (ret == -EFAULT)
                ret = MpxResolveFault(mm, bdEntryPtr, needWrite);
            /*
             * If we could not resolve the fault, consider it
             * userspace's fault and error out.
             */
            if (ret != 0)
                return ret;
        }

        btAddrResult = (ulong)bdEntry & ~1UL;
        return 0;
    }
}
