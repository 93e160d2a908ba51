// drivers/scsi/3w-9xxx.c and 3w-xxxx.c, the character-device ioctls of the 3ware controllers: the driver command header
// is copied and its buffer length checked, then the whole ioctl buffer, header included, is copied again from
// the same user pointer. Wenwen Wang reported the double fetch in 2018 ("scsi: 3w-9xxx: fix a missing-check
// bug": "a malicious userspace process can race to change the buffer size between the two copies", and the
// same report for 3w-xxxx); the fixes only restricted the devices to CAP_SYS_ADMIN, so the functions are
// buggy as they stand. net/compat.c cmsghdr_from_user_compat_to_kern() sized the kernel buffer from the
// cmsg_len values of a first pass and copied with the values of a second pass over the same user headers,
// until Meng Xu's "net: compat: assert the size of cmsg copied in is as expected" (v4.14). DMA memory is a byte
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

public static class CompatCmsg
{
    private const int COMPAT_CMSGHDR = 12;  /* cmsg_len u32, cmsg_level s32, cmsg_type s32 */
    private const int CMSGHDR = 16;         /* cmsg_len size_t, cmsg_level int, cmsg_type int */
    private const int ENOBUFS = 105;

    // net/compat.c, cmsghdr_from_user_compat_to_kern(), v4.13 (before "net: compat: assert the size of
    // cmsg copied in is as expected"). Buggy: "the two get_user() calls in the two loops ... could cause
    // ucmlen to have different values even they fetch from the same user address": the first pass sums
    // the lengths to size kcmsg_base, the second re-reads each cmsg_len and copies that many bytes into it.
    public static int CmsghdrFromUserCompatToKernV413(UserPtr control, long controllen, byte[] stackbuf, out byte[]? kcmsgOut)
    {
        UserPtr ucmsg;
        byte[] kcmsgBase;
        int kcmsg;
        uint ucmlen;
        long kcmlen, tmp;

        kcmsgOut = null;
        kcmlen = 0;
        ucmsg = Helpers.CmsgCompatFirsthdr(control, controllen);
        while (ucmsg != default)
        {
            if (GetUser(out ucmlen, ucmsg.Cast<uint>()) != 0)
                return -EFAULT;

            /* Catch bogons. */
            if (!Helpers.CmsgCompatOk(ucmlen, ucmsg, control, controllen))
                return -EINVAL;

            tmp = (ucmlen - COMPAT_CMSGHDR) + CMSGHDR;
            tmp = (tmp + 7) & ~7L;
            kcmlen += tmp;
            ucmsg = Helpers.CmsgCompatNxthdr(control, controllen, ucmsg, ucmlen);
        }
        if (kcmlen == 0)
            return -EINVAL;

        /* The kcmlen holds the 64-bit version of the control length.
         * It may not be modified as we do not stick it into the kmsg
         * until we have successfully copied over all of the data
         * from the user.
         */
        kcmsgBase = kcmlen > stackbuf.Length ? new byte[kcmlen] : stackbuf;
        kcmsg = 0;

        /* Now copy them over neatly. */
        Array.Clear(kcmsgBase, 0, (int)kcmlen);
        ucmsg = Helpers.CmsgCompatFirsthdr(control, controllen);
        while (ucmsg != default)
        {
            if (GetUserUnchecked(out ucmlen, ucmsg.Cast<uint>()) != 0) // expect: UA3003
                return -EFAULT;
            if (!Helpers.CmsgCompatOk(ucmlen, ucmsg, control, controllen))
                return -EINVAL;
            tmp = (ucmlen - COMPAT_CMSGHDR) + CMSGHDR;
            BitConverter.GetBytes(tmp).CopyTo(kcmsgBase, kcmsg);
            tmp = (tmp + 7) & ~7L;
            if (GetUserUnchecked(out int level, (ucmsg + 4).Cast<int>()) != 0 ||
                GetUserUnchecked(out int type, (ucmsg + 8).Cast<int>()) != 0 ||
                CopyFromUser(kcmsgBase.AsSpan(kcmsg + CMSGHDR, (int)(ucmlen - COMPAT_CMSGHDR)), ucmsg + COMPAT_CMSGHDR) != 0)
                return -EFAULT;
            BitConverter.GetBytes(level).CopyTo(kcmsgBase, kcmsg + 8);
            BitConverter.GetBytes(type).CopyTo(kcmsgBase, kcmsg + 12);

            /* Advance. */
            kcmsg += (int)tmp;
            ucmsg = Helpers.CmsgCompatNxthdr(control, controllen, ucmsg, ucmlen);
        }

        kcmsgOut = kcmsgBase;
        return 0;
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

    /// <summary>CMSG_COMPAT_FIRSTHDR(): the first header, or NULL when the control buffer cannot hold one.</summary>
    public static UserPtr CmsgCompatFirsthdr(UserPtr control, long controllen) => controllen >= 12 ? control : default;

    /// <summary>CMSG_COMPAT_OK(): the header's length covers itself and stays inside the control buffer.</summary>
    public static bool CmsgCompatOk(uint ucmlen, UserPtr ucmsg, UserPtr control, long controllen)
        => ucmlen >= 12 && ucmlen <= (ulong)controllen - (ucmsg.Address - control.Address);

    /// <summary>cmsg_compat_nxthdr(): the next header, or NULL past the end of the control buffer.</summary>
    public static UserPtr CmsgCompatNxthdr(UserPtr control, long controllen, UserPtr ucmsg, uint ucmlen)
    {
        UserPtr next = ucmsg + ((ucmlen + 3) & ~3u);
        return next.Address + 12 - control.Address > (ulong)controllen ? default : next;
    }

    public static void DmaFreeCoherent(byte[] buf)
    {
    }

    [MightSleep]
    [ReturnsErrno]
    public static int TwaIoctlCommand(TwDevice twDev, uint cmd, byte[] twIoctl) => 0;
}
