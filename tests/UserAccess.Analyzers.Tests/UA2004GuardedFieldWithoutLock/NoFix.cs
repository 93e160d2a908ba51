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
    /// A check that decides an early return before a user write that needs nothing the lock guards:
    /// where the act ends is not in the code (no later access of the guarded member, no label the exit
    /// leaves to), so taking the lock around the read alone would keep the race, and the fix declines.
    /// </summary>
    [Fact]
    public Task ACheckWhoseActHasNoEndInTheCodeIsDeclined() => VerifyNoFix(
        """
        namespace Sim;

        public static class Fill
        {
            public static int Session(UserfaultfdCtx ctx, UserPtr<int> p)
            {
                if ([|ctx.MmapChanging|] != 0)
                    return -EAGAIN;
                return PutUser(1, p);
            }
        }
        """,
        DeclineReason.CheckThenAct);

    /// <summary>
    /// Under a spinlock, a user access between the check and the end of the act that needs the guarded
    /// value the check read (put_user() of the session's number, then the pgrp update) can neither move
    /// before the lock nor after the unlock; one that writes a variable the held code also writes cannot
    /// move before it either.
    /// </summary>
    [Fact]
    public Task AUserAccessThatNeedsTheGuardedValueUnderASpinlockIsDeclined() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Tty
        {
            public readonly KernelSpinlock CtrlLock = new();

            [GuardedBy(nameof(CtrlLock))]
            public int Pgrp;

            [GuardedBy(nameof(CtrlLock))]
            public int Session;
        }

        public static class JobControl
        {
            public static int ReportThenSet(Tty realTty, UserPtr<int> p, int pgrp)
            {
                int sid;
                if ((sid = [|realTty.Session|]) == 0)
                    return -EPERM;
                if (PutUser(sid, p) != 0)
                    return -EFAULT;
                realTty.CtrlLock.Lock();
                realTty.Pgrp = pgrp;
                realTty.CtrlLock.Unlock();
                return 0;
            }

            public static int ReadAfterCheck(Tty realTty, UserPtr<int> p, int pgrp)
            {
                int nr = 0;
                if ([|realTty.Session|] == 0)
                    return -EPERM;
                nr = pgrp + 1;
                if (GetUser(out nr, p) != 0)
                    return -EFAULT;
                realTty.CtrlLock.Lock();
                realTty.Pgrp = nr;
                realTty.CtrlLock.Unlock();
                return 0;
            }
        }
        """,
        DeclineReason.SleepsUnderSpinlock,
        DeclineReason.SleepsUnderSpinlock);

    /// <summary>
    /// The act takes the same lock later in another mode (for write after a check that reads): moving
    /// that acquisition up would change what the check holds, and nesting a second one deadlocks.
    /// </summary>
    [Fact]
    public Task AnActThatTakesTheLockInAnotherModeIsDeclined() => VerifyNoFix(
        """
        namespace Sim;

        public static class Events
        {
            public static int Raise(UserfaultfdCtx ctx)
            {
                if ([|ctx.MmapChanging|] > 8)
                    return -EBUSY;
                ctx.MapChangingLock.DownWrite();
                ctx.MmapChanging++;
                ctx.MapChangingLock.UpWrite();
                return 0;
            }
        }
        """,
        DeclineReason.AlreadyHeld);
}
