// Held out: filesystem ioctls and read handlers in fs/, each defect before and after the kernel's own fix, and
// current correct code from the same files doing the same things right:
// - fs/readdir.c filldir(): unsafe_put_user() of the new entry outside the range user_access_begin() opened (it
//   opened the previous entry only), before 3c2659bd1db8 "readdir: make user_access_begin() use the real access
//   range" (Linus Torvalds, v5.5), and after it; fillonedir() of v4.19, one access_ok() over the whole record;
// - fs/compat.c compat_set_fd_set(), fs/compat_ioctl.c do_video_stillpicture() and serial_struct_ioctl(): dropped
//   __put_user()/put_user()/__get_user() results, before Heiko Carstens' "compat: fix uaccess handling"
//   (7116e994, v2.6.20; the series that made the uaccess functions __must_check), and after it;
// - fs/compat_ioctl.c do_video_set_spu_palette(): the get_user() results or-ed into err and then overwritten by the
//   put_user() results, before 12176503 "fs/compat_ioctl.c: VIDEO_SET_SPU_PALETTE missing error check" (Kees
//   Cook, v3.8), and after it;
// - fs/fcntl.c f_getown_ex() and f_getowner_uids() of v5.4: the owner read under f_owner.lock (an rwlock), the copy
//   after read_unlock(); fs/eventfd.c eventfd_read() and eventfd_write() of v5.4: the counter under the wait queue's
//   spinlock, put_user()/copy_from_user() outside it: correct.
// The directory iteration, the ioctl dispatch with set_fs(KERNEL_DS), the pid and uid lookups and the wake-ups are
// stubs; the user pointers, the accesses, the range checks, the locks and the control flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.FsIoctls;

/// <summary>struct getdents_callback before 3c2659bd1db8: the next entry, the previous one (NULL at first), the room left.</summary>
public sealed class GetdentsCallbackV54
{
    public UserPtr CurrentDir;
    public UserPtr Previous;
    public int Count;
    public int Error;
}

/// <summary>struct getdents_callback after 3c2659bd1db8: the previous entry is found from its record length.</summary>
public sealed class GetdentsCallback
{
    public UserPtr CurrentDir;
    public int PrevReclen;
    public int Count;
    public int Error;
}

/// <summary>struct readdir_callback (old_readdir()): the one entry and the result.</summary>
public sealed class ReaddirCallback
{
    public UserPtr Dirent;
    public int Result;
}

public static class Readdir
{
    // fs/readdir.c, filldir(), v5.4 (from 9f79b78ef744 "Convert filldir[64]() from __put_user() to unsafe_put_user()",
    // v5.4-rc2, up to 3c2659bd1db8, v5.5; the text of the v5.4 stable backport's '-' lines). Buggy: user_access_begin() opens sizeof(struct linux_dirent) at the PREVIOUS
    // entry (or at NULL for the first one), and the stores to the new entry at buf->current_dir and its name fall
    // outside that range. 3c2659bd1db8: "the user_access_begin() range was not really the exact right one ... the
    // filldir[64]() changes did something lazy ... we faked the range to only be the (possibly not even valid)
    // previous directory entry" (getdents() had range-checked the whole buffer, which x86 got away with; ppc32 opens
    // only the range passed in). struct linux_dirent: d_ino 0, d_off 8, d_reclen 16, d_name 18, d_type the
    // record's last byte; sizeof 24.
    public static int FilldirV54(GetdentsCallbackV54 buf, byte[] name, int namlen, long offset, ulong ino, byte dType)
    {
        UserPtr dirent;
        ulong dIno;
        int reclen = (18 + namlen + 2 + 7) & ~7; /* ALIGN(offsetof(struct linux_dirent, d_name) + namlen + 2, sizeof(long)) */

        buf.Error = Helpers.VerifyDirentName(name, namlen);
        if (buf.Error != 0)
            return buf.Error;
        buf.Error = -EINVAL; /* only used if we fail.. */
        if (reclen > buf.Count)
            return -EINVAL;
        dIno = ino;
        /* if (sizeof(d_ino) < sizeof(ino) && d_ino != ino) { buf->error = -EOVERFLOW; return -EOVERFLOW; }: 32-bit only */
        dirent = buf.Previous;
        if (dirent != UserPtr.Null && SignalPending())
            return -EINTR;

        /*
         * Note! This range-checks 'previous' (which may be NULL).
         * The real range was checked in getdents
         */
        if (!AccessOk(dirent, 24)) /* user_access_begin(dirent, sizeof(*dirent)) */
            goto efault;
        if (dirent != UserPtr.Null)
        {
            if (PutUserUnchecked(offset, (dirent + 8).Cast<long>()) != 0)
                goto efault_end;
        }
        dirent = buf.CurrentDir;
        if (PutUserUnchecked(dIno, dirent.Cast<ulong>()) != 0) // expect: UA5003
            goto efault_end;
        if (PutUserUnchecked((ushort)reclen, (dirent + 16).Cast<ushort>()) != 0) // expect: UA5003
            goto efault_end;
        if (PutUserUnchecked(dType, (dirent + (reclen - 1)).Cast<byte>()) != 0) // expect: UA5003
            goto efault_end;
        if (Helpers.UnsafeCopyDirentName(dirent + 18, name, namlen) != 0) // expect: UA5003
            goto efault_end;
        /* user_access_end(); */

        buf.Previous = dirent;
        dirent = dirent + reclen;
        buf.CurrentDir = dirent;
        buf.Count -= reclen;
        return 0;
    efault_end:
        /* user_access_end(); */
    efault:
        buf.Error = -EFAULT;
        return -EFAULT;
    }

    // fs/readdir.c, filldir(), v5.5 (after 3c2659bd1db8). Correct: the previous entry is dirent - prev_reclen, and
    // one user_access_begin(prev, reclen + prev_reclen) covers its d_off and the whole new entry.
    public static int Filldir(GetdentsCallback buf, byte[] name, int namlen, long offset, ulong ino, byte dType) // expect: none
    {
        UserPtr dirent, prev;
        ulong dIno;
        int reclen = (18 + namlen + 2 + 7) & ~7;
        int prevReclen;

        buf.Error = Helpers.VerifyDirentName(name, namlen);
        if (buf.Error != 0)
            return buf.Error;
        buf.Error = -EINVAL; /* only used if we fail.. */
        if (reclen > buf.Count)
            return -EINVAL;
        dIno = ino;
        /* if (sizeof(d_ino) < sizeof(ino) && d_ino != ino) { buf->error = -EOVERFLOW; return -EOVERFLOW; }: 32-bit only */
        prevReclen = buf.PrevReclen;
        if (prevReclen != 0 && SignalPending())
            return -EINTR;
        dirent = buf.CurrentDir;
        prev = dirent - prevReclen;
        if (!AccessOk(prev, (ulong)(reclen + prevReclen))) /* user_access_begin() */
            goto efault;

        /* This might be 'dirent->d_off', but if so it will get overwritten */
        if (PutUserUnchecked(offset, (prev + 8).Cast<long>()) != 0)
            goto efault_end;
        if (PutUserUnchecked(dIno, dirent.Cast<ulong>()) != 0)
            goto efault_end;
        if (PutUserUnchecked((ushort)reclen, (dirent + 16).Cast<ushort>()) != 0)
            goto efault_end;
        if (PutUserUnchecked(dType, (dirent + (reclen - 1)).Cast<byte>()) != 0)
            goto efault_end;
        if (Helpers.UnsafeCopyDirentName(dirent + 18, name, namlen) != 0)
            goto efault_end;
        /* user_access_end(); */

        buf.CurrentDir = dirent + reclen;
        buf.PrevReclen = reclen;
        buf.Count -= reclen;
        return 0;
    efault_end:
        /* user_access_end(); */
    efault:
        buf.Error = -EFAULT;
        return -EFAULT;
    }

    // fs/readdir.c, fillonedir() (old_readdir()), v4.19 (the text of v3.11 to v5.3). Correct: access_ok() over the
    // record from dirent to the name's NUL, then __put_user()/__copy_to_user() of its fields, every result tested.
    // struct old_linux_dirent: d_ino 0, d_offset 8, d_namlen 16, d_name 18.
    public static int Fillonedir(ReaddirCallback buf, byte[] name, int namlen, long offset, ulong ino) // expect: none
    {
        UserPtr dirent;
        ulong dIno;

        if (buf.Result != 0)
            return -EINVAL;
        dIno = ino;
        /* if (sizeof(d_ino) < sizeof(ino) && d_ino != ino) { buf->result = -EOVERFLOW; return -EOVERFLOW; }: 32-bit only */
        buf.Result++;
        dirent = buf.Dirent;
        if (!AccessOk(dirent, (ulong)(18 + namlen + 1)))
            goto efault;
        if (PutUserUnchecked(dIno, dirent.Cast<ulong>()) != 0 ||
            PutUserUnchecked(offset, (dirent + 8).Cast<long>()) != 0 ||
            PutUserUnchecked((ushort)namlen, (dirent + 16).Cast<ushort>()) != 0 ||
            Helpers.CopyToUserUnchecked(dirent + 18, name.AsSpan(0, namlen)) != 0 ||
            PutUserUnchecked((byte)0, (dirent + (18 + namlen)).Cast<byte>()) != 0)
            goto efault;
        return 0;
    efault:
        buf.Result = -EFAULT;
        return -EFAULT;
    }
}

public static class CompatSelect
{
    // fs/compat.c, compat_set_fd_set(), v2.6.19 (before 7116e994 "compat: fix uaccess handling", v2.6.20). Buggy:
    // the result fd sets go back to user space with __put_user() and every result is dropped (the function returns
    // void, and compat_core_sys_select() returns success whatever happened to the sets). The range is the one
    // compat_get_fd_set() checked with access_ok(VERIFY_WRITE, ufdset, nr * sizeof(compat_ulong_t)) on the way in,
    // hence the [RequiresAccessOk] parameter.
    public static void CompatSetFdSetV2619(ulong nr, [RequiresAccessOk] UserPtr<uint> ufdset, ulong[] fdset)
    {
        ulong odd;
        int f = 0;
        nr = (nr + 31) / 32; /* ROUND_UP(nr, __COMPAT_NFDBITS) */

        if (ufdset == default)
            return;

        odd = nr & 1UL;
        nr &= ~1UL;
        while (nr != 0)
        {
            ulong h, l;
            l = fdset[f++];
            h = l >> 32;
            PutUserUnchecked((uint)l, ufdset); // expect: UA5001
            PutUserUnchecked((uint)h, ufdset + 4); // expect: UA5001
            ufdset += 8;
            nr -= 2;
        }
        if (odd != 0)
            PutUserUnchecked((uint)fdset[f], ufdset); // expect: UA5001
    }

    // fs/compat.c, compat_set_fd_set(), v2.6.20 (after 7116e994). Correct: every store is tested and a failure is
    // returned; compat_core_sys_select() turns it into -EFAULT.
    public static int CompatSetFdSet(ulong nr, [RequiresAccessOk] UserPtr<uint> ufdset, ulong[] fdset) // expect: none
    {
        ulong odd;
        int f = 0;
        nr = (nr + 31) / 32; /* ROUND_UP(nr, __COMPAT_NFDBITS) */

        if (ufdset == default)
            return 0;

        odd = nr & 1UL;
        nr &= ~1UL;
        while (nr != 0)
        {
            ulong h, l;
            l = fdset[f++];
            h = l >> 32;
            if (PutUserUnchecked((uint)l, ufdset) != 0 || PutUserUnchecked((uint)h, ufdset + 4) != 0)
                return -EFAULT;
            ufdset += 8;
            nr -= 2;
        }
        if (odd != 0 && PutUserUnchecked((uint)fdset[f], ufdset) != 0)
            return -EFAULT;
        return 0;
    }
}

/// <summary>struct serial_struct (native): the 44 bytes SS32 shares with it, then the fields the compat ioctl converts.</summary>
public sealed class SerialStruct
{
    public byte[] Head = new byte[44];
    public ulong IomemBase;
    public ushort IomemRegShift;
    public uint PortHigh;
    public ulong IomapBase;
}

public static class CompatIoctl
{
    private const uint TIOCGSERIAL = 0x541E;
    private const uint TIOCSSERIAL = 0x541F;
    private const int SIZEOF_SS32 = 60;
    private const int OFFSETOF_SS32_IOMEM_BASE = 44;

    // fs/compat_ioctl.c, do_video_stillpicture(), v2.6.19 (before 7116e994 "compat: fix uaccess handling", v2.6.20).
    // Buggy: the converted argument is built in compat_alloc_user_space() memory with two put_user()s whose results
    // are dropped, and the native ioctl then reads whatever that memory held. struct compat_video_still_picture:
    // iFrame (compat_uptr_t) 0, size 4; struct video_still_picture: iFrame 0 (8 bytes), size 8.
    public static int DoVideoStillpictureV2619(uint fd, uint cmd, ulong arg)
    {
        UserPtr up;
        UserPtr upNative;
        uint fp;
        int size;
        int err;

        up = new UserPtr(arg);
        err = GetUser(out fp, up.Cast<uint>());
        err |= GetUser(out size, (up + 4).Cast<int>());
        if (err != 0)
            return -EFAULT;

        upNative =
            Helpers.CompatAllocUserSpace(16);

        PutUser((ulong)fp /* compat_ptr(fp) */, upNative.Cast<ulong>()); // expect: UA5001
        PutUser(size, (upNative + 8).Cast<int>()); // expect: UA5001

        err = Helpers.SysIoctl(fd, cmd, upNative.Address);

        return err;
    }

    // fs/compat_ioctl.c, do_video_stillpicture(), v2.6.20 (after 7116e994). Correct: both stores or-ed into err and
    // tested before the native ioctl runs.
    public static int DoVideoStillpicture(uint fd, uint cmd, ulong arg) // expect: none
    {
        UserPtr up;
        UserPtr upNative;
        uint fp;
        int size;
        int err;

        up = new UserPtr(arg);
        err = GetUser(out fp, up.Cast<uint>());
        err |= GetUser(out size, (up + 4).Cast<int>());
        if (err != 0)
            return -EFAULT;

        upNative =
            Helpers.CompatAllocUserSpace(16);

        err = PutUser((ulong)fp /* compat_ptr(fp) */, upNative.Cast<ulong>());
        err |= PutUser(size, (upNative + 8).Cast<int>());
        if (err != 0)
            return -EFAULT;

        err = Helpers.SysIoctl(fd, cmd, upNative.Address);

        return err;
    }

    // fs/compat_ioctl.c, do_video_set_spu_palette(), v3.7 (v2.6.20 to v3.7: 7116e994 checked the put_user()s only).
    // Buggy: the two get_user() results are or-ed into err and then overwritten by the put_user() results, so a
    // faulting read leaves palp and length uninitialised and they are passed on. 12176503 (v3.8): "The compat ioctl
    // for VIDEO_SET_SPU_PALETTE was missing an error check while converting ioctl arguments. This could lead to
    // leaking kernel stack contents into userspace." struct compat_video_spu_palette: length 0, palette
    // (compat_uptr_t) 4; struct video_spu_palette: length 0, palette 8.
    public static int DoVideoSetSpuPaletteV37(uint fd, uint cmd, UserPtr up)
    {
        UserPtr upNative;
        uint palp;
        int length, err;

        err = GetUser(out palp, (up + 4).Cast<uint>());
        err |= GetUser(out length, up.Cast<int>()); // expect: UA5001

        upNative = Helpers.CompatAllocUserSpace(16);
        err = PutUser((ulong)palp /* compat_ptr(palp) */, (upNative + 8).Cast<ulong>());
        err |= PutUser(length, upNative.Cast<int>());
        if (err != 0)
            return -EFAULT;

        err = Helpers.SysIoctl(fd, cmd, upNative.Address);

        return err;
    }

    // fs/compat_ioctl.c, do_video_set_spu_palette(), v3.8 (after 12176503). Correct: the reads are tested before
    // err is reused for the stores.
    public static int DoVideoSetSpuPalette(uint fd, uint cmd, UserPtr up) // expect: none
    {
        UserPtr upNative;
        uint palp;
        int length, err;

        err = GetUser(out palp, (up + 4).Cast<uint>());
        err |= GetUser(out length, up.Cast<int>());
        if (err != 0)
            return -EFAULT;

        upNative = Helpers.CompatAllocUserSpace(16);
        err = PutUser((ulong)palp /* compat_ptr(palp) */, (upNative + 8).Cast<ulong>());
        err |= PutUser(length, upNative.Cast<int>());
        if (err != 0)
            return -EFAULT;

        err = Helpers.SysIoctl(fd, cmd, upNative.Address);

        return err;
    }

    // fs/compat_ioctl.c, serial_struct_ioctl(), v2.6.19 (before 7116e994 "compat: fix uaccess handling", v2.6.20).
    // Buggy: inside the access_ok()'d struct, the __get_user()s of TIOCSSERIAL and the __put_user()s of TIOCGSERIAL
    // drop their results (the ranges are checked; the results are not). struct serial_struct32: the first 44 bytes
    // as in serial_struct, iomem_base (u32) 44, iomem_reg_shift 48, port_high 52; sizeof 60.
    public static int SerialStructIoctlV2619(uint fd, uint cmd, ulong arg)
    {
        UserPtr ss32 = new UserPtr(arg); /* compat_ptr(arg) */
        int err;
        var ss = new SerialStruct();
        uint udata;

        if (cmd == TIOCSSERIAL)
        {
            if (!AccessOk(ss32, SIZEOF_SS32))
                return -EFAULT;
            if (Helpers.CopyFromUserUnchecked(ss.Head, ss32) != 0) /* offsetof(SS32, iomem_base) bytes */
                return -EFAULT;
            GetUserUnchecked(out udata, (ss32 + 44).Cast<uint>()); // expect: UA5001
            ss.IomemBase = udata; /* compat_ptr(udata) */
            GetUserUnchecked(out ss.IomemRegShift, (ss32 + 48).Cast<ushort>()); // expect: UA5001
            GetUserUnchecked(out ss.PortHigh, (ss32 + 52).Cast<uint>()); // expect: UA5001
            ss.IomapBase = 0UL;
        }
        /* set_fs(KERNEL_DS); */
        err = Helpers.SysIoctlKernel(fd, cmd, ss);
        /* set_fs(oldseg); */
        if (cmd == TIOCGSERIAL && err >= 0)
        {
            if (!AccessOk(ss32, SIZEOF_SS32))
                return -EFAULT;
            if (Helpers.CopyToUserUnchecked(ss32, ss.Head.AsSpan(0, OFFSETOF_SS32_IOMEM_BASE)) != 0)
                return -EFAULT;
            PutUserUnchecked(ss.IomemBase >> 32 != 0 ? 0xffffffffu : (uint)ss.IomemBase, (ss32 + 44).Cast<uint>()); // expect: UA5001
            PutUserUnchecked(ss.IomemRegShift, (ss32 + 48).Cast<ushort>()); // expect: UA5001
            PutUserUnchecked(ss.PortHigh, (ss32 + 52).Cast<uint>()); // expect: UA5001
        }
        return err;
    }

    // fs/compat_ioctl.c, serial_struct_ioctl(), v2.6.20 (after 7116e994). Correct: the same accesses, each result
    // tested and -EFAULT returned.
    public static int SerialStructIoctl(uint fd, uint cmd, ulong arg) // expect: none
    {
        UserPtr ss32 = new UserPtr(arg); /* compat_ptr(arg) */
        int err;
        var ss = new SerialStruct();
        uint udata;
        uint @base;

        if (cmd == TIOCSSERIAL)
        {
            if (!AccessOk(ss32, SIZEOF_SS32))
                return -EFAULT;
            if (Helpers.CopyFromUserUnchecked(ss.Head, ss32) != 0) /* offsetof(SS32, iomem_base) bytes */
                return -EFAULT;
            if (GetUserUnchecked(out udata, (ss32 + 44).Cast<uint>()) != 0)
                return -EFAULT;
            ss.IomemBase = udata; /* compat_ptr(udata) */
            if (GetUserUnchecked(out ss.IomemRegShift, (ss32 + 48).Cast<ushort>()) != 0 ||
                GetUserUnchecked(out ss.PortHigh, (ss32 + 52).Cast<uint>()) != 0)
                return -EFAULT;
            ss.IomapBase = 0UL;
        }
        /* set_fs(KERNEL_DS); */
        err = Helpers.SysIoctlKernel(fd, cmd, ss);
        /* set_fs(oldseg); */
        if (cmd == TIOCGSERIAL && err >= 0)
        {
            if (!AccessOk(ss32, SIZEOF_SS32))
                return -EFAULT;
            if (Helpers.CopyToUserUnchecked(ss32, ss.Head.AsSpan(0, OFFSETOF_SS32_IOMEM_BASE)) != 0)
                return -EFAULT;
            @base = ss.IomemBase >> 32 != 0 ?
                0xffffffffu : (uint)ss.IomemBase;
            if (PutUserUnchecked(@base, (ss32 + 44).Cast<uint>()) != 0 ||
                PutUserUnchecked(ss.IomemRegShift, (ss32 + 48).Cast<ushort>()) != 0 ||
                PutUserUnchecked(ss.PortHigh, (ss32 + 52).Cast<uint>()) != 0)
                return -EFAULT;
        }
        return err;
    }
}

/// <summary>struct f_owner_ex.</summary>
public struct FOwnerEx
{
    public int Type;
    public int Pid;
}

/// <summary>struct fown_struct: lock (an rwlock_t, a spinlock here), the pid, its type, the uids.</summary>
public sealed class FownStruct
{
    public KernelSpinlock Lock = new();
    public int Pid;
    public int PidType;
    public uint Uid;
    public uint Euid;
}

public static class Fcntl
{
    private const int PIDTYPE_PID = 0;
    private const int PIDTYPE_TGID = 1;
    private const int PIDTYPE_PGID = 2;
    private const int F_OWNER_TID = 0;
    private const int F_OWNER_PID = 1;
    private const int F_OWNER_PGRP = 2;

    // fs/fcntl.c, f_getown_ex(), v5.4. Correct: the owner is read under read_lock(&filp->f_owner.lock), the copy to
    // user space runs after read_unlock(), and its count of bytes not copied becomes -EFAULT in place.
    public static int FGetownEx(FownStruct fOwner, ulong arg) // expect: none
    {
        UserPtr<FOwnerEx> ownerP = new(arg);
        FOwnerEx owner = default;
        int ret = 0;

        fOwner.Lock.Lock(); /* read_lock() */
        /* rcu_read_lock(); */
        if (Helpers.PidTask(fOwner))
            owner.Pid = fOwner.Pid; /* pid_vnr() */
        /* rcu_read_unlock(); */
        switch (fOwner.PidType)
        {
            case PIDTYPE_PID:
                owner.Type = F_OWNER_TID;
                break;

            case PIDTYPE_TGID:
                owner.Type = F_OWNER_PID;
                break;

            case PIDTYPE_PGID:
                owner.Type = F_OWNER_PGRP;
                break;

            default:
                /* WARN_ON(1); */
                ret = -EINVAL;
                break;
        }
        fOwner.Lock.Unlock(); /* read_unlock() */

        if (ret == 0)
        {
            ret = CopyToUser(ownerP, in owner);
            if (ret != 0)
                ret = -EFAULT;
        }
        return ret;
    }

    // fs/fcntl.c, f_getowner_uids(), v5.4 (CONFIG_CHECKPOINT_RESTORE). Correct: the uids are read under the lock,
    // written after it with put_user(), and the or-ed results returned.
    public static int FGetownerUids(FownStruct fOwner, ulong arg) // expect: none
    {
        UserPtr<uint> dst = new(arg);
        uint[] src = new uint[2];
        int err;

        fOwner.Lock.Lock(); /* read_lock() */
        src[0] = fOwner.Uid; /* from_kuid(user_ns, ...) */
        src[1] = fOwner.Euid;
        fOwner.Lock.Unlock(); /* read_unlock() */

        err = PutUser(src[0], dst);
        err |= PutUser(src[1], dst + 4);

        return err;
    }
}

/// <summary>struct eventfd_ctx: the wait queue head's spinlock and the counter.</summary>
public sealed class EventfdCtx
{
    public KernelSpinlock WqhLock = new();
    public ulong Count;
    public uint Flags;
}

public static class Eventfd
{
    private const int ERESTARTSYS = 512;
    private const uint O_NONBLOCK = 0x800;
    private const uint EFD_SEMAPHORE = 1;

    // fs/eventfd.c, eventfd_read(), v5.4 (before the read_iter conversion of v5.8). Correct: the counter is taken
    // under spin_lock_irq(&ctx->wqh.lock), the wait drops the lock around schedule(), and put_user() runs after
    // spin_unlock_irq().
    public static long EventfdRead(EventfdCtx ctx, uint fFlags, UserPtr buf, long count) // expect: none
    {
        long res;
        ulong ucnt = 0;

        if (count < sizeof(ulong))
            return -EINVAL;

        ctx.WqhLock.Lock(); /* spin_lock_irq() */
        res = -EAGAIN;
        if (ctx.Count > 0)
            res = sizeof(ulong);
        else if ((fFlags & O_NONBLOCK) == 0)
        {
            /* __add_wait_queue(&ctx->wqh, &wait); */
            for (;;)
            {
                /* set_current_state(TASK_INTERRUPTIBLE); */
                if (ctx.Count > 0)
                {
                    res = sizeof(ulong);
                    break;
                }
                if (SignalPending())
                {
                    res = -ERESTARTSYS;
                    break;
                }
                ctx.WqhLock.Unlock(); /* spin_unlock_irq() */
                Schedule();
                ctx.WqhLock.Lock(); /* spin_lock_irq() */
            }
            /* __remove_wait_queue(&ctx->wqh, &wait); __set_current_state(TASK_RUNNING); */
        }
        if (res > 0)
        {
            /* eventfd_ctx_do_read(ctx, &ucnt); */
            ucnt = (ctx.Flags & EFD_SEMAPHORE) != 0 ? 1 : ctx.Count;
            ctx.Count -= ucnt;
            /* if (waitqueue_active(&ctx->wqh)) wake_up_locked_poll(&ctx->wqh, EPOLLOUT); */
        }
        ctx.WqhLock.Unlock(); /* spin_unlock_irq() */

        if (res > 0 && PutUser(ucnt, buf.Cast<ulong>()) != 0)
            return -EFAULT;

        return res;
    }

    // fs/eventfd.c, eventfd_write(), v5.4. Correct: the value is copied in before the spinlock is taken; under the
    // lock only the counter is touched.
    public static long EventfdWrite(EventfdCtx ctx, uint fFlags, UserPtr buf, long count) // expect: none
    {
        long res;
        ulong ucnt;

        if (count < sizeof(ulong))
            return -EINVAL;
        if (CopyFromUser(out ucnt, buf.Cast<ulong>()) != 0)
            return -EFAULT;
        if (ucnt == ulong.MaxValue)
            return -EINVAL;
        ctx.WqhLock.Lock(); /* spin_lock_irq() */
        res = -EAGAIN;
        if (ulong.MaxValue - ctx.Count > ucnt)
            res = sizeof(ulong);
        else if ((fFlags & O_NONBLOCK) == 0)
        {
            /* __add_wait_queue(&ctx->wqh, &wait); */
            for (res = 0; ;)
            {
                /* set_current_state(TASK_INTERRUPTIBLE); */
                if (ulong.MaxValue - ctx.Count > ucnt)
                {
                    res = sizeof(ulong);
                    break;
                }
                if (SignalPending())
                {
                    res = -ERESTARTSYS;
                    break;
                }
                ctx.WqhLock.Unlock(); /* spin_unlock_irq() */
                Schedule();
                ctx.WqhLock.Lock(); /* spin_lock_irq() */
            }
            /* __remove_wait_queue(&ctx->wqh, &wait); __set_current_state(TASK_RUNNING); */
        }
        if (res > 0)
        {
            ctx.Count += ucnt;
            /* if (waitqueue_active(&ctx->wqh)) wake_up_locked_poll(&ctx->wqh, EPOLLIN); */
        }
        ctx.WqhLock.Unlock(); /* spin_unlock_irq() */

        return res;
    }
}

public static class Helpers
{
    /// <summary>verify_dirent_name(): -EIO for an empty name or one with a '/'.</summary>
    public static int VerifyDirentName(byte[] name, int len)
    {
        if (len <= 0 || Array.IndexOf(name, (byte)'/', 0, len) >= 0)
            return -5; /* -EIO */
        return 0;
    }

    /// <summary>unsafe_copy_dirent_name(): the name and its NUL, stored without a range check of its own.</summary>
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Write, "dst", Size = "len")]
    public static int UnsafeCopyDirentName([RequiresAccessOk] UserPtr dst, byte[] name, int len)
    {
        for (int i = 0; i < len; i++)
        {
            if (PutUserUnchecked(name[i], (dst + i).Cast<byte>()) != 0)
                return -EFAULT;
        }

        return PutUserUnchecked((byte)0, (dst + len).Cast<byte>());
    }

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

    /// <summary>__copy_from_user(): no access_ok(); the bytes not copied.</summary>
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

    /// <summary>compat_alloc_user_space(len): room below the user stack pointer for a native copy of the argument.</summary>
    public static UserPtr CompatAllocUserSpace(long len) => new UserPtr((0x7fff_0000_0000UL - (ulong)len) & ~15UL);

    /// <summary>sys_ioctl(fd, cmd, arg): the native ioctl, which reads and writes the argument in user memory.</summary>
    [MightSleep]
    public static int SysIoctl(uint fd, uint cmd, ulong arg) => 0;

    /// <summary>sys_ioctl(fd, cmd, &amp;ss) under set_fs(KERNEL_DS): the native ioctl on a kernel copy.</summary>
    [MightSleep]
    public static int SysIoctlKernel(uint fd, uint cmd, SerialStruct ss) => 0;

    /// <summary>pid_task(f_owner.pid, f_owner.pid_type) != NULL.</summary>
    public static bool PidTask(FownStruct fOwner) => fOwner.Pid != 0;
}
