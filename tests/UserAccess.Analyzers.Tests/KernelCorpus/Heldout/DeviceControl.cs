// Held out: device-control paths in drivers (vhost, vhost-vdpa, device-mapper, MTD, hidraw, watchdog), each defect
// before and after the kernel's own fix, and correct code from the same files doing the same things:
// - drivers/vhost/vhost.c vhost_set_memory(), vhost_set_vring() and vhost_dev_ioctl() as merged in v2.6.33: every
//   copy_from_user()/copy_to_user() count stored in the errno local `r`, tested with `r < 0` (never true) or
//   returned from the ioctl as it is; and vhost_set_vring()'s three `return PTR_ERR(eventfp);` inside the switch
//   leave vq->mutex held. The fixes of the 2.6.34 cycle ("vhost: fix to check the return value of copy_to/from_user()
//   correctly", and the fix that made the three returns `r = PTR_ERR(eventfp); break;`) turned every count into
//   -EFAULT; the fixed functions are given as they stand in a v3.x vhost.c (before vhost_vring_ioctl() and the
//   per-device vq pointers), with init_used() (v2.6.33), correct;
// - drivers/vhost/vdpa.c vhost_vdpa_unlocked_ioctl(), v5.10-rc1 (after a127c5bbb6a8 "vhost-vdpa: fix backend
//   feature ioctls"): the backend-feature copies' counts returned from the ioctl, and after 7922460e33c8
//   ("vhost_vdpa: Return -EFAULT if copy_to_user() fails");
// - drivers/md/dm-ioctl.c copy_params(), v2.6.39 to v3.7: the fixed-size header copied and its data_size checked,
//   then the whole buffer copied again from the start, data_size included, which ctl_ioctl() then trusts
//   (6bb43b5d1f54 "dm ioctl: prevent unsafe change to dm_ioctl data_size"); the v3.11-to-v4.11 copy_params() with
//   that fix's equality check, the v4.20 one after 800a7340ab7d ("dm ioctl: harden copy_params()'s
//   copy_from_user() from malicious users"), which copies only the bytes after the header, and check_version():
//   correct;
// - drivers/mtd/mtdchar.c mtdchar_read(), mtdchar_readoob() and mtdchar_writeoob(), v3.x: correct;
// - drivers/watchdog/watchdog_dev.c watchdog_write() and watchdog_ioctl(), v4.x: correct;
// - drivers/hid/hidraw.c hidraw_ioctl(), v2.6.28: correct.
// The virtqueues, eventfds, device-mapper allocations, flash chips, watchdog hardware and HID devices are stubs;
// the user pointers, the accesses, their checks, the locks and the control flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;
using static KernelCorpus.Heldout.DeviceControl.DevErrno;

namespace KernelCorpus.Heldout.DeviceControl;

/// <summary>The errnos these paths return that the runtime does not define.</summary>
public static class DevErrno
{
    public const int E2BIG = 7;
    public const int EBADF = 9;
    public const int ENODEV = 19;
    public const int ENOTTY = 25;
    public const int EROFS = 30;
    public const int EOVERFLOW = 75;
    public const int EOPNOTSUPP = 95;
    public const int ENOBUFS = 105;
    public const int ENOIOCTLCMD = 515;
}

public static class Vhost
{
    public const int VHOST_SET_OWNER = 0xAF01;
    public const int VHOST_SET_MEM_TABLE = 0xAF03;
    public const int VHOST_SET_LOG_BASE = 0xAF04;
    public const int VHOST_SET_LOG_FD = 0xAF07;
    public const int VHOST_SET_VRING_NUM = 0xAF10;
    public const int VHOST_SET_VRING_ADDR = 0xAF11;
    public const int VHOST_SET_VRING_BASE = 0xAF12;
    public const int VHOST_GET_VRING_BASE = 0xAF13;
    public const int VHOST_SET_VRING_KICK = 0xAF20;
    public const int VHOST_SET_VRING_CALL = 0xAF21;
    public const int VHOST_SET_VRING_ERR = 0xAF22;

    private const int VHOST_MEMORY_MAX_NREGIONS = 64;
    private const int VHOST_VRING_F_LOG = 0;

    // struct vhost_memory: __u32 nregions, __u32 padding, struct vhost_memory_region regions[0] (32 bytes each).
    private const int VM_NREGIONS = 0;
    private const int VM_PADDING = 4;
    private const int OFFSETOF_VM_REGIONS = 8;
    private const int SIZEOF_VHOST_MEMORY_REGION = 32;

    // struct vhost_vring_state { unsigned int index, num; }, struct vhost_vring_file { unsigned int index; int fd; }.
    private const int VRS_INDEX = 0;
    private const int VRS_NUM = 4;
    private const int SIZEOF_VHOST_VRING_STATE = 8;
    private const int VRF_FD = 4;
    private const int SIZEOF_VHOST_VRING_FILE = 8;

    // struct vhost_vring_addr: index, flags, then desc, used, avail user addresses and the log guest address (u64).
    private const int VRA_FLAGS = 4;
    private const int VRA_DESC = 8;
    private const int VRA_USED = 16;
    private const int VRA_AVAIL = 24;
    private const int VRA_LOG = 32;
    private const int SIZEOF_VHOST_VRING_ADDR = 40;

    // struct vring_used: __u16 flags, __u16 idx, struct vring_used_elem ring[] (8 bytes each); avail ring: __u16.
    private const int VRING_USED_FLAGS = 0;
    private const int VRING_USED_IDX = 2;
    private const int SIZEOF_VRING_USED = 4;
    private const int SIZEOF_VRING_USED_ELEM = 8;
    private const int SIZEOF_VRING_AVAIL_ELEM = 2;

    // drivers/vhost/vhost.c, vhost_set_memory(), v2.6.33 (as merged). Buggy: both copy_from_user() counts are
    // stored in `r` and returned from the VHOST_SET_MEM_TABLE ioctl as they are, a positive byte count where
    // the ioctl returns 0 or a negative errno; the fix of the 2.6.34 cycle ("vhost: fix to check the return
    // value of copy_to/from_user() correctly") returns -EFAULT for a short copy (next function).
    public static long VhostSetMemoryV2633(Helpers.VhostDev d, UserPtr m)
    {
        var mem = new byte[OFFSETOF_VM_REGIONS];
        byte[]? newmem, oldmem;
        int size = OFFSETOF_VM_REGIONS; /* offsetof(struct vhost_memory, regions) */
        long r;
        r = CopyFromUser(mem.AsSpan(0, size), m);
        if (r != 0)
            return r; // expect: UA5002
        if (BitConverter.ToUInt32(mem, VM_PADDING) != 0)
            return -EOPNOTSUPP;
        if (BitConverter.ToUInt32(mem, VM_NREGIONS) > VHOST_MEMORY_MAX_NREGIONS)
            return -E2BIG;
        newmem = Helpers.Kmalloc(size + (int)BitConverter.ToUInt32(mem, VM_NREGIONS) * SIZEOF_VHOST_MEMORY_REGION);
        if (newmem == null)
            return -ENOMEM;

        Array.Copy(mem, newmem, size); /* memcpy(newmem, &mem, size); */
        r = CopyFromUser(newmem.AsSpan(size, (int)BitConverter.ToUInt32(mem, VM_NREGIONS) * SIZEOF_VHOST_MEMORY_REGION),
                         m + OFFSETOF_VM_REGIONS);
        if (r != 0)
        {
            /* kfree(newmem); */
            return r; // expect: UA5002
        }

        if (!Helpers.MemoryAccessOk(d, newmem, Helpers.VhostHasFeature(d, Helpers.VHOST_F_LOG_ALL)))
            return -EFAULT;
        oldmem = d.Memory;
        d.Memory = newmem; /* rcu_assign_pointer(d->memory, newmem); synchronize_rcu(); kfree(oldmem); */
        return 0;
    }

    // drivers/vhost/vhost.c, vhost_set_memory(), v3.x (the copy-result fix applied). Correct: the header and
    // the regions array are copied separately, the regions' length computed from the checked first copy, and a
    // short copy of either is -EFAULT.
    public static long VhostSetMemoryV3(Helpers.VhostDev d, UserPtr m) // expect: none
    {
        var mem = new byte[OFFSETOF_VM_REGIONS];
        byte[]? newmem, oldmem;
        int size = OFFSETOF_VM_REGIONS; /* offsetof(struct vhost_memory, regions) */

        if (CopyFromUser(mem.AsSpan(0, size), m) != 0)
            return -EFAULT;
        if (BitConverter.ToUInt32(mem, VM_PADDING) != 0)
            return -EOPNOTSUPP;
        if (BitConverter.ToUInt32(mem, VM_NREGIONS) > VHOST_MEMORY_MAX_NREGIONS)
            return -E2BIG;
        newmem = Helpers.Kmalloc(size + (int)BitConverter.ToUInt32(mem, VM_NREGIONS) * SIZEOF_VHOST_MEMORY_REGION);
        if (newmem == null)
            return -ENOMEM;

        Array.Copy(mem, newmem, size); /* memcpy(newmem, &mem, size); */
        if (CopyFromUser(newmem.AsSpan(size, (int)BitConverter.ToUInt32(mem, VM_NREGIONS) * SIZEOF_VHOST_MEMORY_REGION),
                         m + OFFSETOF_VM_REGIONS) != 0)
        {
            /* kfree(newmem); */
            return -EFAULT;
        }

        if (!Helpers.MemoryAccessOk(d, newmem, Helpers.VhostHasFeature(d, Helpers.VHOST_F_LOG_ALL)))
        {
            /* kfree(newmem); */
            return -EFAULT;
        }
        oldmem = d.Memory; /* rcu_dereference_protected(d->memory, lockdep_is_held(&d->mutex)) */
        d.Memory = newmem; /* rcu_assign_pointer(d->memory, newmem); synchronize_rcu(); kfree(oldmem); */
        return 0;
    }

    // drivers/vhost/vhost.c, init_used(), v2.6.33 (called by vhost_set_vring() for VHOST_SET_VRING_ADDR). Correct:
    // put_user() and get_user() return 0 or -EFAULT, and both results are handed back.
    public static int InitUsed(Helpers.VhostVirtqueue vq, UserPtr used) // expect: none
    {
        int r = PutUser(vq.UsedFlags, (used + VRING_USED_FLAGS).Cast<ushort>());
        if (r != 0)
            return r;
        return GetUser(out vq.LastUsedIdx, (used + VRING_USED_IDX).Cast<ushort>());
    }

    // drivers/vhost/vhost.c, vhost_set_vring(), v2.6.33 (as merged). Buggy twice. Every copy_from_user() count is
    // stored in the errno local `r` and tested with `if (r < 0) break;`, which a count never passes: a faulting
    // copy goes on with the partly copied struct and its count ends as the ioctl's result; VHOST_GET_VRING_BASE
    // returns the copy_to_user() count as it is (fixed in the 2.6.34 cycle to `if (copy_...) { r = -EFAULT; ... }`).
    // And the VHOST_SET_VRING_KICK, _CALL and _ERR cases `return PTR_ERR(eventfp);` for a bad eventfd from inside
    // the switch with vq->mutex held (later `r = PTR_ERR(eventfp); break;`, next function).
    public static long VhostSetVringV2633(Helpers.VhostDev d, int ioctl, UserPtr argp)
    {
        Helpers.File? eventfp, filep = null, pollstart = null, pollstop = null;
        Helpers.EventfdCtx? ctx = null;
        UserPtr<uint> idxp = argp.Cast<uint>();
        Helpers.VhostVirtqueue vq;
        var s = new byte[SIZEOF_VHOST_VRING_STATE];
        var f = new byte[SIZEOF_VHOST_VRING_FILE];
        var a = new byte[SIZEOF_VHOST_VRING_ADDR];
        uint idx, num, aFlags;
        ulong descUserAddr, usedUserAddr, availUserAddr, logGuestAddr;
        int fd;
        long r;

        r = GetUser(out idx, idxp);
        if (r < 0)
            return r;
        if (idx > d.Nvqs)
            return -ENOBUFS;

        vq = d.Vqs[idx];

        vq.Mutex.Lock(); // expect: UA1003

        switch (ioctl)
        {
            case VHOST_SET_VRING_NUM:
                /* Resizing ring with an active backend?
                 * You don't want to do that. */
                if (vq.PrivateData != null)
                {
                    r = -EBUSY;
                    break;
                }
                r = CopyFromUser(s, argp);
                if (r < 0) // expect: UA5002
                    break;
                num = BitConverter.ToUInt32(s, VRS_NUM);
                if (num == 0 || num > 0xffff || (num & (num - 1)) != 0)
                {
                    r = -EINVAL;
                    break;
                }
                vq.Num = num;
                break;
            case VHOST_SET_VRING_BASE:
                /* Moving base with an active backend?
                 * You don't want to do that. */
                if (vq.PrivateData != null)
                {
                    r = -EBUSY;
                    break;
                }
                r = CopyFromUser(s, argp);
                if (r < 0) // expect: UA5002
                    break;
                num = BitConverter.ToUInt32(s, VRS_NUM);
                if (num > 0xffff)
                {
                    r = -EINVAL;
                    break;
                }
                vq.LastAvailIdx = (ushort)num;
                /* Forget the cached index value. */
                vq.AvailIdx = vq.LastAvailIdx;
                break;
            case VHOST_GET_VRING_BASE:
                BitConverter.TryWriteBytes(s.AsSpan(VRS_INDEX, 4), idx);
                BitConverter.TryWriteBytes(s.AsSpan(VRS_NUM, 4), (uint)vq.LastAvailIdx);
                r = CopyToUser(argp, s);
                break;
            case VHOST_SET_VRING_ADDR:
                r = CopyFromUser(a, argp);
                if (r < 0) // expect: UA5002
                    break;
                aFlags = BitConverter.ToUInt32(a, VRA_FLAGS);
                descUserAddr = BitConverter.ToUInt64(a, VRA_DESC);
                usedUserAddr = BitConverter.ToUInt64(a, VRA_USED);
                availUserAddr = BitConverter.ToUInt64(a, VRA_AVAIL);
                logGuestAddr = BitConverter.ToUInt64(a, VRA_LOG);
                if ((aFlags & ~(0x1u << VHOST_VRING_F_LOG)) != 0)
                {
                    r = -EOPNOTSUPP;
                    break;
                }
                /* For 32bit, verify that the top 32bits of the user
                   data are set to zero. */
                if (Helpers.TruncatedByUlong(descUserAddr) ||
                    Helpers.TruncatedByUlong(usedUserAddr) ||
                    Helpers.TruncatedByUlong(availUserAddr))
                {
                    r = -EFAULT;
                    break;
                }
                if ((availUserAddr & (SIZEOF_VRING_AVAIL_ELEM - 1)) != 0 ||
                    (usedUserAddr & (SIZEOF_VRING_USED_ELEM - 1)) != 0 ||
                    (logGuestAddr & (SIZEOF_VRING_USED_ELEM - 1)) != 0)
                {
                    r = -EINVAL;
                    break;
                }

                /* We only verify access here if backend is configured.
                 * If it is not, we don't as size might not have been setup.
                 * We will verify when backend is configured. */
                if (vq.PrivateData != null)
                {
                    if (!Helpers.VqAccessOk(vq.Num, new UserPtr(descUserAddr), new UserPtr(availUserAddr),
                                            new UserPtr(usedUserAddr)))
                    {
                        r = -EINVAL;
                        break;
                    }

                    /* Also validate log access for used ring if enabled. */
                    if ((aFlags & (0x1u << VHOST_VRING_F_LOG)) != 0 &&
                        !Helpers.LogAccessOk(vq.LogBase, logGuestAddr,
                                             SIZEOF_VRING_USED + vq.Num * SIZEOF_VRING_USED_ELEM))
                    {
                        r = -EINVAL;
                        break;
                    }
                }

                r = InitUsed(vq, new UserPtr(usedUserAddr));
                if (r != 0)
                    break;
                vq.LogUsed = (aFlags & (0x1u << VHOST_VRING_F_LOG)) != 0;
                vq.Desc = new UserPtr(descUserAddr);
                vq.Avail = new UserPtr(availUserAddr);
                vq.LogAddr = logGuestAddr;
                vq.Used = new UserPtr(usedUserAddr);
                break;
            case VHOST_SET_VRING_KICK:
                r = CopyFromUser(f, argp);
                if (r < 0) // expect: UA5002
                    break;
                fd = BitConverter.ToInt32(f, VRF_FD);
                eventfp = fd == -1 ? null : Helpers.EventfdFget(fd);
                if (Helpers.IsErr(eventfp))
                    return Helpers.PtrErr(eventfp);
                if (eventfp != vq.Kick)
                {
                    pollstop = filep = vq.Kick;
                    pollstart = vq.Kick = eventfp;
                }
                else
                    filep = eventfp;
                break;
            case VHOST_SET_VRING_CALL:
                r = CopyFromUser(f, argp);
                if (r < 0) // expect: UA5002
                    break;
                fd = BitConverter.ToInt32(f, VRF_FD);
                eventfp = fd == -1 ? null : Helpers.EventfdFget(fd);
                if (Helpers.IsErr(eventfp))
                    return Helpers.PtrErr(eventfp);
                if (eventfp != vq.Call)
                {
                    filep = vq.Call;
                    ctx = vq.CallCtx;
                    vq.Call = eventfp;
                    vq.CallCtx = eventfp != null ? Helpers.EventfdCtxFileget(eventfp) : null;
                }
                else
                    filep = eventfp;
                break;
            case VHOST_SET_VRING_ERR:
                r = CopyFromUser(f, argp);
                if (r < 0) // expect: UA5002
                    break;
                fd = BitConverter.ToInt32(f, VRF_FD);
                eventfp = fd == -1 ? null : Helpers.EventfdFget(fd);
                if (Helpers.IsErr(eventfp))
                    return Helpers.PtrErr(eventfp);
                if (eventfp != vq.Error)
                {
                    filep = vq.Error;
                    vq.Error = eventfp;
                    ctx = vq.ErrorCtx;
                    vq.ErrorCtx = eventfp != null ? Helpers.EventfdCtxFileget(eventfp) : null;
                }
                else
                    filep = eventfp;
                break;
            default:
                r = -ENOIOCTLCMD;
                break;
        }

        if (pollstop != null && vq.HandleKick)
            Helpers.VhostPollStop(vq);

        if (ctx != null)
            Helpers.EventfdCtxPut(ctx);
        if (filep != null)
            Helpers.Fput(filep);

        if (pollstart != null && vq.HandleKick)
            Helpers.VhostPollStart(vq, vq.Kick);

        vq.Mutex.Unlock();

        if (pollstop != null && vq.HandleKick)
            Helpers.VhostPollFlush(vq);
        return r; // expect: UA5002
    }

    // drivers/vhost/vhost.c, vhost_set_vring(), v3.x (before it became vhost_vring_ioctl()). Correct: every
    // copy's count becomes -EFAULT in place, a bad eventfd breaks out of the switch to the common exit that
    // drops vq->mutex, and the mutex (a sleeping lock the fault path does not take) is held across the copies.
    public static long VhostSetVringV3(Helpers.VhostDev d, int ioctl, UserPtr argp) // expect: none
    {
        Helpers.File? eventfp, filep = null, pollstart = null, pollstop = null;
        Helpers.EventfdCtx? ctx = null;
        UserPtr<uint> idxp = argp.Cast<uint>();
        Helpers.VhostVirtqueue vq;
        var s = new byte[SIZEOF_VHOST_VRING_STATE];
        var f = new byte[SIZEOF_VHOST_VRING_FILE];
        var a = new byte[SIZEOF_VHOST_VRING_ADDR];
        uint idx, num, aFlags;
        ulong descUserAddr, usedUserAddr, availUserAddr, logGuestAddr;
        int fd;
        long r;

        r = GetUser(out idx, idxp);
        if (r < 0)
            return r;
        if (idx >= d.Nvqs)
            return -ENOBUFS;

        vq = d.Vqs[idx];

        vq.Mutex.Lock();

        switch (ioctl)
        {
            case VHOST_SET_VRING_NUM:
                /* Resizing ring with an active backend?
                 * You don't want to do that. */
                if (vq.PrivateData != null)
                {
                    r = -EBUSY;
                    break;
                }
                if (CopyFromUser(s, argp) != 0)
                {
                    r = -EFAULT;
                    break;
                }
                num = BitConverter.ToUInt32(s, VRS_NUM);
                if (num == 0 || num > 0xffff || (num & (num - 1)) != 0)
                {
                    r = -EINVAL;
                    break;
                }
                vq.Num = num;
                break;
            case VHOST_SET_VRING_BASE:
                /* Moving base with an active backend?
                 * You don't want to do that. */
                if (vq.PrivateData != null)
                {
                    r = -EBUSY;
                    break;
                }
                if (CopyFromUser(s, argp) != 0)
                {
                    r = -EFAULT;
                    break;
                }
                num = BitConverter.ToUInt32(s, VRS_NUM);
                if (num > 0xffff)
                {
                    r = -EINVAL;
                    break;
                }
                vq.LastAvailIdx = (ushort)num;
                /* Forget the cached index value. */
                vq.AvailIdx = vq.LastAvailIdx;
                break;
            case VHOST_GET_VRING_BASE:
                BitConverter.TryWriteBytes(s.AsSpan(VRS_INDEX, 4), idx);
                BitConverter.TryWriteBytes(s.AsSpan(VRS_NUM, 4), (uint)vq.LastAvailIdx);
                if (CopyToUser(argp, s) != 0)
                    r = -EFAULT;
                break;
            case VHOST_SET_VRING_ADDR:
                if (CopyFromUser(a, argp) != 0)
                {
                    r = -EFAULT;
                    break;
                }
                aFlags = BitConverter.ToUInt32(a, VRA_FLAGS);
                descUserAddr = BitConverter.ToUInt64(a, VRA_DESC);
                usedUserAddr = BitConverter.ToUInt64(a, VRA_USED);
                availUserAddr = BitConverter.ToUInt64(a, VRA_AVAIL);
                logGuestAddr = BitConverter.ToUInt64(a, VRA_LOG);
                if ((aFlags & ~(0x1u << VHOST_VRING_F_LOG)) != 0)
                {
                    r = -EOPNOTSUPP;
                    break;
                }
                /* For 32bit, verify that the top 32bits of the user
                   data are set to zero. */
                if (Helpers.TruncatedByUlong(descUserAddr) ||
                    Helpers.TruncatedByUlong(usedUserAddr) ||
                    Helpers.TruncatedByUlong(availUserAddr))
                {
                    r = -EFAULT;
                    break;
                }
                if ((availUserAddr & (SIZEOF_VRING_AVAIL_ELEM - 1)) != 0 ||
                    (usedUserAddr & (SIZEOF_VRING_USED_ELEM - 1)) != 0 ||
                    (logGuestAddr & (SIZEOF_VRING_USED_ELEM - 1)) != 0)
                {
                    r = -EINVAL;
                    break;
                }

                /* We only verify access here if backend is configured.
                 * If it is not, we don't as size might not have been setup.
                 * We will verify when backend is configured. */
                if (vq.PrivateData != null)
                {
                    if (!Helpers.VqAccessOk(vq.Num, new UserPtr(descUserAddr), new UserPtr(availUserAddr),
                                            new UserPtr(usedUserAddr)))
                    {
                        r = -EINVAL;
                        break;
                    }

                    /* Also validate log access for used ring if enabled. */
                    if ((aFlags & (0x1u << VHOST_VRING_F_LOG)) != 0 &&
                        !Helpers.LogAccessOk(vq.LogBase, logGuestAddr,
                                             SIZEOF_VRING_USED + vq.Num * SIZEOF_VRING_USED_ELEM))
                    {
                        r = -EINVAL;
                        break;
                    }
                }

                vq.LogUsed = (aFlags & (0x1u << VHOST_VRING_F_LOG)) != 0;
                vq.Desc = new UserPtr(descUserAddr);
                vq.Avail = new UserPtr(availUserAddr);
                vq.LogAddr = logGuestAddr;
                vq.Used = new UserPtr(usedUserAddr);
                break;
            case VHOST_SET_VRING_KICK:
                if (CopyFromUser(f, argp) != 0)
                {
                    r = -EFAULT;
                    break;
                }
                fd = BitConverter.ToInt32(f, VRF_FD);
                eventfp = fd == -1 ? null : Helpers.EventfdFget(fd);
                if (Helpers.IsErr(eventfp))
                {
                    r = Helpers.PtrErr(eventfp);
                    break;
                }
                if (eventfp != vq.Kick)
                {
                    pollstop = filep = vq.Kick;
                    pollstart = vq.Kick = eventfp;
                }
                else
                    filep = eventfp;
                break;
            case VHOST_SET_VRING_CALL:
                if (CopyFromUser(f, argp) != 0)
                {
                    r = -EFAULT;
                    break;
                }
                fd = BitConverter.ToInt32(f, VRF_FD);
                eventfp = fd == -1 ? null : Helpers.EventfdFget(fd);
                if (Helpers.IsErr(eventfp))
                {
                    r = Helpers.PtrErr(eventfp);
                    break;
                }
                if (eventfp != vq.Call)
                {
                    filep = vq.Call;
                    ctx = vq.CallCtx;
                    vq.Call = eventfp;
                    vq.CallCtx = eventfp != null ? Helpers.EventfdCtxFileget(eventfp) : null;
                }
                else
                    filep = eventfp;
                break;
            case VHOST_SET_VRING_ERR:
                if (CopyFromUser(f, argp) != 0)
                {
                    r = -EFAULT;
                    break;
                }
                fd = BitConverter.ToInt32(f, VRF_FD);
                eventfp = fd == -1 ? null : Helpers.EventfdFget(fd);
                if (Helpers.IsErr(eventfp))
                {
                    r = Helpers.PtrErr(eventfp);
                    break;
                }
                if (eventfp != vq.Error)
                {
                    filep = vq.Error;
                    vq.Error = eventfp;
                    ctx = vq.ErrorCtx;
                    vq.ErrorCtx = eventfp != null ? Helpers.EventfdCtxFileget(eventfp) : null;
                }
                else
                    filep = eventfp;
                break;
            default:
                r = -ENOIOCTLCMD;
                break;
        }

        if (pollstop != null && vq.HandleKick)
            Helpers.VhostPollStop(vq);

        if (ctx != null)
            Helpers.EventfdCtxPut(ctx);
        if (filep != null)
            Helpers.Fput(filep);

        if (pollstart != null && vq.HandleKick)
            Helpers.VhostPollStart(vq, vq.Kick);

        vq.Mutex.Unlock();

        if (pollstop != null && vq.HandleKick)
            Helpers.VhostPollFlush(vq);
        return r;
    }

    // drivers/vhost/vhost.c, vhost_dev_ioctl(), v2.6.33 (as merged; the caller holds the device mutex). Buggy:
    // VHOST_SET_LOG_BASE stores the copy_from_user() count in `r` and tests `r < 0`, so a faulting copy goes on
    // with a partly copied log base, and the count reaches `return r;` as the ioctl's result (fixed in the 2.6.34
    // cycle, next function). The VHOST_SET_LOG_FD get_user() result is an errno and its `r < 0` test is right.
    public static long VhostDevIoctlV2633(Helpers.VhostDev d, int ioctl, ulong arg)
    {
        UserPtr argp = new UserPtr(arg);
        Helpers.File? eventfp, filep = null;
        Helpers.EventfdCtx? ctx = null;
        ulong p;
        long r;
        int i, fd;

        /* If you are not the owner, you can become one */
        if (ioctl == VHOST_SET_OWNER)
        {
            r = Helpers.VhostDevSetOwner(d);
            goto done;
        }

        /* You must be the owner to do anything else */
        r = Helpers.VhostDevCheckOwner(d);
        if (r != 0)
            goto done;

        switch (ioctl)
        {
            case VHOST_SET_MEM_TABLE:
                r = VhostSetMemoryV2633(d, argp);
                break;
            case VHOST_SET_LOG_BASE:
                r = CopyFromUser(out p, argp.Cast<ulong>());
                if (r < 0) // expect: UA5002
                    break;
                if (Helpers.TruncatedByUlong(p))
                {
                    r = -EFAULT;
                    break;
                }
                for (i = 0; i < d.Nvqs; ++i)
                {
                    Helpers.VhostVirtqueue vq;
                    UserPtr @base = new UserPtr(p);
                    vq = d.Vqs[i];
                    vq.Mutex.Lock();
                    /* If ring is inactive, will check when it's enabled. */
                    if (vq.PrivateData != null && !Helpers.VqLogAccessOk(vq, @base))
                        r = -EFAULT;
                    else
                        vq.LogBase = @base;
                    vq.Mutex.Unlock();
                }
                break;
            case VHOST_SET_LOG_FD:
                r = GetUser(out fd, argp.Cast<int>());
                if (r < 0)
                    break;
                eventfp = fd == -1 ? null : Helpers.EventfdFget(fd);
                if (Helpers.IsErr(eventfp))
                {
                    r = Helpers.PtrErr(eventfp);
                    break;
                }
                if (eventfp != d.LogFile)
                {
                    filep = d.LogFile;
                    ctx = d.LogCtx;
                    d.LogCtx = eventfp != null ? Helpers.EventfdCtxFileget(eventfp) : null;
                }
                else
                    filep = eventfp;
                for (i = 0; i < d.Nvqs; ++i)
                {
                    d.Vqs[i].Mutex.Lock();
                    d.Vqs[i].LogCtx = d.LogCtx;
                    d.Vqs[i].Mutex.Unlock();
                }
                if (ctx != null)
                    Helpers.EventfdCtxPut(ctx);
                if (filep != null)
                    Helpers.Fput(filep);
                break;
            default:
                r = VhostSetVringV2633(d, ioctl, argp);
                break;
        }
    done:
        return r; // expect: UA5002
    }

    // drivers/vhost/vhost.c, vhost_dev_ioctl(), v3.x. Correct: the VHOST_SET_LOG_BASE copy's count
    // becomes -EFAULT, and the per-queue mutexes are taken and dropped around kernel work only.
    public static long VhostDevIoctlV3(Helpers.VhostDev d, int ioctl, ulong arg) // expect: none
    {
        UserPtr argp = new UserPtr(arg);
        Helpers.File? eventfp, filep = null;
        Helpers.EventfdCtx? ctx = null;
        ulong p;
        long r;
        int i, fd;

        /* If you are not the owner, you can become one */
        if (ioctl == VHOST_SET_OWNER)
        {
            r = Helpers.VhostDevSetOwner(d);
            goto done;
        }

        /* You must be the owner to do anything else */
        r = Helpers.VhostDevCheckOwner(d);
        if (r != 0)
            goto done;

        switch (ioctl)
        {
            case VHOST_SET_MEM_TABLE:
                r = VhostSetMemoryV3(d, argp);
                break;
            case VHOST_SET_LOG_BASE:
                if (CopyFromUser(out p, argp.Cast<ulong>()) != 0)
                {
                    r = -EFAULT;
                    break;
                }
                if (Helpers.TruncatedByUlong(p))
                {
                    r = -EFAULT;
                    break;
                }
                for (i = 0; i < d.Nvqs; ++i)
                {
                    Helpers.VhostVirtqueue vq;
                    UserPtr @base = new UserPtr(p);
                    vq = d.Vqs[i];
                    vq.Mutex.Lock();
                    /* If ring is inactive, will check when it's enabled. */
                    if (vq.PrivateData != null && !Helpers.VqLogAccessOk(vq, @base))
                        r = -EFAULT;
                    else
                        vq.LogBase = @base;
                    vq.Mutex.Unlock();
                }
                break;
            case VHOST_SET_LOG_FD:
                r = GetUser(out fd, argp.Cast<int>());
                if (r < 0)
                    break;
                eventfp = fd == -1 ? null : Helpers.EventfdFget(fd);
                if (Helpers.IsErr(eventfp))
                {
                    r = Helpers.PtrErr(eventfp);
                    break;
                }
                if (eventfp != d.LogFile)
                {
                    filep = d.LogFile;
                    ctx = d.LogCtx;
                    d.LogCtx = eventfp != null ? Helpers.EventfdCtxFileget(eventfp) : null;
                }
                else
                    filep = eventfp;
                for (i = 0; i < d.Nvqs; ++i)
                {
                    d.Vqs[i].Mutex.Lock();
                    d.Vqs[i].LogCtx = d.LogCtx;
                    d.Vqs[i].Mutex.Unlock();
                }
                if (ctx != null)
                    Helpers.EventfdCtxPut(ctx);
                if (filep != null)
                    Helpers.Fput(filep);
                break;
            default:
                r = VhostSetVringV3(d, ioctl, argp);
                break;
        }
    done:
        return r;
    }
}

public static class VhostVdpa
{
    public const uint VHOST_SET_BACKEND_FEATURES = 0x4008AF25;
    public const uint VHOST_GET_BACKEND_FEATURES = 0x8008AF26;
    public const uint VHOST_SET_LOG_BASE = 0x4008AF04;
    public const uint VHOST_SET_LOG_FD = 0x4004AF07;
    public const uint VHOST_VDPA_GET_DEVICE_ID = 0x8004AF70;
    public const uint VHOST_VDPA_GET_STATUS = 0x8001AF71;
    public const uint VHOST_VDPA_SET_STATUS = 0x4001AF72;
    public const uint VHOST_VDPA_GET_CONFIG = 0x8008AF73;
    public const uint VHOST_VDPA_SET_CONFIG = 0x4008AF74;
    public const uint VHOST_GET_FEATURES = 0x8008AF00;
    public const uint VHOST_SET_FEATURES = 0x4008AF00;
    public const uint VHOST_VDPA_GET_VRING_NUM = 0x8002AF76;
    public const uint VHOST_VDPA_SET_CONFIG_CALL = 0x4004AF77;

    private const ulong VHOST_VDPA_BACKEND_FEATURES = (1UL << 1) | (1UL << 2); /* IOTLB_MSG_V2 | IOTLB_BATCH */

    // drivers/vhost/vdpa.c, vhost_vdpa_unlocked_ioctl(), v5.10-rc1 (after a127c5bbb6a8 "vhost-vdpa: fix backend
    // feature ioctls" moved the backend-feature ioctls here). Buggy: "The copy_to/from_user() functions return
    // the number of bytes which we weren't able to copy but the ioctl should return -EFAULT if they fail."
    // (7922460e33c8): VHOST_SET_BACKEND_FEATURES returns the copy_from_user() count, and
    // VHOST_GET_BACKEND_FEATURES stores the copy_to_user() count in `r`, which the ioctl returns.
    public static long VhostVdpaUnlockedIoctlBefore(Helpers.VhostVdpaDev v, uint cmd, ulong arg)
    {
        Helpers.VhostDev d = v.Vdev;
        UserPtr argp = new UserPtr(arg);
        UserPtr<ulong> featurep = argp.Cast<ulong>();
        ulong features;
        long r;

        if (cmd == VHOST_SET_BACKEND_FEATURES)
        {
            r = CopyFromUser(out features, featurep);
            if (r != 0)
                return r; // expect: UA5002
            if ((features & ~VHOST_VDPA_BACKEND_FEATURES) != 0)
                return -EOPNOTSUPP;
            Helpers.VhostSetBackendFeatures(v.Vdev, features);
            return 0;
        }

        d.Mutex.Lock();

        switch (cmd)
        {
            case VHOST_VDPA_GET_DEVICE_ID:
                r = Helpers.VhostVdpaGetDeviceId(v, argp);
                break;
            case VHOST_VDPA_GET_STATUS:
                r = Helpers.VhostVdpaGetStatus(v, argp);
                break;
            case VHOST_VDPA_SET_STATUS:
                r = Helpers.VhostVdpaSetStatus(v, argp);
                break;
            case VHOST_VDPA_GET_CONFIG:
                r = Helpers.VhostVdpaGetConfig(v, argp);
                break;
            case VHOST_VDPA_SET_CONFIG:
                r = Helpers.VhostVdpaSetConfig(v, argp);
                break;
            case VHOST_GET_FEATURES:
                r = Helpers.VhostVdpaGetFeatures(v, argp);
                break;
            case VHOST_SET_FEATURES:
                r = Helpers.VhostVdpaSetFeatures(v, argp);
                break;
            case VHOST_VDPA_GET_VRING_NUM:
                r = Helpers.VhostVdpaGetVringNum(v, argp);
                break;
            case VHOST_SET_LOG_BASE:
            case VHOST_SET_LOG_FD:
                r = -ENOIOCTLCMD;
                break;
            case VHOST_VDPA_SET_CONFIG_CALL:
                r = Helpers.VhostVdpaSetConfigCall(v, argp);
                break;
            case VHOST_GET_BACKEND_FEATURES:
                features = VHOST_VDPA_BACKEND_FEATURES;
                r = CopyToUser(featurep, features);
                break;
            default:
                r = Helpers.VhostDevIoctl(v.Vdev, cmd, argp);
                if (r == -ENOIOCTLCMD)
                    r = Helpers.VhostVdpaVringIoctl(v, cmd, argp);
                break;
        }

        d.Mutex.Unlock();
        return r; // expect: UA5002
    }

    // drivers/vhost/vdpa.c, vhost_vdpa_unlocked_ioctl(), after 7922460e33c8 "vhost_vdpa: Return -EFAULT if
    // copy_to_user() fails" (v5.10-rc2). Correct: both copies' counts become -EFAULT; `r` starts at 0.
    public static long VhostVdpaUnlockedIoctlAfter(Helpers.VhostVdpaDev v, uint cmd, ulong arg) // expect: none
    {
        Helpers.VhostDev d = v.Vdev;
        UserPtr argp = new UserPtr(arg);
        UserPtr<ulong> featurep = argp.Cast<ulong>();
        ulong features;
        long r = 0;

        if (cmd == VHOST_SET_BACKEND_FEATURES)
        {
            if (CopyFromUser(out features, featurep) != 0)
                return -EFAULT;
            if ((features & ~VHOST_VDPA_BACKEND_FEATURES) != 0)
                return -EOPNOTSUPP;
            Helpers.VhostSetBackendFeatures(v.Vdev, features);
            return 0;
        }

        d.Mutex.Lock();

        switch (cmd)
        {
            case VHOST_VDPA_GET_DEVICE_ID:
                r = Helpers.VhostVdpaGetDeviceId(v, argp);
                break;
            case VHOST_VDPA_GET_STATUS:
                r = Helpers.VhostVdpaGetStatus(v, argp);
                break;
            case VHOST_VDPA_SET_STATUS:
                r = Helpers.VhostVdpaSetStatus(v, argp);
                break;
            case VHOST_VDPA_GET_CONFIG:
                r = Helpers.VhostVdpaGetConfig(v, argp);
                break;
            case VHOST_VDPA_SET_CONFIG:
                r = Helpers.VhostVdpaSetConfig(v, argp);
                break;
            case VHOST_GET_FEATURES:
                r = Helpers.VhostVdpaGetFeatures(v, argp);
                break;
            case VHOST_SET_FEATURES:
                r = Helpers.VhostVdpaSetFeatures(v, argp);
                break;
            case VHOST_VDPA_GET_VRING_NUM:
                r = Helpers.VhostVdpaGetVringNum(v, argp);
                break;
            case VHOST_SET_LOG_BASE:
            case VHOST_SET_LOG_FD:
                r = -ENOIOCTLCMD;
                break;
            case VHOST_VDPA_SET_CONFIG_CALL:
                r = Helpers.VhostVdpaSetConfigCall(v, argp);
                break;
            case VHOST_GET_BACKEND_FEATURES:
                features = VHOST_VDPA_BACKEND_FEATURES;
                if (CopyToUser(featurep, features) != 0)
                    r = -EFAULT;
                break;
            default:
                r = Helpers.VhostDevIoctl(v.Vdev, cmd, argp);
                if (r == -ENOIOCTLCMD)
                    r = Helpers.VhostVdpaVringIoctl(v, cmd, argp);
                break;
        }

        d.Mutex.Unlock();
        return r;
    }
}

public static class DmIoctl
{
    // struct dm_ioctl: __u32 version[3], data_size, data_start, target_count, __s32 open_count, __u32 flags,
    // event_nr, padding, __u64 dev, char name[128], char uuid[129], char data[7]: 312 bytes.
    private const int DM_VERSION = 0;
    private const int DM_DATA_SIZE = 12;
    private const int DM_FLAGS = 28;
    private const int SIZEOF_DM_IOCTL = 312;
    private const int SIZEOF_DM_IOCTL_DATA = 7;
    private const int OFFSETOF_DM_IOCTL_DATA = 305;

    private const uint DM_VERSION_MAJOR = 4;
    private const uint DM_VERSION_MINOR = 23;
    private const uint DM_VERSION_PATCHLEVEL = 0;

    private const uint DM_SECURE_DATA_FLAG = 1u << 15;
    private const int IOCTL_FLAGS_NO_PARAMS = 1;
    private const int DM_PARAMS_KMALLOC = 0x0001;
    private const int DM_PARAMS_VMALLOC = 0x0002;
    private const int DM_PARAMS_MALLOC = 0x0001;
    private const int DM_WIPE_BUFFER = 0x0010;
    private const uint KMALLOC_MAX_SIZE = 1u << 22;

    // drivers/md/dm-ioctl.c, check_version(), v2.6.x to v6.3 (ctl_ioctl() calls it before copy_params()). Correct:
    // the three version words are copied in, compared, overwritten with the kernel's and copied back, each copy's
    // count turned into -EFAULT.
    public static int CheckVersion(uint cmd, UserPtr user) // expect: none
    {
        var version = new byte[12];
        int r = 0;

        if (CopyFromUser(version, user + DM_VERSION) != 0)
            return -EFAULT;

        if ((DM_VERSION_MAJOR != BitConverter.ToUInt32(version, 0)) ||
            (DM_VERSION_MINOR < BitConverter.ToUInt32(version, 4)))
        {
            /* DMWARN("ioctl interface mismatch: ..."); */
            r = -EINVAL;
        }

        /*
         * Fill in the kernel version.
         */
        BitConverter.TryWriteBytes(version.AsSpan(0, 4), DM_VERSION_MAJOR);
        BitConverter.TryWriteBytes(version.AsSpan(4, 4), DM_VERSION_MINOR);
        BitConverter.TryWriteBytes(version.AsSpan(8, 4), DM_VERSION_PATCHLEVEL);
        if (CopyToUser(user + DM_VERSION, version) != 0)
            return -EFAULT;

        return r;
    }

    // drivers/md/dm-ioctl.c, copy_params(), v2.6.39 to v3.7 (f868120549fc added the secure-data wipe; the copies are
    // older; v3.8's 9c5091f2eeef chose kmalloc() for small buffers and kept both copies). Buggy: the fixed-size part of struct dm_ioctl is copied into `tmp` and tmp.data_size checked, a
    // buffer of tmp.data_size bytes allocated, and the whole user buffer copied into it again from its start,
    // data_size included; ctl_ioctl() then takes param->data_size, the second fetch, as the size of the kernel
    // buffer. 6bb43b5d1f54 ("dm ioctl: prevent unsafe change to dm_ioctl data_size"): "userspace code could
    // change the contents of user memory between steps 2 and 4. In particular, the data_size parameter can be
    // changed to an invalid value after the kernel has validated it. This lets userspace force the kernel to
    // access invalid kernel memory."
    public static int CopyParamsV37(UserPtr user, ref byte[]? param)
    {
        var tmp = new byte[SIZEOF_DM_IOCTL];
        byte[]? dmi;
        uint secureData;

        if (CopyFromUser(tmp.AsSpan(0, SIZEOF_DM_IOCTL - SIZEOF_DM_IOCTL_DATA), user) != 0)
            return -EFAULT;

        if (BitConverter.ToUInt32(tmp, DM_DATA_SIZE) < (SIZEOF_DM_IOCTL - SIZEOF_DM_IOCTL_DATA))
            return -EINVAL;

        secureData = BitConverter.ToUInt32(tmp, DM_FLAGS) & DM_SECURE_DATA_FLAG;

        dmi = Helpers.Vmalloc(BitConverter.ToUInt32(tmp, DM_DATA_SIZE));
        if (dmi == null)
        {
            if (secureData != 0 && ClearUser(user, (long)BitConverter.ToUInt32(tmp, DM_DATA_SIZE)) != 0)
                return -EFAULT;
            return -ENOMEM;
        }

        if (CopyFromUser(dmi.AsSpan(0, (int)BitConverter.ToUInt32(tmp, DM_DATA_SIZE)), user) != 0) // expect: UA3003
            goto bad;

        /* Wipe the user buffer so we do not return it to userspace */
        if (secureData != 0 && ClearUser(user, (long)BitConverter.ToUInt32(tmp, DM_DATA_SIZE)) != 0)
            goto bad;

        param = dmi;
        return 0;

    bad:
        if (secureData != 0)
            Array.Clear(dmi, 0, (int)BitConverter.ToUInt32(tmp, DM_DATA_SIZE));
        Helpers.Vfree(dmi);
        return -EFAULT;
    }

    // drivers/md/dm-ioctl.c, copy_params(), v3.11 to v4.11 (the kmalloc/__vmalloc choice under memalloc_noio_save();
    // v4.12 to v4.19 the same with kvmalloc(); 6bb43b5d1f54 applied).
    // Correct: the whole buffer is still copied again from its start, but "Abort if something changed the ioctl
    // data while it was being copied": the second copy's data_size must equal the checked first one, so nothing
    // after it trusts a size the check did not see (800a7340ab7d later called its change "harden").
    public static int CopyParamsV311(UserPtr user, byte[] paramKernel, int ioctlFlags, ref byte[]? param, ref int paramFlags) // expect: none
    {
        byte[]? dmi;
        uint secureData;
        const int minimumDataSize = SIZEOF_DM_IOCTL - SIZEOF_DM_IOCTL_DATA;

        if (CopyFromUser(paramKernel.AsSpan(0, minimumDataSize), user) != 0)
            return -EFAULT;

        if (BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE) < minimumDataSize)
            return -EINVAL;

        secureData = BitConverter.ToUInt32(paramKernel, DM_FLAGS) & DM_SECURE_DATA_FLAG;

        paramFlags = secureData != 0 ? DM_WIPE_BUFFER : 0;

        if ((ioctlFlags & IOCTL_FLAGS_NO_PARAMS) != 0)
        {
            dmi = paramKernel;
            BitConverter.TryWriteBytes(dmi.AsSpan(DM_DATA_SIZE, 4), (uint)minimumDataSize);
            goto data_copied;
        }

        /*
         * Try to avoid low memory issues when a device is suspended.
         * Use kmalloc() rather than vmalloc() when we can.
         */
        dmi = null;
        if (BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE) <= KMALLOC_MAX_SIZE)
        {
            dmi = Helpers.KmallocNoretry(BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE));
            if (dmi != null)
                paramFlags |= DM_PARAMS_KMALLOC;
        }

        if (dmi == null)
        {
            uint noioFlag;
            noioFlag = Helpers.MemallocNoioSave();
            dmi = Helpers.Vmalloc(BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE));
            Helpers.MemallocNoioRestore(noioFlag);
            if (dmi != null)
                paramFlags |= DM_PARAMS_VMALLOC;
        }

        if (dmi == null)
        {
            if (secureData != 0 && ClearUser(user, (long)BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE)) != 0)
                return -EFAULT;
            return -ENOMEM;
        }

        if (CopyFromUser(dmi.AsSpan(0, (int)BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE)), user) != 0)
            goto bad;

    data_copied:
        /*
         * Abort if something changed the ioctl data while it was being copied.
         */
        if (BitConverter.ToUInt32(dmi, DM_DATA_SIZE) != BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE))
        {
            /* DMERR("rejecting ioctl: data size modified while processing parameters"); */
            goto bad;
        }

        /* Wipe the user buffer so we do not return it to userspace */
        if (secureData != 0 && ClearUser(user, (long)BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE)) != 0)
            goto bad;

        param = dmi;
        return 0;

    bad:
        Helpers.FreeParams(dmi, BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE), paramFlags);

        return -EFAULT;
    }

    // drivers/md/dm-ioctl.c, copy_params(), v4.20 to v6.3 (after 800a7340ab7d "dm ioctl: harden copy_params()'s
    // copy_from_user() from malicious users"). Correct: the checked header is memcpy()d from param_kernel and only
    // the bytes after it are copied from user space, so no byte is fetched twice.
    public static int CopyParamsV420(UserPtr user, byte[] paramKernel, int ioctlFlags, ref byte[]? param, ref int paramFlags) // expect: none
    {
        byte[]? dmi;
        uint secureData;
        const int minimumDataSize = OFFSETOF_DM_IOCTL_DATA;
        uint noioFlag;

        if (CopyFromUser(paramKernel.AsSpan(0, minimumDataSize), user) != 0)
            return -EFAULT;

        if (BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE) < minimumDataSize)
            return -EINVAL;

        secureData = BitConverter.ToUInt32(paramKernel, DM_FLAGS) & DM_SECURE_DATA_FLAG;

        paramFlags = secureData != 0 ? DM_WIPE_BUFFER : 0;

        if ((ioctlFlags & IOCTL_FLAGS_NO_PARAMS) != 0)
        {
            dmi = paramKernel;
            BitConverter.TryWriteBytes(dmi.AsSpan(DM_DATA_SIZE, 4), (uint)minimumDataSize);
            goto data_copied;
        }

        /*
         * Use __GFP_HIGH to avoid low memory issues when a device is
         * suspended and the ioctl is needed to resume it.
         * Use kmalloc() rather than vmalloc() when we can.
         */
        dmi = null;
        noioFlag = Helpers.MemallocNoioSave();
        dmi = Helpers.Kvmalloc(BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE));
        Helpers.MemallocNoioRestore(noioFlag);

        if (dmi == null)
        {
            if (secureData != 0 && ClearUser(user, (long)BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE)) != 0)
                return -EFAULT;
            return -ENOMEM;
        }

        paramFlags |= DM_PARAMS_MALLOC;

        /* Copy from param_kernel (which was already copied from user) */
        Array.Copy(paramKernel, dmi, minimumDataSize);

        if (CopyFromUser(dmi.AsSpan(minimumDataSize, (int)BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE) - minimumDataSize),
                         user + minimumDataSize) != 0)
            goto bad;
    data_copied:
        /* Wipe the user buffer so we do not return it to userspace */
        if (secureData != 0 && ClearUser(user, (long)BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE)) != 0)
            goto bad;

        param = dmi;
        return 0;

    bad:
        Helpers.FreeParams(dmi, BitConverter.ToUInt32(paramKernel, DM_DATA_SIZE), paramFlags);

        return -EFAULT;
    }
}

public static class Mtdchar
{
    public const int MTD_FILE_MODE_NORMAL = 0;
    public const int MTD_FILE_MODE_OTP_FACTORY = 1;
    public const int MTD_FILE_MODE_OTP_USER = 2;
    public const int MTD_FILE_MODE_RAW = 3;

    private const int MTD_OPS_PLACE_OOB = 0;
    private const int MTD_OPS_RAW = 2;

    // drivers/mtd/mtdchar.c, mtdchar_read(), v3.x (the same loop from v2.6 to v6.x). Correct: the device is read
    // into a kernel buffer of at most `size` bytes a round, each round copied out with copy_to_user(), a short
    // copy -EFAULT; the loop is bounded by the device size, and the kernel never added a signal check to it.
    public static long MtdcharRead(Helpers.MtdFileInfo mfi, UserPtr buf, ulong count, ref long ppos) // expect: none
    {
        Helpers.MtdInfo mtd = mfi.Mtd;
        ulong retlen = 0;
        ulong totalRetlen = 0;
        int ret = 0;
        int len;
        ulong size = count;
        byte[]? kbuf;

        /* pr_debug("MTD_read\n"); */

        if ((ulong)ppos + count > mtd.Size)
            count = mtd.Size - (ulong)ppos;

        if (count == 0)
            return 0;

        kbuf = Helpers.MtdKmallocUpTo(mtd, ref size);
        if (kbuf == null)
            return -ENOMEM;

        while (count != 0)
        {
            len = (int)Math.Min(count, size);

            switch (mfi.Mode)
            {
                case MTD_FILE_MODE_OTP_FACTORY:
                    ret = Helpers.MtdReadFactProtReg(mtd, ppos, len, out retlen, kbuf);
                    break;
                case MTD_FILE_MODE_OTP_USER:
                    ret = Helpers.MtdReadUserProtReg(mtd, ppos, len, out retlen, kbuf);
                    break;
                case MTD_FILE_MODE_RAW:
                {
                    var ops = new Helpers.MtdOobOps();

                    ops.Mode = MTD_OPS_RAW;
                    ops.Datbuf = kbuf;
                    ops.Oobbuf = null;
                    ops.Len = (ulong)len;

                    ret = Helpers.MtdReadOob(mtd, ppos, ops);
                    retlen = ops.Retlen;
                    break;
                }
                default:
                    ret = Helpers.MtdRead(mtd, ppos, len, out retlen, kbuf);
                    break;
            }
            /* Nand returns -EBADMSG on ECC errors, but it returns
             * the data. For our userspace tools it is important
             * to dump areas with ECC errors!
             * For kernel internal usage it also might return -EUCLEAN
             * to signal the caller that a bitflip has occurred and has
             * been corrected by the ECC algorithm.
             * Userspace software which accesses NAND this way
             * must be aware of the fact that it deals with NAND
             */
            if (ret == 0 || Helpers.MtdIsBitflipOrEccerr(ret))
            {
                ppos += (long)retlen;
                if (CopyToUser(buf, kbuf.AsSpan(0, (int)retlen)) != 0)
                {
                    /* kfree(kbuf); */
                    return -EFAULT;
                }
                else
                    totalRetlen += retlen;

                count -= retlen;
                buf = buf + (long)retlen;
                if (retlen == 0)
                    count = 0;
            }
            else
            {
                /* kfree(kbuf); */
                return ret;
            }
        }

        /* kfree(kbuf); */
        return (long)totalRetlen;
    }

    // drivers/mtd/mtdchar.c, mtdchar_readoob(), v3.x (MEMREADOOB, MEMREADOOB64). Correct: the OOB length is capped at
    // 4096 and access_ok()ed, the length read is handed back with put_user() and the data with copy_to_user(),
    // either failure -EFAULT; the `ret` they replace is the flash driver's errno.
    public static int MtdcharReadoob(Helpers.MtdFileInfo mfi, Helpers.MtdInfo mtd, ulong start, uint length, UserPtr ptr, UserPtr<uint> retp) // expect: none
    {
        var ops = new Helpers.MtdOobOps();
        int ret = 0;

        if (length > 4096)
            return -EINVAL;

        if (!AccessOk(ptr, length))
            return -EFAULT;

        ops.Ooblen = length;
        ops.Ooboffs = (uint)(start & (mtd.Writesize - 1));
        ops.Datbuf = null;
        ops.Mode = (mfi.Mode == MTD_FILE_MODE_RAW) ? MTD_OPS_RAW : MTD_OPS_PLACE_OOB;

        if (ops.Ooboffs != 0 && ops.Ooblen > (mtd.Oobsize - ops.Ooboffs))
            return -EINVAL;

        ops.Oobbuf = Helpers.Kmalloc((int)length);
        if (ops.Oobbuf == null)
            return -ENOMEM;

        start &= ~((ulong)mtd.Writesize - 1);
        ret = Helpers.MtdReadOob(mtd, (long)start, ops);

        if (PutUser((uint)ops.Oobretlen, retp) != 0)
            ret = -EFAULT;
        else if (ops.Oobretlen != 0 && CopyToUser(ptr, ops.Oobbuf.AsSpan(0, (int)ops.Oobretlen)) != 0)
            ret = -EFAULT;

        /* kfree(ops.oobbuf); */

        /*
         * NAND returns -EBADMSG on ECC errors, but it returns the OOB
         * data. For our userspace tools it is important to dump areas
         * with ECC errors!
         * For kernel internal usage it also might return -EUCLEAN
         * to signal the caller that a bitflip has occured and has
         * been corrected by the ECC algorithm.
         */
        if (Helpers.MtdIsBitflipOrEccerr(ret))
            return 0;

        return ret;
    }

    // drivers/mtd/mtdchar.c, mtdchar_writeoob(), v3.x (MEMWRITEOOB, MEMWRITEOOB64). Correct: the OOB data is capped
    // at 4096 bytes and taken with memdup_user(), and the length written is copied back with a checked
    // copy_to_user() of four bytes.
    public static int MtdcharWriteoob(Helpers.MtdFileInfo mfi, bool fmodeWrite, Helpers.MtdInfo mtd, ulong start, uint length, UserPtr ptr, UserPtr<uint> retp) // expect: none
    {
        var ops = new Helpers.MtdOobOps();
        uint retlen;
        int ret = 0;

        if (!fmodeWrite)
            return -EPERM;

        if (length > 4096)
            return -EINVAL;

        if (!mtd.HasWriteOob)
            ret = -EOPNOTSUPP;
        else
            ret = AccessOk(ptr, length) ? 0 : -EFAULT;

        if (ret != 0)
            return ret;

        ops.Ooblen = length;
        ops.Ooboffs = (uint)(start & (mtd.Writesize - 1));
        ops.Datbuf = null;
        ops.Mode = (mfi.Mode == MTD_FILE_MODE_RAW) ? MTD_OPS_RAW : MTD_OPS_PLACE_OOB;

        if (ops.Ooboffs != 0 && ops.Ooblen > (mtd.Oobsize - ops.Ooboffs))
            return -EINVAL;

        ops.Oobbuf = Helpers.MemdupUser(ptr, (int)length);
        if (ops.Oobbuf == null)
            return -EFAULT; /* IS_ERR(ops.oobbuf): return PTR_ERR(ops.oobbuf); */

        start &= ~((ulong)mtd.Writesize - 1);
        ret = Helpers.MtdWriteOob(mtd, (long)start, ops);

        if (ops.Oobretlen > 0xFFFFFFFFUL)
            ret = -EOVERFLOW;
        retlen = (uint)ops.Oobretlen;
        if (CopyToUser(retp, retlen) != 0)
            ret = -EFAULT;

        /* kfree(ops.oobbuf); */
        return ret;
    }
}

public static class WatchdogDev
{
    public const uint WDIOC_GETSUPPORT = 0x80285700;
    public const uint WDIOC_GETSTATUS = 0x80045701;
    public const uint WDIOC_GETBOOTSTATUS = 0x80045702;
    public const uint WDIOC_SETOPTIONS = 0x80045704;
    public const uint WDIOC_KEEPALIVE = 0x80045705;
    public const uint WDIOC_SETTIMEOUT = 0xC0045706;
    public const uint WDIOC_GETTIMEOUT = 0x80045707;
    public const uint WDIOC_GETTIMELEFT = 0x8004570A;

    private const uint WDIOS_DISABLECARD = 0x0001;
    private const uint WDIOS_ENABLECARD = 0x0002;
    private const uint WDIOF_KEEPALIVEPING = 0x8000;
    private const int SIZEOF_WATCHDOG_INFO = 40;

    // drivers/watchdog/watchdog_dev.c, watchdog_write(), v4.x (v3.1 to v6.x the same scan). Correct: each byte of the
    // write is fetched with get_user(), a fault -EFAULT, to look for the magic 'V'; the ping is sent under
    // wd_data->lock after the scan. The scan runs over the caller's length with no signal check; the kernel
    // never added one (each round is one byte fetch, no sleep other than a page fault).
    public static long WatchdogWrite(Helpers.WatchdogCoreData wdData, UserPtr data, ulong len) // expect: none
    {
        Helpers.WatchdogDevice? wdd;
        int err;
        ulong i;
        byte c;

        if (len == 0)
            return 0;

        /*
         * Note: just in case someone wrote the magic character
         * five months ago...
         */
        wdData.AllowRelease = false; /* clear_bit(_WDOG_ALLOW_RELEASE, &wd_data->status); */

        /* scan to see whether or not we got the magic character */
        for (i = 0; i != len; i++)
        {
            if (GetUser(out c, (data + (long)i).Cast<byte>()) != 0)
                return -EFAULT;
            if (c == 'V')
                wdData.AllowRelease = true; /* set_bit(_WDOG_ALLOW_RELEASE, &wd_data->status); */
        }

        /* someone wrote to us, so we send the watchdog a keepalive ping */

        err = -ENODEV;
        wdData.Lock.Lock();
        wdd = wdData.Wdd;
        if (wdd != null)
            err = Helpers.WatchdogPing(wdd);
        wdData.Lock.Unlock();

        if (err < 0)
            return err;

        return (long)len;
    }

    // drivers/watchdog/watchdog_dev.c, watchdog_ioctl(), v4.x. Correct: under wd_data->lock (a mutex the fault path
    // does not take), WDIOC_GETSUPPORT turns the copy_to_user() count into -EFAULT in place, and the put_user()
    // and get_user() results are errnos, returned or turned into -EFAULT.
    public static long WatchdogIoctl(Helpers.WatchdogCoreData wdData, uint cmd, ulong arg) // expect: none
    {
        UserPtr argp = new UserPtr(arg);
        Helpers.WatchdogDevice? wdd;
        UserPtr<uint> p = argp.Cast<uint>();
        uint val;
        int err;

        wdData.Lock.Lock();

        wdd = wdData.Wdd;
        if (wdd == null)
        {
            err = -ENODEV;
            goto out_ioctl;
        }

        err = Helpers.WatchdogIoctlOp(wdd, cmd, arg);
        if (err != -ENOIOCTLCMD)
            goto out_ioctl;

        switch (cmd)
        {
            case WDIOC_GETSUPPORT:
                err = CopyToUser(argp, wdd.Info.AsSpan(0, SIZEOF_WATCHDOG_INFO)) != 0 ? -EFAULT : 0;
                break;
            case WDIOC_GETSTATUS:
                val = Helpers.WatchdogGetStatus(wdd);
                err = PutUser(val, p);
                break;
            case WDIOC_GETBOOTSTATUS:
                err = PutUser(wdd.Bootstatus, p);
                break;
            case WDIOC_SETOPTIONS:
                if (GetUser(out val, p) != 0)
                {
                    err = -EFAULT;
                    break;
                }
                if ((val & WDIOS_DISABLECARD) != 0)
                {
                    err = Helpers.WatchdogStop(wdd);
                    if (err < 0)
                        break;
                }
                if ((val & WDIOS_ENABLECARD) != 0)
                    err = Helpers.WatchdogStart(wdd);
                break;
            case WDIOC_KEEPALIVE:
                if ((wdd.InfoOptions & WDIOF_KEEPALIVEPING) == 0)
                {
                    err = -EOPNOTSUPP;
                    break;
                }
                err = Helpers.WatchdogPing(wdd);
                break;
            case WDIOC_SETTIMEOUT:
                if (GetUser(out val, p) != 0)
                {
                    err = -EFAULT;
                    break;
                }
                err = Helpers.WatchdogSetTimeout(wdd, val);
                if (err < 0)
                    break;
                /* If the watchdog is active then we send a keepalive ping
                 * to make sure that the watchdog keep's running (and if
                 * possible that it takes the new timeout) */
                err = Helpers.WatchdogPing(wdd);
                if (err < 0)
                    break;
                /* Fall */
                goto case WDIOC_GETTIMEOUT;
            case WDIOC_GETTIMEOUT:
                /* timeout == 0 means that we don't know the timeout */
                if (wdd.Timeout == 0)
                {
                    err = -EOPNOTSUPP;
                    break;
                }
                err = PutUser(wdd.Timeout, p);
                break;
            case WDIOC_GETTIMELEFT:
                err = Helpers.WatchdogGetTimeleft(wdd, out val);
                if (err < 0)
                    break;
                err = PutUser(val, p);
                break;
            default:
                err = -ENOTTY;
                break;
        }

    out_ioctl:
        wdData.Lock.Unlock();
        return err;
    }
}

public static class Hidraw
{
    public const uint HIDIOCGRDESCSIZE = 0x80044801;
    public const uint HIDIOCGRDESC = 0x90044802;
    public const uint HIDIOCGRAWINFO = 0x80084803;

    private const uint IOC_READ = 2;
    private const int HID_MAX_DESCRIPTOR_SIZE = 4096;
    private const int OFFSETOF_HIDRAW_REPORT_DESCRIPTOR_VALUE = 4;
    private const int SIZEOF_HIDRAW_DEVINFO = 8;

    // drivers/hid/hidraw.c, hidraw_ioctl(), v2.6.28 (under lock_kernel()). Correct: HIDIOCGRDESC bounds the length it
    // fetched with get_user() before the copy, every copy_to_user() count becomes -EFAULT in place, and
    // HIDIOCGRAWNAME/HIDIOCGRAWPHYS return the length only where the copy succeeded.
    public static long HidrawIoctl(Helpers.HidrawFile file, uint cmd, ulong arg) // expect: none
    {
        uint minor = file.Minor;
        long ret = 0;
        /* FIXME: What stops hidraw_table going NULL */
        Helpers.HidrawDevice dev = Helpers.HidrawTable[minor]!;
        UserPtr userArg = new UserPtr(arg);

        Helpers.LockKernel();
        switch (cmd)
        {
            case HIDIOCGRDESCSIZE:
                if (PutUser((int)dev.Hid.Rsize, new UserPtr(arg).Cast<int>()) != 0)
                    ret = -EFAULT;
                break;

            case HIDIOCGRDESC:
                {
                    int len;

                    if (GetUser(out len, new UserPtr(arg).Cast<int>()) != 0)
                        ret = -EFAULT;
                    else if ((uint)len > HID_MAX_DESCRIPTOR_SIZE - 1)
                        ret = -EINVAL;
                    else if (CopyToUser(userArg + OFFSETOF_HIDRAW_REPORT_DESCRIPTOR_VALUE,
                                        dev.Hid.Rdesc.AsSpan(0, (int)Math.Min(dev.Hid.Rsize, (uint)len))) != 0)
                        ret = -EFAULT;
                    break;
                }
            case HIDIOCGRAWINFO:
                {
                    var dinfo = new byte[SIZEOF_HIDRAW_DEVINFO];

                    BitConverter.TryWriteBytes(dinfo.AsSpan(0, 4), dev.Hid.Bus);
                    BitConverter.TryWriteBytes(dinfo.AsSpan(4, 2), dev.Hid.Vendor);
                    BitConverter.TryWriteBytes(dinfo.AsSpan(6, 2), dev.Hid.Product);
                    if (CopyToUser(userArg, dinfo) != 0)
                        ret = -EFAULT;
                    break;
                }
            default:
                {
                    Helpers.HidDevice hid = dev.Hid;
                    if (Helpers.IocType(cmd) != 'H' || Helpers.IocDir(cmd) != IOC_READ)
                    {
                        ret = -EINVAL;
                        break;
                    }

                    if (Helpers.IocNr(cmd) == Helpers.IocNr(Helpers.HIDIOCGRAWNAME(0)))
                    {
                        int len;
                        if (hid.Name == null)
                        {
                            ret = 0;
                            break;
                        }
                        len = Helpers.Strlen(hid.Name) + 1;
                        if (len > Helpers.IocSize(cmd))
                            len = Helpers.IocSize(cmd);
                        ret = CopyToUser(userArg, hid.Name.AsSpan(0, len)) != 0 ?
                            -EFAULT : len;
                        break;
                    }

                    if (Helpers.IocNr(cmd) == Helpers.IocNr(Helpers.HIDIOCGRAWPHYS(0)))
                    {
                        int len;
                        if (hid.Phys == null)
                        {
                            ret = 0;
                            break;
                        }
                        len = Helpers.Strlen(hid.Phys) + 1;
                        if (len > Helpers.IocSize(cmd))
                            len = Helpers.IocSize(cmd);
                        ret = CopyToUser(userArg, hid.Phys.AsSpan(0, len)) != 0 ?
                            -EFAULT : len;
                        break;
                    }
                }

                ret = -ENOTTY;
                break;
        }
        Helpers.UnlockKernel();
        return ret;
    }
}

public static class Helpers
{
    // ---- drivers/vhost ----

    public const int VHOST_F_LOG_ALL = 26;

    /// <summary>struct file for an eventfd, or an ERR_PTR (Err != 0).</summary>
    public sealed class File
    {
        public int Err;
    }

    /// <summary>struct eventfd_ctx.</summary>
    public sealed class EventfdCtx { }

    /// <summary>struct vhost_virtqueue: vq->mutex is a sleeping lock the fault path does not take.</summary>
    public sealed class VhostVirtqueue
    {
        public KernelMutex Mutex = new();
        public uint Num;
        public ushort LastAvailIdx;
        public ushort AvailIdx;
        public ushort UsedFlags;
        public ushort LastUsedIdx;
        public object? PrivateData;
        public UserPtr Desc;
        public UserPtr Avail;
        public UserPtr Used;
        public ulong LogAddr;
        public bool LogUsed;
        public UserPtr LogBase;
        public File? Kick;
        public File? Call;
        public File? Error;
        public EventfdCtx? CallCtx;
        public EventfdCtx? ErrorCtx;
        public EventfdCtx? LogCtx;
        public bool HandleKick;
    }

    /// <summary>struct vhost_dev: d->mutex is a sleeping lock the fault path does not take.</summary>
    public sealed class VhostDev
    {
        public KernelMutex Mutex = new();
        public VhostVirtqueue[] Vqs = Array.Empty<VhostVirtqueue>();
        public int Nvqs;
        public byte[]? Memory;
        public File? LogFile;
        public EventfdCtx? LogCtx;
        public ulong AckedFeatures;
    }

    /// <summary>struct vhost_vdpa.</summary>
    public sealed class VhostVdpaDev
    {
        public VhostDev Vdev = new();
    }

    /// <summary>kmalloc(n, GFP_KERNEL) (stub; may sleep); null when out of memory.</summary>
    [MightSleep]
    public static byte[]? Kmalloc(int n) => new byte[n];

    /// <summary>(u64)(unsigned long)x != x: the address does not fit an unsigned long (never on 64-bit).</summary>
    public static bool TruncatedByUlong(ulong x) => false;

    /// <summary>vhost_has_feature() (stub).</summary>
    public static bool VhostHasFeature(VhostDev d, int bit) => (d.AckedFeatures & (1UL << bit)) != 0;

    /// <summary>memory_access_ok(): access_ok() of every region's userspace range (stub: no user access).</summary>
    public static bool MemoryAccessOk(VhostDev d, byte[] mem, bool logAll) => true;

    /// <summary>vq_access_ok(): access_ok() of the three rings (stub: no user access).</summary>
    public static bool VqAccessOk(uint num, UserPtr desc, UserPtr avail, UserPtr used) => true;

    /// <summary>log_access_ok(): access_ok() of the dirty log bits for a guest range (stub).</summary>
    public static bool LogAccessOk(UserPtr logBase, ulong addr, ulong sz) => true;

    /// <summary>vq_log_access_ok() (stub).</summary>
    public static bool VqLogAccessOk(VhostVirtqueue vq, UserPtr logBase) => true;

    /// <summary>eventfd_fget(fd): the eventfd's file, or an ERR_PTR (stub).</summary>
    public static File? EventfdFget(int fd) => fd < 0 ? new File { Err = -EBADF } : new File();

    /// <summary>IS_ERR(file).</summary>
    public static bool IsErr(File? f) => f != null && f.Err != 0;

    /// <summary>PTR_ERR(file).</summary>
    public static int PtrErr(File? f) => f?.Err ?? 0;

    /// <summary>eventfd_ctx_fileget() (stub).</summary>
    public static EventfdCtx EventfdCtxFileget(File f) => new();

    /// <summary>eventfd_ctx_put() (stub).</summary>
    public static void EventfdCtxPut(EventfdCtx ctx) { }

    /// <summary>fput() (stub).</summary>
    public static void Fput(File f) { }

    /// <summary>vhost_poll_stop() (stub).</summary>
    public static void VhostPollStop(VhostVirtqueue vq) { }

    /// <summary>vhost_poll_start() (stub).</summary>
    public static void VhostPollStart(VhostVirtqueue vq, File? kick) { }

    /// <summary>vhost_poll_flush() (stub).</summary>
    public static void VhostPollFlush(VhostVirtqueue vq) { }

    /// <summary>vhost_dev_set_owner() (stub).</summary>
    public static long VhostDevSetOwner(VhostDev d) => 0;

    /// <summary>vhost_dev_check_owner() (stub): 0 or -EPERM.</summary>
    public static long VhostDevCheckOwner(VhostDev d) => 0;

    /// <summary>vhost_set_backend_features() (stub).</summary>
    public static void VhostSetBackendFeatures(VhostDev d, ulong features) => d.AckedFeatures = features;

    /// <summary>vhost_dev_ioctl() of v5.10, called with d->mutex held (stub: -ENOIOCTLCMD for the vring ioctls).</summary>
    public static long VhostDevIoctl(VhostDev d, uint cmd, UserPtr argp) => -ENOIOCTLCMD;

    /// <summary>vhost_vdpa_vring_ioctl() (stub).</summary>
    public static long VhostVdpaVringIoctl(VhostVdpaDev v, uint cmd, UserPtr argp) => -ENOIOCTLCMD;

    /// <summary>vhost_vdpa_get_device_id() (stub).</summary>
    public static long VhostVdpaGetDeviceId(VhostVdpaDev v, UserPtr argp) => 0;

    /// <summary>vhost_vdpa_get_status() (stub).</summary>
    public static long VhostVdpaGetStatus(VhostVdpaDev v, UserPtr argp) => 0;

    /// <summary>vhost_vdpa_set_status() (stub).</summary>
    public static long VhostVdpaSetStatus(VhostVdpaDev v, UserPtr argp) => 0;

    /// <summary>vhost_vdpa_get_config() (stub).</summary>
    public static long VhostVdpaGetConfig(VhostVdpaDev v, UserPtr argp) => 0;

    /// <summary>vhost_vdpa_set_config() (stub).</summary>
    public static long VhostVdpaSetConfig(VhostVdpaDev v, UserPtr argp) => 0;

    /// <summary>vhost_vdpa_get_features() (stub).</summary>
    public static long VhostVdpaGetFeatures(VhostVdpaDev v, UserPtr argp) => 0;

    /// <summary>vhost_vdpa_set_features() (stub).</summary>
    public static long VhostVdpaSetFeatures(VhostVdpaDev v, UserPtr argp) => 0;

    /// <summary>vhost_vdpa_get_vring_num() (stub).</summary>
    public static long VhostVdpaGetVringNum(VhostVdpaDev v, UserPtr argp) => 0;

    /// <summary>vhost_vdpa_set_config_call() (stub).</summary>
    public static long VhostVdpaSetConfigCall(VhostVdpaDev v, UserPtr argp) => 0;

    // ---- drivers/md/dm-ioctl.c ----

    /// <summary>vmalloc()/__vmalloc() (stub; may sleep); null when out of memory.</summary>
    [MightSleep]
    public static byte[]? Vmalloc(uint size) => new byte[size];

    /// <summary>kmalloc(size, GFP_NOIO | __GFP_NORETRY | __GFP_NOMEMALLOC | __GFP_NOWARN) (stub).</summary>
    [MightSleep]
    public static byte[]? KmallocNoretry(uint size) => new byte[size];

    /// <summary>kvmalloc(size, GFP_KERNEL | __GFP_HIGH) (stub).</summary>
    [MightSleep]
    public static byte[]? Kvmalloc(uint size) => new byte[size];

    /// <summary>vfree() (stub).</summary>
    public static void Vfree(byte[]? p) { }

    /// <summary>memalloc_noio_save() (stub).</summary>
    public static uint MemallocNoioSave() => 0;

    /// <summary>memalloc_noio_restore() (stub).</summary>
    public static void MemallocNoioRestore(uint flags) { }

    /// <summary>free_params(): wipes the buffer when DM_WIPE_BUFFER is set and frees it (stub).</summary>
    public static void FreeParams(byte[]? param, uint paramSize, int paramFlags)
    {
        if ((paramFlags & 0x0010) != 0 && param != null)
            Array.Clear(param, 0, (int)Math.Min(paramSize, (uint)param.Length));
    }

    // ---- drivers/mtd/mtdchar.c ----

    /// <summary>struct mtd_info.</summary>
    public sealed class MtdInfo
    {
        public ulong Size;
        public uint Writesize = 2048;
        public uint Oobsize = 64;
        public bool HasWriteOob = true;
    }

    /// <summary>struct mtd_file_info.</summary>
    public sealed class MtdFileInfo
    {
        public MtdInfo Mtd = new();
        public int Mode;
    }

    /// <summary>struct mtd_oob_ops.</summary>
    public sealed class MtdOobOps
    {
        public int Mode;
        public ulong Len;
        public ulong Retlen;
        public ulong Ooblen;
        public ulong Oobretlen;
        public uint Ooboffs;
        public byte[]? Datbuf;
        public byte[]? Oobbuf;
    }

    /// <summary>mtd_kmalloc_up_to(): a buffer of at most *size bytes, *size set to its length (stub).</summary>
    [MightSleep]
    public static byte[]? MtdKmallocUpTo(MtdInfo mtd, ref ulong size)
    {
        size = Math.Min(size, 4096UL);
        return new byte[size];
    }

    /// <summary>mtd_read() (stub: the flash driver; kernel memory only).</summary>
    public static int MtdRead(MtdInfo mtd, long from, int len, out ulong retlen, byte[] buf)
    {
        retlen = (ulong)len;
        return 0;
    }

    /// <summary>mtd_read_fact_prot_reg() (stub).</summary>
    public static int MtdReadFactProtReg(MtdInfo mtd, long from, int len, out ulong retlen, byte[] buf)
    {
        retlen = (ulong)len;
        return 0;
    }

    /// <summary>mtd_read_user_prot_reg() (stub).</summary>
    public static int MtdReadUserProtReg(MtdInfo mtd, long from, int len, out ulong retlen, byte[] buf)
    {
        retlen = (ulong)len;
        return 0;
    }

    /// <summary>mtd_read_oob() (stub): fills ops->retlen and ops->oobretlen.</summary>
    public static int MtdReadOob(MtdInfo mtd, long from, MtdOobOps ops)
    {
        ops.Retlen = ops.Len;
        ops.Oobretlen = ops.Ooblen;
        return 0;
    }

    /// <summary>mtd_write_oob() (stub).</summary>
    public static int MtdWriteOob(MtdInfo mtd, long to, MtdOobOps ops)
    {
        ops.Retlen = ops.Len;
        ops.Oobretlen = ops.Ooblen;
        return 0;
    }

    /// <summary>mtd_is_bitflip_or_eccerr(): -EUCLEAN or -EBADMSG.</summary>
    public static bool MtdIsBitflipOrEccerr(int err) => err == -117 || err == -74;

    /// <summary>memdup_user(): kmalloc() and copy_from_user(); null stands for the ERR_PTR (-EFAULT).</summary>
    [MightFault]
    [UserAccess(AccessKind.Read, "src", Size = "len")]
    public static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    // ---- drivers/watchdog/watchdog_dev.c ----

    /// <summary>struct watchdog_device.</summary>
    public sealed class WatchdogDevice
    {
        public byte[] Info = new byte[40];
        public uint InfoOptions;
        public uint Bootstatus;
        public uint Timeout;
    }

    /// <summary>struct watchdog_core_data: wd_data->lock is a mutex the fault path does not take.</summary>
    public sealed class WatchdogCoreData
    {
        public KernelMutex Lock = new();
        public WatchdogDevice? Wdd;
        public bool AllowRelease;
    }

    /// <summary>watchdog_ioctl_op(): the driver's own ioctl, -ENOIOCTLCMD when it has none (stub).</summary>
    public static int WatchdogIoctlOp(WatchdogDevice wdd, uint cmd, ulong arg) => -ENOIOCTLCMD;

    /// <summary>watchdog_get_status() (stub).</summary>
    public static uint WatchdogGetStatus(WatchdogDevice wdd) => 0;

    /// <summary>watchdog_stop() (stub).</summary>
    public static int WatchdogStop(WatchdogDevice wdd) => 0;

    /// <summary>watchdog_start() (stub).</summary>
    public static int WatchdogStart(WatchdogDevice wdd) => 0;

    /// <summary>watchdog_ping() (stub).</summary>
    public static int WatchdogPing(WatchdogDevice wdd) => 0;

    /// <summary>watchdog_set_timeout() (stub).</summary>
    public static int WatchdogSetTimeout(WatchdogDevice wdd, uint timeout)
    {
        wdd.Timeout = timeout;
        return 0;
    }

    /// <summary>watchdog_get_timeleft() (stub).</summary>
    public static int WatchdogGetTimeleft(WatchdogDevice wdd, out uint timeleft)
    {
        timeleft = wdd.Timeout;
        return 0;
    }

    // ---- drivers/hid/hidraw.c ----

    /// <summary>struct hid_device: the report descriptor and identity.</summary>
    public sealed class HidDevice
    {
        public uint Rsize;
        public byte[] Rdesc = new byte[4096];
        public uint Bus;
        public short Vendor;
        public short Product;
        public byte[]? Name;
        public byte[]? Phys;
    }

    /// <summary>struct hidraw.</summary>
    public sealed class HidrawDevice
    {
        public HidDevice Hid = new();
    }

    /// <summary>The open file's minor number (iminor(file->f_path.dentry->d_inode)).</summary>
    public sealed class HidrawFile
    {
        public uint Minor;
    }

    /// <summary>hidraw_table[] (stub).</summary>
    public static readonly HidrawDevice?[] HidrawTable = new HidrawDevice?[64];

    /// <summary>lock_kernel(): the big kernel lock, a sleeping lock here (stub).</summary>
    public static void LockKernel() { }

    /// <summary>unlock_kernel() (stub).</summary>
    public static void UnlockKernel() { }

    /// <summary>_IOC_TYPE().</summary>
    public static uint IocType(uint cmd) => (cmd >> 8) & 0xff;

    /// <summary>_IOC_NR().</summary>
    public static uint IocNr(uint cmd) => cmd & 0xff;

    /// <summary>_IOC_DIR().</summary>
    public static uint IocDir(uint cmd) => cmd >> 30;

    /// <summary>_IOC_SIZE().</summary>
    public static int IocSize(uint cmd) => (int)((cmd >> 16) & 0x3fff);

    /// <summary>HIDIOCGRAWNAME(len) = _IOC(_IOC_READ, 'H', 0x04, len).</summary>
    public static uint HIDIOCGRAWNAME(uint len) => (2u << 30) | (len << 16) | ((uint)'H' << 8) | 0x04u;

    /// <summary>HIDIOCGRAWPHYS(len) = _IOC(_IOC_READ, 'H', 0x05, len).</summary>
    public static uint HIDIOCGRAWPHYS(uint len) => (2u << 30) | (len << 16) | ((uint)'H' << 8) | 0x05u;

    /// <summary>strlen() of a NUL-terminated kernel string.</summary>
    public static int Strlen(byte[] s)
    {
        int n = Array.IndexOf(s, (byte)0);
        return n < 0 ? s.Length : n;
    }
}
