// A shape the UA4004 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;
using System;

namespace FixAll.UA4004.Fixable;

public static class Filemap
{
    const int PageSize = 4096;

    public static long GenericPerformWrite(UserPtr buf, long count, byte[] pagecache, long pos)
    {
        long written = 0;
        int status = 0;
        do
        {
            int offset = (int)(pos & (PageSize - 1));
            int bytes = (int)Math.Min(PageSize - offset, count - written);
        again:
            if (FaultInReadable(buf + written, bytes) != 0) // all or nothing
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
}
