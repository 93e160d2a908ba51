using System;
using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Fixed;

/// <summary>mm/filemap.c: the buffered write path as of v6.14 (no prefault on the hot path).</summary>
public static class Filemap
{
    /// <summary>
    /// <c>generic_perform_write()</c>: copies <paramref name="count"/> bytes from the user buffer
    /// <paramref name="buf"/> into the page cache of <paramref name="file"/> at <paramref name="pos"/>;
    /// the bytes written, or <c>-errno</c> if none were.
    /// </summary>
    /// <remarks>
    /// The copy runs with page faults disabled under the folio lock, as
    /// <c>copy_folio_from_iter_atomic()</c> does: a source buffer mapped from the same file would
    /// otherwise fault on a folio whose lock this task holds. A short copy is the cold path: the folio
    /// is unlocked, the rest of the source is faulted in from where the copy stopped, and the chunk is
    /// retried as long as the fault-in makes progress. A fatal signal ends the write between chunks.
    /// </remarks>
    public static long GenericPerformWrite(SimFile file, long pos, UserPtr buf, long count)
    {
        long chunk = Current.Machine.Arch.PageSize;
        byte[] kbuf = Kmalloc((int)chunk, Gfp.Kernel);
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

            // copy_folio_from_iter_atomic(): copies what it can and zeroes nothing, so the bytes
            // bounce through kbuf (CopyFromUser zero-fills the tail it could not copy).
            PagefaultDisable();
            copied = bytes - CopyFromUser(kbuf.AsSpan(0, bytes), from);
            PagefaultEnable();
            kbuf.AsSpan(0, copied).CopyTo(folio.Data.Slice((int)offset, copied));

            // ->write_end()
            folio.Lock.Unlock();
            CondResched();

            if (copied == 0)
            {
                // 'folio' is now unlocked and faults on it can be handled. Ensure forward
                // progress by trying to fault it in now.
                if (FaultInReadable(from, bytes) == bytes)
                {
                    status = -EFAULT;
                    break;
                }

                continue;
            }

            pos += copied;
            written += copied;
            from += copied;
            remaining -= copied;
        }

        return written != 0 ? written : status;
    }
}
