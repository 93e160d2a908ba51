// Held out: code the rules were not tuned on. How user memory is read and its results used, in drivers and
// arch code, each before and after the kernel's own fix:
// - drivers/media/radio/si4713-i2c.c si4713_write_econtrol_string() and si4713_read_econtrol_string(), and
//   drivers/media/dvb/dvb-core/dvb_ca_en50221.c dvb_ca_en50221_io_read(): copy_*_user()'s count of bytes
//   not copied tested for < 0 or returned as the result, before Dan Carpenter's "media/radio: fix
//   copy_to_user to user handling" and "V4L/DVB: dvb_ca_en50221: return -EFAULT on copy_to_user errors"
//   (June 2010);
// - arch/i386/math-emu/reg_ld_str.c FPU_load_int64() and fsave(): copy results ignored, before Randy
//   Dunlap's "i386/math-emu: fix must_checks" (v2.6.19);
// - drivers/gpu/drm/xe/xe_exec_queue.c exec_queue_user_ext_set_property() and exec_queue_user_extensions():
//   __copy_from_user() of a user extension chain with no access_ok(), before aef87a5fdb51 "drm/xe: Use
//   copy_from_user() instead of __copy_from_user()" (v6.16);
// - drivers/message/fusion/mptctl.c __mptctl_ioctl() and mptctl_do_reset() after 28d76df18f0a "scsi:
//   mptfusion: Fix double fetch bug in ioctl" (CVE-2020-12652), which hands the handlers the adapter the
//   dispatcher looked up and locked (before it: DispatchHandlers.cs).
// Device commands, ring buffers, the emulator's register file and the GPU queues are stubs; the user
// pointers, the copies, their checks and the control flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.DataPath;

/// <summary>struct v4l2_ext_control, as the V4L2 core hands it to the subdevice: the string control's user buffer.</summary>
public sealed class V4l2ExtControl
{
    public uint Id;
    public uint Size;
    public UserPtr String;
}

/// <summary>struct si4713_device: the RDS strings the driver keeps (NUL-terminated).</summary>
public sealed class Si4713Device
{
    public byte[] RdsPsName = new byte[Si4713.MAX_RDS_PS_NAME + 1];
    public byte[] RdsRadioText = new byte[Si4713.MAX_RDS_RADIO_TEXT + 1];
}

public static class Si4713
{
    public const int MAX_RDS_PS_NAME = 96;
    public const int MAX_RDS_RADIO_TEXT = 384;
    private const uint V4L2_CID_FM_TX_CLASS_BASE = 0x009b0900;
    private const uint V4L2_CID_RDS_TX_PS_NAME = V4L2_CID_FM_TX_CLASS_BASE + 5;
    private const uint V4L2_CID_RDS_TX_RADIO_TEXT = V4L2_CID_FM_TX_CLASS_BASE + 6;
    private const int ERANGE = 34;
    private const int ENOSPC = 28;

    // drivers/media/radio/si4713-i2c.c, si4713_write_econtrol_string(), v2.6.32 (before Dan Carpenter's
    // "media/radio: fix copy_to_user to user handling", June 2010). Buggy: "copy_to/from_user() returns the
    // number of bytes remaining to be copied but the code here was testing for negative returns": a faulting
    // copy never takes the error path, and the zero-filled name is sent to the transmitter as if the user had
    // written it; the caller, si4713_s_ext_ctrls(), "only tests for negative error codes".
    public static int Si4713WriteEcontrolStringV2632(Si4713Device sdev, V4l2ExtControl control)
    {
        var vqc = new Helpers.V4l2Queryctrl();
        int len;
        int rval = 0;

        vqc.Id = control.Id;
        rval = Helpers.Si4713Queryctrl(sdev, vqc);
        if (rval < 0)
            goto exit;

        switch (control.Id)
        {
            case V4L2_CID_RDS_TX_PS_NAME:
            {
                var psName = new byte[MAX_RDS_PS_NAME + 1];

                len = (int)control.Size - 1;
                if (len < 0 || len > MAX_RDS_PS_NAME)
                {
                    rval = -ERANGE;
                    goto exit;
                }
                rval = CopyFromUser(psName.AsSpan(0, len), control.String);
                if (rval < 0) // expect: UA5002
                    goto exit;
                psName[len] = 0;

                if (Helpers.Strlen(psName) % vqc.Step != 0)
                {
                    rval = -ERANGE;
                    goto exit;
                }

                rval = Helpers.Si4713SetRdsPsName(sdev, psName);
            }
                break;

            case V4L2_CID_RDS_TX_RADIO_TEXT:
            {
                var radioText = new byte[MAX_RDS_RADIO_TEXT + 1];

                len = (int)control.Size - 1;
                if (len < 0 || len > MAX_RDS_RADIO_TEXT)
                {
                    rval = -ERANGE;
                    goto exit;
                }
                rval = CopyFromUser(radioText.AsSpan(0, len), control.String);
                if (rval < 0) // expect: UA5002
                    goto exit;
                radioText[len] = 0;

                if (Helpers.Strlen(radioText) % vqc.Step != 0)
                {
                    rval = -ERANGE;
                    goto exit;
                }

                rval = Helpers.Si4713SetRdsRadioText(sdev, radioText);
            }
                break;

            default:
                rval = -EINVAL;
                break;
        }

    exit:
        return rval;
    }

    // drivers/media/radio/si4713-i2c.c, si4713_write_econtrol_string(), after Dan Carpenter's fix (v2.6.36).
    // Correct: a short copy stores -EFAULT and leaves.
    public static int Si4713WriteEcontrolString(Si4713Device sdev, V4l2ExtControl control) // expect: none
    {
        var vqc = new Helpers.V4l2Queryctrl();
        int len;
        int rval = 0;

        vqc.Id = control.Id;
        rval = Helpers.Si4713Queryctrl(sdev, vqc);
        if (rval < 0)
            goto exit;

        switch (control.Id)
        {
            case V4L2_CID_RDS_TX_PS_NAME:
            {
                var psName = new byte[MAX_RDS_PS_NAME + 1];

                len = (int)control.Size - 1;
                if (len < 0 || len > MAX_RDS_PS_NAME)
                {
                    rval = -ERANGE;
                    goto exit;
                }
                rval = CopyFromUser(psName.AsSpan(0, len), control.String);
                if (rval != 0)
                {
                    rval = -EFAULT;
                    goto exit;
                }
                psName[len] = 0;

                if (Helpers.Strlen(psName) % vqc.Step != 0)
                {
                    rval = -ERANGE;
                    goto exit;
                }

                rval = Helpers.Si4713SetRdsPsName(sdev, psName);
            }
                break;

            case V4L2_CID_RDS_TX_RADIO_TEXT:
            {
                var radioText = new byte[MAX_RDS_RADIO_TEXT + 1];

                len = (int)control.Size - 1;
                if (len < 0 || len > MAX_RDS_RADIO_TEXT)
                {
                    rval = -ERANGE;
                    goto exit;
                }
                rval = CopyFromUser(radioText.AsSpan(0, len), control.String);
                if (rval != 0)
                {
                    rval = -EFAULT;
                    goto exit;
                }
                radioText[len] = 0;

                if (Helpers.Strlen(radioText) % vqc.Step != 0)
                {
                    rval = -ERANGE;
                    goto exit;
                }

                rval = Helpers.Si4713SetRdsRadioText(sdev, radioText);
            }
                break;

            default:
                rval = -EINVAL;
                break;
        }

    exit:
        return rval;
    }

    // drivers/media/radio/si4713-i2c.c, si4713_read_econtrol_string(), v2.6.32 (before the same fix). Buggy:
    // copy_to_user()'s count of bytes not copied is the function's result, and si4713_g_ext_ctrls() tests it
    // for < 0 only, so a read of the RDS string into an unmapped buffer reports success ("I modified it to
    // return -EFAULT").
    public static int Si4713ReadEcontrolStringV2632(Si4713Device sdev, V4l2ExtControl control)
    {
        int rval = 0;

        switch (control.Id)
        {
            case V4L2_CID_RDS_TX_PS_NAME:
                if (Helpers.Strlen(sdev.RdsPsName) + 1 > control.Size)
                {
                    control.Size = MAX_RDS_PS_NAME + 1;
                    rval = -ENOSPC;
                    goto exit;
                }
                rval = CopyToUser(control.String, sdev.RdsPsName.AsSpan(0, Helpers.Strlen(sdev.RdsPsName) + 1));
                break;

            case V4L2_CID_RDS_TX_RADIO_TEXT:
                if (Helpers.Strlen(sdev.RdsRadioText) + 1 > control.Size)
                {
                    control.Size = MAX_RDS_RADIO_TEXT + 1;
                    rval = -ENOSPC;
                    goto exit;
                }
                rval = CopyToUser(control.String, sdev.RdsRadioText.AsSpan(0, Helpers.Strlen(sdev.RdsRadioText) + 1));
                break;

            default:
                rval = -EINVAL;
                break;
        }

    exit:
        return rval; // expect: UA5002
    }

    // drivers/media/radio/si4713-i2c.c, si4713_read_econtrol_string(), after the fix (v2.6.36). Correct: the
    // count is turned into -EFAULT where it is made.
    public static int Si4713ReadEcontrolString(Si4713Device sdev, V4l2ExtControl control) // expect: none
    {
        int rval = 0;

        switch (control.Id)
        {
            case V4L2_CID_RDS_TX_PS_NAME:
                if (Helpers.Strlen(sdev.RdsPsName) + 1 > control.Size)
                {
                    control.Size = MAX_RDS_PS_NAME + 1;
                    rval = -ENOSPC;
                    goto exit;
                }
                rval = CopyToUser(control.String, sdev.RdsPsName.AsSpan(0, Helpers.Strlen(sdev.RdsPsName) + 1));
                if (rval != 0)
                    rval = -EFAULT;
                break;

            case V4L2_CID_RDS_TX_RADIO_TEXT:
                if (Helpers.Strlen(sdev.RdsRadioText) + 1 > control.Size)
                {
                    control.Size = MAX_RDS_RADIO_TEXT + 1;
                    rval = -ENOSPC;
                    goto exit;
                }
                rval = CopyToUser(control.String, sdev.RdsRadioText.AsSpan(0, Helpers.Strlen(sdev.RdsRadioText) + 1));
                if (rval != 0)
                    rval = -EFAULT;
                break;

            default:
                rval = -EINVAL;
                break;
        }

    exit:
        return rval;
    }
}

public static class DvbCa
{
    private const int EIO = 5;
    private const int EWOULDBLOCK = EAGAIN;

    // drivers/media/dvb/dvb-core/dvb_ca_en50221.c, dvb_ca_en50221_io_read(), v2.6.34 (before Dan Carpenter's
    // "V4L/DVB: dvb_ca_en50221: return -EFAULT on copy_to_user errors", June 2010; file->private_data and
    // O_NONBLOCK are the parameters, the ring buffer calls are stubs). Buggy: "copy_to_user() returns the
    // number of bytes remaining to be copied which isn't the right thing to return here": when the 2-byte
    // header cannot be stored, read() returns 1 or 2 as a byte count, and the packet has already been taken
    // off the ring.
    public static long DvbCaEn50221IoReadV2634(Helpers.DvbCaPrivate ca, bool nonblock, UserPtr buf, ulong count)
    {
        int status;
        int result = 0;
        var hdr = new byte[2];
        int slot;
        int connectionId = -1;
        long idx, idx2;
        int lastFragment = 0;
        long fraglen;
        int pktlen;
        int dispose = 0;

        /* dprintk("%s\n", __func__); */

        /* Outgoing packet has a 2 byte header. hdr[0] = slot_id, hdr[1] = connection_id */
        if (count < 2)
            return -EINVAL;

        /* wait for some data */
        if ((status = Helpers.DvbCaEn50221IoReadCondition(ca, ref result, out slot)) == 0)
        {
            /* if we're in nonblocking mode, exit immediately */
            if (nonblock)
                return -EWOULDBLOCK;

            /* wait for some data */
            status = Helpers.WaitEventInterruptibleReadCondition(ca, ref result, out slot);
        }
        if ((status < 0) || (result < 0))
        {
            if (result != 0)
                return result;
            return status;
        }

        idx = Helpers.DvbRingbufferPktNext(ca.SlotInfo[slot].RxBuffer, -1, out fraglen);
        pktlen = 2;
        do
        {
            if (idx == -1)
            {
                /* printk("dvb_ca adapter %d: BUG: read packet ended before last_fragment encountered\n", ...); */
                status = -EIO;
                goto exit;
            }

            Helpers.DvbRingbufferPktRead(ca.SlotInfo[slot].RxBuffer, idx, 0, hdr, 2);
            if (connectionId == -1)
                connectionId = hdr[0];
            if (hdr[0] == connectionId)
            {
                if ((ulong)pktlen < count)
                {
                    if ((ulong)(pktlen + fraglen - 2) > count)
                    {
                        fraglen = (long)(count - (ulong)pktlen);
                    }
                    else
                    {
                        fraglen -= 2;
                    }

                    if ((status = Helpers.DvbRingbufferPktReadUser(ca.SlotInfo[slot].RxBuffer, idx, 2,
                                                                    buf + pktlen, fraglen)) < 0)
                    {
                        goto exit;
                    }
                    pktlen += (int)fraglen;
                }

                if ((hdr[1] & 0x80) == 0)
                    lastFragment = 1;
                dispose = 1;
            }

            idx2 = Helpers.DvbRingbufferPktNext(ca.SlotInfo[slot].RxBuffer, idx, out fraglen);
            if (dispose != 0)
                Helpers.DvbRingbufferPktDispose(ca.SlotInfo[slot].RxBuffer, idx);
            idx = idx2;
            dispose = 0;
        } while (lastFragment == 0);

        hdr[0] = (byte)slot;
        hdr[1] = (byte)connectionId;
        if ((status = CopyToUser(buf, hdr)) != 0)
            goto exit;
        status = pktlen;

    exit:
        return status; // expect: UA5002
    }

    // drivers/media/dvb/dvb-core/dvb_ca_en50221.c, dvb_ca_en50221_io_read(), v2.6.37 (after the fix).
    // Correct: a short copy of the header stores -EFAULT.
    public static long DvbCaEn50221IoRead(Helpers.DvbCaPrivate ca, bool nonblock, UserPtr buf, ulong count) // expect: none
    {
        int status;
        int result = 0;
        var hdr = new byte[2];
        int slot;
        int connectionId = -1;
        long idx, idx2;
        int lastFragment = 0;
        long fraglen;
        int pktlen;
        int dispose = 0;

        /* dprintk("%s\n", __func__); */

        /* Outgoing packet has a 2 byte header. hdr[0] = slot_id, hdr[1] = connection_id */
        if (count < 2)
            return -EINVAL;

        /* wait for some data */
        if ((status = Helpers.DvbCaEn50221IoReadCondition(ca, ref result, out slot)) == 0)
        {
            /* if we're in nonblocking mode, exit immediately */
            if (nonblock)
                return -EWOULDBLOCK;

            /* wait for some data */
            status = Helpers.WaitEventInterruptibleReadCondition(ca, ref result, out slot);
        }
        if ((status < 0) || (result < 0))
        {
            if (result != 0)
                return result;
            return status;
        }

        idx = Helpers.DvbRingbufferPktNext(ca.SlotInfo[slot].RxBuffer, -1, out fraglen);
        pktlen = 2;
        do
        {
            if (idx == -1)
            {
                /* printk("dvb_ca adapter %d: BUG: read packet ended before last_fragment encountered\n", ...); */
                status = -EIO;
                goto exit;
            }

            Helpers.DvbRingbufferPktRead(ca.SlotInfo[slot].RxBuffer, idx, 0, hdr, 2);
            if (connectionId == -1)
                connectionId = hdr[0];
            if (hdr[0] == connectionId)
            {
                if ((ulong)pktlen < count)
                {
                    if ((ulong)(pktlen + fraglen - 2) > count)
                    {
                        fraglen = (long)(count - (ulong)pktlen);
                    }
                    else
                    {
                        fraglen -= 2;
                    }

                    if ((status = Helpers.DvbRingbufferPktReadUser(ca.SlotInfo[slot].RxBuffer, idx, 2,
                                                                    buf + pktlen, fraglen)) < 0)
                    {
                        goto exit;
                    }
                    pktlen += (int)fraglen;
                }

                if ((hdr[1] & 0x80) == 0)
                    lastFragment = 1;
                dispose = 1;
            }

            idx2 = Helpers.DvbRingbufferPktNext(ca.SlotInfo[slot].RxBuffer, idx, out fraglen);
            if (dispose != 0)
                Helpers.DvbRingbufferPktDispose(ca.SlotInfo[slot].RxBuffer, idx);
            idx = idx2;
            dispose = 0;
        } while (lastFragment == 0);

        hdr[0] = (byte)slot;
        hdr[1] = (byte)connectionId;
        status = CopyToUser(buf, hdr);
        if (status != 0)
        {
            status = -EFAULT;
            goto exit;
        }
        status = pktlen;

    exit:
        return status;
    }
}

public static class MathEmu
{
    private const int SIGSEGV = 11;
    private const int TAG_Zero = 1;
    private const int SIGN_Positive = 0x00;
    private const int SIGN_Negative = 0x8000;

    // arch/i386/math-emu/reg_ld_str.c, FPU_load_int64() (fild m64int), v2.6.18 (before Randy Dunlap's
    // "i386/math-emu: fix must_checks", v2.6.19). FPU_access_ok() is `if (!access_ok(...)) math_abort(
    // FPU_info, SIGSEGV)`, and math_abort() sends the signal and unwinds the emulator's stack: it does not
    // return (the throw). RE_ENTRANT_CHECK_OFF/ON are debug markers (comments). Buggy: the copy_from_user()
    // result is dropped, so an integer operand on an unmapped page loads as +0 (copy_from_user() zero-fills)
    // instead of raising SIGSEGV as the fix makes it (`if (copy_from_user(&s,_s,8)) FPU_abort;`).
    public static int FpuLoadInt64V2618(UserPtr<long> _s)
    {
        long s;
        int sign;
        Helpers.FpuReg st0Ptr = Helpers.St(0);

        /* RE_ENTRANT_CHECK_OFF; */
        if (!AccessOk(_s, 8)) /* FPU_access_ok(VERIFY_READ, _s, 8); */
            throw Helpers.MathAbort(SIGSEGV);
        CopyFromUser(out s, _s); // expect: UA5001
        /* RE_ENTRANT_CHECK_ON; */

        if (s == 0)
        {
            Helpers.RegCopy(Helpers.ConstZ, st0Ptr);
            return TAG_Zero;
        }

        if (s > 0)
            sign = SIGN_Positive;
        else
        {
            s = -s;
            sign = SIGN_Negative;
        }

        st0Ptr.Significand = (ulong)s;

        return Helpers.NormalizeNoExcep(st0Ptr, 63, sign);
    }

    // arch/i386/math-emu/reg_ld_str.c, FPU_load_int64(), v2.6.19 (after the fix; FPU_abort is
    // math_abort(FPU_info, SIGSEGV)). Correct.
    public static int FpuLoadInt64(UserPtr<long> _s) // expect: none
    {
        long s;
        int sign;
        Helpers.FpuReg st0Ptr = Helpers.St(0);

        /* RE_ENTRANT_CHECK_OFF; */
        if (!AccessOk(_s, 8)) /* FPU_access_ok(VERIFY_READ, _s, 8); */
            throw Helpers.MathAbort(SIGSEGV);
        if (CopyFromUser(out s, _s) != 0)
            throw Helpers.MathAbort(SIGSEGV); /* FPU_abort; */
        /* RE_ENTRANT_CHECK_ON; */

        if (s == 0)
        {
            Helpers.RegCopy(Helpers.ConstZ, st0Ptr);
            return TAG_Zero;
        }

        if (s > 0)
            sign = SIGN_Positive;
        else
        {
            s = -s;
            sign = SIGN_Negative;
        }

        st0Ptr.Significand = (ulong)s;

        return Helpers.NormalizeNoExcep(st0Ptr, 63, sign);
    }

    // arch/i386/math-emu/reg_ld_str.c, fsave(), v2.6.18 (before the same fix; fstenv(), which stores the
    // 14- or 28-byte environment and returns the address past it, is a stub; register_base is the 80-byte
    // register stack). Buggy: both __copy_to_user() results are dropped, so an fsave to a read-only or
    // unmapped buffer "succeeds", reinitialises the FPU (finit()) and loses the registers it was meant to
    // save. The range is checked for the 80 bytes first (offset + other == 80).
    public static void FsaveV2618(Helpers.FpuAddrModes addrModes, UserPtr dataAddress)
    {
        UserPtr d;
        int offset = (Helpers.Top & 7) * 10, other = 80 - offset;

        d = Helpers.Fstenv(addrModes, dataAddress);

        /* RE_ENTRANT_CHECK_OFF; */
        if (!AccessOk(d, 80)) /* FPU_access_ok(VERIFY_WRITE,d,80); */
            throw Helpers.MathAbort(SIGSEGV);

        /* Copy all registers in stack order. */
        Helpers.CopyToUserUnchecked(d, Helpers.RegisterBase.AsSpan(offset, other)); // expect: UA5001
        if (offset != 0)
            Helpers.CopyToUserUnchecked(d + other, Helpers.RegisterBase.AsSpan(0, offset)); // expect: UA5001
        /* RE_ENTRANT_CHECK_ON; */

        Helpers.Finit();
    }

    // arch/i386/math-emu/reg_ld_str.c, fsave(), v2.6.19 (after the fix). Correct: a failed store raises
    // SIGSEGV before the registers are reset.
    public static void Fsave(Helpers.FpuAddrModes addrModes, UserPtr dataAddress) // expect: none
    {
        UserPtr d;
        int offset = (Helpers.Top & 7) * 10, other = 80 - offset;

        d = Helpers.Fstenv(addrModes, dataAddress);

        /* RE_ENTRANT_CHECK_OFF; */
        if (!AccessOk(d, 80)) /* FPU_access_ok(VERIFY_WRITE,d,80); */
            throw Helpers.MathAbort(SIGSEGV);

        /* Copy all registers in stack order. */
        if (Helpers.CopyToUserUnchecked(d, Helpers.RegisterBase.AsSpan(offset, other)) != 0)
            throw Helpers.MathAbort(SIGSEGV); /* FPU_abort; */
        if (offset != 0)
            if (Helpers.CopyToUserUnchecked(d + other, Helpers.RegisterBase.AsSpan(0, offset)) != 0)
                throw Helpers.MathAbort(SIGSEGV); /* FPU_abort; */
        /* RE_ENTRANT_CHECK_ON; */

        Helpers.Finit();
    }
}

public static class XeExecQueue
{
    private const int E2BIG = 7;
    private const int MAX_USER_EXTENSIONS = 16;
    private const uint DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY = 0;
    private const uint DRM_XE_EXEC_QUEUE_SET_PROPERTY_TIMESLICE = 1;
    private const uint DRM_XE_EXEC_QUEUE_SET_PROPERTY_PXP_TYPE = 2;

    /* struct drm_xe_user_extension: next_extension at 0, name at 8, pad at 12. */
    private const int SIZEOF_DRM_XE_USER_EXTENSION = 16;

    /* struct drm_xe_ext_set_property: base at 0, property at 16, pad at 20, value at 24, reserved[2] at 32. */
    private const int SIZEOF_DRM_XE_EXT_SET_PROPERTY = 48;

    private static readonly Func<Helpers.XeDevice, Helpers.XeExecQueue, ulong, int>?[] s_execQueueSetPropertyFuncs =
    {
        Helpers.ExecQueueSetPriority,
        Helpers.ExecQueueSetTimeslice,
        Helpers.ExecQueueSetPxpType,
    };

    private static readonly Func<Helpers.XeDevice, Helpers.XeExecQueue, ulong, int>[] s_execQueueUserExtensionFuncsV615 =
    {
        ExecQueueUserExtSetPropertyV615,
    };

    private static readonly Func<Helpers.XeDevice, Helpers.XeExecQueue, ulong, int>[] s_execQueueUserExtensionFuncs =
    {
        ExecQueueUserExtSetProperty,
    };

    // drivers/gpu/drm/xe/xe_exec_queue.c, exec_queue_user_ext_set_property(), v6.15 (before aef87a5fdb51
    // "drm/xe: Use copy_from_user() instead of __copy_from_user()", v6.16; the property setters are stubs).
    // Buggy: the extension's address is a u64 from the DRM_IOCTL_XE_EXEC_QUEUE_CREATE argument, and
    // __copy_from_user() reads it with no access_ok() anywhere on the way (Dan Carpenter's smatch report on
    // the same driver: "warn: calling '__copy_from_user()' without access_ok()"), so a kernel address is read
    // as the extension.
    public static int ExecQueueUserExtSetPropertyV615(Helpers.XeDevice xe, Helpers.XeExecQueue q, ulong extension)
    {
        UserPtr address = new UserPtr(extension);
        var ext = new byte[SIZEOF_DRM_XE_EXT_SET_PROPERTY];
        int err;
        uint idx;

        err = Helpers.CopyFromUserUnchecked(ext, address); // expect: UA5003
        if (Helpers.XeIoctlDbg(xe, err != 0))
            return -EFAULT;

        if (Helpers.XeIoctlDbg(xe, BitConverter.ToUInt32(ext, 16) >=
                         s_execQueueSetPropertyFuncs.Length) ||
            Helpers.XeIoctlDbg(xe, BitConverter.ToUInt32(ext, 20) != 0) ||
            Helpers.XeIoctlDbg(xe, BitConverter.ToUInt32(ext, 16) != DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY &&
                         BitConverter.ToUInt32(ext, 16) != DRM_XE_EXEC_QUEUE_SET_PROPERTY_TIMESLICE &&
                         BitConverter.ToUInt32(ext, 16) != DRM_XE_EXEC_QUEUE_SET_PROPERTY_PXP_TYPE))
            return -EINVAL;

        idx = Helpers.ArrayIndexNospec(BitConverter.ToUInt32(ext, 16), (uint)s_execQueueSetPropertyFuncs.Length);
        if (s_execQueueSetPropertyFuncs[idx] == null)
            return -EINVAL;

        return s_execQueueSetPropertyFuncs[idx]!(xe, q, BitConverter.ToUInt64(ext, 24));
    }

    // drivers/gpu/drm/xe/xe_exec_queue.c, exec_queue_user_ext_set_property(), v6.16 (after aef87a5fdb51).
    // Correct: copy_from_user() checks the range.
    public static int ExecQueueUserExtSetProperty(Helpers.XeDevice xe, Helpers.XeExecQueue q, ulong extension) // expect: none
    {
        UserPtr address = new UserPtr(extension);
        var ext = new byte[SIZEOF_DRM_XE_EXT_SET_PROPERTY];
        int err;
        uint idx;

        err = CopyFromUser(ext, address);
        if (Helpers.XeIoctlDbg(xe, err != 0))
            return -EFAULT;

        if (Helpers.XeIoctlDbg(xe, BitConverter.ToUInt32(ext, 16) >=
                         s_execQueueSetPropertyFuncs.Length) ||
            Helpers.XeIoctlDbg(xe, BitConverter.ToUInt32(ext, 20) != 0) ||
            Helpers.XeIoctlDbg(xe, BitConverter.ToUInt32(ext, 16) != DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY &&
                         BitConverter.ToUInt32(ext, 16) != DRM_XE_EXEC_QUEUE_SET_PROPERTY_TIMESLICE &&
                         BitConverter.ToUInt32(ext, 16) != DRM_XE_EXEC_QUEUE_SET_PROPERTY_PXP_TYPE))
            return -EINVAL;

        idx = Helpers.ArrayIndexNospec(BitConverter.ToUInt32(ext, 16), (uint)s_execQueueSetPropertyFuncs.Length);
        if (s_execQueueSetPropertyFuncs[idx] == null)
            return -EINVAL;

        return s_execQueueSetPropertyFuncs[idx]!(xe, q, BitConverter.ToUInt64(ext, 24));
    }

    // drivers/gpu/drm/xe/xe_exec_queue.c, exec_queue_user_extensions(), v6.15 (before aef87a5fdb51). Buggy:
    // each link of the user's extension chain, the first from the ioctl argument and the next ones from
    // ext.next_extension, is read with __copy_from_user() and no access_ok().
    public static int ExecQueueUserExtensionsV615(Helpers.XeDevice xe, Helpers.XeExecQueue q, ulong extensions, int extNumber)
    {
        UserPtr address = new UserPtr(extensions);
        var ext = new byte[SIZEOF_DRM_XE_USER_EXTENSION];
        int err;
        uint idx;

        if (Helpers.XeIoctlDbg(xe, extNumber >= MAX_USER_EXTENSIONS))
            return -E2BIG;

        err = Helpers.CopyFromUserUnchecked(ext, address); // expect: UA5003
        if (Helpers.XeIoctlDbg(xe, err != 0))
            return -EFAULT;

        if (Helpers.XeIoctlDbg(xe, BitConverter.ToUInt32(ext, 12) != 0) ||
            Helpers.XeIoctlDbg(xe, BitConverter.ToUInt32(ext, 8) >=
                         s_execQueueUserExtensionFuncsV615.Length))
            return -EINVAL;

        idx = Helpers.ArrayIndexNospec(BitConverter.ToUInt32(ext, 8),
                                       (uint)s_execQueueUserExtensionFuncsV615.Length);
        err = s_execQueueUserExtensionFuncsV615[idx](xe, q, extensions);
        if (Helpers.XeIoctlDbg(xe, err != 0))
            return err;

        if (BitConverter.ToUInt64(ext, 0) != 0)
            return ExecQueueUserExtensionsV615(xe, q, BitConverter.ToUInt64(ext, 0),
                                               ++extNumber);

        return 0;
    }

    // drivers/gpu/drm/xe/xe_exec_queue.c, exec_queue_user_extensions(), v6.16 (after aef87a5fdb51). Correct.
    public static int ExecQueueUserExtensions(Helpers.XeDevice xe, Helpers.XeExecQueue q, ulong extensions, int extNumber) // expect: none
    {
        UserPtr address = new UserPtr(extensions);
        var ext = new byte[SIZEOF_DRM_XE_USER_EXTENSION];
        int err;
        uint idx;

        if (Helpers.XeIoctlDbg(xe, extNumber >= MAX_USER_EXTENSIONS))
            return -E2BIG;

        err = CopyFromUser(ext, address);
        if (Helpers.XeIoctlDbg(xe, err != 0))
            return -EFAULT;

        if (Helpers.XeIoctlDbg(xe, BitConverter.ToUInt32(ext, 12) != 0) ||
            Helpers.XeIoctlDbg(xe, BitConverter.ToUInt32(ext, 8) >=
                         s_execQueueUserExtensionFuncs.Length))
            return -EINVAL;

        idx = Helpers.ArrayIndexNospec(BitConverter.ToUInt32(ext, 8),
                                       (uint)s_execQueueUserExtensionFuncs.Length);
        err = s_execQueueUserExtensionFuncs[idx](xe, q, extensions);
        if (Helpers.XeIoctlDbg(xe, err != 0))
            return err;

        if (BitConverter.ToUInt64(ext, 0) != 0)
            return ExecQueueUserExtensions(xe, q, BitConverter.ToUInt64(ext, 0),
                                           ++extNumber);

        return 0;
    }
}

public static class Mptctl
{
    private const int ENXIO = 6;
    private const int ENODEV = 19;
    private const int CAN_SLEEP = 1;

    /* mpt_ioctl_header: iocnum at 0, port at 4, maxDataSize at 8; struct mpt_ioctl_diag_reset is the header. */
    private const int SIZEOF_MPT_IOCTL_HEADER = 12;
    private const int SIZEOF_MPT_IOCTL_DIAG_RESET = 12;

    /* The _IOC encodings of drivers/message/fusion/mptctl.h (size field 16..29). */
    private const uint IOCSIZE_MASK = 0x3fff0000;
    private const uint MPTIOCINFO = 0xc0006d11;
    private const uint MPTTARGETINFO = 0xc0006d12;
    private const uint MPTTEST = 0xc0006d13;
    private const uint MPTEVENTQUERY = 0xc0006d15;
    private const uint MPTEVENTENABLE = 0xc0006d16;
    private const uint MPTEVENTREPORT = 0xc0006d17;
    private const uint MPTHARDRESET = 0x40006d18;
    private const uint MPTFWREPLACE = 0xc0006d19;
    private const uint MPTFWDOWNLOAD = 0xc0006d0f;
    private const uint MPTCOMMAND = 0xc0006d14;
    private const uint HP_GETHOSTINFO = 0x80006d14;
    private const uint HP_GETTARGETINFO = 0x80006d15;

    // drivers/message/fusion/mptctl.c, __mptctl_ioctl(), v5.5 (after 28d76df18f0a). Correct: the handlers
    // get the adapter that was looked up and locked here.
    public static long MptctlIoctl(Helpers.MptFile file, uint cmd, ulong arg) // expect: none
    {
        UserPtr uhdr = new UserPtr(arg);
        var khdr = new byte[SIZEOF_MPT_IOCTL_HEADER];
        int iocnum;
        uint iocnumX;
        bool nonblock = file.NonBlock;
        int ret;
        Helpers.MptAdapter? iocp = null;

        if (CopyFromUser(khdr, uhdr) != 0)
        {
            /* printk(KERN_ERR MYNAM "%s::mptctl_ioctl() @%d - Unable to copy mpt_ioctl_header data @ %p\n", ...); */
            return -EFAULT;
        }
        ret = -ENXIO; /* (-6) No such device or address */

        /* Verify intended MPT adapter - set iocnum and the adapter
         * pointer (iocp)
         */
        iocnumX = BitConverter.ToUInt32(khdr, 0) & 0xFF;
        if (((iocnum = Helpers.MptVerifyAdapter((int)iocnumX, out iocp)) < 0) ||
            (iocp == null))
            return -ENODEV;

        if (!iocp.Active)
        {
            /* printk(KERN_DEBUG MYNAM "%s::mptctl_ioctl() @%d - Controller disabled.\n", ...); */
            return -EFAULT;
        }

        /* Handle those commands that are just returning
         * information stored in the driver.
         * These commands should never time out and are unaffected
         * by TM and FW reloads.
         */
        if ((cmd & ~IOCSIZE_MASK) == (MPTIOCINFO & ~IOCSIZE_MASK))
        {
            return Helpers.MptctlGetiocinfo(iocp, arg, (uint)Helpers.IocSize(cmd));
        }
        else if (cmd == MPTTARGETINFO)
        {
            return Helpers.MptctlGettargetinfo(iocp, arg);
        }
        else if (cmd == MPTTEST)
        {
            return Helpers.MptctlReadtest(iocp, arg);
        }
        else if (cmd == MPTEVENTQUERY)
        {
            return Helpers.MptctlEventquery(iocp, arg);
        }
        else if (cmd == MPTEVENTENABLE)
        {
            return Helpers.MptctlEventenable(iocp, arg);
        }
        else if (cmd == MPTEVENTREPORT)
        {
            return Helpers.MptctlEventreport(iocp, arg);
        }
        else if (cmd == MPTFWREPLACE)
        {
            return Helpers.MptctlReplaceFw(iocp, arg);
        }

        /* All of these commands require an interrupt or
         * are unknown/illegal.
         */
        if ((ret = Helpers.MptctlSyscallDown(iocp, nonblock)) != 0)
            return ret;

        if (cmd == MPTFWDOWNLOAD)
            ret = Helpers.MptctlFwDownload(iocp, arg);
        else if (cmd == MPTCOMMAND)
            ret = Helpers.MptctlMptCommand(iocp, arg);
        else if (cmd == MPTHARDRESET)
            ret = MptctlDoReset(iocp, arg);
        else if ((cmd & ~IOCSIZE_MASK) == (HP_GETHOSTINFO & ~IOCSIZE_MASK))
            ret = Helpers.MptctlHpHostinfo(iocp, arg, (uint)Helpers.IocSize(cmd));
        else if (cmd == HP_GETTARGETINFO)
            ret = Helpers.MptctlHpTargetinfo(iocp, arg);
        else
            ret = -EINVAL;

        iocp.IoctlCmdsMutex.Unlock();

        return ret;
    }

    // drivers/message/fusion/mptctl.c, mptctl_do_reset(), v5.5 (after 28d76df18f0a). Correct: the struct is
    // still copied (the header is all it holds) but nothing in it is used; the adapter is the caller's.
    public static int MptctlDoReset(Helpers.MptAdapter iocp, ulong arg) // expect: none
    {
        UserPtr urinfo = new UserPtr(arg);
        var krinfo = new byte[SIZEOF_MPT_IOCTL_DIAG_RESET];

        if (CopyFromUser(krinfo, urinfo) != 0)
        {
            /* printk(KERN_ERR MYNAM "%s@%d::mptctl_do_reset - Unable to copy mpt_ioctl_diag_reset struct @ %p\n", ...); */
            return -EFAULT;
        }

        /* dctlprintk(iocp, printk(MYIOC_s_DEBUG_FMT "mptctl_do_reset called.\n", iocp->name)); */

        if (Helpers.MptHardResetHandler(iocp, CAN_SLEEP) != 0)
        {
            /* printk (MYIOC_s_ERR_FMT "%s@%d::mptctl_do_reset - reset failed.\n", ...); */
            return -1;
        }

        return 0;
    }
}

public static class Helpers
{
    private const int EFAULT_ = EFAULT;
    private const int ERESTARTSYS = 512;

    /// <summary>struct v4l2_queryctrl: the control's step (string length granularity).</summary>
    public sealed class V4l2Queryctrl
    {
        public uint Id;
        public int Step = 1;
    }

    /// <summary>si4713_queryctrl(): fills the control's range and step.</summary>
    public static int Si4713Queryctrl(Si4713Device sdev, V4l2Queryctrl qc)
    {
        qc.Step = 1;
        return 0;
    }

    /// <summary>strlen() of a NUL-terminated kernel buffer.</summary>
    public static int Strlen(byte[] s)
    {
        int i = 0;
        while (i < s.Length && s[i] != 0)
            i++;
        return i;
    }

    /// <summary>si4713_set_rds_ps_name(): sends the name to the chip and keeps it; 0 or a negative errno.</summary>
    public static int Si4713SetRdsPsName(Si4713Device sdev, byte[] psName)
    {
        Array.Copy(psName, sdev.RdsPsName, Math.Min(psName.Length, Si4713.MAX_RDS_PS_NAME));
        return 0;
    }

    /// <summary>si4713_set_rds_radio_text(): sends the text to the chip and keeps it; 0 or a negative errno.</summary>
    public static int Si4713SetRdsRadioText(Si4713Device sdev, byte[] rt)
    {
        Array.Copy(rt, sdev.RdsRadioText, Math.Min(rt.Length, Si4713.MAX_RDS_RADIO_TEXT));
        return 0;
    }

    /// <summary>struct dvb_ringbuffer: the packets a CAM slot has received.</summary>
    public sealed class DvbRingbuffer
    {
        public byte[] Data = new byte[8192];
    }

    /// <summary>struct dvb_ca_slot.</summary>
    public sealed class DvbCaSlot
    {
        public DvbRingbuffer RxBuffer = new();
    }

    /// <summary>struct dvb_ca_private.</summary>
    public sealed class DvbCaPrivate
    {
        public DvbCaSlot[] SlotInfo = { new(), new() };
    }

    /// <summary>dvb_ca_en50221_io_read_condition(): 1 when a slot has a complete packet (its number in slot).</summary>
    public static int DvbCaEn50221IoReadCondition(DvbCaPrivate ca, ref int result, out int slot)
    {
        slot = 0;
        return 1;
    }

    /// <summary>wait_event_interruptible(ca->wait_queue, dvb_ca_en50221_io_read_condition(...)): 0 or -ERESTARTSYS.</summary>
    public static int WaitEventInterruptibleReadCondition(DvbCaPrivate ca, ref int result, out int slot)
    {
        slot = 0;
        return SignalPending() ? -ERESTARTSYS : 0;
    }

    /// <summary>dvb_ringbuffer_pkt_next(): the next packet's index (or -1) and its length.</summary>
    public static long DvbRingbufferPktNext(DvbRingbuffer rbuf, long idx, out long pktlen)
    {
        pktlen = 2;
        return idx == -1 ? 0 : -1;
    }

    /// <summary>dvb_ringbuffer_pkt_read(): copies part of a packet into a kernel buffer.</summary>
    public static long DvbRingbufferPktRead(DvbRingbuffer rbuf, long idx, int offset, byte[] buf, int len)
    {
        Array.Copy(rbuf.Data, idx + offset, buf, 0, len);
        return len;
    }

    /// <summary>dvb_ringbuffer_pkt_read_user(): copies part of a packet to user space; len or -EFAULT.</summary>
    public static int DvbRingbufferPktReadUser(DvbRingbuffer rbuf, long idx, int offset, UserPtr buf, long len)
    {
        if (CopyToUser(buf, rbuf.Data.AsSpan((int)(idx + offset), (int)len)) != 0)
            return -EFAULT_;
        return (int)len;
    }

    /// <summary>dvb_ringbuffer_pkt_dispose(): marks a packet consumed.</summary>
    public static void DvbRingbufferPktDispose(DvbRingbuffer rbuf, long idx)
    {
    }

    /// <summary>FPU_REG: an emulated x87 register.</summary>
    public sealed class FpuReg
    {
        public ulong Significand;
        public int Exponent;
    }

    /// <summary>fpu_addr_modes: the operand-size and addressing mode of the instruction.</summary>
    public sealed class FpuAddrModes
    {
        public bool Short;
    }

    /// <summary>The emulator's register stack (I387.soft.st_space), 8 registers of 10 bytes.</summary>
    public static readonly byte[] RegisterBase = new byte[80];

    /// <summary>top: the stack-top register number.</summary>
    public static int Top;

    /// <summary>CONST_Z: +0.</summary>
    public static readonly FpuReg ConstZ = new();

    /// <summary>st(i): the register i below the top.</summary>
    public static FpuReg St(int i) => new();

    /// <summary>reg_copy().</summary>
    public static void RegCopy(FpuReg from, FpuReg to)
    {
        to.Significand = from.Significand;
        to.Exponent = from.Exponent;
    }

    /// <summary>normalize_no_excep(): normalises the register, returns its tag.</summary>
    public static int NormalizeNoExcep(FpuReg r, int exp, int sign)
    {
        r.Exponent = exp;
        return 0;
    }

    /// <summary>fstenv(): stores the environment (stub) and returns the address past it (14 or 28 bytes).</summary>
    public static UserPtr Fstenv(FpuAddrModes addrModes, UserPtr d) => d + (addrModes.Short ? 0x0e : 0x1c);

    /// <summary>finit(): resets the emulated FPU.</summary>
    public static void Finit()
    {
        Array.Clear(RegisterBase);
    }

    /// <summary>
    /// math_abort(FPU_info, signal): sends the signal and unwinds to math_emulate()'s caller; it never
    /// returns, hence the exception the callers throw.
    /// </summary>
    public static Exception MathAbort(int signal) => new InvalidOperationException("math_abort: signal " + signal);

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

    /// <summary>struct xe_device.</summary>
    public sealed class XeDevice
    {
    }

    /// <summary>struct xe_exec_queue: the properties the extensions set.</summary>
    public sealed class XeExecQueue
    {
        public ulong Priority;
        public ulong TimesliceUs;
        public ulong PxpType;
    }

    /// <summary>XE_IOCTL_DBG(xe, cond): logs the failed condition in debug builds; the condition.</summary>
    public static bool XeIoctlDbg(XeDevice xe, bool cond) => cond;

    /// <summary>array_index_nospec(): the index, clamped under speculation.</summary>
    public static uint ArrayIndexNospec(uint index, uint size) => index < size ? index : 0;

    /// <summary>exec_queue_set_priority().</summary>
    public static int ExecQueueSetPriority(XeDevice xe, XeExecQueue q, ulong value)
    {
        q.Priority = value;
        return 0;
    }

    /// <summary>exec_queue_set_timeslice().</summary>
    public static int ExecQueueSetTimeslice(XeDevice xe, XeExecQueue q, ulong value)
    {
        q.TimesliceUs = value;
        return 0;
    }

    /// <summary>exec_queue_set_pxp_type().</summary>
    public static int ExecQueueSetPxpType(XeDevice xe, XeExecQueue q, ulong value)
    {
        q.PxpType = value;
        return 0;
    }

    /// <summary>struct file: the flag __mptctl_ioctl() reads.</summary>
    public sealed class MptFile
    {
        public bool NonBlock;
    }

    /// <summary>MPT_ADAPTER: the adapter an ioctl names by iocnum.</summary>
    public sealed class MptAdapter
    {
        public bool Active = true;
        public KernelMutex IoctlCmdsMutex = new();
    }

    private static readonly MptAdapter[] s_iocList = { new(), new() };

    /// <summary>mpt_verify_adapter(): the adapter numbered iocid (its number), or -1 and NULL.</summary>
    public static int MptVerifyAdapter(int iocid, out MptAdapter? iocpp)
    {
        if (iocid >= 0 && iocid < s_iocList.Length)
        {
            iocpp = s_iocList[iocid];
            return iocid;
        }

        iocpp = null;
        return -1;
    }

    /// <summary>
    /// mptctl_syscall_down(): mutex_trylock() of ioc->ioctl_cmds.mutex when nonblocking (-EAGAIN),
    /// else mutex_lock_interruptible() (-ERESTARTSYS; a killable lock stands in for it); 0 with the mutex held.
    /// </summary>
    [Acquires("ioc.IoctlCmdsMutex", When = AcquiredWhen.ReturnsZero)]
    public static int MptctlSyscallDown(MptAdapter ioc, bool nonblock)
    {
        int rc = 0;

        if (nonblock)
        {
            if (!ioc.IoctlCmdsMutex.TryLock())
                rc = -EAGAIN;
        }
        else
        {
            if (ioc.IoctlCmdsMutex.LockKillable() != 0)
                rc = -ERESTARTSYS;
        }
        return rc;
    }

    /// <summary>_IOC_SIZE(cmd): the argument size encoded in an ioctl number.</summary>
    public static int IocSize(uint cmd) => (int)((cmd >> 16) & 0x3fff);

    /// <summary>mpt_HardResetHandler(): resets the adapter's firmware; 0 or a negative errno.</summary>
    public static int MptHardResetHandler(MptAdapter ioc, int sleepFlag) => 0;

    // The other handlers of __mptctl_ioctl() after 28d76df18f0a, stubs: they take the caller's adapter.

    /// <summary>mptctl_getiocinfo() (v5.5).</summary>
    public static int MptctlGetiocinfo(MptAdapter ioc, ulong arg, uint dataSize) => 0;

    /// <summary>mptctl_gettargetinfo() (v5.5).</summary>
    public static int MptctlGettargetinfo(MptAdapter ioc, ulong arg) => 0;

    /// <summary>mptctl_readtest() (v5.5).</summary>
    public static int MptctlReadtest(MptAdapter ioc, ulong arg) => 0;

    /// <summary>mptctl_eventquery() (v5.5).</summary>
    public static int MptctlEventquery(MptAdapter ioc, ulong arg) => 0;

    /// <summary>mptctl_eventenable() (v5.5).</summary>
    public static int MptctlEventenable(MptAdapter ioc, ulong arg) => 0;

    /// <summary>mptctl_eventreport() (v5.5).</summary>
    public static int MptctlEventreport(MptAdapter ioc, ulong arg) => 0;

    /// <summary>mptctl_replace_fw() (v5.5).</summary>
    public static int MptctlReplaceFw(MptAdapter ioc, ulong arg) => 0;

    /// <summary>mptctl_fw_download() (v5.5).</summary>
    public static int MptctlFwDownload(MptAdapter ioc, ulong arg) => 0;

    /// <summary>mptctl_mpt_command() (v5.5).</summary>
    public static int MptctlMptCommand(MptAdapter ioc, ulong arg) => 0;

    /// <summary>mptctl_hp_hostinfo() (v5.5).</summary>
    public static int MptctlHpHostinfo(MptAdapter ioc, ulong arg, uint dataSize) => 0;

    /// <summary>mptctl_hp_targetinfo() (v5.5).</summary>
    public static int MptctlHpTargetinfo(MptAdapter ioc, ulong arg) => 0;
}
