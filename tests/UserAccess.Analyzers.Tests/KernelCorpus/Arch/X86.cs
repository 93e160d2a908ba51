// arch/x86: the FPU signal-frame save and restore retry loops (access with page faults disabled under
// fpregs_lock(), fault in after unlocking, give up when fault-in fails), the rt signal frame written field
// by field after one access_ok(), read_ldt() with goto exits, and KVM's msr_io().
using System;
using System.Diagnostics.CodeAnalysis;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.ArchX86;

public static class X86
{
    private const int EACCES = 13;
    private const int E2BIG = 7;

    // arch/x86/kernel/fpu/signal.c, copy_fpstate_to_sigframe(), v5.16 (fault_in_writeable() since the gfs2
    // fault-in series; the 32-bit fsave header and xstate epilogue at the end are not translated). Correct:
    // the XSAVE to the user frame runs with page faults disabled under fpregs_lock(); after unlocking, a
    // fault is resolved by faulting the buffer in writeable (it is about to be overwritten) and the save
    // retried; failure to fault in ends it.
    [SuppressMessage("UserAccess.Retry", "UA4005", Justification = "x86: no sub-page faults; fault_in of the whole frame resolves what XSAVE/XRSTOR can fault on")]
    public static int CopyFpstateToSigframe(UserPtr buf, UserPtr bufFx, int size, int fpuUserXstateSize) // expect: none
    {
        int ret;

        if (!AccessOk(buf, (ulong)size))
            return -EACCES;

    retry:
        /*
         * Load the FPU registers if they are not valid for the current task.
         * With a valid FPU state we can attempt to save the state directly to
         * userland's stack frame which will likely succeed. If it does not,
         * resolve the fault in the user memory and try again.
         */
        Helpers.FpregsLock();
        PagefaultDisable();
        ret = Helpers.CopyFpregsToSigframe(bufFx, fpuUserXstateSize);
        PagefaultEnable();
        Helpers.FpregsUnlock();

        if (ret != 0)
        {
            if (FaultInWriteable(bufFx, fpuUserXstateSize) == 0)
                goto retry;
            return -EFAULT;
        }

        return 0;
    }

    // arch/x86/kernel/fpu/signal.c, restore_fpregs_from_user(), v5.16. Correct: the same loop for XRSTOR
    // from the user frame; only -EFAULT is retried, after fault_in_readable() of the whole frame succeeded.
    // x86 has no sub-page faults (no MTE, no sub-page permissions): a page-granular fault-in of the frame
    // resolves every fault XSAVE/XRSTOR can take, so arch code says so, as the rule asks of it.
    [SuppressMessage("UserAccess.Retry", "UA4005", Justification = "x86: no sub-page faults; fault_in of the whole frame resolves what XSAVE/XRSTOR can fault on")]
    public static int RestoreFpregsFromUser(UserPtr buf, ulong xrestore, bool fxOnly, int size) // expect: none
    {
        int ret;

    retry:
        Helpers.FpregsLock();
        PagefaultDisable();
        ret = Helpers.RestoreFpregsFromUserNofault(buf, xrestore, fxOnly, size);
        PagefaultEnable();

        if (ret != 0)
        {
            Helpers.FpregsUnlock();

            /* Try to handle #PF, but anything else is fatal. */
            if (ret != -EFAULT)
                return -EINVAL;

            if (FaultInReadable(buf, size) == 0)
                goto retry;
            return -EFAULT;
        }

        Helpers.FpregsUnlock();
        return 0;
    }

    // kernel/signal.c, copy_siginfo_to_user(), v5.15. Correct.
    public static int CopySiginfoToUser(UserPtr to, byte[] from) // expect: none
    {
        const int SI_EXPANSION_SIZE = 128 - 48;
        UserPtr expansion = to + 48;

        if (CopyToUser(to, from.AsSpan(0, 48)) != 0)
            return -EFAULT;
        if (ClearUser(expansion, SI_EXPANSION_SIZE) != 0)
            return -EFAULT;
        return 0;
    }

    // arch/x86/kernel/signal.c, __setup_rt_frame() (64-bit), v5.10. Correct: user_access_begin() on the
    // whole rt_sigframe, then unchecked stores to its fields and to the ucontext inside it (pretcode 0,
    // uc.uc_flags 8, uc.uc_link 16, uc.uc_stack 24, uc.uc_mcontext 48, info 440).
    public static int SetupRtFrame(UserPtr frame, ulong ucFlags, ulong restorer, bool siginfo, byte[] info, ulong sp) // expect: none
    {
        const int FRAME_SIZE = 568;

        if (!AccessOk(frame, FRAME_SIZE))
            return -EFAULT;

        /* Create the ucontext.  */
        if (PutUserUnchecked(ucFlags, (frame + 8).Cast<ulong>()) != 0)
            goto Efault;
        if (PutUserUnchecked(0UL, (frame + 16).Cast<ulong>()) != 0)
            goto Efault;
        if (Helpers.UnsafeSaveAltstack(frame + 24, sp) != 0)
            goto Efault;

        /* Set up to return from userspace.  If provided, use a stub already in userspace.  */
        if (PutUserUnchecked(restorer, frame.Cast<ulong>()) != 0)
            goto Efault;
        /* user_access_end() */

        if (siginfo)
        {
            if (CopySiginfoToUser(frame + 440, info) != 0)
                return -EFAULT;
        }

        return 0;

    Efault:
        /* user_access_end() */
        return -EFAULT;
    }

    // arch/x86/kernel/ldt.c, read_ldt(), v5.15. Correct: ldt_usr_sem (a plain rwsem) is released on every
    // exit through out_unlock; copy and clear results are tested.
    public static int ReadLdt(UserPtr ptr, ulong bytecount, RwSemaphore ldtUsrSem, byte[]? ldtEntries) // expect: none
    {
        const ulong LDT_ENTRY_SIZE = 8, LDT_ENTRIES = 8192;
        ulong entriesSize;
        int retval;

        ldtUsrSem.DownRead();

        if (ldtEntries == null)
        {
            retval = 0;
            goto out_unlock;
        }

        if (bytecount > LDT_ENTRY_SIZE * LDT_ENTRIES)
            bytecount = LDT_ENTRY_SIZE * LDT_ENTRIES;

        entriesSize = (ulong)ldtEntries.Length;
        if (entriesSize > bytecount)
            entriesSize = bytecount;

        if (CopyToUser(ptr, ldtEntries.AsSpan(0, (int)entriesSize)) != 0)
        {
            retval = -EFAULT;
            goto out_unlock;
        }

        if (entriesSize != bytecount)
        {
            /* Zero-fill the rest and pretend we read bytecount bytes. */
            if (ClearUser(ptr + (long)entriesSize, (int)(bytecount - entriesSize)) != 0)
            {
                retval = -EFAULT;
                goto out_unlock;
            }
        }

        retval = (int)bytecount;

    out_unlock:
        ldtUsrSem.UpRead();
        return retval;
    }

    // arch/x86/kvm/x86.c, msr_io(), v5.15. Correct: the header is copied, nmsrs bounded, the entries
    // duplicated from the entries field (a different location from the header), written back on request.
    // struct kvm_msrs: nmsrs u32 at 0, entries at 8 (16 bytes each).
    public static int MsrIo(UserPtr userMsrs, bool writeback) // expect: none
    {
        const uint MAX_IO_MSRS = 256;
        var msrs = new byte[8];
        byte[]? entries;
        int size;
        int r;

        r = -EFAULT;
        if (CopyFromUser(msrs, userMsrs) != 0)
            goto out_;

        r = -E2BIG;
        uint nmsrs = BitConverter.ToUInt32(msrs, 0);
        if (nmsrs >= MAX_IO_MSRS)
            goto out_;

        size = 16 * (int)nmsrs;
        entries = Helpers.MemdupUser(userMsrs + 8, size);
        if (entries == null)
        {
            r = -EFAULT;
            goto out_;
        }

        r = Helpers.DoMsrIo(nmsrs, entries);

        if (writeback && CopyToUser(userMsrs + 8, entries.AsSpan(0, size)) != 0)
            r = -EFAULT;

    out_:
        return r;
    }
}

internal static class Helpers
{
    /// <summary>fpregs_lock(): preempt_disable() (and local_bh_disable()) while the FPU registers are used.</summary>
    [EntersRegion(Region.Atomic)]
    public static void FpregsLock() => PreemptDisable();

    /// <summary>fpregs_unlock().</summary>
    [ExitsRegion(Region.Atomic)]
    public static void FpregsUnlock() => PreemptEnable();

    /// <summary>copy_fpregs_to_sigframe(): XSAVE straight to the user buffer; never handles a fault.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Write, "buf", Size = "size")]
    public static int CopyFpregsToSigframe(UserPtr buf, int size) => ClearUser(buf, size) != 0 ? -EFAULT : 0;

    /// <summary>__restore_fpregs_from_user(): XRSTOR from the user buffer; never handles a fault.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Read, "buf", Size = "size")]
    public static int RestoreFpregsFromUserNofault(UserPtr buf, ulong xrestore, bool fxOnly, int size)
    {
        var tmp = new byte[size];
        return CopyFromUserNofault(tmp, buf);
    }

    /// <summary>unsafe_save_altstack(): stores the stack_t fields inside a frame the caller checked.</summary>
    [MustCheck]
    [ReturnsErrno]
    public static int UnsafeSaveAltstack([RequiresAccessOk] UserPtr uss, ulong sp)
        => PutUserUnchecked(sp, uss.Cast<ulong>()) | PutUserUnchecked(0, (uss + 8).Cast<int>()) | PutUserUnchecked(0UL, (uss + 16).Cast<ulong>());

    /// <summary>memdup_user(): kmalloc() and copy_from_user(); null stands for the ERR_PTR.</summary>
    [MightFault]
    [UserAccess(AccessKind.Read, "src", Size = "len")]
    public static byte[]? MemdupUser(UserPtr src, int len)
    {
        var p = new byte[len];
        return CopyFromUser(p, src) != 0 ? null : p;
    }

    public static int DoMsrIo(uint nmsrs, byte[] entries) => (int)nmsrs;
}
