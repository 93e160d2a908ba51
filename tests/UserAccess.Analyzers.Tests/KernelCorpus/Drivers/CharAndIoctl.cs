// drivers/: /dev/mem and /dev/zero reads, ioctl handlers that copy a header then the whole command (four
// double-fetch CVEs of 2016, before and after their fixes), and copy-back idioms of input, drm and mtd.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Drivers;

public static class CharAndIoctl
{
    private const int PAGE_SIZE = 4096;
    private const int EPERM_ = EPERM;
    private const int EOPNOTSUPP = 95;
    private const int ENOENT = 2;

    // drivers/char/mem.c, read_mem(), v5.2 (before "/dev/mem: Bail out upon SIGKILL.", 2019). Buggy:
    // syzbot stalled a killed task for minutes reading 2 GB of /dev/mem in one read(); the loop over the
    // caller's count never looks at signals. (The kernel-side helpers are stubs.)
    public static long ReadMemV52(UserPtr buf, long count, ref long ppos)
    {
        long p = ppos;
        long read, sz;
        int err = 0;
        var bounce = new byte[PAGE_SIZE];

        read = 0;
        while (count > 0) // expect: UA4003
        {
            int remaining;
            int allowed, probe;

            sz = Helpers.SizeInsidePage(p, count);

            err = -EPERM_;
            allowed = Helpers.PageIsAllowed(p >> 12);
            if (allowed == 0)
                goto failed;

            err = -EFAULT;
            if (allowed == 2)
            {
                /* Show zeros for restricted memory. */
                remaining = ClearUser(buf, (int)sz);
            }
            else
            {
                probe = Helpers.ProbeKernelRead(bounce, p, sz);
                if (probe != 0)
                    goto failed;

                remaining = CopyToUser(buf, bounce.AsSpan(0, (int)sz));
            }

            if (remaining != 0)
                goto failed;

            buf += sz;
            p += sz;
            count -= sz;
            read += sz;
        }

        ppos += read;
        return read;

    failed:
        return err;
    }

    // drivers/char/mem.c, read_mem(), v5.3 (after "/dev/mem: Bail out upon SIGKILL."). Correct: the loop
    // condition stops on a fatal signal.
    public static long ReadMem(UserPtr buf, long count, ref long ppos) // expect: none
    {
        long p = ppos;
        long read, sz;
        int err = 0;
        var bounce = new byte[PAGE_SIZE];

        read = 0;
        while (count > 0 && !FatalSignalPending())
        {
            int remaining;
            int allowed, probe;

            sz = Helpers.SizeInsidePage(p, count);

            err = -EPERM_;
            allowed = Helpers.PageIsAllowed(p >> 12);
            if (allowed == 0)
                goto failed;

            err = -EFAULT;
            if (allowed == 2)
            {
                /* Show zeros for restricted memory. */
                remaining = ClearUser(buf, (int)sz);
            }
            else
            {
                probe = Helpers.ProbeKernelRead(bounce, p, sz);
                if (probe != 0)
                    goto failed;

                remaining = CopyToUser(buf, bounce.AsSpan(0, (int)sz));
            }

            if (remaining != 0)
                goto failed;

            buf += sz;
            p += sz;
            count -= sz;
            read += sz;
        }

        ppos += read;
        return read;

    failed:
        return err;
    }

    // drivers/char/mem.c, read_zero(), v5.10. Correct: a page at a time, a partial clear returns what was
    // cleared, and signal_pending() (true for SIGKILL too) ends the loop.
    public static long ReadZero(UserPtr buf, long count) // expect: none
    {
        long cleared = 0;

        while (count != 0)
        {
            long chunk = Math.Min(count, PAGE_SIZE);
            long left;

            left = ClearUser(buf + cleared, (int)chunk);
            if (left != 0)
            {
                cleared += (chunk - left);
                if (cleared == 0)
                    return -EFAULT;
                break;
            }

            cleared += chunk;
            count -= chunk;

            if (SignalPending())
                break;
            CondResched();
        }

        return cleared;
    }

    // drivers/mtd/mtdchar.c, mtd_ioctl() OTPGETREGIONCOUNT/OTPGETREGIONINFO, v2.6.36. Correct: ret holds
    // the bytes not copied only until 'if (ret) ret = -EFAULT;'.
    public static int MtdIoctlOtpGetRegion(bool countOnly, UserPtr argp, int mode, byte[] otpInfo, int regions) // expect: none
    {
        const int MTD_MODE_OTP_FACTORY = 1, MTD_MODE_OTP_USER = 2;
        int ret;

        var buf = new byte[4096];
        ret = -EOPNOTSUPP;
        switch (mode)
        {
            case MTD_MODE_OTP_FACTORY:
            case MTD_MODE_OTP_USER:
                ret = Helpers.GetProtInfo(buf, otpInfo, regions);
                break;
            default:
                break;
        }

        if (ret >= 0)
        {
            if (countOnly)
            {
                int nbr = ret / 12;
                ret = CopyToUser(argp, BitConverter.GetBytes(nbr));
            }
            else
                ret = CopyToUser(argp, buf.AsSpan(0, ret));
            if (ret != 0)
                ret = -EFAULT;
        }

        return ret;
    }

    // drivers/scsi/aacraid/commctrl.c, ioctl_send_fib(), v4.7 (before fa00c437eef8 "aacraid: Check size
    // values after double-fetch from user", CVE-2016-6480). Buggy: the header is copied and its Size
    // checked, then the whole FIB is copied again from the same address and header.Size from the second
    // copy is what is sent. struct aac_fibhdr (32 bytes): Size at 8, SenderSize at 10, Command at 4.
    public static int IoctlSendFibV47(UserPtr arg, int maxFibSize, bool inReset)
    {
        const int FIBHDR = 32;
        byte[] kfib;
        uint size;
        int retval = 0;

        if (inReset)
            return -EBUSY;

        kfib = new byte[maxFibSize];

        /* First copy in the header so that we can check the size field. */
        if (CopyFromUser(kfib.AsSpan(0, FIBHDR), arg) != 0)
            return -EFAULT;

        size = (uint)(BitConverter.ToUInt16(kfib, 8) + FIBHDR);
        if (size < BitConverter.ToUInt16(kfib, 10))
            size = BitConverter.ToUInt16(kfib, 10);
        if (size > maxFibSize)
        {
            if (size > 2048)
            {
                retval = -EINVAL;
                goto cleanup;
            }

            kfib = new byte[size];
        }

        if (CopyFromUser(kfib.AsSpan(0, (int)size), arg) != 0) // expect: UA3003
        {
            retval = -EFAULT;
            goto cleanup;
        }

        retval = Helpers.AacFibSend(BitConverter.ToUInt16(kfib, 4), kfib, BitConverter.ToUInt16(kfib, 8));

    cleanup:
        return retval;
    }

    // drivers/scsi/aacraid/commctrl.c, ioctl_send_fib(), v4.8 (after fa00c437eef8). Correct: the sizes of
    // the second copy are checked against the first before anything uses them.
    public static int IoctlSendFib(UserPtr arg, int maxFibSize, bool inReset) // expect: none
    {
        const int FIBHDR = 32;
        byte[] kfib;
        uint size, osize;
        int retval = 0;

        if (inReset)
            return -EBUSY;

        kfib = new byte[maxFibSize];

        /* First copy in the header so that we can check the size field. */
        if (CopyFromUser(kfib.AsSpan(0, FIBHDR), arg) != 0)
            return -EFAULT;

        osize = size = (uint)(BitConverter.ToUInt16(kfib, 8) + FIBHDR);
        if (size < BitConverter.ToUInt16(kfib, 10))
            size = BitConverter.ToUInt16(kfib, 10);
        if (size > maxFibSize)
        {
            if (size > 2048)
            {
                retval = -EINVAL;
                goto cleanup;
            }

            kfib = new byte[size];
        }

        if (CopyFromUser(kfib.AsSpan(0, (int)size), arg) != 0)
        {
            retval = -EFAULT;
            goto cleanup;
        }

        /* Sanity check the second copy */
        if ((osize != BitConverter.ToUInt16(kfib, 8) + FIBHDR) || (size < BitConverter.ToUInt16(kfib, 10)))
        {
            retval = -EINVAL;
            goto cleanup;
        }

        retval = Helpers.AacFibSend(BitConverter.ToUInt16(kfib, 4), kfib, BitConverter.ToUInt16(kfib, 8));

    cleanup:
        return retval;
    }

    // drivers/platform/chrome/cros_ec_dev.c, ec_device_ioctl_xcmd(), v4.6 (before 096cdc6f52225
    // "platform/chrome: cros_ec_dev - double fetch bug in ioctl", CVE-2016-6156). Buggy: outsize and
    // insize are checked in the first copy, the command is copied again with them and the transfer uses
    // the second copy's. struct cros_ec_command: version 0, command 4, outsize 8, insize 12, result 16,
    // data at 20.
    public static long EcDeviceIoctlXcmdV46(UserPtr arg, uint cmdOffset)
    {
        const int EC_MAX_MSG_BYTES = 0xfc;
        const int HDR = 20;
        long ret;
        var uCmd = new byte[HDR];
        byte[] sCmd;

        if (CopyFromUser(uCmd, arg) != 0)
            return -EFAULT;

        uint outsize = BitConverter.ToUInt32(uCmd, 8), insize = BitConverter.ToUInt32(uCmd, 12);
        if ((outsize > EC_MAX_MSG_BYTES) || (insize > EC_MAX_MSG_BYTES))
            return -EINVAL;

        sCmd = new byte[HDR + Math.Max(outsize, insize)];

        if (CopyFromUser(sCmd.AsSpan(0, (int)(HDR + outsize)), arg) != 0) // expect: UA3003
        {
            ret = -EFAULT;
            goto exit;
        }

        BitConverter.TryWriteBytes(sCmd.AsSpan(4, 4), BitConverter.ToUInt32(sCmd, 4) + cmdOffset);
        ret = Helpers.CrosEcCmdXfer(sCmd);
        /* Only copy data to userland if data was received. */
        if (ret < 0)
            goto exit;

        if (CopyToUser(arg, sCmd.AsSpan(0, (int)(HDR + insize))) != 0)
            ret = -EFAULT;
    exit:
        return ret;
    }

    // drivers/platform/chrome/cros_ec_dev.c, ec_device_ioctl_xcmd(), v4.7 (after 096cdc6f52225). Correct:
    // the second copy's sizes must equal the checked ones.
    public static long EcDeviceIoctlXcmd(UserPtr arg, uint cmdOffset) // expect: none
    {
        const int EC_MAX_MSG_BYTES = 0xfc;
        const int HDR = 20;
        long ret;
        var uCmd = new byte[HDR];
        byte[] sCmd;

        if (CopyFromUser(uCmd, arg) != 0)
            return -EFAULT;

        uint outsize = BitConverter.ToUInt32(uCmd, 8), insize = BitConverter.ToUInt32(uCmd, 12);
        if ((outsize > EC_MAX_MSG_BYTES) || (insize > EC_MAX_MSG_BYTES))
            return -EINVAL;

        sCmd = new byte[HDR + Math.Max(outsize, insize)];

        if (CopyFromUser(sCmd.AsSpan(0, (int)(HDR + outsize)), arg) != 0)
        {
            ret = -EFAULT;
            goto exit;
        }

        if (outsize != BitConverter.ToUInt32(sCmd, 8) || insize != BitConverter.ToUInt32(sCmd, 12))
        {
            ret = -EINVAL;
            goto exit;
        }

        BitConverter.TryWriteBytes(sCmd.AsSpan(4, 4), BitConverter.ToUInt32(sCmd, 4) + cmdOffset);
        ret = Helpers.CrosEcCmdXfer(sCmd);
        /* Only copy data to userland if data was received. */
        if (ret < 0)
            goto exit;

        if (CopyToUser(arg, sCmd.AsSpan(0, (int)(HDR + insize))) != 0)
            ret = -EFAULT;
    exit:
        return ret;
    }

    // drivers/misc/mic/vop/vop_vringh.c, vop_ioctl() MIC_VIRTIO_ADD_DEVICE, v4.6 (before 9bf292bfca94
    // "misc: mic: Fix for double fetch security bug in VOP driver", CVE-2016-5728). Buggy: the descriptor
    // header is checked in the first copy, then memdup_user() fetches it again and the device is added
    // from the second copy. struct mic_device_desc: type 0, num_vq 1, feature_len 2, config_len 3, status 4.
    public static int VopIoctlAddDeviceV46(UserPtr argp, KernelMutex vdevMutex)
    {
        const int MIC_MAX_DESC_BLK_SIZE = 256;
        const int MIC_MAX_VRINGS = 4;
        int ret;
        var dd = new byte[8];

        if (CopyFromUser(dd, argp) != 0)
            return -EFAULT;

        if (Helpers.MicAlignedDescSize(dd) > MIC_MAX_DESC_BLK_SIZE || dd[1] > MIC_MAX_VRINGS)
            return -EINVAL;

        var ddConfig = Helpers.MemdupUser(argp, Helpers.MicDescSize(dd)); // expect: UA3003
        if (ddConfig == null)
            return -EFAULT;

        vdevMutex.Lock();
        ret = Helpers.VopVirtioAddDevice(ddConfig);
        vdevMutex.Unlock();
        return ret;
    }

    // drivers/misc/mic/vop/vop_vringh.c, vop_ioctl() MIC_VIRTIO_ADD_DEVICE, v4.7 (after 9bf292bfca94).
    // Correct: "Ensure desc has not changed between the two reads".
    public static int VopIoctlAddDevice(UserPtr argp, KernelMutex vdevMutex) // expect: none
    {
        const int MIC_MAX_DESC_BLK_SIZE = 256;
        const int MIC_MAX_VRINGS = 4;
        int ret;
        var dd = new byte[8];

        if (CopyFromUser(dd, argp) != 0)
            return -EFAULT;

        if (Helpers.MicAlignedDescSize(dd) > MIC_MAX_DESC_BLK_SIZE || dd[1] > MIC_MAX_VRINGS)
            return -EINVAL;

        var ddConfig = Helpers.MemdupUser(argp, Helpers.MicDescSize(dd));
        if (ddConfig == null)
            return -EFAULT;

        /* Ensure desc has not changed between the two reads */
        if (!dd.AsSpan().SequenceEqual(ddConfig.AsSpan(0, dd.Length)))
        {
            ret = -EINVAL;
            goto free_ret;
        }

        vdevMutex.Lock();
        ret = Helpers.VopVirtioAddDevice(ddConfig);
        vdevMutex.Unlock();
    free_ret:
        return ret;
    }

    // drivers/s390/char/sclp_ctl.c, sclp_ctl_ioctl_sccb(), v4.6 (before 532c34b5fbf1 "s390/sclp_ctl: fix
    // potential information leak with /dev/sclp", CVE-2016-6130). Buggy: the SCCB length is read and
    // checked, the SCCB is copied again with it, and the second copy's length decides how much is copied
    // back. struct sclp_ctl_sccb: cmdw u32 at 0, sccb u64 at 8; sccb_header.length u16 at 0.
    public static int SclpCtlIoctlSccbV46(UserPtr userArea)
    {
        var ctlSccb = new byte[16];
        var sccb = new byte[PAGE_SIZE];
        int rc;

        if (CopyFromUser(ctlSccb, userArea) != 0)
            return -EFAULT;
        if (!Helpers.SclpCtlCmdwSupported(BitConverter.ToUInt32(ctlSccb, 0)))
            return -EOPNOTSUPP;
        var uSccb = new UserPtr(BitConverter.ToUInt64(ctlSccb, 8));
        if (CopyFromUser(sccb.AsSpan(0, 8), uSccb) != 0)
        {
            rc = -EFAULT;
            goto out_free;
        }

        if (BitConverter.ToUInt16(sccb, 0) > PAGE_SIZE || BitConverter.ToUInt16(sccb, 0) < 8)
            return -EINVAL;
        if (CopyFromUser(sccb.AsSpan(0, BitConverter.ToUInt16(sccb, 0)), uSccb) != 0) // expect: UA3003
        {
            rc = -EFAULT;
            goto out_free;
        }

        rc = Helpers.SclpSyncRequest(BitConverter.ToUInt32(ctlSccb, 0), sccb);
        if (rc != 0)
            goto out_free;
        if (CopyToUser(uSccb, sccb.AsSpan(0, BitConverter.ToUInt16(sccb, 0))) != 0)
            rc = -EFAULT;
    out_free:
        return rc;
    }

    // drivers/s390/char/sclp_ctl.c, sclp_ctl_ioctl_sccb(), v4.7 (after 532c34b5fbf1). Correct: one copy of
    // the whole page; a partial copy is accepted and the length must lie within what was copied.
    public static int SclpCtlIoctlSccb(UserPtr userArea) // expect: none
    {
        var ctlSccb = new byte[16];
        var sccb = new byte[PAGE_SIZE];
        long copied;
        int rc;

        if (CopyFromUser(ctlSccb, userArea) != 0)
            return -EFAULT;
        if (!Helpers.SclpCtlCmdwSupported(BitConverter.ToUInt32(ctlSccb, 0)))
            return -EOPNOTSUPP;
        var uSccb = new UserPtr(BitConverter.ToUInt64(ctlSccb, 8));
        copied = PAGE_SIZE - CopyFromUser(sccb, uSccb);
        if (0 + sizeof(ushort) > copied || BitConverter.ToUInt16(sccb, 0) > copied)
        {
            rc = -EFAULT;
            goto out_free;
        }

        if (BitConverter.ToUInt16(sccb, 0) < 8)
        {
            rc = -EINVAL;
            goto out_free;
        }

        rc = Helpers.SclpSyncRequest(BitConverter.ToUInt32(ctlSccb, 0), sccb);
        if (rc != 0)
            goto out_free;
        if (CopyToUser(uSccb, sccb.AsSpan(0, BitConverter.ToUInt16(sccb, 0))) != 0)
            rc = -EFAULT;
    out_free:
        return rc;
    }

    // drivers/input/evdev.c, bits_to_user() (the native variant), v5.15. Correct: returns -EFAULT or the
    // length, never the byte count.
    public static int BitsToUser(byte[] bits, uint maxbit, uint maxlen, UserPtr p) // expect: none
    {
        int len = (int)((maxbit + 63) / 64) * sizeof(long);

        if (len > maxlen)
            len = (int)maxlen;

        return CopyToUser(p, bits.AsSpan(0, len)) != 0 ? -EFAULT : len;
    }

    // drivers/input/evdev.c, str_to_user(), v5.15. Correct.
    public static int StrToUser(byte[]? str, uint maxlen, UserPtr p) // expect: none
    {
        int len;

        if (str == null)
            return -ENOENT;

        len = Array.IndexOf(str, (byte)0) + 1;
        if (len > maxlen)
            len = (int)maxlen;

        return CopyToUser(p, str.AsSpan(0, len)) != 0 ? -EFAULT : len;
    }

    // drivers/gpu/drm/drm_ioctl.c, drm_ioctl() argument copy, v5.15. Correct: copy in, zero the rest,
    // call, copy out; each failure becomes -EFAULT.
    public static long DrmIoctl(UserPtr arg, uint inSize, uint outSize, uint ksize) // expect: none
    {
        int retcode;
        var kdata = new byte[Math.Max(ksize, Math.Max(inSize, outSize))];

        if (CopyFromUser(kdata.AsSpan(0, (int)inSize), arg) != 0)
        {
            retcode = -EFAULT;
            goto err_i1;
        }

        if (ksize > inSize)
            kdata.AsSpan((int)inSize, (int)(ksize - inSize)).Clear();

        retcode = Helpers.DrmIoctlKernel(kdata);
        if (CopyToUser(arg, kdata.AsSpan(0, (int)outSize)) != 0)
            retcode = -EFAULT;

    err_i1:
        return retcode;
    }
}

internal static class Helpers
{
    public static long SizeInsidePage(long start, long size) => Math.Min(4096 - (start & 4095), size);

    public static int PageIsAllowed(long pfn) => 1;

    /// <summary>probe_kernel_read(): a kernel-to-kernel copy that tolerates faults.</summary>
    public static int ProbeKernelRead(byte[] dst, long src, long size) => 0;

    public static int GetProtInfo(byte[] buf, byte[] info, int regions)
    {
        info.AsSpan(0, Math.Min(info.Length, buf.Length)).CopyTo(buf);
        return regions * 12;
    }

    public static int AacFibSend(ushort command, byte[] fib, ushort size) => 0;

    public static long CrosEcCmdXfer(byte[] cmd) => 0;

    public static int MicDescSize(byte[] dd) => 8 + dd[1] * 16 + dd[2] * 2 + dd[3];

    public static int MicAlignedDescSize(byte[] dd) => (MicDescSize(dd) + 7) & ~7;

    /// <summary>memdup_user(): kmalloc() and copy_from_user(); null stands for the ERR_PTR.</summary>
    [MightFault]
    [UserAccess(AccessKind.Read, "src", Size = "len")]
    public static byte[]? MemdupUser(UserPtr src, int len)
    {
        var p = new byte[len];
        return CopyFromUser(p, src) != 0 ? null : p;
    }

    /// <summary>
    /// vop_virtio_add_device(): the device type (0) and num_vq (1) vrings, each set up from its struct
    /// mic_vqconfig after the 8-byte descriptor (16 bytes each, as MicDescSize() counts them: the ring's address,
    /// then its num, a u16 at 8). The vring setup is a stub.
    /// </summary>
    [MightSleep]
    public static int VopVirtioAddDevice(byte[] ddConfig)
    {
        byte type = ddConfig[0];
        int numVq = ddConfig[1];
        int ret = 0;
        for (int i = 0; i < numVq && ret == 0; i++)
            ret = VopSetupVring(type, i, BitConverter.ToUInt16(ddConfig, 8 + i * 16 + 8));
        return ret;
    }

    /// <summary>The vring of one virtqueue.</summary>
    public static int VopSetupVring(byte type, int index, ushort num) => 0;

    public static bool SclpCtlCmdwSupported(uint cmdw) => true;

    [MightSleep]
    public static int SclpSyncRequest(uint cmdw, byte[] sccb) => 0;

    public static int DrmIoctlKernel(byte[] kdata) => 0;
}
