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

    /// <summary>
    /// A struct of the caller's read unchecked, whose size the rule does not know; and a walk of a
    /// NULL-terminated user array in a loop condition (count() in fs/exec.c) whose pointer the body
    /// moves: no statement before the access sees the pointer it reads.
    /// </summary>
    [Fact]
    public Task NoFixWithoutASizeOrAPlaceBeforeTheAccess() => VerifyNoFix(
        """
        namespace Sim;

        public struct CompatTimespec
        {
            public int Sec;
            public int Nsec;
        }

        public static class Unfixable
        {
            private const int E2BIG = 7;

            public static int GetTimespec(UserPtr<CompatTimespec> uts, out CompatTimespec ts)
            {
                if ([|GetUserUnchecked(out ts, uts)|] != 0)
                    return -EFAULT;
                return 0;
            }

            public static int Count(UserPtr<ulong> argv, int max)
            {
                int i = 0;
                ulong p;
                while ([|GetUserUnchecked(out p, argv)|] == 0 && p != 0)
                {
                    if (++i > max)
                        return -E2BIG;
                    argv += 8;
                }

                return i;
            }
        }
        """,
        DeclineReason.AccessSizeUnknown,
        DeclineReason.NoPlaceForTheCheck);

    /// <summary>
    /// A whole array copied that is a field of the kernel's, not a local or parameter: another thread may
    /// replace it between the check and the copy, so no check of its length is written.
    /// </summary>
    [Fact]
    public Task NoFixForTheLengthOfAFieldArray() => VerifyNoFix(
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Ring
        {
            private static byte[] s_entry = new byte[16];

            public static int Fetch(UserPtr from)
            {
                if ([|CopyFromUserUnchecked(s_entry, from)|] != 0)
                    return -EFAULT;
                return 0;
            }

            [MightFault]
            [MustCheck]
            [ReturnsBytesNotCopied]
            [UserAccess(AccessKind.Read, "from", Size = "to")]
            private static int CopyFromUserUnchecked(Span<byte> to, [RequiresAccessOk] UserPtr from) => 0;
        }
        """,
        DeclineReason.AccessSizeUnknown);
}
