// Held out: media, input and USB character devices that copy to and from user space, each defect before and
// after the kernel's own fix, and current correct code from the same files doing the same things:
// - drivers/usb/gadget/function/f_fs.c __ffs_ep0_queue_wait() (__releases(&ffs->ev.waitq.lock)): an early
//   return that keeps the spinlock, between "usb: gadget: f_fs: Prevent race between functionfs_unbind &
//   ffs_ep0_queue_wait" and "usb: gadget: f_fs: Fix unbalanced spinlock in __ffs_ep0_queue_wait" (Udipto
//   Goswami, v6.2); and, from the same file (v6.2), __ffs_ep0_read_events() and ffs_ep0_read(), which drop
//   the spinlock and the mutex before they copy to the user;
// - drivers/media/dvb/dvb-core/dvb_ca_en50221.c dvb_ca_en50221_io_write(): copy_from_user()'s count of bytes
//   not copied returned as write()'s result, before Dan Carpenter's "V4L/DVB: dvb_ca_en50221: return -EFAULT
//   on copy_to_user errors" (v2.6.35; its io_read() half is in DataPath.cs);
// - drivers/media/dvb-core/dvbdev.c dvb_usercopy() (v4.4): the DVB ioctl argument copied in and out once;
// - drivers/usb/core/devio.c (v2.6.31) get_urb32(), proc_ioctl_compat() and processcompl_compat(): usbfs
//   compat structs read with __get_user() after access_ok(), and a completed URB written back;
// - drivers/media/v4l2-core/v4l2-ctrls.c ptr_to_user() and user_to_ptr(): copy_*_user()'s count returned as the
//   result for pointer controls, inside the v3.17 array-controls series, before Hans Verkuil's "[media] v4l2-ctrl:
//   fix error return of copy_to/from_user";
// - drivers/input/misc/uinput.c (v4.19) uinput_inject_events() and uinput_events_to_user(), and
//   drivers/input/input-compat.c input_ff_effect_from_user() (v4.19): events copied one at a time over the
//   caller's count, and the force-feedback effect copied in whole (compat or native).
// The USB requests, the CAM link, the input core and the URBs are stubs; the user pointers, the accesses,
// their checks, the locks and the control flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.MediaInputUsb;

public static class FunctionFs
{
    public const int FFS_NO_SETUP = 0;
    public const int FFS_SETUP_PENDING = 1;
    public const int FFS_SETUP_CANCELLED = 2;

    public const int FFS_READ_DESCRIPTORS = 0;
    public const int FFS_READ_STRINGS = 1;
    public const int FFS_ACTIVE = 2;

    public const byte FUNCTIONFS_SETUP = 4;
    public const byte USB_DIR_IN = 0x80;

    /// <summary>sizeof(struct usb_functionfs_event): the 8-byte setup packet, the type, 3 bytes of padding.</summary>
    public const int SZ_FUNCTIONFS_EVENT = 12;

    /// <summary>ARRAY_SIZE(ffs->ev.types).</summary>
    public const int FFS_EV_TYPES = 4;

    private const int EIDRM = 43;
    private const int EBADFD = 77;

    // drivers/usb/gadget/function/f_fs.c, __ffs_ep0_queue_wait(), as "usb: gadget: f_fs: Prevent race between
    // functionfs_unbind & ffs_ep0_queue_wait" (Udipto Goswami, v6.2-rc) left it, before "usb: gadget: f_fs: Fix
    // unbalanced spinlock in __ffs_ep0_queue_wait" (same author, v6.2). The function is __releases(&ffs->ev.
    // waitq.lock): ffs_ep0_write() and ffs_ep0_read() call it with the spinlock held and it must drop it. Buggy:
    // the NULL-request check added by the first commit returns -EINVAL with the spinlock still held (and
    // interrupts off); the fix releases it before that return ("__ffs_ep0_queue_wait() is called with
    // ffs->ev.waitq.lock held and expected to release it", paraphrased from memory). The label is on the
    // return that may still hold it, where UA1003 reports a [Releases] contract broken.
    [Releases("ffs.EvWaitqLock")]
    public static int FfsEp0QueueWaitV62rc(Helpers.FfsData ffs, byte[]? data, int len)
    {
        Helpers.UsbRequest? req = ffs.Ep0req;
        int ret;

        if (req == null)
            return -EINVAL; // expect: UA1003

        req.Zero = len < ffs.SetupWLength;

        ffs.EvWaitqLock.Unlock();

        req.Buf = data;
        req.Length = len;

        /*
         * UDC layer requires to provide a buffer even for ZLP, but should
         * not use it at all. Let's provide some poisoned pointer to catch
         * possible bug in the driver.
         */
        if (req.Buf == null)
            req.Buf = Helpers.DeadBabe;

        Helpers.ReinitCompletion(ffs.Ep0reqCompletion);

        ret = Helpers.UsbEpQueue(ffs.Gadget.Ep0, req, Gfp.Atomic);
        if (ret < 0)
            return ret;

        ret = Helpers.WaitForCompletionInterruptible(ffs.Ep0reqCompletion);
        if (ret != 0)
        {
            Helpers.UsbEpDequeue(ffs.Gadget.Ep0, req);
            return -EINTR;
        }

        ffs.SetupState = FFS_NO_SETUP;
        return req.Status != 0 ? req.Status : req.Actual;
    }

    // drivers/usb/gadget/function/f_fs.c, __ffs_ep0_queue_wait(), v6.2 (after "usb: gadget: f_fs: Fix unbalanced
    // spinlock in __ffs_ep0_queue_wait"). Correct: every path drops ffs->ev.waitq.lock, the NULL-request one too.
    [Releases("ffs.EvWaitqLock")]
    public static int FfsEp0QueueWait(Helpers.FfsData ffs, byte[]? data, int len) // expect: none
    {
        Helpers.UsbRequest? req = ffs.Ep0req;
        int ret;

        if (req == null)
        {
            ffs.EvWaitqLock.Unlock();
            return -EINVAL;
        }

        req.Zero = len < ffs.SetupWLength;

        ffs.EvWaitqLock.Unlock();

        req.Buf = data;
        req.Length = len;

        /*
         * UDC layer requires to provide a buffer even for ZLP, but should
         * not use it at all. Let's provide some poisoned pointer to catch
         * possible bug in the driver.
         */
        if (req.Buf == null)
            req.Buf = Helpers.DeadBabe;

        Helpers.ReinitCompletion(ffs.Ep0reqCompletion);

        ret = Helpers.UsbEpQueue(ffs.Gadget.Ep0, req, Gfp.Atomic);
        if (ret < 0)
            return ret;

        ret = Helpers.WaitForCompletionInterruptible(ffs.Ep0reqCompletion);
        if (ret != 0)
        {
            Helpers.UsbEpDequeue(ffs.Gadget.Ep0, req);
            return -EINTR;
        }

        ffs.SetupState = FFS_NO_SETUP;
        return req.Status != 0 ? req.Status : req.Actual;
    }

    // drivers/usb/gadget/function/f_fs.c, __ffs_ep0_read_events(), v6.2. __releases(&ffs->ev.waitq.lock), and it
    // drops ffs->mutex too (ffs_ep0_read() returns its result directly). Correct: the events are built in a
    // kernel array under the spinlock, both locks are dropped, and only then copy_to_user() runs, its failure
    // turned into -EFAULT; the loop runs over n <= ffs->ev.count, the kernel's queue.
    [Releases("ffs.EvWaitqLock")]
    [Releases("ffs.Mutex")]
    public static long FfsEp0ReadEvents(Helpers.FfsData ffs, UserPtr buf, int n) // expect: none
    {
        /*
         * n cannot be bigger than ffs->ev.count, which cannot be bigger than
         * size of ffs->ev.types array (which is four) so that's how much space
         * we reserve.
         */
        var events = new byte[FFS_EV_TYPES * SZ_FUNCTIONFS_EVENT];
        int size = n * SZ_FUNCTIONFS_EVENT;
        int i = 0;

        /* memset(events, 0, size): new byte[] is zeroed */

        do
        {
            events[i * SZ_FUNCTIONFS_EVENT + 8] = ffs.EvTypes[i];
            if (ffs.EvTypes[i] == FUNCTIONFS_SETUP)
            {
                Array.Copy(ffs.EvSetup, 0, events, i * SZ_FUNCTIONFS_EVENT, 8);
                ffs.SetupState = FFS_SETUP_PENDING;
            }
        } while (++i < n);

        ffs.EvCount -= n;
        if (ffs.EvCount != 0)
            Array.Copy(ffs.EvTypes, n, ffs.EvTypes, 0, ffs.EvCount);

        ffs.EvWaitqLock.Unlock();
        ffs.Mutex.Unlock();

        return CopyToUser(buf, events.AsSpan(0, size)) != 0 ? -EFAULT : size;
    }

    // drivers/usb/gadget/function/f_fs.c, ffs_ep0_read(), v6.2 (file->f_flags & O_NONBLOCK is the nonblock
    // parameter). Correct: the events path hands both locks to __ffs_ep0_read_events(); the setup path drops
    // the spinlock around kmalloc(), retakes it, and __ffs_ep0_queue_wait() drops it before waiting; the data
    // is copied to the user with only ffs->mutex held, a failure giving -EFAULT.
    public static long FfsEp0Read(Helpers.FfsData ffs, bool nonblock, UserPtr buf, int len) // expect: none
    {
        byte[]? data = null;
        int n;
        long ret;

        /* Fast check if setup was canceled */
        if (Helpers.FfsSetupStateClearCancelled(ffs) == FFS_SETUP_CANCELLED)
            return -EIDRM;

        /* Acquire mutex */
        ret = Helpers.FfsMutexLock(ffs, nonblock);
        if (ret < 0)
            return ret;

        /* Check state */
        if (ffs.State != FFS_ACTIVE)
        {
            ret = -EBADFD;
            goto done_mutex;
        }

        /*
         * We're called from user space, we can use _irq rather then
         * _irqsave
         */
        ffs.EvWaitqLock.Lock();

        switch (Helpers.FfsSetupStateClearCancelled(ffs))
        {
            case FFS_SETUP_CANCELLED:
                ret = -EIDRM;
                break;

            case FFS_NO_SETUP:
                n = len / SZ_FUNCTIONFS_EVENT;
                if (n == 0)
                {
                    ret = -EINVAL;
                    break;
                }

                if (nonblock && ffs.EvCount == 0)
                {
                    ret = -EAGAIN;
                    break;
                }

                if (Helpers.WaitEventInterruptibleExclusiveLockedIrq(ffs) != 0)
                {
                    ret = -EINTR;
                    break;
                }

                /* unlocks spinlock */
                return FfsEp0ReadEvents(ffs, buf, Math.Min(n, ffs.EvCount));

            case FFS_SETUP_PENDING:
                if ((ffs.SetupBRequestType & USB_DIR_IN) != 0)
                {
                    ffs.EvWaitqLock.Unlock();
                    ret = Helpers.FfsEp0Stall(ffs);
                    goto done_mutex;
                }

                len = Math.Min(len, (int)ffs.SetupWLength);

                ffs.EvWaitqLock.Unlock();

                if (len != 0)
                {
                    data = Kmalloc(len, Gfp.Kernel);
                    if (data == null)
                    {
                        ret = -ENOMEM;
                        goto done_mutex;
                    }
                }

                ffs.EvWaitqLock.Lock();

                /* See ffs_ep0_write() */
                if (Helpers.FfsSetupStateClearCancelled(ffs) == FFS_SETUP_CANCELLED)
                {
                    ret = -EIDRM;
                    break;
                }

                /* unlocks spinlock */
                ret = FfsEp0QueueWait(ffs, data, len);
                if ((ret > 0) && (CopyToUser(buf, data.AsSpan(0, len)) != 0))
                    ret = -EFAULT;
                goto done_mutex;

            default:
                ret = -EBADFD;
                break;
        }

        ffs.EvWaitqLock.Unlock();
    done_mutex:
        ffs.Mutex.Unlock();
        /* kfree(data); */
        return ret;
    }
}

public static class DvbCa
{
    private const int EIO = 5;
    private const int HOST_LINK_BUF_SIZE = 0x1000;

    // drivers/media/dvb/dvb-core/dvb_ca_en50221.c, dvb_ca_en50221_io_write(), v2.6.34 (before Dan Carpenter's
    // "V4L/DVB: dvb_ca_en50221: return -EFAULT on copy_to_user errors", June 2010, v2.6.35; file->private_data
    // is the parameter, the CAM link and jiffies are stubs). Buggy: "copy_to_user() returns the number of
    // bytes remaining to be copied which isn't the right thing to return here. The comments say that these
    // functions in dvb_ca_en50221.c should return the number of bytes copied or an error return": a fragment
    // that cannot be read from the user makes write() return the count of bytes not copied, a positive
    // "bytes written". The store is inside the test, as in io_read(); the label is on the return that passes it.
    public static long DvbCaEn50221IoWriteV2634(Helpers.DvbCaPrivate ca, UserPtr buf, ulong count)
    {
        byte slot, connectionId;
        int status;
        var fragbuf = new byte[HOST_LINK_BUF_SIZE];
        int fragpos = 0;
        int fraglen;
        ulong timeout;
        int written;

        /* dprintk("%s\n", __func__); */

        /* Incoming packet has a 2 byte header. hdr[0] = slot_id, hdr[1] = connection_id */
        if (count < 2)
            return -EINVAL;

        /* extract slot & connection id */
        if (CopyFromUser(out slot, buf.Cast<byte>()) != 0)
            return -EFAULT;
        if (CopyFromUser(out connectionId, (buf + 1).Cast<byte>()) != 0)
            return -EFAULT;
        buf += 2;
        count -= 2;

        /* check if the slot is actually running */
        if (ca.SlotInfo[slot].SlotState != Helpers.DVB_CA_SLOTSTATE_RUNNING)
            return -EINVAL;

        /* fragment the packets & store in the buffer */
        while ((ulong)fragpos < count)
        {
            fraglen = ca.SlotInfo[slot].LinkBufSize - 2;
            if ((int)(count - (ulong)fragpos) < fraglen)
                fraglen = (int)(count - (ulong)fragpos);

            fragbuf[0] = connectionId;
            fragbuf[1] = (byte)(((ulong)(fragpos + fraglen) < count) ? 0x80 : 0x00);
            if ((status = CopyFromUser(fragbuf.AsSpan(2, fraglen), buf + fragpos)) != 0)
                goto exit;

            timeout = Helpers.Jiffies + Helpers.HZ / 2;
            written = 0;
            while (!Helpers.TimeAfter(Helpers.Jiffies, timeout))
            {
                /* check the CAM hasn't been removed/reset in the meantime */
                if (ca.SlotInfo[slot].SlotState != Helpers.DVB_CA_SLOTSTATE_RUNNING)
                {
                    status = -EIO;
                    goto exit;
                }

                status = Helpers.DvbCaEn50221WriteData(ca, slot, fragbuf, fraglen + 2);
                if (status == (fraglen + 2))
                {
                    written = 1;
                    break;
                }
                if (status != -EAGAIN)
                    goto exit;

                Msleep(1);
            }
            if (written == 0)
            {
                status = -EIO;
                goto exit;
            }

            fragpos += fraglen;
        }
        status = (int)(count + 2);

    exit:
        return status; // expect: UA5002
    }

    // drivers/media/dvb/dvb-core/dvb_ca_en50221.c, dvb_ca_en50221_io_write(), v2.6.35 (after the fix, v2 of the
    // patch: "status = copy_from_user(...); if (status) { status = -EFAULT; goto exit; }"). Correct: a short
    // copy of a fragment stores -EFAULT before leaving.
    public static long DvbCaEn50221IoWrite(Helpers.DvbCaPrivate ca, UserPtr buf, ulong count) // expect: none
    {
        byte slot, connectionId;
        int status;
        var fragbuf = new byte[HOST_LINK_BUF_SIZE];
        int fragpos = 0;
        int fraglen;
        ulong timeout;
        int written;

        /* dprintk("%s\n", __func__); */

        /* Incoming packet has a 2 byte header. hdr[0] = slot_id, hdr[1] = connection_id */
        if (count < 2)
            return -EINVAL;

        /* extract slot & connection id */
        if (CopyFromUser(out slot, buf.Cast<byte>()) != 0)
            return -EFAULT;
        if (CopyFromUser(out connectionId, (buf + 1).Cast<byte>()) != 0)
            return -EFAULT;
        buf += 2;
        count -= 2;

        /* check if the slot is actually running */
        if (ca.SlotInfo[slot].SlotState != Helpers.DVB_CA_SLOTSTATE_RUNNING)
            return -EINVAL;

        /* fragment the packets & store in the buffer */
        while ((ulong)fragpos < count)
        {
            fraglen = ca.SlotInfo[slot].LinkBufSize - 2;
            if ((int)(count - (ulong)fragpos) < fraglen)
                fraglen = (int)(count - (ulong)fragpos);

            fragbuf[0] = connectionId;
            fragbuf[1] = (byte)(((ulong)(fragpos + fraglen) < count) ? 0x80 : 0x00);
            status = CopyFromUser(fragbuf.AsSpan(2, fraglen), buf + fragpos);
            if (status != 0)
            {
                status = -EFAULT;
                goto exit;
            }

            timeout = Helpers.Jiffies + Helpers.HZ / 2;
            written = 0;
            while (!Helpers.TimeAfter(Helpers.Jiffies, timeout))
            {
                /* check the CAM hasn't been removed/reset in the meantime */
                if (ca.SlotInfo[slot].SlotState != Helpers.DVB_CA_SLOTSTATE_RUNNING)
                {
                    status = -EIO;
                    goto exit;
                }

                status = Helpers.DvbCaEn50221WriteData(ca, slot, fragbuf, fraglen + 2);
                if (status == (fraglen + 2))
                {
                    written = 1;
                    break;
                }
                if (status != -EAGAIN)
                    goto exit;

                Msleep(1);
            }
            if (written == 0)
            {
                status = -EIO;
                goto exit;
            }

            fragpos += fraglen;
        }
        status = (int)(count + 2);

    exit:
        return status;
    }
}

public static class DvbCore
{
    private const int ENOTTY = 25;
    private const int ENOIOCTLCMD = 515;

    // drivers/media/dvb-core/dvbdev.c, dvb_usercopy(), v4.4 (the _IOC_* decoding is a helper; for _IOC_NONE
    // the driver gets the argument itself, parg = (void *)arg, here the arg parameter). Correct: the argument
    // is copied in once, whole, into a kernel buffer the driver works on, and copied back once for _IOC_READ
    // ioctls; both copies fail with -EFAULT.
    public static int DvbUsercopy(Helpers.DvbFile file, uint cmd, ulong arg, Helpers.DvbIoctlFunc func) // expect: none
    {
        var sbuf = new byte[128];
        byte[]? mbuf = null;
        byte[]? parg = null;
        int err = -EINVAL;

        /*  Copy arguments into temp kernel buffer  */
        switch (Helpers.IocDir(cmd))
        {
            case Helpers.IOC_NONE:
                /*
                 * For this command, the pointer is actually an integer
                 * argument.
                 */
                break;
            case Helpers.IOC_READ: /* some v4l ioctls are marked wrong ... */
            case Helpers.IOC_WRITE:
            case Helpers.IOC_WRITE | Helpers.IOC_READ:
                if (Helpers.IocSize(cmd) <= sbuf.Length)
                {
                    parg = sbuf;
                }
                else
                {
                    /* too big to allocate from stack */
                    mbuf = Kmalloc(Helpers.IocSize(cmd), Gfp.Kernel);
                    if (mbuf == null)
                        return -ENOMEM;
                    parg = mbuf;
                }

                err = -EFAULT;
                if (CopyFromUser(parg.AsSpan(0, Helpers.IocSize(cmd)), new UserPtr(arg)) != 0)
                    goto @out;
                break;
        }

        /* call driver */
        if ((err = func(file, cmd, parg, arg)) == -ENOIOCTLCMD)
            err = -ENOTTY;

        if (err < 0)
            goto @out;

        /*  Copy results into user buffer  */
        switch (Helpers.IocDir(cmd))
        {
            case Helpers.IOC_READ:
            case Helpers.IOC_WRITE | Helpers.IOC_READ:
                if (CopyToUser(new UserPtr(arg), parg.AsSpan(0, Helpers.IocSize(cmd))) != 0)
                    err = -EFAULT;
                break;
        }

    @out:
        /* kfree(mbuf); */
        return err;
    }
}

public static class Usbfs
{
    /// <summary>sizeof(struct usbdevfs_urb32) up to its flexible iso_frame_desc[] array.</summary>
    public const int SZ_USBDEVFS_URB32 = 44;

    /// <summary>sizeof(struct usbdevfs_ioctl32): int ifno, int ioctl_code, compat_caddr_t data.</summary>
    public const int SZ_USBDEVFS_IOCTL32 = 12;

    /// <summary>sizeof(struct usbdevfs_iso_packet_desc): length, actual_length, status.</summary>
    public const int SZ_ISO_PACKET_DESC = 12;

    // drivers/usb/core/devio.c, get_urb32(), v2.6.31 (USBDEVFS_SUBMITURB32). Correct: one access_ok() over the
    // whole struct usbdevfs_urb32, then __get_user() of each field inside it; every failure is -EFAULT.
    public static int GetUrb32(Helpers.UsbdevfsUrb kurb, UserPtr uurb) // expect: none
    {
        uint uptr;

        if (!AccessOk(uurb, SZ_USBDEVFS_URB32) ||
            GetUserUnchecked(out kurb.Type, uurb.Cast<byte>()) != 0 ||
            GetUserUnchecked(out kurb.Endpoint, (uurb + 1).Cast<byte>()) != 0 ||
            GetUserUnchecked(out kurb.Status, (uurb + 4).Cast<int>()) != 0 ||
            GetUserUnchecked(out kurb.Flags, (uurb + 8).Cast<uint>()) != 0 ||
            GetUserUnchecked(out kurb.BufferLength, (uurb + 16).Cast<int>()) != 0 ||
            GetUserUnchecked(out kurb.ActualLength, (uurb + 20).Cast<int>()) != 0 ||
            GetUserUnchecked(out kurb.StartFrame, (uurb + 24).Cast<int>()) != 0 ||
            GetUserUnchecked(out kurb.NumberOfPackets, (uurb + 28).Cast<int>()) != 0 ||
            GetUserUnchecked(out kurb.ErrorCount, (uurb + 32).Cast<int>()) != 0 ||
            GetUserUnchecked(out kurb.Signr, (uurb + 36).Cast<uint>()) != 0)
            return -EFAULT;

        if (GetUserUnchecked(out uptr, (uurb + 12).Cast<uint>()) != 0)
            return -EFAULT;
        kurb.Buffer = new UserPtr(uptr); /* compat_ptr(uptr) */
        if (GetUserUnchecked(out uptr, (uurb + 40).Cast<uint>()) != 0)
            return -EFAULT;
        kurb.Usercontext = new UserPtr(uptr); /* compat_ptr(uptr) */

        return 0;
    }

    // drivers/usb/core/devio.c, proc_ioctl_compat(), v2.6.31 (USBDEVFS_IOCTL32). Correct: access_ok() of the
    // 12-byte compat struct, then __get_user() of its three fields; the converted request goes to proc_ioctl().
    public static int ProcIoctlCompat(Helpers.DevState ps, uint arg) // expect: none
    {
        UserPtr uioc;
        var ctrl = new Helpers.UsbdevfsIoctl();
        uint udata;

        uioc = new UserPtr(arg); /* compat_ptr((long)arg) */
        if (!AccessOk(uioc, SZ_USBDEVFS_IOCTL32) ||
            GetUserUnchecked(out ctrl.Ifno, uioc.Cast<int>()) != 0 ||
            GetUserUnchecked(out ctrl.IoctlCode, (uioc + 4).Cast<int>()) != 0 ||
            GetUserUnchecked(out udata, (uioc + 8).Cast<uint>()) != 0)
            return -EFAULT;
        ctrl.Data = new UserPtr(udata); /* compat_ptr(udata) */

        return Helpers.ProcIoctl(ps, ctrl);
    }

    // drivers/usb/core/devio.c, processcompl_compat(), v2.6.31 (USBDEVFS_REAPURB32). Correct: the data, the
    // status fields and each isochronous packet's result are written with checked put_user()/copy_to_user(),
    // every failure -EFAULT; the packet loop runs over the URB's own number_of_packets, the kernel's array.
    public static int ProcesscomplCompat(Helpers.Async @as, UserPtr arg) // expect: none
    {
        Helpers.Urb urb = @as.Urb;
        UserPtr userurb = @as.Userurb;
        UserPtr addr = @as.Userurb;
        int i;

        if (@as.Userbuffer != UserPtr.Null)
            if (CopyToUser(@as.Userbuffer, urb.TransferBuffer.AsSpan(0, urb.TransferBufferLength)) != 0)
                return -EFAULT;
        if (PutUser(@as.Status, (userurb + 4).Cast<int>()) != 0)
            return -EFAULT;
        if (PutUser(urb.ActualLength, (userurb + 20).Cast<int>()) != 0)
            return -EFAULT;
        if (PutUser(urb.ErrorCount, (userurb + 32).Cast<int>()) != 0)
            return -EFAULT;

        if (urb.IsIsoc)
        {
            for (i = 0; i < urb.NumberOfPackets; i++)
            {
                if (PutUser(urb.IsoFrameDesc[i].ActualLength,
                            (userurb + SZ_USBDEVFS_URB32 + (long)i * SZ_ISO_PACKET_DESC + 4).Cast<uint>()) != 0)
                    return -EFAULT;
                if (PutUser(urb.IsoFrameDesc[i].Status,
                            (userurb + SZ_USBDEVFS_URB32 + (long)i * SZ_ISO_PACKET_DESC + 8).Cast<int>()) != 0)
                    return -EFAULT;
            }
        }

        Helpers.FreeAsync(@as);
        if (PutUser((uint)addr.Address /* ptr_to_compat(addr) */, arg.Cast<uint>()) != 0)
            return -EFAULT;
        return 0;
    }
}

public static class V4l2Ctrls
{
    private const int ENOSPC = 28;
    private const int ERANGE = 34;

    // drivers/media/v4l2-core/v4l2-ctrls.c, ptr_to_user(), as "[media] v4l2-ctrls: add array support" and the
    // commits before it in Hans Verkuil's compound/array controls series left it (mainline history of the
    // v3.17 merge window; the series was merged with its fix, so no release has this state), before "[media]
    // v4l2-ctrl: fix error return of copy_to/from_user" (same series). Buggy: for a pointer (compound or array)
    // control the copy's count of bytes not copied is the result, "copy_to/from_user returns the number of
    // bytes not copied, it does not return a 'normal' linux error code"; the string case and the -ENOSPC path
    // of the same function return errnos, and the VIDIOC_G_EXT_CTRLS loop stops on any nonzero result.
    public static int PtrToUserV317rc(Helpers.V4l2ExtControl c, Helpers.V4l2Ctrl ctrl, byte[] ptr)
    {
        uint len;

        if (ctrl.IsPtr && !ctrl.IsString)
            return CopyToUser(c.Ptr, ptr.AsSpan(0, (int)c.Size)); // expect: UA5002

        switch (ctrl.Type)
        {
            case Helpers.V4L2_CTRL_TYPE_STRING:
                len = Helpers.Strlen(ptr);
                if (c.Size < len + 1)
                {
                    c.Size = ctrl.ElemSize;
                    return -ENOSPC;
                }
                return CopyToUser(c.String, ptr.AsSpan(0, (int)len + 1)) != 0 ?
                       -EFAULT : 0;
            case Helpers.V4L2_CTRL_TYPE_INTEGER64:
                c.Value64 = BitConverter.ToInt64(ptr, 0);
                break;
            default:
                c.Value = BitConverter.ToInt32(ptr, 0);
                break;
        }
        return 0;
    }

    // drivers/media/v4l2-core/v4l2-ctrls.c, ptr_to_user(), v3.17 (after "[media] v4l2-ctrl: fix error return of
    // copy_to/from_user"). Correct: "return copy_to_user(c->ptr, ptr.p, c->size) ? -EFAULT : 0;".
    public static int PtrToUser(Helpers.V4l2ExtControl c, Helpers.V4l2Ctrl ctrl, byte[] ptr) // expect: none
    {
        uint len;

        if (ctrl.IsPtr && !ctrl.IsString)
            return CopyToUser(c.Ptr, ptr.AsSpan(0, (int)c.Size)) != 0 ?
                   -EFAULT : 0;

        switch (ctrl.Type)
        {
            case Helpers.V4L2_CTRL_TYPE_STRING:
                len = Helpers.Strlen(ptr);
                if (c.Size < len + 1)
                {
                    c.Size = ctrl.ElemSize;
                    return -ENOSPC;
                }
                return CopyToUser(c.String, ptr.AsSpan(0, (int)len + 1)) != 0 ?
                       -EFAULT : 0;
            case Helpers.V4L2_CTRL_TYPE_INTEGER64:
                c.Value64 = BitConverter.ToInt64(ptr, 0);
                break;
            default:
                c.Value = BitConverter.ToInt32(ptr, 0);
                break;
        }
        return 0;
    }

    // drivers/media/v4l2-core/v4l2-ctrls.c, user_to_ptr(), in the same series before the same fix. Buggy: the
    // array path stores copy_from_user()'s count in ret and returns it ("if (ret || !ctrl->is_array) return
    // ret;"), a positive result from a function whose other failures are -ERANGE and -EFAULT; the string path
    // already turned its count into -EFAULT ("return ret ? -EFAULT : 0;").
    public static int UserToPtrV317rc(Helpers.V4l2ExtControl c, Helpers.V4l2Ctrl ctrl, byte[] ptr)
    {
        int ret;
        uint size;

        ctrl.IsNew = true;
        if (ctrl.IsPtr && !ctrl.IsString)
        {
            uint idx;

            ret = CopyFromUser(ptr.AsSpan(0, (int)c.Size), c.Ptr);
            if (ret != 0 || !ctrl.IsArray)
                return ret; // expect: UA5002
            for (idx = c.Size / ctrl.ElemSize; idx < ctrl.Elems; idx++)
                Helpers.TypeOpsInit(ctrl, idx, ptr);
            return 0;
        }

        switch (ctrl.Type)
        {
            case Helpers.V4L2_CTRL_TYPE_INTEGER64:
                BitConverter.TryWriteBytes(ptr.AsSpan(0, 8), c.Value64);
                break;
            case Helpers.V4L2_CTRL_TYPE_STRING:
                size = c.Size;
                if (size == 0)
                    return -ERANGE;
                if (size > ctrl.Maximum + 1)
                    size = (uint)(ctrl.Maximum + 1);
                ret = CopyFromUser(ptr.AsSpan(0, (int)size), c.String);
                if (ret == 0)
                {
                    byte last = ptr[size - 1];

                    ptr[size - 1] = 0;
                    /* If the string was longer than ctrl->maximum,
                       then return an error. */
                    if (Helpers.Strlen(ptr) == ctrl.Maximum && last != 0)
                        return -ERANGE;
                }
                return ret != 0 ? -EFAULT : 0;
            default:
                BitConverter.TryWriteBytes(ptr.AsSpan(0, 4), c.Value);
                break;
        }
        return 0;
    }

    // drivers/media/v4l2-core/v4l2-ctrls.c, user_to_ptr(), v3.17 (after the fix). Correct: both copies are
    // turned into -EFAULT where they are made ("ret = copy_from_user(...) ? -EFAULT : 0;").
    public static int UserToPtr(Helpers.V4l2ExtControl c, Helpers.V4l2Ctrl ctrl, byte[] ptr) // expect: none
    {
        int ret;
        uint size;

        ctrl.IsNew = true;
        if (ctrl.IsPtr && !ctrl.IsString)
        {
            uint idx;

            ret = CopyFromUser(ptr.AsSpan(0, (int)c.Size), c.Ptr) != 0 ? -EFAULT : 0;
            if (ret != 0 || !ctrl.IsArray)
                return ret;
            for (idx = c.Size / ctrl.ElemSize; idx < ctrl.Elems; idx++)
                Helpers.TypeOpsInit(ctrl, idx, ptr);
            return 0;
        }

        switch (ctrl.Type)
        {
            case Helpers.V4L2_CTRL_TYPE_INTEGER64:
                BitConverter.TryWriteBytes(ptr.AsSpan(0, 8), c.Value64);
                break;
            case Helpers.V4L2_CTRL_TYPE_STRING:
                size = c.Size;
                if (size == 0)
                    return -ERANGE;
                if (size > ctrl.Maximum + 1)
                    size = (uint)(ctrl.Maximum + 1);
                ret = CopyFromUser(ptr.AsSpan(0, (int)size), c.String) != 0 ? -EFAULT : 0;
                if (ret == 0)
                {
                    byte last = ptr[size - 1];

                    ptr[size - 1] = 0;
                    /* If the string was longer than ctrl->maximum,
                       then return an error. */
                    if (Helpers.Strlen(ptr) == ctrl.Maximum && last != 0)
                        return -ERANGE;
                }
                return ret;
            default:
                BitConverter.TryWriteBytes(ptr.AsSpan(0, 4), c.Value);
                break;
        }
        return 0;
    }
}

public static class Uinput
{
    // drivers/input/misc/uinput.c, uinput_inject_events(), v4.19 (called by uinput_write() under udev->mutex).
    // Correct: events are copied one at a time over the caller's count, a fault anywhere failing the whole
    // write with -EFAULT ("to let userspace know that it got it's buffers all wrong"); each round reports the
    // event and calls cond_resched(). The kernel has no signal check in this loop.
    public static long UinputInjectEvents(Helpers.UinputDevice udev, UserPtr buffer, ulong count) // expect: none
    {
        var ev = new Helpers.InputEvent();
        ulong bytes = 0;

        if (count != 0 && count < Helpers.InputEventSize())
            return -EINVAL;

        while (bytes + Helpers.InputEventSize() <= count)
        {
            /*
             * Note that even if some events were fetched successfully
             * we are still going to return EFAULT instead of partial
             * count to let userspace know that it got it's buffers
             * all wrong.
             */
            if (Helpers.InputEventFromUser(buffer + (long)bytes, ev) != 0)
                return -EFAULT;

            Helpers.InputEventReport(udev.Dev, ev.Type, ev.Code, ev.Value);
            bytes += Helpers.InputEventSize();
            CondResched();
        }

        return (long)bytes;
    }

    // drivers/input/misc/uinput.c, uinput_events_to_user(), v4.19 (called by uinput_read() under udev->mutex).
    // Correct: uinput_fetch_next_event() takes one event off the device's ring under dev->event_lock (a
    // spinlock) and the copy to the user runs after it dropped the lock; the loop stops when the ring is empty.
    public static long UinputEventsToUser(Helpers.UinputDevice udev, UserPtr buffer, ulong count) // expect: none
    {
        var @event = new Helpers.InputEvent();
        ulong read = 0;

        while (read + Helpers.InputEventSize() <= count &&
               Helpers.UinputFetchNextEvent(udev, @event))
        {
            if (Helpers.InputEventToUser(buffer + (long)read, @event) != 0)
                return -EFAULT;

            read += Helpers.InputEventSize();
        }

        return (long)read;
    }

    // drivers/input/input-compat.c, input_ff_effect_from_user(), v4.19 (in_compat_syscall() is the compat
    // parameter; struct ff_effect is 48 bytes, struct ff_effect_compat 44). Correct: the size is checked
    // against the layout, the effect is copied in whole once, and only the compat custom_data pointer, the
    // last field, is rebuilt from the kernel's copy.
    public static int InputFfEffectFromUser(bool compat, UserPtr buffer, ulong size, byte[] effect) // expect: none
    {
        if (compat)
        {
            if (size != Helpers.SZ_FF_EFFECT_COMPAT)
                return -EINVAL;

            /*
             * It so happens that the pointer which needs to be changed
             * is the last field in the structure, so we can retrieve the
             * whole thing and replace just the pointer.
             */
            if (CopyFromUser(effect.AsSpan(0, Helpers.SZ_FF_EFFECT_COMPAT), buffer) != 0)
                return -EFAULT;

            if (BitConverter.ToUInt16(effect, 0) == Helpers.FF_PERIODIC &&
                BitConverter.ToUInt16(effect, 16) == Helpers.FF_CUSTOM)
            {
                uint customData = BitConverter.ToUInt32(effect, 40);
                /* effect->u.periodic.custom_data = compat_ptr(compat_effect->u.periodic.custom_data); */
                BitConverter.TryWriteBytes(effect.AsSpan(40, 8), (ulong)customData);
            }
        }
        else
        {
            if (size != Helpers.SZ_FF_EFFECT)
                return -EINVAL;

            if (CopyFromUser(effect.AsSpan(0, Helpers.SZ_FF_EFFECT), buffer) != 0)
                return -EFAULT;
        }

        return 0;
    }
}

public static class Helpers
{
    public const int ERESTARTSYS = 512;

    // ---- drivers/usb/gadget/function/f_fs.c ----

    /// <summary>The poisoned buffer __ffs_ep0_queue_wait() gives a zero-length request ((void *)0xDEADBABE).</summary>
    public static readonly byte[] DeadBabe = Array.Empty<byte>();

    public sealed class Completion
    {
        public bool Done;
    }

    public sealed class UsbEp
    {
        public string Name = "ep0";
    }

    public sealed class UsbGadget
    {
        public UsbEp Ep0 = new();
    }

    /// <summary>struct usb_request (the fields ep0 uses).</summary>
    public sealed class UsbRequest
    {
        public byte[]? Buf;
        public int Length;
        public bool Zero;
        public int Status;
        public int Actual;
    }

    /// <summary>
    /// struct ffs_data, reduced: ffs->ev.waitq.lock (a spinlock: the event queue and setup state), ffs->mutex,
    /// the ep0 request, the pending setup packet and the event queue.
    /// </summary>
    public sealed class FfsData
    {
        public KernelSpinlock EvWaitqLock = new();
        public KernelMutex Mutex = new();
        public UsbRequest? Ep0req = new();
        public Completion Ep0reqCompletion = new();
        public UsbGadget Gadget = new();
        public int State = FunctionFs.FFS_ACTIVE;
        public int SetupState = FunctionFs.FFS_NO_SETUP;
        public byte SetupBRequestType;
        public ushort SetupWLength;
        public byte[] EvSetup = new byte[8];
        public byte[] EvTypes = new byte[FunctionFs.FFS_EV_TYPES];
        public int EvCount;
    }

    /// <summary>reinit_completion() (stub).</summary>
    public static void ReinitCompletion(Completion c) => c.Done = false;

    /// <summary>usb_ep_queue() (stub): 0 or a negative errno; called with GFP_ATOMIC, it does not sleep.</summary>
    public static int UsbEpQueue(UsbEp ep, UsbRequest req, Gfp flags) => 0;

    /// <summary>usb_ep_dequeue() (stub).</summary>
    public static int UsbEpDequeue(UsbEp ep, UsbRequest req) => 0;

    /// <summary>wait_for_completion_interruptible(): 0 when completed, -ERESTARTSYS on a signal (stub).</summary>
    [MightSleep]
    public static int WaitForCompletionInterruptible(Completion c)
    {
        if (SignalPending())
            return -ERESTARTSYS;
        c.Done = true;
        return 0;
    }

    /// <summary>ffs_setup_state_clear_cancelled(): cmpxchg() of CANCELLED to NO_SETUP; returns the old state.</summary>
    public static int FfsSetupStateClearCancelled(FfsData ffs)
    {
        int old = ffs.SetupState;
        if (old == FunctionFs.FFS_SETUP_CANCELLED)
            ffs.SetupState = FunctionFs.FFS_NO_SETUP;
        return old;
    }

    /// <summary>
    /// ffs_mutex_lock(): mutex_trylock() when nonblocking (-EAGAIN), else mutex_lock_interruptible()
    /// (-ERESTARTSYS; a killable lock stands in for it); 0 with ffs->mutex held.
    /// </summary>
    [Acquires("ffs.Mutex", When = AcquiredWhen.ReturnsZero)]
    public static int FfsMutexLock(FfsData ffs, bool nonblock)
    {
        int rc = 0;

        if (nonblock)
        {
            if (!ffs.Mutex.TryLock())
                rc = -EAGAIN;
        }
        else
        {
            if (ffs.Mutex.LockKillable() != 0)
                rc = -ERESTARTSYS;
        }
        return rc;
    }

    /// <summary>__ffs_ep0_stall() (stub): -EL2HLT after halting ep0, or -ESRCH.</summary>
    public static int FfsEp0Stall(FfsData ffs)
    {
        ffs.SetupState = FunctionFs.FFS_NO_SETUP;
        return -51;
    }

    /// <summary>
    /// wait_event_interruptible_exclusive_locked_irq(ffs->ev.waitq, ffs->ev.count): entered and left with the
    /// waitqueue's spinlock held, which it drops around schedule(); 0, or -ERESTARTSYS on a signal.
    /// </summary>
    [RequiresLock("ffs.EvWaitqLock")]
    public static int WaitEventInterruptibleExclusiveLockedIrq(FfsData ffs)
    {
        while (ffs.EvCount == 0)
        {
            if (SignalPending())
                return -ERESTARTSYS;
            ffs.EvWaitqLock.Unlock();
            Schedule();
            ffs.EvWaitqLock.Lock();
        }
        return 0;
    }

    // ---- drivers/media/dvb/dvb-core/dvb_ca_en50221.c ----

    public const int DVB_CA_SLOTSTATE_RUNNING = 5;

    public sealed class DvbCaSlot
    {
        public int SlotState = DVB_CA_SLOTSTATE_RUNNING;
        public int LinkBufSize = 255;
    }

    /// <summary>struct dvb_ca_private, reduced to its slots.</summary>
    public sealed class DvbCaPrivate
    {
        public DvbCaSlot[] SlotInfo = { new(), new() };
    }

    /// <summary>jiffies (stub).</summary>
    public static ulong Jiffies => (ulong)Environment.TickCount64;

    public const ulong HZ = 1000;

    /// <summary>time_after(a, b).</summary>
    public static bool TimeAfter(ulong a, ulong b) => (long)(b - a) < 0;

    /// <summary>dvb_ca_en50221_write_data() (stub): the bytes written to the CAM, -EAGAIN while busy, or an errno.</summary>
    public static int DvbCaEn50221WriteData(DvbCaPrivate ca, int slot, byte[] buf, int bytesWrite) => bytesWrite;

    // ---- drivers/media/dvb-core/dvbdev.c ----

    public const uint IOC_NONE = 0;
    public const uint IOC_WRITE = 1;
    public const uint IOC_READ = 2;

    /// <summary>_IOC_DIR(cmd).</summary>
    public static uint IocDir(uint cmd) => (cmd >> 30) & 3;

    /// <summary>_IOC_SIZE(cmd).</summary>
    public static int IocSize(uint cmd) => (int)((cmd >> 16) & 0x3fff);

    public sealed class DvbFile
    {
    }

    /// <summary>The driver's ioctl callback: parg is the kernel copy (null for _IOC_NONE, which gets arg).</summary>
    public delegate int DvbIoctlFunc(DvbFile file, uint cmd, byte[]? parg, ulong arg);

    // ---- drivers/usb/core/devio.c ----

    /// <summary>struct usbdevfs_urb, the native form get_urb32() fills.</summary>
    public sealed class UsbdevfsUrb
    {
        public byte Type;
        public byte Endpoint;
        public int Status;
        public uint Flags;
        public UserPtr Buffer;
        public int BufferLength;
        public int ActualLength;
        public int StartFrame;
        public int NumberOfPackets;
        public int ErrorCount;
        public uint Signr;
        public UserPtr Usercontext;
    }

    /// <summary>struct usbdevfs_ioctl.</summary>
    public sealed class UsbdevfsIoctl
    {
        public int Ifno;
        public int IoctlCode;
        public UserPtr Data;
    }

    public sealed class DevState
    {
    }

    /// <summary>proc_ioctl() (stub): the interface driver's ioctl on a kernel copy; 0 or a negative errno.</summary>
    public static int ProcIoctl(DevState ps, UsbdevfsIoctl ctl) => 0;

    public sealed class IsoPacketDesc
    {
        public uint ActualLength;
        public int Status;
    }

    /// <summary>struct urb, reduced: the transfer buffer and the isochronous packets the kernel allocated.</summary>
    public sealed class Urb
    {
        public byte[] TransferBuffer = new byte[64];
        public int TransferBufferLength = 64;
        public int ActualLength;
        public int ErrorCount;
        public bool IsIsoc;
        public int NumberOfPackets;
        public IsoPacketDesc[] IsoFrameDesc = Array.Empty<IsoPacketDesc>();
    }

    /// <summary>struct async: a completed URB and the user addresses it was submitted from.</summary>
    public sealed class Async
    {
        public Urb Urb = new();
        public UserPtr Userurb;
        public UserPtr Userbuffer;
        public int Status;
    }

    /// <summary>free_async() (stub).</summary>
    public static void FreeAsync(Async @as)
    {
    }

    // ---- drivers/media/v4l2-core/v4l2-ctrls.c ----

    public const uint V4L2_CTRL_TYPE_INTEGER64 = 5;
    public const uint V4L2_CTRL_TYPE_STRING = 7;

    /// <summary>struct v4l2_ext_control as the ioctl's kernel copy holds it: its size and the user pointers.</summary>
    public sealed class V4l2ExtControl
    {
        public uint Size;
        public int Value;
        public long Value64;
        public UserPtr String;
        public UserPtr Ptr;
    }

    /// <summary>struct v4l2_ctrl, reduced to what the copies look at.</summary>
    public sealed class V4l2Ctrl
    {
        public uint Type;
        public bool IsPtr;
        public bool IsString;
        public bool IsArray;
        public bool IsNew;
        public uint ElemSize = 4;
        public uint Elems = 1;
        public long Maximum = 31;
    }

    /// <summary>ctrl->type_ops->init(ctrl, idx, ptr) (stub): sets element idx to its default.</summary>
    public static void TypeOpsInit(V4l2Ctrl ctrl, uint idx, byte[] ptr)
    {
    }

    /// <summary>strlen() of a NUL-terminated kernel string.</summary>
    public static uint Strlen(byte[] s)
    {
        int n = Array.IndexOf(s, (byte)0);
        return (uint)(n < 0 ? s.Length : n);
    }

    // ---- drivers/input ----

    public const int SZ_FF_EFFECT = 48;
    public const int SZ_FF_EFFECT_COMPAT = 44;
    public const ushort FF_PERIODIC = 0x51;
    public const ushort FF_CUSTOM = 0x5d;

    /// <summary>struct input_event (native 64-bit layout: 16-byte time, type, code, value).</summary>
    public sealed class InputEvent
    {
        public ushort Type;
        public ushort Code;
        public int Value;
    }

    /// <summary>input_event_size(): sizeof(struct input_event) for the calling task.</summary>
    public static ulong InputEventSize() => 24;

    /// <summary>input_event_from_user(): copy_from_user() of one event; 0 or -EFAULT.</summary>
    public static int InputEventFromUser(UserPtr buffer, InputEvent ev)
    {
        var raw = new byte[24];
        if (CopyFromUser(raw, buffer) != 0)
            return -EFAULT;
        ev.Type = BitConverter.ToUInt16(raw, 16);
        ev.Code = BitConverter.ToUInt16(raw, 18);
        ev.Value = BitConverter.ToInt32(raw, 20);
        return 0;
    }

    /// <summary>input_event_to_user(): copy_to_user() of one event; 0 or -EFAULT.</summary>
    public static int InputEventToUser(UserPtr buffer, InputEvent ev)
    {
        var raw = new byte[24];
        BitConverter.TryWriteBytes(raw.AsSpan(16, 2), ev.Type);
        BitConverter.TryWriteBytes(raw.AsSpan(18, 2), ev.Code);
        BitConverter.TryWriteBytes(raw.AsSpan(20, 4), ev.Value);
        if (CopyToUser(buffer, raw) != 0)
            return -EFAULT;
        return 0;
    }

    public sealed class InputDev
    {
        /// <summary>dev->event_lock.</summary>
        public KernelSpinlock EventLock = new();
    }

    /// <summary>input_event() (stub): hands the event to the input core.</summary>
    public static void InputEventReport(InputDev dev, ushort type, ushort code, int value)
    {
    }

    /// <summary>struct uinput_device, reduced: the input device and the ring of events for user space.</summary>
    public sealed class UinputDevice
    {
        public InputDev Dev = new();
        public InputEvent[] Buff = new InputEvent[16];
        public int Head;
        public int Tail;
    }

    /// <summary>uinput_fetch_next_event(): takes one event off the ring under dev->event_lock.</summary>
    public static bool UinputFetchNextEvent(UinputDevice udev, InputEvent @event)
    {
        bool haveEvent;

        udev.Dev.EventLock.Lock();

        haveEvent = udev.Head != udev.Tail;
        if (haveEvent)
        {
            InputEvent e = udev.Buff[udev.Tail];
            @event.Type = e.Type;
            @event.Code = e.Code;
            @event.Value = e.Value;
            udev.Tail = (udev.Tail + 1) % udev.Buff.Length;
        }

        udev.Dev.EventLock.Unlock();

        return haveEvent;
    }
}
