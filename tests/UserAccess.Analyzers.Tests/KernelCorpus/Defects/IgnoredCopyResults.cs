// Copies whose result was ignored, from the fixes that made them checked when gcc's warn_unused_result
// (the kernel's __must_check) pointed at them: drivers/isdn/hisax/config.c HiSax_readstatus() before and
// after "isdn hisax gcc 4.1 warning fix" (Daniel Walker, 2006, against v2.6.16); drivers/media/video/uvc/
// uvc_v4l2.c uvc_v4l2_put_xu_mapping() before and after "uvcvideo: Fix a 'ignoring return value of
// __clear_user' warning" (Hans de Goede, v3.4). The card list and the status ring are stubs; the user
// pointers, the copies and their checks are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.IgnoredCopyResults;

public static class HiSax
{
    private const int HISAX_STATUS_BUFSIZE = 4096;
    private const int ENODEV = 19;

    // drivers/isdn/hisax/config.c, HiSax_readstatus(), v2.6.16. Buggy: both copies of the status ring to
    // the reader's buffer ignore copy_to_user()'s result, so a read into an unmapped buffer returns len as
    // if the status text had been delivered, and the ring has moved on past it.
    public static int HiSaxReadstatusV2616(UserPtr buf, int len, int id, int channel)
    {
        int count, cnt;
        UserPtr p = buf;
        Helpers.IsdnCardState? cs = Helpers.HisaxFindcard(id);

        if (cs != null)
        {
            if (len > HISAX_STATUS_BUFSIZE)
            {
                /* printk(KERN_WARNING "HiSax: status overflow readstat %d/%d\n", ...) */
            }
            count = cs.StatusEnd - cs.StatusRead + 1;
            if (count >= len)
                count = len;
            CopyToUser(p, cs.StatusBuf.AsSpan(cs.StatusRead, count)); // expect: UA5001
            cs.StatusRead += count;
            if (cs.StatusRead > cs.StatusEnd)
                cs.StatusRead = 0;
            p += count;
            count = len - count;
            while (count != 0)
            {
                if (count > HISAX_STATUS_BUFSIZE)
                    cnt = HISAX_STATUS_BUFSIZE;
                else
                    cnt = count;
                CopyToUser(p, cs.StatusBuf.AsSpan(cs.StatusRead, cnt)); // expect: UA5001
                p += cnt;
                cs.StatusRead += cnt % HISAX_STATUS_BUFSIZE;
                count -= cnt;
            }
            return len;
        }
        else
        {
            /* printk(KERN_ERR "HiSax: if_readstatus called with invalid driverId!\n") */
            return -ENODEV;
        }
    }

    // drivers/isdn/hisax/config.c, HiSax_readstatus(), after the 2006 fix (v2.6.18). Correct: a failed copy
    // returns -EFAULT.
    public static int HiSaxReadstatus(UserPtr buf, int len, int id, int channel) // expect: none
    {
        int count, cnt;
        UserPtr p = buf;
        Helpers.IsdnCardState? cs = Helpers.HisaxFindcard(id);

        if (cs != null)
        {
            if (len > HISAX_STATUS_BUFSIZE)
            {
                /* printk(KERN_WARNING "HiSax: status overflow readstat %d/%d\n", ...) */
            }
            count = cs.StatusEnd - cs.StatusRead + 1;
            if (count >= len)
                count = len;
            if (CopyToUser(p, cs.StatusBuf.AsSpan(cs.StatusRead, count)) != 0)
                return -EFAULT;
            cs.StatusRead += count;
            if (cs.StatusRead > cs.StatusEnd)
                cs.StatusRead = 0;
            p += count;
            count = len - count;
            while (count != 0)
            {
                if (count > HISAX_STATUS_BUFSIZE)
                    cnt = HISAX_STATUS_BUFSIZE;
                else
                    cnt = count;
                if (CopyToUser(p, cs.StatusBuf.AsSpan(cs.StatusRead, cnt)) != 0)
                    return -EFAULT;
                p += cnt;
                cs.StatusRead += cnt % HISAX_STATUS_BUFSIZE;
                count -= cnt;
            }
            return len;
        }
        else
        {
            /* printk(KERN_ERR "HiSax: if_readstatus called with invalid driverId!\n") */
            return -ENODEV;
        }
    }
}

public static class UvcCompat
{
    /* struct uvc_xu_control_mapping32: menu_info at 64, menu_count at 68, __u32 reserved[4] at 72. */
    private const int SIZEOF_MAPPING32 = 88;
    private const int OFFSETOF_MENU_INFO = 64;
    private const int OFFSETOF_MENU_COUNT = 68;
    private const int OFFSETOF_RESERVED = 72;
    private const int SIZEOF_RESERVED = 16;
    private const int SIZEOF_UVC_MENU_INFO = 36;

    // drivers/media/video/uvc/uvc_v4l2.c, uvc_v4l2_put_xu_mapping(), v3.3 (the compat path of
    // UVCIOC_CTRL_MAP; kp is the kernel's mapping). Buggy: the result of __clear_user() of the reserved
    // words is ignored, unlike every other access of the function, so a fault there is lost and the caller
    // reports success with the words not cleared.
    public static int UvcV4l2PutXuMappingV33(Helpers.UvcXuControlMapping kp, UserPtr up)
    {
        UserPtr umenus;
        UserPtr kmenus = kp.MenuInfo;
        uint p;

        if (!AccessOk(up, SIZEOF_MAPPING32) ||
            Helpers.CopyToUserUnchecked(up, kp.Head.AsSpan(0, OFFSETOF_MENU_INFO)) != 0 ||
            PutUserUnchecked(kp.MenuCount, (up + OFFSETOF_MENU_COUNT).Cast<uint>()) != 0)
            return -EFAULT;

        Helpers.ClearUserUnchecked(up + OFFSETOF_RESERVED, SIZEOF_RESERVED); // expect: UA5001

        if (kp.MenuCount == 0)
            return 0;

        if (GetUser(out p, (up + OFFSETOF_MENU_INFO).Cast<uint>()) != 0)
            return -EFAULT;
        umenus = Helpers.CompatPtr(p);

        if (Helpers.CopyInUser(umenus, kmenus, (int)kp.MenuCount * SIZEOF_UVC_MENU_INFO) != 0)
            return -EFAULT;

        return 0;
    }

    // drivers/media/video/uvc/uvc_v4l2.c, uvc_v4l2_put_xu_mapping(), v3.4 (after the fix). Correct.
    public static int UvcV4l2PutXuMapping(Helpers.UvcXuControlMapping kp, UserPtr up) // expect: none
    {
        UserPtr umenus;
        UserPtr kmenus = kp.MenuInfo;
        uint p;

        if (!AccessOk(up, SIZEOF_MAPPING32) ||
            Helpers.CopyToUserUnchecked(up, kp.Head.AsSpan(0, OFFSETOF_MENU_INFO)) != 0 ||
            PutUserUnchecked(kp.MenuCount, (up + OFFSETOF_MENU_COUNT).Cast<uint>()) != 0)
            return -EFAULT;

        if (Helpers.ClearUserUnchecked(up + OFFSETOF_RESERVED, SIZEOF_RESERVED) != 0)
            return -EFAULT;

        if (kp.MenuCount == 0)
            return 0;

        if (GetUser(out p, (up + OFFSETOF_MENU_INFO).Cast<uint>()) != 0)
            return -EFAULT;
        umenus = Helpers.CompatPtr(p);

        if (Helpers.CopyInUser(umenus, kmenus, (int)kp.MenuCount * SIZEOF_UVC_MENU_INFO) != 0)
            return -EFAULT;

        return 0;
    }
}

public static class Helpers
{
    /// <summary>struct IsdnCardState, reduced to the status ring (status_read and status_end as indexes).</summary>
    public sealed class IsdnCardState(byte[] statusBuf)
    {
        public byte[] StatusBuf = statusBuf;
        public int StatusRead;
        public int StatusEnd;
    }

    /// <summary>struct uvc_xu_control_mapping: the fields before menu_info as bytes, the menu pointer and count.</summary>
    public sealed class UvcXuControlMapping(byte[] head, UserPtr menuInfo, uint menuCount)
    {
        public byte[] Head = head;
        public UserPtr MenuInfo = menuInfo;
        public uint MenuCount = menuCount;
    }

    public static IsdnCardState? HisaxFindcard(int driverid) => driverid == 0 ? new IsdnCardState(new byte[4096]) : null;

    /// <summary>compat_ptr(): the 32-bit user address as a pointer.</summary>
    public static UserPtr CompatPtr(uint p) => new UserPtr(p);

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

    /// <summary>__clear_user(): no access_ok(); the bytes not cleared.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, "to", Size = "n")]
    public static int ClearUserUnchecked([RequiresAccessOk] UserPtr to, int n) => CopyToUserUnchecked(to, new byte[n]);

    /// <summary>copy_in_user(): a user-to-user copy that checks both ranges; the bytes not copied.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    public static int CopyInUser(UserPtr to, UserPtr from, int n)
    {
        var bounce = new byte[n];
        int left = CopyFromUser(bounce, from);
        if (left != 0)
            return left;
        return CopyToUser(to, bounce);
    }
}
