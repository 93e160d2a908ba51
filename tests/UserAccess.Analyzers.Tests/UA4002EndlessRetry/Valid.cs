using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Seeds;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA4002EndlessRetryAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA4002EndlessRetry;

/// <summary>UA4002. Span: the access. Arguments: the access, "without a fault-in" or "even when 'X' fails".</summary>
public class Valid
{
    [Fact]
    public Task CanonicalLoopWithANoFaultScope()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr, uint newval)
    {
        int ret;
        while (true)
        {
            using (NoFault())
            {
                ret = XchgUserInatomic(uaddr, newval, out uint oldval);
            }
            if (ret != -EFAULT)
                break;
            if (FatalSignalPending())
            {
                ret = -EINTR;
                break;
            }
            ret = FaultInUserWriteable(uaddr);
            if (ret != 0)
                break;
        }
        return ret;
    }
}");

    [Fact]
    public Task FutexWakeOpThroughHelperLeavingWhenTheFaultInFails()
        => VerifyCS.VerifyAnalyzerAsync(
            Usings + RetrySeeds.FutexWakeOpThroughHelper.Replace("{0}", "ret = FaultInUserWriteable(uaddr2);\n                if (ret != 0)\n                    return ret;"));

    [Fact]
    public Task CanonicalLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.CanonicalLoop);

    [Fact]
    public Task FutexWakeOpGotoRetry()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.FutexWakeOp);

    [Fact]
    public Task GenericPerformWriteV614()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.GenericPerformWriteV614);

    // mm/filemap.c, generic_perform_write(), v6.14: when ->write_end() refuses a short copy that copied
    // something, the retry asks only for the bytes copied; a copy that copied nothing faults in and gives
    // up when nothing could be faulted in.
    [Fact]
    public Task GenericPerformWriteV614_RetryShrunkToTheBytesCopied()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Filemap
{
    const int PageSize = 4096;

    // ->write_end(): refuses a short copy into a folio that is not uptodate.
    static int WriteEnd(int bytes, int copied) => copied == bytes ? copied : 0;

    static long GenericPerformWrite(UserPtr buf, long count, byte[] pagecache, long pos)
    {
        long written = 0;
        int status = 0;
        do
        {
            int offset = (int)(pos & (PageSize - 1));
            int bytes = (int)Math.Min(PageSize - offset, count - written);
        retry:
            if (FatalSignalPending())
            {
                status = -EINTR;
                break;
            }

            PagefaultDisable();
            int copied = bytes - CopyFromUser(pagecache.AsSpan(offset, bytes), buf + written);
            PagefaultEnable();
            status = WriteEnd(bytes, copied);
            if (status == 0)
            {
                if (copied != 0)
                {
                    bytes = copied;
                    goto retry;
                }

                // the folio is unlocked: faults on it can be handled; ensure forward progress
                if (FaultInReadable(buf + written, bytes) == bytes)
                {
                    status = -EFAULT;
                    break;
                }
            }
            else
            {
                pos += status;
                written += status;
            }
        }
        while (written < count);
        return written != 0 ? written : status;
    }
}");

    [Fact]
    public Task GenericPerformWriteBefore2021_TheFaultInGuardsTheRetry()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.GenericPerformWriteBefore2021);

    [Fact]
    public Task UmcgLoopBreaksWhenFixPagefaultFails()
        => VerifyCS.VerifyAnalyzerAsync(Usings + UA3001UnalignedUserAtomic.RuleCode.UmcgXchgUser64AsPosted);

    [Fact]
    public Task BoundedByACounter()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        int ret = -EFAULT;
        for (int tries = 0; tries < 3; tries++)
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, 1u, out uint old);
            PagefaultEnable();
            if (ret != -EFAULT)
                break;
        }
        return ret;
    }
}");

    [Fact]
    public Task RetriesOnlyOnEagain()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        int ret;
        do
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, 1u, out uint old);
            PagefaultEnable();
        }
        while (ret == -EAGAIN);
        return ret;
    }
}");

    [Fact]
    public Task LoopLeavesOnAnyError()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<uint> uaddr, int n)
    {
        for (int i = 0; i < n; i++)
        {
            PagefaultDisable();
            int ret = CopyToUserNofault(uaddr + 4 * i, new byte[4]);
            PagefaultEnable();
            if (ret < 0)
                return ret;
        }
        return 0;
    }
}");

    [Fact]
    public Task FaultInTestedDirectlyInTheCondition()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        while (true)
        {
            PagefaultDisable();
            int ret = FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1);
            PagefaultEnable();
            if (ret != -EFAULT)
                return ret;
            if (FaultInUserWriteable(uaddr) != 0)
                return -EFAULT;
        }
    }
}");

    [Fact]
    public Task AccessOutsideAnyLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        PagefaultDisable();
        int ret = XchgUserInatomic(uaddr, 1u, out uint old);
        PagefaultEnable();
        return ret;
    }
}");

    // handle_futex_death() (kernel/futex/core.c): the errno switch of a futex retry loop. -EFAULT faults
    // in and gives up when that fails; -EAGAIN (an LL/SC backend gave up) reschedules and retries.
    [Fact]
    public Task ErrnoSwitchFaultsInOnEfaultAndReschedulesOnEagain()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Futex
{
    static int HandleDeath(UserPtr<uint> uaddr, uint curr)
    {
        uint uval, nval;
        int err;

        if ((uaddr.Address % sizeof(uint)) != 0)
            return -1;
    retry:
        if (GetUser(out uval, uaddr) != 0)
            return -1;
        if (uval != curr)
            return 0;

        PagefaultDisable();
        err = FutexAtomicCmpxchgInatomic(out nval, uaddr, uval, uval | 0x40000000u);
        PagefaultEnable();
        if (err != 0)
        {
            switch (err)
            {
                case -EFAULT:
                    if (FaultInUserWriteable(uaddr) != 0)
                        return -1;
                    goto retry;

                case -EAGAIN:
                    CondResched();
                    goto retry;

                default:
                    return err;
            }
        }

        if (nval != uval)
            goto retry;
        return 0;
    }
}");

    // The kernel's own shape: the access in the condition (`if ((err = futex_cmpxchg_value_locked(...)))`),
    // the helper disabling page faults around it, and a second back edge when the value changed.
    [Fact]
    public Task ErrnoSwitchOnAResultAssignedInTheCondition()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Futex
{
    static int CmpxchgValueLocked(out uint curval, UserPtr<uint> uaddr, uint uval, uint newval)
    {
        PagefaultDisable();
        int ret = FutexAtomicCmpxchgInatomic(out curval, uaddr, uval, newval);
        PagefaultEnable();
        return ret;
    }

    static int HandleDeath(UserPtr<uint> uaddr, uint curr)
    {
        uint uval, nval;
        int err;

        if ((uaddr.Address % sizeof(uint)) != 0)
            return -1;
    retry:
        if (GetUser(out uval, uaddr) != 0)
            return -1;
        if (uval != curr)
            return 0;

        if ((err = CmpxchgValueLocked(out nval, uaddr, uval, uval | 0x40000000u)) != 0)
        {
            switch (err)
            {
                case -EFAULT:
                    if (FaultInUserWriteable(uaddr) != 0)
                        return -1;
                    goto retry;

                case -EAGAIN:
                    CondResched();
                    goto retry;

                default:
                    return err;
            }
        }

        if (nval != uval)
            goto retry;
        return 0;
    }
}");

    // arch/x86/mm/mpx.c, get_bt_addr(): the fault is resolved by the kernel's own helper, which holds the
    // mmap_sem its caller took ([RequiresLock]) and returns the fixup's error; the loop ends when it fails.
    [Fact]
    public Task FaultResolvedByAHelperThatReturnsItsError()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Mpx
{
    // arch/x86/mm/mpx.c, mpx_resolve_fault(): get_user_pages() under the caller's mmap_sem; 0 or an errno.
    [RequiresLock(""mm.MmapLock"", Shared = true)]
    static int MpxResolveFault(Mm mm, UserPtr addr, bool write)
    {
        int gupRet = FixupUserFault(mm, addr, write ? FaultFlags.Write : FaultFlags.None);
        if (gupRet != 0)
            return gupRet;
        return 0;
    }

    [RequiresLock(""mm.MmapLock"", Shared = true)]
    static int GetBtAddr(Mm mm, UserPtr<long> bdEntryPtr, out long bdEntry)
    {
        int ret;
        while (true)
        {
            PagefaultDisable();
            ret = GetUser(out bdEntry, bdEntryPtr);
            PagefaultEnable();
            if (ret == 0)
                break;
            if (ret == -EFAULT)
                ret = MpxResolveFault(mm, bdEntryPtr, false);
            if (ret != 0)
                return ret;
        }
        return 0;
    }
}");

    // kernel/events/internal.h, __output_copy_user() (v3.12): a nofault copy whose loop goes on only after
    // moving the user pointer by what the copy reported, written as buf = buf + written.
    [Fact]
    public Task PointerAdvancedByAnAssignmentOfItsOwnSum()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class PerfOutput
{
    static ulong CopyUser(byte[] page, UserPtr buf, ulong len)
    {
        ulong size, written;
        do
        {
            size = Math.Min((ulong)page.Length, len);
            written = (ulong)CopyFromUserNofault(page.AsSpan(0, (int)size), buf);
            len -= written;
            buf = buf + (long)written;
        } while (len != 0 && written == size);
        return len;
    }
}");
}
