using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA1003UnbalancedRegionAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA1003UnbalancedRegion;

/// <summary>UA1003. Span: the call that enters/takes (left open) or leaves/releases (unmatched). Arguments: that call, what is wrong.</summary>
public class Diagnostics
{
    [Fact]
    public Task FaultsLeftDisabledOnTheErrorPath_Buggy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int ReadFlags(UserPtr<uint> p, out uint v)
    {
        {|#0:PagefaultDisable()|};
        if (GetUser(out v, p) != 0)
            return -EFAULT;
        PagefaultEnable();
        return 0;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(0).WithArguments("PagefaultDisable", "the nofault region it enters is not left on every path out of 'ReadFlags'"));

    [Fact]
    public Task LockNotReleasedOnEarlyReturn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, int n)
    {
        {|#0:MmapReadLock(mm)|};
        if (n < 0)
            return -EINVAL;
        MmapReadUnlock(mm);
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", "'mm.MmapLock' is not released on every path out of 'Run'"));

    [Fact]
    public Task SpinlockHeldWhenBreakingOutOfTheLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(KernelSpinlock lk, int[] items)
    {
        int found = -1;
        for (int i = 0; i < items.Length; i++)
        {
            {|#0:lk.Lock()|};
            if (items[i] == 0)
            {
                found = i;
                break;
            }
            lk.Unlock();
        }
        return found;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("lk.Lock", "'lk' is not released on every path out of 'Run'"));

    [Fact]
    public Task EnableWithoutDisable()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run()
    {
        {|#0:PagefaultEnable()|};
        {|#1:PreemptEnable()|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PagefaultEnable", "it leaves the nofault region that was not entered"),
            VerifyCS.Diagnostic().At(1).WithArguments("PreemptEnable", "it leaves the atomic region that was not entered"));

    [Fact]
    public Task UnlockWithoutLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(Mm mm)
    {
        {|#0:MmapReadUnlock(mm)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadUnlock", "it releases 'mm.MmapLock', which is not held"));

    [Fact]
    public Task KillableResultNeverTested()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm)
    {
        int ret = MmapReadLockKillable(mm);
        {|#0:MmapReadUnlock(mm)|};
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadUnlock", "it releases 'mm.MmapLock', which is not held"));

    // The result assigned inside the test: where it is not 0 the lock was not taken.
    [Fact]
    public Task UnlockWhereTheKillableLockFailed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, KernelMutex m)
    {
        int ret;
        if ((ret = MmapReadLockKillable(mm)) != 0)
        {
            {|#0:MmapReadUnlock(mm)|};
            return ret;
        }
        bool locked;
        if (!(locked = m.TryLock()))
        {
            {|#1:m.Unlock()|};
            MmapReadUnlock(mm);
            return -EAGAIN;
        }
        m.Unlock();
        MmapReadUnlock(mm);
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadUnlock", "it releases 'mm.MmapLock', which is not held"),
            VerifyCS.Diagnostic().At(1).WithArguments("m.Unlock", "it releases 'm', which is not held"));

    [Fact]
    public Task UnannotatedLockHelperIsImbalancedButItsCallerIsNot()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void LockMm(Mm mm) => {|#0:MmapReadLock(mm)|};

    static void Run(Mm mm)
    {
        LockMm(mm);
        MmapReadUnlock(mm);
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", "'mm.MmapLock' is not released on every path out of 'LockMm'"));

    [Fact]
    public Task DisableInALoopReachesAFixedPoint()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(int n)
    {
        for (int i = 0; i < n; i++)
        {
            {|#0:PreemptDisable()|};
        }
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PreemptDisable", "the atomic region it enters is not left on every path out of 'Run'"));

    // One forgotten spin unlock is one report: the lock still held, not also the atomic region its Lock() entered.
    [Fact]
    public Task AForgottenSpinUnlockIsReportedOnceAsTheLockStillHeld()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Driver
{
    static int Run(KernelSpinlock lk, int i)
    {
        {|#0:lk.Lock()|};
        if (i < 0)
            return -EINVAL;
        lk.Unlock();
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithMessage("'lk.Lock' is unbalanced: 'lk' is not released on every path out of 'Run'"));

    [Fact]
    public Task APreemptDisableWithoutALockIsStillReportedAsTheRegion()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Driver
{
    static int Run(int i)
    {
        {|#0:PreemptDisable()|};
        if (i < 0)
            return -EINVAL;
        PreemptEnable();
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithMessage("'PreemptDisable' is unbalanced: the atomic region it enters is not left on every path out of 'Run'"));

    [Fact]
    public Task InsideALambdaTheMessageNamesTheMethodItIsIn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Driver
{
    static int Start(TaskStruct task, UserPtr<uint> p) => task.Run(() =>
    {
        {|#0:PagefaultDisable()|};
        if (GetUser(out uint v, p) != 0)
            return -EFAULT;
        PagefaultEnable();
        return (int)v;
    });
}",
            VerifyCS.Diagnostic().At(0).WithMessage("'PagefaultDisable' is unbalanced: the nofault region it enters is not left on every path out of a lambda in 'Start'"));

    [Fact]
    public Task HelperThatRequiresOneLockAndTakesAnotherIsAnAcquireForItsCaller()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    [RequiresLock(""mm.MmapLock"", Shared = true)]
    static void LockOther(Mm mm, Mm other) => {|#1:MmapReadLock(other)|};

    [RequiresLock(""mm.MmapLock"", Shared = true)]
    static void Run(Mm mm, Mm other)
    {
        {|#0:LockOther(mm, other)|};
    }
}",
            VerifyCS.Diagnostic().At(1).WithArguments("MmapReadLock", "'other.MmapLock' is not released on every path out of 'LockOther'"),
            VerifyCS.Diagnostic().At(0).WithArguments("LockOther", "'other.MmapLock' is not released on every path out of 'Run'"));

    // The __must_hold near miss: one path returns after the fault-in failed without retaking the lock.
    [Fact]
    public Task RequiredLockNotRetakenOnTheErrorPath()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class FutexQ
{
    public KernelSpinlock LockPtr = null!;
}

static class Futex
{
    [RequiresLock(""q.LockPtr"")]
    static int FixupOwner(UserPtr<uint> uaddr, FutexQ q)
    {
        PagefaultDisable();
        int err = GetUser(out uint uval, uaddr);
        PagefaultEnable();
        if (err == 0)
            return 0;

        {|#0:q.LockPtr.Unlock()|};
        err = FaultInUserWriteable(uaddr);
        if (err != 0)
            return err;
        q.LockPtr.Lock();
        return 1;
    }
}",
            VerifyCS.Diagnostic().At(0).WithMessage("'q.LockPtr.Unlock' is unbalanced: 'q.LockPtr' is not taken again on every path out of 'FixupOwner', which must return holding it"));

    // A [RequiresLock] method that retakes its lock but leaves page faults disabled on one path is still reported.
    [Fact]
    public Task RequiredLockRetakenButFaultsLeftDisabled()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class FutexQ
{
    public KernelSpinlock LockPtr = null!;
}

static class Futex
{
    [RequiresLock(""q.LockPtr"")]
    static void Requeue(FutexQ q, bool again)
    {
        q.LockPtr.Unlock();
        if (again)
            {|#0:PagefaultDisable()|};
        q.LockPtr.Lock();
    }
}",
            VerifyCS.Diagnostic().At(0).WithMessage("'PagefaultDisable' is unbalanced: the nofault region it enters is not left on every path out of 'Requeue'"));

    // A return from inside the walk that keeps the lock: the enumerator's finally does not release it.
    [Fact]
    public Task ReturnFromInsideAForeachStillHoldingTheLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Sg
{
    static int FirstDone(KernelSpinlock lockk, System.Collections.Generic.List<int> list)
    {
        {|#0:lockk.Lock()|};
        foreach (var entry in list)
        {
            if (entry == 1)
                return entry;
        }
        lockk.Unlock();
        return -1;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("lockk.Lock", "'lockk' is not released on every path out of 'FirstDone'"));

    // drivers/block/loop.c, loop_get_status_old() before bdac616db9bb: entered holding lo_ctl_mutex, which
    // only loop_get_status() drops; a NULL argument skips it and the return still holds the mutex.
    [Fact]
    public Task ReturnThatSkipsTheReleaseTheContractPromises()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class LoopDevice { public KernelMutex LoCtlMutex = null!; }

static class Loop
{
    [Releases(""lo.LoCtlMutex"")]
    static int GetStatus(LoopDevice lo, byte[] info)
    {
        lo.LoCtlMutex.Unlock();
        return 0;
    }

    [Releases(""lo.LoCtlMutex"")]
    static int GetStatusOld(LoopDevice lo, UserPtr arg, byte[] info)
    {
        int err = 0;
        if (arg == UserPtr.Null)
            err = -EINVAL;
        if (err == 0)
            err = GetStatus(lo, info);
        if (err == 0 && CopyToUser(arg, info) != 0)
            err = -EFAULT;
        {|#0:return err;|}
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("lo.LoCtlMutex", "this return may still hold it, and 'GetStatusOld' must release it"));

    // The flag is written on both paths alike: it does not tell whether the lock was taken.
    [Fact]
    public Task AFlagThatDoesNotFollowTheLockDoesNotReleaseIt()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, int n)
    {
        bool locked = false;
        if (n > 0)
            {|#0:MmapReadLock(mm)|};
        if (locked)
            MmapReadUnlock(mm);
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", "'mm.MmapLock' is not released on every path out of 'Run'"));

    // The vma is looked up again after the merge: its value no longer tells whether the lock is held.
    [Fact]
    public Task AVariableWrittenAfterTheMergeNoLongerTellsWhetherTheLockIsHeld()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Vma { }

class Driver
{
    static Vma? FindVma(Mm mm, ulong addr) => null;

    static int Run(Mm mm, ulong addr, ulong flags)
    {
        Vma? vma = null;
        if ((flags & 1) != 0)
        {
            {|#0:MmapReadLock(mm)|};
            vma = FindVma(mm, addr);
            if (vma == null)
            {
                MmapReadUnlock(mm);
                return -EFAULT;
            }
        }
        vma = FindVma(mm, addr + 4096);
        if (vma != null)
            MmapReadUnlock(mm);
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", "'mm.MmapLock' is not released on every path out of 'Run'"));

    // The test is the wrong way round: where the vma is null the lock was never taken.
    [Fact]
    public Task AnUnlockUnderTheOppositeTestReleasesWhatIsNotHeld()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Vma { }

class Driver
{
    static Vma? FindVma(Mm mm, ulong addr) => null;

    static int Run(Mm mm, ulong addr, ulong flags)
    {
        Vma? vma = null;
        if ((flags & 1) != 0)
        {
            {|#0:MmapReadLock(mm)|};
            vma = FindVma(mm, addr);
            if (vma == null)
            {
                MmapReadUnlock(mm);
                return -EFAULT;
            }
        }
        if (vma == null)
            {|#1:MmapReadUnlock(mm)|};
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(1).WithArguments("MmapReadUnlock", "it releases 'mm.MmapLock', which is not held"),
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", "'mm.MmapLock' is not released on every path out of 'Run'"));

    // The member is written between the tests: the second test no longer says whether the lock was taken.
    [Fact]
    public Task AMemberWrittenBetweenTheTestsNoLongerTellsWhetherTheLockIsHeld()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Inode { public KernelMutex IMutex = new(); }

class PipeInodeInfo { public Inode? Inode; }

class Splice
{
    static long SpliceOut(PipeInodeInfo pipe, ulong len) => (long)len;

    static long Run(PipeInodeInfo pipe, Inode other, ulong len)
    {
        if (pipe.Inode != null)
            {|#0:pipe.Inode.IMutex.Lock()|};
        long ret = SpliceOut(pipe, len);
        pipe.Inode = other;
        if (pipe.Inode != null)
            pipe.Inode.IMutex.Unlock();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("pipe.Inode.IMutex.Lock", "'pipe.Inode.IMutex' is not released on every path out of 'Run'"));

    // The object whose member was tested is replaced through an out argument between the tests.
    [Fact]
    public Task AnObjectReplacedThroughAnOutArgumentNoLongerTellsWhetherItsMemberWasLocked()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Inode { public KernelMutex IMutex = new(); }

class PipeInodeInfo { public Inode? Inode; }

class Splice
{
    static void Next(PipeInodeInfo from, out PipeInodeInfo next) => next = from;

    static int Run(PipeInodeInfo pipe, KernelMutex m)
    {
        PipeInodeInfo cur = pipe;
        if (cur.Inode != null)
            {|#0:m.Lock()|};
        Next(pipe, out cur);
        if (cur.Inode != null)
            m.Unlock();
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("m.Lock", "'m' is not released on every path out of 'Run'"));
}
