using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA1003UnbalancedRegionAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA1003UnbalancedRegion;

/// <summary>UA1003. Span: the call that enters/takes (left open) or leaves/releases (unmatched). Arguments: that call, what is wrong.</summary>
public class Valid
{
    [Fact]
    public Task FaultsLeftDisabledOnTheErrorPath_Fixed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int ReadFlags(UserPtr<uint> p, out uint v)
    {
        using (NoFault())
        {
            if (GetUser(out v, p) != 0)
                return -EFAULT;
        }
        return 0;
    }
}");

    [Fact]
    public Task UsingScopeWithEarlyReturn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, out uint v)
    {
        using var scope = NoFault();
        if (GetUser(out v, p) != 0)
            return -EFAULT;
        return 0;
    }
}");

    [Fact]
    public Task TryFinallyUnlock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, int[] items)
    {
        MmapReadLock(mm);
        try
        {
            foreach (var item in items)
            {
                if (item < 0)
                    return -EINVAL;
            }
            return 0;
        }
        finally
        {
            MmapReadUnlock(mm);
        }
    }
}");

    [Fact]
    public Task KillableAndTrylockCountOnTheirSuccessEdge()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, KernelMutex m)
    {
        if (MmapReadLockKillable(mm) != 0)
            return -EINTR;
        if (!m.TryLock())
        {
            MmapReadUnlock(mm);
            return -EAGAIN;
        }
        m.Unlock();
        MmapReadUnlock(mm);
        return 0;
    }
}");

    // The kernel's `if ((ret = mutex_lock_killable(&m)))` and mptctl_syscall_down()'s callers: the
    // result is assigned inside the test, and the lock is held where it was 0.
    [Fact]
    public Task KillableResultAssignedInTheTest()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, KernelMutex m)
    {
        int ret;
        if ((ret = MmapReadLockKillable(mm)) != 0)
            return ret;
        if ((ret = m.LockKillable()) < 0)
        {
            MmapReadUnlock(mm);
            return ret;
        }
        m.Unlock();
        MmapReadUnlock(mm);
        return 0;
    }
}");

    [Fact]
    public Task GotoOutUnlock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(KernelSpinlock lk, Mm mm, UserPtr uaddr)
    {
        int ret;
        MmapReadLock(mm);
        lk.Lock();
        if (uaddr.Address == 0)
        {
            ret = -EINVAL;
            goto out_unlock;
        }
        ret = 0;
    out_unlock:
        lk.Unlock();
        MmapReadUnlock(mm);
        return ret;
    }
}");

    [Fact]
    public Task DeclaredRegionAndLockHelpers()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    [EntersRegion(Region.Nofault)]
    static void UserAccessBegin() => PagefaultDisable();

    [ExitsRegion(Region.Nofault)]
    static void UserAccessEnd() => PagefaultEnable();

    [Acquires(""mm.MmapLock"", Shared = true)]
    static void LockMm(Mm mm) => MmapReadLock(mm);

    [Releases(""mm.MmapLock"", Shared = true)]
    static void UnlockMm(Mm mm) => MmapReadUnlock(mm);

    static int Run(Mm mm, UserPtr<uint> p)
    {
        LockMm(mm);
        UserAccessBegin();
        int ret = GetUser(out uint v, p);
        UserAccessEnd();
        UnlockMm(mm);
        return ret;
    }
}");

    [Fact]
    public Task LockPerIterationWithContinue()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(KernelSpinlock lk, int[] items)
    {
        for (int i = 0; i < items.Length; i++)
        {
            lk.Lock();
            if (items[i] == 0)
            {
                lk.Unlock();
                continue;
            }
            items[i]--;
            lk.Unlock();
        }
    }
}");

    [Fact]
    public Task ExceptionPathsAreNotFollowed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(Mm mm, int n)
    {
        MmapReadLock(mm);
        if (n < 0)
            throw new ArgumentOutOfRangeException(nameof(n));
        MmapReadUnlock(mm);
    }
}");

    [Fact]
    public Task CanonicalRetryLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr<uint> uaddr, uint newval, out uint oldval)
    {
        int ret;
        while (true)
        {
            MmapReadLock(mm);
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, newval, out oldval);
            PagefaultEnable();
            MmapReadUnlock(mm);
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

    // futex's double_lock_hb()/double_unlock_hb(): the spinlocks' atomic region comes with the declared locks.
    [Fact]
    public Task DeclaredSpinlockHelpersCarryTheirRegion()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Bucket
{
    public int Index;
    public KernelSpinlock Lock = null!;

    [Acquires(""hb1.Lock"")]
    [Acquires(""hb2.Lock"")]
    public static void DoubleLockHb(Bucket hb1, Bucket hb2)
    {
        if (hb1.Index > hb2.Index)
            (hb1, hb2) = (hb2, hb1);
        hb1.Lock.Lock();
        if (hb1 != hb2)
            hb2.Lock.Lock();
    }

    [Releases(""hb1.Lock"")]
    [Releases(""hb2.Lock"")]
    public static void DoubleUnlockHb(Bucket hb1, Bucket hb2)
    {
        hb1.Lock.Unlock();
        if (hb1 != hb2)
            hb2.Lock.Unlock();
    }
}");

    [Fact]
    public Task ALambdaThatLeavesTheRegionOnEveryPathIsNotReported()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
static class Driver
{
    static int Start(TaskStruct task, UserPtr<uint> p) => task.Run(() =>
    {
        PagefaultDisable();
        int ret = GetUser(out uint v, p);
        PagefaultEnable();
        return ret != 0 ? -EFAULT : (int)v;
    });
}");

    // arch/x86/mm/mpx.c, get_bt_addr() and mpx_resolve_fault() (v4.14): both run with mmap_sem held,
    // taken by their caller; the helper holding it on exit is no acquire of its own.
    [Fact]
    public Task HelperThatRequiresTheLockIsNoAcquireForItsCaller()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Mpx
{
    [RequiresLock(""mm.MmapLock"", Shared = true)]
    [ReturnsErrno]
    static int ResolveFault(Mm mm, UserPtr addr) => FixupUserFault(mm, addr, FaultFlags.None);

    [RequiresLock(""mm.MmapLock"", Shared = true)]
    static int GetBtAddr(Mm mm, UserPtr<long> entry, out long value)
    {
        while (true)
        {
            PagefaultDisable();
            int ret = GetUser(out value, entry);
            PagefaultEnable();
            if (ret == 0)
                return 0;
            ret = ResolveFault(mm, entry);
            if (ret != 0)
                return ret;
        }
    }
}");

    // kernel/futex/pi.c, __fixup_pi_state_owner(): __must_hold(q->lock_ptr), entered with the bucket lock and
    // the wait_lock taken irqs-off; it drops both around the fault-in and takes them again before it returns.
    [Fact]
    public Task RequiredSpinlocksDroppedAndRetakenAroundTheFaultIn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class PiState
{
    public KernelSpinlock WaitLock = null!;
    public int Owner;
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
    static int FixupPiStateOwner(UserPtr<uint> uaddr, FutexQ q, int oldowner, uint newtid)
    {
        int err;
    retry:
        PagefaultDisable();
        err = GetUser(out uint uval, uaddr);
        PagefaultEnable();
        if (err == 0)
            return 1;

        q.PiState.WaitLock.Unlock();
        LocalIrqEnable();
        q.LockPtr.Unlock();

        err = err == -EFAULT ? FaultInUserWriteable(uaddr) : 0;

        q.LockPtr.Lock();
        LocalIrqDisable();
        q.PiState.WaitLock.Lock();

        if (q.PiState.Owner != oldowner)
            return 1;
        if (err == 0)
            goto retry;
        return err;
    }
}");

    // kernel/futex/core.c, futex_q_unlock(): __releases(&hb->lock), entered holding the bucket spinlock.
    [Fact]
    public Task ReleasesHelperIsEnteredHoldingTheSpinlock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class FutexQ
{
    public KernelSpinlock LockPtr = null!;
}

static class Futex
{
    [Releases(""q.LockPtr"")]
    static void FutexQUnlock(FutexQ q)
    {
        q.LockPtr.Unlock();
    }
}");

    // drivers/scsi/sg.c, sg_ioctl()'s SG_GET_PACK_ID: the lock is dropped inside the walk of the request
    // list before the early return, and after the walk on the other path. The foreach's finally (the
    // enumerator's Dispose) is crossed by both exits: each carries its own state through it.
    [Fact]
    public Task UnlockBeforeAReturnFromInsideAForeach()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Sg
{
    class Request { public int Done; public int PackId; }

    static int GetPackId(KernelSpinlock lockk, System.Collections.Generic.List<Request> list, UserPtr<int> ip)
    {
        lockk.Lock();
        foreach (var entry in list)
        {
            if (entry.Done == 1)
            {
                lockk.Unlock();
                return PutUser(entry.PackId, ip);
            }
        }
        lockk.Unlock();
        return PutUser(-1, ip);
    }

    static int FirstDone(KernelSpinlock lockk, System.Collections.Generic.IEnumerable<Request> list)
    {
        lockk.Lock();
        foreach (var entry in list)
        {
            if (entry.Done == 1)
            {
                lockk.Unlock();
                return entry.PackId;
            }
        }
        lockk.Unlock();
        return -1;
    }
}");

    // The same through a finally of the user's own with a branch in it: each exit keeps its own state.
    [Fact]
    public Task UnlockBeforeAReturnThroughAFinallyWithABranch()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int Count;

    static int M(KernelMutex lockk, int[] items, bool trace)
    {
        lockk.Lock();
        try
        {
            for (int i = 0; i < items.Length; i++)
            {
                if (items[i] == 0)
                {
                    lockk.Unlock();
                    return i;
                }
            }
        }
        finally
        {
            if (trace)
                Count++;
        }
        lockk.Unlock();
        return -1;
    }
}");

    // loop_get_status_old() after bdac616db9bb: the NULL case drops the mutex itself.
    [Fact]
    public Task EveryReturnReleasesWhatTheContractPromises()
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
        if (arg == UserPtr.Null)
        {
            lo.LoCtlMutex.Unlock();
            return -EINVAL;
        }
        int err = GetStatus(lo, info);
        if (err == 0 && CopyToUser(arg, info) != 0)
            err = -EFAULT;
        return err;
    }

    // A release in a finally runs after every return.
    [Releases(""lo.LoCtlMutex"")]
    static int GetStatusFinally(LoopDevice lo, UserPtr arg, byte[] info)
    {
        try
        {
            if (arg == UserPtr.Null)
                return -EINVAL;
            return CopyToUser(arg, info) != 0 ? -EFAULT : 0;
        }
        finally
        {
            lo.LoCtlMutex.Unlock();
        }
    }
}");

    // mm/mempolicy.c sys_get_mempolicy(): mmap_sem is taken only when a vma is looked up, and the exit
    // drops it when there is one; vma is null on every path that did not take it.
    [Fact]
    public Task LockTakenWithTheVmaIsDroppedUnderATestOfTheVma()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Vma { }

class Driver
{
    static Vma? FindVma(Mm mm, ulong addr) => null;

    static int GetPolicy(Mm mm, ulong addr, ulong flags, UserPtr<int> policy)
    {
        int err;
        Vma? vma = null;
        if ((flags & 1) != 0)
        {
            MmapReadLock(mm);
            vma = FindVma(mm, addr);
            if (vma == null)
            {
                MmapReadUnlock(mm);
                return -EFAULT;
            }
        }
        else if (addr != 0)
            return -EINVAL;

        err = 0;
        if ((flags & 2) != 0)
        {
            err = -EINVAL;
            goto out_;
        }

        if (vma != null)
        {
            MmapReadUnlock(mm);
            vma = null;
        }

        if (PutUser(1, policy) != 0)
            return -EFAULT;
    out_:
        if (vma != null)
            MmapReadUnlock(mm);
        return err;
    }
}");

    // A caller that may already hold the lock says so, and the unlock is under the same test.
    [Fact]
    public Task LockTakenWhenAFlagSaysSoIsDroppedUnderTheSameTest()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Walk(Mm mm, bool needLock, int[] items)
    {
        int ret = 0;
        if (needLock)
            MmapReadLock(mm);
        foreach (var item in items)
        {
            if (item < 0)
            {
                ret = -EINVAL;
                break;
            }
        }
        if (!needLock)
            return ret;
        MmapReadUnlock(mm);
        return ret;
    }

    static int Locked(Mm mm, int n)
    {
        bool locked = false;
        int ret = -EINVAL;
        if (n > 0)
        {
            MmapReadLock(mm);
            locked = true;
            if (n > 8)
                goto out_;
            ret = 0;
        }
    out_:
        if (locked)
            MmapReadUnlock(mm);
        return ret;
    }
}");

    // fs/splice.c vmsplice_to_user(): "if (pipe->inode) mutex_lock(&pipe->inode->i_mutex);", the walk, then the
    // unlock under the same test of the member.
    [Fact]
    public Task LockTakenUnderATestOfAMemberIsDroppedUnderTheSameTest()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Inode { public KernelMutex IMutex = new(); }

class PipeInodeInfo { public Inode? Inode; }

class Splice
{
    static long SpliceOut(PipeInodeInfo pipe, ulong len) => (long)len;

    static long VmspliceToUser(PipeInodeInfo pipe, UserPtr iov, ulong nrSegs)
    {
        long ret = 0;
        if (pipe.Inode != null)
            pipe.Inode.IMutex.Lock();
        while (nrSegs != 0)
        {
            if (GetUser(out ulong len, (iov + 8).Cast<ulong>()) != 0)
            {
                ret = -EFAULT;
                break;
            }
            ret += SpliceOut(pipe, len);
            nrSegs--;
            iov += 16;
        }
        if (pipe.Inode != null)
            pipe.Inode.IMutex.Unlock();
        return ret;
    }
}");
}
