using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA1003UnbalancedRegion;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA1003UnbalancedRegionAnalyzer, UA1003UnbalancedRegionCodeFix>(FixHarness.Usings + source, reasons);

    /// <summary>
    /// A lock the method never releases (no release of the user's to copy before its return) and a
    /// region left that was never entered (nothing to balance), and a return whose value is computed
    /// while a contract lock is dropped.
    /// </summary>
    [Fact]
    public Task NoFixWithoutAReleaseToCopyOrAnythingToBalance() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unclear
        {
            public static int NeverReleased(KernelMutex lk)
            {
                [|lk.Lock()|];
                return 0;
            }

            public static void EnableWithoutDisable()
            {
                [|PagefaultEnable()|];
            }

            // a return value computed where the lock is dropped: retaking it first would change what it computes
            [UserAccess.Runtime.Annotations.RequiresLock("ff.Lock")]
            public static long CopyLen(Ff ff, UserPtr buf, byte[] msg)
            {
                [|ff.Lock.Unlock()|];
                if (CopyToUser(buf, msg) != 0)
                    return msg.Length - 1;
                ff.Lock.Lock();
                return msg.Length;
            }
        }

        public sealed class Ff
        {
            public readonly KernelSpinlock Lock = new();
        }
        """,
        DeclineReason.NoReleaseToCopy,
        DeclineReason.NoReleaseInBlock,
        DeclineReason.ExitNotReleasable);

    /// <summary>
    /// A lock left held by an early return whose value is computed under it, with an <c>out</c>
    /// variable declared between the lock and the unlock: wrapping them in <c>try</c>/<c>finally</c>
    /// would scope the variable inside the new block, and the return's call cannot move after the unlock.
    /// </summary>
    [Fact]
    public Task NoFixWhenTheLockedStatementsCannotBeWrapped() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unclear
        {
            public static int Reserve(KernelMutex lk, Pool pool, int n)
            {
                [|lk.Lock()|];
                if (!pool.TryTake(n, out var slot))
                    return pool.Refill(n);
                lk.Unlock();
                return slot;
            }
        }

        public sealed class Pool
        {
            public bool TryTake(int n, out int slot)
            {
                slot = n;
                return true;
            }

            public int Refill(int n) => -n;
        }
        """,
        DeclineReason.CannotWrap);

    /// <summary>
    /// loop_get_status_old() before bdac616db9bb: a <c>[Releases]</c> method returns on the path that skipped
    /// the release; the release belongs in the branch that skipped it, which the return does not show.
    /// </summary>
    [Fact]
    public Task NoFixForAReturnThatSkippedTheContractsRelease() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class LoopDevice
        {
            public KernelMutex LoCtlMutex = null!;
        }

        public static class Loop
        {
            [Releases("lo.LoCtlMutex")]
            public static int GetStatusOld(LoopDevice lo, UserPtr arg, byte[] info)
            {
                int err = 0;
                if (arg == UserPtr.Null)
                    err = -EINVAL;
                if (err == 0)
                {
                    lo.LoCtlMutex.Unlock();
                    if (CopyToUser(arg, info) != 0)
                        err = -EFAULT;
                }
                [|return err;|]
            }
        }
        """,
        DeclineReason.ReleaseSkippedOnAPath);

    /// <summary>
    /// A <c>[Releases]</c> method's return that holds the lock on every path but returns a value read under
    /// it: a release copied before the return would change what it reads.
    /// </summary>
    [Fact]
    public Task NoFixForAContractReturnThatReadsUnderTheLock() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class FfsData
        {
            public KernelSpinlock EvWaitqLock = new();
            public byte[]? Ep0req;
            public int Pending;
        }

        public static class Ffs
        {
            [Releases("ffs.EvWaitqLock")]
            public static int Ep0QueueWait(FfsData ffs)
            {
                if (ffs.Ep0req == null)
                    [|return ffs.Pending;|]
                ffs.EvWaitqLock.Unlock();
                return 0;
            }
        }
        """,
        DeclineReason.ExitNotReleasable);
}
