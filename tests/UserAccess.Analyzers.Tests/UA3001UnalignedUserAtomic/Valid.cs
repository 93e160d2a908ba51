using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using static UserAccess.Analyzers.Tests.UA3001UnalignedUserAtomic.RuleCode;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA3001UnalignedUserAtomicAnalyzer>;
using VerifyUA1002 = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA1002FaultHandlingInNofaultAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA3001UnalignedUserAtomic;

/// <summary>UA3001. Span: the atomic op. Arguments: the call, the pointer, the alignment needed.</summary>
public class Valid
{
    [Fact]
    public Task AlignedConstantAddress()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M()
    {
        PagefaultDisable();
        int ret = XchgUserInatomic(new UserPtr<ulong>(0x1008), 1UL, out ulong old);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task MaskCheckWithEarlyReturn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<ulong> uaddr, ulong newval)
    {
        if ((uaddr.Address & (sizeof(ulong) - 1)) != 0)
            return -EINVAL;
        PagefaultDisable();
        int ret = XchgUserInatomic(uaddr, newval, out ulong old);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task ModuloCheckOnALocalHoldingTheAddress()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Futex
{
    static int GetKeyAndOp(UserPtr<uint> uaddr)
    {
        ulong address = uaddr.Address;
        if ((address % sizeof(uint)) != 0)
            return -EINVAL;
        PagefaultDisable();
        int ret = FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task NegatedIsAlignedWithEarlyReturn()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<uint> uaddr)
    {
        if (!uaddr.IsAligned(4))
            return -EINVAL;
        PagefaultDisable();
        int ret = CmpxchgUserInatomic(uaddr, 0u, 1u, out uint actual);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task GuardingIfWithEqualsZero()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<ulong> uaddr)
    {
        int ret = -EINVAL;
        if ((uaddr.Address & 7) == 0)
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, 1UL, out ulong old);
            PagefaultEnable();
        }

        return ret;
    }
}");

    [Fact]
    public Task SameSizeVariableAsTheOp()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Enabler
{
    static int Set(UserPtr uaddr, int size, int bit)
    {
        if ((uaddr.Address & (ulong)(size - 1)) != 0)
            return -EINVAL;
        PagefaultDisable();
        int ret = SetBitUserInatomic(uaddr, size, bit);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task FutexWakeOpCheckedInTheCallerWithRequiresAlignmentOnTheHelper()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Futex
{
    static int GetFutexKey(UserPtr<uint> uaddr)
    {
        ulong address = uaddr.Address;
        if ((address % sizeof(uint)) != 0)
            return -EINVAL;
        return 0;
    }

    static int FutexAtomicOpInuser([RequiresAlignment] UserPtr<uint> uaddr, int oparg, out int oldval)
    {
        PagefaultDisable();
        int ret = ArchFutexAtomicOpInuser(FutexOp.Add, oparg, out oldval, uaddr);
        PagefaultEnable();
        return ret;
    }

    static int WakeOp(UserPtr<uint> uaddr1, UserPtr<uint> uaddr2, int oparg)
    {
        if ((uaddr2.Address % sizeof(uint)) != 0)
            return -EINVAL;
        if (GetFutexKey(uaddr1) != 0)
            return -EINVAL;
        while (true)
        {
            int op = FutexAtomicOpInuser(uaddr2, oparg, out int oldval);
            if (op != -EFAULT)
                return op;
            int ret = FaultInUserWriteable(uaddr2);
            if (ret != 0)
                return ret;
        }
    }
}");

    [Fact]
    public Task CastAndUntaggedKeepTheProof()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr p)
    {
        if (!p.IsAligned(8))
            return -EINVAL;
        var q = p.Cast<ulong>();
        PagefaultDisable();
        int a = XchgUserInatomic(q.Untagged, 1UL, out ulong old);
        int b = CmpxchgUserInatomic(p.Cast<uint>() + 4, 0u, 1u, out uint actual);
        PagefaultEnable();
        return a | b;
    }
}");

    [Fact]
    public Task CanonicalLoopWithTheCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    static int M(UserPtr<uint> uaddr, uint newval)
    {
        if ((uaddr.Address & 3) != 0)
            return -EINVAL;
        int ret;
        while (true)
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, newval, out uint oldval);
            PagefaultEnable();
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
    public Task UndecidableProofByAnotherVariableStaysSilent()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class C
{
    // 'align' may be 8: the rule cannot tell, and errs toward silence.
    static int M(UserPtr<ulong> uaddr, ulong align)
    {
        if ((uaddr.Address & (align - 1)) != 0)
            return -EINVAL;
        PagefaultDisable();
        int ret = XchgUserInatomic(uaddr, 1UL, out ulong old);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task PointerInAnotherObjectIsUndecidable()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Reg { public UserPtr<ulong> Addr; }
class C
{
    static int M(Reg reg)
    {
        if (!reg.Addr.IsAligned(8))
            return -EINVAL;
        PagefaultDisable();
        int ret = XchgUserInatomic(reg.Addr, 1UL, out ulong old);
        PagefaultEnable();
        return ret;
    }
}");

    [Fact]
    public Task ConstantSizeBitOpWithConstantCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Enabler
{
    static int Set(UserPtr uaddr)
    {
        if (uaddr.Address % 4 != 0)
            return -EINVAL;
        PagefaultDisable();
        int ret = ClearBitUserInatomic(uaddr, 4, 3);
        PagefaultEnable();
        return ret;
    }
}");

    // kernel/futex/pi.c, futex_unlock_pi(): get_futex_key() returned -EINVAL for a misaligned address,
    // so where it returned 0 the cmpxchg's word is aligned.
    [Fact]
    public Task AlignmentEstablishedByCalleeOnSuccess()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Futex
{
    static int GetFutexKey(UserPtr<uint> uaddr, int flags)
    {
        if ((uaddr.Address % sizeof(uint)) != 0)
            return -EINVAL;
        if (!AccessOk(uaddr, sizeof(uint)))
            return -EFAULT;
        return 0;
    }

    static int UnlockPi(UserPtr<uint> uaddr, int flags)
    {
        int ret = GetFutexKey(uaddr, flags);
        if (ret != 0)
            return ret;

        PagefaultDisable();
        ret = XchgUserInatomic(uaddr, 0u, out uint old);
        PagefaultEnable();
        return ret;
    }
}");

    // The same with a helper that only checks the alignment (no annotated call in it).
    [Fact]
    public Task AlignmentOnlyHelper()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Futex
{
    static int CheckAligned(UserPtr<uint> uaddr)
    {
        if (!uaddr.IsAligned(4))
            return -EINVAL;
        return 0;
    }

    static int Swap(UserPtr<uint> uaddr)
    {
        if (CheckAligned(uaddr) != 0)
            return -EINVAL;

        PagefaultDisable();
        int ret = XchgUserInatomic(uaddr, 0u, out uint old);
        PagefaultEnable();
        return ret;
    }
}");
}
