using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA5003UncheckedAccessAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA5003UncheckedAccess;

/// <summary>UA5003. Span: the invocation. Arguments: the call, the pointer, the size to check.</summary>
public class Valid
{
    [Fact]
    public Task SyscallReadsFlagsUnchecked_Fixed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Syscalls
{
    static int SetRobustFlags(UserPtr<uint> uflags, out uint flags)
    {
        flags = 0;
        if (!AccessOk(uflags, sizeof(uint)))
            return -EFAULT;
        int ret = GetUserUnchecked(out flags, uflags);
        if (ret != 0)
            return -EFAULT;
        return (flags & ~1u) != 0 ? -EINVAL : 0;
    }
}");

    [Fact]
    public Task EarlyReturnOnFailedCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, out uint v)
    {
        v = 0;
        if (!AccessOk(p, 4))
            return -EFAULT;
        return GetUserUnchecked(out v, p);
    }
}");

    [Fact]
    public Task GuardingIf()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p)
    {
        if (AccessOk(p, 8))
        {
            int ret = PutUserUnchecked(1u, p);
            return ret | PutUserUnchecked(2u, p + 4);
        }
        return -EFAULT;
    }
}");

    [Fact]
    public Task CheckStoredInALocal()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, out uint v)
    {
        v = 0;
        bool ok = AccessOk(p, 4);
        if (!ok)
            return -EFAULT;
        return GetUserUnchecked(out v, p);
    }
}");

    [Fact]
    public Task VariableSizeCheckCovers()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, ulong len, out uint v)
    {
        v = 0;
        if (len < 4 || !AccessOk(p, len))
            return -EFAULT;
        return GetUserUnchecked(out v, p);
    }
}");

    [Fact]
    public Task CheckedOnceAccessedInALoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, int n)
    {
        if (!AccessOk(p, (ulong)(4 * n)))
            return -EFAULT;
        int ret = 0;
        for (int i = 0; i < n && ret == 0; i++)
            ret = PutUserUnchecked((uint)i, p);
        return ret;
    }
}");

    [Fact]
    public Task HelperParameterIsCheckedByItsCallers()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int ReadWord([RequiresAccessOk] UserPtr<uint> p, out uint v) => GetUserUnchecked(out v, p);

    static int Run(UserPtr<uint> p, out uint v)
    {
        v = 0;
        if (!AccessOk(p, 4))
            return -EFAULT;
        return ReadWord(p, out v);
    }
}");

    [Fact]
    public Task CheckedAccessesNeedNoCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, out uint v) => GetUser(out v, p);
}");

    [Fact]
    public Task CheckedField()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Robust
{
    private UserPtr<uint> head;

    int Read(out uint v)
    {
        v = 0;
        if (AccessOk(head, 4) == false)
            return -EFAULT;
        return GetUserUnchecked(out v, head);
    }
}");

    [Fact]
    public Task CheckedTypedPointerAccessedThroughAnotherLocalCopy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p)
    {
        if (!AccessOk(p, 4))
            return -EFAULT;
        UserPtr<uint> q = p;
        return PutUserUnchecked(7u, q);
    }
}");

    // epoll_put_uevent() (include/linux/eventpoll.h, v5.11): the caller checked the events array; the
    // fields of one packed struct epoll_event are stored through typed views of the pointer.
    [Fact]
    public Task FieldsOfARequiresAccessOkParameterThroughCasts()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Epoll
{
    public static UserPtr PutUevent(uint revents, ulong data, [RequiresAccessOk] UserPtr uevent)
    {
        if (PutUserUnchecked(revents, uevent.Cast<uint>()) != 0 ||
            PutUserUnchecked(data, (uevent + 4).Cast<ulong>()) != 0)
            return default;

        return uevent + 12;
    }
}");

    // access_ok() on the whole 16-byte struct, then its fields at their offsets through typed views.
    [Fact]
    public Task FieldsOfAStructCheckedWhole()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Signal
{
    static int PutInfo(UserPtr info, int signo, int code, ulong addr)
    {
        if (!AccessOk(info, 16))
            return -EFAULT;
        if (PutUserUnchecked(signo, info.Cast<int>()) != 0 ||
            PutUserUnchecked(code, (info + 4).Cast<int>()) != 0 ||
            PutUserUnchecked(addr, (info + 8).Cast<ulong>()) != 0)
            return -EFAULT;
        return 0;
    }
}");

    // kernel/futex/core.c, get_futex_key() then futex_get_value_locked(): the callee returns -EINVAL
    // unless the address is aligned and -EFAULT unless access_ok() passed, so where it returned 0 the
    // caller's pointer is range-checked.
    [Fact]
    public Task CheckEstablishedByCalleeOnSuccess()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Futex
{
    static int GetFutexKey(UserPtr<uint> uaddr, int flags)
    {
        if ((uaddr.Address % sizeof(uint)) != 0)
            return -EINVAL;
        if (!AccessOk(uaddr, sizeof(uint)))
            return -EFAULT;
        return 0;
    }

    static int WaitSetup(UserPtr<uint> uaddr, int flags, out uint uval)
    {
        uval = 0;
        int ret = GetFutexKey(uaddr, flags);
        if (ret != 0)
            return ret;

        PagefaultDisable();
        ret = GetUserUnchecked(out uval, uaddr);
        PagefaultEnable();
        return ret != 0 ? -EFAULT : 0;
    }
}");

    // net/socket.c, move_addr_to_user(): get_user() checked ulen's range, so the final __put_user() to
    // the same address needs no access_ok() of its own.
    [Fact]
    public Task CheckedAccessorRangeChecksItsPointer()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Socket
{
    static int MoveAddrToUser(int klen, UserPtr<int> ulen)
    {
        int err = GetUser(out int len, ulen);
        if (err != 0)
            return err;
        if (len < 0)
            return -EINVAL;
        return PutUserUnchecked(klen, ulen);
    }
}");

    // fs/readdir.c, filldir64(): one access_ok() over the previous entry's tail and the new entry, then
    // unchecked stores to the new entry's fields (d_ino 0, d_reclen 16, d_type 18).
    [Fact]
    public Task FieldsOfAStructInsideACheckedRecord()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Readdir
{
    static int Filldir64(UserPtr dirent, int prevReclen, int reclen, ulong ino, byte dType)
    {
        UserPtr prev = dirent - prevReclen;
        if (!AccessOk(prev, (ulong)(reclen + prevReclen)))
            return -EFAULT;
        if (PutUserUnchecked(ino, dirent.Cast<ulong>()) != 0)
            return -EFAULT;
        if (PutUserUnchecked((ushort)reclen, (dirent + 16).Cast<ushort>()) != 0)
            return -EFAULT;
        return PutUserUnchecked(dType, (dirent + 18).Cast<byte>());
    }
}");

    // lib/strncpy_from_user.c-style byte loop: access_ok(dst, len), then dst[i] for i < len.
    [Fact]
    public Task IndexBelowTheCheckedLength()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Copy
{
    static int Fill(UserPtr dst, byte[] src, int len)
    {
        if (!AccessOk(dst, (ulong)len))
            return -EFAULT;
        for (int i = 0; i < len; i++)
        {
            if (PutUserUnchecked(src[i], (dst + i).Cast<byte>()) != 0)
                return -EFAULT;
        }

        return 0;
    }
}");

    // fs/select.c, do_sys_poll() copy-back: access_ok() on all nfds pollfds, then revents (offset 6 of
    // each 8-byte pollfd) stored while the pointer walks them.
    [Fact]
    public Task PointerWalkingACheckedArray()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Poll
{
    static int CopyBack(UserPtr ufds, short[] revents, uint nfds)
    {
        if (!AccessOk(ufds, nfds * 8UL))
            return -EFAULT;
        for (int j = 0; j < nfds; j++, ufds += 8)
        {
            if (PutUserUnchecked(revents[j], (ufds + 6).Cast<short>()) != 0)
                return -EFAULT;
        }

        return (int)nfds;
    }
}");

    // kernel/compat.c, compat_put_bitmap(): the pointer advances by a word inside the checked size.
    [Fact]
    public Task ConstantStepsInsideAConstantCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Compat
{
    static int PutTwoWords(UserPtr<uint> umask, ulong m)
    {
        if (!AccessOk(umask, 8))
            return -EFAULT;
        if (PutUserUnchecked((uint)m, umask) != 0)
            return -EFAULT;
        umask += 4;
        return PutUserUnchecked((uint)(m >> 32), umask);
    }
}");

    // kernel/rseq.c, rseq_update_cpu_id(), v4.18: t->rseq was checked with access_ok() when sys_rseq()
    // registered it; the engine cannot see that check, so the rule stays silent.
    [Fact]
    public Task PointerStoredInAnotherObjectAfterItsCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class RseqTask
{
    public UserPtr Rseq;
}

class Rseq
{
    static int UpdateCpuId(RseqTask t, uint cpuId)
    {
        if (PutUserUnchecked(cpuId, t.Rseq.Cast<uint>()) != 0 || PutUserUnchecked(cpuId, (t.Rseq + 4).Cast<uint>()) != 0)
            return -EFAULT;
        return 0;
    }
}");

    // fs/eventpoll.c, ep_send_events(): epoll_put_uevent() returns the next slot of the checked events
    // array, a pointer its callers checked; it stays silent.
    [Fact]
    public Task PointerReturnedByAHelper()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Epoll
{
    static UserPtr PutUevent(uint revents, ulong data, [RequiresAccessOk] UserPtr uevent)
    {
        if (PutUserUnchecked(revents, uevent.Cast<uint>()) != 0 || PutUserUnchecked(data, (uevent + 4).Cast<ulong>()) != 0)
            return default;
        return uevent + 12;
    }

    static int SendEvents(uint[] ready, [RequiresAccessOk] UserPtr events)
    {
        events = PutUevent(ready[0], 0, events);
        if (events == default)
            return -EFAULT;
        return PutUserUnchecked(ready[1], events.Cast<uint>());
    }
}");

    // net/compat.c, compat_mc_getsockopt(), v2.6.36: compat_alloc_user_space() now returns NULL unless
    // access_ok() passed for the length it carved, so the caller's __put_user() on it is checked.
    [Fact]
    public Task PointerCheckedByTheHelperThatReturnsIt()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class CompatNet
{
    static UserPtr CompatAllocUserSpace(ulong sp, long len)
    {
        UserPtr ptr = new UserPtr((sp - (ulong)len) & ~15UL);
        if (!AccessOk(ptr, len))
            return default;
        return ptr;
    }

    static int McGetsockopt(ulong sp, uint fmode, int klen)
    {
        UserPtr kgf = CompatAllocUserSpace(sp, 144);
        if (PutUserUnchecked(fmode, (kgf + 136).Cast<uint>()) != 0)
            return -EFAULT;
        return PutUserUnchecked(klen, CompatAllocUserSpace(sp, 4).Cast<int>());
    }
}");

    [Fact]
    public Task AccessWithinTheSizeAHelperChecked()
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
        if (PutUserUnchecked(v, hdr.Cast<uint>()) != 0)
            return -EFAULT;
        return PutUserUnchecked(v, (hdr + 4).Cast<uint>());
    }
}");

    // kernel/trace/bpf_trace.c copy_user_syms() after "bpf: Add missing access_ok call to copy_user_syms":
    // access_ok() on cnt pointers, then __get_user() of pointer i for i < cnt.
    [Fact]
    public Task EntriesOfAnArrayCheckedAsCountTimesElementSize()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class BpfTrace
{
    static int CopyUserSyms(ulong[] syms, UserPtr usyms, uint cnt)
    {
        ulong usymbol;
        if (!AccessOk(usyms, (long)cnt * 8))
            return -EFAULT;
        for (uint i = 0; i < cnt; i++)
        {
            if (GetUserUnchecked(out usymbol, (usyms + i * 8).Cast<ulong>()) != 0)
                return -EFAULT;
            syms[i] = usymbol;
        }
        return 0;
    }
}");

    // drivers/char/mem.c read_port(): tmp = buf before access_ok(buf, count), then __put_user() on tmp as it
    // walks the buffer; the copy is the same pointer, checked with it.
    [Fact]
    public Task CopyOfThePointerMadeBeforeTheCheckWalksTheCheckedRange()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Mem
{
    static long ReadPort(UserPtr buf, long count, byte value)
    {
        UserPtr tmp = buf;
        if (!AccessOk(buf, count))
            return -EFAULT;
        while (count-- > 0)
        {
            if (PutUserUnchecked(value, tmp.Cast<byte>()) < 0)
                return -EFAULT;
            tmp += 1;
        }
        return (long)(tmp.Address - buf.Address);
    }
}");

    // arch/i386/math-emu/reg_ld_str.c, fsave(): the register stack is stored in two parts split at the top
    // of stack, from offset to its end at d, then the rest at d + other; other = 80 - offset and offset is at
    // most 70, so the second part ends at d + 80, inside the check.
    [Fact]
    public Task SecondPartOfACopySplitAtAWrapPoint()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class MathEmu
{
    static int Top;
    static byte[] RegisterBase = new byte[80];

    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, ""to"", Size = ""from"")]
    static int CopyToUserUnchecked([RequiresAccessOk] UserPtr to, ReadOnlySpan<byte> from) => 0;

    static int Fsave(UserPtr d)
    {
        int offset = (Top & 7) * 10, other = 80 - offset;
        if (!AccessOk(d, 80))
            return -EFAULT;
        if (CopyToUserUnchecked(d, RegisterBase.AsSpan(offset, other)) != 0)
            return -EFAULT;
        if (offset != 0)
            if (CopyToUserUnchecked(d + other, RegisterBase.AsSpan(0, offset)) != 0)
                return -EFAULT;
        return 0;
    }
}");

    // kernel/printk.c, do_syslog() (2.4): verify_area()'s 0-or-errno, written as the check's status, then tested.
    [Fact]
    public Task CheckStatusTestedForZero()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Printk
{
    static int Read(UserPtr buf, int len, byte c)
    {
        int error = AccessOk(buf, len) ? 0 : -EFAULT;
        if (error != 0)
            goto out_;
        error = PutUserUnchecked(c, buf.Cast<byte>());
    out_:
        return error;
    }
}");

    // do_syslog() copies the log in reverse into the checked buffer: the engine cannot evaluate the index
    // (count - 1 - i with count capped at len), so it cannot say the access is outside the check.
    [Fact]
    public Task IndexTheEngineCannotEvaluateInsideAVariableCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Printk
{
    static int Read(UserPtr buf, int len, byte[] log)
    {
        if (!AccessOk(buf, len))
            return -EFAULT;
        long count = Math.Min(len, log.Length);
        for (long i = 0; i < count; i++)
        {
            if (PutUserUnchecked(log[i], (buf + (count - 1 - i)).Cast<byte>()) != 0)
                return -EFAULT;
        }
        return (int)count;
    }
}");

    // arch/powerpc/kernel/signal_32.c, sys_swapcontext(): the last byte of the checked context is probed at
    // new_ctx + sizeof(struct ucontext) - 1.
    [Fact]
    public Task LastByteOfTheCheckedRange()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Signal32
{
    const int SIZEOF_UCONTEXT = 1200;

    static int Probe(UserPtr newCtx)
    {
        if (!AccessOk(newCtx, SIZEOF_UCONTEXT)
            || GetUserUnchecked(out byte tmp, newCtx.Cast<byte>()) != 0
            || GetUserUnchecked(out tmp, (newCtx + SIZEOF_UCONTEXT - 1).Cast<byte>()) != 0)
            return -EFAULT;
        return 0;
    }
}");

    // arch/powerpc/kernel/signal_64.c, restore_sigcontext() after CVE-2006-2448's fix: the vector registers'
    // pointer may be NULL (none saved) or is checked; NULL is a user address, which access_ok() passes.
    [Fact]
    public Task PointerNullOrChecked()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Signal64
{
    static int Restore(UserPtr vRegs, ulong msr, out uint vrsave)
    {
        vrsave = 0;
        if (vRegs != UserPtr.Null && !AccessOk(vRegs, 34 * 16))
            return -EFAULT;
        if (vRegs != UserPtr.Null && (msr & 0x2000000) != 0)
            if (GetUserUnchecked(out ulong vr0, vRegs.Cast<ulong>()) != 0)
                return -EFAULT;
        if (vRegs != UserPtr.Null)
            return GetUserUnchecked(out vrsave, (vRegs + 33 * 16).Cast<uint>());
        return 0;
    }
}");

    // kernel/printk.c, do_syslog() (2.6): count is len capped at the log's size, the copy loop leaves
    // i <= count, and the buffer correction stores buf[i] for i < error = i: every index is below len.
    [Fact]
    public Task IndexBelowWhatAnEarlierLoopLeftUnderACappedCopyOfTheLength()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Printk
{
    const ulong LOG_BUF_LEN = 16384;

    static int Read(UserPtr buf, int len, byte[] log, ulong logged)
    {
        ulong i, count;
        int error = AccessOk(buf, len) ? 0 : -EFAULT;
        if (error != 0)
            return error;
        count = (ulong)len;
        if (count > LOG_BUF_LEN)
            count = LOG_BUF_LEN;
        if (logged < count)
            count = logged;
        for (i = 0; i < count && error == 0; i++)
        {
            if (log[i] == 0)
                break;
            error = PutUserUnchecked(log[i], (buf + (long)(count - 1 - i)).Cast<byte>());
        }
        if (error != 0)
            return error;
        error = (int)i;
        for (i = 0; i < (ulong)error; i++)
        {
            if (PutUserUnchecked(log[i], (buf + (long)i).Cast<byte>()) != 0)
            {
                error = -EFAULT;
                break;
            }
        }
        return error;
    }
}");

    // A copy of the checked length that is only ever lowered (min()) bounds an index as the length does.
    [Fact]
    public Task IndexBelowAMinOfTheLength()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Fill(UserPtr buf, long len, byte[] data)
    {
        if (!AccessOk(buf, len))
            return -EFAULT;
        long n = len;
        n = Math.Min(n, data.Length);
        for (long i = 0; i < n; i++)
            if (PutUserUnchecked(data[i], (buf + i).Cast<byte>()) != 0)
                return -EFAULT;
        return (int)n;
    }
}");

    // drivers/xen/privcmd.c, privcmd_ioctl_mmap_resource(): copy_from_user() of the whole struct passed
    // access_ok() for it, so the size query's __put_user() into its num field needs no check of its own.
    [Fact]
    public Task FieldOfAStructACopyReadWhole()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Privcmd
{
    static int MmapResource(UserPtr udata, ulong nrFrames)
    {
        var kdata = new byte[32];
        if (CopyFromUser(kdata, udata) != 0)
            return -EFAULT;
        if (BitConverter.ToUInt64(kdata, 24) == 0)
            return PutUserUnchecked(nrFrames, (udata + 16).Cast<ulong>());
        return 0;
    }
}");

    // fs/select.c, core_sys_select(): get_fd_set() copies each set in with copy_from_user() of FDS_BYTES(n)
    // (or finds it NULL), and set_fd_set()'s __copy_to_user() of the result relies on that check.
    [Fact]
    public Task PointerAHelperCopiedFromForAVariableLength()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Select
{
    static int GetFdSet(int nr, UserPtr ufdset, byte[] fdset)
    {
        if (ufdset != UserPtr.Null)
            return CopyFromUser(fdset.AsSpan(0, nr), ufdset) != 0 ? -EFAULT : 0;
        Array.Clear(fdset, 0, nr);
        return 0;
    }

    static int CoreSysSelect(int n, UserPtr inp, byte[] fdsIn, uint result)
    {
        int ret = GetFdSet(n, inp, fdsIn);
        if (ret != 0)
            return ret;
        return PutUserUnchecked(result, inp.Cast<uint>());
    }
}");

    // fs/namespace.c, exact_copy_from_user(): a byte view of the pointer taken before access_ok() walks the
    // checked range.
    [Fact]
    public Task TypedViewCopiedBeforeTheCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Namespace
{
    static long ExactCopyFromUser(byte[] to, UserPtr from, long n)
    {
        int t = 0;
        UserPtr<byte> f = from.Cast<byte>();
        if (!AccessOk(from, n))
            return n;
        while (n != 0)
        {
            if (GetUserUnchecked(out byte c, f) != 0)
                break;
            to[t++] = c;
            f = f + 1;
            n--;
        }
        return n;
    }
}");

    // arch/arm64/kernel/signal.c parse_user_sigframe(): the extra_context record is parsed only while the
    // walk is still inside the checked frame; once it moves to the extra area it sets have_extra_context,
    // and a second such record is refused before any of its fields is read.
    [Fact]
    public Task RecordReadOnlyWhileAFlagSaysTheWalkIsInTheCheckedFrame()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Signal
{
    const uint EXTRA_MAGIC = 0x45585401;

    static void Trace() { }

    // A flag tested once before (a trace switch) does not stand in the way of the one that matters.
    static int Parse([RequiresAccessOk] UserPtr frame, bool verbose)
    {
        UserPtr head = frame;
        bool haveExtra = false;
        if (verbose)
            Trace();
        while (true)
        {
            int err = 0;
            uint magic;
            if (haveExtra)
                err |= GetUser(out magic, head.Cast<uint>());
            else
                err |= GetUserUnchecked(out magic, head.Cast<uint>());
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

    // The same test twice on a flag the caller passes: the unchecked read runs only where the check ran.
    static int Read(UserPtr p, bool check, out uint v)
    {
        v = 0;
        if (check && !AccessOk(p, 4))
            return -EFAULT;
        if (!check)
            return 0;
        return GetUserUnchecked(out v, p.Cast<uint>());
    }
}");
}
