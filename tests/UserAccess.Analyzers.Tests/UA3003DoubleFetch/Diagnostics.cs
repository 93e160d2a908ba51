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
    // do_handle_to_path(): handle_dwords = handle->handle_bytes >> 2, the second copy's length.
    static int DoHandleToPath(byte[] handle) => (int)(BitConverter.ToUInt32(handle, 0) >> 2);

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

    // fs/ioctl.c, ioctl_file_dedupe_range() before 10eec60ce791 (CVE-2016-6516): dest_count (a u16 at offset
    // 16) is fetched to size the copy, memdup_user() fetches the struct again from offset 0 (at least 24
    // bytes: it covers the field), and the loop over info[] is bounded by the second copy's count.
    [Fact]
    public Task HeaderFieldFetchedThenTheStructThatHoldsIt()
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
        if ({|#1:GetUser(out ushort count, (argp + 16).Cast<ushort>())|} != 0)
            return -EFAULT;
        long size = 24 + count * 32;
        var same = {|#0:MemdupUser(argp, (int)size)|};
        if (same == null)
            return -EFAULT;
        return VfsDedupeFileRange(same);
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("MemdupUser", "argp", "count"));

    // A record walk: each round fetches the record's length twice before the pointer moves to the next
    // record; the move after both reads does not make them different locations.
    [Fact]
    public Task LengthFetchedTwiceInOneRoundOfAWalk()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr p, int records, byte[] kbuf)
    {
        for (int i = 0; i < records; i++)
        {
            if (GetUser(out uint len, p.Cast<uint>()) != 0)
                return -EFAULT;
            if (len > kbuf.Length)
                return -EINVAL;
            if ({|#0:GetUser(out uint again, p.Cast<uint>())|} != 0)
                return -EFAULT;
            if (CopyFromUser(kbuf.AsSpan(0, (int)again), p + 4) != 0)
                return -EFAULT;
            p += 4 + again;
        }

        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUser", "p.Cast<uint>()", "len"));

    // kernel/events/core.c, perf_copy_attr() before the 2016 double-fetch fix: the size is fetched, checked
    // against PERF_ATTR_SIZE_VER0 and capped at sizeof(*attr), then the whole attr, size included, is copied.
    [Fact]
    public Task SizeCheckedAgainstAConstantThenTheStructCopiedAgain()
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
        ret = {|#0:CopyFromUser(attr.AsSpan(0, (int)size), uattr)|};
        if (ret != 0)
            return -EFAULT;
        return BitConverter.ToInt32(attr, 4);
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "uattr", "size"));

    // drivers/virt/vboxguest/vboxguest_linux.c, vbg_misc_device_ioctl() before CVE-2018-12633's fix: the
    // checked header is copied again with the request, and the request is handled; comparing the output
    // size of the second copy with the first afterwards protects nothing.
    [Fact]
    public Task ComparisonAfterTheSecondCopyWasUsed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Vbox
{
    static int Handle(byte[] buf) => BitConverter.ToUInt32(buf, 0) > (uint)buf.Length ? -EINVAL : 0;

    static int Ioctl(UserPtr arg)
    {
        var hdr = new byte[24];
        if (CopyFromUser(hdr, arg) != 0)
            return -EFAULT;
        if (BitConverter.ToUInt32(hdr, 0) < 24)
            return -EINVAL;
        long size = Math.Max(BitConverter.ToUInt32(hdr, 0), BitConverter.ToUInt32(hdr, 16));
        var buf = new byte[size];
        if ({|#0:CopyFromUser(buf.AsSpan(0, (int)BitConverter.ToUInt32(hdr, 0)), arg)|} != 0)
            return -EFAULT;
        int ret = Handle(buf);
        if (ret != 0)
            return ret;
        long returned = BitConverter.ToUInt32(buf, 16);
        if (returned > size)
            returned = size;
        return CopyToUser(arg, buf.AsSpan(0, (int)returned)) != 0 ? -EFAULT : 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "arg", "hdr"));

    // The re-copied struct is tested, but on another field (cmd) than the one the first copy's check read
    // (flow_type): flow_type of the second copy is used unchecked.
    [Fact]
    public Task SecondCopyTestsAnotherField()
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
            if ({|#0:CopyFromUser(info.AsSpan(0, infoSize), useraddr)|} != 0)
                return -EFAULT;
            if (BitConverter.ToUInt32(info, 0) != cmd)
                return -EINVAL;
            return GetRxnfc(info);
        }
        return GetRxnfc(info);
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "useraddr", "info"));

    // net/core/ethtool.c, ethtool_get_rxnfc() before d656fe49e33d: the whole struct is copied again over
    // the checked short copy only when FLOW_RSS is set, and the driver gets the copy after the branches
    // meet: on the FLOW_RSS path it reads the second copy, whose flow_type nobody tested.
    [Fact]
    public Task SecondCopyInOneBranchUsedAfterTheBranchesMeet()
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
            if ({|#0:CopyFromUser(info.AsSpan(0, infoSize), useraddr)|} != 0)
                return -EFAULT;
        }
        return GetRxnfc(info);
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "useraddr", "info"));

    // The checked length is fetched again on one path only, and the copy after the branches meet is sized
    // by whichever value the path left in it.
    [Fact]
    public Task LengthFetchedAgainInOneBranch()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ioctl
{
    static int SetName(UserPtr<uint> ulen, UserPtr data, byte[] kbuf, bool compat)
    {
        if (GetUser(out uint len, ulen) != 0)
            return -EFAULT;
        if (len > kbuf.Length)
            return -EINVAL;
        if (compat)
        {
            if ({|#0:GetUser(out len, ulen)|} != 0)
                return -EFAULT;
        }
        return CopyFromUser(kbuf.AsSpan(0, (int)len), data) != 0 ? -EFAULT : 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUser", "ulen", "len"));

    // The same as the local copy whose other fields only are read, but the size field itself is read from the
    // second copy: the value the check saw may not be the value used.
    [Fact]
    public Task StructCopiedAgainIntoALocalWhoseRefetchedFieldIsRead()
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
        if ({|#0:CopyFromUser(attr.AsSpan(0, (int)size), uattr)|} != 0)
            return -EFAULT;
        return (int)BitConverter.ToUInt32(attr, 0) + BitConverter.ToInt32(attr, 12);
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "uattr", "size"));

    // kernel/auditsc.c, audit_log_single_execve_arg() before 43761473c254 (CVE-2016-6136): the argument is
    // walked once through a copy of its pointer to look for control characters, which decides how it is
    // logged, and walked again from its start to be logged. Both walks read its first chunk.
    [Fact]
    public Task TwoWalksOfTheSameArgument()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Audit
{
    static bool ContainsControl(byte[] buf, long len) => false;
    static void LogString(byte[] buf, long len) { }

    static int LogArg(UserPtr p, long len, byte[] buf)
    {
        UserPtr tmp = p;
        long left = len, chunk;
        bool hasCntl = false;
        do
        {
            chunk = Math.Min(left, 7500);
            if ({|#1:CopyFromUser(buf.AsSpan(0, (int)chunk), tmp)|} != 0)
                return -EFAULT;
            hasCntl = ContainsControl(buf, chunk);
            if (hasCntl)
                break;
            left -= chunk;
            tmp += chunk;
        }
        while (left > 0);

        for (left = len; left > 0; left -= chunk)
        {
            chunk = Math.Min(left, 7500);
            if ({|#0:CopyFromUser(buf.AsSpan(0, (int)chunk), p)|} != 0)
                return -EFAULT;
            LogString(buf, chunk);
            p += chunk;
        }
        return hasCntl ? 1 : 0;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("CopyFromUser", "p", "buf"));

    // An array of lengths walked once to check and sum them, and again to copy each: the second walk's
    // lengths may exceed what the first sized the buffer for (net/compat.c's cmsghdr_from_user_compat_to_kern()
    // before "net: compat: assert the size of cmsg copied in is as expected").
    [Fact]
    public Task LengthsCheckedInOneWalkAndUsedInAnother()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Vec
{
    static int CopyAll(UserPtr<uint> lens, int n, UserPtr src, out byte[] buf)
    {
        buf = Array.Empty<byte>();
        UserPtr<uint> q = lens;
        long total = 0;
        for (int i = 0; i < n; i++)
        {
            if ({|#1:GetUser(out uint len, q)|} != 0)
                return -EFAULT;
            if (len > 4096)
                return -EINVAL;
            total += len;
            q += 4;
        }

        buf = new byte[total];
        int off = 0;
        for (int i = 0; i < n; i++)
        {
            if ({|#0:GetUser(out uint len, lens)|} != 0)
                return -EFAULT;
            if (CopyFromUser(buf.AsSpan(off, (int)len), src + off) != 0)
                return -EFAULT;
            off += (int)len;
            lens += 4;
        }
        return 0;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("GetUser", "lens", "len"));

    // net/compat.c, cmsghdr_from_user_compat_to_kern() before "net: compat: assert the size of cmsg copied in
    // is as expected": both walks start from CMSG_COMPAT_FIRSTHDR(kmsg), a helper computed from its arguments
    // alone, so both read the first header's length; the first walk summed the lengths it checked to size the
    // buffer the second copies into with the lengths it reads again.
    [Fact]
    public Task ChainWalkedTwiceFromTheFirstHeader()
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
            if ({|#1:GetUser(out uint curLen, cur.Cast<uint>())|} != 0)
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
            if ({|#0:GetUser(out uint again, cur.Cast<uint>())|} != 0)
                return -EFAULT;
            if (CopyFromUser(kbuf.AsSpan(at, (int)again - 12), cur + 12) != 0)
                return -EFAULT;
            at += (int)again;
            cur = NextHdr(control, len, cur, again);
        }
        return 0;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("GetUser", "cur.Cast<uint>()", "curLen"));

    // The VFS hoist of the same ioctl (ioctl_file_dedupe_range() before CVE-2016-6516's fix) bounds a loop by
    // the second copy's dest_count, through a local: a use of the bytes fetched twice, whatever else is handed back.
    [Fact]
    public Task SecondCopysCountBoundsALoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Btrfs
{
    [MightFault]
    [UserAccess(AccessKind.Read, ""src"", Size = ""len"")]
    static byte[]? MemdupUser(UserPtr src, int len) => null;

    static long FileExtentSame(UserPtr argp)
    {
        byte[]? same;
        int i, info;
        ushort count;

        if (GetUser(out count, (argp + 16).Cast<ushort>()) != 0)
            return -EFAULT;

        same = {|#0:MemdupUser(argp, 24 + count * 32)|};
        if (same == null)
            return -EFAULT;

        if (BitConverter.ToUInt64(same, 8) > 16 * 1024 * 1024)
            return -EINVAL;

        for (i = 0; i < count; i++)
            BitConverter.TryWriteBytes(same.AsSpan(24 + i * 32 + 16, 8), 0UL);

        int n = BitConverter.ToUInt16(same, 16);
        for (i = 0, info = 24; i < n; i++, info += 32)
        {
            if (BitConverter.ToInt64(same, info) < 0)
                BitConverter.TryWriteBytes(same.AsSpan(info + 24, 4), -EINVAL);
        }

        if (CopyToUser(argp, same) != 0)
            return -EFAULT;
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MemdupUser", "argp", "count"));

    // net/ipv4/netfilter/arp_tables.c, do_add_counters() before the CVE-2006-0039 fix: the length was
    // checked against the first copy's count, and the second copy's count is compared with the table found
    // by the first copy's name, not with the count that was checked: no re-validation.
    [Fact]
    public Task SecondCopysCountComparedWithWhatALookupMadeOfTheFirst()
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
        if ({|#0:CopyFromUser(paddc.AsSpan(0, (int)len), user)|} != 0)
            return -EFAULT;
        XtTable? t = XtFindTableLock(tmp);
        if (t == null)
            return -ENOENT;
        int ret = 0;
        t.Lock.Lock();
        XtTableInfo priv = t.Private;
        if (priv.Number != BitConverter.ToUInt32(paddc, 32))
            ret = -EINVAL;
        else
            AddCounters(priv, paddc, 40);
        t.Lock.Unlock();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "user", "tmp"));

    // The same walk handed the second copy from the count's own offset reads the re-fetched count.
    [Fact]
    public Task SecondCopyHandedToAWalkThatStartsAtTheCheckedField()
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
        if ({|#0:CopyFromUser(paddc.AsSpan(0, (int)len), user)|} != 0)
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
            AddCounters(priv, paddc, 32);
        t.Lock.Unlock();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "user", "tmp"));

    // A helper handed both copies whose result is compared with a limit, not with zero, does not compare them:
    // the second copy's count is used unchecked.
    [Fact]
    public Task HelperOfBothCopiesTestedAgainstALimit()
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

    static int Slots(byte[] a, byte[] b) => a[1] + b[3];

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
        if (Slots(dd, ddConfig) > 64)
            return -EINVAL;
        return AddDevice(ddConfig);
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MemdupUser", "argp", "dd"));

    /// <summary>
    /// mptctl's __mptctl_ioctl() before 28d76df18f0a (CVE-2020-12652): the header copied and its adapter
    /// looked up, then the raw argument handed to a handler that copies the header again and looks the
    /// adapter up again. Reported at the call that hands the checked pointer on.
    /// </summary>
    [Fact]
    public Task HeaderCheckedThenHandedToAHandlerThatCopiesItAgain()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Adapter { public bool Active; }
class Mptctl
{
    static int VerifyAdapter(int n, out Adapter? a) { a = n < 4 ? new Adapter() : null; return a == null ? -1 : n; }

    static int Ioctl(ulong arg)
    {
        UserPtr uhdr = new UserPtr(arg);
        var khdr = new byte[12];
        if ({|#1:CopyFromUser(khdr, uhdr)|} != 0)
            return -EFAULT;
        if (VerifyAdapter((int)(BitConverter.ToUInt32(khdr, 0) & 0xFF), out var iocp) < 0 || iocp == null)
            return -EINVAL;
        return {|#0:DoReset(arg)|};
    }

    static int DoReset(ulong arg)
    {
        UserPtr urinfo = new UserPtr(arg);
        var krinfo = new byte[16];
        if (CopyFromUser(krinfo, urinfo) != 0)
            return -EFAULT;
        if (VerifyAdapter((int)BitConverter.ToUInt32(krinfo, 0), out var iocp) < 0)
            return -EINVAL;
        return 0;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("DoReset", "arg", "khdr"));

    /// <summary>The handed pointer is past the header: the callee's offset 0 is the caller's offset 8, where the checked count lies.</summary>
    [Fact]
    public Task CountCheckedThenHandedOnAtItsOffset()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int Set(UserPtr uarg, byte[] table)
    {
        if (GetUser(out uint count, (uarg + 8).Cast<uint>()) != 0)
            return -EFAULT;
        if (count > table.Length)
            return -EINVAL;
        return {|#0:Fill(uarg + 8, table)|};
    }

    static int Fill(UserPtr counted, byte[] table)
    {
        if (GetUser(out uint n, counted.Cast<uint>()) != 0)
            return -EFAULT;
        return CopyFromUser(table.AsSpan(0, (int)n), counted + 4) != 0 ? -EFAULT : 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("Fill", "uarg + 8", "count"));

    /// <summary>Two pointers made from one argument name the same user memory.</summary>
    [Fact]
    public Task TwoPointersMadeFromOneArgument()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(ulong arg, byte[] kbuf)
    {
        UserPtr<uint> ulen = new UserPtr(arg).Cast<uint>();
        if (GetUser(out uint len, ulen) != 0)
            return -EFAULT;
        if (len > kbuf.Length)
            return -EINVAL;
        UserPtr hdr = new UserPtr(arg);
        var again = new byte[8];
        if ({|#0:CopyFromUser(again, hdr)|} != 0)
            return -EFAULT;
        return CopyFromUser(kbuf.AsSpan(0, (int)BitConverter.ToUInt32(again, 0)), hdr + 8) != 0 ? -EFAULT : 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "hdr", "len"));

    /// <summary>
    /// ip_tables' do_add_counters() in v2.6.16: the first count is checked against the length, the whole buffer
    /// copied again, and its count tested against the table the first copy's name found. A test of the re-fetched
    /// field against what a lookup made of the first copy re-validates nothing: the walk adds the table's count
    /// of counters from a buffer sized for the first.
    /// </summary>
    [Fact]
    public Task SecondCountTestedOnlyAgainstALookupOfTheFirstCopy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Table { public uint Number; }
class C
{
    static Table? FindTable(byte[] name) => name[0] == 0 ? null : new Table();

    static int AddCounters(UserPtr user, uint len)
    {
        byte[] tmp = new byte[40];
        if (CopyFromUser(tmp, user) != 0)
            return -EFAULT;
        if (len != 40 + BitConverter.ToUInt32(tmp, 32) * 16)
            return -EINVAL;
        var paddc = new byte[len];
        if ({|#0:CopyFromUser(paddc.AsSpan(0, (int)len), user)|} != 0)
            return -EFAULT;
        var t = FindTable(tmp);
        if (t == null)
            return -ENOENT;
        if (t.Number != BitConverter.ToUInt32(paddc, 32))
            return -EINVAL;
        return paddc[40];
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "user", "tmp"));

    // No check bounds the size from below, but the size is the value fetched first: the user who picks it
    // picks one that copies the size field again (perf_copy_attr() without its PERF_ATTR_SIZE_VER0 test),
    // and the copy goes back to the caller, who may read it.
    [Fact]
    public Task SizeBoundedOnlyFromAboveIsTheUsersChoice()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Perf
{
    static int CopyAttr(UserPtr uattr, byte[] attr)
    {
        const int PERF_ATTR_SIZE_VER5 = 112;
        int ret = {|#1:GetUser(out uint size, (uattr + 4).Cast<uint>())|};
        if (ret != 0)
            return ret;
        if (size > PERF_ATTR_SIZE_VER5)
            return -EINVAL;
        ret = {|#0:CopyFromUser(attr.AsSpan(0, (int)size), uattr)|};
        if (ret != 0)
            return -EFAULT;
        return BitConverter.ToInt32(attr, 8);
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("CopyFromUser", "uattr", "size"));

    // kernel/bpf/btf.c btf_parse_hdr() before 4a6998aff82a: hdr_len fetched at offset 4 and checked, then
    // min(hdr_len, sizeof(*hdr)) bytes copied from offset 0: the length is the user's first value, so the
    // user picks one that copies hdr_len again, and the copied hdr_len is the one used. (The kernel copies
    // into btf->hdr; a copy into an object's field is not followed, so the header is a local here.)
    [Fact]
    public Task HeaderCopiedAgainForALengthTheFirstValueSets()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int ParseHdr(UserPtr btfData, uint btfDataSize)
    {
        uint hdrLen, hdrCopy;
        if (btfDataSize < 8)
            return -EINVAL;
        if ({|#1:GetUser(out hdrLen, (btfData + 4).Cast<uint>())|} != 0)
            return -EFAULT;
        if (btfDataSize < hdrLen)
            return -EINVAL;
        hdrCopy = Math.Min(hdrLen, 24u);
        var hdr = new byte[24];
        if ({|#0:CopyFromUser(hdr.AsSpan(0, (int)hdrCopy), btfData)|} != 0)
            return -EFAULT;
        if (btfDataSize == BitConverter.ToUInt32(hdr, 4))
            return -EINVAL;
        return 0;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("CopyFromUser", "btfData", "hdrLen"));
}
