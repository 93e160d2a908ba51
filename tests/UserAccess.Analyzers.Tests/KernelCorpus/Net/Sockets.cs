// net/: socket address and option copies (get_user of the length, copy, put_user of the length back),
// put_cmsg()'s unchecked stores after one range check, and RDS's page copy with and without the range
// check (CVE-2010-3904).
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Net;

public sealed class Sock(KernelMutex lockMutex)
{
    /// <summary>The socket owner lock that lock_sock() takes (a sleeping lock).</summary>
    public KernelMutex Lock = lockMutex;
}

public static class Sockets
{
    private const int SOCKADDR_STORAGE = 128;
    private const int ENOPROTOOPT = 92;

    // net/socket.c, move_addr_to_user(), v5.15. Correct: get_user() checked ulen's range, so the final
    // __put_user() to the same address needs no access_ok() of its own.
    public static int MoveAddrToUser(byte[] kaddr, int klen, UserPtr uaddr, UserPtr<int> ulen) // expect: none
    {
        int err;
        int len;

        err = GetUser(out len, ulen);
        if (err != 0)
            return err;
        if (len > klen)
            len = klen;
        if (len < 0)
            return -EINVAL;
        if (len != 0)
        {
            if (CopyToUser(uaddr, kaddr.AsSpan(0, len)) != 0)
                return -EFAULT;
        }

        /*
         *      "fromlen shall refer to the value before truncation.."
         *                      1003.1g
         */
        return PutUserUnchecked(klen, ulen);
    }

    // net/socket.c, move_addr_to_kernel(), v5.15. Correct.
    public static int MoveAddrToKernel(UserPtr uaddr, int ulen, byte[] kaddr) // expect: none
    {
        if (ulen < 0 || ulen > SOCKADDR_STORAGE)
            return -EINVAL;
        if (ulen == 0)
            return 0;
        if (CopyFromUser(kaddr.AsSpan(0, ulen), uaddr) != 0)
            return -EFAULT;
        return 0;
    }

    // net/ipv4/tcp.c, do_tcp_getsockopt() TCP_INFO, v5.15. Correct: the length is read once, clamped,
    // written back and used for the copy.
    public static int TcpGetsockoptInfo(UserPtr optval, UserPtr<int> optlen, byte[] info) // expect: none
    {
        int len;

        if (GetUser(out len, optlen) != 0)
            return -EFAULT;

        len = (int)Math.Min((uint)len, (uint)info.Length);
        if (PutUser(len, optlen) != 0)
            return -EFAULT;
        if (CopyToUser(optval, info.AsSpan(0, len)) != 0)
            return -EFAULT;
        return 0;
    }

    // net/core/sock.c, sock_getsockopt() length handling (an int option), v5.15. Correct.
    public static int SockGetsockopt(UserPtr optval, UserPtr<int> optlen, int v) // expect: none
    {
        int len, lv = sizeof(int);

        if (GetUser(out len, optlen) != 0)
            return -EFAULT;
        if (len < 0)
            return -EINVAL;

        if (len > lv)
            len = lv;
        if (CopyToUser(optval, BitConverter.GetBytes(v).AsSpan(0, len)) != 0)
            return -EFAULT;

        if (PutUser(len, optlen) != 0)
            return -EFAULT;
        return 0;
    }

    // net/bluetooth/l2cap_sock.c, l2cap_sock_getsockopt_old() L2CAP_OPTIONS, v5.15. Correct: the copy
    // runs under lock_sock(), a sleeping lock that the fault path never takes; every path releases it.
    public static int L2capSockGetsockoptOld(Sock sk, int optname, UserPtr optval, UserPtr<int> optlen, byte[] opts) // expect: none
    {
        const int L2CAP_OPTIONS = 1;
        int len, err = 0;

        if (GetUser(out len, optlen) != 0)
            return -EFAULT;

        Helpers.LockSock(sk);

        switch (optname)
        {
            case L2CAP_OPTIONS:
                len = (int)Math.Min((uint)len, (uint)opts.Length);
                if (CopyToUser(optval, opts.AsSpan(0, len)) != 0)
                    err = -EFAULT;
                break;

            default:
                err = -ENOPROTOOPT;
                break;
        }

        Helpers.ReleaseSock(sk);
        return err;
    }

    // net/core/scm.c, put_cmsg() (the user-buffer branch), v5.10. Correct: one range check of cmlen bytes,
    // at least sizeof(struct cmsghdr), then unchecked stores to the header fields (len 0, level 8, type 12)
    // and the data copy after them.
    public static int PutCmsg(CmsgMsg msg, int level, int type, int len, byte[] data) // expect: none
    {
        const int MSG_CTRUNC = 8;
        const int CMSGHDR = 16;
        UserPtr cm = msg.Control;
        int cmlen = CMSGHDR + len;

        if (cm == default || msg.ControlLen < CMSGHDR)
        {
            msg.Flags |= MSG_CTRUNC;
            return 0; /* XXX: return error? check spec. */
        }

        if (msg.ControlLen < cmlen)
        {
            msg.Flags |= MSG_CTRUNC;
            cmlen = msg.ControlLen;
        }

        if (!AccessOk(cm, (ulong)cmlen))
            goto efault;
        if (PutUserUnchecked((ulong)cmlen, cm.Cast<ulong>()) != 0)
            goto efault_end;
        if (PutUserUnchecked(level, (cm + 8).Cast<int>()) != 0)
            goto efault_end;
        if (PutUserUnchecked(type, (cm + 12).Cast<int>()) != 0)
            goto efault_end;
        if (Helpers.UnsafeCopyToUser(cm + CMSGHDR, data.AsSpan(0, cmlen - CMSGHDR)) != 0)
            goto efault_end;
        /* user_write_access_end() */

        cmlen = Math.Min((CMSGHDR + len + 7) & ~7, msg.ControlLen);
        msg.Control += cmlen;
        msg.ControlLen -= cmlen;
        return 0;

    efault_end:
        /* user_write_access_end() */
    efault:
        return -EFAULT;
    }

    // net/rds/page.c, rds_page_copy_user(), v2.6.35 (before 799c10559d60 "De-pessimize
    // rds_page_copy_user", CVE-2010-3904). Buggy: __copy_to_user_inatomic() and
    // __copy_from_user_inatomic() do no access_ok(), and ptr comes straight from the user's iovec: a
    // local user wrote to kernel memory through it.
    public static int RdsPageCopyUserV2635(byte[] page, int offset, UserPtr ptr, int bytes, bool toUser)
    {
        int ret;

        Helpers.KmapAtomic();
        if (toUser)
            ret = Helpers.CopyToUserInatomic(ptr, page.AsSpan(offset, bytes)); // expect: UA5003
        else
            ret = Helpers.CopyFromUserInatomic(page.AsSpan(offset, bytes), ptr); // expect: UA5003
        Helpers.KunmapAtomic();

        if (ret != 0)
        {
            if (toUser)
                ret = CopyToUser(ptr, page.AsSpan(offset, bytes));
            else
                ret = CopyFromUser(page.AsSpan(offset, bytes), ptr);
            if (ret != 0)
                return -EFAULT;
        }

        return 0;
    }

    // net/rds/page.c, rds_page_copy_user(), v2.6.36 (after 799c10559d60). Correct: the checked copies,
    // with kmap() rather than kmap_atomic().
    public static int RdsPageCopyUser(byte[] page, int offset, UserPtr ptr, int bytes, bool toUser) // expect: none
    {
        int ret;

        if (toUser)
            ret = CopyToUser(ptr, page.AsSpan(offset, bytes));
        else
            ret = CopyFromUser(page.AsSpan(offset, bytes), ptr);

        return ret != 0 ? -EFAULT : 0;
    }
}

public sealed class CmsgMsg
{
    public UserPtr Control;
    public int ControlLen;
    public int Flags;
}

internal static class Helpers
{
    /// <summary>lock_sock(): takes the socket owner lock; may sleep.</summary>
    [MightSleep]
    [Acquires("sk.Lock")]
    public static void LockSock(Sock sk) => sk.Lock.Lock();

    /// <summary>release_sock().</summary>
    [Releases("sk.Lock")]
    public static void ReleaseSock(Sock sk) => sk.Lock.Unlock();

    /// <summary>unsafe_copy_to_user(): a copy inside a user_access_begin() section the caller opened.</summary>
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, "to", Size = "from")]
    public static int UnsafeCopyToUser([RequiresAccessOk] UserPtr to, ReadOnlySpan<byte> from)
    {
        for (int i = 0; i < from.Length; i++)
        {
            if (PutUserUnchecked(from[i], (to + i).Cast<byte>()) != 0)
                return from.Length - i;
        }

        return 0;
    }

    /// <summary>kmap_atomic(): disables page faults and preemption.</summary>
    [EntersRegion(Region.Nofault)]
    [EntersRegion(Region.Atomic)]
    public static void KmapAtomic()
    {
        PreemptDisable();
        PagefaultDisable();
    }

    /// <summary>kunmap_atomic().</summary>
    [ExitsRegion(Region.Nofault)]
    [ExitsRegion(Region.Atomic)]
    public static void KunmapAtomic()
    {
        PagefaultEnable();
        PreemptEnable();
    }

    /// <summary>__copy_to_user_inatomic(): no access_ok(), never handles a fault.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, "to", Size = "from")]
    public static int CopyToUserInatomic([RequiresAccessOk] UserPtr to, ReadOnlySpan<byte> from)
        => CopyToUserNofault(to, from) != 0 ? from.Length : 0;

    /// <summary>__copy_from_user_inatomic(): no access_ok(), never handles a fault.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Read, "from", Size = "to")]
    public static int CopyFromUserInatomic(Span<byte> to, [RequiresAccessOk] UserPtr from)
        => CopyFromUserNofault(to, from) != 0 ? to.Length : 0;
}
