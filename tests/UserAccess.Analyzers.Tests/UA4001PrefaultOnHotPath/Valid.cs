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
}
