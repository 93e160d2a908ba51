// Corpus (issue 4): the retry-protocol seeds in one file, buggy and fixed. The meta-test cuts it at every
// token and runs every analyzer on each prefix: none may throw on half-typed code.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

class Filemap
{
    const int PageSize = 4096;

    // generic_perform_write() before 2021: prefault (UA4001), all-or-nothing (UA4004).
    static long PerformWriteOld(UserPtr buf, long count, byte[] pagecache, long pos)
    {
        long written = 0;
        int status = 0;
        do
        {
            int offset = (int)(pos & (PageSize - 1));
            int bytes = (int)Math.Min(PageSize - offset, count - written);
        again:
            if (FaultInReadable(buf + written, bytes) != 0)
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

    // v6.14: silent.
    static long PerformWrite(UserPtr buf, long count, byte[] pagecache, long pos)
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
}

class Retry
{
    static int Canonical([RequiresAlignment] UserPtr<uint> uaddr, uint newval, out uint oldval)
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

    static int Worker(Mm mm, [RequiresAlignment] UserPtr<uint> uaddr, uint val)
    {
        int ret;
        do
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, val, out uint old);
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

    static int Bounded([RequiresAlignment] UserPtr<uint> uaddr)
    {
        int ret = -EFAULT;
        for (int tries = 0; tries < 3; tries++)
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, 1u, out uint old);
            PagefaultEnable();
            if (ret != -EFAULT)
                break;
        }
        return ret;
    }
}
