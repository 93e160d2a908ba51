using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA1003UnbalancedRegion;

public class NoFix
{
    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync<UA1003UnbalancedRegionAnalyzer, UA1003UnbalancedRegionCodeFix>(FixHarness.Usings + source);

    [Fact]
    public Task NoFixWithoutAReleaseInTheBlockOrWithAReleaseOnTheEarlyPath() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unclear
        {
            public static int NeverReleased(KernelMutex lk)
            {
                [|lk.Lock()|];
                return 0;
            }

            public static int ReleasedOnOnePathOnly(KernelMutex lk, bool early)
            {
                [|lk.Lock()|];
                if (early)
                {
                    lk.Unlock();
                    return 1;
                }

                if (early)
                    return 2;
                lk.Unlock();
                return 0;
            }

            public static int OutVarUsedAfter(KernelMutex lk, UserPtr<uint> uaddr)
            {
                [|lk.Lock()|];
                if (uaddr.Address == 0)
                    return -EINVAL;
                int ret = GetUser(out var val, uaddr);
                lk.Unlock();
                return ret != 0 ? ret : (int)val;
            }

            public static void EnableWithoutDisable()
            {
                [|PagefaultEnable()|];
            }
        }
        """);
}
