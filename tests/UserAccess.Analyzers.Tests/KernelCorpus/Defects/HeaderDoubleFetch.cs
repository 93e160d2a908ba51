// Ioctl arguments whose header is copied and checked, then copied again with the rest: drivers/virt/
// vboxguest/vboxguest_linux.c vbg_misc_device_ioctl() before and after bd23a7269834 "virt: vbox: Only
// copy_from_user the request-header once" (CVE-2018-12633, Wenwen Wang, v4.18); net/core/ethtool.c
// ethtool_get_rxnfc() before and after d656fe49e33d "ethtool: fix a potential missing-check bug" (Wenwen
// Wang, v4.19). The device calls and the driver's ethtool_ops are stubs; struct fields are read from the
// kernel's copy at their C offsets.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.HeaderDoubleFetch;

public static class VboxGuest
{
    /* struct vbg_ioctl_hdr: size_in at 0, version at 4, type at 8, rc at 12, size_out at 16, reserved at 20. */
    private const int SIZEOF_VBG_IOCTL_HDR = 24;
    private const uint VBG_IOCTL_HDR_VERSION = 0x10001;
    private const uint SZ_16M = 16 << 20;
    private const int E2BIG = 7;

    // drivers/virt/vboxguest/vboxguest_linux.c, vbg_misc_device_ioctl(), v4.17 (ioc_size is _IOC_SIZE(req)).
    // Buggy: "after the checks a buffer for the entire request would be allocated and then all data
    // including the verified header would be copied from the userspace 'arg' pointer again ... the user
    // can bypass the verifications on the ioctl argument": vbg_core_ioctl() trusts size_in and size_out
    // of the second copy.
    public static int VbgMiscDeviceIoctlV417(Helpers.VbgSession session, uint req, uint iocSize, UserPtr arg)
    {
        long returnedSize, size;
        var hdr = new byte[SIZEOF_VBG_IOCTL_HDR];
        int ret = 0;
        byte[] buf;

        if (CopyFromUser(hdr, arg) != 0)
            return -EFAULT;

        if (BitConverter.ToUInt32(hdr, 4) != VBG_IOCTL_HDR_VERSION)
            return -EINVAL;

        if (BitConverter.ToUInt32(hdr, 0) < SIZEOF_VBG_IOCTL_HDR ||
            (BitConverter.ToUInt32(hdr, 16) != 0 && BitConverter.ToUInt32(hdr, 16) < SIZEOF_VBG_IOCTL_HDR))
            return -EINVAL;

        size = Math.Max(BitConverter.ToUInt32(hdr, 0), BitConverter.ToUInt32(hdr, 16));
        if (iocSize != 0 && iocSize != size)
            return -EINVAL;
        if (size > SZ_16M)
            return -E2BIG;

        buf = new byte[size];

        if (CopyFromUser(buf.AsSpan(0, (int)BitConverter.ToUInt32(hdr, 0)), arg) != 0) // expect: UA3003
        {
            ret = -EFAULT;
            goto out_;
        }
        if (BitConverter.ToUInt32(hdr, 0) < size)
            Array.Clear(buf, (int)BitConverter.ToUInt32(hdr, 0), (int)(size - BitConverter.ToUInt32(hdr, 0)));

        ret = Helpers.VbgCoreIoctl(session, req, buf);
        if (ret != 0)
            goto out_;

        returnedSize = BitConverter.ToUInt32(buf, 16);
        if (returnedSize > size)
        {
            /* vbg_debug("%s: too much output data %zu > %zu\n", ...) */
            returnedSize = size;
        }
        if (CopyToUser(arg, buf.AsSpan(0, (int)returnedSize)) != 0)
            ret = -EFAULT;

    out_:
        return ret;
    }

    // drivers/virt/vboxguest/vboxguest_linux.c, vbg_misc_device_ioctl(), v4.18 (after bd23a7269834).
    // Correct: "using the already checked copy of the header to fill the header part of the allocated
    // buffer and only copying the remainder of the data from userspace".
    public static int VbgMiscDeviceIoctl(Helpers.VbgSession session, uint req, uint iocSize, UserPtr arg) // expect: none
    {
        long returnedSize, size;
        var hdr = new byte[SIZEOF_VBG_IOCTL_HDR];
        int ret = 0;
        byte[] buf;

        if (CopyFromUser(hdr, arg) != 0)
            return -EFAULT;

        if (BitConverter.ToUInt32(hdr, 4) != VBG_IOCTL_HDR_VERSION)
            return -EINVAL;

        if (BitConverter.ToUInt32(hdr, 0) < SIZEOF_VBG_IOCTL_HDR ||
            (BitConverter.ToUInt32(hdr, 16) != 0 && BitConverter.ToUInt32(hdr, 16) < SIZEOF_VBG_IOCTL_HDR))
            return -EINVAL;

        size = Math.Max(BitConverter.ToUInt32(hdr, 0), BitConverter.ToUInt32(hdr, 16));
        if (iocSize != 0 && iocSize != size)
            return -EINVAL;
        if (size > SZ_16M)
            return -E2BIG;

        buf = new byte[size];

        hdr.CopyTo(buf, 0);
        if (CopyFromUser(buf.AsSpan(SIZEOF_VBG_IOCTL_HDR, (int)BitConverter.ToUInt32(hdr, 0) - SIZEOF_VBG_IOCTL_HDR), arg + SIZEOF_VBG_IOCTL_HDR) != 0)
        {
            ret = -EFAULT;
            goto out_;
        }
        if (BitConverter.ToUInt32(hdr, 0) < size)
            Array.Clear(buf, (int)BitConverter.ToUInt32(hdr, 0), (int)(size - BitConverter.ToUInt32(hdr, 0)));

        ret = Helpers.VbgCoreIoctl(session, req, buf);
        if (ret != 0)
            goto out_;

        returnedSize = BitConverter.ToUInt32(buf, 16);
        if (returnedSize > size)
        {
            /* vbg_debug("%s: too much output data %zu > %zu\n", ...) */
            returnedSize = size;
        }
        if (CopyToUser(arg, buf.AsSpan(0, (int)returnedSize)) != 0)
            ret = -EFAULT;

    out_:
        return ret;
    }
}

public static class Ethtool
{
    /* struct ethtool_rxnfc: cmd at 0, flow_type at 4, data at 8, fs at 16, rule_cnt at 184, rule_locs at 188. */
    private const int SIZEOF_ETHTOOL_RXNFC = 192;
    private const int OFFSETOF_DATA = 8;
    private const int OFFSETOF_RULE_CNT = 184;
    private const int OFFSETOF_RULE_LOCS = 188;
    private const uint ETHTOOL_GRXFH = 0x29;
    private const uint ETHTOOL_GRXCLSRLALL = 0x30;
    private const uint FLOW_RSS = 0x20000000;
    private const uint KMALLOC_MAX_SIZE = 1 << 22;
    private const int EOPNOTSUPP = 95;

    // net/core/ethtool.c, ethtool_get_rxnfc(), v4.18. Buggy: for ETHTOOL_GRXFH the short struct is copied,
    // FLOW_RSS is tested in it, and the full struct is copied again over it; "a malicious user can race to
    // change the data after the first copy ... the FLOW_RSS flag could be cleared in the field flow_type",
    // and ops->get_rxnfc() prepares its output by the second flow_type.
    public static int EthtoolGetRxnfcV418(Helpers.NetDevice dev, uint cmd, UserPtr useraddr)
    {
        var info = new byte[SIZEOF_ETHTOOL_RXNFC];
        int infoSize = SIZEOF_ETHTOOL_RXNFC;
        int ret;
        uint[]? ruleBuf = null;

        if (!dev.HasGetRxnfc)
            return -EOPNOTSUPP;

        /* struct ethtool_rxnfc was originally defined for
         * ETHTOOL_{G,S}RXFH with only the cmd, flow_type and data
         * members.  User-space might still be using that
         * definition. */
        if (cmd == ETHTOOL_GRXFH)
            infoSize = OFFSETOF_DATA + sizeof(ulong);

        if (CopyFromUser(info.AsSpan(0, infoSize), useraddr) != 0)
            return -EFAULT;

        /* If FLOW_RSS was requested then user-space must be using the
         * new definition, as FLOW_RSS is newer.
         */
        if (cmd == ETHTOOL_GRXFH && (BitConverter.ToUInt32(info, 4) & FLOW_RSS) != 0)
        {
            infoSize = SIZEOF_ETHTOOL_RXNFC;
            if (CopyFromUser(info.AsSpan(0, infoSize), useraddr) != 0) // expect: UA3003
                return -EFAULT;
        }

        if (BitConverter.ToUInt32(info, 0) == ETHTOOL_GRXCLSRLALL)
        {
            if (BitConverter.ToUInt32(info, OFFSETOF_RULE_CNT) > 0)
            {
                if (BitConverter.ToUInt32(info, OFFSETOF_RULE_CNT) <= KMALLOC_MAX_SIZE / sizeof(uint))
                    ruleBuf = new uint[BitConverter.ToUInt32(info, OFFSETOF_RULE_CNT)];
                if (ruleBuf == null)
                    return -ENOMEM;
            }
        }

        ret = Helpers.GetRxnfc(dev, info, ruleBuf);
        if (ret < 0)
            goto err_out;

        ret = -EFAULT;
        if (CopyToUser(useraddr, info.AsSpan(0, infoSize)) != 0)
            goto err_out;

        if (ruleBuf != null)
        {
            useraddr += OFFSETOF_RULE_LOCS;
            var locs = new byte[BitConverter.ToUInt32(info, OFFSETOF_RULE_CNT) * sizeof(uint)];
            Buffer.BlockCopy(ruleBuf, 0, locs, 0, locs.Length);
            if (CopyToUser(useraddr, locs) != 0)
                goto err_out;
        }
        ret = 0;

    err_out:
        return ret;
    }

    // net/core/ethtool.c, ethtool_get_rxnfc(), v4.19 (after d656fe49e33d). Correct: "Since malicious users
    // may modify the original data, we need to check whether FLOW_RSS is still requested": the second
    // copy is checked as the first was before anything uses it.
    public static int EthtoolGetRxnfc(Helpers.NetDevice dev, uint cmd, UserPtr useraddr) // expect: none
    {
        var info = new byte[SIZEOF_ETHTOOL_RXNFC];
        int infoSize = SIZEOF_ETHTOOL_RXNFC;
        int ret;
        uint[]? ruleBuf = null;

        if (!dev.HasGetRxnfc)
            return -EOPNOTSUPP;

        /* struct ethtool_rxnfc was originally defined for
         * ETHTOOL_{G,S}RXFH with only the cmd, flow_type and data
         * members.  User-space might still be using that
         * definition. */
        if (cmd == ETHTOOL_GRXFH)
            infoSize = OFFSETOF_DATA + sizeof(ulong);

        if (CopyFromUser(info.AsSpan(0, infoSize), useraddr) != 0)
            return -EFAULT;

        /* If FLOW_RSS was requested then user-space must be using the
         * new definition, as FLOW_RSS is newer.
         */
        if (cmd == ETHTOOL_GRXFH && (BitConverter.ToUInt32(info, 4) & FLOW_RSS) != 0)
        {
            infoSize = SIZEOF_ETHTOOL_RXNFC;
            if (CopyFromUser(info.AsSpan(0, infoSize), useraddr) != 0)
                return -EFAULT;
            /* Since malicious users may modify the original data,
             * we need to check whether FLOW_RSS is still requested.
             */
            if ((BitConverter.ToUInt32(info, 4) & FLOW_RSS) == 0)
                return -EINVAL;
        }

        if (BitConverter.ToUInt32(info, 0) == ETHTOOL_GRXCLSRLALL)
        {
            if (BitConverter.ToUInt32(info, OFFSETOF_RULE_CNT) > 0)
            {
                if (BitConverter.ToUInt32(info, OFFSETOF_RULE_CNT) <= KMALLOC_MAX_SIZE / sizeof(uint))
                    ruleBuf = new uint[BitConverter.ToUInt32(info, OFFSETOF_RULE_CNT)];
                if (ruleBuf == null)
                    return -ENOMEM;
            }
        }

        ret = Helpers.GetRxnfc(dev, info, ruleBuf);
        if (ret < 0)
            goto err_out;

        ret = -EFAULT;
        if (CopyToUser(useraddr, info.AsSpan(0, infoSize)) != 0)
            goto err_out;

        if (ruleBuf != null)
        {
            useraddr += OFFSETOF_RULE_LOCS;
            var locs = new byte[BitConverter.ToUInt32(info, OFFSETOF_RULE_CNT) * sizeof(uint)];
            Buffer.BlockCopy(ruleBuf, 0, locs, 0, locs.Length);
            if (CopyToUser(useraddr, locs) != 0)
                goto err_out;
        }
        ret = 0;

    err_out:
        return ret;
    }
}

public static class Helpers
{
    /// <summary>struct vbg_session, reduced to nothing the ioctl path reads here.</summary>
    public sealed class VbgSession
    {
    }

    /// <summary>struct net_device, reduced to whether its ethtool_ops has get_rxnfc.</summary>
    public sealed class NetDevice(bool hasGetRxnfc)
    {
        public bool HasGetRxnfc = hasGetRxnfc;
    }

    /// <summary>vbg_core_ioctl(): handles the request in buf by its header; 0 or an errno.</summary>
    public static int VbgCoreIoctl(VbgSession session, uint req, byte[] buf) => BitConverter.ToUInt32(buf, 0) > (uint)buf.Length ? -EINVAL : 0;

    /// <summary>ops->get_rxnfc(): fills info by its cmd and flow_type; 0 or an errno.</summary>
    public static int GetRxnfc(NetDevice dev, byte[] info, uint[]? ruleLocs) => 0;
}
