using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA2004GuardedFieldWithoutLockAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA2004GuardedFieldWithoutLock;

/// <summary>UA2004 near misses: the protocol of the patched kernel, and the accesses it leaves lock-free on purpose.</summary>
public class Valid
{
    /// <summary>
    /// mfill_atomic() after the patch: <c>down_read(&amp;ctx->map_changing_lock)</c> before the check,
    /// <c>up_read()</c> at <c>out_unlock</c> after the last page.
    /// </summary>
    [Fact]
    public Task MfillAtomicAfterThePatch()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Uffd
{
    static long MfillAtomicCopy(UserfaultfdCtx ctx, UserPtr dstStart, byte[] src)
    {
        Mm dstMm = ctx.Mm;
        long len = src.Length;
        long copied = 0;
        long err;
        MmapReadLock(dstMm);
        ctx.MapChangingLock.DownRead();
        err = -EAGAIN;
        if (ctx.MmapChanging != 0)
            goto out_unlock;
        err = 0;
        while (copied < len)
        {
            err = ctx.MfillAtomicPteCopy(dstStart + copied, src.AsSpan((int)copied, 4096));
            if (err != 0)
                break;
            copied += 4096;
        }
    out_unlock:
        ctx.MapChangingLock.UpRead();
        MmapReadUnlock(dstMm);
        return copied != 0 ? copied : err;
    }
}");

    /// <summary>userfaultfd_remove() and dup_userfaultfd() after the patch: the increment under the lock for write.</summary>
    [Fact]
    public Task RaisedHoldingTheLockForWrite()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Uffd
{
    static void Remove(UserfaultfdCtx ctx)
    {
        ctx.MapChangingLock.DownWrite();
        System.Threading.Interlocked.Increment(ref ctx.MmapChanging);
        ctx.MapChangingLock.UpWrite();
    }
}");

    /// <summary>userfaultfd_event_wait_completion(): <c>atomic_dec(&amp;ctx->mmap_changing)</c> takes no lock.</summary>
    [Fact]
    public Task DecrementsNeedNoLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Uffd
{
    static void Completed(UserfaultfdCtx ctx)
    {
        System.Threading.Interlocked.Decrement(ref ctx.MmapChanging);
        ctx.MmapChanging--;
        ctx.MmapChanging -= 1;
    }
}");

    /// <summary>
    /// userfaultfd_copy(): the lock-free <c>if (atomic_read(&amp;ctx->mmap_changing)) goto out;</c>
    /// hint, then the check that counts with the lock held for read.
    /// </summary>
    [Fact]
    public Task TheFastPathHintIsRecheckedUnderTheLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Uffd
{
    static long Copy(UserfaultfdCtx ctx, UserPtr dst, byte[] page)
    {
        long ret = -EAGAIN;
        if (ctx.MmapChanging != 0)
            goto out_;
        MmapReadLock(ctx.Mm);
        ctx.MapChangingLock.DownRead();
        ret = -EAGAIN;
        if (ctx.MmapChanging == 0)
            ret = ctx.MfillAtomicPteCopy(dst, page);
        ctx.MapChangingLock.UpRead();
        MmapReadUnlock(ctx.Mm);
    out_:
        return ret;
    }

    static int ZeroPage(UserfaultfdCtx ctx, out long copied)
    {
        copied = 0;
        if (System.Threading.Volatile.Read(ref ctx.MmapChanging) != 0)
        {
            copied = -EAGAIN;
            return -EAGAIN;
        }

        ctx.MapChangingLock.DownRead();
        int err = ctx.MmapChanging != 0 ? -EAGAIN : 0;
        ctx.MapChangingLock.UpRead();
        return err;
    }
}");

    [Fact]
    public Task RequiresLockHoldsItOnEntryInTheStatedMode()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Uffd
{
    [RequiresLock(""ctx.MapChangingLock"", Shared = true)]
    static bool Changing(UserfaultfdCtx ctx) => ctx.MmapChanging != 0;

    [RequiresLock(""ctx.MapChangingLock"")]
    static void Raise(UserfaultfdCtx ctx) => ctx.MmapChanging++;
}");

    [Fact]
    public Task ConstructorsAndObjectsNotYetPublished()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Device
{
    public readonly KernelMutex Lk = new();

    [GuardedBy(nameof(Lk))]
    public int Opens;

    public Device(int opens)
    {
        Opens = opens;
        this.Opens++;
    }

    static Device Make()
    {
        var d = new Device(0);
        d.Opens = 1;
        d.Opens++;
        var e = new Device(0) { Opens = 2 };
        return d;
    }
}");

    [Fact]
    public Task HeldThroughAnAliasAndTheWriteModeServesAReadToo()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Monitor
{
    public UserfaultfdCtx Ctx = null!;

    static int Check(Monitor monitor)
    {
        var ctx = monitor.Ctx;
        ctx.MapChangingLock.DownWrite();
        int changing = ctx.MmapChanging;
        ctx.MapChangingLock.UpWrite();
        return changing;
    }
}");

    /// <summary>A receiver the engine cannot name (a call result) and a lambda (its caller's locks are unknown): silent.</summary>
    [Fact]
    public Task UndecidableShapesStaySilent()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Uffd
{
    static UserfaultfdCtx Get(UserfaultfdCtx ctx) => ctx;

    static bool Changing(UserfaultfdCtx ctx)
    {
        Func<bool> probe = () => ctx.MmapChanging != 0;
        return Get(ctx).MmapChanging != 0 && probe();
    }
}");
}
