// Held out: code the rules were not tuned on. How the results of user accesses are used in the SCSI generic
// driver, the SCSI midlayer ioctls and the ALSA PCM ioctls, each before and after the kernel's own fix:
// - drivers/scsi/sg.c sg_ioctl(): SG_GET_SCSI_ID and SG_GET_PACK_ID store with __put_user() after
//   access_ok() and drop its result, before Al Viro's a16a47416d3f "scsi: sg: sg_ioctl(): fix copyout
//   handling" (v5.5);
// - drivers/scsi/sg.c sg_write(): the opcode byte read with __get_user() and its result dropped, before
//   Al Viro's "scsi: sg: sg_write(): __get_user() can fail..." (same series, v5.5);
// - drivers/scsi/scsi_ioctl.c scsi_ioctl_common(): SCSI_IOCTL_GET_IDLUN's two __put_user() results dropped,
//   before Al Viro's "scsi_ioctl.c: switch SCSI_IOCTL_GET_IDLUN to copy_to_user()" (v5.8);
// - sound/core/pcm_native.c snd_pcm_xferi_frames_ioctl() and snd_pcm_rewind_ioctl(): the result stored back
//   with __put_user() and dropped, before ebe6976d3634 "pcm_native: result of put_user() needs to be
//   checked" (v5.8).
// The SCSI requests, the device and host state, the reserve buffers and the PCM transfers are stubs; the
// user pointers, the accesses, their checks, the locks and the control flow are the kernel's.
using System;
using System.Collections.Generic;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.NetAndCompat;

public static class ScsiGeneric
{
    private const int ENXIO = 6;
    private const int EIO = 5;
    private const int ENODEV = 19;
    private const int EDOM = 33;

    private const int O_ACCMODE = 3;
    private const int O_RDWR = 2;
    private const int O_NONBLOCK = 0x800;

    private const int USER_HZ = 100;
    private const int HZ = 250;

    private const uint SG_SET_TIMEOUT = 0x2201;
    private const uint SG_GET_TIMEOUT = 0x2202;
    private const uint SG_EMULATED_HOST = 0x2203;
    private const uint SG_GET_COMMAND_Q = 0x2270;
    private const uint SG_SET_COMMAND_Q = 0x2271;
    private const uint SG_GET_RESERVED_SIZE = 0x2272;
    private const uint SG_SET_RESERVED_SIZE = 0x2275;
    private const uint SG_GET_SCSI_ID = 0x2276;
    private const uint SG_SET_FORCE_LOW_DMA = 0x2279;
    private const uint SG_GET_LOW_DMA = 0x227a;
    private const uint SG_SET_FORCE_PACK_ID = 0x227b;
    private const uint SG_GET_PACK_ID = 0x227c;
    private const uint SG_GET_NUM_WAITING = 0x227d;
    private const uint SG_GET_SG_TABLESIZE = 0x227f;
    private const uint SG_GET_VERSION_NUM = 0x2282;
    private const uint SG_NEXT_CMD_LEN = 0x2283;
    private const uint SG_IO = 0x2285;
    private const uint SG_GET_REQUEST_TABLE = 0x2286;
    private const uint SG_SET_KEEP_ORPHAN = 0x2287;
    private const uint SG_GET_KEEP_ORPHAN = 0x2288;
    private const uint SG_GET_ACCESS_COUNT = 0x2289;

    private const int SG_DXFER_NONE = -1;
    private const int SG_DXFER_TO_DEV = -2;
    private const int SG_DXFER_FROM_DEV = -3;
    private const int SG_DXFER_TO_FROM_DEV = -4;

    private const int SG_MAX_QUEUE = 16;
    private const int SG_MAX_CDB_SIZE = 252;
    private const int sg_version_num = 30536;

    /// <summary>sizeof(struct sg_header): pack_len, reply_len, pack_id, result, the status bit fields, sense_buffer[16].</summary>
    private const int SZ_SG_HEADER = 36;

    /// <summary>sizeof(sg_io_hdr_t) on a 64-bit kernel.</summary>
    private const int SZ_SG_IO_HDR = 88;

    /// <summary>sizeof(sg_req_info_t) on a 64-bit kernel.</summary>
    private const int SZ_SG_REQ_INFO = 24;

    /// <summary>sizeof(sg_scsi_id_t): host_no, channel, scsi_id, lun, scsi_type (ints), h_cmd_per_lun, d_queue_depth (shorts), unused[2].</summary>
    private const int SIZEOF_SG_SCSI_ID = 32;

    // drivers/scsi/sg.c, sg_ioctl(), v5.3 (before a16a47416d3f "scsi: sg: sg_ioctl(): fix copyout handling",
    // Al Viro, v5.5; the commands after SG_EMULATED_HOST, which hand the pointer on to sg_scsi_ioctl(),
    // blk_trace_*() and scsi_ioctl(), are a stub). Buggy: SG_GET_SCSI_ID and SG_GET_PACK_ID check the
    // pointer with access_ok() and then store with __put_user(), dropping what it returns: "__put_user() can
    // fail with access_ok() succeeding", so an unmapped or read-only page makes the ioctl report success
    // with nothing stored ("several __put_user()/__get_user() with no checking of return value (access_ok()
    // was there, handling of unmapped addresses wasn't). The latter go back at least to 2.1.early").
    public static long SgIoctlV53(Helpers.SgFile filp, uint cmdIn, ulong arg)
    {
        UserPtr p = new UserPtr(arg);
        UserPtr<int> ip = p.Cast<int>();
        int result, val, readOnly;
        Helpers.SgDevice? sdp;
        Helpers.SgFd? sfp;
        Helpers.SgRequest? srp;

        if ((sfp = filp.PrivateData) == null || (sdp = sfp.Parentdp) == null)
            return -ENXIO;

        /* SCSI_LOG_TIMEOUT(3, sg_printk(KERN_INFO, sdp, "sg_ioctl: cmd=0x%x\n", (int) cmd_in)); */
        readOnly = (O_RDWR != (filp.FFlags & O_ACCMODE)) ? 1 : 0;

        switch (cmdIn)
        {
            case SG_IO:
                if (sdp.Detaching)
                    return -ENODEV;
                if (!Helpers.ScsiBlockWhenProcessingErrors(sdp))
                    return -ENXIO;
                if (!AccessOk(p, SZ_SG_IO_HDR))
                    return -EFAULT;
                result = (int)Helpers.SgNewWrite(sfp, filp, p, SZ_SG_IO_HDR, 1, readOnly, 1, out srp);
                if (result < 0)
                    return result;
                result = Helpers.WaitEventInterruptibleSrpDone(sfp, srp!, sdp);
                if (sdp.Detaching)
                    return -ENODEV;
                sfp.RqListLock.Lock();
                if (srp!.Done != 0)
                {
                    srp.Done = 2;
                    sfp.RqListLock.Unlock();
                    result = (int)Helpers.SgNewRead(sfp, p, SZ_SG_IO_HDR, srp);
                    return (result < 0) ? result : 0;
                }
                srp.Orphan = 1;
                sfp.RqListLock.Unlock();
                return result; /* -ERESTARTSYS because signal hit process */
            case SG_SET_TIMEOUT:
                result = GetUser(out val, ip);
                if (result != 0)
                    return result;
                if (val < 0)
                    return -EIO;
                if (val >= Helpers.MultFrac(int.MaxValue, USER_HZ, HZ))
                    val = (int)Math.Min(Helpers.MultFrac(int.MaxValue, USER_HZ, HZ), int.MaxValue);
                sfp.TimeoutUser = val;
                sfp.Timeout = (int)Helpers.MultFrac(val, HZ, USER_HZ);

                return 0;
            case SG_GET_TIMEOUT: /* N.B. User receives timeout as return value */
                /* strange ..., for backward compatibility */
                return sfp.TimeoutUser;
            case SG_SET_FORCE_LOW_DMA:
                /*
                 * N.B. This ioctl never worked properly, but failed to
                 * return an error value. So returning '0' to keep compability
                 * with legacy applications.
                 */
                return 0;
            case SG_GET_LOW_DMA:
                return PutUser(sdp.Device.Host.UncheckedIsaDma, ip);
            case SG_GET_SCSI_ID:
                if (!AccessOk(p, SIZEOF_SG_SCSI_ID))
                    return -EFAULT;
                else
                {
                    UserPtr sgIdp = p;

                    if (sdp.Detaching)
                        return -ENODEV;
                    PutUserUnchecked(sdp.Device.Host.HostNo, sgIdp.Cast<int>()); // expect: UA5001
                    PutUserUnchecked((int)sdp.Device.Channel, (sgIdp + 4).Cast<int>()); // expect: UA5001
                    PutUserUnchecked((int)sdp.Device.Id, (sgIdp + 8).Cast<int>()); // expect: UA5001
                    PutUserUnchecked((int)sdp.Device.Lun, (sgIdp + 12).Cast<int>()); // expect: UA5001
                    PutUserUnchecked(sdp.Device.Type, (sgIdp + 16).Cast<int>()); // expect: UA5001
                    PutUserUnchecked((short)sdp.Device.Host.CmdPerLun, (sgIdp + 20).Cast<short>()); // expect: UA5001
                    PutUserUnchecked((short)sdp.Device.QueueDepth, (sgIdp + 22).Cast<short>()); // expect: UA5001
                    PutUserUnchecked(0, (sgIdp + 24).Cast<int>()); // expect: UA5001
                    PutUserUnchecked(0, (sgIdp + 28).Cast<int>()); // expect: UA5001
                    return 0;
                }
            case SG_SET_FORCE_PACK_ID:
                result = GetUser(out val, ip);
                if (result != 0)
                    return result;
                sfp.ForcePackid = val != 0 ? 1 : 0;
                return 0;
            case SG_GET_PACK_ID:
                if (!AccessOk(ip, sizeof(int)))
                    return -EFAULT;
                sfp.RqListLock.Lock();
                foreach (var entry in sfp.RqList)
                {
                    if ((1 == entry.Done) && (entry.SgIoOwned == 0))
                    {
                        sfp.RqListLock.Unlock();
                        PutUserUnchecked(entry.Header.PackId, ip); // expect: UA5001
                        return 0;
                    }
                }
                sfp.RqListLock.Unlock();
                PutUserUnchecked(-1, ip); // expect: UA5001
                return 0;
            case SG_GET_NUM_WAITING:
                sfp.RqListLock.Lock();
                val = 0;
                foreach (var entry in sfp.RqList)
                {
                    if ((1 == entry.Done) && (entry.SgIoOwned == 0))
                        ++val;
                }
                sfp.RqListLock.Unlock();
                return PutUser(val, ip);
            case SG_GET_SG_TABLESIZE:
                return PutUser(sdp.SgTablesize, ip);
            case SG_SET_RESERVED_SIZE:
                result = GetUser(out val, ip);
                if (result != 0)
                    return result;
                if (val < 0)
                    return -EINVAL;
                val = Math.Min(val, Helpers.MaxSectorsBytes(sdp));
                sfp.FMutex.Lock();
                if (val != sfp.ReserveBufflen)
                {
                    if (sfp.MmapCalled || sfp.ResInUse)
                    {
                        sfp.FMutex.Unlock();
                        return -EBUSY;
                    }

                    Helpers.SgRemoveScat(sfp);
                    Helpers.SgBuildReserve(sfp, val);
                }
                sfp.FMutex.Unlock();
                return 0;
            case SG_GET_RESERVED_SIZE:
                val = Math.Min(sfp.ReserveBufflen, Helpers.MaxSectorsBytes(sdp));
                return PutUser(val, ip);
            case SG_SET_COMMAND_Q:
                result = GetUser(out val, ip);
                if (result != 0)
                    return result;
                sfp.CmdQ = val != 0 ? 1 : 0;
                return 0;
            case SG_GET_COMMAND_Q:
                return PutUser(sfp.CmdQ, ip);
            case SG_SET_KEEP_ORPHAN:
                result = GetUser(out val, ip);
                if (result != 0)
                    return result;
                sfp.KeepOrphan = val;
                return 0;
            case SG_GET_KEEP_ORPHAN:
                return PutUser(sfp.KeepOrphan, ip);
            case SG_NEXT_CMD_LEN:
                result = GetUser(out val, ip);
                if (result != 0)
                    return result;
                sfp.FMutex.Lock();
                sfp.NextCmdLen = (val > 0) ? val : 0;
                sfp.FMutex.Unlock();
                return 0;
            case SG_GET_VERSION_NUM:
                return PutUser(sg_version_num, ip);
            case SG_GET_ACCESS_COUNT:
                /* faked - we don't have a real access count anymore */
                val = (sdp.Device != null ? 1 : 0);
                return PutUser(val, ip);
            case SG_GET_REQUEST_TABLE:
                if (!AccessOk(p, SZ_SG_REQ_INFO * SG_MAX_QUEUE))
                    return -EFAULT;
                else
                {
                    var rinfo = new byte[SZ_SG_REQ_INFO * SG_MAX_QUEUE]; /* kcalloc(SG_MAX_QUEUE, SZ_SG_REQ_INFO, GFP_KERNEL) */

                    sfp.RqListLock.Lock();
                    Helpers.SgFillRequestTable(sfp, rinfo);
                    sfp.RqListLock.Unlock();
                    result = Helpers.CopyToUserUnchecked(p, rinfo);
                    result = result != 0 ? -EFAULT : 0;
                    /* kfree(rinfo); */
                    return result;
                }
            case SG_EMULATED_HOST:
                if (sdp.Detaching)
                    return -ENODEV;
                return PutUser(sdp.Device.Host.Emulated, ip);
        }

        return Helpers.SgIoctlRest(filp, sdp, cmdIn, p, readOnly);
    }

    // drivers/scsi/sg.c, sg_ioctl(), v5.3 with a16a47416d3f applied (v5.5). Correct: SG_GET_SCSI_ID builds the
    // struct in kernel memory and stores it with copy_to_user(), failing with -EFAULT; SG_GET_PACK_ID returns
    // put_user()'s result; SG_GET_REQUEST_TABLE's access_ok() + __copy_to_user() "is spelled copy_to_user()".
    public static long SgIoctl(Helpers.SgFile filp, uint cmdIn, ulong arg) // expect: none
    {
        UserPtr p = new UserPtr(arg);
        UserPtr<int> ip = p.Cast<int>();
        int result, val, readOnly;
        Helpers.SgDevice? sdp;
        Helpers.SgFd? sfp;
        Helpers.SgRequest? srp;

        if ((sfp = filp.PrivateData) == null || (sdp = sfp.Parentdp) == null)
            return -ENXIO;

        /* SCSI_LOG_TIMEOUT(3, sg_printk(KERN_INFO, sdp, "sg_ioctl: cmd=0x%x\n", (int) cmd_in)); */
        readOnly = (O_RDWR != (filp.FFlags & O_ACCMODE)) ? 1 : 0;

        switch (cmdIn)
        {
            case SG_IO:
                if (sdp.Detaching)
                    return -ENODEV;
                if (!Helpers.ScsiBlockWhenProcessingErrors(sdp))
                    return -ENXIO;
                if (!AccessOk(p, SZ_SG_IO_HDR))
                    return -EFAULT;
                result = (int)Helpers.SgNewWrite(sfp, filp, p, SZ_SG_IO_HDR, 1, readOnly, 1, out srp);
                if (result < 0)
                    return result;
                result = Helpers.WaitEventInterruptibleSrpDone(sfp, srp!, sdp);
                if (sdp.Detaching)
                    return -ENODEV;
                sfp.RqListLock.Lock();
                if (srp!.Done != 0)
                {
                    srp.Done = 2;
                    sfp.RqListLock.Unlock();
                    result = (int)Helpers.SgNewRead(sfp, p, SZ_SG_IO_HDR, srp);
                    return (result < 0) ? result : 0;
                }
                srp.Orphan = 1;
                sfp.RqListLock.Unlock();
                return result; /* -ERESTARTSYS because signal hit process */
            case SG_SET_TIMEOUT:
                result = GetUser(out val, ip);
                if (result != 0)
                    return result;
                if (val < 0)
                    return -EIO;
                if (val >= Helpers.MultFrac(int.MaxValue, USER_HZ, HZ))
                    val = (int)Math.Min(Helpers.MultFrac(int.MaxValue, USER_HZ, HZ), int.MaxValue);
                sfp.TimeoutUser = val;
                sfp.Timeout = (int)Helpers.MultFrac(val, HZ, USER_HZ);

                return 0;
            case SG_GET_TIMEOUT: /* N.B. User receives timeout as return value */
                /* strange ..., for backward compatibility */
                return sfp.TimeoutUser;
            case SG_SET_FORCE_LOW_DMA:
                /*
                 * N.B. This ioctl never worked properly, but failed to
                 * return an error value. So returning '0' to keep compability
                 * with legacy applications.
                 */
                return 0;
            case SG_GET_LOW_DMA:
                return PutUser(sdp.Device.Host.UncheckedIsaDma, ip);
            case SG_GET_SCSI_ID:
                {
                    var v = new byte[SIZEOF_SG_SCSI_ID];

                    if (sdp.Detaching)
                        return -ENODEV;
                    /* memset(&v, 0, sizeof(v)); */
                    BitConverter.TryWriteBytes(v.AsSpan(0, 4), sdp.Device.Host.HostNo);
                    BitConverter.TryWriteBytes(v.AsSpan(4, 4), (int)sdp.Device.Channel);
                    BitConverter.TryWriteBytes(v.AsSpan(8, 4), (int)sdp.Device.Id);
                    BitConverter.TryWriteBytes(v.AsSpan(12, 4), (int)sdp.Device.Lun);
                    BitConverter.TryWriteBytes(v.AsSpan(16, 4), sdp.Device.Type);
                    BitConverter.TryWriteBytes(v.AsSpan(20, 2), (short)sdp.Device.Host.CmdPerLun);
                    BitConverter.TryWriteBytes(v.AsSpan(22, 2), (short)sdp.Device.QueueDepth);
                    if (CopyToUser(p, v) != 0)
                        return -EFAULT;
                    return 0;
                }
            case SG_SET_FORCE_PACK_ID:
                result = GetUser(out val, ip);
                if (result != 0)
                    return result;
                sfp.ForcePackid = val != 0 ? 1 : 0;
                return 0;
            case SG_GET_PACK_ID:
                sfp.RqListLock.Lock();
                foreach (var entry in sfp.RqList)
                {
                    if ((1 == entry.Done) && (entry.SgIoOwned == 0))
                    {
                        sfp.RqListLock.Unlock();
                        return PutUser(entry.Header.PackId, ip);
                    }
                }
                sfp.RqListLock.Unlock();
                return PutUser(-1, ip);
            case SG_GET_NUM_WAITING:
                sfp.RqListLock.Lock();
                val = 0;
                foreach (var entry in sfp.RqList)
                {
                    if ((1 == entry.Done) && (entry.SgIoOwned == 0))
                        ++val;
                }
                sfp.RqListLock.Unlock();
                return PutUser(val, ip);
            case SG_GET_SG_TABLESIZE:
                return PutUser(sdp.SgTablesize, ip);
            case SG_SET_RESERVED_SIZE:
                result = GetUser(out val, ip);
                if (result != 0)
                    return result;
                if (val < 0)
                    return -EINVAL;
                val = Math.Min(val, Helpers.MaxSectorsBytes(sdp));
                sfp.FMutex.Lock();
                if (val != sfp.ReserveBufflen)
                {
                    if (sfp.MmapCalled || sfp.ResInUse)
                    {
                        sfp.FMutex.Unlock();
                        return -EBUSY;
                    }

                    Helpers.SgRemoveScat(sfp);
                    Helpers.SgBuildReserve(sfp, val);
                }
                sfp.FMutex.Unlock();
                return 0;
            case SG_GET_RESERVED_SIZE:
                val = Math.Min(sfp.ReserveBufflen, Helpers.MaxSectorsBytes(sdp));
                return PutUser(val, ip);
            case SG_SET_COMMAND_Q:
                result = GetUser(out val, ip);
                if (result != 0)
                    return result;
                sfp.CmdQ = val != 0 ? 1 : 0;
                return 0;
            case SG_GET_COMMAND_Q:
                return PutUser(sfp.CmdQ, ip);
            case SG_SET_KEEP_ORPHAN:
                result = GetUser(out val, ip);
                if (result != 0)
                    return result;
                sfp.KeepOrphan = val;
                return 0;
            case SG_GET_KEEP_ORPHAN:
                return PutUser(sfp.KeepOrphan, ip);
            case SG_NEXT_CMD_LEN:
                result = GetUser(out val, ip);
                if (result != 0)
                    return result;
                sfp.FMutex.Lock();
                sfp.NextCmdLen = (val > 0) ? val : 0;
                sfp.FMutex.Unlock();
                return 0;
            case SG_GET_VERSION_NUM:
                return PutUser(sg_version_num, ip);
            case SG_GET_ACCESS_COUNT:
                /* faked - we don't have a real access count anymore */
                val = (sdp.Device != null ? 1 : 0);
                return PutUser(val, ip);
            case SG_GET_REQUEST_TABLE:
                {
                    var rinfo = new byte[SZ_SG_REQ_INFO * SG_MAX_QUEUE]; /* kcalloc(SG_MAX_QUEUE, SZ_SG_REQ_INFO, GFP_KERNEL) */

                    sfp.RqListLock.Lock();
                    Helpers.SgFillRequestTable(sfp, rinfo);
                    sfp.RqListLock.Unlock();
                    result = CopyToUser(p, rinfo);
                    result = result != 0 ? -EFAULT : 0;
                    /* kfree(rinfo); */
                    return result;
                }
            case SG_EMULATED_HOST:
                if (sdp.Detaching)
                    return -ENODEV;
                return PutUser(sdp.Device.Host.Emulated, ip);
        }

        return Helpers.SgIoctlRest(filp, sdp, cmdIn, p, readOnly);
    }

    // drivers/scsi/sg.c, sg_write(), v5.3 (before Al Viro's "scsi: sg: sg_write(): __get_user() can
    // fail...", v5.5; the request set-up and submission are stubs, the sg_header fields are read from the
    // copied bytes at their offsets). Buggy: the opcode byte is read with __get_user() inside the range that
    // access_ok(buf, count) checked, and its result dropped: on an unmapped page opcode is whatever the stack
    // held, and the command's length (COMMAND_SIZE(opcode)) and the 12-byte test are made from it. The fix
    // tests the read and fails with -EFAULT before a request is taken.
    public static long SgWriteV53(Helpers.SgFile filp, UserPtr buf, ulong count)
    {
        int mxsize, cmdSize, k;
        int inputSize, blocking;
        byte opcode;
        Helpers.SgDevice? sdp;
        Helpers.SgFd? sfp;
        Helpers.SgRequest? srp;
        var oldHdr = new byte[SZ_SG_HEADER];
        Helpers.SgIoHdr hp;
        var cmnd = new byte[SG_MAX_CDB_SIZE];
        int retval;

        retval = Helpers.SgCheckFileAccess(filp);
        if (retval != 0)
            return retval;

        if ((sfp = filp.PrivateData) == null || (sdp = sfp.Parentdp) == null)
            return -ENXIO;
        /* SCSI_LOG_TIMEOUT(3, sg_printk(KERN_INFO, sdp, "sg_write: count=%d\n", (int) count)); */
        if (sdp.Detaching)
            return -ENODEV;
        if (!(((filp.FFlags & O_NONBLOCK) != 0) || Helpers.ScsiBlockWhenProcessingErrors(sdp)))
            return -ENXIO;

        if (!AccessOk(buf, count))
            return -EFAULT; /* protects following copy_from_user()s + get_user()s */
        if (count < SZ_SG_HEADER)
            return -EIO;
        if (Helpers.CopyFromUserUnchecked(oldHdr, buf) != 0)
            return -EFAULT;
        blocking = (filp.FFlags & O_NONBLOCK) == 0 ? 1 : 0;
        if (BitConverter.ToInt32(oldHdr, 4) < 0) /* old_hdr.reply_len */
            return Helpers.SgNewWrite(sfp, filp, buf, count, blocking, 0, 0, out _);
        if (count < (SZ_SG_HEADER + 6))
            return -EIO; /* The minimum scsi command length is 6 bytes. */

        if ((srp = Helpers.SgAddRequest(sfp)) == null)
        {
            /* SCSI_LOG_TIMEOUT(1, sg_printk(KERN_INFO, sdp, "sg_write: queue full\n")); */
            return -EDOM;
        }
        buf += SZ_SG_HEADER;
        GetUserUnchecked(out opcode, buf.Cast<byte>()); // expect: UA5001
        sfp.FMutex.Lock();
        if (sfp.NextCmdLen > 0)
        {
            cmdSize = sfp.NextCmdLen;
            sfp.NextCmdLen = 0; /* reset so only this write() effected */
        }
        else
        {
            cmdSize = Helpers.CommandSize(opcode); /* based on SCSI command group */
            if ((opcode >= 0xc0) && (BitConverter.ToUInt32(oldHdr, 16) & 1) != 0) /* old_hdr.twelve_byte */
                cmdSize = 12;
        }
        sfp.FMutex.Unlock();
        /* SCSI_LOG_TIMEOUT(4, sg_printk(KERN_INFO, sdp, "sg_write:   scsi opcode=0x%02x, cmd_size=%d\n", (int) opcode, cmd_size)); */
        /* Determine buffer size.  */
        inputSize = (int)count - cmdSize;
        mxsize = (inputSize > BitConverter.ToInt32(oldHdr, 4)) ? inputSize : BitConverter.ToInt32(oldHdr, 4);
        mxsize -= SZ_SG_HEADER;
        inputSize -= SZ_SG_HEADER;
        if (inputSize < 0)
        {
            Helpers.SgRemoveRequest(sfp, srp);
            return -EIO; /* User did not pass enough bytes for this command. */
        }
        hp = srp.Header;
        hp.InterfaceId = 0; /* indicator of old interface tunnelled */
        hp.CmdLen = (byte)cmdSize;
        hp.IovecCount = 0;
        hp.MxSbLen = 0;
        if (inputSize > 0)
            hp.DxferDirection = (BitConverter.ToInt32(oldHdr, 4) > SZ_SG_HEADER) ? SG_DXFER_TO_FROM_DEV : SG_DXFER_TO_DEV;
        else
            hp.DxferDirection = (mxsize > 0) ? SG_DXFER_FROM_DEV : SG_DXFER_NONE;
        hp.DxferLen = (uint)mxsize;
        if ((hp.DxferDirection == SG_DXFER_TO_DEV) || (hp.DxferDirection == SG_DXFER_TO_FROM_DEV))
            hp.Dxferp = buf + cmdSize;
        else
            hp.Dxferp = UserPtr.Null;
        hp.Sbp = UserPtr.Null;
        hp.Timeout = (uint)BitConverter.ToInt32(oldHdr, 4); /* structure abuse ... */
        hp.Flags = (uint)inputSize; /* structure abuse ... */
        hp.PackId = BitConverter.ToInt32(oldHdr, 8);
        hp.UsrPtr = UserPtr.Null;
        if (Helpers.CopyFromUserUnchecked(cmnd.AsSpan(0, cmdSize), buf) != 0)
            return -EFAULT;
        /*
         * SG_DXFER_TO_FROM_DEV is functionally equivalent to SG_DXFER_FROM_DEV,
         * but is is possible that the app intended SG_DXFER_TO_DEV, because there
         * is a non-zero input_size, so emit a warning.
         */
        if (hp.DxferDirection == SG_DXFER_TO_FROM_DEV)
        {
            /* printk_ratelimited(KERN_WARNING "sg_write: data in/out %d/%d bytes for SCSI command 0x%x-- guessing data in;\n ...",
             *                    old_hdr.reply_len - (int)SZ_SG_HEADER, input_size, (unsigned int) cmnd[0], current->comm); */
        }
        k = Helpers.SgCommonWrite(sfp, srp, cmnd, sfp.Timeout, blocking);
        return (k < 0) ? k : (long)count;
    }

    // drivers/scsi/sg.c, sg_write(), v5.3 with Al Viro's "scsi: sg: sg_write(): __get_user() can fail..."
    // applied (v5.5). Correct: the opcode read is tested and fails with -EFAULT, before the request is taken.
    public static long SgWrite(Helpers.SgFile filp, UserPtr buf, ulong count) // expect: none
    {
        int mxsize, cmdSize, k;
        int inputSize, blocking;
        byte opcode;
        Helpers.SgDevice? sdp;
        Helpers.SgFd? sfp;
        Helpers.SgRequest? srp;
        var oldHdr = new byte[SZ_SG_HEADER];
        Helpers.SgIoHdr hp;
        var cmnd = new byte[SG_MAX_CDB_SIZE];
        int retval;

        retval = Helpers.SgCheckFileAccess(filp);
        if (retval != 0)
            return retval;

        if ((sfp = filp.PrivateData) == null || (sdp = sfp.Parentdp) == null)
            return -ENXIO;
        /* SCSI_LOG_TIMEOUT(3, sg_printk(KERN_INFO, sdp, "sg_write: count=%d\n", (int) count)); */
        if (sdp.Detaching)
            return -ENODEV;
        if (!(((filp.FFlags & O_NONBLOCK) != 0) || Helpers.ScsiBlockWhenProcessingErrors(sdp)))
            return -ENXIO;

        if (!AccessOk(buf, count))
            return -EFAULT; /* protects following copy_from_user()s + get_user()s */
        if (count < SZ_SG_HEADER)
            return -EIO;
        if (Helpers.CopyFromUserUnchecked(oldHdr, buf) != 0)
            return -EFAULT;
        blocking = (filp.FFlags & O_NONBLOCK) == 0 ? 1 : 0;
        if (BitConverter.ToInt32(oldHdr, 4) < 0) /* old_hdr.reply_len */
            return Helpers.SgNewWrite(sfp, filp, buf, count, blocking, 0, 0, out _);
        if (count < (SZ_SG_HEADER + 6))
            return -EIO; /* The minimum scsi command length is 6 bytes. */

        buf += SZ_SG_HEADER;
        if (GetUserUnchecked(out opcode, buf.Cast<byte>()) != 0)
            return -EFAULT;

        if ((srp = Helpers.SgAddRequest(sfp)) == null)
        {
            /* SCSI_LOG_TIMEOUT(1, sg_printk(KERN_INFO, sdp, "sg_write: queue full\n")); */
            return -EDOM;
        }
        sfp.FMutex.Lock();
        if (sfp.NextCmdLen > 0)
        {
            cmdSize = sfp.NextCmdLen;
            sfp.NextCmdLen = 0; /* reset so only this write() effected */
        }
        else
        {
            cmdSize = Helpers.CommandSize(opcode); /* based on SCSI command group */
            if ((opcode >= 0xc0) && (BitConverter.ToUInt32(oldHdr, 16) & 1) != 0) /* old_hdr.twelve_byte */
                cmdSize = 12;
        }
        sfp.FMutex.Unlock();
        /* SCSI_LOG_TIMEOUT(4, sg_printk(KERN_INFO, sdp, "sg_write:   scsi opcode=0x%02x, cmd_size=%d\n", (int) opcode, cmd_size)); */
        /* Determine buffer size.  */
        inputSize = (int)count - cmdSize;
        mxsize = (inputSize > BitConverter.ToInt32(oldHdr, 4)) ? inputSize : BitConverter.ToInt32(oldHdr, 4);
        mxsize -= SZ_SG_HEADER;
        inputSize -= SZ_SG_HEADER;
        if (inputSize < 0)
        {
            Helpers.SgRemoveRequest(sfp, srp);
            return -EIO; /* User did not pass enough bytes for this command. */
        }
        hp = srp.Header;
        hp.InterfaceId = 0; /* indicator of old interface tunnelled */
        hp.CmdLen = (byte)cmdSize;
        hp.IovecCount = 0;
        hp.MxSbLen = 0;
        if (inputSize > 0)
            hp.DxferDirection = (BitConverter.ToInt32(oldHdr, 4) > SZ_SG_HEADER) ? SG_DXFER_TO_FROM_DEV : SG_DXFER_TO_DEV;
        else
            hp.DxferDirection = (mxsize > 0) ? SG_DXFER_FROM_DEV : SG_DXFER_NONE;
        hp.DxferLen = (uint)mxsize;
        if ((hp.DxferDirection == SG_DXFER_TO_DEV) || (hp.DxferDirection == SG_DXFER_TO_FROM_DEV))
            hp.Dxferp = buf + cmdSize;
        else
            hp.Dxferp = UserPtr.Null;
        hp.Sbp = UserPtr.Null;
        hp.Timeout = (uint)BitConverter.ToInt32(oldHdr, 4); /* structure abuse ... */
        hp.Flags = (uint)inputSize; /* structure abuse ... */
        hp.PackId = BitConverter.ToInt32(oldHdr, 8);
        hp.UsrPtr = UserPtr.Null;
        if (Helpers.CopyFromUserUnchecked(cmnd.AsSpan(0, cmdSize), buf) != 0)
            return -EFAULT;
        /*
         * SG_DXFER_TO_FROM_DEV is functionally equivalent to SG_DXFER_FROM_DEV,
         * but is is possible that the app intended SG_DXFER_TO_DEV, because there
         * is a non-zero input_size, so emit a warning.
         */
        if (hp.DxferDirection == SG_DXFER_TO_FROM_DEV)
        {
            /* printk_ratelimited(KERN_WARNING "sg_write: data in/out %d/%d bytes for SCSI command 0x%x-- guessing data in;\n ...",
             *                    old_hdr.reply_len - (int)SZ_SG_HEADER, input_size, (unsigned int) cmnd[0], current->comm); */
        }
        k = Helpers.SgCommonWrite(sfp, srp, cmnd, sfp.Timeout, blocking);
        return (k < 0) ? k : (long)count;
    }
}

public static class ScsiIoctl
{
    private const int SCSI_IOCTL_GET_IDLUN = 0x5382;
    private const int SCSI_IOCTL_GET_BUS_NUMBER = 0x5386;

    /// <summary>sizeof(struct scsi_idlun): __u32 dev_id, __u32 host_unique_id.</summary>
    private const int SIZEOF_SCSI_IDLUN = 8;

    // drivers/scsi/scsi_ioctl.c, scsi_ioctl_common(), v5.7 (before Al Viro's "scsi_ioctl.c: switch
    // SCSI_IOCTL_GET_IDLUN to copy_to_user()", uaccess.__put_user branch, v5.8; the deprecated-ioctl warning
    // is a comment, and the commands that hand arg on to ioctl_probe(), sg_scsi_ioctl(),
    // scsi_ioctl_get_pci() and scsi_ioctl_reset() or send a command to the device are a stub). Buggy:
    // SCSI_IOCTL_GET_IDLUN checks arg with access_ok() and stores both words with __put_user(), dropping what
    // it returns, so an unmapped or read-only page gets "success" and nothing stored; the same series says of
    // its twin in sound/core/pcm_native.c, "__put_user() doesn't help here - skipping access_ok() on the second
    // call does not remove the possibility of page having become unmapped or r/o". The fix builds the struct
    // and copy_to_user()s it, failing with -EFAULT.
    public static int ScsiIoctlCommonV57(Helpers.ScsiDevice sdev, int cmd, UserPtr arg)
    {
        /* Check for deprecated ioctls ... all the ioctls which don't
         * follow the new unique numbering scheme are deprecated:
         * printk(KERN_WARNING "program %s is using a deprecated SCSI ioctl, please convert it to SG_IO\n", current->comm); */

        switch (cmd)
        {
            case SCSI_IOCTL_GET_IDLUN:
                if (!AccessOk(arg, SIZEOF_SCSI_IDLUN))
                    return -EFAULT;

                PutUserUnchecked((sdev.Id & 0xff) + ((uint)(sdev.Lun & 0xff) << 8) + ((sdev.Channel & 0xff) << 16) + ((uint)(sdev.Host.HostNo & 0xff) << 24), arg.Cast<uint>()); // expect: UA5001
                PutUserUnchecked(sdev.Host.UniqueId, (arg + 4).Cast<uint>()); // expect: UA5001
                return 0;
            case SCSI_IOCTL_GET_BUS_NUMBER:
                return PutUser(sdev.Host.HostNo, arg.Cast<int>());
        }

        return Helpers.ScsiIoctlCommonRest(sdev, cmd, arg);
    }

    // drivers/scsi/scsi_ioctl.c, scsi_ioctl_common(), v5.8 (after Al Viro's fix). Correct: the struct is built
    // in kernel memory and copy_to_user()'s failure returns -EFAULT.
    public static int ScsiIoctlCommon(Helpers.ScsiDevice sdev, int cmd, UserPtr arg) // expect: none
    {
        /* Check for deprecated ioctls ... all the ioctls which don't
         * follow the new unique numbering scheme are deprecated:
         * printk(KERN_WARNING "program %s is using a deprecated SCSI ioctl, please convert it to SG_IO\n", current->comm); */

        switch (cmd)
        {
            case SCSI_IOCTL_GET_IDLUN:
                {
                    var v = new byte[SIZEOF_SCSI_IDLUN];
                    BitConverter.TryWriteBytes(v.AsSpan(0, 4), (sdev.Id & 0xff) + ((uint)(sdev.Lun & 0xff) << 8) + ((sdev.Channel & 0xff) << 16) + ((uint)(sdev.Host.HostNo & 0xff) << 24));
                    BitConverter.TryWriteBytes(v.AsSpan(4, 4), sdev.Host.UniqueId);
                    if (CopyToUser(arg, v) != 0)
                        return -EFAULT;
                    return 0;
                }
            case SCSI_IOCTL_GET_BUS_NUMBER:
                return PutUser(sdev.Host.HostNo, arg.Cast<int>());
        }

        return Helpers.ScsiIoctlCommonRest(sdev, cmd, arg);
    }
}

public static class PcmNative
{
    private const int EBADFD = 77;
    private const int SNDRV_PCM_STATE_OPEN = 0;
    private const int SNDRV_PCM_STREAM_PLAYBACK = 0;

    /// <summary>sizeof(struct snd_xferi) on a 64-bit kernel: snd_pcm_sframes_t result, void __user *buf, snd_pcm_uframes_t frames.</summary>
    private const int SIZEOF_SND_XFERI = 24;

    // sound/core/pcm_native.c, snd_pcm_xferi_frames_ioctl(), v5.7 (before ebe6976d3634 "pcm_native: result of
    // put_user() needs to be checked", Al Viro, v5.8; the transfer itself is a stub). Buggy: the frame count
    // (or error) of SNDRV_PCM_IOCTL_WRITEI/READI_FRAMES is stored back with __put_user() and its result
    // dropped: "__put_user() doesn't help here - skipping access_ok() on the second call does not remove the
    // possibility of page having become unmapped or r/o in the meanwhile"; the ioctl then reports success
    // while user space never learns how many frames moved.
    public static int SndPcmXferiFramesIoctlV57(Helpers.SndPcmSubstream substream, UserPtr uXferi)
    {
        var xferi = new byte[SIZEOF_SND_XFERI];
        Helpers.SndPcmRuntime runtime = substream.Runtime;
        long result;

        if (runtime.Status.State == SNDRV_PCM_STATE_OPEN)
            return -EBADFD;
        if (PutUser(0L, uXferi.Cast<long>()) != 0)
            return -EFAULT;
        if (CopyFromUser(xferi, uXferi) != 0)
            return -EFAULT;
        if (substream.Stream == SNDRV_PCM_STREAM_PLAYBACK)
            result = Helpers.SndPcmLibWrite(substream, new UserPtr(BitConverter.ToUInt64(xferi, 8)), BitConverter.ToUInt64(xferi, 16));
        else
            result = Helpers.SndPcmLibRead(substream, new UserPtr(BitConverter.ToUInt64(xferi, 8)), BitConverter.ToUInt64(xferi, 16));
        PutUserUnchecked(result, uXferi.Cast<long>()); // expect: UA5001
        return result < 0 ? (int)result : 0;
    }

    // sound/core/pcm_native.c, snd_pcm_xferi_frames_ioctl(), v5.8 (after ebe6976d3634). Correct: the store
    // is a put_user() whose failure returns -EFAULT.
    public static int SndPcmXferiFramesIoctl(Helpers.SndPcmSubstream substream, UserPtr uXferi) // expect: none
    {
        var xferi = new byte[SIZEOF_SND_XFERI];
        Helpers.SndPcmRuntime runtime = substream.Runtime;
        long result;

        if (runtime.Status.State == SNDRV_PCM_STATE_OPEN)
            return -EBADFD;
        if (PutUser(0L, uXferi.Cast<long>()) != 0)
            return -EFAULT;
        if (CopyFromUser(xferi, uXferi) != 0)
            return -EFAULT;
        if (substream.Stream == SNDRV_PCM_STREAM_PLAYBACK)
            result = Helpers.SndPcmLibWrite(substream, new UserPtr(BitConverter.ToUInt64(xferi, 8)), BitConverter.ToUInt64(xferi, 16));
        else
            result = Helpers.SndPcmLibRead(substream, new UserPtr(BitConverter.ToUInt64(xferi, 8)), BitConverter.ToUInt64(xferi, 16));
        if (PutUser(result, uXferi.Cast<long>()) != 0)
            return -EFAULT;
        return result < 0 ? (int)result : 0;
    }

    // sound/core/pcm_native.c, snd_pcm_rewind_ioctl(), v5.7 (before ebe6976d3634; snd_pcm_rewind() is a
    // stub). Buggy: the frame count is read with get_user(), 0 stored with put_user(), and the number of
    // frames actually rewound stored with __put_user() whose result is dropped (same commit message as
    // above): the application's appl_ptr has moved and a failed store reports success with 0 in *frames.
    public static int SndPcmRewindIoctlV57(Helpers.SndPcmSubstream substream, UserPtr<ulong> uFrames)
    {
        ulong frames;
        long result;

        if (GetUser(out frames, uFrames) != 0)
            return -EFAULT;
        if (PutUser(0UL, uFrames) != 0)
            return -EFAULT;
        result = Helpers.SndPcmRewind(substream, frames);
        PutUserUnchecked((ulong)result, uFrames); // expect: UA5001
        return result < 0 ? (int)result : 0;
    }

    // sound/core/pcm_native.c, snd_pcm_rewind_ioctl(), v5.8 (after ebe6976d3634). Correct: the store's
    // failure returns -EFAULT.
    public static int SndPcmRewindIoctl(Helpers.SndPcmSubstream substream, UserPtr<ulong> uFrames) // expect: none
    {
        ulong frames;
        long result;

        if (GetUser(out frames, uFrames) != 0)
            return -EFAULT;
        if (PutUser(0UL, uFrames) != 0)
            return -EFAULT;
        result = Helpers.SndPcmRewind(substream, frames);
        if (PutUser((ulong)result, uFrames) != 0)
            return -EFAULT;
        return result < 0 ? (int)result : 0;
    }
}

public static class Helpers
{
    private const int EFAULT_ = EFAULT;
    private const int ERESTARTSYS = 512;

    /// <summary>struct Scsi_Host: the fields the ioctls report.</summary>
    public sealed class ScsiHost
    {
        public int HostNo;
        public uint UniqueId;
        public int CmdPerLun;
        public int UncheckedIsaDma;
        public int Emulated;
    }

    /// <summary>struct scsi_device: the fields the ioctls report.</summary>
    public sealed class ScsiDevice
    {
        public ScsiHost Host = new();
        public uint Channel;
        public uint Id;
        public ulong Lun;
        public int Type;
        public int QueueDepth;
    }

    /// <summary>Sg_device: the SCSI device, detaching, sg_tablesize.</summary>
    public sealed class SgDevice
    {
        public ScsiDevice Device = new();
        public bool Detaching;
        public int SgTablesize;
    }

    /// <summary>sg_io_hdr_t held in an Sg_request: the fields sg_write() fills.</summary>
    public sealed class SgIoHdr
    {
        public int InterfaceId;
        public int DxferDirection;
        public byte CmdLen;
        public byte MxSbLen;
        public ushort IovecCount;
        public uint DxferLen;
        public UserPtr Dxferp;
        public UserPtr Sbp;
        public uint Timeout;
        public uint Flags;
        public int PackId;
        public UserPtr UsrPtr;
    }

    /// <summary>Sg_request.</summary>
    public sealed class SgRequest
    {
        public SgIoHdr Header = new();
        public int Done;
        public int Orphan;
        public int SgIoOwned;
    }

    /// <summary>Sg_fd: the per-open state; rq_list_lock (an rwlock_t, taken with read_lock_irqsave()/write_lock_irq()) is a spinlock here.</summary>
    public sealed class SgFd
    {
        public SgDevice? Parentdp;
        public KernelSpinlock RqListLock = new();
        public KernelMutex FMutex = new();
        public List<SgRequest> RqList = new();
        public int Timeout;
        public int TimeoutUser;
        public int ForcePackid;
        public int CmdQ;
        public int KeepOrphan;
        public int NextCmdLen;
        public int ReserveBufflen;
        public bool MmapCalled;
        public bool ResInUse;
    }

    /// <summary>struct file: private_data and f_flags.</summary>
    public sealed class SgFile
    {
        public SgFd? PrivateData;
        public int FFlags;
    }

    /// <summary>scsi_block_when_processing_errors(): waits out error recovery; false when the device went offline.</summary>
    public static bool ScsiBlockWhenProcessingErrors(SgDevice sdp) => true;

    /// <summary>
    /// sg_new_write(): reads the sg_io_hdr_t and the command from buf and queues the request (stub: the reads
    /// are covered by the caller's access_ok()); count or a negative errno, the request in oSrp.
    /// </summary>
    public static long SgNewWrite(SgFd sfp, SgFile file, UserPtr buf, ulong count, int blocking, int readOnly, int sgIoOwned, out SgRequest? oSrp)
    {
        oSrp = new SgRequest();
        sfp.RqList.Add(oSrp);
        return (long)count;
    }

    /// <summary>sg_new_read(): writes the sense data and the sg_io_hdr_t back (stub); count or a negative errno.</summary>
    public static long SgNewRead(SgFd sfp, UserPtr buf, ulong count, SgRequest srp) => (long)count;

    /// <summary>wait_event_interruptible(sfp->read_wait, srp_done(sfp, srp) || atomic_read(&amp;sdp->detaching)): 0 or -ERESTARTSYS.</summary>
    public static int WaitEventInterruptibleSrpDone(SgFd sfp, SgRequest srp, SgDevice sdp) => SignalPending() ? -ERESTARTSYS : 0;

    /// <summary>mult_frac(x, n, d).</summary>
    public static long MultFrac(long x, long n, long d) => x / d * n + x % d * n / d;

    /// <summary>max_sectors_bytes(sdp->device->request_queue).</summary>
    public static int MaxSectorsBytes(SgDevice sdp) => 1 << 20;

    /// <summary>sg_remove_scat(sfp, &amp;sfp->reserve).</summary>
    public static void SgRemoveScat(SgFd sfp) => sfp.ReserveBufflen = 0;

    /// <summary>sg_build_reserve(sfp, req_size).</summary>
    public static void SgBuildReserve(SgFd sfp, int reqSize) => sfp.ReserveBufflen = reqSize;

    /// <summary>sg_fill_request_table(): fills the kernel table from rq_list (caller holds rq_list_lock).</summary>
    public static void SgFillRequestTable(SgFd sfp, byte[] rinfo)
    {
        for (int val = 0; val < sfp.RqList.Count && val < 16; val++)
            rinfo[val * 24] = (byte)(sfp.RqList[val].Done + 1);
    }

    /// <summary>
    /// The rest of sg_ioctl() (SCSI_IOCTL_SEND_COMMAND, SG_SET_DEBUG, BLKSECTGET, BLKTRACE*, and the
    /// default path to scsi_ioctl()), stub: those hand p on to callees that check it themselves.
    /// </summary>
    public static long SgIoctlRest(SgFile filp, SgDevice sdp, uint cmdIn, UserPtr p, int readOnly) => readOnly != 0 ? -1 : -25;

    /// <summary>sg_check_file_access(): -EPERM when called with kernel addresses or by a process whose credentials changed.</summary>
    public static int SgCheckFileAccess(SgFile filp) => 0;

    /// <summary>sg_add_request(): a free request of sfp, or null when the queue is full.</summary>
    public static SgRequest? SgAddRequest(SgFd sfp)
    {
        var srp = new SgRequest();
        sfp.RqList.Add(srp);
        return srp;
    }

    /// <summary>sg_remove_request().</summary>
    public static void SgRemoveRequest(SgFd sfp, SgRequest srp) => sfp.RqList.Remove(srp);

    /// <summary>COMMAND_SIZE(opcode): scsi_command_size_tbl[(opcode >> 5) &amp; 7].</summary>
    public static int CommandSize(byte opcode)
    {
        ReadOnlySpan<byte> scsiCommandSizeTbl = new byte[] { 6, 10, 10, 12, 16, 12, 10, 10 };
        return scsiCommandSizeTbl[(opcode >> 5) & 7];
    }

    /// <summary>sg_common_write(): builds and queues the block request (stub); 0 or a negative errno.</summary>
    public static int SgCommonWrite(SgFd sfp, SgRequest srp, byte[] cmnd, int timeout, int blocking)
    {
        srp.Header.PackId = cmnd[0];
        return 0;
    }

    /// <summary>
    /// The rest of scsi_ioctl_common() (SCSI_IOCTL_PROBE_HOST, SCSI_IOCTL_SEND_COMMAND, door lock/unlock,
    /// test/start/stop unit, SCSI_IOCTL_GET_PCI, SG_SCSI_RESET; -ENOIOCTLCMD otherwise), stub.
    /// </summary>
    public static int ScsiIoctlCommonRest(ScsiDevice sdev, int cmd, UserPtr arg) => -515;

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

    /// <summary>struct snd_pcm_mmap_status: the stream state.</summary>
    public sealed class SndPcmMmapStatus
    {
        public int State;
    }

    /// <summary>struct snd_pcm_runtime.</summary>
    public sealed class SndPcmRuntime
    {
        public SndPcmMmapStatus Status = new();
    }

    /// <summary>struct snd_pcm_substream.</summary>
    public sealed class SndPcmSubstream
    {
        public SndPcmRuntime Runtime = new();
        public int Stream;
    }

    /// <summary>snd_pcm_lib_write(): moves frames from the user buffer to the ring (stub); frames written or a negative errno.</summary>
    public static long SndPcmLibWrite(SndPcmSubstream substream, UserPtr buf, ulong frames) => (long)frames;

    /// <summary>snd_pcm_lib_read(): moves frames from the ring to the user buffer (stub); frames read or a negative errno.</summary>
    public static long SndPcmLibRead(SndPcmSubstream substream, UserPtr buf, ulong frames) => (long)frames;

    /// <summary>snd_pcm_rewind(): moves appl_ptr back; the frames rewound or a negative errno.</summary>
    public static long SndPcmRewind(SndPcmSubstream substream, ulong frames) => (long)frames;
}
