using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA4005NoForwardProgress;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA4005NoForwardProgressAnalyzer, UA4005NoForwardProgressCodeFix>(FixHarness.Usings + source, reasons);

    /// <summary>A read fault-in has no sub-page variant: faulting in from where the copy stopped is the author's rewrite.</summary>
    [Fact]
    public Task NoFixForAReadFaultIn() => VerifyNoFix(
        """
        namespace Sim;

        public static class Reader
        {
            public static int Read(byte[] kbuf, UserPtr ubuf)
            {
                int ret;
                while (true)
                {
                    ret = CopyFromUserNofault(kbuf, ubuf);
                    if (ret != -EFAULT)
                        break;
                    if ([|FaultInReadable(ubuf, kbuf.Length)|] != 0)
                        return -EFAULT;
                }
                return ret;
            }
        }
        """,
        DeclineReason.NoSubPageVariant);
}
