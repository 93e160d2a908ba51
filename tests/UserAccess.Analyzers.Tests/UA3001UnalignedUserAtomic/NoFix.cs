using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA3001UnalignedUserAtomic;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA3001UnalignedUserAtomicAnalyzer, UA3001UnalignedUserAtomicCodeFix>(FixHarness.Usings + source, reasons);

    [Fact]
    public Task NoFixWithoutAnErrnoReturnOrForAPointerThatIsNotALocal() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unfixable
        {
            public static void NoErrno(UserPtr<uint> uaddr)
            {
                PagefaultDisable();
                [|CmpxchgUserInatomic(uaddr, 0u, 1u, out uint actual)|];
                PagefaultEnable();
            }

            public static long Count(UserPtr<ulong> uaddr)
            {
                PagefaultDisable();
                int ret = [|XchgUserInatomic(uaddr, 1ul, out ulong old)|];
                PagefaultEnable();
                return ret == 0 ? (long)old : 0;
            }

            public static int Offset(UserPtr<ulong> uaddr)
            {
                PagefaultDisable();
                int ret = [|XchgUserInatomic(uaddr + 8, 1ul, out ulong old)|];
                PagefaultEnable();
                return ret;
            }
        }
        """,
        DeclineReason.NoErrnoReturn,
        DeclineReason.ReturnsLong,
        DeclineReason.PointerNotAVariable);

    /// <summary>
    /// A bit operation whose size is a field (no name the check can repeat), and a claim loop over an
    /// array of futex words whose cmpxchg sits in the loop condition while the body moves the pointer:
    /// no statement before the operation sees the pointer it is given.
    /// </summary>
    [Fact]
    public Task NoFixWithoutASizeOrAPlaceBeforeTheOperation() => VerifyNoFix(
        """
        namespace Sim;

        public sealed class Word
        {
            public int Size = 8;
        }

        public static class Unfixable
        {
            public static int SetFlag(UserPtr uaddr, Word w, int bit)
            {
                if (bit < 0 || bit >= 32)
                    return -EINVAL;
                PagefaultDisable();
                int ret = [|SetBitUserInatomic(uaddr, w.Size, bit)|];
                PagefaultEnable();
                return ret;
            }

            public static int Claim(UserPtr<uint> uaddr, int n)
            {
                uint cur;
                PagefaultDisable();
                while ([|FutexAtomicCmpxchgInatomic(out cur, uaddr, 0, 1)|] == 0 && cur != 0)
                {
                    if (--n == 0)
                    {
                        PagefaultEnable();
                        return -EAGAIN;
                    }

                    uaddr += 4;
                }

                PagefaultEnable();
                return 0;
            }
        }
        """,
        DeclineReason.AccessSizeUnknown,
        DeclineReason.NoPlaceForTheCheck);
}
