// Held out: code the rules were not tuned on. Architecture code outside the x86 and powerpc signal frames:
// - arch/mips/kernel/signal.c setup_frame() and setup_rt_frame(): the result of install_sigtramp(), which
//   stores the sigreturn trampoline into the frame with __put_user(), dropped, before Franck Bui-Huu's
//   "[MIPS] signal: test return value of install_sigtramp()" (linux-mips, Feb 2007, v2.6.21 cycle); both
//   sides, and the correct sys_sigaction() and sys_sigreturn() of the same file;
// - arch/alpha/kernel/osf_sys.c osf_wait4(): sys_wait4() called under set_fs(KERNEL_DS) with the caller's
//   status pointer, so its store reaches any address (CVE-2011-2211, fixed by 21c5977a836e "alpha: fix
//   several security issues", v3.0); both sides and the current version;
// - arch/alpha/kernel/osf_sys.c osf_getdomainname(): the name stored byte by byte with __put_user() after
//   access_ok() and the results dropped (v3.0 to v4.12), and the v4.19 version; osf_sigstack(),
//   osf_proplist_syscall() and put_tv_to_tv32() as they are now;
// - arch/x86/kernel/ldt.c read_default_ldt() as it is now.
// Register files, signal delivery, the wait itself, the utsname and the LDT are stubs; the user pointers,
// the accesses, their checks, the locks and the control flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.ArchMisc;

public static class MipsSignal
{
    private const int SIGSEGV = 11;
    private const uint __NR_O32_Linux = 4000;
    private const uint __NR_sigreturn = __NR_O32_Linux + 119;
    private const uint __NR_rt_sigreturn = __NR_O32_Linux + 193;

    /// <summary>sizeof(struct sigcontext) (o32): sc_regmask, sc_status, sc_pc, sc_regs[32], sc_fpregs[32], ..., sc_lo3.</summary>
    private const int SIZEOF_SIGCONTEXT = 592;

    /// <summary>sizeof(sigset_t): _NSIG 128.</summary>
    private const int SIZEOF_SIGSET = 16;

    // struct sigframe (no RM9000 workaround): sf_ass[4], sf_code[2], sf_sc, sf_mask.
    private const int SF_CODE = 16;
    private const int SF_SC = 24;
    private const int SF_MASK = SF_SC + SIZEOF_SIGCONTEXT;
    private const int SIZEOF_SIGFRAME = SF_MASK + SIZEOF_SIGSET;

    // struct rt_sigframe: rs_ass[4], rs_code[2], rs_info (128 bytes), rs_uc.
    private const int RS_CODE = 16;
    private const int RS_INFO = 24;
    private const int RS_UC = 152;
    private const int UC_FLAGS = 0;
    private const int UC_LINK = 4;
    private const int UC_SS_SP = 8;
    private const int UC_SS_SIZE = 12;
    private const int UC_SS_FLAGS = 16;
    private const int UC_MCONTEXT = 24;
    private const int UC_SIGMASK = UC_MCONTEXT + SIZEOF_SIGCONTEXT;
    private const int SIZEOF_RT_SIGFRAME = RS_UC + UC_SIGMASK + SIZEOF_SIGSET;

    // struct sigaction (o32): sa_flags, sa_handler, sa_mask.
    private const int SA_FLAGS = 0;
    private const int SA_HANDLER = 4;
    private const int SA_MASK = 8;
    private const int SIZEOF_SIGACTION = SA_MASK + SIZEOF_SIGSET;

    private const uint TIF_SYSCALL_TRACE = 1u << 0;

    // arch/mips/kernel/signal.c, setup_frame(), v2.6.20 (before Franck Bui-Huu's "[MIPS] signal: test return
    // value of install_sigtramp()", posted to linux-mips on 23 Jan and 5 Feb 2007 and merged for v2.6.21).
    // Buggy: install_sigtramp() stores the "li v0, __NR_sigreturn; syscall" trampoline into frame->sf_code
    // with __put_user() and returns the or-ed results, which setup_frame() drops; a fault there delivers the
    // signal with $31 pointing at a trampoline that was never written, instead of giving SIGSEGV. The fix:
    // "err |= install_sigtramp(frame->sf_code, __NR_sigreturn);".
    public static int SetupFrameV2620(Helpers.KSigaction ka, Helpers.PtRegs regs, int signr, Helpers.Sigset set)
    {
        UserPtr frame;
        int err = 0;

        frame = Helpers.GetSigframe(ka, regs, SIZEOF_SIGFRAME);
        if (!AccessOk(frame, SIZEOF_SIGFRAME))
            goto give_sigsegv;

        Helpers.InstallSigtramp((frame + SF_CODE).Cast<uint>(), __NR_sigreturn); // expect: UA5001

        err |= Helpers.SetupSigcontext(regs, frame + SF_SC);
        err |= Helpers.CopyToUserUnchecked(frame + SF_MASK, Helpers.SigsetBytes(set));
        if (err != 0)
            goto give_sigsegv;

        /*
         * Arguments to signal handler:
         *
         *   a0 = signal number
         *   a1 = 0 (should be cause)
         *   a2 = pointer to struct sigcontext
         *
         * $25 and c0_epc point to the signal handler, $29 points to the
         * struct sigframe.
         */
        regs.Regs[4] = (ulong)signr;
        regs.Regs[5] = 0;
        regs.Regs[6] = (frame + SF_SC).Address;
        regs.Regs[29] = frame.Address;
        regs.Regs[31] = (frame + SF_CODE).Address;
        regs.Cp0Epc = regs.Regs[25] = ka.SaHandler;

        return 1;

    give_sigsegv:
        Helpers.ForceSigsegv(signr);
        return 0;
    }

    // arch/mips/kernel/signal.c, setup_frame(), after "[MIPS] signal: test return value of install_sigtramp()"
    // (v2.6.21). Correct: the trampoline's result is or-ed into err, which is tested before the frame is used.
    public static int SetupFrame(Helpers.KSigaction ka, Helpers.PtRegs regs, int signr, Helpers.Sigset set) // expect: none
    {
        UserPtr frame;
        int err = 0;

        frame = Helpers.GetSigframe(ka, regs, SIZEOF_SIGFRAME);
        if (!AccessOk(frame, SIZEOF_SIGFRAME))
            goto give_sigsegv;

        err |= Helpers.InstallSigtramp((frame + SF_CODE).Cast<uint>(), __NR_sigreturn);

        err |= Helpers.SetupSigcontext(regs, frame + SF_SC);
        err |= Helpers.CopyToUserUnchecked(frame + SF_MASK, Helpers.SigsetBytes(set));
        if (err != 0)
            goto give_sigsegv;

        regs.Regs[4] = (ulong)signr;
        regs.Regs[5] = 0;
        regs.Regs[6] = (frame + SF_SC).Address;
        regs.Regs[29] = frame.Address;
        regs.Regs[31] = (frame + SF_CODE).Address;
        regs.Cp0Epc = regs.Regs[25] = ka.SaHandler;

        return 1;

    give_sigsegv:
        Helpers.ForceSigsegv(signr);
        return 0;
    }

    // arch/mips/kernel/signal.c, setup_rt_frame(), v2.6.20 (before the same commit). Buggy: the same dropped
    // result of install_sigtramp(frame->rs_code, __NR_rt_sigreturn); every other store into the rt frame is
    // or-ed into err and tested.
    public static int SetupRtFrameV2620(Helpers.KSigaction ka, Helpers.PtRegs regs, int signr, Helpers.Sigset set, Helpers.Siginfo info)
    {
        UserPtr frame;
        int err = 0;

        frame = Helpers.GetSigframe(ka, regs, SIZEOF_RT_SIGFRAME);
        if (!AccessOk(frame, SIZEOF_RT_SIGFRAME))
            goto give_sigsegv;

        Helpers.InstallSigtramp((frame + RS_CODE).Cast<uint>(), __NR_rt_sigreturn); // expect: UA5001

        /* Create siginfo.  */
        err |= Helpers.CopySiginfoToUser(frame + RS_INFO, info);

        /* Create the ucontext.  */
        err |= PutUserUnchecked(0u, (frame + RS_UC + UC_FLAGS).Cast<uint>());
        err |= PutUserUnchecked(0u, (frame + RS_UC + UC_LINK).Cast<uint>());
        err |= PutUserUnchecked(Helpers.CurrentSasSsSp(), (frame + RS_UC + UC_SS_SP).Cast<uint>());
        err |= PutUserUnchecked(Helpers.SasSsFlags(regs.Regs[29]), (frame + RS_UC + UC_SS_FLAGS).Cast<int>());
        err |= PutUserUnchecked(Helpers.CurrentSasSsSize(), (frame + RS_UC + UC_SS_SIZE).Cast<uint>());
        err |= Helpers.SetupSigcontext(regs, frame + RS_UC + UC_MCONTEXT);
        err |= Helpers.CopyToUserUnchecked(frame + RS_UC + UC_SIGMASK, Helpers.SigsetBytes(set));

        if (err != 0)
            goto give_sigsegv;

        /*
         * Arguments to signal handler:
         *
         *   a0 = signal number
         *   a1 = 0 (should be cause)
         *   a2 = pointer to ucontext
         *
         * $25 and c0_epc point to the signal handler, $29 points to
         * the struct rt_sigframe.
         */
        regs.Regs[4] = (ulong)signr;
        regs.Regs[5] = (frame + RS_INFO).Address;
        regs.Regs[6] = (frame + RS_UC).Address;
        regs.Regs[29] = frame.Address;
        regs.Regs[31] = (frame + RS_CODE).Address;
        regs.Cp0Epc = regs.Regs[25] = ka.SaHandler;

        return 1;

    give_sigsegv:
        Helpers.ForceSigsegv(signr);
        return 0;
    }

    // arch/mips/kernel/signal.c, setup_rt_frame(), after "[MIPS] signal: test return value of
    // install_sigtramp()" (v2.6.21). Correct: the trampoline's result joins err, tested with the rest.
    public static int SetupRtFrame(Helpers.KSigaction ka, Helpers.PtRegs regs, int signr, Helpers.Sigset set, Helpers.Siginfo info) // expect: none
    {
        UserPtr frame;
        int err = 0;

        frame = Helpers.GetSigframe(ka, regs, SIZEOF_RT_SIGFRAME);
        if (!AccessOk(frame, SIZEOF_RT_SIGFRAME))
            goto give_sigsegv;

        err |= Helpers.InstallSigtramp((frame + RS_CODE).Cast<uint>(), __NR_rt_sigreturn);

        /* Create siginfo.  */
        err |= Helpers.CopySiginfoToUser(frame + RS_INFO, info);

        /* Create the ucontext.  */
        err |= PutUserUnchecked(0u, (frame + RS_UC + UC_FLAGS).Cast<uint>());
        err |= PutUserUnchecked(0u, (frame + RS_UC + UC_LINK).Cast<uint>());
        err |= PutUserUnchecked(Helpers.CurrentSasSsSp(), (frame + RS_UC + UC_SS_SP).Cast<uint>());
        err |= PutUserUnchecked(Helpers.SasSsFlags(regs.Regs[29]), (frame + RS_UC + UC_SS_FLAGS).Cast<int>());
        err |= PutUserUnchecked(Helpers.CurrentSasSsSize(), (frame + RS_UC + UC_SS_SIZE).Cast<uint>());
        err |= Helpers.SetupSigcontext(regs, frame + RS_UC + UC_MCONTEXT);
        err |= Helpers.CopyToUserUnchecked(frame + RS_UC + UC_SIGMASK, Helpers.SigsetBytes(set));

        if (err != 0)
            goto give_sigsegv;

        regs.Regs[4] = (ulong)signr;
        regs.Regs[5] = (frame + RS_INFO).Address;
        regs.Regs[6] = (frame + RS_UC).Address;
        regs.Regs[29] = frame.Address;
        regs.Regs[31] = (frame + RS_CODE).Address;
        regs.Cp0Epc = regs.Regs[25] = ka.SaHandler;

        return 1;

    give_sigsegv:
        Helpers.ForceSigsegv(signr);
        return 0;
    }

    // arch/mips/kernel/signal.c, sys_sigaction(), v2.6.20 (CONFIG_TRAD_SIGNALS). Correct: each struct is
    // access_ok()ed whole before its fields are read or written with __get_user()/__put_user(), and the
    // or-ed results are tested before the values are used or success is returned.
    public static int SysSigaction(int sig, UserPtr act, UserPtr oact) // expect: none
    {
        Helpers.KSigaction newKa = new(), oldKa = new();
        int ret;
        int err = 0;

        if (act != UserPtr.Null)
        {
            uint mask;

            if (!AccessOk(act, SIZEOF_SIGACTION))
                return -EFAULT;
            err |= GetUserUnchecked(out uint handler, (act + SA_HANDLER).Cast<uint>());
            err |= GetUserUnchecked(out uint flags, (act + SA_FLAGS).Cast<uint>());
            err |= GetUserUnchecked(out mask, (act + SA_MASK).Cast<uint>());
            if (err != 0)
                return -EFAULT;

            newKa.SaHandler = handler;
            newKa.SaFlags = flags;
            newKa.SaMask = mask; /* siginitset(&new_ka.sa.sa_mask, mask); */
        }

        ret = Helpers.DoSigaction(sig, act != UserPtr.Null ? newKa : null, oact != UserPtr.Null ? oldKa : null);

        if (ret == 0 && oact != UserPtr.Null)
        {
            if (!AccessOk(oact, SIZEOF_SIGACTION))
                return -EFAULT;
            err |= PutUserUnchecked((uint)oldKa.SaFlags, (oact + SA_FLAGS).Cast<uint>());
            err |= PutUserUnchecked((uint)oldKa.SaHandler, (oact + SA_HANDLER).Cast<uint>());
            err |= PutUserUnchecked((uint)oldKa.SaMask, (oact + SA_MASK).Cast<uint>());
            err |= PutUserUnchecked(0u, (oact + SA_MASK + 4).Cast<uint>());
            err |= PutUserUnchecked(0u, (oact + SA_MASK + 8).Cast<uint>());
            err |= PutUserUnchecked(0u, (oact + SA_MASK + 12).Cast<uint>());
            if (err != 0)
                return -EFAULT;
        }

        return ret;
    }

    // arch/mips/kernel/signal.c, _sys_sigreturn(), v2.6.20. Correct: the frame is access_ok()ed whole, the
    // blocked mask is read with a checked __copy_from_user() before siglock is taken, only kernel state is
    // touched under siglock, and restore_sigcontext()'s result is tested; any fault ends in SIGSEGV.
    public static void SysSigreturn(Helpers.PtRegs regs, Helpers.Task current) // expect: none
    {
        UserPtr frame;
        var blocked = new byte[SIZEOF_SIGSET];

        frame = new UserPtr(regs.Regs[29]);
        if (!AccessOk(frame, SIZEOF_SIGFRAME))
            goto badframe;
        if (Helpers.CopyFromUserUnchecked(blocked, frame + SF_MASK) != 0)
            goto badframe;

        /* sigdelsetmask(&blocked, ~_BLOCKABLE); */
        current.Siglock.Lock(); /* spin_lock_irq(&current->sighand->siglock) */
        current.Blocked = BitConverter.ToUInt64(blocked, 0);
        Helpers.RecalcSigpending(current);
        current.Siglock.Unlock();

        if (Helpers.RestoreSigcontext(regs, frame + SF_SC) != 0)
            goto badframe;

        /*
         * Don't let your children do this ...
         */
        if ((current.ThreadFlags & TIF_SYSCALL_TRACE) != 0)
            Helpers.DoSyscallTrace(regs, 1);
        /* __asm__ __volatile__("move\t$29, %0\n\tj\tsyscall_exit" ...); -- unreached */
        return;

    badframe:
        Helpers.ForceSig(SIGSEGV);
    }
}

public static class AlphaOsf
{
    private const int NSEC_PER_USEC = 1000;

    // struct rusage32: ru_utime and ru_stime (struct timeval32: two ints), then 14 longs from ru_maxrss.
    private const int RU_UTIME = 0;
    private const int RU_STIME = 8;
    private const int RU_MAXRSS = 16;
    private const int SIZEOF_RUSAGE32 = RU_MAXRSS + 14 * 8;

    // struct sigstack: void *ss_sp; int ss_onstack.
    private const int SS_SP = 0;
    private const int SS_ONSTACK = 8;

    private const int SIGSTKSZ = 16384;
    private const int EPERM = 1;
    private const int EOPNOTSUPP = 95;

    private const int PL_SET = 1, PL_FSET = 2, PL_GET = 3, PL_FGET = 4, PL_DEL = 5, PL_FDEL = 6;

    // union pl_args offsets: set.nbytes, fset.nbytes, get.min_buf_size, fget.min_buf_size.
    private const int PL_SET_NBYTES = 16;
    private const int PL_FSET_NBYTES = 8;
    private const int PL_GET_MIN_BUF_SIZE = 40;
    private const int PL_FGET_MIN_BUF_SIZE = 32;

    // arch/alpha/kernel/osf_sys.c, osf_wait4(), v2.6.39 (before 21c5977a836e "alpha: fix several security
    // issues", Dan Rosenberg, v3.0; CVE-2011-2211). Buggy: sys_wait4() runs under set_fs(KERNEL_DS) so that
    // it can fill the kernel's struct rusage, but it is handed the caller's ustatus as well: its put_user()
    // of the status is range-checked against the kernel limit, so the user pointer is stored through with
    // no user range check ("uses an incorrect pointer, which allows local users to gain privileges by
    // writing a certain integer value to kernel memory"). The fix has sys_wait4() store into a kernel
    // local and copies it out with put_user().
    public static long OsfWait4V2639(int pid, UserPtr<int> ustatus, int options, UserPtr ur)
    {
        Helpers.Rusage r;
        long ret, err;

        if (ur == UserPtr.Null)
            return Helpers.SysWait4(pid, ustatus, options);

        /* old_fs = get_fs(); set_fs (KERNEL_DS); */
        ret = Helpers.SysWait4KernelDs(pid, ustatus, options, out r); // expect: UA5003
        /* set_fs (old_fs); */

        if (!AccessOk(ur, SIZEOF_RUSAGE32))
            return -EFAULT;

        err = 0;
        err |= PutUserUnchecked((int)r.UtimeSec, (ur + RU_UTIME).Cast<int>());
        err |= PutUserUnchecked((int)r.UtimeUsec, (ur + RU_UTIME + 4).Cast<int>());
        err |= PutUserUnchecked((int)r.StimeSec, (ur + RU_STIME).Cast<int>());
        err |= PutUserUnchecked((int)r.StimeUsec, (ur + RU_STIME + 4).Cast<int>());
        for (int k = 0; k < 14; k++) /* ru_maxrss ... ru_nivcsw, one __put_user() each */
            err |= PutUserUnchecked(r.Longs[k], (ur + RU_MAXRSS + k * 8).Cast<long>());

        return err != 0 ? err : ret;
    }

    // arch/alpha/kernel/osf_sys.c, osf_wait4(), v3.0 (after 21c5977a836e, CVE-2011-2211). Correct as far as
    // user memory goes: sys_wait4() stores the status into a kernel local under KERNEL_DS and put_user()
    // copies it out with a user range check; the rusage fields go out with __put_user() after access_ok(),
    // their or-ed results returned. (Copying r when sys_wait4() failed leaked stack contents; a8c39544a6eb
    // "osf_wait4(): fix infoleak" fixed that in 2017, which is not a user-access rule.)
    public static long OsfWait4V30(int pid, UserPtr<int> ustatus, int options, UserPtr ur) // expect: none
    {
        Helpers.Rusage r;
        long ret, err;
        uint status = 0;

        if (ur == UserPtr.Null)
            return Helpers.SysWait4(pid, ustatus, options);

        /* old_fs = get_fs(); set_fs (KERNEL_DS); */
        ret = Helpers.SysWait4Kernel(pid, out status, options, out r);
        /* set_fs (old_fs); */

        if (!AccessOk(ur, SIZEOF_RUSAGE32))
            return -EFAULT;

        err = 0;
        err |= PutUser((int)status, ustatus);
        err |= PutUserUnchecked((int)r.UtimeSec, (ur + RU_UTIME).Cast<int>());
        err |= PutUserUnchecked((int)r.UtimeUsec, (ur + RU_UTIME + 4).Cast<int>());
        err |= PutUserUnchecked((int)r.StimeSec, (ur + RU_STIME).Cast<int>());
        err |= PutUserUnchecked((int)r.StimeUsec, (ur + RU_STIME + 4).Cast<int>());
        for (int k = 0; k < 14; k++) /* ru_maxrss ... ru_nivcsw, one __put_user() each */
            err |= PutUserUnchecked(r.Longs[k], (ur + RU_MAXRSS + k * 8).Cast<long>());

        return err != 0 ? err : ret;
    }

    // arch/alpha/kernel/osf_sys.c, put_tv_to_tv32(), v5.4 (static inline). Correct: returns what
    // copy_to_user() returns, a count of bytes not copied, never an errno; every caller tests it against 0
    // and returns -EFAULT itself.
    [MustCheck]
    [ReturnsBytesNotCopied]
    public static long PutTvToTv32(UserPtr o, long tvSec, long tvUsec) // expect: none
    {
        var tv32 = new byte[8];
        BitConverter.GetBytes((int)tvSec).CopyTo(tv32, 0);
        BitConverter.GetBytes((int)tvUsec).CopyTo(tv32, 4);
        return CopyToUser(o, tv32);
    }

    // arch/alpha/kernel/osf_sys.c, osf_wait4(), v5.4 (kernel_wait4() since 2017). Correct: the status is
    // stored by kernel_wait4() with put_user(); each copy into ur is tested and turned into -EFAULT.
    public static long OsfWait4(int pid, UserPtr<int> ustatus, int options, UserPtr ur) // expect: none
    {
        Helpers.Rusage r;
        long err = Helpers.KernelWait4(pid, ustatus, options, out r);
        if (err <= 0)
            return err;
        if (ur == UserPtr.Null)
            return err;
        if (PutTvToTv32(ur + RU_UTIME, r.UtimeSec, r.UtimeUsec) != 0)
            return -EFAULT;
        if (PutTvToTv32(ur + RU_STIME, r.StimeSec, r.StimeUsec) != 0)
            return -EFAULT;
        if (CopyToUser(ur + RU_MAXRSS, Helpers.LongsBytes(r.Longs)) != 0)
            return -EFAULT;
        return err;
    }

    // arch/alpha/kernel/osf_sys.c, osf_getdomainname(), v3.0 to v4.12 (after 21c5977a836e's CVE-2011-2208
    // fix of the length test; before the function was converted to one copy_to_user() in 2017 and to
    // copying outside uts_sem in 42a0cc347858 "sys: don't hold uts_sem while accessing userspace memory",
    // v4.19). Buggy: the name goes out a byte at a time with __put_user() after access_ok(), and every
    // result is dropped: "__put_user() can fail with access_ok() succeeding" (Al Viro on the same shape in
    // sg_ioctl()), so an unmapped or read-only buffer gets nothing and the call returns 0.
    public static long OsfGetdomainnameV30(UserPtr name, int namelen, Helpers.Uts uts)
    {
        uint len;
        int i;

        if (!AccessOk(name, namelen))
            return -EFAULT;

        len = (uint)namelen;
        if (len > 32)
            len = 32;

        uts.Sem.DownRead();
        for (i = 0; i < len; ++i)
        {
            PutUserUnchecked(uts.Domainname[i], (name + i).Cast<byte>()); // expect: UA5001
            if (uts.Domainname[i] == 0)
                break;
        }
        uts.Sem.UpRead();

        return 0;
    }

    // arch/alpha/kernel/osf_sys.c, osf_getdomainname(), v4.19 (after 42a0cc347858). Correct: the name is
    // copied into a local under uts_sem, and copied out after up_read() with its result tested.
    public static long OsfGetdomainname(UserPtr name, int namelen, Helpers.Uts uts) // expect: none
    {
        int len;
        var tmp = new byte[32];

        if (namelen < 0 || namelen > 32)
            namelen = 32;

        uts.Sem.DownRead();
        len = Helpers.Strnlen(uts.Domainname, namelen);
        len = Math.Min(len + 1, namelen);
        uts.Domainname.AsSpan(0, len).CopyTo(tmp);
        uts.Sem.UpRead();

        if (CopyToUser(name, tmp.AsSpan(0, len)) != 0)
            return -EFAULT;
        return 0;
    }

    // arch/alpha/kernel/osf_sys.c, osf_sigstack(), v5.4. Correct: get_user() and put_user() each check
    // their pointer, and every result is tested before the error path is left.
    public static long OsfSigstack(UserPtr uss, UserPtr uoss, Helpers.Task current) // expect: none
    {
        ulong usp = Helpers.Rdusp();
        ulong ossSp = current.SasSsSp + current.SasSsSize;
        ulong ossOs = Helpers.OnSigStack(current, usp) ? 1UL : 0UL;
        int error;

        if (uss != UserPtr.Null)
        {
            ulong ssSp;

            error = -EFAULT;
            if (GetUser(out ssSp, (uss + SS_SP).Cast<ulong>()) != 0)
                goto @out;

            /* If the current stack was set with sigaltstack, don't
               swap stacks while we are on it.  */
            error = -EPERM;
            if (current.SasSsSp != 0 && Helpers.OnSigStack(current, usp))
                goto @out;

            /* Since we don't know the extent of the stack, and we don't
               track onstack-ness, but rather calculate it, we must
               presume a size.  Ho hum this interface is lossy.  */
            current.SasSsSp = ssSp - SIGSTKSZ;
            current.SasSsSize = SIGSTKSZ;
        }

        if (uoss != UserPtr.Null)
        {
            error = -EFAULT;
            if (PutUser(ossSp, (uoss + SS_SP).Cast<ulong>()) != 0 ||
                PutUser((int)ossOs, (uoss + SS_ONSTACK).Cast<int>()) != 0)
                goto @out;
        }

        error = 0;
    @out:
        return error;
    }

    // arch/alpha/kernel/osf_sys.c, osf_proplist_syscall(), v5.4. Correct: the user pointer min_buf_size is
    // itself fetched with get_user(), tested, and then written with put_user(), whose result is returned.
    public static long OsfProplistSyscall(int code, UserPtr args) // expect: none
    {
        long error;
        ulong minBufSizePtr;

        switch (code)
        {
            case PL_SET:
                if (GetUser(out error, (args + PL_SET_NBYTES).Cast<long>()) != 0)
                    error = -EFAULT;
                break;
            case PL_FSET:
                if (GetUser(out error, (args + PL_FSET_NBYTES).Cast<long>()) != 0)
                    error = -EFAULT;
                break;
            case PL_GET:
                error = GetUser(out minBufSizePtr, (args + PL_GET_MIN_BUF_SIZE).Cast<ulong>());
                if (error != 0)
                    break;
                error = PutUser(0, new UserPtr<int>(minBufSizePtr));
                break;
            case PL_FGET:
                error = GetUser(out minBufSizePtr, (args + PL_FGET_MIN_BUF_SIZE).Cast<ulong>());
                if (error != 0)
                    break;
                error = PutUser(0, new UserPtr<int>(minBufSizePtr));
                break;
            case PL_DEL:
            case PL_FDEL:
                error = 0;
                break;
            default:
                error = -EOPNOTSUPP;
                break;
        }
        return error;
    }
}

public static class X86Ldt
{
    // arch/x86/kernel/ldt.c, read_default_ldt(), v5.4 (unchanged since the 2.6 days). Correct: the count is
    // clamped, clear_user()'s count of bytes not cleared is tested against 0 and turned into -EFAULT, and
    // the clamped length is returned on success.
    public static int ReadDefaultLdt(UserPtr ptr, ulong bytecount) // expect: none
    {
        /* CHECKME: Can we use _one_ random number ? */
        ulong size = 128; /* 5 * sizeof(struct desc_struct) on 32-bit */
        if (bytecount > size)
            bytecount = size;
        if (ClearUser(ptr, (long)bytecount) != 0)
            return -EFAULT;
        return (int)bytecount;
    }
}

public static class Helpers
{
    // ---- MIPS signal delivery ----

    /// <summary>struct pt_regs on MIPS: the GPRs and c0_epc.</summary>
    public sealed class PtRegs
    {
        public ulong[] Regs = new ulong[32];
        public ulong Cp0Epc;
    }

    /// <summary>struct k_sigaction: handler, flags and the first mask word.</summary>
    public sealed class KSigaction
    {
        public ulong SaHandler;
        public ulong SaFlags;
        public ulong SaMask;
    }

    /// <summary>sigset_t.</summary>
    public sealed class Sigset
    {
        public ulong Sig0;
        public ulong Sig1;
    }

    /// <summary>siginfo_t (the signal number is enough here).</summary>
    public sealed class Siginfo
    {
        public int SiSigno;
    }

    /// <summary>current: the signal state, the thread flags and the alternate stack.</summary>
    public sealed class Task
    {
        public KernelSpinlock Siglock = new();
        public ulong Blocked;
        public uint ThreadFlags;
        public ulong SasSsSp;
        public ulong SasSsSize;
    }

    /// <summary>get_sigframe(): the frame address below $29 or on the alternate stack (no range check; the caller access_ok()s it).</summary>
    public static UserPtr GetSigframe(KSigaction ka, PtRegs regs, int frameSize) => new UserPtr((regs.Regs[29] - 32 - (ulong)frameSize) & ~7UL);

    /// <summary>
    /// install_sigtramp(): stores "li v0, syscall; syscall" into the frame's trampoline with __put_user()
    /// (the caller access_ok()ed the frame) and flushes the icache line; the or-ed __put_user() results.
    /// </summary>
    [MustCheck]
    public static int InstallSigtramp([RequiresAccessOk] UserPtr<uint> tramp, uint syscall)
    {
        int err;

        err = PutUserUnchecked(0x24020000 + syscall, tramp);
        err |= PutUserUnchecked(0x0000000cu, tramp + 4);
        /* flush_cache_sigtramp((unsigned long) tramp); */
        return err;
    }

    /// <summary>setup_sigcontext(): the registers into the frame's sigcontext with __put_user(); the caller access_ok()ed the frame. Nonzero on a fault.</summary>
    [MustCheck]
    public static int SetupSigcontext(PtRegs regs, [RequiresAccessOk] UserPtr sc)
    {
        int err = 0;
        err |= PutUserUnchecked(regs.Cp0Epc, (sc + 8).Cast<ulong>());
        for (int i = 1; i < 32; i++)
            err |= PutUserUnchecked(regs.Regs[i], (sc + 16 + i * 8).Cast<ulong>());
        return err;
    }

    /// <summary>restore_sigcontext(): the registers back from the frame's sigcontext with __get_user(); the caller access_ok()ed the frame. Nonzero on a fault.</summary>
    [MustCheck]
    public static int RestoreSigcontext(PtRegs regs, [RequiresAccessOk] UserPtr sc)
    {
        int err = 0;
        err |= GetUserUnchecked(out regs.Cp0Epc, (sc + 8).Cast<ulong>());
        for (int i = 1; i < 32; i++)
            err |= GetUserUnchecked(out regs.Regs[i], (sc + 16 + i * 8).Cast<ulong>());
        return err;
    }

    /// <summary>copy_siginfo_to_user(): access_ok() on the siginfo, then __put_user() of its fields; 0 or -EFAULT.</summary>
    [MustCheck]
    [ReturnsErrno]
    public static int CopySiginfoToUser(UserPtr to, Siginfo from)
    {
        if (!AccessOk(to, 128))
            return -EFAULT;
        return PutUserUnchecked(from.SiSigno, to.Cast<int>());
    }

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

    /// <summary>__copy_from_user(): no access_ok(); the bytes not copied.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Read, "from", Size = "to")]
    public static int CopyFromUserUnchecked(Span<byte> to, [RequiresAccessOk] UserPtr from)
    {
        for (int i = 0; i < to.Length; i++)
        {
            if (GetUserUnchecked(out to[i], (from + i).Cast<byte>()) != 0)
                return to.Length - i;
        }

        return 0;
    }

    /// <summary>The sigset_t as the bytes __copy_to_user() stores.</summary>
    public static byte[] SigsetBytes(Sigset set)
    {
        var b = new byte[16];
        BitConverter.GetBytes(set.Sig0).CopyTo(b, 0);
        BitConverter.GetBytes(set.Sig1).CopyTo(b, 8);
        return b;
    }

    /// <summary>current->sas_ss_sp (32-bit).</summary>
    public static uint CurrentSasSsSp() => 0;

    /// <summary>current->sas_ss_size (32-bit).</summary>
    public static uint CurrentSasSsSize() => 0;

    /// <summary>sas_ss_flags(sp): SS_ONSTACK, SS_DISABLE or 0.</summary>
    public static int SasSsFlags(ulong sp) => 2;

    /// <summary>force_sigsegv(sig, current).</summary>
    public static void ForceSigsegv(int sig)
    {
    }

    /// <summary>force_sig(sig, current).</summary>
    public static void ForceSig(int sig)
    {
    }

    /// <summary>do_sigaction(): installs the new action and returns the old one; 0 or -EINVAL.</summary>
    public static int DoSigaction(int sig, KSigaction? act, KSigaction? oact) => sig < 1 || sig > 128 ? -EINVAL : 0;

    /// <summary>recalc_sigpending(); called with siglock held.</summary>
    public static void RecalcSigpending(Task t)
    {
    }

    /// <summary>do_syscall_trace(regs, entryexit).</summary>
    public static void DoSyscallTrace(PtRegs regs, int entryexit)
    {
    }

    // ---- alpha ----

    /// <summary>struct rusage: the two times and ru_maxrss .. ru_nivcsw.</summary>
    public struct Rusage
    {
        public long UtimeSec, UtimeUsec, StimeSec, StimeUsec;
        public long[] Longs;
    }

    /// <summary>sys_wait4(pid, ustatus, options, NULL) with USER_DS: the status stored with put_user(); the pid reaped or an errno.</summary>
    [MightSleep]
    public static long SysWait4(int pid, UserPtr<int> ustatus, int options)
    {
        if (ustatus != default && PutUser(0, ustatus) != 0)
            return -EFAULT;
        return pid;
    }

    /// <summary>
    /// sys_wait4(pid, ustatus, options, &amp;r) called under set_fs(KERNEL_DS): its put_user(status, ustatus)
    /// is range-checked against the kernel limit, so on a user-supplied ustatus it is a store with no user
    /// range check (an unchecked __put_user()). The pid reaped or an errno.
    /// </summary>
    [MightSleep]
    public static long SysWait4KernelDs(int pid, [RequiresAccessOk] UserPtr<int> ustatus, int options, out Rusage r)
    {
        r = new Rusage { Longs = new long[14] };
        if (ustatus != default && PutUserUnchecked(0, ustatus) != 0)
            return -EFAULT;
        return pid;
    }

    /// <summary>sys_wait4(pid, &amp;status, options, &amp;r) under set_fs(KERNEL_DS), kernel pointers only.</summary>
    [MightSleep]
    public static long SysWait4Kernel(int pid, out uint status, int options, out Rusage r)
    {
        status = 0;
        r = new Rusage { Longs = new long[14] };
        return pid;
    }

    /// <summary>kernel_wait4(): the status stored into the user's ustatus with put_user(), the rusage filled in the kernel.</summary>
    [MightSleep]
    public static long KernelWait4(int pid, UserPtr<int> ustatus, int options, out Rusage r)
    {
        r = new Rusage { Longs = new long[14] };
        if (ustatus != default && PutUser(0, ustatus) != 0)
            return -EFAULT;
        return pid;
    }

    /// <summary>The 14 longs from ru_maxrss as copy_to_user() copies them.</summary>
    public static byte[] LongsBytes(long[] v)
    {
        var b = new byte[v.Length * 8];
        for (int i = 0; i < v.Length; i++)
            BitConverter.GetBytes(v[i]).CopyTo(b, i * 8);
        return b;
    }

    /// <summary>The UTS namespace: uts_sem and utsname()->domainname.</summary>
    public sealed class Uts
    {
        public RwSemaphore Sem = new();
        public byte[] Domainname = new byte[65];
    }

    /// <summary>strnlen().</summary>
    public static int Strnlen(byte[] s, int max)
    {
        int n = 0;
        while (n < max && n < s.Length && s[n] != 0)
            n++;
        return n;
    }

    /// <summary>rdusp(): the user stack pointer.</summary>
    public static ulong Rdusp() => 0x11ff0000UL;

    /// <summary>on_sig_stack(sp).</summary>
    public static bool OnSigStack(Task t, ulong sp) => sp - t.SasSsSp < t.SasSsSize;
}
