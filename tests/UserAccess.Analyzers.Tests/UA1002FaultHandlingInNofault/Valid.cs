using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA1002FaultHandlingInNofaultAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA1002FaultHandlingInNofault;

/// <summary>UA1002. Span: the invocation. Arguments: the call, " (it calls 'X')" for helpers, the call that entered the region.</summary>
public class Valid
{
    [Fact]
    public Task UmcgXchgUser64Fixed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Umcg
{
    static int XchgUser64(UserPtr<ulong> uaddr, ref ulong val)
    {
        int ret;
        while (true)
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, val, out ulong old);
            PagefaultEnable();
            if (ret == 0)
                val = old;
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
    public Task MutexInsideNofaultRegion()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static void Run(KernelMutex m)
    {
        PagefaultDisable();
        m.Lock();
        m.Unlock();
        PagefaultEnable();
    }
}");

    [Fact]
    public Task TrylockOfMmapLockDoesNotWait()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(Mm mm)
    {
        PagefaultDisable();
        bool locked = MmapReadTrylock(mm);
        if (locked)
            MmapReadUnlock(mm);
        PagefaultEnable();
        return locked ? 0 : -EAGAIN;
    }
}");

    [Fact]
    public Task FaultInAfterTheScopeEnds()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> uaddr, out uint val)
    {
        int ret;
        using (NoFault())
        {
            ret = GetUser(out val, uaddr);
        }
        if (ret == -EFAULT && FaultInReadable(uaddr, 4) == 0)
            ret = GetUser(out val, uaddr);
        return ret;
    }
}");

    [Fact]
    public Task FaultHandlingOnAPathWhereFaultsMayBeEnabled()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr uaddr, bool atomic)
    {
        if (atomic)
            PagefaultDisable();
        int ret = FaultInUserWriteable(uaddr);
        if (atomic)
            PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task HelperThatDisablesFaultsAroundItsOwnAccessOnly()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int TryRead(UserPtr<uint> uaddr, out uint val)
    {
        PagefaultDisable();
        int ret = GetUser(out val, uaddr);
        PagefaultEnable();
        return ret;
    }

    static int Run(KernelSpinlock lk, UserPtr<uint> uaddr, out uint val)
    {
        lk.Lock();
        PagefaultDisable();
        int ret = TryRead(uaddr, out val);
        PagefaultEnable();
        lk.Unlock();
        return ret;
    }
}");

    [Fact]
    public Task SpinlockInsideNofaultRegion()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(KernelSpinlock lk, UserPtr<uint> uaddr, uint v)
    {
        PagefaultDisable();
        lk.Lock();
        int ret = CmpxchgUserInatomic(uaddr, 0u, v, out _);
        lk.Unlock();
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task FaultInOnTheGotoFaultPathAfterEnable()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> uaddr, uint v)
    {
        int ret;
    retry:
        PagefaultDisable();
        ret = PutUser(v, uaddr);
        PagefaultEnable();
        if (ret == -EFAULT)
            goto fault;
        return ret;
    fault:
        if (FaultInWriteable(uaddr, 4) != 0)
            return -EFAULT;
        goto retry;
    }
}");

    [Fact]
    public Task UserAccessIsNotFaultHandling()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int ReadBoth(UserPtr<uint> a, UserPtr<uint> b) => GetUser(out uint x, a) | GetUser(out uint y, b);

    static int Run(UserPtr<uint> a, UserPtr<uint> b, UserPtr from, byte[] buf)
    {
        PagefaultDisable();
        int ret = ReadBoth(a, b) | CopyFromUserNofault(buf, from);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task RegionClosedInFinallyBeforeTheFaultIn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> uaddr, out uint v)
    {
        int ret;
        PagefaultDisable();
        try
        {
            ret = GetUser(out v, uaddr);
        }
        finally
        {
            PagefaultEnable();
        }
        if (ret == -EFAULT && FaultInReadable(uaddr, 4) == 0)
            ret = GetUser(out v, uaddr);
        return ret;
    }
}");

    [Fact]
    public Task LambdaCreatedInTheRegionRunsLater()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr uaddr)
    {
        Func<int> faultIn;
        using (NoFault())
            faultIn = () => FaultInUserWriteable(uaddr);
        return faultIn();
    }
}");
}
