using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA1002FaultHandlingInNofaultAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA1002FaultHandlingInNofault;

/// <summary>UA1002. Span: the invocation. Arguments: the call, " (it calls 'X')" for helpers, the call that entered the region.</summary>
public class Diagnostics
{
    [Fact]
    public Task HelperTwoCallsAwayFromMmapReadLockWithFaultsDisabled()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void LockAndWalk(Mm mm) { MmapReadLock(mm); MmapReadUnlock(mm); }
    static void Walk(Mm mm) { LockAndWalk(mm); }

    static void Run(Mm mm)
    {
        {|#1:PagefaultDisable()|};
        {|#0:Walk(mm)|};
        {|#2:PagefaultEnable()|};
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("Walk", " (it calls 'MmapReadLock')", "PagefaultDisable"));

    [Fact]
    public Task FixupUserFaultInsideNoFaultScope()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr p)
    {
        int ret;
        MmapReadLock(mm);
        using (NoFault())
        {
            ret = {|#0:FixupUserFault(mm, p, FaultFlags.Write)|};
        }
        MmapReadUnlock(mm);
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FixupUserFault", "", "NoFault"));

    [Fact]
    public Task FaultInReadableInsideUsingDeclaration()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr p, int n)
    {
        using var scope = NoFault();
        return {|#0:FaultInReadable(p, n)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FaultInReadable", "", "NoFault"));

    [Fact]
    public Task MmapLockTakenBothWaysInsideNofault()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(Mm mm)
    {
        PagefaultDisable();
        {|#0:MmapReadLock(mm)|};
        MmapReadUnlock(mm);
        {|#1:mm.MmapLock.DownRead()|};
        mm.MmapLock.UpRead();
        PagefaultEnable();
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", "", "PagefaultDisable"),
            VerifyCS.Diagnostic().At(1).WithArguments("mm.MmapLock.DownRead", "", "PagefaultDisable"));

    [Fact]
    public Task KillableMmapLockWaitsToo()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm)
    {
        PagefaultDisable();
        int ret = {|#0:MmapReadLockKillable(mm)|};
        if (ret == 0)
            MmapReadUnlock(mm);
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLockKillable", "", "PagefaultDisable"));

    [Fact]
    public Task UserRegionHelpersAreRegions()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    [EntersRegion(Region.Nofault)]
    static void UserAccessBegin() => PagefaultDisable();

    [ExitsRegion(Region.Nofault)]
    static void UserAccessEnd() => PagefaultEnable();

    static int Run(UserPtr uaddr)
    {
        UserAccessBegin();
        int ret = {|#0:FaultInUserWriteable(uaddr)|};
        UserAccessEnd();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FaultInUserWriteable", "", "UserAccessBegin"));

    [Fact]
    public Task UserLockTakenInFaultPath()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Inode
{
    [TakenInFaultPath]
    public RwSemaphore InvalidateLock = null!;
}

class Driver
{
    static void Run(Inode inode)
    {
        PagefaultDisable();
        {|#0:inode.InvalidateLock.DownRead()|};
        inode.InvalidateLock.UpRead();
        PagefaultEnable();
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("inode.InvalidateLock.DownRead", "", "PagefaultDisable"));

    [Theory]
    [InlineData("F:Fs.Inode.InvalidateLock")]
    [InlineData("Fs.Inode.InvalidateLock")]
    [InlineData("T:Fs.FolioLock")]
    public Task ConfiguredFaultPathLock(string entry)
        => new VerifyCS.Test
        {
            TestCode = Usings + @"
namespace Fs
{
    public sealed class FolioLock
    {
        [Acquires(""this"")] public void Lock() { }
        [Releases(""this"")] public void Unlock() { }
    }

    public class Inode
    {
        public FolioLock InvalidateLock = new FolioLock();
    }

    class Driver
    {
        static void Run(Inode inode)
        {
            PagefaultDisable();
            {|#0:inode.InvalidateLock.Lock()|};
            inode.InvalidateLock.Unlock();
            PagefaultEnable();
        }
    }
}",
            TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\nuseraccess.fault_path_locks = " + entry + "\n") } },
            ExpectedDiagnostics = { VerifyCS.Diagnostic().At(0).WithArguments("inode.InvalidateLock.Lock", "", "PagefaultDisable") },
        }.RunAsync();

    // The UMCG xchg_user_64 as posted: the fault is fixed up inside the pagefault-disabled region.
    [Fact]
    public Task UmcgXchgUser64AsPosted_WithFixLocations()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Umcg
{
    static int FixPagefault(Mm mm, UserPtr uaddr, bool write)
    {
        MmapReadLock(mm);
        int ret = FixupUserFault(mm, uaddr, write ? FaultFlags.Write : FaultFlags.None);
        MmapReadUnlock(mm);
        return ret < 0 ? -EFAULT : 0;
    }

    static int XchgUser64(Mm mm, UserPtr<ulong> uaddr, ref ulong val)
    {
        int ret;
        {|#1:PagefaultDisable()|};
        while (true)
        {
            ret = {|#3:XchgUserInatomic(uaddr, val, out ulong old)|};
            if (ret == 0)
            {
                val = old;
                break;
            }
            if (ret == -EFAULT)
            {
                ret = {|#0:FixPagefault(mm, uaddr, true)|};
                if (ret != 0)
                    break;
                continue;
            }
            break;
        }
        {|#2:PagefaultEnable()|};
        return ret;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3).WithArguments("FixPagefault", " (it calls 'MmapReadLock')", "PagefaultDisable"));
}
