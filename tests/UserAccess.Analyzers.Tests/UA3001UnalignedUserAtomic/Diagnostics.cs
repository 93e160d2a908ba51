using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using static UserAccess.Analyzers.Tests.UA3001UnalignedUserAtomic.RuleCode;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA3001UnalignedUserAtomicAnalyzer>;
using VerifyUA1002 = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA1002FaultHandlingInNofaultAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA3001UnalignedUserAtomic;

/// <summary>UA3001. Span: the atomic op. Arguments: the call, the pointer, the alignment needed.</summary>
public class Diagnostics
{
    [Fact]
    public Task UmcgXchgUser64AsPosted_UA3001()
        => VerifyCS.VerifyAnalyzerAsync(
            Usings + UmcgXchgUser64AsPosted,
            VerifyCS.Diagnostic().At(0).WithArguments("XchgUserInatomic", "uaddr", "8 bytes"));

    [Fact]
    public Task UmcgXchgUser64AsPosted_UA1002()
        => VerifyUA1002.VerifyAnalyzerAsync(
            Usings + UmcgXchgUser64AsPosted,
            VerifyUA1002.Diagnostic().At(1).WithArguments("FixPagefault", " (it calls 'MmapReadLock')", "PagefaultDisable"));

    [Fact]
    public Task PropertiesAndLocationsForTheFix()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<uint> uaddr, uint newval)
    {
        PagefaultDisable();
        int ret = {|#0:XchgUserInatomic(uaddr, newval, out uint old)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(0).WithArguments("XchgUserInatomic", "uaddr", "4 bytes"));

    [Fact]
    public Task CheckWithTheWrongSizeIsNoProof()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<ulong> uaddr, ulong newval)
    {
        if ((uaddr.Address & (sizeof(uint) - 1)) != 0)
            return -EINVAL;
        PagefaultDisable();
        int ret = {|#0:XchgUserInatomic(uaddr, newval, out ulong old)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("XchgUserInatomic", "uaddr", "8 bytes"));

    [Fact]
    public Task CheckOnOnePathOnlyIsNoProof()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<uint> uaddr, bool strict)
    {
        if (strict && !uaddr.IsAligned(4))
            return -EINVAL;
        PagefaultDisable();
        int ret = {|#0:CmpxchgUserInatomic(uaddr, 0u, 1u, out uint actual)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("CmpxchgUserInatomic", "uaddr", "4 bytes"));

    [Fact]
    public Task CallerOfRequiresAlignmentHelperMustCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Futex
{
    static int AtomicOp([RequiresAlignment] UserPtr<uint> uaddr, int oparg)
    {
        PagefaultDisable();
        int ret = ArchFutexAtomicOpInuser(FutexOp.Add, oparg, out int old, uaddr);
        PagefaultEnable();
        return ret;
    }

    static int WakeOp(UserPtr<uint> uaddr2, int oparg)
    {
        return {|#0:AtomicOp(uaddr2, oparg)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("AtomicOp", "uaddr2", "4 bytes"));

    [Fact]
    public Task BitOpWithVariableSizeAndNoCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Enabler
{
    static int Set(UserPtr uaddr, int size, int bit)
    {
        PagefaultDisable();
        int ret = {|#0:SetBitUserInatomic(uaddr, size, bit)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("SetBitUserInatomic", "uaddr", "'size' bytes"));

    [Fact]
    public Task OffsetThatBreaksTheAlignment()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<ulong> head)
    {
        if ((head.Address & 7) != 0)
            return -EINVAL;
        PagefaultDisable();
        int ret = {|#0:XchgUserInatomic(head + 4, 0UL, out ulong old)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("XchgUserInatomic", "head + 4", "8 bytes"));

    [Fact]
    public Task ReassignedPointerLosesTheProof()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<uint> uaddr, ulong other)
    {
        if (!uaddr.IsAligned(4))
            return -EINVAL;
        uaddr = new UserPtr<uint>(other);
        PagefaultDisable();
        int ret = {|#0:FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FutexAtomicCmpxchgInatomic", "uaddr", "4 bytes"));

    [Fact]
    public Task MisalignedConstantAddress()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M()
    {
        PagefaultDisable();
        int ret = {|#0:XchgUserInatomic(new UserPtr<ulong>(0x1004), 1UL, out ulong old)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("XchgUserInatomic", "new UserPtr<ulong>(0x1004)", "8 bytes"));

    // get_futex_key() near miss: the private-futex path returns success before the alignment check.
    [Fact]
    public Task CalleeSkipsTheAlignmentCheckOnASuccessPath()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Futex
{
    static int GetFutexKey(UserPtr<uint> uaddr, bool shared)
    {
        if (!shared)
            return 0;
        if ((uaddr.Address % sizeof(uint)) != 0)
            return -EINVAL;
        return 0;
    }

    static int UnlockPi(UserPtr<uint> uaddr, bool shared)
    {
        if (GetFutexKey(uaddr, shared) != 0)
            return -EINVAL;

        PagefaultDisable();
        int ret = {|#0:XchgUserInatomic(uaddr, 0u, out uint old)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("XchgUserInatomic", "uaddr", "4 bytes"));

    // A callee that proves a smaller alignment than the op needs.
    [Fact]
    public Task CalleeProvesASmallerAlignment()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int CheckAligned(UserPtr<ulong> uaddr)
    {
        if ((uaddr.Address & 3) != 0)
            return -EINVAL;
        return 0;
    }

    static int Swap(UserPtr<ulong> uaddr)
    {
        if (CheckAligned(uaddr) != 0)
            return -EINVAL;

        PagefaultDisable();
        int ret = {|#0:XchgUserInatomic(uaddr, 0UL, out ulong old)|};
        PagefaultEnable();
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("XchgUserInatomic", "uaddr", "8 bytes"));
}
