using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Rules.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.DoubleFetchAnalyzer>;

namespace UserAccess.Analyzers.Tests.Rules;

/// <summary>UA3003. Span: the second read. Arguments: the call, the pointer, the first copy.</summary>
public class DoubleFetchTests
{
    // ---- true positives ----

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

    // ---- near misses ----

    [Fact]
    public Task ReadOnceAndUseTheCopy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ioctl
{
    static int SetName(UserPtr<uint> ulen, UserPtr data, byte[] kbuf)
    {
        if (GetUser(out uint len, ulen) != 0)
            return -EFAULT;
        if (len > kbuf.Length)
            return -EINVAL;
        return CopyFromUser(kbuf.AsSpan(0, (int)len), data) != 0 ? -EFAULT : 0;
    }
}");

    [Fact]
    public Task DifferentOffsets()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Msg
{
    static int Handle(UserPtr hdr)
    {
        if (GetUser(out ulong size, hdr.Cast<ulong>()) != 0)
            return -EFAULT;
        if (size == 0)
            return -EINVAL;
        if (GetUser(out ulong flags, (hdr + 8).Cast<ulong>()) != 0)
            return -EFAULT;
        return (int)flags;
    }
}");

    [Fact]
    public Task FirstValueNeverChecked()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<int> p, int[] log)
    {
        int a = GetUser(out int first, p);
        log[0] = first;
        int b = GetUser(out int second, p);
        return a | b | second;
    }
}");

    [Fact]
    public Task PointerMovesBetweenTheReads()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<int> p)
    {
        if (GetUser(out int v, p) != 0 || v < 0)
            return -EINVAL;
        p += 4;
        if (GetUser(out int w, p) != 0)
            return -EFAULT;
        return w;
    }
}");

    [Fact]
    public Task PollingLoopReadsOncePerRound()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<int> flag)
    {
        while (true)
        {
            if (GetUser(out int v, flag) != 0)
                return -EFAULT;
            if (v != 0)
                return v;
            CondResched();
        }
    }
}");

    [Fact]
    public Task SecondValueUnused()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<int> p)
    {
        if (GetUser(out int v, p) != 0 || v < 0)
            return -EINVAL;
        return GetUser(out int probe, p) != 0 ? -EFAULT : v;
    }
}");
}
