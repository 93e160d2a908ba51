using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA3003DoubleFetchAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA3003DoubleFetch;

/// <summary>UA3003. Span: the second read. Arguments: the call, the pointer, the first copy.</summary>
public class Diagnostics
{
    [Fact]
    public Task LengthCheckedThenReadAgain_WithLocations()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ioctl
{
    static int SetName(UserPtr<uint> ulen, UserPtr data, byte[] kbuf)
    {
        if ({|#1:GetUser(out uint len, ulen)|} != 0)
            return -EFAULT;
        if (len > kbuf.Length)
            return -EINVAL;
        if ({|#0:GetUser(out uint again, ulen)|} != 0)
            return -EFAULT;
        return CopyFromUser(kbuf.AsSpan(0, (int)again), data) != 0 ? -EFAULT : 0;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("GetUser", "ulen", "len"));

    [Fact]
    public Task SameFieldOffsetTwice()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Msg
{
    static int Handle(UserPtr hdr, byte[] kbuf)
    {
        if (GetUser(out ulong size, (hdr + 8).Cast<ulong>()) != 0)
            return -EFAULT;
        if (size == 0 || size > (ulong)kbuf.Length)
            return -EINVAL;
        if ({|#0:GetUser(out ulong n, (hdr + 8).Cast<ulong>())|} != 0)
            return -EFAULT;
        return (int)n;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUser", "(hdr + 8).Cast<ulong>()", "size"));

    [Fact]
    public Task SameLocalReusedForTheSecondRead()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<int> p)
    {
        int ret = GetUser(out int v, p);
        if (ret != 0 || v < 0)
            return -EINVAL;
        ret = {|#0:GetUser(out v, p)|};
        return ret != 0 ? ret : v * 2;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUser", "p", "v"));

    [Fact]
    public Task HeaderCopiedTwiceIntoArrays()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uhdr, byte[] kbuf)
    {
        var hdr = new byte[8];
        if (CopyFromUser(hdr, uhdr) != 0)
            return -EFAULT;
        if (hdr[0] > 16)
            return -EINVAL;
        var again = new byte[8];
        if ({|#0:CopyFromUser(again, uhdr)|} != 0)
            return -EFAULT;
        return again[0];
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "uhdr", "hdr"));
}
