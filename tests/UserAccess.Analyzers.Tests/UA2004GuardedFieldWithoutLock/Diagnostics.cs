using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA2004GuardedFieldWithoutLockAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA2004GuardedFieldWithoutLock;

/// <summary>UA2004. Span: the member access. Arguments: the access, "read" or "changed", the lock (of the access's own receiver), "" or " exclusively".</summary>
public class Diagnostics
{
    /// <summary>
    /// mfill_atomic() before "userfaultfd: protect mmap_changing with rw_sem in userfaultfd_ctx":
    /// <c>if (mmap_changing &amp;&amp; atomic_read(mmap_changing)) goto out_unlock;</c> under
    /// <c>mmap_read_lock(dst_mm)</c> only, and the pages filled after it.
    /// </summary>
    [Fact]
    public Task MfillAtomicBeforeThePatchReadsUnderTheMmapLockOnly()
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
        err = -EAGAIN;
        if ({|#0:ctx.MmapChanging|} != 0)
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
        MmapReadUnlock(dstMm);
        return copied != 0 ? copied : err;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ctx.MmapChanging", "read", "ctx.MapChangingLock", ""));

    /// <summary>dup_userfaultfd() before the patch: <c>atomic_inc(&amp;ctx->mmap_changing)</c> with only the mmap lock held.</summary>
    [Fact]
    public Task RaisedWithoutTheLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Uffd
{
    static void Dup(UserfaultfdCtx ctx)
    {
        MmapWriteLock(ctx.Mm);
        System.Threading.Interlocked.Increment(ref {|#0:ctx.MmapChanging|});
        MmapWriteUnlock(ctx.Mm);
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ctx.MmapChanging", "changed", "ctx.MapChangingLock", " exclusively"));

    [Fact]
    public Task RaisedHoldingTheLockForReadOnly()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Uffd
{
    static void Raise(UserfaultfdCtx ctx)
    {
        ctx.MapChangingLock.DownRead();
        {|#0:ctx.MmapChanging|}++;
        ctx.MapChangingLock.UpRead();
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ctx.MmapChanging", "changed", "ctx.MapChangingLock", " exclusively"));

    [Fact]
    public Task AssignedAndAddedToWithoutTheLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Uffd
{
    static void Reset(UserfaultfdCtx ctx, int n)
    {
        {|#0:ctx.MmapChanging|} = 0;
        {|#1:ctx.MmapChanging|} += n;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ctx.MmapChanging", "changed", "ctx.MapChangingLock", " exclusively"),
            VerifyCS.Diagnostic().At(1).WithArguments("ctx.MmapChanging", "changed", "ctx.MapChangingLock", " exclusively"));

    [Fact]
    public Task HeldOnOneBranchOnly()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Uffd
{
    static int Check(UserfaultfdCtx ctx, bool locked)
    {
        if (locked)
            ctx.MapChangingLock.DownRead();
        int changing = {|#0:ctx.MmapChanging|};
        if (locked)
            ctx.MapChangingLock.UpRead();
        return changing;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ctx.MmapChanging", "read", "ctx.MapChangingLock", ""));

    [Fact]
    public Task TheLockOfAnotherContext()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Uffd
{
    static bool Changing(UserfaultfdCtx ctx, UserfaultfdCtx other)
    {
        other.MapChangingLock.DownRead();
        bool changing = {|#0:ctx.MmapChanging|} != 0;
        other.MapChangingLock.UpRead();
        return changing;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ctx.MmapChanging", "read", "ctx.MapChangingLock", ""));

    /// <summary>A hint whose lock-held re-check never comes: the lock-free read is the decision.</summary>
    [Fact]
    public Task EarlyReturnWithoutARecheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Uffd
{
    static int Copy(UserfaultfdCtx ctx, UserPtr dst, byte[] page)
    {
        if ({|#0:ctx.MmapChanging|} != 0)
            return -EAGAIN;
        MmapReadLock(ctx.Mm);
        int err = ctx.MfillAtomicPteCopy(dst, page);
        MmapReadUnlock(ctx.Mm);
        return err;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ctx.MmapChanging", "read", "ctx.MapChangingLock", ""));

    /// <summary>A user's own guarded state: a mutex and a static spinlock, an implicit <c>this</c>.</summary>
    [Fact]
    public Task OwnAnnotatedFields()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Globals
{
    public static readonly KernelSpinlock ListLock = new();

    [GuardedBy(""Globals.ListLock"")]
    public static int Users;
}

class Device
{
    private readonly KernelMutex lk = new();

    [GuardedBy(nameof(lk))]
    private int opens;

    public void Open()
    {
        {|#0:opens|}++;
        Globals.ListLock.Lock();
        Globals.Users++;
        Globals.ListLock.Unlock();
        {|#1:Globals.Users|}++;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("opens", "changed", "lk", " exclusively"),
            VerifyCS.Diagnostic().At(1).WithArguments("Globals.Users", "changed", "Globals.ListLock", " exclusively"));

    [Fact]
    public Task AnObjectPassedOnIsPublished()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Device
{
    public readonly KernelMutex Lk = new();

    [GuardedBy(nameof(Lk))]
    public int Opens;

    static void Publish(Device d) { }

    static Device Make()
    {
        var d = new Device();
        d.Opens = 1;
        Publish(d);
        {|#0:d.Opens|} = 2;
        return d;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("d.Opens", "changed", "d.Lk", " exclusively"));
}
