using System;
using System.Diagnostics.CodeAnalysis;
using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Fixed;

/// <summary>mm/userfaultfd.c with "userfaultfd: protect mmap_changing with rw_sem in userfaultfd_ctx" (Lokesh Gidra, January 2024).</summary>
public static class Userfaultfd
{
    /// <summary>
    /// <c>mfill_atomic()</c> for <c>UFFDIO_COPY</c> on anonymous memory: fills the missing pages of
    /// [<paramref name="dstStart"/>, +<paramref name="src"/>.Length) with <paramref name="src"/>; the
    /// bytes filled, or <c>-errno</c> when none was.
    /// </summary>
    /// <remarks>
    /// <c>mmap_changing</c> is read holding <c>map_changing_lock</c> for read, and the lock stays held
    /// until the last page is filled. The events raise the counter holding the lock for write, so
    /// an event either waits for this copy to finish or makes it fail with <c>-EAGAIN</c>: no copy
    /// runs concurrently with an event the monitor has not seen.
    /// </remarks>
    [SuppressMessage("UserAccess", "UA2001", Justification = "mfill_atomic() takes the mmap lock and map_changing_lock with plain waits, as the kernel does; this sample is about the mode of map_changing_lock, not about killable waits")]
    public static long MfillAtomicCopy(UserfaultfdCtx ctx, UserPtr dstStart, byte[] src)
    {
        Mm dstMm = ctx.Mm;
        int pageSize = Current.Machine.Arch.PageSize;
        long len = src.Length;
        long copied = 0;
        long err;

        // Sanitize the command parameters.
        if ((dstStart.Address & (ulong)(pageSize - 1)) != 0 || (len & (pageSize - 1)) != 0 || len == 0)
        {
            return -EINVAL;
        }

        MmapReadLock(dstMm);

        // If memory mappings are changing because of a non-cooperative operation (e.g. mremap)
        // running in parallel, bail out and ask the monitor to retry later.
        ctx.MapChangingLock.DownRead();
        err = -EAGAIN;
        if (ctx.MmapChanging != 0)
        {
            goto out_unlock;
        }

        err = 0;
        while (copied < len)
        {
            err = ctx.MfillAtomicPteCopy(dstStart + copied, src.AsSpan((int)copied, pageSize));
            CondResched();
            if (err != 0)
            {
                break;
            }

            copied += pageSize;
            if (FatalSignalPending())
            {
                err = -EINTR;
                break;
            }
        }

    out_unlock:
        ctx.MapChangingLock.UpRead();
        MmapReadUnlock(dstMm);
        return copied != 0 ? copied : err;
    }
}
