namespace UserAccess.Analyzers.Tests.Seeds;

/// <summary>
/// Translated kernel code for the retry-protocol rules (UA4001-UA4004), shared by their tests. Markup
/// keys are placed for every rule; a test of one rule expects only its own.
/// </summary>
internal static class RetrySeeds
{
    /// <summary>mm/filemap.c generic_perform_write() before the 2021 change: prefault the whole chunk before
    /// the atomic copy, all-or-nothing (UA4001 at #0, UA4004 at #1).</summary>
    public const string GenericPerformWriteBefore2021 = @"
class Filemap
{
    const int PageSize = 4096;

    static long GenericPerformWrite(UserPtr buf, long count, byte[] pagecache, long pos)
    {
        long written = 0;
        int status = 0;
        do
        {
            int offset = (int)(pos & (PageSize - 1));
            int bytes = (int)Math.Min(PageSize - offset, count - written);
        again:
            if ({|#1:{|#0:FaultInReadable(buf + written, bytes)|} != 0|})
            {
                status = -EFAULT;
                break;
            }

            if (FatalSignalPending())
            {
                status = -EINTR;
                break;
            }

            PagefaultDisable();
            int notCopied = CopyFromUser(pagecache.AsSpan(offset, bytes), buf + written);
            PagefaultEnable();
            int copied = bytes - notCopied;
            if (copied == 0)
            {
                bytes = Math.Min(PageSize - offset, 1);
                goto again;
            }

            pos += copied;
            written += copied;
        }
        while (written < count);
        return written != 0 ? written : status;
    }
}";

    /// <summary>generic_perform_write() as of v6.14: fatal signal check every chunk, the atomic copy, fault-in on
    /// the short-copy path only, failing only when nothing was faulted in. Silent under every UA4xxx rule.</summary>
    public const string GenericPerformWriteV614 = @"
class Filemap
{
    const int PageSize = 4096;

    static long GenericPerformWrite(UserPtr buf, long count, byte[] pagecache, long pos)
    {
        long written = 0;
        int status = 0;
        do
        {
            int offset = (int)(pos & (PageSize - 1));
            int bytes = (int)Math.Min(PageSize - offset, count - written);
            if (FatalSignalPending())
            {
                status = -EINTR;
                break;
            }

            PagefaultDisable();
            int notCopied = CopyFromUser(pagecache.AsSpan(offset, bytes), buf + written);
            PagefaultEnable();
            int copied = bytes - notCopied;
            if (copied == 0)
            {
                // the folio is unlocked: faults on it can be handled; ensure forward progress
                if (FaultInReadable(buf + written, bytes) == bytes)
                {
                    status = -EFAULT;
                    break;
                }

                continue;
            }

            pos += copied;
            written += copied;
        }
        while (written < count);
        return written != 0 ? written : status;
    }
}";

    /// <summary>A buffered write without the fatal signal check (UA4003 at #0, the 'do').</summary>
    public const string BufferedWriteWithoutSignalCheck = @"
class Filemap
{
    const int PageSize = 4096;

    static long BufferedWrite(UserPtr buf, long count, byte[] pagecache, long pos)
    {
        long written = 0;
        int status = 0;
        {|#0:do|}
        {
            int offset = (int)(pos & (PageSize - 1));
            int bytes = (int)Math.Min(PageSize - offset, count - written);
            PagefaultDisable();
            int notCopied = CopyFromUser(pagecache.AsSpan(offset, bytes), buf + written);
            PagefaultEnable();
            int copied = bytes - notCopied;
            if (copied == 0)
            {
                if (FaultInReadable(buf + written, bytes) == bytes)
                {
                    status = -EFAULT;
                    break;
                }

                continue;
            }

            pos += copied;
            written += copied;
        }
        while (written < count);
        return written != 0 ? written : status;
    }
}";

    /// <summary>kernel/futex/waitwake.c futex_wake_op(): the atomic op, fault-in only after -EFAULT, give up when it fails, goto retry.</summary>
    public const string FutexWakeOp = @"
class Futex
{
    static int FutexWakeOp([RequiresAlignment] UserPtr<uint> uaddr2, int oparg)
    {
    retry:
        PagefaultDisable();
        int op = ArchFutexAtomicOpInuser(FutexOp.Add, oparg, out int oldval, uaddr2);
        PagefaultEnable();
        if (op < 0)
        {
            if (op != -EFAULT)
                return op;
            int ret = FaultInUserWriteable(uaddr2);
            if (ret != 0)
                return ret;
            CondResched();
            goto retry;
        }

        return oldval;
    }
}";

    /// <summary>The canonical retry loop (docs/architecture.md).</summary>
    public const string CanonicalLoop = @"
class Canonical
{
    static int Xchg([RequiresAlignment] UserPtr<uint> uaddr, uint newval, out uint oldval)
    {
        int ret;
        while (true)
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, newval, out oldval);
            PagefaultEnable();
            if (ret != -EFAULT)
                break;
            if (FatalSignalPending())
            {
                ret = -EINTR;
                break;
            }
            ret = FaultInUserWriteable(uaddr);
            if (ret != 0)
                break;
        }
        return ret;
    }
}";

    /// <summary>An async fault worker that completes a user write for a task and keeps retrying after
    /// fixup_user_fault() failed: it only backs off (UA4002 at #0, the access).</summary>
    public const string AsyncFaultWorker = @"
class AsyncFault
{
    static int Worker(Mm mm, [RequiresAlignment] UserPtr<uint> uaddr, uint val)
    {
        int ret;
        do
        {
            PagefaultDisable();
            ret = {|#0:XchgUserInatomic(uaddr, val, out uint old)|};
            PagefaultEnable();
            if (ret == -EFAULT)
            {
                MmapReadLock(mm);
                int fixup = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                if (fixup != 0)
                    Msleep(1);
            }
        }
        while (ret == -EFAULT);
        return ret;
    }
}";

    /// <summary>futex_wake_op() with the atomic op behind the user's own helper (futex_atomic_op_inuser():
    /// pagefault_disable, arch op, pagefault_enable), retrying -EFAULT and -EAGAIN. {0}: the fault-in line.</summary>
    public const string FutexWakeOpThroughHelper = @"
class Futex
{
    static int FutexAtomicOpInuser(int oparg, [RequiresAlignment] UserPtr<uint> uaddr)
    {
        PagefaultDisable();
        int ret = ArchFutexAtomicOpInuser(FutexOp.Add, oparg, out int oldval, uaddr);
        PagefaultEnable();
        if (ret != 0)
            return ret;
        return oldval == 0 ? 1 : 0;
    }

    static int WakeOp(KernelSpinlock hb, UserPtr<uint> uaddr2, int oparg)
    {
        int opRet, ret;
        if ((uaddr2.Address % sizeof(uint)) != 0)
            return -EINVAL;
        while (true)
        {
            hb.Lock();
            opRet = {|#0:FutexAtomicOpInuser(oparg, uaddr2)|};
            if (opRet >= 0)
                break;
            hb.Unlock();
            if (opRet != -EFAULT && opRet != -EAGAIN)
                return opRet;
            if (opRet == -EFAULT)
            {
                {0}
            }
            CondResched();
        }
        hb.Unlock();
        return opRet;
    }
}";
}
