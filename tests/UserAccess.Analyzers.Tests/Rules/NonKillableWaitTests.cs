using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Rules.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.NonKillableWaitAnalyzer>;

namespace UserAccess.Analyzers.Tests.Rules;

/// <summary>UA2001. Span: the invocation. Arguments: the wait, its killable variant.</summary>
public class NonKillableWaitTests
{
    // ---- true positives ----

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
    static int Run(Mm mm, KernelMutex m, UserPtr<uint> p)
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

    // ---- near misses ----

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
}
