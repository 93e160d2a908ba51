using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Seeds;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA4004AllOrNothingFaultInAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA4004AllOrNothingFaultIn;

/// <summary>UA4004. Span: the comparison. Arguments: the fault-in, the comparison, the full size.</summary>
public class Valid
{
    [Fact]
    public Task FaultInBeforeTheLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr to, byte[] kbuf)
    {
        if (FaultInWriteable(to, kbuf.Length) != 0)
            return -EFAULT;
        for (int off = 0; off < kbuf.Length; off += 64)
        {
            if (CopyToUser(to + off, kbuf.AsSpan(off, 64)) != 0)
                return -EFAULT;
        }
        return 0;
    }
}");

    [Fact]
    public Task GenericPerformWriteV614ProgressCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.GenericPerformWriteV614);

    [Fact]
    public Task NotEqualsTheFullSizeIsAProgressCheck()
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
            int left = CopyFromUser(kbuf.AsSpan(done, n), p + done);
            PagefaultEnable();
            done += n - left;
            if (left != 0 && FaultInReadable(p + done, left) == left)
                return -EFAULT;
        }
        return 0;
    }
}");

    [Fact]
    public Task OutsideAnyLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr p, int n)
    {
        if (FaultInReadable(p, n) != 0)
            return -EFAULT;
        return 0;
    }
}");

    [Fact]
    public Task RetryOnlyLoopOnOneWord()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<uint> uaddr, out uint val)
    {
        while (true)
        {
            PagefaultDisable();
            int ret = GetUserUnchecked(out val, uaddr);
            PagefaultEnable();
            if (ret != -EFAULT)
                return ret;
            if (FaultInReadable(uaddr, sizeof(uint)) != 0)
                return -EFAULT;
        }
    }
}");
}
