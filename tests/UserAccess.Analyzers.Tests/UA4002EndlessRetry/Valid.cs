using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Seeds;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA4002EndlessRetryAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA4002EndlessRetry;

/// <summary>UA4002. Span: the access. Arguments: the access, "without a fault-in" or "even when 'X' fails".</summary>
public class Valid
{
    [Fact]
    public Task CanonicalLoopWithANoFaultScope()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr, uint newval)
    {
        int ret;
        while (true)
        {
            using (NoFault())
            {
                ret = XchgUserInatomic(uaddr, newval, out uint oldval);
            }
            if (ret != -EFAULT)
                break;
            if (FatalSignalPending())
            {
                ret = -EINTR;
                break;
            }
            ret = FaultInUserWriteable(uaddr);
            if (ret != 0)
                break;
        }
        return ret;
    }
}");

    [Fact]
    public Task FutexWakeOpThroughHelperLeavingWhenTheFaultInFails()
        => VerifyCS.VerifyAnalyzerAsync(
            Usings + RetrySeeds.FutexWakeOpThroughHelper.Replace("{0}", "ret = FaultInUserWriteable(uaddr2);\n                if (ret != 0)\n                    return ret;"));

    [Fact]
    public Task CanonicalLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.CanonicalLoop);

    [Fact]
    public Task FutexWakeOpGotoRetry()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.FutexWakeOp);

    [Fact]
    public Task GenericPerformWriteV614()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.GenericPerformWriteV614);

    [Fact]
    public Task GenericPerformWriteBefore2021_TheFaultInGuardsTheRetry()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.GenericPerformWriteBefore2021);

    [Fact]
    public Task UmcgLoopBreaksWhenFixPagefaultFails()
        => VerifyCS.VerifyAnalyzerAsync(Usings + UA3001UnalignedUserAtomic.RuleCode.UmcgXchgUser64AsPosted);

    [Fact]
    public Task BoundedByACounter()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        int ret = -EFAULT;
        for (int tries = 0; tries < 3; tries++)
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, 1u, out uint old);
            PagefaultEnable();
            if (ret != -EFAULT)
                break;
        }
        return ret;
    }
}");

    [Fact]
    public Task RetriesOnlyOnEagain()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        int ret;
        do
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, 1u, out uint old);
            PagefaultEnable();
        }
        while (ret == -EAGAIN);
        return ret;
    }
}");

    [Fact]
    public Task LoopLeavesOnAnyError()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<uint> uaddr, int n)
    {
        for (int i = 0; i < n; i++)
        {
            PagefaultDisable();
            int ret = CopyToUserNofault(uaddr + 4 * i, new byte[4]);
            PagefaultEnable();
            if (ret < 0)
                return ret;
        }
        return 0;
    }
}");

    [Fact]
    public Task FaultInTestedDirectlyInTheCondition()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        while (true)
        {
            PagefaultDisable();
            int ret = FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1);
            PagefaultEnable();
            if (ret != -EFAULT)
                return ret;
            if (FaultInUserWriteable(uaddr) != 0)
                return -EFAULT;
        }
    }
}");

    [Fact]
    public Task AccessOutsideAnyLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        PagefaultDisable();
        int ret = XchgUserInatomic(uaddr, 1u, out uint old);
        PagefaultEnable();
        return ret;
    }
}");
}
