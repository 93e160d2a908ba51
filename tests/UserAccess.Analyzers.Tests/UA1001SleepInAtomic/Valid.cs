using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using static UserAccess.Analyzers.Tests.UA1001SleepInAtomic.RuleCode;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA1001SleepInAtomicAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA1001SleepInAtomic;

/// <summary>UA1001. Span: the invocation. Arguments: the call, " (it calls 'X')" for helpers, the atomic context.</summary>
public class Valid
{
    [Fact]
    public Task UmcgGetUserFromSchedulerHook_Fixed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + UmcgHelpers + @"
    [AtomicContext]
    static int WqWorkerSleeping(Mm mm, UserPtr<ulong> state)
    {
        // fail fast; the fault is fixed up later from a context that can sleep
        return GetUserInatomic(state, out _);
    }
}");

    [Fact]
    public Task GetUserWithFaultsDisabledUnderSpinlock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Read(KernelSpinlock lk, UserPtr<uint> uaddr, out uint val)
    {
        lk.Lock();
        PagefaultDisable();
        int ret = GetUser(out val, uaddr);
        PagefaultEnable();
        lk.Unlock();
        return ret;
    }
}");

    [Fact]
    public Task GetUserUncheckedUnderPreemptDisable()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Read(UserPtr<uint> uaddr, out uint val)
    {
        if (!AccessOk(uaddr, 4)) { val = 0; return -EFAULT; }
        PreemptDisable();
        int ret = GetUserUnchecked(out val, uaddr);
        PreemptEnable();
        return ret;
    }
}");

    [Theory]
    [InlineData("Gfp.Atomic")]
    [InlineData("Gfp.NoWait")]
    [InlineData("Gfp.High | Gfp.NoWait")]
    public Task KmallocWithoutDirectReclaimUnderSpinlock(string gfp)
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static byte[] Alloc(KernelSpinlock lk, int n)
    {
        lk.Lock();
        var buf = Kmalloc(n, " + gfp + @");
        lk.Unlock();
        return buf;
    }
}");

    [Fact]
    public Task KmallocWithVariableFlagsIsNotGuessed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static byte[] Alloc(KernelSpinlock lk, int n, Gfp gfp)
    {
        lk.Lock();
        var buf = Kmalloc(n, gfp);
        lk.Unlock();
        return buf;
    }
}");

    [Fact]
    public Task SleepAfterUnlock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(KernelSpinlock lk, Mm mm, bool early)
    {
        lk.Lock();
        if (early)
        {
            lk.Unlock();
            Msleep(1);
            return;
        }
        lk.Unlock();
        MmapReadLock(mm);
        MmapReadUnlock(mm);
    }
}");

    [Fact]
    public Task HelperUnderNofaultOnlyIsNotAtomic()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void LockAndWalk(Mm mm) { MmapReadLock(mm); MmapReadUnlock(mm); }
    static void Walk(Mm mm) { LockAndWalk(mm); }

    static void Run(Mm mm)
    {
        PagefaultDisable();
        Walk(mm);
        PagefaultEnable();
    }
}");

    [Fact]
    public Task SpinlockOnOneBranchOnlyIsNotReported()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(KernelSpinlock lk, bool locked)
    {
        if (locked)
            lk.Lock();
        Msleep(1);
        if (locked)
            lk.Unlock();
    }
}");

    [Fact]
    public Task LambdaCreatedUnderSpinlockRunsLater()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(KernelSpinlock lk)
    {
        lk.Lock();
        Action later = () => Msleep(1);
        lk.Unlock();
        later();
    }
}");

    [Fact]
    public Task CanonicalRetryLoopWithSpinlock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Xchg(KernelSpinlock lk, UserPtr<uint> uaddr, uint newval, out uint oldval)
    {
        int ret;
        while (true)
        {
            lk.Lock();
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, newval, out oldval);
            PagefaultEnable();
            lk.Unlock();
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
    public Task MethodNamesAreNotMatched()
        => new VerifyCS.Test
        {
            TestCode = @"
class Plain
{
    static void Msleep(int ms) { }
    static void Run() { Msleep(1); }
}",
        }.RunAsync();

    [Fact]
    public Task SleepAfterIrqsAreBackOn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run()
    {
        LocalIrqDisable();
        LocalIrqEnable();
        Msleep(1);
    }
}");

    [Fact]
    public Task UnlockedInFinallyBeforeTheSleep()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(KernelSpinlock lk, int[] counters)
    {
        lk.Lock();
        try
        {
            counters[0]++;
        }
        finally
        {
            lk.Unlock();
        }
        Msleep(1);
    }
}");

    [Fact]
    public Task NofaultCopyUnderSpinlock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(KernelSpinlock lk, UserPtr from, byte[] buf)
    {
        lk.Lock();
        int ret = CopyFromUserNofault(buf, from);
        lk.Unlock();
        return ret;
    }
}");

    [Fact]
    public Task AtomicContextMethodWithNofaultAccessesOnly()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    [AtomicContext]
    static int IrqHandler(UserPtr<uint> uaddr)
    {
        using (NoFault())
            return GetUser(out uint v, uaddr);
    }
}");

    [Fact]
    public Task MutexTrylockUnderSpinlockDoesNotSleep()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(KernelSpinlock lk, KernelMutex m)
    {
        lk.Lock();
        bool locked = m.TryLock();
        lk.Unlock();
        if (!locked)
            return -EBUSY;
        m.Unlock();
        return 0;
    }
}");

    // kernel/futex/pi.c, __fixup_pi_state_owner(): the fault-in runs after both required spinlocks are dropped.
    [Fact]
    public Task FaultInBetweenDroppingAndRetakingRequiredSpinlocks()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class PiState
{
    public KernelSpinlock WaitLock = null!;
}

class FutexQ
{
    public KernelSpinlock LockPtr = null!;
    public PiState PiState = null!;
}

static class Futex
{
    [RequiresLock(""q.LockPtr"")]
    [RequiresLock(""q.PiState.WaitLock"")]
    static int HandleFault(UserPtr<uint> uaddr, FutexQ q)
    {
        q.PiState.WaitLock.Unlock();
        LocalIrqEnable();
        q.LockPtr.Unlock();

        int err = FaultInUserWriteable(uaddr);
        CondResched();

        q.LockPtr.Lock();
        LocalIrqDisable();
        q.PiState.WaitLock.Lock();
        return err;
    }
}");

    // drivers/usb/gadget/function/f_fs.c, ffs_ep0_read(): with the waitqueue's spinlock held it calls
    // wait_event_interruptible_exclusive_locked_irq(), which drops the lock around schedule(), and then
    // hands the lock to __ffs_ep0_read_events() or __ffs_ep0_queue_wait() (__releases), which drop it
    // before they copy to user space or wait for the request.
    [Fact]
    public Task HelpersEnteredHoldingTheSpinlockDropItBeforeTheySleep()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Ffs
{
    public KernelSpinlock WaitLock = null!;
    public int Count;
}

static class FunctionFs
{
    [RequiresLock(""ffs.WaitLock"")]
    static int WaitLocked(Ffs ffs)
    {
        while (ffs.Count == 0)
        {
            if (SignalPending())
                return -EINTR;
            ffs.WaitLock.Unlock();
            Schedule();
            ffs.WaitLock.Lock();
        }
        return 0;
    }

    [Releases(""ffs.WaitLock"")]
    static int ReadEvents(Ffs ffs, UserPtr buf, byte[] events)
    {
        ffs.Count = 0;
        ffs.WaitLock.Unlock();
        return CopyToUser(buf, events) != 0 ? -EFAULT : events.Length;
    }

    [Releases(""ffs.WaitLock"")]
    static int QueueWait(Ffs ffs)
    {
        ffs.WaitLock.Unlock();
        Msleep(1);
        return 0;
    }

    static int Ep0Read(Ffs ffs, UserPtr buf, byte[] events)
    {
        ffs.WaitLock.Lock();
        if (WaitLocked(ffs) != 0)
        {
            ffs.WaitLock.Unlock();
            return -EINTR;
        }
        if (events.Length == 0)
            return QueueWait(ffs);
        return ReadEvents(ffs, buf, events);
    }
}");
}
