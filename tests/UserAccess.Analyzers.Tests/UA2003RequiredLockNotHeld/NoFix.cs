using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2003RequiredLockNotHeld;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA2003RequiredLockNotHeldAnalyzer, UA2003RequiredLockNotHeldCodeFix>(FixHarness.Usings + source, reasons);

    [Fact]
    public Task NoFixInARegionWhereHeldIsUnclearForAReturnedCallOrAFaultUnderTheLock() => VerifyNoFix(
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

            // the VMA's bounds written to user memory under the lock would fault under it (UA2002)
            public static int Report(Mm mm, ulong addr, UserPtr<ulong> start)
            {
                var vma = [|FindVma(mm, addr)|];
                if (vma == null)
                    return -EFAULT;
                int ret = PutUser(vma.Start, start);
                return ret;
            }

            [UserAccess.Runtime.Annotations.RequiresLock("mm.MmapLock", Shared = true)]
            private static Vma? FindVma(Mm mm, ulong addr) => null;
        }

        public sealed class Vma
        {
            public ulong Start;
        }
        """,
        DeclineReason.InRegion,
        DeclineReason.AlreadyHeld,
        DeclineReason.NotBracketable,
        DeclineReason.FaultUnderTheLock);
}
