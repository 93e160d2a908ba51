// Held out: socket option and ioctl handlers of socket families the corpus did not cover yet (TIPC, AF_PACKET,
// CAN J1939, IPv6 multicast filters, NFC LLCP, AF_ALG), each defect before and after the kernel's own fix, and
// current correct code from the same files doing the same things right:
// - include/linux/sockptr.h copy_safe_from_sockptr(), v6.11: copy_from_sockptr()'s byte count returned where the
//   helper's callers (nfc_llcp_setsockopt(), mISDN's data_sock_setsockopt()) expect 0 or an errno, before
//   eb94b7bb1010 "net: Make copy_safe_from_sockptr() match documentation" (Michal Luczaj, v6.12), and after it;
// - net/tipc/socket.c getsockopt(), v2.6.24: "res = copy_to_user(...)" kept as the result, so a fault returns the
//   bytes not copied; and the same function in its v2.6.35-era form, which returns -EFAULT; setsockopt(), v2.6.24;
//   tipc_ioctl(), v5.10;
// - net/packet/af_packet.c packet_getsockopt() and packet_ioctl(), v5.10: the statistics and the queue length read
//   under spin_lock_bh(&sk->sk_receive_queue.lock), the user copies after the unlock;
// - net/can/j1939/socket.c j1939_sk_getsockopt() and j1939_sk_setsockopt(), v6.1: the filters memdup_sockptr()ed
//   before spin_lock_bh(&jsk->filters_lock), the option value copied out under lock_sock() only;
// - net/ipv6/ipv6_sockglue.c ipv6_get_msfilter() and net/ipv6/mcast.c ip6_mc_msfget(), v5.15 (MCAST_MSFILTER);
// - net/nfc/llcp_sock.c nfc_llcp_getsockopt() (v5.x) and nfc_llcp_setsockopt() (v6.13, copy_safe_from_sockptr());
// - crypto/af_alg.c alg_setsockopt() and alg_setkey(), v4.14.
// Ports, links, rings, filters, multicast lists and crypto transforms are stubs; sockptr_t is a user pointer here
// (the setsockopt() path from user space); the user pointers, the accesses, their checks, the locks and the control
// flow are the kernel's.
using System;
using System.Collections.Generic;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;
using static KernelCorpus.Heldout.SocketFamilies.NetErrno;

namespace KernelCorpus.Heldout.SocketFamilies;

/// <summary>The errnos these paths return that the runtime does not define.</summary>
public static class NetErrno
{
    public const int ENODEV = 19;
    public const int EDOM = 33;
    public const int ENOPROTOOPT = 92;
    public const int EADDRNOTAVAIL = 99;
    public const int ERESTARTSYS = 512;
    public const int ENOIOCTLCMD = 515;
}

/// <summary>struct sock: the owner lock lock_sock() takes (a sleeping lock), the receive queue and its spinlock.</summary>
public sealed class Sock
{
    public KernelMutex Lock = new();
    public int State;
    public long RcvTimeo;
    public int Priority;
    public int WmemAlloc;
    public KernelSpinlock ReceiveQueueLock = new();
    public List<int> ReceiveQueue = new();
    public List<int> ErrorQueue = new();
}

/// <summary>struct socket: its type, its state and its sock.</summary>
public sealed class Socket
{
    public Sock Sk = new();
    public int Type;
    public int State;
}

/// <summary>struct tipc_port: the port reference.</summary>
public sealed class TipcPort
{
    public uint Ref;
}

/// <summary>struct tipc_sock, v2.6.24: the sock, its port and the per-socket semaphore (a sleeping lock).</summary>
public sealed class TipcSock
{
    public Sock Sk = new();
    public TipcPort P = new();
    public KernelMutex Sem = new();
}

public static class TipcSocket
{
    private const int SOL_TIPC = 271;
    private const int IPPROTO_TCP = 6;
    private const int SOCK_STREAM = 1;
    private const int HZ = 250;

    private const int TIPC_IMPORTANCE = 127;
    private const int TIPC_SRC_DROPPABLE = 128;
    private const int TIPC_DEST_DROPPABLE = 129;
    private const int TIPC_CONN_TIMEOUT = 130;
    private const int TIPC_NODE_RECVQ_DEPTH = 131;
    private const int TIPC_SOCK_RECVQ_DEPTH = 132;

    private const uint SIOCGETLINKNAME = 0x89E0; /* SIOCPROTOPRIVATE */
    private const uint SIOCGETNODEID = 0x89E1;

    /// <summary>sizeof(struct tipc_sioc_ln_req): __u32 peer, __u32 bearer_id, char linkname[TIPC_MAX_LINK_NAME].</summary>
    private const int SZ_TIPC_SIOC_LN_REQ = 8 + 68;
    private const int TIPC_MAX_LINK_NAME = 68;

    /// <summary>sizeof(struct tipc_sioc_nodeid_req): __u32 peer, char node_id[TIPC_NODEID_LEN].</summary>
    private const int SZ_TIPC_SIOC_NODEID_REQ = 4 + 16;

    /// <summary>atomic_t tipc_queue_size (v2.6.x).</summary>
    private static int tipcQueueSize;

    // net/tipc/socket.c, getsockopt(), v2.6.24 (the semaphore-locked TIPC socket API). Buggy: the option value is
    // copied out with "else if ((res = copy_to_user(ov, &value, sizeof(value)))) { /* couldn't return value */ }",
    // so on a fault res holds the bytes not copied (4), and "return res" hands them to getsockopt() as its result
    // instead of -EFAULT. The later form of the chain (below) sets "res = -EFAULT" in that branch.
    public static int TipcGetsockoptV2624(Socket sock, TipcSock tsock, int lvl, int opt, UserPtr ov, UserPtr<int> ol)
    {
        int len;
        uint value = 0;
        int res;

        if ((lvl == IPPROTO_TCP) && (sock.Type == SOCK_STREAM))
            return PutUser(0, ol);
        if (lvl != SOL_TIPC)
            return -ENOPROTOOPT;
        if ((res = GetUser(out len, ol)) != 0)
            return res;

        if (Helpers.DownInterruptible(tsock) != 0)
            return -ERESTARTSYS;

        switch (opt)
        {
            case TIPC_IMPORTANCE:
                res = Helpers.TipcPortimportance(tsock.P.Ref, out value);
                break;
            case TIPC_SRC_DROPPABLE:
                res = Helpers.TipcPortunreliable(tsock.P.Ref, out value);
                break;
            case TIPC_DEST_DROPPABLE:
                res = Helpers.TipcPortunreturnable(tsock.P.Ref, out value);
                break;
            case TIPC_CONN_TIMEOUT:
                value = (uint)((sock.Sk.RcvTimeo * 1000) / HZ);
                break;
            default:
                res = -EINVAL;
                break;
        }

        if (res != 0)
        {
            /* "get" failed */
        }
        else if (len < sizeof(uint))
        {
            res = -EINVAL;
        }
        else if ((res = CopyToUser(ov.Cast<uint>(), value)) != 0)
        {
            /* couldn't return value */
        }
        else
        {
            res = PutUser(sizeof(uint), ol);
        }

        Helpers.Up(tsock);
        return res; // expect: UA5002
    }

    // net/tipc/socket.c, getsockopt(), the v2.6.35-era form (lock_sock() instead of the semaphore, sk_sleep(),
    // unsigned optlen in setsockopt(); the copy_to_user() branch sets -EFAULT, as every later version does: the
    // exact commit that changed the branch is not pinned here). Correct: the length read once with get_user() and
    // checked, the value copied out after release_sock(), a failed copy turned into -EFAULT.
    public static int TipcGetsockopt(Socket sock, TipcSock tsock, int lvl, int opt, UserPtr ov, UserPtr<int> ol) // expect: none
    {
        Sock sk = sock.Sk;
        TipcPort tport = tsock.P;
        int len;
        uint value = 0;
        int res;

        if ((lvl == IPPROTO_TCP) && (sock.Type == SOCK_STREAM))
            return PutUser(0, ol);
        if (lvl != SOL_TIPC)
            return -ENOPROTOOPT;
        if ((res = GetUser(out len, ol)) != 0)
            return res;

        Helpers.LockSock(sk);

        switch (opt)
        {
            case TIPC_IMPORTANCE:
                res = Helpers.TipcPortimportance(tport.Ref, out value);
                break;
            case TIPC_SRC_DROPPABLE:
                res = Helpers.TipcPortunreliable(tport.Ref, out value);
                break;
            case TIPC_DEST_DROPPABLE:
                res = Helpers.TipcPortunreturnable(tport.Ref, out value);
                break;
            case TIPC_CONN_TIMEOUT:
                value = Helpers.JiffiesToMsecs(sk.RcvTimeo);
                /* no need to set "res", since already 0 at this point */
                break;
            case TIPC_NODE_RECVQ_DEPTH:
                value = (uint)tipcQueueSize;
                break;
            case TIPC_SOCK_RECVQ_DEPTH:
                value = (uint)sk.ReceiveQueue.Count;
                break;
            default:
                res = -EINVAL;
                break;
        }

        Helpers.ReleaseSock(sk);

        if (res != 0)
        {
            /* "get" failed */
        }
        else if (len < sizeof(uint))
        {
            res = -EINVAL;
        }
        else if (CopyToUser(ov.Cast<uint>(), value) != 0)
        {
            res = -EFAULT;
        }
        else
        {
            res = PutUser(sizeof(uint), ol);
        }

        return res;
    }

    // net/tipc/socket.c, setsockopt(), v2.6.24. Correct: the value read once with get_user(), whose result is an
    // errno, before the semaphore is taken; every path after down_interruptible() succeeded goes through up().
    // (ol is an int here, compared with sizeof as unsigned in C; the unsigned optlen came in v2.6.32.)
    public static int TipcSetsockoptV2624(Socket sock, TipcSock tsock, int lvl, int opt, UserPtr ov, int ol) // expect: none
    {
        uint value;
        int res;

        if ((lvl == IPPROTO_TCP) && (sock.Type == SOCK_STREAM))
            return 0;
        if (lvl != SOL_TIPC)
            return -ENOPROTOOPT;
        if ((uint)ol < sizeof(uint))
            return -EINVAL;
        if ((res = GetUser(out value, ov.Cast<uint>())) != 0)
            return res;

        if (Helpers.DownInterruptible(tsock) != 0)
            return -ERESTARTSYS;

        switch (opt)
        {
            case TIPC_IMPORTANCE:
                res = Helpers.TipcSetPortimportance(tsock.P.Ref, value);
                break;
            case TIPC_SRC_DROPPABLE:
                if (sock.Type != SOCK_STREAM)
                    res = Helpers.TipcSetPortunreliable(tsock.P.Ref, value);
                else
                    res = -ENOPROTOOPT;
                break;
            case TIPC_DEST_DROPPABLE:
                res = Helpers.TipcSetPortunreturnable(tsock.P.Ref, value);
                break;
            case TIPC_CONN_TIMEOUT:
                sock.Sk.RcvTimeo = (value * HZ / 1000);
                break;
            default:
                res = -EINVAL;
                break;
        }

        Helpers.Up(tsock);
        return res;
    }

    // net/tipc/socket.c, tipc_ioctl(), v5.10. Correct: each request copied in once, filled in by the node lookup
    // (no lock held across the user copies), copied back, every copy's failure turned into -EFAULT.
    public static int TipcIoctl(Socket sock, uint cmd, UserPtr argp) // expect: none
    {
        byte[] nr = new byte[SZ_TIPC_SIOC_NODEID_REQ];
        byte[] lnr = new byte[SZ_TIPC_SIOC_LN_REQ];

        switch (cmd)
        {
            case SIOCGETLINKNAME:
                if (CopyFromUser(lnr, argp) != 0)
                    return -EFAULT;
                if (Helpers.TipcNodeGetLinkname(BitConverter.ToUInt32(lnr, 4) & 0xffff, BitConverter.ToUInt32(lnr, 0),
                                                lnr.AsSpan(8, TIPC_MAX_LINK_NAME), TIPC_MAX_LINK_NAME) == 0)
                {
                    if (CopyToUser(argp, lnr) != 0)
                        return -EFAULT;
                    return 0;
                }
                return -EADDRNOTAVAIL;
            case SIOCGETNODEID:
                if (CopyFromUser(nr, argp) != 0)
                    return -EFAULT;
                if (!Helpers.TipcNodeGetId(BitConverter.ToUInt32(nr, 0), nr.AsSpan(4, 16)))
                    return -EADDRNOTAVAIL;
                if (CopyToUser(argp, nr) != 0)
                    return -EFAULT;
                return 0;
            default:
                return -ENOIOCTLCMD;
        }
    }
}

/// <summary>struct packet_sock: the option state packet_getsockopt() reports.</summary>
public sealed class PacketSock
{
    public Sock Sk = new();
    public byte[] Stats = new byte[12]; /* union tpacket_stats_u: tpacket_stats or tpacket_stats_v3 */
    public int TpDrops;
    public int TpVersion;
    public int Auxdata, Origdev, HasVnetHdr, TpReserve, TpLoss, TpTstamp, TpTxHasOff;
    public uint FanoutId, FanoutType, FanoutFlags;
    public bool HasFanout;
    public int IgnoreOutgoing;
    public long[]? Rollover; /* num, num_huge, num_failed */
}

public static class AfPacket
{
    private const int SOL_PACKET = 263;

    private const int PACKET_STATISTICS = 6;
    private const int PACKET_AUXDATA = 8;
    private const int PACKET_ORIGDEV = 9;
    private const int PACKET_VERSION = 10;
    private const int PACKET_HDRLEN = 11;
    private const int PACKET_RESERVE = 12;
    private const int PACKET_LOSS = 14;
    private const int PACKET_VNET_HDR = 15;
    private const int PACKET_TIMESTAMP = 17;
    private const int PACKET_FANOUT = 18;
    private const int PACKET_TX_HAS_OFF = 19;
    private const int PACKET_QDISC_BYPASS = 20;
    private const int PACKET_ROLLOVER_STATS = 21;
    private const int PACKET_IGNORE_OUTGOING = 23;

    private const int TPACKET_V1 = 0;
    private const int TPACKET_V2 = 1;
    private const int TPACKET_V3 = 2;

    /// <summary>sizeof(struct tpacket_hdr), sizeof(struct tpacket2_hdr), sizeof(struct tpacket3_hdr).</summary>
    private const int SZ_TPACKET_HDR = 32;
    private const int SZ_TPACKET2_HDR = 32;
    private const int SZ_TPACKET3_HDR = 48;

    /// <summary>sizeof(struct tpacket_stats), sizeof(struct tpacket_stats_v3), sizeof(struct tpacket_rollover_stats).</summary>
    private const int SZ_TPACKET_STATS = 8;
    private const int SZ_TPACKET_STATS_V3 = 12;
    private const int SZ_TPACKET_ROLLOVER_STATS = 24;

    private const uint SIOCOUTQ = 0x5411; /* TIOCOUTQ */
    private const uint SIOCINQ = 0x541B;  /* FIONREAD */
    private const uint SIOCADDRT = 0x890B;
    private const uint SIOCDELRT = 0x890C;
    private const uint SIOCGIFADDR = 0x8915;
    private const uint SIOCSIFADDR = 0x8916;
    private const uint SIOCSIFFLAGS = 0x8914;
    private const uint SIOCGIFDSTADDR = 0x8917;
    private const uint SIOCSIFDSTADDR = 0x8918;
    private const uint SIOCGIFBRDADDR = 0x8919;
    private const uint SIOCSIFBRDADDR = 0x891a;
    private const uint SIOCGIFNETMASK = 0x891b;
    private const uint SIOCSIFNETMASK = 0x891c;
    private const uint SIOCDARP = 0x8953;
    private const uint SIOCGARP = 0x8954;
    private const uint SIOCSARP = 0x8955;

    // net/packet/af_packet.c, packet_getsockopt(), v5.10. Correct: the length read once with get_user() and checked;
    // PACKET_STATISTICS copies the counters into a local under spin_lock_bh(&sk->sk_receive_queue.lock) and resets
    // them, and the put_user() and copy_to_user() come after the unlock, once, for every option; PACKET_HDRLEN reads
    // the requested version from optval (after clamping len to an int) and the answer is written back over it.
    public static int PacketGetsockopt(PacketSock po, int level, int optname, UserPtr optval, UserPtr<int> optlen) // expect: none
    {
        int len;
        int val = 0, lv = sizeof(int);
        Sock sk = po.Sk;
        byte[]? data = null; /* data = &val */
        byte[] st = new byte[SZ_TPACKET_STATS_V3];
        byte[] rstats = new byte[SZ_TPACKET_ROLLOVER_STATS];
        byte[] valbuf = new byte[sizeof(int)];
        int drops;

        if (level != SOL_PACKET)
            return -ENOPROTOOPT;

        if (GetUser(out len, optlen) != 0)
            return -EFAULT;

        if (len < 0)
            return -EINVAL;

        switch (optname)
        {
            case PACKET_STATISTICS:
                sk.ReceiveQueueLock.Lock(); /* spin_lock_bh(&sk->sk_receive_queue.lock) */
                Array.Copy(po.Stats, st, st.Length);
                Array.Clear(po.Stats, 0, po.Stats.Length);
                sk.ReceiveQueueLock.Unlock(); /* spin_unlock_bh() */
                drops = System.Threading.Interlocked.Exchange(ref po.TpDrops, 0);

                if (po.TpVersion == TPACKET_V3)
                {
                    lv = SZ_TPACKET_STATS_V3;
                    BitConverter.TryWriteBytes(st.AsSpan(4, 4), drops);
                    BitConverter.TryWriteBytes(st.AsSpan(0, 4), BitConverter.ToInt32(st, 0) + drops);
                    data = st;
                }
                else
                {
                    lv = SZ_TPACKET_STATS;
                    BitConverter.TryWriteBytes(st.AsSpan(4, 4), drops);
                    BitConverter.TryWriteBytes(st.AsSpan(0, 4), BitConverter.ToInt32(st, 0) + drops);
                    data = st;
                }

                break;
            case PACKET_AUXDATA:
                val = po.Auxdata;
                break;
            case PACKET_ORIGDEV:
                val = po.Origdev;
                break;
            case PACKET_VNET_HDR:
                val = po.HasVnetHdr;
                break;
            case PACKET_VERSION:
                val = po.TpVersion;
                break;
            case PACKET_HDRLEN:
                if (len > sizeof(int))
                    len = sizeof(int);
                if (len < sizeof(int))
                    return -EINVAL;
                if (CopyFromUser(valbuf.AsSpan(0, len), optval) != 0)
                    return -EFAULT;
                val = BitConverter.ToInt32(valbuf, 0);
                switch (val)
                {
                    case TPACKET_V1:
                        val = SZ_TPACKET_HDR;
                        break;
                    case TPACKET_V2:
                        val = SZ_TPACKET2_HDR;
                        break;
                    case TPACKET_V3:
                        val = SZ_TPACKET3_HDR;
                        break;
                    default:
                        return -EINVAL;
                }
                break;
            case PACKET_RESERVE:
                val = po.TpReserve;
                break;
            case PACKET_LOSS:
                val = po.TpLoss;
                break;
            case PACKET_TIMESTAMP:
                val = po.TpTstamp;
                break;
            case PACKET_FANOUT:
                val = (int)(po.HasFanout ?
                       (po.FanoutId |
                        (po.FanoutType << 16) |
                        (po.FanoutFlags << 24)) :
                       0);
                break;
            case PACKET_IGNORE_OUTGOING:
                val = po.IgnoreOutgoing;
                break;
            case PACKET_ROLLOVER_STATS:
                if (po.Rollover == null)
                    return -EINVAL;
                BitConverter.TryWriteBytes(rstats.AsSpan(0, 8), po.Rollover[0]);
                BitConverter.TryWriteBytes(rstats.AsSpan(8, 8), po.Rollover[1]);
                BitConverter.TryWriteBytes(rstats.AsSpan(16, 8), po.Rollover[2]);
                data = rstats;
                lv = SZ_TPACKET_ROLLOVER_STATS;
                break;
            case PACKET_TX_HAS_OFF:
                val = po.TpTxHasOff;
                break;
            case PACKET_QDISC_BYPASS:
                val = Helpers.PacketUseDirectXmit(po) ? 1 : 0;
                break;
            default:
                return -ENOPROTOOPT;
        }

        if (data == null)
            data = BitConverter.GetBytes(val);

        if (len > lv)
            len = lv;
        if (PutUser(len, optlen) != 0)
            return -EFAULT;
        if (CopyToUser(optval, data.AsSpan(0, len)) != 0)
            return -EFAULT;
        return 0;
    }

    // net/packet/af_packet.c, packet_ioctl(), v5.10. Correct: SIOCINQ peeks at the receive queue under
    // spin_lock_bh(&sk->sk_receive_queue.lock) and put_user()s the length after the unlock; both put_user()
    // results are the ioctl's result.
    public static int PacketIoctl(Socket sock, uint cmd, UserPtr arg) // expect: none
    {
        Sock sk = sock.Sk;

        switch (cmd)
        {
            case SIOCOUTQ:
            {
                int amount = sk.WmemAlloc; /* sk_wmem_alloc_get(sk) */

                return PutUser(amount, arg.Cast<int>());
            }
            case SIOCINQ:
            {
                int amount = 0;

                sk.ReceiveQueueLock.Lock(); /* spin_lock_bh(&sk->sk_receive_queue.lock) */
                if (sk.ReceiveQueue.Count > 0) /* skb = skb_peek(&sk->sk_receive_queue) */
                    amount = sk.ReceiveQueue[0]; /* skb->len */
                sk.ReceiveQueueLock.Unlock(); /* spin_unlock_bh() */
                return PutUser(amount, arg.Cast<int>());
            }
            case SIOCADDRT:
            case SIOCDELRT:
            case SIOCDARP:
            case SIOCGARP:
            case SIOCSARP:
            case SIOCGIFADDR:
            case SIOCSIFADDR:
            case SIOCGIFBRDADDR:
            case SIOCSIFBRDADDR:
            case SIOCGIFNETMASK:
            case SIOCSIFNETMASK:
            case SIOCGIFDSTADDR:
            case SIOCSIFDSTADDR:
            case SIOCSIFFLAGS:
                return Helpers.InetDgramIoctl(sock, cmd, arg);

            default:
                return -ENOIOCTLCMD;
        }
    }
}

/// <summary>struct j1939_sock: the sock, its state flags and its receive filters (guarded by filters_lock).</summary>
public sealed class J1939Sock
{
    public Sock Sk = new();
    public uint State;
    public KernelSpinlock FiltersLock = new();
    public byte[]? Filters;
    public int Nfilters;
}

public static class CanJ1939
{
    private const int SOL_CAN_J1939 = 107;
    private const int SO_J1939_FILTER = 1;
    private const int SO_J1939_PROMISC = 2;
    private const int SO_J1939_SEND_PRIO = 3;
    private const int SO_J1939_ERRQUEUE = 4;

    public const uint J1939_SOCK_PROMISC = 1u << 2;
    public const uint J1939_SOCK_ERRQUEUE = 1u << 3;

    /// <summary>sizeof(struct j1939_filter): name, name_mask (u64), pgn, pgn_mask (u32), addr, addr_mask (u8), padded.</summary>
    private const int SZ_J1939_FILTER = 32;
    private const int J1939_FILTER_MAX = 512;

    private const int CAP_NET_ADMIN = 12;

    // net/can/j1939/socket.c, j1939_sk_setsockopt(), v6.1. Correct: SO_J1939_FILTER copies the whole filter array
    // with memdup_sockptr() after the length checks and masks the kernel copy; only then are lock_sock() and
    // spin_lock_bh(&jsk->filters_lock) taken, around pointer swaps alone; SO_J1939_SEND_PRIO copies the value in
    // and range-checks the copy before lock_sock().
    public static int J1939SkSetsockopt(J1939Sock jsk, int level, int optname, UserPtr optval, uint optlen) // expect: none
    {
        Sock sk = jsk.Sk;
        int tmp, count = 0, ret = 0;
        byte[]? filters = null, ofilters;

        if (level != SOL_CAN_J1939)
            return -EINVAL;

        switch (optname)
        {
            case SO_J1939_FILTER:
                if (optval != default && optlen != 0)
                {
                    int f;
                    int c;

                    if (optlen % SZ_J1939_FILTER != 0)
                        return -EINVAL;

                    if (optlen > J1939_FILTER_MAX *
                        SZ_J1939_FILTER)
                        return -EINVAL;

                    count = (int)(optlen / SZ_J1939_FILTER);
                    filters = Helpers.MemdupSockptr(optval, (int)optlen);
                    if (filters == null) /* IS_ERR(filters) */
                        return -EFAULT; /* PTR_ERR(filters) */

                    for (f = 0, c = count; c != 0; f++, c--)
                        Helpers.J1939FilterApplyMasks(filters, f * SZ_J1939_FILTER);
                }

                Helpers.LockSock(jsk.Sk);
                jsk.FiltersLock.Lock(); /* spin_lock_bh(&jsk->filters_lock) */
                ofilters = jsk.Filters;
                jsk.Filters = filters;
                jsk.Nfilters = count;
                jsk.FiltersLock.Unlock(); /* spin_unlock_bh(&jsk->filters_lock) */
                Helpers.ReleaseSock(jsk.Sk);
                /* kfree(ofilters); */
                return 0;
            case SO_J1939_PROMISC:
                return Helpers.J1939SkSetsockoptFlag(jsk, optval, optlen,
                                                     J1939_SOCK_PROMISC);
            case SO_J1939_ERRQUEUE:
                ret = Helpers.J1939SkSetsockoptFlag(jsk, optval, optlen,
                                                    J1939_SOCK_ERRQUEUE);
                if (ret < 0)
                    return ret;

                if ((jsk.State & J1939_SOCK_ERRQUEUE) == 0)
                    sk.ErrorQueue.Clear(); /* skb_queue_purge(&sk->sk_error_queue) */
                return ret;
            case SO_J1939_SEND_PRIO:
                if (optlen != sizeof(int))
                    return -EINVAL;
                if (Helpers.CopyFromSockptr(out tmp, optval.Cast<int>()) != 0)
                    return -EFAULT;
                if (tmp < 0 || tmp > 7)
                    return -EDOM;
                if (tmp < 2 && !Helpers.Capable(CAP_NET_ADMIN))
                    return -EPERM;
                Helpers.LockSock(jsk.Sk);
                jsk.Sk.Priority = Helpers.J1939ToSkPriority(tmp);
                Helpers.ReleaseSock(jsk.Sk);
                return 0;
            default:
                return -ENOPROTOOPT;
        }
    }

    // net/can/j1939/socket.c, j1939_sk_getsockopt(), v6.1. Correct: the user's length read once with get_user()
    // before lock_sock() and checked; the put_user() and copy_to_user() under lock_sock() (a sleeping lock the fault
    // path does not take) are tested and turned into -EFAULT; both exits go through release_sock().
    public static int J1939SkGetsockopt(J1939Sock jsk, int level, int optname, UserPtr optval, UserPtr<int> optlen) // expect: none
    {
        int ret, ulen;
        /* set defaults for using 'int' properties */
        int tmp = 0;
        int len = sizeof(int);
        byte[] val;

        if (level != SOL_CAN_J1939)
            return -EINVAL;
        if (GetUser(out ulen, optlen) != 0)
            return -EFAULT;
        if (ulen < 0)
            return -EINVAL;

        Helpers.LockSock(jsk.Sk);
        switch (optname)
        {
            case SO_J1939_PROMISC:
                tmp = (jsk.State & J1939_SOCK_PROMISC) != 0 ? 1 : 0;
                break;
            case SO_J1939_ERRQUEUE:
                tmp = (jsk.State & J1939_SOCK_ERRQUEUE) != 0 ? 1 : 0;
                break;
            case SO_J1939_SEND_PRIO:
                tmp = Helpers.J1939Prio(jsk.Sk.Priority);
                break;
            default:
                ret = -ENOPROTOOPT;
                goto no_copy;
        }

        /* copy to user, based on 'len' & 'val'
         * but most sockopt's are 'int' properties, and have 'len' & 'val'
         * left unchanged, but instead modified 'tmp'
         */
        val = BitConverter.GetBytes(tmp); /* val = &tmp */
        if (len > ulen)
            ret = -EFAULT;
        else if (PutUser(len, optlen) != 0)
            ret = -EFAULT;
        else if (CopyToUser(optval, val.AsSpan(0, len)) != 0)
            ret = -EFAULT;
        else
            ret = 0;
    no_copy:
        Helpers.ReleaseSock(jsk.Sk);
        return ret;
    }
}

/// <summary>struct ipv6_mc_socklist: a joined group, its interface, its filter mode and its source list.</summary>
public sealed class Ipv6McSocklist
{
    public int Ifindex;
    public byte[] Addr = new byte[16];
    public uint Sfmode;
    public List<byte[]>? Sflist; /* ip6_sf_socklist: sl_count, sl_addr[] */
}

public static class Ipv6Mcast
{
    private const ushort AF_INET6 = 10;

    /// <summary>struct group_filter: gf_interface (0), gf_group (8, a 128-byte sockaddr_storage), gf_fmode (136),
    /// gf_numsrc (140), gf_slist_flex[] (144, 128 bytes each).</summary>
    private const int OFF_GF_GROUP = 8;
    private const int OFF_GF_FMODE = 136;
    private const int OFF_GF_NUMSRC = 140;
    private const int OFF_GF_SLIST = 144;
    private const int SZ_SOCKADDR_STORAGE = 128;

    // net/ipv6/mcast.c, ip6_mc_msfget(), v5.15 (called under lock_sock(), which now guards the socket's
    // multicast list). Correct: the source list is walked and each address copy_to_user()ed into the user's
    // gf_slist one sockaddr_storage at a time, bounded by the smaller of the kernel's count and the count the
    // caller read once from user space; each copy's failure is -EFAULT; no spinlock or RCU section is held.
    public static int Ip6McMsfget(List<Ipv6McSocklist> ipv6McList, byte[] gsf, UserPtr p) // expect: none
    {
        byte[] group;
        Ipv6McSocklist? pmc = null;
        List<byte[]>? psl;
        int i, count, copycount;

        group = gsf.AsSpan(OFF_GF_GROUP + 8, 16).ToArray(); /* &((struct sockaddr_in6 *)&gsf->gf_group)->sin6_addr */

        if (!Helpers.Ipv6AddrIsMulticast(group))
            return -EINVAL;

        /* changes to the ipv6_mc_list require the socket lock and
         * rtnl lock. We have the socket lock, so reading the list is safe.
         */

        foreach (var m in ipv6McList) /* for_each_pmc_socklock(inet6, sk, pmc) */
        {
            if (m.Ifindex != BitConverter.ToInt32(gsf, 0))
                continue;
            if (group.AsSpan().SequenceEqual(m.Addr))
            {
                pmc = m;
                break;
            }
        }
        if (pmc == null)        /* must have a prior join */
            return -EADDRNOTAVAIL;

        BitConverter.TryWriteBytes(gsf.AsSpan(OFF_GF_FMODE, 4), pmc.Sfmode);
        psl = pmc.Sflist; /* sock_dereference(pmc->sflist, sk) */
        count = psl != null ? psl.Count : 0;

        uint numsrc = BitConverter.ToUInt32(gsf, OFF_GF_NUMSRC);
        copycount = count < numsrc ? count : (int)numsrc;
        BitConverter.TryWriteBytes(gsf.AsSpan(OFF_GF_NUMSRC, 4), count);

        for (i = 0; i < copycount; i++, p += SZ_SOCKADDR_STORAGE)
        {
            byte[] ss = new byte[SZ_SOCKADDR_STORAGE];

            BitConverter.TryWriteBytes(ss.AsSpan(0, 2), AF_INET6); /* psin6->sin6_family = AF_INET6 */
            Array.Copy(psl![i], 0, ss, 8, 16);                       /* psin6->sin6_addr = psl->sl_addr[i] */
            if (CopyToUser(p, ss) != 0)
                return -EFAULT;
        }
        return 0;
    }

    // net/ipv6/ipv6_sockglue.c, ipv6_get_msfilter(), v5.15 (do_ipv6_getsockopt(MCAST_MSFILTER), len read by the
    // caller). Correct: the group_filter header is copied in once and its numsrc kept in a local; the kernel fills
    // the same kernel copy; the length and the header are written back after the walk, under lock_sock() only (a
    // sleeping lock); the header is written, never read again, from user space.
    public static int Ipv6GetMsfilter(Sock sk, List<Ipv6McSocklist> ipv6McList, UserPtr optval, UserPtr<int> optlen, int len) // expect: none
    {
        const int size0 = OFF_GF_SLIST; /* offsetof(struct group_filter, gf_slist_flex) */
        UserPtr p = optval;
        byte[] gsf = new byte[size0];
        int num;
        int err;

        if (len < size0)
            return -EINVAL;
        if (CopyFromUser(gsf.AsSpan(0, size0), p) != 0)
            return -EFAULT;
        if (BitConverter.ToUInt16(gsf, OFF_GF_GROUP) != AF_INET6)
            return -EADDRNOTAVAIL;
        num = (int)BitConverter.ToUInt32(gsf, OFF_GF_NUMSRC);
        Helpers.LockSock(sk);
        err = Ip6McMsfget(ipv6McList, gsf, p + OFF_GF_SLIST);
        if (err == 0)
        {
            if (num > (int)BitConverter.ToUInt32(gsf, OFF_GF_NUMSRC))
                num = (int)BitConverter.ToUInt32(gsf, OFF_GF_NUMSRC);
            if (PutUser(Helpers.GroupFilterSize(num), optlen) != 0 ||
                CopyToUser(p, gsf.AsSpan(0, size0)) != 0)
                err = -EFAULT;
        }
        Helpers.ReleaseSock(sk);
        return err;
    }
}

/// <summary>struct nfc_llcp_local: the local defaults the socket options fall back to.</summary>
public sealed class NfcLlcpLocal
{
    public byte Rw;
    public ushort Miux;
    public ushort RemoteMiu;
    public ushort RemoteLto;
}

/// <summary>struct nfc_llcp_sock: the sock, its local, and its link parameters.</summary>
public sealed class NfcLlcpSock
{
    public Sock Sk = new();
    public NfcLlcpLocal? Local;
    public byte Rw;
    public ushort Miux; /* __be16 */
    public ushort RemoteMiu;
    public byte RemoteRw;
}

public static class NfcLlcp
{
    private const int SOL_NFC = 280;
    private const int NFC_LLCP_RW = 0;
    private const int NFC_LLCP_MIUX = 1;
    private const int NFC_LLCP_REMOTE_MIU = 2;
    private const int NFC_LLCP_REMOTE_LTO = 3;
    private const int NFC_LLCP_REMOTE_RW = 4;

    private const int LLCP_CONNECTED = 1;
    private const int LLCP_BOUND = 3;
    private const int LLCP_LISTEN = 4;

    private const uint LLCP_MAX_RW = 15;
    private const uint LLCP_MAX_MIUX = 0x7ff;
    private const uint LLCP_MAX_MIU = LLCP_MAX_MIUX + 128;

    // net/nfc/llcp_sock.c, nfc_llcp_setsockopt(), v6.13 (copy_safe_from_sockptr() since 7a87441c9651 "nfc: llcp: fix
    // nfc_llcp_setsockopt() unsafe copies", v6.9, and the helper returning -EFAULT since eb94b7bb1010, v6.12).
    // Correct: each value copied in under lock_sock() (a sleeping lock) through a helper that checks optlen and
    // returns an errno; every path goes through release_sock().
    public static int NfcLlcpSetsockopt(NfcLlcpSock llcpSock, int level, int optname, UserPtr optval, uint optlen) // expect: none
    {
        Sock sk = llcpSock.Sk;
        uint opt;
        int err = 0;

        if (level != SOL_NFC)
            return -ENOPROTOOPT;

        Helpers.LockSock(sk);

        switch (optname)
        {
            case NFC_LLCP_RW:
                if (sk.State == LLCP_CONNECTED ||
                    sk.State == LLCP_BOUND ||
                    sk.State == LLCP_LISTEN)
                {
                    err = -EINVAL;
                    break;
                }

                err = Helpers.CopySafeFromSockptr(out opt, optval.Cast<uint>(), optlen);
                if (err != 0)
                    break;

                if (opt > LLCP_MAX_RW)
                {
                    err = -EINVAL;
                    break;
                }

                llcpSock.Rw = (byte)opt;

                break;

            case NFC_LLCP_MIUX:
                if (sk.State == LLCP_CONNECTED ||
                    sk.State == LLCP_BOUND ||
                    sk.State == LLCP_LISTEN)
                {
                    err = -EINVAL;
                    break;
                }

                err = Helpers.CopySafeFromSockptr(out opt, optval.Cast<uint>(), optlen);
                if (err != 0)
                    break;

                if (opt > LLCP_MAX_MIUX)
                {
                    err = -EINVAL;
                    break;
                }

                llcpSock.Miux = (ushort)opt; /* cpu_to_be16((u16) opt) */

                break;

            default:
                err = -ENOPROTOOPT;
                break;
        }

        Helpers.ReleaseSock(sk);

        return err;
    }

    // net/nfc/llcp_sock.c, nfc_llcp_getsockopt(), v5.x (v3.6 to v6.x). Correct: the length read once with get_user()
    // before the lock; each option's put_user() under lock_sock() is tested and turned into -EFAULT; the length is
    // written back after release_sock().
    public static int NfcLlcpGetsockopt(NfcLlcpSock llcpSock, int level, int optname, UserPtr optval, UserPtr<int> optlen) // expect: none
    {
        NfcLlcpLocal? local;
        Sock sk = llcpSock.Sk;
        int len, err = 0;
        ushort miux, remoteMiu;
        byte rw;

        if (level != SOL_NFC)
            return -ENOPROTOOPT;

        if (GetUser(out len, optlen) != 0)
            return -EFAULT;

        local = llcpSock.Local;
        if (local == null)
            return -ENODEV;

        len = (int)Math.Min((uint)len, sizeof(uint));

        Helpers.LockSock(sk);

        switch (optname)
        {
            case NFC_LLCP_RW:
                rw = llcpSock.Rw > LLCP_MAX_RW ? local.Rw : llcpSock.Rw;
                if (PutUser((uint)rw, optval.Cast<uint>()) != 0)
                    err = -EFAULT;

                break;

            case NFC_LLCP_MIUX:
                miux = llcpSock.Miux > LLCP_MAX_MIUX ?
                    local.Miux : llcpSock.Miux;

                if (PutUser((uint)miux, optval.Cast<uint>()) != 0)
                    err = -EFAULT;

                break;

            case NFC_LLCP_REMOTE_MIU:
                remoteMiu = llcpSock.RemoteMiu > LLCP_MAX_MIU ?
                    local.RemoteMiu : llcpSock.RemoteMiu;

                if (PutUser((uint)remoteMiu, optval.Cast<uint>()) != 0)
                    err = -EFAULT;

                break;

            case NFC_LLCP_REMOTE_LTO:
                if (PutUser((uint)(local.RemoteLto / 10), optval.Cast<uint>()) != 0)
                    err = -EFAULT;

                break;

            case NFC_LLCP_REMOTE_RW:
                if (PutUser((uint)llcpSock.RemoteRw, optval.Cast<uint>()) != 0)
                    err = -EFAULT;

                break;

            default:
                err = -ENOPROTOOPT;
                break;
        }

        Helpers.ReleaseSock(sk);

        if (PutUser(len, optlen) != 0)
            return -EFAULT;

        return err;
    }
}

/// <summary>struct alg_sock: the sock, the references of accepted sockets, the algorithm type and its private data.</summary>
public sealed class AlgSock
{
    public Sock Sk = new();
    public int Refcnt;
    public AfAlgType? Type;
    public object? Private;
}

/// <summary>struct af_alg_type: the operations an algorithm family offers (null when it has none).</summary>
public sealed class AfAlgType
{
    public bool HasSetkey;
    public bool HasSetauthsize;
}

public static class AfAlg
{
    private const int SOL_ALG = 279;
    private const int ALG_SET_KEY = 1;
    private const int ALG_SET_AEAD_AUTHSIZE = 5;
    private const int SS_CONNECTED = 3;

    // crypto/af_alg.c, alg_setkey(), v4.14 (called by alg_setsockopt() under lock_sock()). Correct: the key is
    // copied from user space once into a sock_kmalloc()ed buffer, a failed copy is -EFAULT, and the buffer is freed
    // on every path through "out".
    public static int AlgSetkey(AlgSock ask, UserPtr ukey, uint keylen) // expect: none
    {
        AfAlgType type = ask.Type!;
        byte[]? key;
        int err;

        key = Helpers.SockKmalloc(ask.Sk, (int)keylen);
        if (key == null)
            return -ENOMEM;

        err = -EFAULT;
        if (CopyFromUser(key.AsSpan(0, (int)keylen), ukey) != 0)
            goto out_;

        err = Helpers.AlgTypeSetkey(type, ask.Private, key, keylen);

    out_:
        Helpers.SockKzfreeS(ask.Sk, key, (int)keylen);

        return err;
    }

    // crypto/af_alg.c, alg_setsockopt(), v4.14. Correct: lock_sock() (a sleeping lock) around the option handling,
    // the key copy made inside alg_setkey(), every exit through "unlock".
    public static int AlgSetsockopt(Socket sock, AlgSock ask, int level, int optname, UserPtr optval, uint optlen) // expect: none
    {
        Sock sk = ask.Sk;
        AfAlgType? type;
        int err = -EBUSY;

        Helpers.LockSock(sk);
        if (ask.Refcnt != 0)
            goto unlock;

        type = ask.Type;

        err = -ENOPROTOOPT;
        if (level != SOL_ALG || type == null)
            goto unlock;

        switch (optname)
        {
            case ALG_SET_KEY:
                if (sock.State == SS_CONNECTED)
                    goto unlock;
                if (!type.HasSetkey)
                    goto unlock;

                err = AlgSetkey(ask, optval, optlen);
                break;
            case ALG_SET_AEAD_AUTHSIZE:
                if (sock.State == SS_CONNECTED)
                    goto unlock;
                if (!type.HasSetauthsize)
                    goto unlock;
                err = Helpers.AlgTypeSetauthsize(type, ask.Private, optlen);
                break;
        }

    unlock:
        Helpers.ReleaseSock(sk);

        return err;
    }
}

public static class Sockptr
{
    // include/linux/sockptr.h, copy_safe_from_sockptr(), v6.11 (added by 6309863b31dd "net: add
    // copy_safe_from_sockptr() helper", v6.9; before eb94b7bb1010 "net: Make copy_safe_from_sockptr() match
    // documentation", Michal Luczaj, v6.12). Buggy: the helper is documented to return -EINVAL or -EFAULT, but it
    // returns copy_from_sockptr()'s result, "copy_from_user() does not return an error on fault. Instead, it
    // returns a number of bytes that were not copied"; nfc_llcp_setsockopt() and data_sock_setsockopt() pass it on
    // as the setsockopt() result ("Patch has a side effect: it un-breaks garbage input handling of
    // nfc_llcp_setsockopt() and mISDN's data_sock_setsockopt()").
    public static int CopySafeFromSockptrV611(Span<byte> dst, int ksize, UserPtr optval, uint optlen)
    {
        if (optlen < (uint)ksize)
            return -EINVAL;
        return Helpers.CopyFromSockptr(dst.Slice(0, ksize), optval); // expect: UA5002
    }

    // include/linux/sockptr.h, copy_safe_from_sockptr(), v6.12 (after eb94b7bb1010). Correct: a short optlen is
    // -EINVAL, a faulting copy -EFAULT, else 0.
    public static int CopySafeFromSockptr(Span<byte> dst, int ksize, UserPtr optval, uint optlen) // expect: none
    {
        if (optlen < (uint)ksize)
            return -EINVAL;
        if (Helpers.CopyFromSockptr(dst.Slice(0, ksize), optval) != 0)
            return -EFAULT;
        return 0;
    }
}

public static class Helpers
{
    /// <summary>lock_sock(): takes the socket owner lock; may sleep.</summary>
    [MightSleep]
    [Acquires("sk.Lock")]
    public static void LockSock(Sock sk) => sk.Lock.Lock();

    /// <summary>release_sock().</summary>
    [Releases("sk.Lock")]
    public static void ReleaseSock(Sock sk) => sk.Lock.Unlock();

    /// <summary>down_interruptible(&amp;tsock->sem): 0 with the semaphore held, -EINTR when a signal arrived (a killable
    /// lock stands in for it).</summary>
    [Acquires("tsock.Sem", When = AcquiredWhen.ReturnsZero)]
    public static int DownInterruptible(TipcSock tsock)
    {
        int rc = 0;

        if (tsock.Sem.LockKillable() != 0)
            rc = -EINTR;
        return rc;
    }

    /// <summary>up(&amp;tsock->sem).</summary>
    [Releases("tsock.Sem")]
    public static void Up(TipcSock tsock) => tsock.Sem.Unlock();

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

    /// <summary>copy_safe_from_sockptr(), v6.12 and later: -EINVAL when optlen is short, -EFAULT when the copy
    /// faults, else 0.</summary>
    [MightFault]
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

    /// <summary>memdup_sockptr(): kmalloc() and copy_from_sockptr(); null stands for the ERR_PTR.</summary>
    [MightFault]
    [UserAccess(AccessKind.Read, "src", Size = "len")]
    public static byte[]? MemdupSockptr(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    /// <summary>tipc_portimportance() and friends (v2.6.24): the port's setting, 0 or an errno (stubs).</summary>
    public static int TipcPortimportance(uint portRef, out uint value)
    {
        value = 0;
        return 0;
    }

    public static int TipcPortunreliable(uint portRef, out uint value)
    {
        value = 0;
        return 0;
    }

    public static int TipcPortunreturnable(uint portRef, out uint value)
    {
        value = 0;
        return 0;
    }

    /// <summary>tipc_set_portimportance() and friends (v2.6.24): 0 or an errno (stubs).</summary>
    public static int TipcSetPortimportance(uint portRef, uint value) => value > 3 ? -EINVAL : 0;

    public static int TipcSetPortunreliable(uint portRef, uint value) => 0;

    public static int TipcSetPortunreturnable(uint portRef, uint value) => 0;

    /// <summary>jiffies_to_msecs() at HZ=250.</summary>
    public static uint JiffiesToMsecs(long j) => (uint)(j * 4);

    /// <summary>tipc_node_get_linkname(): 0 when the link name was written into linkname (stub).</summary>
    public static int TipcNodeGetLinkname(uint bearerId, uint peer, Span<byte> linkname, int len) => -EINVAL;

    /// <summary>tipc_node_get_id(): true when the peer's node id was written (stub).</summary>
    public static bool TipcNodeGetId(uint peer, Span<byte> nodeId) => false;

    /// <summary>packet_use_direct_xmit() (stub).</summary>
    public static bool PacketUseDirectXmit(PacketSock po) => false;

    /// <summary>inet_dgram_ops.ioctl(): the IPv4 ioctls a packet socket passes on (stub).</summary>
    public static int InetDgramIoctl(Socket sock, uint cmd, UserPtr arg) => -ENOIOCTLCMD;

    /// <summary>f->name &amp;= f->name_mask; f->pgn &amp;= f->pgn_mask; f->addr &amp;= f->addr_mask, on the kernel copy.</summary>
    public static void J1939FilterApplyMasks(byte[] filters, int f)
    {
        BitConverter.TryWriteBytes(filters.AsSpan(f, 8), BitConverter.ToUInt64(filters, f) & BitConverter.ToUInt64(filters, f + 8));
        BitConverter.TryWriteBytes(filters.AsSpan(f + 16, 4), BitConverter.ToUInt32(filters, f + 16) & BitConverter.ToUInt32(filters, f + 20));
        filters[f + 24] &= filters[f + 25];
    }

    /// <summary>net/can/j1939/socket.c j1939_sk_setsockopt_flag(), v6.1: the int copied in after the optlen check,
    /// the flag set or cleared under lock_sock(); returns the value the user passed (or an errno).</summary>
    public static int J1939SkSetsockoptFlag(J1939Sock jsk, UserPtr optval, uint optlen, uint flag)
    {
        int tmp;

        if (optlen != sizeof(int))
            return -EINVAL;
        if (CopyFromSockptr(out tmp, optval.Cast<int>()) != 0)
            return -EFAULT;
        LockSock(jsk.Sk);
        if (tmp != 0)
            jsk.State |= flag;
        else
            jsk.State &= ~flag;
        ReleaseSock(jsk.Sk);
        return tmp;
    }

    /// <summary>capable() (stub).</summary>
    public static bool Capable(int cap) => true;

    /// <summary>j1939_to_sk_priority() and j1939_prio().</summary>
    public static int J1939ToSkPriority(int prio) => 7 - prio;

    public static int J1939Prio(int skPriority) => skPriority < 0 ? 6 : (skPriority > 7 ? 0 : 7 - skPriority);

    /// <summary>GROUP_FILTER_SIZE(numsrc): offsetof(struct group_filter, gf_slist_flex) plus numsrc sockaddr_storages.</summary>
    public static int GroupFilterSize(int numsrc) => 144 + numsrc * 128;

    /// <summary>ipv6_addr_is_multicast(): the first byte is 0xff.</summary>
    public static bool Ipv6AddrIsMulticast(byte[] addr) => addr[0] == 0xff;

    /// <summary>sock_kmalloc(sk, size, GFP_KERNEL): charged to the socket's option memory; null when over the
    /// limit or out of memory.</summary>
    [MightSleep]
    public static byte[]? SockKmalloc(Sock sk, int size) => size > 20480 ? null : new byte[size];

    /// <summary>sock_kzfree_s(): zeroes and frees the buffer, uncharging the socket.</summary>
    public static void SockKzfreeS(Sock sk, byte[] key, int size) => Array.Clear(key, 0, size);

    /// <summary>type->setkey(ask->private, key, keylen): the transform's setkey, 0 or an errno (stub).</summary>
    [ReturnsErrno]
    public static int AlgTypeSetkey(AfAlgType type, object? priv, byte[] key, uint keylen) => 0;

    /// <summary>type->setauthsize(ask->private, optlen): 0 or an errno (stub).</summary>
    [ReturnsErrno]
    public static int AlgTypeSetauthsize(AfAlgType type, object? priv, uint authsize) => 0;
}
