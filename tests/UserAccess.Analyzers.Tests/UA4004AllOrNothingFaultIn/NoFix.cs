using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA4004AllOrNothingFaultIn;

public class NoFix
{
    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync<UA4004AllOrNothingFaultInAnalyzer, UA4004AllOrNothingFaultInCodeFix>(FixHarness.Usings + source);

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
        """);
}
