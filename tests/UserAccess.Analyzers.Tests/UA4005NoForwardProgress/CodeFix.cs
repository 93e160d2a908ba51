using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA4005NoForwardProgress;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA4005NoForwardProgressAnalyzer, UA4005NoForwardProgressCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    /// <summary>search_ioctl(): the fix of commit 18788e34642e, fault_in_writeable() to fault_in_subpage_writeable().</summary>
    [Fact]
    public Task TheWriteFaultInBecomesTheSubPageVariant() => Verify(
        """
        namespace Sim;

        public static class Search
        {
            public static int Run(UserPtr ubuf, long bufSize)
            {
                long skOffset = 0;
                int ret;
                while (true)
                {
                    ret = -EFAULT;
                    if ([|FaultInWriteable(ubuf + skOffset, bufSize - skOffset)|] != 0)
                        break;
                    ret = CopyToUserNofault(ubuf + skOffset, new byte[8]);
                    if (ret == 0)
                        skOffset += 8;
                    if (skOffset >= bufSize)
                        break;
                }
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Search
        {
            public static int Run(UserPtr ubuf, long bufSize)
            {
                long skOffset = 0;
                int ret;
                while (true)
                {
                    ret = -EFAULT;
                    if (FaultInSubpageWriteable(ubuf + skOffset, bufSize - skOffset) != 0)
                        break;
                    ret = CopyToUserNofault(ubuf + skOffset, new byte[8]);
                    if (ret == 0)
                        skOffset += 8;
                    if (skOffset >= bufSize)
                        break;
                }
                return ret;
            }
        }
        """);
}
