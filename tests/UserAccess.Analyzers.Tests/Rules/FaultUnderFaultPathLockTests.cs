using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Rules.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.FaultUnderFaultPathLockAnalyzer>;

namespace UserAccess.Analyzers.Tests.Rules;

/// <summary>UA2002. Span: the access invocation. Arguments: the access, " (it calls 'X')" for helpers, the lock.</summary>
public class FaultUnderFaultPathLockTests
{
    // ---- true positives ----

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

    // gfs2: the buffered read held the inode glock, which the page-fault handler of the same file
    // also takes, while copying to a user buffer mapped from that file.
    private const string Gfs2 = @"
class Gfs2Inode
{
    [TakenInFaultPath]
    public KernelMutex Glock = null!;
}
";

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
    public Task Gfs2ReadCopiesWithFaultsDisabledAndFaultsInAfterUnlock_Fixed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + Gfs2 + @"
class Gfs2File
{
    static long ReadIter(Gfs2Inode ip, UserPtr buf, byte[] page)
    {
        int done = 0;
        while (true)
        {
            ip.Glock.Lock();
            PagefaultDisable();
            int left = CopyToUser(buf + done, page.AsSpan(done));
            PagefaultEnable();
            ip.Glock.Unlock();
            done = page.Length - left;
            if (left == 0)
                return done;
            if (FatalSignalPending())
                return -EINTR;
            if (FaultInWriteable(buf + done, left) == left)
                return done > 0 ? done : -EFAULT;
        }
    }
}");

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

    // ---- near misses ----

    [Fact]
    public Task CanonicalLoopUnderTheMmapLock()
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

    [Fact]
    public Task CopyWithFaultsDisabledUnderTheLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr to, byte[] data)
    {
        MmapReadLock(mm);
        int left;
        using (NoFault())
            left = CopyToUser(to, data);
        MmapReadUnlock(mm);
        return left != 0 ? -EFAULT : 0;
    }
}");

    [Fact]
    public Task CopyAfterUnlock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr to, byte[] data)
    {
        MmapReadLock(mm);
        data[0] = 1;
        MmapReadUnlock(mm);
        return CopyToUser(to, data) != 0 ? -EFAULT : 0;
    }
}");

    [Fact]
    public Task NofaultCopyUnderTheLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr to, byte[] data)
    {
        MmapReadLock(mm);
        int ret = CopyToUserNofault(to, data);
        MmapReadUnlock(mm);
        return ret;
    }
}");

    [Fact]
    public Task OrdinaryMutexIsNotAFaultPathLock()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(KernelMutex m, UserPtr to, byte[] data)
    {
        m.Lock();
        int left = CopyToUser(to, data);
        m.Unlock();
        return left != 0 ? -EFAULT : 0;
    }
}");

    [Fact]
    public Task TrylockFailureEdgeHoldsNothing()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr to, byte[] data)
    {
        if (!MmapReadTrylock(mm))
            return CopyToUser(to, data) != 0 ? -EFAULT : -EAGAIN;
        MmapReadUnlock(mm);
        return 0;
    }
}");

    [Fact]
    public Task LockHeldOnOneBranchOnly()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr to, byte[] data, bool locked)
    {
        if (locked)
            MmapReadLock(mm);
        int left = CopyToUser(to, data);
        if (locked)
            MmapReadUnlock(mm);
        return left != 0 ? -EFAULT : 0;
    }
}");
}
