// ipc/: message bodies copied segment by segment (bounded by msg_ctlmax), the semop array copy, and
// shmctl's copy_shmid_to_user(), which returns copy_to_user()'s byte count for its caller to test.
using System;
using System.Collections.Generic;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Ipc;

public static class Msg
{
    private const int DATALEN_MSG = 4096 - 48;
    private const int DATALEN_SEG = 4096 - 8;
    private const int E2BIG = 7;

    // ipc/msgutil.c, load_msg(), v5.15 (segments as byte arrays). Correct: len was bounded by msg_ctlmax in
    // do_msgsnd() and the segments were allocated for it; each segment is one checked copy.
    public static int LoadMsg(UserPtr src, long len, List<byte[]> segs) // expect: none
    {
        int err = -EFAULT;
        long alen;

        alen = Math.Min(len, DATALEN_MSG);
        if (CopyFromUser(segs[0].AsSpan(0, (int)alen), src) != 0)
            goto out_err;

        for (int seg = 1; seg < segs.Count; seg++)
        {
            len -= alen;
            src = src + alen;
            alen = Math.Min(len, DATALEN_SEG);
            if (CopyFromUser(segs[seg].AsSpan(0, (int)alen), src) != 0)
                goto out_err;
        }

        return 0;

    out_err:
        return err;
    }

    // ipc/msgutil.c, store_msg(), v5.15. Correct: the copy-out twin.
    public static int StoreMsg(UserPtr dest, List<byte[]> segs, long len) // expect: none
    {
        long alen;

        alen = Math.Min(len, DATALEN_MSG);
        if (CopyToUser(dest, segs[0].AsSpan(0, (int)alen)) != 0)
            return -1;

        for (int seg = 1; seg < segs.Count; seg++)
        {
            len -= alen;
            dest = dest + alen;
            alen = Math.Min(len, DATALEN_SEG);
            if (CopyToUser(dest, segs[seg].AsSpan(0, (int)alen)) != 0)
                return -1;
        }

        return 0;
    }

    // ipc/msg.c, ksys_msgsnd() and the checks of do_msgsnd(), v5.15. Correct: mtype by get_user(), the size
    // bounded by msg_ctlmax before load_msg().
    public static long KsysMsgsnd(int msqid, UserPtr msgp, long msgsz, int msgctlmax) // expect: none
    {
        long mtype;

        if (GetUser(out mtype, msgp.Cast<long>()) != 0)
            return -EFAULT;

        if (msgsz > msgctlmax || msgsz < 0 || msqid < 0)
            return -EINVAL;
        if (mtype < 1)
            return -EINVAL;

        var segs = new List<byte[]> { new byte[DATALEN_MSG] };
        for (long left = msgsz - DATALEN_MSG; left > 0; left -= DATALEN_SEG)
            segs.Add(new byte[DATALEN_SEG]);

        return LoadMsg(msgp + 8, msgsz, segs);
    }
}

public static class Sem
{
    private const int SEMOPM_FAST = 64;
    private const int E2BIG = 7;

    // ipc/sem.c, do_semtimedop(), v5.16. Correct: nsops bounded by sc_semopm, one checked copy, goto exit.
    public static long DoSemtimedop(int semid, UserPtr tsops, uint nsops, uint scSemopm) // expect: none
    {
        byte[] sops;
        long ret;

        if (nsops > scSemopm)
            return -E2BIG;
        if (nsops < 1)
            return -EINVAL;

        sops = new byte[Math.Max(nsops, SEMOPM_FAST) * 6];

        if (CopyFromUser(sops.AsSpan(0, (int)nsops * 6), tsops) != 0)
        {
            ret = -EFAULT;
            goto out_free;
        }

        ret = Helpers.DoSemtimedopKernel(semid, sops, nsops);

    out_free:
        return ret;
    }
}

public static class Shm
{
    private const int IPC_64 = 0x100;
    private const int IPC_OLD = 0;

    // ipc/shm.c, copy_shmid_to_user(), v5.15. Correct: returns copy_to_user()'s byte count (or -EINVAL as
    // an unsigned long) and its one caller only tests it for zero.
    [ReturnsBytesNotCopied]
    public static long CopyShmidToUser(UserPtr buf, byte[] in64, int version) // expect: none
    {
        switch (version)
        {
            case IPC_64:
                return CopyToUser(buf, in64);
            case IPC_OLD:
                {
                    var outOld = new byte[88];
                    in64.AsSpan(0, outOld.Length).CopyTo(outOld);
                    return CopyToUser(buf, outOld);
                }

            default:
                return -EINVAL;
        }
    }

    // ipc/shm.c, ksys_shmctl() IPC_STAT, v5.15. Correct.
    public static long KsysShmctlStat(int shmid, UserPtr buf, int version) // expect: none
    {
        var sem64 = new byte[112];
        long err;

        err = Helpers.ShmctlStat(shmid, sem64);
        if (err < 0)
            return err;
        if (CopyShmidToUser(buf, sem64, version) != 0)
            err = -EFAULT;
        return err;
    }
}

internal static class Helpers
{
    [MightSleep]
    public static long DoSemtimedopKernel(int semid, byte[] sops, uint nsops) => 0;

    public static long ShmctlStat(int shmid, byte[] sem64) => 0;
}
