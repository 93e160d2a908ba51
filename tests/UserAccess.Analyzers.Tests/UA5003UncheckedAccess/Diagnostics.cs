using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA5003UncheckedAccessAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA5003UncheckedAccess;

/// <summary>UA5003. Span: the invocation. Arguments: the call, the pointer, the size to check.</summary>
public class Diagnostics
{
    [Fact]
    public Task NoCheckAtAll()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, out uint v)
    {
        return {|#0:GetUserUnchecked(out v, p)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "p", "4 bytes"));

    [Fact]
    public Task CheckedAnotherPointer()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, UserPtr<uint> q)
    {
        if (!AccessOk(p, 4))
            return -EFAULT;
        return {|#0:PutUserUnchecked(1u, q)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "q", "4 bytes"));

    [Fact]
    public Task CheckTooSmall()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<ulong> p, out ulong v)
    {
        if (!AccessOk(p, 4)) { v = 0; return -EFAULT; }
        return {|#0:GetUserUnchecked(out v, p)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "p", "8 bytes"));

    [Fact]
    public Task CheckResultIgnored()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, out uint v)
    {
        AccessOk(p, 4);
        return {|#0:GetUserUnchecked(out v, p)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "p", "4 bytes"));

    [Fact]
    public Task CheckedOnOneBranchOnly()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, bool trusted, out uint v)
    {
        if (!trusted && !AccessOk(p, 4)) { v = 0; return -EFAULT; }
        return {|#0:GetUserUnchecked(out v, p)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "p", "4 bytes"));

    [Fact]
    public Task PointerChangedAfterTheCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, UserPtr<uint> other, out uint v)
    {
        if (!AccessOk(p, 4)) { v = 0; return -EFAULT; }
        p = other;
        return {|#0:GetUserUnchecked(out v, p)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "p", "4 bytes"));

    [Fact]
    public Task OffsetBeyondTheCheckedRange()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, out uint a, out uint b)
    {
        if (!AccessOk(p, 8)) { a = b = 0; return -EFAULT; }
        int ret = GetUserUnchecked(out a, p + 4);
        return ret | {|#0:GetUserUnchecked(out b, p + 8)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "p + 8", "4 bytes"));

    [Fact]
    public Task UserHelperRequiringTheCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int ReadWord([RequiresAccessOk] UserPtr<uint> p, out uint v) => GetUserUnchecked(out v, p);

    static int Run(UserPtr<uint> p, out uint v) => {|#0:ReadWord(p, out v)|};
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ReadWord", "p", "4 bytes"));

    // __get_user skips access_ok(): a syscall reading a user word with it lets the user point it at
    // kernel memory.
    [Fact]
    public Task SyscallReadsFlagsUnchecked_Buggy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Syscalls
{
    static int SetRobustFlags(UserPtr<uint> uflags, out uint flags)
    {
        int ret = {|#0:GetUserUnchecked(out flags, uflags)|};
        if (ret != 0)
            return -EFAULT;
        return (flags & ~1u) != 0 ? -EINVAL : 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "uflags", "4 bytes"));

    // A field past the end of what access_ok() covered is unchecked, through a typed view too.
    [Fact]
    public Task FieldPastTheCheckedStructThroughACast()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Signal
{
    static int PutInfo(UserPtr info, int signo, ulong addr)
    {
        if (!AccessOk(info, 8))
            return -EFAULT;
        if (PutUserUnchecked(signo, info.Cast<int>()) != 0 ||
            {|#0:PutUserUnchecked(addr, (info + 8).Cast<ulong>())|} != 0)
            return -EFAULT;
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "(info + 8).Cast<ulong>()", "8 bytes"));

    // filldir64() near miss: the check covers only the previous entry, not the new one.
    [Fact]
    public Task RecordCheckShorterThanTheField()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Readdir
{
    static int Filldir64(UserPtr dirent, int prevReclen, ulong ino)
    {
        UserPtr prev = dirent - prevReclen;
        if (!AccessOk(prev, (ulong)prevReclen))
            return -EFAULT;
        return {|#0:PutUserUnchecked(ino, dirent.Cast<ulong>())|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "dirent.Cast<ulong>()", "8 bytes"));

    // A field beyond the constant size of the checked struct.
    [Fact]
    public Task OffsetBeyondTheCheckedStruct()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Rseq
{
    static int UpdateCpuId(UserPtr rseq, uint cpuId)
    {
        if (!AccessOk(rseq, 8))
            return -EFAULT;
        if (PutUserUnchecked(cpuId, (rseq + 4).Cast<uint>()) != 0)
            return -EFAULT;
        return {|#0:PutUserUnchecked(cpuId, (rseq + 8).Cast<uint>())|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "(rseq + 8).Cast<uint>()", "4 bytes"));

    // The byte loop one past the end: i <= len writes len + 1 bytes into a len-byte check.
    [Fact]
    public Task IndexWalksPastTheCheckedLength()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Copy
{
    static int Fill(UserPtr dst, byte[] src, int len)
    {
        if (!AccessOk(dst, (ulong)len))
            return -EFAULT;
        for (int i = 0; i <= len; i++)
        {
            if ({|#0:PutUserUnchecked(src[i], (dst + i).Cast<byte>())|} != 0)
                return -EFAULT;
        }

        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "(dst + i).Cast<byte>()", "1 bytes"));

    // An index bounded by something other than the checked length.
    [Fact]
    public Task IndexBoundedByAnotherLength()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Copy
{
    static int Fill(UserPtr dst, byte[] src, int len, int count)
    {
        if (!AccessOk(dst, (ulong)len))
            return -EFAULT;
        for (int i = 0; i < count; i++)
        {
            if ({|#0:PutUserUnchecked(src[i], (dst + i).Cast<byte>())|} != 0)
                return -EFAULT;
        }

        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "(dst + i).Cast<byte>()", "1 bytes"));

    // compat_put_bitmap() near miss: the pointer steps past the end of an 8-byte check.
    [Fact]
    public Task ConstantStepsPastAConstantCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Compat
{
    static int PutThreeWords(UserPtr<uint> umask, uint a, uint b, uint c)
    {
        if (!AccessOk(umask, 8))
            return -EFAULT;
        if (PutUserUnchecked(a, umask) != 0)
            return -EFAULT;
        umask += 4;
        if (PutUserUnchecked(b, umask) != 0)
            return -EFAULT;
        umask += 4;
        return {|#0:PutUserUnchecked(c, umask)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "umask", "4 bytes"));

    // get_futex_key() near miss: one success path (the private futex) skips access_ok().
    [Fact]
    public Task CalleeDoesNotCheckOnEverySuccessPath()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Futex
{
    static int GetFutexKey(UserPtr<uint> uaddr, bool shared)
    {
        if (!shared)
            return 0;
        if (!AccessOk(uaddr, sizeof(uint)))
            return -EFAULT;
        return 0;
    }

    static int WaitSetup(UserPtr<uint> uaddr, bool shared, out uint uval)
    {
        uval = 0;
        if (GetFutexKey(uaddr, shared) != 0)
            return -EFAULT;
        return {|#0:GetUserUnchecked(out uval, uaddr)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "uaddr", "4 bytes"));

    // get_futex_key() near miss: the result variable is returned as success before the check runs.
    [Fact]
    public Task CalleeReturnsSuccessBeforeTheCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Futex
{
    static int GetFutexKey(UserPtr<uint> uaddr, int flags)
    {
        int err = 0;
        if (flags == 0)
            return err;
        if (!AccessOk(uaddr, sizeof(uint)))
            err = -EFAULT;
        return err;
    }

    static int WaitSetup(UserPtr<uint> uaddr, int flags, out uint uval)
    {
        uval = 0;
        int ret = GetFutexKey(uaddr, flags);
        if (ret != 0)
            return ret;
        return {|#0:GetUserUnchecked(out uval, uaddr)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "uaddr", "4 bytes"));

    // The callee's check holds only where it returned 0, not on its error path.
    [Fact]
    public Task AccessOnTheCalleesFailurePath()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Futex
{
    static int GetFutexKey(UserPtr<uint> uaddr)
    {
        if (!AccessOk(uaddr, sizeof(uint)))
            return -EFAULT;
        return 0;
    }

    static int Peek(UserPtr<uint> uaddr, out uint uval)
    {
        uval = 0;
        if (GetFutexKey(uaddr) != 0)
            return {|#0:GetUserUnchecked(out uval, uaddr)|};
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "uaddr", "4 bytes"));

    // net/rds/page.c, rds_page_copy_user() before CVE-2010-3904's fix: the pointer comes from an iovec
    // copied from the user, a struct value, not kernel state checked elsewhere: still reported.
    [Fact]
    public Task PointerFromAStructCopiedFromTheUser()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
struct Iovec
{
    public UserPtr Base;
    public ulong Len;
}

class Rds
{
    static int CopyUser(UserPtr<Iovec> uiov, byte b)
    {
        if (CopyFromUser(out Iovec iov, uiov) != 0)
            return -EFAULT;
        return {|#0:PutUserUnchecked(b, iov.Base.Cast<byte>())|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "iov.Base.Cast<byte>()", "1 bytes"));

    // net/compat.c, compat_mc_getsockopt(), v2.6.35 (CVE-2010-3081): compat_alloc_user_space() carved the
    // buffer below the user's stack pointer and checked nothing, so __put_user() on it is unchecked.
    [Fact]
    public Task PointerComputedByAHelperWithNoCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class CompatNet
{
    static UserPtr CompatAllocUserSpace(ulong sp, long len) => new UserPtr((sp - (ulong)len) & ~15UL);

    static int McGetsockopt(ulong sp, uint fmode)
    {
        UserPtr kgf = CompatAllocUserSpace(sp, 144);
        return {|#0:PutUserUnchecked(fmode, (kgf + 136).Cast<uint>())|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "(kgf + 136).Cast<uint>()", "4 bytes"));

    [Fact]
    public Task PointerComputedByAHelperUsedDirectly()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class CompatNet
{
    static UserPtr CompatAllocUserSpace(ulong sp, long len)
    {
        UserPtr ptr = new UserPtr((sp - (ulong)len) & ~15UL);
        return ptr;
    }

    static int McGetsockopt(ulong sp, int klen)
    {
        return {|#0:PutUserUnchecked(klen, CompatAllocUserSpace(sp, 4).Cast<int>())|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "CompatAllocUserSpace(sp, 4).Cast<int>()", "4 bytes"));

    // A helper that checks the constant size it hands out covers that much and no more.
    [Fact]
    public Task AccessPastTheSizeAHelperChecked()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class CompatNet
{
    static UserPtr AllocHeader(ulong sp)
    {
        UserPtr ptr = new UserPtr((sp - 8) & ~15UL);
        if (!AccessOk(ptr, 8))
            return default;
        return ptr;
    }

    static int Fill(ulong sp, uint v)
    {
        UserPtr hdr = AllocHeader(sp);
        if (PutUserUnchecked(v, (hdr + 4).Cast<uint>()) != 0)
            return -EFAULT;
        return {|#0:PutUserUnchecked(v, (hdr + 8).Cast<uint>())|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "(hdr + 8).Cast<uint>()", "4 bytes"));

    // kernel/trace/bpf_trace.c copy_user_syms() before "bpf: Add missing access_ok call to copy_user_syms":
    // __get_user() of every entry of the caller's array, with no access_ok() on it.
    [Fact]
    public Task EntriesOfAnArrayNeverChecked()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class BpfTrace
{
    static int CopyUserSyms(ulong[] syms, UserPtr usyms, uint cnt)
    {
        ulong usymbol;
        for (uint i = 0; i < cnt; i++)
        {
            if ({|#0:GetUserUnchecked(out usymbol, (usyms + i * 8).Cast<ulong>())|} != 0)
                return -EFAULT;
            syms[i] = usymbol;
        }
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "(usyms + i * 8).Cast<ulong>()", "8 bytes"));

    // A check of cnt 4-byte entries does not cover 8-byte entries indexed up to cnt: the second half of the
    // walk is past the checked range.
    [Fact]
    public Task EntriesWiderThanTheCheckedElementSize()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Table
{
    static int Read(ulong[] values, UserPtr table, uint cnt)
    {
        ulong value;
        if (!AccessOk(table, (long)cnt * 4))
            return -EFAULT;
        for (uint i = 0; i < cnt; i++)
        {
            if ({|#0:GetUserUnchecked(out value, (table + i * 8).Cast<ulong>())|} != 0)
                return -EFAULT;
            values[i] = value;
        }
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "(table + i * 8).Cast<ulong>()", "8 bytes"));

    // read_port() with the copy made from a pointer that is then replaced before the check: the check is of
    // another buffer, and the copy is not covered.
    [Fact]
    public Task CopyOfThePointerMadeBeforeItWasReplacedAndChecked()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Mem
{
    static long ReadPort(UserPtr buf, UserPtr other, long count, byte value)
    {
        UserPtr tmp = buf;
        buf = other;
        if (!AccessOk(buf, count))
            return -EFAULT;
        if ({|#0:PutUserUnchecked(value, tmp.Cast<byte>())|} < 0)
            return -EFAULT;
        return 1;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "tmp.Cast<byte>()", "1 bytes"));

    // The two parts of the split copy add up past the check: 88 bytes stored, 80 checked.
    [Fact]
    public Task SplitCopyWhosePartsEndPastTheCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class MathEmu
{
    static int Top;
    static byte[] RegisterBase = new byte[88];

    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, ""to"", Size = ""from"")]
    static int CopyToUserUnchecked([RequiresAccessOk] UserPtr to, ReadOnlySpan<byte> from) => 0;

    static int Fsave(UserPtr d)
    {
        int offset = (Top & 7) * 10, other = 88 - offset;
        if (!AccessOk(d, 80))
            return -EFAULT;
        if ({|#0:CopyToUserUnchecked(d + other, RegisterBase.AsSpan(0, offset))|} != 0)
            return -EFAULT;
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyToUserUnchecked", "d + other", "the accessed size"));

    // The split point is the caller's: a part may start before the checked range (other < 0 when offset > 80).
    [Fact]
    public Task SplitCopyAtAPointTheCallerChose()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ring
{
    static byte[] Buffer = new byte[80];

    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, ""to"", Size = ""from"")]
    static int CopyToUserUnchecked([RequiresAccessOk] UserPtr to, ReadOnlySpan<byte> from) => 0;

    static int Store(UserPtr d, int offset)
    {
        int other = 80 - offset;
        if (!AccessOk(d, 80))
            return -EFAULT;
        if ({|#0:CopyToUserUnchecked(d + other, Buffer.AsSpan(0, offset))|} != 0)
            return -EFAULT;
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyToUserUnchecked", "d + other", "the accessed size"));

    // The status is tested the wrong way round: the access runs where the check failed.
    [Fact]
    public Task CheckStatusTestedTheWrongWay()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Printk
{
    static int Read(UserPtr buf, int len, byte c)
    {
        int error = AccessOk(buf, len) ? 0 : -EFAULT;
        if (error == 0)
            return 0;
        return {|#0:PutUserUnchecked(c, buf.Cast<byte>())|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "buf.Cast<byte>()", "1 bytes"));

    // One byte before the checked range.
    [Fact]
    public Task ByteBeforeTheCheckedRange()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Signal32
{
    static int Probe(UserPtr ctx)
    {
        if (!AccessOk(ctx, 16))
            return -EFAULT;
        return {|#0:GetUserUnchecked(out byte tmp, (ctx - 1).Cast<byte>())|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "(ctx - 1).Cast<byte>()", "1 bytes"));

    // NULL or checked for 16 bytes: a field past them is outside the check when the pointer is not NULL.
    [Fact]
    public Task PointerNullOrCheckedTooShort()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Signal64
{
    static int Restore(UserPtr vRegs, out uint vrsave)
    {
        vrsave = 0;
        if (vRegs != UserPtr.Null && !AccessOk(vRegs, 16))
            return -EFAULT;
        if (vRegs != UserPtr.Null)
            return {|#0:GetUserUnchecked(out vrsave, (vRegs + 33 * 16).Cast<uint>())|};
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "(vRegs + 33 * 16).Cast<uint>()", "4 bytes"));

    // The count is raised above the checked length after the copy: an index below it may pass the end.
    [Fact]
    public Task IndexBelowACopyOfTheLengthThatIsRaised()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Fill(UserPtr buf, long len, byte[] data)
    {
        if (!AccessOk(buf, len))
            return -EFAULT;
        long n = len;
        if (n < 16)
            n = 16;
        for (long i = 0; i < n; i++)
            if ({|#0:PutUserUnchecked(data[i], (buf + i).Cast<byte>())|} != 0)
                return -EFAULT;
        return (int)n;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "(buf + i).Cast<byte>()", "1 bytes"));

    // The earlier loop runs to a limit of the kernel's, not to the checked length: what it left says
    // nothing of the user's buffer.
    [Fact]
    public Task IndexBelowWhatAnEarlierLoopLeftUnderAnotherLimit()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Printk
{
    static int Read(UserPtr buf, int len, byte[] log, ulong logged)
    {
        ulong i;
        if (!AccessOk(buf, len))
            return -EFAULT;
        for (i = 0; i < logged; i++)
            if (log[i] == 0)
                break;
        int error = (int)i;
        for (i = 0; i < (ulong)error; i++)
            if ({|#0:PutUserUnchecked(log[i], (buf + (long)i).Cast<byte>())|} != 0)
                return -EFAULT;
        return error;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "(buf + (long)i).Cast<byte>()", "1 bytes"));

    // The bound is written again in a round that goes on: it is no longer what the earlier loop left.
    [Fact]
    public Task IndexBelowABoundTheLoopRaises()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Printk
{
    static int Read(UserPtr buf, int len, byte[] log)
    {
        ulong i;
        ulong count = (ulong)len;
        if (!AccessOk(buf, len))
            return -EFAULT;
        for (i = 0; i < count; i++)
            if (log[i] == 0)
                break;
        ulong error = i;
        for (i = 0; i < error; i++)
        {
            if ({|#0:PutUserUnchecked(log[i], (buf + (long)i).Cast<byte>())|} != 0)
                return -EFAULT;
            if (log[i] == 1)
                error++;
        }
        return (int)error;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "(buf + (long)i).Cast<byte>()", "1 bytes"));

    // The field lies past the bytes the copy read: its access_ok() did not reach it.
    [Fact]
    public Task FieldPastTheStructACopyRead()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Privcmd
{
    static int MmapResource(UserPtr udata, ulong nrFrames)
    {
        var kdata = new byte[16];
        if (CopyFromUser(kdata, udata) != 0)
            return -EFAULT;
        return {|#0:PutUserUnchecked(nrFrames, (udata + 16).Cast<ulong>())|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "(udata + 16).Cast<ulong>()", "8 bytes"));

    // The helper returns 0 without the copy when a flag says so: its success does not say the pointer was checked.
    [Fact]
    public Task PointerAHelperMayNotHaveCopiedFrom()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Select
{
    static int GetFdSet(int nr, UserPtr ufdset, byte[] fdset, bool zero)
    {
        if (!zero)
            return CopyFromUser(fdset.AsSpan(0, nr), ufdset) != 0 ? -EFAULT : 0;
        Array.Clear(fdset, 0, nr);
        return 0;
    }

    static int CoreSysSelect(int n, UserPtr inp, byte[] fdsIn, uint result, bool zero)
    {
        int ret = GetFdSet(n, inp, fdsIn, zero);
        if (ret != 0)
            return ret;
        return {|#0:PutUserUnchecked(result, inp.Cast<uint>())|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "inp.Cast<uint>()", "4 bytes"));

    // parse_user_sigframe() before abf73988a7c2: after the walk moves to the extra area, which nothing
    // checked, its record headers are still read unchecked. The flag tells the paths apart, and on the
    // paths where it is set the read is outside any check.
    [Fact]
    public Task RecordReadAfterAFlagSaysTheWalkLeftTheCheckedFrame()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Signal
{
    const uint EXTRA_MAGIC = 0x45585401;

    static int Parse([RequiresAccessOk] UserPtr frame)
    {
        UserPtr head = frame;
        bool haveExtra = false;
        while (true)
        {
            int err = 0;
            err |= {|#0:GetUserUnchecked(out uint magic, head.Cast<uint>())|};
            if (err != 0)
                return err;
            if (magic == 0)
                return 0;
            if (magic != EXTRA_MAGIC)
                return -EINVAL;
            if (haveExtra)
                return -EINVAL;
            err |= GetUserUnchecked(out ulong datap, (head + 8).Cast<ulong>());
            if (err != 0)
                return err;
            haveExtra = true;
            head = new UserPtr(datap);
        }
    }

    // The second test is the other way round: the read runs where the check did not.
    static int Read(UserPtr p, bool check, out uint v)
    {
        v = 0;
        if (check && !AccessOk(p, 4))
            return -EFAULT;
        if (check)
            return 0;
        return {|#1:GetUserUnchecked(out v, p.Cast<uint>())|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "head.Cast<uint>()", "4 bytes"),
            VerifyCS.Diagnostic().At(1).WithArguments("GetUserUnchecked", "p.Cast<uint>()", "4 bytes"));
}
