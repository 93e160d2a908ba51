using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2002FaultUnderFaultPathLock;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(FixHarness.Usings + source, reasons);

    [Fact]
    public Task NoFixForCopiesOrWithOtherStatementsUnderTheLock() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Unclear
        {
            public static int Copy(Mm mm, UserPtr from, byte[] buf)
            {
                MmapReadLock(mm);
                int left = [|CopyFromUser(buf, from)|];
                MmapReadUnlock(mm);
                return left != 0 ? -EFAULT : 0;
            }

            public static int NoErrorPathYet([RemoteMm] Mm mm, UserPtr<uint> uaddr, uint[] result)
            {
                // the loop's -EINTR would be the first error return and make MmapReadLock a UA2001
                MmapReadLock(mm);
                int ret = [|GetUser(out result[0], uaddr)|];
                MmapReadUnlock(mm);
                return ret == 0 ? 1 : 0;
            }

            public static int More(Mm mm, UserPtr<uint> uaddr, out uint val, int[] counters)
            {
                MmapReadLock(mm);
                counters[0]++;
                int ret = [|GetUser(out val, uaddr)|];
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """,
        DeclineReason.CopyReturnsBytes,
        DeclineReason.FirstErrorReturn,
        DeclineReason.StatementBetween);
}
