using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2004GuardedFieldWithoutLock;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA2004GuardedFieldWithoutLockAnalyzer, UA2004GuardedFieldWithoutLockCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

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
}
