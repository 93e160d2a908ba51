// Held out: character and block drivers the corpus had not seen (drivers/char/nvram.c, drivers/block/loop.c,
// drivers/input/joydev.c, drivers/hid/usbhid/hiddev.c, drivers/xen, drivers/rtc), each defect before and after
// the kernel's own fix, and current correct code from the same files doing the same things right:
// - drivers/char/nvram.c nvram_read() and nvram_write(), v2.3.99-pre9 (NVRAM_VERSION "1.0"): each byte
//   put_user()/get_user()ed with interrupts disabled (save_flags(); cli()) and its result dropped, as Cesar
//   Eduardo Barros's "[PATCH] nvram.c fixes" (LKML, 19 May 2000) and Paul Gortmaker's "Re: Linux 2.2.18pre18
//   [rtc_lock]" (LKML, 1 Nov 2000, nvram 1.0a: "a fixed nvram driver that no longer does get/put_user from
//   within a cli() region") describe; nvram 1.0a's nvram_write(), which moved the access out of the locked
//   region and still drops its result; and the v2.6/v3 versions that copy through a kernel buffer outside
//   rtc_lock and fail with -EFAULT;
// - drivers/block/loop.c loop_get_status_old(): entered holding lo_ctl_mutex, which loop_get_status() drops,
//   and left holding it when the pointer is NULL, before bdac616db9bb "loop: fix LOOP_GET_STATUS lock
//   imbalance" (Omar Sandoval, 2018), and after it;
// - drivers/input/joydev.c (v6.x): joydev_read(), joydev_0x_read(), joydev_compat_ioctl() and
//   joydev_handle_JSIOCSBTNMAP(): correct;
// - drivers/hid/usbhid/hiddev.c hiddev_read() (v5.x/v6.x): correct;
// - drivers/xen/gntdev.c gntdev_ioctl_get_offset_for_vaddr() and drivers/xen/privcmd.c
//   privcmd_ioctl_mmap_resource() (v5.10): correct;
// - drivers/rtc/dev.c rtc_dev_read() (v5.x/v6.x): correct;
// - drivers/misc/habanalabs/common/habanalabs_ioctl.c events_info(): copy_to_user()'s count returned as the
//   ioctl's result, as 20c59ac5d71e added it (habanalabs-next, 2022), and after Dan Carpenter's report;
// - drivers/char/ipmi/ssif_bmc.c ssif_bmc_read(): the count tested as an errno (ret < 0), from dd2bc5cc9e25
//   (v6.0) to ea641be7a4fa "ipmi: ssif_bmc: fix missing check for copy_to_user() partial failure", and after
//   it; ssif_bmc_write() (v6.x): correct.
// The CMOS accesses, the loop device state, the input and HID event rings, the VMA lookups and the hypercalls
// are stubs; the user pointers, the accesses, their checks, the locks and the control flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.CharDrivers;

public static class Nvram
{
    private const int EIO = 5;

    /// <summary>NVRAM_BYTES: the CMOS bytes after the RTC's own (128 - NVRAM_FIRST_BYTE).</summary>
    private const uint NVRAM_BYTES = 128 - 14;

    // drivers/char/nvram.c, nvram_read(), v2.3.99-pre9 (nvram 1.0; before Cesar Eduardo Barros's "[PATCH]
    // nvram.c fixes", LKML 19 May 2000, which became the copy_to_user() through contents[] outside rtc_lock of
    // 2.4 and 2.6, below). Buggy: every byte is put_user()ed with interrupts disabled (save_flags(flags);
    // cli()), where a fault on the user page cannot be served ("a fixed nvram driver that no longer does
    // get/put_user from within a cli() region", Paul Gortmaker for 2.2.18), and the result is dropped: "nvram_read
    // and nvram_write didn't return -EFAULT when they should. To fix the second issue I had to move the copy
    // from/to userspace to outside the critical region".
    public static long NvramReadV2399(Helpers.NvramFile file, UserPtr<byte> buf, ulong count, ref long ppos)
    {
        uint i = (uint)ppos;
        UserPtr<byte> tmp = buf;

        if (i != ppos)
            return -EINVAL;

        LocalIrqDisable(); /* save_flags(flags); cli(); */

        if (!Helpers.NvramCheckChecksumInt())
        {
            LocalIrqEnable(); /* restore_flags(flags); */
            return -EIO;
        }

        for (; count-- > 0 && i < NVRAM_BYTES; ++i, tmp += 1)
            PutUser(Helpers.NvramReadInt(i), tmp); // expect: UA1001, UA5001
        ppos = i;

        LocalIrqEnable(); /* restore_flags(flags); */
        return (long)(tmp.Address - buf.Address);
    }

    // drivers/char/nvram.c, nvram_write(), v2.3.99-pre9 (nvram 1.0; same fixes as nvram_read() above). Buggy:
    // each byte is get_user()ed with interrupts disabled, and a failed get_user() is not seen: the zero it
    // leaves in c is written into the CMOS, the checksum recomputed over it, and the count returned as if the
    // write had succeeded ("didn't return -EFAULT when they should").
    public static long NvramWriteV2399(Helpers.NvramFile file, UserPtr<byte> buf, ulong count, ref long ppos)
    {
        uint i = (uint)ppos;
        UserPtr<byte> tmp = buf;
        byte c;

        if (i != ppos)
            return -EINVAL;

        LocalIrqDisable(); /* save_flags(flags); cli(); */

        if (!Helpers.NvramCheckChecksumInt())
        {
            LocalIrqEnable(); /* restore_flags(flags); */
            return -EIO;
        }

        for (; count-- > 0 && i < NVRAM_BYTES; ++i, tmp += 1)
        {
            GetUser(out c, tmp); // expect: UA1001, UA5001
            Helpers.NvramWriteInt(c, i);
        }
        Helpers.NvramSetChecksumInt();
        ppos = i;

        LocalIrqEnable(); /* restore_flags(flags); */
        return (long)(tmp.Address - buf.Address);
    }

    // drivers/char/nvram.c, nvram_write(), nvram 1.0a as Paul Gortmaker posted it for 2.2.18pre18 ("Re: Linux
    // 2.2.18pre18 [rtc_lock]", LKML 1 Nov 2000: "use rtc_lock, fix get/put_user in cli bugs"). Buggy still: the
    // get_user() now runs between the rtc_lock sections, with interrupts on, but its result is dropped as
    // before; the 2.4 rewrite (copy_from_user() into contents[], -EFAULT) is the fix of that half.
    public static long NvramWriteV10a(Helpers.NvramFile file, UserPtr<byte> buf, ulong count, ref long ppos)
    {
        uint i = (uint)ppos;
        UserPtr<byte> tmp = buf;
        byte c;
        bool checksum;

        if (i != ppos)
            return -EINVAL;

        Helpers.RtcLock.Lock(); /* spin_lock_irqsave(&rtc_lock, flags) */
        checksum = Helpers.NvramCheckChecksumInt();
        Helpers.RtcLock.Unlock(); /* spin_unlock_irqrestore(&rtc_lock, flags) */

        if (!checksum)
            return -EIO;

        for (; count-- > 0 && i < NVRAM_BYTES; ++i, tmp += 1)
        {
            GetUser(out c, tmp); // expect: UA5001
            Helpers.RtcLock.Lock();
            Helpers.NvramWriteInt(c, i);
            Helpers.RtcLock.Unlock();
        }

        Helpers.RtcLock.Lock();
        Helpers.NvramSetChecksumInt();
        Helpers.RtcLock.Unlock();

        ppos = i;
        return (long)(tmp.Address - buf.Address);
    }

    // drivers/char/nvram.c, nvram_read(), v2.6.2x (the form since 2.4: the bytes read into contents[] under
    // spin_lock_irq(&rtc_lock), copied out after the unlock). Correct: the copy runs with the lock dropped and
    // interrupts on, and a failed copy returns -EFAULT.
    public static long NvramRead(Helpers.NvramFile file, UserPtr buf, ulong count, ref long ppos) // expect: none
    {
        var contents = new byte[NVRAM_BYTES];
        uint i = (uint)ppos;
        int tmp;

        Helpers.RtcLock.Lock(); /* spin_lock_irq(&rtc_lock) */

        if (!Helpers.NvramCheckChecksum())
            goto checksum_err;

        for (tmp = 0; count-- > 0 && i < NVRAM_BYTES; ++i, ++tmp)
            contents[tmp] = Helpers.NvramReadByte(i);

        Helpers.RtcLock.Unlock(); /* spin_unlock_irq(&rtc_lock) */

        if (CopyToUser(buf, contents.AsSpan(0, tmp)) != 0)
            return -EFAULT;

        ppos = i;

        return tmp;

    checksum_err:
        Helpers.RtcLock.Unlock();
        return -EIO;
    }

    // drivers/char/nvram.c, nvram_write(), v3.x (with the EOF and count clamps in front of the copy). Correct:
    // copy_from_user() into contents[] before rtc_lock is taken, -EFAULT when it fails; only kernel bytes are
    // written under the lock.
    public static long NvramWrite(Helpers.NvramFile file, UserPtr buf, ulong count, ref long ppos) // expect: none
    {
        var contents = new byte[NVRAM_BYTES];
        uint i = (uint)ppos;
        int tmp;

        if (i >= NVRAM_BYTES)
            return 0; /* Past EOF */

        if (count > NVRAM_BYTES - i)
            count = NVRAM_BYTES - i;
        if (count > NVRAM_BYTES)
            return -EFAULT; /* Can't happen, but prove it to gcc */

        if (CopyFromUser(contents.AsSpan(0, (int)count), buf) != 0)
            return -EFAULT;

        Helpers.RtcLock.Lock(); /* spin_lock_irq(&rtc_lock) */

        if (!Helpers.NvramCheckChecksum())
            goto checksum_err;

        for (tmp = 0; count-- > 0; ++i, ++tmp)
            Helpers.NvramWriteByte(contents[tmp], i);

        Helpers.NvramSetChecksum();

        Helpers.RtcLock.Unlock(); /* spin_unlock_irq(&rtc_lock) */

        ppos = i;

        return tmp;

    checksum_err:
        Helpers.RtcLock.Unlock();
        return -EIO;
    }
}

public static class Loop
{
    /// <summary>sizeof(struct loop_info) on a 64-bit kernel.</summary>
    private const int SIZEOF_LOOP_INFO = 168;

    // drivers/block/loop.c, loop_get_status_old(), as 2d1d4c1e591f "loop: don't call into filesystem while
    // holding lo_ctl_mutex" left it (2018), before bdac616db9bb "loop: fix LOOP_GET_STATUS lock imbalance"
    // (Omar Sandoval). lo_ioctl() takes lo_ctl_mutex and, for LOOP_GET_STATUS, jumps past its unlock
    // ("loop_get_status() unlocks lo_ctl_mutex"): the wrapper is entered holding the mutex and must return
    // without it. Buggy: a NULL argument skips loop_get_status(), the only place that drops it, so the ioctl
    // returns -EINVAL with lo_ctl_mutex still held; the fix: "the loop_get_status_old(),
    // loop_get_status64(), and loop_get_status_compat() wrappers don't call loop_get_status() if the passed
    // argument is NULL. The callers expect that the lock is dropped, so make sure we drop it in that case, too." (quoted from memory)
    // The label is on the return that may still hold the mutex, where UA1003 reports a [Releases] contract
    // broken (the path starts at the NULL test).
    [Releases("lo.LoCtlMutex")]
    public static int LoopGetStatusOldV416(Helpers.LoopDevice lo, UserPtr arg)
    {
        var info = new byte[SIZEOF_LOOP_INFO];
        var info64 = new Helpers.LoopInfo64();
        int err = 0;

        if (arg == UserPtr.Null)
            err = -EINVAL;
        if (err == 0)
            err = Helpers.LoopGetStatus(lo, info64);
        if (err == 0)
            err = Helpers.LoopInfo64ToOld(info64, info);
        if (err == 0 && CopyToUser(arg, info) != 0)
            err = -EFAULT;

        return err; // expect: UA1003
    }

    // drivers/block/loop.c, loop_get_status_old(), after bdac616db9bb "loop: fix LOOP_GET_STATUS lock
    // imbalance". Correct: the NULL case drops lo_ctl_mutex itself; every other path leaves it to
    // loop_get_status(), and the copy to the user runs after it, with the mutex dropped.
    [Releases("lo.LoCtlMutex")]
    public static int LoopGetStatusOld(Helpers.LoopDevice lo, UserPtr arg) // expect: none
    {
        var info = new byte[SIZEOF_LOOP_INFO];
        var info64 = new Helpers.LoopInfo64();
        int err;

        if (arg == UserPtr.Null)
        {
            lo.LoCtlMutex.Unlock();
            return -EINVAL;
        }
        err = Helpers.LoopGetStatus(lo, info64);
        if (err == 0)
            err = Helpers.LoopInfo64ToOld(info64, info);
        if (err == 0 && CopyToUser(arg, info) != 0)
            err = -EFAULT;

        return err;
    }
}

public static class Joydev
{
    private const int ENODEV = 19;
    private const int O_NONBLOCK = 0x800;

    /// <summary>sizeof(struct js_event): __u32 time, __s16 value, __u8 type, __u8 number.</summary>
    private const int SIZEOF_JS_EVENT = 8;

    /// <summary>sizeof(struct JS_DATA_TYPE): int buttons, x, y.</summary>
    private const int SIZEOF_JS_DATA_TYPE = 12;

    /// <summary>sizeof(struct JS_DATA_SAVE_TYPE_32): JS_TIMEOUT, BUSY, JS_EXPIRETIME, JS_TIMELIMIT, JS_SAVE (s32) and JS_CORR.</summary>
    private const int SIZEOF_JS_DATA_SAVE_TYPE_32 = 32;

    /* the 0.x API's ioctl numbers (include/uapi/linux/joystick.h) */
    private const uint JS_SET_TIMELIMIT = 5;
    private const uint JS_GET_TIMELIMIT = 6;
    private const uint JS_GET_ALL = 7;
    private const uint JS_SET_ALL = 8;

    private const int KEY_MAX = 0x2ff;
    private const int BTN_MISC = 0x100;

    // drivers/input/joydev.c, joydev_read(), v6.x. Correct: the startup events and the queued events are taken
    // one at a time by helpers that hold the input and buffer spinlocks only while they take one, and each is
    // copied out with the locks dropped, -EFAULT when a copy fails; the rounds are bounded by the device's axes
    // and buttons and by the client's ring.
    public static long JoydevRead(Helpers.JoydevFile file, UserPtr buf, ulong count) // expect: none
    {
        Helpers.JoydevClient client = file.PrivateData;
        Helpers.JoydevDev joydev = client.Joydev;
        Helpers.InputDev input = joydev.HandleDev;
        var evt = new byte[SIZEOF_JS_EVENT];
        long retval;

        if (!joydev.Exist)
            return -ENODEV;

        if (count < SIZEOF_JS_EVENT)
            return -EINVAL;

        if (count == SIZEOF_JS_DATA_TYPE)
            return JoydevOxRead(client, input, buf);

        if (!Helpers.JoydevDataPending(client) && (file.FFlags & O_NONBLOCK) != 0)
            return -EAGAIN;

        retval = Helpers.WaitEventInterruptibleJoydev(joydev, client);
        if (retval != 0)
            return retval;

        if (!joydev.Exist)
            return -ENODEV;

        while (retval + SIZEOF_JS_EVENT <= (long)count &&
               Helpers.JoydevGenerateStartupEvent(client, input, evt))
        {
            if (CopyToUser(buf + retval, evt) != 0)
                return -EFAULT;

            retval += SIZEOF_JS_EVENT;
        }

        while (retval + SIZEOF_JS_EVENT <= (long)count &&
               Helpers.JoydevFetchNextEvent(client, evt))
        {
            if (CopyToUser(buf + retval, evt) != 0)
                return -EFAULT;

            retval += SIZEOF_JS_EVENT;
        }

        return retval;
    }

    // drivers/input/joydev.c, joydev_0x_read(), v6.x (the 0.x API: one JS_DATA_TYPE snapshot). Correct: the
    // snapshot is built under input->event_lock (spin_lock_irq) and client->buffer_lock, and copied out after
    // both are dropped.
    public static long JoydevOxRead(Helpers.JoydevClient client, Helpers.InputDev input, UserPtr buf) // expect: none
    {
        Helpers.JoydevDev joydev = client.Joydev;
        var data = new byte[SIZEOF_JS_DATA_TYPE];
        int buttons;
        int i;

        input.EventLock.Lock(); /* spin_lock_irq(&input->event_lock) */

        /*
         * Get device state
         */
        for (buttons = i = 0; i < 32 && i < joydev.Nkey; i++)
            buttons |= Helpers.TestBit(joydev.Keypam[i], input.Key) ? (1 << i) : 0;
        BitConverter.TryWriteBytes(data.AsSpan(0, 4), buttons);
        BitConverter.TryWriteBytes(data.AsSpan(4, 4), (joydev.Abs[0] / 256 + 128) >> joydev.GlueCorrX);
        BitConverter.TryWriteBytes(data.AsSpan(8, 4), (joydev.Abs[1] / 256 + 128) >> joydev.GlueCorrY);

        /*
         * Reset reader's event queue
         */
        client.BufferLock.Lock();
        client.Startup = 0;
        client.Tail = client.Head;
        client.BufferLock.Unlock();

        input.EventLock.Unlock(); /* spin_unlock_irq(&input->event_lock) */

        if (CopyToUser(buf, data) != 0)
            return -EFAULT;

        return SIZEOF_JS_DATA_TYPE;
    }

    // drivers/input/joydev.c, joydev_compat_ioctl(), v6.x (the commands handed on to joydev_ioctl_common() are
    // a stub). Correct: under joydev->mutex (mutex_lock_interruptible(), which a killable lock stands in for),
    // every get_user()/put_user() result is the ioctl's result, and the struct copies are turned into -EFAULT
    // before they are returned; every path leaves through out:, which drops the mutex.
    public static long JoydevCompatIoctl(Helpers.JoydevFile file, uint cmd, ulong arg) // expect: none
    {
        Helpers.JoydevClient client = file.PrivateData;
        Helpers.JoydevDev joydev = client.Joydev;
        UserPtr argp = new UserPtr(arg);
        int tmp32;
        var ds32 = new byte[SIZEOF_JS_DATA_SAVE_TYPE_32];
        int retval;

        retval = joydev.Mutex.LockKillable(); /* mutex_lock_interruptible() */
        if (retval != 0)
            return retval;

        if (!joydev.Exist)
        {
            retval = -ENODEV;
            goto out_;
        }

        switch (cmd)
        {
            case JS_SET_TIMELIMIT:
                retval = GetUser(out tmp32, new UserPtr<int>(arg));
                if (retval == 0)
                    joydev.GlueTimelimit = tmp32;
                break;

            case JS_GET_TIMELIMIT:
                tmp32 = (int)joydev.GlueTimelimit;
                retval = PutUser(tmp32, new UserPtr<int>(arg));
                break;

            case JS_SET_ALL:
                retval = CopyFromUser(ds32, argp) != 0 ? -EFAULT : 0;
                if (retval == 0)
                    Helpers.JoydevSetGlue32(joydev, ds32);
                break;

            case JS_GET_ALL:
                Helpers.JoydevGetGlue32(joydev, ds32);

                retval = CopyToUser(argp, ds32) != 0 ? -EFAULT : 0;
                break;

            default:
                retval = Helpers.JoydevIoctlCommon(joydev, cmd, argp);
                break;
        }

    out_:
        joydev.Mutex.Unlock();
        return retval;
    }

    // drivers/input/joydev.c, joydev_handle_JSIOCSBTNMAP(), v6.x (since "Input: joydev - prevent use of not
    // validated data in JSIOCSBTNMAP ioctl", 2018). Correct: the map is fetched once with memdup_user(),
    // validated in the kernel copy, and only the validated copy is used.
    public static int JoydevHandleJSIOCSBTNMAP(Helpers.JoydevDev joydev, UserPtr argp, int len) // expect: none
    {
        ushort[] keypam;
        byte[]? raw;
        int i;
        int retval = 0;

        if (len % sizeof(ushort) != 0)
            return -EINVAL;

        len = Math.Min(len, joydev.Keypam.Length * sizeof(ushort));

        /* Validate the map. */
        raw = Helpers.MemdupUser(argp, len);
        if (raw == null)
            return -EFAULT;
        keypam = new ushort[len / 2];
        Buffer.BlockCopy(raw, 0, keypam, 0, len);

        for (i = 0; i < (len / 2) && i < joydev.Nkey; i++)
        {
            if (keypam[i] > KEY_MAX || keypam[i] < BTN_MISC)
            {
                retval = -EINVAL;
                goto out_;
            }
        }

        Array.Copy(keypam, joydev.Keypam, len / 2);

        for (i = 0; i < joydev.Nkey; i++)
            joydev.Keymap[joydev.Keypam[i] - BTN_MISC] = (byte)i;

    out_:
        /* kfree(keypam) */
        return retval;
    }
}

public static class Hiddev
{
    private const int EIO = 5;
    private const int EINTR_ = EINTR;
    private const int ERESTARTSYS = 512;
    private const int O_NONBLOCK = 0x800;

    private const uint HIDDEV_FLAG_UREF = 0x1;
    private const uint HIDDEV_FLAG_REPORT = 0x2;
    private const uint HID_FIELD_INDEX_NONE = 0xffffffff;
    private const int HIDDEV_BUFFER_SIZE = 2048;

    /// <summary>sizeof(struct hiddev_event): unsigned hid; signed int value.</summary>
    private const int SIZEOF_HIDDEV_EVENT = 8;

    /// <summary>sizeof(struct hiddev_usage_ref): report_type, report_id, field_index, usage_index, usage_code, value.</summary>
    private const int SIZEOF_HIDDEV_USAGE_REF = 24;

    // drivers/hid/usbhid/hiddev.c, hiddev_read(), v5.x/v6.x (the v2.6.3x version differs only in not calling
    // finish_wait() before its -EINTR return). Correct: list->thread_lock (mutex_lock_interruptible(), which a
    // killable lock stands in for) is dropped around schedule() and retaken, a signal ends the wait, every
    // copy_to_user() failure drops the mutex and returns -EFAULT, and the copies drain the list's ring.
    public static long HiddevRead(Helpers.HiddevFile file, UserPtr buffer, ulong count) // expect: none
    {
        Helpers.HiddevList list = file.PrivateData;
        int eventSize;
        int retval;

        eventSize = ((list.Flags & HIDDEV_FLAG_UREF) != 0) ?
            SIZEOF_HIDDEV_USAGE_REF : SIZEOF_HIDDEV_EVENT;

        if (count < (ulong)eventSize)
            return 0;

        /* lock against other threads */
        retval = list.ThreadLock.LockKillable(); /* mutex_lock_interruptible() */
        if (retval != 0)
            return -ERESTARTSYS;

        while (retval == 0)
        {
            if (list.Head == list.Tail)
            {
                /* prepare_to_wait(&list->hiddev->wait, &wait, TASK_INTERRUPTIBLE); */

                while (list.Head == list.Tail)
                {
                    if (SignalPending())
                    {
                        retval = -ERESTARTSYS;
                        break;
                    }
                    if (!list.Hiddev.Exist)
                    {
                        retval = -EIO;
                        break;
                    }
                    if ((file.FFlags & O_NONBLOCK) != 0)
                    {
                        retval = -EAGAIN;
                        break;
                    }

                    /* let O_NONBLOCK tasks run */
                    list.ThreadLock.Unlock();
                    Schedule();
                    if (list.ThreadLock.LockKillable() != 0) /* mutex_lock_interruptible() */
                    {
                        /* finish_wait(&list->hiddev->wait, &wait); */
                        return -EINTR_;
                    }
                    /* set_current_state(TASK_INTERRUPTIBLE); */
                }
                /* finish_wait(&list->hiddev->wait, &wait); */
            }

            if (retval != 0)
            {
                list.ThreadLock.Unlock();
                return retval;
            }

            while (list.Head != list.Tail &&
                   (ulong)(retval + eventSize) <= count)
            {
                if ((list.Flags & HIDDEV_FLAG_UREF) == 0)
                {
                    if (list.Buffer[list.Tail].FieldIndex != HID_FIELD_INDEX_NONE)
                    {
                        var evt = new byte[SIZEOF_HIDDEV_EVENT];

                        BitConverter.TryWriteBytes(evt.AsSpan(0, 4), list.Buffer[list.Tail].UsageCode);
                        BitConverter.TryWriteBytes(evt.AsSpan(4, 4), list.Buffer[list.Tail].Value);
                        if (CopyToUser(buffer + retval, evt) != 0)
                        {
                            list.ThreadLock.Unlock();
                            return -EFAULT;
                        }
                        retval += SIZEOF_HIDDEV_EVENT;
                    }
                }
                else
                {
                    if (list.Buffer[list.Tail].FieldIndex != HID_FIELD_INDEX_NONE ||
                        (list.Flags & HIDDEV_FLAG_REPORT) != 0)
                    {
                        if (CopyToUser(buffer + retval, list.Buffer[list.Tail].Bytes) != 0)
                        {
                            list.ThreadLock.Unlock();
                            return -EFAULT;
                        }
                        retval += SIZEOF_HIDDEV_USAGE_REF;
                    }
                }
                list.Tail = (list.Tail + 1) & (HIDDEV_BUFFER_SIZE - 1);
            }
        }
        list.ThreadLock.Unlock();

        return retval;
    }
}

public static class Xen
{
    private const int ENOMEM_ = ENOMEM;
    private const int PAGE_SHIFT = 12;
    private const ushort DOMID_INVALID = 0x7ff4;

    /// <summary>sizeof(struct ioctl_gntdev_get_offset_for_vaddr): __u64 vaddr; __u64 offset; __u32 count; __u32 pad.</summary>
    private const int SIZEOF_GET_OFFSET_FOR_VADDR = 24;

    /// <summary>sizeof(struct privcmd_mmap_resource): domid_t dom; __u32 type, id, idx; __u64 num; __u64 addr.</summary>
    private const int SIZEOF_PRIVCMD_MMAP_RESOURCE = 32;

    // drivers/xen/gntdev.c, gntdev_ioctl_get_offset_for_vaddr(), v5.10 (current->mm passed in as mm). Correct:
    // the VMA and its grant map are looked up under the mmap lock, and the answer is copied out after
    // mmap_read_unlock(), where a fault on the user's page can take the lock itself.
    public static long GntdevIoctlGetOffsetForVaddr(Helpers.GntdevPriv priv, Mm mm, UserPtr u) // expect: none
    {
        var op = new byte[SIZEOF_GET_OFFSET_FOR_VADDR];
        Helpers.VmArea? vma;
        Helpers.GntdevGrantMap? map;
        int rv = -EINVAL;

        if (CopyFromUser(op, u) != 0)
            return -EFAULT;
        /* pr_debug("priv %p, offset for vaddr %lx\n", priv, (unsigned long)op.vaddr); */

        MmapReadLock(mm);
        vma = Helpers.FindVma(mm, BitConverter.ToUInt64(op, 0));
        if (vma == null || vma.VmOps != Helpers.GntdevVmops)
            goto out_unlock;

        map = vma.GrantMap;
        if (map == null)
            goto out_unlock;

        BitConverter.TryWriteBytes(op.AsSpan(8, 8), (ulong)map.Index << PAGE_SHIFT);
        BitConverter.TryWriteBytes(op.AsSpan(16, 4), map.Count);
        rv = 0;

    out_unlock:
        MmapReadUnlock(mm);

        if (rv == 0 && CopyToUser(u, op) != 0)
            return -EFAULT;
        return rv;
    }

    // drivers/xen/privcmd.c, privcmd_ioctl_mmap_resource(), v5.10 (current->mm passed in as mm; the pfn array,
    // the acquire-resource hypercall and the remapping are a stub). Correct: the size query answers with
    // __put_user() into the struct that copy_from_user() has just read whole, so access_ok() has passed for
    // &udata->num; the mapping part touches no user memory under the mmap lock.
    public static long PrivcmdIoctlMmapResource(Helpers.PrivcmdData data, Mm mm, UserPtr udata) // expect: none
    {
        var kdata = new byte[SIZEOF_PRIVCMD_MMAP_RESOURCE];
        ulong[]? pfns = null;
        var xdata = new Helpers.XenMemAcquireResource();
        Helpers.VmArea? vma;
        int rc;

        if (CopyFromUser(kdata, udata) != 0)
            return -EFAULT;

        ushort dom = BitConverter.ToUInt16(kdata, 0);
        ulong num = BitConverter.ToUInt64(kdata, 16);
        ulong addr = BitConverter.ToUInt64(kdata, 24);

        /* If restriction is in place, check the domid matches */
        if (data.Domid != DOMID_INVALID && data.Domid != dom)
            return -EPERM;

        /* Both fields must be set or unset */
        if ((addr != 0) != (num != 0))
            return -EINVAL;

        xdata.Domid = dom;
        xdata.Type = BitConverter.ToUInt32(kdata, 4);
        xdata.Id = BitConverter.ToUInt32(kdata, 8);

        if (addr == 0 && num == 0)
        {
            /* Query the size of the resource. */
            rc = Helpers.HypervisorAcquireResource(xdata);
            if (rc != 0)
                return rc;
            return PutUserUnchecked((ulong)xdata.NrFrames, (udata + 16).Cast<ulong>());
        }

        MmapWriteLock(mm);

        vma = Helpers.FindVma(mm, addr);
        if (vma == null || vma.VmOps != Helpers.PrivcmdVmOps)
        {
            rc = -EINVAL;
            goto out_;
        }

        pfns = Helpers.KcallocPfns(num);
        if (pfns == null)
        {
            rc = -ENOMEM_;
            goto out_;
        }

        xdata.Frame = BitConverter.ToUInt32(kdata, 12);
        xdata.NrFrames = (uint)num;
        rc = Helpers.MapResource(vma, xdata, pfns, addr, dom);

    out_:
        MmapWriteUnlock(mm);
        /* kfree(pfns); */

        return rc;
    }
}

public static class RtcDev
{
    private const int ERESTARTSYS = 512;
    private const int O_NONBLOCK = 0x800;

    // drivers/rtc/dev.c, rtc_dev_read(), v5.x/v6.x. Correct: the interrupt data is taken under rtc->irq_lock
    // (spin_lock_irq) and the lock is dropped before the wait and before put_user(), whose errno is returned;
    // a signal ends the wait with -ERESTARTSYS.
    public static long RtcDevRead(Helpers.RtcFile file, UserPtr buf, ulong count) // expect: none
    {
        Helpers.RtcDevice rtc = file.PrivateData;
        ulong data;
        long ret;

        if (count != sizeof(uint) && count < (ulong)Helpers.SizeofLong)
            return -EINVAL;

        /* add_wait_queue(&rtc->irq_queue, &wait); */
        do
        {
            /* __set_current_state(TASK_INTERRUPTIBLE); */

            rtc.IrqLock.Lock(); /* spin_lock_irq(&rtc->irq_lock) */
            data = rtc.IrqData;
            rtc.IrqData = 0;
            rtc.IrqLock.Unlock(); /* spin_unlock_irq(&rtc->irq_lock) */

            if (data != 0)
            {
                ret = 0;
                break;
            }
            if ((file.FFlags & O_NONBLOCK) != 0)
            {
                ret = -EAGAIN;
                break;
            }
            if (SignalPending())
            {
                ret = -ERESTARTSYS;
                break;
            }
            Schedule();
        }
        while (true);
        /* set_current_state(TASK_RUNNING); remove_wait_queue(&rtc->irq_queue, &wait); */

        if (ret == 0)
        {
            if (sizeof(int) != Helpers.SizeofLong && count == sizeof(uint))
            {
                int err = PutUser((uint)data, buf.Cast<uint>());
                ret = err != 0 ? err : sizeof(uint);
            }
            else
            {
                int err = PutUser(data, buf.Cast<ulong>());
                ret = err != 0 ? err : Helpers.SizeofLong;
            }
        }
        return ret;
    }
}

public static class Habanalabs
{
    // drivers/misc/habanalabs/common/habanalabs_ioctl.c, events_info(), as 20c59ac5d71e "habanalabs: add
    // support for notification via eventfd" (Tal Cohen, habanalabs-next, April 2022) added it. Buggy: the
    // copy_to_user() count is returned as the ioctl's result, so a failed copy "succeeds" with a positive
    // value: "copy_to_user() returns the number of bytes remaining (positive). This should be: if
    // (copy_to_user(...)) return -EFAULT;" (Dan Carpenter's smatch report, "events_info() warn: maybe return
    // -EFAULT instead of the bytes remaining?"; Oded Gabbay: "Correct, thanks, I'll fix it").
    public static int EventsInfoV2022(Helpers.HlFpriv hpriv, Helpers.HlInfoArgs args)
    {
        int rc;
        uint maxSize = args.ReturnSize;
        ulong eventsMask;
        UserPtr out_ = new UserPtr(args.ReturnPointer);

        if ((maxSize < sizeof(ulong)) || (out_ == UserPtr.Null))
            return -EINVAL;

        hpriv.NotifierEventLock.Lock();
        eventsMask = hpriv.NotifierEventsMask;
        hpriv.NotifierEventsMask = 0;
        hpriv.NotifierEventLock.Unlock();

        rc = CopyToUser(out_.Cast<ulong>(), eventsMask);
        return rc; // expect: UA5002
    }

    // drivers/misc/habanalabs/common/habanalabs_ioctl.c, events_info(), after the fix to that report (upstream
    // since v5.19: "-\trc = copy_to_user(out, &events_mask, sizeof(u64)); -\treturn rc; +\treturn
    // copy_to_user(out, &events_mask, sizeof(u64)) ? -EFAULT : 0;"). Correct: the mask is taken under the
    // notifier mutex and copied out after it is dropped; a failed copy is -EFAULT.
    public static int EventsInfo(Helpers.HlFpriv hpriv, Helpers.HlInfoArgs args) // expect: none
    {
        uint maxSize = args.ReturnSize;
        ulong eventsMask;
        UserPtr out_ = new UserPtr(args.ReturnPointer);

        if ((maxSize < sizeof(ulong)) || (out_ == UserPtr.Null))
            return -EINVAL;

        hpriv.NotifierEventLock.Lock();
        eventsMask = hpriv.NotifierEventsMask;
        hpriv.NotifierEventsMask = 0;
        hpriv.NotifierEventLock.Unlock();

        return CopyToUser(out_.Cast<ulong>(), eventsMask) != 0 ? -EFAULT : 0;
    }
}

public static class SsifBmc
{
    private const int O_NONBLOCK = 0x800;

    /// <summary>sizeof(struct ipmi_ssif_msg): unsigned int len; u8 payload[IPMI_SSIF_PAYLOAD_MAX = 254] (padded).</summary>
    private const int SIZEOF_IPMI_SSIF_MSG = 260;

    /// <summary>sizeof_field(struct ipmi_ssif_msg, len).</summary>
    private const int SIZEOF_LEN = 4;

    private const int IPMI_SSIF_PAYLOAD_MAX = 254;

    // drivers/char/ipmi/ssif_bmc.c, ssif_bmc_read(), as dd2bc5cc9e25 "ipmi: ssif_bmc: Add SSIF BMC driver"
    // (v6.0) added it, before ea641be7a4fa "ipmi: ssif_bmc: fix missing check for copy_to_user() partial
    // failure" (Jian Zhang, 2026). Buggy: ret holds copy_to_user()'s count on the copy path, and the return
    // tests it as an errno, so a failed copy returns the full count: "copy_to_user() returns the number of bytes
    // that could not be copied, with a non-zero value indicating a partial or complete failure. The current
    // code only checks for negative return values and treats all non-negative results as success."
    public static long SsifBmcReadV60(Helpers.SsifBmcFile file, UserPtr buf, ulong count)
    {
        Helpers.SsifBmcCtx ssifBmc = file.Ctx;
        var msg = new byte[SIZEOF_IPMI_SSIF_MSG];
        long ret;

        ssifBmc.Lock.Lock(); /* spin_lock_irqsave(&ssif_bmc->lock, flags) */
        while (!ssifBmc.RequestAvailable)
        {
            ssifBmc.Lock.Unlock(); /* spin_unlock_irqrestore(&ssif_bmc->lock, flags) */
            if ((file.FFlags & O_NONBLOCK) != 0)
                return -EAGAIN;
            ret = Helpers.WaitEventInterruptibleRequest(ssifBmc);
            if (ret != 0)
                return ret;
            ssifBmc.Lock.Lock();
        }

        if ((long)count < Math.Min(SIZEOF_LEN + ssifBmc.RequestLen, SIZEOF_IPMI_SSIF_MSG))
        {
            ssifBmc.Lock.Unlock();
            ret = -EINVAL;
        }
        else
        {
            count = (ulong)Math.Min(SIZEOF_LEN + ssifBmc.RequestLen, SIZEOF_IPMI_SSIF_MSG);
            ssifBmc.Request.AsSpan(0, (int)count).CopyTo(msg); /* memcpy(&msg, &ssif_bmc->request, count) */
            ssifBmc.RequestAvailable = false;
            ssifBmc.Lock.Unlock();

            ret = CopyToUser(buf, msg.AsSpan(0, (int)count));
        }

        return (ret < 0) ? ret : (long)count; // expect: UA5002
    }

    // drivers/char/ipmi/ssif_bmc.c, ssif_bmc_read(), after ea641be7a4fa: "Treating any positive return value
    // from copy_to_user() as an error and returning -EFAULT" (if (ret > 0) ret = -EFAULT;). Correct: the
    // request is copied into a local message under the spinlock and out to the user after it is dropped.
    public static long SsifBmcRead(Helpers.SsifBmcFile file, UserPtr buf, ulong count) // expect: none
    {
        Helpers.SsifBmcCtx ssifBmc = file.Ctx;
        var msg = new byte[SIZEOF_IPMI_SSIF_MSG];
        long ret;

        ssifBmc.Lock.Lock(); /* spin_lock_irqsave(&ssif_bmc->lock, flags) */
        while (!ssifBmc.RequestAvailable)
        {
            ssifBmc.Lock.Unlock(); /* spin_unlock_irqrestore(&ssif_bmc->lock, flags) */
            if ((file.FFlags & O_NONBLOCK) != 0)
                return -EAGAIN;
            ret = Helpers.WaitEventInterruptibleRequest(ssifBmc);
            if (ret != 0)
                return ret;
            ssifBmc.Lock.Lock();
        }

        if ((long)count < Math.Min(SIZEOF_LEN + ssifBmc.RequestLen, SIZEOF_IPMI_SSIF_MSG))
        {
            ssifBmc.Lock.Unlock();
            ret = -EINVAL;
        }
        else
        {
            count = (ulong)Math.Min(SIZEOF_LEN + ssifBmc.RequestLen, SIZEOF_IPMI_SSIF_MSG);
            ssifBmc.Request.AsSpan(0, (int)count).CopyTo(msg); /* memcpy(&msg, &ssif_bmc->request, count) */
            ssifBmc.RequestAvailable = false;
            ssifBmc.Lock.Unlock();

            ret = CopyToUser(buf, msg.AsSpan(0, (int)count));
            if (ret > 0)
                ret = -EFAULT;
        }

        return (ret < 0) ? ret : (long)count;
    }

    // drivers/char/ipmi/ssif_bmc.c, ssif_bmc_write(), v6.x (the response timer and the part buffers are kernel
    // state). Correct: the message is copied in before the spinlock is taken, a failed copy is -EFAULT, its
    // length is checked in the kernel copy, and the wait for the previous response drops the spinlock.
    public static long SsifBmcWrite(Helpers.SsifBmcFile file, UserPtr buf, ulong count) // expect: none
    {
        Helpers.SsifBmcCtx ssifBmc = file.Ctx;
        var msg = new byte[SIZEOF_IPMI_SSIF_MSG];
        long ret;

        if (count < SIZEOF_LEN ||
            count > SIZEOF_IPMI_SSIF_MSG)
            return -EINVAL;

        if (CopyFromUser(msg.AsSpan(0, (int)count), buf) != 0)
            return -EFAULT;

        uint msgLen = BitConverter.ToUInt32(msg, 0);
        if (msgLen == 0 || msgLen > IPMI_SSIF_PAYLOAD_MAX ||
            count < SIZEOF_LEN + msgLen)
            return -EINVAL;

        ssifBmc.Lock.Lock(); /* spin_lock_irqsave(&ssif_bmc->lock, flags) */
        while (ssifBmc.ResponseInProgress)
        {
            ssifBmc.Lock.Unlock();
            if ((file.FFlags & O_NONBLOCK) != 0)
                return -EAGAIN;
            ret = Helpers.WaitEventInterruptibleResponse(ssifBmc);
            if (ret != 0)
                return ret;
            ssifBmc.Lock.Lock();
        }

        /*
         * The write must complete before the response timeout fired, otherwise
         * the response is aborted and wait for next request
         * Return -EINVAL if the response is aborted
         */
        ret = ssifBmc.ResponseTimerInited ? 0 : -EINVAL;
        if (ret != 0)
            goto exit;

        /* del_timer(&ssif_bmc->response_timer); */
        ssifBmc.ResponseTimerInited = false;

        msg.AsSpan(0, (int)count).CopyTo(ssifBmc.Response); /* memcpy(&ssif_bmc->response, &msg, count) */
        ssifBmc.IsSinglepartRead = msgLen <= 32;

        ssifBmc.ResponseInProgress = true;

        /* ssif_bmc not busy */
        ssifBmc.Busy = false;

        /* Clean old request buffer */
        Array.Clear(ssifBmc.Request);
    exit:
        ssifBmc.Lock.Unlock(); /* spin_unlock_irqrestore(&ssif_bmc->lock, flags) */

        return (ret < 0) ? ret : (long)count;
    }
}

public static class Helpers
{
    private const int ENXIO = 6;

    /// <summary>sizeof(long) on the kernel the code is built for.</summary>
    public static readonly int SizeofLong = 8;

    // ---- drivers/char/nvram.c ----

    /// <summary>struct file of /dev/nvram.</summary>
    public sealed class NvramFile
    {
        public int FFlags;
    }

    /// <summary>rtc_lock: the spinlock around the CMOS index/data ports (spin_lock_irq()/spin_lock_irqsave()).</summary>
    public static readonly KernelSpinlock RtcLock = new();

    private static readonly byte[] s_cmos = new byte[128];

    /// <summary>nvram_check_checksum_int(): the PC checksum over bytes 2..31 (caller holds rtc_lock or has interrupts off).</summary>
    public static bool NvramCheckChecksumInt() => true;

    /// <summary>nvram_read_int(): CMOS_READ(NVRAM_FIRST_BYTE + i).</summary>
    public static byte NvramReadInt(uint i) => s_cmos[14 + i];

    /// <summary>nvram_write_int(): CMOS_WRITE(c, NVRAM_FIRST_BYTE + i).</summary>
    public static void NvramWriteInt(byte c, uint i) => s_cmos[14 + i] = c;

    /// <summary>nvram_set_checksum_int(): stores the PC checksum.</summary>
    public static void NvramSetChecksumInt()
    {
    }

    /// <summary>__nvram_check_checksum() (caller holds rtc_lock).</summary>
    public static bool NvramCheckChecksum() => NvramCheckChecksumInt();

    /// <summary>__nvram_read_byte() (caller holds rtc_lock).</summary>
    public static byte NvramReadByte(uint i) => NvramReadInt(i);

    /// <summary>__nvram_write_byte() (caller holds rtc_lock).</summary>
    public static void NvramWriteByte(byte c, uint i) => NvramWriteInt(c, i);

    /// <summary>__nvram_set_checksum() (caller holds rtc_lock).</summary>
    public static void NvramSetChecksum() => NvramSetChecksumInt();

    // ---- drivers/block/loop.c ----

    public const int Lo_bound = 1;

    /// <summary>struct loop_device: its state and lo_ctl_mutex.</summary>
    public sealed class LoopDevice
    {
        public int LoState = Lo_bound;
        public KernelMutex LoCtlMutex = new();
    }

    /// <summary>struct loop_info64 (the fields loop_get_status() fills).</summary>
    public sealed class LoopInfo64
    {
        public ulong LoDevice;
        public ulong LoInode;
        public ulong LoOffset;
        public ulong LoSizelimit;
        public uint LoNumber;
        public uint LoFlags;
    }

    /// <summary>
    /// loop_get_status() since 2d1d4c1e591f: entered with lo_ctl_mutex held; fills the info from the device,
    /// drops the mutex before vfs_getattr() of the backing file (and on the -ENXIO path); 0 or a negative errno.
    /// </summary>
    [Releases("lo.LoCtlMutex")]
    [MightSleep]
    public static int LoopGetStatus(LoopDevice lo, LoopInfo64 info)
    {
        if (lo.LoState != Lo_bound)
        {
            lo.LoCtlMutex.Unlock();
            return -ENXIO;
        }

        info.LoFlags = 0;
        /* path = lo->lo_backing_file->f_path; path_get(&path); */
        lo.LoCtlMutex.Unlock();
        /* ret = vfs_getattr(&path, &stat, STATX_INO, AT_STATX_SYNC_AS_BASIC); ... path_put(&path); */
        return 0;
    }

    /// <summary>loop_info64_to_old(): converts to struct loop_info; -EOVERFLOW when a field does not fit.</summary>
    public static int LoopInfo64ToOld(LoopInfo64 info64, byte[] info) => 0;

    // ---- drivers/input/joydev.c ----

    /// <summary>struct input_dev: event_lock (a spinlock taken with spin_lock_irq()), the key bitmap.</summary>
    public sealed class InputDev
    {
        public KernelSpinlock EventLock = new();
        public ulong[] Key = new ulong[12];
    }

    /// <summary>struct joydev: the device state behind joydev->mutex.</summary>
    public sealed class JoydevDev
    {
        public bool Exist = true;
        public KernelMutex Mutex = new();
        public InputDev HandleDev = new();
        public int Nkey;
        public ushort[] Keypam = new ushort[0x2ff - 0x100 + 1];
        public byte[] Keymap = new byte[0x2ff - 0x100 + 1];
        public int[] Abs = new int[64];
        public int GlueCorrX;
        public int GlueCorrY;
        public long GlueTimelimit;
    }

    /// <summary>struct joydev_client: its event ring, buffer_lock and startup count.</summary>
    public sealed class JoydevClient
    {
        public JoydevDev Joydev = new();
        public KernelSpinlock BufferLock = new();
        public int Head;
        public int Tail;
        public int Startup;
    }

    /// <summary>struct file of /dev/input/jsN.</summary>
    public sealed class JoydevFile
    {
        public int FFlags;
        public JoydevClient PrivateData = new();
    }

    /// <summary>test_bit().</summary>
    public static bool TestBit(int nr, ulong[] addr) => (addr[nr / 64] & (1UL << (nr % 64))) != 0;

    /// <summary>joydev_data_pending(): startup events left or the ring not empty.</summary>
    public static bool JoydevDataPending(JoydevClient client) => client.Head != client.Tail;

    /// <summary>wait_event_interruptible(joydev->wait, !joydev->exist || joydev_data_pending(client)): 0 or -ERESTARTSYS.</summary>
    [MightSleep]
    public static long WaitEventInterruptibleJoydev(JoydevDev joydev, JoydevClient client) => SignalPending() ? -512 : 0;

    /// <summary>
    /// joydev_generate_startup_event(): under input->event_lock (spin_lock_irq) and client->buffer_lock, builds
    /// the next JS_EVENT_INIT event for an axis or button and counts it in client->startup; false when all have
    /// been sent. Both locks are dropped before it returns.
    /// </summary>
    public static bool JoydevGenerateStartupEvent(JoydevClient client, InputDev input, byte[] evt)
    {
        input.EventLock.Lock();
        client.BufferLock.Lock();
        bool haveEvent = client.Startup < client.Joydev.Nkey;
        if (haveEvent)
            client.Startup++;
        client.BufferLock.Unlock();
        input.EventLock.Unlock();
        return haveEvent;
    }

    /// <summary>joydev_fetch_next_event(): under client->buffer_lock (spin_lock_irq), takes the event at the ring's tail; false when it is empty.</summary>
    public static bool JoydevFetchNextEvent(JoydevClient client, byte[] evt)
    {
        client.BufferLock.Lock();
        bool haveEvent = client.Head != client.Tail;
        if (haveEvent)
            client.Tail = (client.Tail + 1) & 63;
        client.BufferLock.Unlock();
        return haveEvent;
    }

    /// <summary>The JS_SET_ALL stores: joydev->glue from the compat struct's fields.</summary>
    public static void JoydevSetGlue32(JoydevDev joydev, byte[] ds32) => joydev.GlueTimelimit = BitConverter.ToInt32(ds32, 12);

    /// <summary>The JS_GET_ALL loads: the compat struct's fields from joydev->glue.</summary>
    public static void JoydevGetGlue32(JoydevDev joydev, byte[] ds32) => BitConverter.TryWriteBytes(ds32.AsSpan(12, 4), (int)joydev.GlueTimelimit);

    /// <summary>joydev_ioctl_common() (stub, caller holds joydev->mutex): the fixed and variable-sized commands; -EINVAL for unknown ones.</summary>
    public static int JoydevIoctlCommon(JoydevDev joydev, uint cmd, UserPtr argp) => -EINVAL;

    /// <summary>memdup_user(): kmalloc() and copy_from_user(); null stands for the ERR_PTR (-EFAULT).</summary>
    [MightFault]
    [UserAccess(AccessKind.Read, "src", Size = "len")]
    public static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    // ---- drivers/hid/usbhid/hiddev.c ----

    /// <summary>struct hiddev_usage_ref as the ring holds it, with its bytes as copy_to_user() sends them.</summary>
    public sealed class HiddevUsageRef
    {
        public uint FieldIndex;
        public uint UsageCode;
        public int Value;
        public byte[] Bytes = new byte[24];
    }

    /// <summary>struct hiddev.</summary>
    public sealed class HiddevDev
    {
        public bool Exist = true;
    }

    /// <summary>struct hiddev_list: the event ring, its flags and thread_lock.</summary>
    public sealed class HiddevList
    {
        public HiddevUsageRef[] Buffer = new HiddevUsageRef[2048];
        public int Head;
        public int Tail;
        public uint Flags;
        public HiddevDev Hiddev = new();
        public KernelMutex ThreadLock = new();
    }

    /// <summary>struct file of /dev/usb/hiddevN.</summary>
    public sealed class HiddevFile
    {
        public int FFlags;
        public HiddevList PrivateData = new();
    }

    // ---- drivers/xen ----

    /// <summary>struct vm_area_struct: its vm_ops and vm_private_data (a gntdev grant map).</summary>
    public sealed class VmArea
    {
        public object? VmOps;
        public GntdevGrantMap? GrantMap;
    }

    /// <summary>gntdev_vmops.</summary>
    public static readonly object GntdevVmops = new();

    /// <summary>privcmd_vm_ops.</summary>
    public static readonly object PrivcmdVmOps = new();

    /// <summary>struct gntdev_priv.</summary>
    public sealed class GntdevPriv
    {
    }

    /// <summary>struct gntdev_grant_map: its index in the device's offset space and its page count.</summary>
    public sealed class GntdevGrantMap
    {
        public ulong Index;
        public uint Count;
    }

    /// <summary>struct privcmd_data: the domain the file is restricted to.</summary>
    public sealed class PrivcmdData
    {
        public ushort Domid = 0x7ff4;
    }

    /// <summary>struct xen_mem_acquire_resource.</summary>
    public sealed class XenMemAcquireResource
    {
        public ushort Domid;
        public uint Type;
        public uint Id;
        public uint Frame;
        public uint NrFrames;
    }

    /// <summary>find_vma(): the VMA at or above addr; the caller holds the mmap lock.</summary>
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static VmArea? FindVma(Mm mm, ulong addr) => null;

    /// <summary>HYPERVISOR_memory_op(XENMEM_acquire_resource) with no frame list: the resource's size in nr_frames; 0 or a negative errno.</summary>
    public static int HypervisorAcquireResource(XenMemAcquireResource xdata)
    {
        xdata.NrFrames = 1;
        return 0;
    }

    /// <summary>kcalloc(num, sizeof(xen_pfn_t), GFP_KERNEL | __GFP_NOWARN); null when it fails.</summary>
    [MightSleep]
    public static ulong[]? KcallocPfns(ulong num) => num > 1 << 20 ? null : new ulong[num];

    /// <summary>
    /// The rest of privcmd_ioctl_mmap_resource() (stub, caller holds the mmap lock for write): the pfn array
    /// filled, the acquire-resource hypercall and the remapping of the frames into the VMA; 0 or a negative errno.
    /// </summary>
    public static int MapResource(VmArea vma, XenMemAcquireResource xdata, ulong[] pfns, ulong addr, ushort dom) => 0;

    // ---- drivers/misc/habanalabs ----

    /// <summary>struct hl_fpriv: the notifier's event mask and its mutex.</summary>
    public sealed class HlFpriv
    {
        public KernelMutex NotifierEventLock = new();
        public ulong NotifierEventsMask;
    }

    /// <summary>struct hl_info_args: the user's return buffer and its size.</summary>
    public sealed class HlInfoArgs
    {
        public ulong ReturnPointer;
        public uint ReturnSize;
    }

    // ---- drivers/char/ipmi/ssif_bmc.c ----

    /// <summary>struct ssif_bmc_ctx: lock (a spinlock taken with spin_lock_irqsave()), the request and response messages and their flags.</summary>
    public sealed class SsifBmcCtx
    {
        public KernelSpinlock Lock = new();
        public bool RequestAvailable;
        public bool ResponseInProgress;
        public bool ResponseTimerInited;
        public bool IsSinglepartRead;
        public bool Busy;
        public int RequestLen;
        public byte[] Request = new byte[260];
        public byte[] Response = new byte[260];
    }

    /// <summary>struct file of /dev/ipmi-ssif-host.</summary>
    public sealed class SsifBmcFile
    {
        public int FFlags;
        public SsifBmcCtx Ctx = new();
    }

    /// <summary>wait_event_interruptible(ssif_bmc->wait_queue, ssif_bmc->request_available): 0 or -ERESTARTSYS.</summary>
    [MightSleep]
    public static long WaitEventInterruptibleRequest(SsifBmcCtx ssifBmc) => SignalPending() ? -512 : 0;

    /// <summary>wait_event_interruptible(ssif_bmc->wait_queue, !ssif_bmc->response_in_progress): 0 or -ERESTARTSYS.</summary>
    [MightSleep]
    public static long WaitEventInterruptibleResponse(SsifBmcCtx ssifBmc) => SignalPending() ? -512 : 0;

    // ---- drivers/rtc/dev.c ----

    /// <summary>struct rtc_device: irq_data and irq_lock (a spinlock taken with spin_lock_irq()).</summary>
    public sealed class RtcDevice
    {
        public KernelSpinlock IrqLock = new();
        public ulong IrqData;
    }

    /// <summary>struct file of /dev/rtcN.</summary>
    public sealed class RtcFile
    {
        public int FFlags;
        public RtcDevice PrivateData = new();
    }
}
