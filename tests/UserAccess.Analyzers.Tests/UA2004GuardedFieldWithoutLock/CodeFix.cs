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

    /// <summary>In a function that returns errnos the wait is killable (a plain one would be UA2001).</summary>
    [Fact]
    public Task InAnErrnoFunctionTheLockIsTakenKillably() => Verify(
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
                if (ctx.MapChangingLock.DownReadKillable() != 0)
                    return -EINTR;
                int changing = ctx.MmapChanging;
                ctx.MapChangingLock.UpRead();
                if (changing != 0)
                    return -EAGAIN;
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
