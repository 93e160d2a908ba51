// Held out: netfilter, multicast routing, ATM, bridge and wireless-extension control paths, each defect before and
// after the kernel's own fix, and correct code from the same files doing the same things:
// - net/ipv4/netfilter/arp_tables.c do_add_counters() (ARPT_SO_SET_ADD_COUNTERS), v2.6.16: the counters header
//   copied in, checked against the option length, then the whole buffer copied again from the same address and
//   the second copy's num_counters compared with the table's (CVE-2006-0039), and v2.6.17 after the fix, which
//   compares the checked first copy's num_counters;
// - net/atm/common.c atm_ioctl(), Linux 2.5.6x: the whole socket ioctl run under the atm_dev_lock spinlock, every
//   get_user()/put_user()/copy_*_user() and a GFP_KERNEL kmalloc() inside it, before Chas Williams' "[ATM] add
//   reference counting to atm_dev" (2.5.70, May 2003), which takes the lock only around the device list walks;
// - net/atm/resources.c atm_getnames() (v5.x): the device list walked under atm_dev_mutex, the copy out after;
// - net/bridge/br_ioctl.c get_fdb_entries() (v2.6.19 to current): the fdb filled into a kernel page under RCU in
//   br_fdb_fillbuf(), then copied out;
// - net/ipv4/ipmr.c ip_mroute_getsockopt() and ipmr_ioctl() (v2.6.20): copy_to_user() after read_unlock(&mrt_lock);
// - net/wireless/wext-core.c ioctl_standard_iw_point() and wext_handle_ioctl() (v4.x): the iw_point length checks,
//   the WE-21 ESSID compatibility peek and the copies in and out;
// - net/bridge/netfilter/ebtables.c do_update_counters() (v4.19): the counters copied in before write_lock_bh();
// - net/x25/x25_link.c x25_subscr_ioctl() (v2.6.3x to v5.3): copy_to_user() after read_unlock_bh().
// The tables, the ATM devices, the fdb, the multicast caches and the wireless handlers are stubs; the user
// pointers, the accesses, their checks, the locks and the control flow are the kernel's.
using System;
using System.Collections.Generic;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;
using static KernelCorpus.Heldout.NetfilterWext.NetErrno;

namespace KernelCorpus.Heldout.NetfilterWext;

/// <summary>The errnos these paths return that the runtime does not define.</summary>
public static class NetErrno
{
    public const int E2BIG = 7;
    public const int ENODEV = 19;
    public const int ENOPROTOOPT = 92;
    public const int EOPNOTSUPP = 95;
    public const int EADDRNOTAVAIL = 99;
    public const int EIWCOMMIT = 115; /* EINPROGRESS */
    public const int ENOIOCTLCMD = 515;
}

public static class ArpTables
{
    /// <summary>sizeof(struct xt_counters_info): char name[32], unsigned int num_counters, 8-aligned counters[].</summary>
    public const int SZ_XT_COUNTERS_INFO = 40;

    /// <summary>offsetof(struct xt_counters_info, num_counters).</summary>
    public const int OFFSETOF_NUM_COUNTERS = 32;

    /// <summary>sizeof(struct xt_counters): u64 pcnt, bcnt.</summary>
    public const int SZ_XT_COUNTERS = 16;

    // net/ipv4/netfilter/arp_tables.c, do_add_counters(), v2.6.16 (before the CVE-2006-0039 fix, v2.6.17; also
    // 2.6.16.17). Buggy: the header is copied into tmp and tmp.num_counters checked against len, then the whole
    // buffer, header included, is copied again from the same address into paddc, and the table's entry count is
    // compared with paddc->num_counters, the second fetch: "Race condition in the do_add_counters function in
    // netfilter ... allows local users with CAP_NET_ADMIN to read kernel memory via a race between
    // do_add_counters and the size check" (the counters walk trusts a count user space changed after the check).
    public static int DoAddCountersV2616(UserPtr user, uint len)
    {
        uint i;
        byte[] tmp = new byte[SZ_XT_COUNTERS_INFO];
        Helpers.XtTable? t;
        Helpers.XtTableInfo @private;
        int ret = 0;

        if (CopyFromUser(tmp, user) != 0)
            return -EFAULT;

        uint tmpNumCounters = BitConverter.ToUInt32(tmp, OFFSETOF_NUM_COUNTERS);
        if (len != SZ_XT_COUNTERS_INFO + tmpNumCounters * SZ_XT_COUNTERS)
            return -EINVAL;

        byte[]? paddc = Helpers.Vmalloc(len);
        if (paddc == null)
            return -ENOMEM;

        if (CopyFromUser(paddc.AsSpan(0, (int)len), user) != 0) // expect: UA3003
        {
            ret = -EFAULT;
            goto free;
        }

        t = Helpers.XtFindTableLock(Helpers.NF_ARP, tmp);
        if (t == null)
        {
            ret = -ENOENT;
            goto free;
        }

        t.Lock.Lock(); /* write_lock_bh(&t->lock) */
        @private = t.Private;
        if (@private.Number != BitConverter.ToUInt32(paddc, OFFSETOF_NUM_COUNTERS))
        {
            ret = -EINVAL;
            goto unlock_up_free;
        }

        i = 0;
        /* Choose the copy that is on our node */
        Helpers.ArptEntryIterateAddCounters(@private, paddc, SZ_XT_COUNTERS_INFO, ref i);
    unlock_up_free:
        t.Lock.Unlock(); /* write_unlock_bh(&t->lock) */
        Helpers.XtTableUnlock(t);
        /* module_put(t->me); */
    free:
        Helpers.Vfree(paddc);

        return ret;
    }

    // net/ipv4/netfilter/arp_tables.c, do_add_counters(), v2.6.17 (after the CVE-2006-0039 fix). Correct: the
    // count compared with the table's is tmp.num_counters, the one len was checked against; the second copy is
    // only the source of the counters the walk adds, bounded by the table.
    public static int DoAddCountersV2617(UserPtr user, uint len) // expect: none
    {
        uint i;
        byte[] tmp = new byte[SZ_XT_COUNTERS_INFO];
        Helpers.XtTable? t;
        Helpers.XtTableInfo @private;
        int ret = 0;

        if (CopyFromUser(tmp, user) != 0)
            return -EFAULT;

        uint tmpNumCounters = BitConverter.ToUInt32(tmp, OFFSETOF_NUM_COUNTERS);
        if (len != SZ_XT_COUNTERS_INFO + tmpNumCounters * SZ_XT_COUNTERS)
            return -EINVAL;

        byte[]? paddc = Helpers.Vmalloc(len);
        if (paddc == null)
            return -ENOMEM;

        if (CopyFromUser(paddc.AsSpan(0, (int)len), user) != 0)
        {
            ret = -EFAULT;
            goto free;
        }

        t = Helpers.XtFindTableLock(Helpers.NF_ARP, tmp);
        if (t == null)
        {
            ret = -ENOENT;
            goto free;
        }

        t.Lock.Lock(); /* write_lock_bh(&t->lock) */
        @private = t.Private;
        if (@private.Number != tmpNumCounters)
        {
            ret = -EINVAL;
            goto unlock_up_free;
        }

        i = 0;
        /* Choose the copy that is on our node */
        Helpers.ArptEntryIterateAddCounters(@private, paddc, SZ_XT_COUNTERS_INFO, ref i);
    unlock_up_free:
        t.Lock.Unlock(); /* write_unlock_bh(&t->lock) */
        Helpers.XtTableUnlock(t);
        /* module_put(t->me); */
    free:
        Helpers.Vfree(paddc);

        return ret;
    }
}

public static class Atm
{
    // Socket ioctl numbers (values are symbolic here).
    public const uint SIOCOUTQ = 0x5411;
    public const uint SIOCINQ = 0x541B;
    public const uint SIOCGSTAMP = 0x8906;
    public const uint ATM_GETNAMES = 0x61800;
    public const uint ATM_SETSC = 0x61801;
    public const uint ATMSIGD_CTRL = 0x61802;
    public const uint ATM_GETTYPE = 0x61803;
    public const uint ATM_GETESI = 0x61804;
    public const uint ATM_SETESI = 0x61805;
    public const uint ATM_SETESIF = 0x61806;
    public const uint ATM_GETSTATZ = 0x61807;
    public const uint ATM_GETSTAT = 0x61808;
    public const uint ATM_GETCIRANGE = 0x61809;
    public const uint ATM_GETLINKRATE = 0x6180A;
    public const uint ATM_RSTADDR = 0x6180B;
    public const uint ATM_ADDADDR = 0x6180C;
    public const uint ATM_DELADDR = 0x6180D;
    public const uint ATM_GETADDR = 0x6180E;
    public const uint ATM_SETLOOP = 0x6180F;
    public const uint ATM_SETCIRANGE = 0x61810;
    public const uint SONET_GETSTATZ = 0x61811;
    public const uint SONET_SETDIAG = 0x61812;
    public const uint SONET_CLRDIAG = 0x61813;
    public const uint SONET_SETFRAMING = 0x61814;

    public const int ESI_LEN = 6;
    public const int ATM_PDU_OVHD = 0;
    public const int CAP_NET_ADMIN = 12;
    public const int CAP_SYS_RAWIO = 17;

    /// <summary>offsetof(struct atm_iobuf, length) and (.., buffer): int length; void *buffer.</summary>
    public const int IOBUF_LENGTH = 0;
    public const int IOBUF_BUFFER = 8;

    /// <summary>struct atmif_sioc: int number; int length; void *arg.</summary>
    public const int SIOC_NUMBER = 0;
    public const int SIOC_LENGTH = 4;
    public const int SIOC_ARG = 8;

    /// <summary>sizeof(struct sockaddr_atmsvc), sizeof(struct atm_cirange).</summary>
    public const int SZ_SOCKADDR_ATMSVC = 112;
    public const int SZ_ATM_CIRANGE = 2;

    // net/atm/common.c, atm_ioctl(), Linux 2.5.6x (before Chas Williams' "[ATM] add reference counting to
    // atm_dev", merged for 2.5.70, May 2003). Built without CONFIG_ATM_CLIP, LANE, MPOA and ATM_TCP, whose cases
    // call out to modules. Buggy: "spin_lock (&atm_dev_lock);" is taken before the switch and dropped only at
    // "done:", so every get_user(), put_user(), copy_to_user() and copy_from_user() of the ioctl, the helpers that
    // copy the statistics and the addresses out, and a kmalloc(size, GFP_KERNEL), run holding a spinlock: a fault
    // on the user buffer sleeps in atomic context. The fix takes atm_dev_lock only around the device list walks
    // (with GFP_ATOMIC) and copies after spin_unlock(), and looks the device up with a reference instead.
    public static int AtmIoctlV25(Helpers.AtmSocket sock, uint cmd, UserPtr arg)
    {
        Helpers.AtmDev? dev;
        Helpers.AtmVcc vcc;
        byte[] tmp_buf;
        UserPtr buf;
        int error, len, size, number, ret_val;

        ret_val = 0;
        Helpers.AtmDevLock.Lock();
        vcc = sock.Vcc;
        switch (cmd)
        {
            case SIOCOUTQ:
                if (sock.State != Helpers.SS_CONNECTED || !vcc.Ready)
                {
                    ret_val = -EINVAL;
                    goto done;
                }
                ret_val = PutUser(vcc.SkSndbuf - vcc.TxInuse - ATM_PDU_OVHD, arg.Cast<int>()) != 0 ? -EFAULT : 0; // expect: UA1001
                goto done;
            case SIOCINQ:
                {
                    Helpers.SkBuff? skb;

                    if (sock.State != Helpers.SS_CONNECTED)
                    {
                        ret_val = -EINVAL;
                        goto done;
                    }
                    skb = Helpers.SkbPeek(vcc);
                    ret_val = PutUser(skb != null ? skb.Len : 0, arg.Cast<int>()) != 0 ? -EFAULT : 0; // expect: UA1001
                    goto done;
                }
            case ATM_GETNAMES:
                if (GetUser(out ulong ubuf, (arg + IOBUF_BUFFER).Cast<ulong>()) != 0) // expect: UA1001
                {
                    ret_val = -EFAULT;
                    goto done;
                }
                buf = new UserPtr(ubuf);
                if (GetUser(out len, (arg + IOBUF_LENGTH).Cast<int>()) != 0) // expect: UA1001
                {
                    ret_val = -EFAULT;
                    goto done;
                }
                size = 0;
                foreach (Helpers.AtmDev d in Helpers.AtmDevs)
                    size += sizeof(int);
                if (size > len)
                {
                    ret_val = -E2BIG;
                    goto done;
                }
                tmp_buf = Kmalloc(size, Gfp.Kernel); // expect: UA1001
                if (tmp_buf == null)
                {
                    ret_val = -ENOMEM;
                    goto done;
                }
                int tmp_p = 0;
                foreach (Helpers.AtmDev d in Helpers.AtmDevs)
                {
                    BitConverter.TryWriteBytes(tmp_buf.AsSpan(tmp_p, 4), d.Number);
                    tmp_p += 4;
                }
                if (CopyToUser(buf, tmp_buf.AsSpan(0, size)) != 0) // expect: UA1001
                {
                    ret_val = -EFAULT;
                    goto done;
                }
                ret_val = PutUser(size, (arg + IOBUF_LENGTH).Cast<int>()) != 0 ? -EFAULT : 0; // expect: UA1001
                goto done;
            case SIOCGSTAMP: /* borrowed from IP */
                if (vcc.TimestampSec == 0)
                {
                    ret_val = -ENOENT;
                    goto done;
                }
                vcc.TimestampSec += vcc.TimestampUsec / 1000000;
                vcc.TimestampUsec %= 1000000;
                ret_val = CopyToUser(arg, Helpers.Timeval(vcc.TimestampSec, vcc.TimestampUsec)) != 0 ? -EFAULT : 0; // expect: UA1001
                goto done;
            case ATM_SETSC:
                /* printk(KERN_WARNING "ATM_SETSC is obsolete\n"); */
                ret_val = 0;
                goto done;
            case ATMSIGD_CTRL:
                if (!Helpers.Capable(CAP_NET_ADMIN))
                {
                    ret_val = -EPERM;
                    goto done;
                }
                /*
                 * The user/kernel protocol for exchanging signalling
                 * info uses kernel pointers as opaque references,
                 * so the holder of the file descriptor can scribble
                 * on the kernel... so we should make sure that we
                 * have the same privledges that /proc/kcore needs
                 */
                if (!Helpers.Capable(CAP_SYS_RAWIO))
                {
                    ret_val = -EPERM;
                    goto done;
                }
                error = Helpers.SigdAttach(vcc);
                if (error == 0) sock.State = Helpers.SS_CONNECTED;
                ret_val = error;
                goto done;
            default:
                break;
        }
        if (GetUser(out ulong sarg, (arg + SIOC_ARG).Cast<ulong>()) != 0) // expect: UA1001
        {
            ret_val = -EFAULT;
            goto done;
        }
        buf = new UserPtr(sarg);
        if (GetUser(out len, (arg + SIOC_LENGTH).Cast<int>()) != 0) // expect: UA1001
        {
            ret_val = -EFAULT;
            goto done;
        }
        if (GetUser(out number, (arg + SIOC_NUMBER).Cast<int>()) != 0) // expect: UA1001
        {
            ret_val = -EFAULT;
            goto done;
        }
        if ((dev = Helpers.AtmFindDev(number)) == null)
        {
            ret_val = -ENODEV;
            goto done;
        }

        size = 0;
        switch (cmd)
        {
            case ATM_GETTYPE:
                size = dev.Type.Length + 1;
                if (CopyToUser(buf, dev.TypeZ.AsSpan(0, size)) != 0) // expect: UA1001
                {
                    ret_val = -EFAULT;
                    goto done;
                }
                break;
            case ATM_GETESI:
                size = ESI_LEN;
                if (CopyToUser(buf, dev.Esi.AsSpan(0, size)) != 0) // expect: UA1001
                {
                    ret_val = -EFAULT;
                    goto done;
                }
                break;
            case ATM_SETESI:
                {
                    int i;

                    for (i = 0; i < ESI_LEN; i++)
                        if (dev.Esi[i] != 0)
                        {
                            ret_val = -EEXIST;
                            goto done;
                        }
                }
                /* fall through */
                goto case ATM_SETESIF;
            case ATM_SETESIF:
                {
                    byte[] esi = new byte[ESI_LEN];

                    if (!Helpers.Capable(CAP_NET_ADMIN))
                    {
                        ret_val = -EPERM;
                        goto done;
                    }
                    if (CopyFromUser(esi.AsSpan(0, ESI_LEN), buf) != 0) // expect: UA1001
                    {
                        ret_val = -EFAULT;
                        goto done;
                    }
                    Array.Copy(esi, dev.Esi, ESI_LEN);
                    ret_val = ESI_LEN;
                    goto done;
                }
            case ATM_GETSTATZ:
                if (!Helpers.Capable(CAP_NET_ADMIN))
                {
                    ret_val = -EPERM;
                    goto done;
                }
                /* fall through */
                goto case ATM_GETSTAT;
            case ATM_GETSTAT:
                size = Helpers.SZ_ATM_DEV_STATS;
                error = Helpers.FetchStats(dev, buf, cmd == ATM_GETSTATZ); // expect: UA1001
                if (error != 0)
                {
                    ret_val = error;
                    goto done;
                }
                break;
            case ATM_GETCIRANGE:
                size = SZ_ATM_CIRANGE;
                if (CopyToUser(buf, dev.CiRange.AsSpan(0, size)) != 0) // expect: UA1001
                {
                    ret_val = -EFAULT;
                    goto done;
                }
                break;
            case ATM_GETLINKRATE:
                size = sizeof(int);
                if (CopyToUser(buf, BitConverter.GetBytes(dev.LinkRate).AsSpan(0, size)) != 0) // expect: UA1001
                {
                    ret_val = -EFAULT;
                    goto done;
                }
                break;
            case ATM_RSTADDR:
                if (!Helpers.Capable(CAP_NET_ADMIN))
                {
                    ret_val = -EPERM;
                    goto done;
                }
                Helpers.ResetAddr(dev);
                break;
            case ATM_ADDADDR:
            case ATM_DELADDR:
                if (!Helpers.Capable(CAP_NET_ADMIN))
                {
                    ret_val = -EPERM;
                    goto done;
                }
                {
                    byte[] addr = new byte[SZ_SOCKADDR_ATMSVC];

                    if (CopyFromUser(addr, buf) != 0) // expect: UA1001
                    {
                        ret_val = -EFAULT;
                        goto done;
                    }
                    if (cmd == ATM_ADDADDR)
                        ret_val = Helpers.AddAddr(dev, addr);
                    else
                        ret_val = Helpers.DelAddr(dev, addr);
                    goto done;
                }
            case ATM_GETADDR:
                size = Helpers.GetAddr(dev, buf, len); // expect: UA1001
                if (size < 0)
                    ret_val = size;
                else
                    /* may return 0, but later on size == 0 means "don't
                       write the length" */
                    ret_val = PutUser(size, (arg + SIOC_LENGTH).Cast<int>()) != 0 ? -EFAULT : 0; // expect: UA1001
                goto done;
            case ATM_SETLOOP:
                if (Helpers.AtmLmXtrmt((int)(long)buf.Address) != 0 &&
                    Helpers.AtmLmXtloc((int)(long)buf.Address) >
                    Helpers.AtmLmXtrmt((int)(long)buf.Address))
                {
                    ret_val = -EINVAL;
                    goto done;
                }
                /* fall through */
                goto case ATM_SETCIRANGE;
            case ATM_SETCIRANGE:
            case SONET_GETSTATZ:
            case SONET_SETDIAG:
            case SONET_CLRDIAG:
            case SONET_SETFRAMING:
                if (!Helpers.Capable(CAP_NET_ADMIN))
                {
                    ret_val = -EPERM;
                    goto done;
                }
                /* fall through */
                goto default;
            default:
                if (!dev.HasIoctl)
                {
                    ret_val = -EINVAL;
                    goto done;
                }
                size = Helpers.DevOpsIoctl(dev, cmd, buf);
                if (size < 0)
                {
                    ret_val = (size == -ENOIOCTLCMD ? -EINVAL : size);
                    goto done;
                }
                break;
        }

        if (size != 0)
            ret_val = PutUser(size, (arg + SIOC_LENGTH).Cast<int>()) != 0 ? -EFAULT : 0; // expect: UA1001

    done:
        Helpers.AtmDevLock.Unlock();
        return ret_val;
    }

    // net/atm/resources.c, atm_getnames(), v5.x (split out of atm_dev_ioctl()). Correct: the device list is
    // walked under atm_dev_mutex into a kmalloc()ed buffer, and the copy_to_user() and put_user() of the result
    // come after mutex_unlock(), each tested.
    public static int AtmGetnames(UserPtr buf, UserPtr<int> iobuf_len) // expect: none
    {
        int error, len, size = 0;
        byte[] tmp_buf;
        int tmp_p;

        if (GetUser(out len, iobuf_len) != 0)
            return -EFAULT;
        Helpers.AtmDevMutex.Lock();
        foreach (Helpers.AtmDev p in Helpers.AtmDevs)
            size += sizeof(int);
        if (size > len)
        {
            Helpers.AtmDevMutex.Unlock();
            return -E2BIG;
        }
        tmp_buf = Kmalloc(size, Gfp.Atomic);
        if (tmp_buf == null)
        {
            Helpers.AtmDevMutex.Unlock();
            return -ENOMEM;
        }
        tmp_p = 0;
        foreach (Helpers.AtmDev dev in Helpers.AtmDevs)
        {
            BitConverter.TryWriteBytes(tmp_buf.AsSpan(tmp_p, 4), dev.Number);
            tmp_p += 4;
        }
        Helpers.AtmDevMutex.Unlock();
        error = ((CopyToUser(buf, tmp_buf.AsSpan(0, size)) != 0) ||
                 PutUser(size, iobuf_len) != 0)
                ? -EFAULT : 0;
        /* kfree(tmp_buf); */
        return error;
    }
}

public static class Bridge
{
    public const int PAGE_SIZE = 4096;

    /// <summary>sizeof(struct __fdb_entry): mac_addr[6], port_no, is_local, __u32 ageing_timer_value, port_hi,
    /// pad0, __u16 unused.</summary>
    public const int SZ_FDB_ENTRY = 16;

    // net/bridge/br_ioctl.c, get_fdb_entries() (BRCTL_GET_FDB_ENTRIES), v2.6.19 to current (after the
    // CVE-2006-5751 overflow fix; array_size() since 865bfb2affa8). Correct: br_fdb_fillbuf() fills a kernel page
    // under rcu_read_lock() and the copy_to_user() of the entries found is made after it, its failure -EFAULT.
    public static int GetFdbEntries(Helpers.NetBridge br, UserPtr userbuf, ulong maxnum, ulong offset) // expect: none
    {
        int num;
        byte[] buf;
        ulong size;

        /* Clamp size to PAGE_SIZE, test maxnum to avoid overflow */
        if (maxnum > PAGE_SIZE / SZ_FDB_ENTRY)
            maxnum = PAGE_SIZE / SZ_FDB_ENTRY;

        size = maxnum * SZ_FDB_ENTRY;

        buf = Kmalloc((int)size, Gfp.Kernel); /* GFP_USER */
        if (buf == null)
            return -ENOMEM;

        num = Helpers.BrFdbFillbuf(br, buf, maxnum, offset);
        if (num > 0)
        {
            if (CopyToUser(userbuf, buf.AsSpan(0, num * SZ_FDB_ENTRY)) != 0)
                num = -EFAULT;
        }
        /* kfree(buf); */

        return num;
    }
}

public static class Ipmr
{
    public const int MRT_BASE = 200;
    public const int MRT_VERSION = MRT_BASE + 6;
    public const int MRT_ASSERT = MRT_BASE + 7;
    public const int MRT_PIM = MRT_BASE + 8;

    public const int SIOCGETVIFCNT = 0x89E0; /* SIOCPROTOPRIVATE */
    public const int SIOCGETSGCNT = 0x89E1;

    /// <summary>sizeof(struct sioc_vif_req): vifi_t vifi, then four unsigned longs from offset 8.</summary>
    public const int SZ_SIOC_VIF_REQ = 40;

    /// <summary>sizeof(struct sioc_sg_req): in_addr src, grp, then three unsigned longs from offset 8.</summary>
    public const int SZ_SIOC_SG_REQ = 32;

    // net/ipv4/ipmr.c, ip_mroute_getsockopt(), v2.6.20. Correct: the caller's length is fetched, clamped to
    // sizeof(int) and written back, and at most that many bytes of the value are copied out; every access is
    // tested and nothing is held.
    public static int IpMrouteGetsockopt(Helpers.Sock sk, int optname, UserPtr optval, UserPtr<int> optlen) // expect: none
    {
        int olr;
        int val;

        if (optname != MRT_VERSION &&
            optname != MRT_PIM && /* CONFIG_IP_PIMSM */
            optname != MRT_ASSERT)
            return -ENOPROTOOPT;

        if (GetUser(out olr, optlen) != 0)
            return -EFAULT;

        olr = (int)Math.Min((uint)olr, (uint)sizeof(int));
        if (olr < 0)
            return -EINVAL;

        if (PutUser(olr, optlen) != 0)
            return -EFAULT;
        if (optname == MRT_VERSION)
            val = 0x0305;
        else if (optname == MRT_PIM)
            val = Helpers.MrouteDoPim;
        else
            val = Helpers.MrouteDoAssert;
        if (CopyToUser(optval, BitConverter.GetBytes(val).AsSpan(0, olr)) != 0)
            return -EFAULT;
        return 0;
    }

    // net/ipv4/ipmr.c, ipmr_ioctl(), v2.6.20. Correct: the request is copied in, the counters are read under
    // read_lock(&mrt_lock) (a spinning rwlock), and read_unlock() comes before the copy_to_user() on both the
    // found and the not-found path.
    public static int IpmrIoctl(Helpers.Sock sk, int cmd, UserPtr arg) // expect: none
    {
        byte[] sr = new byte[SZ_SIOC_SG_REQ];
        byte[] vr = new byte[SZ_SIOC_VIF_REQ];
        Helpers.VifDevice vif;
        Helpers.MfcCache? c;

        switch (cmd)
        {
            case SIOCGETVIFCNT:
                if (CopyFromUser(vr, arg) != 0)
                    return -EFAULT;
                ushort vifi = BitConverter.ToUInt16(vr, 0);
                if (vifi >= Helpers.MaxVif)
                    return -EINVAL;
                Helpers.MrtLock.Lock(); /* read_lock(&mrt_lock) */
                vif = Helpers.VifTable[vifi];
                if (Helpers.VifExists(vifi))
                {
                    BitConverter.TryWriteBytes(vr.AsSpan(8, 8), vif.PktIn);
                    BitConverter.TryWriteBytes(vr.AsSpan(16, 8), vif.PktOut);
                    BitConverter.TryWriteBytes(vr.AsSpan(24, 8), vif.BytesIn);
                    BitConverter.TryWriteBytes(vr.AsSpan(32, 8), vif.BytesOut);
                    Helpers.MrtLock.Unlock(); /* read_unlock(&mrt_lock) */

                    if (CopyToUser(arg, vr) != 0)
                        return -EFAULT;
                    return 0;
                }
                Helpers.MrtLock.Unlock();
                return -EADDRNOTAVAIL;
            case SIOCGETSGCNT:
                if (CopyFromUser(sr, arg) != 0)
                    return -EFAULT;

                Helpers.MrtLock.Lock(); /* read_lock(&mrt_lock) */
                c = Helpers.IpmrCacheFind(BitConverter.ToUInt32(sr, 0), BitConverter.ToUInt32(sr, 4));
                if (c != null)
                {
                    BitConverter.TryWriteBytes(sr.AsSpan(8, 8), c.Pkt);
                    BitConverter.TryWriteBytes(sr.AsSpan(16, 8), c.Bytes);
                    BitConverter.TryWriteBytes(sr.AsSpan(24, 8), c.WrongIf);
                    Helpers.MrtLock.Unlock(); /* read_unlock(&mrt_lock) */

                    if (CopyToUser(arg, sr) != 0)
                        return -EFAULT;
                    return 0;
                }
                Helpers.MrtLock.Unlock();
                return -EADDRNOTAVAIL;
            default:
                return -ENOIOCTLCMD;
        }
    }
}

public static class Wext
{
    public const uint SIOCSIWESSID = 0x8B1A;
    public const uint SIOCGIWESSID = 0x8B1B;
    public const uint SIOCSIWNICKN = 0x8B1C;
    public const uint SIOCGIWNICKN = 0x8B1D;
    public const uint SIOCSIWENCODEEXT = 0x8B34;

    public const int IW_ESSID_MAX_SIZE = 32;
    public const int IW_DESCR_FLAG_EVENT = 0x0002;
    public const int IW_DESCR_FLAG_RESTRICT = 0x0004;
    public const int IW_DESCR_FLAG_NOMAX = 0x0008;

    /// <summary>sizeof(struct iw_encode_ext) and offsetof(.., key_len): ext_flags, tx_seq[8], rx_seq[8],
    /// struct sockaddr addr, __u16 alg, __u16 key_len.</summary>
    public const int SZ_IW_ENCODE_EXT = 40;
    public const int OFFSETOF_KEY_LEN = 38;

    /// <summary>sizeof(struct iwreq): ifr_name[IFNAMSIZ] and the 16-byte union iwreq_data.</summary>
    public const int SZ_IWREQ = 32;
    public const int IFNAMSIZ = 16;

    // net/wireless/wext-core.c, ioctl_standard_iw_point(), v4.x. Correct: for a SET the token count is checked
    // against the descriptor's bounds, for a GET the user's length is saved and checked before the copy out, the
    // buffer is sized from the descriptor (or the user's length for NOMAX, a __u16 times a kernel token size),
    // and every copy is tested. The WE-21 ESSID peek copies the same bytes the SET copies again later: the first
    // copy only decides whether to drop a trailing NUL from the count (essid_compat), the second is bounded by
    // the count checked afterwards and lands in a kzalloc()ed buffer, so a value changed in between cannot get
    // past a check: a harmless re-read, not a double-fetch defect.
    public static int IoctlStandardIwPoint(Helpers.IwPoint iwp, uint cmd, Helpers.IwIoctlDescription descr,
        Helpers.IwHandler handler, Helpers.NetDevice dev, Helpers.IwRequestInfo info) // expect: none
    {
        int err, extra_size, user_length = 0, essid_compat = 0;
        byte[] extra;

        /* Calculate space needed by arguments. Always allocate
         * for max space.
         */
        extra_size = descr.MaxTokens * descr.TokenSize;

        /* Check need for ESSID compatibility for WE < 21 */
        switch (cmd)
        {
            case SIOCSIWESSID:
            case SIOCGIWESSID:
            case SIOCSIWNICKN:
            case SIOCGIWNICKN:
                if (iwp.Length == descr.MaxTokens + 1)
                    essid_compat = 1;
                else if (Helpers.IW_IS_SET(cmd) && (iwp.Length != 0))
                {
                    byte[] essid = new byte[IW_ESSID_MAX_SIZE + 1];
                    uint len;
                    len = (uint)(iwp.Length * descr.TokenSize);

                    if (len > IW_ESSID_MAX_SIZE)
                        return -EFAULT;

                    err = CopyFromUser(essid.AsSpan(0, (int)len), iwp.Pointer);
                    if (err != 0)
                        return -EFAULT;

                    if (essid[iwp.Length - 1] == 0)
                        essid_compat = 1;
                }
                break;
            default:
                break;
        }

        iwp.Length -= (ushort)essid_compat;

        /* Check what user space is giving us */
        if (Helpers.IW_IS_SET(cmd))
        {
            /* Check NULL pointer */
            if (iwp.Pointer == UserPtr.Null && iwp.Length != 0)
                return -EFAULT;
            /* Check if number of token fits within bounds */
            if (iwp.Length > descr.MaxTokens)
                return -E2BIG;
            if (iwp.Length < descr.MinTokens)
                return -EINVAL;
        }
        else
        {
            /* Check NULL pointer */
            if (iwp.Pointer == UserPtr.Null)
                return -EFAULT;
            /* Save user space buffer size for checking */
            user_length = iwp.Length;

            /* Don't check if user_length > max to allow forward
             * compatibility. The test user_length < min is
             * implied by the test at the end.
             */

            /* Support for very large requests */
            if ((descr.Flags & IW_DESCR_FLAG_NOMAX) != 0 &&
                (user_length > descr.MaxTokens))
            {
                /* Allow userspace to GET more than max so
                 * we can support any size GET requests.
                 * There is still a limit : -ENOMEM.
                 */
                extra_size = user_length * descr.TokenSize;

                /* Note : user_length is originally a __u16,
                 * and token_size is controlled by us,
                 * so extra_size won't get negative and
                 * won't overflow...
                 */
            }
        }

        /* Sanity-check to ensure we never end up _allocating_ zero
         * bytes of data for extra.
         */
        if (extra_size <= 0)
            return -EFAULT;

        /* kzalloc() ensures NULL-termination for essid_compat. */
        extra = Kmalloc(extra_size, Gfp.Kernel);
        if (extra == null)
            return -ENOMEM;

        /* If it is a SET, get all the extra data in here */
        if (Helpers.IW_IS_SET(cmd) && (iwp.Length != 0))
        {
            if (CopyFromUser(extra.AsSpan(0, iwp.Length * descr.TokenSize), iwp.Pointer) != 0)
            {
                err = -EFAULT;
                goto @out;
            }

            if (cmd == SIOCSIWENCODEEXT)
            {
                ushort keyLen = BitConverter.ToUInt16(extra, OFFSETOF_KEY_LEN);

                if (iwp.Length < SZ_IW_ENCODE_EXT + keyLen)
                {
                    err = -EFAULT;
                    goto @out;
                }
            }
        }

        if (Helpers.IW_IS_GET(cmd) && (descr.Flags & IW_DESCR_FLAG_NOMAX) == 0)
        {
            /*
             * If this is a GET, but not NOMAX, it means that the extra
             * data is not bounded by userspace, but by max_tokens. Thus
             * set the length to max_tokens. This matches the extra data
             * allocation.
             */
            iwp.Length = (ushort)descr.MaxTokens;
        }

        err = Helpers.CallIwHandler(handler, dev, info, iwp, extra);

        iwp.Length += (ushort)essid_compat;

        /* If we have something to return to the user */
        if (err == 0 && Helpers.IW_IS_GET(cmd))
        {
            /* Check if there is enough buffer up there */
            if (user_length < iwp.Length)
            {
                err = -E2BIG;
                goto @out;
            }

            if (CopyToUser(iwp.Pointer, extra.AsSpan(0, iwp.Length * descr.TokenSize)) != 0)
            {
                err = -EFAULT;
                goto @out;
            }
        }

        /* Generate an event to notify listeners of the change */
        if ((descr.Flags & IW_DESCR_FLAG_EVENT) != 0 &&
            ((err == 0) || (err == -EIWCOMMIT)))
        {
            if ((descr.Flags & IW_DESCR_FLAG_RESTRICT) != 0)
                /* If the event is restricted, don't
                 * export the payload.
                 */
                Helpers.WirelessSendEvent(dev, cmd, iwp, null);
            else
                Helpers.WirelessSendEvent(dev, cmd, iwp, extra);
        }

    @out:
        /* kfree(extra); */
        return err;
    }

    // net/wireless/wext-core.c, wext_handle_ioctl(), v4.x. Correct: struct iwreq is copied in once, the name
    // terminated, the dispatch (under rtnl_lock(), a mutex) works on the kernel copy, and a GET copies it back
    // after the dispatch, tested.
    public static int WextHandleIoctl(Helpers.Net net, uint cmd, UserPtr arg) // expect: none
    {
        Helpers.IwRequestInfo info = new Helpers.IwRequestInfo { Cmd = cmd, Flags = 0 };
        byte[] iwr = new byte[SZ_IWREQ];
        int ret;

        if (CopyFromUser(iwr, arg) != 0)
            return -EFAULT;

        iwr[IFNAMSIZ - 1] = 0;

        ret = Helpers.WextIoctlDispatch(net, iwr, cmd, info);
        if (ret >= 0 &&
            Helpers.IW_IS_GET(cmd) &&
            CopyToUser(arg, iwr) != 0)
            return -EFAULT;

        return ret;
    }
}

public static class Ebtables
{
    /// <summary>sizeof(struct ebt_counter): u64 pcnt, bcnt.</summary>
    public const int SZ_EBT_COUNTER = 16;

    // net/bridge/netfilter/ebtables.c, do_update_counters() (EBT_SO_SET_COUNTERS), v4.19 to v5.8 (before
    // Christoph Hellwig dropped the unused user argument). Correct: num_counters is checked against the table
    // under ebt_mutex (a sleeping lock the fault path does not take), the counters are copied in with one tested
    // copy_from_user() of exactly that size, and only the kernel copy is added under write_lock_bh(&t->lock).
    public static int DoUpdateCounters(Helpers.Net net, byte[] name, UserPtr counters, uint num_counters,
        UserPtr user, uint len) // expect: none
    {
        int i, ret;
        byte[]? tmp;
        Helpers.EbtTable? t;

        if (num_counters == 0)
            return -EINVAL;

        tmp = Helpers.Vmalloc(num_counters * SZ_EBT_COUNTER); /* array_size(num_counters, sizeof(*tmp)) */
        if (tmp == null)
            return -ENOMEM;

        t = Helpers.FindTableLock(net, name, out ret);
        if (t == null)
            goto free_tmp;

        if (num_counters != t.Nentries)
        {
            ret = -EINVAL;
            goto unlock_mutex;
        }

        if (CopyFromUser(tmp.AsSpan(0, (int)(num_counters * SZ_EBT_COUNTER)), counters) != 0)
        {
            ret = -EFAULT;
            goto unlock_mutex;
        }

        /* we want an atomic add of the counters */
        t.Lock.Lock(); /* write_lock_bh(&t->lock) */

        /* we add to the counters of the first cpu */
        for (i = 0; i < num_counters; i++)
        {
            t.Pcnt[i] += BitConverter.ToUInt64(tmp, i * SZ_EBT_COUNTER);
            t.Bcnt[i] += BitConverter.ToUInt64(tmp, i * SZ_EBT_COUNTER + 8);
        }

        t.Lock.Unlock(); /* write_unlock_bh(&t->lock) */
        ret = 0;
    unlock_mutex:
        Helpers.EbtMutexUnlock(); /* mutex_unlock(&ebt_mutex) */
    free_tmp:
        Helpers.Vfree(tmp);
        return ret;
    }
}

public static class X25
{
    public const uint SIOCX25GSUBSCRIP = 0x89E0;
    public const uint SIOCX25SSUBSCRIP = 0x89E1;

    /// <summary>struct x25_subscrip_struct: char device[200 - sizeof(unsigned long)], unsigned long
    /// global_facil_mask, unsigned int extended.</summary>
    public const int SZ_X25_SUBSCRIP = 208;
    public const int OFFSETOF_GLOBAL_FACIL_MASK = 192;
    public const int OFFSETOF_EXTENDED = 200;

    // net/x25/x25_link.c, x25_subscr_ioctl(), v2.6.3x to v5.3. Correct: the request is copied in once, the
    // neighbour's fields are read under read_lock_bh(&x25_neigh_list_lock) and the copy_to_user() comes after
    // read_unlock_bh(); the SET path writes the kernel copy's values under the write lock, no user access inside.
    public static int X25SubscrIoctl(uint cmd, UserPtr arg) // expect: none
    {
        byte[] x25_subscr = new byte[SZ_X25_SUBSCRIP];
        Helpers.X25Neigh? nb;
        Helpers.NetDevice? dev;
        int rc = -EINVAL;

        if (cmd != SIOCX25GSUBSCRIP && cmd != SIOCX25SSUBSCRIP)
            goto @out;

        rc = -EFAULT;
        if (CopyFromUser(x25_subscr, arg) != 0)
            goto @out;

        rc = -EINVAL;
        if ((dev = Helpers.X25DevGet(x25_subscr)) == null)
            goto @out;

        if ((nb = Helpers.X25GetNeigh(dev)) == null)
            goto out_dev_put;

        /* dev_put(dev); */

        if (cmd == SIOCX25GSUBSCRIP)
        {
            Helpers.X25NeighListLock.Lock(); /* read_lock_bh(&x25_neigh_list_lock) */
            BitConverter.TryWriteBytes(x25_subscr.AsSpan(OFFSETOF_EXTENDED, 4), nb.Extended);
            BitConverter.TryWriteBytes(x25_subscr.AsSpan(OFFSETOF_GLOBAL_FACIL_MASK, 8), nb.GlobalFacilMask);
            Helpers.X25NeighListLock.Unlock(); /* read_unlock_bh(&x25_neigh_list_lock) */
            rc = CopyToUser(arg, x25_subscr) != 0 ? -EFAULT : 0;
        }
        else
        {
            uint extended = BitConverter.ToUInt32(x25_subscr, OFFSETOF_EXTENDED);

            rc = -EINVAL;
            if (!(extended != 0 && extended != 1))
            {
                rc = 0;
                Helpers.X25NeighListLock.Lock(); /* write_lock_bh(&x25_neigh_list_lock) */
                nb.Extended = extended;
                nb.GlobalFacilMask = BitConverter.ToUInt64(x25_subscr, OFFSETOF_GLOBAL_FACIL_MASK);
                Helpers.X25NeighListLock.Unlock(); /* write_unlock_bh(&x25_neigh_list_lock) */
            }
        }
        Helpers.X25NeighPut(nb);
    @out:
        return rc;
    out_dev_put:
        /* dev_put(dev); */
        goto @out;
    }
}

public static class Helpers
{
    // ---- net/bridge/netfilter/ebtables.c ----

    public sealed class EbtTable
    {
        public KernelSpinlock Lock = new();
        public uint Nentries;
        public ulong[] Pcnt = Array.Empty<ulong>();
        public ulong[] Bcnt = Array.Empty<ulong>();
    }

    /// <summary>find_table_lock(net, name, &amp;ret, &amp;ebt_mutex): the table with ebt_mutex held, or null with
    /// the mutex dropped and *error set (stub: ebt_mutex, a sleeping lock the fault path does not take, is not
    /// modelled).</summary>
    public static EbtTable? FindTableLock(Net net, byte[] name, out int error)
    {
        error = -ENOENT;
        return null;
    }

    /// <summary>mutex_unlock(&amp;ebt_mutex) (stub, see FindTableLock()).</summary>
    public static void EbtMutexUnlock() { }

    // ---- net/x25 ----

    public sealed class X25Neigh
    {
        public uint Extended;
        public ulong GlobalFacilMask;
    }

    /// <summary>x25_neigh_list_lock: DEFINE_RWLOCK, a spinning lock (taken with BH disabled).</summary>
    public static readonly KernelSpinlock X25NeighListLock = new();

    /// <summary>x25_dev_get(x25_subscr.device) (stub).</summary>
    public static NetDevice? X25DevGet(byte[] subscr) => null;

    /// <summary>x25_get_neigh(dev): the neighbour with a reference (stub).</summary>
    public static X25Neigh? X25GetNeigh(NetDevice dev) => null;

    /// <summary>x25_neigh_put() (stub).</summary>
    public static void X25NeighPut(X25Neigh nb) { }

    // ---- net/netfilter/x_tables.c, net/ipv4/netfilter/arp_tables.c ----

    public const int NF_ARP = 3;

    /// <summary>struct xt_table_info: the rule blob; only the entry count matters here.</summary>
    public sealed class XtTableInfo
    {
        public uint Number;
        public ulong[] Counters = Array.Empty<ulong>();
    }

    /// <summary>struct xt_table with its rwlock (write_lock_bh() in the counters paths).</summary>
    public sealed class XtTable
    {
        public KernelSpinlock Lock = new();
        public XtTableInfo Private = new();
    }

    /// <summary>vmalloc() (stub; may sleep); null when out of memory.</summary>
    [MightSleep]
    public static byte[]? Vmalloc(uint size) => new byte[size];

    /// <summary>vfree() (stub).</summary>
    public static void Vfree(byte[]? p) { }

    /// <summary>xt_find_table_lock(): the table by name, with xt[af].mutex held (stub: the mutex is a sleeping
    /// lock the counters paths never copy under); null when not found.</summary>
    public static XtTable? XtFindTableLock(int af, byte[] nameHeader) => null;

    /// <summary>xt_table_unlock(): drops xt[af].mutex (stub).</summary>
    public static void XtTableUnlock(XtTable t) { }

    /// <summary>ARPT_ENTRY_ITERATE(..., add_counter_to_entry, paddc->counters, &amp;i): adds the kernel copy of
    /// the counters to the table's entries, one per entry (stub; kernel memory only).</summary>
    public static void ArptEntryIterateAddCounters(XtTableInfo priv, byte[] paddc, int countersOffset, ref uint i)
    {
        for (; i < priv.Number && countersOffset + (i + 1) * ArpTables.SZ_XT_COUNTERS <= paddc.Length; i++)
            priv.Counters[i] += BitConverter.ToUInt64(paddc, (int)(countersOffset + i * ArpTables.SZ_XT_COUNTERS));
    }

    // ---- net/atm ----

    public const int SS_CONNECTED = 3;

    /// <summary>sizeof(struct atm_dev_stats): three struct atm_aal_stats of five ints.</summary>
    public const int SZ_ATM_DEV_STATS = 60;

    /// <summary>atm_dev_lock (net/atm/common.c, 2.5): a spinlock.</summary>
    public static readonly KernelSpinlock AtmDevLock = new();

    /// <summary>atm_dev_mutex (net/atm/resources.c, v2.6.18 on).</summary>
    public static readonly KernelMutex AtmDevMutex = new();

    /// <summary>atm_devs: the registered ATM devices.</summary>
    public static readonly List<AtmDev> AtmDevs = new();

    public sealed class AtmDev
    {
        public int Number;
        public string Type = "";
        public byte[] TypeZ = new byte[16];
        public byte[] Esi = new byte[Atm.ESI_LEN];
        public byte[] CiRange = new byte[Atm.SZ_ATM_CIRANGE];
        public int LinkRate;
        public bool HasIoctl;
        public byte[] Stats = new byte[SZ_ATM_DEV_STATS];
        public List<byte[]> Local = new();
    }

    public sealed class AtmVcc
    {
        public bool Ready;
        public int SkSndbuf;
        public int TxInuse;
        public long TimestampSec;
        public long TimestampUsec;
    }

    public sealed class AtmSocket
    {
        public int State;
        public AtmVcc Vcc = new();
    }

    public sealed class SkBuff
    {
        public int Len;
    }

    /// <summary>skb_peek(&amp;vcc->recvq) (stub).</summary>
    public static SkBuff? SkbPeek(AtmVcc vcc) => null;

    /// <summary>struct timeval as its bytes.</summary>
    public static byte[] Timeval(long sec, long usec)
    {
        var v = new byte[16];
        BitConverter.TryWriteBytes(v.AsSpan(0, 8), sec);
        BitConverter.TryWriteBytes(v.AsSpan(8, 8), usec);
        return v;
    }

    /// <summary>capable() (stub).</summary>
    public static bool Capable(int cap) => true;

    /// <summary>sigd_attach() (stub: binds the signalling daemon's vcc; no user memory).</summary>
    public static int SigdAttach(AtmVcc vcc) => 0;

    /// <summary>atm_find_dev(): caller holds atm_dev_lock (stub).</summary>
    public static AtmDev? AtmFindDev(int number) => AtmDevs.Find(d => d.Number == number);

    /// <summary>net/atm/common.c fetch_stats(), 2.5: the device statistics copied out, optionally zeroed.</summary>
    public static int FetchStats(AtmDev dev, UserPtr arg, bool zero)
    {
        byte[] tmp = new byte[SZ_ATM_DEV_STATS];
        int error = 0;

        Array.Copy(dev.Stats, tmp, SZ_ATM_DEV_STATS);
        if (arg != UserPtr.Null)
            error = CopyToUser(arg, tmp);
        if (zero && error == 0)
            Array.Clear(dev.Stats, 0, SZ_ATM_DEV_STATS);
        return error != 0 ? -EFAULT : 0;
    }

    /// <summary>net/atm/addr.c get_addr(), 2.4/2.5: the local addresses copied out one by one, up to size bytes;
    /// the total, -E2BIG or -EFAULT.</summary>
    public static int GetAddr(AtmDev dev, UserPtr u_buf, int size)
    {
        int total = 0;

        foreach (byte[] walk in dev.Local)
        {
            total += Atm.SZ_SOCKADDR_ATMSVC;
            if (total > size) return -E2BIG;
            if (CopyToUser(u_buf, walk.AsSpan(0, Atm.SZ_SOCKADDR_ATMSVC)) != 0)
                return -EFAULT;
            u_buf += Atm.SZ_SOCKADDR_ATMSVC;
        }
        return total;
    }

    /// <summary>reset_addr(), add_addr(), del_addr() (stubs: the device's address list).</summary>
    public static void ResetAddr(AtmDev dev) => dev.Local.Clear();
    public static int AddAddr(AtmDev dev, byte[] addr) { dev.Local.Add(addr); return 0; }
    public static int DelAddr(AtmDev dev, byte[] addr) => 0;

    /// <summary>__ATM_LM_XTRMT() and __ATM_LM_XTLOC(): the loopback mode fields.</summary>
    public static int AtmLmXtrmt(int v) => (v >> 8) & 0xff;
    public static int AtmLmXtloc(int v) => v & 0xff;

    /// <summary>dev->ops->ioctl() (stub: the driver's own ioctl, not modelled).</summary>
    public static int DevOpsIoctl(AtmDev dev, uint cmd, UserPtr buf) => -ENOIOCTLCMD;

    // ---- net/bridge ----

    public sealed class NetBridge
    {
    }

    /// <summary>br_fdb_fillbuf(): up to maxnum entries after offset into buf, under rcu_read_lock() (stub).</summary>
    public static int BrFdbFillbuf(NetBridge br, byte[] buf, ulong maxnum, ulong offset) => 0;

    // ---- net/ipv4/ipmr.c ----

    public sealed class Sock
    {
    }

    public sealed class VifDevice
    {
        public bool HasDev;
        public ulong BytesIn, BytesOut, PktIn, PktOut;
    }

    public sealed class MfcCache
    {
        public ulong Pkt, Bytes, WrongIf;
    }

    /// <summary>mrt_lock: DEFINE_RWLOCK, taken for read here (a spinning lock).</summary>
    public static readonly KernelSpinlock MrtLock = new();

    public static int MaxVif;
    public static readonly VifDevice[] VifTable = new VifDevice[32];
    public static int MrouteDoAssert;
    public static int MrouteDoPim;

    /// <summary>VIF_EXISTS(idx).</summary>
    public static bool VifExists(int idx) => VifTable[idx] != null && VifTable[idx].HasDev;

    /// <summary>ipmr_cache_find(): under mrt_lock (stub).</summary>
    public static MfcCache? IpmrCacheFind(uint origin, uint mcastgrp) => null;

    // ---- net/wireless/wext-core.c ----

    /// <summary>IW_IS_SET(cmd) and IW_IS_GET(cmd): even commands set, odd ones get.</summary>
    public static bool IW_IS_SET(uint cmd) => (cmd & 0x1) == 0;
    public static bool IW_IS_GET(uint cmd) => (cmd & 0x1) != 0;

    /// <summary>struct iw_point, in the kernel's copy of struct iwreq.</summary>
    public sealed class IwPoint
    {
        public UserPtr Pointer;
        public ushort Length;
        public ushort Flags;
    }

    /// <summary>struct iw_ioctl_description.</summary>
    public sealed class IwIoctlDescription
    {
        public int HeaderType;
        public int TokenSize;
        public int MinTokens;
        public int MaxTokens;
        public int Flags;
    }

    public sealed class IwRequestInfo
    {
        public uint Cmd;
        public int Flags;
    }

    public sealed class NetDevice
    {
    }

    public sealed class Net
    {
    }

    /// <summary>iw_handler: the driver's handler, on kernel buffers only.</summary>
    public delegate int IwHandler(NetDevice dev, IwRequestInfo info, IwPoint wrqu, byte[] extra);

    /// <summary>handler(dev, info, (union iwreq_data *) iwp, extra).</summary>
    public static int CallIwHandler(IwHandler handler, NetDevice dev, IwRequestInfo info, IwPoint iwp, byte[] extra) =>
        handler(dev, info, iwp, extra);

    /// <summary>wireless_send_event() (stub: a netlink event from kernel memory).</summary>
    public static void WirelessSendEvent(NetDevice dev, uint cmd, IwPoint wrqu, byte[]? extra) { }

    /// <summary>wext_ioctl_dispatch(): permission check, rtnl_lock(), the handler on the kernel copy of the
    /// iwreq, rtnl_unlock() (stub).</summary>
    public static int WextIoctlDispatch(Net net, byte[] iwr, uint cmd, IwRequestInfo info) => -EOPNOTSUPP;
}
