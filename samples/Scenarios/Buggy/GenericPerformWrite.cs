using System;
using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Buggy;

/// <summary>mm/filemap.c: the buffered write path before it learned to copy with page faults disabled.</summary>
public static class Filemap
{
    /// <summary>
    /// <c>generic_perform_write()</c>: copies <paramref name="count"/> bytes from the user buffer
    /// <paramref name="buf"/> into the page cache of <paramref name="file"/> at <paramref name="pos"/>;
    /// the bytes written, or <c>-errno</c> if none were.
    /// </summary>
    /// <remarks>
    /// The bug (the mmap + page-fault deadlock of the gfs2 and iomap threads): the copy from user
    /// space may fault while the destination folio is locked. If the source buffer is mapped from
    /// the same file, the fault needs the very folio lock the writer holds (<c>filemap_fault()</c>
    /// locks the folio to map it), and the task waits on itself for ever.
    /// </remarks>
    public static long GenericPerformWrite(SimFile file, long pos, UserPtr buf, long count)
    {
        long chunk = Current.Machine.Arch.PageSize;
        UserPtr from = buf;
        long remaining = count;
        long status = 0;
        long written = 0;

        while (remaining != 0)
        {
            long offset = pos & (chunk - 1);
            int bytes = (int)Math.Min(chunk - offset, remaining);
            int copied;

            if (FatalSignalPending())
            {
                status = -EINTR;
                break;
            }

            // ->write_begin(): find the page-cache folio and lock it
            Folio folio = file.GetFolio(pos / chunk);
            status = folio.Lock.LockKillable();
            if (status != 0)
            {
                break;
            }

            copied = bytes - CopyFromUser(folio.Data.Slice((int)offset, bytes), from);

            // ->write_end()
            folio.Lock.Unlock();

            if (copied == 0)
            {
                status = -EFAULT;
                break;
            }

            pos += copied;
            written += copied;
            from += copied;
            remaining -= copied;
        }

        return written != 0 ? written : status;
    }
}
