using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using static UserAccess.Analyzers.Tests.UA3002UnvalidatedBitOperation.RuleCode;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA3002UnvalidatedBitOperationAnalyzer>;
using VerifyUA3001 = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA3001UnalignedUserAtomicAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA3002UnvalidatedBitOperation;

/// <summary>UA3002. Span: the bit operation. Arguments: the call, what it needs.</summary>
public class Diagnostics
{
    [Fact]
    public Task UserEventsEnablerWithoutTheBitCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class UserEvents
{
    static int EnablerSet(UserPtr enableAddr, int enableSize, int enableBit)
    {
        if (enableSize != 4 && enableSize != 8)
            return -EINVAL;
        if (enableAddr.Address % (ulong)enableSize != 0)
            return -EINVAL;
        PagefaultDisable();
        int ret = {|#0:SetBitUserInatomic(enableAddr, enableSize, enableBit)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(0).WithArguments("SetBitUserInatomic", "'enableBit' in 0..enableSize * 8 - 1"));

    [Fact]
    public Task NothingValidated()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uaddr, int size, int bit)
    {
        PagefaultDisable();
        int ret = {|#0:ClearBitUserInatomic(uaddr, size, bit)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ClearBitUserInatomic", "'size' to be 4 or 8 and 'bit' in 0..size * 8 - 1"));

    [Fact]
    public Task SizeBoundedButNotFourOrEight()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uaddr, int size, int bit)
    {
        if (size > 8 || size <= 0)
            return -EINVAL;
        if ((uint)bit >= size * 8)
            return -EINVAL;
        PagefaultDisable();
        int ret = {|#0:SetBitUserInatomic(uaddr, size, bit)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("SetBitUserInatomic", "'size' to be 4 or 8"));

    [Fact]
    public Task ConstantBitTooLargeForAFourByteWord()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uaddr, int size)
    {
        if (size != 4 && size != 8)
            return -EINVAL;
        PagefaultDisable();
        int ret = {|#0:SetBitUserInatomic(uaddr, size, 40)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("SetBitUserInatomic", "'40' in 0..size * 8 - 1"));

    [Fact]
    public Task UpperBoundOnlyLeavesNegativeBits()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uaddr, int bit)
    {
        if (bit >= 4 * 8)
            return -EINVAL;
        PagefaultDisable();
        int ret = {|#0:SetBitUserInatomic(uaddr, 4, bit)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("SetBitUserInatomic", "'bit' in 0..31"));

    [Fact]
    public Task ValidatedOnOnePathOnly()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uaddr, int size, int bit, bool trusted)
    {
        if (!trusted)
        {
            if (size != 4 && size != 8)
                return -EINVAL;
            if (bit < 0 || bit >= size * 8)
                return -EINVAL;
        }
        PagefaultDisable();
        int ret = {|#0:SetBitUserInatomic(uaddr, size, bit)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("SetBitUserInatomic", "'size' to be 4 or 8 and 'bit' in 0..size * 8 - 1"));

    [Fact]
    public Task SizePatternThatAllowsTwo()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr uaddr, int size)
    {
        if (size is not (2 or 4 or 8))
            return -EINVAL;
        PagefaultDisable();
        int ret = {|#0:SetBitUserInatomic(uaddr, size, 0)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("SetBitUserInatomic", "'size' to be 4 or 8"));
}
