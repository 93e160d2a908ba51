using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Seeds;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA4004AllOrNothingFaultInAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA4004AllOrNothingFaultIn;

/// <summary>UA4004. Span: the comparison. Arguments: the fault-in, the comparison, the full size.</summary>
public class Diagnostics
{
    [Fact]
    public Task GenericPerformWriteBefore2021()
        => VerifyCS.VerifyAnalyzerAsync(
            Usings + RetrySeeds.GenericPerformWriteBefore2021,
            VerifyCS.Diagnostic().WithLocation(1).WithLocation(0)
                .WithArguments("FaultInReadable", "FaultInReadable(buf + written, bytes) != 0", "bytes"));

    [Fact]
    public Task ReturnEfaultUnlessEverythingFaultedIn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr p, byte[] kbuf, int len)
    {
        int done = 0;
        while (done < len)
        {
            int n = Math.Min(len - done, 4096);
            PagefaultDisable();
            int left = CopyFromUser(kbuf.AsSpan(done, n), p);
            PagefaultEnable();
            if (left != 0)
            {
                if ({|#0:FaultInReadable(p, n) != 0|})
                    return -EFAULT;
                continue;
            }
            p += n;
            done += n;
        }
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FaultInReadable", "FaultInReadable(p, n) != 0", "n"));

    [Fact]
    public Task ResultInALocalComparedWithZero()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr to, byte[] kbuf)
    {
        for (int off = 0; off < kbuf.Length; off += 64)
        {
            PagefaultDisable();
            int left = CopyToUser(to + off, kbuf.AsSpan(off, 64));
            PagefaultEnable();
            if (left == 0)
                continue;
            int missing = FaultInWriteable(to + off, 64);
            if ({|#0:missing > 0|})
                return -EFAULT;
            off -= 64;
        }
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FaultInWriteable", "missing > 0", "64"));

    [Fact]
    public Task RetryOnlyWhenEverythingFaultedIn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static long M(UserPtr src, byte[] kbuf)
    {
        long done = 0;
        while (done < kbuf.Length)
        {
            int n = (int)Math.Min(kbuf.Length - done, 4096);
            PagefaultDisable();
            int left = CopyFromUser(kbuf.AsSpan((int)done, n), src + done);
            PagefaultEnable();
            done += n - left;
            if (left == 0)
                continue;
            if ({|#0:FaultInReadable(src + done, left) == 0|})
                continue;
            return -EFAULT;
        }
        return done;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FaultInReadable", "FaultInReadable(src + done, left) == 0", "left"));
}
