using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA4004AllOrNothingFaultIn;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA4004AllOrNothingFaultInAnalyzer, UA4004AllOrNothingFaultInCodeFix>(FixHarness.Usings + source, reasons);

    /// <summary>A loop that moves on only by whole chunks: a partial fault-in is no progress there, and "== n" would spin.</summary>
    [Fact]
    public Task NoFixWhenTheLoopAdvancesOnlyByWholeChunksOrTheSizeIsAnExpression() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Chunks
        {
            public static int M(UserPtr p, byte[] kbuf, int len)
            {
                int done = 0;
                while (done < len)
                {
                    int n = Math.Min(len - done, 4096);
                    PagefaultDisable();
                    int left = CopyFromUser(kbuf.AsSpan(done, n), p);
                    PagefaultEnable();
                    if (left != 0)
                    {
                        if ([|FaultInReadable(p, n) != 0|])
                            return -EFAULT;
                        continue;
                    }

                    p += n;
                    done += n;
                }

                return 0;
            }

            public static int Expression(UserPtr p, byte[] kbuf, int len)
            {
                int done = 0;
                while (done < len)
                {
                    if ([|FaultInReadable(p + done, Math.Min(len - done, 4096)) != 0|])
                        return -EFAULT;
                    PagefaultDisable();
                    int notCopied = CopyFromUser(kbuf.AsSpan(done, Math.Min(len - done, 4096)), p + done);
                    PagefaultEnable();
                    done += Math.Min(len - done, 4096) - notCopied;
                }

                return 0;
            }
        }
        """,
        DeclineReason.ChunkedLoop,
        DeclineReason.SizeNotReusable);

    /// <summary>The result stored by a statement that is not the one just before the test: what stands between could change the size or the result.</summary>
    [Fact]
    public Task NoFixWhenTheStoreIsNotJustBeforeTheTest() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Partial
        {
            public static int Apart(UserPtr p, byte[] kbuf, int len)
            {
                int done = 0;
                while (done < len)
                {
                    int n = Math.Min(len - done, 4096);
                    int left = FaultInReadable(p + done, n);
                    int copyLen = n;
                    if ([|left != 0|])
                        return -EFAULT;
                    PagefaultDisable();
                    int notCopied = CopyFromUser(kbuf.AsSpan(done, copyLen), p + done);
                    PagefaultEnable();
                    done += copyLen - notCopied;
                }

                return 0;
            }
        }
        """,
        DeclineReason.StatementBetween);
}
