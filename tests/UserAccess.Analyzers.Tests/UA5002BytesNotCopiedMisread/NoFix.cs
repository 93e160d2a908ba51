using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA5002BytesNotCopiedMisread;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA5002BytesNotCopiedMisreadAnalyzer, UA5002BytesNotCopiedMisreadCodeFix>(FixHarness.Usings + source, reasons);

    [Fact]
    public Task NoFixWhereTheIntentIsUnclear() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Unclear
        {
            public static int Partial(UserPtr arg, byte[] buf, int n)
            {
                if ([|CopyFromUser(buf, arg) < n|])
                    return 1;
                if ([|CopyFromUser(buf, arg) >= n|])
                    return n;
                if (CopyFromUser(buf, arg) != n)
                    return 2;
                return 0;
            }

            [ReturnsBytesNotCopied]
            public static int Forward(UserPtr to, byte[] buf)
            {
                if ([|CopyToUser(to, buf) >= buf.Length|])
                    return buf.Length;
                return 0;
            }
        }
        """,
        DeclineReason.IntentUnclear,
        DeclineReason.BranchNotAnErrorPath,
        DeclineReason.BranchNotAnErrorPath);

    [Fact]
    public Task NoFixForALocalThatHoldsAnErrnoOnAnotherPath() => VerifyNoFix(
        """
        namespace Sim;

        public static class Mixed
        {
            public static int Get(UserPtr arg, byte[] buf, bool ready)
            {
                int ret = -EAGAIN;
                if (ready)
                    ret = CopyFromUser(buf, arg);
                if ([|ret < 0|])
                    return [|ret|];
                return 0;
            }
        }
        """,
        DeclineReason.NotOnlyACount,
        DeclineReason.NotOnlyACount);
}
