using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Rules.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UncheckedAccessAnalyzer>;

namespace UserAccess.Analyzers.Tests.Rules;

/// <summary>UA5003. Span: the invocation. Arguments: the call, the pointer, the size to check.</summary>
public class UncheckedAccessTests
{
    // ---- true positives ----

    [Fact]
    public Task NoCheckAtAll()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, out uint v)
    {
        return {|#0:GetUserUnchecked(out v, p)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "p", "4 bytes"));

    [Fact]
    public Task CheckedAnotherPointer()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, UserPtr<uint> q)
    {
        if (!AccessOk(p, 4))
            return -EFAULT;
        return {|#0:PutUserUnchecked(1u, q)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "q", "4 bytes"));

    [Fact]
    public Task CheckTooSmall()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<ulong> p, out ulong v)
    {
        if (!AccessOk(p, 4)) { v = 0; return -EFAULT; }
        return {|#0:GetUserUnchecked(out v, p)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "p", "8 bytes"));

    [Fact]
    public Task CheckResultIgnored()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, out uint v)
    {
        AccessOk(p, 4);
        return {|#0:GetUserUnchecked(out v, p)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "p", "4 bytes"));

    [Fact]
    public Task CheckedOnOneBranchOnly()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, bool trusted, out uint v)
    {
        if (!trusted && !AccessOk(p, 4)) { v = 0; return -EFAULT; }
        return {|#0:GetUserUnchecked(out v, p)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "p", "4 bytes"));

    [Fact]
    public Task PointerChangedAfterTheCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, UserPtr<uint> other, out uint v)
    {
        if (!AccessOk(p, 4)) { v = 0; return -EFAULT; }
        p = other;
        return {|#0:GetUserUnchecked(out v, p)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "p", "4 bytes"));

    [Fact]
    public Task OffsetBeyondTheCheckedRange()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, out uint a, out uint b)
    {
        if (!AccessOk(p, 8)) { a = b = 0; return -EFAULT; }
        int ret = GetUserUnchecked(out a, p + 4);
        return ret | {|#0:GetUserUnchecked(out b, p + 8)|};
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "p + 8", "4 bytes"));

    [Fact]
    public Task UserHelperRequiringTheCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int ReadWord([RequiresAccessOk] UserPtr<uint> p, out uint v) => GetUserUnchecked(out v, p);

    static int Run(UserPtr<uint> p, out uint v) => {|#0:ReadWord(p, out v)|};
}",
            VerifyCS.Diagnostic().At(0).WithArguments("ReadWord", "p", "4 bytes"));

    // __get_user skips access_ok(): a syscall reading a user word with it lets the user point it at
    // kernel memory.
    [Fact]
    public Task SyscallReadsFlagsUnchecked_Buggy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Syscalls
{
    static int SetRobustFlags(UserPtr<uint> uflags, out uint flags)
    {
        int ret = {|#0:GetUserUnchecked(out flags, uflags)|};
        if (ret != 0)
            return -EFAULT;
        return (flags & ~1u) != 0 ? -EINVAL : 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("GetUserUnchecked", "uflags", "4 bytes"));

    [Fact]
    public Task SyscallReadsFlagsUnchecked_Fixed()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Syscalls
{
    static int SetRobustFlags(UserPtr<uint> uflags, out uint flags)
    {
        flags = 0;
        if (!AccessOk(uflags, sizeof(uint)))
            return -EFAULT;
        int ret = GetUserUnchecked(out flags, uflags);
        if (ret != 0)
            return -EFAULT;
        return (flags & ~1u) != 0 ? -EINVAL : 0;
    }
}");

    // ---- near misses ----

    [Fact]
    public Task EarlyReturnOnFailedCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, out uint v)
    {
        v = 0;
        if (!AccessOk(p, 4))
            return -EFAULT;
        return GetUserUnchecked(out v, p);
    }
}");

    [Fact]
    public Task GuardingIf()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p)
    {
        if (AccessOk(p, 8))
        {
            int ret = PutUserUnchecked(1u, p);
            return ret | PutUserUnchecked(2u, p + 4);
        }
        return -EFAULT;
    }
}");

    [Fact]
    public Task CheckStoredInALocal()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, out uint v)
    {
        v = 0;
        bool ok = AccessOk(p, 4);
        if (!ok)
            return -EFAULT;
        return GetUserUnchecked(out v, p);
    }
}");

    [Fact]
    public Task VariableSizeCheckCovers()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, ulong len, out uint v)
    {
        v = 0;
        if (len < 4 || !AccessOk(p, len))
            return -EFAULT;
        return GetUserUnchecked(out v, p);
    }
}");

    [Fact]
    public Task CheckedOnceAccessedInALoop()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, int n)
    {
        if (!AccessOk(p, (ulong)(4 * n)))
            return -EFAULT;
        int ret = 0;
        for (int i = 0; i < n && ret == 0; i++)
            ret = PutUserUnchecked((uint)i, p);
        return ret;
    }
}");

    [Fact]
    public Task HelperParameterIsCheckedByItsCallers()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int ReadWord([RequiresAccessOk] UserPtr<uint> p, out uint v) => GetUserUnchecked(out v, p);

    static int Run(UserPtr<uint> p, out uint v)
    {
        v = 0;
        if (!AccessOk(p, 4))
            return -EFAULT;
        return ReadWord(p, out v);
    }
}");

    [Fact]
    public Task CheckedAccessesNeedNoCheck()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p, out uint v) => GetUser(out v, p);
}");

    [Fact]
    public Task CheckedField()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Robust
{
    private UserPtr<uint> head;

    int Read(out uint v)
    {
        v = 0;
        if (AccessOk(head, 4) == false)
            return -EFAULT;
        return GetUserUnchecked(out v, head);
    }
}");

    [Fact]
    public Task CheckedTypedPointerAccessedThroughAnotherLocalCopy()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Run(UserPtr<uint> p)
    {
        if (!AccessOk(p, 4))
            return -EFAULT;
        UserPtr<uint> q = p;
        return PutUserUnchecked(7u, q);
    }
}");
}
