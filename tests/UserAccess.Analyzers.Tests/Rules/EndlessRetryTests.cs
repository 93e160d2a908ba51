using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Rules.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.EndlessRetryAnalyzer>;

namespace UserAccess.Analyzers.Tests.Rules;

/// <summary>UA4002. Span: the access. Arguments: the access, "without a fault-in" or "even when 'X' fails".</summary>
public class EndlessRetryTests
{
    // ---- true positives ----

    [Fact]
    public Task DoWhileEfaultWithoutFaultIn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr, uint newval)
    {
        int ret;
        do
        {
            PagefaultDisable();
            ret = {|#0:XchgUserInatomic(uaddr, newval, out uint old)|};
            PagefaultEnable();
        }
        while (ret == -EFAULT);
        return ret;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(0).WithLocation(0).WithArguments("XchgUserInatomic", "without a fault-in"));

    [Fact]
    public Task AsyncFaultWorkerKeepsRetryingAfterFixupFails()
        => VerifyCS.VerifyAnalyzerAsync(
            Usings + RetrySeeds.AsyncFaultWorker,
            VerifyCS.Diagnostic().At(0).WithArguments("XchgUserInatomic", "even when 'FixupUserFault' fails"));

    [Fact]
    public Task FaultInResultIgnored()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        while (true)
        {
            PagefaultDisable();
            int ret = {|#0:FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1)|};
            PagefaultEnable();
            if (ret != -EFAULT)
                return ret;
            FaultInUserWriteable(uaddr);
        }
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FutexAtomicCmpxchgInatomic", "even when 'FaultInUserWriteable' fails"));

    [Fact]
    public Task FaultInFailureContinuesTheLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        int ret;
        while (true)
        {
            PagefaultDisable();
            ret = {|#0:CmpxchgUserInatomic(uaddr, 0u, 1u, out uint actual)|};
            PagefaultEnable();
            if (ret == 0)
                break;
            int fault = FaultInUserWriteable(uaddr);
            if (fault != 0)
                continue;
        }
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CmpxchgUserInatomic", "even when 'FaultInUserWriteable' fails"));

    [Fact]
    public Task ByteCountCopyRetriedWhileShort()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr src, byte[] dst)
    {
        int left;
        do
        {
            PagefaultDisable();
            left = {|#0:CopyFromUser(dst, src)|};
            PagefaultEnable();
        }
        while (left != 0);
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "without a fault-in"));

    [Fact]
    public Task FaultInLocationIsTheIgnoredFixup()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        while (true)
        {
            PagefaultDisable();
            int ret = {|#0:FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1)|};
            PagefaultEnable();
            if (ret != -EFAULT)
                return ret;
            {|#1:FaultInUserWriteable(uaddr)|};
        }
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(0).WithLocation(1).WithArguments("FutexAtomicCmpxchgInatomic", "even when 'FaultInUserWriteable' fails"));

    [Fact]
    public Task ShortCopyThatNeverAdvancesTheBuffer()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static long M(UserPtr buf, byte[] page, long count)
    {
        long written = 0;
        while (written < count)
        {
            PagefaultDisable();
            int left = {|#0:CopyFromUser(page, buf + written)|};
            PagefaultEnable();
            if (left != 0)
                continue;
            written += page.Length;
        }
        return written;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "without a fault-in"));

    [Fact]
    public Task FutexWakeOpThroughHelperIgnoringTheFaultIn()
        => VerifyCS.VerifyAnalyzerAsync(
            Usings + RetrySeeds.FutexWakeOpThroughHelper.Replace("{0}", "FaultInUserWriteable(uaddr2);"),
            VerifyCS.Diagnostic().At(0).WithArguments("FutexAtomicOpInuser", "even when 'FaultInUserWriteable' fails"));

    [Fact]
    public Task GotoRetryWithoutFaultIn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        int ret;
    retry:
        PagefaultDisable();
        ret = {|#0:FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1)|};
        PagefaultEnable();
        if (ret == -EFAULT)
        {
            CondResched();
            goto retry;
        }
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FutexAtomicCmpxchgInatomic", "without a fault-in"));

    // ---- near misses ----

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
        => VerifyCS.VerifyAnalyzerAsync(Usings + UnalignedUserAtomicTests.UmcgXchgUser64AsPosted);

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
