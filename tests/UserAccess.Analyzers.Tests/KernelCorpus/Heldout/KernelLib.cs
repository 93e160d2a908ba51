// Held out: the copy helpers of mm/maccess.c, lib/usercopy.c and kernel/events, and kernel/ system calls that
// copy small structs under and around locks, each defect before and after the kernel's own fix, and current
// correct code from the same files doing the same things right:
// - mm/maccess.c strncpy_from_unsafe(): the bytes-not-copied count of __copy_from_user_inatomic() tested
//   `< 0`, so the helper never returned -EFAULT, before Rasmus Villemoes' "mm/maccess.c: actually return
//   -EFAULT from strncpy_from_unsafe" (v4.4), and after it; strncpy_from_unsafe_user() (v5.3), correct;
// - kernel/events/internal.h __output_copy_user() (DEFINE_OUTPUT_COPY with the default
//   arch_perf_out_copy_user = __copy_from_user_inatomic): the bytes NOT copied taken for the bytes copied,
//   before 0a196848ca36 "perf: Fix arch_perf_out_copy_user default" (Peter Zijlstra, v3.13), and after it,
//   with the new default arch_perf_out_copy_user();
// - lib/usercopy.c check_zeroed_user() and include/linux/uaccess.h copy_struct_from_user(), v5.4: correct;
// - lib/seq_buf.c seq_buf_to_user(), v4.0 (a partial copy counted, an empty one -EFAULT): correct;
// - kernel/kcov.c kcov_ioctl(), v5.5 (KCOV_REMOTE_ENABLE): the handle count fetched, then the whole struct
//   copied again and its count re-checked against the first fetch, before the spinlock: correct;
// - kernel/sys.c prctl_set_mm(), v3.5 (PR_SET_MM_AUXV drops mmap_sem before its copy_from_user()): correct;
// - kernel/signal.c do_sigaltstack(), v2.6.25: access_ok() and a __get_user() chain, copy_to_user(): correct;
// - kernel/posix-timers.c sys_timer_gettime() and sys_timer_settime(), v2.6.25: the timer's it_lock (a
//   spinlock, irqsave) dropped before the user copy: correct;
// - kernel/sched/core.c sys_sched_getparam(), v4.9: the copy after rcu_read_unlock(): correct;
// - kernel/bpf/core.c bpf_prog_array_copy_to_user(): copy_to_user() of each id inside rcu_read_lock(), v4.15,
//   and the v4.16 version that copies a kernel array out after rcu_read_unlock();
// - kernel/trace/bpf_trace.c perf_event_query_prog_array() (PERF_EVENT_IOC_QUERY_BPF): the copies made with
//   bpf_event_mutex held, which mmap_sem holders also take, before Yonghong Song's "bpf/tracing: fix a deadlock
//   in perf_event_detach_bpf_prog" (v4.17), and after it.
// The ring-buffer pages, the timers, the VMA and mm fields, the kcov areas and the task lookups are stubs;
// the user pointers, the accesses, their checks, the locks and the control flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.KernelLib;

public static class MaccessHelpers
{
    // mm/maccess.c, strncpy_from_unsafe(), v4.3 (added by Alexei Starovoitov's "lib: introduce strncpy_from_unsafe()",
    // v4.3; before Rasmus Villemoes' "mm/maccess.c: actually return -EFAULT from strncpy_from_unsafe", v4.4).
    // Buggy: ret holds what __copy_from_user_inatomic() left uncopied, "which is 0 for success and positive
    // (in this case necessarily 1) for access error - it is never negative. So we were always returning the
    // length of the, possibly truncated, destination string" instead of -EFAULT. The reads run under
    // set_fs(KERNEL_DS), where every address passes the range check.
    public static long StrncpyFromUnsafeV43(byte[] dst, UserPtr unsafeAddr, long count)
    {
        UserPtr src = unsafeAddr;
        long ret;
        int d = 0;

        if (count <= 0)
            return 0;

        /* set_fs(KERNEL_DS); */
        PagefaultDisable();

        do
        {
            ret = Helpers.CopyFromKernelDsInatomic(dst.AsSpan(d, 1), src);
            d++;
            src = src + 1;
        } while (dst[d - 1] != 0 && ret == 0 && (long)(src.Address - unsafeAddr.Address) < count);

        dst[d - 1] = 0;
        PagefaultEnable();
        /* set_fs(old_fs); */

        return ret < 0 ? ret : (long)(src.Address - unsafeAddr.Address); // expect: UA5002
    }

    // mm/maccess.c, strncpy_from_unsafe(), v4.4 (after "mm/maccess.c: actually return -EFAULT from
    // strncpy_from_unsafe"). Correct: a nonzero count is a fault and becomes -EFAULT.
    public static long StrncpyFromUnsafeV44(byte[] dst, UserPtr unsafeAddr, long count) // expect: none
    {
        UserPtr src = unsafeAddr;
        long ret;
        int d = 0;

        if (count <= 0)
            return 0;

        /* set_fs(KERNEL_DS); */
        PagefaultDisable();

        do
        {
            ret = Helpers.CopyFromKernelDsInatomic(dst.AsSpan(d, 1), src);
            d++;
            src = src + 1;
        } while (dst[d - 1] != 0 && ret == 0 && (long)(src.Address - unsafeAddr.Address) < count);

        dst[d - 1] = 0;
        PagefaultEnable();
        /* set_fs(old_fs); */

        return ret != 0 ? -EFAULT : (long)(src.Address - unsafeAddr.Address);
    }

    // mm/maccess.c, strncpy_from_unsafe_user(), v5.3 (Masami Hiramatsu's "uaccess: Add non-pagefault
    // user-space read functions"). Correct: strncpy_from_user() (its own range check, an errno or the length) with page
    // faults disabled; the length adjusted to count the NUL.
    public static long StrncpyFromUnsafeUser(byte[] dst, UserPtr unsafeAddr, long count) // expect: none
    {
        long ret;

        if (count <= 0)
            return 0;

        /* set_fs(USER_DS); */
        PagefaultDisable();
        ret = StrncpyFromUser(dst.AsSpan(0, (int)count), unsafeAddr);
        PagefaultEnable();
        /* set_fs(old_fs); */

        if (ret >= count)
        {
            ret = count;
            dst[ret - 1] = 0;
        }
        else if (ret > 0)
        {
            ret++;
        }

        return ret;
    }
}

public static class PerfOutput
{
    // kernel/events/internal.h, __output_copy_user() (DEFINE_OUTPUT_COPY(__output_copy_user,
    // arch_perf_out_copy_user), the default "#define arch_perf_out_copy_user __copy_from_user_inatomic"),
    // v3.12 (before 0a196848ca36 "perf: Fix arch_perf_out_copy_user default", Peter Zijlstra, v3.13).
    // Buggy: DEFINE_OUTPUT_COPY() takes what its copy function returns as the bytes copied, while the default
    // __copy_from_user_inatomic() "returns bytes not copied": a full copy advances nothing and ends the loop,
    // a faulting one advances by the bytes it missed (the user stack dumps of PERF_SAMPLE_STACK_USER came out
    // empty, dyn_size 0). Called from perf_output_sample_ustack() with the user stack pointer, in NMI/IRQ context.
    [AtomicContext]
    public static ulong OutputCopyUserV312(Helpers.PerfOutputHandle handle, [RequiresAccessOk] UserPtr buf, ulong len)
    {
        ulong size, written;

        do
        {
            size = Math.Min(handle.Size, len);

            written = (ulong)Helpers.CopyFromUserInatomic(handle.Page.AsSpan(handle.Offset, (int)size), buf);

            len -= written; // expect: UA5002
            handle.Offset += (int)written;
            buf = buf + (long)written;
            handle.Size -= written;
            if (handle.Size == 0)
                Helpers.PerfOutputNextPage(handle);
        } while (len != 0 && written == size);

        return len;
    }

    // kernel/events/internal.h, arch_perf_out_copy_user() (the default), v3.13 (added by 0a196848ca36).
    // Correct: __copy_from_user_inatomic() with page faults disabled; returns the bytes not copied, as every
    // *copy_{to,from}* function now does.
    [ReturnsBytesNotCopied]
    [MustCheck]
    public static int ArchPerfOutCopyUser(Span<byte> dst, [RequiresAccessOk] UserPtr src) // expect: none
    {
        int ret;

        PagefaultDisable();
        ret = Helpers.CopyFromUserInatomic(dst, src);
        PagefaultEnable();

        return ret;
    }

    // kernel/events/internal.h, __output_copy_user(), v3.13 (after 0a196848ca36). Correct: "written = size -
    // written;" turns the bytes not copied into the bytes copied before the ring buffer advances.
    [AtomicContext]
    public static ulong OutputCopyUserV313(Helpers.PerfOutputHandle handle, [RequiresAccessOk] UserPtr buf, ulong len) // expect: none
    {
        ulong size, written;

        do
        {
            size = Math.Min(handle.Size, len);
            written = (ulong)ArchPerfOutCopyUser(handle.Page.AsSpan(handle.Offset, (int)size), buf);
            written = size - written;

            len -= written;
            handle.Offset += (int)written;
            buf = buf + (long)written;
            handle.Size -= written;
            if (handle.Size == 0)
                Helpers.PerfOutputNextPage(handle);
        } while (len != 0 && written == size);

        return len;
    }
}

public static class Usercopy
{
    private const int E2BIG = 7;

    // lib/usercopy.c, check_zeroed_user(), v5.4 (Aleksa Sarai's "lib: introduce copy_struct_from_user()
    // helper"). Correct: user_access_begin() (access_ok()) on the word-aligned range, then unsafe_get_user()
    // of each word inside it; 1 when all zero, 0 when not, -EFAULT on a fault. The callers bound size (the
    // struct-extension syscalls cap usize at PAGE_SIZE).
    public static int CheckZeroedUser(UserPtr from, ulong size) // expect: none
    {
        ulong val;
        ulong align = from.Address % 8;

        if (size == 0)
            return 1;

        from = from - (long)align;
        size += align;

        if (!AccessOk(from, size)) /* user_access_begin() */
            return -EFAULT;

        if (GetUserUnchecked(out val, from.Cast<ulong>()) != 0)
            goto err_fault;
        if (align != 0)
            val &= ~Helpers.AlignedByteMask(align);

        while (size > 8)
        {
            if (val != 0)
                goto done;

            from = from + 8;
            size -= 8;

            if (GetUserUnchecked(out val, from.Cast<ulong>()) != 0)
                goto err_fault;
        }

        if (size < 8)
            val &= Helpers.AlignedByteMask(size);

    done:
        /* user_access_end(); */
        return val == 0 ? 1 : 0;
    err_fault:
        /* user_access_end(); */
        return -EFAULT;
    }

    // include/linux/uaccess.h, copy_struct_from_user(), v5.4 (same commit). Correct: a larger user struct
    // must have zeroes past the kernel's size (checked without copying them), a smaller one is zero-extended,
    // and the common prefix is copied once.
    public static int CopyStructFromUser(byte[] dst, ulong ksize, UserPtr src, ulong usize) // expect: none
    {
        ulong size = Math.Min(ksize, usize);
        ulong rest = Math.Max(ksize, usize) - size;

        /* Deal with trailing bytes. */
        if (usize < ksize)
        {
            Array.Clear(dst, (int)size, (int)rest);
        }
        else if (usize > ksize)
        {
            int ret = CheckZeroedUser(src + (long)size, rest);
            if (ret <= 0)
                return ret != 0 ? ret : -E2BIG;
        }

        /* Copy the interoperable parts of the struct. */
        if (CopyFromUser(dst.AsSpan(0, (int)size), src) != 0)
            return -EFAULT;
        return 0;
    }
}

public static class SeqBuf
{
    private const int EBUSY = 16;

    // lib/seq_buf.c, seq_buf_to_user(), v4.0 (moved from kernel/trace/trace_seq.c's trace_seq_to_user()).
    // Correct: a read() that may copy part of what it has: only a copy that stored nothing is -EFAULT, else
    // the bytes stored are counted (cnt -= ret) and returned.
    public static int SeqBufToUser(Helpers.SeqBufState s, UserPtr ubuf, int cnt) // expect: none
    {
        int len;
        int ret;

        if (cnt == 0)
            return 0;

        len = s.Len;

        if (len <= s.Readpos)
            return -EBUSY;

        len -= s.Readpos;
        if (cnt > len)
            cnt = len;
        ret = CopyToUser(ubuf, s.Buffer.AsSpan(s.Readpos, cnt));
        if (ret == cnt)
            return -EFAULT;

        cnt -= ret;

        s.Readpos += cnt;
        return cnt;
    }
}

public static class Kcov
{
    private const uint KCOV_REMOTE_ENABLE = 0x40186366;
    private const uint KCOV_REMOTE_MAX_HANDLES = 0x100;

    /// <summary>sizeof(struct kcov_remote_arg): trace_mode, area_size, num_handles (at 8), common_handle (at 16), handles[].</summary>
    private const int SIZEOF_KCOV_REMOTE_ARG = 24;

    // kernel/kcov.c, kcov_ioctl(), v5.5 (Andrey Konovalov's "kcov: remote coverage support"). Correct: num_handles
    // is fetched to size the copy, the whole struct is then memdup_user()ed and its num_handles compared with
    // the first fetch, so a count changed in between is refused; both copies are made before kcov->lock.
    public static long KcovIoctl(Helpers.KcovState kcov, uint cmd, ulong arg) // expect: none
    {
        int res;
        byte[]? remoteArg = null;
        uint remoteNumHandles;
        int remoteArgSize;
        UserPtr uarg = new UserPtr(arg);

        if (cmd == KCOV_REMOTE_ENABLE)
        {
            if (GetUser(out remoteNumHandles, (uarg + 8).Cast<uint>()) != 0)
                return -EFAULT;
            if (remoteNumHandles > KCOV_REMOTE_MAX_HANDLES)
                return -EINVAL;
            remoteArgSize = SIZEOF_KCOV_REMOTE_ARG + (int)remoteNumHandles * 8;
            remoteArg = Helpers.MemdupUser(uarg, remoteArgSize);
            if (remoteArg == null)
                return -EFAULT; /* PTR_ERR(remote_arg) */
            if (BitConverter.ToUInt32(remoteArg, 8) != remoteNumHandles)
            {
                /* kfree(remote_arg); */
                return -EINVAL;
            }
        }

        kcov.Lock.Lock();
        res = Helpers.KcovIoctlLocked(kcov, cmd, arg, remoteArg);
        kcov.Lock.Unlock();

        /* kfree(remote_arg); */

        return res;
    }
}

public static class SysPrctl
{
    private const int PR_SET_MM_START_CODE = 1;
    private const int PR_SET_MM_ENV_END = 11;
    private const int PR_SET_MM_AUXV = 12;
    private const int PR_SET_MM_EXE_FILE = 13;
    private const int CAP_SYS_RESOURCE = 24;
    private const ulong TASK_SIZE = 0x7ffffffff000UL;
    private const int AT_VECTOR_SIZE = 44;

    // kernel/sys.c, prctl_set_mm(), v3.5 (PR_SET_MM_AUXV from "c/r: prctl: extend PR_SET_MM to set up more
    // mm_struct entries", until v3.18 split it into prctl_set_auxv()). Correct: the field-setting options
    // work under mmap_sem taken for read and leave through out:, which drops it; PR_SET_MM_AUXV checks the
    // length under the lock, then drops mmap_sem before its copy_from_user() and returns on its own. The
    // checks and stores of the start_code...env_end cases are a stub.
    public static int PrctlSetMm(int opt, ulong addr, ulong arg4, ulong arg5) // expect: none
    {
        ulong rlim = Helpers.RlimitData();
        Mm mm = Current.Mm;
        Helpers.Vma? vma;
        int error;

        if (arg5 != 0 || (arg4 != 0 && opt != PR_SET_MM_AUXV))
            return -EINVAL;

        if (!Helpers.Capable(CAP_SYS_RESOURCE))
            return -EPERM;

        if (opt == PR_SET_MM_EXE_FILE)
            return Helpers.PrctlSetMmExeFile(mm, (uint)addr);

        if (addr >= TASK_SIZE || addr < Helpers.MmapMinAddr())
            return -EINVAL;

        error = -EINVAL;

        MmapReadLock(mm);
        vma = Helpers.FindVma(mm, addr);

        switch (opt)
        {
            case >= PR_SET_MM_START_CODE and <= PR_SET_MM_ENV_END:
                if (!Helpers.PrctlSetMmField(mm, opt, addr, vma, rlim))
                    goto out_;
                break;

            /*
             * This doesn't move auxiliary vector itself
             * since it's pinned to mm_struct, but allow
             * to fill vector with new values. It's up
             * to a caller to provide sane values here
             * otherwise user space tools which use this
             * vector might be unhappy.
             */
            case PR_SET_MM_AUXV:
            {
                byte[] userAuxv = new byte[AT_VECTOR_SIZE * 8];

                if (arg4 > (ulong)userAuxv.Length)
                    goto out_;
                MmapReadUnlock(mm);

                if (CopyFromUser(userAuxv.AsSpan(0, (int)arg4), new UserPtr(addr)) != 0)
                    return -EFAULT;

                /* Make sure the last entry is always AT_NULL */
                Array.Clear(userAuxv, (AT_VECTOR_SIZE - 2) * 8, 16);

                /* task_lock(current); */
                Helpers.SetSavedAuxv(mm, userAuxv, (int)arg4);
                /* task_unlock(current); */

                return 0;
            }
            default:
                goto out_;
        }

        error = 0;
    out_:
        MmapReadUnlock(mm);
        return error;
    }
}

public static class SignalAltstack
{
    private const int SS_ONSTACK = 1;
    private const int SS_DISABLE = 2;
    private const ulong MINSIGSTKSZ = 2048;
    private const int ENOMEM = 12;

    /// <summary>sizeof(stack_t): ss_sp at 0, ss_flags at 8, ss_size at 16.</summary>
    private const int SIZEOF_STACK_T = 24;

    // kernel/signal.c, do_sigaltstack(), v2.6.25. Correct: access_ok() on the whole stack_t, then the three
    // fields with __get_user(), any failure -EFAULT; the old stack handed back with copy_to_user().
    public static int DoSigaltstack(UserPtr uss, UserPtr uoss, ulong sp) // expect: none
    {
        Helpers.StackT oss = new()
        {
            SsSp = Helpers.CurrentSasSsSp(),
            SsSize = Helpers.CurrentSasSsSize(),
            SsFlags = Helpers.SasSsFlags(sp),
        };
        int error;

        if (uss != default)
        {
            ulong ssSp;
            ulong ssSize;
            int ssFlags;

            error = -EFAULT;
            if (!AccessOk(uss, SIZEOF_STACK_T)
                || GetUserUnchecked(out ssSp, uss.Cast<ulong>()) != 0
                || GetUserUnchecked(out ssFlags, (uss + 8).Cast<int>()) != 0
                || GetUserUnchecked(out ssSize, (uss + 16).Cast<ulong>()) != 0)
                goto out_;

            error = -EPERM;
            if (Helpers.OnSigStack(sp))
                goto out_;

            error = -EINVAL;
            /*
             *
             * Note - this code used to test ss_flags incorrectly
             *        old code may have been written using ss_flags==0
             *        to mean ss_flags==SS_ONSTACK (as this was the only
             *        way that worked) - this fix preserves that older
             *        mechanism
             */
            if (ssFlags != SS_DISABLE && ssFlags != SS_ONSTACK && ssFlags != 0)
                goto out_;

            if (ssFlags == SS_DISABLE)
            {
                ssSize = 0;
                ssSp = 0;
            }
            else
            {
                error = -ENOMEM;
                if (ssSize < MINSIGSTKSZ)
                    goto out_;
            }

            Helpers.SetCurrentSasSs(ssSp, ssSize);
        }

        if (uoss != default)
        {
            error = -EFAULT;
            if (CopyToUser(uoss, Helpers.StackTBytes(oss)) != 0)
                goto out_;
        }

        error = 0;
    out_:
        return error;
    }
}

public static class PosixTimers
{
    private const int TIMER_RETRY = 1;

    /// <summary>sizeof(struct itimerspec): it_interval and it_value, two timespecs.</summary>
    private const int SIZEOF_ITIMERSPEC = 32;

    // kernel/posix-timers.c, sys_timer_gettime(), v2.6.25. Correct: the timer's setting is read under its
    // it_lock (lock_timer(): the idr lookup, a stub here, then spin_lock_irqsave(&timr->it_lock)), and
    // copied out after unlock_timer().
    public static long SysTimerGettime(int timerId, UserPtr setting) // expect: none
    {
        Helpers.KItimer? timr;
        byte[] curSetting;

        timr = Helpers.IdrFindTimer(timerId);
        if (timr == null)
            return -EINVAL;
        timr.ItLock.Lock(); /* lock_timer() */

        curSetting = Helpers.TimerGet(timr); /* CLOCK_DISPATCH(timr->it_clock, timer_get, ...) */

        timr.ItLock.Unlock(); /* unlock_timer() */

        if (CopyToUser(setting, curSetting.AsSpan(0, SIZEOF_ITIMERSPEC)) != 0)
            return -EFAULT;

        return 0;
    }

    // kernel/posix-timers.c, sys_timer_settime(), v2.6.25. Correct: the new setting copied in before the lock,
    // the retry taken with the lock dropped, the old setting copied out after unlock_timer().
    public static long SysTimerSettime(int timerId, int flags, UserPtr newSetting, UserPtr oldSetting) // expect: none
    {
        Helpers.KItimer? timr;
        byte[] newSpec = new byte[SIZEOF_ITIMERSPEC];
        byte[] oldSpec = new byte[SIZEOF_ITIMERSPEC];
        int error = 0;
        byte[]? rtn = oldSetting != default ? oldSpec : null;

        if (newSetting == default)
            return -EINVAL;

        if (CopyFromUser(newSpec, newSetting) != 0)
            return -EFAULT;

        if (!Helpers.ItimerspecValid(newSpec))
            return -EINVAL;
    retry:
        timr = Helpers.IdrFindTimer(timerId);
        if (timr == null)
            return -EINVAL;
        timr.ItLock.Lock(); /* lock_timer() */

        error = Helpers.TimerSet(timr, flags, newSpec, rtn); /* CLOCK_DISPATCH(timr->it_clock, timer_set, ...) */

        timr.ItLock.Unlock(); /* unlock_timer() */
        if (error == TIMER_RETRY)
        {
            rtn = null; // We already got the old time...
            goto retry;
        }

        if (oldSetting != default && error == 0 &&
            CopyToUser(oldSetting, oldSpec) != 0)
            error = -EFAULT;

        return error;
    }
}

public static class SchedSyscalls
{
    private const int SIZEOF_SCHED_PARAM = 4;

    // kernel/sched/core.c, sys_sched_getparam(), v4.9. Correct: the task looked up under rcu_read_lock()
    // (preempt_disable() without CONFIG_PREEMPT_RCU, modelled so), the priority read into a kernel struct,
    // and "This one might sleep, we cannot do it with a spinlock held ...": copied out after
    // rcu_read_unlock(), on the error paths too the unlock comes first.
    public static long SysSchedGetparam(int pid, UserPtr param) // expect: none
    {
        int lp = 0;
        Helpers.TaskRef? p;
        int retval;

        if (param == default || pid < 0)
            return -EINVAL;

        PreemptDisable(); /* rcu_read_lock() */
        p = Helpers.FindProcessByPid(pid);
        retval = -ESRCH;
        if (p == null)
            goto out_unlock;

        retval = Helpers.SecurityTaskGetscheduler(p);
        if (retval != 0)
            goto out_unlock;

        if (p.RtPolicy)
            lp = p.RtPriority;
        PreemptEnable(); /* rcu_read_unlock() */

        /*
         * This one might sleep, we cannot do it with a spinlock held ...
         */
        retval = CopyToUser(param, BitConverter.GetBytes(lp).AsSpan(0, SIZEOF_SCHED_PARAM)) != 0 ? -EFAULT : 0;

        return retval;

    out_unlock:
        PreemptEnable(); /* rcu_read_unlock() */
        return retval;
    }
}

public static class BpfProgQuery
{
    private const int ENOSPC = 28;
    private const int E2BIG = 7;
    private const int CAP_SYS_ADMIN = 21;
    private const int PERF_TYPE_TRACEPOINT = 2;
    private const uint BPF_TRACE_MAX_PROGS = 64;

    // kernel/bpf/core.c, bpf_prog_array_copy_to_user(), v4.15 (added with BPF_PROG_QUERY, "bpf: introduce
    // BPF_PROG_QUERY command"). Buggy: each program id is copy_to_user()ed inside rcu_read_lock() (modelled as
    // preempt_disable(), what it is without CONFIG_PREEMPT_RCU); a fault there sleeps in an RCU read-side
    // critical section. v4.16 gathers the ids into a kcalloc()ed array under the RCU lock and copies them out
    // after rcu_read_unlock().
    public static int BpfProgArrayCopyToUserV415(Helpers.BpfProgArray progs, UserPtr progIds, uint cnt)
    {
        int prog;
        uint i = 0, id;

        PreemptDisable(); /* rcu_read_lock() */
        prog = 0; /* prog = rcu_dereference(progs)->progs; */
        for (; progs.Progs[prog] != null; prog++)
        {
            id = progs.Progs[prog]!.Id;
            if (CopyToUser((progIds + (long)i * 4).Cast<uint>(), id) != 0) // expect: UA1001
            {
                PreemptEnable(); /* rcu_read_unlock() */
                return -EFAULT;
            }
            if (++i == cnt)
            {
                prog++;
                break;
            }
        }
        PreemptEnable(); /* rcu_read_unlock() */
        if (progs.Progs[prog] != null)
            return -ENOSPC;
        return 0;
    }

    // kernel/bpf/core.c, bpf_prog_array_copy_to_user(), v4.16. Correct: the ids are collected into a kernel
    // array under rcu_read_lock() and copied out with one copy_to_user() after rcu_read_unlock().
    public static int BpfProgArrayCopyToUserV416(Helpers.BpfProgArray progs, UserPtr progIds, uint cnt) // expect: none
    {
        int err = 0;
        bool nospc;
        uint[]? ids;

        /* users of this function are doing:
         * cnt = bpf_prog_array_length();
         * if (cnt > 0)
         *     bpf_prog_array_copy_to_user(..., cnt);
         * so below kcalloc doesn't need extra cnt > 0 check, but
         * bpf_prog_array_length() releases rcu lock and
         * prog array could have been swapped with empty or larger array,
         * so always copy 'cnt' prog_ids to the user.
         * In a rare race the user will see zero prog_ids
         */
        ids = Helpers.Kcalloc(cnt);
        if (ids == null)
            return -ENOMEM;
        PreemptDisable(); /* rcu_read_lock() */
        nospc = Helpers.BpfProgArrayCopyCore(progs, ids, cnt);
        PreemptEnable(); /* rcu_read_unlock() */
        err = CopyToUser(progIds, Helpers.U32Bytes(ids, cnt));
        /* kfree(ids); */
        if (err != 0)
            return -EFAULT;
        if (nospc)
            return -ENOSPC;
        return 0;
    }

    // kernel/trace/bpf_trace.c, perf_event_query_prog_array() (PERF_EVENT_IOC_QUERY_BPF), v4.16 (before Yonghong
    // Song's "bpf/tracing: fix a deadlock in perf_event_detach_bpf_prog", v4.17). Buggy: bpf_prog_array_copy_info()
    // copy_to_user()s the count and the ids straight into the user's struct with bpf_event_mutex held, and
    // bpf_event_mutex is taken under mmap_sem (perf_mmap_close() -> perf_event_detach_bpf_prog()), so a fault
    // taking mmap_sem here closes the lock cycle syzbot reported. The fix copies into a kcalloc()ed array under
    // the mutex and to the user after it. struct perf_event_query_bpf: ids_len at 0, prog_cnt at 4, ids[] at 8.
    public static int PerfEventQueryProgArrayV416(Helpers.PerfEventTp ev, UserPtr info)
    {
        UserPtr uquery = info;
        byte[] query = new byte[8];
        int ret;

        if (!Helpers.Capable(CAP_SYS_ADMIN))
            return -EPERM;
        if (ev.AttrType != PERF_TYPE_TRACEPOINT)
            return -EINVAL;
        if (CopyFromUser(query, uquery) != 0)
            return -EFAULT;

        Helpers.BpfEventMutex.Lock();
        ret = Helpers.BpfProgArrayCopyInfoUser(ev.ProgArray, uquery + 8, BitConverter.ToUInt32(query, 0), uquery + 4); // expect: UA2002
        Helpers.BpfEventMutex.Unlock();

        return ret;
    }

    // kernel/trace/bpf_trace.c, perf_event_query_prog_array(), v4.17 (after "bpf/tracing: fix a deadlock in
    // perf_event_detach_bpf_prog"). Correct: ids_len bounded, the ids gathered into a kernel array under
    // bpf_event_mutex, the count and the ids copied out after mutex_unlock().
    public static int PerfEventQueryProgArrayV417(Helpers.PerfEventTp ev, UserPtr info) // expect: none
    {
        UserPtr uquery = info;
        byte[] query = new byte[8];
        uint[]? ids;
        uint progCnt, idsLen;
        int ret;

        if (!Helpers.Capable(CAP_SYS_ADMIN))
            return -EPERM;
        if (ev.AttrType != PERF_TYPE_TRACEPOINT)
            return -EINVAL;
        if (CopyFromUser(query, uquery) != 0)
            return -EFAULT;

        idsLen = BitConverter.ToUInt32(query, 0);
        if (idsLen > BPF_TRACE_MAX_PROGS)
            return -E2BIG;
        ids = Helpers.Kcalloc(idsLen);
        if (ids == null)
            return -ENOMEM;
        /*
         * The above kcalloc returns ZERO_SIZE_PTR when ids_len = 0, which
         * is required when user only wants to check for uquery->prog_cnt.
         * There is no need to check for it since the case is handled
         * gracefully in bpf_prog_array_copy_info.
         */

        Helpers.BpfEventMutex.Lock();
        ret = Helpers.BpfProgArrayCopyInfo(ev.ProgArray, ids, idsLen, out progCnt);
        Helpers.BpfEventMutex.Unlock();

        if (CopyToUser((uquery + 4).Cast<uint>(), progCnt) != 0 ||
            CopyToUser(uquery + 8, Helpers.U32Bytes(ids, idsLen)) != 0)
            ret = -EFAULT;

        /* kfree(ids); */
        return ret;
    }
}

public static class Helpers
{
    /// <summary>A BPF program (stub): its id.</summary>
    public sealed class BpfProg
    {
        public uint Id;
    }

    /// <summary>struct bpf_prog_array: the NULL-terminated array of program pointers.</summary>
    public sealed class BpfProgArray
    {
        public BpfProg?[] Progs = new BpfProg?[1];

        /// <summary>bpf_prog_array_length().</summary>
        public uint Length
        {
            get
            {
                uint n = 0;
                foreach (var p in Progs)
                {
                    if (p == null)
                        break;
                    n++;
                }

                return n;
            }
        }
    }

    /// <summary>A tracepoint perf event: attr.type and tp_event->prog_array.</summary>
    public sealed class PerfEventTp
    {
        public int AttrType;
        public BpfProgArray? ProgArray;
    }

    /// <summary>bpf_event_mutex. Ordered after mmap_sem (perf_mmap_close() under mmap_sem detaches the event's
    /// program and takes it), so a fault taken while holding it closes the cycle, as with a lock the fault
    /// path takes.</summary>
    [TakenInFaultPath]
    public static readonly KernelMutex BpfEventMutex = new();

    /// <summary>kcalloc(cnt, sizeof(u32), GFP_USER | __GFP_NOWARN); null on failure.</summary>
    public static uint[]? Kcalloc(uint cnt) => new uint[cnt];

    /// <summary>The first cnt u32s of ids as the bytes copy_to_user() stores.</summary>
    public static byte[] U32Bytes(uint[] ids, uint cnt)
    {
        var b = new byte[cnt * 4];
        for (int i = 0; i < cnt && i < ids.Length; i++)
            BitConverter.GetBytes(ids[i]).CopyTo(b, i * 4);
        return b;
    }

    /// <summary>bpf_prog_array_copy_core() (v4.16, under rcu_read_lock()): up to request_cnt ids into the kernel
    /// array; true when more programs are left.</summary>
    public static bool BpfProgArrayCopyCore(BpfProgArray progs, uint[] ids, uint requestCnt)
    {
        int i = 0, p = 0;
        for (; progs.Progs[p] != null; p++)
        {
            ids[i] = progs.Progs[p]!.Id;
            if (++i == requestCnt)
            {
                p++;
                break;
            }
        }

        return progs.Progs[p] != null;
    }

    /// <summary>bpf_prog_array_copy_info() before the v4.17 fix: copy_to_user()s the program count to prog_cnt,
    /// then up to request_cnt ids with bpf_prog_array_copy_to_user(); 0 or a negative errno.</summary>
    public static int BpfProgArrayCopyInfoUser(BpfProgArray? array, UserPtr progIds, uint requestCnt, UserPtr progCnt)
    {
        uint cnt = array?.Length ?? 0;

        if (CopyToUser(progCnt.Cast<uint>(), cnt) != 0)
            return -EFAULT;

        /* return early if user requested only program count or nothing to copy */
        if (requestCnt == 0 || cnt == 0)
            return 0;

        return BpfProgQuery.BpfProgArrayCopyToUserV416(array!, progIds, requestCnt);
    }

    /// <summary>bpf_prog_array_copy_info() after the v4.17 fix (under bpf_event_mutex): the count and up to
    /// request_cnt ids into kernel memory; 0 or -ENOSPC.</summary>
    public static int BpfProgArrayCopyInfo(BpfProgArray? array, uint[] progIds, uint requestCnt, out uint progCnt)
    {
        uint cnt = array?.Length ?? 0;

        progCnt = cnt;

        /* return early if user requested only program count or nothing to copy */
        if (requestCnt == 0 || cnt == 0)
            return 0;

        /* this function is called under trace/bpf_trace.c: bpf_event_mutex */
        return BpfProgArrayCopyCore(array!, progIds, requestCnt) ? -28 : 0;
    }

    /// <summary>__copy_from_user_inatomic() under set_fs(KERNEL_DS): the address limit is the whole address
    /// space, so access_ok() would pass any address and there is nothing to check; never handles a fault;
    /// the bytes not copied.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Read, "from", Size = "to")]
    public static int CopyFromKernelDsInatomic(Span<byte> to, UserPtr from)
        => CopyFromUserNofault(to, from) != 0 ? to.Length : 0;

    /// <summary>__copy_from_user_inatomic(): no access_ok(), never handles a fault; the bytes not copied.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Read, "from", Size = "to")]
    public static int CopyFromUserInatomic(Span<byte> to, [RequiresAccessOk] UserPtr from)
        => CopyFromUserNofault(to, from) != 0 ? to.Length : 0;

    /// <summary>struct perf_output_handle: the current ring-buffer page, the offset in it and the room left.</summary>
    public sealed class PerfOutputHandle
    {
        public byte[] Page = new byte[4096];
        public int Offset;
        public ulong Size = 4096;
    }

    /// <summary>The page switch of DEFINE_OUTPUT_COPY(): the next data page of the ring buffer.</summary>
    public static void PerfOutputNextPage(PerfOutputHandle handle)
    {
        handle.Offset = 0;
        handle.Size = (ulong)handle.Page.Length;
    }

    /// <summary>aligned_byte_mask(n): the mask of the first n bytes of a word in memory order.</summary>
    public static ulong AlignedByteMask(ulong n) => n >= 8 ? ~0UL : (1UL << (int)(8 * n)) - 1;

    /// <summary>struct seq_buf: the buffer, the bytes used (seq_buf_used()) and the read position.</summary>
    public sealed class SeqBufState
    {
        public byte[] Buffer = new byte[4096];
        public int Len;
        public int Readpos;
    }

    /// <summary>struct kcov: its spinlock and mode.</summary>
    public sealed class KcovState
    {
        public KernelSpinlock Lock = new();
        public int Mode;
    }

    /// <summary>kcov_ioctl_locked() (stub, called with kcov->lock held): works on the kernel copy of the
    /// remote arg only.</summary>
    public static int KcovIoctlLocked(KcovState kcov, uint cmd, ulong arg, byte[]? remoteArg) => 0;

    /// <summary>memdup_user(): kmalloc() and copy_from_user(); null stands for the ERR_PTR.</summary>
    [MightFault]
    [UserAccess(AccessKind.Read, "src", Size = "len")]
    public static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    /// <summary>struct vm_area_struct (stub).</summary>
    public sealed class Vma
    {
        public ulong Start;
        public ulong End;
    }

    /// <summary>rlimit(RLIMIT_DATA).</summary>
    public static ulong RlimitData() => ulong.MaxValue;

    /// <summary>capable(cap).</summary>
    public static bool Capable(int cap) => true;

    /// <summary>mmap_min_addr.</summary>
    public static ulong MmapMinAddr() => 4096;

    /// <summary>prctl_set_mm_exe_file() (stub): takes mmap_sem itself; 0 or a negative errno.</summary>
    public static int PrctlSetMmExeFile(Mm mm, uint fd) => 0;

    /// <summary>find_vma() (stub; the caller holds mmap_sem).</summary>
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static Vma? FindVma(Mm mm, ulong addr) => null;

    /// <summary>The checks and the store of one of PR_SET_MM_START_CODE...PR_SET_MM_ENV_END (stub; the caller
    /// holds mmap_sem): false where the kernel does "goto out" with -EINVAL.</summary>
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static bool PrctlSetMmField(Mm mm, int opt, ulong addr, Vma? vma, ulong rlim) => vma != null;

    /// <summary>memcpy(mm->saved_auxv, user_auxv, len) (stub).</summary>
    public static void SetSavedAuxv(Mm mm, byte[] auxv, int len)
    {
    }

    /// <summary>stack_t (kernel copy).</summary>
    public sealed class StackT
    {
        public ulong SsSp;
        public int SsFlags;
        public ulong SsSize;
    }

    /// <summary>The stack_t as the bytes copy_to_user() stores: ss_sp, ss_flags (and padding), ss_size.</summary>
    public static byte[] StackTBytes(StackT s)
    {
        var b = new byte[24];
        BitConverter.GetBytes(s.SsSp).CopyTo(b, 0);
        BitConverter.GetBytes(s.SsFlags).CopyTo(b, 8);
        BitConverter.GetBytes(s.SsSize).CopyTo(b, 16);
        return b;
    }

    /// <summary>current->sas_ss_sp.</summary>
    public static ulong CurrentSasSsSp() => 0;

    /// <summary>current->sas_ss_size.</summary>
    public static ulong CurrentSasSsSize() => 0;

    /// <summary>sas_ss_flags(sp): SS_ONSTACK, SS_DISABLE or 0.</summary>
    public static int SasSsFlags(ulong sp) => 2;

    /// <summary>on_sig_stack(sp).</summary>
    public static bool OnSigStack(ulong sp) => false;

    /// <summary>current->sas_ss_sp = sp; current->sas_ss_size = size.</summary>
    public static void SetCurrentSasSs(ulong sp, ulong size)
    {
    }

    /// <summary>struct k_itimer: its it_lock (spin_lock_irqsave()) and the clock's state.</summary>
    public sealed class KItimer
    {
        public KernelSpinlock ItLock = new();
        public int ItClock;
    }

    /// <summary>The idr_find() half of lock_timer() (stub): the timer of this id owned by the current process, or null.</summary>
    public static KItimer? IdrFindTimer(int timerId) => null;

    /// <summary>The clock's timer_get() (stub, under it_lock): the current setting as a struct itimerspec.</summary>
    public static byte[] TimerGet(KItimer timr) => new byte[32];

    /// <summary>The clock's timer_set() (stub, under it_lock): 0, TIMER_RETRY or a negative errno; fills old when not null.</summary>
    public static int TimerSet(KItimer timr, int flags, byte[] newSpec, byte[]? old) => 0;

    /// <summary>timespec_valid() of it_interval and it_value.</summary>
    public static bool ItimerspecValid(byte[] spec) => true;

    /// <summary>A task found by pid (stub): its scheduling policy and rt priority.</summary>
    public sealed class TaskRef
    {
        public bool RtPolicy;
        public int RtPriority;
    }

    /// <summary>find_process_by_pid() (stub, under rcu_read_lock()).</summary>
    public static TaskRef? FindProcessByPid(int pid) => null;

    /// <summary>security_task_getscheduler() (stub): 0 or a negative errno.</summary>
    public static int SecurityTaskGetscheduler(TaskRef p) => 0;
}
