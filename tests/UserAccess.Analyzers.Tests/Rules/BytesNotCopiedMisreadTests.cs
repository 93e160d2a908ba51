using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Rules.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.BytesNotCopiedMisreadAnalyzer>;

namespace UserAccess.Analyzers.Tests.Rules;

/// <summary>UA5002. Span: the comparison, or the returned expression. Arguments: the copy, what is wrong.</summary>
public class BytesNotCopiedMisreadTests
{
    // ---- true positives ----

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
            return {|#2:ret|};
        ret = CopyToUser(p, buf);
        if (ret != 0)
            return {|#1:ret|};
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "test it with '!= 0' instead of '< 0'"),
            VerifyCS.Diagnostic().At(2).WithArguments("CopyFromUser", "'Run' returns errnos, so return -EFAULT when it is not 0"),
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

    [Fact]
    public Task IoctlCopyArgument_Fixed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ioctl
{
    static int SetParams(UserPtr argp, byte[] arg)
    {
        if (CopyFromUser(arg, argp) != 0)
            return -EFAULT;
        return arg[0] > 3 ? -EINVAL : 0;
    }
}");

    // ---- near misses ----

    [Fact]
    public Task NotZeroMeansFailure()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr p, byte[] buf)
    {
        if (CopyFromUser(buf, p) != 0)
            return -EFAULT;
        if (CopyToUser(p, buf) == 0)
            return 0;
        return -EFAULT;
    }
}");

    [Fact]
    public Task CopyStructFromUserUsesTheCount()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int CopyStructFromUser(byte[] dst, UserPtr src, int usize)
    {
        int size = Math.Min(dst.Length, usize);
        int left = CopyFromUser(dst.AsSpan(0, size), src);
        int copied = size - left;
        if (left > 0)
            return copied == 0 ? -EFAULT : -E2BIG();
        return 0;
    }

    static int E2BIG() => 7;
}");

    [Fact]
    public Task WrapperReturningTheCount()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int CopyChunk(UserPtr to, byte[] chunk) => CopyToUser(to, chunk);

    [ReturnsBytesNotCopied]
    static int CopyOrNothing(UserPtr to, byte[] chunk, bool ok)
    {
        if (!ok)
            return chunk.Length;
        return CopyToUser(to, chunk);
    }
}");

    [Fact]
    public Task NofaultCopyReturnsAnErrno()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr p, byte[] buf)
    {
        int ret = CopyFromUserNofault(buf, p);
        if (ret < 0)
            return ret;
        return CopyToUserNofault(p, buf);
    }
}");

    [Fact]
    public Task LocalConvertedToAnErrnoFirst()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr p, byte[] buf)
    {
        int ret = CopyFromUser(buf, p);
        ret = ret != 0 ? -EFAULT : 0;
        if (ret < 0)
            return ret;
        return 0;
    }
}");

    [Fact]
    public Task ProgressComparisons()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr p, byte[] buf)
    {
        int left = CopyFromUser(buf, p);
        if (left > 0)
            return buf.Length - left;
        return 0;
    }
}");

    [Fact]
    public Task ClearUserTestedForNonZero()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr tail, int n) => ClearUser(tail, n) != 0 ? -EFAULT : 0;
}");

    [Fact]
    public Task CountSubtractedFromTheRemainder()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static long Run(UserPtr to, byte[] data)
    {
        long written = data.Length;
        written -= CopyToUser(to, data);
        return written == 0 ? -EFAULT : written;
    }
}");
}
