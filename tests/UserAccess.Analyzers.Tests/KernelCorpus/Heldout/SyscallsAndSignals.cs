// Held out: unchecked user accesses (__get_user(), __put_user(), __copy_from_user()) and dropped __put_user()
// results in arch signal-frame code, arch system-call wrappers and syslog(), each before and after the kernel's own fix,
// and correct code from the same files and from kernel/ and ipc/ doing the same things right:
// - arch/arm64/kernel/signal.c parse_user_sigframe(): the record walk follows extra_context into memory past
//   the access_ok()ed rt_sigframe with __get_user(), before abf73988a7c2 "arm64: signal: Verify extra data is
//   user-readable in sys_rt_sigreturn" (Dave Martin, v4.15), and after it;
// - arch/powerpc/kernel/signal_32.c do_setcontext() and sys_debug_setcontext(), and
//   arch/powerpc/kernel/signal_64.c restore_sigcontext(): pointers read out of the user's frame (uc_regs,
//   v_regs) or handed in by the caller (ctx, dbg) used with __get_user()/__copy_from_user() and no
//   access_ok(), CVE-2006-2448 (fixed in v2.6.17 and 2.6.16.21), and the fixed do_setcontext() and
//   restore_sigcontext(); with the v2.6.16 sys_swapcontext(), sys_rt_sigreturn() and sys_sigreturn() of the
//   same file, which check what they hand on: correct;
// - arch/arm/kernel/sys_oabi-compat.c sys_oabi_semtimedop() and sys_oabi_epoll_wait(): the OABI wrappers walk
//   the caller's array with __get_user_error()/__put_user_error() and no access_ok(), before 7de249964f55
//   "arm: oabi compat: add missing access checks" (Dave Weinstein, CVE-2016-3857, v4.8), and after it;
// - arch/s390/kernel/signal.c setup_rt_frame(): the store of the sigreturn trampoline into the frame or'ed
//   into an err nothing tests any more, before Heiko Carstens' "s390: bug in setup_rt_frame" (2006), and after it;
// - kernel/printk.c do_syslog(): the characters stored into the reader's buffer with __put_user() (and moved
//   within it with __get_user()/__put_user()) after verify_area(), results dropped, in Linux 2.4, and the
//   early 2.6 text that tests each of them;
// - kernel/seccomp.c seccomp_get_filter(), v4.4: the filter found under siglock, copied out after dropping
//   it; ipc/compat_mq.c get_compat_mq_attr() and put_compat_mq_attr(), v4.14: one range check (access_ok(),
//   or a clear_user() of the whole struct) and then unchecked field accesses: correct.
// Register files, signal masks, FP/AltiVec state, sembuf/epoll work done with set_fs(KERNEL_DS) and the
// seccomp filter list are stubs; the user pointers, the accesses, their checks, the locks and the control
// flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.SyscallsAndSignals;

public static class Arm64Signal
{
    /// <summary>offsetof(struct rt_sigframe, uc.uc_mcontext.__reserved): siginfo 128, ucontext header 176, sigcontext registers 288.</summary>
    private const long SF_RESERVED = 592;

    /// <summary>sizeof(sc->__reserved).</summary>
    private const ulong RESERVED_SIZE = 4096;

    /// <summary>sizeof(struct _aarch64_ctx): magic, size.</summary>
    private const ulong SIZEOF_AARCH64_CTX = 8;

    /// <summary>sizeof(struct fpsimd_context).</summary>
    private const uint SIZEOF_FPSIMD_CONTEXT = 528;

    /// <summary>sizeof(struct extra_context): head, datap (at 8), size (at 16), __reserved[3].</summary>
    private const uint SIZEOF_EXTRA_CONTEXT = 32;

    /// <summary>TERMINATOR_SIZE: round_up(sizeof(struct _aarch64_ctx), 16).</summary>
    private const ulong TERMINATOR_SIZE = 16;

    /// <summary>SIGFRAME_MAXSZ: SZ_64K.</summary>
    private const ulong SIGFRAME_MAXSZ = 0x10000;

    private const uint FPSIMD_MAGIC = 0x46508001;
    private const uint ESR_MAGIC = 0x45535201;
    private const uint EXTRA_MAGIC = 0x45585401;

    // arch/arm64/kernel/signal.c, parse_user_sigframe(), v4.14 (before abf73988a7c2 "arm64: signal: Verify
    // extra data is user-readable in sys_rt_sigreturn", Dave Martin, v4.15). Buggy: sys_rt_sigreturn()
    // access_ok()s the rt_sigframe only, and an EXTRA_MAGIC record moves the walk to extra_datap, the memory
    // after the frame, up to SIGFRAME_MAXSZ past its start; the walk goes on reading each record's header
    // with __get_user() there without a range check, so a frame at the top of user space makes the kernel
    // read past it. The fix adds access_ok(VERIFY_READ, base, limit) before the walk continues there.
    public static int ParseUserSigframeV414(Helpers.UserCtxs user, [RequiresAccessOk] UserPtr sf)
    {
        UserPtr head;
        UserPtr @base = sf + SF_RESERVED; /* (char __user *)&sc->__reserved */
        ulong offset = 0;
        ulong limit = RESERVED_SIZE;
        bool haveExtraContext = false;
        UserPtr sfp = sf;

        user.Fpsimd = UserPtr.Null;

        if ((@base.Address & 15) != 0)
            goto invalid;

        while (true)
        {
            int err = 0;
            uint magic, size;
            UserPtr userp;
            UserPtr extra;
            ulong extraDatap;
            uint extraSize;
            UserPtr end;
            uint endMagic, endSize;

            if (limit - offset < SIZEOF_AARCH64_CTX)
                goto invalid;

            if ((offset & 15) != 0)
                goto invalid;

            head = @base + (long)offset;
            err |= GetUserUnchecked(out magic, head.Cast<uint>()); // expect: UA5003
            err |= GetUserUnchecked(out size, (head + 4).Cast<uint>()); // expect: UA5003
            if (err != 0)
                return err;

            if (limit - offset < size)
                goto invalid;

            switch (magic)
            {
                case 0:
                    if (size != 0)
                        goto invalid;

                    goto done;

                case FPSIMD_MAGIC:
                    if (user.Fpsimd != UserPtr.Null)
                        goto invalid;

                    if (size < SIZEOF_FPSIMD_CONTEXT)
                        goto invalid;

                    user.Fpsimd = head;
                    break;

                case ESR_MAGIC:
                    /* ignore */
                    break;

                case EXTRA_MAGIC:
                    if (haveExtraContext)
                        goto invalid;

                    if (size < SIZEOF_EXTRA_CONTEXT)
                        goto invalid;

                    userp = head;

                    extra = userp;
                    userp += size;

                    err |= GetUserUnchecked(out extraDatap, (extra + 8).Cast<ulong>());
                    err |= GetUserUnchecked(out extraSize, (extra + 16).Cast<uint>());
                    if (err != 0)
                        return err;

                    /* Check for the dummy terminator in __reserved[]: */

                    if (limit - offset - size < TERMINATOR_SIZE)
                        goto invalid;

                    end = userp;
                    userp += (long)TERMINATOR_SIZE;

                    err |= GetUserUnchecked(out endMagic, end.Cast<uint>());
                    err |= GetUserUnchecked(out endSize, (end + 4).Cast<uint>());
                    if (err != 0)
                        return err;

                    if (endMagic != 0 || endSize != 0)
                        goto invalid;

                    /* Prevent looping/repeated parsing of extra_context */
                    haveExtraContext = true;

                    @base = new UserPtr(extraDatap);
                    if ((@base.Address & 15) != 0)
                        goto invalid;

                    if ((extraSize & 15) != 0)
                        goto invalid;

                    if (@base != userp)
                        goto invalid;

                    /* Reject "unreasonably large" frames: */
                    if (extraSize > sfp.Address + SIGFRAME_MAXSZ - userp.Address)
                        goto invalid;

                    /*
                     * Ignore trailing terminator in __reserved[]
                     * and start parsing extra data:
                     */
                    offset = 0;
                    limit = extraSize;
                    continue;

                default:
                    goto invalid;
            }

            if (size < SIZEOF_AARCH64_CTX)
                goto invalid;

            if (limit - offset < size)
                goto invalid;

            offset += size;
        }

    done:
        return 0;

    invalid:
        return -EINVAL;
    }

    // arch/arm64/kernel/signal.c, parse_user_sigframe(), at abf73988a7c2 (v4.15). Correct: once the walk
    // moves to the extra data, access_ok(VERIFY_READ, base, limit) checks the whole extra area before any
    // record header in it is read with __get_user().
    public static int ParseUserSigframe(Helpers.UserCtxs user, [RequiresAccessOk] UserPtr sf) // expect: none
    {
        UserPtr head;
        UserPtr @base = sf + SF_RESERVED; /* (char __user *)&sc->__reserved */
        ulong offset = 0;
        ulong limit = RESERVED_SIZE;
        bool haveExtraContext = false;
        UserPtr sfp = sf;

        user.Fpsimd = UserPtr.Null;

        if ((@base.Address & 15) != 0)
            goto invalid;

        while (true)
        {
            int err = 0;
            uint magic, size;
            UserPtr userp;
            UserPtr extra;
            ulong extraDatap;
            uint extraSize;
            UserPtr end;
            uint endMagic, endSize;

            if (limit - offset < SIZEOF_AARCH64_CTX)
                goto invalid;

            if ((offset & 15) != 0)
                goto invalid;

            head = @base + (long)offset;
            err |= GetUserUnchecked(out magic, head.Cast<uint>());
            err |= GetUserUnchecked(out size, (head + 4).Cast<uint>());
            if (err != 0)
                return err;

            if (limit - offset < size)
                goto invalid;

            switch (magic)
            {
                case 0:
                    if (size != 0)
                        goto invalid;

                    goto done;

                case FPSIMD_MAGIC:
                    if (user.Fpsimd != UserPtr.Null)
                        goto invalid;

                    if (size < SIZEOF_FPSIMD_CONTEXT)
                        goto invalid;

                    user.Fpsimd = head;
                    break;

                case ESR_MAGIC:
                    /* ignore */
                    break;

                case EXTRA_MAGIC:
                    if (haveExtraContext)
                        goto invalid;

                    if (size < SIZEOF_EXTRA_CONTEXT)
                        goto invalid;

                    userp = head;

                    extra = userp;
                    userp += size;

                    err |= GetUserUnchecked(out extraDatap, (extra + 8).Cast<ulong>());
                    err |= GetUserUnchecked(out extraSize, (extra + 16).Cast<uint>());
                    if (err != 0)
                        return err;

                    /* Check for the dummy terminator in __reserved[]: */

                    if (limit - offset - size < TERMINATOR_SIZE)
                        goto invalid;

                    end = userp;
                    userp += (long)TERMINATOR_SIZE;

                    err |= GetUserUnchecked(out endMagic, end.Cast<uint>());
                    err |= GetUserUnchecked(out endSize, (end + 4).Cast<uint>());
                    if (err != 0)
                        return err;

                    if (endMagic != 0 || endSize != 0)
                        goto invalid;

                    /* Prevent looping/repeated parsing of extra_context */
                    haveExtraContext = true;

                    @base = new UserPtr(extraDatap);
                    if ((@base.Address & 15) != 0)
                        goto invalid;

                    if ((extraSize & 15) != 0)
                        goto invalid;

                    if (@base != userp)
                        goto invalid;

                    /* Reject "unreasonably large" frames: */
                    if (extraSize > sfp.Address + SIGFRAME_MAXSZ - userp.Address)
                        goto invalid;

                    /*
                     * Ignore trailing terminator in __reserved[]
                     * and start parsing extra data:
                     */
                    offset = 0;
                    limit = extraSize;

                    if (!AccessOk(@base, limit))
                        goto invalid;

                    continue;

                default:
                    goto invalid;
            }

            if (size < SIZEOF_AARCH64_CTX)
                goto invalid;

            if (limit - offset < size)
                goto invalid;

            offset += size;
        }

    done:
        return 0;

    invalid:
        return -EINVAL;
    }
}

public static class PowerpcSignal32
{
    private const int SIGSEGV = 11;

    /// <summary>__SIGNAL_FRAMESIZE on a 32-bit kernel.</summary>
    private const ulong __SIGNAL_FRAMESIZE = 64;

    /// <summary>offsetof(struct ucontext, uc_stack), 32-bit.</summary>
    private const long UC_STACK = 8;

    /// <summary>offsetof(struct ucontext, uc_regs), 32-bit: the pointer to the mcontext.</summary>
    private const long UC_REGS = 20;

    /// <summary>offsetof(struct ucontext, uc_sigmask), 32-bit.</summary>
    private const long UC_SIGMASK = 24;

    /// <summary>offsetof(struct ucontext, uc_mcontext), 32-bit (16-byte aligned for the vector registers).</summary>
    private const long UC_MCONTEXT = 176;

    /// <summary>sizeof(struct ucontext), 32-bit.</summary>
    private const int SIZEOF_UCONTEXT = 1168;

    /// <summary>sizeof(struct mcontext), 32-bit: mc_gregs[48], mc_fregs[33], mc_pad[2], mc_vregs[33].</summary>
    private const int SIZEOF_MCONTEXT = 992;

    /// <summary>offsetof(struct rt_sigframe, uc), 32-bit: after the siginfo.</summary>
    private const long RT_SF_UC = 128;

    /// <summary>sizeof(struct rt_sigframe), 32-bit: info, uc, abigap.</summary>
    private const int SIZEOF_RT_SIGFRAME = 128 + SIZEOF_UCONTEXT + 56;

    /// <summary>sizeof(struct sigcontext), 32-bit: _unused[4], signal, handler, oldmask, regs.</summary>
    private const int SIZEOF_SIGCONTEXT32 = 32;

    /// <summary>sizeof(struct sig_dbg_op), 32-bit: dbg_type, dbg_value.</summary>
    private const int SIZEOF_SIG_DBG_OP = 8;

    private const int SIG_DBG_SINGLE_STEPPING = 1;
    private const int SIG_DBG_BRANCH_TRACING = 2;

    private const ulong MSR_SE = 1UL << 10;
    private const ulong MSR_BE = 1UL << 9;

    // arch/powerpc/kernel/signal_32.c, do_setcontext(), v2.6.16 (before the CVE-2006-2448 fix, v2.6.17 and
    // 2.6.16.21; the CONFIG_PPC64 branch, where uc_regs is a 32-bit compat pointer below 4GB, is left out:
    // this is the 32-bit kernel's). Buggy: the mcontext pointer is read out of the user's ucontext and
    // restore_user_regs() reads the register file through it with __get_user()/__copy_from_user(), no
    // access_ok() on it: CVE-2006-2448, "does not perform certain required access_ok checks, which allows
    // local users to ... cause a denial of service (crash) and possibly read kernel memory on 32-bit systems
    // (signal_32.c)". The callers check ucp itself, not the pointer stored in it.
    public static int DoSetcontextV2616([RequiresAccessOk] UserPtr ucp, Helpers.PtRegs regs, int sig)
    {
        Helpers.Sigset set;
        UserPtr mcp;

        if (Helpers.GetSigsetT(out set, ucp + UC_SIGMASK) != 0)
            return -EFAULT;
        if (GetUserUnchecked(out uint uMcp, (ucp + UC_REGS).Cast<uint>()) != 0)
            return -EFAULT;
        mcp = new UserPtr(uMcp);
        Helpers.RestoreSigmask(set);
        if (Helpers.RestoreUserRegs(regs, mcp, sig) != 0) // expect: UA5003
            return -EFAULT;

        return 0;
    }

    // arch/powerpc/kernel/signal_32.c, do_setcontext(), v2.6.17 (after the CVE-2006-2448 fix). Correct: the
    // mcontext pointer read from the frame is range-checked with access_ok(VERIFY_READ, mcp, sizeof(*mcp))
    // before restore_user_regs() reads through it.
    public static int DoSetcontext([RequiresAccessOk] UserPtr ucp, Helpers.PtRegs regs, int sig) // expect: none
    {
        Helpers.Sigset set;
        UserPtr mcp;

        if (Helpers.GetSigsetT(out set, ucp + UC_SIGMASK) != 0)
            return -EFAULT;
        if (GetUserUnchecked(out uint uMcp, (ucp + UC_REGS).Cast<uint>()) != 0)
            return -EFAULT;
        mcp = new UserPtr(uMcp);
        if (!AccessOk(mcp, SIZEOF_MCONTEXT))
            return -EFAULT;
        Helpers.RestoreSigmask(set);
        if (Helpers.RestoreUserRegs(regs, mcp, sig) != 0)
            return -EFAULT;

        return 0;
    }

    // arch/powerpc/kernel/signal_32.c, sys_debug_setcontext(), v2.6.16 (CONFIG_PPC32, the classic MSR_SE/MSR_BE
    // build; the 4xx/BookE DBCR0 variant is left out). Buggy (CVE-2006-2448): the debug ops are read with
    // __copy_from_user() from a dbg pointer the caller passes in, and the context with do_setcontext(), whose
    // __get_user() of uc_regs relies on its caller's access_ok(): neither dbg nor ctx is range-checked here,
    // although the comment above the call says "Given that we have done the access_ok and successfully read
    // the first and last bytes of the region above" (as sys_swapcontext() does). (The loop also re-reads the
    // first op on every round; that is another matter.)
    public static int SysDebugSetcontextV2616(UserPtr ctx, int ndbg, UserPtr dbg, Helpers.PtRegs regs)
    {
        var op = new byte[SIZEOF_SIG_DBG_OP];
        int i;
        ulong newMsr = regs.Msr;

        for (i = 0; i < ndbg; i++)
        {
            if (Helpers.CopyFromUserUnchecked(op, dbg) != 0) // expect: UA5003
                return -EFAULT;
            switch (BitConverter.ToInt32(op, 0))
            {
                case SIG_DBG_SINGLE_STEPPING:
                    if (BitConverter.ToUInt32(op, 4) != 0)
                        newMsr |= MSR_SE;
                    else
                        newMsr &= ~MSR_SE;
                    break;
                case SIG_DBG_BRANCH_TRACING:
                    if (BitConverter.ToUInt32(op, 4) != 0)
                        newMsr |= MSR_BE;
                    else
                        newMsr &= ~MSR_BE;
                    break;

                default:
                    return -EINVAL;
            }
        }

        /* We wait until here to actually install the values in the
           registers so if we fail in the above loop, it will not
           affect the contents of these registers.  After this point,
           failure is a problem, anyway, and it's very unlikely unless
           the user is really doing something wrong. */
        regs.Msr = newMsr;

        /*
         * If we get a fault copying the context into the kernel's
         * image of the user's registers, we can't just return -EFAULT
         * because the user's registers will be corrupted. ...
         * We kill the task with a SIGSEGV in this situation.
         */
        if (DoSetcontextV2616(ctx, regs, 1) != 0) // expect: UA5003
        {
            Helpers.ForceSig(SIGSEGV);
            goto out_;
        }

        /* It's not clear whether or why it is desirable to save the sigaltstack setting on signal delivery
         * and restore it on signal return. ... -- paulus */
        Helpers.DoSigaltstack(ctx + UC_STACK, regs.Gpr[1]);

        Helpers.SigreturnExit(regs);
    /* doesn't actually return back to here */

    out_:
        return 0;
    }

    // arch/powerpc/kernel/signal_32.c, sys_swapcontext(), v2.6.16 (32-bit). Correct: both contexts are
    // access_ok()ed for sizeof(struct ucontext) before the unchecked stores into old_ctx and before
    // do_setcontext() reads new_ctx (whose first and last bytes are probed with __get_user()).
    public static long SysSwapcontextV2616(UserPtr oldCtx, UserPtr newCtx, int ctxSize, Helpers.PtRegs regs) // expect: none
    {
        byte tmp;

        /* Context size is for future use. Right now, we only make sure
         * we are passed something we understand
         */
        if (ctxSize < SIZEOF_UCONTEXT)
            return -EINVAL;

        if (oldCtx != UserPtr.Null)
        {
            if (!AccessOk(oldCtx, SIZEOF_UCONTEXT)
                || Helpers.SaveUserRegs(regs, oldCtx + UC_MCONTEXT, 0) != 0
                || Helpers.PutSigsetT(oldCtx + UC_SIGMASK, Helpers.CurrentBlocked()) != 0
                || PutUserUnchecked((uint)(oldCtx + UC_MCONTEXT).Address, (oldCtx + UC_REGS).Cast<uint>()) != 0)
                return -EFAULT;
        }
        if (newCtx == UserPtr.Null)
            return 0;
        if (!AccessOk(newCtx, SIZEOF_UCONTEXT)
            || GetUserUnchecked(out tmp, newCtx.Cast<byte>()) != 0
            || GetUserUnchecked(out tmp, (newCtx + SIZEOF_UCONTEXT - 1).Cast<byte>()) != 0)
            return -EFAULT;

        /*
         * If we get a fault copying the context into the kernel's
         * image of the user's registers, we can't just return -EFAULT
         * because the user's registers will be corrupted. ...
         */
        if (DoSetcontextV2616(newCtx, regs, 0) != 0)
            Helpers.DoExit(SIGSEGV);
        Helpers.SigreturnExit(regs);
        /* doesn't actually return back to here */
        return 0;
    }

    // arch/powerpc/kernel/signal_32.c, sys_rt_sigreturn(), v2.6.16 (32-bit). Correct: the frame at the user
    // stack pointer is access_ok()ed whole before do_setcontext() reads its ucontext.
    public static long SysRtSigreturnV2616(Helpers.PtRegs regs) // expect: none
    {
        UserPtr rtSf;

        /* Always make any pending restarted system calls return -EINTR */
        Helpers.SetRestartBlockNoRestart();

        rtSf = new UserPtr(regs.Gpr[1] + __SIGNAL_FRAMESIZE + 16);
        if (!AccessOk(rtSf, SIZEOF_RT_SIGFRAME))
            goto bad;
        if (DoSetcontextV2616(rtSf + RT_SF_UC, regs, 1) != 0)
            goto bad;

        /* It's not clear whether or why it is desirable to save the sigaltstack setting on signal delivery
         * and restore it on signal return. ... -- paulus */
        Helpers.DoSigaltstack(rtSf + RT_SF_UC + UC_STACK, regs.Gpr[1]);
        Helpers.SigreturnExit(regs); /* doesn't return here */
        return 0;

    bad:
        Helpers.ForceSig(SIGSEGV);
        return 0;
    }

    // arch/powerpc/kernel/signal_32.c, sys_sigreturn(), v2.6.16 (32-bit). Correct: the sigcontext is copied in
    // with copy_from_user(), and the mcontext pointer taken from it is access_ok()ed for sizeof(*sr) before
    // restore_user_regs() reads through it: the check do_setcontext() lacked.
    public static long SysSigreturnV2616(Helpers.PtRegs regs) // expect: none
    {
        UserPtr sc;
        var sigctx = new byte[SIZEOF_SIGCONTEXT32];
        UserPtr sr;
        var set = new Helpers.Sigset();

        /* Always make any pending restarted system calls return -EINTR */
        Helpers.SetRestartBlockNoRestart();

        sc = new UserPtr(regs.Gpr[1] + __SIGNAL_FRAMESIZE);
        if (CopyFromUser(sigctx, sc) != 0)
            goto badframe;

        set.Sig0 = BitConverter.ToUInt32(sigctx, 24); /* sigctx.oldmask */
        set.Sig1 = BitConverter.ToUInt32(sigctx, 12); /* sigctx._unused[3] */
        Helpers.RestoreSigmask(set);

        sr = new UserPtr(BitConverter.ToUInt32(sigctx, 28)); /* from_user_ptr(sigctx.regs) */
        if (!AccessOk(sr, SIZEOF_MCONTEXT)
            || Helpers.RestoreUserRegs(regs, sr, 1) != 0)
            goto badframe;

        Helpers.SigreturnExit(regs); /* doesn't return */
        return 0;

    badframe:
        Helpers.ForceSig(SIGSEGV);
        return 0;
    }
}

public static class PowerpcSignal64
{
    /// <summary>offsetof(struct sigcontext, oldmask), 64-bit.</summary>
    private const long SC_OLDMASK = 48;

    /// <summary>offsetof(struct sigcontext, gp_regs), 64-bit.</summary>
    private const long SC_GP_REGS = 64;

    /// <summary>offsetof(struct sigcontext, fp_regs), 64-bit.</summary>
    private const long SC_FP_REGS = 448;

    /// <summary>offsetof(struct sigcontext, v_regs), 64-bit: the pointer to the vector registers.</summary>
    private const long SC_V_REGS = 712;

    /// <summary>FP_REGS_SIZE: sizeof(elf_fpregset_t).</summary>
    private const int FP_REGS_SIZE = 33 * 8;

    private const int PT_MSR = 33;
    private const int PT_SOFTE = 39;
    private const int PT_RESULT = 43;

    /// <summary>sizeof(vector128).</summary>
    private const int SIZEOF_VECTOR128 = 16;

    private const ulong MSR_VEC = 1UL << 25;
    private const ulong MSR_FP = 1UL << 13;
    private const ulong MSR_FE0 = 1UL << 11;
    private const ulong MSR_FE1 = 1UL << 8;

    // arch/powerpc/kernel/signal_64.c, restore_sigcontext(), v2.6.16 (CONFIG_ALTIVEC; before the CVE-2006-2448
    // fix, v2.6.17 and 2.6.16.21). Buggy: v_regs is a pointer read out of the user's sigcontext, and the 33
    // vector registers and VRSAVE are read through it with __copy_from_user() and __get_user(), no
    // access_ok(): "allows local users to read arbitrary kernel memory on 64-bit systems (signal_64.c)"
    // (the vector registers of the task then hold the kernel's bytes). The callers checked sc itself only.
    public static long RestoreSigcontextV2616(Helpers.PtRegs64 regs, Helpers.Sigset? set, int sig, [RequiresAccessOk] UserPtr sc)
    {
        UserPtr vRegs;
        long err = 0;
        ulong saveR13 = 0;
        ulong msr;
        int i;

        /* If this is not a signal return, we preserve the TLS in r13 */
        if (sig == 0)
            saveR13 = regs.Gregs[13];

        /* copy everything before MSR */
        var gp = new byte[PT_MSR * 8];
        err |= Helpers.CopyFromUserUnchecked(gp, sc + SC_GP_REGS);
        Helpers.LoadGregs(regs, gp);

        /* skip MSR and SOFTE */
        for (i = PT_MSR + 1; i <= PT_RESULT; i++)
        {
            if (i == PT_SOFTE)
                continue;
            err |= GetUserUnchecked(out regs.Gregs[i], (sc + SC_GP_REGS + i * 8).Cast<ulong>());
        }

        if (sig == 0)
            regs.Gregs[13] = saveR13;
        if (set != null)
            err |= GetUserUnchecked(out set.Sig0, (sc + SC_OLDMASK).Cast<ulong>());

        /*
         * Do this before updating the thread state in
         * current->thread.fpr/vr.  That way, if we get preempted
         * and another task grabs the FPU/Altivec, it won't be
         * tempted to save the current CPU state into the thread_struct
         * and corrupt what we are writing there.
         */
        Helpers.DiscardLazyCpuState();

        err |= Helpers.CopyFromUserUnchecked(regs.Thread.Fpr.AsSpan(0, FP_REGS_SIZE), sc + SC_FP_REGS);

        err |= GetUserUnchecked(out ulong uVRegs, (sc + SC_V_REGS).Cast<ulong>());
        vRegs = new UserPtr(uVRegs);
        err |= GetUserUnchecked(out msr, (sc + SC_GP_REGS + PT_MSR * 8).Cast<ulong>());
        if (err != 0)
            return err;
        /* Copy 33 vec registers (vr0..31 and vscr) from the stack */
        if (vRegs != UserPtr.Null && (msr & MSR_VEC) != 0)
            err |= Helpers.CopyFromUserUnchecked(regs.Thread.Vr.AsSpan(0, 33 * SIZEOF_VECTOR128), vRegs); // expect: UA5003
        else if (regs.Thread.UsedVr)
            Array.Clear(regs.Thread.Vr, 0, 33 * SIZEOF_VECTOR128);
        /* Always get VRSAVE back */
        if (vRegs != UserPtr.Null)
            err |= GetUserUnchecked(out regs.Thread.Vrsave, (vRegs + 33 * SIZEOF_VECTOR128).Cast<uint>()); // expect: UA5003
        else
            regs.Thread.Vrsave = 0;

        /* Force reload of FP/VEC */
        regs.Msr &= ~(MSR_FP | MSR_FE0 | MSR_FE1 | MSR_VEC);

        return err;
    }

    // arch/powerpc/kernel/signal_64.c, restore_sigcontext(), v2.6.17 (after the CVE-2006-2448 fix). Correct:
    // "if (v_regs && !access_ok(VERIFY_READ, v_regs, 34 * sizeof(vector128))) return -EFAULT;" covers the
    // 33 vector registers and the VRSAVE quadword (index 33) before they are read.
    public static long RestoreSigcontext(Helpers.PtRegs64 regs, Helpers.Sigset? set, int sig, [RequiresAccessOk] UserPtr sc) // expect: none
    {
        UserPtr vRegs;
        long err = 0;
        ulong saveR13 = 0;
        ulong msr;
        int i;

        /* If this is not a signal return, we preserve the TLS in r13 */
        if (sig == 0)
            saveR13 = regs.Gregs[13];

        /* copy everything before MSR */
        var gp = new byte[PT_MSR * 8];
        err |= Helpers.CopyFromUserUnchecked(gp, sc + SC_GP_REGS);
        Helpers.LoadGregs(regs, gp);

        /* skip MSR and SOFTE */
        for (i = PT_MSR + 1; i <= PT_RESULT; i++)
        {
            if (i == PT_SOFTE)
                continue;
            err |= GetUserUnchecked(out regs.Gregs[i], (sc + SC_GP_REGS + i * 8).Cast<ulong>());
        }

        if (sig == 0)
            regs.Gregs[13] = saveR13;
        if (set != null)
            err |= GetUserUnchecked(out set.Sig0, (sc + SC_OLDMASK).Cast<ulong>());

        /*
         * Do this before updating the thread state in
         * current->thread.fpr/vr. ...
         */
        Helpers.DiscardLazyCpuState();

        err |= Helpers.CopyFromUserUnchecked(regs.Thread.Fpr.AsSpan(0, FP_REGS_SIZE), sc + SC_FP_REGS);

        err |= GetUserUnchecked(out ulong uVRegs, (sc + SC_V_REGS).Cast<ulong>());
        vRegs = new UserPtr(uVRegs);
        err |= GetUserUnchecked(out msr, (sc + SC_GP_REGS + PT_MSR * 8).Cast<ulong>());
        if (err != 0)
            return err;
        if (vRegs != UserPtr.Null && !AccessOk(vRegs, 34 * SIZEOF_VECTOR128))
            return -EFAULT;
        /* Copy 33 vec registers (vr0..31 and vscr) from the stack */
        if (vRegs != UserPtr.Null && (msr & MSR_VEC) != 0)
            err |= Helpers.CopyFromUserUnchecked(regs.Thread.Vr.AsSpan(0, 33 * SIZEOF_VECTOR128), vRegs);
        else if (regs.Thread.UsedVr)
            Array.Clear(regs.Thread.Vr, 0, 33 * SIZEOF_VECTOR128);
        /* Always get VRSAVE back */
        if (vRegs != UserPtr.Null)
            err |= GetUserUnchecked(out regs.Thread.Vrsave, (vRegs + 33 * SIZEOF_VECTOR128).Cast<uint>());
        else
            regs.Thread.Vrsave = 0;

        /* Force reload of FP/VEC */
        regs.Msr &= ~(MSR_FP | MSR_FE0 | MSR_FE1 | MSR_VEC);

        return err;
    }
}

public static class ArmOabiCompat
{
    private const int ENOMEM = 12;

    /// <summary>SEMOPM: the most operations one semop() takes.</summary>
    private const uint SEMOPM = 500;

    /// <summary>sizeof(struct oabi_sembuf): sem_num, sem_op, sem_flg, __pad.</summary>
    private const int SIZEOF_OABI_SEMBUF = 8;

    /// <summary>sizeof(struct timespec) on 32-bit ARM.</summary>
    private const int SIZEOF_TIMESPEC = 8;

    /// <summary>sizeof(struct oabi_epoll_event): events, data (packed, aligned(4)).</summary>
    private const int SIZEOF_OABI_EPOLL_EVENT = 12;

    /// <summary>sizeof(struct epoll_event) on EABI.</summary>
    private const int SIZEOF_EPOLL_EVENT = 16;

    // arch/arm/kernel/sys_oabi-compat.c, sys_oabi_semtimedop(), v4.7 (before 7de249964f55 "arm: oabi compat:
    // add missing access checks", Dave Weinstein, CVE-2016-3857, v4.8). Buggy: the caller's array of
    // oabi_sembuf is walked with __get_user_error() and nothing range-checks tsops, so a kernel address reads
    // kernel memory into the sembufs: "Add access checks to sys_oabi_epoll_wait() and sys_oabi_semtimedop().
    // This fixes CVE-2016-3857, a local privilege escalation under CONFIG_OABI_COMPAT."
    public static long SysOabiSemtimedopV47(int semid, UserPtr tsops, uint nsops, UserPtr timeout)
    {
        Helpers.Sembuf[]? sops;
        var localTimeout = new byte[SIZEOF_TIMESPEC];
        long err;
        int i;

        if (nsops < 1 || nsops > SEMOPM)
            return -EINVAL;
        sops = Helpers.KmallocSembufs(nsops); /* kmalloc(sizeof(*sops) * nsops, GFP_KERNEL) */
        if (sops == null)
            return -ENOMEM;
        err = 0;
        for (i = 0; i < nsops; i++)
        {
            err |= GetUserUnchecked(out sops[i].SemNum, tsops.Cast<ushort>()); // expect: UA5003
            err |= GetUserUnchecked(out sops[i].SemOp, (tsops + 2).Cast<short>()); // expect: UA5003
            err |= GetUserUnchecked(out sops[i].SemFlg, (tsops + 4).Cast<short>()); // expect: UA5003
            tsops += SIZEOF_OABI_SEMBUF;
        }
        if (timeout != UserPtr.Null)
        {
            /* copy this as well before changing domain protection */
            err |= CopyFromUser(localTimeout, timeout);
            /* timeout = &local_timeout; */
        }
        if (err != 0)
        {
            err = -EFAULT;
        }
        else
        {
            /* mm_segment_t fs = get_fs(); set_fs(KERNEL_DS); */
            err = Helpers.SysSemtimedopKernel(semid, sops, nsops, timeout != UserPtr.Null ? localTimeout : null);
            /* set_fs(fs); */
        }
        /* kfree(sops); */
        return err;
    }

    // arch/arm/kernel/sys_oabi-compat.c, sys_oabi_semtimedop(), v4.8 (after 7de249964f55). Correct:
    // access_ok(VERIFY_READ, tsops, sizeof(*tsops) * nsops) covers the array the loop walks.
    public static long SysOabiSemtimedop(int semid, UserPtr tsops, uint nsops, UserPtr timeout) // expect: none
    {
        Helpers.Sembuf[]? sops;
        var localTimeout = new byte[SIZEOF_TIMESPEC];
        long err;
        int i;

        if (nsops < 1 || nsops > SEMOPM)
            return -EINVAL;
        if (!AccessOk(tsops, (long)SIZEOF_OABI_SEMBUF * nsops))
            return -EFAULT;
        sops = Helpers.KmallocSembufs(nsops); /* kmalloc(sizeof(*sops) * nsops, GFP_KERNEL) */
        if (sops == null)
            return -ENOMEM;
        err = 0;
        for (i = 0; i < nsops; i++)
        {
            err |= GetUserUnchecked(out sops[i].SemNum, tsops.Cast<ushort>());
            err |= GetUserUnchecked(out sops[i].SemOp, (tsops + 2).Cast<short>());
            err |= GetUserUnchecked(out sops[i].SemFlg, (tsops + 4).Cast<short>());
            tsops += SIZEOF_OABI_SEMBUF;
        }
        if (timeout != UserPtr.Null)
        {
            /* copy this as well before changing domain protection */
            err |= CopyFromUser(localTimeout, timeout);
            /* timeout = &local_timeout; */
        }
        if (err != 0)
        {
            err = -EFAULT;
        }
        else
        {
            /* mm_segment_t fs = get_fs(); set_fs(KERNEL_DS); */
            err = Helpers.SysSemtimedopKernel(semid, sops, nsops, timeout != UserPtr.Null ? localTimeout : null);
            /* set_fs(fs); */
        }
        /* kfree(sops); */
        return err;
    }

    // arch/arm/kernel/sys_oabi-compat.c, sys_oabi_epoll_wait(), v4.7 (before 7de249964f55, CVE-2016-3857).
    // Buggy: the events epoll_wait() returned into the kernel buffer are stored into the caller's array with
    // __put_user_error() and nothing range-checks events: a kernel address is written with event data the
    // caller controls (the same commit message as above).
    public static long SysOabiEpollWaitV47(int epfd, UserPtr events, int maxevents, int timeout)
    {
        Helpers.EpollEvent[]? kbuf;
        long ret, err, i;

        if (maxevents <= 0 || maxevents > (int.MaxValue / SIZEOF_EPOLL_EVENT))
            return -EINVAL;
        kbuf = Helpers.KmallocEpollEvents(maxevents); /* kmalloc(sizeof(*kbuf) * maxevents, GFP_KERNEL) */
        if (kbuf == null)
            return -ENOMEM;
        /* fs = get_fs(); set_fs(KERNEL_DS); */
        ret = Helpers.SysEpollWaitKernel(epfd, kbuf, maxevents, timeout);
        /* set_fs(fs); */
        err = 0;
        for (i = 0; i < ret; i++)
        {
            err |= PutUserUnchecked(kbuf[i].Events, events.Cast<uint>()); // expect: UA5003
            err |= PutUserUnchecked(kbuf[i].Data, (events + 4).Cast<ulong>()); // expect: UA5003
            events += SIZEOF_OABI_EPOLL_EVENT;
        }
        /* kfree(kbuf); */
        return err != 0 ? -EFAULT : ret;
    }

    // arch/arm/kernel/sys_oabi-compat.c, sys_oabi_epoll_wait(), v4.8 (after 7de249964f55, which also bounds
    // maxevents by INT_MAX/sizeof(*events) so that the size cannot overflow). Correct: access_ok(VERIFY_WRITE,
    // events, sizeof(*events) * maxevents) covers every slot the loop may store, since epoll_wait() returns
    // at most maxevents.
    public static long SysOabiEpollWait(int epfd, UserPtr events, int maxevents, int timeout) // expect: none
    {
        Helpers.EpollEvent[]? kbuf;
        long ret, err, i;

        if (maxevents <= 0 ||
                maxevents > (int.MaxValue / SIZEOF_EPOLL_EVENT) ||
                maxevents > (int.MaxValue / SIZEOF_OABI_EPOLL_EVENT))
            return -EINVAL;
        if (!AccessOk(events, (long)SIZEOF_OABI_EPOLL_EVENT * maxevents))
            return -EFAULT;
        kbuf = Helpers.KmallocEpollEvents(maxevents); /* kmalloc(sizeof(*kbuf) * maxevents, GFP_KERNEL) */
        if (kbuf == null)
            return -ENOMEM;
        /* fs = get_fs(); set_fs(KERNEL_DS); */
        ret = Helpers.SysEpollWaitKernel(epfd, kbuf, maxevents, timeout);
        /* set_fs(fs); */
        err = 0;
        for (i = 0; i < ret; i++)
        {
            err |= PutUserUnchecked(kbuf[i].Events, events.Cast<uint>());
            err |= PutUserUnchecked(kbuf[i].Data, (events + 4).Cast<ulong>());
            events += SIZEOF_OABI_EPOLL_EVENT;
        }
        /* kfree(kbuf); */
        return err != 0 ? -EFAULT : ret;
    }
}

public static class S390Signal
{
    /// <summary>offsetof(rt_sigframe, retcode) on s390x: after callee_used_stack[__SIGNAL_FRAMESIZE].</summary>
    private const long RT_RETCODE = 160;

    /// <summary>offsetof(rt_sigframe, info) on s390x.</summary>
    private const long RT_INFO = 168;

    /// <summary>offsetof(rt_sigframe, uc) on s390x.</summary>
    private const long RT_UC = 296;

    /// <summary>offsetof(struct ucontext, uc_flags, uc_link, uc_stack.ss_sp/ss_flags/ss_size, uc_mcontext, uc_sigmask).</summary>
    private const long UC_FLAGS = 0, UC_LINK = 8, UC_SS_SP = 16, UC_SS_FLAGS = 24, UC_SS_SIZE = 32, UC_MCONTEXT = 40, UC_SIGMASK = 384;

    /// <summary>sizeof(rt_sigframe) on s390x.</summary>
    private const int SIZEOF_RT_SIGFRAME = 688;

    private const ulong SA_RESTORER = 0x04000000;

    /// <summary>PSW_ADDR_AMODE on s390x (0x80000000 on 31-bit).</summary>
    private const ulong PSW_ADDR_AMODE = 0;

    private const int S390_SYSCALL_OPCODE = 0x0a00;
    private const int __NR_rt_sigreturn = 173;

    // arch/s390/kernel/signal.c, setup_rt_frame(), v2.6.16 (before Heiko Carstens' "s390: bug in
    // setup_rt_frame", sent to Andrew Morton on 29 Apr 2006, the v2.6.17 cycle). Buggy: the store of the
    // rt_sigreturn trampoline (svc opcode) into frame->retcode is or'ed into err after err was last tested,
    // so its failure is dropped and the handler returns into a retcode that was never written: "Consider
    // return value of __put_user() when setting up a signal frame instead of ignoring it." (The value is
    // stored, so this is a result dropped by a dead store, not a call used as a statement.)
    public static int SetupRtFrameV2616(int sig, Helpers.KSigaction ka, Helpers.Siginfo info, Helpers.Sigset set, Helpers.PtRegs390 regs)
    {
        int err = 0;
        UserPtr frame;

        frame = Helpers.GetSigframe390(ka, regs, SIZEOF_RT_SIGFRAME);
        if (!AccessOk(frame, SIZEOF_RT_SIGFRAME))
            goto give_sigsegv;

        if (Helpers.CopySiginfoToUser(frame + RT_INFO, info) != 0)
            goto give_sigsegv;

        /* Create the ucontext.  */
        err |= PutUserUnchecked(0UL, (frame + RT_UC + UC_FLAGS).Cast<ulong>());
        err |= PutUserUnchecked(0UL, (frame + RT_UC + UC_LINK).Cast<ulong>());
        err |= PutUserUnchecked(Helpers.CurrentSasSsSp(), (frame + RT_UC + UC_SS_SP).Cast<ulong>());
        err |= PutUserUnchecked(Helpers.SasSsFlags(regs.Gprs[15]), (frame + RT_UC + UC_SS_FLAGS).Cast<int>());
        err |= PutUserUnchecked(Helpers.CurrentSasSsSize(), (frame + RT_UC + UC_SS_SIZE).Cast<ulong>());
        err |= Helpers.SaveSigregs(regs, frame + RT_UC + UC_MCONTEXT);
        err |= Helpers.CopyToUserUnchecked(frame + RT_UC + UC_SIGMASK, Helpers.SigsetBytes(set));
        if (err != 0)
            goto give_sigsegv;

        /* Set up to return from userspace.  If provided, use a stub
           already in userspace.  */
        if ((ka.SaFlags & SA_RESTORER) != 0)
        {
            regs.Gprs[14] = ka.SaRestorer | PSW_ADDR_AMODE;
        }
        else
        {
            regs.Gprs[14] = (frame + RT_RETCODE).Address | PSW_ADDR_AMODE;
            err |= PutUserUnchecked((ushort)(S390_SYSCALL_OPCODE | __NR_rt_sigreturn), (frame + RT_RETCODE).Cast<ushort>()); // expect: UA5001
        }

        /* Set up backchain. */
        if (PutUserUnchecked(regs.Gprs[15], frame.Cast<ulong>()) != 0)
            goto give_sigsegv;

        /* Set up registers for signal handler */
        regs.Gprs[15] = frame.Address;
        regs.PswAddr = ka.SaHandler | PSW_ADDR_AMODE;

        regs.Gprs[2] = (ulong)Helpers.MapSignal(sig);
        regs.Gprs[3] = (frame + RT_INFO).Address;
        regs.Gprs[4] = (frame + RT_UC).Address;
        return 0;

    give_sigsegv:
        Helpers.ForceSigsegv(sig);
        return -EFAULT;
    }

    // arch/s390/kernel/signal.c, setup_rt_frame(), after "s390: bug in setup_rt_frame" (2006). Correct: a
    // failed store of the trampoline goes to give_sigsegv, like every other store into the frame.
    public static int SetupRtFrame(int sig, Helpers.KSigaction ka, Helpers.Siginfo info, Helpers.Sigset set, Helpers.PtRegs390 regs) // expect: none
    {
        int err = 0;
        UserPtr frame;

        frame = Helpers.GetSigframe390(ka, regs, SIZEOF_RT_SIGFRAME);
        if (!AccessOk(frame, SIZEOF_RT_SIGFRAME))
            goto give_sigsegv;

        if (Helpers.CopySiginfoToUser(frame + RT_INFO, info) != 0)
            goto give_sigsegv;

        /* Create the ucontext.  */
        err |= PutUserUnchecked(0UL, (frame + RT_UC + UC_FLAGS).Cast<ulong>());
        err |= PutUserUnchecked(0UL, (frame + RT_UC + UC_LINK).Cast<ulong>());
        err |= PutUserUnchecked(Helpers.CurrentSasSsSp(), (frame + RT_UC + UC_SS_SP).Cast<ulong>());
        err |= PutUserUnchecked(Helpers.SasSsFlags(regs.Gprs[15]), (frame + RT_UC + UC_SS_FLAGS).Cast<int>());
        err |= PutUserUnchecked(Helpers.CurrentSasSsSize(), (frame + RT_UC + UC_SS_SIZE).Cast<ulong>());
        err |= Helpers.SaveSigregs(regs, frame + RT_UC + UC_MCONTEXT);
        err |= Helpers.CopyToUserUnchecked(frame + RT_UC + UC_SIGMASK, Helpers.SigsetBytes(set));
        if (err != 0)
            goto give_sigsegv;

        /* Set up to return from userspace.  If provided, use a stub
           already in userspace.  */
        if ((ka.SaFlags & SA_RESTORER) != 0)
        {
            regs.Gprs[14] = ka.SaRestorer | PSW_ADDR_AMODE;
        }
        else
        {
            regs.Gprs[14] = (frame + RT_RETCODE).Address | PSW_ADDR_AMODE;
            if (PutUserUnchecked((ushort)(S390_SYSCALL_OPCODE | __NR_rt_sigreturn), (frame + RT_RETCODE).Cast<ushort>()) != 0)
                goto give_sigsegv;
        }

        /* Set up backchain. */
        if (PutUserUnchecked(regs.Gprs[15], frame.Cast<ulong>()) != 0)
            goto give_sigsegv;

        /* Set up registers for signal handler */
        regs.Gprs[15] = frame.Address;
        regs.PswAddr = ka.SaHandler | PSW_ADDR_AMODE;

        regs.Gprs[2] = (ulong)Helpers.MapSignal(sig);
        regs.Gprs[3] = (frame + RT_INFO).Address;
        regs.Gprs[4] = (frame + RT_UC).Address;
        return 0;

    give_sigsegv:
        Helpers.ForceSigsegv(sig);
        return -EFAULT;
    }
}

public static class Printk
{
    /// <summary>LOG_BUF_LEN in Linux 2.4 (CONFIG_LOG_BUF_SHIFT 17); log_buf_len, its 2.6 variable, has the same default.</summary>
    private const ulong LOG_BUF_LEN = 1UL << 17;

    // kernel/printk.c, do_syslog(), Linux 2.4 (the 2.4.2x text: verify_area(), LOG_BUF_LEN, the console
    // commands 5-9 taking logbuf_lock; those commands are a stub here). Buggy: SYSLOG_ACTION_READ (2) and
    // READ_ALL/READ_CLEAR (3, 4) store each character with __put_user() and drop its result, and the overflow
    // correction moves bytes within the user buffer with __get_user()/__put_user() whose results are dropped
    // too: verify_area() only range-checks the buffer, so an unmapped or read-only page makes the syscall
    // report i bytes read while nothing was stored; for command 2 the characters were consumed from the log
    // (log_start++) and are lost. The 2.6 text below tests every one of these results.
    public static int DoSyslogV24(Helpers.LogBuffer log, int type, UserPtr buf, int len)
    {
        ulong i, j, limit, count;
        int doClear = 0;
        byte c;
        int error = 0;

        switch (type)
        {
            case 0: /* Close log */
                break;
            case 1: /* Open log */
                break;
            case 2: /* Read from log */
                error = -EINVAL;
                if (buf == UserPtr.Null || len < 0)
                    goto out_;
                error = 0;
                if (len == 0)
                    goto out_;
                error = AccessOk(buf, len) ? 0 : -EFAULT; /* verify_area(VERIFY_WRITE,buf,len) */
                if (error != 0)
                    goto out_;
                error = Helpers.WaitEventInterruptibleLog(log);
                if (error != 0)
                    goto out_;
                i = 0;
                log.Lock.Lock(); /* spin_lock_irq(&logbuf_lock) */
                while ((log.Start != log.End) && i < (ulong)len)
                {
                    c = log.At(log.Start);
                    log.Start++;
                    log.Lock.Unlock();
                    PutUserUnchecked(c, buf.Cast<byte>()); // expect: UA5001
                    buf += 1;
                    i++;
                    log.Lock.Lock();
                }
                log.Lock.Unlock();
                error = (int)i;
                break;
            case 4: /* Read/clear last kernel messages */
                doClear = 1;
                goto case 3; /* FALL THRU */
            case 3: /* Read last kernel messages */
                error = -EINVAL;
                if (buf == UserPtr.Null || len < 0)
                    goto out_;
                error = 0;
                if (len == 0)
                    goto out_;
                error = AccessOk(buf, len) ? 0 : -EFAULT; /* verify_area(VERIFY_WRITE,buf,len) */
                if (error != 0)
                    goto out_;
                count = (ulong)len;
                if (count > LOG_BUF_LEN)
                    count = LOG_BUF_LEN;
                log.Lock.Lock();
                if (count > log.LoggedChars)
                    count = log.LoggedChars;
                if (doClear != 0)
                    log.LoggedChars = 0;
                limit = log.End;
                /*
                 * __put_user() could sleep, and while we sleep
                 * printk() could overwrite the messages
                 * we try to copy to user space. Therefore
                 * the messages are copied in reverse. <manfreds>
                 */
                for (i = 0; i < count; i++)
                {
                    j = limit - 1 - i;
                    if (j + LOG_BUF_LEN < log.End)
                        break;
                    c = log.At(j);
                    log.Lock.Unlock();
                    PutUserUnchecked(c, (buf + (long)(count - 1 - i)).Cast<byte>()); // expect: UA5001
                    log.Lock.Lock();
                }
                log.Lock.Unlock();
                error = (int)i;
                if (i != count)
                {
                    int offset = (int)count - error;
                    /* buffer overflow during copy, correct user buffer. */
                    for (i = 0; i < (ulong)error; i++)
                    {
                        GetUserUnchecked(out c, (buf + (long)i + offset).Cast<byte>()); // expect: UA5001
                        PutUserUnchecked(c, (buf + (long)i).Cast<byte>()); // expect: UA5001
                    }
                }

                break;
            default: /* 5-9: clear, console on/off, console level, unread count (under logbuf_lock) */
                error = Helpers.SyslogConsoleCommand(log, type, len);
                break;
        }
    out_:
        return error;
    }

    // kernel/printk.c, do_syslog(), Linux 2.6 (the early 2.6 text: security_syslog(), verify_area(),
    // log_buf_len, command 10; commands 5-10 are a stub here; the fixing commit was not at hand). Correct: every
    // __put_user() result ends the copy with -EFAULT, and the overflow correction fails with -EFAULT when
    // either access fails; logbuf_lock is dropped around every user access.
    public static int DoSyslogV26(Helpers.LogBuffer log, int type, UserPtr buf, int len) // expect: none
    {
        ulong i, j, limit, count;
        int doClear = 0;
        byte c;
        int error = 0;

        error = Helpers.SecuritySyslog(type);
        if (error != 0)
            return error;

        switch (type)
        {
            case 0: /* Close log */
                break;
            case 1: /* Open log */
                break;
            case 2: /* Read from log */
                error = -EINVAL;
                if (buf == UserPtr.Null || len < 0)
                    goto out_;
                error = 0;
                if (len == 0)
                    goto out_;
                error = AccessOk(buf, len) ? 0 : -EFAULT; /* verify_area(VERIFY_WRITE,buf,len) */
                if (error != 0)
                    goto out_;
                error = Helpers.WaitEventInterruptibleLog(log);
                if (error != 0)
                    goto out_;
                i = 0;
                log.Lock.Lock(); /* spin_lock_irq(&logbuf_lock) */
                while (error == 0 && (log.Start != log.End) && i < (ulong)len)
                {
                    c = log.At(log.Start);
                    log.Start++;
                    log.Lock.Unlock();
                    error = PutUserUnchecked(c, buf.Cast<byte>());
                    buf += 1;
                    i++;
                    log.Lock.Lock();
                }
                log.Lock.Unlock();
                if (error == 0)
                    error = (int)i;
                break;
            case 4: /* Read/clear last kernel messages */
                doClear = 1;
                goto case 3; /* FALL THRU */
            case 3: /* Read last kernel messages */
                error = -EINVAL;
                if (buf == UserPtr.Null || len < 0)
                    goto out_;
                error = 0;
                if (len == 0)
                    goto out_;
                error = AccessOk(buf, len) ? 0 : -EFAULT; /* verify_area(VERIFY_WRITE,buf,len) */
                if (error != 0)
                    goto out_;
                count = (ulong)len;
                if (count > LOG_BUF_LEN) /* log_buf_len */
                    count = LOG_BUF_LEN;
                log.Lock.Lock();
                if (count > log.LoggedChars)
                    count = log.LoggedChars;
                if (doClear != 0)
                    log.LoggedChars = 0;
                limit = log.End;
                /*
                 * __put_user() could sleep, and while we sleep
                 * printk() could overwrite the messages
                 * we try to copy to user space. Therefore
                 * the messages are copied in reverse. <manfreds>
                 */
                for (i = 0; i < count && error == 0; i++)
                {
                    j = limit - 1 - i;
                    if (j + LOG_BUF_LEN < log.End)
                        break;
                    c = log.At(j);
                    log.Lock.Unlock();
                    error = PutUserUnchecked(c, (buf + (long)(count - 1 - i)).Cast<byte>());
                    log.Lock.Lock();
                }
                log.Lock.Unlock();
                if (error != 0)
                    break;
                error = (int)i;
                if (i != count)
                {
                    int offset = (int)count - error;
                    /* buffer overflow during copy, correct user buffer. */
                    for (i = 0; i < (ulong)error; i++)
                    {
                        if (GetUserUnchecked(out c, (buf + (long)i + offset).Cast<byte>()) != 0 ||
                            PutUserUnchecked(c, (buf + (long)i).Cast<byte>()) != 0)
                        {
                            error = -EFAULT;
                            break;
                        }
                    }
                }
                break;
            default: /* 5-10: clear, console on/off, console level, unread count, buffer size */
                error = Helpers.SyslogConsoleCommand(log, type, len);
                break;
        }
    out_:
        return error;
    }
}

public static class Seccomp
{
    private const int EACCES = 13;
    private const int ENOENT = 2;
    private const int EMEDIUMTYPE = 124;
    private const int SECCOMP_MODE_DISABLED = 0;
    private const int SECCOMP_MODE_FILTER = 2;
    private const int CAP_SYS_ADMIN = 21;

    /// <summary>sizeof(struct sock_filter).</summary>
    private const int SIZEOF_SOCK_FILTER = 8;

    // kernel/seccomp.c, seccomp_get_filter(), v4.4 (PTRACE_SECCOMP_GET_FILTER). Correct: the filter is found
    // and pinned (get_seccomp_filter()) under the target's siglock, and the copy_to_user() of its program
    // runs after spin_unlock_irq(); every error path leaves through out:, which drops the lock.
    public static long SeccompGetFilter(Helpers.SeccompTask task, ulong filterOff, UserPtr data) // expect: none
    {
        Helpers.SeccompFilter? filter;
        Helpers.SockFprog? fprog;
        long ret;
        ulong count = 0;

        if (!Helpers.Capable(CAP_SYS_ADMIN) ||
            Helpers.CurrentSeccompMode() != SECCOMP_MODE_DISABLED)
        {
            return -EACCES;
        }

        task.Sighand.Siglock.Lock(); /* spin_lock_irq(&task->sighand->siglock) */
        if (task.SeccompMode != SECCOMP_MODE_FILTER)
        {
            ret = -EINVAL;
            goto out_;
        }

        filter = task.SeccompFilter;
        while (filter != null)
        {
            filter = filter.Prev;
            count++;
        }

        if (filterOff >= count)
        {
            ret = -ENOENT;
            goto out_;
        }
        count -= filterOff;

        filter = task.SeccompFilter;
        while (filter != null && count > 1)
        {
            filter = filter.Prev;
            count--;
        }

        if (count != 1 || filter == null) /* WARN_ON() */
        {
            /* The filter tree shouldn't shrink while we're using it. */
            ret = -ENOENT;
            goto out_;
        }

        fprog = filter.OrigProg;
        if (fprog == null)
        {
            /* This must be a new non-cBPF filter, since we save
             * every cBPF filter's orig_prog above when
             * CONFIG_CHECKPOINT_RESTORE is enabled.
             */
            ret = -EMEDIUMTYPE;
            goto out_;
        }

        ret = fprog.Len;
        if (data == UserPtr.Null)
            goto out_;

        Helpers.GetSeccompFilter(task);
        task.Sighand.Siglock.Unlock(); /* spin_unlock_irq() */

        if (CopyToUser(data, fprog.Filter.AsSpan(0, fprog.Len * SIZEOF_SOCK_FILTER)) != 0) /* bpf_classic_proglen(fprog) */
            ret = -EFAULT;

        Helpers.PutSeccompFilter(task);
        return ret;

    out_:
        task.Sighand.Siglock.Unlock(); /* spin_unlock_irq() */
        return ret;
    }
}

public static class CompatMq
{
    /// <summary>sizeof(struct compat_mq_attr): mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs, __reserved[4] (compat_long_t).</summary>
    private const int SIZEOF_COMPAT_MQ_ATTR = 32;

    // ipc/compat_mq.c, get_compat_mq_attr(), v4.14. Correct: access_ok() on the whole compat_mq_attr, then
    // four unchecked reads of its fields, their results or'ed into the return value.
    public static int GetCompatMqAttr(Helpers.MqAttr attr, UserPtr uattr) // expect: none
    {
        if (!AccessOk(uattr, SIZEOF_COMPAT_MQ_ATTR))
            return -EFAULT;

        return GetUserUnchecked(out attr.MqFlags, uattr.Cast<int>())
            | GetUserUnchecked(out attr.MqMaxmsg, (uattr + 4).Cast<int>())
            | GetUserUnchecked(out attr.MqMsgsize, (uattr + 8).Cast<int>())
            | GetUserUnchecked(out attr.MqCurmsgs, (uattr + 12).Cast<int>());
    }

    // ipc/compat_mq.c, put_compat_mq_attr(), v4.14. Correct: clear_user() of the whole struct (which checks
    // the range itself and zeroes __reserved) succeeds before the four unchecked stores into it.
    public static int PutCompatMqAttr(Helpers.MqAttr attr, UserPtr uattr) // expect: none
    {
        if (ClearUser(uattr, SIZEOF_COMPAT_MQ_ATTR) != 0)
            return -EFAULT;

        return PutUserUnchecked(attr.MqFlags, uattr.Cast<int>())
            | PutUserUnchecked(attr.MqMaxmsg, (uattr + 4).Cast<int>())
            | PutUserUnchecked(attr.MqMsgsize, (uattr + 8).Cast<int>())
            | PutUserUnchecked(attr.MqCurmsgs, (uattr + 12).Cast<int>());
    }
}

public static class Helpers
{
    // ---- arm64 ----

    /// <summary>struct user_ctxs: the records parse_user_sigframe() found.</summary>
    public sealed class UserCtxs
    {
        public UserPtr Fpsimd;
    }

    // ---- powerpc ----

    /// <summary>sigset_t: two words on 32-bit, sig[0] on 64-bit.</summary>
    public sealed class Sigset
    {
        public ulong Sig0;
        public ulong Sig1;
    }

    /// <summary>struct pt_regs (32-bit): the GPRs and the MSR.</summary>
    public sealed class PtRegs
    {
        public ulong[] Gpr = new ulong[32];
        public ulong Msr;
    }

    /// <summary>current->thread: FP and AltiVec state.</summary>
    public sealed class PpcThread
    {
        public byte[] Fpr = new byte[33 * 8];
        public byte[] Vr = new byte[34 * 16];
        public uint Vrsave;
        public bool UsedVr;
    }

    /// <summary>struct pt_regs (64-bit) as elf_greg_t[], the MSR, and current->thread.</summary>
    public sealed class PtRegs64
    {
        public ulong[] Gregs = new ulong[48];
        public ulong Msr;
        public PpcThread Thread = new();
    }

    /// <summary>get_sigset_t() on a 32-bit kernel: copy_from_user(set, uset, sizeof(*uset)); the bytes not copied.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    public static int GetSigsetT(out Sigset set, UserPtr uset)
    {
        var k = new byte[8];
        int left = CopyFromUser(k, uset);
        set = new Sigset { Sig0 = BitConverter.ToUInt32(k, 0), Sig1 = BitConverter.ToUInt32(k, 4) };
        return left;
    }

    /// <summary>put_sigset_t() on a 32-bit kernel: copy_to_user(uset, set, sizeof(*uset)); the bytes not copied.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    public static int PutSigsetT(UserPtr uset, Sigset set)
    {
        var k = new byte[8];
        BitConverter.TryWriteBytes(k.AsSpan(0, 4), (uint)set.Sig0);
        BitConverter.TryWriteBytes(k.AsSpan(4, 4), (uint)set.Sig1);
        return CopyToUser(uset, k);
    }

    /// <summary>current->blocked.</summary>
    public static Sigset CurrentBlocked() => new();

    /// <summary>restore_sigmask(): sets current->blocked (under siglock) and recalculates the pending state.</summary>
    public static void RestoreSigmask(Sigset set)
    {
    }

    /// <summary>
    /// restore_user_regs(): reads the general registers, the FP registers and (AltiVec) the vector registers
    /// and VRSAVE of the mcontext at sr with __get_user()/__copy_from_user(): the caller must have
    /// access_ok()ed sr for sizeof(struct mcontext). Nonzero on a fault.
    /// </summary>
    [MustCheck]
    public static int RestoreUserRegs(PtRegs regs, [RequiresAccessOk] UserPtr sr, int sig)
    {
        var gregs = new byte[48 * 4];
        if (CopyFromUserUnchecked(gregs, sr) != 0)
            return 1;
        for (int i = 0; i < 32; i++)
            regs.Gpr[i] = BitConverter.ToUInt32(gregs, i * 4);
        return 0;
    }

    /// <summary>save_user_regs(): stores the registers into the mcontext at frame with __put_user()/__copy_to_user(); the caller access_ok()ed it. Nonzero on a fault.</summary>
    [MustCheck]
    public static int SaveUserRegs(PtRegs regs, [RequiresAccessOk] UserPtr frame, int sigret)
    {
        for (int i = 0; i < 32; i++)
        {
            if (PutUserUnchecked((uint)regs.Gpr[i], (frame + i * 4).Cast<uint>()) != 0)
                return 1;
        }

        return 0;
    }

    /// <summary>elf_greg_t[] from the bytes copied in.</summary>
    public static void LoadGregs(PtRegs64 regs, byte[] gp)
    {
        for (int i = 0; i < gp.Length / 8; i++)
            regs.Gregs[i] = BitConverter.ToUInt64(gp, i * 8);
    }

    /// <summary>discard_lazy_cpu_state().</summary>
    public static void DiscardLazyCpuState()
    {
    }

    /// <summary>current_thread_info()->restart_block.fn = do_no_restart_syscall.</summary>
    public static void SetRestartBlockNoRestart()
    {
    }

    /// <summary>do_sigaltstack(uss, NULL, sp): copies the stack_t in with its own checks; the result is ignored by the signal code.</summary>
    public static int DoSigaltstack(UserPtr uss, ulong sp)
    {
        var ss = new byte[12];
        return CopyFromUser(ss, uss) != 0 ? -EFAULT : 0;
    }

    /// <summary>sigreturn_exit(): returns to user space through the restored registers (stub).</summary>
    public static void SigreturnExit(PtRegs regs)
    {
    }

    /// <summary>force_sig(sig, current).</summary>
    public static void ForceSig(int sig)
    {
    }

    /// <summary>do_exit(code) (stub).</summary>
    public static void DoExit(int code)
    {
    }

    /// <summary>__copy_from_user(): no access_ok(); the bytes not copied (the tail zero-filled).</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Read, "from", Size = "to")]
    public static int CopyFromUserUnchecked(Span<byte> to, [RequiresAccessOk] UserPtr from)
    {
        for (int i = 0; i < to.Length; i++)
        {
            if (GetUserUnchecked(out byte b, (from + i).Cast<byte>()) != 0)
            {
                to.Slice(i).Clear();
                return to.Length - i;
            }
            to[i] = b;
        }

        return 0;
    }

    // ---- s390 ----

    /// <summary>struct k_sigaction: sa_handler, sa_flags, sa_restorer.</summary>
    public sealed class KSigaction
    {
        public ulong SaHandler;
        public ulong SaFlags;
        public ulong SaRestorer;
    }

    /// <summary>siginfo_t (kernel copy).</summary>
    public sealed class Siginfo
    {
        public int SiSigno;
    }

    /// <summary>struct pt_regs on s390: the PSW address and the GPRs.</summary>
    public sealed class PtRegs390
    {
        public ulong PswAddr;
        public ulong[] Gprs = new ulong[16];
    }

    /// <summary>get_sigframe(): the frame address below the stack pointer or on the alternate stack (no range check; the caller access_ok()s it).</summary>
    public static UserPtr GetSigframe390(KSigaction ka, PtRegs390 regs, int frameSize) => new UserPtr((regs.Gprs[15] - (ulong)frameSize) & ~7UL);

    /// <summary>copy_siginfo_to_user(): access_ok() on the siginfo, then __put_user() of its fields; 0 or -EFAULT.</summary>
    [MustCheck]
    [ReturnsErrno]
    public static int CopySiginfoToUser(UserPtr to, Siginfo from)
    {
        if (!AccessOk(to, 128))
            return -EFAULT;
        return PutUserUnchecked(from.SiSigno, to.Cast<int>());
    }

    /// <summary>save_sigregs(): copies the PSW, GPRs, access and FP registers into the frame's _sigregs with __copy_to_user(); the caller access_ok()ed the frame. Nonzero on a fault.</summary>
    [MustCheck]
    public static int SaveSigregs(PtRegs390 regs, [RequiresAccessOk] UserPtr sregs)
    {
        for (int i = 0; i < 16; i++)
        {
            if (PutUserUnchecked(regs.Gprs[i], (sregs + 16 + i * 8).Cast<ulong>()) != 0)
                return -EFAULT;
        }

        return 0;
    }

    /// <summary>current->sas_ss_sp.</summary>
    public static ulong CurrentSasSsSp() => 0;

    /// <summary>current->sas_ss_size.</summary>
    public static ulong CurrentSasSsSize() => 0;

    /// <summary>sas_ss_flags(sp): SS_ONSTACK, SS_DISABLE or 0.</summary>
    public static int SasSsFlags(ulong sp) => 2;

    /// <summary>map_signal(): the signal number as the task's exec domain sees it.</summary>
    public static int MapSignal(int sig) => sig;

    /// <summary>force_sigsegv(sig, current).</summary>
    public static void ForceSigsegv(int sig)
    {
    }

    /// <summary>The sigset_t as the bytes __copy_to_user() stores.</summary>
    public static byte[] SigsetBytes(Sigset set) => BitConverter.GetBytes(set.Sig0);

    /// <summary>__copy_to_user(): no access_ok(); the bytes not copied.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, "to", Size = "from")]
    public static int CopyToUserUnchecked([RequiresAccessOk] UserPtr to, ReadOnlySpan<byte> from)
    {
        for (int i = 0; i < from.Length; i++)
        {
            if (PutUserUnchecked(from[i], (to + i).Cast<byte>()) != 0)
                return from.Length - i;
        }

        return 0;
    }

    // ---- printk ----

    /// <summary>The log ring: log_buf, log_start, log_end, logged_chars and logbuf_lock (taken with spin_lock_irq()).</summary>
    public sealed class LogBuffer
    {
        public KernelSpinlock Lock = new();
        public byte[] Buf = new byte[1 << 17];
        public ulong Start;
        public ulong End;
        public ulong LoggedChars;

        /// <summary>LOG_BUF(idx): log_buf[idx &amp; LOG_BUF_MASK].</summary>
        public byte At(ulong idx) => Buf[(int)(idx & (ulong)(Buf.Length - 1))];
    }

    /// <summary>wait_event_interruptible(log_wait, (log_start - log_end)): 0, or -ERESTARTSYS on a signal.</summary>
    public static int WaitEventInterruptibleLog(LogBuffer log) => SignalPending() ? -512 : 0;

    /// <summary>security_syslog(type): 0 or -EPERM.</summary>
    public static int SecuritySyslog(int type) => 0;

    /// <summary>do_syslog() commands 5 and up (clear, console on/off, console level, unread count, buffer size), stub: no user memory.</summary>
    public static int SyslogConsoleCommand(LogBuffer log, int type, int len) => type > 10 ? -EINVAL : 0;

    // ---- ARM OABI ----

    /// <summary>struct sembuf.</summary>
    public struct Sembuf
    {
        public ushort SemNum;
        public short SemOp;
        public short SemFlg;
    }

    /// <summary>struct epoll_event (EABI layout in the kernel buffer).</summary>
    public struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    /// <summary>kmalloc(sizeof(struct sembuf) * nsops, GFP_KERNEL); NULL when it fails.</summary>
    public static Sembuf[]? KmallocSembufs(uint nsops) => new Sembuf[nsops];

    /// <summary>kmalloc(sizeof(struct epoll_event) * maxevents, GFP_KERNEL); NULL when it fails.</summary>
    public static EpollEvent[]? KmallocEpollEvents(int maxevents) => new EpollEvent[maxevents];

    /// <summary>sys_semtimedop() called under set_fs(KERNEL_DS) on the kernel copies (stub); 0 or a negative errno.</summary>
    public static long SysSemtimedopKernel(int semid, Sembuf[] sops, uint nsops, byte[]? timeout) => 0;

    /// <summary>sys_epoll_wait() called under set_fs(KERNEL_DS) into the kernel buffer (stub); the events returned (at most maxevents) or a negative errno.</summary>
    public static long SysEpollWaitKernel(int epfd, EpollEvent[] kbuf, int maxevents, int timeout) => 0;

    // ---- seccomp ----

    /// <summary>struct sock_fprog_kern: the classic BPF program kept for dumping.</summary>
    public sealed class SockFprog
    {
        public int Len;
        public byte[] Filter = Array.Empty<byte>();
    }

    /// <summary>struct seccomp_filter: the previous filter in the chain and the original program.</summary>
    public sealed class SeccompFilter
    {
        public SeccompFilter? Prev;
        public SockFprog? OrigProg;
    }

    /// <summary>struct sighand_struct: siglock (taken with spin_lock_irq()).</summary>
    public sealed class Sighand
    {
        public KernelSpinlock Siglock = new();
    }

    /// <summary>struct task_struct: its sighand and seccomp state.</summary>
    public sealed class SeccompTask
    {
        public Sighand Sighand = new();
        public int SeccompMode;
        public SeccompFilter? SeccompFilter;
    }

    /// <summary>capable().</summary>
    public static bool Capable(int cap) => true;

    /// <summary>current->seccomp.mode.</summary>
    public static int CurrentSeccompMode() => 0;

    /// <summary>get_seccomp_filter(task): takes a reference on task->seccomp.filter (an atomic increment).</summary>
    public static void GetSeccompFilter(SeccompTask task)
    {
    }

    /// <summary>put_seccomp_filter(task): drops the reference, freeing the chain on the last one.</summary>
    public static void PutSeccompFilter(SeccompTask task)
    {
    }

    // ---- ipc/compat_mq.c ----

    /// <summary>struct mq_attr, the fields the compat conversion moves.</summary>
    public sealed class MqAttr
    {
        public int MqFlags;
        public int MqMaxmsg;
        public int MqMsgsize;
        public int MqCurmsgs;
    }
}
