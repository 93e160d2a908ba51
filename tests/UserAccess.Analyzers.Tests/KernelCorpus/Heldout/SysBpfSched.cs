// Held out: code the rules were not tuned on. kernel/sys.c (v5.10): getresuid(), getcpu(), times(),
// getrusage() and prctl(PR_GET_TID_ADDRESS), small results stored with put_user()/copy_to_user();
// kernel/bpf/syscall.c (v4.18): bpf(), its check that the part of the caller's attr beyond the kernel's is
// zero, and BPF_OBJ_GET_INFO_BY_FD for maps; kernel/sched/core.c sched_copy_attr() (v5.3), a size field
// fetched and checked, then the struct copied with that size. All correct current code. The credential,
// accounting and map internals are stubs.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.SysBpfSched;

public static class Sys
{
    private const int RUSAGE_SELF = 0;
    private const int RUSAGE_CHILDREN = -1;
    private const int RUSAGE_THREAD = 1;
    private const int SIZEOF_TMS = 32;
    private const int SIZEOF_RUSAGE = 144;

    // kernel/sys.c, sys_getresuid(), v5.10. Correct: each put_user() result is tested before the next
    // store, and the last one is the syscall's result.
    public static int SysGetresuid(UserPtr<uint> ruidp, UserPtr<uint> euidp, UserPtr<uint> suidp) // expect: none
    {
        int retval;
        uint ruid, euid, suid;

        ruid = Helpers.CurrentUid();
        euid = Helpers.CurrentEuid();
        suid = Helpers.CurrentSuid();

        retval = PutUser(ruid, ruidp);
        if (retval == 0)
        {
            retval = PutUser(euid, euidp);
            if (retval == 0)
                return PutUser(suid, suidp);
        }
        return retval;
    }

    // kernel/sys.c, sys_getcpu(), v5.10. Correct: both optional stores are or-ed into err, which decides
    // -EFAULT.
    public static int SysGetcpu(UserPtr<uint> cpup, UserPtr<uint> nodep, UserPtr unused) // expect: none
    {
        int err = 0;
        int cpu = Helpers.RawSmpProcessorId();

        if (cpup != default)
            err |= PutUser((uint)cpu, cpup);
        if (nodep != default)
            err |= PutUser((uint)Helpers.CpuToNode(cpu), nodep);
        return err != 0 ? -EFAULT : 0;
    }

    // kernel/sys.c, sys_times(), v5.10. Correct.
    public static long SysTimes(UserPtr tbuf) // expect: none
    {
        if (tbuf != default)
        {
            var tmp = new byte[SIZEOF_TMS];

            Helpers.DoSysTimes(tmp);
            if (CopyToUser(tbuf, tmp) != 0)
                return -EFAULT;
        }
        /* force_successful_syscall_return() */
        return Helpers.Jiffies64ToClockT();
    }

    // kernel/sys.c, sys_getrusage(), v5.10. Correct.
    public static int SysGetrusage(int who, UserPtr ru) // expect: none
    {
        var r = new byte[SIZEOF_RUSAGE];

        if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN &&
            who != RUSAGE_THREAD)
            return -EINVAL;

        Helpers.Getrusage(who, r);
        return CopyToUser(ru, r) != 0 ? -EFAULT : 0;
    }

    // kernel/sys.c, prctl_get_tid_address(), v5.10 (me->clear_child_tid is the pointer set_tid_address()
    // stored). Correct: put_user()'s errno is the prctl result.
    public static int PrctlGetTidAddress(UserPtr clearChildTid, UserPtr<ulong> tidAddr) // expect: none
    {
        return PutUser(clearChildTid.Address, tidAddr);
    }
}

public static class BpfSyscall
{
    private const int PAGE_SIZE = 4096;
    private const int E2BIG = 7;
    private const int EPERM_ = EPERM;
    private const uint SIZEOF_BPF_ATTR = 112;
    private const uint SIZEOF_BPF_MAP_INFO = 64;
    private const int BPF_MAP_CREATE = 0;
    private const int BPF_OBJ_GET_INFO_BY_FD = 15;

    // kernel/bpf/syscall.c, bpf_check_uarg_tail_zero(), v4.18. Correct: a newer user space may pass a
    // larger attr; the bytes the kernel does not know must be zero. The walk is a byte at a time with
    // get_user(), over at most a page (the size is refused above PAGE_SIZE first).
    public static int BpfCheckUargTailZero(UserPtr uaddr, uint expectedSize, uint actualSize) // expect: none
    {
        UserPtr addr;
        UserPtr end;
        byte val;
        int err;

        if (actualSize > PAGE_SIZE) /* silly large */
            return -E2BIG;

        if (!AccessOk(uaddr, actualSize))
            return -EFAULT;

        if (actualSize <= expectedSize)
            return 0;

        addr = uaddr + expectedSize;
        end = uaddr + actualSize;

        for (; addr.Address < end.Address; addr += 1)
        {
            err = GetUser(out val, addr.Cast<byte>());
            if (err != 0)
                return err;
            if (val != 0)
                return -E2BIG;
        }

        return 0;
    }

    // kernel/bpf/syscall.c, sys_bpf(), v4.18, up to the command switch (the commands are stubs). Correct:
    // the tail check reads only the bytes beyond sizeof(attr), and the copy reads only the bytes below it.
    public static int SysBpf(int cmd, UserPtr uattr, uint size, bool unprivilegedBpfDisabled) // expect: none
    {
        var attr = new byte[SIZEOF_BPF_ATTR];
        int err;

        if (unprivilegedBpfDisabled && !Helpers.Capable())
            return -EPERM_;

        err = BpfCheckUargTailZero(uattr, SIZEOF_BPF_ATTR, size);
        if (err != 0)
            return err;
        size = Math.Min(size, SIZEOF_BPF_ATTR);

        /* copy attributes from user space, may be less than sizeof(bpf_attr) */
        if (CopyFromUser(attr.AsSpan(0, (int)size), uattr) != 0)
            return -EFAULT;

        err = Helpers.SecurityBpf(cmd, attr, size);
        if (err < 0)
            return err;

        switch (cmd)
        {
            case BPF_MAP_CREATE:
                err = Helpers.MapCreate(attr);
                break;
            case BPF_OBJ_GET_INFO_BY_FD:
                err = Helpers.BpfObjGetInfoByFd(attr, uattr);
                break;
            default:
                err = -EINVAL;
                break;
        }

        return err;
    }

    // kernel/bpf/syscall.c, bpf_map_get_info_by_fd(), v4.18 (the map's fields are stubs; attr->info.info at
    // 8, info_len at 4, the same offsets in uattr). Correct: the caller's info_len is checked against the
    // kernel's struct, the copy back is no longer than either, and the length actually written is stored.
    public static int BpfMapGetInfoByFd(Helpers.BpfMap map, byte[] attr, UserPtr uattr) // expect: none
    {
        UserPtr uinfo = new UserPtr(BitConverter.ToUInt64(attr, 8));
        var info = new byte[SIZEOF_BPF_MAP_INFO];
        uint infoLen = BitConverter.ToUInt32(attr, 4);
        int err;

        err = BpfCheckUargTailZero(uinfo, SIZEOF_BPF_MAP_INFO, infoLen);
        if (err != 0)
            return err;
        infoLen = Math.Min(SIZEOF_BPF_MAP_INFO, infoLen);

        Helpers.FillMapInfo(map, info);

        if (CopyToUser(uinfo, info.AsSpan(0, (int)infoLen)) != 0 ||
            PutUser(infoLen, (uattr + 4).Cast<uint>()) != 0)
            return -EFAULT;

        return 0;
    }
}

public static class SchedCore
{
    private const int PAGE_SIZE = 4096;
    private const int E2BIG = 7;
    private const uint SCHED_ATTR_SIZE_VER0 = 48;
    private const uint SCHED_ATTR_SIZE_VER1 = 56;
    private const uint SIZEOF_SCHED_ATTR = 56;
    private const ulong SCHED_FLAG_UTIL_CLAMP = 0x60;

    // kernel/sched/core.c, sched_copy_attr(), v5.3 (struct sched_attr: size at 0, sched_flags at 8,
    // sched_nice at 12). Correct: the size is fetched and checked, the unknown tail must be zero, and the
    // struct is then copied with the checked size; the size field of that second copy is never read (the
    // later checks use the local size), so nothing the user changes between the reads is trusted. The size
    // stored back on -E2BIG is best effort: the call fails whether or not it lands.
    public static int SchedCopyAttr(UserPtr uattr, byte[] attr) // expect: none
    {
        uint size;
        int ret;

        if (!AccessOk(uattr, SCHED_ATTR_SIZE_VER0))
            return -EFAULT;

        /* Zero the full structure, so that a short copy will be nice: */
        Array.Clear(attr);

        ret = GetUser(out size, uattr.Cast<uint>());
        if (ret != 0)
            return ret;

        /* Bail out on silly large: */
        if (size > PAGE_SIZE)
            goto err_size;

        /* ABI compatibility quirk: */
        if (size == 0)
            size = SCHED_ATTR_SIZE_VER0;

        if (size < SCHED_ATTR_SIZE_VER0)
            goto err_size;

        /*
         * If we're handed a bigger struct than we know of,
         * ensure all the unknown bits are 0 - i.e. new
         * user-space does not rely on any kernel feature
         * extensions we dont know about yet.
         */
        if (size > SIZEOF_SCHED_ATTR)
        {
            UserPtr addr;
            UserPtr end;
            byte val;

            addr = uattr + SIZEOF_SCHED_ATTR;
            end = uattr + size;

            for (; addr.Address < end.Address; addr += 1)
            {
                ret = GetUser(out val, addr.Cast<byte>());
                if (ret != 0)
                    goto err_fault;
                if (val != 0)
                    goto err_size;
            }
            size = SIZEOF_SCHED_ATTR;
        }

        ret = CopyFromUser(attr.AsSpan(0, (int)size), uattr);
        if (ret != 0)
            return -EFAULT;

        if ((BitConverter.ToUInt64(attr, 8) & SCHED_FLAG_UTIL_CLAMP) != 0 &&
            size < SCHED_ATTR_SIZE_VER1)
            return -EINVAL;

        /*
         * XXX: Do we want to be lenient like existing syscalls; or do we want
         * to be strict and return an error on out-of-bounds values?
         */
        BitConverter.TryWriteBytes(attr.AsSpan(12), Math.Clamp(BitConverter.ToInt32(attr, 12), -20, 19));

        return 0;

    err_fault:
        return -EFAULT;
    err_size:
        PutUser(SIZEOF_SCHED_ATTR, uattr.Cast<uint>());
        return -E2BIG;
    }
}

public static class Helpers
{
    /// <summary>struct bpf_map: the fields bpf_map_get_info_by_fd() reports.</summary>
    public sealed class BpfMap
    {
        public uint MapType;
        public uint Id;
    }

    /// <summary>from_kuid_munged(cred->user_ns, cred->uid).</summary>
    public static uint CurrentUid() => 0;

    /// <summary>from_kuid_munged(cred->user_ns, cred->euid).</summary>
    public static uint CurrentEuid() => 0;

    /// <summary>from_kuid_munged(cred->user_ns, cred->suid).</summary>
    public static uint CurrentSuid() => 0;

    /// <summary>raw_smp_processor_id().</summary>
    public static int RawSmpProcessorId() => 0;

    /// <summary>cpu_to_node().</summary>
    public static int CpuToNode(int cpu) => 0;

    /// <summary>do_sys_times(): fills a struct tms.</summary>
    public static void DoSysTimes(byte[] tms)
    {
    }

    /// <summary>jiffies_64_to_clock_t(get_jiffies_64()).</summary>
    public static long Jiffies64ToClockT() => 0;

    /// <summary>getrusage(current, who, &amp;r): fills a struct rusage.</summary>
    public static void Getrusage(int who, byte[] r)
    {
    }

    /// <summary>capable(CAP_SYS_ADMIN).</summary>
    public static bool Capable() => true;

    /// <summary>security_bpf(): the LSM hook; 0 or a negative errno.</summary>
    public static int SecurityBpf(int cmd, byte[] attr, uint size) => 0;

    /// <summary>map_create(): a new map's fd or a negative errno.</summary>
    public static int MapCreate(byte[] attr) => 0;

    /// <summary>bpf_obj_get_info_by_fd(): looks up the fd and calls the per-type info function.</summary>
    public static int BpfObjGetInfoByFd(byte[] attr, UserPtr uattr) => 0;

    /// <summary>Fills struct bpf_map_info from the map (type, id, sizes, flags, name).</summary>
    public static void FillMapInfo(BpfMap map, byte[] info)
    {
        BitConverter.TryWriteBytes(info.AsSpan(0), map.MapType);
        BitConverter.TryWriteBytes(info.AsSpan(4), map.Id);
    }
}
