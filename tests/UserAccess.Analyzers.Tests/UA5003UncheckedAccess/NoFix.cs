using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA5003UncheckedAccess;

public class NoFix
{
    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync<UA5003UncheckedAccessAnalyzer, UA5003UncheckedAccessCodeFix>(FixHarness.Usings + source);

    [Fact]
    public Task NoFixOutsideAnErrnoMethodForAnOffsetPointerOrBeforeAnOutIsSet() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unfixable
        {
            public static uint Peek(UserPtr<uint> uaddr)
            {
                if ([|GetUserUnchecked(out uint v, uaddr)|] != 0)
                    return 0;
                return v;
            }

            public static int Second(UserPtr<uint> uaddr, out uint v)
            {
                return [|GetUserUnchecked(out v, uaddr + 4)|];
            }

            public static int OutSetOnlyByTheAccess(UserPtr<uint> uaddr, out uint v)
            {
                PagefaultDisable();
                int ret = [|GetUserUnchecked(out v, uaddr)|];
                PagefaultEnable();
                return ret;
            }
        }
        """);
}
