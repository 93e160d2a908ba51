using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA5003UncheckedAccess;

public class CodeFix
{
    private static Task Verify(string source, string expected, int? fixesPerDocument = null) =>
        FixHarness.VerifyAsync<UA5003UncheckedAccessAnalyzer, UA5003UncheckedAccessCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected, fixesPerDocument);

    [Fact]
    public Task AccessOkGoesAboveTheNofaultRegion() => Verify(
        """
        namespace Sim;

        public static class Futex
        {
            public static int Get(UserPtr<uint> uaddr, out uint val)
            {
                val = 0;

                // read the word with faults disabled
                PagefaultDisable();
                int ret = [|GetUserUnchecked(out val, uaddr)|];
                PagefaultEnable();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Futex
        {
            public static int Get(UserPtr<uint> uaddr, out uint val)
            {
                val = 0;

                if (!AccessOk(uaddr, sizeof(uint)))
                    return -EFAULT;

                // read the word with faults disabled
                PagefaultDisable();
                int ret = GetUserUnchecked(out val, uaddr);
                PagefaultEnable();
                return ret;
            }
        }
        """);

    [Fact]
    public Task BracelessStyleAndAPointerSetInTheLoop() => Verify(
        """
        namespace Sim;

        public static class Table
        {
            public static int Clear(UserPtr<ulong> table, int n)
            {
                if (n < 0)
                    return -EINVAL;
                for (int i = 0; i < n; i++)
                {
                    UserPtr<ulong> slot = table + i * 8;
                    int ret = [|PutUserUnchecked(0ul, slot)|];
                    if (ret != 0)
                        return ret;
                }

                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Table
        {
            public static int Clear(UserPtr<ulong> table, int n)
            {
                if (n < 0)
                    return -EINVAL;
                for (int i = 0; i < n; i++)
                {
                    UserPtr<ulong> slot = table + i * 8;
                    if (!AccessOk(slot, sizeof(ulong)))
                        return -EFAULT;
                    int ret = PutUserUnchecked(0ul, slot);
                    if (ret != 0)
                        return ret;
                }

                return 0;
            }
        }
        """);

    /// <summary>
    /// GuardInsertion's fallback, arch/arc's cmpxchg shape: the pointer is computed after
    /// PreemptDisable(), so the range check goes at the access and re-enables preemption on its
    /// way out, as the function's own error return does.
    /// </summary>
    [Fact]
    public Task PointerComputedUnderPreemptDisabledGetsTheCheckThatReenablesPreemption() => Verify(
        """
        namespace Sim;

        public static class Arc
        {
            public static int UsrPeek(UserPtr<int> ubase, int index, int expected)
            {
                int uval;

                PreemptDisable();
                UserPtr<int> uaddr = ubase + index * 4;
                if ([|GetUserUnchecked(out uval, uaddr)|] != 0)
                {
                    PreemptEnable();
                    return -EFAULT;
                }

                PreemptEnable();
                return uval == expected ? 1 : 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Arc
        {
            public static int UsrPeek(UserPtr<int> ubase, int index, int expected)
            {
                int uval;

                PreemptDisable();
                UserPtr<int> uaddr = ubase + index * 4;
                if (!AccessOk(uaddr, sizeof(int)))
                {
                    PreemptEnable();
                    return -EFAULT;
                }
                if (GetUserUnchecked(out uval, uaddr) != 0)
                {
                    PreemptEnable();
                    return -EFAULT;
                }

                PreemptEnable();
                return uval == expected ? 1 : 0;
            }
        }
        """);

    // kernel/exit.c, waitid() (v5.x, unsafe_put_user into struct siginfo): one check of the whole
    // record covers every field the code writes through the same pointer.
    [Fact]
    public Task FieldsAtConstantOffsetsGetOneCheckOfTheWholeRecord() => Verify(
        """
        namespace Sim;

        public static class Waitid
        {
            public static int Fill(UserPtr infop, int signo, int pid, uint uid)
            {
                if ([|PutUserUnchecked(signo, infop.Cast<int>())|] != 0)
                    return -EFAULT;
                if ([|PutUserUnchecked(pid, (infop + 12).Cast<int>())|] != 0)
                    return -EFAULT;
                if ([|PutUserUnchecked(uid, (infop + 16).Cast<uint>())|] != 0)
                    return -EFAULT;
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Waitid
        {
            public static int Fill(UserPtr infop, int signo, int pid, uint uid)
            {
                if (!AccessOk(infop, 20))
                    return -EFAULT;
                if (PutUserUnchecked(signo, infop.Cast<int>()) != 0)
                    return -EFAULT;
                if (PutUserUnchecked(pid, (infop + 12).Cast<int>()) != 0)
                    return -EFAULT;
                if (PutUserUnchecked(uid, (infop + 16).Cast<uint>()) != 0)
                    return -EFAULT;
                return 0;
            }
        }
        """,
        fixesPerDocument: 1);

    [Fact]
    public Task AnOutParameterTheAccessSetsIsZeroedBeforeTheEarlyReturn() => Verify(
        """
        namespace Sim;

        public static class Futex
        {
            public static int Second(UserPtr<uint> uaddr, out uint v)
            {
                return [|GetUserUnchecked(out v, uaddr + 4)|];
            }
        }
        """,
        """
        namespace Sim;

        public static class Futex
        {
            public static int Second(UserPtr<uint> uaddr, out uint v)
            {
                if (!AccessOk(uaddr, 8))
                {
                    v = 0;
                    return -EFAULT;
                }
                return GetUserUnchecked(out v, uaddr + 4);
            }
        }
        """);

    /// <summary>
    /// net/rds/page.c, rds_page_copy_user() before 799c10559d60 (CVE-2010-3904): <c>__copy_to_user_inatomic()</c>
    /// of a span of the page with no <c>access_ok()</c>. The range checked is the span's length.
    /// </summary>
    [Fact]
    public Task SpanCopyChecksTheSpansLength() => Verify(
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Rds
        {
            public static int PageCopyUser(byte[] page, int offset, UserPtr ptr, int bytes)
            {
                int ret = [|CopyToUserInatomic(ptr, page.AsSpan(offset, bytes))|];
                return ret != 0 ? -EFAULT : 0;
            }

            [NofaultAccess]
            [MustCheck]
            [ReturnsBytesNotCopied]
            [UserAccess(AccessKind.Write, "to", Size = "from")]
            private static int CopyToUserInatomic([RequiresAccessOk] UserPtr to, ReadOnlySpan<byte> from) => 0;
        }
        """,
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Rds
        {
            public static int PageCopyUser(byte[] page, int offset, UserPtr ptr, int bytes)
            {
                if (!AccessOk(ptr, bytes))
                    return -EFAULT;
                int ret = CopyToUserInatomic(ptr, page.AsSpan(offset, bytes));
                return ret != 0 ? -EFAULT : 0;
            }

            [NofaultAccess]
            [MustCheck]
            [ReturnsBytesNotCopied]
            [UserAccess(AccessKind.Write, "to", Size = "from")]
            private static int CopyToUserInatomic([RequiresAccessOk] UserPtr to, ReadOnlySpan<byte> from) => 0;
        }
        """);

    /// <summary>
    /// drivers/gpu/drm/xe/xe_exec_queue.c, exec_queue_user_ext_set_property() in v6.15: <c>__copy_from_user()</c>
    /// of the whole extension struct from a user address with no <c>access_ok()</c>. The range checked is the
    /// array's length (the kernel's <c>sizeof(ext)</c>), after the array is made.
    /// </summary>
    [Fact]
    public Task WholeArrayCopyChecksTheArraysLength() => Verify(
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Xe
        {
            public static int SetProperty(ulong extension)
            {
                UserPtr address = new UserPtr(extension);
                var ext = new byte[24];
                int err;

                err = [|CopyFromUserUnchecked(ext, address)|];
                if (err != 0)
                    return -EFAULT;
                return BitConverter.ToInt32(ext, 16);
            }

            [MightFault]
            [MustCheck]
            [ReturnsBytesNotCopied]
            [UserAccess(AccessKind.Read, "from", Size = "to")]
            private static int CopyFromUserUnchecked(Span<byte> to, [RequiresAccessOk] UserPtr from) => 0;
        }
        """,
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Xe
        {
            public static int SetProperty(ulong extension)
            {
                UserPtr address = new UserPtr(extension);
                var ext = new byte[24];
                int err;

                if (!AccessOk(address, ext.Length))
                    return -EFAULT;

                err = CopyFromUserUnchecked(ext, address);
                if (err != 0)
                    return -EFAULT;
                return BitConverter.ToInt32(ext, 16);
            }

            [MightFault]
            [MustCheck]
            [ReturnsBytesNotCopied]
            [UserAccess(AccessKind.Read, "from", Size = "to")]
            private static int CopyFromUserUnchecked(Span<byte> to, [RequiresAccessOk] UserPtr from) => 0;
        }
        """);

    /// <summary>
    /// The body of a loop written without braces: the check goes into a block made for it and the access,
    /// as it would once another fix had put the braces in (2.4 <c>sys_poll()</c>'s revents stores).
    /// </summary>
    [Fact]
    public Task AccessThatIsALoopsBodyWithoutBraces() => Verify(
        """
        namespace Sim;

        public static class Poll
        {
            public static int StoreRevents(UserPtr ufds, short[] revents, int n)
            {
                if (n > 64)
                    return -EINVAL;
                for (int j = 0; j < n; j++, ufds = ufds + 8)
                    if ([|PutUserUnchecked(revents[j], (ufds + 6).Cast<short>())|] != 0)
                        return -EFAULT;
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Poll
        {
            public static int StoreRevents(UserPtr ufds, short[] revents, int n)
            {
                if (n > 64)
                    return -EINVAL;
                for (int j = 0; j < n; j++, ufds = ufds + 8)
                {
                    if (!AccessOk(ufds, 8))
                        return -EFAULT;
                    if (PutUserUnchecked(revents[j], (ufds + 6).Cast<short>()) != 0)
                        return -EFAULT;
                }
                return 0;
            }
        }
        """);
}
