// User copies made while holding a spinlock (copy_to_user() calls might_fault(), which may sleep: "BUG:
// sleeping function called from invalid context"), and a helper that drops its caller's spinlock around the
// copies but forgets to retake it on the error path:
// - drivers/media/radio/wl128x/fmdrv_common.c, fmc_transfer_rds_from_internal_buff(), before Alexey
//   Khoroshilov's "[media] wl128x: do not call copy_to_user() while holding spinlocks" (v3.11, found by the
//   Linux Driver Verification project);
// - arch/powerpc/platforms/cell/spufs/file.c, the *_info_read() files, before Jeremy Kerr's 88413a6bfbbe
//   "powerpc/spufs: fix copy_to_user while atomic" (v5.7): simple_read_from_buffer() under the context's
//   register_lock;
// - sound/firewire/fireface/ff-protocol-former.c, ff400_copy_msg_to_user(), before Dan Carpenter's
//   81c254a65ceb "ALSA: fireface: fix locking bug in ff400_copy_msg_to_user()" (v6.2): "if the
//   copy_to_user() fails, then it must take the lock again before returning. Failure to take the lock leads
//   to a double unlock in the caller, hwdep_read()".
// Device state is reduced to the ring buffers and fields the functions read.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.CopyUnderSpinlock;

public static class Wl128x
{
    private const int FM_RDS_BLK_SIZE = 3;

    // drivers/media/radio/wl128x/fmdrv_common.c, fmc_transfer_rds_from_internal_buff(), v3.10 (the wait for
    // data is a stub). Buggy: every RDS block is copied to user space with rds_buff_lock held and interrupts
    // off.
    public static int FmcTransferRdsFromInternalBuffV310(Helpers.FmDev fmdev, UserPtr buf, long count)
    {
        uint blockCount;
        int ret;

        if (fmdev.WrIdx == fmdev.RdIdx)
        {
            ret = Helpers.WaitForRds(fmdev);
            if (ret != 0)
                return -EINTR;
        }

        /* Calculate block count from byte count */
        count /= 3;
        blockCount = 0;
        ret = 0;

        fmdev.RdsBuffLock.Lock();

        while (blockCount < count)
        {
            if (fmdev.WrIdx == fmdev.RdIdx)
                break;

            if (CopyToUser(buf, fmdev.Buff.AsSpan(fmdev.RdIdx, FM_RDS_BLK_SIZE)) != 0) // expect: UA1001
                break;

            fmdev.RdIdx += FM_RDS_BLK_SIZE;
            if (fmdev.RdIdx >= fmdev.Buff.Length)
                fmdev.RdIdx = 0;

            blockCount++;
            buf += FM_RDS_BLK_SIZE;
            ret += FM_RDS_BLK_SIZE;
        }

        fmdev.RdsBuffLock.Unlock();
        return ret;
    }

    // drivers/media/radio/wl128x/fmdrv_common.c, fmc_transfer_rds_from_internal_buff(), v3.11 (after the
    // fix). Correct: each block is copied to a kernel buffer under the lock and to user space after it.
    public static int FmcTransferRdsFromInternalBuff(Helpers.FmDev fmdev, UserPtr buf, long count) // expect: none
    {
        var tmpbuf = new byte[FM_RDS_BLK_SIZE];
        uint blockCount;
        int ret;

        if (fmdev.WrIdx == fmdev.RdIdx)
        {
            ret = Helpers.WaitForRds(fmdev);
            if (ret != 0)
                return -EINTR;
        }

        /* Calculate block count from byte count */
        count /= FM_RDS_BLK_SIZE;
        blockCount = 0;
        ret = 0;

        while (blockCount < count)
        {
            fmdev.RdsBuffLock.Lock();

            if (fmdev.WrIdx == fmdev.RdIdx)
            {
                fmdev.RdsBuffLock.Unlock();
                break;
            }
            fmdev.Buff.AsSpan(fmdev.RdIdx, FM_RDS_BLK_SIZE).CopyTo(tmpbuf);
            fmdev.RdIdx += FM_RDS_BLK_SIZE;
            if (fmdev.RdIdx >= fmdev.Buff.Length)
                fmdev.RdIdx = 0;
            fmdev.RdsBuffLock.Unlock();

            if (CopyToUser(buf, tmpbuf) != 0)
                break;

            blockCount++;
            buf += FM_RDS_BLK_SIZE;
            ret += FM_RDS_BLK_SIZE;
        }
        return ret;
    }
}

public static class Spufs
{
    // arch/powerpc/platforms/cell/spufs/file.c, spufs_mbox_info_read(), v5.6. Buggy: the helper copies the
    // mailbox word to user space with simple_read_from_buffer() while register_lock is held.
    public static long SpufsMboxInfoReadV56(Helpers.SpuContext ctx, UserPtr buf, long len, ref long pos)
    {
        long ret;

        if (!AccessOk(buf, len))
            return -EFAULT;

        ret = Helpers.SpuAcquireSaved(ctx);
        if (ret != 0)
            return ret;
        ctx.RegisterLock.Lock();
        ret = Helpers.SpufsMboxInfoReadLocked(ctx, buf, len, ref pos); // expect: UA1001
        ctx.RegisterLock.Unlock();
        Helpers.SpuReleaseSaved(ctx);

        return ret;
    }

    // arch/powerpc/platforms/cell/spufs/file.c, spufs_mbox_info_read(), v5.7 (after 88413a6bfbbe).
    // Correct: the saved state is read under the lock, the copy to user space is made after it.
    public static long SpufsMboxInfoRead(Helpers.SpuContext ctx, UserPtr buf, long len, ref long pos) // expect: none
    {
        uint stat, data;
        long ret;

        ret = Helpers.SpuAcquireSaved(ctx);
        if (ret != 0)
            return ret;
        ctx.RegisterLock.Lock();
        stat = ctx.MbStatR;
        data = ctx.PuMbR;
        ctx.RegisterLock.Unlock();
        Helpers.SpuReleaseSaved(ctx);

        /* EOF if there's no entry in the mbox */
        if ((stat & 0x0000ff) == 0)
            return 0;

        return Helpers.SimpleReadFromBuffer(buf, len, ref pos, BitConverter.GetBytes(data));
    }

    // arch/powerpc/platforms/cell/spufs/file.c, spufs_wbox_info_read(), v5.6. Buggy: the same copy under
    // register_lock, of the write mailbox words.
    public static long SpufsWboxInfoReadV56(Helpers.SpuContext ctx, UserPtr buf, long len, ref long pos)
    {
        long ret;

        if (!AccessOk(buf, len))
            return -EFAULT;

        ret = Helpers.SpuAcquireSaved(ctx);
        if (ret != 0)
            return ret;
        ctx.RegisterLock.Lock();
        ret = Helpers.SpufsWboxInfoReadLocked(ctx, buf, len, ref pos); // expect: UA1001
        ctx.RegisterLock.Unlock();
        Helpers.SpuReleaseSaved(ctx);

        return ret;
    }
}

public static class Fireface
{
    private const int EVENT_HEADER = 8;
    private const int MSG_SIZE = 8;
    private const int FF400_QUEUE_SIZE = 32;

    // sound/firewire/fireface/ff-protocol-former.c, ff400_copy_msg_to_user(), v6.2 (called by hwdep_read()
    // with ff->lock held, which it unlocks afterwards). Buggy: the lock is dropped around each
    // copy_to_user(), and a failed copy returns -EFAULT without retaking it.
    [RequiresLock("ff.Lock")]
    public static long Ff400CopyMsgToUserV62(Helpers.SndFf ff, UserPtr buf, long count)
    {
        var parser = ff.Parser;
        uint messageCount = 0;
        long consumed = 0;

        if (count < EVENT_HEADER || parser.PullPos == parser.PushPos)
            return 0;

        count -= EVENT_HEADER;
        consumed += EVENT_HEADER;

        while (count >= MSG_SIZE && parser.PullPos != parser.PushPos)
        {
            ff.Lock.Unlock(); // expect: UA1003
            if (CopyToUser(buf + consumed, parser.Msgs[parser.PullPos]) != 0)
                return -EFAULT;
            ff.Lock.Lock();

            ++parser.PullPos;
            if (parser.PullPos >= FF400_QUEUE_SIZE)
                parser.PullPos = 0;
            ++messageCount;
            count -= MSG_SIZE;
            consumed += MSG_SIZE;
        }

        ff.Lock.Unlock(); // expect: UA1003
        if (CopyToUser(buf, Helpers.Ff400MessageEvent(messageCount)) != 0)
            return -EFAULT;
        ff.Lock.Lock();

        return consumed;
    }

    // sound/firewire/fireface/ff-protocol-former.c, ff400_copy_msg_to_user(), v6.2 (after 81c254a65ceb).
    // Correct: the lock is retaken before every return.
    [RequiresLock("ff.Lock")]
    public static long Ff400CopyMsgToUser(Helpers.SndFf ff, UserPtr buf, long count) // expect: none
    {
        var parser = ff.Parser;
        uint messageCount = 0;
        long consumed = 0;
        long ret = 0;

        if (count < EVENT_HEADER || parser.PullPos == parser.PushPos)
            return 0;

        count -= EVENT_HEADER;
        consumed += EVENT_HEADER;

        while (count >= MSG_SIZE && parser.PullPos != parser.PushPos)
        {
            ff.Lock.Unlock();
            if (CopyToUser(buf + consumed, parser.Msgs[parser.PullPos]) != 0)
                ret = -EFAULT;
            ff.Lock.Lock();
            if (ret != 0)
                return ret;

            ++parser.PullPos;
            if (parser.PullPos >= FF400_QUEUE_SIZE)
                parser.PullPos = 0;
            ++messageCount;
            count -= MSG_SIZE;
            consumed += MSG_SIZE;
        }

        ff.Lock.Unlock();
        if (CopyToUser(buf, Helpers.Ff400MessageEvent(messageCount)) != 0)
            ret = -EFAULT;
        ff.Lock.Lock();

        return ret != 0 ? ret : consumed;
    }
}

public static class Helpers
{
    /// <summary>struct fmdev, reduced to the RDS ring buffer and its lock.</summary>
    public sealed class FmDev(KernelSpinlock rdsBuffLock, byte[] buff)
    {
        public KernelSpinlock RdsBuffLock = rdsBuffLock;
        public byte[] Buff = buff;
        public int RdIdx;
        public int WrIdx;
    }

    /// <summary>struct spu_context, reduced to the saved mailbox state and its lock.</summary>
    public sealed class SpuContext(KernelSpinlock registerLock)
    {
        public KernelSpinlock RegisterLock = registerLock;
        public uint MbStatR;
        public uint PuMbR;
        public uint[] SpuMailboxData = new uint[4];
    }

    /// <summary>The FF400 message parser's queue.</summary>
    public sealed class MsgParser
    {
        public byte[][] Msgs = new byte[32][];
        public int PullPos;
        public int PushPos;
    }

    /// <summary>struct snd_ff, reduced to its lock and parser.</summary>
    public sealed class SndFf(KernelSpinlock lockPtr)
    {
        public KernelSpinlock Lock = lockPtr;
        public MsgParser Parser = new();
    }

    [MightSleep]
    public static int WaitForRds(FmDev fmdev) => 0;

    [MightSleep]
    [ReturnsErrno]
    public static long SpuAcquireSaved(SpuContext ctx) => 0;

    public static void SpuReleaseSaved(SpuContext ctx)
    {
    }

    /// <summary>simple_read_from_buffer(): copies from a kernel buffer at *pos to user space; the bytes
    /// copied or -EFAULT.</summary>
    public static long SimpleReadFromBuffer(UserPtr to, long count, ref long ppos, byte[] from)
    {
        long pos = ppos;
        if (pos < 0)
            return -EINVAL;
        if (pos >= from.Length || count == 0)
            return 0;
        if (count > from.Length - pos)
            count = from.Length - pos;
        long left = CopyToUser(to, from.AsSpan((int)pos, (int)count));
        if (left == count)
            return -EFAULT;
        count -= left;
        ppos = pos + count;
        return count;
    }

    /// <summary>__spufs_mbox_info_read(), v5.6.</summary>
    public static long SpufsMboxInfoReadLocked(SpuContext ctx, UserPtr buf, long len, ref long pos)
    {
        uint data;

        /* EOF if there's no entry in the mbox */
        if ((ctx.MbStatR & 0x0000ff) == 0)
            return 0;

        data = ctx.PuMbR;

        return SimpleReadFromBuffer(buf, len, ref pos, BitConverter.GetBytes(data));
    }

    /// <summary>__spufs_wbox_info_read(), v5.6.</summary>
    public static long SpufsWboxInfoReadLocked(SpuContext ctx, UserPtr buf, long len, ref long pos)
    {
        int cnt;
        var data = new byte[16];
        uint wboxStat;

        wboxStat = ctx.MbStatR;
        cnt = 4 - (int)((wboxStat & 0x00ff00) >> 8);
        for (int i = 0; i < cnt; i++)
            BitConverter.GetBytes(ctx.SpuMailboxData[i]).CopyTo(data, i * 4);

        return SimpleReadFromBuffer(buf, len, ref pos, data.AsSpan(0, cnt * 4).ToArray());
    }

    public static byte[] Ff400MessageEvent(uint messageCount)
    {
        var ev = new byte[8];
        BitConverter.GetBytes(messageCount).CopyTo(ev, 4);
        return ev;
    }
}
