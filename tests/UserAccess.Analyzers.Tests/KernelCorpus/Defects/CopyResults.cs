// Results of user copies read the wrong way: copy_{to,from}_user() return the bytes NOT copied, and three
// drivers returned that count to user space as if it were an errno or a length (Dan Carpenter's "return
// -EFAULT if copy fails" fixes: 585cb132a481 drm/vc4, v4.6; f0f2903de504 platform/x86 apple-gmux, v6.3;
// "drivers/fsi/scom: Return -EFAULT if copy fails", 2023; and Wang Qing's "s390: cio: Return -EFAULT if
// copy_to_user() fails", v5.12); and arch/arc's cmpxchg syscall, whose failing
// __put_user() under preempt_disable() went unhandled until e8708786d4fe "ARC: Improve cmpxchg syscall
// implementation" (v4.19). Device access and buffer objects are stubs.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.CopyResults;

public static class Vc4Bo
{
    // drivers/gpu/drm/vc4/vc4_bo.c, vc4_create_shader_bo_ioctl(), v4.5 (before 585cb132a481). Buggy: a
    // failed copy_from_user() leaves its byte count in ret, and the ioctl returns it as a positive value.
    public static int Vc4CreateShaderBoIoctlV45(ulong size, ulong flags, ulong pad, UserPtr data)
    {
        byte[]? bo;
        int ret;

        if (size == 0)
            return -EINVAL;

        if (size % sizeof(ulong) != 0)
            return -EINVAL;

        if (flags != 0)
            return -EINVAL;

        if (pad != 0)
            return -EINVAL;

        bo = Helpers.Vc4BoCreate(size);
        if (bo == null)
            return -ENOMEM;

        ret = CopyFromUser(bo.AsSpan(0, (int)size), data);
        if (ret != 0)
            goto fail;

        if (!Helpers.Vc4ValidateShader(bo))
        {
            ret = -EINVAL;
            goto fail;
        }

        ret = Helpers.DrmGemHandleCreate(bo);

    fail:
        Helpers.DrmGemObjectUnreference(bo);

        return ret; // expect: UA5002
    }

    // drivers/gpu/drm/vc4/vc4_bo.c, vc4_create_shader_bo_ioctl(), v4.6 (after 585cb132a481). Correct.
    public static int Vc4CreateShaderBoIoctl(ulong size, ulong flags, ulong pad, UserPtr data) // expect: none
    {
        byte[]? bo;
        int ret;

        if (size == 0)
            return -EINVAL;

        if (size % sizeof(ulong) != 0)
            return -EINVAL;

        if (flags != 0)
            return -EINVAL;

        if (pad != 0)
            return -EINVAL;

        bo = Helpers.Vc4BoCreate(size);
        if (bo == null)
            return -ENOMEM;

        if (CopyFromUser(bo.AsSpan(0, (int)size), data) != 0)
        {
            ret = -EFAULT;
            goto fail;
        }

        if (!Helpers.Vc4ValidateShader(bo))
        {
            ret = -EINVAL;
            goto fail;
        }

        ret = Helpers.DrmGemHandleCreate(bo);

    fail:
        Helpers.DrmGemObjectUnreference(bo);

        return ret;
    }
}

public static class AppleGmux
{
    // drivers/platform/x86/apple-gmux.c, gmux_selected_port_data_write(), v6.3-rc1 (before f0f2903de504).
    // Buggy: the debugfs write returns copy_from_user()'s remaining byte count instead of -EFAULT.
    public static long GmuxSelectedPortDataWriteV63(Helpers.GmuxData gmuxData, UserPtr userbuf, long count, long ppos)
    {
        int ret;

        if (ppos != 0)
            return -EINVAL;

        if (count == 1)
        {
            var data = new byte[1];

            ret = CopyFromUser(data, userbuf);
            if (ret != 0)
                return ret; // expect: UA5002
            Helpers.GmuxWrite8(gmuxData, data[0]);
        }
        else if (count == 4)
        {
            var data = new byte[4];

            ret = CopyFromUser(data, userbuf);
            if (ret != 0)
                return ret; // expect: UA5002
            Helpers.GmuxWrite32(gmuxData, BitConverter.ToUInt32(data, 0));
        }
        else
            return -EINVAL;

        return count;
    }

    // drivers/platform/x86/apple-gmux.c, gmux_selected_port_data_write(), v6.3 (after f0f2903de504).
    // Correct.
    public static long GmuxSelectedPortDataWrite(Helpers.GmuxData gmuxData, UserPtr userbuf, long count, long ppos) // expect: none
    {
        if (ppos != 0)
            return -EINVAL;

        if (count == 1)
        {
            var data = new byte[1];

            if (CopyFromUser(data, userbuf) != 0)
                return -EFAULT;
            Helpers.GmuxWrite8(gmuxData, data[0]);
        }
        else if (count == 4)
        {
            var data = new byte[4];

            if (CopyFromUser(data, userbuf) != 0)
                return -EFAULT;
            Helpers.GmuxWrite32(gmuxData, BitConverter.ToUInt32(data, 0));
        }
        else
            return -EINVAL;

        return count;
    }
}

public static class FsiScom
{
    private const int ENODEV = 19;

    // drivers/fsi/fsi-scom.c, scom_read(), v6.3 (before "drivers/fsi/scom: Return -EFAULT if copy fails").
    // Buggy: a failed copy_to_user() makes read() return the bytes not copied, a positive count that user
    // space takes for a short read.
    public static long ScomReadV63(Helpers.ScomDevice scom, UserPtr buf, long len, long offset)
    {
        ulong val = 0;
        int rc;

        if (len != sizeof(ulong))
            return -EINVAL;

        scom.Lock.Lock();
        if (scom.Dead)
            rc = -ENODEV;
        else
            rc = Helpers.GetScom(scom, out val, offset);
        scom.Lock.Unlock();
        if (rc != 0)
            return rc;

        rc = CopyToUser(buf, BitConverter.GetBytes(val).AsSpan(0, (int)len));

        return rc != 0 ? rc : len; // expect: UA5002
    }

    // drivers/fsi/fsi-scom.c, scom_read(), v6.5 (after the fix). Correct.
    public static long ScomRead(Helpers.ScomDevice scom, UserPtr buf, long len, long offset) // expect: none
    {
        ulong val = 0;
        int rc;

        if (len != sizeof(ulong))
            return -EINVAL;

        scom.Lock.Lock();
        if (scom.Dead)
            rc = -ENODEV;
        else
            rc = Helpers.GetScom(scom, out val, offset);
        scom.Lock.Unlock();
        if (rc != 0)
            return rc;

        rc = CopyToUser(buf, BitConverter.GetBytes(val).AsSpan(0, (int)len));

        return rc != 0 ? -EFAULT : len;
    }
}

public static class VfioCcw
{
    private const int VFIO_DEVICE_GET_INFO = 7;
    private const int VFIO_DEVICE_GET_IRQ_INFO = 9;
    private const uint VFIO_CCW_NUM_IRQS = 3;
    private const int ENOTTY = 25;

    // drivers/s390/cio/vfio_ccw_ops.c, vfio_ccw_mdev_ioctl(), v5.11, the GET_INFO and GET_IRQ_INFO cases
    // (struct vfio_device_info and vfio_irq_info: argsz at 0, flags at 4, index/num_regions at 8,
    // count/num_irqs at 12). Buggy: both return copy_to_user()'s remaining byte count from an ioctl that
    // returns -EFAULT and -EINVAL elsewhere.
    public static long VfioCcwMdevIoctlV511(uint cmd, UserPtr arg)
    {
        const int minsz = 16;
        var info = new byte[minsz];
        int ret;

        switch (cmd)
        {
            case VFIO_DEVICE_GET_INFO:
                if (CopyFromUser(info, arg) != 0)
                    return -EFAULT;

                if (BitConverter.ToUInt32(info, 0) < minsz)
                    return -EINVAL;

                ret = Helpers.VfioCcwMdevGetDeviceInfo(info);
                if (ret != 0)
                    return ret;

                return CopyToUser(arg, info); // expect: UA5002

            case VFIO_DEVICE_GET_IRQ_INFO:
                if (CopyFromUser(info, arg) != 0)
                    return -EFAULT;

                if (BitConverter.ToUInt32(info, 0) < minsz || BitConverter.ToUInt32(info, 8) >= VFIO_CCW_NUM_IRQS)
                    return -EINVAL;

                ret = Helpers.VfioCcwMdevGetIrqInfo(info);
                if (ret != 0)
                    return ret;

                if (BitConverter.ToInt32(info, 12) == -1)
                    return -EINVAL;

                return CopyToUser(arg, info); // expect: UA5002

            default:
                return -ENOTTY;
        }
    }

    // drivers/s390/cio/vfio_ccw_ops.c, vfio_ccw_mdev_ioctl(), v5.12 (after the fix). Correct.
    public static long VfioCcwMdevIoctl(uint cmd, UserPtr arg) // expect: none
    {
        const int minsz = 16;
        var info = new byte[minsz];
        int ret;

        switch (cmd)
        {
            case VFIO_DEVICE_GET_INFO:
                if (CopyFromUser(info, arg) != 0)
                    return -EFAULT;

                if (BitConverter.ToUInt32(info, 0) < minsz)
                    return -EINVAL;

                ret = Helpers.VfioCcwMdevGetDeviceInfo(info);
                if (ret != 0)
                    return ret;

                return CopyToUser(arg, info) != 0 ? -EFAULT : 0;

            case VFIO_DEVICE_GET_IRQ_INFO:
                if (CopyFromUser(info, arg) != 0)
                    return -EFAULT;

                if (BitConverter.ToUInt32(info, 0) < minsz || BitConverter.ToUInt32(info, 8) >= VFIO_CCW_NUM_IRQS)
                    return -EINVAL;

                ret = Helpers.VfioCcwMdevGetIrqInfo(info);
                if (ret != 0)
                    return ret;

                if (BitConverter.ToInt32(info, 12) == -1)
                    return -EINVAL;

                return CopyToUser(arg, info) != 0 ? -EFAULT : 0;

            default:
                return -ENOTTY;
        }
    }
}

public static class ArcCmpxchg
{
    private const uint STATUS_Z_MASK = 1 << 11;

    // arch/arc/kernel/process.c, sys_arc_usr_cmpxchg(), v4.18 (before e8708786d4fe; cores without LLOCK/SCOND
    // emulate the atomic with preemption disabled). Buggy: "__put_user() failure not being handled ...
    // specifically for the COW break scenario": the zero page reads fine, the write faults, the fault cannot
    // be handled with preemption disabled, and the stale value is returned to user space as if the compare
    // had failed. The kernel did test __put_user()'s result (`if (!__put_user(new, uaddr))`), but only to set
    // the Z flag: the failure is swallowed, neither returned nor fixed up.
    public static int SysArcUsrCmpxchgV418(UserPtr<int> uaddr, int expected, int newval, ref uint status32)
    {
        int uval = -EFAULT;

        /* Z indicates to userspace if operation succeded */
        status32 &= ~STATUS_Z_MASK;

        if (!AccessOk(uaddr, sizeof(int)))
            return -EFAULT;

        PreemptDisable();

        if (GetUserUnchecked(out uval, uaddr) != 0)
            goto done;

        if (uval == expected)
        {
            if (PutUserUnchecked(newval, uaddr) == 0) // expect: UA5001
                status32 |= STATUS_Z_MASK;
        }

    done:
        PreemptEnable();

        return uval;
    }

    // arch/arc/kernel/process.c, sys_arc_usr_cmpxchg(), v4.19 (after e8708786d4fe). Correct: a failed
    // access re-enables preemption, fixes the fault up under the mmap lock and retries; an unfixable fault
    // sends SIGSEGV.
    public static int SysArcUsrCmpxchg(Mm mm, UserPtr<int> uaddr, int expected, int newval, ref uint status32) // expect: none
    {
        int uval;
        int ret;

        /* Z indicates to userspace if operation succeded */
        status32 &= ~STATUS_Z_MASK;

        if (!AccessOk(uaddr, sizeof(int)))
            return -EFAULT;

    again:
        PreemptDisable();

        ret = GetUserUnchecked(out uval, uaddr);
        if (ret != 0)
            goto fault;

        if (uval != expected)
            goto out_;

        ret = PutUserUnchecked(newval, uaddr);
        if (ret != 0)
            goto fault;

        status32 |= STATUS_Z_MASK;

    out_:
        PreemptEnable();
        return uval;

    fault:
        PreemptEnable();

        if (ret != -EFAULT)
            goto fail;

        MmapReadLock(mm);
        ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
        MmapReadUnlock(mm);

        if (ret == 0)
            goto again;

    fail:
        ForceSig(Signal.SIGSEGV);
        return ret;
    }
}

public static class Helpers
{
    /// <summary>struct apple_gmux_data, reduced to the selected port.</summary>
    public sealed class GmuxData
    {
        public int SelectedPort;
    }

    /// <summary>struct scom_device, reduced to its lock and state.</summary>
    public sealed class ScomDevice(KernelMutex lockPtr)
    {
        public KernelMutex Lock = lockPtr;
        public bool Dead;
    }

    public static byte[]? Vc4BoCreate(ulong size) => new byte[size];

    public static bool Vc4ValidateShader(byte[] bo) => true;

    [ReturnsErrno]
    public static int DrmGemHandleCreate(byte[] bo) => 0;

    public static void DrmGemObjectUnreference(byte[] bo)
    {
    }

    public static void GmuxWrite8(GmuxData gmux, byte data)
    {
    }

    public static void GmuxWrite32(GmuxData gmux, uint data)
    {
    }

    [ReturnsErrno]
    public static int VfioCcwMdevGetDeviceInfo(byte[] info) => 0;

    [ReturnsErrno]
    public static int VfioCcwMdevGetIrqInfo(byte[] info) => 0;

    [ReturnsErrno]
    public static int GetScom(ScomDevice scom, out ulong val, long offset)
    {
        val = 0;
        return 0;
    }
}
