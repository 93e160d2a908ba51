// Held out: block-device ioctls and debugfs files, time and signal syscalls, signalfd. Defects with the kernel's
// own change on the other side, and correct code from the same files doing the same things:
// - arch/i386/kernel/signal.c sys_sigaction() (v2.6.24; the same in arch/x86/kernel/signal_32.c up to v3.8):
//   the sa_flags and sa_mask __get_user() results and the sa_flags and sa_mask __put_user() results dropped;
//   and the generic sys_sigaction() of kernel/signal.c (CONFIG_OLD_SIGACTION, v5.x), which tests all four;
// - kernel/signal.c compat rt_sigaction() (v3.8 to v4.14): the copy_to_user() count of the old mask or-ed
//   into the syscall's result; and the v5.10 version with put_compat_sigset(), which returns -EFAULT;
// - kernel/signal.c do_sigpending() (v2.6.x to v4.x): the copy made after siglock is dropped; correct;
// - fs/signalfd.c signalfd_copyinfo() (v4.17, __clear_user()/__put_user() on the range vfs_read() checked),
//   signalfd_read() (v2.6.25 to v6.x) and signalfd_copyinfo() (v5.x, one copy_to_user()): correct;
// - drivers/block/rsxx/core.c rsxx_cram_read(): the copy_to_user() count returned from a read() (before and
//   after 77516d25f549 "rsxx: Return -EFAULT if copy_to_user() fails"), and rsxx_cram_write(): correct;
// - block/ioctl.c blkpg_ioctl() (v3.x) and block/compat_ioctl.c compat_blkpg_ioctl() (v2.6.27 to v5.5):
//   correct;
// - kernel/time.c sys_adjtimex() (v2.6.x), kernel/compat.c compat_sys_adjtimex() (v2.6.28) and
//   get_compat_sigevent() (v4.x/v5.x): correct.
// Signal delivery, the partition table, the card's register interface and the NTP state are stubs; the user
// pointers, the accesses, their checks, the locks and the control flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.BlockTimeSignal;

public static class Sigaction
{
    // struct old_sigaction (i386): sa_handler, sa_mask (old_sigset_t), sa_flags, sa_restorer.
    private const int OSA_HANDLER = 0;
    private const int OSA_MASK = 4;
    private const int OSA_FLAGS = 8;
    private const int OSA_RESTORER = 12;
    private const int SIZEOF_OLD_SIGACTION = 16;

    // struct compat_sigaction (x86, __ARCH_HAS_SA_RESTORER): sa_handler, sa_flags, sa_restorer, sa_mask.
    private const int CSA_HANDLER = 0;
    private const int CSA_FLAGS = 4;
    private const int CSA_RESTORER = 8;
    private const int CSA_MASK = 12;
    private const int SIZEOF_COMPAT_SIGSET = 8;

    // arch/i386/kernel/signal.c, sys_sigaction(), v2.6.24 (the same code in arch/x86/kernel/signal_32.c until
    // x86-32 moved to the generic sys_sigaction() of kernel/signal.c, next function). Buggy: the struct is
    // access_ok()ed whole, but only the handler and restorer fetches are tested; the sa_flags and sa_mask
    // __get_user() results are dropped (a fault leaves them zero and the new action is installed with them),
    // and so are the sa_flags and sa_mask __put_user() results (the syscall reports success with the old
    // action half written). The generic version chains all four accesses into the -EFAULT test.
    public static int SysSigactionV2624(int sig, UserPtr act, UserPtr oact)
    {
        var newKa = new Helpers.KSigaction();
        var oldKa = new Helpers.KSigaction();
        int ret;

        if (act != UserPtr.Null)
        {
            uint mask;
            if (!AccessOk(act, SIZEOF_OLD_SIGACTION) ||
                GetUserUnchecked(out newKa.SaHandler, (act + OSA_HANDLER).Cast<uint>()) != 0 ||
                GetUserUnchecked(out newKa.SaRestorer, (act + OSA_RESTORER).Cast<uint>()) != 0)
                return -EFAULT;
            GetUserUnchecked(out newKa.SaFlags, (act + OSA_FLAGS).Cast<uint>()); // expect: UA5001
            GetUserUnchecked(out mask, (act + OSA_MASK).Cast<uint>()); // expect: UA5001
            newKa.SaMask = mask; /* siginitset(&new_ka.sa.sa_mask, mask); */
        }

        ret = Helpers.DoSigaction(sig, act != UserPtr.Null ? newKa : null, oact != UserPtr.Null ? oldKa : null);

        if (ret == 0 && oact != UserPtr.Null)
        {
            if (!AccessOk(oact, SIZEOF_OLD_SIGACTION) ||
                PutUserUnchecked(oldKa.SaHandler, (oact + OSA_HANDLER).Cast<uint>()) != 0 ||
                PutUserUnchecked(oldKa.SaRestorer, (oact + OSA_RESTORER).Cast<uint>()) != 0)
                return -EFAULT;
            PutUserUnchecked(oldKa.SaFlags, (oact + OSA_FLAGS).Cast<uint>()); // expect: UA5001
            PutUserUnchecked((uint)oldKa.SaMask, (oact + OSA_MASK).Cast<uint>()); // expect: UA5001
        }

        return ret;
    }

    // kernel/signal.c, SYSCALL_DEFINE3(sigaction) under CONFIG_OLD_SIGACTION, v5.x (the generic version the
    // arches with an old sigaction() moved to from v3.9). Correct: access_ok() on the whole struct, then the
    // four __get_user()s and the four __put_user()s each chained into the -EFAULT test.
    public static int SysSigactionGeneric(int sig, UserPtr act, UserPtr oact) // expect: none
    {
        var newKa = new Helpers.KSigaction();
        var oldKa = new Helpers.KSigaction();
        int ret;

        if (act != UserPtr.Null)
        {
            uint mask;
            if (!AccessOk(act, SIZEOF_OLD_SIGACTION) ||
                GetUserUnchecked(out newKa.SaHandler, (act + OSA_HANDLER).Cast<uint>()) != 0 ||
                GetUserUnchecked(out newKa.SaRestorer, (act + OSA_RESTORER).Cast<uint>()) != 0 ||
                GetUserUnchecked(out newKa.SaFlags, (act + OSA_FLAGS).Cast<uint>()) != 0 ||
                GetUserUnchecked(out mask, (act + OSA_MASK).Cast<uint>()) != 0)
                return -EFAULT;
            /* new_ka.ka_restorer = NULL; (__ARCH_HAS_KA_RESTORER) */
            newKa.SaMask = mask; /* siginitset(&new_ka.sa.sa_mask, mask); */
        }

        ret = Helpers.DoSigaction(sig, act != UserPtr.Null ? newKa : null, oact != UserPtr.Null ? oldKa : null);

        if (ret == 0 && oact != UserPtr.Null)
        {
            if (!AccessOk(oact, SIZEOF_OLD_SIGACTION) ||
                PutUserUnchecked(oldKa.SaHandler, (oact + OSA_HANDLER).Cast<uint>()) != 0 ||
                PutUserUnchecked(oldKa.SaRestorer, (oact + OSA_RESTORER).Cast<uint>()) != 0 ||
                PutUserUnchecked(oldKa.SaFlags, (oact + OSA_FLAGS).Cast<uint>()) != 0 ||
                PutUserUnchecked((uint)oldKa.SaMask, (oact + OSA_MASK).Cast<uint>()) != 0)
                return -EFAULT;
        }

        return ret;
    }

    // kernel/signal.c, COMPAT_SYSCALL_DEFINE4(rt_sigaction), v3.8 to v4.14 (x86: __ARCH_HAS_SA_RESTORER).
    // Buggy: on the oact path `ret |= copy_to_user(&oact->sa_mask, &mask, sizeof(mask));` or-s the number of
    // bytes not copied into ret, and `return ret;` hands it to user space: when the mask (bytes 12..20 of the
    // struct) runs onto an unmapped page while the handler, flags and restorer words land, rt_sigaction()
    // returns a positive count instead of -EFAULT. Al Viro's put_compat_sigset() (v4.15) returns -EFAULT for
    // a short copy (next function). The sa_flags __get_user()/__put_user() lie between the handler word and
    // the restorer word that get_user()/put_user() range-checked, so they need no access_ok() of their own.
    public static int CompatSysRtSigactionV414(int sig, UserPtr act, UserPtr oact, uint sigsetsize)
    {
        var newKa = new Helpers.KSigaction();
        var oldKa = new Helpers.KSigaction();
        var mask = new byte[SIZEOF_COMPAT_SIGSET];
        uint restorer;
        int ret;

        /* XXX: Don't preclude handling different sized sigset_t's.  */
        if (sigsetsize != SIZEOF_COMPAT_SIGSET)
            return -EINVAL;

        if (act != UserPtr.Null)
        {
            uint handler;
            ret = GetUser(out handler, (act + CSA_HANDLER).Cast<uint>());
            newKa.SaHandler = handler; /* compat_ptr(handler) */
            ret |= GetUser(out restorer, (act + CSA_RESTORER).Cast<uint>());
            newKa.SaRestorer = restorer;
            ret |= CopyFromUser(mask, act + CSA_MASK);
            ret |= GetUserUnchecked(out newKa.SaFlags, (act + CSA_FLAGS).Cast<uint>());
            if (ret != 0)
                return -EFAULT;
            newKa.SaMask = BitConverter.ToUInt64(mask, 0); /* sigset_from_compat(&new_ka.sa.sa_mask, &mask); */
        }

        ret = Helpers.DoSigaction(sig, act != UserPtr.Null ? newKa : null, oact != UserPtr.Null ? oldKa : null);
        if (ret == 0 && oact != UserPtr.Null)
        {
            BitConverter.TryWriteBytes(mask, oldKa.SaMask); /* sigset_to_compat(&mask, &old_ka.sa.sa_mask); */
            ret = PutUser(oldKa.SaHandler, (oact + CSA_HANDLER).Cast<uint>());
            ret |= CopyToUser(oact + CSA_MASK, mask);
            ret |= PutUserUnchecked(oldKa.SaFlags, (oact + CSA_FLAGS).Cast<uint>());
            ret |= PutUser(oldKa.SaRestorer, (oact + CSA_RESTORER).Cast<uint>());
        }
        return ret; // expect: UA5002
    }

    // kernel/signal.c, COMPAT_SYSCALL_DEFINE4(rt_sigaction), v5.10 (x86: __ARCH_HAS_SA_RESTORER). Correct: the
    // masks go through get_compat_sigset()/put_compat_sigset(), which return -EFAULT for a short copy, and
    // every word through get_user()/put_user(); the or-ed result is 0 or negative.
    public static int CompatSysRtSigactionV510(int sig, UserPtr act, UserPtr oact, uint sigsetsize) // expect: none
    {
        var newKa = new Helpers.KSigaction();
        var oldKa = new Helpers.KSigaction();
        uint restorer;
        int ret;

        /* XXX: Don't preclude handling different sized sigset_t's.  */
        if (sigsetsize != SIZEOF_COMPAT_SIGSET)
            return -EINVAL;

        if (act != UserPtr.Null)
        {
            uint handler;
            ret = GetUser(out handler, (act + CSA_HANDLER).Cast<uint>());
            newKa.SaHandler = handler; /* compat_ptr(handler) */
            ret |= GetUser(out restorer, (act + CSA_RESTORER).Cast<uint>());
            newKa.SaRestorer = restorer;
            ret |= Helpers.GetCompatSigset(newKa, act + CSA_MASK);
            ret |= GetUser(out newKa.SaFlags, (act + CSA_FLAGS).Cast<uint>());
            if (ret != 0)
                return -EFAULT;
        }

        ret = Helpers.DoSigaction(sig, act != UserPtr.Null ? newKa : null, oact != UserPtr.Null ? oldKa : null);
        if (ret == 0 && oact != UserPtr.Null)
        {
            ret = PutUser(oldKa.SaHandler, (oact + CSA_HANDLER).Cast<uint>());
            ret |= Helpers.PutCompatSigset(oact + CSA_MASK, oldKa.SaMask, SIZEOF_COMPAT_SIGSET);
            ret |= PutUser(oldKa.SaFlags, (oact + CSA_FLAGS).Cast<uint>());
            ret |= PutUser(oldKa.SaRestorer, (oact + CSA_RESTORER).Cast<uint>());
        }
        return ret;
    }

    // kernel/signal.c, do_sigpending(), v2.6.x to v4.x (sys_rt_sigpending() and sys_sigpending() call it).
    // Correct: the pending sets are or-ed under siglock, the lock is dropped ("Outside the lock because only
    // this thread touches it."), and the copy to user space is made after it, its count tested.
    public static long DoSigpending(Helpers.Task current, UserPtr set, ulong sigsetsize) // expect: none
    {
        long error = -EINVAL;
        ulong pending;

        if (sigsetsize > 8 /* sizeof(sigset_t) */)
            goto out_;

        current.Siglock.Lock(); /* spin_lock_irq(&current->sighand->siglock) */
        pending = current.Pending | current.SharedPending; /* sigorsets() */
        current.Siglock.Unlock();

        /* Outside the lock because only this thread touches it.  */
        pending &= current.Blocked; /* sigandsets(&pending, &current->blocked, &pending); */

        error = -EFAULT;
        if (CopyToUser(set, BitConverter.GetBytes(pending).AsSpan(0, (int)sigsetsize)) == 0)
            error = 0;

    out_:
        return error;
    }
}

public static class Signalfd
{
    // struct signalfd_siginfo: 128 bytes.
    private const int SSI_SIGNO = 0;
    private const int SSI_ERRNO = 4;
    private const int SSI_CODE = 8;
    private const int SSI_PID = 12;
    private const int SSI_UID = 16;
    private const int SSI_FD = 20;
    private const int SSI_TID = 24;
    private const int SSI_BAND = 28;
    private const int SSI_OVERRUN = 32;
    private const int SSI_STATUS = 40;
    private const int SSI_INT = 44;
    private const int SSI_PTR = 48;
    private const int SSI_UTIME = 56;
    private const int SSI_STIME = 64;
    private const int SSI_ADDR = 72;
    private const int SIZEOF_SIGNALFD_SIGINFO = 128;

    // fs/signalfd.c, signalfd_copyinfo(), v4.17 (switch on siginfo_layout()). Correct: uinfo is the read()
    // buffer that vfs_read() access_ok()ed for count bytes, and signalfd_read() calls this once per whole
    // struct within count; the __clear_user() count and the __put_user() errors are or-ed and any of them
    // makes -EFAULT.
    public static long SignalfdCopyinfoV417([RequiresAccessOk] UserPtr uinfo, Helpers.Siginfo kinfo) // expect: none
    {
        long err;

        /* BUILD_BUG_ON(sizeof(struct signalfd_siginfo) != 128); */

        /*
         * Unused members should be zero ...
         */
        err = Helpers.ClearUserUnchecked(uinfo, SIZEOF_SIGNALFD_SIGINFO);

        /*
         * If you change siginfo_t structure, please be sure
         * this code is fixed accordingly.
         */
        err |= PutUserUnchecked(kinfo.Signo, (uinfo + SSI_SIGNO).Cast<uint>());
        err |= PutUserUnchecked(kinfo.Errno, (uinfo + SSI_ERRNO).Cast<int>());
        err |= PutUserUnchecked(kinfo.Code, (uinfo + SSI_CODE).Cast<int>());
        switch (kinfo.Layout)
        {
            case Helpers.SIL_KILL:
                err |= PutUserUnchecked(kinfo.Pid, (uinfo + SSI_PID).Cast<uint>());
                err |= PutUserUnchecked(kinfo.Uid, (uinfo + SSI_UID).Cast<uint>());
                break;
            case Helpers.SIL_TIMER:
                err |= PutUserUnchecked(kinfo.Tid, (uinfo + SSI_TID).Cast<uint>());
                err |= PutUserUnchecked(kinfo.Overrun, (uinfo + SSI_OVERRUN).Cast<uint>());
                err |= PutUserUnchecked(kinfo.Ptr, (uinfo + SSI_PTR).Cast<ulong>());
                err |= PutUserUnchecked(kinfo.Int, (uinfo + SSI_INT).Cast<int>());
                break;
            case Helpers.SIL_POLL:
                err |= PutUserUnchecked(kinfo.Band, (uinfo + SSI_BAND).Cast<uint>());
                err |= PutUserUnchecked(kinfo.Fd, (uinfo + SSI_FD).Cast<int>());
                break;
            case Helpers.SIL_FAULT:
                err |= PutUserUnchecked(kinfo.Addr, (uinfo + SSI_ADDR).Cast<ulong>());
                break;
            case Helpers.SIL_CHLD:
                err |= PutUserUnchecked(kinfo.Pid, (uinfo + SSI_PID).Cast<uint>());
                err |= PutUserUnchecked(kinfo.Uid, (uinfo + SSI_UID).Cast<uint>());
                err |= PutUserUnchecked(kinfo.Status, (uinfo + SSI_STATUS).Cast<int>());
                err |= PutUserUnchecked(kinfo.Utime, (uinfo + SSI_UTIME).Cast<ulong>());
                err |= PutUserUnchecked(kinfo.Stime, (uinfo + SSI_STIME).Cast<ulong>());
                break;
            case Helpers.SIL_RT:
            default:
                /*
                 * This case catches also the signals queued by sigqueue().
                 */
                err |= PutUserUnchecked(kinfo.Pid, (uinfo + SSI_PID).Cast<uint>());
                err |= PutUserUnchecked(kinfo.Uid, (uinfo + SSI_UID).Cast<uint>());
                err |= PutUserUnchecked(kinfo.Ptr, (uinfo + SSI_PTR).Cast<ulong>());
                err |= PutUserUnchecked(kinfo.Int, (uinfo + SSI_INT).Cast<int>());
                break;
        }

        return err != 0 ? -EFAULT : SIZEOF_SIGNALFD_SIGINFO;
    }

    // fs/signalfd.c, signalfd_read(), v2.6.25 to v6.x (the read_iter conversion replaced it), with the v4.17
    // signalfd_copyinfo() above. Correct: buf was access_ok()ed for count by vfs_read(); the loop hands out
    // one whole struct per round within count, each round dequeues one pending signal and only the first
    // one may wait (signalfd_dequeue() waits interruptibly and returns -ERESTARTSYS on a signal; the later
    // rounds are non-blocking and end with -EAGAIN when the queue is empty), so the rounds are bounded by
    // the signals already queued, not by the caller's count; the kernel never added a signal check to it.
    public static long SignalfdRead(Helpers.SignalfdCtx ctx, bool oNonblock, [RequiresAccessOk] UserPtr buf, ulong count) // expect: none
    {
        UserPtr siginfo;
        bool nonblock = oNonblock;
        long ret, total = 0;
        var info = new Helpers.Siginfo();

        count /= SIZEOF_SIGNALFD_SIGINFO;
        if (count == 0)
            return -EINVAL;

        siginfo = buf;
        do
        {
            ret = Helpers.SignalfdDequeue(ctx, info, nonblock);
            if (ret <= 0)
                break;
            ret = SignalfdCopyinfoV417(siginfo, info);
            if (ret < 0)
                break;
            siginfo = siginfo + SIZEOF_SIGNALFD_SIGINFO;
            total += ret;
            nonblock = true;
        } while (--count != 0);

        return total != 0 ? total : ret;
    }

    // fs/signalfd.c, signalfd_copyinfo(), v5.x (before the v6.x copy_to_iter() conversion). Correct: the
    // struct is built in the kernel (memset, then the fields) and copied with one copy_to_user() whose count
    // becomes -EFAULT.
    public static long SignalfdCopyinfoV5(UserPtr uinfo, Helpers.Siginfo kinfo) // expect: none
    {
        var @new = new byte[SIZEOF_SIGNALFD_SIGINFO];

        /* BUILD_BUG_ON(sizeof(struct signalfd_siginfo) != 128); */

        /*
         * Unused members should be zero ...
         */
        Array.Clear(@new); /* memset(&new, 0, sizeof(new)); */

        /*
         * If you change siginfo_t structure, please be sure
         * this code is fixed accordingly.
         */
        Helpers.FillSignalfdSiginfo(@new, kinfo); /* new.ssi_signo = kinfo->si_signo; ... by siginfo_layout() */

        if (CopyToUser(uinfo, @new) != 0)
            return -EFAULT;

        return SIZEOF_SIGNALFD_SIGINFO;
    }
}

public static class BlockDevices
{
    private const uint CREG_ADD_CRAM = 0x0E000000;

    // drivers/block/rsxx/core.c, rsxx_cram_read() (debugfs "cram"), from 36f988e978f8 "rsxx: Adding in debugfs
    // entries." (v3.10) to before 77516d25f549 "rsxx: Return -EFAULT if copy_to_user() fails" (v5.12). Buggy:
    // "The copy_to_user() function returns the number of bytes remaining but we want to return -EFAULT to the
    // user if it can't complete the copy." A short copy makes read() return the count left over as if it were
    // the bytes read.
    public static long RsxxCramReadBefore(Helpers.RsxxCardinfo card, UserPtr ubuf, ulong cnt, ref long ppos)
    {
        byte[]? buf;
        long st;

        buf = Helpers.Kzalloc((int)cnt);
        if (buf == null)
            return -ENOMEM;

        st = Helpers.RsxxCregRead(card, CREG_ADD_CRAM + (uint)ppos, (uint)cnt, buf, 1);
        if (st == 0)
            st = CopyToUser(ubuf, buf.AsSpan(0, (int)cnt));
        /* kfree(buf); */
        if (st != 0)
            return st; // expect: UA5002
        ppos += (long)cnt;
        return (long)cnt;
    }

    // drivers/block/rsxx/core.c, rsxx_cram_read(), after 77516d25f549 (v5.12). Correct: a short copy becomes
    // -EFAULT and st only holds 0 or an errno.
    public static long RsxxCramReadAfter(Helpers.RsxxCardinfo card, UserPtr ubuf, ulong cnt, ref long ppos) // expect: none
    {
        byte[]? buf;
        int st;

        buf = Helpers.Kzalloc((int)cnt);
        if (buf == null)
            return -ENOMEM;

        st = Helpers.RsxxCregRead(card, CREG_ADD_CRAM + (uint)ppos, (uint)cnt, buf, 1);
        if (st == 0)
        {
            if (CopyToUser(ubuf, buf.AsSpan(0, (int)cnt)) != 0)
                st = -EFAULT;
        }
        /* kfree(buf); */
        if (st != 0)
            return st;
        ppos += (long)cnt;
        return (long)cnt;
    }

    // drivers/block/rsxx/core.c, rsxx_cram_write() (v3.10 to v5.12, unchanged by the fix). Correct:
    // memdup_user() turns a short copy into -EFAULT; st holds the register write's errno.
    public static long RsxxCramWrite(Helpers.RsxxCardinfo card, UserPtr ubuf, ulong cnt, ref long ppos) // expect: none
    {
        byte[]? buf;
        long st;

        buf = Helpers.MemdupUser(ubuf, (int)cnt);
        if (buf == null)
            return -EFAULT; /* IS_ERR(buf): return PTR_ERR(buf); */

        st = Helpers.RsxxCregWrite(card, CREG_ADD_CRAM + (uint)ppos, (uint)cnt, buf, 1);
        /* kfree(buf); */
        if (st != 0)
            return st;
        ppos += (long)cnt;
        return (long)cnt;
    }

    // struct blkpg_ioctl_arg (64-bit): int op, int flags, int datalen, void __user *data.
    private const int BLKPG_OP = 0;
    private const int BLKPG_FLAGS = 4;
    private const int BLKPG_DATALEN = 8;
    private const int BLKPG_DATA = 16;
    private const int SIZEOF_BLKPG_IOCTL_ARG = 24;
    // struct compat_blkpg_ioctl_arg: compat_int_t op, flags, datalen; compat_caddr_t data.
    private const int CBLKPG_OP = 0;
    private const int CBLKPG_FLAGS = 4;
    private const int CBLKPG_DATALEN = 8;
    private const int CBLKPG_DATA = 12;
    // struct blkpg_partition: long long start, length; int pno; char devname[64], volname[64].
    private const int SIZEOF_BLKPG_PARTITION = 152;
    private const int BLKPG = 0x1269;
    private const int EACCES = 13;

    // block/ioctl.c, blkpg_ioctl(), v3.x. Correct: the argument struct and the partition it points to are
    // two different user objects, each copied once with its count tested; only the kernel copies are used.
    public static int BlkpgIoctl(Helpers.BlockDevice bdev, UserPtr arg) // expect: none
    {
        var a = new byte[SIZEOF_BLKPG_IOCTL_ARG];
        var p = new byte[SIZEOF_BLKPG_PARTITION];
        UserPtr data;

        if (!Helpers.Capable(Helpers.CAP_SYS_ADMIN))
            return -EACCES;
        if (CopyFromUser(a, arg) != 0)
            return -EFAULT;
        data = new UserPtr(BitConverter.ToUInt64(a, BLKPG_DATA));
        if (CopyFromUser(p, data) != 0)
            return -EFAULT;
        /* disk = bdev->bd_disk; if (bdev != bdev->bd_contains) return -EINVAL; partno = p.pno; ... */
        return Helpers.BlkpgOp(bdev, BitConverter.ToInt32(a, BLKPG_OP), p);
    }

    // block/compat_ioctl.c, compat_blkpg_ioctl(), v2.6.27 to v5.5. Correct: each compat field is fetched with
    // get_user() and stored into the native struct on the user stack with put_user(); the or-ed errors are
    // returned before blkdev_ioctl() reads the native struct back.
    public static int CompatBlkpgIoctl(Helpers.BlockDevice bdev, uint mode, uint cmd, UserPtr ua32) // expect: none
    {
        UserPtr a = Helpers.CompatAllocUserSpace(SIZEOF_BLKPG_IOCTL_ARG);
        uint udata;
        int n;
        int err;

        err = GetUser(out n, (ua32 + CBLKPG_OP).Cast<int>());
        err |= PutUser(n, (a + BLKPG_OP).Cast<int>());
        err |= GetUser(out n, (ua32 + CBLKPG_FLAGS).Cast<int>());
        err |= PutUser(n, (a + BLKPG_FLAGS).Cast<int>());
        err |= GetUser(out n, (ua32 + CBLKPG_DATALEN).Cast<int>());
        err |= PutUser(n, (a + BLKPG_DATALEN).Cast<int>());
        err |= GetUser(out udata, (ua32 + CBLKPG_DATA).Cast<uint>());
        err |= PutUser((ulong)udata /* compat_ptr(udata) */, (a + BLKPG_DATA).Cast<ulong>());
        if (err != 0)
            return err;

        return Helpers.BlkdevIoctl(bdev, mode, cmd, a);
    }
}

public static class Time
{
    private const int SIZEOF_TIMEX = 208;

    // struct compat_timex: modes, offset, freq, maxerror, esterror, status, constant, precision, tolerance,
    // time (compat_timeval), tick, ppsfreq, jitter, shift, stabil, jitcnt, calcnt, errcnt, stbcnt, tai, pad.
    private const int CTX_MODES = 0;
    private const int CTX_OFFSET = 4;
    private const int CTX_FREQ = 8;
    private const int CTX_MAXERROR = 12;
    private const int CTX_ESTERROR = 16;
    private const int CTX_STATUS = 20;
    private const int CTX_TIME_SEC = 36;
    private const int CTX_TIME_USEC = 40;
    private const int CTX_TICK = 44;
    private const int CTX_TAI = 80;
    private const int SIZEOF_COMPAT_TIMEX = 128;

    // struct compat_sigevent: sigev_value, sigev_signo, sigev_notify, _sigev_un (_tid first).
    private const int CSEV_VALUE = 0;
    private const int CSEV_SIGNO = 4;
    private const int CSEV_NOTIFY = 8;
    private const int CSEV_TID = 12;
    private const int SIZEOF_COMPAT_SIGEVENT = 64;

    // kernel/time.c, sys_adjtimex(), v2.6.x. Correct: the struct is copied in and out whole; a short copy
    // either way becomes -EFAULT and do_adjtimex()'s result is returned otherwise.
    public static int SysAdjtimex(UserPtr txcP) // expect: none
    {
        var txc = new byte[SIZEOF_TIMEX]; /* Local copy of parameter */
        int ret;

        /* Copy the user data space into the kernel copy
         * structure. But bear in mind that the structures
         * may change
         */
        if (CopyFromUser(txc, txcP) != 0)
            return -EFAULT;
        ret = Helpers.DoAdjtimex(txc);
        return CopyToUser(txcP, txc) != 0 ? -EFAULT : ret;
    }

    // kernel/compat.c, compat_sys_adjtimex(), v2.6.28. Correct: access_ok() on the whole compat struct, then
    // every field's __get_user() chained into the -EFAULT test (ten of the twenty shown: the others are the
    // same line on the next offsets), and on the way out the same for access_ok() and __put_user().
    public static int CompatSysAdjtimex(UserPtr utp) // expect: none
    {
        var txc = new Helpers.Timex();
        int ret;

        /* memset(&txc, 0, sizeof(struct timex)); */

        if (!AccessOk(utp, SIZEOF_COMPAT_TIMEX) ||
            GetUserUnchecked(out txc.Modes, (utp + CTX_MODES).Cast<uint>()) != 0 ||
            GetUserUnchecked(out txc.Offset, (utp + CTX_OFFSET).Cast<int>()) != 0 ||
            GetUserUnchecked(out txc.Freq, (utp + CTX_FREQ).Cast<int>()) != 0 ||
            GetUserUnchecked(out txc.Maxerror, (utp + CTX_MAXERROR).Cast<int>()) != 0 ||
            GetUserUnchecked(out txc.Esterror, (utp + CTX_ESTERROR).Cast<int>()) != 0 ||
            GetUserUnchecked(out txc.Status, (utp + CTX_STATUS).Cast<int>()) != 0 ||
            GetUserUnchecked(out txc.TimeSec, (utp + CTX_TIME_SEC).Cast<int>()) != 0 ||
            GetUserUnchecked(out txc.TimeUsec, (utp + CTX_TIME_USEC).Cast<int>()) != 0 ||
            GetUserUnchecked(out txc.Tick, (utp + CTX_TICK).Cast<int>()) != 0 ||
            GetUserUnchecked(out txc.Tai, (utp + CTX_TAI).Cast<int>()) != 0)
            return -EFAULT;

        ret = Helpers.DoAdjtimexStruct(txc);

        if (!AccessOk(utp, SIZEOF_COMPAT_TIMEX) ||
            PutUserUnchecked(txc.Modes, (utp + CTX_MODES).Cast<uint>()) != 0 ||
            PutUserUnchecked(txc.Offset, (utp + CTX_OFFSET).Cast<int>()) != 0 ||
            PutUserUnchecked(txc.Freq, (utp + CTX_FREQ).Cast<int>()) != 0 ||
            PutUserUnchecked(txc.Maxerror, (utp + CTX_MAXERROR).Cast<int>()) != 0 ||
            PutUserUnchecked(txc.Esterror, (utp + CTX_ESTERROR).Cast<int>()) != 0 ||
            PutUserUnchecked(txc.Status, (utp + CTX_STATUS).Cast<int>()) != 0 ||
            PutUserUnchecked(txc.TimeSec, (utp + CTX_TIME_SEC).Cast<int>()) != 0 ||
            PutUserUnchecked(txc.TimeUsec, (utp + CTX_TIME_USEC).Cast<int>()) != 0 ||
            PutUserUnchecked(txc.Tick, (utp + CTX_TICK).Cast<int>()) != 0 ||
            PutUserUnchecked(txc.Tai, (utp + CTX_TAI).Cast<int>()) != 0)
            ret = -EFAULT;

        return ret;
    }

    // kernel/compat.c, get_compat_sigevent(), v4.x/v5.x (timer_create()'s compat sigevent copy). Correct:
    // access_ok() on the whole struct, the four fields chained into the -EFAULT result.
    public static int GetCompatSigevent(Helpers.Sigevent @event, UserPtr uEvent) // expect: none
    {
        /* memset(event, 0, sizeof(*event)); */
        return (!AccessOk(uEvent, SIZEOF_COMPAT_SIGEVENT) ||
                GetUserUnchecked(out @event.SivalInt, (uEvent + CSEV_VALUE).Cast<int>()) != 0 ||
                GetUserUnchecked(out @event.Signo, (uEvent + CSEV_SIGNO).Cast<int>()) != 0 ||
                GetUserUnchecked(out @event.Notify, (uEvent + CSEV_NOTIFY).Cast<int>()) != 0 ||
                GetUserUnchecked(out @event.NotifyThreadId, (uEvent + CSEV_TID).Cast<int>()) != 0)
            ? -EFAULT : 0;
    }
}

public static class Helpers
{
    // ---- signals ----

    /// <summary>struct k_sigaction as the 32-bit ABIs see it.</summary>
    public sealed class KSigaction
    {
        public uint SaHandler;
        public uint SaRestorer;
        public uint SaFlags;
        public ulong SaMask;
    }

    /// <summary>The parts of task_struct, sighand and signal_struct that the signal code reads.</summary>
    public sealed class Task
    {
        public KernelSpinlock Siglock = new();
        public ulong Pending;
        public ulong SharedPending;
        public ulong Blocked;
    }

    /// <summary>do_sigaction(): installs and returns the action under siglock; no user access.</summary>
    [ReturnsErrno]
    public static int DoSigaction(int sig, KSigaction? act, KSigaction? oact) => sig < 1 || sig > 64 ? -EINVAL : 0;

    /// <summary>get_compat_sigset(): copy_from_user() of the compat mask; -EFAULT or 0.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    public static int GetCompatSigset(KSigaction ka, UserPtr compat)
    {
        var v = new byte[8];
        if (CopyFromUser(v, compat) != 0)
            return -EFAULT;
        ka.SaMask = BitConverter.ToUInt64(v, 0);
        return 0;
    }

    /// <summary>put_compat_sigset(): copy_to_user() of the compat mask; -EFAULT or 0.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    public static int PutCompatSigset(UserPtr compat, ulong set, int size)
        => CopyToUser(compat, BitConverter.GetBytes(set).AsSpan(0, size)) != 0 ? -EFAULT : 0;

    // ---- signalfd ----

    public const int SIL_KILL = 0;
    public const int SIL_TIMER = 1;
    public const int SIL_POLL = 2;
    public const int SIL_FAULT = 3;
    public const int SIL_CHLD = 4;
    public const int SIL_RT = 5;

    /// <summary>kernel_siginfo_t, with siginfo_layout() of its signo and code.</summary>
    public sealed class Siginfo
    {
        public int Layout;
        public uint Signo;
        public int Errno;
        public int Code;
        public uint Pid;
        public uint Uid;
        public int Fd;
        public uint Tid;
        public uint Band;
        public uint Overrun;
        public int Status;
        public int Int;
        public ulong Ptr;
        public ulong Utime;
        public ulong Stime;
        public ulong Addr;
    }

    /// <summary>struct signalfd_ctx.</summary>
    public sealed class SignalfdCtx
    {
        public ulong Sigmask;
    }

    /// <summary>signalfd_dequeue(): dequeue_signal() under siglock (taken and dropped inside); waits
    /// interruptibly when none is pending and nonblock is false (-ERESTARTSYS on a signal); the signal number,
    /// -EAGAIN, or an errno; no user access.</summary>
    public static long SignalfdDequeue(SignalfdCtx ctx, Siginfo info, bool nonblock) => nonblock ? -EAGAIN : 0;

    /// <summary>The field stores of the v5.x signalfd_copyinfo() into the kernel struct; no user access.</summary>
    public static void FillSignalfdSiginfo(byte[] ssi, Siginfo kinfo)
    {
        BitConverter.TryWriteBytes(ssi.AsSpan(0, 4), kinfo.Signo);
    }

    /// <summary>__clear_user(): no access_ok(); the bytes not cleared.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, "to", Size = "n")]
    public static long ClearUserUnchecked([RequiresAccessOk] UserPtr to, long n) => ClearUser(to, n);

    // ---- block ----

    /// <summary>struct rsxx_cardinfo.</summary>
    public sealed class RsxxCardinfo
    {
    }

    /// <summary>rsxx_creg_read(): reads card registers into buf through the creg queue; 0 or an errno.</summary>
    [ReturnsErrno]
    public static int RsxxCregRead(RsxxCardinfo card, uint addr, uint size, byte[] data, int byteStream) => 0;

    /// <summary>rsxx_creg_write(): writes card registers from buf; 0 or an errno.</summary>
    [ReturnsErrno]
    public static int RsxxCregWrite(RsxxCardinfo card, uint addr, uint size, byte[] data, int byteStream) => 0;

    /// <summary>kzalloc(n, GFP_KERNEL).</summary>
    public static byte[]? Kzalloc(int n) => new byte[n];

    /// <summary>memdup_user(): kmalloc() and copy_from_user(); null stands for the ERR_PTR (-EFAULT).</summary>
    [MightFault]
    [UserAccess(AccessKind.Read, "src", Size = "len")]
    public static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    /// <summary>struct block_device.</summary>
    public sealed class BlockDevice
    {
    }

    public const int CAP_SYS_ADMIN = 21;

    /// <summary>capable().</summary>
    public static bool Capable(int cap) => true;

    /// <summary>The BLKPG_ADD_PARTITION/BLKPG_DEL_PARTITION work on the kernel copy; no user access.</summary>
    [ReturnsErrno]
    public static int BlkpgOp(BlockDevice bdev, int op, byte[] partition) => 0;

    /// <summary>compat_alloc_user_space(len): room on the user stack below the compat frame.</summary>
    public static UserPtr CompatAllocUserSpace(long len) => new UserPtr(0x7fff_0000UL - (ulong)len);

    /// <summary>blkdev_ioctl() on the native struct: 0 or an errno.</summary>
    [ReturnsErrno]
    public static int BlkdevIoctl(BlockDevice bdev, uint mode, uint cmd, UserPtr arg) => 0;

    // ---- time ----

    /// <summary>struct timex, the fields compat_sys_adjtimex() moves.</summary>
    public sealed class Timex
    {
        public uint Modes;
        public int Offset;
        public int Freq;
        public int Maxerror;
        public int Esterror;
        public int Status;
        public int TimeSec;
        public int TimeUsec;
        public int Tick;
        public int Tai;
    }

    /// <summary>struct sigevent, the fields get_compat_sigevent() fills.</summary>
    public sealed class Sigevent
    {
        public int SivalInt;
        public int Signo;
        public int Notify;
        public int NotifyThreadId;
    }

    /// <summary>do_adjtimex() on the kernel copy (bytes of struct timex): the clock state or an errno.</summary>
    public static int DoAdjtimex(byte[] txc) => 0;

    /// <summary>do_adjtimex() on the kernel struct: the clock state or an errno.</summary>
    public static int DoAdjtimexStruct(Timex txc) => 0;
}
