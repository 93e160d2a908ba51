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

    // kernel/events/core.c, perf_copy_attr(): on a size the kernel does not take it tells user space the size
    // it expects, best effort; the call fails with -E2BIG whether or not that write lands.
    [Fact]
    public Task BestEffortSizeWriteBackBeforeTheErrorExit()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Perf
{
    const int E2BIG = 7;

    static int PerfCopyAttr(UserPtr uattr, byte[] attr)
    {
        int ret = GetUser(out uint size, (uattr + 4).Cast<uint>());
        if (ret != 0)
            return ret;
        if (size > 4096)
            goto err_size;
        ret = CopyFromUser(attr.AsSpan(0, (int)Math.Min(size, (uint)attr.Length)), uattr) != 0 ? -EFAULT : 0;
    out_:
        return ret;

    err_size:
        PutUser((uint)attr.Length, (uattr + 4).Cast<uint>());
        ret = -E2BIG;
        goto out_;
    }

    // kernel/sched/syscalls.c, sched_copy_attr(): the same write-back, then the error returned directly.
    static int SchedCopyAttr(UserPtr uattr, uint size)
    {
        if (size > 4096)
        {
            PutUser(56u, (uattr + 4).Cast<uint>());
            return -E2BIG;
        }
        return 0;
    }
}");

    // The same frame setup after the fix: every result or'ed into err is tested when err is returned.
    [Fact]
    public Task ResultsOredIntoAnErrorThatIsReturned()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Signal
{
    static int SetupRtFrame(UserPtr frame, ulong retcode)
    {
        int err = 0;
        if (!AccessOk(frame, 64))
            return -EFAULT;
        err |= PutUserUnchecked(1UL, frame.Cast<ulong>());
        err |= PutUserUnchecked(retcode, (frame + 8).Cast<ulong>());
        if (err != 0)
            return -EFAULT;
        return 0;
    }
}");
}
