using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA5002BytesNotCopiedMisreadAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA5002BytesNotCopiedMisread;

/// <summary>UA5002. Span: the comparison, or the returned expression. Arguments: the copy, what is wrong.</summary>
public class Valid
{
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

    // The byte count becomes an errno before it leaves: a count known to be 0 is no count any more.
    // pxa_sw_get() (the PXA RTC stopwatch ioctl): ret = copy_to_user(...); if (ret) ret = -EFAULT; return ret;
    [Fact]
    public Task CountTurnedIntoAnErrnoBeforeItIsReturned()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class PxaRtc
{
    static int SwGet(UserPtr uarg, byte[] tm)
    {
        int ret;
        ret = CopyToUser(uarg, tm);
        if (ret != 0)
            ret = -EFAULT;
        return ret;
    }
}");

    // The same with `if (ret > 0)`: a count that is not positive is 0.
    [Fact]
    public Task PositiveCountTurnedIntoAnErrnoBeforeItIsReturned()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int GetInfo(UserPtr argp, byte[] info)
    {
        int ret = CopyToUser(argp, info);
        if (ret > 0)
            ret = -EFAULT;
        return ret;
    }
}");

    // pxa_sw_set(): `if (ret == 0) { ... } else ret = -EFAULT;` and the count is compared after that.
    [Fact]
    public Task CountTestedForZeroThenTurnedIntoAnErrno()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class PxaRtc
{
    static uint Swcr;

    static int SwSet(UserPtr uarg, byte[] tm)
    {
        int ret = CopyFromUser(tm, uarg);
        if (ret == 0)
            Swcr = tm[0];
        else
            ret = -EFAULT;
        if (ret < 0)
            return ret;
        return 0;
    }
}");

    // drivers/char/ipmi/ssif_bmc.c, ssif_bmc_read() after ea641be7a4fa: the count turned into an errno in one
    // branch, an errno set in the other, and the result told from the length by `ret < 0` at the return.
    [Fact]
    public Task PositiveCountTurnedIntoAnErrnoThenTestedForANegative()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class SsifBmc
{
    static long Read(UserPtr buf, byte[] msg, ulong count, int requestLen)
    {
        long ret;
        if ((long)count < requestLen)
        {
            ret = -EINVAL;
        }
        else
        {
            ret = CopyToUser(buf, msg.AsSpan(0, (int)count));
            if (ret > 0)
                ret = -EFAULT;
        }

        return (ret < 0) ? ret : (long)count;
    }
}");
}
