using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA5001IgnoredResult;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA5001IgnoredResultAnalyzer, UA5001IgnoredResultCodeFix>(FixHarness.Usings + source, reasons);

    [Fact]
    public Task NoFixWhereTheFunctionCannotReturnAnErrno() => VerifyNoFix(
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class NoErrno
        {
            public static void Touch(UserPtr<uint> p)
            {
                [|PutUser(1u, p)|];
            }

            [ReturnsBytesNotCopied]
            public static int CopyHelper(UserPtr p, byte[] buf)
            {
                [|FaultInReadable(p, buf.Length)|];
                return CopyFromUser(buf, p);
            }
        }
        """,
        DeclineReason.NoErrnoReturn,
        DeclineReason.NoErrnoReturn);

    [Fact]
    public Task NoFixForResultsThatAreNotAnErrnoOrAByteCount() => VerifyNoFix(
        """
        namespace Sim;

        public static class Counts
        {
            public static int Pin(UserPtr p, PinnedPage[] pages, byte[] name)
            {
                [|PinUserPagesUnlocked(p, 1, pages, GupFlags.Write)|];
                [|StrncpyFromUser(name, p)|];
                return 0;
            }
        }
        """,
        DeclineReason.ResultNotAnErrorCode,
        DeclineReason.ResultNotAnErrorCode);

    [Fact]
    public Task NoFixWhereWhatIsHeldIsNotKnownOrTheCallIsNotAStatementOfABlock() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Unclear
        {
            public static int Branchy(UserPtr<uint> p, KernelMutex lk, bool locked)
            {
                if (locked)
                    lk.Lock();
                [|PutUser(1u, p)|];
                if (locked)
                    lk.Unlock();
                return 0;
            }

            public static int WaitsNonKillably(UserPtr<uint> p, [RemoteMm] Mm mm)
            {
                // no error return yet: a first one would make MmapReadLock (another task's mm) a UA2001
                MmapReadLock(mm);
                [|PutUser(1u, p)|];
                MmapReadUnlock(mm);
                return 0;
            }

            public static int InTry(UserPtr<uint> p, KernelMutex lk)
            {
                lk.Lock();
                try
                {
                    [|PutUser(1u, p)|];
                }
                finally
                {
                    lk.Unlock();
                }

                return 0;
            }
        }
        """,
        DeclineReason.HeldUnknown,
        DeclineReason.WaitWouldBecomeFailable,
        DeclineReason.HeldUnknown);

    /// <summary>A declaration nothing reads: checking the call would remove a local later code may name.</summary>
    [Fact]
    public Task ResultDeclaredAndNeverReadGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class Driver
        {
            public static int Report(UserPtr to, byte[] info)
            {
                int left = [|CopyToUser(to, info)|];
                return 0;
            }
        }
        """,
        DeclineReason.ResultDeclaredUnread);

    /// <summary>
    /// A pin count ignored right before an error accumulator: a count or-ed into the error would make every
    /// success a failure, so only a helper of the user's joins the accumulator.
    /// </summary>
    [Fact]
    public Task NoFixForACountIgnoredBeforeAnErrorAccumulator() => VerifyNoFix(
        """
        namespace Sim;

        public static class Counts
        {
            public static int Pin(UserPtr p, PinnedPage[] pages, UserPtr<uint> flag)
            {
                int err = 0;
                [|PinUserPagesUnlocked(p, 1, pages, GupFlags.Write)|];
                err |= PutUser(1u, flag);
                return err;
            }
        }
        """,
        DeclineReason.ResultNotAnErrorCode);
}
