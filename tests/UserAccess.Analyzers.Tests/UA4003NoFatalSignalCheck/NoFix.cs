using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA4003NoFatalSignalCheck;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA4003NoFatalSignalCheckAnalyzer, UA4003NoFatalSignalCheckCodeFix>(FixHarness.Usings + source, reasons);

    /// <summary>
    /// No errno to leave with, and a round that goes back to the top from the middle of the body
    /// (<c>continue</c>): a stop at the end of the body would not run on those rounds.
    /// </summary>
    [Fact]
    public Task CountLoopThatContinuesGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Counter
        {
            public static long Copied(UserPtr p, byte[] kbuf, int len)
            {
                long done = 0;
                [|while|] (done < len)
                {
                    int n = (int)Math.Min(len - done, 4096);
                    if (CopyFromUser(kbuf.AsSpan(0, n), p + done) != 0)
                    {
                        done += 0;
                        continue;
                    }

                    done += n;
                }

                return done;
            }
        }
        """,
        DeclineReason.RoundSkipsTheEnd);

    /// <summary>
    /// The loop's stop would return -EINTR before the <c>out</c> parameter is assigned: the caller's
    /// count of what was written has no value to give on that path.
    /// </summary>
    [Fact]
    public Task EarlyReturnBeforeTheOutParameterIsAssignedGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Writer
        {
            public static int Write(UserPtr p, byte[] kbuf, int len, out long written)
            {
                long done = 0;
                [|while|] (done < len)
                {
                    int n = (int)Math.Min(len - done, 4096);
                    if (CopyFromUser(kbuf.AsSpan(0, n), p + done) != 0)
                    {
                        written = done;
                        return -EFAULT;
                    }

                    done += n;
                }

                written = done;
                return 0;
            }
        }
        """,
        DeclineReason.OutNotAssigned);
}
