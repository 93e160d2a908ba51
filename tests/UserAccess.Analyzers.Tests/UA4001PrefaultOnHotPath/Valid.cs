using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Seeds;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA4001PrefaultOnHotPathAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA4001PrefaultOnHotPath;

/// <summary>UA4001. Span: the fault-in. Arguments: the fault-in, the access.</summary>
public class Valid
{
    [Fact]
    public Task CanonicalLoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.CanonicalLoop);

    [Fact]
    public Task FutexWakeOp()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.FutexWakeOp);

    [Fact]
    public Task GenericPerformWriteV614()
        => VerifyCS.VerifyAnalyzerAsync(Usings + RetrySeeds.GenericPerformWriteV614);

    [Fact]
    public Task ConditionalPrefaultIsNotOnEveryPath()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr to, byte[] data, bool slow)
    {
        if (slow && FaultInWriteable(to, data.Length) != 0)
            return -EFAULT;
        PagefaultDisable();
        int ret = CopyToUserNofault(to, data);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task RetryOnceAfterTheFaultIn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr to, byte[] data)
    {
        PagefaultDisable();
        int ret = CopyToUserNofault(to, data);
        PagefaultEnable();
        if (ret == -EFAULT)
        {
            if (FaultInWriteable(to, data.Length) != 0)
                return -EFAULT;
            PagefaultDisable();
            ret = CopyToUserNofault(to, data);
            PagefaultEnable();
        }
        return ret;
    }
}");

    [Fact]
    public Task AccessInACatchBlockIsUndecidable()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr to, byte[] data)
    {
        if (FaultInWriteable(to, data.Length) != 0)
            return -EFAULT;
        try
        {
            return data.Length;
        }
        catch (InvalidOperationException)
        {
            PagefaultDisable();
            int ret = CopyToUserNofault(to, data);
            PagefaultEnable();
            return ret;
        }
    }
}");

    [Fact]
    public Task FaultInOfAnotherBuffer()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr to, UserPtr other, byte[] data)
    {
        if (FaultInReadable(other, 16) != 0)
            return -EFAULT;
        PagefaultDisable();
        int ret = CopyToUserNofault(to, data);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task FaultInBeforeAFaultingAccessIsNotAPrefaultOfANofaultOne()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr to, byte[] data)
    {
        if (FaultInWriteable(to, data.Length) != 0)
            return -EFAULT;
        return CopyToUser(to, data) != 0 ? -EFAULT : 0;
    }
}");
    // fs/btrfs/ioctl.c search_ioctl() and copy_to_sk(): the items are copied with faults disabled under
    // the tree locks, and a fault makes copy_to_sk() return 0, as when the leaf is done; the caller cannot
    // tell, so it faults in the rest of the buffer before every search.
    [Fact]
    public Task PrefaultForAHelperThatHidesTheFault()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int CopyToSk(byte[][] items, ref int next, long bufSize, UserPtr ubuf, ref long skOffset)
    {
        byte[] item = items[next];
        if (skOffset + item.Length > bufSize)
            return 1;
        if (CopyToUserNofault(ubuf + skOffset, item) != 0)
            return 0;
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
            if (FaultInSubpageWriteable(ubuf + skOffset, bufSize - skOffset) != 0)
                break;
            ret = CopyToSk(items, ref next, bufSize, ubuf, ref skOffset);
            if (ret != 0)
                break;
        }
        return ret > 0 ? 0 : ret;
    }
}");
}
