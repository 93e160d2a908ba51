using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2001NonKillableWait;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA2001NonKillableWaitAnalyzer, UA2001NonKillableWaitCodeFix>(FixHarness.Usings + source, reasons);

    [Fact]
    public Task NoFixForAnEmbeddedWaitOrWhereALockIsHeldOnSomePaths() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Unclear
        {
            public static int Branchy([RemoteMm] Mm mm, [LongHeld] KernelMutex lk, bool locked, UserPtr uaddr)
            {
                if (locked)
                    [|lk.Lock()|];
                [|MmapReadLock(mm)|];
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                if (locked)
                    lk.Unlock();
                return ret;
            }
        }
        """,
        DeclineReason.NotAStatementOfABlock,
        DeclineReason.HeldUnknown);
}
