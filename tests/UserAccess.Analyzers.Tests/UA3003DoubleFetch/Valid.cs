using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA3003DoubleFetchAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA3003DoubleFetch;

/// <summary>UA3003. Span: the second read. Arguments: the call, the pointer, the first copy.</summary>
public class Valid
{
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

    // drivers/scsi/aacraid/commctrl.c, ioctl_send_fib() after fa00c437eef8: the second copy's sizes are
    // checked against the first's before anything uses them.
    [Fact]
    public Task SecondCopyCheckedAgainstTheFirst()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Aac
{
    static int AacFibSend(byte[] kfib) => kfib.Length;

    static int IoctlSendFib(UserPtr arg)
    {
        var kfib = new byte[2048];
        if (CopyFromUser(kfib.AsSpan(0, 32), arg) != 0)
            return -EFAULT;
        uint osize, size;
        osize = size = (uint)(BitConverter.ToUInt16(kfib, 8) + 32);
        if (size > 2048)
            return -EINVAL;
        if (CopyFromUser(kfib.AsSpan(0, (int)size), arg) != 0)
            return -EFAULT;
        /* Sanity check the second copy */
        if (osize != BitConverter.ToUInt16(kfib, 8) + 32)
            return -EINVAL;
        return AacFibSend(kfib);
    }
}");

    // drivers/misc/mic/vop/vop_vringh.c, vop_ioctl() after 9bf292bfca94: "Ensure desc has not changed
    // between the two reads".
    [Fact]
    public Task MemdupUserComparedWithTheCheckedHeader()
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
        var ddConfig = MemdupUser(argp, 8 + dd[2]);
        if (ddConfig == null)
            return -EFAULT;
        if (!dd.AsSpan().SequenceEqual(ddConfig.AsSpan(0, dd.Length)))
            return -EINVAL;
        return AddDevice(ddConfig);
    }
}");

    // fs/ioctl.c, ioctl_file_dedupe_range() after 10eec60ce791: the count fetched once is written over the
    // copied field before the copy is used.
    [Fact]
    public Task DedupeCountWrittenOverTheSecondCopy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Dedupe
{
    [MightFault]
    [UserAccess(AccessKind.Read, ""src"", Size = ""len"")]
    static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    static int VfsDedupeFileRange(byte[] same) => BitConverter.ToUInt16(same, 16);

    static int IoctlFileDedupeRange(UserPtr argp)
    {
        if (GetUser(out ushort count, (argp + 16).Cast<ushort>()) != 0)
            return -EFAULT;
        long size = 24 + count * 32;
        var same = MemdupUser(argp, (int)size);
        if (same == null)
            return -EFAULT;
        BitConverter.TryWriteBytes(same.AsSpan(16, 2), count);
        return VfsDedupeFileRange(same);
    }
}");

    // The second copy is info[] only (from offset 24): it does not read the count again.
    [Fact]
    public Task SecondCopyStartsPastTheField()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Dedupe
{
    [MightFault]
    [UserAccess(AccessKind.Read, ""src"", Size = ""len"")]
    static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    static int VfsDedupeFileRange(byte[] same) => BitConverter.ToUInt16(same, 16);

    static int IoctlFileDedupeRange(UserPtr argp)
    {
        if (GetUser(out ushort count, (argp + 16).Cast<ushort>()) != 0)
            return -EFAULT;
        var info = MemdupUser(argp + 24, count * 32);
        if (info == null)
            return -EFAULT;
        return info.Length;
    }
}");

    // The struct is fetched again but only tested for a failed copy: the second count is never read.
    [Fact]
    public Task SecondCopyOfTheFieldNeverUsed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Dedupe
{
    [MightFault]
    [UserAccess(AccessKind.Read, ""src"", Size = ""len"")]
    static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    static int VfsDedupeFileRange(byte[] same) => BitConverter.ToUInt16(same, 16);

    static int IoctlFileDedupeRange(UserPtr argp)
    {
        if (GetUser(out ushort count, (argp + 16).Cast<ushort>()) != 0)
            return -EFAULT;
        var same = MemdupUser(argp, 24 + count * 32);
        if (same == null)
            return -EFAULT;
        return count;
    }
}");

    // The second copy's count is checked against the one that sized it before the copy is used.
    [Fact]
    public Task SecondCountComparedWithTheFirst()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Dedupe
{
    [MightFault]
    [UserAccess(AccessKind.Read, ""src"", Size = ""len"")]
    static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    static int VfsDedupeFileRange(byte[] same) => BitConverter.ToUInt16(same, 16);

    static int IoctlFileDedupeRange(UserPtr argp)
    {
        if (GetUser(out ushort count, (argp + 16).Cast<ushort>()) != 0)
            return -EFAULT;
        var same = MemdupUser(argp, 24 + count * 32);
        if (same == null)
            return -EFAULT;
        if (BitConverter.ToUInt16(same, 16) != count)
            return -EINVAL;
        return VfsDedupeFileRange(same);
    }
}");

    // kernel/events/core.c, perf_copy_attr() after the 2016 double-fetch fix: the size fetched once is
    // written over the copied field; the copy's own result (the bytes not copied) holds no user byte.
    [Fact]
    public Task SizeCheckedAgainstAConstantAndWrittenOverTheCopy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Perf
{
    static int PerfCopyAttr(UserPtr uattr, byte[] attr)
    {
        const int PERF_ATTR_SIZE_VER0 = 64;
        const int PERF_ATTR_SIZE_VER5 = 112;
        int ret = GetUser(out uint size, (uattr + 4).Cast<uint>());
        if (ret != 0)
            return ret;
        if (size == 0)
            size = PERF_ATTR_SIZE_VER0;
        if (size < PERF_ATTR_SIZE_VER0)
            return -EINVAL;
        if (size > PERF_ATTR_SIZE_VER5)
            size = PERF_ATTR_SIZE_VER5;
        ret = CopyFromUser(attr.AsSpan(0, (int)size), uattr);
        if (ret != 0)
            return -EFAULT;
        BitConverter.TryWriteBytes(attr.AsSpan(4, 4), size);
        return ret;
    }
}");

    // net/core/ethtool.c, ethtool_get_rxnfc() after d656fe49e33d: the struct is copied again over the
    // checked short copy, and the field the first check tested (flow_type) is tested again before use.
    [Fact]
    public Task SecondCopyTestsTheCheckedFieldAgain()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ethtool
{
    static int GetRxnfc(byte[] info) => (int)BitConverter.ToUInt32(info, 4);

    static int GetRxnfcIoctl(uint cmd, UserPtr useraddr)
    {
        var info = new byte[192];
        int infoSize = 192;
        if (cmd == 0x29)
            infoSize = 16;
        if (CopyFromUser(info.AsSpan(0, infoSize), useraddr) != 0)
            return -EFAULT;
        if (cmd == 0x29 && (BitConverter.ToUInt32(info, 4) & 0x20000000) != 0)
        {
            infoSize = 192;
            if (CopyFromUser(info.AsSpan(0, infoSize), useraddr) != 0)
                return -EFAULT;
            if ((BitConverter.ToUInt32(info, 4) & 0x20000000) == 0)
                return -EINVAL;
            return GetRxnfc(info);
        }
        return GetRxnfc(info);
    }
}");

    // net/core/ethtool.c, ethtool_get_rxnfc() after d656fe49e33d: the copy made again in one branch is
    // tested on the checked field there, before the branches meet and the driver gets it.
    [Fact]
    public Task SecondCopyInOneBranchTestedAgainBeforeTheBranchesMeet()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ethtool
{
    static int GetRxnfc(byte[] info) => (int)BitConverter.ToUInt32(info, 4);

    static int GetRxnfcIoctl(uint cmd, UserPtr useraddr)
    {
        var info = new byte[192];
        int infoSize = 192;
        if (cmd == 0x29)
            infoSize = 16;
        if (CopyFromUser(info.AsSpan(0, infoSize), useraddr) != 0)
            return -EFAULT;
        if (cmd == 0x29 && (BitConverter.ToUInt32(info, 4) & 0x20000000) != 0)
        {
            infoSize = 192;
            if (CopyFromUser(info.AsSpan(0, infoSize), useraddr) != 0)
                return -EFAULT;
            if ((BitConverter.ToUInt32(info, 4) & 0x20000000) == 0)
                return -EINVAL;
        }
        return GetRxnfc(info);
    }
}");

    // The two copies are made on different branches: no path makes both.
    [Fact]
    public Task CopiesOnDifferentBranches()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ethtool
{
    static int GetRxnfc(byte[] info) => (int)BitConverter.ToUInt32(info, 4);

    static int GetRxnfcIoctl(uint cmd, UserPtr useraddr)
    {
        var info = new byte[192];
        if (cmd == 0x29)
        {
            if (CopyFromUser(info.AsSpan(0, 16), useraddr) != 0)
                return -EFAULT;
            if ((BitConverter.ToUInt32(info, 4) & 0x20000000) != 0)
                return -EINVAL;
        }
        else
        {
            if (CopyFromUser(info, useraddr) != 0)
                return -EFAULT;
        }
        return GetRxnfc(info);
    }
}");

    // The first copy is made and checked on one path only: the copy after the branches meet is used
    // unchecked on the other path too, so nothing it does relies on the first check.
    [Fact]
    public Task FirstCopyCheckedOnOnePathOnly()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ethtool
{
    static int GetRxnfc(byte[] info) => (int)BitConverter.ToUInt32(info, 4);

    static int GetRxnfcIoctl(uint cmd, UserPtr useraddr)
    {
        var hdr = new byte[16];
        if (cmd == 0x29)
        {
            if (CopyFromUser(hdr, useraddr) != 0)
                return -EFAULT;
            if ((BitConverter.ToUInt32(hdr, 4) & 0x20000000) == 0)
                return -EINVAL;
        }
        var info = new byte[192];
        if (CopyFromUser(info, useraddr) != 0)
            return -EFAULT;
        return GetRxnfc(info);
    }
}");

    // The first copy decides nothing before the branch that copies again: no check to bypass.
    [Fact]
    public Task FirstCopyUncheckedBeforeTheBranch()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ethtool
{
    static int GetRxnfc(byte[] info) => (int)BitConverter.ToUInt32(info, 4);

    static int GetRxnfcIoctl(uint cmd, UserPtr useraddr)
    {
        var info = new byte[192];
        int infoSize = 192;
        if (cmd == 0x29)
            infoSize = 16;
        if (CopyFromUser(info.AsSpan(0, infoSize), useraddr) != 0)
            return -EFAULT;
        if (cmd == 0x29)
        {
            infoSize = 192;
            if (CopyFromUser(info.AsSpan(0, infoSize), useraddr) != 0)
                return -EFAULT;
        }
        return GetRxnfc(info);
    }
}");

    // fs/ioctl.c, ioctl_file_dedupe_range() after 10eec60ce791, with its single exit: the path where
    // memdup_user() failed reaches the exit with -EFAULT, not the copy, so the copy whose count was written
    // over is the only one the exit can return a value of.
    [Fact]
    public Task FailedCopyReachesTheExitWithAnError()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Dedupe
{
    [MightFault]
    [UserAccess(AccessKind.Read, ""src"", Size = ""len"")]
    static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    static int VfsDedupeFileRange(byte[] same) => BitConverter.ToUInt16(same, 16);

    static long IoctlFileDedupeRange(UserPtr argp)
    {
        int ret;
        if (GetUser(out ushort count, (argp + 16).Cast<ushort>()) != 0)
        {
            ret = -EFAULT;
            goto out_;
        }
        var same = MemdupUser(argp, 24 + count * 32);
        if (same == null)
        {
            ret = -EFAULT;
            goto out_;
        }
        BitConverter.TryWriteBytes(same.AsSpan(16, 2), count);
        ret = VfsDedupeFileRange(same);
    out_:
        return ret;
    }
}");

    // The size field fetched first, then the whole struct copied again with that size into a local of which
    // only other fields are read (the flags at 8, the nice value at 12, as sched_copy_attr() reads them): the
    // bytes fetched twice are never read from the second copy.
    [Fact]
    public Task StructCopiedAgainIntoALocalWhoseRefetchedFieldIsNeverRead()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Sched
{
    static int SetAttr(UserPtr uattr)
    {
        var attr = new byte[56];
        if (GetUser(out uint size, uattr.Cast<uint>()) != 0)
            return -EFAULT;
        if (size < 48 || size > 56)
            return -EINVAL;
        if (CopyFromUser(attr.AsSpan(0, (int)size), uattr) != 0)
            return -EFAULT;
        if ((BitConverter.ToUInt64(attr, 8) & 0x60) != 0 && size < 56)
            return -EINVAL;
        return Math.Clamp(BitConverter.ToInt32(attr, 12), -20, 19) + attr[16];
    }
}");

    // The second walk goes on from where the first stopped: no byte is read twice.
    [Fact]
    public Task SecondWalkGoesOnWhereTheFirstStopped()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int Read(UserPtr<uint> p, int n, uint[] kbuf)
    {
        for (int i = 0; i < n; i++)
        {
            if (GetUser(out uint v, p) != 0)
                return -EFAULT;
            if (v == 0)
                return -EINVAL;
            kbuf[i] = v;
            p += 4;
        }
        for (int i = n; i < 2 * n; i++)
        {
            if (GetUser(out uint w, p) != 0)
                return -EFAULT;
            kbuf[i] = w;
            p += 4;
        }
        return 0;
    }
}");

    // The pointer the walks start from is set again between them: the second walk reads other memory.
    [Fact]
    public Task WalksFromAStartSetAgainBetweenThem()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int Read(UserPtr<uint> p, UserPtr<uint> other, int n, uint[] kbuf)
    {
        UserPtr<uint> q = p;
        for (int i = 0; i < n; i++)
        {
            if (GetUser(out uint v, q) != 0)
                return -EFAULT;
            if (v == 0)
                return -EINVAL;
            q += 4;
        }
        p = other;
        UserPtr<uint> s = p;
        for (int i = 0; i < n; i++)
        {
            if (GetUser(out uint w, s) != 0)
                return -EFAULT;
            kbuf[i] = w;
            s += 4;
        }
        return 0;
    }
}");

    // The first walk only copies what it reads and checks nothing: reading it again checks nothing twice.
    [Fact]
    public Task FirstWalkChecksNothing()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int Read(UserPtr<uint> p, int n, uint[] first, uint[] second)
    {
        UserPtr<uint> q = p;
        for (int i = 0; i < n; i++)
        {
            if (GetUser(out uint v, q) != 0)
                return -EFAULT;
            first[i] = v;
            q += 4;
        }
        for (int i = 0; i < n; i++)
        {
            if (GetUser(out uint w, p) != 0)
                return -EFAULT;
            second[i] = w;
            p += 4;
        }
        return 0;
    }
}");

    // The second walk moves its pointer before it reads: its first read is past the first walk's first.
    [Fact]
    public Task SecondWalkStepsBeforeItReads()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int Read(UserPtr<uint> p, int n, uint[] kbuf)
    {
        UserPtr<uint> q = p;
        for (int i = 0; i < n; i++)
        {
            if (GetUser(out uint v, q) != 0)
                return -EFAULT;
            if (v == 0)
                return -EINVAL;
            q += 4;
        }
        for (int i = 0; i < n; i++)
        {
            p += 4;
            if (GetUser(out uint w, p) != 0)
                return -EFAULT;
            kbuf[i] = w;
        }
        return 0;
    }
}");

    // The second walk starts from the header the helper finds in another buffer: not the first walk's start.
    [Fact]
    public Task ChainsWalkedFromHeadersOfDifferentBuffers()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Compat
{
    static UserPtr FirstHdr(UserPtr control, long len) => len >= 12 ? control : default;

    static UserPtr NextHdr(UserPtr control, long len, UserPtr cur, uint curLen)
    {
        UserPtr next = cur + ((curLen + 3) & ~3u);
        return next.Address + 12 - control.Address > (ulong)len ? default : next;
    }

    static int Copy(UserPtr control, long len, UserPtr other, out byte[] kbuf)
    {
        kbuf = Array.Empty<byte>();
        long total = 0;
        UserPtr cur = FirstHdr(control, len);
        while (cur != default)
        {
            if (GetUser(out uint curLen, cur.Cast<uint>()) != 0)
                return -EFAULT;
            if (curLen < 12 || curLen > 4096)
                return -EINVAL;
            total += curLen;
            cur = NextHdr(control, len, cur, curLen);
        }

        kbuf = new byte[total];
        int at = 0;
        cur = FirstHdr(other, len);
        while (cur != default)
        {
            if (GetUser(out uint again, cur.Cast<uint>()) != 0)
                return -EFAULT;
            if (CopyFromUser(kbuf.AsSpan(at, (int)again - 12), cur + 12) != 0)
                return -EFAULT;
            at += (int)again;
            cur = NextHdr(control, len, cur, again);
        }
        return 0;
    }
}");

    // The helper that finds the first header reads a static the kernel may change between the walks: two
    // calls of it need not give the same pointer.
    [Fact]
    public Task ChainsWalkedFromAHelperThatReadsState()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Compat
{
    static long Skip;

    static UserPtr FirstHdr(UserPtr control, long len) => len >= 12 ? control + Skip : default;

    static UserPtr NextHdr(UserPtr control, long len, UserPtr cur, uint curLen)
    {
        UserPtr next = cur + ((curLen + 3) & ~3u);
        return next.Address + 12 - control.Address > (ulong)len ? default : next;
    }

    static int Copy(UserPtr control, long len, UserPtr other, out byte[] kbuf)
    {
        kbuf = Array.Empty<byte>();
        long total = 0;
        UserPtr cur = FirstHdr(control, len);
        while (cur != default)
        {
            if (GetUser(out uint curLen, cur.Cast<uint>()) != 0)
                return -EFAULT;
            if (curLen < 12 || curLen > 4096)
                return -EINVAL;
            total += curLen;
            cur = NextHdr(control, len, cur, curLen);
        }

        kbuf = new byte[total];
        int at = 0;
        cur = FirstHdr(control, len);
        while (cur != default)
        {
            if (GetUser(out uint again, cur.Cast<uint>()) != 0)
                return -EFAULT;
            if (CopyFromUser(kbuf.AsSpan(at, (int)again - 12), cur + 12) != 0)
                return -EFAULT;
            at += (int)again;
            cur = NextHdr(control, len, cur, again);
        }
        return 0;
    }
}");

    // The length the helper is given changes between the walks: the first header may be another one.
    [Fact]
    public Task ChainsWalkedWithTheLengthChangedBetween()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Compat
{
    static UserPtr FirstHdr(UserPtr control, long len) => len >= 12 ? control : default;

    static UserPtr NextHdr(UserPtr control, long len, UserPtr cur, uint curLen)
    {
        UserPtr next = cur + ((curLen + 3) & ~3u);
        return next.Address + 12 - control.Address > (ulong)len ? default : next;
    }

    static int Copy(UserPtr control, long len, UserPtr other, out byte[] kbuf)
    {
        kbuf = Array.Empty<byte>();
        long total = 0;
        UserPtr cur = FirstHdr(control, len);
        while (cur != default)
        {
            if (GetUser(out uint curLen, cur.Cast<uint>()) != 0)
                return -EFAULT;
            if (curLen < 12 || curLen > 4096)
                return -EINVAL;
            total += curLen;
            cur = NextHdr(control, len, cur, curLen);
        }
        len -= 12;

        kbuf = new byte[total];
        int at = 0;
        cur = FirstHdr(control, len);
        while (cur != default)
        {
            if (GetUser(out uint again, cur.Cast<uint>()) != 0)
                return -EFAULT;
            if (CopyFromUser(kbuf.AsSpan(at, (int)again - 12), cur + 12) != 0)
                return -EFAULT;
            at += (int)again;
            cur = NextHdr(control, len, cur, again);
        }
        return 0;
    }
}");

    // A walk whose loop is entered only across a finally: the engine cannot see the value the pointer enters
    // with, and says nothing (it must not fail either).
    [Fact]
    public Task WalkEnteredAcrossAFinally()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int Count;

    static int Read(UserPtr<uint> p, int n, uint[] kbuf)
    {
        UserPtr<uint> q = p;
        try
        {
            Count++;
        }
        finally
        {
            Count--;
        }
        while (n-- > 0)
        {
            if (GetUser(out uint v, q) != 0)
                return -EFAULT;
            if (v == 0)
                return -EINVAL;
            q += 4;
        }
        try
        {
            q = p;
        }
        finally
        {
            Count--;
        }
        for (int i = 0; i < kbuf.Length; i++)
        {
            if (GetUser(out uint w, q) != 0)
                return -EFAULT;
            kbuf[i] = w;
            q += 4;
        }
        return 0;
    }
}");

    // fs/btrfs/ioctl.c, btrfs_ioctl_file_extent_same() (v4.4): dest_count is fetched to size the copy and
    // fetched again with it, but both loops are bounded by the first value; the second copy is read only at
    // other offsets (the header's length, each entry from offset 24 on) and handed back to user space whole,
    // which is no use of what it holds.
    [Fact]
    public Task SecondCopyReadOnlyPastTheCountAndHandedBack()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Btrfs
{
    [MightFault]
    [UserAccess(AccessKind.Read, ""src"", Size = ""len"")]
    static byte[]? MemdupUser(UserPtr src, int len) => null;

    static string? Fdget(long fd) => null;

    static long FileExtentSame(UserPtr argp)
    {
        byte[]? same;
        int i, info;
        ushort count;

        if (GetUser(out count, (argp + 16).Cast<ushort>()) != 0)
            return -EFAULT;

        same = MemdupUser(argp, 24 + count * 32);
        if (same == null)
            return -EFAULT;

        ulong off = BitConverter.ToUInt64(same, 0);
        ulong len = BitConverter.ToUInt64(same, 8);
        if (len > 16 * 1024 * 1024)
            len = 16 * 1024 * 1024;

        for (i = 0; i < count; i++)
            BitConverter.TryWriteBytes(same.AsSpan(24 + i * 32 + 16, 8), 0UL);

        for (i = 0, info = 24; i < count; i++, info += 32)
        {
            string? dst = Fdget(BitConverter.ToInt64(same, info));
            if (dst == null || dst.Length == 0)
                BitConverter.TryWriteBytes(same.AsSpan(info + 24, 4), -EINVAL);
        }

        long ret = CopyToUser(argp, same.AsSpan(0, 24 + count * 32));
        if (ret != 0)
            return -EFAULT;
        return (long)(off + len);
    }
}");

    // net/ipv4/netfilter/arp_tables.c, do_add_counters() after the CVE-2006-0039 fix: the table's count is
    // compared with the first copy's, and the second copy goes whole to a walk that reads only the counters
    // past its header: the re-fetched count is never read.
    [Fact]
    public Task SecondCopyHandedToAWalkThatReadsOnlyPastTheHeader()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class ArpTables
{
    sealed class XtTableInfo
    {
        public uint Number;
        public ulong[] Counters = new ulong[16];
    }

    sealed class XtTable
    {
        public KernelSpinlock Lock = new();
        public XtTableInfo Private = new();
    }

    static XtTable? XtFindTableLock(byte[] nameHeader) => nameHeader[0] == 0 ? null : new XtTable();

    // ARPT_ENTRY_ITERATE(..., add_counter_to_entry, paddc->counters, &i): the counters past the header.
    static void AddCounters(XtTableInfo priv, byte[] paddc, int countersOffset)
    {
        for (uint i = 0; i < priv.Number && countersOffset + (i + 1) * 16 <= paddc.Length; i++)
            priv.Counters[i] += BitConverter.ToUInt64(paddc, (int)(countersOffset + i * 16));
    }

    static int DoAddCounters(UserPtr user, uint len)
    {
        byte[] tmp = new byte[40];
        if (CopyFromUser(tmp, user) != 0)
            return -EFAULT;
        uint tmpNumCounters = BitConverter.ToUInt32(tmp, 32);
        if (len != 40 + tmpNumCounters * 16)
            return -EINVAL;
        byte[] paddc = new byte[len];
        if (CopyFromUser(paddc.AsSpan(0, (int)len), user) != 0)
            return -EFAULT;
        XtTable? t = XtFindTableLock(tmp);
        if (t == null)
            return -ENOENT;
        int ret = 0;
        t.Lock.Lock();
        XtTableInfo priv = t.Private;
        if (priv.Number != tmpNumCounters)
            ret = -EINVAL;
        else
            AddCounters(priv, paddc, 40);
        t.Lock.Unlock();
        return ret;
    }
}");

    // aacraid's ioctl_send_fib() after its fix, with le16_to_cpu() written as a helper of the user's: the
    // saved size and the second copy's are both computed through it, and compared before the copy is used.
    [Fact]
    public Task SecondCopyComparedThroughAByteOrderHelper()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Aac
{
    static uint Le16ToCpu(ushort v) => v;

    static int AacFibSend(byte[] kfib) => BitConverter.ToUInt16(kfib, 8);

    static int IoctlSendFib(UserPtr arg)
    {
        var kfib = new byte[2048];
        if (CopyFromUser(kfib.AsSpan(0, 32), arg) != 0)
            return -EFAULT;
        uint osize, size;
        osize = size = Le16ToCpu(BitConverter.ToUInt16(kfib, 8)) + 32;
        if (size > 2048)
            return -EINVAL;
        if (CopyFromUser(kfib.AsSpan(0, (int)size), arg) != 0)
            return -EFAULT;
        /* Sanity check the second copy */
        if (osize != Le16ToCpu(BitConverter.ToUInt16(kfib, 8)) + 32)
            return -EINVAL;
        return AacFibSend(kfib);
    }
}");

    // vop_ioctl() after 9bf292bfca94, with memcmp() written as a helper of the user's that returns an int:
    // "Ensure desc has not changed between the two reads".
    [Fact]
    public Task SecondCopyComparedWithTheFirstByAMemcmpHelper()
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

    static int Memcmp(byte[] a, byte[] b, int n)
    {
        for (int i = 0; i < n; i++)
            if (a[i] != b[i])
                return a[i] - b[i];
        return 0;
    }

    static int AddDevice(byte[] desc) => desc[1];

    static int IoctlAddDevice(UserPtr argp)
    {
        var dd = new byte[8];
        if (CopyFromUser(dd, argp) != 0)
            return -EFAULT;
        if (dd[1] > 4)
            return -EINVAL;
        var ddConfig = MemdupUser(argp, 8 + dd[2]);
        if (ddConfig == null)
            return -EFAULT;
        if (Memcmp(dd, ddConfig, dd.Length) != 0)
            return -EINVAL;
        return AddDevice(ddConfig);
    }
}");

    /// <summary>mptctl after 28d76df18f0a: the handler is handed the adapter and copies the header only for other fields.</summary>
    [Fact]
    public Task HandlerCopiesTheHeaderButUsesOnlyOtherFields()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Adapter { public bool Active; }
class Mptctl
{
    static int VerifyAdapter(int n, out Adapter? a) { a = n < 4 ? new Adapter() : null; return a == null ? -1 : n; }

    static int Ioctl(ulong arg)
    {
        UserPtr uhdr = new UserPtr(arg);
        var khdr = new byte[12];
        if (CopyFromUser(khdr, uhdr) != 0)
            return -EFAULT;
        if (VerifyAdapter((int)(BitConverter.ToUInt32(khdr, 0) & 0xFF), out var iocp) < 0 || iocp == null)
            return -EINVAL;
        return DoReset(iocp, arg);
    }

    static int DoReset(Adapter iocp, ulong arg)
    {
        UserPtr urinfo = new UserPtr(arg);
        var krinfo = new byte[16];
        if (CopyFromUser(krinfo, urinfo) != 0)
            return -EFAULT;
        return iocp.Active ? (int)BitConverter.ToUInt32(krinfo, 12) : 0;
    }
}");

    /// <summary>The caller hands the handler its checked copy too: the handler can compare the two.</summary>
    [Fact]
    public Task HandlerIsHandedTheCheckedValue()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int Ioctl(UserPtr uarg, byte[] table)
    {
        if (GetUser(out uint count, uarg.Cast<uint>()) != 0)
            return -EFAULT;
        if (count > table.Length)
            return -EINVAL;
        return Fill(uarg, count, table);
    }

    static int Fill(UserPtr uarg, uint count, byte[] table)
    {
        if (GetUser(out uint n, uarg.Cast<uint>()) != 0)
            return -EFAULT;
        if (n != count)
            return -EINVAL;
        return CopyFromUser(table.AsSpan(0, (int)n), uarg + 4) != 0 ? -EFAULT : 0;
    }
}");

    /// <summary>The handler moves the pointer it is handed before it reads: it reads past what the caller checked.</summary>
    [Fact]
    public Task HandlerMovesThePointerFirst()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int Ioctl(UserPtr uarg, byte[] table)
    {
        if (GetUser(out uint count, uarg.Cast<uint>()) != 0)
            return -EFAULT;
        if (count > table.Length)
            return -EINVAL;
        return Fill(uarg, table);
    }

    static int Fill(UserPtr uarg, byte[] table)
    {
        uarg += 4;
        if (GetUser(out uint n, uarg.Cast<uint>()) != 0)
            return -EFAULT;
        return CopyFromUser(table.AsSpan(0, (int)(n & 0xFF)), uarg + 4) != 0 ? -EFAULT : 0;
    }
}");

    /// <summary>Nothing checked the value before the handler reads it: one fetch that counts.</summary>
    [Fact]
    public Task HandlerReadsWhatTheCallerDidNotCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int Ioctl(UserPtr uarg, byte[] table)
    {
        if (GetUser(out uint count, uarg.Cast<uint>()) != 0)
            return -EFAULT;
        table[0] = (byte)count;
        return Fill(uarg, table);
    }

    static int Fill(UserPtr uarg, byte[] table)
    {
        if (GetUser(out uint n, uarg.Cast<uint>()) != 0)
            return -EFAULT;
        if (n > table.Length)
            return -EINVAL;
        return CopyFromUser(table.AsSpan(0, (int)n), uarg + 4) != 0 ? -EFAULT : 0;
    }
}");

    /// <summary>
    /// vhost_set_vring(): the ring index is fetched and checked, then the struct holding it copied again
    /// and only its other fields read; the errno local given the copy's status (and a helper's result
    /// computed from another field) holds none of the index's bytes.
    /// </summary>
    [Fact]
    public Task StructCopiedAgainWithOnlyItsOtherFieldsRead()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Vq { public UserPtr Desc; public ulong LogAddr; }
class C
{
    static int InitUsed(Vq vq, UserPtr used) => 0;

    static long SetVring(Vq[] vqs, int ioctl, UserPtr argp)
    {
        UserPtr<uint> idxp = argp.Cast<uint>();
        var a = new byte[40];
        long r = GetUser(out uint idx, idxp);
        if (r < 0)
            return r;
        if (idx >= vqs.Length)
            return -EINVAL;
        var vq = vqs[idx];
        switch (ioctl)
        {
            case 1:
                r = CopyFromUser(a, argp);
                if (r != 0)
                {
                    r = -EFAULT;
                    break;
                }
                ulong descUserAddr = BitConverter.ToUInt64(a, 8);
                ulong logGuestAddr = BitConverter.ToUInt64(a, 32);
                if ((logGuestAddr & 7) != 0)
                {
                    r = -EINVAL;
                    break;
                }
                r = InitUsed(vq, new UserPtr(descUserAddr));
                if (r != 0)
                    break;
                vq.Desc = new UserPtr(descUserAddr);
                vq.LogAddr = logGuestAddr;
                break;
        }
        return r;
    }
}");

    /// <summary>
    /// The dispatcher tests only the header's version; the handler copies the whole header again and uses
    /// only its size, which the dispatcher never tested: the handler's value is checked where it is used.
    /// </summary>
    [Fact]
    public Task HandlerUsesOnlyAFieldTheCallerDidNotTest()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int Ioctl(UserPtr uarg, byte[] table)
    {
        var hdr = new byte[8];
        if (CopyFromUser(hdr, uarg) != 0)
            return -EFAULT;
        uint version = BitConverter.ToUInt32(hdr, 0);
        if (version != 1)
            return -EINVAL;
        return Set(uarg, table);
    }

    static int Set(UserPtr uarg, byte[] table)
    {
        var full = new byte[8];
        if (CopyFromUser(full, uarg) != 0)
            return -EFAULT;
        uint size = BitConverter.ToUInt32(full, 4);
        if (size > table.Length)
            return -EINVAL;
        return CopyFromUser(table.AsSpan(0, (int)size), uarg + 8) != 0 ? -EFAULT : 0;
    }
}");

    /// <summary>
    /// mpt3sas' _ctl_btdh_mapping(): the handler copies the whole struct again and hands it to lookups whose
    /// results it tests; nothing shows it reads the header the dispatcher tested, and across two functions
    /// the rule reports only a read of those bytes it can place.
    /// </summary>
    [Fact]
    public Task HandlerHandsItsCopyToLookupsAndTestsTheirResults()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int SearchSas(byte[] btdh) => btdh.Length;
    static int SearchRaid(byte[] btdh) => btdh.Length - 1;

    static long Dispatch(UserPtr arg)
    {
        var hdr = new byte[12];
        if (CopyFromUser(hdr, arg) != 0)
            return -EFAULT;
        if (BitConverter.ToUInt32(hdr, 0) > 4)
            return -EINVAL;
        return BtdhMapping(arg);
    }

    static long BtdhMapping(UserPtr arg)
    {
        var karg = new byte[24];
        if (CopyFromUser(karg, arg) != 0)
            return -EFAULT;
        int rc = SearchSas(karg);
        if (rc == 0)
            rc = SearchRaid(karg);
        if (CopyToUser(arg, karg) != 0)
            return -EFAULT;
        return rc;
    }
}");

    // btf_parse_hdr()'s shape with the second copy's length capped below the field fetched first: whatever
    // length the user picks, the copy stops before hdr_len, so nothing is read twice.
    [Fact]
    public Task CopySizedByTheFirstValueThatStopsShortOfIt()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int ParseHdr(UserPtr btfData, uint btfDataSize)
    {
        uint hdrLen, hdrCopy;
        if (GetUser(out hdrLen, (btfData + 4).Cast<uint>()) != 0)
            return -EFAULT;
        if (btfDataSize < hdrLen)
            return -EINVAL;
        hdrCopy = Math.Min(hdrLen, 4u);
        var hdr = new byte[24];
        if (CopyFromUser(hdr.AsSpan(0, (int)hdrCopy), btfData) != 0)
            return -EFAULT;
        if (btfDataSize == BitConverter.ToUInt32(hdr, 4))
            return -EINVAL;
        return 0;
    }
}");
}
