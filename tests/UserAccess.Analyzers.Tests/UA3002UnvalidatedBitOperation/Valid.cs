using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using static UserAccess.Analyzers.Tests.UA3002UnvalidatedBitOperation.RuleCode;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA3002UnvalidatedBitOperationAnalyzer>;
using VerifyUA3001 = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA3001UnalignedUserAtomicAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA3002UnvalidatedBitOperation;

/// <summary>UA3002. Span: the bit operation. Arguments: the call, what it needs.</summary>
public class Valid
{
    [Fact]
    public Task UserEventsEnablerValidatedAtTheTop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + UserEventsEnablerValidated);

    [Fact]
    public Task UserEventsEnablerValidatedAtTheTop_AlignedToo()
        => VerifyUA3001.VerifyAnalyzerAsync(Usings + UserEventsEnablerValidated);

    [Fact]
    public Task BitCheckedBeforeTheSize()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uaddr, int size, int bit)
    {
        if (bit < 0 || bit > size * 8 - 1)
            return -EINVAL;
        if (size != 8 && size != 4)
            return -EINVAL;
        PagefaultDisable();
        int ret = SetBitUserInatomic(uaddr, size, bit);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task UnsignedCompareCoversBothBounds()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uaddr, int size, int bit)
    {
        if (size == 4 || size == 8)
        {
            if ((uint)bit >= size * 8)
                return -EINVAL;
            PagefaultDisable();
            int ret = SetBitUserInatomic(uaddr, size, bit);
            PagefaultEnable();
            return ret;
        }
        return -EINVAL;
    }
}");

    [Fact]
    public Task SizePatternAndUnsignedBitCompare()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uaddr, int size, int bit)
    {
        if (size is not (4 or 8))
            return -EINVAL;
        if ((uint)bit > size * 8 - 1)
            return -EINVAL;
        PagefaultDisable();
        int ret = SetBitUserInatomic(uaddr, size, bit);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task SizePatternInAGuardingIf()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uaddr, int size, int bit)
    {
        if (size is 4 or 8 && (uint)bit < size * 8)
        {
            PagefaultDisable();
            int ret = SetBitUserInatomic(uaddr, size, bit);
            PagefaultEnable();
            return ret;
        }
        return -EINVAL;
    }
}");

    [Fact]
    public Task ConstantsInRange()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uaddr)
    {
        PagefaultDisable();
        int a = SetBitUserInatomic(uaddr, 8, 63);
        int b = ClearBitUserInatomic(uaddr, sizeof(uint), 0);
        PagefaultEnable();
        return a | b;
    }
}");

    [Fact]
    public Task UnsignedBitNeedsNoLowerBound()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uaddr, int size, byte bit)
    {
        if (size != 4 && size != 8)
            return -EINVAL;
        if (bit > (size << 3) - 1)
            return -EINVAL;
        PagefaultDisable();
        int ret = SetBitUserInatomic(uaddr, size, bit);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task ConstantBoundWithinTheSmallestWord()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uaddr, int size, int bit)
    {
        if (size != 4 && size != 8)
            return -EINVAL;
        if (bit < 0 || bit > 31)
            return -EINVAL;
        PagefaultDisable();
        int ret = SetBitUserInatomic(uaddr, size, bit);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task OperandsInAnotherObjectAreUndecidable()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Reg { public int Size; public int Bit; }
class C
{
    static int M(UserPtr uaddr, Reg reg)
    {
        PagefaultDisable();
        int ret = SetBitUserInatomic(uaddr, reg.Size, reg.Bit);
        PagefaultEnable();
        return ret;
    }
}");
}
