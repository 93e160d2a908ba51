using System;
using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Buggy;

/// <summary>mm/userfaultfd.c before "userfaultfd: protect mmap_changing with rw_sem in userfaultfd_ctx" (January 2024).</summary>
public static class Userfaultfd
{
    /// <summary>
    /// <c>mfill_atomic()</c> for <c>UFFDIO_COPY</c> on anonymous memory: fills the missing pages of
    /// [<paramref name="dstStart"/>, +<paramref name="src"/>.Length) with <paramref name="src"/>; the
    /// bytes filled, or <c>-errno</c> when none was.
    /// </summary>
    /// <remarks>
    /// The bug: <c>mmap_changing</c> is read once, under the mmap lock only. The non-cooperative
    /// events do not take the mmap lock for write (MADV_DONTNEED holds it for read, and with per-VMA
    /// locks nobody holds it at all), so an event can be raised, read by the monitor and its range
    /// zapped between the check and the fill: the page lands after the monitor was told it is gone.
    /// </remarks>
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
        MmapReadUnlock(dstMm);
        return copied != 0 ? copied : err;
    }
}
