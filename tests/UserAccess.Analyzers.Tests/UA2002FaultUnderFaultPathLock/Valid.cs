using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using static UserAccess.Analyzers.Tests.UA2002FaultUnderFaultPathLock.RuleCode;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA2002FaultUnderFaultPathLockAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA2002FaultUnderFaultPathLock;

/// <summary>UA2002. Span: the access invocation. Arguments: the access, " (it calls 'X')" for helpers, the lock.</summary>
public class Valid
{
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

    // fs/splice.c, copy_from_user_mmap_sem() (v2.6.23): entered holding mmap_sem, the copy runs with page
    // faults disabled, and only the fallback that may fault runs with mmap_sem dropped; vmsplice's loop
    // calls it under the lock.
    [Fact]
    public Task HelperThatDropsTheCallersLockAroundItsFault()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    [RequiresLock(""mm.MmapLock"", Shared = true)]
    static int CopyFromUserMmapSem(Mm mm, byte[] dst, UserPtr src)
    {
        PagefaultDisable();
        int partial = CopyFromUser(dst, src);
        PagefaultEnable();
        if (partial != 0)
        {
            MmapReadUnlock(mm);
            partial = CopyFromUser(dst, src);
            MmapReadLock(mm);
        }
        return partial;
    }

    static int Run(Mm mm, byte[] dst, UserPtr iov, int nr)
    {
        int error = 0;
        MmapReadLock(mm);
        while (nr-- > 0)
        {
            error = -EFAULT;
            if (CopyFromUserMmapSem(mm, dst, iov) != 0)
                break;
            error = 0;
            iov += 16;
        }
        MmapReadUnlock(mm);
        return error;
    }
}");
}
