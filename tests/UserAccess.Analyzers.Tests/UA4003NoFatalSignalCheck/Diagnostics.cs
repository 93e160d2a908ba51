using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Seeds;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA4003NoFatalSignalCheckAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA4003NoFatalSignalCheck;

/// <summary>UA4003. Span: the loop keyword. Arguments: the variable that advances.</summary>
public class Diagnostics
{
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

    // rw_verify_area() bounds a read or write by MAX_RW_COUNT (INT_MAX rounded down to a page): no
    // bound on the rounds of a loop over it.
    [Fact]
    public Task LoopOverACountValidatedOnlyAgainstAHugeLimit()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
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
}
