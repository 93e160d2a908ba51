// Copy loops over a caller-sized user buffer that a fix made killable: drivers/char/mem.c read_kmem(),
// do_write_kmem() and write_kmem() before and after 8619e5bdeee8 "/dev/mem: Bail out upon SIGKILL."
// (Tetsuo Handa, v5.3, the /dev/kmem half of the fix whose read_mem()/write_mem() half is elsewhere in the
// corpus); fs/dax.c dax_iomap_actor() before and after d1908f52557b "fs: break out of
// iomap_file_buffered_write on fatal signals" (Michal Hocko, v4.11). Kernel memory, vmalloc areas and the
// DAX device mapping are stubs; the user pointer, the copies and the loop control are the kernel's. The
// sparc/m68k page-zero branch of the kmem functions (__ARCH_HAS_NO_PAGE_ZERO_MAPPED) is not translated.
// An iov_iter is the user pointer plus the bytes consumed so far.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.KillableCopyLoops;

public static class Kmem
{
    private const int ENXIO = 6;

    // drivers/char/mem.c, read_kmem(), v5.2. Buggy: both the direct-map loop and the vmalloc loop copy a
    // page at a time for as long as the caller's count lasts; "delaying termination of killed thread for
    // minutes is bad" (the commit).
    public static long ReadKmemV52(UserPtr buf, long count, ref long ppos)
    {
        long p = ppos;
        long lowCount, read, sz;
        byte[]? kbuf; /* k-addr because vread() takes vmlist_lock rwlock */
        int err = 0;

        read = 0;
        if (p < Helpers.HighMemory)
        {
            lowCount = count;
            if (count > Helpers.HighMemory - p)
                lowCount = Helpers.HighMemory - p;

            while (lowCount > 0) // expect: UA4003
            {
                sz = Helpers.SizeInsidePage(p, lowCount);

                /*
                 * On ia64 if a page has been mapped somewhere as
                 * uncached, then it must also be accessed uncached
                 * by the kernel or data corruption may occur
                 */
                kbuf = Helpers.XlateDevKmemPtr(p, sz);
                if (!Helpers.VirtAddrValid(kbuf))
                    return -ENXIO;

                if (CopyToUser(buf, kbuf!.AsSpan(0, (int)sz)) != 0)
                    return -EFAULT;
                buf += sz;
                p += sz;
                read += sz;
                lowCount -= sz;
                count -= sz;
            }
        }

        if (count > 0)
        {
            kbuf = Helpers.GetFreePage();
            if (kbuf == null)
                return -ENOMEM;
            while (count > 0) // expect: UA4003
            {
                sz = Helpers.SizeInsidePage(p, count);
                if (!Helpers.IsVmallocOrModuleAddr(p))
                {
                    err = -ENXIO;
                    break;
                }
                sz = Helpers.Vread(kbuf, p, sz);
                if (sz == 0)
                    break;
                if (CopyToUser(buf, kbuf.AsSpan(0, (int)sz)) != 0)
                {
                    err = -EFAULT;
                    break;
                }
                count -= sz;
                buf += sz;
                read += sz;
                p += sz;
            }
        }
        ppos = p;
        return read != 0 ? read : err;
    }

    // drivers/char/mem.c, read_kmem(), v5.3 (after 8619e5bdeee8). Correct: should_stop_iteration() after
    // every page of both loops; leaving the first loop also skips the second (count = 0).
    public static long ReadKmem(UserPtr buf, long count, ref long ppos) // expect: none
    {
        long p = ppos;
        long lowCount, read, sz;
        byte[]? kbuf; /* k-addr because vread() takes vmlist_lock rwlock */
        int err = 0;

        read = 0;
        if (p < Helpers.HighMemory)
        {
            lowCount = count;
            if (count > Helpers.HighMemory - p)
                lowCount = Helpers.HighMemory - p;

            while (lowCount > 0)
            {
                sz = Helpers.SizeInsidePage(p, lowCount);

                /*
                 * On ia64 if a page has been mapped somewhere as
                 * uncached, then it must also be accessed uncached
                 * by the kernel or data corruption may occur
                 */
                kbuf = Helpers.XlateDevKmemPtr(p, sz);
                if (!Helpers.VirtAddrValid(kbuf))
                    return -ENXIO;

                if (CopyToUser(buf, kbuf!.AsSpan(0, (int)sz)) != 0)
                    return -EFAULT;
                buf += sz;
                p += sz;
                read += sz;
                lowCount -= sz;
                count -= sz;
                if (Helpers.ShouldStopIteration())
                {
                    count = 0;
                    break;
                }
            }
        }

        if (count > 0)
        {
            kbuf = Helpers.GetFreePage();
            if (kbuf == null)
                return -ENOMEM;
            while (count > 0)
            {
                sz = Helpers.SizeInsidePage(p, count);
                if (!Helpers.IsVmallocOrModuleAddr(p))
                {
                    err = -ENXIO;
                    break;
                }
                sz = Helpers.Vread(kbuf, p, sz);
                if (sz == 0)
                    break;
                if (CopyToUser(buf, kbuf.AsSpan(0, (int)sz)) != 0)
                {
                    err = -EFAULT;
                    break;
                }
                count -= sz;
                buf += sz;
                read += sz;
                p += sz;
                if (Helpers.ShouldStopIteration())
                    break;
            }
        }
        ppos = p;
        return read != 0 ? read : err;
    }

    // drivers/char/mem.c, do_write_kmem(), v5.2. Buggy: the direct-map write twin; a write of gigabytes
    // to /dev/kmem keeps a killed task in the kernel until the caller's count is used up.
    public static long DoWriteKmemV52(long p, UserPtr buf, long count, ref long ppos)
    {
        long written, sz;
        long copied;

        written = 0;

        while (count > 0) // expect: UA4003
        {
            byte[]? ptr;

            sz = Helpers.SizeInsidePage(p, count);

            /*
             * On ia64 if a page has been mapped somewhere as uncached, then
             * it must also be accessed uncached by the kernel or data
             * corruption may occur.
             */
            ptr = Helpers.XlateDevKmemPtr(p, sz);
            if (!Helpers.VirtAddrValid(ptr))
                return -ENXIO;

            copied = CopyFromUser(ptr!.AsSpan(0, (int)sz), buf);
            if (copied != 0)
            {
                written += sz - copied;
                if (written != 0)
                    break;
                return -EFAULT;
            }
            buf += sz;
            p += sz;
            count -= sz;
            written += sz;
        }

        ppos += written;
        return written;
    }

    // drivers/char/mem.c, do_write_kmem(), v5.3 (after 8619e5bdeee8). Correct: a short write once a fatal
    // signal is pending.
    public static long DoWriteKmem(long p, UserPtr buf, long count, ref long ppos) // expect: none
    {
        long written, sz;
        long copied;

        written = 0;

        while (count > 0)
        {
            byte[]? ptr;

            sz = Helpers.SizeInsidePage(p, count);

            /*
             * On ia64 if a page has been mapped somewhere as uncached, then
             * it must also be accessed uncached by the kernel or data
             * corruption may occur.
             */
            ptr = Helpers.XlateDevKmemPtr(p, sz);
            if (!Helpers.VirtAddrValid(ptr))
                return -ENXIO;

            copied = CopyFromUser(ptr!.AsSpan(0, (int)sz), buf);
            if (copied != 0)
            {
                written += sz - copied;
                if (written != 0)
                    break;
                return -EFAULT;
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

    // drivers/char/mem.c, write_kmem(), v5.2 (do_write_kmem() writes the direct-map part). Buggy: the
    // vmalloc loop copies the rest of the caller's buffer a page at a time with no signal check.
    public static long WriteKmemV52(UserPtr buf, long count, ref long ppos)
    {
        long p = ppos;
        long wrote = 0;
        long virtr = 0;
        byte[]? kbuf; /* k-addr because vwrite() takes vmlist_lock rwlock */
        int err = 0;

        if (p < Helpers.HighMemory)
        {
            long toWrite = Math.Min(count, Helpers.HighMemory - p);
            wrote = DoWriteKmemV52(p, buf, toWrite, ref ppos);
            if (wrote != toWrite)
                return wrote;
            p += wrote;
            buf += wrote;
            count -= wrote;
        }

        if (count > 0)
        {
            kbuf = Helpers.GetFreePage();
            if (kbuf == null)
                return wrote != 0 ? wrote : -ENOMEM;
            while (count > 0) // expect: UA4003
            {
                long sz = Helpers.SizeInsidePage(p, count);
                long n;

                if (!Helpers.IsVmallocOrModuleAddr(p))
                {
                    err = -ENXIO;
                    break;
                }
                n = CopyFromUser(kbuf.AsSpan(0, (int)sz), buf);
                if (n != 0)
                {
                    err = -EFAULT;
                    break;
                }
                Helpers.Vwrite(kbuf, p, sz);
                count -= sz;
                buf += sz;
                virtr += sz;
                p += sz;
            }
        }

        ppos = p;
        return virtr + wrote != 0 ? virtr + wrote : err;
    }

    // drivers/char/mem.c, write_kmem(), v5.3 (after 8619e5bdeee8). Correct.
    public static long WriteKmem(UserPtr buf, long count, ref long ppos) // expect: none
    {
        long p = ppos;
        long wrote = 0;
        long virtr = 0;
        byte[]? kbuf; /* k-addr because vwrite() takes vmlist_lock rwlock */
        int err = 0;

        if (p < Helpers.HighMemory)
        {
            long toWrite = Math.Min(count, Helpers.HighMemory - p);
            wrote = DoWriteKmem(p, buf, toWrite, ref ppos);
            if (wrote != toWrite)
                return wrote;
            p += wrote;
            buf += wrote;
            count -= wrote;
        }

        if (count > 0)
        {
            kbuf = Helpers.GetFreePage();
            if (kbuf == null)
                return wrote != 0 ? wrote : -ENOMEM;
            while (count > 0)
            {
                long sz = Helpers.SizeInsidePage(p, count);
                long n;

                if (!Helpers.IsVmallocOrModuleAddr(p))
                {
                    err = -ENXIO;
                    break;
                }
                n = CopyFromUser(kbuf.AsSpan(0, (int)sz), buf);
                if (n != 0)
                {
                    err = -EFAULT;
                    break;
                }
                Helpers.Vwrite(kbuf, p, sz);
                count -= sz;
                buf += sz;
                virtr += sz;
                p += sz;
                if (Helpers.ShouldStopIteration())
                    break;
            }
        }

        ppos = p;
        return virtr + wrote != 0 ? virtr + wrote : err;
    }
}

public static class Dax
{
    private const long PAGE_SIZE = 4096;
    private const long PAGE_MASK = ~(PAGE_SIZE - 1);
    private const int EIO = 5;

    // fs/dax.c, dax_iomap_actor(), v4.10 (the iov_iter is the user pointer and its direction; the DAX
    // mapping is a stub). Buggy: "dax_iomap_actor has to handle the situation explicitly because it copies
    // data to the userspace directly": an OOM victim with access to the memory reserves kept copying the
    // whole request.
    public static long DaxIomapActorV410(Helpers.Inode inode, long pos, long length, UserPtr ubuf, bool write, Helpers.Iomap iomap)
    {
        long end = pos + length, done = 0;
        long ret = 0;

        if (!write)
        {
            end = Math.Min(end, inode.Size);
            if (pos >= end)
                return 0;

            if (iomap.Type == Helpers.IOMAP_HOLE || iomap.Type == Helpers.IOMAP_UNWRITTEN)
                return Math.Min(length, end - pos) - ClearUser(ubuf, Math.Min(length, end - pos));
        }

        if (iomap.Type != Helpers.IOMAP_MAPPED)
            return -EIO;

        while (pos < end) // expect: UA4003
        {
            long offset = pos & (PAGE_SIZE - 1);
            byte[]? daxAddr;
            long mapLen;
            long daxSize;

            daxSize = (length + offset + PAGE_SIZE - 1) & PAGE_MASK;
            mapLen = Helpers.DaxMapAtomic(iomap, pos, daxSize, out daxAddr);
            if (mapLen < 0)
            {
                ret = mapLen;
                break;
            }

            mapLen -= offset;
            if (mapLen > end - pos)
                mapLen = end - pos;

            if (write)
                mapLen = mapLen - CopyFromUser(daxAddr!.AsSpan((int)offset, (int)mapLen), ubuf + done);
            else
                mapLen = mapLen - CopyToUser(ubuf + done, daxAddr!.AsSpan((int)offset, (int)mapLen));
            Helpers.DaxUnmapAtomic(iomap);
            if (mapLen <= 0)
            {
                ret = mapLen != 0 ? mapLen : -EFAULT;
                break;
            }

            pos += mapLen;
            length -= mapLen;
            done += mapLen;
        }

        return done != 0 ? done : ret;
    }

    // fs/dax.c, dax_iomap_actor(), v4.11 (after d1908f52557b). Correct: "We need to check for fatal
    // signals and back off with a short write instead" (the page-cache invalidation v4.11 also added for
    // IOMAP_F_NEW is a stub).
    public static long DaxIomapActor(Helpers.Inode inode, long pos, long length, UserPtr ubuf, bool write, Helpers.Iomap iomap) // expect: none
    {
        long end = pos + length, done = 0;
        long ret = 0;

        if (!write)
        {
            end = Math.Min(end, inode.Size);
            if (pos >= end)
                return 0;

            if (iomap.Type == Helpers.IOMAP_HOLE || iomap.Type == Helpers.IOMAP_UNWRITTEN)
                return Math.Min(length, end - pos) - ClearUser(ubuf, Math.Min(length, end - pos));
        }

        if (iomap.Type != Helpers.IOMAP_MAPPED)
            return -EIO;

        /*
         * Write can allocate block for an area which has a hole page mapped
         * into page tables. We have to tear down these mappings so that data
         * written by write(2) is visible in mmap.
         */
        if (iomap.New)
            Helpers.InvalidateInodePages2Range(inode, pos >> 12, (end - 1) >> 12);

        while (pos < end)
        {
            long offset = pos & (PAGE_SIZE - 1);
            byte[]? daxAddr;
            long mapLen;
            long daxSize;

            if (FatalSignalPending())
            {
                ret = -EINTR;
                break;
            }

            daxSize = (length + offset + PAGE_SIZE - 1) & PAGE_MASK;
            mapLen = Helpers.DaxMapAtomic(iomap, pos, daxSize, out daxAddr);
            if (mapLen < 0)
            {
                ret = mapLen;
                break;
            }

            mapLen -= offset;
            if (mapLen > end - pos)
                mapLen = end - pos;

            if (write)
                mapLen = mapLen - CopyFromUser(daxAddr!.AsSpan((int)offset, (int)mapLen), ubuf + done);
            else
                mapLen = mapLen - CopyToUser(ubuf + done, daxAddr!.AsSpan((int)offset, (int)mapLen));
            Helpers.DaxUnmapAtomic(iomap);
            if (mapLen <= 0)
            {
                ret = mapLen != 0 ? mapLen : -EFAULT;
                break;
            }

            pos += mapLen;
            length -= mapLen;
            done += mapLen;
        }

        return done != 0 ? done : ret;
    }
}

public static class Helpers
{
    public const int IOMAP_HOLE = 1;
    public const int IOMAP_MAPPED = 3;
    public const int IOMAP_UNWRITTEN = 4;

    /// <summary>The end of the direct map (high_memory), as an offset into /dev/kmem.</summary>
    public const long HighMemory = 1L << 30;

    /// <summary>struct inode, reduced to its size.</summary>
    public sealed class Inode(long size)
    {
        public long Size = size;
    }

    /// <summary>struct iomap, reduced to its type, IOMAP_F_NEW and the device pages it maps.</summary>
    public sealed class Iomap(int type, bool isNew, byte[] device)
    {
        public int Type = type;
        public bool New = isNew;
        public byte[] Device = device;
    }

    public static long SizeInsidePage(long start, long size) => Math.Min(4096 - (start & 4095), size);

    /// <summary>xlate_dev_kmem_ptr(): the kernel page behind a /dev/kmem offset.</summary>
    public static byte[]? XlateDevKmemPtr(long p, long size) => p < HighMemory ? new byte[size] : null;

    public static bool VirtAddrValid(byte[]? ptr) => ptr != null;

    public static bool IsVmallocOrModuleAddr(long p) => p >= HighMemory;

    [MightSleep]
    public static byte[]? GetFreePage() => new byte[4096];

    /// <summary>vread(): the bytes read from a vmalloc area, 0 past its end.</summary>
    public static long Vread(byte[] kbuf, long p, long size) => size;

    public static void Vwrite(byte[] kbuf, long p, long size)
    {
    }

    /// <summary>should_stop_iteration() of drivers/char/mem.c since 8619e5bdeee8.</summary>
    [MightSleep]
    public static bool ShouldStopIteration()
    {
        CondResched();
        return FatalSignalPending();
    }

    /// <summary>dax_map_atomic(): the length mapped at the sector of pos, or an errno.</summary>
    public static long DaxMapAtomic(Iomap iomap, long pos, long size, out byte[]? addr)
    {
        addr = new byte[size];
        return size;
    }

    public static void DaxUnmapAtomic(Iomap iomap)
    {
    }

    public static void InvalidateInodePages2Range(Inode inode, long start, long end)
    {
    }
}
