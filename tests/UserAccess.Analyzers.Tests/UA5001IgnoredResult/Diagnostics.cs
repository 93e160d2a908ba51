using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA5001IgnoredResultAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA5001IgnoredResult;

/// <summary>UA5001. Span: the invocation (without the semicolon). Argument: the call.</summary>
public class Diagnostics
{
    [Fact]
    public Task IgnoredUserAccesses()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(UserPtr<uint> p, UserPtr buf, byte[] data, int n)
    {
        {|#0:PutUser(1u, p)|};
        {|#1:CopyFromUser(data, buf)|};
        {|#2:FaultInReadable(buf, n)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUser"),
            VerifyCS.Diagnostic().At(1).WithArguments("CopyFromUser"),
            VerifyCS.Diagnostic().At(2).WithArguments("FaultInReadable"));

    [Fact]
    public Task IgnoredKillableLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(KernelMutex m)
    {
        {|#0:m.LockKillable()|};
        m.Unlock();
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("m.LockKillable"));

    [Fact]
    public Task UserMustCheckHelper()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    [MustCheck]
    static int ReadFlags(UserPtr<uint> p, out uint flags) => GetUser(out flags, p);

    static void Run(UserPtr<uint> p)
    {
        {|#0:ReadFlags(p, out _)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ReadFlags"));

    [Fact]
    public Task IgnoredInsideTryAndLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(UserPtr<uint> p, int n)
    {
        for (int i = 0; i < n; i++)
        {
            try
            {
                {|#0:PutUser((uint)i, p + 4 * i)|};
            }
            finally
            {
                CondResched();
            }
        }
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUser"));

    // ARC's sys_arc_usr_cmpxchg: the __put_user under preempt_disable() failed (the zero page is
    // read-only) and nobody looked: user space got a stale value and a "successful" cmpxchg.
    [Fact]
    public Task ArcUsrCmpxchg_Buggy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Arc
{
    static int UsrCmpxchg(UserPtr<uint> uaddr, uint expected, uint newval, out uint uval)
    {
        if (!AccessOk(uaddr, 4)) { uval = 0; return -EFAULT; }
        PreemptDisable();
        int ret = GetUserUnchecked(out uval, uaddr);
        if (ret == 0 && uval == expected)
            {|#0:PutUserUnchecked(newval, uaddr)|};
        PreemptEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked"));

    [Fact]
    public Task InsideLambdaAndLocalFunctionBodies()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static Action Run(UserPtr<uint> p)
    {
        void Local() { {|#0:PutUser(2u, p)|}; }
        Local();
        return () => { {|#1:PutUser(1u, p)|}; };
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUser"),
            VerifyCS.Diagnostic().At(1).WithArguments("PutUser"));

    // The near misses of the write-back on an error exit: a copy whose result is dropped before a success
    // return, and a write-back followed by a return of something that is not an error.
    [Fact]
    public Task IgnoredWriteBeforeASuccessReturn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Driver
{
    static int GetVersion(UserPtr to, byte[] version)
    {
        {|#0:CopyToUser(to, version)|};
        return 0;
    }

    static int Report(UserPtr<uint> usize, uint size, int ret)
    {
        {|#1:PutUser(size, usize)|};
        ret = 0;
        goto out_;
    out_:
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyToUser"),
            VerifyCS.Diagnostic().At(1).WithArguments("PutUser"));

    // arch/s390/kernel/signal.c, setup_rt_frame() before "s390: bug in setup_rt_frame": the trampoline's
    // __put_user() is or'ed into err after the last test of err, so its failure is never seen.
    [Fact]
    public Task ResultOredIntoAnErrorNobodyReadsAgain()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Signal
{
    static int SetupRtFrame(UserPtr frame, ulong retcode)
    {
        int err = 0;
        if (!AccessOk(frame, 64))
            return -EFAULT;
        err |= PutUserUnchecked(1UL, frame.Cast<ulong>());
        if (err != 0)
            return -EFAULT;
        err |= {|#0:PutUserUnchecked(retcode, (frame + 8).Cast<ulong>())|};
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked"));

    // The count is stored and the function returns before anything reads it.
    [Fact]
    public Task ResultStoredAndNeverRead()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Report(UserPtr to, byte[] info)
    {
        int left = {|#0:CopyToUser(to, info)|};
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyToUser"));
}
