// Held out: filesystem ioctls (f2fs, btrfs, fiemap, fscrypt, quota), each defect before and after the kernel's own
// fix where the fix is small, and current correct code from the same files doing the same things right:
// - fs/f2fs/file.c f2fs_ioc_get_encryption_pwsalt(): copy_to_user() of the salt with sbi->sb_lock held for write,
//   a lock the page-fault path takes since 95fa90c9e5a7 (mmap_lock -> nat_tree_lock -> sb_lock), before
//   5eaac835f27f "f2fs: fix to avoid potential deadlock" (Chao Yu, v6.2) and after it; f2fs_ioc_getfslabel(), the
//   same lock dropped before the copy: correct;
// - fs/btrfs/extent_io.c extent_fiemap() of v5.x: fiemap_fill_next_extent()'s copy_to_user() with the file range
//   locked in the inode's io tree, which btrfs_page_mkwrite() and the read path lock too; the deadlock stays until
//   b0ad381fa769 "btrfs: fix deadlock with fiemap and extent locking" (Josef Bacik, v6.8), a rewrite too large to
//   set next to it; and its loop over the caller's extent array without a fatal signal check, added by "btrfs:
//   allow fiemap to be interruptible" (Filipe Manana, v6.1); emit_fiemap_extent() and emit_last_fiemap_cache() themselves hold nothing: correct;
// - fs/ioctl.c fiemap_fill_next_extent() and ioctl_fiemap() of v5.8+ (copy_to_user() checks the range itself);
//   fs/btrfs/ioctl.c btrfs_ioctl_file_extent_same() of v4.4 (dest_count read twice, the second value never used)
//   and btrfs_ioctl_get_fslabel() (the label copied under super_lock, a spinlock, the user copy after it); fs/crypto
//   fscrypt_ioctl_set_policy() of v6.x (the version byte read twice, the first value written back over the second);
//   fs/quota/quota.c quota_getxstatev(); fs/ioctl.c __generic_block_fiemap() of v4.x (killable per extent) and
//   fs/xattr.c getxattr() of v2.6.2x: correct.
// Superblock commits, extent map lookups, backref walks, dedupe and the quota state are stubs; the user pointers,
// the copies, the checks, the locks and the control flow are the kernel's.
using System;
using System.Runtime.InteropServices;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.FsXattrQuota;

/// <summary>struct f2fs_sb_info, reduced to sb_lock and the raw superblock's password salt.</summary>
public sealed class F2fsSbInfo
{
    /// <summary>sbi->sb_lock (an f2fs_rwsem): taken by f2fs_handle_error()/f2fs_record_errors() under nat_tree_lock,
    /// which a page fault on an f2fs mapping reaches with mmap_lock held (95fa90c9e5a7; the syzbot chain
    /// &amp;mm->mmap_lock --> &amp;nm_i->nat_tree_lock --> &amp;sbi->sb_lock).</summary>
    [TakenInFaultPath]
    public RwSemaphore SbLock = new();

    /// <summary>sbi->raw_super->encrypt_pw_salt.</summary>
    public byte[] EncryptPwSalt = new byte[16];

    /// <summary>sbi->raw_super->volume_name (__le16[MAX_VOLUME_NAME]).</summary>
    public ushort[] VolumeName = new ushort[512];
}

/// <summary>struct btrfs_inode, reduced to its io tree: lock_extent_bits() of a file range, which
/// btrfs_page_mkwrite() and the read path (extent_read_full_page()) take for the page they fault in.</summary>
public sealed class BtrfsInode
{
    [TakenInFaultPath]
    public KernelMutex IoTree = new();

    public long ISize;
}

/// <summary>struct fiemap_extent_info: the flags, how many extents were mapped, the caller's count and its array.</summary>
public sealed class FiemapExtentInfo
{
    public uint FiFlags;
    public uint FiExtentsMapped;
    public uint FiExtentsMax;
    public UserPtr FiExtentsStart;
}

/// <summary>struct fiemap (32 bytes; fm_extents[] follows at 32).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct Fiemap
{
    public ulong FmStart;
    public ulong FmLength;
    public uint FmFlags;
    public uint FmMappedExtents;
    public uint FmExtentCount;
    public uint FmReserved;
}

/// <summary>struct fiemap_extent (56 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FiemapExtent
{
    public ulong FeLogical;
    public ulong FePhysical;
    public ulong FeLength;
    public ulong FeReserved64a;
    public ulong FeReserved64b;
    public uint FeFlags;
    public uint FeReserved0;
    public uint FeReserved1;
    public uint FeReserved2;
}

/// <summary>struct fiemap_cache of extent_fiemap().</summary>
public sealed class FiemapCache
{
    public ulong Offset;
    public ulong Phys;
    public ulong Len;
    public uint Flags;
    public bool Cached;
}

public static class F2fsFile
{
    private const int EOPNOTSUPP = 95;
    private const int FSLABEL_MAX = 256;
    private const int MAX_VOLUME_NAME = 512;

    // fs/f2fs/file.c, f2fs_ioc_get_encryption_pwsalt(), v6.1 (before 5eaac835f27f "f2fs: fix to avoid potential
    // deadlock", Chao Yu, v6.2). Buggy: copy_to_user() of the salt runs with sbi->sb_lock held for write. syzbot:
    // "possible circular locking dependency ... trying to acquire &mm->mmap_lock at __might_fault ... already
    // holding &sbi->sb_lock at f2fs_ioc_get_encryption_pwsalt ... Chain exists of: &mm->mmap_lock -->
    // &nm_i->nat_tree_lock --> &sbi->sb_lock"; the fix: "avoid above deadlock condition by moving __might_fault()
    // out of sbi->sb_lock coverage".
    public static int F2fsIocGetEncryptionPwsaltV61(F2fsSbInfo sbi, ulong arg)
    {
        int err;

        if (!Helpers.F2fsSbHasEncrypt(sbi))
            return -EOPNOTSUPP;

        err = Helpers.MntWantWriteFile();
        if (err != 0)
            return err;

        sbi.SbLock.DownWrite(); /* f2fs_down_write(&sbi->sb_lock) */

        if (Helpers.UuidIsNonzero(sbi.EncryptPwSalt))
            goto got_it;

        /* update superblock with uuid */
        Helpers.GenerateRandomUuid(sbi.EncryptPwSalt);

        err = Helpers.F2fsCommitSuper(sbi, false);
        if (err != 0)
        {
            /* undo new data */
            Array.Clear(sbi.EncryptPwSalt, 0, 16);
            goto out_err;
        }
    got_it:
        if (CopyToUser(new UserPtr(arg), sbi.EncryptPwSalt.AsSpan(0, 16)) != 0) // expect: UA2002
            err = -EFAULT;
    out_err:
        sbi.SbLock.UpWrite(); /* f2fs_up_write(&sbi->sb_lock) */
        Helpers.MntDropWriteFile();
        return err;
    }

    // fs/f2fs/file.c, f2fs_ioc_get_encryption_pwsalt(), after 5eaac835f27f (v6.2). Correct: the salt is memcpy()ed
    // to the stack under sb_lock and copied to the user after f2fs_up_write(), only on success.
    public static int F2fsIocGetEncryptionPwsalt(F2fsSbInfo sbi, ulong arg) // expect: none
    {
        byte[] encryptPwSalt = new byte[16];
        int err;

        if (!Helpers.F2fsSbHasEncrypt(sbi))
            return -EOPNOTSUPP;

        err = Helpers.MntWantWriteFile();
        if (err != 0)
            return err;

        sbi.SbLock.DownWrite(); /* f2fs_down_write(&sbi->sb_lock) */

        if (Helpers.UuidIsNonzero(sbi.EncryptPwSalt))
            goto got_it;

        /* update superblock with uuid */
        Helpers.GenerateRandomUuid(sbi.EncryptPwSalt);

        err = Helpers.F2fsCommitSuper(sbi, false);
        if (err != 0)
        {
            /* undo new data */
            Array.Clear(sbi.EncryptPwSalt, 0, 16);
            goto out_err;
        }
    got_it:
        Array.Copy(sbi.EncryptPwSalt, encryptPwSalt, 16);
    out_err:
        sbi.SbLock.UpWrite(); /* f2fs_up_write(&sbi->sb_lock) */
        Helpers.MntDropWriteFile();

        if (err == 0 && CopyToUser(new UserPtr(arg), encryptPwSalt.AsSpan(0, 16)) != 0)
            err = -EFAULT;

        return err;
    }

    // fs/f2fs/file.c, f2fs_ioc_getfslabel(), v5.x/v6.x (f2fs_down_read() since the f2fs_rwsem wrappers). Correct:
    // the volume name is converted under sb_lock held for read, and copy_to_user() runs after f2fs_up_read().
    public static int F2fsIocGetfslabel(F2fsSbInfo sbi, ulong arg) // expect: none
    {
        byte[]? vbuf;
        int count;
        int err = 0;

        vbuf = Helpers.F2fsKzalloc(MAX_VOLUME_NAME);
        if (vbuf == null)
            return -ENOMEM;

        sbi.SbLock.DownRead(); /* f2fs_down_read(&sbi->sb_lock) */
        count = Helpers.Utf16sToUtf8s(sbi.VolumeName, sbi.VolumeName.Length, vbuf, MAX_VOLUME_NAME);
        sbi.SbLock.UpRead(); /* f2fs_up_read(&sbi->sb_lock) */

        if (CopyToUser(new UserPtr(arg), vbuf.AsSpan(0, Math.Min(FSLABEL_MAX, count))) != 0)
            err = -EFAULT;

        /* kfree(vbuf); */
        return err;
    }
}

public static class FsIoctl
{
    private const int EOPNOTSUPP = 95;
    private const uint FIEMAP_EXTENT_LAST = 0x00000001;
    private const uint FIEMAP_EXTENT_UNKNOWN = 0x00000002;
    private const uint FIEMAP_EXTENT_DELALLOC = 0x00000004;
    private const uint FIEMAP_EXTENT_ENCODED = 0x00000008;
    private const uint FIEMAP_EXTENT_DATA_ENCRYPTED = 0x00000080;
    private const uint FIEMAP_EXTENT_NOT_ALIGNED = 0x00000100;
    private const uint FIEMAP_EXTENT_DATA_INLINE = 0x00000200;
    private const uint FIEMAP_EXTENT_DATA_TAIL = 0x00000400;
    private const uint SET_UNKNOWN_FLAGS = FIEMAP_EXTENT_DELALLOC;
    private const uint SET_NO_UNMOUNTED_IO_FLAGS = FIEMAP_EXTENT_DATA_ENCRYPTED;
    private const uint SET_NOT_ALIGNED_FLAGS = FIEMAP_EXTENT_DATA_TAIL | FIEMAP_EXTENT_DATA_INLINE;
    private const uint FIEMAP_EXTENT_SIZE = 56; /* sizeof(struct fiemap_extent) */
    private const uint FIEMAP_MAX_EXTENTS = uint.MaxValue / FIEMAP_EXTENT_SIZE;

    // fs/ioctl.c, fiemap_fill_next_extent(), v5.8+ (after "fs: remove the access_ok() check in ioctl_fiemap").
    // Correct: one extent is copy_to_user()ed at fi_extents_start[fi_extents_mapped], below the caller's count,
    // a failed copy is -EFAULT; 1 tells the caller to stop.
    public static int FiemapFillNextExtent(FiemapExtentInfo fieinfo, ulong logical, ulong phys, ulong len, uint flags) // expect: none
    {
        FiemapExtent extent;
        UserPtr dest = fieinfo.FiExtentsStart;

        /* only count the extents */
        if (fieinfo.FiExtentsMax == 0)
        {
            fieinfo.FiExtentsMapped++;
            return (flags & FIEMAP_EXTENT_LAST) != 0 ? 1 : 0;
        }

        if (fieinfo.FiExtentsMapped >= fieinfo.FiExtentsMax)
            return 1;

        if ((flags & SET_UNKNOWN_FLAGS) != 0)
            flags |= FIEMAP_EXTENT_UNKNOWN;
        if ((flags & SET_NO_UNMOUNTED_IO_FLAGS) != 0)
            flags |= FIEMAP_EXTENT_ENCODED;
        if ((flags & SET_NOT_ALIGNED_FLAGS) != 0)
            flags |= FIEMAP_EXTENT_NOT_ALIGNED;

        extent = default; /* memset(&extent, 0, sizeof(extent)) */
        extent.FeLogical = logical;
        extent.FePhysical = phys;
        extent.FeLength = len;
        extent.FeFlags = flags;

        dest += (long)fieinfo.FiExtentsMapped * FIEMAP_EXTENT_SIZE;
        if (CopyToUser(dest.Cast<FiemapExtent>(), in extent) != 0)
            return -EFAULT;

        fieinfo.FiExtentsMapped++;
        if (fieinfo.FiExtentsMapped == fieinfo.FiExtentsMax)
            return 1;
        return (flags & FIEMAP_EXTENT_LAST) != 0 ? 1 : 0;
    }

    // fs/ioctl.c, ioctl_fiemap(), v5.8+ (fiemap_prep() in the filesystems). Correct: the header is copied in once,
    // the caller's count is capped so that count * 56 cannot overflow, and the header written back with the
    // mapped count; a failed write-back overrides the filesystem's result with -EFAULT.
    public static int IoctlFiemap(Helpers.Inode inode, UserPtr<Fiemap> ufiemap) // expect: none
    {
        Fiemap fiemap;
        var fieinfo = new FiemapExtentInfo();
        int error;

        if (!inode.HasFiemap)
            return -EOPNOTSUPP;

        if (CopyFromUser(out fiemap, ufiemap) != 0)
            return -EFAULT;

        if (fiemap.FmExtentCount > FIEMAP_MAX_EXTENTS)
            return -EINVAL;

        fieinfo.FiFlags = fiemap.FmFlags;
        fieinfo.FiExtentsMax = fiemap.FmExtentCount;
        fieinfo.FiExtentsStart = new UserPtr(ufiemap.Address + 32); /* ufiemap->fm_extents */

        error = Helpers.InodeFiemap(inode, fieinfo, fiemap.FmStart, fiemap.FmLength);

        fiemap.FmFlags = fieinfo.FiFlags;
        fiemap.FmMappedExtents = fieinfo.FiExtentsMapped;
        if (CopyToUser(ufiemap, in fiemap) != 0)
            error = -EFAULT;

        return error;
    }

    private const uint FIEMAP_EXTENT_MERGED = 0x00001000;

    // fs/ioctl.c, __generic_block_fiemap(), v4.x (fiemap_check_flags(); called by generic_block_fiemap() under
    // inode_lock(), which no fault takes). Correct: one extent per mapped run goes to fiemap_fill_next_extent(),
    // and every round ends with cond_resched() and a fatal signal check, so a fiemap of a huge sparse file can be
    // killed.
    public static int GenericBlockFiemap(Helpers.Inode inode, FiemapExtentInfo fieinfo, long start, long len) // expect: none
    {
        var mapBh = new Helpers.BufferHead();
        long startBlk, lastBlk;
        long isize = inode.ISize;
        ulong logical = 0, phys = 0, size = 0;
        uint flags = FIEMAP_EXTENT_MERGED;
        bool pastEof = false, wholeFile = false;
        int ret = 0;

        ret = Helpers.FiemapCheckFlags(fieinfo);
        if (ret != 0)
            return ret;

        /*
         * Either the i_mutex or other appropriate locking needs to be held
         * since we expect isize to not change at all through the duration of
         * this call.
         */
        if (len >= isize)
        {
            wholeFile = true;
            len = isize;
        }

        /*
         * Some filesystems can't deal with being asked to map less than
         * blocksize, so make sure our len is at least block length.
         */
        if (Helpers.LogicalToBlk(len) == 0)
            len = Helpers.BlkToLogical(1);

        startBlk = Helpers.LogicalToBlk(start);
        lastBlk = Helpers.LogicalToBlk(start + len - 1);

        do
        {
            /*
             * we set b_size to the total size we want so it will map as
             * many contiguous blocks as possible at once
             */
            mapBh = new Helpers.BufferHead(); /* memset(&map_bh, 0, sizeof(struct buffer_head)) */
            mapBh.BSize = (ulong)len;

            ret = Helpers.GetBlock(inode, startBlk, mapBh, 0);
            if (ret != 0)
                break;

            /* HOLE */
            if (!mapBh.Mapped)
            {
                startBlk++;

                /*
                 * We want to handle the case where there is an
                 * allocated block at the front of the file, and then
                 * nothing but holes up to the end of the file properly,
                 * to make sure that extent at the front gets properly
                 * marked with FIEMAP_EXTENT_LAST
                 */
                if (!pastEof && Helpers.BlkToLogical(startBlk) >= isize)
                    pastEof = true;

                /*
                 * First hole after going past the EOF, this is our
                 * last extent
                 */
                if (pastEof && size != 0)
                {
                    flags = FIEMAP_EXTENT_MERGED | FIEMAP_EXTENT_LAST;
                    ret = FiemapFillNextExtent(fieinfo, logical, phys, size, flags);
                }
                else if (size != 0)
                {
                    ret = FiemapFillNextExtent(fieinfo, logical, phys, size, flags);
                    size = 0;
                }

                /* if we have holes up to/past EOF then we're done */
                if (startBlk > lastBlk || pastEof || ret != 0)
                    break;
            }
            else
            {
                /*
                 * We have gone over the length of what we wanted to
                 * map, and it wasn't the entire file, so add the extent
                 * we got last time and exit.
                 * ...
                 */
                if (startBlk > lastBlk && !wholeFile)
                {
                    ret = FiemapFillNextExtent(fieinfo, logical, phys, size, flags);
                    break;
                }

                /*
                 * if size != 0 then we know we already have an extent
                 * to add, so add it.
                 */
                if (size != 0)
                {
                    ret = FiemapFillNextExtent(fieinfo, logical, phys, size, flags);
                    if (ret != 0)
                        break;
                }

                logical = (ulong)Helpers.BlkToLogical(startBlk);
                phys = (ulong)Helpers.BlkToLogical(mapBh.BBlocknr);
                size = mapBh.BSize;
                flags = FIEMAP_EXTENT_MERGED;

                startBlk += Helpers.LogicalToBlk((long)size);

                /*
                 * If we are past the EOF, then we need to make sure as
                 * soon as we find a hole that the last extent we found
                 * is marked with FIEMAP_EXTENT_LAST
                 */
                if (!pastEof && (long)(logical + size) >= isize)
                    pastEof = true;
            }
            CondResched();
            if (FatalSignalPending())
            {
                ret = -EINTR;
                break;
            }

        } while (true);

        /* If ret is 1 then we just hit the end of the extent array */
        if (ret == 1)
            ret = 0;

        return ret;
    }
}

public static class Xattr
{
    private const int XATTR_NAME_MAX = 255;
    private const long XATTR_SIZE_MAX = 65536;
    private const int ERANGE = 34;
    private const int E2BIG = 7;

    // fs/xattr.c, getxattr(), v2.6.2x (kzalloc() of the value buffer, vfs_getxattr()). Correct: the name is
    // strncpy_from_user()ed with its overflow and fault cases turned into errnos, the value is read into a kernel
    // buffer capped at XATTR_SIZE_MAX, and only the bytes the filesystem returned (at most size) are copied out,
    // -EFAULT if that copy fails.
    public static long Getxattr(Helpers.Inode d, UserPtr name, UserPtr value, long size) // expect: none
    {
        long error;
        byte[]? kvalue = null;
        byte[] kname = new byte[XATTR_NAME_MAX + 1];

        error = StrncpyFromUser(kname, name);
        if (error == 0 || error == kname.Length)
            error = -ERANGE;
        if (error < 0)
            return error;

        if (size != 0)
        {
            if (size > XATTR_SIZE_MAX)
                size = XATTR_SIZE_MAX;
            kvalue = Helpers.KzallocOrNull((int)size);
            if (kvalue == null)
                return -ENOMEM;
        }

        error = Helpers.VfsGetxattr(d, kname, kvalue, size);
        if (error > 0)
        {
            if (size != 0 && CopyToUser(value, kvalue!.AsSpan(0, (int)error)) != 0)
                error = -EFAULT;
        }
        else if (error == -ERANGE && size >= XATTR_SIZE_MAX)
        {
            /* The file system tried to returned a value bigger
               than XATTR_SIZE_MAX bytes. Not possible. */
            error = -E2BIG;
        }
        /* kfree(kvalue); */
        return error;
    }
}

public static class BtrfsFiemap
{
    private const uint FIEMAP_EXTENT_LAST = 0x00000001;
    private const uint FIEMAP_EXTENT_UNKNOWN = 0x00000002;
    private const uint FIEMAP_EXTENT_DELALLOC = 0x00000004;
    private const uint FIEMAP_EXTENT_ENCODED = 0x00000008;
    private const uint FIEMAP_EXTENT_NOT_ALIGNED = 0x00000100;
    private const uint FIEMAP_EXTENT_DATA_INLINE = 0x00000200;
    private const uint FIEMAP_EXTENT_UNWRITTEN = 0x00000800;
    private const uint FIEMAP_EXTENT_SHARED = 0x00002000;
    private const ulong EXTENT_MAP_LAST_BYTE = ulong.MaxValue - 3;
    private const ulong EXTENT_MAP_INLINE = ulong.MaxValue - 2;
    private const ulong EXTENT_MAP_DELALLOC = ulong.MaxValue - 1;

    // fs/btrfs/extent_io.c, emit_fiemap_extent(), v4.15 to v6.7. Correct in itself: merges the new extent into the
    // cache or hands the cached one to fiemap_fill_next_extent(); it holds nothing (its caller's locks are judged
    // at the call). Returns what fiemap_fill_next_extent() returns.
    public static int EmitFiemapExtent(FiemapExtentInfo fieinfo, FiemapCache cache, ulong offset, ulong phys, ulong len, uint flags) // expect: none
    {
        int ret = 0;

        if (!cache.Cached)
            goto assign;

        /*
         * Sanity check, extent_fiemap() should have ensured that new
         * fiemap extent won't overlap with cached one.
         * Not recoverable.
         *
         * NOTE: Physical address can overlap, due to compression
         */
        if (cache.Offset + cache.Len > offset)
        {
            /* WARN_ON(1); */
            return -EINVAL;
        }

        /*
         * Only merges fiemap extents if
         * 1) Their logical addresses are continuous
         *
         * 2) Their physical addresses are continuous
         *    So truly compressed (physical size smaller than logical size)
         *    extents won't get merged with each other
         *
         * 3) Share same flags except FIEMAP_EXTENT_LAST
         *    So regular extent won't get merged with prealloc extent
         */
        if (cache.Offset + cache.Len == offset &&
            cache.Phys + cache.Len == phys &&
            (cache.Flags & ~FIEMAP_EXTENT_LAST) == (flags & ~FIEMAP_EXTENT_LAST))
        {
            cache.Len += len;
            cache.Flags |= flags;
            goto try_submit_last;
        }

        /* Not mergeable, need to submit cached one */
        ret = FsIoctl.FiemapFillNextExtent(fieinfo, cache.Offset, cache.Phys, cache.Len, cache.Flags);
        cache.Cached = false;
        if (ret != 0)
            return ret;
    assign:
        cache.Cached = true;
        cache.Offset = offset;
        cache.Phys = phys;
        cache.Len = len;
        cache.Flags = flags;
    try_submit_last:
        if ((cache.Flags & FIEMAP_EXTENT_LAST) != 0)
        {
            ret = FsIoctl.FiemapFillNextExtent(fieinfo, cache.Offset, cache.Phys, cache.Len, cache.Flags);
            cache.Cached = false;
        }
        return ret;
    }

    // fs/btrfs/extent_io.c, emit_last_fiemap_cache(), v4.15 to v6.7. Correct in itself, as above.
    public static int EmitLastFiemapCache(FiemapExtentInfo fieinfo, FiemapCache cache) // expect: none
    {
        int ret;

        if (!cache.Cached)
            return 0;

        ret = FsIoctl.FiemapFillNextExtent(fieinfo, cache.Offset, cache.Phys, cache.Len, cache.Flags);
        cache.Cached = false;
        if (ret > 0)
            ret = 0;
        return ret;
    }

    // fs/btrfs/extent_io.c, extent_fiemap(), a v5.x tree (path->leave_spinning, btrfs_check_shared() with the two
    // preallocated ulists; the same lock_extent_bits() ... unlock_extent_cached() bracket from v3.x to v6.0, and
    // the 6.1 rewrite kept the range locked). Buggy: every extent reaches user space through
    // emit_fiemap_extent() -> fiemap_fill_next_extent() -> copy_to_user() while [start, start + len) is locked in
    // the inode's io tree, and a fault on a buffer mmapped from the same file range locks the same range
    // (btrfs_page_mkwrite(), the readpage path). b0ad381fa769 (v6.8): "Since we're copying the fiemap extent to
    // user space on every iteration we have the chance of pagefaulting. Because we hold the extent lock for the
    // entire range we could mkwrite into a range in the file that we have mmap'ed. This would deadlock", fixed by
    // collecting the extents in a kernel buffer and copying them out after unlocking. And the loop writes one
    // extent per round into the caller's fm_extents[] (up to fm_extent_count) with no fatal signal check, which
    // Filipe Manana's "btrfs: allow fiemap to be interruptible" (v6.1) added to this loop ("if
    // (fatal_signal_pending(current)) { ret = -EINTR; goto out_free; }"): "Doing fiemap on a file with a very
    // large number of extents can take a very long time ... so make it interruptible".
    public static int ExtentFiemapV5(BtrfsInode inode, FiemapExtentInfo fieinfo, ulong start, ulong len)
    {
        int ret = 0;
        ulong off = start;
        ulong max = start + len;
        uint flags = 0;
        ulong last;
        ulong lastForGetExtent = 0;
        ulong disko = 0;
        ulong isize = (ulong)inode.ISize;
        Helpers.ExtentMap? em = null;
        var cache = new FiemapCache();
        int end = 0;
        ulong emStart = 0;
        ulong emLen = 0;
        ulong emEnd = 0;

        if (len == 0)
            return -EINVAL;

        /* path = btrfs_alloc_path(); path->leave_spinning = 1; roots/tmp_ulist = ulist_alloc(GFP_KERNEL) */
        if (!Helpers.AllocPathAndUlists())
        {
            ret = -ENOMEM;
            goto out_free_ulist;
        }

        start = Helpers.RoundDown(start, 4096);
        len = Helpers.RoundUp(max, 4096) - start;

        /*
         * lookup the last file extent.  We're not using i_size here
         * because there might be preallocation past i_size
         */
        ret = Helpers.BtrfsLookupLastFileExtent(inode, out bool found, out ulong foundOffset);
        if (ret < 0)
            goto out_free_ulist;
        else
        {
            if (ret == 1)
                ret = 0;
        }

        /* No extents, but there might be delalloc bits */
        if (!found)
        {
            /* have to trust i_size as the end */
            last = ulong.MaxValue;
            lastForGetExtent = isize;
        }
        else
        {
            /*
             * remember the start of the last extent.  There are a
             * bunch of different factors that go into the length of the
             * extent, so its much less complex to remember where it started
             */
            last = foundOffset;
            lastForGetExtent = last + 1;
        }
        /* btrfs_release_path(path); */

        /*
         * we might have some extents allocated but more delalloc past those
         * extents.  so, we trust isize unless the start of the last extent is
         * beyond isize
         */
        if (last < isize)
        {
            last = ulong.MaxValue;
            lastForGetExtent = isize;
        }

        Helpers.LockExtentBits(inode, start, start + len - 1);

        em = Helpers.GetExtentSkipHoles(inode, start, lastForGetExtent, out int emErr);
        if (emErr != 0)
        {
            ret = emErr;
            goto out_;
        }
        if (em == null)
            goto out_;

        while (end == 0) // expect: UA4003
        {
            ulong offsetInExtent = 0;

            /* break if the extent we found is outside the range */
            if (em.Start >= max || em.End < off)
                break;

            /*
             * get_extent may return an extent that starts before our
             * requested range.  We have to make sure the ranges
             * we return to fiemap always move forward and don't
             * overlap, so adjust the offsets here
             */
            emStart = Math.Max(em.Start, off);

            /*
             * record the offset from the start of the extent
             * for adjusting the disk offset below.  Only do this if the
             * extent isn't compressed since our in ram offset may be past
             * what we have actually allocated on disk.
             */
            if (!em.Compressed)
                offsetInExtent = emStart - em.Start;
            emEnd = em.End;
            emLen = emEnd - emStart;
            flags = 0;
            if (em.BlockStart < EXTENT_MAP_LAST_BYTE)
                disko = em.BlockStart + offsetInExtent;
            else
                disko = 0;

            /*
             * bump off for our next call to get_extent
             */
            off = em.End;
            if (off >= max)
                end = 1;

            if (em.BlockStart == EXTENT_MAP_LAST_BYTE)
            {
                end = 1;
                flags |= FIEMAP_EXTENT_LAST;
            }
            else if (em.BlockStart == EXTENT_MAP_INLINE)
            {
                flags |= FIEMAP_EXTENT_DATA_INLINE | FIEMAP_EXTENT_NOT_ALIGNED;
            }
            else if (em.BlockStart == EXTENT_MAP_DELALLOC)
            {
                flags |= FIEMAP_EXTENT_DELALLOC | FIEMAP_EXTENT_UNKNOWN;
            }
            else if (fieinfo.FiExtentsMax != 0)
            {
                ulong bytenr = em.BlockStart - (em.Start - em.OrigStart);

                /*
                 * As btrfs supports shared space, this information
                 * can be exported to userspace tools via
                 * flag FIEMAP_EXTENT_SHARED.  If fi_extents_max == 0
                 * then we're just getting a count and we can skip the
                 * lookup stuff.
                 */
                ret = Helpers.BtrfsCheckShared(inode, bytenr);
                if (ret < 0)
                    goto out_free;
                if (ret != 0)
                    flags |= FIEMAP_EXTENT_SHARED;
                ret = 0;
            }
            if (em.Compressed)
                flags |= FIEMAP_EXTENT_ENCODED;
            if (em.Prealloc)
                flags |= FIEMAP_EXTENT_UNWRITTEN;

            /* free_extent_map(em); */
            em = null;
            if ((emStart >= last) || emLen == ulong.MaxValue ||
                (last == ulong.MaxValue && isize <= emEnd))
            {
                flags |= FIEMAP_EXTENT_LAST;
                end = 1;
            }

            /* now scan forward to see if this is really the last extent. */
            em = Helpers.GetExtentSkipHoles(inode, off, lastForGetExtent, out emErr);
            if (emErr != 0)
            {
                ret = emErr;
                goto out_;
            }
            if (em == null)
            {
                flags |= FIEMAP_EXTENT_LAST;
                end = 1;
            }
            ret = EmitFiemapExtent(fieinfo, cache, emStart, disko, emLen, flags); // expect: UA2002
            if (ret != 0)
            {
                if (ret == 1)
                    ret = 0;
                goto out_free;
            }
        }
    out_free:
        if (ret == 0)
            ret = EmitLastFiemapCache(fieinfo, cache); // expect: UA2002
        /* free_extent_map(em); */
    out_:
        Helpers.UnlockExtentCached(inode, start, start + len - 1);

    out_free_ulist:
        /* btrfs_free_path(path); ulist_free(roots); ulist_free(tmp_ulist); */
        return ret;
    }
}

public static class BtrfsIoctl
{
    private const int EISDIR = 21;
    private const int EACCES = 13;
    private const int EBADF = 9;
    private const int EXDEV = 18;
    private const ulong BTRFS_MAX_DEDUPE_LEN = 16 * 1024 * 1024;
    private const int BTRFS_LABEL_SIZE = 256;

    // fs/btrfs/ioctl.c, btrfs_ioctl_file_extent_same(), v4.4 (BTRFS_MAX_DEDUPE_LEN, the PAGE_CACHE_SIZE check; the
    // ioctl moved to the VFS as FIDEDUPERANGE in v4.5). Correct: dest_count is fetched with get_user() to size
    // memdup_user(), which fetches it again, but both loops are bounded by the first value (count) and the second
    // copy's dest_count is never read; only copy_to_user() hands it back. (The VFS hoist bounded its loop by
    // same->dest_count instead: CVE-2016-6516.) struct btrfs_ioctl_same_args: logical_offset 0, length 8,
    // dest_count (u16) 16, info[] at 24; struct btrfs_ioctl_same_extent_info (32 bytes): fd 0, logical_offset 8,
    // bytes_deduped 16, status (s32) 24.
    public static long BtrfsIoctlFileExtentSame(Helpers.BtrfsFile file, UserPtr argp) // expect: none
    {
        byte[]? same = null;
        int info;
        ulong off;
        ulong len;
        int i;
        int ret;
        long size;
        ulong bs = file.Blocksize;
        bool isAdmin = Helpers.Capable();
        ushort count;

        if (!file.ModeRead)
            return -EINVAL;

        ret = Helpers.MntWantWriteFile();
        if (ret != 0)
            return ret;

        if (GetUser(out count, (argp + 16).Cast<ushort>()) != 0)
        {
            ret = -EFAULT;
            goto out_;
        }

        size = 24 + count * 32; /* offsetof(struct btrfs_ioctl_same_args __user, info[count]) */

        same = Helpers.MemdupUser(argp, (int)size);

        if (same == null)
        {
            ret = -EFAULT; /* PTR_ERR(same) */
            same = null;
            goto out_;
        }

        off = BitConverter.ToUInt64(same, 0);
        len = BitConverter.ToUInt64(same, 8);

        /*
         * Limit the total length we will dedupe for each operation.
         * This is intended to bound the total time spent in this
         * ioctl to something sane.
         */
        if (len > BTRFS_MAX_DEDUPE_LEN)
            len = BTRFS_MAX_DEDUPE_LEN;

        if (bs < 4096)
        {
            /*
             * Btrfs does not support blocksize < page_size. As a
             * result, btrfs_cmp_data() won't correctly handle
             * this situation without an update.
             */
            ret = -EINVAL;
            goto out_;
        }

        ret = -EISDIR;
        if (file.IsDir)
            goto out_;

        ret = -EACCES;
        if (!file.IsReg)
            goto out_;

        /* pre-format output fields to sane values */
        for (i = 0; i < count; i++)
        {
            BitConverter.TryWriteBytes(same.AsSpan(24 + i * 32 + 16, 8), 0UL); /* same->info[i].bytes_deduped = 0ULL */
            BitConverter.TryWriteBytes(same.AsSpan(24 + i * 32 + 24, 4), 0); /* same->info[i].status = 0 */
        }

        for (i = 0, info = 24; i < count; i++, info += 32)
        {
            Helpers.BtrfsFile? dst = Helpers.Fdget(BitConverter.ToInt64(same, info));
            if (dst == null)
            {
                BitConverter.TryWriteBytes(same.AsSpan(info + 24, 4), -EBADF);
                continue;
            }

            int status;
            if (!(isAdmin || dst.ModeWrite))
                status = -EINVAL;
            else if (!dst.SameMount)
                status = -EXDEV;
            else if (dst.IsDir)
                status = -EISDIR;
            else if (!dst.IsReg)
                status = -EACCES;
            else
            {
                status = Helpers.BtrfsExtentSame(file, off, len, dst, BitConverter.ToUInt64(same, info + 8));
                if (status == 0)
                    BitConverter.TryWriteBytes(same.AsSpan(info + 16, 8), BitConverter.ToUInt64(same, info + 16) + len);
            }
            BitConverter.TryWriteBytes(same.AsSpan(info + 24, 4), status);
            /* fdput(dst_file); */
        }

        ret = CopyToUser(argp, same.AsSpan(0, (int)size));
        if (ret != 0)
            ret = -EFAULT;

    out_:
        Helpers.MntDropWriteFile();
        /* kfree(same); */
        return ret;
    }

    // fs/btrfs/ioctl.c, btrfs_ioctl_get_fslabel(), v4.x to v6.x. Correct: the label is memcpy()ed under
    // fs_info->super_lock (a spinlock) and copy_to_user() runs after spin_unlock(); its count becomes -EFAULT.
    public static int BtrfsIoctlGetFslabel(Helpers.BtrfsFsInfo fsInfo, UserPtr arg) // expect: none
    {
        int len;
        int ret;
        byte[] label = new byte[BTRFS_LABEL_SIZE];

        fsInfo.SuperLock.Lock(); /* spin_lock(&fs_info->super_lock) */
        Array.Copy(fsInfo.Label, label, BTRFS_LABEL_SIZE);
        fsInfo.SuperLock.Unlock(); /* spin_unlock(&fs_info->super_lock) */

        len = Helpers.Strnlen(label, BTRFS_LABEL_SIZE);

        if (len == BTRFS_LABEL_SIZE)
        {
            /* btrfs_warn(fs_info, "label is too long, return the first %zu bytes", --len); */
            --len;
        }

        ret = CopyToUser(arg, label.AsSpan(0, len));

        return ret != 0 ? -EFAULT : 0;
    }
}

public static class FscryptPolicy
{
    private const int ENOTDIR = 20;
    private const int ENOENT = 2;
    private const int ENOTEMPTY = 39;
    private const int EEXIST = 17;
    private const int EACCES = 13;
    private const int ENODATA = 61;

    // fs/crypto/policy.c, fscrypt_ioctl_set_policy(), v6.x (union fscrypt_policy, v1 12 bytes, v2 24 bytes).
    // Correct: the version byte is fetched with get_user() to size the copy, copy_from_user() fetches it again
    // with the rest, and the first value is written back over it ("version = policy.version; ...
    // policy.version = version;") before anything reads the copy.
    public static int FscryptIoctlSetPolicy(Helpers.Inode inode, UserPtr arg) // expect: none
    {
        byte[] policy = new byte[24]; /* union fscrypt_policy */
        byte[] existingPolicy = new byte[24];
        byte version;
        int size;
        int ret;

        if (GetUser(out policy[0], arg.Cast<byte>()) != 0)
            return -EFAULT;

        size = Helpers.FscryptPolicySize(policy);
        if (size <= 0)
            return -EINVAL;

        /*
         * We should just copy the remaining 'size - 1' bytes here, but a
         * bizarre bug in gcc 7 and earlier (fixed by gcc r255731) causes gcc to
         * think that size can be 0 here (despite the check above!) *and* that
         * it's a compile-time constant. ...
         *
         * Work around it by just copying the first byte again...
         */
        version = policy[0];
        if (CopyFromUser(policy.AsSpan(0, size), arg) != 0)
            return -EFAULT;
        policy[0] = version;

        if (!Helpers.InodeOwnerOrCapable(inode))
            return -EACCES;

        ret = Helpers.MntWantWriteFile();
        if (ret != 0)
            return ret;

        inode.ILock.DownWrite(); /* inode_lock(inode) */

        ret = Helpers.FscryptGetPolicy(inode, existingPolicy);
        if (ret == -ENODATA)
        {
            if (!inode.IsDir)
                ret = -ENOTDIR;
            else if (inode.IsDeadDir)
                ret = -ENOENT;
            else if (!Helpers.EmptyDir(inode))
                ret = -ENOTEMPTY;
            else
                ret = Helpers.SetEncryptionPolicy(inode, policy);
        }
        else if (ret == -EINVAL ||
                 (ret == 0 && !Helpers.FscryptPoliciesEqual(policy, existingPolicy)))
        {
            /* The file already uses a different encryption policy. */
            ret = -EEXIST;
        }

        inode.ILock.UpWrite(); /* inode_unlock(inode) */

        Helpers.MntDropWriteFile();
        return ret;
    }
}

public static class Quota
{
    private const int ENOSYS = 38;
    private const byte FS_QSTATV_VERSION1 = 1;
    private const int FS_QUOTA_STATV_SIZE = 160; /* sizeof(struct fs_quota_statv) */

    // fs/quota/quota.c, quota_getxstatev(), v4.x+ (quota_getstatev() on ->get_state). Correct: one byte (qs_version)
    // is copied in and checked, the whole struct is built in the kernel and copied out once, -EFAULT on failure.
    public static int QuotaGetxstatev(Helpers.SuperBlock sb, int type, UserPtr addr) // expect: none
    {
        byte[] fqs = new byte[FS_QUOTA_STATV_SIZE];
        int ret;

        if (!sb.HasGetState)
            return -ENOSYS;

        Array.Clear(fqs); /* memset(&fqs, 0, sizeof(fqs)) */
        if (CopyFromUser(fqs.AsSpan(0, 1), addr) != 0) /* Just read qs_version */
            return -EFAULT;

        /* If this kernel doesn't support user specified version, fail */
        switch (fqs[0])
        {
            case FS_QSTATV_VERSION1:
                break;
            default:
                return -EINVAL;
        }
        ret = Helpers.QuotaGetstatev(sb, type, fqs);
        if (ret == 0 && CopyToUser(addr, fqs.AsSpan(0, FS_QUOTA_STATV_SIZE)) != 0)
            return -EFAULT;
        return ret;
    }
}

public static class Helpers
{
    /// <summary>struct inode, reduced to what the ioctls test; i_rwsem.</summary>
    public sealed class Inode
    {
        public long ISize;
        public bool HasFiemap = true;
        public bool IsDir;
        public bool IsDeadDir;
        public RwSemaphore ILock = new();
    }

    /// <summary>struct super_block, reduced to whether s_qcop->get_state exists.</summary>
    public sealed class SuperBlock
    {
        public bool HasGetState = true;
    }

    /// <summary>struct btrfs_fs_info, reduced to super_lock and the label of the super block copy.</summary>
    public sealed class BtrfsFsInfo
    {
        public KernelSpinlock SuperLock = new();
        public byte[] Label = new byte[256];
    }

    /// <summary>An open btrfs file of the dedupe ioctl: its mode, type, mount and block size.</summary>
    public sealed class BtrfsFile
    {
        public bool ModeRead = true;
        public bool ModeWrite = true;
        public bool IsDir;
        public bool IsReg = true;
        public bool SameMount = true;
        public ulong Blocksize = 4096;
    }

    /// <summary>struct extent_map, reduced to what extent_fiemap() reads.</summary>
    public sealed class ExtentMap
    {
        public ulong Start;
        public ulong End;
        public ulong OrigStart;
        public ulong BlockStart;
        public bool Compressed;
        public bool Prealloc;
    }

    /// <summary>f2fs_sb_has_encrypt().</summary>
    public static bool F2fsSbHasEncrypt(F2fsSbInfo sbi) => true;

    /// <summary>mnt_want_write_file(): 0 or a negative errno.</summary>
    public static int MntWantWriteFile() => 0;

    /// <summary>mnt_drop_write_file().</summary>
    public static void MntDropWriteFile()
    {
    }

    /// <summary>uuid_is_nonzero().</summary>
    public static bool UuidIsNonzero(byte[] u)
    {
        for (int i = 0; i < 16; i++)
            if (u[i] != 0)
                return true;
        return false;
    }

    /// <summary>generate_random_uuid().</summary>
    public static void GenerateRandomUuid(byte[] uuid) => new Random(1).NextBytes(uuid.AsSpan(0, 16));

    /// <summary>f2fs_commit_super() (stub): writes the super block; 0 or a negative errno. Called with sb_lock held.</summary>
    public static int F2fsCommitSuper(F2fsSbInfo sbi, bool recover) => 0;

    /// <summary>f2fs_kzalloc(sbi, size, GFP_KERNEL).</summary>
    public static byte[]? F2fsKzalloc(int size) => new byte[size];

    /// <summary>utf16s_to_utf8s() (stub): the bytes written.</summary>
    public static int Utf16sToUtf8s(ushort[] src, int len, byte[] dst, int maxout) => 0;

    /// <summary>inode->i_op->fiemap() (stub): fills extents with fiemap_fill_next_extent(); 0 or a negative errno.</summary>
    public static int InodeFiemap(Inode inode, FiemapExtentInfo fieinfo, ulong start, ulong len) => 0;

    /// <summary>btrfs_alloc_path() and the two ulist_alloc(GFP_KERNEL) of extent_fiemap().</summary>
    public static bool AllocPathAndUlists() => true;

    /// <summary>round_down().</summary>
    public static ulong RoundDown(ulong x, ulong a) => x / a * a;

    /// <summary>round_up().</summary>
    public static ulong RoundUp(ulong x, ulong a) => (x + a - 1) / a * a;

    /// <summary>btrfs_lookup_file_extent(NULL, root, path, ino, -1, 0) and the key of the slot before: whether the
    /// inode has a file extent item and where the last one starts; &lt; 0, 0 or 1 as the search returns.</summary>
    public static int BtrfsLookupLastFileExtent(BtrfsInode inode, out bool found, out ulong offset)
    {
        found = false;
        offset = 0;
        return 1;
    }

    /// <summary>lock_extent_bits(&amp;inode->io_tree, start, end, &amp;cached_state).</summary>
    [Acquires("inode.IoTree")]
    public static void LockExtentBits(BtrfsInode inode, ulong start, ulong end) => inode.IoTree.Lock();

    /// <summary>unlock_extent_cached(&amp;inode->io_tree, start, end, &amp;cached_state).</summary>
    [Releases("inode.IoTree")]
    public static void UnlockExtentCached(BtrfsInode inode, ulong start, ulong end) => inode.IoTree.Unlock();

    /// <summary>get_extent_skip_holes() (stub): the next extent map that is not a hole, NULL past the end, or an
    /// ERR_PTR (err set).</summary>
    public static ExtentMap? GetExtentSkipHoles(BtrfsInode inode, ulong offset, ulong last, out int err)
    {
        err = 0;
        return null;
    }

    /// <summary>btrfs_check_shared() (stub): backref walk; &lt; 0, 0 or 1.</summary>
    public static int BtrfsCheckShared(BtrfsInode inode, ulong bytenr) => 0;

    /// <summary>capable(CAP_SYS_ADMIN).</summary>
    public static bool Capable() => false;

    /// <summary>memdup_user(): kmalloc() and copy_from_user(); null stands for the ERR_PTR.</summary>
    [MightFault]
    [UserAccess(AccessKind.Read, "src", Size = "len")]
    public static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    /// <summary>fdget(info->fd) (stub): the file or NULL.</summary>
    public static BtrfsFile? Fdget(long fd) => null;

    /// <summary>btrfs_extent_same() (stub): dedupes one range of kernel pages; 0 or a negative errno.</summary>
    public static int BtrfsExtentSame(BtrfsFile src, ulong loff, ulong len, BtrfsFile dst, ulong dstLoff) => 0;

    /// <summary>strnlen().</summary>
    public static int Strnlen(byte[] s, int max)
    {
        int i = 0;
        while (i < max && s[i] != 0)
            i++;
        return i;
    }

    /// <summary>fscrypt_policy_size(): 12 for v1 (version 0), 24 for v2, 0 otherwise.</summary>
    public static int FscryptPolicySize(byte[] policy) => policy[0] switch
    {
        0 => 12,
        2 => 24,
        _ => 0,
    };

    /// <summary>inode_owner_or_capable().</summary>
    public static bool InodeOwnerOrCapable(Inode inode) => true;

    /// <summary>fscrypt_get_policy() (stub): reads the inode's context; 0, -ENODATA or -EINVAL.</summary>
    public static int FscryptGetPolicy(Inode inode, byte[] policy) => -61;

    /// <summary>inode->i_sb->s_cop->empty_dir().</summary>
    public static bool EmptyDir(Inode inode) => true;

    /// <summary>set_encryption_policy() (stub): writes the context xattr; 0 or a negative errno.</summary>
    public static int SetEncryptionPolicy(Inode inode, byte[] policy) => 0;

    /// <summary>fscrypt_policies_equal().</summary>
    public static bool FscryptPoliciesEqual(byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b.AsSpan());

    /// <summary>struct buffer_head of get_block(): mapped or a hole, the block and the size mapped.</summary>
    public sealed class BufferHead
    {
        public bool Mapped;
        public long BBlocknr;
        public ulong BSize;
    }

    /// <summary>fiemap_check_flags(fieinfo, FIEMAP_FLAG_SYNC) (stub): 0 or -EBADR.</summary>
    public static int FiemapCheckFlags(FiemapExtentInfo fieinfo) => 0;

    /// <summary>logical_to_blk() with 4096-byte blocks.</summary>
    public static long LogicalToBlk(long offset) => offset >> 12;

    /// <summary>blk_to_logical() with 4096-byte blocks.</summary>
    public static long BlkToLogical(long blk) => blk << 12;

    /// <summary>get_block() (stub): maps the block (or leaves a hole); 0 or a negative errno.</summary>
    public static int GetBlock(Inode inode, long block, BufferHead bh, int create) => 0;

    /// <summary>kzalloc(size, GFP_KERNEL).</summary>
    public static byte[]? KzallocOrNull(int size) => new byte[size];

    /// <summary>vfs_getxattr() (stub): the value's length (at most size when size is not 0) or a negative errno.</summary>
    public static long VfsGetxattr(Inode d, byte[] kname, byte[]? kvalue, long size) => -61;

    /// <summary>quota_getstatev() (stub): fills the kernel struct from ->get_state(); 0 or a negative errno.</summary>
    public static int QuotaGetstatev(SuperBlock sb, int type, byte[] fqs) => 0;
}
