using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA2003RequiredLockNotHeldAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA2003RequiredLockNotHeld;

/// <summary>UA2003. Span: the invocation. Arguments: the call, the lock (of the call's own Mm), "" (read or write) or " for write".</summary>
public class Diagnostics
{
    [Fact]
    public Task FixupUserFaultWithoutTheMmapLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr uaddr)
    {
        return {|#0:FixupUserFault(mm, uaddr, FaultFlags.Write)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FixupUserFault", "mm.MmapLock", ""));

    [Fact]
    public Task HeldOnOneBranchOnly()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr uaddr, bool locked)
    {
        if (locked)
            MmapReadLock(mm);
        int ret = {|#0:FixupUserFault(mm, uaddr, FaultFlags.None)|};
        if (locked)
            MmapReadUnlock(mm);
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FixupUserFault", "mm.MmapLock", ""));

    [Fact]
    public Task HeldForAnotherMm()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, Mm remote, UserPtr uaddr)
    {
        MmapReadLock(mm);
        int ret = {|#0:FixupUserFault(remote, uaddr, FaultFlags.Remote)|};
        MmapReadUnlock(mm);
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FixupUserFault", "remote.MmapLock", ""));

    // 'mm' stands for task.Mm on one path only: the lock taken through it is not task.Mm's on the other.
    // The block that takes the lock is visited before the assignment on the branch is seen.
    [Fact]
    public Task LockedThroughALocalAssignedAnotherMmOnOnePath()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(TaskStruct task, TaskStruct other, UserPtr uaddr, int n)
    {
        Mm mm = task.Mm;
        if (n > 5)
            mm = other.Mm;
        MmapReadLock(mm);
        int ret = {|#0:FixupUserFault(task.Mm, uaddr, FaultFlags.Write)|};
        MmapReadUnlock(mm);
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FixupUserFault", "task.Mm.MmapLock", ""));

    // The alias table is flow-insensitive: the loop's last line makes 'mm' stand for another task's mm
    // after the body was first visited (when 'mm' was still task.Mm). The body is recorded again, and on
    // the second round the lock held is other.Mm's.
    [Fact]
    public Task LockedThroughALocalThatTheLoopPointsElsewhere()
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
            ret = {|#0:FixupUserFault(task.Mm, uaddr, FaultFlags.Write)|};
            MmapReadUnlock(mm);
            mm = other.Mm;
        }
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FixupUserFault", "task.Mm.MmapLock", ""));

    [Fact]
    public Task CalledAfterTheUnlock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr uaddr)
    {
        MmapReadLock(mm);
        MmapReadUnlock(mm);
        return {|#0:FixupUserFault(mm, uaddr, FaultFlags.Write)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FixupUserFault", "mm.MmapLock", ""));

    [Fact]
    public Task KillableLockFailureEdge()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr uaddr)
    {
        if (MmapReadLockKillable(mm) != 0)
            return {|#0:FixupUserFault(mm, uaddr, FaultFlags.Write)|};
        MmapReadUnlock(mm);
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FixupUserFault", "mm.MmapLock", ""));

    [Fact]
    public Task HelperThatNeedsTheLockIsCheckedAtItsCallers()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    [RequiresLock(""mm.MmapLock"", Shared = true)]
    static int FixWrite(Mm mm, UserPtr uaddr) => FixupUserFault(mm, uaddr, FaultFlags.Write);

    static int Run(Mm current, UserPtr uaddr)
    {
        return {|#0:FixWrite(current, uaddr)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FixWrite", "current.MmapLock", ""));

    [Fact]
    public Task UnannotatedHelperIsSummarised()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int FixWrite(Mm mm, UserPtr uaddr) => {|#1:FixupUserFault(mm, uaddr, FaultFlags.Write)|};

    static int Run(Mm current, UserPtr uaddr)
    {
        return {|#0:FixWrite(current, uaddr)|};
    }
}",
            VerifyCS.Diagnostic().At(1).WithArguments("FixupUserFault", "mm.MmapLock", ""),
            VerifyCS.Diagnostic().At(0).WithArguments("FixWrite", "current.MmapLock", ""));

    [Fact]
    public Task WriteRequirementNeedsTheWriteLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Vma
{
    [RequiresLock(""mm.MmapLock"")]
    public static void Split(Mm mm) { }

    static void Run(Mm mm)
    {
        MmapReadLock(mm);
        {|#0:Split(mm)|};
        MmapReadUnlock(mm);
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("Split", "mm.MmapLock", " for write"));

    [Fact]
    public Task AliasReassignedToAnotherMm()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(TaskStruct task, Mm other, UserPtr uaddr)
    {
        Mm mm = task.Mm;
        mm = other;
        MmapReadLock(mm);
        int ret = {|#0:FixupUserFault(task.Mm, uaddr, FaultFlags.Write)|};
        MmapReadUnlock(mm);
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FixupUserFault", "task.Mm.MmapLock", ""));
}
