using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA5002BytesNotCopiedMisreadAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA5002BytesNotCopiedMisread;

/// <summary>UA5002. Span: the comparison, or the returned expression. Arguments: the copy, what is wrong.</summary>
public class Diagnostics
{
    [Fact]
    public Task ComparedWithTheSize_WithOriginLocation()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr p, byte[] buf, int n)
    {
        if ({|#0:{|#1:CopyFromUser(buf, p)|} >= n|})
            return 0;
        return -EFAULT;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("CopyFromUser", "test it with '!= 0' instead of '>= n'"));

    [Fact]
    public Task ComparedWithZeroAsAnErrno()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr p, byte[] buf)
    {
        if ({|#0:CopyFromUser(buf, p) < 0|})
            return -EFAULT;
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "test it with '!= 0' instead of '< 0'"));

    [Fact]
    public Task ComparedWithMinusEfault()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr p, byte[] buf)
    {
        if ({|#0:CopyToUser(p, buf) == -EFAULT|})
            return -EFAULT;
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyToUser", "test it with '!= 0' instead of '== -EFAULT'"));

    [Fact]
    public Task OperandOnTheRight()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr p, byte[] buf, int n)
    {
        return {|#0:n <= CopyFromUser(buf, p)|} ? -EFAULT : 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "test it with '!= 0' instead of '>= n'"));

    [Fact]
    public Task ReturnedFromAnErrnoReturningMethod()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int GetInfo(UserPtr to, byte[] info, bool ready)
    {
        if (!ready)
            return -EAGAIN;
        return {|#0:CopyToUser(to, info)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyToUser", "'GetInfo' returns errnos, so return -EFAULT when it is not 0"));

    [Fact]
    public Task ReturnedFromAnAnnotatedErrnoMethod()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    [ReturnsErrno]
    static int GetInfo(UserPtr to, byte[] info) => {|#0:CopyToUser(to, info)|};
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyToUser", "'GetInfo' returns errnos, so return -EFAULT when it is not 0"));

    // The return under `ret < 0` is never reached with a count (a count is never negative): the one
    // defect there is the test, whose fix answers with -EFAULT.
    [Fact]
    public Task ThroughALocal()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr p, byte[] buf)
    {
        if (buf.Length == 0)
            return -EINVAL;
        int ret = CopyFromUser(buf, p);
        if ({|#0:ret < 0|})
            return ret;
        ret = CopyToUser(p, buf);
        if (ret != 0)
            return {|#1:ret|};
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "test it with '!= 0' instead of '< 0'"),
            VerifyCS.Diagnostic().At(1).WithArguments("CopyToUser", "'Run' returns errnos, so return -EFAULT when it is not 0"));

    // The classic ioctl bug: "if (copy_from_user(&arg, argp, sizeof(arg)) < 0) return -EFAULT;" never fails.
    [Fact]
    public Task IoctlCopyArgument_Buggy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ioctl
{
    static int SetParams(UserPtr argp, byte[] arg)
    {
        if ({|#0:CopyFromUser(arg, argp) < 0|})
            return -EFAULT;
        return arg[0] > 3 ? -EINVAL : 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "test it with '!= 0' instead of '< 0'"));

    // Not normalised on every path: the count leaves as an errno where it is positive and not yet turned.
    [Fact]
    public Task CountTurnedIntoAnErrnoOnOnlyOnePath()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int GetInfo(UserPtr argp, byte[] info, bool strict)
    {
        int ret = {|#1:CopyToUser(argp, info)|};
        if (strict && ret > 0)
            ret = -EFAULT;
        return {|#0:ret|};
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("CopyToUser", "'GetInfo' returns errnos, so return -EFAULT when it is not 0"));

    // drivers/usb/gadget/legacy/raw_gadget.c, raw_ioctl_ep0_read() before 068fbff4f860: the ioctl returns
    // errnos (it passes the callee's negative result on), so the count returned at the end reads as success.
    [Fact]
    public Task ReturnedAfterPassingACalleesErrnoOn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class RawGadget
{
    static int ProcessEp0Io(byte[] data) => data.Length;

    static int Ep0Read(ulong value, byte[] data)
    {
        int ret = ProcessEp0Io(data);
        if (ret < 0)
            return ret;
        ret = CopyToUser(new UserPtr(value + 8), data.AsSpan(0, ret));
        return {|#0:ret|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyToUser", "'Ep0Read' returns errnos, so return -EFAULT when it is not 0"));

    // ssif_bmc_read() before ea641be7a4fa, with a long result: the count is told from the length by `ret < 0`.
    [Fact]
    public Task LongCountTestedForANegative()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class SsifBmc
{
    static long Read(UserPtr buf, byte[] msg, ulong count)
    {
        long ret = {|#1:CopyToUser(buf, msg.AsSpan(0, (int)count))|};
        return ({|#0:ret < 0|}) ? ret : (long)count;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("CopyToUser", "test it with '!= 0' instead of '< 0'"));
}
