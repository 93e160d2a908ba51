using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using static UserAccess.Analyzers.Tests.UA1001SleepInAtomic.RuleCode;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA1001SleepInAtomicAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA1001SleepInAtomic;

/// <summary>UA1001. Span: the invocation. Arguments: the call, " (it calls 'X')" for helpers, the atomic context.</summary>
public class Diagnostics
{
    [Fact]
    public Task HelperTwoCallsAwayFromMmapReadLockUnderSpinlock_WithRegionLocations()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void LockAndWalk(Mm mm) { MmapReadLock(mm); MmapReadUnlock(mm); }
    static void Walk(Mm mm) { LockAndWalk(mm); }

    static void Run(KernelSpinlock lk, Mm mm)
    {
        {|#1:lk.Lock()|};
        {|#0:Walk(mm)|};
        {|#2:lk.Unlock()|};
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("Walk", " (it calls 'MmapReadLock')", "entered by 'lk.Lock'"));

    [Fact]
    public Task KmallocGfpKernelUnderSpinlock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static byte[] Alloc(KernelSpinlock lk, int n)
    {
        lk.Lock();
        var buf = {|#0:Kmalloc(n, Gfp.Kernel)|};
        lk.Unlock();
        return buf;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("Kmalloc", "", "entered by 'lk.Lock'"));

    [Fact]
    public Task GetUserWithFaultsEnabledUnderPreemptDisable()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Read(UserPtr<uint> uaddr, out uint val)
    {
        PreemptDisable();
        int ret = {|#0:GetUser(out val, uaddr)|};
        PreemptEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUser", "", "entered by 'PreemptDisable'"));

    [Fact]
    public Task SleepInAtomicContextMethod()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    [AtomicContext]
    static void TimerCallback()
    {
        {|#0:Msleep(10)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("Msleep", "", "'TimerCallback' is [AtomicContext]"));

    [Fact]
    public Task MutexUnderIrqsOff()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Update(KernelMutex m)
    {
        LocalIrqDisable();
        {|#0:m.Lock()|};
        m.Unlock();
        LocalIrqEnable();
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("m.Lock", "", "entered by 'LocalIrqDisable'"));

    [Fact]
    public Task HelperThatMayFaultUnderSpinlock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Publish(UserPtr to, byte[] data) => CopyToUser(to, data) != 0 ? -EFAULT : 0;

    static int Run(KernelSpinlock lk, UserPtr to, byte[] data)
    {
        lk.Lock();
        int ret = {|#0:Publish(to, data)|};
        lk.Unlock();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("Publish", " (it calls 'CopyToUser')", "entered by 'lk.Lock'"));

    [Fact]
    public Task SleepAfterGotoIntoLockedSection()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(KernelSpinlock lk, int n)
    {
        int ret = 0;
        lk.Lock();
        if (n < 0)
            goto out_unlock;
        {|#0:CondResched()|};
    out_unlock:
        lk.Unlock();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CondResched", "", "entered by 'lk.Lock'"));

    [Theory]
    [InlineData("M:Vendor.Lib.Io.Wait(System.Int32)")]
    [InlineData("Vendor.Lib.Io.Wait")]
    [InlineData("Other.Thing, Vendor.Lib.Io.Wait")]
    public Task ConfiguredMightSleepMethod(string entry)
        => new VerifyCS.Test
        {
            TestCode = Usings + @"
namespace Vendor.Lib { public static class Io { public static void Wait(int ms) { } } }
class Driver
{
    static void Run(KernelSpinlock lk)
    {
        lk.Lock();
        {|#0:Vendor.Lib.Io.Wait(1)|};
        lk.Unlock();
    }
}",
            TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\nuseraccess.might_sleep_methods = " + entry + "\n") } },
            ExpectedDiagnostics = { VerifyCS.Diagnostic().At(0).WithArguments("Wait", "", "entered by 'lk.Lock'") },
        }.RunAsync();

    [Fact]
    public Task SeverityFromEditorConfig()
        => new VerifyCS.Test
        {
            TestCode = Usings + @"
class Driver
{
    static void Run(KernelSpinlock lk)
    {
        lk.Lock();
        {|#0:Schedule()|};
        lk.Unlock();
    }
}",
            TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.UA1001.severity = error\n") } },
            ExpectedDiagnostics = { VerifyCS.Diagnostic().At(0).WithArguments("Schedule", "", "entered by 'lk.Lock'").WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Error) },
        }.RunAsync();

    [Fact]
    public Task UmcgGetUserNosleepFromSchedulerHook_Buggy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + UmcgHelpers + @"
    [AtomicContext]
    static int WqWorkerSleeping(Mm mm, UserPtr<ulong> state)
    {
        return {|#0:GetUserNosleep(mm, state, out _)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserNosleep", " (it calls 'MmapReadLock')", "'WqWorkerSleeping' is [AtomicContext]"));

    [Fact]
    public Task MutuallyRecursiveHelpers()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Walker
{
    static void WalkA(Mm mm, int depth)
    {
        if (depth > 0)
            WalkB(mm, depth - 1);
    }

    static void WalkB(Mm mm, int depth)
    {
        MmapReadLock(mm);
        MmapReadUnlock(mm);
        WalkA(mm, depth);
    }

    static void Run(KernelSpinlock lk, Mm mm)
    {
        lk.Lock();
        {|#0:WalkA(mm, 3)|};
        lk.Unlock();
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("WalkA", " (it calls 'MmapReadLock')", "entered by 'lk.Lock'"));

    [Fact]
    public Task HelperAfterItsCallerReportsItsOwnSleepToo()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(KernelSpinlock lk, KernelSpinlock inner, Mm mm)
    {
        lk.Lock();
        {|#0:Walk(inner, mm)|};
        lk.Unlock();
    }

    static void Walk(KernelSpinlock inner, Mm mm)
    {
        inner.Lock();
        {|#1:MmapReadLock(mm)|};
        MmapReadUnlock(mm);
        inner.Unlock();
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("Walk", " (it calls 'MmapReadLock')", "entered by 'lk.Lock'"),
            VerifyCS.Diagnostic().At(1).WithArguments("MmapReadLock", "", "entered by 'inner.Lock'"));

    [Fact]
    public Task HelperChainAcrossFiles()
        => new VerifyCS.Test
        {
            TestCode = Usings + @"
class Driver
{
    static void Run(KernelSpinlock lk, Mm mm)
    {
        lk.Lock();
        {|#0:Helpers.Level1(mm)|};
        lk.Unlock();
    }
}",
            TestState =
            {
                Sources =
                {
                    ("/0/Helpers.cs", Usings + @"
static class Helpers
{
    public static void Level1(Mm mm) => Level2(mm);
    static void Level2(Mm mm) => Level3(mm);
    static void Level3(Mm mm) => Level4(mm);
    static void Level4(Mm mm) { MmapWriteLock(mm); MmapWriteUnlock(mm); }
}"),
                },
            },
            ExpectedDiagnostics = { VerifyCS.Diagnostic().At(0).WithArguments("Level1", " (it calls 'MmapWriteLock')", "entered by 'lk.Lock'") },
        }.RunAsync();

    [Fact]
    public Task InsideALocalFunction()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(KernelSpinlock lk, Mm mm)
    {
        void Locked()
        {
            lk.Lock();
            {|#0:MmapReadLock(mm)|};
            MmapReadUnlock(mm);
            lk.Unlock();
        }

        Locked();
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", "", "entered by 'lk.Lock'"));

    // A __must_hold(spinlock) callback is atomic context from its first line: its caller took the lock.
    [Fact]
    public Task SleepInAMethodThatRequiresASpinlock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class FutexQ
{
    public KernelSpinlock LockPtr = null!;
}

static class Futex
{
    [RequiresLock(""q.LockPtr"")]
    static void Requeue(FutexQ q)
    {
        {|#0:CondResched()|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CondResched", "", "'Requeue' is entered holding 'q.LockPtr'"));

    // The helper drops the spinlock it is handed, but its caller holds another one around the call; and a
    // helper that sleeps before it drops the lock sleeps in its caller's atomic context.
    [Fact]
    public Task HelperThatDropsTheSpinlockItIsHandedUnderAnotherOrAfterItSleeps()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ffs
{
    public KernelSpinlock WaitLock = null!;
    public KernelSpinlock Outer = null!;
}

static class FunctionFs
{
    [Releases(""ffs.WaitLock"")]
    static int QueueWait(Ffs ffs)
    {
        ffs.WaitLock.Unlock();
        Msleep(1);
        return 0;
    }

    [Releases(""ffs.WaitLock"")]
    static int SleepThenUnlock(Ffs ffs)
    {
        {|#2:Msleep(1)|};
        ffs.WaitLock.Unlock();
        return 0;
    }

    static int Nested(Ffs ffs)
    {
        ffs.Outer.Lock();
        ffs.WaitLock.Lock();
        int ret = {|#0:QueueWait(ffs)|};
        ffs.Outer.Unlock();
        return ret;
    }

    static int Late(Ffs ffs)
    {
        ffs.WaitLock.Lock();
        return {|#1:SleepThenUnlock(ffs)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("QueueWait", " (it calls 'Msleep')", "entered by 'ffs.Outer.Lock'"),
            VerifyCS.Diagnostic().At(1).WithArguments("SleepThenUnlock", " (it calls 'Msleep')", "entered by 'ffs.WaitLock.Lock'"),
            VerifyCS.Diagnostic().At(2).WithArguments("Msleep", "", "'SleepThenUnlock' is entered holding 'ffs.WaitLock'"));
}
