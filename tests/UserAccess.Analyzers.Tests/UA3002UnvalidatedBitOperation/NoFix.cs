using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA3002UnvalidatedBitOperation;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA3002UnvalidatedBitOperationAnalyzer, UA3002UnvalidatedBitOperationCodeFix>(FixHarness.Usings + source, reasons);

    [Fact]
    public Task NoFixForAConstantOutOfRangeOrOutsideAnErrnoMethod() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unfixable
        {
            public static int Wrong(UserPtr uaddr, int bit)
            {
                if ((uaddr.Address & 1) != 0)
                    return -EINVAL;
                PagefaultDisable();
                int ret = [|SetBitUserInatomic(uaddr, 2, bit)|];
                PagefaultEnable();
                return ret;
            }

            public static bool Flag(UserPtr uaddr, int size, int bit)
            {
                if ((uaddr.Address & (ulong)(size - 1)) != 0)
                    return false;
                PagefaultDisable();
                int ret = [|SetBitUserInatomic(uaddr, size, bit)|];
                PagefaultEnable();
                return ret == 0;
            }
        }
        """,
        DeclineReason.ConstantOutOfRange,
        DeclineReason.NoErrnoReturn);

    /// <summary>
    /// Bits set one after the other in a loop condition, the bit number moved by the body: no statement
    /// before the operation sees the bit number it is given, so there is no place for the range check.
    /// </summary>
    [Fact]
    public Task NoFixWhenNoStatementBeforeTheOperationSeesItsBit() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unfixable
        {
            public static int SetBits(UserPtr uaddr, int bit, int n)
            {
                if ((uaddr.Address & 7) != 0)
                    return -EINVAL;
                int ret = 0;
                PagefaultDisable();
                while (n-- > 0 && (ret = [|SetBitUserInatomic(uaddr, 8, bit)|]) == 0)
                    bit++;
                PagefaultEnable();
                return ret;
            }
        }
        """,
        DeclineReason.NoPlaceForTheCheck);
}
