using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2004GuardedFieldWithoutLock;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA2004GuardedFieldWithoutLockAnalyzer, UA2004GuardedFieldWithoutLockCodeFix>(FixHarness.Usings + source, reasons);

    /// <summary>
    /// Held for read where a write is needed (an rwsem cannot be upgraded: taking it for write
    /// deadlocks), held on one path, in a nofault region, in a loop condition, after a call in the
    /// same condition, and a change inside a condition.
    /// </summary>
    [Fact]
    public Task DeclinedShapes() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unclear
        {
            public static void ReadHeld(UserfaultfdCtx ctx)
            {
                ctx.MapChangingLock.DownRead();
                [|ctx.MmapChanging|]++;
                ctx.MapChangingLock.UpRead();
            }

            public static int SometimesHeld(UserfaultfdCtx ctx, bool locked)
            {
                if (locked)
                    ctx.MapChangingLock.DownRead();
                int changing = [|ctx.MmapChanging|];
                if (locked)
                    ctx.MapChangingLock.UpRead();
                return changing;
            }

            public static int InNofault(UserfaultfdCtx ctx)
            {
                PagefaultDisable();
                int changing = [|ctx.MmapChanging|];
                PagefaultEnable();
                return changing;
            }

            public static void Spin(UserfaultfdCtx ctx)
            {
                while ([|ctx.MmapChanging|] != 0)
                    CondResched();
            }

            public static bool AfterACall(UserfaultfdCtx ctx)
            {
                if (FatalSignalPending() || [|ctx.MmapChanging|] != 0)
                    return true;
                return false;
            }

            public static bool ChangedInACondition(UserfaultfdCtx ctx)
            {
                if (++[|ctx.MmapChanging|] > 1)
                    return true;
                return false;
            }
        }
        """,
        DeclineReason.AlreadyHeld,
        DeclineReason.AlreadyHeld,
        DeclineReason.InRegion,
        DeclineReason.NotBracketable,
        DeclineReason.EvaluatedBefore,
        DeclineReason.NotBracketable);

    /// <summary>Another object's lock is held around the access and is needed there too: it cannot simply become the guarding one.</summary>
    [Fact]
    public Task TheOtherObjectsLockIsNeededThereToo() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Tty
        {
            public readonly KernelSpinlock CtrlLock = new();

            [GuardedBy(nameof(CtrlLock))]
            public int Pgrp;
        }

        public static class JobControl
        {
            public static int SetBoth(Tty tty, Tty realTty, int pgrp)
            {
                tty.CtrlLock.Lock();
                tty.Pgrp = 0;
                [|realTty.Pgrp|] = pgrp;
                tty.CtrlLock.Unlock();
                return 0;
            }
        }
        """,
        DeclineReason.WrongLockNeeded);

    /// <summary>
    /// mfill_atomic_copy() before its fix: the check of mmap_changing decides an early exit and the
    /// fill follows it. The kernel's fix holds map_changing_lock from the check to the end of the fill;
    /// taking it around the read alone would keep the race, so the fix declines. tiocgsid()'s session
    /// check before pid_vnr() is the same shape.
    /// </summary>
    [Fact]
    public Task ACheckThatDecidesAnExitBeforeAnActIsDeclined() => VerifyNoFix(
        """
        namespace Sim;

        public static class Fill
        {
            public static long MfillAtomicCopy(UserfaultfdCtx ctx, UserPtr dst, byte[] src)
            {
                long err = -EAGAIN;
                if ([|ctx.MmapChanging|] != 0)
                    goto out_unlock;

                err = ctx.MfillAtomicPteCopy(dst, src);
            out_unlock:
                return err;
            }

            public static int Session(UserfaultfdCtx ctx, UserPtr<int> p)
            {
                if ([|ctx.MmapChanging|] != 0)
                    return -EAGAIN;
                return PutUser(1, p);
            }
        }
        """,
        DeclineReason.CheckThenAct,
        DeclineReason.CheckThenAct);
}
