using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Rules.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.NoFatalSignalCheckAnalyzer>;

namespace UserAccess.Analyzers.Tests.Rules;

/// <summary>UA4003. Span: the loop keyword. Arguments: the variable that advances.</summary>
public class NoFatalSignalCheckTests
{
    // ---- true positives ----

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
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
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

    // ---- near misses ----

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
}
