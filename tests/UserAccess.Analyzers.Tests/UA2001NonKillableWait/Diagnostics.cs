using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA2001NonKillableWaitAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA2001NonKillableWait;

/// <summary>UA2001. Span: the invocation. Arguments: the wait, its killable variant.</summary>
public class Diagnostics
{
    [Fact]
    public Task MmapReadLockInAMethodThatReturnsErrors()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr uaddr)
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
    static int FaultInRemote(Mm mm, UserPtr addr, bool write)
    {
        {|#0:MmapReadLock(mm)|};
        int ret = FixupUserFault(mm, addr, (write ? FaultFlags.Write : FaultFlags.None) | FaultFlags.Remote);
        MmapReadUnlock(mm);
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", "MmapReadLockKillable"));
}
