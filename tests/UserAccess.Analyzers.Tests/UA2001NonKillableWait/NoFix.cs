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

    /// <summary>
    /// A driver's own long-held lock whose killable variant does not take the same arguments (its
    /// annotation names a method the fix cannot call in the wait's place), and one whose variant's
    /// parameter is named differently from the wait's, so the call's named argument does not bind to it.
    /// </summary>
    [Fact]
    public Task NoFixWhenTheKillableVariantCannotReplaceTheWait() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class DevLock
        {
            [MightSleep]
            [Acquires("this")]
            [HasKillableVariant(nameof(LockKillable))]
            public void Lock() { }

            [MightSleep]
            [MustCheck]
            [ReturnsErrno]
            [Acquires("this", When = AcquiredWhen.ReturnsZero)]
            public int LockKillable(int subclass) => 0;

            [Releases("this")]
            public void Unlock() { }
        }

        public sealed class NestedLock
        {
            [MightSleep]
            [Acquires("this")]
            [HasKillableVariant(nameof(LockNestedKillable))]
            public void LockNested(int subclass) { }

            [MightSleep]
            [MustCheck]
            [ReturnsErrno]
            [Acquires("this", When = AcquiredWhen.ReturnsZero)]
            public int LockNestedKillable(int depth) => 0;

            [Releases("this")]
            public void Unlock() { }
        }

        public static class Dev
        {
            public static int Reset([LongHeld] DevLock lk, UserPtr<int> uaddr)
            {
                [|lk.Lock()|];
                int ret = PutUser(0, uaddr);
                lk.Unlock();
                return ret;
            }

            public static int ResetNested([LongHeld] NestedLock lk, UserPtr<int> uaddr)
            {
                [|lk.LockNested(subclass: 1)|];
                int ret = PutUser(0, uaddr);
                lk.Unlock();
                return ret;
            }
        }
        """,
        DeclineReason.NoKillableVariant,
        DeclineReason.DoesNotBind);
}
