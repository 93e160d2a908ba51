using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA3001UnalignedUserAtomic;

public class NoFix
{
    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync<UA3001UnalignedUserAtomicAnalyzer, UA3001UnalignedUserAtomicCodeFix>(FixHarness.Usings + source);

    [Fact]
    public Task NoFixWithoutAnErrnoReturnForAPointerThatIsNotALocalOrBeforeAnOutIsSet() => VerifyNoFix(
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

            public static int OutSetOnlyByTheOp(UserPtr<ulong> uaddr, out ulong old)
            {
                PagefaultDisable();
                int ret = [|XchgUserInatomic(uaddr, 1ul, out old)|];
                PagefaultEnable();
                return ret;
            }
        }
        """);
}
