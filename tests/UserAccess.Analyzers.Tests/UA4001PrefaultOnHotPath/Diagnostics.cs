using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Seeds;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA4001PrefaultOnHotPathAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA4001PrefaultOnHotPath;

/// <summary>UA4001. Span: the fault-in. Arguments: the fault-in, the access.</summary>
public class Diagnostics
{
    [Fact]
    public Task GenericPerformWriteBefore2021()
        => VerifyCS.VerifyAnalyzerAsync(
            Usings + RetrySeeds.GenericPerformWriteBefore2021,
            VerifyCS.Diagnostic().At(0).WithArguments("FaultInReadable", "CopyFromUser"));

    [Fact]
    public Task PrefaultThenNofaultCopy_WithLocations()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr to, byte[] data)
    {
        if ({|#0:FaultInWriteable(to, data.Length)|} != 0)
            return -EFAULT;
        PagefaultDisable();
        int ret = {|#1:CopyToUserNofault(to, data)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(0).WithLocation(1).WithArguments("FaultInWriteable", "CopyToUserNofault"));

    [Fact]
    public Task FixupBeforeTheAtomic()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(Mm mm, [RequiresAlignment] UserPtr<uint> uaddr)
    {
        MmapReadLock(mm);
        int fixup = {|#0:FixupUserFault(mm, uaddr, FaultFlags.Write)|};
        MmapReadUnlock(mm);
        if (fixup != 0)
            return fixup;
        PagefaultDisable();
        int ret = XchgUserInatomic(uaddr, 1u, out uint old);
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FixupUserFault", "XchgUserInatomic"));

    [Fact]
    public Task PrefaultAtTheTopOfARetryLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        int ret;
        while (true)
        {
            ret = {|#0:FaultInUserWriteable(uaddr)|};
            if (ret != 0)
                break;
            PagefaultDisable();
            ret = FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1);
            PagefaultEnable();
            if (ret != -EFAULT)
                break;
        }
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FaultInUserWriteable", "FutexAtomicCmpxchgInatomic"));

    // The search_ioctl() loop with a helper that passes the fault on (-EFAULT): the caller sees it and can
    // fault in on that path only, so the prefault before every search is on the hot path.
    [Fact]
    public Task PrefaultForAHelperThatReportsTheFault()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int CopyToSk(byte[][] items, ref int next, long bufSize, UserPtr ubuf, ref long skOffset)
    {
        byte[] item = items[next];
        if (skOffset + item.Length > bufSize)
            return 1;
        if (CopyToUserNofault(ubuf + skOffset, item) != 0)
            return -EFAULT;
        skOffset += item.Length;
        next++;
        return next < items.Length ? 0 : 1;
    }

    static int SearchIoctl(byte[][] items, long bufSize, UserPtr ubuf)
    {
        int ret;
        int next = 0;
        long skOffset = 0;
        while (true)
        {
            ret = -EFAULT;
            if ({|#0:FaultInSubpageWriteable(ubuf + skOffset, bufSize - skOffset)|} != 0)
                break;
            ret = CopyToSk(items, ref next, bufSize, ubuf, ref skOffset);
            if (ret != 0)
                break;
        }
        return ret > 0 ? 0 : ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FaultInSubpageWriteable", "CopyToSk"));
}
