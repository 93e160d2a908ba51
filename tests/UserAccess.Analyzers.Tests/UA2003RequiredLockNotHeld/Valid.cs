using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA2003RequiredLockNotHeldAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA2003RequiredLockNotHeld;

/// <summary>UA2003. Span: the invocation. Arguments: the call, the lock (of the call's own Mm), "" (read or write) or " for write".</summary>
public class Valid
{
    [Fact]
    public Task HeldForRead()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr uaddr)
    {
        MmapReadLock(mm);
        int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
        MmapReadUnlock(mm);
        return ret;
    }
}");

    [Fact]
    public Task HeldForWrite()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr uaddr)
    {
        MmapWriteLock(mm);
        int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
        MmapWriteUnlock(mm);
        return ret;
    }
}");

    [Fact]
    public Task HeldThroughTheSemaphoreItself()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr uaddr)
    {
        mm.MmapLock.DownRead();
        int ret = FixupUserFault(mm, uaddr, FaultFlags.Write, out bool unlocked);
        mm.MmapLock.UpRead();
        return ret;
    }
}");

    [Fact]
    public Task KillableLockSuccessEdge()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr uaddr)
    {
        int ret = MmapReadLockKillable(mm);
        if (ret != 0)
            return ret;
        ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
        MmapReadUnlock(mm);
        return ret;
    }
}");

    [Theory]
    [InlineData("MmapReadLockKillable(mm) < 0")]
    [InlineData("MmapReadLockKillable(mm) is not 0")]
    [InlineData("!(MmapReadLockKillable(mm) >= 0)")]
    [InlineData("-EINTR == MmapReadLockKillable(mm)")]
    public Task KillableTestedInOtherForms(string failed)
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr uaddr)
    {
        if (" + failed + @")
            return -EINTR;
        int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
        MmapReadUnlock(mm);
        return ret;
    }
}");

    [Fact]
    public Task TrylockSuccessEdge()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr uaddr)
    {
        if (!MmapReadTrylock(mm))
            return -EAGAIN;
        int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
        MmapReadUnlock(mm);
        return ret;
    }
}");

    [Fact]
    public Task LockedInTryUnlockedInFinally()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr uaddr)
    {
        MmapReadLock(mm);
        try
        {
            return FixupUserFault(mm, uaddr, FaultFlags.Write);
        }
        finally
        {
            MmapReadUnlock(mm);
        }
    }
}");

    [Fact]
    public Task FutexFaultInTakesTheLockItself()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr uaddr) => FaultInUserWriteable(uaddr);
}");

    [Fact]
    public Task AnnotatedHelperAssumesTheLockInside()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    [RequiresLock(""mm.MmapLock"", Shared = true)]
    static int FixWrite(Mm mm, UserPtr uaddr) => FixupUserFault(mm, uaddr, FaultFlags.Write);

    static int Run(Mm mm, UserPtr uaddr)
    {
        MmapReadLock(mm);
        int ret = FixWrite(mm, uaddr);
        MmapReadUnlock(mm);
        return ret;
    }
}");

    [Fact]
    public Task LockExpressionTheEngineCannotNameIsNotReported()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm[] mms, UserPtr uaddr)
    {
        return FixupUserFault(mms[0], uaddr, FaultFlags.Write);
    }
}");

    [Fact]
    public Task LocalAliasOfTheTasksMm()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(TaskStruct task, UserPtr uaddr)
    {
        var mm = task.Mm;
        MmapReadLock(mm);
        int ret = FixupUserFault(task.Mm, uaddr, FaultFlags.Write);
        ret |= FixupUserFault(mm, uaddr, FaultFlags.None);
        MmapReadUnlock(task.Mm);
        return ret;
    }
}");

    // The alias table is flow-insensitive: the loop's last line changes what 'mm' stands for after the
    // body was first visited, so the engine runs the fixed point again on the final table; the lock and
    // the fault name the same local on every iteration.
    [Fact]
    public Task LockedThroughALocalReassignedLaterInTheLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(TaskStruct task, TaskStruct other, UserPtr uaddr, int n)
    {
        Mm mm = task.Mm;
        int ret = 0;
        for (int i = 0; i < n; i++)
        {
            MmapReadLock(mm);
            ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
            MmapReadUnlock(mm);
            mm = other.Mm;
        }
        return ret;
    }
}");
}
