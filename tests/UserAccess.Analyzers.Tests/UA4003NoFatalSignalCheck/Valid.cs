using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Seeds;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA4003NoFatalSignalCheckAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA4003NoFatalSignalCheck;

/// <summary>UA4003. Span: the loop keyword. Arguments: the variable that advances.</summary>
public class Valid
{
    [Fact]
    public Task GenericPerformWriteV614()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.GenericPerformWriteV614);

    [Fact]
    public Task GenericPerformWriteBefore2021HadTheCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.GenericPerformWriteBefore2021);

    [Fact]
    public Task FutexRetryLoopDoesNotAdvance()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.FutexWakeOp);

    [Fact]
    public Task CanonicalLoopDoesNotAdvance()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.CanonicalLoop);

    [Fact]
    public Task CounterLoopOnTheSameWord()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<uint> uaddr)
    {
        int ret = 0;
        for (int tries = 0; tries < 3; tries++)
        {
            ret = GetUser(out uint v, uaddr);
            if (ret == 0)
                break;
        }
        return ret;
    }
}");

    [Fact]
    public Task FixedNumberOfRounds()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int Regs(UserPtr<ulong> uregs, ulong[] regs)
    {
        for (int i = 0; i < 16; i++)
        {
            if (GetUser(out regs[i], uregs + 8 * i) != 0)
                return -EFAULT;
        }
        return 0;
    }
}");

    [Fact]
    public Task GotoOnlyCycleHasNoLoopToPointAt()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr to, byte[] kbuf, int len)
    {
        int off = 0;
    next:
        if (off >= len)
            return 0;
        if (CopyToUser(to + off, kbuf.AsSpan(off, 64)) != 0)
            return -EFAULT;
        off += 64;
        goto next;
    }
}");

    [Fact]
    public Task CheckInTheMiddleOfTheBody()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr to, byte[] kbuf, int len)
    {
        int off = 0;
        while (off < len)
        {
            if (CopyToUser(to + off, kbuf.AsSpan(off, 64)) != 0)
                return -EFAULT;
            off += 64;
            if (FatalSignalPending())
                return -EINTR;
        }
        return 0;
    }
}");

    // sys_futex_waitv() validates nr_futexes against FUTEX_WAITV_MAX (128) before futex_parse_waitv()
    // copies the waiters in one by one (kernel/futex/syscalls.c; the check and the loop in one method
    // here): a loop of at most 128 rounds is no walk of a caller-chosen length.
    [Fact]
    public Task LoopOverACountValidatedSmallBeforeIt()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Futex
{
    const int FutexWaitvMax = 128;
    const int SizeofWaitv = 24;

    static int ParseWaitv(UserPtr uwaitv, int nrFutexes, byte[][] futexv)
    {
        if (nrFutexes == 0 || nrFutexes > FutexWaitvMax)
            return -EINVAL;

        for (int i = 0; i < nrFutexes; i++)
        {
            if (CopyFromUser(futexv[i], uwaitv + i * SizeofWaitv) != 0)
                return -EFAULT;
        }

        return 0;
    }
}");

    // drivers/char/mem.c, read_zero(): signal_pending() is true for SIGKILL too, so leaving on it leaves
    // when the task is killed.
    [Fact]
    public Task SignalPendingIsTheCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Mem
{
    const int PAGE_SIZE = 4096;

    static long ReadZero(UserPtr buf, long count)
    {
        long cleared = 0;
        while (count != 0)
        {
            long chunk = Math.Min(count, PAGE_SIZE);
            long left = ClearUser(buf + cleared, (int)chunk);
            if (left != 0)
            {
                cleared += chunk - left;
                return cleared != 0 ? cleared : -EFAULT;
            }
            cleared += chunk;
            count -= chunk;
            if (SignalPending())
                break;
            CondResched();
        }
        return cleared;
    }
}");

    // A helper that returns -ERESTARTSYS when a signal is pending, on every path through it (the test
    // drivers/char/mem.c does inline, moved out): its summary says it checks, whatever its name.
    [Fact]
    public Task HelperThatChecksOnEveryPathIsTheCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Mem
{
    const int ERESTARTSYS = 512;

    static int Interrupted() => SignalPending() ? -ERESTARTSYS : 0;

    static long WriteNull(UserPtr buf, long count, byte[] page)
    {
        long written = 0;
        while (written < count)
        {
            int chunk = (int)Math.Min(count - written, page.Length);
            if (CopyFromUser(page.AsSpan(0, chunk), buf + written) != 0)
                return -EFAULT;
            written += chunk;
            int err = Interrupted();
            if (err != 0)
                return written != 0 ? written : err;
        }
        return written;
    }
}");

    // fs/select.c, do_sys_poll(): nfds was checked against rlimit(RLIMIT_NOFILE), a limit the kernel holds.
    [Fact]
    public Task CountValidatedAgainstAKernelLimit()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Select
{
    const int RLIMIT_NOFILE = 7;

    static uint Rlimit(int resource) => 1024;

    static int GetPollfds(UserPtr ufds, uint nfds, ulong[] fds)
    {
        if (nfds > Rlimit(RLIMIT_NOFILE))
            return -EINVAL;

        for (uint i = 0; i < nfds; i++)
        {
            if (GetUser(out ulong fd, (ufds + 8 * i).Cast<ulong>()) != 0)
                return -EFAULT;
            fds[0] ^= fd;
        }
        return 0;
    }
}");

    // fs/aio.c, sys_io_submit(): nr is capped at the context's nr_events, fixed at io_setup().
    [Fact]
    public Task CountCappedByAFieldOfAKernelObject()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
sealed class Kioctx
{
    public long NrEvents;
}

class Aio
{
    static long IoSubmit(Kioctx ctx, long nr, UserPtr<ulong> iocbpp)
    {
        long ret = 0;
        int i;
        if (nr < 0)
            return -EINVAL;
        if (nr > ctx.NrEvents)
            nr = ctx.NrEvents;
        for (i = 0; i < nr; i++)
        {
            if (GetUser(out ulong iocb, iocbpp + i * 8) != 0)
            {
                ret = -EFAULT;
                break;
            }
        }
        return i != 0 ? i : ret;
    }
}");

    // mm/mempolicy.c, get_nodes(): maxnode is capped with min() by a constant (PAGE_SIZE * BITS_PER_BYTE).
    [Fact]
    public Task CountCappedByMinOfAConstant()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Mempolicy
{
    const int PAGE_SIZE = 4096;

    static int GetNodes(ulong[] nodes, UserPtr<ulong> nmask, long maxnode)
    {
        long longs = Math.Min(maxnode, PAGE_SIZE * 8) / 64;
        for (long k = 0; k < longs; k++)
        {
            if (GetUser(out ulong word, nmask + k * 8) != 0)
                return -EFAULT;
            nodes[0] |= word;
        }
        return 0;
    }
}");

    // kernel/groups.c, groups_to_user(): the count is the length of the task's group_info, memory the
    // kernel already holds, and every round indexes it.
    [Fact]
    public Task LoopOverAKernelArray()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Groups
{
    static int GroupsToUser(UserPtr<uint> grouplist, uint[] groupInfo)
    {
        int count = groupInfo.Length;
        for (int i = 0; i < count; i++)
        {
            if (PutUser(groupInfo[i], grouplist + i * 4) != 0)
                return -EFAULT;
        }
        return 0;
    }
}");

    // kernel/compat.c, compat_put_bitmap(): the user words are walked in step with the kernel bitmap
    // (mask[k++]), so the walk is as long as the kernel's bitmap.
    [Fact]
    public Task WalkInStepWithAKernelBuffer()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Compat
{
    static long CompatPutBitmap(UserPtr<uint> umask, ulong[] mask, ulong bitmapSize)
    {
        int k = 0;
        ulong nrCompatLongs = ((bitmapSize + 31) & ~31UL) / 32;
        while (nrCompatLongs > 1)
        {
            ulong m = mask[k++];
            if (PutUser((uint)m, umask) != 0 || PutUser((uint)(m >> 32), umask + 4) != 0)
                return -EFAULT;
            umask += 8;
            nrCompatLongs -= 2;
        }
        return 0;
    }
}");

    // fs/splice.c, get_iovec_page_array(): each round reads one iovec and fills its pages into
    // partial[buffers++] in an inner loop, so the walk of the iovec array ends before the kernel's
    // PIPE_BUFFERS slots overflow, whatever nr_vecs the caller passed.
    [Fact]
    public Task KernelBufferFilledInAnInnerLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Splice
{
    const int PIPE_BUFFERS = 16;

    static int GetIovecPageArray(UserPtr iov, uint nrVecs, int[] partial)
    {
        int buffers = 0, error = 0;
        while (nrVecs != 0)
        {
            error = GetUser(out ulong len, (iov + 8).Cast<ulong>());
            if (error != 0)
                break;
            int npages = (int)System.Math.Min(len / 4096 + 1, (ulong)(PIPE_BUFFERS - buffers));
            for (int i = 0; i < npages; i++)
            {
                partial[buffers] = 4096;
                buffers++;
            }
            if (buffers == PIPE_BUFFERS)
                break;
            nrVecs--;
            iov += 16;
        }
        return buffers != 0 ? buffers : error;
    }
}");

    // mm/gup.c, fault_in_readable(): one byte read per page; the fault of a killed task gives up, and a
    // round is one access.
    [Fact]
    public Task ProbeOnePerPage()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Gup
{
    const ulong PAGE_SIZE = 4096;
    const ulong PAGE_MASK = ~(PAGE_SIZE - 1);

    static ulong FaultInReadable(UserPtr uaddr, ulong size)
    {
        UserPtr start = uaddr;
        UserPtr end = new UserPtr((start.Address + size + PAGE_SIZE - 1) & PAGE_MASK);
        while (uaddr != end)
        {
            if (GetUser(out byte c, uaddr.Cast<byte>()) != 0)
                break;
            uaddr += (long)PAGE_SIZE;
        }
        return size > uaddr.Address - start.Address ? size - (uaddr.Address - start.Address) : 0;
    }
}");

    // kernel/events/core.c, perf_copy_attr(): the tail past the kernel's struct is walked byte by byte up
    // to uattr + size, and size was checked against PAGE_SIZE.
    [Fact]
    public Task PointerWalkToAnEndWithinAPage()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Perf
{
    const int PAGE_SIZE = 4096;
    const int E2BIG = 7;

    static int CheckZeroedTail(UserPtr uattr, uint size, int ksize)
    {
        if (size > PAGE_SIZE)
            return -E2BIG;
        if (size > ksize)
        {
            UserPtr addr = uattr + ksize;
            UserPtr end = uattr + size;
            for (; addr.Address < end.Address; addr += 1)
            {
                if (GetUser(out byte val, addr.Cast<byte>()) != 0)
                    return -EFAULT;
                if (val != 0)
                    return -E2BIG;
            }
        }
        return 0;
    }
}");

    // generic_perform_write()'s principle with the test on the fault path, as the canonical loop has it:
    // a round that made progress goes straight round again, a round that did not checks before faulting in.
    [Fact]
    public Task CheckOnTheFaultPathAfterAProgressRoundContinues()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int Read(byte[] kbuf, UserPtr ubuf)
    {
        int copied = 0;
        while (copied < kbuf.Length)
        {
            PagefaultDisable();
            int done = kbuf.Length - copied - CopyFromUser(kbuf.AsSpan(copied), ubuf + copied);
            PagefaultEnable();
            copied += done;
            if (done != 0)
                continue;
            if (FatalSignalPending())
                return -EINTR;
            if (FaultInReadable(ubuf + copied, kbuf.Length - copied) == kbuf.Length - copied)
                return -EFAULT;
        }
        return 0;
    }
}");

    // ff400_copy_msg_to_user(): the loop drains the kernel's message queue and leaves when the read
    // index meets the write index, so its rounds are bounded by what the kernel queued, not by count.
    [Fact]
    public Task LoopDrainingAKernelRing()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Parser
{
    public int PullPos;
    public int PushPos;
    public byte[][] Msgs = new byte[32][];
}

class C
{
    static long Copy(Parser parser, UserPtr buf, long count)
    {
        long consumed = 0;
        while (count >= 8 && parser.PullPos != parser.PushPos)
        {
            if (CopyToUser(buf + consumed, parser.Msgs[parser.PullPos]) != 0)
                return -EFAULT;
            ++parser.PullPos;
            if (parser.PullPos >= 32)
                parser.PullPos = 0;
            count -= 8;
            consumed += 8;
        }
        return consumed;
    }
}");

    // fs/aio.c aio_read_events_ring(): the ring's head and tail are read once into locals and wrapped at
    // the ring's size; the loop leaves when the head it moves by what each round copied meets the tail,
    // so its rounds are bounded by the events the kernel completed, however many the caller asked for.
    [Fact]
    public Task LoopDrainingASnapshotOfAKernelRing()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Kioctx
{
    public uint RingHead;
    public uint RingTail;
    public uint NrEvents;
    public byte[] Events = new byte[4096];
}

static class Helpers
{
    // The events between head and head + avail, the ring's pages mapped.
    public static byte[] RingEvents(Kioctx ctx, uint head, long avail) => new byte[avail * 32];
}

class C
{
    const int SIZEOF_IO_EVENT = 32;

    static long ReadEventsRing(Kioctx ctx, UserPtr @event, long nr)
    {
        uint head, tail;
        long ret = 0;

        head = ctx.RingHead;
        tail = ctx.RingTail;
        if (head == tail)
            return 0;
        head %= ctx.NrEvents;
        tail %= ctx.NrEvents;

        while (ret < nr)
        {
            long avail = (head <= tail ? tail : ctx.NrEvents) - head;
            if (head == tail)
                break;
            avail = Math.Min(avail, nr - ret);
            if (CopyToUser(@event + ret * SIZEOF_IO_EVENT, Helpers.RingEvents(ctx, head, avail)) != 0)
                return -EFAULT;
            ret += avail;
            head += (uint)avail;
            head %= ctx.NrEvents;
        }

        ctx.RingHead = head;
        return ret;
    }
}");

    // kernel/auditsc.c audit_log_single_execve_arg(): the argument is at most MAX_ARG_STRLEN - 1 bytes,
    // and every round logs MAX_EXECVE_AUDIT_LEN bytes of it, or all that is left.
    [Fact]
    public Task LengthBoundedBeforeTheLoopConsumedInChunks()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    const int MAX_EXECVE_AUDIT_LEN = 7500;
    const int MAX_ARG_STRLEN = 4096 * 32;

    static long Log(UserPtr p, long strlen, byte[] buf)
    {
        long len, lenLeft, toSend;
        lenLeft = len = strlen - 1;
        if (len < 0 || len > MAX_ARG_STRLEN - 1)
            return -1;
        do
        {
            if (lenLeft > MAX_EXECVE_AUDIT_LEN)
                toSend = MAX_EXECVE_AUDIT_LEN;
            else
                toSend = lenLeft;
            if (CopyFromUser(buf.AsSpan(0, (int)toSend), p) != 0)
                return -1;
            lenLeft -= toSend;
            p += toSend;
        }
        while (lenLeft > 0);
        return len + 1;
    }
}");

    // fs/exec.c copy_strings() since 9aea5a65aa7a: the outer loop walks argv, and each of its rounds runs
    // the inner loop over one string, which checks for a fatal signal every chunk.
    [Fact]
    public Task OuterLoopCoveredByTheInnerLoopsCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    const int PAGE_SIZE = 4096;

    [MightFault]
    static int StrnlenUser(UserPtr str, int n) => 1;

    static int CopyStrings(int argc, UserPtr argv, byte[] page)
    {
        while (argc-- > 0)
        {
            if (GetUser(out ulong str, (argv + argc * 8).Cast<ulong>()) != 0)
                return -EFAULT;
            int len = StrnlenUser(new UserPtr(str), PAGE_SIZE * 32);
            if (len == 0)
                return -EFAULT;
            while (len > 0)
            {
                if (FatalSignalPending())
                    return -EINTR;
                int bytesToCopy = Math.Min(len, PAGE_SIZE);
                len -= bytesToCopy;
                if (CopyFromUser(page.AsSpan(0, bytesToCopy), new UserPtr(str + (ulong)len)) != 0)
                    return -EFAULT;
            }
        }
        return 0;
    }
}");


    // drivers/isdn/hisax/config.c HiSax_readstatus() (v2.6.18): the reader's buffer takes the status ring of
    // the card in chunks of at most the ring's size. Every round only copies out of the ring the card
    // allocated: one copy_to_user() cut into chunks, which the kernel never made killable.
    [Fact]
    public Task ChunksOfAKernelObjectsRingCopiedOut()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
sealed class IsdnCardState
{
    public byte[] StatusBuf = new byte[4096];
    public int StatusRead;
}

class HiSax
{
    const int HISAX_STATUS_BUFSIZE = 4096;

    static int ReadStatus(IsdnCardState cs, UserPtr buf, int len)
    {
        UserPtr p = buf;
        int count = len, cnt;
        while (count != 0)
        {
            cnt = count > HISAX_STATUS_BUFSIZE ? HISAX_STATUS_BUFSIZE : count;
            if (CopyToUser(p, cs.StatusBuf.AsSpan(cs.StatusRead, cnt)) != 0)
                return -EFAULT;
            p += cnt;
            cs.StatusRead += cnt % HISAX_STATUS_BUFSIZE;
            count -= cnt;
        }
        return len;
    }
}");

    // mm/migrate.c do_pages_stat() (v2.6.29 to today): chunks of 16 entries copied in and out through arrays
    // of a constant size around the locked walk, which looks up the addresses the user gave. The kernel side
    // does not walk: the round costs what the copies cost (the lock is another task's critical section).
    [Fact]
    public Task ChunksCopiedInAndOutThroughConstantSizeArrays()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Migrate
{
    const int DO_PAGES_STAT_CHUNK_NR = 16;

    static int PageNodeOf(Mm mm, ulong addr) => 0;

    static void DoPagesStatArray(Mm mm, int nrPages, byte[] pages, byte[] status)
    {
        MmapReadLock(mm);
        for (int i = 0; i < nrPages; i++)
            status[4 * i] = (byte)PageNodeOf(mm, BitConverter.ToUInt64(pages, 8 * i));
        MmapReadUnlock(mm);
    }

    static int DoPagesStat(Mm mm, long nrPages, UserPtr pages, UserPtr status)
    {
        var chunkPages = new byte[DO_PAGES_STAT_CHUNK_NR * 8];
        var chunkStatus = new byte[DO_PAGES_STAT_CHUNK_NR * 4];
        while (nrPages != 0)
        {
            int chunkNr = (int)Math.Min(nrPages, DO_PAGES_STAT_CHUNK_NR);
            if (CopyFromUser(chunkPages.AsSpan(0, chunkNr * 8), pages) != 0)
                break;
            DoPagesStatArray(mm, chunkNr, chunkPages, chunkStatus);
            if (CopyToUser(status, chunkStatus.AsSpan(0, chunkNr * 4)) != 0)
                break;
            pages += chunkNr * 8;
            status += chunkNr * 4;
            nrPages -= chunkNr;
        }
        return nrPages != 0 ? -EFAULT : 0;
    }
}");

    // drivers/char/random.c get_random_bytes_user() (v5.17.y, 1448769c9cdb): the signal test sits under a
    // flag set once from the request's size; a large request tests every round, a short one never loops long.
    [Fact]
    public Task SignalTestUnderAFlagTheLoopNeverChanges()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Random
{
    static long GetRandomBytesUser(UserPtr buf, long nbytes)
    {
        bool largeRequest = nbytes > 256;
        long ret = 0;
        var output = new byte[64];
        do
        {
            if (largeRequest)
            {
                if (SignalPending())
                {
                    if (ret == 0)
                        ret = -512;
                    break;
                }
                CondResched();
            }
            long len = Math.Min(nbytes, 64);
            if (CopyToUser(buf, output.AsSpan(0, (int)len)) != 0)
            {
                ret = -EFAULT;
                break;
            }
            nbytes -= len;
            buf += len;
            ret += len;
        } while (nbytes != 0);
        return ret;
    }
}");

    // kernel/sched/core.c sched_copy_attr() (v5.3): the size is refused above PAGE_SIZE, then a 0 size is
    // given the named constant SCHED_ATTR_SIZE_VER0; the walk of the unknown tail ends within a page.
    [Fact]
    public Task TailWalkBoundedAfterASizeSetToANamedConstant()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class SchedCore
{
    private const int PAGE_SIZE = 4096;
    private const uint SCHED_ATTR_SIZE_VER0 = 48;
    private const uint SIZEOF_SCHED_ATTR = 56;

    static int SchedCopyAttr(UserPtr uattr, byte[] attr)
    {
        uint size;
        int ret;
        byte val;

        ret = GetUser(out size, uattr.Cast<uint>());
        if (ret != 0)
            return ret;
        if (size > PAGE_SIZE)
            return -7;
        if (size == 0)
            size = SCHED_ATTR_SIZE_VER0;
        if (size < SCHED_ATTR_SIZE_VER0)
            return -7;
        if (size > SIZEOF_SCHED_ATTR)
        {
            UserPtr addr = uattr + SIZEOF_SCHED_ATTR;
            UserPtr end = uattr + size;
            for (; addr.Address < end.Address; addr += 1)
            {
                ret = GetUser(out val, addr.Cast<byte>());
                if (ret != 0)
                    return -EFAULT;
                if (val != 0)
                    return -7;
            }
            size = SIZEOF_SCHED_ATTR;
        }
        return CopyFromUser(attr.AsSpan(0, (int)size), uattr) != 0 ? -EFAULT : 0;
    }
}");

    // drivers/gpu/drm/drm_file.c, drm_read(): every round that copies takes the first queued event off the
    // file's list first; the rounds that find none wait interruptibly.
    [Fact]
    public Task EachCopyTakesAQueuedEvent()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Drm
{
    static long Read(System.Collections.Generic.List<byte[]> events, KernelSpinlock eventLock, UserPtr buffer, ulong count)
    {
        long ret = 0;
        for (;;)
        {
            byte[]? e = null;
            eventLock.Lock();
            if (events.Count != 0)
            {
                e = events[0];
                events.RemoveAt(0);
            }
            eventLock.Unlock();
            if (e == null)
                break;
            if ((ulong)e.Length > count - (ulong)ret)
                break;
            if (CopyToUser(buffer + ret, e) != 0)
                return -EFAULT;
            ret += e.Length;
        }
        return ret;
    }
}");

    // kernel/printk.c, do_syslog(): the buffer is corrected for as many bytes as the copy loop left in i, and
    // that loop ran while i < count, with count capped at LOG_BUF_LEN.
    [Fact]
    public Task LoopBoundedByWhatAnEarlierCappedLoopLeft()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Printk
{
    const ulong LOG_BUF_LEN = 16384;

    static int Read(UserPtr buf, int len, byte[] log)
    {
        ulong i, count = (ulong)len;
        int error;
        if (count > LOG_BUF_LEN)
            count = LOG_BUF_LEN;
        for (i = 0; i < count; i++)
        {
            if (log[i] == 0)
                break;
            if (PutUser(log[i], (buf + (long)(count - 1 - i)).Cast<byte>()) != 0)
                return -EFAULT;
        }
        error = (int)i;
        if (i != count)
        {
            int offset = (int)count - error;
            for (i = 0; i < (ulong)error; i++)
            {
                if (GetUser(out byte c, (buf + (long)i + offset).Cast<byte>()) != 0 || PutUser(c, (buf + (long)i).Cast<byte>()) != 0)
                    return -EFAULT;
            }
        }
        return error;
    }
}");

    // do_syslog() in 2.6: the correcting loop sets error on a failed access and leaves at once, so every
    // round that goes on still tests the value the copy loop left; the counter starts again in the same
    // block that takes that value.
    [Fact]
    public Task LoopBoundedByWhatAnEarlierLoopLeftThoughItSetsTheBoundOnLeaving()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Printk
{
    const ulong LOG_BUF_LEN = 16384;

    static int Read(UserPtr buf, int len, byte[] log)
    {
        ulong i, count = (ulong)len;
        int error;
        if (count > LOG_BUF_LEN)
            count = LOG_BUF_LEN;
        for (i = 0; i < count; i++)
        {
            if (log[i] == 0)
                break;
            if (PutUser(log[i], (buf + (long)(count - 1 - i)).Cast<byte>()) != 0)
                return -EFAULT;
        }
        error = (int)i;
        for (i = 0; i < (ulong)error; i++)
        {
            if (GetUser(out byte c, (buf + (long)i + 1).Cast<byte>()) != 0 || PutUser(c, (buf + (long)i).Cast<byte>()) != 0)
            {
                error = -EFAULT;
                break;
            }
        }
        return error;
    }
}");

    // net/netlink/af_netlink.c, netlink_getsockopt() NETLINK_LIST_MEMBERSHIPS: the loop stores a word per
    // round while pos * 8 < nlk->ngroups, a count the kernel holds: at most ngroups / 32 rounds.
    [Fact]
    public Task ScaledCounterBoundedByAKernelLimit()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Netlink
{
    sealed class Sock { public int Ngroups; public ulong[] Groups = new ulong[4]; }

    static int ListMemberships(Sock nlk, UserPtr optval, int len)
    {
        int err = 0;
        for (int pos = 0; pos * 8 < nlk.Ngroups; pos += 4)
        {
            if (len - pos < 4)
                break;
            if (PutUser((uint)(nlk.Groups[pos / 8] >> ((pos % 8) * 8)), (optval + pos).Cast<uint>()) != 0)
            {
                err = -EFAULT;
                break;
            }
        }
        return err;
    }
}");

    // mm/maccess.c, strncpy_from_unsafe() (v4.4): a byte at a time with page faults disabled; no round
    // waits for a page, and the kernel's nofault walks have no signal check.
    [Fact]
    public Task WalkWithPageFaultsDisabled()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Maccess
{
    static long StrncpyFromUnsafe(byte[] dst, UserPtr unsafeAddr, long count)
    {
        UserPtr src = unsafeAddr;
        long ret;
        int d = 0;
        if (count <= 0)
            return 0;
        PagefaultDisable();
        do
        {
            ret = CopyFromUserNofault(dst.AsSpan(d, 1), src);
            d++;
            src = src + 1;
        } while (dst[d - 1] != 0 && ret == 0 && (long)(src.Address - unsafeAddr.Address) < count);
        dst[d - 1] = 0;
        PagefaultEnable();
        return ret != 0 ? -EFAULT : (long)(src.Address - unsafeAddr.Address);
    }
}");

    // drivers/hid/usbhid/hiddev.c, hiddev_read(): the read index wraps with a mask,
    // list->tail = (list->tail + 1) & (HIDDEV_BUFFER_SIZE - 1).
    [Fact]
    public Task LoopDrainingAKernelRingWrappedByAMask()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class HiddevList
{
    public int Head;
    public int Tail;
    public byte[][] Buffer = new byte[2048][];
}

class C
{
    static long Read(HiddevList list, UserPtr buffer, ulong count)
    {
        int retval = 0;
        while (list.Head != list.Tail && (ulong)(retval + 8) <= count)
        {
            if (CopyToUser(buffer + retval, list.Buffer[list.Tail]) != 0)
                return -EFAULT;
            retval += 8;
            list.Tail = (list.Tail + 1) & (2048 - 1);
        }
        return retval;
    }
}");

    // drivers/hid/usbhid/hiddev.c, hiddev_read(): the outer loop waits for events and drains them, and goes
    // round only while nothing was copied (while (retval == 0)): a round that walks the buffer leaves.
    [Fact]
    public Task LoopThatGoesRoundOnlyWhileNothingWasCopied()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ring
{
    public int Head;
    public int Tail;
    public byte[][] Buf = new byte[32][];
}

class C
{
    static long Read(Ring r, UserPtr buffer, ulong count)
    {
        int retval = 0;
        while (retval == 0)
        {
            if (r.Head == r.Tail)
            {
                if (count == 0)
                {
                    retval = -EAGAIN;
                    break;
                }
                Schedule();
                continue;
            }
            while (r.Head != r.Tail && (ulong)(retval + 8) <= count)
            {
                if (CopyToUser(buffer + retval, r.Buf[r.Tail]) != 0)
                    return -EFAULT;
                retval += 8;
                r.Tail = (r.Tail + 1) & 31;
            }
        }
        return retval;
    }
}");

    // drivers/gpu/drm/drm_mode_config.c, drm_mode_getresources(): an id stored for each framebuffer on the
    // file's list (list_for_each_entry()): one round per element the kernel holds.
    [Fact]
    public Task ForeachOverAKernelList()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Fb { public uint Id; }

class C
{
    static int GetResources(System.Collections.Generic.List<Fb> fbs, UserPtr<uint> fbId, uint countFbs)
    {
        int count = 0;
        foreach (var fb in fbs)
        {
            if (count < countFbs && PutUser(fb.Id, fbId + 4L * count) != 0)
                return -EFAULT;
            count++;
        }
        return count;
    }
}");

    // mm/mincore.c, mincore_vma() (v2.6.12): the page count is computed from an end capped at the vma's
    // end, ((end - vm_start) >> PAGE_SHIFT) + vm_pgoff, and consumed a page of status bytes at a time.
    [Fact]
    public Task CountdownOfALengthComputedFromAKernelLimit()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Vma { public ulong Start; public ulong End; public ulong Pgoff; }

class C
{
    static byte MincorePage(Vma vma, ulong pgoff) => 1;

    static long MincoreVma(Vma vma, ulong start, ulong end, UserPtr vec)
    {
        long error = 0, i, remaining;
        byte[] tmp = new byte[4096];

        start = ((start - vma.Start) >> 12) + vma.Pgoff;
        if (end > vma.End)
            end = vma.End;
        end = ((end - vma.Start) >> 12) + vma.Pgoff;

        remaining = (long)(end - start);
        for (i = 0; remaining > 0; remaining -= 4096, i++)
        {
            long thispiece = (remaining < 4096) ? remaining : 4096;
            for (int j = 0; j < thispiece; j++)
                tmp[j] = MincorePage(vma, start++);
            if (CopyToUser(vec + 4096 * i, tmp.AsSpan(0, (int)thispiece)) != 0)
            {
                error = -EFAULT;
                break;
            }
        }
        return error;
    }
}");

    // mm/migrate.c, do_pages_stat() of v2.6.28 (the walk; its mmap lock is UA2002's): a caller's array of
    // entries walked one entry a round. The kernel's signal checks sit in the loops that move data in bulk;
    // its walks of entries have none, before or after this one was cut into chunks. Reported only with
    // useraccess.signal_check_walks = all (Diagnostics.ForLoopOverAUserArray and the bound tests).
    [Fact]
    public Task WalkOfACallersArrayOfEntries()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class MovePages
{
    static int NodeOf(ulong addr) => addr == 0 ? -2 : 0;

    static int DoPagesStat(long nrPages, UserPtr pages, UserPtr status)
    {
        for (long i = 0; i < nrPages; i++)
        {
            if (GetUser(out ulong p, (pages + i * 8).Cast<ulong>()) != 0)
                return -EFAULT;
            if (PutUser(NodeOf(p), (status + i * 4).Cast<int>()) != 0)
                return -EFAULT;
        }
        return 0;
    }
}");

    // fs/splice.c, vmsplice_to_user(): the iovec pointer steps one struct iovec a round.
    [Fact]
    public Task WalkOfACallersIovecs()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Splice
{
    static long SpliceOut(ulong len) => (long)len;

    static long VmspliceToUser(UserPtr iov, ulong nrSegs)
    {
        long ret = 0;
        while (nrSegs != 0)
        {
            if (GetUser(out ulong len, (iov + 8).Cast<ulong>()) != 0)
                return -EFAULT;
            if (len == 0)
                break;
            ret += SpliceOut(len);
            nrSegs--;
            iov += 16;
        }
        return ret;
    }
}");
}
