// drivers/scsi/3w-9xxx.c and 3w-xxxx.c, the character-device ioctls of the 3ware controllers: the driver command header
// is copied and its buffer length checked, then the whole ioctl buffer, header included, is copied again from
// the same user pointer. Wenwen Wang reported the double fetch in 2018 ("scsi: 3w-9xxx: fix a missing-check
// bug": "a malicious userspace process can race to change the buffer size between the two copies", and the
// same report for 3w-xxxx); the fixes only restricted the devices to CAP_SYS_ADMIN, so the functions are
// buggy as they stand. DMA memory is a byte
// array; the firmware commands are a stub. TW_Ioctl_Buf_Apache starts with the driver command, whose
// buffer_length is the u32 at offset 8.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.DoubleFetch;

public static class Twa
{
    private const int DRIVER_COMMAND = 16;
    private const int IOCTL_BUF_APACHE = DRIVER_COMMAND + 8 + 512;
    private const int TW_MAX_SECTORS = 256;

    // drivers/scsi/3w-9xxx.c, twa_chrdev_ioctl(), v4.17. Buggy: the second copy_from_user() re-reads the
    // checked driver command, so the length the firmware path and the copy-back see is not the one checked.
    public static int TwaChrdevIoctlV417(Helpers.TwDevice twDev, KernelMutex twaChrdevMutex, uint cmd, UserPtr argp)
    {
        var driverCommand = new byte[DRIVER_COMMAND];
        byte[]? twIoctl;
        uint bufferLength;
        long dataBufferLengthAdjusted;
        int retval = -EFAULT;

        twaChrdevMutex.Lock();

        /* Only let one of these through at a time */
        if (twDev.IoctlLock.LockKillable() != 0)
        {
            retval = -EINTR;
            goto out_;
        }

        /* First copy down the driver command */
        if (CopyFromUser(driverCommand, argp) != 0)
            goto out2;

        /* Check data buffer size */
        bufferLength = BitConverter.ToUInt32(driverCommand, 8);
        if (bufferLength > TW_MAX_SECTORS * 2048)
        {
            retval = -EINVAL;
            goto out2;
        }

        /* Hardware can only do multiple of 512 byte transfers */
        dataBufferLengthAdjusted = (bufferLength + 511) & ~511;

        /* Now allocate ioctl buf memory */
        twIoctl = Helpers.DmaAllocCoherent(dataBufferLengthAdjusted + IOCTL_BUF_APACHE - 1);
        if (twIoctl == null)
        {
            retval = -ENOMEM;
            goto out2;
        }

        /* Now copy down the entire ioctl */
        if (CopyFromUser(twIoctl.AsSpan(0, (int)(bufferLength + IOCTL_BUF_APACHE - 1)), argp) != 0) // expect: UA3003
            goto out3;

        /* See which ioctl we are doing */
        retval = Helpers.TwaIoctlCommand(twDev, cmd, twIoctl);
        if (retval != 0)
            goto out3;

        /* Now copy the entire response to userspace */
        if (CopyToUser(argp, twIoctl.AsSpan(0, (int)(IOCTL_BUF_APACHE + bufferLength - 1))) == 0)
            retval = 0;
    out3:
        Helpers.DmaFreeCoherent(twIoctl);
    out2:
        twDev.IoctlLock.Unlock();
    out_:
        twaChrdevMutex.Unlock();
        return retval;
    }
}

public static class Tw
{
    private const int NEW_IOCTL = 4 + 8 + 512;
    private const int TW_MAX_IOCTL_SECTORS = 256;

    // drivers/scsi/3w-xxxx.c, tw_chrdev_ioctl(), v4.17. Buggy: data_buffer_length is copied and checked,
    // then the whole TW_New_Ioctl, which begins with that length, is copied again from argp and used.
    public static int TwChrdevIoctlV417(Helpers.TwDevice twDev, KernelMutex twMutex, uint cmd, UserPtr argp)
    {
        var lengthBytes = new byte[4];
        byte[]? twIoctl;
        uint dataBufferLength;
        long dataBufferLengthAdjusted;
        int retval = -EFAULT;

        twMutex.Lock();
        /* Only let one of these through at a time */
        if (twDev.IoctlLock.LockKillable() != 0)
        {
            twMutex.Unlock();
            return -EINTR;
        }

        /* First copy down the buffer length */
        if (CopyFromUser(lengthBytes, argp) != 0)
            goto out_;

        /* Check size */
        dataBufferLength = BitConverter.ToUInt32(lengthBytes, 0);
        if (dataBufferLength > TW_MAX_IOCTL_SECTORS * 512)
        {
            retval = -EINVAL;
            goto out_;
        }

        /* Hardware can only do multiple of 512 byte transfers */
        dataBufferLengthAdjusted = (dataBufferLength + 511) & ~511;

        /* Now allocate ioctl buf memory */
        twIoctl = Helpers.DmaAllocCoherent(dataBufferLengthAdjusted + NEW_IOCTL - 1);
        if (twIoctl == null)
        {
            retval = -ENOMEM;
            goto out_;
        }

        /* Now copy down the entire ioctl */
        if (CopyFromUser(twIoctl.AsSpan(0, (int)(dataBufferLength + NEW_IOCTL - 1)), argp) != 0) // expect: UA3003
            goto out2;

        retval = Helpers.TwaIoctlCommand(twDev, cmd, twIoctl);
        if (retval != 0)
            goto out2;

        /* Now copy the response to userspace */
        if (CopyToUser(argp, twIoctl.AsSpan(0, (int)(dataBufferLength + NEW_IOCTL - 1))) != 0)
            goto out2;
        retval = 0;
    out2:
        Helpers.DmaFreeCoherent(twIoctl);
    out_:
        twDev.IoctlLock.Unlock();
        twMutex.Unlock();
        return retval;
    }
}

public static class Helpers
{
    /// <summary>TW_Device_Extension, reduced to the ioctl lock.</summary>
    public sealed class TwDevice(KernelMutex ioctlLock)
    {
        public KernelMutex IoctlLock = ioctlLock;
    }

    public static byte[]? DmaAllocCoherent(long size) => new byte[size];

    public static void DmaFreeCoherent(byte[] buf)
    {
    }

    [MightSleep]
    [ReturnsErrno]
    public static int TwaIoctlCommand(TwDevice twDev, uint cmd, byte[] twIoctl) => 0;
}
