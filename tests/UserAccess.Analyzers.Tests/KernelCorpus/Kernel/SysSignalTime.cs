// kernel/exit.c, kernel/rseq.c, kernel/compat.c, kernel/groups.c, kernel/capability.c, kernel/sys.c,
// kernel/sched/core.c, kernel/signal.c, kernel/time/time.c, kernel/events/core.c: system calls that copy
// small structs, bitmaps and arrays between the kernel and user space. Two real defects with their fixes
// (the waitid() access_ok() omission, CVE-2017-5123, and the perf_copy_attr() double fetch).
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.KernelSys;

public static class Sys
{
    private const int SIGCHLD = 17;
    private const int E2BIG = 7;
    private const int ESRCH = 3;

    // kernel/exit.c, sys_waitid(), v4.13 (before 96ca579a1ecc "waitid(): Add missing access_ok() checks",
    // CVE-2017-5123). Buggy: the conversion to unsafe_put_user() dropped the range check that put_user()
    // did, so a caller-chosen kernel address is written. siginfo: si_signo 0, si_errno 4, si_code 8,
    // si_pid 16, si_uid 20, si_status 24.
    public static long SysWaitidV413(UserPtr infop, int cause, int pid, uint uid, int status, long err)
    {
        int signo = 0;

        if (err > 0)
        {
            signo = SIGCHLD;
            err = 0;
        }

        if (infop == default)
            return err;

        /* user_access_begin() */
        if (PutUserUnchecked(signo, infop.Cast<int>()) != 0) // expect: UA5003
            goto Efault;
        if (PutUserUnchecked(0, (infop + 4).Cast<int>()) != 0) // expect: UA5003
            goto Efault;
        if (PutUserUnchecked(cause, (infop + 8).Cast<int>()) != 0) // expect: UA5003
            goto Efault;
        if (PutUserUnchecked(pid, (infop + 16).Cast<int>()) != 0) // expect: UA5003
            goto Efault;
        if (PutUserUnchecked(uid, (infop + 20).Cast<uint>()) != 0) // expect: UA5003
            goto Efault;
        if (PutUserUnchecked(status, (infop + 24).Cast<int>()) != 0) // expect: UA5003
            goto Efault;
        /* user_access_end() */
        return err;

    Efault:
        /* user_access_end() */
        return -EFAULT;
    }

    // kernel/exit.c, compat_sys_waitid(), v4.13 (the same omission, fixed by the same commit 96ca579a1ecc,
    // CVE-2017-5123). Buggy: unchecked stores to a caller-chosen compat_siginfo (si_pid at 12, si_uid 16,
    // si_status 20).
    public static long CompatSysWaitidV413(UserPtr infop, int cause, int pid, uint uid, int status, long err)
    {
        int signo = 0;

        if (err > 0)
        {
            signo = SIGCHLD;
            err = 0;
        }

        if (infop == default)
            return err;

        /* user_access_begin() */
        if (PutUserUnchecked(signo, infop.Cast<int>()) != 0) // expect: UA5003
            goto Efault;
        if (PutUserUnchecked(0, (infop + 4).Cast<int>()) != 0) // expect: UA5003
            goto Efault;
        if (PutUserUnchecked(cause, (infop + 8).Cast<int>()) != 0) // expect: UA5003
            goto Efault;
        if (PutUserUnchecked(pid, (infop + 12).Cast<int>()) != 0) // expect: UA5003
            goto Efault;
        if (PutUserUnchecked(uid, (infop + 16).Cast<uint>()) != 0) // expect: UA5003
            goto Efault;
        if (PutUserUnchecked(status, (infop + 20).Cast<int>()) != 0) // expect: UA5003
            goto Efault;
        /* user_access_end() */
        return err;

    Efault:
        /* user_access_end() */
        return -EFAULT;
    }

    // kernel/exit.c, sys_waitid(), v4.14 (after 96ca579a1ecc). Correct: access_ok() on the whole siginfo,
    // then unchecked stores to its fields.
    public static long SysWaitid(UserPtr infop, int cause, int pid, uint uid, int status, long err) // expect: none
    {
        int signo = 0;

        if (err > 0)
        {
            signo = SIGCHLD;
            err = 0;
        }

        if (infop == default)
            return err;

        if (!AccessOk(infop, 128))
            goto Efault;

        /* user_access_begin() */
        if (PutUserUnchecked(signo, infop.Cast<int>()) != 0)
            goto Efault;
        if (PutUserUnchecked(0, (infop + 4).Cast<int>()) != 0)
            goto Efault;
        if (PutUserUnchecked(cause, (infop + 8).Cast<int>()) != 0)
            goto Efault;
        if (PutUserUnchecked(pid, (infop + 16).Cast<int>()) != 0)
            goto Efault;
        if (PutUserUnchecked(uid, (infop + 20).Cast<uint>()) != 0)
            goto Efault;
        if (PutUserUnchecked(status, (infop + 24).Cast<int>()) != 0)
            goto Efault;
        /* user_access_end() */
        return err;

    Efault:
        /* user_access_end() */
        return -EFAULT;
    }

    // kernel/rseq.c, rseq_update_cpu_id(), v5.13 ("rseq: Optimize rseq_update_cpu_id()"). Correct:
    // user_write_access_begin() checks the whole struct rseq (32 bytes); cpu_id_start at 0, cpu_id at 4.
    public static int RseqUpdateCpuId(UserPtr rseq, uint cpuId) // expect: none
    {
        if (!AccessOk(rseq, 32))
            goto efault;
        if (PutUserUnchecked(cpuId, rseq.Cast<uint>()) != 0)
            goto efault_end;
        if (PutUserUnchecked(cpuId, (rseq + 4).Cast<uint>()) != 0)
            goto efault_end;
        /* user_write_access_end() */
        return 0;

    efault_end:
        /* user_write_access_end() */
    efault:
        return -EFAULT;
    }

    // kernel/rseq.c, rseq_update_cpu_id(), v4.18. Correct: __put_user() on t->rseq, which sys_rseq()
    // checked with access_ok() when it was registered ("already checked with access_ok() on rseq
    // registration", 60af388d2390, which later switched to put_user() for simplicity, not to fix a bug).
    public static int RseqUpdateCpuIdV418(RseqTask t, uint cpuId) // expect: none
    {
        if (PutUserUnchecked(cpuId, t.Rseq.Cast<uint>()) != 0 || PutUserUnchecked(cpuId, (t.Rseq + 4).Cast<uint>()) != 0)
            return -EFAULT;
        return 0;
    }

    // kernel/rseq.c, sys_rseq() registration, v4.18. Correct: the range check that makes the later
    // __put_user() calls safe; the pointer is stored only after it.
    public static int SysRseq(RseqTask t, UserPtr rseq, uint rseqLen) // expect: none
    {
        if (rseqLen != 32)
            return -EINVAL;
        if (!rseq.IsAligned(32))
            return -EINVAL;
        if (!AccessOk(rseq, rseqLen))
            return -EFAULT;
        t.Rseq = rseq;
        return 0;
    }

    // kernel/compat.c, compat_get_bitmap(), v5.10. Correct: one range check for the whole bitmap, then
    // unchecked reads of its 32-bit words while the pointer walks it.
    public static long CompatGetBitmap(ulong[] mask, UserPtr<uint> umask, ulong bitmapSize) // expect: none
    {
        ulong nrCompatLongs;
        int m = 0;

        /* align bitmap up to nearest compat_long_t boundary */
        bitmapSize = (bitmapSize + 31) & ~31UL;
        nrCompatLongs = bitmapSize / 32;

        if (!AccessOk(umask, bitmapSize / 8))
            return -EFAULT;

        while (nrCompatLongs > 1)
        {
            uint l1, l2;
            if (GetUserUnchecked(out l1, umask) != 0)
                goto Efault;
            umask += 4;
            if (GetUserUnchecked(out l2, umask) != 0)
                goto Efault;
            umask += 4;
            mask[m++] = ((ulong)l2 << 32) | l1;
            nrCompatLongs -= 2;
        }

        if (nrCompatLongs != 0)
        {
            if (GetUserUnchecked(out uint last, umask) != 0)
                goto Efault;
            mask[m] = last;
        }

        /* user_read_access_end() */
        return 0;

    Efault:
        /* user_read_access_end() */
        return -EFAULT;
    }

    // kernel/compat.c, compat_put_bitmap(), v5.10. Correct: the write twin of compat_get_bitmap().
    public static long CompatPutBitmap(UserPtr<uint> umask, ulong[] mask, ulong bitmapSize) // expect: none
    {
        ulong nrCompatLongs;
        int k = 0;

        bitmapSize = (bitmapSize + 31) & ~31UL;
        nrCompatLongs = bitmapSize / 32;

        if (!AccessOk(umask, bitmapSize / 8))
            return -EFAULT;

        while (nrCompatLongs > 1)
        {
            ulong m = mask[k++];
            if (PutUserUnchecked((uint)m, umask) != 0)
                goto Efault;
            umask += 4;
            if (PutUserUnchecked((uint)(m >> 32), umask) != 0)
                goto Efault;
            umask += 4;
            nrCompatLongs -= 2;
        }

        if (nrCompatLongs != 0)
        {
            if (PutUserUnchecked((uint)mask[k], umask) != 0)
                goto Efault;
        }

        /* user_write_access_end() */
        return 0;

    Efault:
        /* user_write_access_end() */
        return -EFAULT;
    }

    // kernel/groups.c, groups_to_user(), v5.15. Correct: put_user() checks each element; the count is the
    // task's own group count (at most NGROUPS_MAX), not a length the caller chose.
    public static int GroupsToUser(UserPtr<uint> grouplist, uint[] groupInfo) // expect: none
    {
        int i;
        int count = groupInfo.Length;

        for (i = 0; i < count; i++)
        {
            uint gid = groupInfo[i];
            if (PutUser(gid, grouplist + i * 4) != 0)
                return -EFAULT;
        }

        return 0;
    }

    // kernel/groups.c, groups_from_user(), v5.15. Correct: the group_info was allocated for gidsetsize,
    // which sys_setgroups() bounded by NGROUPS_MAX (65536) before; get_user() checks each element.
    public static int GroupsFromUser(uint[] groupInfo, UserPtr<uint> grouplist) // expect: none
    {
        int i;
        int count = groupInfo.Length;

        for (i = 0; i < count; i++)
        {
            uint gid;
            if (GetUser(out gid, grouplist + i * 4) != 0)
                return -EFAULT;

            /* !gid_valid(make_kgid(user_ns, gid)) */
            if (gid == uint.MaxValue)
                return -EINVAL;

            groupInfo[i] = gid;
        }

        return 0;
    }

    // kernel/capability.c, cap_validate_magic(), v5.15. Correct: get_user() of the header's version, and
    // on an unknown version put_user() of the kernel's, checked.
    public static int CapValidateMagic(UserPtr<uint> headerVersion, out uint tocopy) // expect: none
    {
        const uint V1 = 0x19980330, V2 = 0x20071026, V3 = 0x20080522;
        uint version;

        tocopy = 0;
        if (GetUser(out version, headerVersion) != 0)
            return -EFAULT;

        switch (version)
        {
            case V1:
                tocopy = 1;
                break;
            case V2:
            case V3:
                tocopy = 2;
                break;
            default:
                if (PutUser(V3, headerVersion) != 0)
                    return -EFAULT;
                return -EINVAL;
        }

        return 0;
    }

    // kernel/sys.c, sys_newuname(), v4.19 (after "sys: don't hold uts_sem while accessing userspace
    // memory", 2018). Correct: the rwsem is held only for the memcpy; the copy runs after up_read().
    public static int SysNewuname(UserPtr name, RwSemaphore utsSem, byte[] utsname) // expect: none
    {
        var tmp = new byte[390];

        utsSem.DownRead();
        utsname.AsSpan(0, tmp.Length).CopyTo(tmp);
        utsSem.UpRead();
        if (CopyToUser(name, tmp) != 0)
            return -EFAULT;

        return 0;
    }

    // kernel/sys.c, sys_sethostname(), v4.19. Correct: the user copy first, then uts_sem taken for write
    // (a plain, non-killable rwsem that is never held across I/O or faults).
    public static int SysSethostname(UserPtr name, int len, RwSemaphore utsSem, byte[] nodename) // expect: none
    {
        const int __NEW_UTS_LEN = 64;
        int errno;
        var tmp = new byte[__NEW_UTS_LEN];

        if (len < 0 || len > __NEW_UTS_LEN)
            return -EINVAL;
        errno = -EFAULT;
        if (CopyFromUser(tmp.AsSpan(0, len), name) == 0)
        {
            utsSem.DownWrite();
            tmp.AsSpan(0, len).CopyTo(nodename);
            nodename.AsSpan(len).Clear();
            errno = 0;
            utsSem.UpWrite();
        }

        return errno;
    }

    // kernel/sched/core.c, sys_sched_getaffinity(), v5.15. Correct: a copy result is tested, then ret is
    // set to -EFAULT or to the length copied.
    public static long SysSchedGetaffinity(int pid, uint len, UserPtr userMaskPtr, byte[] mask, int nrCpuIds) // expect: none
    {
        int ret;

        if ((len * 8) < nrCpuIds)
            return -EINVAL;
        if ((len & (sizeof(ulong) - 1)) != 0)
            return -EINVAL;

        ret = Helpers.SchedGetaffinity(pid, mask);
        if (ret == 0)
        {
            uint retlen = Math.Min(len, (uint)mask.Length);

            if (CopyToUser(userMaskPtr, mask.AsSpan(0, (int)retlen)) != 0)
                ret = -EFAULT;
            else
                ret = (int)retlen;
        }

        return ret;
    }

    // kernel/sched/core.c, get_user_cpu_mask(), v5.15. Correct.
    public static int GetUserCpuMask(UserPtr userMaskPtr, uint len, byte[] newMask) // expect: none
    {
        if (len < newMask.Length)
            Array.Clear(newMask);
        else if (len > newMask.Length)
            len = (uint)newMask.Length;

        return CopyFromUser(newMask.AsSpan(0, (int)len), userMaskPtr) != 0 ? -EFAULT : 0;
    }

    // kernel/signal.c, sys_rt_sigpending(), v5.15. Correct: the size is bounded by sizeof(sigset_t).
    public static int SysRtSigpending(UserPtr uset, ulong sigsetsize, ulong pending) // expect: none
    {
        if (sigsetsize > sizeof(ulong))
            return -EINVAL;

        var set = BitConverter.GetBytes(pending);
        if (CopyToUser(uset, set.AsSpan(0, (int)sigsetsize)) != 0)
            return -EFAULT;
        return 0;
    }

    // kernel/signal.c, __save_altstack(), v5.15. Correct: uss lies inside the signal frame that the arch
    // code checked with access_ok() before calling it (stack_t: ss_sp 0, ss_flags 8, ss_size 16).
    public static int SaveAltstack([RequiresAccessOk] UserPtr uss, ulong sasSsSp, int sasSsFlags, ulong sasSsSize) // expect: none
    {
        int err = PutUserUnchecked(sasSsSp, uss.Cast<ulong>()) |
            PutUserUnchecked(sasSsFlags, (uss + 8).Cast<int>()) |
            PutUserUnchecked(sasSsSize, (uss + 16).Cast<ulong>());
        return err;
    }

    // kernel/time/time.c, sys_time(), v5.15. Correct.
    public static long SysTime(UserPtr<long> tloc, long now) // expect: none
    {
        long i = now;

        if (tloc != default)
        {
            if (PutUser(i, tloc) != 0)
                return -EFAULT;
        }

        return i;
    }

    // kernel/time/time.c, get_timespec64(), v5.15. Correct: ret holds the bytes not copied only until it is
    // tested; the function returns -EFAULT, not ret.
    public static int GetTimespec64(out long tvSec, out long tvNsec, UserPtr uts, bool inCompatSyscall) // expect: none
    {
        var kts = new byte[16];
        int ret;

        tvSec = tvNsec = 0;
        ret = CopyFromUser(kts, uts);
        if (ret != 0)
            return -EFAULT;

        tvSec = BitConverter.ToInt64(kts, 0);
        long nsec = BitConverter.ToInt64(kts, 8);
        /* Zero out the padding in compat mode */
        if (inCompatSyscall)
            nsec &= 0xFFFFFFFFL;

        tvNsec = nsec;
        return 0;
    }

    // kernel/time/time.c, put_timespec64(), v5.15. Correct.
    public static int PutTimespec64(long tvSec, long tvNsec, UserPtr uts) // expect: none
    {
        var kts = new byte[16];
        BitConverter.TryWriteBytes(kts.AsSpan(0, 8), tvSec);
        BitConverter.TryWriteBytes(kts.AsSpan(8, 8), tvNsec);
        return CopyToUser(uts, kts) != 0 ? -EFAULT : 0;
    }

    // kernel/events/core.c, perf_copy_attr(), v4.7 (before the 2016 double-fetch fix, in v4.8, that writes
    // the size read once back with 'attr->size = size;'; found by Pengfei Wang). Buggy: size is read and
    // checked, then the whole attr, size field included, is copied again; the second size is what the
    // kernel uses from then on. perf_event_attr.size is at offset 4; PERF_ATTR_SIZE_VER0 is 64, and
    // sizeof(*attr) is the compile-time 112 of PERF_ATTR_SIZE_VER5.
    public static int PerfCopyAttrV47(UserPtr uattr, byte[] attr)
    {
        const int PERF_ATTR_SIZE_VER0 = 64;
        const int PERF_ATTR_SIZE_VER5 = 112; /* sizeof(struct perf_event_attr) */
        const int PAGE_SIZE = 4096;
        uint size;
        int ret;

        if (!AccessOk(uattr, PERF_ATTR_SIZE_VER0))
            return -EFAULT;

        /* zero the full structure, so that a short copy will be nice. */
        Array.Clear(attr);

        ret = GetUser(out size, (uattr + 4).Cast<uint>());
        if (ret != 0)
            return ret;

        if (size > PAGE_SIZE) /* silly large */
            goto err_size;

        if (size == 0) /* abi compat */
            size = PERF_ATTR_SIZE_VER0;

        if (size < PERF_ATTR_SIZE_VER0)
            goto err_size;

        if (size > PERF_ATTR_SIZE_VER5)
        {
            UserPtr addr = uattr + PERF_ATTR_SIZE_VER5;
            UserPtr end = uattr + size;

            for (; addr.Address < end.Address; addr += 1)
            {
                ret = GetUser(out byte val, addr.Cast<byte>());
                if (ret != 0)
                    return ret;
                if (val != 0)
                    goto err_size;
            }

            size = PERF_ATTR_SIZE_VER5;
        }

        ret = CopyFromUser(attr.AsSpan(0, (int)size), uattr); // expect: UA3003
        if (ret != 0)
            return -EFAULT;

        if ((BitConverter.ToUInt64(attr, 40) >> 28) != 0) /* __reserved_1: the bits above the 28 flags */
            return -EINVAL;

    out_:
        return ret;

    err_size:
        PutUser((uint)PERF_ATTR_SIZE_VER5, (uattr + 4).Cast<uint>());
        ret = -E2BIG;
        goto out_;
    }

    // kernel/events/core.c, perf_copy_attr(), v4.8 (after the double-fetch fix). Correct: the size read
    // once is written over the copied field, so the second fetch is never used. The put_user() on the
    // error path is best effort: the call fails with -E2BIG whether or not it lands.
    public static int PerfCopyAttr(UserPtr uattr, byte[] attr) // expect: none
    {
        const int PERF_ATTR_SIZE_VER0 = 64;
        const int PERF_ATTR_SIZE_VER5 = 112; /* sizeof(struct perf_event_attr) */
        const int PAGE_SIZE = 4096;
        uint size;
        int ret;

        if (!AccessOk(uattr, PERF_ATTR_SIZE_VER0))
            return -EFAULT;

        /* zero the full structure, so that a short copy will be nice. */
        Array.Clear(attr);

        ret = GetUser(out size, (uattr + 4).Cast<uint>());
        if (ret != 0)
            return ret;

        if (size > PAGE_SIZE) /* silly large */
            goto err_size;

        if (size == 0) /* abi compat */
            size = PERF_ATTR_SIZE_VER0;

        if (size < PERF_ATTR_SIZE_VER0)
            goto err_size;

        if (size > PERF_ATTR_SIZE_VER5)
        {
            UserPtr addr = uattr + PERF_ATTR_SIZE_VER5;
            UserPtr end = uattr + size;

            for (; addr.Address < end.Address; addr += 1)
            {
                ret = GetUser(out byte val, addr.Cast<byte>());
                if (ret != 0)
                    return ret;
                if (val != 0)
                    goto err_size;
            }

            size = PERF_ATTR_SIZE_VER5;
        }

        ret = CopyFromUser(attr.AsSpan(0, (int)size), uattr);
        if (ret != 0)
            return -EFAULT;

        BitConverter.TryWriteBytes(attr.AsSpan(4, 4), size);

        if ((BitConverter.ToUInt64(attr, 40) >> 28) != 0) /* __reserved_1: the bits above the 28 flags */
            return -EINVAL;

    out_:
        return ret;

    err_size:
        PutUser((uint)PERF_ATTR_SIZE_VER5, (uattr + 4).Cast<uint>());
        ret = -E2BIG;
        goto out_;
    }
}

public sealed class RseqTask
{
    /// <summary>task_struct::rseq, stored by sys_rseq() after its access_ok().</summary>
    public UserPtr Rseq;
}

internal static class Helpers
{
    /// <summary>sched_getaffinity(): fills the mask; 0 or -ESRCH.</summary>
    public static int SchedGetaffinity(int pid, byte[] mask) => 0;
}
