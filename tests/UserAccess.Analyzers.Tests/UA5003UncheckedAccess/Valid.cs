using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA5003UncheckedAccessAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA5003UncheckedAccess;

/// <summary>UA5003. Span: the invocation. Arguments: the call, the pointer, the size to check.</summary>
public class Valid
{
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

    // epoll_put_uevent() (include/linux/eventpoll.h, v5.11): the caller checked the events array; the
    // fields of one packed struct epoll_event are stored through typed views of the pointer.
    [Fact]
    public Task FieldsOfARequiresAccessOkParameterThroughCasts()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Epoll
{
    public static UserPtr PutUevent(uint revents, ulong data, [RequiresAccessOk] UserPtr uevent)
    {
        if (PutUserUnchecked(revents, uevent.Cast<uint>()) != 0 ||
            PutUserUnchecked(data, (uevent + 4).Cast<ulong>()) != 0)
            return default;

        return uevent + 12;
    }
}");

    // access_ok() on the whole 16-byte struct, then its fields at their offsets through typed views.
    [Fact]
    public Task FieldsOfAStructCheckedWhole()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Signal
{
    static int PutInfo(UserPtr info, int signo, int code, ulong addr)
    {
        if (!AccessOk(info, 16))
            return -EFAULT;
        if (PutUserUnchecked(signo, info.Cast<int>()) != 0 ||
            PutUserUnchecked(code, (info + 4).Cast<int>()) != 0 ||
            PutUserUnchecked(addr, (info + 8).Cast<ulong>()) != 0)
            return -EFAULT;
        return 0;
    }
}");
}
