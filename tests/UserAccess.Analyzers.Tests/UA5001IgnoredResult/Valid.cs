using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA5001IgnoredResultAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA5001IgnoredResult;

/// <summary>UA5001. Span: the invocation (without the semicolon). Argument: the call.</summary>
public class Valid
{
    [Fact]
    public Task ArcUsrCmpxchg_Fixed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Arc
{
    static int UsrCmpxchg(UserPtr<uint> uaddr, uint expected, uint newval, out uint uval)
    {
        if (!AccessOk(uaddr, 4)) { uval = 0; return -EFAULT; }
        PreemptDisable();
        int ret = GetUserUnchecked(out uval, uaddr);
        if (ret == 0 && uval == expected)
            ret = PutUserUnchecked(newval, uaddr);
        PreemptEnable();
        return ret;
    }
}");

    [Fact]
    public Task DiscardIsAnExplicitIgnore()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(UserPtr<uint> p)
    {
        _ = PutUser(1u, p);
    }
}");

    [Fact]
    public Task CheckedInACondition()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p)
    {
        if (PutUser(1u, p) != 0)
            return -EFAULT;
        return 0;
    }
}");

    [Fact]
    public Task ReturnedOrStored()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Read(UserPtr<uint> p, out uint v) => GetUser(out v, p);

    static int Run(UserPtr<uint> p, UserPtr buf, byte[] data)
    {
        int left = CopyFromUser(data, buf);
        return GetUser(out _, p) | left;
    }
}");

    [Fact]
    public Task PassedAsArgument()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Check(int ret) => ret;

    static void Run(UserPtr<uint> p)
    {
        Check(PutUser(1u, p));
    }
}");

    [Fact]
    public Task CallsWithoutMustCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(Mm mm, UserPtr p)
    {
        PagefaultDisable();
        PagefaultEnable();
        AccessOk(p, 4);
        MmapReadLock(mm);
        MmapReadUnlock(mm);
    }
}");

    [Fact]
    public Task LambdaResultIsNotAStatement()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static Func<int> Run(UserPtr<uint> p) => () => PutUser(1u, p);
}");
}
