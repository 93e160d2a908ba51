// mm/mprotect.c, mm/mmap.c, mm/mlock.c, ipc/shm.c, fs/aio.c, fs/coredump.c, fs/exec.c,
// kernel/fork.c, arch/x86/entry/vdso/vma.c, arch/arm64/kernel/vdso.c: the mm syscalls that waited for the mmap lock for write non-killably
// until Michal Hocko's v4.7 series (dc0ef0df7b6a "mm: make mmap_sem for write waits killable for mm
// syscalls", with "mm: make vm_munmap killable" and its siblings), which made every such wait return -EINTR
// to a killed task so that it cannot stay blocked behind a writer that holds the lock for a long time. The
// buggy functions are v4.6, the fixed ones v4.7. The VMA work is stubbed.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.MmSyscallWaits;

public static class MmSyscalls
{
    private const ulong PAGE_MASK = ~4095UL;
    private const int EACCES = 13;

    // mm/mprotect.c, sys_mprotect(), v4.6. Buggy: the argument checks return errors, then the mmap lock is
    // taken for write with down_write(), so a task stuck behind a writer holding it cannot be killed.
    public static int SysMprotectV46(Mm mm, ulong start, ulong len, ulong prot)
    {
        ulong end;
        int error;

        if ((start & ~PAGE_MASK) != 0)
            return -EINVAL;
        if (len == 0)
            return 0;
        len = (len + 4095) & PAGE_MASK;
        end = start + len;
        if (end <= start)
            return -ENOMEM;
        if (!Helpers.ArchValidateProt(prot))
            return -EINVAL;

        MmapWriteLock(mm); // expect: UA2001

        error = -ENOMEM;
        if (!Helpers.FindVma(mm, start))
            goto out_;
        error = Helpers.MprotectFixup(mm, start, end, prot);
    out_:
        MmapWriteUnlock(mm);
        return error;
    }

    // mm/mprotect.c, sys_mprotect(), v4.7 (after dc0ef0df7b6a). Correct: down_write_killable() and -EINTR.
    public static int SysMprotect(Mm mm, ulong start, ulong len, ulong prot) // expect: none
    {
        ulong end;
        int error;

        if ((start & ~PAGE_MASK) != 0)
            return -EINVAL;
        if (len == 0)
            return 0;
        len = (len + 4095) & PAGE_MASK;
        end = start + len;
        if (end <= start)
            return -ENOMEM;
        if (!Helpers.ArchValidateProt(prot))
            return -EINVAL;

        if (MmapWriteLockKillable(mm) != 0)
            return -EINTR;

        error = -ENOMEM;
        if (!Helpers.FindVma(mm, start))
            goto out_;
        error = Helpers.MprotectFixup(mm, start, end, prot);
    out_:
        MmapWriteUnlock(mm);
        return error;
    }

    // mm/mmap.c, vm_munmap(), v4.6. Buggy: returns do_munmap()'s errno, but waits for the mmap lock
    // non-killably.
    public static int VmMunmapV46(Mm mm, ulong start, ulong len)
    {
        int ret;

        MmapWriteLock(mm); // expect: UA2001
        ret = Helpers.DoMunmap(mm, start, len);
        MmapWriteUnlock(mm);
        return ret;
    }

    // mm/mmap.c, vm_munmap(), v4.7 (after "mm: make vm_munmap killable"). Correct.
    public static int VmMunmap(Mm mm, ulong start, ulong len) // expect: none
    {
        int ret;

        if (MmapWriteLockKillable(mm) != 0)
            return -EINTR;

        ret = Helpers.DoMunmap(mm, start, len);
        MmapWriteUnlock(mm);
        return ret;
    }

    // mm/mlock.c, do_mlock(), v4.6. Buggy: -EPERM and the error of apply_vma_lock_flags() are returned, and
    // the mmap lock is taken for write non-killably.
    public static int DoMlockV46(Mm mm, ulong start, ulong len, ulong lockLimit, int flags)
    {
        ulong locked;
        int error = -ENOMEM;

        if (!Helpers.CanDoMlock())
            return -EPERM;

        len = (len + (start & ~PAGE_MASK) + 4095) & PAGE_MASK;
        start &= PAGE_MASK;

        locked = len >> 12;

        MmapWriteLock(mm); // expect: UA2001

        locked += Helpers.LockedVm(mm);

        /* check against resource limits */
        if (locked <= lockLimit || Helpers.Capable())
            error = Helpers.ApplyVmaLockFlags(mm, start, len, flags);

        MmapWriteUnlock(mm);
        if (error != 0)
            return error;

        error = Helpers.MmPopulate(start, len);
        if (error != 0)
            return error == -ENOMEM ? -EAGAIN : error;
        return 0;
    }

    // mm/mlock.c, do_mlock(), v4.7 (after dc0ef0df7b6a). Correct.
    public static int DoMlock(Mm mm, ulong start, ulong len, ulong lockLimit, int flags) // expect: none
    {
        ulong locked;
        int error = -ENOMEM;

        if (!Helpers.CanDoMlock())
            return -EPERM;

        len = (len + (start & ~PAGE_MASK) + 4095) & PAGE_MASK;
        start &= PAGE_MASK;

        locked = len >> 12;

        if (MmapWriteLockKillable(mm) != 0)
            return -EINTR;

        locked += Helpers.LockedVm(mm);

        /* check against resource limits */
        if (locked <= lockLimit || Helpers.Capable())
            error = Helpers.ApplyVmaLockFlags(mm, start, len, flags);

        MmapWriteUnlock(mm);
        if (error != 0)
            return error;

        error = Helpers.MmPopulate(start, len);
        if (error != 0)
            return error == -ENOMEM ? -EAGAIN : error;
        return 0;
    }

    // mm/mlock.c, sys_munlock(), v4.6. Buggy: the same non-killable write wait, in a syscall that returns
    // apply_vma_lock_flags()'s errno.
    public static int SysMunlockV46(Mm mm, ulong start, ulong len)
    {
        int ret;

        len = (len + (start & ~PAGE_MASK) + 4095) & PAGE_MASK;
        start &= PAGE_MASK;

        MmapWriteLock(mm); // expect: UA2001
        ret = Helpers.ApplyVmaLockFlags(mm, start, len, 0);
        MmapWriteUnlock(mm);

        return ret;
    }

    // mm/mlock.c, sys_mlockall(), v4.6. Buggy: -EINVAL and -EPERM returns, then down_write() of the mmap
    // lock; v4.7 made it down_write_killable() returning -EINTR.
    public static int SysMlockallV46(Mm mm, int flags, ulong lockLimit)
    {
        const int MCL_CURRENT = 1, MCL_FUTURE = 2, MCL_ONFAULT = 4;
        int ret;

        if (flags == 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) != 0 || flags == MCL_ONFAULT)
            return -EINVAL;

        if (!Helpers.CanDoMlock())
            return -EPERM;

        if ((flags & MCL_CURRENT) != 0)
            Helpers.LruAddDrainAll();

        MmapWriteLock(mm); // expect: UA2001

        ret = -ENOMEM;
        if (Helpers.TotalVm(mm) <= lockLimit || Helpers.Capable())
            ret = Helpers.ApplyMlockallFlags(mm, flags);
        MmapWriteUnlock(mm);
        if (ret == 0 && (flags & MCL_CURRENT) != 0)
            Helpers.MmPopulate(0, Helpers.TaskSize());

        return ret;
    }

    // mm/mmap.c, sys_remap_file_pages(), v4.6 (the emulation by do_mmap_pgoff(); the VMA checks are
    // stubs). Buggy: the flags check returns -EINVAL, then the mmap lock is taken for write non-killably.
    public static long SysRemapFilePagesV46(Mm mm, ulong start, ulong size, ulong prot, ulong pgoff, ulong flags)
    {
        const ulong MAP_NONBLOCK = 0x10000;
        long ret = -EINVAL;

        if (prot != 0)
            return ret;
        start &= PAGE_MASK;
        size &= PAGE_MASK;

        if (start + size <= start)
            return ret;

        /* Does pgoff wrap? */
        if (pgoff + (size >> 12) < pgoff)
            return ret;

        MmapWriteLock(mm); // expect: UA2001
        if (!Helpers.FindSharedVma(mm, start, size))
            goto out_;

        flags &= MAP_NONBLOCK;
        ret = Helpers.DoMmapPgoff(mm, start, size, pgoff, flags);
    out_:
        MmapWriteUnlock(mm);
        return ret;
    }
}

public static class IpcAndAio
{
    private const ulong PAGE_MASK = ~4095UL;

    // ipc/shm.c, sys_shmdt(), v4.6 (the walk that unmaps the segment's VMAs is a stub). Buggy: -EINVAL for
    // a misaligned address, then down_write() of the mmap lock; "ipc, shm: make shmem attach/detach wait
    // for mmap_sem killable" (v4.7, the same series) made it return -EINTR to a killed task.
    public static long SysShmdtV46(Mm mm, ulong addr)
    {
        long retval = -EINVAL;

        if ((addr & ~PAGE_MASK) != 0)
            return retval;

        MmapWriteLock(mm); // expect: UA2001

        if (Helpers.UnmapShmSegment(mm, addr))
            retval = 0;

        MmapWriteUnlock(mm);
        return retval;
    }

    // ipc/shm.c, sys_shmdt(), v4.7. Correct.
    public static long SysShmdt(Mm mm, ulong addr) // expect: none
    {
        long retval = -EINVAL;

        if ((addr & ~PAGE_MASK) != 0)
            return retval;

        if (MmapWriteLockKillable(mm) != 0)
            return -EINTR;

        if (Helpers.UnmapShmSegment(mm, addr))
            retval = 0;

        MmapWriteUnlock(mm);
        return retval;
    }

    // fs/aio.c, aio_setup_ring(), v4.6, the mapping of the ring (the ring file and its pages are stubs).
    // Buggy: an io_setup() that fails with -ENOMEM waits for the mmap lock for write non-killably; "aio: make
    // aio_setup_ring killable" (v4.7) frees the ring and returns -EINTR instead. do_mmap_pgoff() failing is
    // its ERR_PTR, here 0.
    public static int AioSetupRingV46(Mm mm, Helpers.KioCtx ctx, int nrPages)
    {
        ulong mmapBase;

        ctx.MmapSize = (ulong)nrPages * 4096;

        MmapWriteLock(mm); // expect: UA2001
        mmapBase = Helpers.DoMmap(mm, ctx.MmapSize);
        MmapWriteUnlock(mm);
        if (mmapBase == 0)
        {
            ctx.MmapSize = 0;
            Helpers.AioFreeRing(ctx);
            return -ENOMEM;
        }
        ctx.MmapBase = mmapBase;

        return 0;
    }

    // fs/aio.c, aio_setup_ring(), v4.7 (after "aio: make aio_setup_ring killable"). Correct.
    public static int AioSetupRing(Mm mm, Helpers.KioCtx ctx, int nrPages) // expect: none
    {
        ulong mmapBase;

        ctx.MmapSize = (ulong)nrPages * 4096;

        if (MmapWriteLockKillable(mm) != 0)
        {
            ctx.MmapSize = 0;
            Helpers.AioFreeRing(ctx);
            return -EINTR;
        }

        mmapBase = Helpers.DoMmap(mm, ctx.MmapSize);
        MmapWriteUnlock(mm);
        if (mmapBase == 0)
        {
            ctx.MmapSize = 0;
            Helpers.AioFreeRing(ctx);
            return -ENOMEM;
        }
        ctx.MmapBase = mmapBase;

        return 0;
    }
}

public static class BrkForkCoreExec
{
    // mm/mmap.c, vm_brk(), v4.6. Buggy: returns do_brk()'s errno, but waits for the mmap lock for write
    // non-killably; "mm: make vm_brk killable" (v4.7) returns -EINTR.
    public static int VmBrkV46(Mm mm, ulong addr, ulong len, bool defLocked)
    {
        int ret;
        bool populate;

        MmapWriteLock(mm); // expect: UA2001
        ret = Helpers.DoBrk(mm, addr, len);
        populate = defLocked;
        MmapWriteUnlock(mm);
        if (populate && ret == 0)
            Helpers.MmPopulate(addr, len);
        return ret;
    }

    // mm/mmap.c, vm_brk(), v4.7. Correct.
    public static int VmBrk(Mm mm, ulong addr, ulong len, bool defLocked) // expect: none
    {
        int ret;
        bool populate;

        if (MmapWriteLockKillable(mm) != 0)
            return -EINTR;

        ret = Helpers.DoBrk(mm, addr, len);
        populate = defLocked;
        MmapWriteUnlock(mm);
        if (populate && ret == 0)
            Helpers.MmPopulate(addr, len);
        return ret;
    }

    // fs/coredump.c, coredump_wait(), v4.6 (the wait for the other threads is a stub). Buggy: returns an
    // errno but takes the mmap lock for write non-killably; "coredump: make coredump_wait wait for mmap_sem
    // for write killable" (v4.7) returns -EINTR.
    public static int CoredumpWaitV46(Mm mm, int exitCode)
    {
        int coreWaiters = -EBUSY;

        MmapWriteLock(mm); // expect: UA2001
        if (!Helpers.HasCoreState(mm))
            coreWaiters = Helpers.ZapThreads(mm, exitCode);
        MmapWriteUnlock(mm);

        if (coreWaiters > 0)
            Helpers.WaitForCoreDumpers(mm);

        return coreWaiters;
    }

    // fs/exec.c, __bprm_mm_init(), v4.6 (the stack VMA setup is a stub). Buggy: the exec path can fail
    // with insert_vm_struct()'s error, and waits for the new mm's lock non-killably; "exec: make exec path
    // waiting for mmap_sem killable" (v4.7) returns -EINTR.
    public static int BprmMmInitV46(Mm mm)
    {
        int err;

        MmapWriteLock(mm); // expect: UA2001
        err = Helpers.InsertStackVma(mm);
        if (err != 0)
        {
            MmapWriteUnlock(mm);
            goto err_;
        }
        MmapWriteUnlock(mm);
        return 0;
    err_:
        return err;
    }

    // kernel/fork.c, dup_mmap(), v4.6 (the VMA copy loop is a stub). Buggy: fork waits for the parent's mmap
    // lock for write non-killably; "mm, fork: make dup_mmap wait for mmap_sem for write killable" (v4.7)
    // returns -EINTR. The child's lock, taken nested on an mm nobody else can see yet, stays non-killable
    // (down_write_nested(), mmap_write_lock_nested() today).
    public static int DupMmapV46(Mm mm, Mm oldmm)
    {
        int retval;

        MmapWriteLock(oldmm); // expect: UA2001
        /*
         * Not linked in yet - no deadlock potential:
         */
        MmapWriteLockNested(mm, SINGLE_DEPTH_NESTING);

        retval = Helpers.KsmFork(mm, oldmm);
        if (retval != 0)
            goto out_;
        retval = Helpers.CopyVmas(mm, oldmm);
    out_:
        MmapWriteUnlock(mm);
        MmapWriteUnlock(oldmm);
        return retval;
    }
}

public static class VdsoSetup
{
    // arch/x86/entry/vdso/vma.c, map_vdso(), v4.6 (the special mappings are stubs). Buggy: exec fails with
    // get_unmapped_area()'s or install_special_mapping()'s error, and waits for the mmap lock for write
    // non-killably; "vdso: make arch_setup_additional_pages wait for mmap_sem for write killable" (v4.7).
    public static int MapVdsoV46(Mm mm, ulong imageSize, bool calculateAddr, ulong startStack)
    {
        ulong addr;
        int ret = 0;

        if (calculateAddr)
            addr = Helpers.VdsoAddr(startStack, imageSize);
        else
            addr = 0;

        MmapWriteLock(mm); // expect: UA2001

        addr = Helpers.GetUnmappedArea(mm, addr, imageSize);
        if (addr >= unchecked((ulong)-4095L))
        {
            ret = (int)(long)addr;
            goto up_fail;
        }

        ret = Helpers.InstallSpecialMapping(mm, addr, imageSize);

    up_fail:
        if (ret != 0)
            Helpers.ClearVdso(mm);

        MmapWriteUnlock(mm);
        return ret;
    }

    // arch/x86/entry/vdso/vma.c, map_vdso(), v4.7. Correct.
    public static int MapVdso(Mm mm, ulong imageSize, bool calculateAddr, ulong startStack) // expect: none
    {
        ulong addr;
        int ret = 0;

        if (calculateAddr)
            addr = Helpers.VdsoAddr(startStack, imageSize);
        else
            addr = 0;

        if (MmapWriteLockKillable(mm) != 0)
            return -EINTR;

        addr = Helpers.GetUnmappedArea(mm, addr, imageSize);
        if (addr >= unchecked((ulong)-4095L))
        {
            ret = (int)(long)addr;
            goto up_fail;
        }

        ret = Helpers.InstallSpecialMapping(mm, addr, imageSize);

    up_fail:
        if (ret != 0)
            Helpers.ClearVdso(mm);

        MmapWriteUnlock(mm);
        return ret;
    }

    // arch/arm64/kernel/vdso.c, arch_setup_additional_pages(), v4.6 (the special mappings are stubs).
    // Buggy: exec can fail here with the mapping's error, and the mmap lock is taken for write
    // non-killably; the same v4.7 commit as map_vdso() made it down_write_killable().
    public static int Arm64ArchSetupAdditionalPagesV46(Mm mm, ulong vdsoTextLen)
    {
        ulong vdsoBase, vdsoMappingLen;
        int ret;

        /* Be sure to map the data page */
        vdsoMappingLen = vdsoTextLen + 4096;

        MmapWriteLock(mm); // expect: UA2001
        vdsoBase = Helpers.GetUnmappedArea(mm, 0, vdsoMappingLen);
        if (vdsoBase >= unchecked((ulong)-4095L))
        {
            ret = (int)(long)vdsoBase;
            goto up_fail;
        }
        ret = Helpers.InstallSpecialMapping(mm, vdsoBase, 4096);
        if (ret != 0)
            goto up_fail;

        vdsoBase += 4096;
        ret = Helpers.InstallSpecialMapping(mm, vdsoBase, vdsoTextLen);
        if (ret != 0)
            goto up_fail;

        MmapWriteUnlock(mm);
        return 0;

    up_fail:
        Helpers.ClearVdso(mm);
        MmapWriteUnlock(mm);
        return ret;
    }
}

public static class Helpers
{
    /// <summary>struct kioctx, reduced to the ring mapping.</summary>
    public sealed class KioCtx
    {
        public ulong MmapSize;
        public ulong MmapBase;
    }

    [RequiresLock("mm.MmapLock")]
    public static bool UnmapShmSegment(Mm mm, ulong addr) => addr != 0;

    public static void AioFreeRing(KioCtx ctx)
    {
    }

    [RequiresLock("mm.MmapLock")]
    [ReturnsErrno]
    public static int DoBrk(Mm mm, ulong addr, ulong len) => 0;

    public static bool HasCoreState(Mm mm) => false;

    public static ulong VdsoAddr(ulong startStack, ulong len) => (startStack + 0x100000) & ~4095UL;

    [RequiresLock("mm.MmapLock")]
    public static ulong GetUnmappedArea(Mm mm, ulong addr, ulong len) => addr != 0 ? addr : 0x7ff000000000UL;

    [RequiresLock("mm.MmapLock")]
    [ReturnsErrno]
    public static int InstallSpecialMapping(Mm mm, ulong addr, ulong len) => 0;

    public static void ClearVdso(Mm mm)
    {
    }

    [RequiresLock("oldmm.MmapLock")]
    [ReturnsErrno]
    public static int KsmFork(Mm mm, Mm oldmm) => 0;

    [RequiresLock("oldmm.MmapLock")]
    [ReturnsErrno]
    public static int CopyVmas(Mm mm, Mm oldmm) => 0;

    [RequiresLock("mm.MmapLock")]
    public static int ZapThreads(Mm mm, int exitCode) => 1;

    [MightSleep]
    public static void WaitForCoreDumpers(Mm mm)
    {
    }

    [RequiresLock("mm.MmapLock")]
    [ReturnsErrno]
    public static int InsertStackVma(Mm mm) => 0;

    public static bool ArchValidateProt(ulong prot) => (prot & ~7UL) == 0;

    public static bool FindVma(Mm mm, ulong addr) => addr != 0;

    public static bool FindSharedVma(Mm mm, ulong start, ulong size) => size != 0;

    [RequiresLock("mm.MmapLock")]
    [ReturnsErrno]
    public static int MprotectFixup(Mm mm, ulong start, ulong end, ulong prot) => 0;

    [RequiresLock("mm.MmapLock")]
    [ReturnsErrno]
    public static int DoMunmap(Mm mm, ulong start, ulong len) => 0;

    [RequiresLock("mm.MmapLock")]
    [ReturnsErrno]
    public static int ApplyVmaLockFlags(Mm mm, ulong start, ulong len, int flags) => 0;

    [RequiresLock("mm.MmapLock")]
    [ReturnsErrno]
    public static int ApplyMlockallFlags(Mm mm, int flags) => 0;

    [RequiresLock("mm.MmapLock")]
    public static long DoMmapPgoff(Mm mm, ulong start, ulong size, ulong pgoff, ulong flags) => (long)start;

    [RequiresLock("mm.MmapLock")]
    public static ulong DoMmap(Mm mm, ulong size) => size != 0 ? 0x7f0000000000UL : 0;

    public static bool CanDoMlock() => true;

    public static bool Capable() => false;

    public static ulong LockedVm(Mm mm) => 0;

    public static ulong TotalVm(Mm mm) => 0;

    public static ulong TaskSize() => 1UL << 47;

    public static void LruAddDrainAll()
    {
    }

    /// <summary>__mm_populate(): faults the range in, taking the mmap lock for read itself.</summary>
    [MightSleep]
    [ReturnsErrno]
    public static int MmPopulate(ulong start, ulong len) => 0;
}
