using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Seeds;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA4003NoFatalSignalCheckAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA4003NoFatalSignalCheck;

/// <summary>
/// UA4003. Span: the loop keyword. Arguments: the variable that advances. The tests of how a walk's rounds
/// are bounded use walks of elements (a constant step under a page), which the rule reports only with
/// <c>useraccess.signal_check_walks = all</c> (the Strict preset): they run with it.
/// </summary>
public class Diagnostics
{
    private static Task VerifyAllWalksAsync(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
    {
        var test = new VerifyCS.Test
        {
            TestCode = source,
            TestState = { AnalyzerConfigFiles = { ("/.globalconfig", "is_global = true\nuseraccess.signal_check_walks = all\n") } },
        };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    [Fact]
    public Task BufferedWriteWithoutSignalCheck()
        => VerifyCS.VerifyAnalyzerAsync(
            Usings + RetrySeeds.BufferedWriteWithoutSignalCheck,
            VerifyCS.Diagnostic().At(0).WithArguments("written"));

    [Fact]
    public Task WhileLoopAdvancingThePointer_WithLocations()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr to, byte[] kbuf, int len)
    {
        int off = 0;
        {|#0:while|} (len > 0)
        {|#1:{
            int n = Math.Min(len, 4096);
            if ({|#2:CopyToUser(to, kbuf.AsSpan(off, n))|} != 0)
                return -EFAULT;
            to += n;
            off += n;
            len -= n;
        }|}
        return 0;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("to"));

    [Fact]
    public Task ForLoopOverAUserArray()
        => VerifyAllWalksAsync(Usings + @"
class C
{
    static int Sum(UserPtr<uint> array, int count, out uint sum)
    {
        sum = 0;
        {|#0:for|} (int i = 0; i < count; i++)
        {
            if (GetUser(out uint v, array + 4 * i) != 0)
                return -EFAULT;
            sum += v;
        }
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("i"));

    // rw_verify_area() bounds a read or write by MAX_RW_COUNT (INT_MAX rounded down to a page): no
    // bound on the rounds of a loop over it.
    [Fact]
    public Task LoopOverACountValidatedOnlyAgainstAHugeLimit()
        => VerifyAllWalksAsync(Usings + @"
class Vfs
{
    const int MaxRwCount = 0x7ffff000;

    static int ReadWords(UserPtr<uint> buf, int count, uint[] words)
    {
        if (count > MaxRwCount)
            return -EINVAL;

        {|#0:for|} (int i = 0; i < count; i++)
        {
            if (PutUser(words[i % words.Length], buf + i) != 0)
                return -EFAULT;
        }

        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("i"));

    // The count is checked against the context's limit, but the loop walks another one the caller chose.
    [Fact]
    public Task LimitCheckedOnAnotherCount()
        => VerifyAllWalksAsync(Usings + @"
sealed class Kioctx
{
    public long NrEvents;
}

class Aio
{
    static long Submit(Kioctx ctx, long nr, long count, UserPtr<ulong> iocbpp)
    {
        if (nr > ctx.NrEvents)
            return -EINVAL;
        {|#0:for|} (long i = 0; i < count; i++)
        {
            if (GetUser(out ulong iocb, iocbpp + i * 8) != 0)
                return -EFAULT;
        }
        return nr;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("i"));

    // The bound is checked only after the walk: the loop has already run its caller-chosen length.
    [Fact]
    public Task BoundCheckedAfterTheLoop()
        => VerifyAllWalksAsync(Usings + @"
class Groups
{
    const int NGROUPS_MAX = 65536;

    static int GroupsFromUser(uint[] groups, UserPtr<uint> grouplist, int count)
    {
        uint last = 0;
        {|#0:for|} (int i = 0; i < count; i++)
        {
            if (GetUser(out last, grouplist + i * 4) != 0)
                return -EFAULT;
        }
        if (count > NGROUPS_MAX)
            return -EINVAL;
        groups[0] = last;
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("i"));

    // The check runs only on rounds that copied a whole page; the other rounds walk on.
    [Fact]
    public Task SignalCheckedOnOneBranchOnly()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Mem
{
    static long Write(UserPtr buf, long count, byte[] page)
    {
        long written = 0;
        {|#0:while|} (written < count)
        {
            int chunk = (int)Math.Min(count - written, page.Length);
            if (CopyFromUser(page.AsSpan(0, chunk), buf + written) != 0)
                return -EFAULT;
            if (chunk == page.Length)
            {
                if (FatalSignalPending())
                    return -EINTR;
            }
            written += chunk;
        }
        return written;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("written"));

    // fs/exec.c, count() before 9aea5a65aa7a: MAX_ARG_STRINGS (0x7FFFFFFF) is a named constant, but far
    // above the 65,536 rounds a loop may run without a check.
    [Fact]
    public Task CounterComparedWithAHugeConstant()
        => VerifyAllWalksAsync(Usings + @"
class Exec
{
    const int MAX_ARG_STRINGS = 0x7FFFFFFF;

    static int Count(UserPtr<ulong> argv)
    {
        int i;
        {|#0:for|} (i = 0; i < MAX_ARG_STRINGS; i++)
        {
            if (GetUser(out ulong p, argv + i * 8) != 0)
                return -EFAULT;
            if (p == 0)
                break;
        }
        return i;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("i"));

    // A count that steps down to zero is bounded by where it starts: here, by the caller.
    [Fact]
    public Task CounterSteppingDownFromTheCallersCount()
        => VerifyAllWalksAsync(Usings + @"
class C
{
    static int Clear(UserPtr<uint> p, int count)
    {
        {|#0:for|} (; count > 0; count--)
        {
            if (PutUser(0u, p) != 0)
                return -EFAULT;
            p += 4;
        }
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("p"));

    // A page a round, but each round copies the page: no probe, a walk of the caller's length.
    [Fact]
    public Task PageStepThatCopiesThePage()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    const int PAGE_SIZE = 4096;

    static int Fill(UserPtr buf, long count, byte[] page)
    {
        {|#0:for|} (long done = 0; done < count; done += PAGE_SIZE)
        {
            if (CopyToUser(buf + done, page.AsSpan(0, PAGE_SIZE)) != 0)
                return -EFAULT;
        }
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("done"));

    // The kernel buffer is indexed only on some rounds: it does not bound the others.
    [Fact]
    public Task KernelBufferIndexedOnSomeRoundsOnly()
        => VerifyAllWalksAsync(Usings + @"
class C
{
    static int Read(UserPtr<uint> words, int count, uint[] seen)
    {
        int n = 0;
        {|#0:for|} (int i = 0; i < count; i++)
        {
            if (GetUser(out uint w, words + i * 4) != 0)
                return -EFAULT;
            if (w != 0)
                seen[i] = w;
        }
        return n;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("i"));

    // The inner loop fills the kernel buffer from slot 0 again every round: the slots bound the inner
    // loop, not the walk of the caller's array.
    [Fact]
    public Task KernelBufferRefilledFromTheStartEveryRound()
        => VerifyAllWalksAsync(Usings + @"
class C
{
    static int Read(UserPtr iov, uint nrVecs, int[] slots)
    {
        int error = 0;
        {|#0:while|} (nrVecs != 0)
        {
            error = GetUser(out ulong len, (iov + 8).Cast<ulong>());
            if (error != 0)
                break;
            int filled = 0;
            for (int i = 0; i < (int)(len % 8); i++)
            {
                slots[filled] = 4096;
                filled++;
            }
            nrVecs--;
            iov += 16;
        }
        return error;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("iov"));

    // The ring's indexes are compared but the loop never steps the read index: nothing is drained, so
    // the caller's count is what bounds the walk.
    [Fact]
    public Task LoopTestingAKernelRingItDoesNotDrain()
        => VerifyAllWalksAsync(Usings + @"
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
        {|#0:while|} (count >= 8 && parser.PullPos != parser.PushPos)
        {
            if (CopyToUser(buf + consumed, parser.Msgs[parser.PullPos]) != 0)
                return -EFAULT;
            count -= 8;
            consumed += 8;
        }
        return consumed;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("consumed"));

    // The audit_log_single_execve_arg() loop with the length validated against MAX_RW_COUNT only: 2 GiB
    // in chunks of 7500 bytes is far more rounds than a loop may run unchecked.
    [Fact]
    public Task LengthBoundedByMaxRwCountConsumedInChunks()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    const int MAX_EXECVE_AUDIT_LEN = 7500;
    const long MAX_RW_COUNT = 0x7ffff000;

    static long Log(UserPtr p, long count, byte[] buf)
    {
        long len, lenLeft, toSend;
        lenLeft = len = count;
        if (len < 0 || len > MAX_RW_COUNT)
            return -1;
        {|#0:do|}
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
        return len;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("p"));

    // The same chunk loop with a chunk the caller chooses (it may be 1 byte): no bound on the rounds.
    [Fact]
    public Task LengthConsumedInChunksOfTheCallersSize()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    const int MAX_ARG_STRLEN = 4096 * 32;

    static long Log(UserPtr p, long len, long chunk, byte[] buf)
    {
        if (len < 0 || len > MAX_ARG_STRLEN - 1)
            return -1;
        long lenLeft = len;
        {|#0:while|} (lenLeft > 0)
        {
            long toSend = Math.Min(lenLeft, chunk);
            if (CopyFromUser(buf.AsSpan(0, (int)toSend), p) != 0)
                return -1;
            lenLeft -= toSend;
            p += toSend;
        }
        return len;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("p"));

    // fs/exec.c copy_strings() before 9aea5a65aa7a: neither loop checks. The check belongs in the inner
    // loop, which every round of the outer one runs: one report, there.
    [Fact]
    public Task NestedWalkReportedOnTheInnerLoop()
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
            {|#0:while|} (len > 0)
            {
                int bytesToCopy = Math.Min(len, PAGE_SIZE);
                len -= bytesToCopy;
                if (CopyFromUser(page.AsSpan(0, bytesToCopy), new UserPtr(str + (ulong)len)) != 0)
                    return -EFAULT;
            }
        }
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("len"));

    // An inner loop that checks but runs on some rounds of the outer walk only: the other rounds walk
    // argv unchecked.
    [Fact]
    public Task InnerLoopCheckOnSomeRoundsOnly()
        => VerifyAllWalksAsync(Usings + @"
class C
{
    const int PAGE_SIZE = 4096;

    [MightFault]
    static int StrnlenUser(UserPtr str, int n) => 1;

    static int CopyStrings(int argc, UserPtr argv, byte[] page, bool copy)
    {
        {|#0:while|} (argc-- > 0)
        {
            if (GetUser(out ulong str, (argv + argc * 8).Cast<ulong>()) != 0)
                return -EFAULT;
            int len = StrnlenUser(new UserPtr(str), PAGE_SIZE * 32);
            if (len == 0)
                return -EFAULT;
            if (!copy)
                continue;
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
}",
            VerifyCS.Diagnostic().At(0).WithArguments("argc"));

    // drivers/char/mem.c read_mem() before 8619e5bdeee8: a bounce page of a constant size, as in
    // do_pages_stat(), but each round fills it from physical memory at the position the loop advances
    // (slow iomem stalled a killed task for minutes): the kernel side walks with the copy.
    [Fact]
    public Task BounceBufferFilledAtAnAdvancingKernelPosition()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Mem
{
    const int PAGE_SIZE = 4096;

    static int ProbeKernelRead(byte[] dst, long src, long size) => 0;

    static long ReadMem(UserPtr buf, long count, long p)
    {
        long read = 0;
        var bounce = new byte[PAGE_SIZE];
        {|#0:while|} (count > 0)
        {
            long sz = Math.Min(PAGE_SIZE - (p & (PAGE_SIZE - 1)), count);
            if (ProbeKernelRead(bounce, p, sz) != 0)
                return -EFAULT;
            if (CopyToUser(buf, bounce.AsSpan(0, (int)sz)) != 0)
                return -EFAULT;
            buf += sz;
            p += sz;
            count -= sz;
            read += sz;
        }
        return read;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("buf"));

    // fs/dax.c dax_iomap_actor() before d1908f52557b: each round maps the device memory at the file
    // position it advances and copies straight to or from it.
    [Fact]
    public Task DeviceMemoryMappedEveryRound()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Dax
{
    static long DaxMapAtomic(long pos, long size, out byte[] addr)
    {
        addr = new byte[size];
        return size;
    }

    static long DaxIomapActor(long pos, long length, UserPtr ubuf)
    {
        long end = pos + length, done = 0;
        {|#0:while|} (pos < end)
        {
            long mapLen = DaxMapAtomic(pos, Math.Min(end - pos, 4096), out byte[] daxAddr);
            if (mapLen < 0)
                return done != 0 ? done : mapLen;
            mapLen -= CopyToUser(ubuf + done, daxAddr.AsSpan(0, (int)mapLen));
            if (mapLen <= 0)
                break;
            pos += mapLen;
            done += mapLen;
        }
        return done;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("done"));

    // mm/filemap.c generic_perform_write(): a bounce page of a constant size, but every round also finds
    // the page-cache page at the file position it advances and writes it (write_begin, write_end).
    [Fact]
    public Task ChunksThroughAConstantPageIntoThePageCache()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Filemap
{
    static void WriteEnd(long pos, byte[] page, int copied)
    {
    }

    static long Write(UserPtr buf, long count, long pos)
    {
        var page = new byte[4096];
        long written = 0;
        {|#0:while|} (written < count)
        {
            int bytes = (int)Math.Min(page.Length, count - written);
            if (FaultInReadable(buf + written, bytes) == bytes)
                return written != 0 ? written : -EFAULT;
            PagefaultDisable();
            int copied = bytes - CopyFromUser(page.AsSpan(0, bytes), buf + written);
            PagefaultEnable();
            WriteEnd(pos, page, copied);
            pos += copied;
            written += copied;
        }
        return written;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("written"));

    // Chunks through a constant-size array, as in do_pages_stat(), on a loop its authors made a scheduling
    // point: cond_resched() says the loop runs long (count() before 9aea5a65aa7a had one), so a killed task
    // should be able to leave there too.
    [Fact]
    public Task ChunksThroughAConstantArrayOnALoopThatReschedules()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Chunks
{
    static int CopyOut(UserPtr status, long nr, byte[] source)
    {
        var chunk = new byte[64];
        {|#0:while|} (nr > 0)
        {
            int n = (int)Math.Min(nr, chunk.Length);
            source.AsSpan(0, n).CopyTo(chunk);
            if (CopyToUser(status, chunk.AsSpan(0, n)) != 0)
                return -EFAULT;
            status += n;
            nr -= n;
            CondResched();
        }
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("status"));

    // drivers/char/random.c get_random_bytes_user() (v5.17, before 1448769c9cdb): the signal test also needs
    // need_resched(), a flag of the scheduler that may never be set, so a killed task can read on to the end.
    [Fact]
    public Task SignalTestUnderAFlagAndACallThatMayNeverBeTrue()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Random
{
    static bool NeedResched() => false;

    static long GetRandomBytesUser(UserPtr buf, long nbytes)
    {
        bool largeRequest = nbytes > 256;
        long ret = 0;
        var output = new byte[64];
        {|#0:do|}
        {
            if (largeRequest && NeedResched())
            {
                if (SignalPending())
                {
                    if (ret == 0)
                        ret = -512;
                    break;
                }
                Schedule();
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
}",
            VerifyCS.Diagnostic().At(0).WithArguments("buf"));

    // A flag the loop itself clears is no guard fixed for the request: after the first round no test runs
    // (the loop reschedules, so it is one its authors expect to run long).
    [Fact]
    public Task SignalTestUnderAFlagTheLoopClears()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Reader
{
    static long Read(UserPtr buf, long nbytes)
    {
        bool first = true;
        long ret = 0;
        var output = new byte[64];
        {|#0:while|} (nbytes != 0)
        {
            if (first)
            {
                if (FatalSignalPending())
                    return -EINTR;
                first = false;
            }
            CondResched();
            long len = Math.Min(nbytes, 64);
            if (CopyToUser(buf, output.AsSpan(0, (int)len)) != 0)
                return -EFAULT;
            nbytes -= len;
            buf += len;
            ret += len;
        }
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("buf"));

    // The same tail walk without the PAGE_SIZE refusal: the caller's size decides how far it goes.
    [Fact]
    public Task TailWalkOfACallerChosenSize()
        => VerifyAllWalksAsync(Usings + @"
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

        if (size == 0)
            size = SCHED_ATTR_SIZE_VER0;
        if (size < SCHED_ATTR_SIZE_VER0)
            return -7;
        if (size > SIZEOF_SCHED_ATTR)
        {
            UserPtr addr = uattr + SIZEOF_SCHED_ATTR;
            UserPtr end = uattr + size;
            {|#0:for|} (; addr.Address < end.Address; addr += 1)
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
}",
            VerifyCS.Diagnostic().At(0).WithArguments("addr"));

    // The queue is only looked at, never taken from: the same event is copied round after round.
    [Fact]
    public Task QueuePeekedButNeverTakenFrom()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Drm
{
    static long Read(System.Collections.Generic.List<byte[]> events, UserPtr buffer, ulong count)
    {
        long ret = 0;
        {|#0:for|} (;;)
        {
            byte[]? e = null;
            if (events.Count != 0)
                e = events[0];
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
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ret"));

    // The same correction loop where the earlier loop ran to the caller's count: nothing bounds what it left
    // (the earlier loop itself is bounded by the kernel log it indexes).
    [Fact]
    public Task LoopBoundedByWhatAnEarlierLoopToTheCallersCountLeft()
        => VerifyAllWalksAsync(Usings + @"
class Printk
{
    const ulong LOG_BUF_LEN = 16384;

    static int Read(UserPtr buf, int len, byte[] log)
    {
        ulong i, count = (ulong)len;
        int error;
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
            {|#1:for|} (i = 0; i < (ulong)error; i++)
            {
                if (GetUser(out byte c, (buf + (long)i + offset).Cast<byte>()) != 0 || PutUser(c, (buf + (long)i).Cast<byte>()) != 0)
                    return -EFAULT;
            }
        }
        return error;
    }
}",
            VerifyCS.Diagnostic().At(1).WithArguments("i"));

    // The counter is moved on after the earlier loop and before it is kept: it may be past the cap.
    [Fact]
    public Task CounterMovedOnAfterTheEarlierLoop()
        => VerifyAllWalksAsync(Usings + @"
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
        i += (ulong)len;
        error = (int)i;
        if (i != count)
        {
            int offset = (int)count - error;
            {|#0:for|} (i = 0; i < (ulong)error; i++)
            {
                if (GetUser(out byte c, (buf + (long)i + offset).Cast<byte>()) != 0 || PutUser(c, (buf + (long)i).Cast<byte>()) != 0)
                    return -EFAULT;
            }
        }
        return error;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("i"));

    // The same scaled counter compared with the caller's length: as many rounds as the caller asks.
    [Fact]
    public Task ScaledCounterBoundedByTheCallersLength()
        => VerifyAllWalksAsync(Usings + @"
class Netlink
{
    static int ListMemberships(ulong[] groups, UserPtr optval, int len)
    {
        int err = 0;
        {|#0:for|} (int pos = 0; pos * 8 < len; pos += 4)
        {
            if (PutUser((uint)groups[0], (optval + pos).Cast<uint>()) != 0)
            {
                err = -EFAULT;
                break;
            }
        }
        return err;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("pos"));

    // The same walk faults each page in before its nofault copy: a round may wait for the page.
    [Fact]
    public Task WalkWithPageFaultsDisabledThatFaultsIn()
        => VerifyAllWalksAsync(Usings + @"
class Maccess
{
    static long StrncpyFromUnsafe(byte[] dst, UserPtr unsafeAddr, long count)
    {
        UserPtr src = unsafeAddr;
        long ret;
        int d = 0;
        if (count <= 0)
            return 0;
        {|#0:do|}
        {
            if (FaultInReadable(src, 1) != 0)
                return -EFAULT;
            PagefaultDisable();
            ret = CopyFromUserNofault(dst.AsSpan(d, 1), src);
            PagefaultEnable();
            d++;
            src = src + 1;
        } while (dst[d - 1] != 0 && ret == 0 && (long)(src.Address - unsafeAddr.Address) < count);
        return ret != 0 ? -EFAULT : (long)(src.Address - unsafeAddr.Address);
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("src"));

    // The read index is set from the write index plus one: not a step of its own, so nothing says the
    // loop drains what the kernel queued.
    [Fact]
    public Task LoopSettingTheReadIndexFromTheWriteIndex()
        => VerifyAllWalksAsync(Usings + @"
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
        {|#0:while|} (list.Head != list.Tail && (ulong)(retval + 8) <= count)
        {
            if (CopyToUser(buffer + retval, list.Buffer[list.Tail]) != 0)
                return -EFAULT;
            retval += 8;
            list.Tail = (list.Head + 1) & (2048 - 1);
        }
        return retval;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("retval"));

    // aio_read_events_ring()'s loop with its indexes taken from the caller's request instead of the ring:
    // a struct is what copy_from_user() fills, so nothing the kernel queued bounds the rounds.
    [Fact]
    public Task LoopMeetingIndexesTheCallerChose()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Kioctx
{
    public uint NrEvents;
    public byte[] Events = new byte[4096];
}

static class Helpers
{
    // The events between head and head + avail, the ring's pages mapped.
    public static byte[] RingEvents(Kioctx ctx, uint head, long avail) => new byte[avail * 32];
}

struct Request
{
    public uint Head;
    public uint Tail;
}

class C
{
    const int SIZEOF_IO_EVENT = 32;

    static long ReadEventsRing(Kioctx ctx, UserPtr @event, long nr, UserPtr ureq)
    {
        uint head, tail;
        long ret = 0;
        Request req;

        if (CopyFromUser(out req, ureq.Cast<Request>()) != 0)
            return -EFAULT;
        head = req.Head;
        tail = req.Tail;
        head %= ctx.NrEvents;
        tail %= ctx.NrEvents;

        {|#0:while|} (ret < nr)
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

        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ret"));

    // The same loop with a head that the loop also moves back: it never has to meet the tail.
    [Fact]
    public Task LoopMovingASnapshotOfARingIndexBack()
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
        head %= ctx.NrEvents;
        tail %= ctx.NrEvents;

        {|#0:while|} (ret < nr)
        {
            long avail = (head <= tail ? tail : ctx.NrEvents) - head;
            if (head == tail)
                break;
            avail = Math.Min(avail, nr - ret);
            if (CopyToUser(@event + ret * SIZEOF_IO_EVENT, Helpers.RingEvents(ctx, head, avail)) != 0)
                return -EFAULT;
            ret += avail;
            head += (uint)avail;
            head -= 1;
        }

        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ret"));

    // The same loop goes round until the offset is an errno: every round may walk further.
    [Fact]
    public Task LoopThatGoesRoundUntilTheOffsetIsAnErrno()
        => VerifyAllWalksAsync(Usings + @"
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
        {|#0:while|} (retval != -EAGAIN)
        {
            if (r.Head == r.Tail)
            {
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
}",
            VerifyCS.Diagnostic().At(0).WithArguments("retval"));

    // An exit test bounds a counter that steps up only when the loop stays while the counter is below
    // the bound: `retval >= 0` stays while it is not below 0, however far it walks.
    [Fact]
    public Task LoopThatGoesRoundWhileTheOffsetIsNotNegative()
        => VerifyAllWalksAsync(Usings + @"
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
        {|#0:while|} (retval >= 0)
        {
            if (r.Head == r.Tail)
            {
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
}",
            VerifyCS.Diagnostic().At(0).WithArguments("retval"));

    // A foreach over a sequence made from the caller's count: as many rounds as the caller asks.
    [Fact]
    public Task ForeachOverARangeTheCallerSized()
        => VerifyAllWalksAsync(Usings + @"
class C
{
    static int Fill(UserPtr<uint> ids, int n)
    {
        int count = 0;
        {|#0:foreach|} (var id in System.Linq.Enumerable.Range(0, n))
        {
            if (PutUser((uint)id, ids + 4L * count) != 0)
                return -EFAULT;
            count++;
        }
        return count;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("count"));

    // mincore_vma() without the cap at the vma's end: the count is the caller's end minus its start.
    [Fact]
    public Task CountdownOfALengthComputedFromTheCallersEnd()
        => VerifyAllWalksAsync(Usings + @"
class Vma { public ulong Start; public ulong End; public ulong Pgoff; }

class C
{
    static byte MincorePage(Vma vma, ulong pgoff) => 1;

    static long MincoreVma(Vma vma, ulong start, ulong end, UserPtr vec)
    {
        long error = 0, i, remaining;
        byte[] tmp = new byte[4096];

        start = ((start - vma.Start) >> 12) + vma.Pgoff;
        end = ((end - vma.Start) >> 12) + vma.Pgoff;

        remaining = (long)(end - start);
        {|#0:for|} (i = 0; remaining > 0; remaining -= 4096, i++)
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
}",
            VerifyCS.Diagnostic().At(0).WithArguments("i"));

    // A walk by an index the access scales by a page moves a page a round: bulk data, reported by default.
    [Fact]
    public Task IndexScaledByAPageMovesBulkData()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Dump
{
    static long Read(UserPtr buf, long pages, byte[] page)
    {
        {|#0:for|} (long i = 0; i < pages; i++)
        {
            if (CopyToUser(buf + i * 4096, page.AsSpan(0, 4096)) != 0)
                return -EFAULT;
        }
        return pages * 4096;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("i"));
}
