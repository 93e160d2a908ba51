using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2003RequiredLockNotHeld;

public class NoFix
{
    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync<UA2003RequiredLockNotHeldAnalyzer, UA2003RequiredLockNotHeldCodeFix>(FixHarness.Usings + source);

    [Fact]
    public Task NoFixInARegionWhereHeldIsUnclearOrForAReturnedCall() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unclear
        {
            public static int InNofault(Mm mm, UserPtr uaddr)
            {
                PagefaultDisable();
                int ret = [|FixupUserFault(mm, uaddr, FaultFlags.Write)|];
                PagefaultEnable();
                return ret;
            }

            public static int SometimesLocked(Mm mm, UserPtr uaddr, bool locked)
            {
                if (locked)
                    MmapReadLock(mm);
                int ret = [|FixupUserFault(mm, uaddr, FaultFlags.Write)|];
                if (locked)
                    MmapReadUnlock(mm);
                return ret;
            }

            public static int Returned(Mm mm, UserPtr uaddr)
            {
                return [|FixupUserFault(mm, uaddr, FaultFlags.Write)|];
            }
        }
        """);
}
