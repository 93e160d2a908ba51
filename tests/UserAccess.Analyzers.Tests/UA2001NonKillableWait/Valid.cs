using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA2001NonKillableWaitAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA2001NonKillableWait;

/// <summary>UA2001. Span: the invocation. Arguments: the wait, its killable variant.</summary>
public class Valid
{
    [Fact]
    public Task RemoteFaultIn_Fixed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Remote
{
    static int FaultInRemote(Mm mm, UserPtr addr, bool write)
    {
        if (MmapReadLockKillable(mm) != 0)
            return -EINTR;
        int ret = FixupUserFault(mm, addr, (write ? FaultFlags.Write : FaultFlags.None) | FaultFlags.Remote);
        MmapReadUnlock(mm);
        return ret;
    }
}");

    [Fact]
    public Task VoidMethodHasNoWayToReportEintr()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(Mm mm)
    {
        MmapReadLock(mm);
        MmapReadUnlock(mm);
    }
}");

    [Fact]
    public Task IntMethodWithoutAnErrorPath()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int CountVmas(Mm mm, int[] vmas)
    {
        MmapReadLock(mm);
        int n = vmas.Length;
        MmapReadUnlock(mm);
        return n;
    }
}");

    [Fact]
    public Task KillableVariants()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, KernelMutex m)
    {
        int ret = m.LockKillable();
        if (ret != 0)
            return ret;
        if (mm.MmapLock.DownReadKillable() != 0)
        {
            m.Unlock();
            return -EINTR;
        }
        mm.MmapLock.UpRead();
        m.Unlock();
        return 0;
    }
}");

    [Fact]
    public Task BoolMethodIsNotAnErrnoMethod()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static bool Run(Mm mm, bool ok)
    {
        if (!ok)
            return false;
        MmapReadLock(mm);
        MmapReadUnlock(mm);
        return true;
    }
}");

    [Fact]
    public Task TrylockDoesNotWait()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm)
    {
        if (!MmapReadTrylock(mm))
            return -EAGAIN;
        MmapReadUnlock(mm);
        return 0;
    }
}");

    // A plain mutex or rwsem in an errno-returning function: kernel code takes most of them
    // non-killably (the page-cache folio lock of a buffered write, a driver's own mutex), and
    // experts do not call that a defect. Only the mmap lock and locks marked long-held are flagged.
    [Fact]
    public Task PlainMutexAndRwsemWaitsInAnErrnoFunction()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(KernelMutex m, RwSemaphore sem, UserPtr<uint> p)
    {
        m.Lock();
        sem.DownWrite();
        int ret = GetUser(out uint v, p);
        sem.UpWrite();
        m.Unlock();
        return ret;
    }
}");

    // A lock the engine cannot name (an element of an array): silent, the engine cannot decide.
    [Fact]
    public Task WaitOnALockTheEngineCannotName()
        => new VerifyCS.Test
        {
            TestCode = Usings + @"
class Driver
{
    static int Run(KernelMutex[] locks, int i, UserPtr<uint> p)
    {
        locks[i].Lock();
        int ret = GetUser(out uint v, p);
        locks[i].Unlock();
        return ret;
    }
}",
            TestState = { AnalyzerConfigFiles = { ("/.globalconfig", "is_global = true\nuseraccess.killable_waits = all\n") } },
        }.RunAsync();

    // mm/mincore.c, sys_mincore(): a read wait on the task's own mm. The kernel takes these
    // non-killably (mincore, the arch fault fixups, move_pages' do_pages_stat()); it made the read
    // waits killable where the mm is another task's (the /proc files, access_remote_vm()).
    [Fact]
    public Task ReadWaitOnTheTasksOwnMm()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Mincore
{
    static int Run(Mm mm, ulong start, ulong len)
    {
        if ((start & 4095) != 0)
            return -EINVAL;
        if (len == 0)
            return 0;
        MmapReadLock(mm);
        MmapReadUnlock(mm);
        return 0;
    }
}");

    // The local is assigned from get_task_mm() on one path and from the caller's mm on another: the
    // engine cannot tell whose mm it is, so the rule stays silent.
    [Fact]
    public Task ReadWaitOnAnMmOfEitherOrigin()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Proc
{
    static int Run(TaskStruct task, Mm own, bool remote)
    {
        Mm? mm = own;
        if (remote)
            mm = GetTaskMm(task);
        if (mm == null)
            return -ESRCH;
        MmapReadLock(mm);
        MmapReadUnlock(mm);
        return 0;
    }
}");

    // kernel/fork.c, dup_mmap(): the child's mm is taken nested inside the parent's, and nobody else can
    // reach it yet; the kernel's mmap_write_lock_nested() has no killable variant.
    [Fact]
    public Task NestedWriteLockOfTheChildMm()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Fork
{
    static int DupMmap(Mm mm, Mm oldmm)
    {
        if (MmapWriteLockKillable(oldmm) != 0)
            return -EINTR;
        MmapWriteLockNested(mm, SINGLE_DEPTH_NESTING);
        MmapWriteUnlock(mm);
        MmapWriteUnlock(oldmm);
        return 0;
    }
}");
}
