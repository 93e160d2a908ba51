using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2001NonKillableWait;

public class NoFix
{
    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync<UA2001NonKillableWaitAnalyzer, UA2001NonKillableWaitCodeFix>(FixHarness.Usings + source);

    [Fact]
    public Task NoFixWhereWhatIsHeldIsUnclearOrTheFunctionReturnsLong() => VerifyNoFix(
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

            public static long Length([RemoteMm] Mm mm, UserPtr uaddr)
            {
                if (uaddr.Address == 0)
                    return -EINVAL;
                [|MmapReadLock(mm)|];
                MmapReadUnlock(mm);
                return 0;
            }
        }
        """);
}
