using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using static UserAccess.Analyzers.Tests.UA2002FaultUnderFaultPathLock.RuleCode;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA2002FaultUnderFaultPathLockAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA2002FaultUnderFaultPathLock;

/// <summary>UA2002. Span: the access invocation. Arguments: the access, " (it calls 'X')" for helpers, the lock.</summary>
public class Diagnostics
{
    [Fact]
    public Task CopyToUserUnderMmapReadLock_WithFixLocations()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Report(Mm mm, UserPtr to, byte[] info)
    {
        {|#1:MmapReadLock(mm)|};
        int left = {|#0:CopyToUser(to, info)|};
        {|#2:MmapReadUnlock(mm)|};
        return left != 0 ? -EFAULT : 0;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("CopyToUser", "", "mm.MmapLock"));

    [Fact]
    public Task GetUserUnderDownWriteOnTheSameLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr<uint> uaddr, out uint v)
    {
        mm.MmapLock.DownWrite();
        int ret = {|#0:GetUser(out v, uaddr)|};
        mm.MmapLock.UpWrite();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUser", "", "mm.MmapLock"));

    [Fact]
    public Task LockReachedThroughTheTask()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(TaskStruct task, UserPtr<uint> uaddr)
    {
        MmapWriteLock(task.Mm);
        int ret = {|#0:PutUser(1u, uaddr)|};
        MmapWriteUnlock(task.Mm);
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUser", "", "task.Mm.MmapLock"));

    // The helper is entered holding the lock (its contract) and drops it around its faulting copy on one
    // path only: the other path faults under the lock, reported in the helper, where the fault is; the
    // caller holds the lock as the contract asks.
    [Fact]
    public Task HelperThatDropsTheLockOnOnePathOnly()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    [RequiresLock(""mm.MmapLock"", Shared = true)]
    static int CopyIn(Mm mm, byte[] dst, UserPtr src, bool slow)
    {
        if (!slow)
            return {|#0:CopyFromUser(dst, src)|};
        MmapReadUnlock(mm);
        int partial = CopyFromUser(dst, src);
        MmapReadLock(mm);
        return partial;
    }

    static int Run(Mm mm, byte[] dst, UserPtr src, bool slow)
    {
        MmapReadLock(mm);
        int ret = CopyIn(mm, dst, src, slow) != 0 ? -EFAULT : 0;
        MmapReadUnlock(mm);
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyFromUser", "", "mm.MmapLock"));

    [Fact]
    public Task HelperThatMayFaultUnderTheLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Fill(UserPtr to, byte[] data) => CopyToUser(to, data) != 0 ? -EFAULT : 0;

    static int Run(Mm mm, UserPtr to, byte[] data)
    {
        if (MmapReadLockKillable(mm) != 0)
            return -EINTR;
        int ret = {|#0:Fill(to, data)|};
        MmapReadUnlock(mm);
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("Fill", " (it calls 'CopyToUser')", "mm.MmapLock"));

    [Fact]
    public Task Gfs2ReadCopiesUnderTheGlock_Buggy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + Gfs2 + @"
class Gfs2File
{
    static long ReadIter(Gfs2Inode ip, UserPtr buf, byte[] page)
    {
        ip.Glock.Lock();
        int left = {|#0:CopyToUser(buf, page)|};
        ip.Glock.Unlock();
        return left != 0 ? -EFAULT : page.Length;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyToUser", "", "ip.Glock"));

    [Fact]
    public Task ConfiguredFaultPathLock()
        => new VerifyCS.Test
        {
            TestCode = Usings + @"
class Folio { public KernelMutex Lock = null!; }
class Driver
{
    static int Run(Folio folio, UserPtr to, byte[] data)
    {
        folio.Lock.Lock();
        int left = {|#0:CopyToUser(to, data)|};
        folio.Lock.Unlock();
        return left == 0 ? 0 : -EFAULT;
    }
}",
            TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\nuseraccess.fault_path_locks = F:Folio.Lock\n") } },
            ExpectedDiagnostics = { VerifyCS.Diagnostic().At(0).WithArguments("CopyToUser", "", "folio.Lock") },
        }.RunAsync();

    [Fact]
    public Task LockNamedThroughALocalAliasAndAParameterLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr to, byte[] data, [TakenInFaultPath] KernelMutex folioLock)
    {
        var mm = Current.Mm;
        MmapReadLock(mm);
        int left = {|#0:CopyToUser(to, data)|};
        MmapReadUnlock(Current.Mm);
        folioLock.Lock();
        left |= {|#1:CopyToUser(to, data)|};
        folioLock.Unlock();
        return left != 0 ? -EFAULT : 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CopyToUser", "", "mm.MmapLock"),
            VerifyCS.Diagnostic().At(1).WithArguments("CopyToUser", "", "folioLock"));
}
