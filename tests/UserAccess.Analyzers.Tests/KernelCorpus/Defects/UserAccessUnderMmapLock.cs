// User accesses made while holding the mmap lock, which the page-fault path takes for read: mm/mincore.c
// sys_mincore() before Linus Torvalds's 2f77d107050a "Fix incorrect user space access locking in mincore()"
// (v2.6.13: "mincore() will do a copy_to_user() of the result while holding the mmap semaphore for reading,
// which is a big no-no ... we don't actually allow them due to deadlock scenarios with writers due to
// fairness issues"), and mm/migrate.c do_pages_stat() (v2.6.28) before Brice Goglin's rework into chunks
// copied in and out around the locked walk (v2.6.29). Page-table lookups are stubs.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.UserAccessUnderMmapLock;

public static class Mincore
{
    private const ulong PAGE_MASK = ~4095UL;

    // mm/mincore.c, sys_mincore(), v2.6.12. Buggy: the status bytes are written to the user's vector by
    // mincore_vma() while the mmap lock is held for read; a fault on the vector takes it again, and a
    // writer queued in between deadlocks both.
    public static long SysMincoreV2612(Mm mm, ulong start, ulong len, UserPtr vec, ulong taskSize)
    {
        long index = 0;
        ulong end, limit, max;
        long unmappedError = 0;
        long error;

        /* check the arguments */
        if ((start & ~PAGE_MASK) != 0)
            goto einval;

        limit = taskSize;
        if (start >= limit)
            goto enomem;

        if (len == 0)
            return 0;

        max = limit - start;
        len = (len + 4095) & PAGE_MASK;
        if (len > max || len == 0)
            goto enomem;

        end = start + len;

        /* check the output buffer whilst holding the lock */
        error = -EFAULT;
        MmapReadLock(mm);

        if (!AccessOk(vec, (long)(len >> 12)))
            goto out_;

        /*
         * If the interval [start,end) covers some unmapped address
         * ranges, just ignore them, but return -ENOMEM at the end.
         */
        error = 0;

        var vma = Helpers.FindVma(mm, start);
        while (vma != null)
        {
            /* Here start < vma->vm_end. */
            if (start < vma.Start)
            {
                unmappedError = -ENOMEM;
                start = vma.Start;
            }

            /* Here vma->vm_start <= start < vma->vm_end. */
            if (end <= vma.End)
            {
                if (start < end)
                {
                    error = Helpers.MincoreVma(vma, start, end, vec + index); // expect: UA2002
                    if (error != 0)
                        goto out_;
                }
                error = unmappedError;
                goto out_;
            }

            /* Here vma->vm_start <= start < vma->vm_end < end. */
            error = Helpers.MincoreVma(vma, start, vma.End, vec + index); // expect: UA2002
            if (error != 0)
                goto out_;
            index += (long)((vma.End - start) >> 12);
            start = vma.End;
            vma = vma.Next;
        }

        /* we found a hole in the area queried if we arrive here */
        error = -ENOMEM;

    out_:
        MmapReadUnlock(mm);
        return error;

    einval:
        return -EINVAL;
    enomem:
        return -ENOMEM;
    }
}

public static class MovePages
{
    private const int ENOENT = 2;
    private const int DO_PAGES_STAT_CHUNK_NR = 16;

    // mm/migrate.c, do_pages_stat(), v2.6.28. Buggy: get_user() of each page address and put_user() of each
    // status run with the mmap lock held for read, and the put_user() result is dropped, so a status the
    // kernel could not write is reported as success.
    public static int DoPagesStatV2628(Mm mm, long nrPages, UserPtr pages, UserPtr status)
    {
        long i;
        int err;

        MmapReadLock(mm);

        for (i = 0; i < nrPages; i++)
        {
            ulong p;
            ulong addr;

            err = -EFAULT;
            if (GetUser(out p, (pages + i * 8).Cast<ulong>()) != 0) // expect: UA2002
                goto out_;
            addr = p;

            err = Helpers.PageNodeOf(mm, addr);

            PutUser(err, (status + i * 4).Cast<int>()); // expect: UA2002, UA5001
        }
        err = 0;

    out_:
        MmapReadUnlock(mm);
        return err;
    }

    // mm/migrate.c, do_pages_stat_array(), v2.6.29. Correct: the locked walk only reads and writes kernel
    // arrays.
    public static void DoPagesStatArray(Mm mm, int nrPages, ulong[] pages, int[] status) // expect: none
    {
        MmapReadLock(mm);
        for (int i = 0; i < nrPages; i++)
            status[i] = Helpers.PageNodeOf(mm, pages[i]);
        MmapReadUnlock(mm);
    }

    // mm/migrate.c, do_pages_stat(), v2.6.29. Correct: chunks of 16 entries are copied in before and copied
    // out after the locked walk.
    public static int DoPagesStat(Mm mm, long nrPages, UserPtr pages, UserPtr status) // expect: none
    {
        var chunkPages = new ulong[DO_PAGES_STAT_CHUNK_NR];
        var chunkStatus = new int[DO_PAGES_STAT_CHUNK_NR];
        var chunkBytes = new byte[DO_PAGES_STAT_CHUNK_NR * 8];
        var statusBytes = new byte[DO_PAGES_STAT_CHUNK_NR * 4];
        int chunkNr;

        while (nrPages != 0)
        {
            chunkNr = (int)Math.Min(nrPages, DO_PAGES_STAT_CHUNK_NR);

            if (CopyFromUser(chunkBytes.AsSpan(0, chunkNr * 8), pages) != 0)
                break;
            Buffer.BlockCopy(chunkBytes, 0, chunkPages, 0, chunkNr * 8);

            DoPagesStatArray(mm, chunkNr, chunkPages, chunkStatus);

            Buffer.BlockCopy(chunkStatus, 0, statusBytes, 0, chunkNr * 4);
            if (CopyToUser(status, statusBytes.AsSpan(0, chunkNr * 4)) != 0)
                break;

            pages += chunkNr * 8;
            status += chunkNr * 4;
            nrPages -= chunkNr;
        }
        return nrPages != 0 ? -EFAULT : 0;
    }
}

public static class Helpers
{
    /// <summary>struct vm_area_struct, reduced to its range, file offset and list link.</summary>
    public sealed class Vma(ulong start, ulong end, ulong pgoff, bool hasFile)
    {
        public ulong Start = start;
        public ulong End = end;
        public ulong Pgoff = pgoff;
        public bool HasFile = hasFile;
        public Vma? Next;
    }

    public static Vma? FindVma(Mm mm, ulong addr) => null;

    public static byte MincorePage(Vma vma, ulong pgoff) => 1;

    public static int PageNodeOf(Mm mm, ulong addr) => addr == 0 ? -ENOENT : 0;

    /// <summary>mincore_vma(), v2.6.12: fills a kernel page with one status byte per page of the range and
    /// copies it to the user's vector page by page.</summary>
    public static long MincoreVma(Vma vma, ulong start, ulong end, UserPtr vec)
    {
        long error, i, remaining;
        byte[] tmp;

        error = -ENOMEM;
        if (!vma.HasFile)
            return error;

        start = ((start - vma.Start) >> 12) + vma.Pgoff;
        if (end > vma.End)
            end = vma.End;
        end = ((end - vma.Start) >> 12) + vma.Pgoff;

        tmp = new byte[4096];

        /* (end - start) is # of pages, and also # of bytes in "vec */
        remaining = (long)(end - start);

        error = 0;
        for (i = 0; remaining > 0; remaining -= 4096, i++)
        {
            int j = 0;
            long thispiece = (remaining < 4096) ? remaining : 4096;

            while (j < thispiece)
                tmp[j++] = MincorePage(vma, start++);

            if (CopyToUser(vec + 4096 * i, tmp.AsSpan(0, (int)thispiece)) != 0)
            {
                error = -EFAULT;
                break;
            }
        }

        return error;
    }
}
