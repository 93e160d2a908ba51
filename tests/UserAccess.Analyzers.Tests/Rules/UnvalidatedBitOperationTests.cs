using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Rules.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UnvalidatedBitOperationAnalyzer>;
using VerifyUA3001 = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UnalignedUserAtomicAnalyzer>;

namespace UserAccess.Analyzers.Tests.Rules;

/// <summary>UA3002. Span: the bit operation. Arguments: the call, what it needs.</summary>
public class UnvalidatedBitOperationTests
{
    /// <summary>kernel/trace/trace_events_user.c: user_events_reg() validates the enabler at the top (size, alignment, bit).</summary>
    internal const string UserEventsEnablerValidated = @"
class UserEvents
{
    static int EnablerUpdate(UserPtr enableAddr, int enableSize, int enableBit, bool on)
    {
        /* Ensure size is valid */
        if (enableSize != 4 && enableSize != 8)
            return -EINVAL;

        /* Ensure natural alignment */
        if (enableAddr.Address % (ulong)enableSize != 0)
            return -EINVAL;

        /* Ensure bit range for size */
        if (enableBit < 0 || enableBit > (enableSize * 8) - 1)
            return -EINVAL;

        PagefaultDisable();
        int ret = on
            ? SetBitUserInatomic(enableAddr, enableSize, enableBit)
            : ClearBitUserInatomic(enableAddr, enableSize, enableBit);
        PagefaultEnable();
        return ret;
    }
}";

    // ---- true positives ----

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

    // ---- near misses ----

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
