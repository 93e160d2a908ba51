using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Seeds;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA4002EndlessRetryAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA4002EndlessRetry;

/// <summary>UA4002. Span: the access. Arguments: the access, "without a fault-in" or "even when 'X' fails".</summary>
public class Diagnostics
{
    [Fact]
    public Task DoWhileEfaultWithoutFaultIn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr, uint newval)
    {
        int ret;
        do
        {
            PagefaultDisable();
            ret = {|#0:XchgUserInatomic(uaddr, newval, out uint old)|};
            PagefaultEnable();
        }
        while (ret == -EFAULT);
        return ret;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(0).WithLocation(0).WithArguments("XchgUserInatomic", "without a fault-in"));

    [Fact]
    public Task AsyncFaultWorkerKeepsRetryingAfterFixupFails()
        => VerifyCS.VerifyAnalyzerAsync(
            Usings + RetrySeeds.AsyncFaultWorker,
            VerifyCS.Diagnostic().At(0).WithArguments("XchgUserInatomic", "even when 'FixupUserFault' fails"));

    [Fact]
    public Task FaultInResultIgnored()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        while (true)
        {
            PagefaultDisable();
            int ret = {|#0:FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1)|};
            PagefaultEnable();
            if (ret != -EFAULT)
                return ret;
            FaultInUserWriteable(uaddr);
        }
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FutexAtomicCmpxchgInatomic", "even when 'FaultInUserWriteable' fails"));

    [Fact]
    public Task FaultInFailureContinuesTheLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        int ret;
        while (true)
        {
            PagefaultDisable();
            ret = {|#0:CmpxchgUserInatomic(uaddr, 0u, 1u, out uint actual)|};
            PagefaultEnable();
            if (ret == 0)
                break;
            int fault = FaultInUserWriteable(uaddr);
            if (fault != 0)
                continue;
        }
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CmpxchgUserInatomic", "even when 'FaultInUserWriteable' fails"));

    [Fact]
    public Task ByteCountCopyRetriedWhileShort()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr src, byte[] dst)
    {
        int left;
        do
        {
            PagefaultDisable();
            left = {|#0:CopyFromUser(dst, src)|};
            PagefaultEnable();
        }
        while (left != 0);
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "without a fault-in"));

    [Fact]
    public Task FaultInLocationIsTheIgnoredFixup()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        while (true)
        {
            PagefaultDisable();
            int ret = {|#0:FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1)|};
            PagefaultEnable();
            if (ret != -EFAULT)
                return ret;
            {|#1:FaultInUserWriteable(uaddr)|};
        }
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(0).WithLocation(1).WithArguments("FutexAtomicCmpxchgInatomic", "even when 'FaultInUserWriteable' fails"));

    // generic_perform_write() with the retry after a refused short copy asking for the whole chunk again:
    // a permanent fault past the first bytes fails the same copy forever.
    [Fact]
    public Task RetryAfterAPartialCopyThatDoesNotShrinkTheRequest()
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
            int copied = bytes - {|#0:CopyFromUser(pagecache.AsSpan(offset, bytes), buf + written)|};
            PagefaultEnable();
            status = WriteEnd(bytes, copied);
            if (status == 0)
            {
                if (copied != 0)
                {
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
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "even when 'FaultInReadable' fails"));

    [Fact]
    public Task ShortCopyThatNeverAdvancesTheBuffer()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static long M(UserPtr buf, byte[] page, long count)
    {
        long written = 0;
        while (written < count)
        {
            PagefaultDisable();
            int left = {|#0:CopyFromUser(page, buf + written)|};
            PagefaultEnable();
            if (left != 0)
                continue;
            written += page.Length;
        }
        return written;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "without a fault-in"));

    [Fact]
    public Task FutexWakeOpThroughHelperIgnoringTheFaultIn()
        => VerifyCS.VerifyAnalyzerAsync(
            Usings + RetrySeeds.FutexWakeOpThroughHelper.Replace("{0}", "FaultInUserWriteable(uaddr2);"),
            VerifyCS.Diagnostic().At(0).WithArguments("FutexAtomicOpInuser", "even when 'FaultInUserWriteable' fails"));

    [Fact]
    public Task GotoRetryWithoutFaultIn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        int ret;
    retry:
        PagefaultDisable();
        ret = {|#0:FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1)|};
        PagefaultEnable();
        if (ret == -EFAULT)
        {
            CondResched();
            goto retry;
        }
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FutexAtomicCmpxchgInatomic", "without a fault-in"));

    // The same switch with -EFAULT folded into the -EAGAIN case: a permanent fault is retried forever.
    [Fact]
    public Task ErrnoSwitchThatRetriesEfaultWithoutAFaultIn()
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
        err = {|#0:FutexAtomicCmpxchgInatomic(out nval, uaddr, uval, uval | 0x40000000u)|};
        PagefaultEnable();
        if (err != 0)
        {
            switch (err)
            {
                case -EFAULT:
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
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FutexAtomicCmpxchgInatomic", "without a fault-in"));

    // The get_bt_addr() near miss: the helper resolves faults and returns its error, but the loop drops it
    // and retries whatever it returned.
    [Fact]
    public Task HelperThatResolvesFaultsWhoseFailureDoesNotEndTheLoop()
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
            ret = {|#0:GetUser(out bdEntry, bdEntryPtr)|};
            PagefaultEnable();
            if (ret == 0)
                break;
            if (ret != -EFAULT)
                return ret;
            MpxResolveFault(mm, bdEntryPtr, false);
        }
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUser", "even when 'MpxResolveFault' fails"));

    // The same loop sets the pointer from a fixed start each round: it does not move on, and a permanent
    // fault is retried at the same address.
    [Fact]
    public Task PointerSetFromAFixedStartIsNoProgress()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class PerfOutput
{
    static ulong CopyUser(byte[] page, UserPtr start, ulong len)
    {
        ulong size, written;
        UserPtr buf = start;
        do
        {
            size = Math.Min((ulong)page.Length, len);
            written = (ulong){|#0:CopyFromUserNofault(page.AsSpan(0, (int)size), buf)|};
            buf = start + (long)written;
        } while (len != 0 && written == size);
        return len;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUserNofault", "without a fault-in"));
}
