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
}
