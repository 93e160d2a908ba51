// fs/gfs2/file.c, v5.15: reads copy to the user's buffer while holding the inode glock, and the page-fault
// path of a gfs2 mapping takes the same glock (gfs2_fault() and gfs2_page_mkwrite()), so a read into a
// buffer mmapped from the same file recurses on the glock. Andreas Gruenbacher's v5.16 series fixed it
// (00bfe02f4796 "gfs2: Fix mmap + page fault deadlocks for buffered I/O", b01b2d72da25 "... for direct I/O":
// "we're accessing user-space memory while holding the inode glock. There is a possibility that the memory
// is mapped to the same file, in which case we'd recurse on the same glock") with page faults disabled
// under the glock and fault-in after dropping it. The glock holder machinery is reduced to a lock that the
// fault path takes; the page cache and the block mapping are stubs.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.Gfs2Glock;

/// <summary>struct gfs2_inode, reduced to its glock.</summary>
public sealed class Gfs2Inode(RwSemaphore glock)
{
    [TakenInFaultPath]
    public RwSemaphore Glock = glock;
}

/// <summary>struct iov_iter over one user buffer: where it is and how much is left.</summary>
public sealed class IovIter(UserPtr iovBase, long count)
{
    public UserPtr Base = iovBase;
    public long Count = count;
}

public static class Gfs2File
{
    private const int ENOTBLK = 15;

    // fs/gfs2/file.c, gfs2_file_read_iter(), v5.15 (the direct branch calls the function below). Buggy: the
    // first generic_file_read_iter() runs without the glock and with IOCB_NOIO, but the retry copies to the
    // user's buffer holding the glock.
    public static long Gfs2FileReadIterV515(Gfs2Inode ip, Helpers.Kiocb iocb, IovIter to)
    {
        long written = 0;
        long ret;

        if (iocb.Direct)
        {
            ret = Gfs2FileDirectReadV515(ip, to);
            if (ret != -ENOTBLK)
                return ret;
            iocb.Direct = false;
        }
        iocb.NoIo = true;
        ret = Helpers.GenericFileReadIter(iocb, to);
        iocb.NoIo = false;
        if (ret >= 0)
        {
            if (to.Count == 0)
                return ret;
            written = ret;
        }
        else
        {
            if (ret != -EAGAIN)
                return ret;
            if (iocb.NoWait)
                return ret;
        }
        ret = Helpers.Gfs2GlockNq(ip);
        if (ret != 0)
            goto out_uninit;
        ret = Helpers.GenericFileReadIter(iocb, to); // expect: UA2002
        if (ret > 0)
            written += ret;
        Helpers.Gfs2GlockDq(ip);
    out_uninit:
        return written != 0 ? written : ret;
    }

    // fs/gfs2/file.c, gfs2_file_direct_read(), v5.15. Buggy: iomap_dio_rw() pins the user's pages, faulting
    // them in, with the glock held.
    public static long Gfs2FileDirectReadV515(Gfs2Inode ip, IovIter to)
    {
        long count = to.Count;
        long ret;

        if (count == 0)
            return 0; /* skip atime */

        ret = Helpers.Gfs2GlockNq(ip);
        if (ret != 0)
            goto out_uninit;

        ret = Helpers.IomapDioRw(to); // expect: UA2002
        Helpers.Gfs2GlockDq(ip);
    out_uninit:
        return ret;
    }
}

public static class Helpers
{
    /// <summary>struct kiocb, reduced to the flags the reads test.</summary>
    public sealed class Kiocb
    {
        public bool Direct;
        public bool NoIo;
        public bool NoWait;
        public long Pos;
    }

    /// <summary>gfs2_glock_nq() of the inode glock, shared: 0 with it held, or an errno.</summary>
    [Acquires("ip.Glock", Shared = true, When = AcquiredWhen.ReturnsZero)]
    public static int Gfs2GlockNq(Gfs2Inode ip) => ip.Glock.DownReadKillable();

    /// <summary>gfs2_glock_dq().</summary>
    [Releases("ip.Glock", Shared = true)]
    public static void Gfs2GlockDq(Gfs2Inode ip) => ip.Glock.UpRead();

    /// <summary>generic_file_read_iter(): copies page cache pages to the user's buffer; the bytes read or an errno.</summary>
    public static long GenericFileReadIter(Kiocb iocb, IovIter to)
    {
        var page = new byte[Math.Min(4096, to.Count)];
        long left = CopyToUser(to.Base, page);
        long copied = page.Length - left;
        to.Base += copied;
        to.Count -= copied;
        iocb.Pos += copied;
        return copied != 0 || page.Length == 0 ? copied : -EFAULT;
    }

    /// <summary>iomap_dio_rw(): pins the user's pages (faulting them in) and reads into them; the bytes read or an errno.</summary>
    [MightFault]
    public static long IomapDioRw(IovIter to)
    {
        var pages = new PinnedPage[1];
        int pinned = PinUserPagesUnlocked(to.Base, 1, pages, GupFlags.Write);
        if (pinned <= 0)
            return -EFAULT;
        UnpinUserPage(pages[0]);
        return Math.Min(4096, to.Count);
    }
}
