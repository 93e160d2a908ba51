using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA3001UnalignedUserAtomic;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA3001UnalignedUserAtomicAnalyzer, UA3001UnalignedUserAtomicCodeFix>(FixHarness.Usings + source, reasons);

    [Fact]
    public Task NoFixWithoutAnErrnoReturnOrForAPointerThatIsNotALocal() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unfixable
        {
            public static void NoErrno(UserPtr<uint> uaddr)
            {
                PagefaultDisable();
                [|CmpxchgUserInatomic(uaddr, 0u, 1u, out uint actual)|];
                PagefaultEnable();
            }

            public static long Count(UserPtr<ulong> uaddr)
            {
                PagefaultDisable();
                int ret = [|XchgUserInatomic(uaddr, 1ul, out ulong old)|];
                PagefaultEnable();
                return ret == 0 ? (long)old : 0;
            }

            public static int Offset(UserPtr<ulong> uaddr)
            {
                PagefaultDisable();
                int ret = [|XchgUserInatomic(uaddr + 8, 1ul, out ulong old)|];
                PagefaultEnable();
                return ret;
            }
        }
        """,
        DeclineReason.NoErrnoReturn,
        DeclineReason.ReturnsLong,
        DeclineReason.PointerNotAVariable);
}
