// Loops that walk a user buffer: mm/filemap.c do_generic_file_read() before and after 5abf186a30a8 "mm, fs:
// check for fatal signals in do_generic_file_read()" (Michal Hocko, v4.10); fs/exec.c copy_strings() before and after 9aea5a65aa7a "execve: make
// responsive to SIGKILL with large arguments" (v2.6.37); drivers/char/mem.c write_mem() before and after "/dev/mem: Bail out upon
// SIGKILL." (8619e5bdeee8, v5.3); mm/filemap.c generic_perform_write() with the prefault on every chunk (v6.13)
// and after "filemap: move prefaulting out of hot write path" (Dave Hansen, v6.14); fs/btrfs/ioctl.c
// search_ioctl() before and after "btrfs: Avoid live-lock in search_ioctl() on hardware with sub-page faults"
// (Catalin Marinas, v5.18). Page cache folios, the btrfs tree walk and the device mapping are stubs; the user
// pointer, the copies, the fault-ins and the loop control are the kernel's. An iov_iter is the user pointer
// plus the bytes consumed so far.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.WriteLoops;

public static class FilemapRead
{
    private const long PAGE_SIZE = 4096;

    // mm/filemap.c, do_generic_file_read(), v4.9 (readahead and the page-cache lookup are stubs; the
    // iov_iter is the user pointer and the bytes copied so far). Buggy: "do_generic_file_read can be told to
    // perform a large request from userspace. If the system is under OOM and the reading task is the OOM
    // victim then it has an access to memory reserves and finishing the full request can lead to the full
    // memory depletion": the page loop never looks at fatal signals.
    public static long DoGenericFileReadV49(Helpers.PageCache mapping, ref long ppos, UserPtr buf, long count)
    {
        long index, offset;
        long written = 0;
        long error = 0;

        index = ppos >> 12;
        offset = ppos & (PAGE_SIZE - 1);

        for (;;) // expect: UA4003
        {
            byte[]? page;
            long endIndex;
            long isize;
            long nr, ret;

            CondResched();

            page = Helpers.FindGetPage(mapping, index);
            if (page == null)
            {
                error = Helpers.ReadPage(mapping, index);
                if (error != 0)
                    goto out_;
                continue;
            }

            isize = mapping.Size;
            endIndex = (isize - 1) >> 12;
            if (isize == 0 || index > endIndex)
                goto out_;

            /* nr is the maximum number of bytes to copy from this page */
            nr = PAGE_SIZE;
            if (index == endIndex)
            {
                nr = ((isize - 1) & (PAGE_SIZE - 1)) + 1;
                if (nr <= offset)
                    goto out_;
            }
            nr = nr - offset;
            if (nr > count - written)
                nr = count - written;

            ret = nr - CopyToUser(buf + written, page.AsSpan((int)offset, (int)nr));
            offset += ret;
            index += offset >> 12;
            offset &= PAGE_SIZE - 1;

            written += ret;
            if (written == count)
                goto out_;
            if (ret < nr)
            {
                error = -EFAULT;
                goto out_;
            }
        }

    out_:
        ppos = (index << 12) + offset;
        return written != 0 ? written : error;
    }

    // mm/filemap.c, do_generic_file_read(), v4.10 (after 5abf186a30a8). Correct: "Make sure we rather go
    // with a short read and allow the killed task to terminate".
    public static long DoGenericFileRead(Helpers.PageCache mapping, ref long ppos, UserPtr buf, long count) // expect: none
    {
        long index, offset;
        long written = 0;
        long error = 0;

        index = ppos >> 12;
        offset = ppos & (PAGE_SIZE - 1);

        for (;;)
        {
            byte[]? page;
            long endIndex;
            long isize;
            long nr, ret;

            CondResched();

                if (FatalSignalPending())
                {
                    error = -EINTR;
                    goto out_;
                }

            page = Helpers.FindGetPage(mapping, index);
            if (page == null)
            {
                error = Helpers.ReadPage(mapping, index);
                if (error != 0)
                    goto out_;
                continue;
            }

            isize = mapping.Size;
            endIndex = (isize - 1) >> 12;
            if (isize == 0 || index > endIndex)
                goto out_;

            /* nr is the maximum number of bytes to copy from this page */
            nr = PAGE_SIZE;
            if (index == endIndex)
            {
                nr = ((isize - 1) & (PAGE_SIZE - 1)) + 1;
                if (nr <= offset)
                    goto out_;
            }
            nr = nr - offset;
            if (nr > count - written)
                nr = count - written;

            ret = nr - CopyToUser(buf + written, page.AsSpan((int)offset, (int)nr));
            offset += ret;
            index += offset >> 12;
            offset &= PAGE_SIZE - 1;

            written += ret;
            if (written == count)
                goto out_;
            if (ret < nr)
            {
                error = -EFAULT;
                goto out_;
            }
        }

    out_:
        ppos = (index << 12) + offset;
        return written != 0 ? written : error;
    }
}

public static class Exec
{
    private const int PAGE_SIZE = 4096;
    private const int MAX_ARG_STRLEN = PAGE_SIZE * 32;
    private const int E2BIG = 7;
    private const int ERESTARTNOHAND = 514;

    // fs/exec.c, copy_strings(), v2.6.36 (arg pages are byte arrays). Buggy: "An execve with a very large total
    // of argument/environment strings ... runs uninterruptibly to count and copy all the strings"; nothing
    // in the walk over argv and each string looks at signals.
    public static int CopyStringsV2636(int argc, UserPtr argv, Helpers.LinuxBinprm bprm)
    {
        byte[]? kmappedPage = null;
        long kpos = 0;
        int ret;

        while (argc-- > 0)
        {
            ulong str;
            int len;
            long pos;

            if (GetUser(out str, (argv + argc * 8).Cast<ulong>()) != 0 ||
                (len = Helpers.StrnlenUser(new UserPtr(str), MAX_ARG_STRLEN)) == 0)
            {
                ret = -EFAULT;
                goto out_;
            }

            if (!Helpers.ValidArgLen(bprm, len))
            {
                ret = -E2BIG;
                goto out_;
            }

            /* We're going to work our way backwords. */
            pos = bprm.P;
            str += (ulong)len;
            bprm.P -= len;

            while (len > 0) // expect: UA4003
            {
                int offset, bytesToCopy;

                offset = (int)(pos % PAGE_SIZE);
                if (offset == 0)
                    offset = PAGE_SIZE;

                bytesToCopy = offset;
                if (bytesToCopy > len)
                    bytesToCopy = len;

                offset -= bytesToCopy;
                pos -= bytesToCopy;
                str -= (ulong)bytesToCopy;
                len -= bytesToCopy;

                if (kmappedPage == null || kpos != (pos & ~(long)(PAGE_SIZE - 1)))
                {
                    kmappedPage = Helpers.GetArgPage(bprm, pos);
                    if (kmappedPage == null)
                    {
                        ret = -E2BIG;
                        goto out_;
                    }
                    kpos = pos & ~(long)(PAGE_SIZE - 1);
                }
                if (CopyFromUser(kmappedPage.AsSpan(offset, bytesToCopy), new UserPtr(str)) != 0)
                {
                    ret = -EFAULT;
                    goto out_;
                }
            }
        }
        ret = 0;
    out_:
        return ret;
    }

    // fs/exec.c, copy_strings(), v2.6.37 (after 9aea5a65aa7a). Correct: every chunk of every string checks
    // for a fatal signal and reschedules.
    public static int CopyStrings(int argc, UserPtr argv, Helpers.LinuxBinprm bprm) // expect: none
    {
        byte[]? kmappedPage = null;
        long kpos = 0;
        int ret;

        while (argc-- > 0)
        {
            ulong str;
            int len;
            long pos;

            if (GetUser(out str, (argv + argc * 8).Cast<ulong>()) != 0 ||
                (len = Helpers.StrnlenUser(new UserPtr(str), MAX_ARG_STRLEN)) == 0)
            {
                ret = -EFAULT;
                goto out_;
            }

            if (!Helpers.ValidArgLen(bprm, len))
            {
                ret = -E2BIG;
                goto out_;
            }

            /* We're going to work our way backwords. */
            pos = bprm.P;
            str += (ulong)len;
            bprm.P -= len;

            while (len > 0)
            {
                int offset, bytesToCopy;

                if (FatalSignalPending())
                {
                    ret = -ERESTARTNOHAND;
                    goto out_;
                }
                CondResched();

                offset = (int)(pos % PAGE_SIZE);
                if (offset == 0)
                    offset = PAGE_SIZE;

                bytesToCopy = offset;
                if (bytesToCopy > len)
                    bytesToCopy = len;

                offset -= bytesToCopy;
                pos -= bytesToCopy;
                str -= (ulong)bytesToCopy;
                len -= bytesToCopy;

                if (kmappedPage == null || kpos != (pos & ~(long)(PAGE_SIZE - 1)))
                {
                    kmappedPage = Helpers.GetArgPage(bprm, pos);
                    if (kmappedPage == null)
                    {
                        ret = -E2BIG;
                        goto out_;
                    }
                    kpos = pos & ~(long)(PAGE_SIZE - 1);
                }
                if (CopyFromUser(kmappedPage.AsSpan(offset, bytesToCopy), new UserPtr(str)) != 0)
                {
                    ret = -EFAULT;
                    goto out_;
                }
            }
        }
        ret = 0;
    out_:
        return ret;
    }
}

public static class DevMem
{
    private const long EFBIG = 27;

    // drivers/char/mem.c, write_mem(), v5.2. Buggy: the write twin of read_mem(): a write of gigabytes to
    // /dev/mem loops page by page over the caller's count and never looks at signals, so a killed task
    // stalls (syzbot, fixed by the same commit as read_mem()).
    public static long WriteMemV52(UserPtr buf, long count, ref long ppos)
    {
        long p = ppos;
        long written, sz;
        long copied;
        byte[]? ptr;

        if (!Helpers.ValidPhysAddrRange(p, count))
            return -EFAULT;

        written = 0;

        while (count > 0) // expect: UA4003
        {
            int allowed;

            sz = Helpers.SizeInsidePage(p, count);

            allowed = Helpers.PageIsAllowed(p >> 12);
            if (allowed == 0)
                return -EPERM;

            /* Skip actual writing when a page is marked as restricted. */
            if (allowed == 1)
            {
                ptr = Helpers.XlateDevMemPtr(p, sz);
                if (ptr == null)
                {
                    if (written != 0)
                        break;
                    return -EFAULT;
                }

                copied = CopyFromUser(ptr.AsSpan(0, (int)sz), buf);
                Helpers.UnxlateDevMemPtr(p, ptr);
                if (copied != 0)
                {
                    written += sz - copied;
                    if (written != 0)
                        break;
                    return -EFAULT;
                }
            }

            buf += sz;
            p += sz;
            count -= sz;
            written += sz;
        }

        ppos += written;
        return written;
    }

    // drivers/char/mem.c, write_mem(), v5.3 (after 8619e5bdeee8). Correct: should_stop_iteration()
    // reschedules and stops the loop on a fatal signal after every page.
    public static long WriteMem(UserPtr buf, long count, ref long ppos) // expect: none
    {
        long p = ppos;
        long written, sz;
        long copied;
        byte[]? ptr;

        if (!Helpers.ValidPhysAddrRange(p, count))
            return -EFAULT;

        written = 0;

        while (count > 0)
        {
            int allowed;

            sz = Helpers.SizeInsidePage(p, count);

            allowed = Helpers.PageIsAllowed(p >> 12);
            if (allowed == 0)
                return -EPERM;

            /* Skip actual writing when a page is marked as restricted. */
            if (allowed == 1)
            {
                ptr = Helpers.XlateDevMemPtr(p, sz);
                if (ptr == null)
                {
                    if (written != 0)
                        break;
                    return -EFAULT;
                }

                copied = CopyFromUser(ptr.AsSpan(0, (int)sz), buf);
                Helpers.UnxlateDevMemPtr(p, ptr);
                if (copied != 0)
                {
                    written += sz - copied;
                    if (written != 0)
                        break;
                    return -EFAULT;
                }
            }

            buf += sz;
            p += sz;
            count -= sz;
            written += sz;
            if (Helpers.ShouldStopIteration())
                break;
        }

        ppos += written;
        return written;
    }
}

public static class Filemap
{
    private const long PAGE_SIZE = 4096;

    // mm/filemap.c, generic_perform_write(), v6.13. Buggy (the hot path): every chunk is prefaulted with
    // fault_in_iov_iter_readable() before ->write_begin(), although the atomic copy almost never faults;
    // v6.14 moved the fault-in to the path where the copy made no progress, because the prefault walks the
    // user page tables on every write() and still guarantees nothing.
    public static long GenericPerformWriteV613(Helpers.AddressSpace mapping, UserPtr buf, long count, long pos)
    {
        long chunk = Helpers.MappingMaxFolioSize(mapping);
        long status = 0;
        long written = 0;

        do
        {
            byte[]? folio;
            long offset;    /* Offset into folio */
            long bytes;     /* Bytes to write to folio */
            long copied;    /* Bytes copied from user */

            bytes = count - written;
        retry:
            offset = pos & (chunk - 1);
            bytes = Math.Min(chunk - offset, bytes);
            Helpers.BalanceDirtyPagesRatelimited(mapping);

            /*
             * Bring in the user page that we will copy from _first_.
             * Otherwise there's a nasty deadlock on copying from the
             * same page as we're writing to, without it being marked
             * up-to-date.
             */
            if (FaultInReadable(buf + written, bytes) == bytes) // expect: UA4001
            {
                status = -EFAULT;
                break;
            }

            if (FatalSignalPending())
            {
                status = -EINTR;
                break;
            }

            status = Helpers.WriteBegin(mapping, pos, bytes, out folio);
            if (status < 0 || folio == null)
                break;

            offset = Helpers.OffsetInFolio(folio, pos);
            if (bytes > folio.Length - offset)
                bytes = folio.Length - offset;

            PagefaultDisable();
            copied = bytes - CopyFromUser(folio.AsSpan((int)offset, (int)bytes), buf + written);
            PagefaultEnable();

            status = Helpers.WriteEnd(mapping, pos, bytes, copied, folio);
            if (status != copied)
            {
                /* iov_iter_revert() of what ->write_end() refused */
                if (status < 0)
                    break;
            }
            CondResched();

            if (status == 0)
            {
                /*
                 * A short copy made ->write_end() reject the
                 * thing entirely.  Might be memory poisoning
                 * halfway through, might be a race with munmap,
                 * might be severe memory pressure.
                 */
                if (chunk > PAGE_SIZE)
                    chunk /= 2;
                if (copied != 0)
                {
                    bytes = copied;
                    goto retry;
                }
            }
            else
            {
                pos += status;
                written += status;
            }
        }
        while (written < count);

        return written != 0 ? written : status;
    }

    // mm/filemap.c, generic_perform_write(), v6.14 (after "filemap: move prefaulting out of hot write
    // path"). Correct: the copy runs with page faults disabled, and only a copy that made no progress
    // faults in, from where it stopped, giving up when nothing could be faulted in.
    public static long GenericPerformWrite(Helpers.AddressSpace mapping, UserPtr buf, long count, long pos) // expect: none
    {
        long chunk = Helpers.MappingMaxFolioSize(mapping);
        long status = 0;
        long written = 0;

        do
        {
            byte[]? folio;
            long offset;    /* Offset into folio */
            long bytes;     /* Bytes to write to folio */
            long copied;    /* Bytes copied from user */

            bytes = count - written;
        retry:
            offset = pos & (chunk - 1);
            bytes = Math.Min(chunk - offset, bytes);
            Helpers.BalanceDirtyPagesRatelimited(mapping);

            if (FatalSignalPending())
            {
                status = -EINTR;
                break;
            }

            status = Helpers.WriteBegin(mapping, pos, bytes, out folio);
            if (status < 0 || folio == null)
                break;

            offset = Helpers.OffsetInFolio(folio, pos);
            if (bytes > folio.Length - offset)
                bytes = folio.Length - offset;

            /*
             * Faults here on mmap()s can recurse into arbitrary
             * filesystem code. Lots of locks are held that can
             * deadlock. Use an atomic copy to avoid deadlocking
             * in page fault handling.
             */
            PagefaultDisable();
            copied = bytes - CopyFromUser(folio.AsSpan((int)offset, (int)bytes), buf + written);
            PagefaultEnable();

            status = Helpers.WriteEnd(mapping, pos, bytes, copied, folio);
            if (status != copied)
            {
                /* iov_iter_revert() of what ->write_end() refused */
                if (status < 0)
                    break;
            }
            CondResched();

            if (status == 0)
            {
                /*
                 * A short copy made ->write_end() reject the
                 * thing entirely.  Might be memory poisoning
                 * halfway through, might be a race with munmap,
                 * might be severe memory pressure.
                 */
                if (chunk > PAGE_SIZE)
                    chunk /= 2;
                if (copied != 0)
                {
                    bytes = copied;
                    goto retry;
                }

                /*
                 * 'folio' is now unlocked and faults on it can be
                 * handled. Ensure forward progress by trying to
                 * fault it in now.
                 */
                if (FaultInReadable(buf + written, bytes) == bytes)
                {
                    status = -EFAULT;
                    break;
                }
            }
            else
            {
                pos += status;
                written += status;
            }
        }
        while (written < count);

        return written != 0 ? written : status;
    }
}

public static class BtrfsSearch
{
    private const int EOVERFLOW = 75;
    private const long SEARCH_HEADER = 32;

    // fs/btrfs/ioctl.c, search_ioctl(), v5.17 (the tree walk is a stub; copy_to_sk() copies each item with
    // copy_to_user_nofault() and returns 0 to have the caller fault in and retry). Buggy: the fault-in of
    // the rest of the buffer probes one byte per page, so an arm64 MTE tag mismatch inside a page makes it
    // succeed while copy_to_sk() fails on the same item again: the ioctl live-locks.
    public static int SearchIoctlV517(Helpers.BtrfsRoot root, ref long bufSize, UserPtr ubuf)
    {
        int ret;
        int numFound = 0;
        long skOffset = 0;

        if (bufSize < SEARCH_HEADER)
        {
            bufSize = SEARCH_HEADER;
            return -EOVERFLOW;
        }

        while (true)
        {
            ret = -EFAULT;
            if (FaultInWriteable(ubuf + skOffset, bufSize - skOffset) != 0) // expect: UA4005
                break;

            ret = Helpers.BtrfsSearchForward(root);
            if (ret != 0)
            {
                if (ret > 0)
                    ret = 0;
                goto err;
            }
            ret = Helpers.CopyToSk(root, bufSize, ubuf, ref skOffset, ref numFound);
            Helpers.BtrfsReleasePath(root);
            if (ret != 0)
                break;
        }
        if (ret > 0)
            ret = 0;
    err:
        return ret;
    }

    // fs/btrfs/ioctl.c, search_ioctl(), v5.18 (after "btrfs: Avoid live-lock in search_ioctl() on hardware
    // with sub-page faults"). Correct: fault_in_subpage_writeable() probes every granule, so a fault the
    // copy would hit fails the fault-in and the loop ends with -EFAULT.
    public static int SearchIoctl(Helpers.BtrfsRoot root, ref long bufSize, UserPtr ubuf) // expect: none
    {
        int ret;
        int numFound = 0;
        long skOffset = 0;

        if (bufSize < SEARCH_HEADER)
        {
            bufSize = SEARCH_HEADER;
            return -EOVERFLOW;
        }

        while (true)
        {
            ret = -EFAULT;
            if (FaultInSubpageWriteable(ubuf + skOffset, bufSize - skOffset) != 0)
                break;

            ret = Helpers.BtrfsSearchForward(root);
            if (ret != 0)
            {
                if (ret > 0)
                    ret = 0;
                goto err;
            }
            ret = Helpers.CopyToSk(root, bufSize, ubuf, ref skOffset, ref numFound);
            Helpers.BtrfsReleasePath(root);
            if (ret != 0)
                break;
        }
        if (ret > 0)
            ret = 0;
    err:
        return ret;
    }
}

public static class Helpers
{
    /// <summary>struct address_space, reduced to the folio size the mapping allows.</summary>
    public sealed class AddressSpace(long maxFolioSize)
    {
        public long MaxFolioSize = maxFolioSize;
    }

    /// <summary>A btrfs root and search path, reduced to the items the search finds.</summary>
    public sealed class BtrfsRoot(byte[][] items)
    {
        public byte[][] Items = items;
        public int Next;
    }

    /// <summary>struct address_space of a file, reduced to its pages and size.</summary>
    public sealed class PageCache(byte[][] pages, long size)
    {
        public byte[]?[] Pages = pages;
        public long Size = size;
    }

    public static byte[]? FindGetPage(PageCache mapping, long index) => index < mapping.Pages.Length ? mapping.Pages[index] : null;

    /// <summary>The no_cached_page / readpage path: reads the page in, 0 or an errno.</summary>
    [MightSleep]
    public static long ReadPage(PageCache mapping, long index)
    {
        if (index >= mapping.Pages.Length)
            return -EIO;
        mapping.Pages[index] = new byte[4096];
        return 0;
    }

    private const int EIO = 5;

    /// <summary>struct linux_binprm, reduced to the top of the argument area.</summary>
    public sealed class LinuxBinprm(long p)
    {
        public long P = p;
    }

    /// <summary>strnlen_user(): the length including the NUL, 0 on a fault, more than n when too long.</summary>
    [MightFault]
    public static int StrnlenUser(UserPtr str, int n) => 1;

    public static bool ValidArgLen(LinuxBinprm bprm, int len) => len <= 4096 * 32;

    public static byte[]? GetArgPage(LinuxBinprm bprm, long pos) => new byte[4096];

    public static bool ValidPhysAddrRange(long p, long count) => p >= 0 && count >= 0;

    public static long SizeInsidePage(long start, long size) => Math.Min(4096 - (start & 4095), size);

    public static int PageIsAllowed(long pfn) => 1;

    public static byte[]? XlateDevMemPtr(long p, long sz) => new byte[sz];

    public static void UnxlateDevMemPtr(long p, byte[] ptr)
    {
    }

    /// <summary>should_stop_iteration(): cond_resched() when needed, then fatal_signal_pending().</summary>
    [FatalSignalCheck]
    public static bool ShouldStopIteration()
    {
        CondResched();
        return FatalSignalPending();
    }

    public static long MappingMaxFolioSize(AddressSpace mapping) => mapping.MaxFolioSize;

    [MightSleep]
    public static void BalanceDirtyPagesRatelimited(AddressSpace mapping)
    {
    }

    /// <summary>-&gt;write_begin(): returns 0 with the folio locked, or an errno.</summary>
    [MightSleep]
    public static long WriteBegin(AddressSpace mapping, long pos, long bytes, out byte[]? folio)
    {
        folio = new byte[mapping.MaxFolioSize];
        return 0;
    }

    public static long OffsetInFolio(byte[] folio, long pos) => pos & (folio.Length - 1);

    /// <summary>-&gt;write_end(): the bytes accepted (0 for a short copy into a folio that is not uptodate).</summary>
    public static long WriteEnd(AddressSpace mapping, long pos, long bytes, long copied, byte[] folio) => copied;

    /// <summary>btrfs_search_forward(): 0 when an item was found, 1 at the end, or an errno.</summary>
    [MightSleep]
    public static int BtrfsSearchForward(BtrfsRoot root) => root.Next < root.Items.Length ? 0 : 1;

    public static void BtrfsReleasePath(BtrfsRoot root)
    {
    }

    /// <summary>copy_to_sk(), for a leaf holding one item: copies the item (header, then data) with
    /// copy_to_user_nofault() at ubuf + sk_offset; on a fault it returns 0 with sk_offset at the item, for
    /// the caller to fault in and search again; 1 when the buffer is full or the search is done.</summary>
    public static int CopyToSk(BtrfsRoot root, long bufSize, UserPtr ubuf, ref long skOffset, ref int numFound)
    {
        byte[] item = root.Items[root.Next];
        if (skOffset + item.Length > bufSize)
            return 1;
        if (CopyToUserNofault(ubuf + skOffset, item) != 0)
            return 0;
        skOffset += item.Length;
        numFound++;
        root.Next++;
        return root.Next < root.Items.Length ? 0 : 1;
    }
}
