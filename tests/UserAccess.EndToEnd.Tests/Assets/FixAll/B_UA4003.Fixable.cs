// A shape the UA4003 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;
using System;

namespace FixAll.UA4003.Fixable;

public static class Filemap
{
    const int PageSize = 4096;

    public static long GenericPerformWrite(UserPtr buf, long count, byte[] pagecache, long pos)
    {
        long written = 0;
        int status = 0;
        do
        {
            // the chunk in this page
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
}
