// fs/: the dedupe ioctl double fetch (CVE-2016-6516) and its fix, mount options copied with partial copies
// accepted, select/poll/epoll copy-backs over a range checked once, readdir's unsafe stores, exec's argv
// walk, io_submit, FIBMAP, and the /proc clear_refs mmap lock made killable in 2019.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Fs;

public static class Vfs
{
    private const int PAGE_SIZE = 4096;
    private const int E2BIG = 7;
    private const int ERANGE = 34;
    private const int ESRCH = 3;
    private const int ERESTARTNOHAND = 514;

    // fs/ioctl.c, ioctl_file_dedupe_range(), v4.7 (before 10eec60ce791 "vfs: ioctl: prevent double-fetch in
    // dedupe ioctl", CVE-2016-6516). Buggy: dest_count is read to size the copy, then memdup_user() fetches
    // it again with the rest, and the second value bounds the loop over info[]. struct file_dedupe_range:
    // dest_count u16 at 16, info[] at 24 (32 bytes each). Also the 'ret = copy_to_user(); if (ret) ret =
    // -EFAULT;' idiom, correct in itself.
    public static long IoctlFileDedupeRangeV47(UserPtr argp)
    {
        byte[]? same = null;
        int ret;
        long size;
        ushort count;

        if (GetUser(out count, (argp + 16).Cast<ushort>()) != 0)
        {
            ret = -EFAULT;
            goto out_;
        }

        size = 24 + count * 32;

        same = Helpers.MemdupUser(argp, (int)size); // expect: UA3003
        if (same == null)
        {
            ret = -EFAULT;
            goto out_;
        }

        ret = Helpers.VfsDedupeFileRange(same);
        if (ret != 0)
            goto out_;

        ret = CopyToUser(argp, same.AsSpan(0, (int)size));
        if (ret != 0)
            ret = -EFAULT;

    out_:
        return ret;
    }

    // fs/ioctl.c, ioctl_file_dedupe_range(), v4.9 (after 10eec60ce791). Correct: the count read once is
    // written over the copied field.
    public static long IoctlFileDedupeRange(UserPtr argp) // expect: none
    {
        byte[]? same = null;
        int ret;
        long size;
        ushort count;

        if (GetUser(out count, (argp + 16).Cast<ushort>()) != 0)
        {
            ret = -EFAULT;
            goto out_;
        }

        size = 24 + count * 32;

        same = Helpers.MemdupUser(argp, (int)size);
        if (same == null)
        {
            ret = -EFAULT;
            goto out_;
        }

        BitConverter.TryWriteBytes(same.AsSpan(16, 2), count);

        ret = Helpers.VfsDedupeFileRange(same);
        if (ret != 0)
            goto out_;

        ret = CopyToUser(argp, same.AsSpan(0, (int)size));
        if (ret != 0)
            ret = -EFAULT;

    out_:
        return ret;
    }

    // fs/namespace.c, copy_mount_options(), v5.9. Correct: a partial copy is fine (options end where the
    // mapping ends); the tail is retried a byte at a time, bounded by PAGE_SIZE, and only a copy that got
    // nothing is -EFAULT.
    public static int CopyMountOptions(UserPtr data, out byte[]? result) // expect: none
    {
        byte[] copy;
        int left, offset;

        result = null;
        if (data == default)
            return 0;

        copy = new byte[PAGE_SIZE];

        left = CopyFromUser(copy, data);

        /* Not all architectures have an exact copy_from_user(). Resort to byte at a time. */
        offset = PAGE_SIZE - left;
        while (left != 0)
        {
            byte c;
            if (GetUser(out c, (data + offset).Cast<byte>()) != 0)
                break;
            copy[offset] = c;
            left--;
            offset++;
        }

        if (left == PAGE_SIZE)
            return -EFAULT;

        result = copy;
        return 0;
    }

    // fs/select.c, get_fd_set(), v5.15. Correct.
    public static int GetFdSet(ulong nr, UserPtr ufdset, byte[] fdset) // expect: none
    {
        int n = (int)((nr + 63) / 64 * 8);

        if (ufdset != default)
            return CopyFromUser(fdset.AsSpan(0, n), ufdset) != 0 ? -EFAULT : 0;

        fdset.AsSpan(0, n).Clear();
        return 0;
    }

    // fs/select.c, do_sys_poll() copy-back, v5.15. Correct: nfds was bounded by RLIMIT_NOFILE,
    // user_write_access_begin() checked all nfds pollfds, and revents (offset 6 of each 8-byte pollfd) is
    // stored unchecked while the pointer walks them.
    public static int DoSysPollCopyBack(UserPtr ufds, short[] revents, uint nfds, uint rlimitNofile) // expect: none
    {
        if (nfds > rlimitNofile)
            return -EINVAL;

        if (!AccessOk(ufds, nfds * 8UL))
            goto out_fds;

        for (int j = 0; j < nfds; j++, ufds += 8)
        {
            if (PutUserUnchecked(revents[j], (ufds + 6).Cast<short>()) != 0)
                goto Efault;
        }

        /* user_write_access_end() */
        return (int)nfds;

    Efault:
        /* user_write_access_end() */
    out_fds:
        return -EFAULT;
    }

    // include/linux/eventpoll.h, epoll_put_uevent(), v5.11. Correct: uevent lies in the events array that
    // do_epoll_wait() checked with access_ok() (x86-64 packs struct epoll_event: events 0, data 4).
    public static UserPtr EpollPutUevent(uint revents, ulong data, [RequiresAccessOk] UserPtr uevent) // expect: none
    {
        if (PutUserUnchecked(revents, uevent.Cast<uint>()) != 0 ||
            PutUserUnchecked(data, (uevent + 4).Cast<ulong>()) != 0)
            return default;

        return uevent + 12;
    }

    // fs/eventpoll.c, ep_send_events(), v5.11 (the ready list as arrays). Correct: entered with the events
    // array checked by do_epoll_wait(); at most maxevents (<= EP_MAX_EVENTS) are stored, under ep->mtx, a
    // plain mutex taken non-killably after an explicit fatal-signal check.
    public static int EpSendEvents(KernelMutex epMtx, uint[] ready, ulong[] data, [RequiresAccessOk] UserPtr events, int maxevents) // expect: none
    {
        int res = 0;

        if (FatalSignalPending())
            return -EINTR;

        epMtx.Lock();
        for (int k = 0; k < ready.Length; k++)
        {
            uint revents;

            if (res >= maxevents)
                break;

            revents = ready[k];
            if (revents == 0)
                continue;

            events = EpollPutUevent(revents, data[k], events);
            if (events == default)
            {
                if (res == 0)
                    res = -EFAULT;
                break;
            }

            res++;
        }

        epMtx.Unlock();

        return res;
    }

    // fs/eventpoll.c, do_epoll_wait() checks, v5.11. Correct: the range check of the whole array that
    // ep_send_events() relies on.
    public static int DoEpollWait(KernelMutex epMtx, uint[] ready, ulong[] data, UserPtr events, int maxevents) // expect: none
    {
        const int EP_MAX_EVENTS = int.MaxValue / 12;

        /* The maximum number of event must be greater than zero */
        if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
            return -EINVAL;

        /* Verify that the area passed by the user is writeable */
        if (!AccessOk(events, (ulong)maxevents * 12))
            return -EFAULT;

        return EpSendEvents(epMtx, ready, data, events, maxevents);
    }

    // fs/exec.c, get_user_arg_ptr() (native), v5.15. Correct.
    public static long GetUserArgPtr(UserPtr<ulong> argv, int nr, out UserPtr p) // expect: none
    {
        ulong native;

        p = default;
        if (GetUser(out native, argv + nr * 8) != 0)
            return -EFAULT;

        p = new UserPtr(native);
        return 0;
    }

    // fs/exec.c, count(), v5.15. Correct: the argv walk is bounded by max and stops on a fatal signal.
    public static int Count(UserPtr<ulong> argv, int max) // expect: none
    {
        int i = 0;

        if (argv != default)
        {
            for (;;)
            {
                if (GetUserArgPtr(argv, i, out UserPtr p) != 0)
                    return -EFAULT;
                if (p == default)
                    break;

                if (i >= max)
                    return -E2BIG;
                ++i;

                if (FatalSignalPending())
                    return -ERESTARTNOHAND;
                CondResched();
            }
        }

        return i;
    }

    // fs/ioctl.c, ioctl_fibmap(), v5.15. Correct: get_user(), range checks, put_user() of the result.
    public static int IoctlFibmap(UserPtr<int> p, bool capSysRawio) // expect: none
    {
        int error, urBlock;
        long block;

        if (!capSysRawio)
            return -EPERM;

        error = GetUser(out urBlock, p);
        if (error != 0)
            return error;

        if (urBlock < 0)
            return -EINVAL;

        block = urBlock;
        error = Helpers.Bmap(ref block);

        if (block > int.MaxValue)
            error = -ERANGE;

        urBlock = (int)block;

        if (error != 0)
            return error;

        error = PutUser(urBlock, p);

        return error;
    }

    // fs/aio.c, sys_io_submit(), v5.15. Correct: nr is capped at the context's nr_events (fixed at
    // io_setup(), bounded by aio-max-nr), each iocb pointer is fetched with get_user().
    public static long SysIoSubmit(Kioctx ctx, long nr, UserPtr<ulong> iocbpp) // expect: none
    {
        long ret = 0;
        int i = 0;

        if (nr < 0)
            return -EINVAL;

        if (nr > ctx.NrEvents)
            nr = ctx.NrEvents;

        for (i = 0; i < nr; i++)
        {
            ulong userIocb;

            if (GetUser(out userIocb, iocbpp + i * 8) != 0)
            {
                ret = -EFAULT;
                break;
            }

            ret = Helpers.IoSubmitOne(new UserPtr(userIocb));
            if (ret != 0)
                break;
        }

        return i != 0 ? i : ret;
    }

    // fs/proc/task_mmu.c, clear_refs_write(), v5.2 (before "proc: use down_read_killable mmap_sem for
    // /proc/pid/clear_refs", 2019; the soft-dirty VMA walk is not translated). Buggy: a reader of the mmap
    // lock that a killed task cannot leave, in a function that already returns -EINTR when the write lock
    // is interrupted.
    public static long ClearRefsWriteV52(UserPtr buf, long count, TaskStruct? task)
    {
        const int CLEAR_REFS_ALL = 1, CLEAR_REFS_MM_HIWATER_RSS = 5, CLEAR_REFS_LAST = 6;
        var buffer = new byte[12];
        Mm? mm;
        int itype;
        int rv;

        if (count > buffer.Length - 1)
            count = buffer.Length - 1;
        if (CopyFromUser(buffer.AsSpan(0, (int)count), buf) != 0)
            return -EFAULT;
        rv = Helpers.Kstrtoint(buffer, out itype);
        if (rv < 0)
            return rv;
        if (itype < CLEAR_REFS_ALL || itype >= CLEAR_REFS_LAST)
            return -EINVAL;

        if (task == null)
            return -ESRCH;
        mm = GetTaskMm(task);
        if (mm != null)
        {
            if (itype == CLEAR_REFS_MM_HIWATER_RSS)
            {
                if (MmapWriteLockKillable(mm) != 0)
                {
                    count = -EINTR;
                    goto out_mm;
                }

                MmapWriteUnlock(mm);
                goto out_mm;
            }

            MmapReadLock(mm); // expect: UA2001
            Helpers.WalkPageRange(mm);
            MmapReadUnlock(mm);
        out_mm:
            Mmput(mm);
        }

        return count;
    }

    // fs/proc/task_mmu.c, clear_refs_write(), v5.3 (after the killable-mmap_sem series). Correct.
    public static long ClearRefsWrite(UserPtr buf, long count, TaskStruct? task) // expect: none
    {
        const int CLEAR_REFS_ALL = 1, CLEAR_REFS_MM_HIWATER_RSS = 5, CLEAR_REFS_LAST = 6;
        var buffer = new byte[12];
        Mm? mm;
        int itype;
        int rv;

        if (count > buffer.Length - 1)
            count = buffer.Length - 1;
        if (CopyFromUser(buffer.AsSpan(0, (int)count), buf) != 0)
            return -EFAULT;
        rv = Helpers.Kstrtoint(buffer, out itype);
        if (rv < 0)
            return rv;
        if (itype < CLEAR_REFS_ALL || itype >= CLEAR_REFS_LAST)
            return -EINVAL;

        if (task == null)
            return -ESRCH;
        mm = GetTaskMm(task);
        if (mm != null)
        {
            if (itype == CLEAR_REFS_MM_HIWATER_RSS)
            {
                if (MmapWriteLockKillable(mm) != 0)
                {
                    count = -EINTR;
                    goto out_mm;
                }

                MmapWriteUnlock(mm);
                goto out_mm;
            }

            if (MmapReadLockKillable(mm) != 0)
            {
                count = -EINTR;
                goto out_mm;
            }

            Helpers.WalkPageRange(mm);
            MmapReadUnlock(mm);
        out_mm:
            Mmput(mm);
        }

        return count;
    }

    // fs/readdir.c, filldir64(), v5.10. Correct: one user_write_access_begin() over the previous entry's
    // tail and the new entry, then unchecked stores to fields of both and the name copy.
    // struct linux_dirent64: d_ino 0, d_off 8, d_reclen 16, d_type 18, d_name 19.
    public static int Filldir64(GetdentsCallback64 buf, byte[] name, int namlen, long offset, ulong ino, byte dType) // expect: none
    {
        UserPtr dirent, prev;
        int reclen = (19 + namlen + 1 + 7) & ~7;
        int prevReclen;

        buf.Error = -EINVAL; /* only used if we fail.. */
        if (reclen > buf.Count)
            return -EINVAL;
        prevReclen = buf.PrevReclen;
        if (prevReclen != 0 && SignalPending())
            return -EINTR;
        dirent = buf.CurrentDir;
        prev = dirent - prevReclen;
        if (!AccessOk(prev, (ulong)(reclen + prevReclen)))
            goto efault;

        /* This might be 'dirent->d_off', but if so it will get overwritten */
        if (PutUserUnchecked(offset, (prev + 8).Cast<long>()) != 0)
            goto efault_end;
        if (PutUserUnchecked(ino, dirent.Cast<ulong>()) != 0)
            goto efault_end;
        if (PutUserUnchecked((ushort)reclen, (dirent + 16).Cast<ushort>()) != 0)
            goto efault_end;
        if (PutUserUnchecked(dType, (dirent + 18).Cast<byte>()) != 0)
            goto efault_end;
        if (Helpers.UnsafeCopyDirentName(dirent + 19, name, namlen) != 0)
            goto efault_end;

        /* user_write_access_end() */

        buf.PrevReclen = reclen;
        buf.CurrentDir = dirent + reclen;
        buf.Count -= reclen;
        return 0;

    efault_end:
        /* user_write_access_end() */
    efault:
        buf.Error = -EFAULT;
        return -EFAULT;
    }
}

/// <summary>struct kioctx: an AIO context; nr_events is fixed at io_setup().</summary>
public sealed class Kioctx
{
    public long NrEvents;
}

public sealed class GetdentsCallback64
{
    public UserPtr CurrentDir;
    public int PrevReclen;
    public int Count;
    public int Error;
}

internal static class Helpers
{
    /// <summary>memdup_user(): kmalloc() and copy_from_user(); null stands for the ERR_PTR.</summary>
    [MightFault]
    [UserAccess(AccessKind.Read, "src", Size = "len")]
    public static byte[]? MemdupUser(UserPtr src, int len)
    {
        var p = new byte[len];
        return CopyFromUser(p, src) != 0 ? null : p;
    }

    /// <summary>
    /// vfs_dedupe_file_range(): src_offset (0) and src_length (8), then info[] (from 24, 32 bytes each) for
    /// dest_count (16) entries, each one's status stored back. The per-file dedupe is a stub.
    /// </summary>
    [MightSleep]
    public static int VfsDedupeFileRange(byte[] same)
    {
        ulong off = BitConverter.ToUInt64(same, 0);
        ulong len = BitConverter.ToUInt64(same, 8);
        ushort count = BitConverter.ToUInt16(same, 16);
        for (int i = 0; i < count; i++)
        {
            int info = 24 + i * 32;
            BitConverter.TryWriteBytes(same.AsSpan(info + 24, 4), DedupeOne(BitConverter.ToInt64(same, info), off, len, BitConverter.ToUInt64(same, info + 8)));
        }

        return 0;
    }

    /// <summary>vfs_dedupe_file_range_one(): the status of one destination.</summary>
    public static int DedupeOne(long fd, ulong srcOffset, ulong length, ulong dstOffset) => 0;

    public static int Bmap(ref long block) => 0;

    [MightSleep]
    public static long IoSubmitOne(UserPtr userIocb) => 0;

    public static int Kstrtoint(byte[] s, out int value)
    {
        value = s[0] - '0';
        return 0;
    }

    [RequiresLock("mm.MmapLock", Shared = true)]
    public static void WalkPageRange(Mm mm)
    {
    }

    /// <summary>unsafe_copy_dirent_name(): the name and its NUL, stored without a range check of its own.</summary>
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Write, "dst", Size = "len")]
    public static int UnsafeCopyDirentName([RequiresAccessOk] UserPtr dst, byte[] name, int len)
    {
        for (int i = 0; i < len; i++)
        {
            if (PutUserUnchecked(name[i], (dst + i).Cast<byte>()) != 0)
                return -EFAULT;
        }

        return PutUserUnchecked((byte)0, (dst + len).Cast<byte>());
    }
}
