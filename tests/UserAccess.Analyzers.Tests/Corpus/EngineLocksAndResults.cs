// Corpus for the half-typed-code meta-test (engine rules): fault-path locks, required locks,
// killable waits, copy results, access_ok, must-check results; buggy and fixed forms.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Corpus.EngineLocks;

public sealed class Gfs2Inode
{
    [TakenInFaultPath]
    public KernelMutex Glock = null!;
}

public static class Gfs2File
{
    public static long ReadIterBuggy(Gfs2Inode ip, UserPtr buf, byte[] page)
    {
        ip.Glock.Lock();
        int left = CopyToUser(buf, page);
        ip.Glock.Unlock();
        return left != 0 ? -EFAULT : page.Length;
    }

    public static long ReadIterFixed(Gfs2Inode ip, UserPtr buf, byte[] page)
    {
        int done = 0;
        while (true)
        {
            ip.Glock.Lock();
            PagefaultDisable();
            int left = CopyToUser(buf + done, page.AsSpan(done));
            PagefaultEnable();
            ip.Glock.Unlock();
            done = page.Length - left;
            if (left == 0)
                return done;
            if (FatalSignalPending())
                return -EINTR;
            if (FaultInWriteable(buf + done, left) == left)
                return done > 0 ? done : -EFAULT;
        }
    }
}

public static class Syscalls
{
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static int FixWrite(Mm mm, UserPtr uaddr) => FixupUserFault(mm, uaddr, FaultFlags.Write);

    public static int FaultInRemote(TaskStruct task, Mm remote, UserPtr addr)
    {
        MmapReadLock(task.Mm);
        int ret = FixupUserFault(remote, addr, FaultFlags.Remote);
        ret |= FixWrite(task.Mm, addr);
        MmapReadUnlock(task.Mm);
        if (!MmapReadTrylock(remote))
            return -EAGAIN;
        ret |= FixWrite(remote, addr);
        MmapReadUnlock(remote);
        return ret;
    }

    public static int SetParams(UserPtr argp, byte[] arg, int n)
    {
        if (CopyFromUser(arg, argp) < 0)
            return -EFAULT;
        int left = CopyFromUser(arg.AsSpan(0, Math.Min(n, arg.Length)), argp);
        int copied = n - left;
        if (left >= n)
            return -EFAULT;
        if (copied == 0)
            return CopyToUser(argp, arg);
        return 0;
    }

    public static int SetRobustFlags(UserPtr<uint> uflags, UserPtr<ulong> wide, out uint flags)
    {
        flags = 0;
        bool ok = AccessOk(uflags, sizeof(uint));
        if (!ok)
            return -EFAULT;
        int ret = GetUserUnchecked(out flags, uflags);
        if (ret != 0)
            return -EFAULT;
        PutUser(flags, uflags);
        _ = PutUserUnchecked(1UL, wide);
        if (AccessOk(wide, 16))
            ret = PutUserUnchecked(2UL, wide + 8);
        return (flags & ~1u) != 0 ? -EINVAL : ret;
    }

    public static byte[] Alloc(KernelSpinlock lk, int n, Gfp gfp)
    {
        lk.Lock();
        var a = Kmalloc(n, Gfp.Atomic);
        var b = Kmalloc(n, gfp);
        lk.Unlock();
        var c = Kmalloc(n, Gfp.Kernel);
        return a.Length > b.Length ? a : c;
    }
}
