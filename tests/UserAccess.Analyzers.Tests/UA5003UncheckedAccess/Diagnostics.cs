using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA5003UncheckedAccessAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA5003UncheckedAccess;

/// <summary>UA5003. Span: the invocation. Arguments: the call, the pointer, the size to check.</summary>
public class Diagnostics
{
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

    // A field past the end of what access_ok() covered is unchecked, through a typed view too.
    [Fact]
    public Task FieldPastTheCheckedStructThroughACast()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Signal
{
    static int PutInfo(UserPtr info, int signo, ulong addr)
    {
        if (!AccessOk(info, 8))
            return -EFAULT;
        if (PutUserUnchecked(signo, info.Cast<int>()) != 0 ||
            {|#0:PutUserUnchecked(addr, (info + 8).Cast<ulong>())|} != 0)
            return -EFAULT;
        return 0;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("PutUserUnchecked", "(info + 8).Cast<ulong>()", "8 bytes"));
}
