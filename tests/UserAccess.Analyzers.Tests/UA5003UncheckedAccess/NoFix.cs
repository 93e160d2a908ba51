using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA5003UncheckedAccess;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA5003UncheckedAccessAnalyzer, UA5003UncheckedAccessCodeFix>(FixHarness.Usings + source, reasons);

    [Fact]
    public Task NoFixOutsideAnErrnoMethodOrForAnOffsetThatIsNotConstant() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unfixable
        {
            public static uint Peek(UserPtr<uint> uaddr)
            {
                if ([|GetUserUnchecked(out uint v, uaddr)|] != 0)
                    return 0;
                return v;
            }

            // fs/readdir.c, a name copied byte by byte: the range is the loop's
            public static int CopyName(UserPtr dst, byte[] name)
            {
                for (int i = 0; i < name.Length; i++)
                {
                    if ([|PutUserUnchecked(name[i], (dst + i).Cast<byte>())|] != 0)
                        return -EFAULT;
                }

                return 0;
            }
        }
        """,
        DeclineReason.NoErrnoReturn,
        DeclineReason.OffsetNotConstant);
}
