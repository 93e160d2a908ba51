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

    // fs/fhandle.c, handle_to_path() before 161f873b8913 (CVE-2015-1420): handle_bytes is checked through a
    // value computed from the header, the whole handle is copied again and used with the second copy's length.
    [Fact]
    public Task HeaderFieldCheckedThroughADerivedValue()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Fhandle
{
    static int DoHandleToPath(byte[] handle) => handle.Length;

    static int HandleToPath(UserPtr ufh)
    {
        var fHandle = new byte[8];
        if (CopyFromUser(fHandle, ufh) != 0)
            return -EFAULT;
        uint handleBytes = BitConverter.ToUInt32(fHandle, 0);
        if (handleBytes > 128 || handleBytes == 0)
            return -EINVAL;
        var handle = new byte[8 + handleBytes];
        if ({|#0:CopyFromUser(handle.AsSpan(0, (int)(8 + handleBytes)), ufh)|} != 0)
            return -EFAULT;
        return DoHandleToPath(handle);
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "ufh", "fHandle"));

    // drivers/misc/mic/vop/vop_vringh.c, vop_ioctl() before 9bf292bfca94 (CVE-2016-5728): memdup_user()
    // fetches the checked descriptor again, and the device is added from that copy.
    [Fact]
    public Task MemdupUserOfTheCheckedHeader()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Vop
{
    [MightFault]
    [UserAccess(AccessKind.Read, ""src"", Size = ""len"")]
    static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    static int AddDevice(byte[] desc) => desc[1];

    static int IoctlAddDevice(UserPtr argp)
    {
        var dd = new byte[8];
        if (CopyFromUser(dd, argp) != 0)
            return -EFAULT;
        if (dd[1] > 4)
            return -EINVAL;
        var ddConfig = {|#0:MemdupUser(argp, 8 + dd[2])|};
        if (ddConfig == null)
            return -EFAULT;
        return AddDevice(ddConfig);
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MemdupUser", "argp", "dd"));
}
