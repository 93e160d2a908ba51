// Held out: fs data paths (vmsplice, aio, readv/writev, ext4 ioctls) and arch syscalls, ptrace and signal frames
// (ARM OABI, s390, arm64), each defect before and after the kernel's own fix, and correct code from the same
// files doing the same things:
// - arch/arm/kernel/sys_oabi-compat.c sys_oabi_fcntl64(), v3.15 to v4.3: set_fs(KERNEL_DS) for the F_OFD_*
//   commands and no set_fs(fs) for them on the way out (CVE-2015-8966), and v4.4 after the fix, which moves the
//   lock commands into do_locks(); sys_oabi_epoll_ctl() and sys_oabi_sendmsg() (v3.x to v5.x) from the same file;
// - arch/s390/kernel/ptrace.c arch_ptrace() and compat_arch_ptrace() before f9bbf25e7b2b "s390/ptrace: fix
//   PTRACE_GET_LAST_BREAK error handling" (v6.3), the put_user() result dropped, and arch_ptrace() after it;
//   peek_user() and s390_regs_set() (v6.3) from the same file;
// - fs/splice.c vmsplice_to_user(), v2.6.17 to v2.6.24.1: the iovec's base handed to pipe_to_user()'s
//   __copy_to_user_inatomic() with no access_ok() (CVE-2008-0009/0010), and v2.6.24.2/v2.6.25 after the fix;
// - arch/arm64/kernel/signal.c restore_sve_fpsimd_context() (v6.2 tree): the record size parse_user_sigframe()
//   read and checked is read again from user memory and the copy's bounds are decided on the second value,
//   and after "arm64/signal: Avoid rereading context frame sizes" (v6.3 merge);
// - fs/aio.c aio_read_events_ring() (v4.x to v6.x), fs/read_write.c compat_rw_copy_check_uvector() (v3.x/v4.x)
//   and fs/ext4/ioctl.c ext4_ioctl_getuuid() (v6.1 on): correct.
// File locks, epoll, the socket layer, the traced task's registers, the pipe buffers, the aio ring and the
// superblock are stubs; the user pointers, the accesses, their checks, the locks and the control flow are the
// kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;
using static KernelCorpus.Heldout.FsArchPaths.FsErrno;

namespace KernelCorpus.Heldout.FsArchPaths;

/// <summary>The errnos these paths return that the runtime does not define.</summary>
public static class FsErrno
{
    public const int EIO = 5;
    public const int EBADF = 9;
}

public static class OabiCompat
{
    public const uint F_GETLK64 = 12;
    public const uint F_SETLK64 = 13;
    public const uint F_SETLKW64 = 14;
    public const uint F_OFD_GETLK = 36;
    public const uint F_OFD_SETLK = 37;
    public const uint F_OFD_SETLKW = 38;

    public const int EPOLL_CTL_DEL = 2;
    public const ushort AF_UNIX = 1;

    /// <summary>sizeof(struct oabi_flock64): short l_type, short l_whence, loff_t l_start, loff_t l_len, pid_t
    /// l_pid, packed and 4-aligned.</summary>
    public const int SZ_OABI_FLOCK64 = 24;

    /// <summary>sizeof(struct oabi_epoll_event): __u32 events, __u64 data, packed and 4-aligned.</summary>
    public const int SZ_OABI_EPOLL_EVENT = 12;

    /// <summary>struct user_msghdr (32-bit ARM): void *msg_name at 0, int msg_namelen at 4.</summary>
    public const int MSGHDR_NAME = 0;
    public const int MSGHDR_NAMELEN = 4;

    // arch/arm/kernel/sys_oabi-compat.c, sys_oabi_fcntl64(), v3.15 to v4.3 (F_OFD_* added by "locks: add new
    // fcntl cmd values for handling file private locks", v3.15). Buggy: the F_OFD_GETLK, F_OFD_SETLK and
    // F_OFD_SETLKW commands take the first switch's branch, which copies the lock in and does
    // set_fs(KERNEL_DS), but the second switch only restores the address limit for F_GETLK64, F_SETLK64 and
    // F_SETLKW64, so an OFD lock command returns to user space with KERNEL_DS: CVE-2015-8966, "allows local
    // users to gain privileges via a crafted application that calls sys_oabi_fcntl64 with F_OFD_GETLK,
    // F_OFD_SETLK, or F_OFD_SETLKW" (every later uaccess of the task accepts kernel addresses). Fixed in v4.4
    // by do_locks(), which restores the limit right after sys_fcntl64() for all six commands.
    public static long SysOabiFcntl64V42(uint fd, uint cmd, ulong arg, Helpers.Task current)
    {
        byte[] user = new byte[SZ_OABI_FLOCK64];
        var kernel = new Helpers.Flock64();
        /* mm_segment_t fs = USER_DS; initialized to kill a warning */
        ulong local_arg = arg;
        long ret;

        switch (cmd)
        {
            case F_OFD_GETLK:
            case F_OFD_SETLK:
            case F_OFD_SETLKW:
            case F_GETLK64:
            case F_SETLK64:
            case F_SETLKW64:
                if (CopyFromUser(user, new UserPtr(arg)) != 0)
                    return -EFAULT;
                Helpers.OabiFlockToKernel(user, kernel);
                local_arg = Helpers.KernelAddressOf(kernel);
                /* fs = get_fs(); */
                Helpers.SetFsKernelDs(current); // expect: UA1003
                break;
        }

        ret = Helpers.SysFcntl64(fd, cmd, local_arg);

        switch (cmd)
        {
            case F_GETLK64:
                if (ret == 0)
                {
                    Helpers.KernelFlockToOabi(kernel, user);
                    if (CopyToUser(new UserPtr(arg), user) != 0)
                        ret = -EFAULT;
                }
                goto case F_SETLK64; /* falls through */
            case F_SETLK64:
            case F_SETLKW64:
                Helpers.SetFs(current); /* set_fs(fs) */
                break;
        }

        return ret;
    }

    // arch/arm/kernel/sys_oabi-compat.c, do_locks(), v4.4 (the CVE-2015-8966 fix) to v5.x. Correct: the lock is
    // copied in, set_fs(KERNEL_DS) brackets only the sys_fcntl64() call on the kernel copy, and the result is
    // copied out after set_fs(fs) for F_GETLK64 and F_OFD_GETLK, its result tested.
    public static long DoLocks(uint fd, uint cmd, ulong arg, Helpers.Task current) // expect: none
    {
        var kernel = new Helpers.Flock64();
        byte[] user = new byte[SZ_OABI_FLOCK64];
        long ret;

        if (CopyFromUser(user, new UserPtr(arg)) != 0)
            return -EFAULT;
        Helpers.OabiFlockToKernel(user, kernel);

        /* fs = get_fs(); */
        Helpers.SetFsKernelDs(current);
        ret = Helpers.SysFcntl64(fd, cmd, Helpers.KernelAddressOf(kernel));
        Helpers.SetFs(current); /* set_fs(fs) */

        if (ret == 0 && (cmd == F_GETLK64 || cmd == F_OFD_GETLK))
        {
            Helpers.KernelFlockToOabi(kernel, user);
            if (CopyToUser(new UserPtr(arg), user) != 0)
                ret = -EFAULT;
        }
        return ret;
    }

    // arch/arm/kernel/sys_oabi-compat.c, sys_oabi_fcntl64(), v4.4 to v5.x. Correct: the six lock commands go to
    // do_locks(), the rest straight to sys_fcntl64() on the user's argument.
    public static long SysOabiFcntl64(uint fd, uint cmd, ulong arg, Helpers.Task current) // expect: none
    {
        switch (cmd)
        {
            case F_OFD_GETLK:
            case F_OFD_SETLK:
            case F_OFD_SETLKW:
            case F_GETLK64:
            case F_SETLK64:
            case F_SETLKW64:
                return DoLocks(fd, cmd, arg, current);

            default:
                return Helpers.SysFcntl64(fd, cmd, arg);
        }
    }

    // arch/arm/kernel/sys_oabi-compat.c, sys_oabi_epoll_ctl(), v2.6.18 to v5.x. Correct: the OABI event is copied
    // in once and converted, and set_fs(KERNEL_DS) brackets the one sys_epoll_ctl() call on the kernel copy.
    public static long SysOabiEpollCtl(int epfd, int op, int fd, UserPtr @event, Helpers.Task current) // expect: none
    {
        byte[] user = new byte[SZ_OABI_EPOLL_EVENT];
        var kernel = new Helpers.EpollEvent();
        long ret;

        if (op == EPOLL_CTL_DEL)
            return Helpers.SysEpollCtl(epfd, op, fd, null);
        if (CopyFromUser(user, @event) != 0)
            return -EFAULT;
        kernel.Events = BitConverter.ToUInt32(user, 0);
        kernel.Data = BitConverter.ToUInt64(user, 4);
        /* fs = get_fs(); */
        Helpers.SetFsKernelDs(current);
        ret = Helpers.SysEpollCtl(epfd, op, fd, kernel);
        Helpers.SetFs(current); /* set_fs(fs) */
        return ret;
    }

    // arch/arm/kernel/sys_oabi-compat.c, sys_oabi_sendmsg(), v2.6.18 to v5.x (unchanged since). Correct by the
    // kernel's standard: for an AF_UNIX name given with the OABI's padded length 112, the length is rewritten
    // to 110 in the caller's msghdr ("HACK ALERT ... take care to run for cover"), a best-effort write whose
    // result is ignored on purpose: put_user() is not __must_check, and if it does not land sys_sendmsg() reads
    // 112 again and unix_mkname() rejects it with -EINVAL, so no failure goes unreported.
    public static long SysOabiSendmsg(int fd, UserPtr msg, uint flags) // expect: none
    {
        if (msg != UserPtr.Null &&
            GetUser(out int msg_namelen, (msg + MSGHDR_NAMELEN).Cast<int>()) == 0 &&
            msg_namelen == 112 &&
            GetUser(out uint addr, (msg + MSGHDR_NAME).Cast<uint>()) == 0 &&
            GetUser(out ushort sa_family, new UserPtr(addr).Cast<ushort>()) == 0 &&
            sa_family == AF_UNIX)
        {
            /*
             * HACK ALERT: there is a limit to how much backward bending
             * we should do for what is actually a transitional
             * compatibility layer.  This already has known flaws with
             * a few ioctls that we don't intend to fix.  Therefore
             * consider this blatent hack as another one... and take care
             * to run for cover.  In most cases it will "just work fine".
             * If it doesn't, well, tough.
             */
            PutUser(110, (msg + MSGHDR_NAMELEN).Cast<int>());
        }
        return Helpers.SysSendmsg(fd, msg, flags);
    }
}

public static class S390Ptrace
{
    public const long PTRACE_PEEKUSR = 3;
    public const long PTRACE_POKEUSR = 6;
    public const long PTRACE_PEEKUSR_AREA = 0x5000;
    public const long PTRACE_POKEUSR_AREA = 0x5001;
    public const long PTRACE_GET_LAST_BREAK = 0x5006;
    public const long PTRACE_ENABLE_TE = 0x5009;
    public const long PTRACE_DISABLE_TE = 0x5010;
    public const long PTRACE_TE_ABORT_RAND = 0x5011;

    /// <summary>ptrace_area: __u32 len; addr_t kernel_addr; addr_t process_addr (64-bit).</summary>
    public const int SZ_PTRACE_AREA = 24;
    public const int PAREA_LEN = 0;
    public const int PAREA_KERNEL_ADDR = 8;
    public const int PAREA_PROCESS_ADDR = 16;

    /// <summary>compat_ptrace_area: __u32 len, kernel_addr, process_addr.</summary>
    public const int SZ_COMPAT_PTRACE_AREA = 12;

    /// <summary>__ADDR_MASK (64-bit) and sizeof(struct user).</summary>
    public const ulong ADDR_MASK = 7;
    public const ulong SIZEOF_USER = 0x1f0;

    /// <summary>offsetof(struct user, regs.acrs) and offsetof(struct user, regs.orig_gpr2).</summary>
    public const ulong OFFSETOF_ACRS = 0x90;
    public const ulong OFFSETOF_ORIG_GPR2 = 0xd0;

    // arch/s390/kernel/ptrace.c, peek_user(), v3.x to v6.x. Correct: the offset is checked against the struct
    // user before the word is read, and the put_user() result is returned.
    public static int PeekUser(Helpers.S390Task child, ulong addr, ulong data) // expect: none
    {
        ulong tmp, mask;

        /*
         * Stupid gdb peeks/pokes the access registers in 64 bit with
         * an alignment of 4. Programmers from hell...
         */
        mask = ADDR_MASK;
        if (addr >= OFFSETOF_ACRS && addr < OFFSETOF_ORIG_GPR2)
            mask = 3;
        if ((addr & mask) != 0 || addr > SIZEOF_USER - ADDR_MASK)
            return -EIO;

        tmp = Helpers.PeekUserRaw(child, addr);
        return PutUser(tmp, new UserPtr(data).Cast<ulong>());
    }

    // arch/s390/kernel/ptrace.c, arch_ptrace(), v6.2 (the same since PTRACE_GET_LAST_BREAK came in v2.6.37),
    // before f9bbf25e7b2b "s390/ptrace: fix PTRACE_GET_LAST_BREAK error handling" (v6.3). Buggy: the last
    // breaking-event address is written with put_user() and 0 returned whatever it did: "Return -EFAULT if
    // put_user() for the PTRACE_GET_LAST_BREAK request fails, instead of silently ignoring it." The area loop
    // is correct: each word's offset is checked by peek_user()/poke_user(), which end it with -EIO past the
    // struct user, so it runs a few dozen rounds at most.
    public static long ArchPtraceV62(Helpers.S390Task child, long request, ulong addr, ulong data)
    {
        byte[] parea = new byte[SZ_PTRACE_AREA];
        int copied, ret;

        switch (request)
        {
            case PTRACE_PEEKUSR:
                /* read the word at location addr in the USER area. */
                return PeekUser(child, addr, data);

            case PTRACE_POKEUSR:
                /* write the word at location addr in the USER area */
                return Helpers.PokeUser(child, addr, data);

            case PTRACE_PEEKUSR_AREA:
            case PTRACE_POKEUSR_AREA:
                if (CopyFromUser(parea, new UserPtr(addr)) != 0)
                    return -EFAULT;
                addr = BitConverter.ToUInt64(parea, PAREA_KERNEL_ADDR);
                data = BitConverter.ToUInt64(parea, PAREA_PROCESS_ADDR);
                copied = 0;
                while (copied < BitConverter.ToUInt32(parea, PAREA_LEN))
                {
                    if (request == PTRACE_PEEKUSR_AREA)
                        ret = PeekUser(child, addr, data);
                    else
                    {
                        ulong utmp;
                        if (GetUser(out utmp, new UserPtr(data).Cast<ulong>()) != 0)
                            return -EFAULT;
                        ret = Helpers.PokeUser(child, addr, utmp);
                    }
                    if (ret != 0)
                        return ret;
                    addr += sizeof(ulong);
                    data += sizeof(ulong);
                    copied += sizeof(ulong);
                }
                return 0;
            case PTRACE_GET_LAST_BREAK:
                PutUser(child.LastBreak, new UserPtr(data).Cast<ulong>()); // expect: UA5001
                return 0;
            case PTRACE_ENABLE_TE:
                if (!Helpers.MachineHasTe)
                    return -EIO;
                child.PerFlags &= ~Helpers.PER_FLAG_NO_TE;
                return 0;
            case PTRACE_DISABLE_TE:
                if (!Helpers.MachineHasTe)
                    return -EIO;
                child.PerFlags |= Helpers.PER_FLAG_NO_TE;
                child.PerFlags &= ~Helpers.PER_FLAG_TE_ABORT_RAND;
                return 0;
            case PTRACE_TE_ABORT_RAND:
                if (!Helpers.MachineHasTe || (child.PerFlags & Helpers.PER_FLAG_NO_TE) != 0)
                    return -EIO;
                switch (data)
                {
                    case 0UL:
                        child.PerFlags &= ~Helpers.PER_FLAG_TE_ABORT_RAND;
                        break;
                    case 1UL:
                        child.PerFlags |= Helpers.PER_FLAG_TE_ABORT_RAND;
                        child.PerFlags |= Helpers.PER_FLAG_TE_ABORT_RAND_TEND;
                        break;
                    case 2UL:
                        child.PerFlags |= Helpers.PER_FLAG_TE_ABORT_RAND;
                        child.PerFlags &= ~Helpers.PER_FLAG_TE_ABORT_RAND_TEND;
                        break;
                    default:
                        return -EINVAL;
                }
                return 0;
            default:
                return Helpers.PtraceRequest(child, request, addr, data);
        }
    }

    // arch/s390/kernel/ptrace.c, arch_ptrace(), v6.3 (after f9bbf25e7b2b). Correct: PTRACE_GET_LAST_BREAK
    // returns the put_user() result.
    public static long ArchPtrace(Helpers.S390Task child, long request, ulong addr, ulong data) // expect: none
    {
        byte[] parea = new byte[SZ_PTRACE_AREA];
        int copied, ret;

        switch (request)
        {
            case PTRACE_PEEKUSR:
                /* read the word at location addr in the USER area. */
                return PeekUser(child, addr, data);

            case PTRACE_POKEUSR:
                /* write the word at location addr in the USER area */
                return Helpers.PokeUser(child, addr, data);

            case PTRACE_PEEKUSR_AREA:
            case PTRACE_POKEUSR_AREA:
                if (CopyFromUser(parea, new UserPtr(addr)) != 0)
                    return -EFAULT;
                addr = BitConverter.ToUInt64(parea, PAREA_KERNEL_ADDR);
                data = BitConverter.ToUInt64(parea, PAREA_PROCESS_ADDR);
                copied = 0;
                while (copied < BitConverter.ToUInt32(parea, PAREA_LEN))
                {
                    if (request == PTRACE_PEEKUSR_AREA)
                        ret = PeekUser(child, addr, data);
                    else
                    {
                        ulong utmp;
                        if (GetUser(out utmp, new UserPtr(data).Cast<ulong>()) != 0)
                            return -EFAULT;
                        ret = Helpers.PokeUser(child, addr, utmp);
                    }
                    if (ret != 0)
                        return ret;
                    addr += sizeof(ulong);
                    data += sizeof(ulong);
                    copied += sizeof(ulong);
                }
                return 0;
            case PTRACE_GET_LAST_BREAK:
                return PutUser(child.LastBreak, new UserPtr(data).Cast<ulong>());
            case PTRACE_ENABLE_TE:
                if (!Helpers.MachineHasTe)
                    return -EIO;
                child.PerFlags &= ~Helpers.PER_FLAG_NO_TE;
                return 0;
            case PTRACE_DISABLE_TE:
                if (!Helpers.MachineHasTe)
                    return -EIO;
                child.PerFlags |= Helpers.PER_FLAG_NO_TE;
                child.PerFlags &= ~Helpers.PER_FLAG_TE_ABORT_RAND;
                return 0;
            case PTRACE_TE_ABORT_RAND:
                if (!Helpers.MachineHasTe || (child.PerFlags & Helpers.PER_FLAG_NO_TE) != 0)
                    return -EIO;
                switch (data)
                {
                    case 0UL:
                        child.PerFlags &= ~Helpers.PER_FLAG_TE_ABORT_RAND;
                        break;
                    case 1UL:
                        child.PerFlags |= Helpers.PER_FLAG_TE_ABORT_RAND;
                        child.PerFlags |= Helpers.PER_FLAG_TE_ABORT_RAND_TEND;
                        break;
                    case 2UL:
                        child.PerFlags |= Helpers.PER_FLAG_TE_ABORT_RAND;
                        child.PerFlags &= ~Helpers.PER_FLAG_TE_ABORT_RAND_TEND;
                        break;
                    default:
                        return -EINVAL;
                }
                return 0;
            default:
                return Helpers.PtraceRequest(child, request, addr, data);
        }
    }

    // arch/s390/kernel/ptrace.c, compat_arch_ptrace(), v6.2 (before f9bbf25e7b2b). Buggy: the same dropped
    // put_user() of the last breaking-event address for a 31-bit tracer, fixed by the same commit.
    public static long CompatArchPtraceV62(Helpers.S390Task child, int request, uint caddr, uint cdata)
    {
        ulong addr = caddr;
        ulong data = cdata;
        byte[] parea = new byte[SZ_COMPAT_PTRACE_AREA];
        int copied, ret;

        switch (request)
        {
            case (int)PTRACE_PEEKUSR:
                /* read the word at location addr in the USER area. */
                return Helpers.PeekUserCompat(child, addr, data);

            case (int)PTRACE_POKEUSR:
                /* write the word at location addr in the USER area */
                return Helpers.PokeUserCompat(child, addr, data);

            case (int)PTRACE_PEEKUSR_AREA:
            case (int)PTRACE_POKEUSR_AREA:
                if (CopyFromUser(parea, new UserPtr(addr)) != 0)
                    return -EFAULT;
                addr = BitConverter.ToUInt32(parea, 4);
                data = BitConverter.ToUInt32(parea, 8);
                copied = 0;
                while (copied < BitConverter.ToUInt32(parea, 0))
                {
                    if (request == PTRACE_PEEKUSR_AREA)
                        ret = Helpers.PeekUserCompat(child, addr, data);
                    else
                    {
                        uint utmp;
                        if (GetUser(out utmp, new UserPtr(data).Cast<uint>()) != 0)
                            return -EFAULT;
                        ret = Helpers.PokeUserCompat(child, addr, utmp);
                    }
                    if (ret != 0)
                        return ret;
                    addr += sizeof(uint);
                    data += sizeof(uint);
                    copied += sizeof(uint);
                }
                return 0;
            case (int)PTRACE_GET_LAST_BREAK:
                PutUser((uint)child.LastBreak, new UserPtr(data).Cast<uint>()); // expect: UA5001
                return 0;
        }
        return Helpers.CompatPtraceRequest(child, request, addr, data);
    }

    // arch/s390/kernel/ptrace.c, s390_regs_set(), v5.x/v6.x. Correct: the regset core (copy_regset_from_user())
    // access_ok()s ubuf for count, which ptrace_regset() caps at the regset's size, before calling it; the
    // words are read with __get_user() inside that range, each result tested before it is used.
    public static int S390RegsSet(Helpers.S390Task target, uint pos, uint count, byte[]? kbuf,
        [RequiresAccessOk] UserPtr ubuf) // expect: none
    {
        int rc = 0;

        if (target.IsCurrent)
            Helpers.SaveAccessRegs(target);

        if (kbuf != null)
        {
            int k = 0;
            while (count > 0 && rc == 0)
            {
                rc = Helpers.PokeUserRaw(target, pos, BitConverter.ToUInt64(kbuf, k));
                k += sizeof(ulong);
                count -= sizeof(ulong);
                pos += sizeof(ulong);
            }
        }
        else
        {
            UserPtr u = ubuf;
            while (count > 0 && rc == 0)
            {
                ulong word;
                rc = GetUserUnchecked(out word, u.Cast<ulong>());
                u += sizeof(ulong);
                if (rc != 0)
                    break;
                rc = Helpers.PokeUserRaw(target, pos, word);
                count -= sizeof(ulong);
                pos += sizeof(ulong);
            }
        }

        if (rc == 0 && target.IsCurrent)
            Helpers.RestoreAccessRegs(target);

        return rc;
    }
}

public static class Splice
{
    /// <summary>struct iovec: void __user *iov_base; size_t iov_len.</summary>
    public const int IOV_BASE = 0;
    public const int IOV_LEN = 8;
    public const int SIZEOF_IOVEC = 16;

    // fs/splice.c, vmsplice_to_user(), v2.6.17 to v2.6.24.1 (before 8811930dc74a "splice: missing user pointer
    // access verification", v2.6.24.2/v2.6.25). Buggy: each iovec's base and length are fetched and checked
    // for zero only, and base goes to pipe_to_user() as sd.u.userptr, where fault_in_pages_writeable()'s
    // __put_user() and __copy_to_user_inatomic() write the pipe's data to it with no range check: "vmsplice_to_user()
    // must always check the user pointer and length with access_ok() before copying" (CVE-2008-0009/0010, a
    // kernel address as iov_base writes kernel memory). The iovec walk itself is bounded by UIO_MAXIOV
    // (sys_vmsplice()), and the waits for data in __splice_from_pipe() check signal_pending().
    public static long VmspliceToUserV2624(Helpers.File file, UserPtr iov, ulong nr_segs, uint flags)
    {
        Helpers.PipeInodeInfo? pipe;
        var sd = new Helpers.SpliceDesc();
        long size;
        int error;
        long ret;

        pipe = Helpers.PipeInfo(file);
        if (pipe == null)
            return -EBADF;

        if (pipe.Inode != null)
            pipe.Inode.IMutex.Lock();

        error = 0;
        ret = 0;
        while (nr_segs != 0)
        {
            UserPtr @base;
            ulong len;

            /*
             * Get user address base and length for this iovec.
             */
            error = GetUser(out ulong ubase, (iov + IOV_BASE).Cast<ulong>());
            if (error != 0)
                break;
            @base = new UserPtr(ubase);
            error = GetUser(out len, (iov + IOV_LEN).Cast<ulong>());
            if (error != 0)
                break;

            /*
             * Sanity check this iovec. 0 read succeeds.
             */
            if (len == 0)
                break;
            if (@base == UserPtr.Null)
            {
                error = -EFAULT;
                break;
            }

            sd.Len = 0;
            sd.TotalLen = len;
            sd.Flags = flags;
            sd.Pos = 0;

            size = Helpers.SpliceFromPipeToUser(pipe, sd, @base); // expect: UA5003
            if (size < 0)
            {
                if (ret == 0)
                    ret = size;

                break;
            }

            ret += size;

            if ((ulong)size < len)
                break;

            nr_segs--;
            iov += SIZEOF_IOVEC;
        }

        if (pipe.Inode != null)
            pipe.Inode.IMutex.Unlock();

        if (ret == 0)
            ret = error;

        return ret;
    }

    // fs/splice.c, vmsplice_to_user(), v2.6.25 (8811930dc74a, also v2.6.24.2). Correct: access_ok(VERIFY_WRITE,
    // base, len) before base becomes the destination of pipe_to_user()'s unchecked copies.
    public static long VmspliceToUser(Helpers.File file, UserPtr iov, ulong nr_segs, uint flags) // expect: none
    {
        Helpers.PipeInodeInfo? pipe;
        var sd = new Helpers.SpliceDesc();
        long size;
        int error;
        long ret;

        pipe = Helpers.PipeInfo(file);
        if (pipe == null)
            return -EBADF;

        if (pipe.Inode != null)
            pipe.Inode.IMutex.Lock();

        error = 0;
        ret = 0;
        while (nr_segs != 0)
        {
            UserPtr @base;
            ulong len;

            /*
             * Get user address base and length for this iovec.
             */
            error = GetUser(out ulong ubase, (iov + IOV_BASE).Cast<ulong>());
            if (error != 0)
                break;
            @base = new UserPtr(ubase);
            error = GetUser(out len, (iov + IOV_LEN).Cast<ulong>());
            if (error != 0)
                break;

            /*
             * Sanity check this iovec. 0 read succeeds.
             */
            if (len == 0)
                break;
            if (@base == UserPtr.Null)
            {
                error = -EFAULT;
                break;
            }

            if (!AccessOk(@base, len))
            {
                error = -EFAULT;
                break;
            }

            sd.Len = 0;
            sd.TotalLen = len;
            sd.Flags = flags;
            sd.Pos = 0;

            size = Helpers.SpliceFromPipeToUser(pipe, sd, @base);
            if (size < 0)
            {
                if (ret == 0)
                    ret = size;

                break;
            }

            ret += size;

            if ((ulong)size < len)
                break;

            nr_segs--;
            iov += SIZEOF_IOVEC;
        }

        if (pipe.Inode != null)
            pipe.Inode.IMutex.Unlock();

        if (ret == 0)
            ret = error;

        return ret;
    }
}

public static class Arm64Signal
{
    /// <summary>struct sve_context: struct _aarch64_ctx head (magic, size), __u16 vl, __u16 flags, __u16
    /// __reserved[2]; 16 bytes.</summary>
    public const int SZ_SVE_CONTEXT = 16;
    public const int SVE_HEAD_SIZE = 4;
    public const int SVE_VL = 8;
    public const int SVE_FLAGS = 10;
    public const ushort SVE_SIG_FLAG_SM = 1;

    /// <summary>SVE_SIG_REGS_OFFSET: the registers follow the 16-byte header.</summary>
    public const int SVE_SIG_REGS_OFFSET = 16;

    /// <summary>struct fpsimd_context: head, __u32 fpsr, __u32 fpcr, __uint128_t vregs[32].</summary>
    public const int FPSIMD_FPSR = 8;
    public const int FPSIMD_FPCR = 12;
    public const int FPSIMD_VREGS = 16;
    public const int SZ_VREGS = 32 * 16;

    // arch/arm64/kernel/signal.c, restore_sve_fpsimd_context(), the v6.2 tree "arm64/signal: Avoid rereading
    // context frame sizes" (Mark Brown, merged for v6.3) applies to. Buggy: parse_user_sigframe() read the record's size
    // from user memory, checked that the record lies inside the frame and kept the pointer; this function copies
    // the header in again and decides on the new head.size whether the record carries registers and whether it
    // is large enough for SVE_SIG_CONTEXT_SIZE(vq), then copies SVE_SIG_REGS_SIZE(vq) bytes from it: "those
    // functions always reread the size and validate the version they read, opening the possibility that the
    // value may change". A record of header size when parsed grows to a full one here, and the register copy
    // reads past the bounds the parse checked. (The frame was access_ok()ed by sys_rt_sigreturn(); its
    // __copy_from_user()s are written as the checked copies.)
    public static int RestoreSveFpsimdContextV61(Helpers.UserCtxs user, Helpers.Arm64Thread current)
    {
        int err;
        uint vl, vq;
        var fpsimd = new Helpers.UserFpsimdState();
        byte[] sve = new byte[SZ_SVE_CONTEXT];

        if (CopyFromUser(sve, user.Sve) != 0) // expect: UA3003
            return -EFAULT;

        uint sveHeadSize = BitConverter.ToUInt32(sve, SVE_HEAD_SIZE);
        ushort sveVl = BitConverter.ToUInt16(sve, SVE_VL);
        ushort sveFlags = BitConverter.ToUInt16(sve, SVE_FLAGS);

        if (sveHeadSize < SZ_SVE_CONTEXT)
            return -EINVAL;

        if ((sveFlags & SVE_SIG_FLAG_SM) != 0)
        {
            if (!Helpers.SystemSupportsSme)
                return -EINVAL;

            vl = current.SmeVl;
        }
        else
        {
            if (!Helpers.SystemSupportsSve)
                return -EINVAL;

            vl = current.SveVl;
        }

        if (sveVl != vl)
            return -EINVAL;

        if (sveHeadSize == SZ_SVE_CONTEXT)
        {
            current.TifSve = false;
            current.SvcrSm = false;
            current.FpTypeSve = false;
            goto fpsimd_only;
        }

        vq = Helpers.SveVqFromVl(sveVl);

        if (sveHeadSize < Helpers.SveSigContextSize(vq))
            return -EINVAL;

        /*
         * Careful: we are about __copy_from_user() directly into
         * thread.sve_state with preemption enabled, so protection is
         * needed to prevent a racing context switch from writing stale
         * registers back over the new data.
         */

        Helpers.FpsimdFlushTaskState(current);
        /* From now, fpsimd_thread_switch() won't touch thread.sve_state */

        Helpers.SveAlloc(current, true);
        if (current.SveState == null)
        {
            current.TifSve = false;
            return -ENOMEM;
        }

        err = CopyFromUser(current.SveState.AsSpan(0, Helpers.SveSigRegsSize(vq)), user.Sve + SVE_SIG_REGS_OFFSET);
        if (err != 0)
            return -EFAULT;

        if ((sveFlags & SVE_SIG_FLAG_SM) != 0)
            current.SvcrSm = true;
        else
            current.TifSve = true;
        current.FpTypeSve = true;

    fpsimd_only:
        /* copy the FP and status/control registers */
        /* restore_sigframe() already checked that user->fpsimd != NULL. */
        err = CopyFromUser(fpsimd.Vregs, user.Fpsimd + FPSIMD_VREGS);
        err |= GetUser(out fpsimd.Fpsr, (user.Fpsimd + FPSIMD_FPSR).Cast<uint>());
        err |= GetUser(out fpsimd.Fpcr, (user.Fpsimd + FPSIMD_FPCR).Cast<uint>());

        /* load the hardware registers from the fpsimd_state structure */
        if (err == 0)
            Helpers.FpsimdUpdateCurrentState(current, fpsimd);

        return err != 0 ? -EFAULT : 0;
    }

    // arch/arm64/kernel/signal.c, restore_sve_fpsimd_context(), as "arm64/signal: Avoid rereading context frame
    // sizes" left it (before the follow-up of the same series that reads only vl and flags). Correct: every size decision uses user->sve_size, the value parse_user_sigframe()
    // read and checked; the header is still copied in for vl and flags, but its size field is not used.
    public static int RestoreSveFpsimdContext(Helpers.UserCtxs user, Helpers.Arm64Thread current) // expect: none
    {
        int err;
        uint vl, vq;
        var fpsimd = new Helpers.UserFpsimdState();
        byte[] sve = new byte[SZ_SVE_CONTEXT];

        if (user.SveSize < SZ_SVE_CONTEXT)
            return -EINVAL;

        if (CopyFromUser(sve, user.Sve) != 0)
            return -EFAULT;

        ushort sveVl = BitConverter.ToUInt16(sve, SVE_VL);
        ushort sveFlags = BitConverter.ToUInt16(sve, SVE_FLAGS);

        if ((sveFlags & SVE_SIG_FLAG_SM) != 0)
        {
            if (!Helpers.SystemSupportsSme)
                return -EINVAL;

            vl = current.SmeVl;
        }
        else
        {
            if (!Helpers.SystemSupportsSve)
                return -EINVAL;

            vl = current.SveVl;
        }

        if (sveVl != vl)
            return -EINVAL;

        if (user.SveSize == SZ_SVE_CONTEXT)
        {
            current.TifSve = false;
            current.SvcrSm = false;
            current.FpTypeSve = false;
            goto fpsimd_only;
        }

        vq = Helpers.SveVqFromVl(sveVl);

        if (user.SveSize < Helpers.SveSigContextSize(vq))
            return -EINVAL;

        /*
         * Careful: we are about __copy_from_user() directly into
         * thread.sve_state with preemption enabled, so protection is
         * needed to prevent a racing context switch from writing stale
         * registers back over the new data.
         */

        Helpers.FpsimdFlushTaskState(current);
        /* From now, fpsimd_thread_switch() won't touch thread.sve_state */

        Helpers.SveAlloc(current, true);
        if (current.SveState == null)
        {
            current.TifSve = false;
            return -ENOMEM;
        }

        err = CopyFromUser(current.SveState.AsSpan(0, Helpers.SveSigRegsSize(vq)), user.Sve + SVE_SIG_REGS_OFFSET);
        if (err != 0)
            return -EFAULT;

        if ((sveFlags & SVE_SIG_FLAG_SM) != 0)
            current.SvcrSm = true;
        else
            current.TifSve = true;
        current.FpTypeSve = true;

    fpsimd_only:
        /* copy the FP and status/control registers */
        /* restore_sigframe() already checked that user->fpsimd != NULL. */
        err = CopyFromUser(fpsimd.Vregs, user.Fpsimd + FPSIMD_VREGS);
        err |= GetUser(out fpsimd.Fpsr, (user.Fpsimd + FPSIMD_FPSR).Cast<uint>());
        err |= GetUser(out fpsimd.Fpcr, (user.Fpsimd + FPSIMD_FPCR).Cast<uint>());

        /* load the hardware registers from the fpsimd_state structure */
        if (err == 0)
            Helpers.FpsimdUpdateCurrentState(current, fpsimd);

        return err != 0 ? -EFAULT : 0;
    }
}

public static class Aio
{
    /// <summary>sizeof(struct io_event): __u64 data, obj; __s64 res, res2.</summary>
    public const int SIZEOF_IO_EVENT = 32;

    /// <summary>AIO_EVENTS_PER_PAGE and AIO_EVENTS_OFFSET (the struct aio_ring header takes one event's room).</summary>
    public const uint AIO_EVENTS_PER_PAGE = 4096 / SIZEOF_IO_EVENT;
    public const uint AIO_EVENTS_OFFSET = 1;

    // fs/aio.c, aio_read_events_ring(), v4.x to v6.x (head and tail reduced modulo nr_events since edfbbf388f29,
    // v3.19). Correct: the events are copied out of the ring pages under ctx->ring_lock, a mutex the fault
    // path does not take (page migration of the ring only trylocks it), each copy_to_user() result tested; the
    // loop is bounded by the events in the ring, at most the nr_events fixed at io_setup(), whatever nr the
    // caller passed.
    public static long AioReadEventsRing(Helpers.Kioctx ctx, UserPtr @event, long nr) // expect: none
    {
        uint head, tail, pos;
        long ret = 0;
        int copy_ret;

        /*
         * The mutex can block and wake us up and that will cause
         * wait_event_interruptible_hrtimeout() to schedule without sleeping
         * and repeat. This should be rare enough that it doesn't cause
         * peformance issues. See the comment in read_events() for more detail.
         */
        /* sched_annotate_sleep(); */
        ctx.RingLock.Lock();

        /* Access to ->ring_pages here is protected by ctx->ring_lock. */
        /* ring = kmap_atomic(ctx->ring_pages[0]); */
        head = ctx.RingHead;
        tail = ctx.RingTail;
        /* kunmap_atomic(ring); */

        /*
         * Ensure that once we've read the current tail pointer, that
         * we also see the events that were stored up to the tail.
         */
        /* smp_rmb(); */

        if (head == tail)
            goto @out;

        head %= ctx.NrEvents;
        tail %= ctx.NrEvents;

        while (ret < nr)
        {
            long avail;
            byte[] page;

            avail = (head <= tail ? tail : ctx.NrEvents) - head;
            if (head == tail)
                break;

            pos = head + AIO_EVENTS_OFFSET;
            page = ctx.RingPages[pos / AIO_EVENTS_PER_PAGE];
            pos %= AIO_EVENTS_PER_PAGE;

            avail = Math.Min(avail, nr - ret);
            avail = Math.Min(avail, (long)(AIO_EVENTS_PER_PAGE - pos));

            /* ev = kmap(page); */
            copy_ret = CopyToUser(@event + ret * SIZEOF_IO_EVENT,
                page.AsSpan((int)(pos * SIZEOF_IO_EVENT), (int)(SIZEOF_IO_EVENT * avail)));
            /* kunmap(page); */

            if (copy_ret != 0)
            {
                ret = -EFAULT;
                goto @out;
            }

            ret += avail;
            head += (uint)avail;
            head %= ctx.NrEvents;
        }

        /* ring = kmap_atomic(ctx->ring_pages[0]); */
        ctx.RingHead = head;
        /* kunmap_atomic(ring); flush_dcache_page(ctx->ring_pages[0]); */

    @out:
        ctx.RingLock.Unlock();

        return ret;
    }
}

public static class ReadWrite
{
    public const ulong UIO_MAXIOV = 1024;
    public const int MAX_RW_COUNT = 0x7ffff000; /* INT_MAX & PAGE_MASK */

    /// <summary>struct compat_iovec: compat_uptr_t iov_base; compat_size_t iov_len.</summary>
    public const int CIOV_BASE = 0;
    public const int CIOV_LEN = 4;
    public const int SIZEOF_COMPAT_IOVEC = 8;

    // fs/read_write.c, compat_rw_copy_check_uvector(), v3.x/v4.x (fs/compat.c before v3.19). Correct: the
    // compat iovec array is access_ok()ed whole for nr_segs entries (nr_segs at most UIO_MAXIOV) before it is
    // walked with __get_user(), each result tested; every buffer is access_ok()ed for its length when the
    // caller asks (type >= 0), and the total is clamped to MAX_RW_COUNT.
    public static long CompatRwCopyCheckUvector(int type, UserPtr uvector, ulong nr_segs, ulong fast_segs,
        Helpers.Iovec[] fast_pointer, out Helpers.Iovec[] ret_pointer) // expect: none
    {
        int tot_len;
        Helpers.Iovec[] iov = ret_pointer = fast_pointer;
        int iovIdx = 0;
        long ret = 0;
        int seg;

        /*
         * SuS says "The readv() function *may* fail if the iovcnt argument
         * was less than or equal to 0, or greater than {IOV_MAX}.  Linux has
         * traditionally returned zero for zero segments, so...
         */
        if (nr_segs == 0)
            goto @out;

        ret = -EINVAL;
        if (nr_segs > UIO_MAXIOV)
            goto @out;
        if (nr_segs > fast_segs)
        {
            ret = -ENOMEM;
            iov = Helpers.KmallocIovecs(nr_segs);
            if (iov == null)
                goto @out;
        }
        ret_pointer = iov;

        ret = -EFAULT;
        if (!AccessOk(uvector, (long)nr_segs * SIZEOF_COMPAT_IOVEC))
            goto @out;

        /*
         * Single unix specification:
         * We should -EINVAL if an element length is not >= 0 and fitting an
         * ssize_t.
         *
         * In Linux, the total length is limited to MAX_RW_COUNT, there is
         * no overflow possibility.
         */
        tot_len = 0;
        ret = -EINVAL;
        for (seg = 0; seg < (long)nr_segs; seg++)
        {
            uint buf;
            int len;

            if (GetUserUnchecked(out len, (uvector + CIOV_LEN).Cast<int>()) != 0 ||
                GetUserUnchecked(out buf, (uvector + CIOV_BASE).Cast<uint>()) != 0)
            {
                ret = -EFAULT;
                goto @out;
            }
            if (len < 0) /* size_t not fitting in compat_ssize_t .. */
                goto @out;
            if (type >= 0 && !AccessOk(new UserPtr(buf), len))
            {
                ret = -EFAULT;
                goto @out;
            }
            if (len > MAX_RW_COUNT - tot_len)
                len = MAX_RW_COUNT - tot_len;
            tot_len += len;
            iov[iovIdx].IovBase = new UserPtr(buf);
            iov[iovIdx].IovLen = (uint)len;
            uvector += SIZEOF_COMPAT_IOVEC;
            iovIdx++;
        }
        ret = tot_len;

    @out:
        return ret;
    }
}

public static class Ext4Ioctl
{
    public const int UUID_SIZE = 16;

    /// <summary>struct fsuuid: __u32 fsu_len; __u32 fsu_flags; __u8 fsu_uuid[].</summary>
    public const int SZ_FSUUID = 8;
    public const int FSU_LEN = 0;
    public const int FSU_FLAGS = 4;
    public const int FSU_UUID = 8;

    // fs/ext4/ioctl.c, ext4_ioctl_getuuid(), v6.1 on (EXT4_IOC_GETFSUUID, after Darrick Wong's two fixes of
    // November 2022). Correct: the request header is copied in once, a zero length is answered with the length
    // needed, the UUID is copied under lock_buffer() into a local and copied out after unlock_buffer(), every
    // copy's result tested.
    public static int Ext4IoctlGetuuid(Helpers.Ext4SbInfo sbi, UserPtr ufsuuid) // expect: none
    {
        byte[] fsuuid = new byte[SZ_FSUUID];
        byte[] uuid = new byte[UUID_SIZE];

        if (CopyFromUser(fsuuid, ufsuuid) != 0)
            return -EFAULT;

        if (BitConverter.ToUInt32(fsuuid, FSU_LEN) == 0)
        {
            BitConverter.TryWriteBytes(fsuuid.AsSpan(FSU_LEN, 4), (uint)UUID_SIZE);
            if (CopyToUser(ufsuuid + FSU_LEN, fsuuid.AsSpan(FSU_LEN, 4)) != 0)
                return -EFAULT;
            return 0;
        }

        if (BitConverter.ToUInt32(fsuuid, FSU_LEN) < UUID_SIZE || BitConverter.ToUInt32(fsuuid, FSU_FLAGS) != 0)
            return -EINVAL;

        Helpers.LockBuffer(sbi);
        Array.Copy(sbi.SUuid, uuid, UUID_SIZE);
        Helpers.UnlockBuffer(sbi);

        BitConverter.TryWriteBytes(fsuuid.AsSpan(FSU_LEN, 4), (uint)UUID_SIZE);
        if (CopyToUser(ufsuuid, fsuuid) != 0 ||
            CopyToUser(ufsuuid + FSU_UUID, uuid) != 0)
            return -EFAULT;
        return 0;
    }
}

public static class Helpers
{
    // ---- arch/arm/kernel/sys_oabi-compat.c ----

    /// <summary>current, as far as the address limit goes.</summary>
    public sealed class Task
    {
        /// <summary>current_thread_info()->addr_limit: USER_DS, or KERNEL_DS while a compat wrapper hands kernel
        /// copies to a syscall that expects user pointers.</summary>
        public KernelMutex AddrLimit = new();
    }

    /// <summary>set_fs(KERNEL_DS) after fs = get_fs(): the uaccess calls of the syscall called next accept the
    /// kernel address of the on-stack copy. It must be undone with set_fs(fs) on every path out of the
    /// syscall, or the task returns to user space able to read and write kernel memory through any syscall's
    /// user pointers: a region that must be left, modelled as taking addr_limit, which SetFs() releases.</summary>
    [Acquires("current.AddrLimit")]
    public static void SetFsKernelDs(Task current) => current.AddrLimit.Lock();

    /// <summary>set_fs(fs): the saved (user) address limit back.</summary>
    [Releases("current.AddrLimit")]
    public static void SetFs(Task current) => current.AddrLimit.Unlock();

    /// <summary>struct flock64 (kernel copy).</summary>
    public sealed class Flock64
    {
        public short LType;
        public short LWhence;
        public long LStart;
        public long LLen;
        public int LPid;
    }

    /// <summary>kernel.l_type = user.l_type; ... (the OABI layout's fields into the kernel struct).</summary>
    public static void OabiFlockToKernel(byte[] user, Flock64 kernel)
    {
        kernel.LType = BitConverter.ToInt16(user, 0);
        kernel.LWhence = BitConverter.ToInt16(user, 2);
        kernel.LStart = BitConverter.ToInt64(user, 4);
        kernel.LLen = BitConverter.ToInt64(user, 12);
        kernel.LPid = BitConverter.ToInt32(user, 20);
    }

    /// <summary>user.l_type = kernel.l_type; ... (back into the OABI layout).</summary>
    public static void KernelFlockToOabi(Flock64 kernel, byte[] user)
    {
        BitConverter.TryWriteBytes(user.AsSpan(0, 2), kernel.LType);
        BitConverter.TryWriteBytes(user.AsSpan(2, 2), kernel.LWhence);
        BitConverter.TryWriteBytes(user.AsSpan(4, 8), kernel.LStart);
        BitConverter.TryWriteBytes(user.AsSpan(12, 8), kernel.LLen);
        BitConverter.TryWriteBytes(user.AsSpan(20, 4), kernel.LPid);
    }

    /// <summary>(unsigned long)&amp;kernel: the kernel address handed to sys_fcntl64() (stub).</summary>
    public static ulong KernelAddressOf(Flock64 kernel) => 0xc000_0000UL;

    /// <summary>sys_fcntl64() (stub: the file-lock work; it accesses arg with the current address limit).</summary>
    public static long SysFcntl64(uint fd, uint cmd, ulong arg) => 0;

    public sealed class EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    /// <summary>sys_epoll_ctl() on a kernel event under KERNEL_DS, or NULL for EPOLL_CTL_DEL (stub).</summary>
    public static long SysEpollCtl(int epfd, int op, int fd, EpollEvent? ev) => 0;

    /// <summary>sys_sendmsg() (stub: it copies the msghdr in itself).</summary>
    public static long SysSendmsg(int fd, UserPtr msg, uint flags) => 0;

    // ---- arch/s390/kernel/ptrace.c ----

    public const uint PER_FLAG_NO_TE = 1;
    public const uint PER_FLAG_TE_ABORT_RAND = 2;
    public const uint PER_FLAG_TE_ABORT_RAND_TEND = 4;

    /// <summary>MACHINE_HAS_TE.</summary>
    public static bool MachineHasTe = true;

    /// <summary>The traced task: child->thread.last_break and per_flags.</summary>
    public sealed class S390Task
    {
        public ulong LastBreak;
        public uint PerFlags;
        public bool IsCurrent;
    }

    /// <summary>__peek_user(): the word at offset addr of the emulated struct user (stub; kernel memory).</summary>
    public static ulong PeekUserRaw(S390Task child, ulong addr) => 0;

    /// <summary>__poke_user(): stores data at offset addr of the emulated struct user (stub); 0 or -EINVAL.</summary>
    public static int PokeUserRaw(S390Task child, ulong addr, ulong data) => 0;

    /// <summary>poke_user(): checks the offset (-EIO past the struct user) and calls __poke_user(); no user
    /// memory.</summary>
    public static int PokeUser(S390Task child, ulong addr, ulong data)
    {
        ulong mask = S390Ptrace.ADDR_MASK;
        if (addr >= S390Ptrace.OFFSETOF_ACRS && addr < S390Ptrace.OFFSETOF_ORIG_GPR2)
            mask = 3;
        if ((addr & mask) != 0 || addr > S390Ptrace.SIZEOF_USER - S390Ptrace.ADDR_MASK)
            return -EIO;
        return PokeUserRaw(child, addr, data);
    }

    /// <summary>peek_user_compat(): the offset checked (-EIO), the 32-bit word written with put_user() and its
    /// result returned.</summary>
    public static int PeekUserCompat(S390Task child, ulong addr, ulong data)
    {
        if ((addr & 3) != 0 || addr > S390Ptrace.SIZEOF_USER - 3)
            return -EIO;
        uint tmp = (uint)PeekUserRaw(child, addr);
        return PutUser(tmp, new UserPtr(data).Cast<uint>());
    }

    /// <summary>poke_user_compat(): the offset checked (-EIO), the word stored; no user memory.</summary>
    public static int PokeUserCompat(S390Task child, ulong addr, ulong data)
    {
        if ((addr & 3) != 0 || addr > S390Ptrace.SIZEOF_USER - 3)
            return -EIO;
        return PokeUserRaw(child, addr, data);
    }

    /// <summary>ptrace_request() and compat_ptrace_request() (stubs: the generic requests).</summary>
    public static long PtraceRequest(S390Task child, long request, ulong addr, ulong data) => -EIO;
    public static long CompatPtraceRequest(S390Task child, int request, ulong addr, ulong data) => -EIO;

    /// <summary>save_access_regs() and restore_access_regs() (stubs).</summary>
    public static void SaveAccessRegs(S390Task t) { }
    public static void RestoreAccessRegs(S390Task t) { }

    // ---- fs/splice.c ----

    public sealed class Inode
    {
        /// <summary>inode->i_mutex of the pipe's inode (pipes cannot be mmapped: no fault path takes it).</summary>
        public KernelMutex IMutex = new();
    }

    public sealed class PipeInodeInfo
    {
        public Inode? Inode;
    }

    public sealed class File
    {
        public PipeInodeInfo? Pipe;
    }

    /// <summary>struct splice_desc.</summary>
    public sealed class SpliceDesc
    {
        public uint Len;
        public ulong TotalLen;
        public uint Flags;
        public long Pos;
        public UserPtr UserPtr;
    }

    /// <summary>pipe_info(file->f_path.dentry->d_inode) (stub).</summary>
    public static PipeInodeInfo? PipeInfo(File file) => file.Pipe;

    /// <summary>sd.u.userptr = userptr; __splice_from_pipe(pipe, &amp;sd, pipe_to_user): waits for pipe buffers
    /// (pipe_wait(), leaving on signal_pending()) and hands each to pipe_to_user(), which faults the
    /// destination in with fault_in_pages_writeable() (__put_user()) and copies with __copy_to_user_inatomic()
    /// under kmap_atomic(), falling back to copy_to_user(); the unchecked accesses rely on the caller's
    /// access_ok(userptr, sd.total_len). Bytes spliced or a negative errno (stub).</summary>
    [MightSleep]
    public static long SpliceFromPipeToUser(PipeInodeInfo pipe, SpliceDesc sd, [RequiresAccessOk] UserPtr userptr)
    {
        sd.UserPtr = userptr;
        return 0;
    }

    // ---- arch/arm64/kernel/signal.c ----

    /// <summary>struct user_ctxs: the records parse_user_sigframe() found, and (v6.3) the sizes it read.</summary>
    public sealed class UserCtxs
    {
        public UserPtr Fpsimd;
        public uint FpsimdSize;
        public UserPtr Sve;
        public uint SveSize;
    }

    /// <summary>struct user_fpsimd_state.</summary>
    public sealed class UserFpsimdState
    {
        public byte[] Vregs = new byte[Arm64Signal.SZ_VREGS];
        public uint Fpsr;
        public uint Fpcr;
    }

    /// <summary>current->thread: the vector lengths, sve_state and the flags the restore sets.</summary>
    public sealed class Arm64Thread
    {
        public uint SveVl;
        public uint SmeVl;
        public byte[]? SveState;
        public bool TifSve;
        public bool SvcrSm;
        public bool FpTypeSve;
    }

    /// <summary>SVE_SIG_REGS_SIZE(vq): 32 Z registers of vq * 16 bytes, 16 P registers and FFR of vq * 2.</summary>
    public static int SveSigRegsSize(uint vq) => (int)(32 * vq * 16 + 17 * vq * 2);

    /// <summary>SVE_SIG_CONTEXT_SIZE(vq).</summary>
    public static int SveSigContextSize(uint vq) => Arm64Signal.SVE_SIG_REGS_OFFSET + SveSigRegsSize(vq);

    /// <summary>sve_vq_from_vl(vl).</summary>
    public static uint SveVqFromVl(uint vl) => vl / 16;

    public static bool SystemSupportsSve = true;
    public static bool SystemSupportsSme = false;

    /// <summary>fpsimd_flush_task_state() (stub).</summary>
    public static void FpsimdFlushTaskState(Arm64Thread t) { }

    /// <summary>sve_alloc(current, true): allocates thread.sve_state if absent (GFP_KERNEL; stub).</summary>
    [MightSleep]
    public static void SveAlloc(Arm64Thread t, bool flush) => t.SveState ??= new byte[SveSigRegsSize(16)];

    /// <summary>fpsimd_update_current_state() (stub).</summary>
    public static void FpsimdUpdateCurrentState(Arm64Thread t, UserFpsimdState s) { }

    // ---- fs/aio.c ----

    /// <summary>struct kioctx: the ring pages (kernel memory, also mapped into user space), nr_events, and the
    /// head and tail of the struct aio_ring in ring page 0.</summary>
    public sealed class Kioctx
    {
        public KernelMutex RingLock = new();
        public byte[][] RingPages = Array.Empty<byte[]>();
        public uint NrEvents;
        public uint RingHead;
        public uint RingTail;
    }

    // ---- fs/read_write.c ----

    /// <summary>struct iovec (kernel copy).</summary>
    public struct Iovec
    {
        public UserPtr IovBase;
        public ulong IovLen;
    }

    /// <summary>kmalloc(nr_segs*sizeof(struct iovec), GFP_KERNEL); NULL when out of memory (the stub does not
    /// fail).</summary>
    [MightSleep]
    public static Iovec[] KmallocIovecs(ulong nr) => new Iovec[nr];

    // ---- fs/ext4 ----

    public sealed class Ext4SbInfo
    {
        public byte[] SUuid = new byte[Ext4Ioctl.UUID_SIZE];
    }

    /// <summary>lock_buffer(sbi->s_sbh) and unlock_buffer() (stubs: a sleeping bit lock on the superblock
    /// buffer, which the user-memory fault path does not take).</summary>
    public static void LockBuffer(Ext4SbInfo sbi) { }
    public static void UnlockBuffer(Ext4SbInfo sbi) { }
}
