// Held out: double fetches across functions in ioctl dispatchers and their handlers, and dispatchers of the same
// shape that are correct:
// - net/core/ethtool.c dev_ethtool() and ethtool_set_per_queue(), v4.16: dev_ethtool() fetches the per-queue
//   sub-command, lets it choose whether CAP_NET_ADMIN is needed, then hands the raw user pointer to
//   ethtool_set_per_queue(), which copies the whole ethtool_per_queue_op again and runs the sub-command it
//   finds there; and both after Wenwen Wang's "ethtool: fix a privilege escalation bug", which hands
//   the checked sub-command to the handler and makes it compare (May 2018);
// - drivers/message/fusion/mptctl.c __mptctl_ioctl() with its test, event, firmware, MPTCOMMAND and reset handlers, v5.4 (before
//   28d76df18f0a "scsi: mptfusion: Fix double fetch bug in ioctl", CVE-2020-12652): the header fetched, the
//   adapter it names checked (and, for MPTCOMMAND, locked), then each handler copies its struct from the same
//   address and looks the adapter up again from the copy (both after the fix are in DataPath.cs);
// - drivers/scsi/mpt3sas/mpt3sas_ctl.c _ctl_ioctl_main() and its handlers, v6.x: the header fetched and the
//   adapter it names looked up and locked; the handlers are handed that adapter and copy their struct again
//   only for fields the dispatcher never tested; MPTCOMMAND compares the re-copied ioc_number with the first
//   (Gen Zhang's "scsi: mpt3sas_ctl: fix double-fetch bug in _ctl_ioctl_main()", 2019): correct;
// - sound/pci/asihpi/hpioctl.c asihpi_hpi_ioctl(), v4.5: the message size fetched into hm->h.size and clamped, then
//   the whole message copied over it from the same address; and the later version that fetches the size into
//   msg_size and writes it over the copy ("Override h.size in case it is changed between two userspace
//   fetches"; the commit id could not be pinned here).
// Adapters, firmware messages, queues and drivers are stubs; the user pointers, the copies, their checks, the
// locks and the control flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.DispatchHandlers;

/// <summary>The errnos these paths return that the runtime does not define.</summary>
public static class DispErrno
{
    public const int EPERM = 1;
    public const int ENXIO = 6;
    public const int ENODEV = 19;
    public const int ENODATA = 61;
    public const int EOPNOTSUPP = 95;
    public const int ERESTARTSYS = 512;
    public const int ENOIOCTLCMD = 515;
}

public static class Ethtool
{
    /* include/uapi/linux/ethtool.h */
    public const uint ETHTOOL_GSET = 0x00000001;
    public const uint ETHTOOL_GDRVINFO = 0x00000003;
    public const uint ETHTOOL_GMSGLVL = 0x00000007;
    public const uint ETHTOOL_GLINK = 0x0000000a;
    public const uint ETHTOOL_GCOALESCE = 0x0000000e;
    public const uint ETHTOOL_SCOALESCE = 0x0000000f;
    public const uint ETHTOOL_GRINGPARAM = 0x00000010;
    public const uint ETHTOOL_GPAUSEPARAM = 0x00000012;
    public const uint ETHTOOL_GRXCSUM = 0x00000014;
    public const uint ETHTOOL_GTXCSUM = 0x00000016;
    public const uint ETHTOOL_GSG = 0x00000018;
    public const uint ETHTOOL_GSTRINGS = 0x0000001b;
    public const uint ETHTOOL_GSTATS = 0x0000001d;
    public const uint ETHTOOL_GTSO = 0x0000001e;
    public const uint ETHTOOL_GPERMADDR = 0x00000020;
    public const uint ETHTOOL_GGSO = 0x00000023;
    public const uint ETHTOOL_GFLAGS = 0x00000025;
    public const uint ETHTOOL_GPFLAGS = 0x00000027;
    public const uint ETHTOOL_GRXFH = 0x00000029;
    public const uint ETHTOOL_GGRO = 0x0000002b;
    public const uint ETHTOOL_GRXRINGS = 0x0000002d;
    public const uint ETHTOOL_GRXCLSRLCNT = 0x0000002e;
    public const uint ETHTOOL_GRXCLSRULE = 0x0000002f;
    public const uint ETHTOOL_GRXCLSRLALL = 0x00000030;
    public const uint ETHTOOL_GSSET_INFO = 0x00000037;
    public const uint ETHTOOL_GRXFHINDIR = 0x00000038;
    public const uint ETHTOOL_GFEATURES = 0x0000003a;
    public const uint ETHTOOL_GCHANNELS = 0x0000003c;
    public const uint ETHTOOL_GET_TS_INFO = 0x00000041;
    public const uint ETHTOOL_GEEE = 0x00000044;
    public const uint ETHTOOL_GRSSH = 0x00000046;
    public const uint ETHTOOL_GTUNABLE = 0x00000048;
    public const uint ETHTOOL_GPHYSTATS = 0x0000004a;
    public const uint ETHTOOL_PERQUEUE = 0x0000004b;
    public const uint ETHTOOL_GLINKSETTINGS = 0x0000004c;
    public const uint ETHTOOL_PHY_GTUNABLE = 0x0000004e;
    public const uint ETHTOOL_GFECPARAM = 0x00000050;

    /* struct ethtool_per_queue_op: cmd at 0, sub_command at 4, queue_mask[MAX_NUM_QUEUE / 32] at 8, data[]. */
    private const int MAX_NUM_QUEUE = 4096;
    public const int SIZEOF_ETHTOOL_PER_QUEUE_OP = 8 + MAX_NUM_QUEUE / 32 * 4;

    private const int CAP_NET_ADMIN = 12;

    // net/core/ethtool.c, dev_ethtool(), v4.16 (before Wenwen Wang's "ethtool: fix a privilege escalation bug",
    // May 2018). Buggy: "the eth command 'ethcmd' is firstly copied from the use-space buffer 'useraddr' and checked
    // to see whether it is ETHTOOL_PERQUEUE. If yes, the sub-command 'sub_cmd' is further copied from the user
    // space. ... according to 'sub_cmd', a permission check is enforced through the function ns_capable()";
    // ethtool_set_per_queue() is then handed useraddr and copies the sub-command again: "the attacker can supply
    // ETHTOOL_PERQUEUE and ETHTOOL_GCOALESCE to bypass the permission check in dev_ethtool(). Then before
    // ethtool_set_per_queue() is called, the attacker changes ETHTOOL_GCOALESCE to ETHTOOL_SCOALESCE." The other
    // commands' handlers are one stub (each copies its own struct, whose cmd field none of them reads).
    public static int DevEthtoolV416(Helpers.Net net, Helpers.Ifreq ifr)
    {
        Helpers.NetDevice? dev = Helpers.DevGetByName(net, ifr.IfrName);
        UserPtr useraddr = ifr.IfrData;
        uint ethcmd, subCmd;
        int rc;
        ulong oldFeatures;

        if (dev == null || !Helpers.NetifDevicePresent(dev))
            return -DispErrno.ENODEV;

        if (CopyFromUser(out ethcmd, useraddr.Cast<uint>()) != 0)
            return -EFAULT;

        if (ethcmd == ETHTOOL_PERQUEUE)
        {
            if (CopyFromUser(out subCmd, (useraddr + 4).Cast<uint>()) != 0)
                return -EFAULT;
        }
        else
        {
            subCmd = ethcmd;
        }
        /* Allow some commands to be done by anyone */
        switch (subCmd)
        {
            case ETHTOOL_GSET:
            case ETHTOOL_GDRVINFO:
            case ETHTOOL_GMSGLVL:
            case ETHTOOL_GLINK:
            case ETHTOOL_GCOALESCE:
            case ETHTOOL_GRINGPARAM:
            case ETHTOOL_GPAUSEPARAM:
            case ETHTOOL_GRXCSUM:
            case ETHTOOL_GTXCSUM:
            case ETHTOOL_GSG:
            case ETHTOOL_GSSET_INFO:
            case ETHTOOL_GSTRINGS:
            case ETHTOOL_GSTATS:
            case ETHTOOL_GPHYSTATS:
            case ETHTOOL_GTSO:
            case ETHTOOL_GPERMADDR:
            case ETHTOOL_GGSO:
            case ETHTOOL_GGRO:
            case ETHTOOL_GFLAGS:
            case ETHTOOL_GPFLAGS:
            case ETHTOOL_GRXFH:
            case ETHTOOL_GRXRINGS:
            case ETHTOOL_GRXCLSRLCNT:
            case ETHTOOL_GRXCLSRULE:
            case ETHTOOL_GRXCLSRLALL:
            case ETHTOOL_GRXFHINDIR:
            case ETHTOOL_GRSSH:
            case ETHTOOL_GFEATURES:
            case ETHTOOL_GCHANNELS:
            case ETHTOOL_GET_TS_INFO:
            case ETHTOOL_GEEE:
            case ETHTOOL_GTUNABLE:
            case ETHTOOL_PHY_GTUNABLE:
            case ETHTOOL_GLINKSETTINGS:
            case ETHTOOL_GFECPARAM:
                break;
            default:
                if (!Helpers.NsCapable(net.UserNs, CAP_NET_ADMIN))
                    return -DispErrno.EPERM;
                break;
        }

        if (dev.HasBegin)
        {
            rc = Helpers.EthtoolOpsBegin(dev);
            if (rc < 0)
                return rc;
        }
        oldFeatures = dev.Features;

        switch (ethcmd)
        {
            case ETHTOOL_PERQUEUE:
                rc = EthtoolSetPerQueueV416(dev, useraddr); // expect: UA3003
                break;
            default:
                /* ETHTOOL_GSET ... ETHTOOL_SFECPARAM: rc = ethtool_xxx(dev, useraddr[, ethcmd]); or -EOPNOTSUPP */
                rc = Helpers.EthtoolOtherCommand(dev, ethcmd, useraddr);
                break;
        }

        if (dev.HasComplete)
            Helpers.EthtoolOpsComplete(dev);

        if (oldFeatures != dev.Features)
            Helpers.NetdevFeaturesChange(dev);

        return rc;
    }

    // net/core/ethtool.c, ethtool_set_per_queue(), v4.16 (ETHTOOL_PERQUEUE, called by dev_ethtool() above after it
    // checked the permission for the sub-command it fetched). The per-queue op is copied once here and its
    // sub-command chosen from the copy; the double fetch is labelled at the call in dev_ethtool() that hands it
    // the checked pointer: on its own it reads the struct once.
    public static int EthtoolSetPerQueueV416(Helpers.NetDevice dev, UserPtr useraddr) // expect: none
    {
        var perQueueOpt = new byte[SIZEOF_ETHTOOL_PER_QUEUE_OP];

        if (CopyFromUser(perQueueOpt, useraddr) != 0)
            return -EFAULT;

        switch (BitConverter.ToUInt32(perQueueOpt, 4))
        {
            case ETHTOOL_GCOALESCE:
                return Helpers.EthtoolGetPerQueueCoalesce(dev, useraddr, perQueueOpt);
            case ETHTOOL_SCOALESCE:
                return Helpers.EthtoolSetPerQueueCoalesce(dev, useraddr, perQueueOpt);
            default:
                return -DispErrno.EOPNOTSUPP;
        }
    }

    // net/core/ethtool.c, dev_ethtool(), after "ethtool: fix a privilege escalation bug" (the release that carries
    // it; otherwise as above). Correct: the
    // sub-command whose permission was checked is handed to ethtool_set_per_queue(), which refuses a copy that
    // names another.
    public static int DevEthtool(Helpers.Net net, Helpers.Ifreq ifr) // expect: none
    {
        Helpers.NetDevice? dev = Helpers.DevGetByName(net, ifr.IfrName);
        UserPtr useraddr = ifr.IfrData;
        uint ethcmd, subCmd;
        int rc;
        ulong oldFeatures;

        if (dev == null || !Helpers.NetifDevicePresent(dev))
            return -DispErrno.ENODEV;

        if (CopyFromUser(out ethcmd, useraddr.Cast<uint>()) != 0)
            return -EFAULT;

        if (ethcmd == ETHTOOL_PERQUEUE)
        {
            if (CopyFromUser(out subCmd, (useraddr + 4).Cast<uint>()) != 0)
                return -EFAULT;
        }
        else
        {
            subCmd = ethcmd;
        }
        /* Allow some commands to be done by anyone */
        switch (subCmd)
        {
            case ETHTOOL_GSET:
            case ETHTOOL_GDRVINFO:
            case ETHTOOL_GMSGLVL:
            case ETHTOOL_GLINK:
            case ETHTOOL_GCOALESCE:
            case ETHTOOL_GRINGPARAM:
            case ETHTOOL_GPAUSEPARAM:
            case ETHTOOL_GRXCSUM:
            case ETHTOOL_GTXCSUM:
            case ETHTOOL_GSG:
            case ETHTOOL_GSSET_INFO:
            case ETHTOOL_GSTRINGS:
            case ETHTOOL_GSTATS:
            case ETHTOOL_GPHYSTATS:
            case ETHTOOL_GTSO:
            case ETHTOOL_GPERMADDR:
            case ETHTOOL_GGSO:
            case ETHTOOL_GGRO:
            case ETHTOOL_GFLAGS:
            case ETHTOOL_GPFLAGS:
            case ETHTOOL_GRXFH:
            case ETHTOOL_GRXRINGS:
            case ETHTOOL_GRXCLSRLCNT:
            case ETHTOOL_GRXCLSRULE:
            case ETHTOOL_GRXCLSRLALL:
            case ETHTOOL_GRXFHINDIR:
            case ETHTOOL_GRSSH:
            case ETHTOOL_GFEATURES:
            case ETHTOOL_GCHANNELS:
            case ETHTOOL_GET_TS_INFO:
            case ETHTOOL_GEEE:
            case ETHTOOL_GTUNABLE:
            case ETHTOOL_PHY_GTUNABLE:
            case ETHTOOL_GLINKSETTINGS:
            case ETHTOOL_GFECPARAM:
                break;
            default:
                if (!Helpers.NsCapable(net.UserNs, CAP_NET_ADMIN))
                    return -DispErrno.EPERM;
                break;
        }

        if (dev.HasBegin)
        {
            rc = Helpers.EthtoolOpsBegin(dev);
            if (rc < 0)
                return rc;
        }
        oldFeatures = dev.Features;

        switch (ethcmd)
        {
            case ETHTOOL_PERQUEUE:
                rc = EthtoolSetPerQueue(dev, useraddr, subCmd);
                break;
            default:
                /* ETHTOOL_GSET ... ETHTOOL_SFECPARAM: rc = ethtool_xxx(dev, useraddr[, ethcmd]); or -EOPNOTSUPP */
                rc = Helpers.EthtoolOtherCommand(dev, ethcmd, useraddr);
                break;
        }

        if (dev.HasComplete)
            Helpers.EthtoolOpsComplete(dev);

        if (oldFeatures != dev.Features)
            Helpers.NetdevFeaturesChange(dev);

        return rc;
    }

    // net/core/ethtool.c, ethtool_set_per_queue(), after "ethtool: fix a privilege escalation bug" (later kernels
    // mark it noinline_for_stack).
    // Correct: "This patch enforces a check in ethtool_set_per_queue() after the second copy from 'useraddr'. If
    // the sub-command is different from the one obtained in the first copy in dev_ethtool(), an error code EINVAL
    // will be returned."
    public static int EthtoolSetPerQueue(Helpers.NetDevice dev, UserPtr useraddr, uint subCmd) // expect: none
    {
        var perQueueOpt = new byte[SIZEOF_ETHTOOL_PER_QUEUE_OP];

        if (CopyFromUser(perQueueOpt, useraddr) != 0)
            return -EFAULT;

        if (BitConverter.ToUInt32(perQueueOpt, 4) != subCmd)
            return -EINVAL;

        switch (BitConverter.ToUInt32(perQueueOpt, 4))
        {
            case ETHTOOL_GCOALESCE:
                return Helpers.EthtoolGetPerQueueCoalesce(dev, useraddr, perQueueOpt);
            case ETHTOOL_SCOALESCE:
                return Helpers.EthtoolSetPerQueueCoalesce(dev, useraddr, perQueueOpt);
            default:
                return -DispErrno.EOPNOTSUPP;
        }
    }
}

public static class Mptctl
{
    private const int CAN_SLEEP = 1;
    private const int MPTCTL_EVENT_LOG_SIZE = 0x000000032;

    /* mpt_ioctl_header: iocnum at 0, port at 4, maxDataSize at 8; struct mpt_ioctl_diag_reset is the header. */
    private const int SIZEOF_MPT_IOCTL_HEADER = 12;
    private const int SIZEOF_MPT_IOCTL_DIAG_RESET = 12;
    /* struct mpt_ioctl_eventquery: hdr, eventEntries (u16) at 12, reserved, eventTypes (u32) at 16. */
    private const int SIZEOF_MPT_IOCTL_EVENTQUERY = 20;
    /* struct mpt_ioctl_eventenable: hdr, eventTypes (u32) at 12. */
    private const int SIZEOF_MPT_IOCTL_EVENTENABLE = 16;
    /* struct mpt_ioctl_eventreport: hdr, eventData[1] (MPT_IOCTL_EVENTS, 16 bytes) at 12. */
    private const int SIZEOF_MPT_IOCTL_EVENTREPORT = 28;
    private const int SIZEOF_MPT_IOCTL_EVENTS = 16;
    /* struct mpt_ioctl_command (64-bit): hdr, timeout at 12, four buffer pointers at 16..48, maxReplyBytes,
     * dataInSize, dataOutSize, maxSenseBytes, dataSgeOffset at 48..68, MF[1] at 68. */
    private const int SIZEOF_MPT_IOCTL_COMMAND = 72;
    private const int OFFSETOF_MPT_IOCTL_COMMAND_MF = 68;
    /* struct mpt_ioctl_test: hdr, chip_type at 12, name[32] at 13, product[32] at 45 (layout as used here). */
    private const int SIZEOF_MPT_IOCTL_TEST = 80;
    private const int MPT_MAX_NAME = 32;
    private const int MPT_PRODUCT_LENGTH = 32;
    /* struct mpt_ioctl_replace_fw: hdr, newImageSize at 12, newImage[1] at 16. */
    private const int SIZEOF_MPT_IOCTL_REPLACE_FW = 20;
    private const int OFFSETOF_MPT_IOCTL_REPLACE_FW_NEWIMAGE = 16;
    /* struct mpt_fw_xfer: iocnum at 0, fwlen at 4, bufp (a user pointer) at 8. */
    private const int SIZEOF_MPT_FW_XFER = 16;

    /* The _IOC encodings of drivers/message/fusion/mptctl.h (size field 16..29). */
    private const uint IOCSIZE_MASK = 0x3fff0000;
    private const uint MPTIOCINFO = 0xc0006d11;
    private const uint MPTTARGETINFO = 0xc0006d12;
    private const uint MPTTEST = 0xc0006d13;
    private const uint MPTEVENTQUERY = 0xc0006d15;
    private const uint MPTEVENTENABLE = 0xc0006d16;
    private const uint MPTEVENTREPORT = 0xc0006d17;
    private const uint MPTHARDRESET = 0x40006d18;
    private const uint MPTFWREPLACE = 0xc0006d19;
    private const uint MPTFWDOWNLOAD = 0xc0006d0f;
    private const uint MPTCOMMAND = 0xc0006d14;
    private const uint HP_GETHOSTINFO = 0x80006d14;
    private const uint HP_GETTARGETINFO = 0x80006d15;

    // drivers/message/fusion/mptctl.c, __mptctl_ioctl(), v5.4 (before 28d76df18f0a, CVE-2020-12652), with its
    // MPTTEST, MPTEVENTQUERY, MPTEVENTENABLE, MPTEVENTREPORT, MPTFWREPLACE, MPTFWDOWNLOAD, MPTCOMMAND and MPTHARDRESET handlers
    // translated below (the others are stubs
    // that read nothing, and carry no label). Buggy: "we look up "iocp" then, in the called functions we do a
    // second copy_from_user() and look it up again": each handler copies its struct from arg again and works on
    // the adapter its copy names, which need not be the one checked active here or, for MPTCOMMAND, the one whose
    // ioctl_cmds.mutex is held.
    public static long MptctlIoctlV54(Helpers.MptFile file, uint cmd, ulong arg)
    {
        UserPtr uhdr = new UserPtr(arg);
        var khdr = new byte[SIZEOF_MPT_IOCTL_HEADER];
        int iocnum;
        uint iocnumX;
        bool nonblock = file.NonBlock;
        int ret;
        Helpers.MptAdapter? iocp = null;

        if (CopyFromUser(khdr, uhdr) != 0)
        {
            /* printk(KERN_ERR MYNAM "%s::mptctl_ioctl() @%d - Unable to copy mpt_ioctl_header data @ %p\n", ...); */
            return -EFAULT;
        }
        ret = -DispErrno.ENXIO; /* (-6) No such device or address */

        /* Verify intended MPT adapter - set iocnum and the adapter
         * pointer (iocp)
         */
        iocnumX = BitConverter.ToUInt32(khdr, 0) & 0xFF;
        if (((iocnum = Helpers.MptVerifyAdapter((int)iocnumX, out iocp)) < 0) ||
            (iocp == null))
            return -DispErrno.ENODEV;

        if (!iocp.Active)
        {
            /* printk(KERN_DEBUG MYNAM "%s::mptctl_ioctl() @%d - Controller disabled.\n", ...); */
            return -EFAULT;
        }

        /* Handle those commands that are just returning
         * information stored in the driver.
         * These commands should never time out and are unaffected
         * by TM and FW reloads.
         */
        if ((cmd & ~IOCSIZE_MASK) == (MPTIOCINFO & ~IOCSIZE_MASK))
        {
            return Helpers.MptctlGetiocinfo(arg, (uint)Helpers.IocSize(cmd));
        }
        else if (cmd == MPTTARGETINFO)
        {
            return Helpers.MptctlGettargetinfo(arg);
        }
        else if (cmd == MPTTEST)
        {
            return MptctlReadtestV54(arg); // expect: UA3003
        }
        else if (cmd == MPTEVENTQUERY)
        {
            return MptctlEventqueryV54(arg); // expect: UA3003
        }
        else if (cmd == MPTEVENTENABLE)
        {
            return MptctlEventenableV54(arg); // expect: UA3003
        }
        else if (cmd == MPTEVENTREPORT)
        {
            return MptctlEventreportV54(arg); // expect: UA3003
        }
        else if (cmd == MPTFWREPLACE)
        {
            return MptctlReplaceFwV54(arg); // expect: UA3003
        }

        /* All of these commands require an interrupt or
         * are unknown/illegal.
         */
        if ((ret = Helpers.MptctlSyscallDown(iocp, nonblock)) != 0)
            return ret;

        if (cmd == MPTFWDOWNLOAD)
            ret = MptctlFwDownloadV54(arg); // expect: UA3003
        else if (cmd == MPTCOMMAND)
            ret = MptctlMptCommandV54(arg); // expect: UA3003
        else if (cmd == MPTHARDRESET)
            ret = MptctlDoResetV54(arg); // expect: UA3003
        else if ((cmd & ~IOCSIZE_MASK) == (HP_GETHOSTINFO & ~IOCSIZE_MASK))
            ret = Helpers.MptctlHpHostinfo(arg, (uint)Helpers.IocSize(cmd));
        else if (cmd == HP_GETTARGETINFO)
            ret = Helpers.MptctlHpTargetinfo(arg);
        else
            ret = -EINVAL;

        iocp.IoctlCmdsMutex.Unlock();

        return ret;
    }

    // drivers/message/fusion/mptctl.c, mptctl_do_reset(), v5.4 (before 28d76df18f0a, CVE-2020-12652;
    // MPTHARDRESET, called by __mptctl_ioctl() above with the adapter named by its copy of the header locked).
    // Buggy: the header is copied from the same user address again and its iocnum looked up again; "the user
    // memory changes and we look up "iocp" again but a different one so now we are holding the incorrect
    // lock and have a race condition": the hard reset runs on an adapter whose ioctl_cmds.mutex is not held.
    // The double fetch is labelled at the call in __mptctl_ioctl() that hands it the checked pointer: on its
    // own it reads the header once, and no diagnostic belongs in it.
    public static int MptctlDoResetV54(ulong arg) // expect: none
    {
        UserPtr urinfo = new UserPtr(arg);
        var krinfo = new byte[SIZEOF_MPT_IOCTL_DIAG_RESET];
        Helpers.MptAdapter? iocp;

        if (CopyFromUser(krinfo, urinfo) != 0)
        {
            /* printk(KERN_ERR MYNAM "%s@%d::mptctl_do_reset - Unable to copy mpt_ioctl_diag_reset struct @ %p\n", ...); */
            return -EFAULT;
        }

        if (Helpers.MptVerifyAdapter((int)BitConverter.ToUInt32(krinfo, 0), out iocp) < 0)
        {
            /* printk(KERN_DEBUG MYNAM "%s@%d::mptctl_do_reset - ioc%d not found!\n", ..., krinfo.hdr.iocnum); */
            return -DispErrno.ENODEV; /* (-6) No such device or address */
        }

        /* dctlprintk(iocp, printk(MYIOC_s_DEBUG_FMT "mptctl_do_reset called.\n", iocp->name)); */

        if (Helpers.MptHardResetHandler(iocp!, CAN_SLEEP) != 0)
        {
            /* printk (MYIOC_s_ERR_FMT "%s@%d::mptctl_do_reset - reset failed.\n", ...); */
            return -1;
        }

        return 0;
    }

    // drivers/message/fusion/mptctl.c, mptctl_readtest(), v5.4 (before 28d76df18f0a; MPTTEST). The adapter the
    // copy names is described back to user space; labelled at the call in __mptctl_ioctl() above.
    public static int MptctlReadtestV54(ulong arg) // expect: none
    {
        UserPtr uarg = new UserPtr(arg);
        var karg = new byte[SIZEOF_MPT_IOCTL_TEST];
        Helpers.MptAdapter? ioc;
        int iocnum;

        if (CopyFromUser(karg, uarg) != 0)
        {
            /* printk(KERN_ERR MYNAM "%s@%d::mptctl_readtest - Unable to read in mpt_ioctl_test struct @ %p\n", ...); */
            return -EFAULT;
        }

        if (((iocnum = Helpers.MptVerifyAdapter((int)BitConverter.ToUInt32(karg, 0), out ioc)) < 0) ||
            (ioc == null))
        {
            /* printk(KERN_DEBUG MYNAM "%s::mptctl_readtest() @%d - ioc%d not found!\n", ...); */
            return -DispErrno.ENODEV;
        }

        /* dctlprintk(ioc, printk(MYIOC_s_DEBUG_FMT "mptctl_readtest called.\n", ioc->name)); */
        /* Fill in the data and return the structure to the calling
         * program
         */

        karg[12] = (byte)ioc.PciDevice; /* karg.chip_type = ioc->pcidev->device; */
        Helpers.Strncpy(karg.AsSpan(13, MPT_MAX_NAME), ioc.Name);
        karg[13 + MPT_MAX_NAME - 1] = 0;
        Helpers.Strncpy(karg.AsSpan(45, MPT_PRODUCT_LENGTH), ioc.ProdName);
        karg[45 + MPT_PRODUCT_LENGTH - 1] = 0;

        /* Copy the data from kernel memory to user memory
         */
        if (CopyToUser(uarg, karg) != 0)
        {
            /* printk(MYIOC_s_ERR_FMT "%s@%d::mptctl_readtest - Unable to write out mpt_ioctl_test struct @ %p\n", ...); */
            return -EFAULT;
        }

        return 0;
    }

    // drivers/message/fusion/mptctl.c, mptctl_replace_fw(), v5.4 (before 28d76df18f0a; MPTFWREPLACE). The cached
    // firmware image of the adapter the copy names is replaced with newImageSize bytes from user space; labelled
    // at the call in __mptctl_ioctl() above.
    public static int MptctlReplaceFwV54(ulong arg) // expect: none
    {
        UserPtr uarg = new UserPtr(arg);
        var karg = new byte[SIZEOF_MPT_IOCTL_REPLACE_FW];
        Helpers.MptAdapter? ioc;
        int iocnum;
        int newFwSize;

        if (CopyFromUser(karg, uarg) != 0)
        {
            /* printk(KERN_ERR MYNAM "%s@%d::mptctl_replace_fw - Unable to read in mpt_ioctl_replace_fw struct @ %p\n", ...); */
            return -EFAULT;
        }

        if (((iocnum = Helpers.MptVerifyAdapter((int)BitConverter.ToUInt32(karg, 0), out ioc)) < 0) ||
            (ioc == null))
        {
            /* printk(KERN_DEBUG MYNAM "%s::mptctl_replace_fw() @%d - ioc%d not found!\n", ...); */
            return -DispErrno.ENODEV;
        }

        /* dctlprintk(ioc, printk(MYIOC_s_DEBUG_FMT "mptctl_replace_fw called.\n", ioc->name)); */
        /* If caching FW, Free the old FW image
         */
        if (ioc.CachedFw == null)
            return 0;

        Helpers.MptFreeFwMemory(ioc);

        /* Allocate memory for the new FW image
         */
        newFwSize = (BitConverter.ToInt32(karg, 12) + 3) & ~3; /* ALIGN(karg.newImageSize, 4) */

        Helpers.MptAllocFwMemory(ioc, newFwSize);
        if (ioc.CachedFw == null)
            return -ENOMEM;

        /* Copy the data from user memory to kernel space
         */
        if (CopyFromUser(ioc.CachedFw.AsSpan(0, newFwSize), uarg + OFFSETOF_MPT_IOCTL_REPLACE_FW_NEWIMAGE) != 0)
        {
            /* printk(MYIOC_s_ERR_FMT "%s@%d::mptctl_replace_fw - Unable to read in mpt_ioctl_replace_fw image @ %p\n", ...); */
            Helpers.MptFreeFwMemory(ioc);
            return -EFAULT;
        }

        /* Update IOCFactsReply
         */
        ioc.FactsFwImageSize = newFwSize;
        return 0;
    }

    // drivers/message/fusion/mptctl.c, mptctl_fw_download(), v5.4 (before 28d76df18f0a; MPTFWDOWNLOAD, called with
    // the ioctl_cmds.mutex of the adapter __mptctl_ioctl() found held). The transfer descriptor is copied again
    // and its iocnum handed to mptctl_do_fw_download() (a stub), which looks the adapter up from it and downloads
    // the image to that one. Labelled at the call in __mptctl_ioctl() above.
    public static int MptctlFwDownloadV54(ulong arg) // expect: none
    {
        UserPtr ufwdl = new UserPtr(arg);
        var kfwdl = new byte[SIZEOF_MPT_FW_XFER];

        if (CopyFromUser(kfwdl, ufwdl) != 0)
        {
            /* printk(KERN_ERR MYNAM "%s@%d::_ioctl_fwdl - Unable to copy mpt_fw_xfer struct @ %p\n", ...); */
            return -EFAULT;
        }

        return Helpers.MptctlDoFwDownload(BitConverter.ToInt32(kfwdl, 0), new UserPtr(BitConverter.ToUInt64(kfwdl, 8)),
                                          BitConverter.ToInt32(kfwdl, 4));
    }

    // drivers/message/fusion/mptctl.c, mptctl_eventquery(), v5.4 (before 28d76df18f0a; MPTEVENTQUERY). The
    // struct is copied once here and the adapter looked up from the copy; the double fetch is labelled at the
    // call in __mptctl_ioctl() above. The whole copy goes back to user space with the adapter's event types.
    public static int MptctlEventqueryV54(ulong arg) // expect: none
    {
        UserPtr uarg = new UserPtr(arg);
        var karg = new byte[SIZEOF_MPT_IOCTL_EVENTQUERY];
        Helpers.MptAdapter? ioc;
        int iocnum;

        if (CopyFromUser(karg, uarg) != 0)
        {
            /* printk(KERN_ERR MYNAM "%s@%d::mptctl_eventquery - Unable to read in mpt_ioctl_eventquery struct @ %p\n", ...); */
            return -EFAULT;
        }

        if (((iocnum = Helpers.MptVerifyAdapter((int)BitConverter.ToUInt32(karg, 0), out ioc)) < 0) ||
            (ioc == null))
        {
            /* printk(KERN_DEBUG MYNAM "%s::mptctl_eventquery() @%d - ioc%d not found!\n", ...); */
            return -DispErrno.ENODEV;
        }

        /* dctlprintk(ioc, printk(MYIOC_s_DEBUG_FMT "mptctl_eventquery called.\n", ioc->name)); */
        BitConverter.TryWriteBytes(karg.AsSpan(12, 2), (ushort)MPTCTL_EVENT_LOG_SIZE);
        BitConverter.TryWriteBytes(karg.AsSpan(16, 4), ioc.EventTypes);

        /* Copy the data from kernel memory to user memory
         */
        if (CopyToUser(uarg, karg) != 0)
        {
            /* printk(MYIOC_s_ERR_FMT "%s@%d::mptctl_eventquery - Unable to write out mpt_ioctl_eventquery struct @ %p\n", ...); */
            return -EFAULT;
        }
        return 0;
    }

    // drivers/message/fusion/mptctl.c, mptctl_eventenable(), v5.4 (before 28d76df18f0a; MPTEVENTENABLE). The
    // event types are set on the adapter the copy names; labelled at the call in __mptctl_ioctl() above.
    public static int MptctlEventenableV54(ulong arg) // expect: none
    {
        UserPtr uarg = new UserPtr(arg);
        var karg = new byte[SIZEOF_MPT_IOCTL_EVENTENABLE];
        Helpers.MptAdapter? ioc;
        int iocnum;

        if (CopyFromUser(karg, uarg) != 0)
        {
            /* printk(KERN_ERR MYNAM "%s@%d::mptctl_eventenable - Unable to read in mpt_ioctl_eventenable struct @ %p\n", ...); */
            return -EFAULT;
        }

        if (((iocnum = Helpers.MptVerifyAdapter((int)BitConverter.ToUInt32(karg, 0), out ioc)) < 0) ||
            (ioc == null))
        {
            /* printk(KERN_DEBUG MYNAM "%s::mptctl_eventenable() @%d - ioc%d not found!\n", ...); */
            return -DispErrno.ENODEV;
        }

        /* dctlprintk(ioc, printk(MYIOC_s_DEBUG_FMT "mptctl_eventenable called.\n", ioc->name)); */
        if (ioc.Events == null)
        {
            /* Have not yet allocated memory - do so now.
             */
            int sz = MPTCTL_EVENT_LOG_SIZE * SIZEOF_MPT_IOCTL_EVENTS;
            ioc.Events = Helpers.Kzalloc(sz);
            if (ioc.Events == null)
            {
                /* printk(MYIOC_s_ERR_FMT ": ERROR - Insufficient memory to add adapter!\n", ioc->name); */
                return -ENOMEM;
            }
            ioc.AllocTotal += sz;

            ioc.EventContext = 0;
        }

        /* Update the IOC event logging flag.
         */
        ioc.EventTypes = BitConverter.ToUInt32(karg, 12);

        return 0;
    }

    // drivers/message/fusion/mptctl.c, mptctl_eventreport(), v5.4 (before 28d76df18f0a; MPTEVENTREPORT). The
    // adapter's event log is copied out, sized by the copy's maxDataSize, from the adapter the copy names;
    // labelled at the call in __mptctl_ioctl() above.
    public static int MptctlEventreportV54(ulong arg) // expect: none
    {
        UserPtr uarg = new UserPtr(arg);
        var karg = new byte[SIZEOF_MPT_IOCTL_EVENTREPORT];
        Helpers.MptAdapter? ioc;
        int iocnum;
        int numBytes, maxEvents, max;

        if (CopyFromUser(karg, uarg) != 0)
        {
            /* printk(KERN_ERR MYNAM "%s@%d::mptctl_eventreport - Unable to read in mpt_ioctl_eventreport struct @ %p\n", ...); */
            return -EFAULT;
        }

        if (((iocnum = Helpers.MptVerifyAdapter((int)BitConverter.ToUInt32(karg, 0), out ioc)) < 0) ||
            (ioc == null))
        {
            /* printk(KERN_DEBUG MYNAM "%s::mptctl_eventreport() @%d - ioc%d not found!\n", ...); */
            return -DispErrno.ENODEV;
        }
        /* dctlprintk(ioc, printk(MYIOC_s_DEBUG_FMT "mptctl_eventreport called.\n", ioc->name)); */

        numBytes = BitConverter.ToInt32(karg, 8) - SIZEOF_MPT_IOCTL_HEADER;
        maxEvents = numBytes / SIZEOF_MPT_IOCTL_EVENTS;

        max = MPTCTL_EVENT_LOG_SIZE < maxEvents ? MPTCTL_EVENT_LOG_SIZE : maxEvents;

        /* If fewer than 1 event is requested, there must have
         * been some type of error.
         */
        if ((max < 1) || ioc.Events == null)
            return -DispErrno.ENODATA;

        /* reset this flag so SIGIO can restart */
        ioc.AenEventReadFlag = 0;

        /* Copy the data from kernel memory to user memory
         */
        numBytes = max * SIZEOF_MPT_IOCTL_EVENTS;
        if (CopyToUser(uarg + 12, ioc.Events.AsSpan(0, numBytes)) != 0)
        {
            /* printk(MYIOC_s_ERR_FMT "%s@%d::mptctl_eventreport - Unable to write out mpt_ioctl_eventreport struct @ %p\n", ...); */
            return -EFAULT;
        }

        return 0;
    }

    // drivers/message/fusion/mptctl.c, mptctl_mpt_command(), v5.4 (before 28d76df18f0a; MPTCOMMAND, called with the
    // ioctl_cmds.mutex of the adapter __mptctl_ioctl() found held). The command is copied again and the adapter
    // looked up from the copy; mptctl_do_mpt_command() (a stub) is handed the copy, looks the adapter up once more
    // from it and sends the message frame at &uarg->MF. Labelled at the call in __mptctl_ioctl() above.
    public static int MptctlMptCommandV54(ulong arg) // expect: none
    {
        UserPtr uarg = new UserPtr(arg);
        var karg = new byte[SIZEOF_MPT_IOCTL_COMMAND];
        Helpers.MptAdapter? ioc;
        int iocnum;
        int rc;

        if (CopyFromUser(karg, uarg) != 0)
        {
            /* printk(KERN_ERR MYNAM "%s@%d::mptctl_mpt_command - Unable to read in mpt_ioctl_command struct @ %p\n", ...); */
            return -EFAULT;
        }

        if (((iocnum = Helpers.MptVerifyAdapter((int)BitConverter.ToUInt32(karg, 0), out ioc)) < 0) ||
            (ioc == null))
        {
            /* printk(KERN_DEBUG MYNAM "%s::mptctl_mpt_command() @%d - ioc%d not found!\n", ...); */
            return -DispErrno.ENODEV;
        }

        rc = Helpers.MptctlDoMptCommand(karg, uarg + OFFSETOF_MPT_IOCTL_COMMAND_MF);

        return rc;
    }
}

public static class Mpt3sasCtl
{
    private const int MPT3SAS_CTL_EVENT_LOG_SIZE = 200;
    private const int MPI2_EVENT_NOTIFY_EVENTMASK_WORDS = 4;
    private const int FORCE_BIG_HAMMER = 1;

    /* struct mpt3_ioctl_header: ioc_number at 0, port_number at 4, max_data_size at 8. */
    private const int SIZEOF_MPT3_IOCTL_HEADER = 12;
    /* struct mpt3_ioctl_eventquery: hdr, event_entries (u16) at 12, reserved, event_types[4] at 16. */
    private const int SIZEOF_MPT3_IOCTL_EVENTQUERY = 32;
    /* struct mpt3_ioctl_eventenable: hdr, event_types[4] at 12. */
    private const int SIZEOF_MPT3_IOCTL_EVENTENABLE = 28;
    /* struct mpt3_ioctl_eventreport: hdr, event_data[1] (struct MPT3_IOCTL_EVENTS, 32 bytes) at 12. */
    private const int SIZEOF_MPT3_IOCTL_EVENTREPORT = 44;
    private const int SIZEOF_MPT3_IOCTL_EVENTS = 32;
    /* struct mpt3_ioctl_diag_reset: hdr. */
    private const int SIZEOF_MPT3_IOCTL_DIAG_RESET = 12;
    /* struct mpt3_ioctl_btdh_mapping: hdr, id at 12, bus at 16, handle (u16) at 20. */
    private const int SIZEOF_MPT3_IOCTL_BTDH_MAPPING = 24;
    /* struct mpt3_ioctl_command (64-bit): hdr, timeout, four buffer pointers, five sizes, mf[1] at 68. */
    private const int SIZEOF_MPT3_IOCTL_COMMAND = 72;
    private const int OFFSETOF_MPT3_IOCTL_COMMAND_MF = 68;
    private const int SIZEOF_MPT3_IOCTL_IOCINFO = 100;
    private const int SIZEOF_MPT3_DIAG_REGISTER = 36;

    /* _IOWR(MPT3_MAGIC_NUMBER 'L', n, struct ...): the size field (bits 16..29) is what _ctl_ioctl_main() tests. */
    private const uint MPT3IOCINFO = 0xc0000000 | (uint)SIZEOF_MPT3_IOCTL_IOCINFO << 16 | 0x4c00 | 17;
    private const uint MPT3COMMAND = 0xc0000000 | (uint)SIZEOF_MPT3_IOCTL_COMMAND << 16 | 0x4c00 | 20;
    private const uint MPT3EVENTQUERY = 0xc0000000 | (uint)SIZEOF_MPT3_IOCTL_EVENTQUERY << 16 | 0x4c00 | 21;
    private const uint MPT3EVENTENABLE = 0xc0000000 | (uint)SIZEOF_MPT3_IOCTL_EVENTENABLE << 16 | 0x4c00 | 22;
    private const uint MPT3EVENTREPORT = 0xc0000000 | (uint)SIZEOF_MPT3_IOCTL_EVENTREPORT << 16 | 0x4c00 | 23;
    private const uint MPT3HARDRESET = 0xc0000000 | (uint)SIZEOF_MPT3_IOCTL_DIAG_RESET << 16 | 0x4c00 | 24;
    private const uint MPT3BTDHMAPPING = 0xc0000000 | (uint)SIZEOF_MPT3_IOCTL_BTDH_MAPPING << 16 | 0x4c00 | 31;
    private const uint MPT3DIAGREGISTER = 0xc0000000 | (uint)SIZEOF_MPT3_DIAG_REGISTER << 16 | 0x4c00 | 26;

    // drivers/scsi/mpt3sas/mpt3sas_ctl.c, _ctl_ioctl_main(), v6.x (after Gen Zhang's "scsi: mpt3sas_ctl: fix
    // double-fetch bug in _ctl_ioctl_main()", 2019; built without CONFIG_COMPAT; the diag-buffer handlers other
    // than MPT3DIAGREGISTER left out, each `if (_IOC_SIZE(cmd) == sizeof(...)) ret = _ctl_diag_xxx(ioc, arg);`).
    // Correct: the header is fetched once, the adapter it names looked up and its pci_access_mutex and
    // ctl_cmds.mutex taken, and every handler is handed that adapter: each copies its struct again from arg but
    // reads only fields the dispatcher never tested. MPT3COMMAND copies the whole command here and refuses one
    // whose ioc_number is not the first copy's ("we need to recheck the 'ioc_number' in the second fetch").
    public static long CtlIoctlMain(Helpers.Mpt3File file, uint cmd, UserPtr arg, byte compat, ushort mpiVersion) // expect: none
    {
        Helpers.Mpt3sasAdapter? ioc;
        var ioctlHeader = new byte[SIZEOF_MPT3_IOCTL_HEADER];
        bool nonBlocking;
        long ret = -DispErrno.ENOIOCTLCMD;

        /* get IOCTL header */
        if (CopyFromUser(ioctlHeader, arg) != 0)
        {
            /* pr_err("failure at %s:%d/%s()!\n", __FILE__, __LINE__, __func__); */
            return -EFAULT;
        }

        if (Helpers.CtlVerifyAdapter((int)BitConverter.ToUInt32(ioctlHeader, 0),
                                     out ioc, mpiVersion) == -1 || ioc == null)
            return -DispErrno.ENODEV;

        /* pci_access_mutex lock acquired by ioctl path */
        ioc.PciAccessMutex.Lock();

        if (ioc.ShostRecovery || ioc.PciErrorRecovery ||
            ioc.IsDriverLoading || ioc.RemoveHost)
        {
            ret = -EAGAIN;
            goto out_unlock_pciaccess;
        }

        nonBlocking = file.NonBlock;
        if (nonBlocking)
        {
            if (!ioc.CtlCmdsMutex.TryLock())
            {
                ret = -EAGAIN;
                goto out_unlock_pciaccess;
            }
        }
        else if (ioc.CtlCmdsMutex.LockKillable() != 0) /* mutex_lock_interruptible() */
        {
            ret = -DispErrno.ERESTARTSYS;
            goto out_unlock_pciaccess;
        }

        switch (cmd)
        {
            case MPT3IOCINFO:
                if (Helpers.IocSize(cmd) == SIZEOF_MPT3_IOCTL_IOCINFO)
                    ret = Helpers.CtlGetiocinfo(ioc, arg);
                break;
            case MPT3COMMAND:
            {
                UserPtr uarg;
                var karg = new byte[SIZEOF_MPT3_IOCTL_COMMAND];

                if (CopyFromUser(karg, arg) != 0)
                {
                    /* pr_err("failure at %s:%d/%s()!\n", __FILE__, __LINE__, __func__); */
                    ret = -EFAULT;
                    break;
                }

                if (BitConverter.ToUInt32(karg, 0) != BitConverter.ToUInt32(ioctlHeader, 0))
                {
                    ret = -EINVAL;
                    break;
                }
                if (Helpers.IocSize(cmd) == SIZEOF_MPT3_IOCTL_COMMAND)
                {
                    uarg = arg;
                    ret = Helpers.CtlDoMptCommand(ioc, karg, uarg + OFFSETOF_MPT3_IOCTL_COMMAND_MF);
                }
                break;
            }
            case MPT3EVENTQUERY:
                if (Helpers.IocSize(cmd) == SIZEOF_MPT3_IOCTL_EVENTQUERY)
                    ret = CtlEventquery(ioc, arg);
                break;
            case MPT3EVENTENABLE:
                if (Helpers.IocSize(cmd) == SIZEOF_MPT3_IOCTL_EVENTENABLE)
                    ret = CtlEventenable(ioc, arg);
                break;
            case MPT3EVENTREPORT:
                ret = CtlEventreport(ioc, arg);
                break;
            case MPT3HARDRESET:
                if (Helpers.IocSize(cmd) == SIZEOF_MPT3_IOCTL_DIAG_RESET)
                    ret = CtlDoReset(ioc, arg);
                break;
            case MPT3BTDHMAPPING:
                if (Helpers.IocSize(cmd) == SIZEOF_MPT3_IOCTL_BTDH_MAPPING)
                    ret = CtlBtdhMapping(ioc, arg);
                break;
            case MPT3DIAGREGISTER:
                if (Helpers.IocSize(cmd) == SIZEOF_MPT3_DIAG_REGISTER)
                    ret = Helpers.CtlDiagRegister(ioc, arg);
                break;
            default:
                /* dctlprintk(ioc, ioc_info(ioc, "unsupported ioctl opcode(0x%08x)\n", cmd)); */
                break;
        }

        ioc.CtlCmdsMutex.Unlock();
    out_unlock_pciaccess:
        ioc.PciAccessMutex.Unlock();
        return ret;
    }

    // drivers/scsi/mpt3sas/mpt3sas_ctl.c, _ctl_eventquery(), v6.x (MPT3EVENTQUERY, handed the adapter
    // _ctl_ioctl_main() found). Correct: the struct is copied again only to be filled in and copied back whole.
    public static long CtlEventquery(Helpers.Mpt3sasAdapter ioc, UserPtr arg) // expect: none
    {
        var karg = new byte[SIZEOF_MPT3_IOCTL_EVENTQUERY];

        if (CopyFromUser(karg, arg) != 0)
        {
            /* pr_err("failure at %s:%d/%s()!\n", __FILE__, __LINE__, __func__); */
            return -EFAULT;
        }

        /* dctlprintk(ioc, ioc_info(ioc, "%s: enter\n", __func__)); */

        BitConverter.TryWriteBytes(karg.AsSpan(12, 2), (ushort)MPT3SAS_CTL_EVENT_LOG_SIZE);
        ioc.EventType.AsSpan(0, MPI2_EVENT_NOTIFY_EVENTMASK_WORDS * 4).CopyTo(karg.AsSpan(16));

        if (CopyToUser(arg, karg) != 0)
        {
            /* pr_err("failure at %s:%d/%s()!\n", __FILE__, __LINE__, __func__); */
            return -EFAULT;
        }
        return 0;
    }

    // drivers/scsi/mpt3sas/mpt3sas_ctl.c, _ctl_eventenable(), v6.x (MPT3EVENTENABLE). Correct: only the event
    // types, which the dispatcher never read, are taken from the copy.
    public static long CtlEventenable(Helpers.Mpt3sasAdapter ioc, UserPtr arg) // expect: none
    {
        var karg = new byte[SIZEOF_MPT3_IOCTL_EVENTENABLE];

        if (CopyFromUser(karg, arg) != 0)
        {
            /* pr_err("failure at %s:%d/%s()!\n", __FILE__, __LINE__, __func__); */
            return -EFAULT;
        }

        /* dctlprintk(ioc, ioc_info(ioc, "%s: enter\n", __func__)); */

        karg.AsSpan(12, MPI2_EVENT_NOTIFY_EVENTMASK_WORDS * 4).CopyTo(ioc.EventType);
        Helpers.Mpt3sasBaseValidateEventType(ioc, ioc.EventType);

        if (ioc.EventLog != null)
            return 0;
        /* initialize event_log */
        ioc.EventContext = 0;
        ioc.AenEventReadFlag = 0;
        ioc.EventLog = Helpers.Kzalloc(MPT3SAS_CTL_EVENT_LOG_SIZE * SIZEOF_MPT3_IOCTL_EVENTS);
        if (ioc.EventLog == null)
        {
            /* pr_err("failure at %s:%d/%s()!\n", __FILE__, __LINE__, __func__); */
            return -ENOMEM;
        }
        return 0;
    }

    // drivers/scsi/mpt3sas/mpt3sas_ctl.c, _ctl_eventreport(), v6.x (MPT3EVENTREPORT). Correct: the copy's
    // max_data_size, a header field the dispatcher never tested, sizes the copy-out, bounded by the log's size.
    public static long CtlEventreport(Helpers.Mpt3sasAdapter ioc, UserPtr arg) // expect: none
    {
        var karg = new byte[SIZEOF_MPT3_IOCTL_EVENTREPORT];
        uint numberBytes, maxEvents, max;
        UserPtr uarg = arg;

        if (CopyFromUser(karg, arg) != 0)
        {
            /* pr_err("failure at %s:%d/%s()!\n", __FILE__, __LINE__, __func__); */
            return -EFAULT;
        }

        /* dctlprintk(ioc, ioc_info(ioc, "%s: enter\n", __func__)); */

        numberBytes = BitConverter.ToUInt32(karg, 8) - SIZEOF_MPT3_IOCTL_HEADER;
        maxEvents = numberBytes / SIZEOF_MPT3_IOCTL_EVENTS;
        max = Math.Min((uint)MPT3SAS_CTL_EVENT_LOG_SIZE, maxEvents);

        /* If fewer than 1 event is requested, there must have
         * been some type of error.
         */
        if (max == 0 || ioc.EventLog == null)
            return -DispErrno.ENODATA;

        numberBytes = max * SIZEOF_MPT3_IOCTL_EVENTS;
        if (CopyToUser(uarg + 12, ioc.EventLog.AsSpan(0, (int)numberBytes)) != 0)
        {
            /* pr_err("failure at %s:%d/%s()!\n", __FILE__, __LINE__, __func__); */
            return -EFAULT;
        }

        /* reset flag so SIGIO can restart */
        ioc.AenEventReadFlag = 0;
        return 0;
    }

    // drivers/scsi/mpt3sas/mpt3sas_ctl.c, _ctl_do_reset(), v6.x (MPT3HARDRESET). Correct: the struct (the header
    // alone) is copied and never read; the reset runs on the adapter the dispatcher found and locked.
    public static long CtlDoReset(Helpers.Mpt3sasAdapter ioc, UserPtr arg) // expect: none
    {
        var karg = new byte[SIZEOF_MPT3_IOCTL_DIAG_RESET];
        int retval;

        if (CopyFromUser(karg, arg) != 0)
        {
            /* pr_err("failure at %s:%d/%s()!\n", __FILE__, __LINE__, __func__); */
            return -EFAULT;
        }

        if (ioc.ShostRecovery || ioc.PciErrorRecovery ||
            ioc.IsDriverLoading)
            return -EAGAIN;

        /* dctlprintk(ioc, ioc_info(ioc, "%s: enter\n", __func__)); */

        ioc.ResetFromUser = 1;
        retval = Helpers.Mpt3sasBaseHardResetHandler(ioc, FORCE_BIG_HAMMER);
        /* ioc_info(ioc, "Ioctl: host reset: %s\n", ((!retval) ? "SUCCESS" : "FAILED")); */
        return 0;
    }

    // drivers/scsi/mpt3sas/mpt3sas_ctl.c, _ctl_btdh_mapping(), v6.x (MPT3BTDHMAPPING). Correct: bus, id and
    // handle, past the header, are looked up and the struct copied back.
    public static long CtlBtdhMapping(Helpers.Mpt3sasAdapter ioc, UserPtr arg) // expect: none
    {
        var karg = new byte[SIZEOF_MPT3_IOCTL_BTDH_MAPPING];
        int rc;

        if (CopyFromUser(karg, arg) != 0)
        {
            /* pr_err("failure at %s:%d/%s()!\n", __FILE__, __LINE__, __func__); */
            return -EFAULT;
        }

        /* dctlprintk(ioc, ioc_info(ioc, "%s\n", __func__)); */

        rc = Helpers.CtlBtdhSearchSasDevice(ioc, karg);
        if (rc == 0)
            rc = Helpers.CtlBtdhSearchPcieDevice(ioc, karg);
        if (rc == 0)
            Helpers.CtlBtdhSearchRaidDevice(ioc, karg);

        if (CopyToUser(arg, karg) != 0)
        {
            /* pr_err("failure at %s:%d/%s()!\n", __FILE__, __LINE__, __func__); */
            return -EFAULT;
        }
        return 0;
    }
}

public static class Asihpi
{
    private const uint HPI_IOCTL_LINUX = 0xc0104801;
    private const int EINTR = 4;
    /* union hpi_message_buffer_v1 / hpi_response_buffer_v1 (sizes as used here) */
    private const ushort SIZEOF_HPI_MESSAGE_BUFFER_V1 = 256;
    private const ushort SIZEOF_HPI_RESPONSE_BUFFER_V1 = 256;
    /* struct hpi_message_header: size at 0, type, version, object at 4, function at 6, adapter_index at 8. */
    private const int H_SIZE = 0;
    private const int H_OBJECT = 4;
    private const int H_FUNCTION = 6;
    private const int H_ADAPTER_INDEX = 8;
    /* m0.u.d.u.data: pb_data (a pointer) at 12, data_size at 20. */
    private const int M_PB_DATA = 12;
    private const int M_DATA_SIZE = 20;
    /* struct hpi_response_header: size at 0, function at 6, error at 8, specific_error at 10. */
    private const int R_SIZE = 0;
    private const int R_FUNCTION = 6;
    private const int R_ERROR = 8;
    private const int R_SPECIFIC_ERROR = 10;
    private const int HPI_RESPONSE_HEADER_SIZE = 12;

    private const ushort HPI_OBJ_SUBSYSTEM = 1;
    private const ushort HPI_SUBSYS_CREATE_ADAPTER = 0x0106;
    private const ushort HPI_ADAPTER_DELETE = 0x0212;
    private const ushort HPI_OSTREAM_WRITE = 0x0403;
    private const ushort HPI_ISTREAM_READ = 0x0503;
    private const int HPI_ERROR_INVALID_OPERATION = 110;
    private const int HPI_ERROR_BAD_ADAPTER_NUMBER = 202;
    private const int HPI_ERROR_RESPONSE_BUFFER_TOO_SMALL = 911;

    // sound/pci/asihpi/hpioctl.c, asihpi_hpi_ioctl(), v4.5 (before the fix that fetches the size into msg_size and
    // writes it over the copy: "Override h.size in case it is changed between two userspace fetches"). Buggy: the
    // message size is fetched into hm->h.size and clamped to the buffer, then the whole message is copied from
    // the same address over it, and the copy's h.size, which user space may have changed after the check, is
    // what the HPI message handlers are handed.
    public static long AsihpiHpiIoctlV45(Helpers.HpiFile file, uint cmd, ulong arg)
    {
        UserPtr phpiIoctlData;
        UserPtr puhm;
        UserPtr puhr;
        byte[]? hm;
        byte[]? hr;
        ushort resMaxSize;
        int uncopiedBytes;
        int err = 0;

        if (cmd != HPI_IOCTL_LINUX)
            return -EINVAL;

        hm = Helpers.Kmalloc(SIZEOF_HPI_MESSAGE_BUFFER_V1);
        hr = Helpers.Kmalloc(SIZEOF_HPI_RESPONSE_BUFFER_V1);
        if (hm == null || hr == null)
        {
            err = -ENOMEM;
            goto out_;
        }

        phpiIoctlData = new UserPtr(arg);

        /* Read the message and response pointers from user space.  */
        if (GetUser(out ulong uhm, phpiIoctlData.Cast<ulong>()) != 0
            || GetUser(out ulong uhr, (phpiIoctlData + 8).Cast<ulong>()) != 0)
        {
            err = -EFAULT;
            goto out_;
        }
        puhm = new UserPtr(uhm);
        puhr = new UserPtr(uhr);

        /* Now read the message size and data from user space.  */
        if (CopyFromUser(hm.AsSpan(H_SIZE, 2), puhm) != 0) /* get_user(hm->h.size, (u16 __user *)puhm) */
        {
            err = -EFAULT;
            goto out_;
        }
        if (BitConverter.ToUInt16(hm, H_SIZE) > SIZEOF_HPI_MESSAGE_BUFFER_V1)
            BitConverter.TryWriteBytes(hm.AsSpan(H_SIZE, 2), (ushort)SIZEOF_HPI_MESSAGE_BUFFER_V1);

        /* printk(KERN_INFO "message size %d\n", hm->h.wSize); */

        uncopiedBytes = CopyFromUser(hm.AsSpan(0, BitConverter.ToUInt16(hm, H_SIZE)), puhm); // expect: UA3003
        if (uncopiedBytes != 0)
        {
            /* HPI_DEBUG_LOG(ERROR, "uncopied bytes %d\n", uncopied_bytes); */
            err = -EFAULT;
            goto out_;
        }

        if (GetUser(out resMaxSize, puhr.Cast<ushort>()) != 0)
        {
            err = -EFAULT;
            goto out_;
        }
        /* printk(KERN_INFO "user response size %d\n", res_max_size); */
        if (resMaxSize < HPI_RESPONSE_HEADER_SIZE)
        {
            /* HPI_DEBUG_LOG(WARNING, "small res size %d\n", res_max_size); */
            err = -EFAULT;
            goto out_;
        }

        switch (BitConverter.ToUInt16(hm, H_FUNCTION))
        {
            case HPI_SUBSYS_CREATE_ADAPTER:
            case HPI_ADAPTER_DELETE:
                /* Application must not use these functions! */
                BitConverter.TryWriteBytes(hr.AsSpan(R_SIZE, 2), (ushort)HPI_RESPONSE_HEADER_SIZE);
                BitConverter.TryWriteBytes(hr.AsSpan(R_ERROR, 2), (ushort)HPI_ERROR_INVALID_OPERATION);
                BitConverter.TryWriteBytes(hr.AsSpan(R_FUNCTION, 2), BitConverter.ToUInt16(hm, H_FUNCTION));
                uncopiedBytes = CopyToUser(puhr, hr.AsSpan(0, BitConverter.ToUInt16(hr, R_SIZE)));
                if (uncopiedBytes != 0)
                    err = -EFAULT;
                else
                    err = 0;
                goto out_;
        }

        BitConverter.TryWriteBytes(hr.AsSpan(R_SIZE, 2), resMaxSize);
        if (BitConverter.ToUInt16(hm, H_OBJECT) == HPI_OBJ_SUBSYSTEM)
        {
            Helpers.HpiSendRecvF(hm, hr, file);
        }
        else
        {
            UserPtr ptr = default;
            uint size = 0;
            /* -1=no data 0=read from user mem, 1=write to user mem */
            int wrflag = -1;
            Helpers.HpiAdapter? pa = null;

            if (BitConverter.ToUInt16(hm, H_ADAPTER_INDEX) < Helpers.HpiAdapters.Length)
                pa = Helpers.HpiAdapters[BitConverter.ToUInt16(hm, H_ADAPTER_INDEX)];

            if (pa == null || !pa.HasAdapter || pa.AdapterType == 0)
            {
                Helpers.HpiInitResponse(hr, BitConverter.ToUInt16(hm, H_OBJECT),
                    BitConverter.ToUInt16(hm, H_FUNCTION), HPI_ERROR_BAD_ADAPTER_NUMBER);

                uncopiedBytes =
                    CopyToUser(puhr, hr.AsSpan(0, HPI_RESPONSE_HEADER_SIZE));
                if (uncopiedBytes != 0)
                    err = -EFAULT;
                else
                    err = 0;
                goto out_;
            }

            if (pa.Mutex.LockKillable() != 0) /* mutex_lock_interruptible() */
            {
                err = -EINTR;
                goto out_;
            }

            /* Dig out any pointers embedded in the message.  */
            switch (BitConverter.ToUInt16(hm, H_FUNCTION))
            {
                case HPI_OSTREAM_WRITE:
                case HPI_ISTREAM_READ:
                {
                    /* Yes, sparse, this is correct. */
                    ptr = new UserPtr(BitConverter.ToUInt64(hm, M_PB_DATA));
                    size = BitConverter.ToUInt32(hm, M_DATA_SIZE);

                    /* Allocate buffer according to application request.
                       ?Is it better to alloc/free for the duration
                       of the transaction?
                     */
                    if (pa.BufferSize < size)
                    {
                        /* HPI_DEBUG_LOG(DEBUG, "Realloc adapter %d stream buffer from %zd to %d\n", ...); */
                        if (pa.PBuffer != null)
                        {
                            pa.BufferSize = 0;
                            pa.PBuffer = null; /* vfree(pa->p_buffer) */
                        }
                        pa.PBuffer = Helpers.Vmalloc(size);
                        if (pa.PBuffer != null)
                            pa.BufferSize = size;
                        else
                        {
                            /* HPI_DEBUG_LOG(ERROR, "HPI could not allocate stream buffer size %d\n", size); */

                            pa.Mutex.Unlock();
                            err = -EINVAL;
                            goto out_;
                        }
                    }

                    BitConverter.TryWriteBytes(hm.AsSpan(M_PB_DATA, 8), Helpers.KernelAddress(pa.PBuffer));
                    if (BitConverter.ToUInt16(hm, H_FUNCTION) == HPI_ISTREAM_READ)
                        /* from card, WRITE to user mem */
                        wrflag = 1;
                    else
                        wrflag = 0;
                    break;
                }

                default:
                    size = 0;
                    break;
            }

            if (size != 0 && (wrflag == 0))
            {
                uncopiedBytes =
                    CopyFromUser(pa.PBuffer.AsSpan(0, (int)size), ptr);
                if (uncopiedBytes != 0)
                {
                    /* HPI_DEBUG_LOG(WARNING, "Missed %d of %d bytes from user\n", uncopied_bytes, size); */
                }
            }

            Helpers.HpiSendRecvF(hm, hr, file);

            if (size != 0 && (wrflag == 1))
            {
                uncopiedBytes =
                    CopyToUser(ptr, pa.PBuffer.AsSpan(0, (int)size));
                if (uncopiedBytes != 0)
                {
                    /* HPI_DEBUG_LOG(WARNING, "Missed %d of %d bytes to user\n", uncopied_bytes, size); */
                }
            }

            pa.Mutex.Unlock();
        }

        /* on return response size must be set */
        /*printk(KERN_INFO "response size %d\n", hr->h.wSize); */

        if (BitConverter.ToUInt16(hr, R_SIZE) == 0)
        {
            /* HPI_DEBUG_LOG(ERROR, "response zero size\n"); */
            err = -EFAULT;
            goto out_;
        }

        if (BitConverter.ToUInt16(hr, R_SIZE) > resMaxSize)
        {
            /* HPI_DEBUG_LOG(ERROR, "response too big %d %d\n", hr->h.size, res_max_size); */
            BitConverter.TryWriteBytes(hr.AsSpan(R_ERROR, 2), (ushort)HPI_ERROR_RESPONSE_BUFFER_TOO_SMALL);
            BitConverter.TryWriteBytes(hr.AsSpan(R_SPECIFIC_ERROR, 2), BitConverter.ToUInt16(hr, R_SIZE));
            BitConverter.TryWriteBytes(hr.AsSpan(R_SIZE, 2), (ushort)HPI_RESPONSE_HEADER_SIZE);
        }

        uncopiedBytes = CopyToUser(puhr, hr.AsSpan(0, BitConverter.ToUInt16(hr, R_SIZE)));
        if (uncopiedBytes != 0)
        {
            /* HPI_DEBUG_LOG(ERROR, "uncopied bytes %d\n", uncopied_bytes); */
            err = -EFAULT;
            goto out_;
        }

    out_:
        /* kfree(hm); kfree(hr); */
        return err;
    }

    // sound/pci/asihpi/hpioctl.c, asihpi_hpi_ioctl(), v5.x (after the fix that fetches the size into msg_size;
    // hr also kzalloc()ed and res_max_size clamped to the response buffer, and the adapter index passed through
    // array_index_nospec(), by then). Correct: the size is fetched into a local, clamped, the message copied with
    // that length, and the checked size written over the copy's: "Override h.size in case it is changed between
    // two userspace fetches".
    public static long AsihpiHpiIoctl(Helpers.HpiFile file, uint cmd, ulong arg) // expect: none
    {
        UserPtr phpiIoctlData;
        UserPtr puhm;
        UserPtr puhr;
        byte[]? hm;
        byte[]? hr;
        ushort msgSize;
        ushort resMaxSize;
        int uncopiedBytes;
        int err = 0;

        if (cmd != HPI_IOCTL_LINUX)
            return -EINVAL;

        hm = Helpers.Kmalloc(SIZEOF_HPI_MESSAGE_BUFFER_V1);
        hr = Helpers.Kzalloc(SIZEOF_HPI_RESPONSE_BUFFER_V1);
        if (hm == null || hr == null)
        {
            err = -ENOMEM;
            goto out_;
        }

        phpiIoctlData = new UserPtr(arg);

        /* Read the message and response pointers from user space.  */
        if (GetUser(out ulong uhm, phpiIoctlData.Cast<ulong>()) != 0
            || GetUser(out ulong uhr, (phpiIoctlData + 8).Cast<ulong>()) != 0)
        {
            err = -EFAULT;
            goto out_;
        }
        puhm = new UserPtr(uhm);
        puhr = new UserPtr(uhr);

        /* Now read the message size and data from user space.  */
        if (GetUser(out msgSize, puhm.Cast<ushort>()) != 0)
        {
            err = -EFAULT;
            goto out_;
        }
        if (msgSize > SIZEOF_HPI_MESSAGE_BUFFER_V1)
            msgSize = SIZEOF_HPI_MESSAGE_BUFFER_V1;

        /* printk(KERN_INFO "message size %d\n", hm->h.wSize); */

        uncopiedBytes = CopyFromUser(hm.AsSpan(0, msgSize), puhm);
        if (uncopiedBytes != 0)
        {
            /* HPI_DEBUG_LOG(ERROR, "uncopied bytes %d\n", uncopied_bytes); */
            err = -EFAULT;
            goto out_;
        }

        /* Override h.size in case it is changed between two userspace fetches */
        BitConverter.TryWriteBytes(hm.AsSpan(H_SIZE, 2), msgSize);

        if (GetUser(out resMaxSize, puhr.Cast<ushort>()) != 0)
        {
            err = -EFAULT;
            goto out_;
        }
        /* printk(KERN_INFO "user response size %d\n", res_max_size); */
        if (resMaxSize < HPI_RESPONSE_HEADER_SIZE)
        {
            /* HPI_DEBUG_LOG(WARNING, "small res size %d\n", res_max_size); */
            err = -EFAULT;
            goto out_;
        }

        resMaxSize = Math.Min(resMaxSize, SIZEOF_HPI_RESPONSE_BUFFER_V1);
        switch (BitConverter.ToUInt16(hm, H_FUNCTION))
        {
            case HPI_SUBSYS_CREATE_ADAPTER:
            case HPI_ADAPTER_DELETE:
                /* Application must not use these functions! */
                BitConverter.TryWriteBytes(hr.AsSpan(R_SIZE, 2), (ushort)HPI_RESPONSE_HEADER_SIZE);
                BitConverter.TryWriteBytes(hr.AsSpan(R_ERROR, 2), (ushort)HPI_ERROR_INVALID_OPERATION);
                BitConverter.TryWriteBytes(hr.AsSpan(R_FUNCTION, 2), BitConverter.ToUInt16(hm, H_FUNCTION));
                uncopiedBytes = CopyToUser(puhr, hr.AsSpan(0, BitConverter.ToUInt16(hr, R_SIZE)));
                if (uncopiedBytes != 0)
                    err = -EFAULT;
                else
                    err = 0;
                goto out_;
        }

        BitConverter.TryWriteBytes(hr.AsSpan(R_SIZE, 2), resMaxSize);
        if (BitConverter.ToUInt16(hm, H_OBJECT) == HPI_OBJ_SUBSYSTEM)
        {
            Helpers.HpiSendRecvF(hm, hr, file);
        }
        else
        {
            UserPtr ptr = default;
            uint size = 0;
            /* -1=no data 0=read from user mem, 1=write to user mem */
            int wrflag = -1;
            Helpers.HpiAdapter? pa = null;

            if (BitConverter.ToUInt16(hm, H_ADAPTER_INDEX) < Helpers.HpiAdapters.Length)
                pa = Helpers.HpiAdapters[Helpers.ArrayIndexNospec(BitConverter.ToUInt16(hm, H_ADAPTER_INDEX), Helpers.HpiAdapters.Length)];

            if (pa == null || !pa.HasAdapter || pa.AdapterType == 0)
            {
                Helpers.HpiInitResponse(hr, BitConverter.ToUInt16(hm, H_OBJECT),
                    BitConverter.ToUInt16(hm, H_FUNCTION), HPI_ERROR_BAD_ADAPTER_NUMBER);

                uncopiedBytes =
                    CopyToUser(puhr, hr.AsSpan(0, HPI_RESPONSE_HEADER_SIZE));
                if (uncopiedBytes != 0)
                    err = -EFAULT;
                else
                    err = 0;
                goto out_;
            }

            if (pa.Mutex.LockKillable() != 0) /* mutex_lock_interruptible() */
            {
                err = -EINTR;
                goto out_;
            }

            /* Dig out any pointers embedded in the message.  */
            switch (BitConverter.ToUInt16(hm, H_FUNCTION))
            {
                case HPI_OSTREAM_WRITE:
                case HPI_ISTREAM_READ:
                {
                    /* Yes, sparse, this is correct. */
                    ptr = new UserPtr(BitConverter.ToUInt64(hm, M_PB_DATA));
                    size = BitConverter.ToUInt32(hm, M_DATA_SIZE);

                    /* Allocate buffer according to application request.
                       ?Is it better to alloc/free for the duration
                       of the transaction?
                     */
                    if (pa.BufferSize < size)
                    {
                        /* HPI_DEBUG_LOG(DEBUG, "Realloc adapter %d stream buffer from %zd to %d\n", ...); */
                        if (pa.PBuffer != null)
                        {
                            pa.BufferSize = 0;
                            pa.PBuffer = null; /* vfree(pa->p_buffer) */
                        }
                        pa.PBuffer = Helpers.Vmalloc(size);
                        if (pa.PBuffer != null)
                            pa.BufferSize = size;
                        else
                        {
                            /* HPI_DEBUG_LOG(ERROR, "HPI could not allocate stream buffer size %d\n", size); */

                            pa.Mutex.Unlock();
                            err = -EINVAL;
                            goto out_;
                        }
                    }

                    BitConverter.TryWriteBytes(hm.AsSpan(M_PB_DATA, 8), Helpers.KernelAddress(pa.PBuffer));
                    if (BitConverter.ToUInt16(hm, H_FUNCTION) == HPI_ISTREAM_READ)
                        /* from card, WRITE to user mem */
                        wrflag = 1;
                    else
                        wrflag = 0;
                    break;
                }

                default:
                    size = 0;
                    break;
            }

            if (size != 0 && (wrflag == 0))
            {
                uncopiedBytes =
                    CopyFromUser(pa.PBuffer.AsSpan(0, (int)size), ptr);
                if (uncopiedBytes != 0)
                {
                    /* HPI_DEBUG_LOG(WARNING, "Missed %d of %d bytes from user\n", uncopied_bytes, size); */
                }
            }

            Helpers.HpiSendRecvF(hm, hr, file);

            if (size != 0 && (wrflag == 1))
            {
                uncopiedBytes =
                    CopyToUser(ptr, pa.PBuffer.AsSpan(0, (int)size));
                if (uncopiedBytes != 0)
                {
                    /* HPI_DEBUG_LOG(WARNING, "Missed %d of %d bytes to user\n", uncopied_bytes, size); */
                }
            }

            pa.Mutex.Unlock();
        }

        /* on return response size must be set */
        /*printk(KERN_INFO "response size %d\n", hr->h.wSize); */

        if (BitConverter.ToUInt16(hr, R_SIZE) == 0)
        {
            /* HPI_DEBUG_LOG(ERROR, "response zero size\n"); */
            err = -EFAULT;
            goto out_;
        }

        if (BitConverter.ToUInt16(hr, R_SIZE) > resMaxSize)
        {
            /* HPI_DEBUG_LOG(ERROR, "response too big %d %d\n", hr->h.size, res_max_size); */
            BitConverter.TryWriteBytes(hr.AsSpan(R_ERROR, 2), (ushort)HPI_ERROR_RESPONSE_BUFFER_TOO_SMALL);
            BitConverter.TryWriteBytes(hr.AsSpan(R_SPECIFIC_ERROR, 2), BitConverter.ToUInt16(hr, R_SIZE));
            BitConverter.TryWriteBytes(hr.AsSpan(R_SIZE, 2), (ushort)HPI_RESPONSE_HEADER_SIZE);
        }

        uncopiedBytes = CopyToUser(puhr, hr.AsSpan(0, BitConverter.ToUInt16(hr, R_SIZE)));
        if (uncopiedBytes != 0)
        {
            /* HPI_DEBUG_LOG(ERROR, "uncopied bytes %d\n", uncopied_bytes); */
            err = -EFAULT;
            goto out_;
        }

    out_:
        /* kfree(hm); kfree(hr); */
        return err;
    }
}

public static class Helpers
{
    // ---- net/core/ethtool.c ----

    /// <summary>struct net: the user namespace ns_capable() checks against.</summary>
    public sealed class Net
    {
        public object UserNs = new();
    }

    /// <summary>struct ifreq: the device name and the ethtool command's user buffer.</summary>
    public sealed class Ifreq
    {
        public string IfrName = "eth0";
        public UserPtr IfrData;
    }

    /// <summary>struct net_device: whether its ethtool_ops have begin/complete, and its features.</summary>
    public sealed class NetDevice
    {
        public bool HasBegin;
        public bool HasComplete;
        public ulong Features;
    }

    /// <summary>__dev_get_by_name().</summary>
    public static NetDevice? DevGetByName(Net net, string name) => new NetDevice();

    /// <summary>netif_device_present().</summary>
    public static bool NetifDevicePresent(NetDevice dev) => true;

    /// <summary>ns_capable().</summary>
    public static bool NsCapable(object userNs, int cap) => true;

    /// <summary>dev->ethtool_ops->begin(dev).</summary>
    public static int EthtoolOpsBegin(NetDevice dev) => 0;

    /// <summary>dev->ethtool_ops->complete(dev).</summary>
    public static void EthtoolOpsComplete(NetDevice dev)
    {
    }

    /// <summary>netdev_features_change().</summary>
    public static void NetdevFeaturesChange(NetDevice dev)
    {
    }

    /// <summary>The other cases of dev_ethtool()'s command switch (stub: no user access here).</summary>
    public static int EthtoolOtherCommand(NetDevice dev, uint ethcmd, UserPtr useraddr) => -DispErrno.EOPNOTSUPP;

    /// <summary>ethtool_get_per_queue_coalesce(): the queue mask of the kernel copy; coalesce settings copied out after it (stub).</summary>
    public static int EthtoolGetPerQueueCoalesce(NetDevice dev, UserPtr useraddr, byte[] perQueueOpt) => 0;

    /// <summary>ethtool_set_per_queue_coalesce(): the queue mask of the kernel copy; coalesce settings copied in after it (stub).</summary>
    public static int EthtoolSetPerQueueCoalesce(NetDevice dev, UserPtr useraddr, byte[] perQueueOpt) => 0;

    // ---- sound/pci/asihpi/hpioctl.c ----

    /// <summary>struct file of the HPI device.</summary>
    public sealed class HpiFile
    {
    }

    /// <summary>struct hpi_adapter: the adapter's mutex and stream buffer.</summary>
    public sealed class HpiAdapter
    {
        public KernelMutex Mutex = new();
        public bool HasAdapter = true;
        public int AdapterType = 0x6205;
        public byte[]? PBuffer;
        public uint BufferSize;
    }

    /// <summary>adapters[HPI_MAX_ADAPTERS].</summary>
    public static readonly HpiAdapter[] HpiAdapters = { new(), new(), new(), new() };

    /// <summary>kmalloc(n, GFP_KERNEL).</summary>
    public static byte[]? Kmalloc(int n) => new byte[n];

    /// <summary>vmalloc(size).</summary>
    public static byte[]? Vmalloc(uint size) => new byte[size];

    /// <summary>The kernel address of a buffer, as stored in a message (no user access).</summary>
    public static ulong KernelAddress(byte[]? buf) => 0xffff_8880_0000_0000UL;

    /// <summary>array_index_nospec().</summary>
    public static int ArrayIndexNospec(int index, int size) => index < size ? index : 0;

    /// <summary>hpi_send_recv_f(): the HPI message handlers, on the kernel copies (stub).</summary>
    public static void HpiSendRecvF(byte[] hm, byte[] hr, HpiFile file)
    {
    }

    /// <summary>hpi_init_response().</summary>
    public static void HpiInitResponse(byte[] hr, ushort obj, ushort function, int error)
    {
        BitConverter.TryWriteBytes(hr.AsSpan(0, 2), (ushort)12);
        BitConverter.TryWriteBytes(hr.AsSpan(4, 2), obj);
        BitConverter.TryWriteBytes(hr.AsSpan(6, 2), function);
        BitConverter.TryWriteBytes(hr.AsSpan(8, 2), (ushort)error);
    }

    // ---- drivers/message/fusion/mptctl.c ----

    /// <summary>struct file: the flag __mptctl_ioctl() reads.</summary>
    public sealed class MptFile
    {
        public bool NonBlock;
    }

    /// <summary>MPT_ADAPTER: the adapter an ioctl names by iocnum.</summary>
    public sealed class MptAdapter
    {
        public bool Active = true;
        public KernelMutex IoctlCmdsMutex = new();
        public uint EventTypes;
        public byte[]? Events;
        public int AllocTotal;
        public int EventContext;
        public int AenEventReadFlag;
        public int PciDevice = 0x0030;
        public string Name = "ioc0";
        public string ProdName = "LSI53C1030";
        public byte[]? CachedFw;
        public int FactsFwImageSize;
    }

    private static readonly MptAdapter[] s_iocList = { new(), new() };

    /// <summary>mpt_verify_adapter(): the adapter numbered iocid (its number), or -1 and NULL.</summary>
    public static int MptVerifyAdapter(int iocid, out MptAdapter? iocpp)
    {
        if (iocid >= 0 && iocid < s_iocList.Length)
        {
            iocpp = s_iocList[iocid];
            return iocid;
        }

        iocpp = null;
        return -1;
    }

    /// <summary>
    /// mptctl_syscall_down(): mutex_trylock() of ioc->ioctl_cmds.mutex when nonblocking (-EAGAIN),
    /// else mutex_lock_interruptible() (-ERESTARTSYS; a killable lock stands in for it); 0 with the mutex held.
    /// </summary>
    [Acquires("ioc.IoctlCmdsMutex", When = AcquiredWhen.ReturnsZero)]
    public static int MptctlSyscallDown(MptAdapter ioc, bool nonblock)
    {
        int rc = 0;

        if (nonblock)
        {
            if (!ioc.IoctlCmdsMutex.TryLock())
                rc = -EAGAIN;
        }
        else
        {
            if (ioc.IoctlCmdsMutex.LockKillable() != 0)
                rc = -DispErrno.ERESTARTSYS;
        }
        return rc;
    }

    /// <summary>_IOC_SIZE(cmd): the argument size encoded in an ioctl number.</summary>
    public static int IocSize(uint cmd) => (int)((cmd >> 16) & 0x3fff);

    /// <summary>kzalloc(n, GFP_KERNEL).</summary>
    public static byte[]? Kzalloc(int n) => new byte[n];

    // The handlers of __mptctl_ioctl() not translated, stubs (v5.4: each copied its struct again from arg and
    // looked the adapter up again from its header).

    /// <summary>mptctl_getiocinfo() (v5.4).</summary>
    public static int MptctlGetiocinfo(ulong arg, uint dataSize) => 0;

    /// <summary>mptctl_gettargetinfo() (v5.4).</summary>
    public static int MptctlGettargetinfo(ulong arg) => 0;

    /// <summary>mpt_free_fw_memory(): frees ioc->cached_fw.</summary>
    public static void MptFreeFwMemory(MptAdapter ioc) => ioc.CachedFw = null;

    /// <summary>mpt_alloc_fw_memory(): allocates ioc->cached_fw (left NULL on failure).</summary>
    public static void MptAllocFwMemory(MptAdapter ioc, int size) => ioc.CachedFw = size > 0 ? new byte[size] : null;

    /// <summary>strncpy() into a kernel buffer.</summary>
    public static void Strncpy(Span<byte> dst, string src)
    {
        for (int i = 0; i < dst.Length; i++)
            dst[i] = i < src.Length ? (byte)src[i] : (byte)0;
    }

    /// <summary>
    /// mptctl_do_fw_download() (v5.4): looks the adapter up from ioc, copies fwlen bytes of image from ufwbuf in
    /// chunks and sends them to that adapter's firmware (stub).
    /// </summary>
    public static int MptctlDoFwDownload(int ioc, UserPtr ufwbuf, int fwlen) => 0;

    /// <summary>mptctl_do_reset() (v5.4; translated in DataPath.cs).</summary>
    public static int MptHardResetHandler(MptAdapter ioc, int sleepFlag) => 0;

    /// <summary>mptctl_hp_hostinfo() (v5.4).</summary>
    public static int MptctlHpHostinfo(ulong arg, uint dataSize) => 0;

    /// <summary>mptctl_hp_targetinfo() (v5.4).</summary>
    public static int MptctlHpTargetinfo(ulong arg) => 0;

    /// <summary>
    /// mptctl_do_mpt_command() (v5.4): looks the adapter up from the kernel copy's hdr.iocnum, checks its sizes
    /// and copies dataSgeOffset * 4 bytes of message frame from mfPtr (stub).
    /// </summary>
    public static int MptctlDoMptCommand(byte[] karg, UserPtr mfPtr) => 0;

    // ---- drivers/scsi/mpt3sas/mpt3sas_ctl.c ----

    /// <summary>struct file: O_NONBLOCK.</summary>
    public sealed class Mpt3File
    {
        public bool NonBlock;
    }

    /// <summary>struct MPT3SAS_ADAPTER: the state _ctl_ioctl_main() and its handlers use.</summary>
    public sealed class Mpt3sasAdapter
    {
        public KernelMutex PciAccessMutex = new();
        public KernelMutex CtlCmdsMutex = new();
        public bool ShostRecovery;
        public bool PciErrorRecovery;
        public bool IsDriverLoading;
        public bool RemoveHost;
        public byte[] EventType = new byte[16];
        public byte[]? EventLog;
        public int EventContext;
        public int AenEventReadFlag;
        public int ResetFromUser;
    }

    private static readonly Mpt3sasAdapter[] s_mpt3List = { new(), new() };

    /// <summary>_ctl_verify_adapter(): the adapter numbered iocNumber (its number), or -1 and NULL.</summary>
    public static int CtlVerifyAdapter(int iocNumber, out Mpt3sasAdapter? iocpp, ushort mpiVersion)
    {
        if (iocNumber >= 0 && iocNumber < s_mpt3List.Length)
        {
            iocpp = s_mpt3List[iocNumber];
            return iocNumber;
        }

        iocpp = null;
        return -1;
    }

    /// <summary>_ctl_getiocinfo(): fills a struct mpt3_ioctl_iocinfo from the adapter and copies it out (stub).</summary>
    public static long CtlGetiocinfo(Mpt3sasAdapter ioc, UserPtr arg) => 0;

    /// <summary>_ctl_do_mpt_command(): sends the message frame at mf as the kernel copy describes it (stub).</summary>
    public static long CtlDoMptCommand(Mpt3sasAdapter ioc, byte[] karg, UserPtr mf) => 0;

    /// <summary>_ctl_diag_register(): copies a struct mpt3_diag_register and registers the buffer (stub).</summary>
    public static long CtlDiagRegister(Mpt3sasAdapter ioc, UserPtr arg) => 0;

    /// <summary>mpt3sas_base_validate_event_type().</summary>
    public static void Mpt3sasBaseValidateEventType(Mpt3sasAdapter ioc, byte[] eventType)
    {
    }

    /// <summary>mpt3sas_base_hard_reset_handler().</summary>
    public static int Mpt3sasBaseHardResetHandler(Mpt3sasAdapter ioc, int type) => 0;

    /// <summary>_ctl_btdh_search_sas_device(): fills bus/id or handle of the kernel copy; 1 when found.</summary>
    public static int CtlBtdhSearchSasDevice(Mpt3sasAdapter ioc, byte[] btdh) => 0;

    /// <summary>_ctl_btdh_search_pcie_device().</summary>
    public static int CtlBtdhSearchPcieDevice(Mpt3sasAdapter ioc, byte[] btdh) => 0;

    /// <summary>_ctl_btdh_search_raid_device().</summary>
    public static int CtlBtdhSearchRaidDevice(Mpt3sasAdapter ioc, byte[] btdh) => 0;
}
