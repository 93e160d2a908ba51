using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA2001NonKillableWaitAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA2001NonKillableWait;

/// <summary>UA2001. Span: the invocation. Arguments: the wait, its killable variant.</summary>
public class Diagnostics
{
    // A read wait on another task's mm, stated by the parameter's contract.
    [Fact]
    public Task MmapReadLockOnARemoteMmInAMethodThatReturnsErrors()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run([RemoteMm] Mm mm, UserPtr uaddr)
    {
        {|#0:MmapReadLock(mm)|};
        int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
        MmapReadUnlock(mm);
        return ret != 0 ? -EFAULT : 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", "MmapReadLockKillable"));

    [Fact]
    public Task SemaphoreAndMutexWaits()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, [LongHeld] KernelMutex m, UserPtr<uint> p)
    {
        {|#0:mm.MmapLock.DownWrite()|};
        mm.MmapLock.UpWrite();
        {|#1:m.Lock()|};
        int ret = GetUser(out uint v, p);
        m.Unlock();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("mm.MmapLock.DownWrite", "DownWriteKillable"),
            VerifyCS.Diagnostic().At(1).WithArguments("m.Lock", "LockKillable"));

    // A lock the user cannot annotate, named in the options.
    [Fact]
    public Task LockListedAsLongHeldInTheOptions()
        => new VerifyCS.Test
        {
            TestCode = Usings + @"
class Dev
{
    public KernelMutex IoMutex = new();
}

class Driver
{
    static int Run(Dev dev, UserPtr<uint> p)
    {
        {|#0:dev.IoMutex.Lock()|};
        int ret = GetUser(out uint v, p);
        dev.IoMutex.Unlock();
        return ret;
    }
}",
            TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\nuseraccess.killable_wait_locks = Dev.IoMutex\n") } },
            ExpectedDiagnostics = { VerifyCS.Diagnostic().At(0).WithArguments("dev.IoMutex.Lock", "LockKillable") },
        }.RunAsync();

    // The Strict preset's widening: every wait that has a killable variant.
    [Fact]
    public Task EveryWaitWhenAllWaitsShouldBeKillable()
        => new VerifyCS.Test
        {
            TestCode = Usings + @"
class Driver
{
    static int Run(KernelMutex m, RwSemaphore sem, UserPtr<uint> p)
    {
        {|#0:m.Lock()|};
        {|#1:sem.DownRead()|};
        int ret = GetUser(out uint v, p);
        sem.UpRead();
        m.Unlock();
        return ret;
    }
}",
            TestState = { AnalyzerConfigFiles = { ("/.globalconfig", "is_global = true\nuseraccess.killable_waits = all\n") } },
            ExpectedDiagnostics =
            {
                VerifyCS.Diagnostic().At(0).WithArguments("m.Lock", "LockKillable"),
                VerifyCS.Diagnostic().At(1).WithArguments("sem.DownRead", "DownReadKillable"),
            },
        }.RunAsync();

    [Fact]
    public Task ErrorPathThroughGotoOut()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static long Run(Mm mm, UserPtr p, byte[] buf)
    {
        long ret = 0;
        {|#0:MmapWriteLock(mm)|};
        if (buf.Length == 0)
        {
            ret = -EINVAL;
            goto out_unlock;
        }
        buf[0] = 1;
    out_unlock:
        MmapWriteUnlock(mm);
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapWriteLock", "MmapWriteLockKillable"));

    // The lesson: a task waiting for the mmap lock in a syscall that can fail should leave at once
    // when it is killed (access_remote_vm and friends moved to mmap_read_lock_killable()).
    [Fact]
    public Task RemoteFaultIn_Buggy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Remote
{
    static int FaultInRemote([RemoteMm] Mm mm, UserPtr addr, bool write)
    {
        {|#0:MmapReadLock(mm)|};
        int ret = FixupUserFault(mm, addr, (write ? FaultFlags.Write : FaultFlags.None) | FaultFlags.Remote);
        MmapReadUnlock(mm);
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", "MmapReadLockKillable"));

    // fs/proc/task_mmu.c, clear_refs_write() before "proc: use down_read_killable mmap_sem for
    // /proc/pid/clear_refs" (2019): the mm is another task's, from get_task_mm().
    [Fact]
    public Task ReadWaitOnTheMmGetTaskMmReturned()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Proc
{
    static long ClearRefsWrite(TaskStruct? task, long count)
    {
        Mm? mm;

        if (task == null)
            return -ESRCH;
        mm = GetTaskMm(task);
        if (mm != null)
        {
            {|#0:MmapReadLock(mm)|};
            MmapReadUnlock(mm);
            Mmput(mm);
        }

        return count;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", "MmapReadLockKillable"));

    // fs/proc/task_mmu.c, show_smaps_rollup() before the same series: the mm proc_mem_open() took
    // (mm_access()) is kept in the file's private data.
    [Fact]
    public Task ReadWaitOnARemoteMmHeldInAField()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class ProcMapsPrivate
{
    [RemoteMm]
    public Mm? Mm;
}

class Proc
{
    static int ShowSmapsRollup(ProcMapsPrivate priv)
    {
        var mm = priv.Mm;
        if (mm == null)
            return -ESRCH;
        {|#0:MmapReadLock(mm)|};
        MmapReadUnlock(mm);
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", "MmapReadLockKillable"));

    // The mm syscalls' write waits (the v4.7 series: mmap, munmap, mprotect, brk ...) on the task's own mm.
    [Fact]
    public Task WriteWaitOnTheTasksOwnMm()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Mman
{
    static int Mprotect(ulong start, ulong len)
    {
        var mm = Current.Mm;
        if (len == 0)
            return -EINVAL;
        {|#0:MmapWriteLock(mm)|};
        MmapWriteUnlock(mm);
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapWriteLock", "MmapWriteLockKillable"));

    // The Strict preset asks for killable read waits on the task's own mm too.
    [Fact]
    public Task ReadWaitOnTheTasksOwnMmWhenAllWaitsShouldBeKillable()
        => new VerifyCS.Test
        {
            TestCode = Usings + @"
class Mincore
{
    static int Run(Mm mm, ulong start)
    {
        if ((start & 4095) != 0)
            return -EINVAL;
        {|#0:MmapReadLock(mm)|};
        MmapReadUnlock(mm);
        return 0;
    }
}",
            TestState = { AnalyzerConfigFiles = { ("/.globalconfig", "is_global = true\nuseraccess.killable_waits = all\n") } },
            ExpectedDiagnostics = { VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", "MmapReadLockKillable") },
        }.RunAsync();
}
