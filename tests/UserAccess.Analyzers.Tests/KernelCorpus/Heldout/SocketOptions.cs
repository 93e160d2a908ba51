// Held out: socket option handlers in net/, each before and after the kernel's own fix, and current correct
// code from the same files doing the same things right:
// - net/sctp/socket.c sctp_copy_laddrs_to_user() and sctp_getsockopt_local_addrs() (SCTP_GET_LOCAL_ADDRS), in
//   the early 2.6 version that copied each bound address to the user's buffer with copy_to_user() and
//   put_user() while holding the endpoint's addr_lock (an rwlock, read_lock()) and the global
//   sctp_local_addr_lock (spin_lock_irqsave()), and that returned -ENOMEM from inside both locks; and the
//   v2.6.24 sctp_getsockopt_local_addrs() after the 2007 fix that builds the list in a kmalloc()ed kernel
//   buffer and copies it out once, with no spinlock held;
// - net/llc/af_llc.c llc_ui_setsockopt(): copy_from_sockptr()'s byte count returned as the setsockopt()
//   result, before 1465036b10be "llc: Improve setsockopt() handling of malformed user input" (Michal
//   Luczaj, v6.13), and after it; llc_ui_getsockopt(), correct;
// - net/rxrpc/af_rxrpc.c rxrpc_setsockopt(): copy_from_sockptr()'s byte count tested with "< 0", before
//   02020056647017e7 "rxrpc: Improve setsockopt() handling of malformed user input" (same series, v6.13),
//   and after it; rxrpc_getsockopt(), correct;
// - net/netlink/af_netlink.c netlink_getsockopt(), v5.15: put_user() of each group word inside
//   netlink_lock_table(), which only counts a table user and drops nl_table_lock before returning: correct;
// - net/sctp/socket.c sctp_getsockopt_peer_addrs(), v5.15: copy_to_user() of each peer address in the loop,
//   under lock_sock() only (a sleeping lock): correct.
// Address lists, associations, keys, timers and the LLC/RxRPC connection state are stubs; sockptr_t is a user
// pointer here (the setsockopt() path from user space); the user pointers, the accesses, their checks, the
// locks and the control flow are the kernel's.
using System;
using System.Collections.Generic;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.SocketOptions;

/// <summary>struct sock: the owner lock lock_sock() takes (a sleeping lock) and the address family.</summary>
public sealed class Sock
{
    public KernelMutex Lock = new();
    public int Family;
    public int State;
}

/// <summary>struct sctp_sockaddr_entry: one bound address (union sctp_addr, 28 bytes) and its family.</summary>
public sealed class SctpSockaddrEntry
{
    public byte[] A = new byte[28];
    public int Family;
}

/// <summary>struct sctp_bind_addr: the bound port and the bound address list.</summary>
public sealed class SctpBindAddr
{
    public ushort Port;
    public List<SctpSockaddrEntry> AddressList = new();
}

/// <summary>struct sctp_ep_common: the bind address list and (early 2.6) the rwlock that guarded it.</summary>
public sealed class SctpEpCommon
{
    public SctpBindAddr BindAddr = new();

    /// <summary>base.addr_lock, an rwlock_t taken with sctp_read_lock() (read_lock()): a spinlock here.</summary>
    public KernelSpinlock AddrLock = new();
}

/// <summary>struct sctp_association: its base (bind addresses) and the peer's transport addresses.</summary>
public sealed class SctpAssociation
{
    public SctpEpCommon Base = new();
    public List<byte[]> PeerTransportAddrs = new();
}

/// <summary>struct sctp_sock: the socket and its endpoint.</summary>
public sealed class SctpSock
{
    public Sock Sk = new();
    public SctpEpCommon Ep = new();
}

/// <summary>struct llc_sock: the connection parameters the options set.</summary>
public sealed class LlcSock
{
    public Sock Sk = new();
    public uint N2, N1, K, Rw;
    public uint AckTimerExpire, PfCycleTimerExpire, RejSentTimerExpire, BusyStateTimerExpire;
    public uint CmsgFlags;
}

/// <summary>struct rxrpc_sock: the socket, its key, its security level and its service upgrade pair.</summary>
public sealed class RxrpcSock
{
    public Sock Sk = new();
    public object? Key;
    public bool Exclusive;
    public uint MinSecLevel;
    public ushort SrxService, SecondService;
    public ushort ServiceUpgradeFrom, ServiceUpgradeTo;
}

/// <summary>struct netlink_sock: its flags and its group bitmap.</summary>
public sealed class NetlinkSock
{
    public uint Flags;
    public uint Ngroups;
    public ulong[] Groups = new ulong[1];
}

public static class SctpOptions
{
    private const int PF_INET = 2;
    private const int AF_INET6 = 10;

    /// <summary>sizeof(struct sctp_getaddrs) and offsetof(struct sctp_getaddrs, addrs).</summary>
    private const int SZ_SCTP_GETADDRS = 8;
    private const int OFF_ADDRS = 8;

    /// <summary>The global list of local addresses and its lock (sctp_local_addr_lock, spin_lock_irqsave()).</summary>
    private static readonly KernelSpinlock SctpLocalAddrLock = new();
    private static readonly List<SctpSockaddrEntry> SctpLocalAddrList = new();

    // net/sctp/socket.c, sctp_copy_laddrs_to_user(), early 2.6 (the version with the space_left check, before
    // the 2007 fix that copied the addresses into local storage: v2.6.24 has sctp_copy_laddrs(), which
    // memcpy()s into a kernel buffer under rcu_read_lock() and reports -ENOMEM with "cnt = -ENOMEM; break;").
    // Buggy twice: copy_to_user() runs with sctp_local_addr_lock held by spin_lock_irqsave() (interrupts off:
    // a fault here sleeps in atomic context), and "return -ENOMEM" leaves the function with that lock still
    // held and interrupts still disabled.
    public static int SctpCopyLaddrsToUser(Sock sk, ushort port, ref UserPtr to, int spaceLeft)
    {
        byte[] temp = new byte[28];
        int cnt = 0;
        int addrlen;

        SctpLocalAddrLock.Lock(); /* sctp_spin_lock_irqsave(&sctp_local_addr_lock, flags) */ // expect: UA1003
        foreach (var addr in SctpLocalAddrList)
        {
            if ((PF_INET == sk.Family) && (AF_INET6 == addr.Family))
                continue;
            Array.Copy(addr.A, temp, temp.Length);
            Helpers.SctpAddrV4map(sk, temp);
            addrlen = Helpers.SctpSockaddrLen(temp);
            if (spaceLeft < addrlen)
                return -ENOMEM;
            Helpers.SetPort(temp, port); /* temp.v4.sin_port = htons(port); */
            if (CopyToUser(to, temp.AsSpan(0, addrlen)) != 0) // expect: UA1001
            {
                SctpLocalAddrLock.Unlock(); /* sctp_spin_unlock_irqrestore() */
                return -EFAULT;
            }
            to += addrlen;
            cnt++;
            spaceLeft -= addrlen;
        }
        SctpLocalAddrLock.Unlock(); /* sctp_spin_unlock_irqrestore() */

        return cnt;
    }

    // net/sctp/socket.c, sctp_getsockopt_local_addrs(), early 2.6 (same version as above; called by
    // sctp_getsockopt() under sctp_lock_sock()). Buggy twice: every copy_to_user() and put_user() to the
    // user's buffer, and the call of sctp_copy_laddrs_to_user() that copies too, run under
    // sctp_read_lock(addr_lock), an rwlock: atomic context, where a fault must not sleep ("scheduling while
    // atomic"); and "return -ENOMEM" in the loop and both "return -EFAULT" after copy_getaddrs: leave with
    // addr_lock still held. The 2007 fix copies into a kmalloc()ed buffer and copies it out after the unlock,
    // every error path through "goto out" (the v2.6.24 version below).
    public static int SctpGetsockoptLocalAddrsEarly(SctpSock sp, int len, UserPtr optval, UserPtr<int> optlen)
    {
        Sock sk = sp.Sk;
        SctpBindAddr bp;
        SctpAssociation? asoc;
        int cnt = 0;
        byte[] getaddrs = new byte[SZ_SCTP_GETADDRS];
        UserPtr to;
        byte[] temp = new byte[28];
        int addrlen;
        KernelSpinlock addrLock;
        int err = 0;
        int spaceLeft;
        int bytesCopied;

        if (len <= SZ_SCTP_GETADDRS)
            return -EINVAL;

        if (CopyFromUser(getaddrs, optval) != 0)
            return -EFAULT;

        /*
         *  For UDP-style sockets, id specifies the association to query.
         *  If the id field is set to the value '0' then the locally bound
         *  addresses are returned without regard to any particular
         *  association.
         */
        int assocId = BitConverter.ToInt32(getaddrs, 0);
        if (0 == assocId)
        {
            bp = sp.Ep.BindAddr;
            addrLock = sp.Ep.AddrLock;
        }
        else
        {
            asoc = Helpers.SctpId2Assoc(sp, assocId);
            if (asoc == null)
                return -EINVAL;
            bp = asoc.Base.BindAddr;
            addrLock = asoc.Base.AddrLock;
        }

        to = optval + OFF_ADDRS;
        spaceLeft = len - SZ_SCTP_GETADDRS - OFF_ADDRS;

        addrLock.Lock(); /* sctp_read_lock(addr_lock) */ // expect: UA1003

        /* If the endpoint is bound to 0.0.0.0 or ::0, get the valid
         * addresses from the global local address list.
         */
        if (bp.AddressList.Count == 1)
        {
            var first = bp.AddressList[0];
            if (Helpers.SctpIsAny(first))
            {
                cnt = SctpCopyLaddrsToUser(sk, bp.Port, ref to, spaceLeft); // expect: UA1001
                if (cnt < 0)
                {
                    err = cnt;
                    goto unlock;
                }
                goto copy_getaddrs;
            }
        }

        foreach (var addr in bp.AddressList)
        {
            Array.Copy(addr.A, temp, temp.Length);
            Helpers.SctpAddrV4map(sk, temp);
            addrlen = Helpers.SctpSockaddrLen(temp);
            if (spaceLeft < addrlen)
                return -ENOMEM; /*fixme: right error?*/
            if (CopyToUser(to, temp.AsSpan(0, addrlen)) != 0) // expect: UA1001
            {
                err = -EFAULT;
                goto unlock;
            }
            to += addrlen;
            cnt++;
            spaceLeft -= addrlen;
        }

    copy_getaddrs:
        if (PutUser(cnt, (optval + 4).Cast<int>()) != 0) // expect: UA1001
            return -EFAULT;
        bytesCopied = (int)(to.Address - optval.Address);
        if (PutUser(bytesCopied, optlen) != 0) // expect: UA1001
            return -EFAULT;

    unlock:
        addrLock.Unlock(); /* sctp_read_unlock(addr_lock) */
        return err;
    }

    // net/sctp/socket.c, sctp_getsockopt_local_addrs(), v2.6.24 (after the 2007 fix; the bind list is stable
    // under the socket lock sctp_getsockopt() holds, the global list is walked under RCU by
    // sctp_copy_laddrs(), which only memcpy()s). Correct: the addresses are gathered in a kernel buffer and
    // copied out once, no spinlock held; every error path after the allocation goes through "out".
    public static int SctpGetsockoptLocalAddrs(SctpSock sp, int len, UserPtr optval, UserPtr<int> optlen) // expect: none
    {
        Sock sk = sp.Sk;
        SctpBindAddr bp;
        SctpAssociation? asoc;
        int cnt = 0;
        byte[] getaddrs = new byte[SZ_SCTP_GETADDRS];
        UserPtr to;
        byte[] temp = new byte[28];
        int addrlen;
        int err = 0;
        int spaceLeft;
        int bytesCopied = 0;
        byte[]? addrs;
        int buf;

        if (len < SZ_SCTP_GETADDRS)
            return -EINVAL;

        if (CopyFromUser(getaddrs, optval) != 0)
            return -EFAULT;

        int assocId = BitConverter.ToInt32(getaddrs, 0);
        if (0 == assocId)
        {
            bp = sp.Ep.BindAddr;
        }
        else
        {
            asoc = Helpers.SctpId2Assoc(sp, assocId);
            if (asoc == null)
                return -EINVAL;
            bp = asoc.Base.BindAddr;
        }

        to = optval + OFF_ADDRS;
        spaceLeft = len - OFF_ADDRS;

        addrs = Kmalloc(spaceLeft, Gfp.Kernel);
        if (addrs == null)
            return -ENOMEM;

        if (bp.AddressList.Count == 1)
        {
            var first = bp.AddressList[0];
            if (Helpers.SctpIsAny(first))
            {
                cnt = Helpers.SctpCopyLaddrs(sk, bp.Port, addrs, spaceLeft, ref bytesCopied);
                if (cnt < 0)
                {
                    err = cnt;
                    goto out_;
                }
                goto copy_getaddrs;
            }
        }

        buf = 0;
        foreach (var addr in bp.AddressList)
        {
            Array.Copy(addr.A, temp, temp.Length);
            Helpers.SctpAddrV4map(sk, temp);
            addrlen = Helpers.SctpSockaddrLen(temp);
            if (spaceLeft < addrlen)
            {
                err = -ENOMEM; /*fixme: right error?*/
                goto out_;
            }
            Array.Copy(temp, 0, addrs, buf, addrlen);
            buf += addrlen;
            bytesCopied += addrlen;
            cnt++;
            spaceLeft -= addrlen;
        }

    copy_getaddrs:
        if (CopyToUser(to, addrs.AsSpan(0, bytesCopied)) != 0)
        {
            err = -EFAULT;
            goto out_;
        }
        if (PutUser(cnt, (optval + 4).Cast<int>()) != 0)
        {
            err = -EFAULT;
            goto out_;
        }
        if (PutUser(bytesCopied, optlen) != 0)
            err = -EFAULT;
    out_:
        /* kfree(addrs); */
        return err;
    }

    // net/sctp/socket.c, sctp_getsockopt_peer_addrs(), v5.15 (called by sctp_getsockopt() under lock_sock()).
    // Correct: the peer addresses are copied to the user's buffer one by one in the loop, but the only lock
    // held is the socket lock, a sleeping lock the fault path does not take; each result is tested.
    public static int SctpGetsockoptPeerAddrs(SctpSock sp, int len, UserPtr optval, UserPtr<int> optlen) // expect: none
    {
        Sock sk = sp.Sk;
        SctpAssociation? asoc;
        int cnt = 0;
        byte[] getaddrs = new byte[SZ_SCTP_GETADDRS];
        UserPtr to;
        byte[] temp = new byte[28];
        int addrlen;
        int spaceLeft;
        int bytesCopied;

        if (len < SZ_SCTP_GETADDRS)
            return -EINVAL;

        if (CopyFromUser(getaddrs, optval) != 0)
            return -EFAULT;

        /* For UDP-style sockets, id specifies the association to query.  */
        asoc = Helpers.SctpId2Assoc(sp, BitConverter.ToInt32(getaddrs, 0));
        if (asoc == null)
            return -EINVAL;

        to = optval + OFF_ADDRS;
        spaceLeft = len - OFF_ADDRS;

        foreach (var from in asoc.PeerTransportAddrs)
        {
            Array.Copy(from, temp, temp.Length);
            addrlen = Helpers.SctpAddrToUser(sk, temp);
            if (spaceLeft < addrlen)
                return -ENOMEM;
            if (CopyToUser(to, temp.AsSpan(0, addrlen)) != 0)
                return -EFAULT;
            to += addrlen;
            cnt++;
            spaceLeft -= addrlen;
        }

        if (PutUser(cnt, (optval + 4).Cast<int>()) != 0)
            return -EFAULT;
        bytesCopied = (int)(to.Address - optval.Address);
        if (PutUser(bytesCopied, optlen) != 0)
            return -EFAULT;

        return 0;
    }
}

public static class LlcOptions
{
    private const int SOL_LLC = 268;
    private const int ENOPROTOOPT = 92;
    private const int HZ = 250;

    private const int LLC_OPT_RETRY = 1;
    private const int LLC_OPT_SIZE = 2;
    private const int LLC_OPT_ACK_TMR_EXP = 3;
    private const int LLC_OPT_P_TMR_EXP = 4;
    private const int LLC_OPT_REJ_TMR_EXP = 5;
    private const int LLC_OPT_BUSY_TMR_EXP = 6;
    private const int LLC_OPT_TX_WIN = 7;
    private const int LLC_OPT_RX_WIN = 8;
    private const int LLC_OPT_PKTINFO = 9;

    private const uint LLC_OPT_MAX_RETRY = 100;
    private const uint LLC_OPT_MAX_SIZE = 4196;
    private const uint LLC_OPT_MAX_WIN = 127;
    private const uint LLC_OPT_MAX_ACK_TMR_EXP = 60;
    private const uint LLC_OPT_MAX_P_TMR_EXP = 60;
    private const uint LLC_OPT_MAX_REJ_TMR_EXP = 60;
    private const uint LLC_OPT_MAX_BUSY_TMR_EXP = 60;
    private const uint LLC_CMSG_PKTINFO = 1;

    // net/llc/af_llc.c, llc_ui_setsockopt(), v6.12 (before 1465036b10be "llc: Improve setsockopt() handling of
    // malformed user input", Michal Luczaj, v6.13; "Fixes: 1da177e4c3f4 (Linux-2.6.12-rc2)" for the original
    // get_user() form, the byte count came with the sockptr_t conversion). Buggy: "copy_from_sockptr() is
    // used incorrectly: return value is the number of bytes that could not be copied": on a fault rc holds
    // that count, the "if (rc) goto out" leaves with it, and setsockopt() returns 4 instead of -EFAULT.
    public static int LlcUiSetsockoptV612(LlcSock llc, int level, int optname, UserPtr optval, uint optlen)
    {
        Sock sk = llc.Sk;
        uint opt;
        int rc = -EINVAL;

        Helpers.LockSock(sk);
        if (level != SOL_LLC || optlen != sizeof(int))
            goto out_;
        rc = Helpers.CopyFromSockptr(out opt, optval.Cast<uint>());
        if (rc != 0)
            goto out_;
        rc = -EINVAL;
        switch (optname)
        {
            case LLC_OPT_RETRY:
                if (opt > LLC_OPT_MAX_RETRY)
                    goto out_;
                llc.N2 = opt;
                break;
            case LLC_OPT_SIZE:
                if (opt > LLC_OPT_MAX_SIZE)
                    goto out_;
                llc.N1 = opt;
                break;
            case LLC_OPT_ACK_TMR_EXP:
                if (opt > LLC_OPT_MAX_ACK_TMR_EXP)
                    goto out_;
                llc.AckTimerExpire = opt * HZ;
                break;
            case LLC_OPT_P_TMR_EXP:
                if (opt > LLC_OPT_MAX_P_TMR_EXP)
                    goto out_;
                llc.PfCycleTimerExpire = opt * HZ;
                break;
            case LLC_OPT_REJ_TMR_EXP:
                if (opt > LLC_OPT_MAX_REJ_TMR_EXP)
                    goto out_;
                llc.RejSentTimerExpire = opt * HZ;
                break;
            case LLC_OPT_BUSY_TMR_EXP:
                if (opt > LLC_OPT_MAX_BUSY_TMR_EXP)
                    goto out_;
                llc.BusyStateTimerExpire = opt * HZ;
                break;
            case LLC_OPT_TX_WIN:
                if (opt > LLC_OPT_MAX_WIN)
                    goto out_;
                llc.K = opt;
                break;
            case LLC_OPT_RX_WIN:
                if (opt > LLC_OPT_MAX_WIN)
                    goto out_;
                llc.Rw = opt;
                break;
            case LLC_OPT_PKTINFO:
                if (opt != 0)
                    llc.CmsgFlags |= LLC_CMSG_PKTINFO;
                else
                    llc.CmsgFlags &= ~LLC_CMSG_PKTINFO;
                break;
            default:
                rc = -ENOPROTOOPT;
                goto out_;
        }
        rc = 0;
    out_:
        Helpers.ReleaseSock(sk);
        return rc; // expect: UA5002
    }

    // net/llc/af_llc.c, llc_ui_setsockopt(), v6.13 (after 1465036b10be). Correct: copy_safe_from_sockptr()
    // returns -EINVAL or -EFAULT, never a byte count.
    public static int LlcUiSetsockopt(LlcSock llc, int level, int optname, UserPtr optval, uint optlen) // expect: none
    {
        Sock sk = llc.Sk;
        uint opt;
        int rc = -EINVAL;

        Helpers.LockSock(sk);
        if (level != SOL_LLC || optlen != sizeof(int))
            goto out_;
        rc = Helpers.CopySafeFromSockptr(out opt, optval.Cast<uint>(), optlen);
        if (rc != 0)
            goto out_;
        rc = -EINVAL;
        switch (optname)
        {
            case LLC_OPT_RETRY:
                if (opt > LLC_OPT_MAX_RETRY)
                    goto out_;
                llc.N2 = opt;
                break;
            case LLC_OPT_SIZE:
                if (opt > LLC_OPT_MAX_SIZE)
                    goto out_;
                llc.N1 = opt;
                break;
            case LLC_OPT_ACK_TMR_EXP:
                if (opt > LLC_OPT_MAX_ACK_TMR_EXP)
                    goto out_;
                llc.AckTimerExpire = opt * HZ;
                break;
            case LLC_OPT_P_TMR_EXP:
                if (opt > LLC_OPT_MAX_P_TMR_EXP)
                    goto out_;
                llc.PfCycleTimerExpire = opt * HZ;
                break;
            case LLC_OPT_REJ_TMR_EXP:
                if (opt > LLC_OPT_MAX_REJ_TMR_EXP)
                    goto out_;
                llc.RejSentTimerExpire = opt * HZ;
                break;
            case LLC_OPT_BUSY_TMR_EXP:
                if (opt > LLC_OPT_MAX_BUSY_TMR_EXP)
                    goto out_;
                llc.BusyStateTimerExpire = opt * HZ;
                break;
            case LLC_OPT_TX_WIN:
                if (opt > LLC_OPT_MAX_WIN)
                    goto out_;
                llc.K = opt;
                break;
            case LLC_OPT_RX_WIN:
                if (opt > LLC_OPT_MAX_WIN)
                    goto out_;
                llc.Rw = opt;
                break;
            case LLC_OPT_PKTINFO:
                if (opt != 0)
                    llc.CmsgFlags |= LLC_CMSG_PKTINFO;
                else
                    llc.CmsgFlags &= ~LLC_CMSG_PKTINFO;
                break;
            default:
                rc = -ENOPROTOOPT;
                goto out_;
        }
        rc = 0;
    out_:
        Helpers.ReleaseSock(sk);
        return rc;
    }

    // net/llc/af_llc.c, llc_ui_getsockopt() (the same user accesses from 2.6 to v6.12; the 2026
    // getsockopt_iter conversion still shows them as context). Correct: get_user() of the length into rc,
    // an errno, tested; put_user() and copy_to_user() tested together and turned into -EFAULT; all under
    // lock_sock() only, released on every path.
    public static int LlcUiGetsockopt(LlcSock llc, int level, int optname, UserPtr optval, UserPtr<int> optlen) // expect: none
    {
        Sock sk = llc.Sk;
        int val = 0, len = 0, rc = -EINVAL;

        Helpers.LockSock(sk);
        if (level != SOL_LLC)
            goto out_;
        rc = GetUser(out len, optlen);
        if (rc != 0)
            goto out_;
        rc = -EINVAL;
        if (len != sizeof(int))
            goto out_;
        switch (optname)
        {
            case LLC_OPT_RETRY:
                val = (int)llc.N2; break;
            case LLC_OPT_SIZE:
                val = (int)llc.N1; break;
            case LLC_OPT_ACK_TMR_EXP:
                val = (int)(llc.AckTimerExpire / HZ); break;
            case LLC_OPT_P_TMR_EXP:
                val = (int)(llc.PfCycleTimerExpire / HZ); break;
            case LLC_OPT_REJ_TMR_EXP:
                val = (int)(llc.RejSentTimerExpire / HZ); break;
            case LLC_OPT_BUSY_TMR_EXP:
                val = (int)(llc.BusyStateTimerExpire / HZ); break;
            case LLC_OPT_TX_WIN:
                val = (int)llc.K; break;
            case LLC_OPT_RX_WIN:
                val = (int)llc.Rw; break;
            default:
                rc = -ENOPROTOOPT;
                goto out_;
        }
        rc = 0;
        if (PutUser(len, optlen) != 0 || CopyToUser(optval, BitConverter.GetBytes(val).AsSpan(0, len)) != 0)
            rc = -EFAULT;
    out_:
        Helpers.ReleaseSock(sk);
        return rc;
    }
}

public static class RxrpcOptions
{
    private const int SOL_RXRPC = 272;
    private const int EOPNOTSUPP = 95;
    private const int EISCONN = 106;
    private const int ETOOSMALL = 525;

    private const int RXRPC_SECURITY_KEY = 1;
    private const int RXRPC_SECURITY_KEYRING = 2;
    private const int RXRPC_EXCLUSIVE_CONNECTION = 3;
    private const int RXRPC_MIN_SECURITY_LEVEL = 4;
    private const int RXRPC_UPGRADEABLE_SERVICE = 5;
    private const int RXRPC_SUPPORTED_CMSG = 6;

    private const uint RXRPC_SECURITY_MAX = 2;
    private const int RXRPC__SUPPORTED = 13;

    private const int RXRPC_UNBOUND = 0;
    private const int RXRPC_SERVER_BOUND2 = 4;

    // net/rxrpc/af_rxrpc.c, rxrpc_setsockopt(), v6.12 (before 02020056647017e7 "rxrpc: Improve setsockopt()
    // handling of malformed user input", Michal Luczaj, v6.13; "Fixes: 17926a79320a"). Buggy:
    // "copy_from_sockptr() does not return negative value on error; instead, it reports the number of bytes
    // that failed to copy": RXRPC_MIN_SECURITY_LEVEL tests it with "< 0", so a fault goes on with
    // min_sec_level not (fully) copied, range-checks it and stores it.
    public static int RxrpcSetsockoptV612(RxrpcSock rx, int level, int optname, UserPtr optval, uint optlen)
    {
        uint minSecLevel;
        byte[] serviceUpgrade = new byte[4];
        int ret;

        Helpers.LockSock(rx.Sk);
        ret = -EOPNOTSUPP;

        if (level == SOL_RXRPC)
        {
            switch (optname)
            {
                case RXRPC_EXCLUSIVE_CONNECTION:
                    ret = -EINVAL;
                    if (optlen != 0)
                        goto error;
                    ret = -EISCONN;
                    if (rx.Sk.State != RXRPC_UNBOUND)
                        goto error;
                    rx.Exclusive = true;
                    goto success;

                case RXRPC_SECURITY_KEY:
                    ret = -EINVAL;
                    if (rx.Key != null)
                        goto error;
                    ret = -EISCONN;
                    if (rx.Sk.State != RXRPC_UNBOUND)
                        goto error;
                    ret = Helpers.RxrpcRequestKey(rx, optval, optlen);
                    goto error;

                case RXRPC_SECURITY_KEYRING:
                    ret = -EINVAL;
                    if (rx.Key != null)
                        goto error;
                    ret = -EISCONN;
                    if (rx.Sk.State != RXRPC_UNBOUND)
                        goto error;
                    ret = Helpers.RxrpcServerKeyring(rx, optval, optlen);
                    goto error;

                case RXRPC_MIN_SECURITY_LEVEL:
                    ret = -EINVAL;
                    if (optlen != sizeof(uint))
                        goto error;
                    ret = -EISCONN;
                    if (rx.Sk.State != RXRPC_UNBOUND)
                        goto error;
                    ret = Helpers.CopyFromSockptr(out minSecLevel, optval.Cast<uint>());
                    if (ret < 0) // expect: UA5002
                        goto error;
                    ret = -EINVAL;
                    if (minSecLevel > RXRPC_SECURITY_MAX)
                        goto error;
                    rx.MinSecLevel = minSecLevel;
                    goto success;

                case RXRPC_UPGRADEABLE_SERVICE:
                    ret = -EINVAL;
                    if (optlen != serviceUpgrade.Length ||
                        rx.ServiceUpgradeFrom != 0)
                        goto error;
                    ret = -EISCONN;
                    if (rx.Sk.State != RXRPC_SERVER_BOUND2)
                        goto error;
                    ret = -EFAULT;
                    if (Helpers.CopyFromSockptr(serviceUpgrade, optval) != 0)
                        goto error;
                    ret = -EINVAL;
                    ushort up0 = BitConverter.ToUInt16(serviceUpgrade, 0);
                    ushort up1 = BitConverter.ToUInt16(serviceUpgrade, 2);
                    if ((up0 != rx.SrxService ||
                         up1 != rx.SecondService) &&
                        (up0 != rx.SecondService ||
                         up1 != rx.SrxService))
                        goto error;
                    rx.ServiceUpgradeFrom = up0;
                    rx.ServiceUpgradeTo = up1;
                    goto success;

                default:
                    break;
            }
        }

    success:
        ret = 0;
    error:
        Helpers.ReleaseSock(rx.Sk);
        return ret;
    }

    // net/rxrpc/af_rxrpc.c, rxrpc_setsockopt(), v6.13 (after 02020056647017e7). Correct: the security level
    // comes through copy_safe_from_sockptr(), an errno, tested for any non-zero value.
    public static int RxrpcSetsockopt(RxrpcSock rx, int level, int optname, UserPtr optval, uint optlen) // expect: none
    {
        uint minSecLevel;
        byte[] serviceUpgrade = new byte[4];
        int ret;

        Helpers.LockSock(rx.Sk);
        ret = -EOPNOTSUPP;

        if (level == SOL_RXRPC)
        {
            switch (optname)
            {
                case RXRPC_EXCLUSIVE_CONNECTION:
                    ret = -EINVAL;
                    if (optlen != 0)
                        goto error;
                    ret = -EISCONN;
                    if (rx.Sk.State != RXRPC_UNBOUND)
                        goto error;
                    rx.Exclusive = true;
                    goto success;

                case RXRPC_SECURITY_KEY:
                    ret = -EINVAL;
                    if (rx.Key != null)
                        goto error;
                    ret = -EISCONN;
                    if (rx.Sk.State != RXRPC_UNBOUND)
                        goto error;
                    ret = Helpers.RxrpcRequestKey(rx, optval, optlen);
                    goto error;

                case RXRPC_SECURITY_KEYRING:
                    ret = -EINVAL;
                    if (rx.Key != null)
                        goto error;
                    ret = -EISCONN;
                    if (rx.Sk.State != RXRPC_UNBOUND)
                        goto error;
                    ret = Helpers.RxrpcServerKeyring(rx, optval, optlen);
                    goto error;

                case RXRPC_MIN_SECURITY_LEVEL:
                    ret = -EINVAL;
                    if (optlen != sizeof(uint))
                        goto error;
                    ret = -EISCONN;
                    if (rx.Sk.State != RXRPC_UNBOUND)
                        goto error;
                    ret = Helpers.CopySafeFromSockptr(out minSecLevel, optval.Cast<uint>(), optlen);
                    if (ret != 0)
                        goto error;
                    ret = -EINVAL;
                    if (minSecLevel > RXRPC_SECURITY_MAX)
                        goto error;
                    rx.MinSecLevel = minSecLevel;
                    goto success;

                case RXRPC_UPGRADEABLE_SERVICE:
                    ret = -EINVAL;
                    if (optlen != serviceUpgrade.Length ||
                        rx.ServiceUpgradeFrom != 0)
                        goto error;
                    ret = -EISCONN;
                    if (rx.Sk.State != RXRPC_SERVER_BOUND2)
                        goto error;
                    ret = -EFAULT;
                    if (Helpers.CopyFromSockptr(serviceUpgrade, optval) != 0)
                        goto error;
                    ret = -EINVAL;
                    ushort up0 = BitConverter.ToUInt16(serviceUpgrade, 0);
                    ushort up1 = BitConverter.ToUInt16(serviceUpgrade, 2);
                    if ((up0 != rx.SrxService ||
                         up1 != rx.SecondService) &&
                        (up0 != rx.SecondService ||
                         up1 != rx.SrxService))
                        goto error;
                    rx.ServiceUpgradeFrom = up0;
                    rx.ServiceUpgradeTo = up1;
                    goto success;

                default:
                    break;
            }
        }

    success:
        ret = 0;
    error:
        Helpers.ReleaseSock(rx.Sk);
        return ret;
    }

    // net/rxrpc/af_rxrpc.c, rxrpc_getsockopt(), v6.12. Correct: the length read once with get_user() and
    // checked, both stores tested and turned into -EFAULT.
    public static int RxrpcGetsockopt(int level, int optname, UserPtr optval, UserPtr<int> optlenPtr) // expect: none
    {
        int optlen;

        if (level != SOL_RXRPC)
            return -EOPNOTSUPP;

        if (GetUser(out optlen, optlenPtr) != 0)
            return -EFAULT;

        switch (optname)
        {
            case RXRPC_SUPPORTED_CMSG:
                if (optlen < sizeof(int))
                    return -ETOOSMALL;
                if (PutUser(RXRPC__SUPPORTED - 1, optval.Cast<int>()) != 0 ||
                    PutUser(sizeof(int), optlenPtr) != 0)
                    return -EFAULT;
                return 0;

            default:
                return -EOPNOTSUPP;
        }
    }
}

public static class NetlinkOptions
{
    private const int SOL_NETLINK = 270;
    private const int ENOPROTOOPT = 92;

    private const int NETLINK_PKTINFO = 3;
    private const int NETLINK_BROADCAST_ERROR = 4;
    private const int NETLINK_NO_ENOBUFS = 5;
    private const int NETLINK_LIST_MEMBERSHIPS = 9;
    private const int NETLINK_CAP_ACK = 10;
    private const int NETLINK_EXT_ACK = 11;

    private const uint NETLINK_F_RECV_PKTINFO = 0x2;
    private const uint NETLINK_F_BROADCAST_SEND_ERROR = 0x4;
    private const uint NETLINK_F_RECV_NO_ENOBUFS = 0x8;
    private const uint NETLINK_F_CAP_ACK = 0x20;
    private const uint NETLINK_F_EXT_ACK = 0x40;

    // net/netlink/af_netlink.c, netlink_getsockopt(), v5.15. Correct: the length is read once and checked;
    // every put_user() is tested. NETLINK_LIST_MEMBERSHIPS stores the group words in a loop between
    // netlink_lock_table() and netlink_unlock_table(), which only count a user of the table
    // (read_lock_irqsave(&nl_table_lock), atomic_inc(&nl_table_users), read_unlock_irqrestore()): no spinlock
    // is held while the stores may fault.
    public static int NetlinkGetsockopt(NetlinkSock nlk, int level, int optname, UserPtr optval, UserPtr<int> optlen) // expect: none
    {
        int len, val, err;

        if (level != SOL_NETLINK)
            return -ENOPROTOOPT;

        if (GetUser(out len, optlen) != 0)
            return -EFAULT;
        if (len < 0)
            return -EINVAL;

        switch (optname)
        {
            case NETLINK_PKTINFO:
                if (len < sizeof(int))
                    return -EINVAL;
                len = sizeof(int);
                val = (nlk.Flags & NETLINK_F_RECV_PKTINFO) != 0 ? 1 : 0;
                if (PutUser(len, optlen) != 0 ||
                    PutUser(val, optval.Cast<int>()) != 0)
                    return -EFAULT;
                err = 0;
                break;
            case NETLINK_BROADCAST_ERROR:
                if (len < sizeof(int))
                    return -EINVAL;
                len = sizeof(int);
                val = (nlk.Flags & NETLINK_F_BROADCAST_SEND_ERROR) != 0 ? 1 : 0;
                if (PutUser(len, optlen) != 0 ||
                    PutUser(val, optval.Cast<int>()) != 0)
                    return -EFAULT;
                err = 0;
                break;
            case NETLINK_NO_ENOBUFS:
                if (len < sizeof(int))
                    return -EINVAL;
                len = sizeof(int);
                val = (nlk.Flags & NETLINK_F_RECV_NO_ENOBUFS) != 0 ? 1 : 0;
                if (PutUser(len, optlen) != 0 ||
                    PutUser(val, optval.Cast<int>()) != 0)
                    return -EFAULT;
                err = 0;
                break;
            case NETLINK_LIST_MEMBERSHIPS:
            {
                int pos, idx, shift;

                err = 0;
                Helpers.NetlinkLockTable();
                for (pos = 0; pos * 8 < nlk.Ngroups; pos += sizeof(uint))
                {
                    if (len - pos < sizeof(uint))
                        break;

                    idx = pos / sizeof(ulong);
                    shift = (pos % sizeof(ulong)) * 8;
                    if (PutUser((uint)(nlk.Groups[idx] >> shift),
                                (optval + pos).Cast<uint>()) != 0)
                    {
                        err = -EFAULT;
                        break;
                    }
                }
                if (PutUser((int)((nlk.Ngroups / 8 + 3) & ~3u), optlen) != 0)
                    err = -EFAULT;
                Helpers.NetlinkUnlockTable();
                break;
            }
            case NETLINK_CAP_ACK:
                if (len < sizeof(int))
                    return -EINVAL;
                len = sizeof(int);
                val = (nlk.Flags & NETLINK_F_CAP_ACK) != 0 ? 1 : 0;
                if (PutUser(len, optlen) != 0 ||
                    PutUser(val, optval.Cast<int>()) != 0)
                    return -EFAULT;
                err = 0;
                break;
            case NETLINK_EXT_ACK:
                if (len < sizeof(int))
                    return -EINVAL;
                len = sizeof(int);
                val = (nlk.Flags & NETLINK_F_EXT_ACK) != 0 ? 1 : 0;
                if (PutUser(len, optlen) != 0 || PutUser(val, optval.Cast<int>()) != 0)
                    return -EFAULT;
                err = 0;
                break;
            default:
                err = -ENOPROTOOPT;
                break;
        }
        return err;
    }
}

public static class Helpers
{
    private const int PF_INET6 = 10;

    /// <summary>nl_table_lock (an rwlock_t; read_lock_irqsave() here is a spinlock) and nl_table_users.</summary>
    private static readonly KernelSpinlock NlTableLock = new();
    private static int nlTableUsers;

    /// <summary>lock_sock(): takes the socket owner lock; may sleep.</summary>
    [MightSleep]
    [Acquires("sk.Lock")]
    public static void LockSock(Sock sk) => sk.Lock.Lock();

    /// <summary>release_sock().</summary>
    [Releases("sk.Lock")]
    public static void ReleaseSock(Sock sk) => sk.Lock.Unlock();

    /// <summary>copy_from_sockptr() on a user sockptr_t: copy_from_user(); returns the bytes not copied.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Read, "src")]
    public static int CopyFromSockptr<T>(out T dst, UserPtr<T> src) where T : unmanaged => CopyFromUser(out dst, src);

    /// <summary>copy_from_sockptr() into a byte buffer: copy_from_user(); returns the bytes not copied.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Read, "src", Size = "dst")]
    public static int CopyFromSockptr(Span<byte> dst, UserPtr src) => CopyFromUser(dst, src);

    /// <summary>copy_safe_from_sockptr(): -EINVAL when optlen is short, -EFAULT when the copy faults, else 0.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Read, "optval")]
    public static int CopySafeFromSockptr<T>(out T dst, UserPtr<T> optval, uint optlen) where T : unmanaged
    {
        dst = default;
        if (optlen < (uint)System.Runtime.CompilerServices.Unsafe.SizeOf<T>())
            return -EINVAL;
        if (CopyFromUser(out dst, optval) != 0)
            return -EFAULT;
        return 0;
    }

    /// <summary>netlink_lock_table(): read_lock_irqsave(&amp;nl_table_lock), atomic_inc(&amp;nl_table_users),
    /// read_unlock_irqrestore(): returns with no lock held.</summary>
    public static void NetlinkLockTable()
    {
        NlTableLock.Lock();
        nlTableUsers++;
        NlTableLock.Unlock();
    }

    /// <summary>netlink_unlock_table(): atomic_dec_and_test(&amp;nl_table_users) and wake_up(&amp;nl_table_wait).</summary>
    public static void NetlinkUnlockTable() => nlTableUsers--;

    /// <summary>sctp_id2assoc(): the association with that id on this socket, or null (stub).</summary>
    public static SctpAssociation? SctpId2Assoc(SctpSock sp, int id) => null;

    /// <summary>sctp_is_any(): the wildcard address (stub).</summary>
    public static bool SctpIsAny(SctpSockaddrEntry addr) => false;

    /// <summary>pf->addr_v4map(): maps an IPv4 address to v4-mapped IPv6 for a PF_INET6 socket (stub).</summary>
    public static void SctpAddrV4map(Sock sk, byte[] temp)
    {
    }

    /// <summary>af->sockaddr_len for the address's family.</summary>
    public static int SctpSockaddrLen(byte[] temp) => BitConverter.ToUInt16(temp, 0) == PF_INET6 ? 28 : 16;

    /// <summary>pf->addr_to_user(): v4-maps if needed and returns the address length.</summary>
    public static int SctpAddrToUser(Sock sk, byte[] temp) => SctpSockaddrLen(temp);

    /// <summary>temp.v4.sin_port = htons(port).</summary>
    public static void SetPort(byte[] temp, ushort port)
    {
        temp[2] = (byte)(port >> 8);
        temp[3] = (byte)port;
    }

    /// <summary>sctp_copy_laddrs(), v2.6.24: memcpy()s the global local addresses into a kernel buffer under
    /// rcu_read_lock(); -ENOMEM when they do not fit (stub: the list is empty).</summary>
    public static int SctpCopyLaddrs(Sock sk, ushort port, byte[] to, int spaceLeft, ref int bytesCopied) => 0;

    /// <summary>rxrpc_request_key(): memdup_sockptr_nul() of the key description and request_key(); an errno (stub).</summary>
    [MightSleep]
    [ReturnsErrno]
    public static int RxrpcRequestKey(RxrpcSock rx, UserPtr optval, uint optlen) => 0;

    /// <summary>rxrpc_server_keyring(): memdup_sockptr_nul() of the keyring name and request_key(); an errno (stub).</summary>
    [MightSleep]
    [ReturnsErrno]
    public static int RxrpcServerKeyring(RxrpcSock rx, UserPtr optval, uint optlen) => 0;
}
