// Held out: read and ioctl handlers of USB gadget, VFIO, VT and DRM drivers, each before and after the
// kernel's own fix (the VFIO_DEVICE_SET_IRQS and drm_read() near-misses alone):
// - drivers/usb/gadget/legacy/inode.c (gadgetfs) ep0_read(): the OUT data of a control request copied to user
//   space with copy_to_user() under dev->lock, a spinlock taken with spin_lock_irq() ("// FIXME don't call
//   this with the spinlock held ..."), before Alan Stern's "USB: gadgetfs: fix copy_to_user while holding
//   spinlock" (v4.14), which drops the lock around the copy and guards the device with the dev->udc_usage
//   count the same series added;
// - drivers/usb/gadget/legacy/raw_gadget.c raw_ioctl_ep0_read() and raw_ioctl_event_fetch(): copy_to_user()'s
//   and copy_from_user()'s count of bytes not copied returned as the ioctl's result, before Dan Carpenter's
//   068fbff4f860 "usb: raw-gadget: Fix copy_to/from_user() checks" (v5.7-rc2) and Andrey Konovalov's
//   follow-up "usb: raw-gadget: fix return value of ep read ioctls" (v5.7), which made the read ioctls return
//   the bytes transferred again;
// - drivers/vfio/vfio_iommu_type1.c vfio_iommu_type1_ioctl(): "return copy_to_user(...);" from an ioctl that
//   returns negative errnos, in the v3.10-era file, and the later "? -EFAULT : 0" form (v4.10);
// - drivers/vfio/pci/vfio_pci.c vfio_pci_ioctl() VFIO_DEVICE_SET_IRQS (v5.10), a near-miss for the double
//   fetch: the header is copied once and the data array after it read by memdup_user();
// - drivers/tty/vt/selection.c set_selection() (TIOCLINUX TIOCL_SETSEL): five __get_user() results dropped
//   after access_ok(), up to v5.2, and v5.3's set_selection_user(), one copy_from_user() that fails with
//   -EFAULT;
// - drivers/gpu/drm/drm_file.c drm_read() (v6.6), a near-miss for the copy under a spinlock: each event is
//   unlinked under dev->event_lock and copied out after the spinlock is dropped.
// The USB requests, the endpoint queues, the event queues, the IOMMU work and the screen selection are stubs;
// the user pointers, the copies, their checks, the locks and the control flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.DriverIoctls;

public static class GadgetFs
{
    private const int EIO = 5;
    private const int EL2HLT = 51;
    private const int EIDRM = 43;
    private const int ECANCELED = 125;
    private const int O_NONBLOCK = 0x800;

    public const int STATE_DEV_DISABLED = 0;
    public const int STATE_DEV_OPENED = 1;
    public const int STATE_DEV_UNCONNECTED = 2;
    public const int STATE_DEV_CONNECTED = 3;
    public const int STATE_DEV_SETUP = 4;
    public const int STATE_DEV_UNBOUND = 5;

    public const int GADGETFS_SETUP = 3;

    /// <summary>sizeof(struct usb_gadgetfs_event): the union (8 bytes: a usb_ctrlrequest or the speed) and the type.</summary>
    public const int SIZEOF_USB_GADGETFS_EVENT = 12;

    // drivers/usb/gadget/legacy/inode.c, ep0_read(), v4.13 era (the text of torvalds/linux 00ed905ab8e5 in
    // the index), before Alan Stern's "USB: gadgetfs: fix copy_to_user while holding spinlock" (v4.14).
    // Buggy: after the wait for a control request's OUT data the lock is taken again with spin_lock_irq() and
    // the data copied to the user's buffer with copy_to_user() before it is dropped, the call the file itself
    // marked "// FIXME don't call this with the spinlock held ...": copy_to_user() may fault and sleep in
    // atomic context. The fix (its message paraphrased, not re-read here) resolves that long-standing FIXME
    // by dropping the spinlock around the copy and raising dev->udc_usage, the count the same series added,
    // to keep the device from being unbound meanwhile. The event copy further down already ran with the lock
    // dropped.
    public static long Ep0ReadV413(Helpers.GadgetFile fd, UserPtr buf, ulong len)
    {
        Helpers.DevData dev = fd.PrivateData;
        long retval;
        int state;

        dev.Lock.Lock();
        if (dev.State <= STATE_DEV_OPENED)
        {
            retval = -EINVAL;
            goto done;
        }

        /* report fd mode change before acting on it */
        if (dev.SetupAbort)
        {
            dev.SetupAbort = false;
            retval = -EIDRM;
            goto done;
        }

        /* control DATA stage */
        if ((state = dev.State) == STATE_DEV_SETUP)
        {
            if (dev.SetupIn)
            {               /* stall IN */
                /* VDEBUG(dev, "ep0in stall\n"); */
                Helpers.UsbEpSetHalt(dev.Ep0);
                retval = -EL2HLT;
                dev.State = STATE_DEV_CONNECTED;
            }
            else if (len == 0)
            {               /* ack SET_CONFIGURATION etc */
                if ((retval = Helpers.SetupReq(dev, 0)) == 0)
                {
                    dev.Lock.Unlock();
                    retval = Helpers.UsbEpQueue(dev.Ep0, dev.Req);
                    dev.Lock.Lock();
                }
                dev.State = STATE_DEV_CONNECTED;

                /* assume that was SET_CONFIGURATION */
                if (dev.CurrentConfig != 0)
                    Helpers.UsbGadgetVbusDraw(dev, 2 * dev.MaxPower);
            }
            else
            {               /* collect OUT data */
                if ((fd.FFlags & O_NONBLOCK) != 0 && !dev.SetupOutReady)
                {
                    retval = -EAGAIN;
                    goto done;
                }
                dev.Lock.Unlock();
                retval = Helpers.WaitEventInterruptibleSetupOutReady(dev);

                /* FIXME state could change from under us */
                dev.Lock.Lock();
                if (retval != 0)
                    goto done;

                if (dev.State != STATE_DEV_SETUP)
                {
                    retval = -ECANCELED;
                    goto done;
                }
                dev.State = STATE_DEV_CONNECTED;

                if (dev.SetupOutError)
                    retval = -EIO;
                else
                {
                    len = Math.Min(len, (ulong)dev.Req.Actual);
                    // FIXME don't call this with the spinlock held ...
                    if (CopyToUser(buf, dev.Req.Buf.AsSpan(0, (int)len)) != 0) // expect: UA1001
                        retval = -EFAULT;
                    else
                        retval = (long)len;
                    Helpers.CleanReq(dev);
                    /* NOTE userspace can't yet choose to stall */
                }
            }
            goto done;
        }

        /* else normal: return event data */
        if (len < SIZEOF_USB_GADGETFS_EVENT)
        {
            retval = -EINVAL;
            goto done;
        }
        len -= len % SIZEOF_USB_GADGETFS_EVENT;
        dev.UsermodeSetup = true;

    scan:
        /* return queued events right away */
        if (dev.EvNext != 0)
        {
            uint i, n;

            n = (uint)(len / SIZEOF_USB_GADGETFS_EVENT);
            if (dev.EvNext < n)
                n = dev.EvNext;

            /* ep0 i/o has special semantics during STATE_DEV_SETUP */
            for (i = 0; i < n; i++)
            {
                if (dev.EventType[i] == GADGETFS_SETUP)
                {
                    dev.State = STATE_DEV_SETUP;
                    n = i + 1;
                    break;
                }
            }
            dev.Lock.Unlock();
            len = n * SIZEOF_USB_GADGETFS_EVENT;
            if (CopyToUser(buf, dev.Event.AsSpan(0, (int)len)) != 0)
                retval = -EFAULT;
            else
                retval = (long)len;
            if (len > 0)
            {
                /* NOTE this doesn't guard against broken drivers;
                 * concurrent ep0 readers may lose events.
                 */
                dev.Lock.Lock();
                if (dev.EvNext > n)
                    Helpers.DropEvents(dev, n);
                dev.EvNext -= n;
                dev.Lock.Unlock();
            }
            return retval;
        }
        if ((fd.FFlags & O_NONBLOCK) != 0)
        {
            retval = -EAGAIN;
            goto done;
        }

        switch (state)
        {
            default:
                /* DBG (dev, "fail %s, state %d\n", __func__, state); */
                retval = -ESRCH;
                break;
            case STATE_DEV_UNCONNECTED:
            case STATE_DEV_CONNECTED:
                dev.Lock.Unlock();
                /* DBG (dev, "%s wait\n", __func__); */

                /* wait for events */
                retval = Helpers.WaitEventInterruptibleEvNext(dev);
                if (retval < 0)
                    return retval;
                dev.Lock.Lock();
                goto scan;
        }

    done:
        dev.Lock.Unlock();
        return retval;
    }

    // drivers/usb/gadget/legacy/inode.c, ep0_read(), after "USB: gadgetfs: fix copy_to_user while holding
    // spinlock" (v4.14; the copy in the index is of the v4.16 era, __poll_t in ep0_poll()). Correct:
    // dev->udc_usage is raised, the spinlock dropped around copy_to_user(), and the lock taken again before
    // the request is cleaned up; the queueing of the zero-length status stage is guarded the same way.
    public static long Ep0Read(Helpers.GadgetFile fd, UserPtr buf, ulong len) // expect: none
    {
        Helpers.DevData dev = fd.PrivateData;
        long retval;
        int state;

        dev.Lock.Lock();
        if (dev.State <= STATE_DEV_OPENED)
        {
            retval = -EINVAL;
            goto done;
        }

        /* report fd mode change before acting on it */
        if (dev.SetupAbort)
        {
            dev.SetupAbort = false;
            retval = -EIDRM;
            goto done;
        }

        /* control DATA stage */
        if ((state = dev.State) == STATE_DEV_SETUP)
        {
            if (dev.SetupIn)
            {               /* stall IN */
                /* VDEBUG(dev, "ep0in stall\n"); */
                Helpers.UsbEpSetHalt(dev.Ep0);
                retval = -EL2HLT;
                dev.State = STATE_DEV_CONNECTED;
            }
            else if (len == 0)
            {               /* ack SET_CONFIGURATION etc */
                if ((retval = Helpers.SetupReq(dev, 0)) == 0)
                {
                    ++dev.UdcUsage;
                    dev.Lock.Unlock();
                    retval = Helpers.UsbEpQueue(dev.Ep0, dev.Req);
                    dev.Lock.Lock();
                    --dev.UdcUsage;
                }
                dev.State = STATE_DEV_CONNECTED;

                /* assume that was SET_CONFIGURATION */
                if (dev.CurrentConfig != 0)
                    Helpers.UsbGadgetVbusDraw(dev, 2 * dev.MaxPower);
            }
            else
            {               /* collect OUT data */
                if ((fd.FFlags & O_NONBLOCK) != 0 && !dev.SetupOutReady)
                {
                    retval = -EAGAIN;
                    goto done;
                }
                dev.Lock.Unlock();
                retval = Helpers.WaitEventInterruptibleSetupOutReady(dev);

                /* FIXME state could change from under us */
                dev.Lock.Lock();
                if (retval != 0)
                    goto done;

                if (dev.State != STATE_DEV_SETUP)
                {
                    retval = -ECANCELED;
                    goto done;
                }
                dev.State = STATE_DEV_CONNECTED;

                if (dev.SetupOutError)
                    retval = -EIO;
                else
                {
                    len = Math.Min(len, (ulong)dev.Req.Actual);
                    ++dev.UdcUsage;
                    dev.Lock.Unlock();
                    if (CopyToUser(buf, dev.Req.Buf.AsSpan(0, (int)len)) != 0)
                        retval = -EFAULT;
                    else
                        retval = (long)len;
                    dev.Lock.Lock();
                    --dev.UdcUsage;
                    Helpers.CleanReq(dev);
                    /* NOTE userspace can't yet choose to stall */
                }
            }
            goto done;
        }

        /* else normal: return event data */
        if (len < SIZEOF_USB_GADGETFS_EVENT)
        {
            retval = -EINVAL;
            goto done;
        }
        len -= len % SIZEOF_USB_GADGETFS_EVENT;
        dev.UsermodeSetup = true;

    scan:
        /* return queued events right away */
        if (dev.EvNext != 0)
        {
            uint i, n;

            n = (uint)(len / SIZEOF_USB_GADGETFS_EVENT);
            if (dev.EvNext < n)
                n = dev.EvNext;

            /* ep0 i/o has special semantics during STATE_DEV_SETUP */
            for (i = 0; i < n; i++)
            {
                if (dev.EventType[i] == GADGETFS_SETUP)
                {
                    dev.State = STATE_DEV_SETUP;
                    n = i + 1;
                    break;
                }
            }
            dev.Lock.Unlock();
            len = n * SIZEOF_USB_GADGETFS_EVENT;
            if (CopyToUser(buf, dev.Event.AsSpan(0, (int)len)) != 0)
                retval = -EFAULT;
            else
                retval = (long)len;
            if (len > 0)
            {
                /* NOTE this doesn't guard against broken drivers;
                 * concurrent ep0 readers may lose events.
                 */
                dev.Lock.Lock();
                if (dev.EvNext > n)
                    Helpers.DropEvents(dev, n);
                dev.EvNext -= n;
                dev.Lock.Unlock();
            }
            return retval;
        }
        if ((fd.FFlags & O_NONBLOCK) != 0)
        {
            retval = -EAGAIN;
            goto done;
        }

        switch (state)
        {
            default:
                /* DBG (dev, "fail %s, state %d\n", __func__, state); */
                retval = -ESRCH;
                break;
            case STATE_DEV_UNCONNECTED:
            case STATE_DEV_CONNECTED:
                dev.Lock.Unlock();
                /* DBG (dev, "%s wait\n", __func__); */

                /* wait for events */
                retval = Helpers.WaitEventInterruptibleEvNext(dev);
                if (retval < 0)
                    return retval;
                dev.Lock.Lock();
                goto scan;
        }

    done:
        dev.Lock.Unlock();
        return retval;
    }
}

public static class RawGadget
{
    private const int ENODEV = 19;

    public const int STATE_DEV_RUNNING = 5;

    /// <summary>sizeof(struct usb_raw_ep_io): ep (u16), flags (u16), length (u32); data[] follows.</summary>
    public const int SIZEOF_USB_RAW_EP_IO = 8;

    /// <summary>sizeof(struct usb_raw_event): type (u32), length (u32); data[] follows.</summary>
    public const int SIZEOF_USB_RAW_EVENT = 8;

    // drivers/usb/gadget/legacy/raw_gadget.c, raw_ioctl_ep0_read(), v5.7-rc1 (as f2c2e717642c "usb: gadget: add
    // raw-gadget interface" added it; raw_alloc_io_data(), which copies the usb_raw_ep_io header in and had
    // the same defect through ERR_PTR(ret), is a stub). Buggy: the data stage is copied back after the header
    // with "ret = copy_to_user(...); kfree(data); return ret;": a fault returns the count of bytes not copied
    // as the ioctl's result, a positive number user space reads as a success. 068fbff4f860 (Dan Carpenter):
    // "The copy_to/from_user() functions return the number of bytes remaining but we want to return negative
    // error codes."
    public static int RawIoctlEp0ReadV57Rc1(Helpers.RawDev dev, ulong value)
    {
        int ret = 0;
        byte[]? data;
        var io = new Helpers.UsbRawEpIo();
        uint length;

        data = Helpers.RawAllocIoData(io, new UserPtr(value), false, out int err);
        if (data == null)
            return err;
        ret = Helpers.RawProcessEp0Io(dev, io, data, false);
        if (ret < 0)
        {
            /* kfree(data); */
            return ret;
        }
        length = Math.Min(io.Length, (uint)ret);
        ret = CopyToUser(new UserPtr(value + SIZEOF_USB_RAW_EP_IO), data.AsSpan(0, (int)length));
        /* kfree(data); */
        return ret; // expect: UA5002
    }

    // drivers/usb/gadget/legacy/raw_gadget.c, raw_ioctl_ep0_read(), v5.7 (068fbff4f860 and Andrey Konovalov's
    // "usb: raw-gadget: fix return value of ep read ioctls": "They must return the number of bytes transferred
    // during the data stage"). Correct: a failed copy returns -EFAULT, a successful one the length copied.
    public static int RawIoctlEp0Read(Helpers.RawDev dev, ulong value) // expect: none
    {
        int ret = 0;
        byte[]? data;
        var io = new Helpers.UsbRawEpIo();
        uint length;

        data = Helpers.RawAllocIoData(io, new UserPtr(value), false, out int err);
        if (data == null)
            return err;
        ret = Helpers.RawProcessEp0Io(dev, io, data, false);
        if (ret < 0)
            goto free;

        length = Math.Min(io.Length, (uint)ret);
        if (CopyToUser(new UserPtr(value + SIZEOF_USB_RAW_EP_IO), data.AsSpan(0, (int)length)) != 0)
            ret = -EFAULT;
        else
            ret = (int)length;
    free:
        /* kfree(data); */
        return ret;
    }

    // drivers/usb/gadget/legacy/raw_gadget.c, raw_ioctl_event_fetch(), v5.7-rc1 (as f2c2e717642c added it).
    // Buggy twice over, on the same commit's word: the struct usb_raw_event header is read with
    // "ret = copy_from_user(&arg, ...); if (ret) return ret;", and the event written back with
    // "ret = copy_to_user(...); return ret;": either fault hands user space the positive count of bytes not
    // copied instead of -EFAULT.
    public static int RawIoctlEventFetchV57Rc1(Helpers.RawDev dev, ulong value)
    {
        int ret = 0;
        var arg = new byte[SIZEOF_USB_RAW_EVENT];
        Helpers.UsbRawEvent? @event;
        uint length;

        ret = CopyFromUser(arg, new UserPtr(value));
        if (ret != 0)
            return ret; // expect: UA5002

        dev.Lock.Lock();
        if (dev.State != STATE_DEV_RUNNING)
        {
            /* pr_debug("fail, device is not running\n"); */
            dev.Lock.Unlock();
            return -EINVAL;
        }
        if (dev.Gadget == null)
        {
            /* pr_debug("fail, gadget is not bound\n"); */
            dev.Lock.Unlock();
            return -EBUSY;
        }
        dev.Lock.Unlock();

        @event = Helpers.RawEventQueueFetch(dev);
        if (@event == null)
        {
            /* pr_debug("event fetching interrupted\n"); */
            return -EINTR;
        }
        length = Math.Min(BitConverter.ToUInt32(arg, 4), @event.Length);
        ret = CopyToUser(new UserPtr(value), @event.Bytes.AsSpan(0, SIZEOF_USB_RAW_EVENT + (int)length));
        return ret; // expect: UA5002
    }

    // drivers/usb/gadget/legacy/raw_gadget.c, raw_ioctl_event_fetch(), v5.7-rc2 (after 068fbff4f860; the
    // -ENODEV path for a failed fetch and the kfree() of the event came later). Correct: both copies are
    // tested for failure and return -EFAULT.
    public static int RawIoctlEventFetch(Helpers.RawDev dev, ulong value) // expect: none
    {
        var arg = new byte[SIZEOF_USB_RAW_EVENT];
        Helpers.UsbRawEvent? @event;
        uint length;

        if (CopyFromUser(arg, new UserPtr(value)) != 0)
            return -EFAULT;

        dev.Lock.Lock();
        if (dev.State != STATE_DEV_RUNNING)
        {
            /* dev_dbg(dev->dev, "fail, device is not running\n"); */
            dev.Lock.Unlock();
            return -EINVAL;
        }
        if (dev.Gadget == null)
        {
            /* dev_dbg(dev->dev, "fail, gadget is not bound\n"); */
            dev.Lock.Unlock();
            return -EBUSY;
        }
        dev.Lock.Unlock();

        @event = Helpers.RawEventQueueFetch(dev);
        if (@event == null)
        {
            /* dev_dbg(&dev->gadget->dev, "event fetching interrupted\n"); */
            return -EINTR;
        }
        length = Math.Min(BitConverter.ToUInt32(arg, 4), @event.Length);
        if (CopyToUser(new UserPtr(value), @event.Bytes.AsSpan(0, SIZEOF_USB_RAW_EVENT + (int)length)) != 0)
            return -EFAULT;

        return 0;
    }
}

public static class VfioIoctls
{
    private const int ENOTTY = 25;

    private const uint VFIO_TYPE1_IOMMU = 1;
    private const uint VFIO_TYPE1v2_IOMMU = 3;
    private const uint VFIO_DMA_CC_IOMMU = 4;
    private const uint VFIO_TYPE1_NESTING_IOMMU = 6;

    private const uint VFIO_CHECK_EXTENSION = 0x3b65;
    private const uint VFIO_IOMMU_GET_INFO = 0x3b70;
    private const uint VFIO_IOMMU_MAP_DMA = 0x3b71;
    private const uint VFIO_IOMMU_UNMAP_DMA = 0x3b72;
    private const uint VFIO_DEVICE_SET_IRQS = 0x3b6e;

    private const uint VFIO_IOMMU_INFO_PGSIZES = 1;
    private const uint VFIO_DMA_MAP_FLAG_READ = 1;
    private const uint VFIO_DMA_MAP_FLAG_WRITE = 2;

    /// <summary>sizeof(struct vfio_iommu_type1_info): argsz, flags (u32), iova_pgsizes (u64).</summary>
    private const int SIZEOF_VFIO_IOMMU_TYPE1_INFO = 16;

    /// <summary>sizeof(struct vfio_iommu_type1_dma_map): argsz, flags (u32), vaddr, iova, size (u64).</summary>
    private const int SIZEOF_VFIO_IOMMU_TYPE1_DMA_MAP = 32;

    /// <summary>sizeof(struct vfio_iommu_type1_dma_unmap): argsz, flags (u32), iova, size (u64).</summary>
    private const int SIZEOF_VFIO_IOMMU_TYPE1_DMA_UNMAP = 24;

    /// <summary>offsetofend(struct vfio_irq_set, count): argsz, flags, index, start, count (u32); data[] follows.</summary>
    private const int VFIO_IRQ_SET_MINSZ = 20;

    // drivers/vfio/vfio_iommu_type1.c, vfio_iommu_type1_ioctl(), as the file stands with its rbtree dma_list
    // and the disable_hugepages parameter (the v3.10 era; the copy of that era in the index). Buggy:
    // VFIO_IOMMU_GET_INFO and VFIO_IOMMU_UNMAP_DMA end with "return copy_to_user((void __user *)arg, &info,
    // minsz);": the ioctl returns -EFAULT, -EINVAL and vfio_dma_do_unmap()'s errno on its other paths, and on
    // a fault the count of bytes not copied, a positive value user space takes for success with the struct
    // unwritten. Later versions (v4.10 below) return "copy_to_user(...) ? -EFAULT : 0". The commit that
    // changed these two lines is not identified here; the label rests on the code alone.
    public static long VfioIommuType1IoctlV310(Helpers.VfioIommu iommu, uint cmd, ulong arg)
    {
        ulong minsz;

        if (cmd == VFIO_CHECK_EXTENSION)
        {
            switch (arg)
            {
                case VFIO_TYPE1_IOMMU:
                    return 1;
                default:
                    return 0;
            }
        }
        else if (cmd == VFIO_IOMMU_GET_INFO)
        {
            var info = new byte[SIZEOF_VFIO_IOMMU_TYPE1_INFO];

            minsz = 16; /* offsetofend(struct vfio_iommu_type1_info, iova_pgsizes) */

            if (CopyFromUser(info.AsSpan(0, (int)minsz), new UserPtr(arg)) != 0)
                return -EFAULT;

            if (BitConverter.ToUInt32(info, 0) < minsz)
                return -EINVAL;

            BitConverter.TryWriteBytes(info.AsSpan(4, 4), 0u);

            BitConverter.TryWriteBytes(info.AsSpan(8, 8), iommu.PgsizeBitmap);

            return CopyToUser(new UserPtr(arg), info.AsSpan(0, (int)minsz)); // expect: UA5002
        }
        else if (cmd == VFIO_IOMMU_MAP_DMA)
        {
            var map = new byte[SIZEOF_VFIO_IOMMU_TYPE1_DMA_MAP];
            uint mask = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;

            minsz = 32; /* offsetofend(struct vfio_iommu_type1_dma_map, size) */

            if (CopyFromUser(map.AsSpan(0, (int)minsz), new UserPtr(arg)) != 0)
                return -EFAULT;

            if (BitConverter.ToUInt32(map, 0) < minsz || (BitConverter.ToUInt32(map, 4) & ~mask) != 0)
                return -EINVAL;

            return Helpers.VfioDmaDoMap(iommu, map);
        }
        else if (cmd == VFIO_IOMMU_UNMAP_DMA)
        {
            var unmap = new byte[SIZEOF_VFIO_IOMMU_TYPE1_DMA_UNMAP];
            long ret;

            minsz = 24; /* offsetofend(struct vfio_iommu_type1_dma_unmap, size) */

            if (CopyFromUser(unmap.AsSpan(0, (int)minsz), new UserPtr(arg)) != 0)
                return -EFAULT;

            if (BitConverter.ToUInt32(unmap, 0) < minsz || BitConverter.ToUInt32(unmap, 4) != 0)
                return -EINVAL;

            ret = Helpers.VfioDmaDoUnmap(iommu, unmap);
            if (ret != 0)
                return ret;

            return CopyToUser(new UserPtr(arg), unmap.AsSpan(0, (int)minsz)); // expect: UA5002
        }

        return -ENOTTY;
    }

    // drivers/vfio/vfio_iommu_type1.c, vfio_iommu_type1_ioctl(), v4.10 (the external domain and the notifier
    // are there; the ioctl is otherwise the one above with more extensions). Correct: both copies back end in
    // "copy_to_user(...) ? -EFAULT : 0".
    public static long VfioIommuType1Ioctl(Helpers.VfioIommu? iommu, uint cmd, ulong arg) // expect: none
    {
        ulong minsz;

        if (cmd == VFIO_CHECK_EXTENSION)
        {
            switch (arg)
            {
                case VFIO_TYPE1_IOMMU:
                case VFIO_TYPE1v2_IOMMU:
                case VFIO_TYPE1_NESTING_IOMMU:
                    return 1;
                case VFIO_DMA_CC_IOMMU:
                    if (iommu == null)
                        return 0;
                    return Helpers.VfioDomainsHaveIommuCache(iommu);
                default:
                    return 0;
            }
        }
        else if (cmd == VFIO_IOMMU_GET_INFO)
        {
            var info = new byte[SIZEOF_VFIO_IOMMU_TYPE1_INFO];

            minsz = 16; /* offsetofend(struct vfio_iommu_type1_info, iova_pgsizes) */

            if (CopyFromUser(info.AsSpan(0, (int)minsz), new UserPtr(arg)) != 0)
                return -EFAULT;

            if (BitConverter.ToUInt32(info, 0) < minsz)
                return -EINVAL;

            BitConverter.TryWriteBytes(info.AsSpan(4, 4), VFIO_IOMMU_INFO_PGSIZES);

            BitConverter.TryWriteBytes(info.AsSpan(8, 8), Helpers.VfioPgsizeBitmap(iommu!));

            return CopyToUser(new UserPtr(arg), info.AsSpan(0, (int)minsz)) != 0 ? -EFAULT : 0;
        }
        else if (cmd == VFIO_IOMMU_MAP_DMA)
        {
            var map = new byte[SIZEOF_VFIO_IOMMU_TYPE1_DMA_MAP];
            uint mask = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;

            minsz = 32; /* offsetofend(struct vfio_iommu_type1_dma_map, size) */

            if (CopyFromUser(map.AsSpan(0, (int)minsz), new UserPtr(arg)) != 0)
                return -EFAULT;

            if (BitConverter.ToUInt32(map, 0) < minsz || (BitConverter.ToUInt32(map, 4) & ~mask) != 0)
                return -EINVAL;

            return Helpers.VfioDmaDoMap(iommu!, map);
        }
        else if (cmd == VFIO_IOMMU_UNMAP_DMA)
        {
            var unmap = new byte[SIZEOF_VFIO_IOMMU_TYPE1_DMA_UNMAP];
            long ret;

            minsz = 24; /* offsetofend(struct vfio_iommu_type1_dma_unmap, size) */

            if (CopyFromUser(unmap.AsSpan(0, (int)minsz), new UserPtr(arg)) != 0)
                return -EFAULT;

            if (BitConverter.ToUInt32(unmap, 0) < minsz || BitConverter.ToUInt32(unmap, 4) != 0)
                return -EINVAL;

            ret = Helpers.VfioDmaDoUnmap(iommu!, unmap);
            if (ret != 0)
                return ret;

            return CopyToUser(new UserPtr(arg), unmap.AsSpan(0, (int)minsz)) != 0 ? -EFAULT : 0;
        }

        return -ENOTTY;
    }

    // drivers/vfio/pci/vfio_pci.c, vfio_pci_ioctl(), v5.10: the VFIO_DEVICE_SET_IRQS command (the kernel tests
    // it in a chain of ifs after GET_INFO, GET_REGION_INFO and GET_IRQ_INFO; those and the later commands are a
    // stub here). A near-miss for the double fetch, correct: the vfio_irq_set header (minsz = 20 bytes) is
    // copied once and checked by vfio_set_irqs_validate_and_prepare(), which sizes the data; memdup_user()
    // then reads the data array that follows the header, at arg + minsz, bytes the first copy never read, and
    // the handler uses the header's kernel copy (hdr.count, hdr.start) with it.
    public static long VfioPciIoctl(Helpers.VfioPciDevice vdev, uint cmd, ulong arg) // expect: none
    {
        ulong minsz;

        if (cmd == VFIO_DEVICE_SET_IRQS)
        {
            var hdr = new byte[VFIO_IRQ_SET_MINSZ];
            byte[]? data = null;
            int max, ret = 0;
            int dataSize = 0;

            minsz = VFIO_IRQ_SET_MINSZ; /* offsetofend(struct vfio_irq_set, count) */

            if (CopyFromUser(hdr.AsSpan(0, (int)minsz), new UserPtr(arg)) != 0)
                return -EFAULT;

            max = Helpers.VfioPciGetIrqCount(vdev, BitConverter.ToUInt32(hdr, 8));

            ret = Helpers.VfioSetIrqsValidateAndPrepare(hdr, max, Helpers.VFIO_PCI_NUM_IRQS, out dataSize);
            if (ret != 0)
                return ret;

            if (dataSize != 0)
            {
                data = Helpers.MemdupUser(new UserPtr(arg + minsz), dataSize);
                if (data == null)
                    return -EFAULT; /* PTR_ERR(data) */
            }

            vdev.Igate.Lock();

            ret = Helpers.VfioPciSetIrqsIoctl(vdev, BitConverter.ToUInt32(hdr, 4), BitConverter.ToUInt32(hdr, 8),
                BitConverter.ToUInt32(hdr, 12), BitConverter.ToUInt32(hdr, 16), data);

            vdev.Igate.Unlock();
            /* kfree(data); */

            return ret;
        }

        return Helpers.VfioPciIoctlRest(vdev, cmd, arg);
    }
}

/// <summary>struct tiocl_selection: the selection corners (1-based) and the mode.</summary>
public struct TioclSelection
{
    public ushort Xs;
    public ushort Ys;
    public ushort Xe;
    public ushort Ye;
    public ushort SelMode;
}

public static class VtSelection
{
    private const int TIOCL_SELCLEAR = 4;
    private const int TIOCL_SELMOUSEREPORT = 16;
    private const int TIOCL_SELBUTTONMASK = 15;

    /// <summary>sizeof(struct tiocl_selection): five unsigned shorts.</summary>
    private const int SIZEOF_TIOCL_SELECTION = 10;

    // drivers/tty/vt/selection.c, set_selection() (TIOCLINUX's TIOCL_SETSEL, called by tioclinux() under
    // console_lock()), as it stood from v2.6 up to v5.2; the part after the corners are computed, which walks
    // the screen buffer to select by character, word or line and copies the selection into sel_buffer, is a
    // stub. Buggy: the struct is range-checked with access_ok() and its five fields read with __get_user(),
    // and every result is dropped: a page unmapped (or a fault) between the check and the reads leaves the
    // corners and the mode zeroed by __get_user() and the ioctl selects, clears or reports the mouse with them
    // and returns 0. v5.3 replaced the reads with set_selection_user(): one copy_from_user() of the struct
    // that fails with -EFAULT, the selection itself moving to set_selection_kernel() for speakup's use.
    public static int SetSelectionV52(UserPtr sel, Helpers.TtyStruct tty)
    {
        Helpers.VcData vc = Helpers.FgConsoleVc();
        int selMode, ps, pe;

        Helpers.PokeBlankedConsole();

        {
            ushort xs, ys, xe, ye;

            if (!AccessOk(sel, SIZEOF_TIOCL_SELECTION))
                return -EFAULT;
            GetUserUnchecked(out xs, sel.Cast<ushort>()); // expect: UA5001
            GetUserUnchecked(out ys, (sel + 2).Cast<ushort>()); // expect: UA5001
            GetUserUnchecked(out xe, (sel + 4).Cast<ushort>()); // expect: UA5001
            GetUserUnchecked(out ye, (sel + 6).Cast<ushort>()); // expect: UA5001
            GetUserUnchecked(out ushort mode, (sel + 8).Cast<ushort>()); // expect: UA5001
            selMode = mode; /* int sel_mode takes the unsigned short */
            xs--; ys--; xe--; ye--;
            xs = Helpers.Limit(xs, (ushort)(vc.Cols - 1));
            ys = Helpers.Limit(ys, (ushort)(vc.Rows - 1));
            xe = Helpers.Limit(xe, (ushort)(vc.Cols - 1));
            ye = Helpers.Limit(ye, (ushort)(vc.Rows - 1));
            ps = ys * vc.SizeRow + (xs << 1);
            pe = ye * vc.SizeRow + (xe << 1);

            if (selMode == TIOCL_SELCLEAR)
            {
                /* useful for screendump without selection highlights */
                Helpers.ClearSelection();
                return 0;
            }

            if (Helpers.MouseReporting() && (selMode & TIOCL_SELMOUSEREPORT) != 0)
            {
                Helpers.MouseReport(tty, selMode & TIOCL_SELBUTTONMASK, xs, ys);
                return 0;
            }
        }

        if (ps > pe) /* make sel_start <= sel_end */
        {
            int tmp = ps;
            ps = pe;
            pe = tmp;
        }

        return Helpers.DoSelection(vc, selMode, ps, pe);
    }

    // drivers/tty/vt/selection.c, set_selection_user(), v5.3 (TIOCL_SETSEL's entry point from then on; the
    // corners are computed by set_selection_kernel(), a stub here). Correct: the struct is read whole with
    // copy_from_user() and a fault fails the ioctl with -EFAULT before anything is selected.
    public static int SetSelectionUser(UserPtr<TioclSelection> sel, Helpers.TtyStruct tty) // expect: none
    {
        TioclSelection v;

        if (CopyFromUser(out v, sel) != 0)
            return -EFAULT;

        return Helpers.SetSelectionKernel(v, tty);
    }
}

public static class DrmFile
{
    private const int O_NONBLOCK = 0x800;

    // drivers/gpu/drm/drm_file.c, drm_read(), v6.6 (the shape it has had since Chris Wilson's 83eb64c85b80
    // "drm: Drop dev->event_lock spinlock around faulting copy_to_user()" and 9b2c0b7fb4ce "drm: Serialise
    // multiple event readers", v4.5, with Al Viro's removal of the access_ok() in front, v5.8). A near-miss
    // for the copy under a spinlock, correct: each event is taken off the list under dev->event_lock, a
    // spinlock, and copied to the user's buffer after spin_unlock_irq(), with only the event_read_lock mutex
    // held; a failed copy puts the event back under the spinlock. The mutex is dropped around the
    // interruptible wait and taken again with mutex_lock_interruptible() (a killable lock stands in for it),
    // whose failure returns with it not held. In C# the put_back_event block, which the kernel places inside
    // the length test and reaches by goto from the copy's failure, follows the copy: C# cannot jump into a
    // nested block.
    public static long DrmRead(Helpers.DrmFilePriv filePriv, int fFlags, UserPtr buffer, ulong count) // expect: none
    {
        Helpers.DrmDevice dev = filePriv.Dev;
        long ret;

        ret = filePriv.EventReadLock.LockKillable(); /* mutex_lock_interruptible() */
        if (ret != 0)
            return ret;

        for (;;)
        {
            Helpers.DrmPendingEvent? e = null;

            dev.EventLock.Lock();
            if (filePriv.EventList.Count != 0)
            {
                e = filePriv.EventList[0];
                filePriv.EventSpace += e.Event.Length;
                filePriv.EventList.RemoveAt(0);
            }
            dev.EventLock.Unlock();

            if (e == null)
            {
                if (ret != 0)
                    break;

                if ((fFlags & O_NONBLOCK) != 0)
                {
                    ret = -EAGAIN;
                    break;
                }

                filePriv.EventReadLock.Unlock();
                ret = Helpers.WaitEventInterruptibleEventList(filePriv);
                if (ret >= 0)
                    ret = filePriv.EventReadLock.LockKillable(); /* mutex_lock_interruptible() */
                if (ret != 0)
                    return ret;
            }
            else
            {
                int length = e.Event.Length;

                if ((ulong)length > count - (ulong)ret)
                    goto put_back_event;

                if (CopyToUser(buffer + ret, e.Event) != 0)
                {
                    if (ret == 0)
                        ret = -EFAULT;
                    goto put_back_event;
                }

                ret += length;
                /* kfree(e); */
                continue;

            put_back_event:
                dev.EventLock.Lock();
                filePriv.EventSpace -= length;
                filePriv.EventList.Insert(0, e);
                dev.EventLock.Unlock();
                Helpers.WakeUpInterruptiblePoll(filePriv);
                break;
            }
        }
        filePriv.EventReadLock.Unlock();

        return ret;
    }
}

public static class Helpers
{
    private const int ERESTARTSYS = 512;

    /// <summary>struct usb_ep, reduced to a name.</summary>
    public sealed class UsbEp
    {
        public string Name = "ep0";
    }

    /// <summary>struct usb_request: the buffer and the bytes the controller transferred.</summary>
    public sealed class UsbRequest
    {
        public byte[] Buf = new byte[256];
        public int Actual;
        public int Length;
    }

    /// <summary>gadgetfs struct dev_data: dev->lock (a spinlock taken with spin_lock_irq()) and the fields it protects.</summary>
    public sealed class DevData
    {
        public KernelSpinlock Lock = new();
        public int UdcUsage;
        public int State;
        public byte[] Event = new byte[5 * GadgetFs.SIZEOF_USB_GADGETFS_EVENT];
        public int[] EventType = new int[5];
        public uint EvNext;
        public byte CurrentConfig;
        public int MaxPower;
        public bool UsermodeSetup;
        public bool SetupIn;
        public bool SetupOutReady;
        public bool SetupOutError;
        public bool SetupAbort;
        public UsbEp Ep0 = new();
        public UsbRequest Req = new();
    }

    /// <summary>struct file of /dev/gadget/$CHIP: private_data and f_flags.</summary>
    public sealed class GadgetFile
    {
        public DevData PrivateData = new();
        public int FFlags;
    }

    /// <summary>usb_ep_set_halt(): a controller register write, callable in atomic context.</summary>
    public static int UsbEpSetHalt(UsbEp ep) => 0;

    /// <summary>setup_req(): prepares dev->req for a zero-length or data stage (GFP_ATOMIC allocation); 0 or -EBUSY/-ENOMEM.</summary>
    public static int SetupReq(DevData dev, int len)
    {
        dev.Req.Length = len;
        return 0;
    }

    /// <summary>usb_ep_queue(ep, req, GFP_KERNEL): queues the request; may allocate with GFP_KERNEL.</summary>
    [MightSleep]
    public static int UsbEpQueue(UsbEp ep, UsbRequest req) => 0;

    /// <summary>usb_gadget_vbus_draw().</summary>
    public static void UsbGadgetVbusDraw(DevData dev, int mA)
    {
    }

    /// <summary>wait_event_interruptible(dev->wait, dev->setup_out_ready != 0): 0 or -ERESTARTSYS.</summary>
    [MightSleep]
    public static long WaitEventInterruptibleSetupOutReady(DevData dev) => SignalPending() ? -ERESTARTSYS : 0;

    /// <summary>wait_event_interruptible(dev->wait, dev->ev_next != 0): 0 or -ERESTARTSYS.</summary>
    [MightSleep]
    public static long WaitEventInterruptibleEvNext(DevData dev) => SignalPending() ? -ERESTARTSYS : 0;

    /// <summary>clean_req(): gives back a kmalloc()ed request buffer and clears setup_out_ready (caller holds dev->lock).</summary>
    public static void CleanReq(DevData dev) => dev.SetupOutReady = false;

    /// <summary>The memmove() of the events after the first n to the front of dev->event[].</summary>
    public static void DropEvents(DevData dev, uint n)
    {
        int size = GadgetFs.SIZEOF_USB_GADGETFS_EVENT;
        Array.Copy(dev.Event, (int)n * size, dev.Event, 0, (int)(dev.EvNext - n) * size);
        Array.Copy(dev.EventType, (int)n, dev.EventType, 0, (int)(dev.EvNext - n));
    }

    /// <summary>struct usb_raw_ep_io as copied in: ep, flags, length.</summary>
    public sealed class UsbRawEpIo
    {
        public ushort Ep;
        public ushort Flags;
        public uint Length;
    }

    /// <summary>struct usb_raw_event as queued: its bytes (type, length, data) and its data length.</summary>
    public sealed class UsbRawEvent
    {
        public byte[] Bytes = new byte[RawGadget.SIZEOF_USB_RAW_EVENT + 64];
        public uint Length;
    }

    /// <summary>struct raw_dev: dev->lock (spin_lock_irqsave()), the state and the bound gadget.</summary>
    public sealed class RawDev
    {
        public KernelSpinlock Lock = new();
        public int State;
        public object? Gadget;
    }

    /// <summary>
    /// raw_alloc_io_data() (stub): copies the usb_raw_ep_io header in, checks it and allocates (and for a write
    /// fills with memdup_user()) the data buffer; null with an errno in err on failure (IS_ERR()/PTR_ERR()).
    /// </summary>
    public static byte[]? RawAllocIoData(UsbRawEpIo io, UserPtr ptr, bool getFromUser, out int err)
    {
        err = 0;
        io.Length = 64;
        return new byte[io.Length];
    }

    /// <summary>raw_process_ep0_io() (stub): queues the ep0 request and waits for it; the bytes transferred or a negative errno.</summary>
    [MightSleep]
    public static int RawProcessEp0Io(RawDev dev, UsbRawEpIo io, byte[] data, bool inDirection) => (int)io.Length;

    /// <summary>raw_event_queue_fetch() (stub): waits on the queue's semaphore (down_interruptible()) for the next event; null when interrupted.</summary>
    [MightSleep]
    public static UsbRawEvent? RawEventQueueFetch(RawDev dev) => SignalPending() ? null : new UsbRawEvent();

    /// <summary>struct vfio_iommu: the IOMMU page sizes the domain supports.</summary>
    public sealed class VfioIommu
    {
        public ulong PgsizeBitmap = 0x1000;
        public KernelMutex Lock = new();
    }

    /// <summary>vfio_dma_do_map() (stub): pins and maps the range under iommu->lock; 0 or a negative errno.</summary>
    [MightSleep]
    public static long VfioDmaDoMap(VfioIommu iommu, byte[] map) => 0;

    /// <summary>vfio_dma_do_unmap() (stub): unmaps under iommu->lock and writes the size unmapped into unmap->size; 0 or a negative errno.</summary>
    [MightSleep]
    public static long VfioDmaDoUnmap(VfioIommu iommu, byte[] unmap)
    {
        BitConverter.TryWriteBytes(unmap.AsSpan(16, 8), 0UL);
        return 0;
    }

    /// <summary>vfio_domains_have_iommu_cache(): 1 when every domain maps with IOMMU_CACHE.</summary>
    public static long VfioDomainsHaveIommuCache(VfioIommu iommu) => 1;

    /// <summary>vfio_pgsize_bitmap(): the page sizes every domain supports.</summary>
    public static ulong VfioPgsizeBitmap(VfioIommu iommu) => iommu.PgsizeBitmap;

    public const int VFIO_PCI_NUM_IRQS = 5;

    /// <summary>struct vfio_pci_device: igate, the mutex around interrupt setup.</summary>
    public sealed class VfioPciDevice
    {
        public KernelMutex Igate = new();
    }

    /// <summary>vfio_pci_get_irq_count(): the vectors of an interrupt index.</summary>
    public static int VfioPciGetIrqCount(VfioPciDevice vdev, uint index) => index < VFIO_PCI_NUM_IRQS ? 1 : 0;

    /// <summary>
    /// vfio_set_irqs_validate_and_prepare(): checks the kernel copy of the vfio_irq_set header (argsz, flags,
    /// index, start + count within max) and sizes the data array that follows it; 0 or -EINVAL.
    /// </summary>
    public static int VfioSetIrqsValidateAndPrepare(byte[] hdr, int numIrqs, int maxIrqType, out int dataSize)
    {
        dataSize = 0;
        uint count = BitConverter.ToUInt32(hdr, 16);
        if (BitConverter.ToUInt32(hdr, 8) >= maxIrqType || count > (uint)numIrqs)
            return -EINVAL;
        dataSize = (int)count * 4;
        return 0;
    }

    /// <summary>memdup_user(): kmalloc() and copy_from_user(); null stands for the ERR_PTR.</summary>
    [MightFault]
    [UserAccess(AccessKind.Read, "src", Size = "len")]
    public static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    /// <summary>vfio_pci_set_irqs_ioctl() (stub, caller holds igate): sets up the eventfds; 0 or a negative errno.</summary>
    public static int VfioPciSetIrqsIoctl(VfioPciDevice vdev, uint flags, uint index, uint start, uint count, byte[]? data) => 0;

    /// <summary>The other commands of vfio_pci_ioctl() (stub): -ENOTTY for unknown ones.</summary>
    public static long VfioPciIoctlRest(VfioPciDevice vdev, uint cmd, ulong arg) => -25;

    /// <summary>struct vc_data: the console's geometry.</summary>
    public sealed class VcData
    {
        public int Cols = 80;
        public int Rows = 25;
        public int SizeRow = 160;
    }

    /// <summary>struct tty_struct of the console.</summary>
    public sealed class TtyStruct
    {
    }

    /// <summary>limit(): constrain v such that v &lt;= u.</summary>
    public static ushort Limit(ushort v, ushort u) => (v > u) ? u : v;

    /// <summary>vc_cons[fg_console].d.</summary>
    public static VcData FgConsoleVc() => new();

    /// <summary>poke_blanked_console().</summary>
    public static void PokeBlankedConsole()
    {
    }

    /// <summary>clear_selection().</summary>
    public static void ClearSelection()
    {
    }

    /// <summary>mouse_reporting(): the console's mouse reporting mode is on.</summary>
    public static bool MouseReporting() => false;

    /// <summary>mouse_report(): queues the mouse escape sequence on the tty.</summary>
    public static void MouseReport(TtyStruct tty, int butt, int mrx, int mry)
    {
    }

    /// <summary>
    /// The rest of set_selection() (stub): switches sel_cons, extends the selection by character, word or
    /// line, highlights it and copies the screen characters into sel_buffer; 0, -EINVAL or -ENOMEM.
    /// </summary>
    public static int DoSelection(VcData vc, int selMode, int ps, int pe) => selMode > 3 ? -EINVAL : 0;

    /// <summary>set_selection_kernel() (stub): the selection from a kernel copy of the struct, under console_lock().</summary>
    public static int SetSelectionKernel(TioclSelection v, TtyStruct tty) => v.SelMode > 3 ? -EINVAL : 0;

    /// <summary>struct drm_device: event_lock, the spinlock of the event lists.</summary>
    public sealed class DrmDevice
    {
        public KernelSpinlock EventLock = new();
    }

    /// <summary>struct drm_pending_event: the event's bytes (struct drm_event header and payload).</summary>
    public sealed class DrmPendingEvent
    {
        public byte[] Event = new byte[32];
    }

    /// <summary>struct drm_file: the device, event_read_lock, the queued events and the space left for them.</summary>
    public sealed class DrmFilePriv
    {
        public DrmDevice Dev = new();
        public KernelMutex EventReadLock = new();
        public System.Collections.Generic.List<DrmPendingEvent> EventList = new();
        public long EventSpace = 4096;
    }

    /// <summary>wait_event_interruptible(file_priv->event_wait, !list_empty(&amp;file_priv->event_list)): 0 or -ERESTARTSYS.</summary>
    [MightSleep]
    public static long WaitEventInterruptibleEventList(DrmFilePriv filePriv) => SignalPending() ? -ERESTARTSYS : 0;

    /// <summary>wake_up_interruptible_poll(&amp;file_priv->event_wait, EPOLLIN | EPOLLRDNORM).</summary>
    public static void WakeUpInterruptiblePoll(DrmFilePriv filePriv)
    {
    }
}
