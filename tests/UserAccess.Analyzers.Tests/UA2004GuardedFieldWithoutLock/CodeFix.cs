using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2004GuardedFieldWithoutLock;

public class CodeFix
{
    private static Task Verify(string source, string expected, int? fixesPerDocument = null) =>
        FixHarness.VerifyAsync<UA2004GuardedFieldWithoutLockAnalyzer, UA2004GuardedFieldWithoutLockCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected, fixesPerDocument);

    /// <summary>The job-control part of struct tty_struct: pgrp and session under ctrl_lock, a spinlock.</summary>
    private const string TtyStruct = """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Pid(int nr)
        {
            public int Nr = nr;
        }

        public sealed class Tty
        {
            public readonly KernelSpinlock CtrlLock = new();

            [GuardedBy(nameof(CtrlLock))]
            public Pid? Pgrp;

            [GuardedBy(nameof(CtrlLock))]
            public Pid? Session;
        }

        """;

    /// <summary>The pre-patch increment of dup_userfaultfd(): the write mode around it.</summary>
    [Fact]
    public Task AChangeIsBracketedByTheWriteLock() => Verify(
        """
        namespace Sim;

        public static class Events
        {
            public static void Raise(UserfaultfdCtx ctx)
            {
                // the event starts
                System.Threading.Interlocked.Increment(ref [|ctx.MmapChanging|]);
            }
        }
        """,
        """
        namespace Sim;

        public static class Events
        {
            public static void Raise(UserfaultfdCtx ctx)
            {
                // the event starts
                ctx.MapChangingLock.DownWrite();
                System.Threading.Interlocked.Increment(ref ctx.MmapChanging);
                ctx.MapChangingLock.UpWrite();
            }
        }
        """);

    /// <summary>A read deciding an <c>if</c> is taken into a local under the read lock.</summary>
    [Fact]
    public Task AReadInAConditionIsTakenUnderTheReadLock() => Verify(
        """
        namespace Sim;

        public static class Ops
        {
            public static bool Busy(UserfaultfdCtx ctx)
            {
                if ([|ctx.MmapChanging|] != 0)
                    return true;
                return false;
            }
        }
        """,
        """
        namespace Sim;

        public static class Ops
        {
            public static bool Busy(UserfaultfdCtx ctx)
            {
                ctx.MapChangingLock.DownRead();
                var mmapChanging = ctx.MmapChanging;
                ctx.MapChangingLock.UpRead();
                if (mmapChanging != 0)
                    return true;
                return false;
            }
        }
        """);

    /// <summary>
    /// userfaultfd's map_changing_lock is a plain rwsem, which the kernel takes with down_read() in
    /// functions that return errnos (a plain wait there is not UA2001): the fix takes it plainly.
    /// </summary>
    [Fact]
    public Task InAnErrnoFunctionAPlainRwsemIsTakenPlainly() => Verify(
        """
        namespace Sim;

        public static class Ops
        {
            public static int Check(UserfaultfdCtx ctx)
            {
                int changing = [|ctx.MmapChanging|];
                if (changing != 0)
                    return -EAGAIN;
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Ops
        {
            public static int Check(UserfaultfdCtx ctx)
            {
                ctx.MapChangingLock.DownRead();
                int changing = ctx.MmapChanging;
                ctx.MapChangingLock.UpRead();
                if (changing != 0)
                    return -EAGAIN;
                return 0;
            }
        }
        """);

    /// <summary>A lock that may be held long ([LongHeld]) is taken killably where a plain wait would be UA2001.</summary>
    [Fact]
    public Task InAnErrnoFunctionALongHeldLockIsTakenKillably() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Dev
        {
            [LongHeld]
            public readonly RwSemaphore Sem = new();

            [GuardedBy(nameof(Sem))]
            public int Gen;

            public int Check()
            {
                if ([|Gen|] != 0)
                    return -EBUSY;
                return 0;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Dev
        {
            [LongHeld]
            public readonly RwSemaphore Sem = new();

            [GuardedBy(nameof(Sem))]
            public int Gen;

            public int Check()
            {
                if (Sem.DownReadKillable() != 0)
                    return -EINTR;
                var gen = Gen;
                Sem.UpRead();
                if (gen != 0)
                    return -EBUSY;
                return 0;
            }
        }
        """);

    /// <summary>
    /// tiocspgrp() before 54ffccbf053b (CVE-2020-29661): real_tty->pgrp replaced under tty->ctrl_lock,
    /// another tty's lock. The fix locks real_tty->ctrl_lock instead, as the kernel's did.
    /// </summary>
    [Fact]
    public Task TheLockOfAnotherObjectIsRetargetedToTheGuardingOne() => Verify(
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
            public static int SetPgrp(Tty tty, Tty realTty, int pgrp)
            {
                tty.CtrlLock.Lock();
                [|realTty.Pgrp|] = pgrp;
                tty.CtrlLock.Unlock();
                return 0;
            }
        }
        """,
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
            public static int SetPgrp(Tty tty, Tty realTty, int pgrp)
            {
                realTty.CtrlLock.Lock();
                realTty.Pgrp = pgrp;
                realTty.CtrlLock.Unlock();
                return 0;
            }
        }
        """);

    /// <summary>A mutex has no read mode: a read takes it, a spinlock likewise; Fix All over both.</summary>
    [Fact]
    public Task OwnFieldsUnderAMutexAndASpinlock() => Verify(
        """
        namespace Sim;

        public sealed class Device
        {
            private readonly KernelMutex lk = new();
            private readonly KernelSpinlock stat = new();

            [UserAccess.Runtime.Annotations.GuardedBy(nameof(lk))]
            private int opens;

            [UserAccess.Runtime.Annotations.GuardedBy(nameof(stat))]
            private long hits;

            public void Open()
            {
                [|opens|]++;
                [|hits|] += 1;
            }

            public bool IsOpen()
            {
                return [|opens|] > 0;
            }
        }
        """,
        """
        namespace Sim;

        public sealed class Device
        {
            private readonly KernelMutex lk = new();
            private readonly KernelSpinlock stat = new();

            [UserAccess.Runtime.Annotations.GuardedBy(nameof(lk))]
            private int opens;

            [UserAccess.Runtime.Annotations.GuardedBy(nameof(stat))]
            private long hits;

            public void Open()
            {
                lk.Lock();
                opens++;
                lk.Unlock();
                stat.Lock();
                hits += 1;
                stat.Unlock();
            }

            public bool IsOpen()
            {
                lk.Lock();
                var opens2 = opens;
                lk.Unlock();
                return opens2 > 0;
            }
        }
        """);

    /// <summary>
    /// mfill_atomic() before "userfaultfd: protect mmap_changing with rw_sem in userfaultfd_ctx": the
    /// mmap_changing check leaves to out_unlock and the fill runs before it. The read lock is held from
    /// the check to that label and dropped there, as the kernel's fix holds map_changing_lock.
    /// </summary>
    [Fact]
    public Task ACheckThatLeavesToALabelHoldsTheLockUntilTheLabel() => Verify(
        """
        namespace Sim;

        public static class Fill
        {
            public static long MfillAtomicCopy(UserfaultfdCtx ctx, UserPtr dst, byte[] src)
            {
                long err = -EAGAIN;
                // a non-cooperative event is running: ask the monitor to retry
                if ([|ctx.MmapChanging|] != 0)
                    goto out_unlock;

                err = ctx.MfillAtomicPteCopy(dst, src);
            out_unlock:
                return err;
            }
        }
        """,
        """
        namespace Sim;

        public static class Fill
        {
            public static long MfillAtomicCopy(UserfaultfdCtx ctx, UserPtr dst, byte[] src)
            {
                long err = -EAGAIN;
                // a non-cooperative event is running: ask the monitor to retry
                ctx.MapChangingLock.DownRead();
                if (ctx.MmapChanging != 0)
                    goto out_unlock;

                err = ctx.MfillAtomicPteCopy(dst, src);
            out_unlock:
                ctx.MapChangingLock.UpRead();
                return err;
            }
        }
        """);

    /// <summary>
    /// tiocgsid() before c8bcd9c5be24 (CVE-2020-29660): the session is tested and translated without
    /// ctrl_lock. As in v5.10, the lock is taken before the test, the test's return drops it, the session
    /// is translated into a local under it, and put_user() runs after the unlock (a spinlock).
    /// </summary>
    [Fact]
    public Task ASessionTestHoldsTheSpinlockAndTheUserWriteRunsAfterTheUnlock() => Verify(
        TtyStruct + """
        public static class JobControl
        {
            private const int ENOTTY = 25;

            public static int Tiocgsid(Tty tty, Tty realTty, UserPtr<int> p, Tty? currentTty)
            {
                if (tty == realTty && currentTty != realTty)
                    return -ENOTTY;
                if ([|realTty.Session|] == null)
                    return -ENOTTY;
                return PutUser(PidVnr([|realTty.Session|]), p);
            }

            private static int PidVnr(Pid? pid) => pid?.Nr ?? 0;
        }
        """,
        TtyStruct + """
        public static class JobControl
        {
            private const int ENOTTY = 25;

            public static int Tiocgsid(Tty tty, Tty realTty, UserPtr<int> p, Tty? currentTty)
            {
                if (tty == realTty && currentTty != realTty)
                    return -ENOTTY;
                realTty.CtrlLock.Lock();
                if (realTty.Session == null)
                {
                    realTty.CtrlLock.Unlock();
                    return -ENOTTY;
                }
                var pidVnr = PidVnr(realTty.Session);
                realTty.CtrlLock.Unlock();
                return PutUser(pidVnr, p);
            }

            private static int PidVnr(Pid? pid) => pid?.Nr ?? 0;
        }
        """,
        fixesPerDocument: 1);

    /// <summary>
    /// tiocspgrp() before 54ffccbf053b (CVE-2020-29661): the session is tested unlocked, and the pgrp is
    /// replaced under the other tty's ctrl_lock. As in v5.10: get_user() and its range check move before
    /// the lock (a spinlock), real_tty's lock is taken before the session test and dropped at out_unlock,
    /// the test's return sets retval and jumps there, and the other tty's lock is gone.
    /// </summary>
    [Fact]
    public Task ASessionTestHoldsTheSpinlockToThePgrpUpdateAndTheUserReadMovesBeforeIt() => Verify(
        TtyStruct + """
        public static class JobControl
        {
            private const int ENOTTY = 25;

            public static int Tiocspgrp(Tty tty, Tty realTty, UserPtr<int> p, Tty? currentTty, Pid currentSession)
            {
                Pid? pgrp;
                int pgrpNr;
                int retval = 0;

                if (currentTty == null ||
                    currentTty != realTty ||
                    [|realTty.Session|] != currentSession)
                    return -ENOTTY;
                if (GetUser(out pgrpNr, p) != 0)
                    return -EFAULT;
                if (pgrpNr < 0)
                    return -EINVAL;
                pgrp = pgrpNr == 0 ? null : new Pid(pgrpNr);
                retval = -ESRCH;
                if (pgrp == null)
                    goto out_unlock;
                retval = 0;
                tty.CtrlLock.Lock();
                [|realTty.Pgrp|] = pgrp;
                tty.CtrlLock.Unlock();
            out_unlock:
                return retval;
            }
        }
        """,
        TtyStruct + """
        public static class JobControl
        {
            private const int ENOTTY = 25;

            public static int Tiocspgrp(Tty tty, Tty realTty, UserPtr<int> p, Tty? currentTty, Pid currentSession)
            {
                Pid? pgrp;
                int pgrpNr;
                int retval = 0;
                if (GetUser(out pgrpNr, p) != 0)
                    return -EFAULT;
                if (pgrpNr < 0)
                    return -EINVAL;

                realTty.CtrlLock.Lock();
                if (currentTty == null ||
                    currentTty != realTty ||
                    realTty.Session != currentSession)
                {
                    retval = -ENOTTY;
                    goto out_unlock;
                }
                pgrp = pgrpNr == 0 ? null : new Pid(pgrpNr);
                retval = -ESRCH;
                if (pgrp == null)
                    goto out_unlock;
                retval = 0;
                realTty.Pgrp = pgrp;
            out_unlock:
                realTty.CtrlLock.Unlock();
                return retval;
            }
        }
        """,
        fixesPerDocument: 1);

    /// <summary>
    /// A lock-free check before the act's own read hold: the act's acquisition moves up to the check
    /// rather than a second one nesting, and the check's return drops it.
    /// </summary>
    [Fact]
    public Task TheActsOwnLockMovesUpToTheCheck() => Verify(
        """
        namespace Sim;

        public static class Fill
        {
            public static long Copy(UserfaultfdCtx ctx, UserPtr dst, byte[] src)
            {
                long err;
                if ([|ctx.MmapChanging|] != 0)
                    return -EAGAIN;
                ctx.MapChangingLock.DownRead();
                err = ctx.MfillAtomicPteCopy(dst, src);
                ctx.MapChangingLock.UpRead();
                return err;
            }
        }
        """,
        """
        namespace Sim;

        public static class Fill
        {
            public static long Copy(UserfaultfdCtx ctx, UserPtr dst, byte[] src)
            {
                long err;
                ctx.MapChangingLock.DownRead();
                if (ctx.MmapChanging != 0)
                {
                    ctx.MapChangingLock.UpRead();
                    return -EAGAIN;
                }
                err = ctx.MfillAtomicPteCopy(dst, src);
                ctx.MapChangingLock.UpRead();
                return err;
            }
        }
        """);
}
