using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA4004AllOrNothingFaultIn;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA4004AllOrNothingFaultInAnalyzer, UA4004AllOrNothingFaultInCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    /// <summary>generic_perform_write() before 2021: the fault-in fails the write only when it faulted in nothing.</summary>
    [Fact]
    public Task GenericPerformWriteFailsOnlyWhenNothingWasFaultedIn() => Verify(
        """
        using System;

        namespace Sim;

        public static class Filemap
        {
            const int PageSize = 4096;

            public static long GenericPerformWrite(UserPtr buf, long count, byte[] pagecache, long pos)
            {
                long written = 0;
                int status = 0;
                do
                {
                    int offset = (int)(pos & (PageSize - 1));
                    int bytes = (int)Math.Min(PageSize - offset, count - written);
                again:
                    if ([|FaultInReadable(buf + written, bytes) != 0|]) // all or nothing
                    {
                        status = -EFAULT;
                        break;
                    }

                    if (FatalSignalPending())
                    {
                        status = -EINTR;
                        break;
                    }

                    PagefaultDisable();
                    int notCopied = CopyFromUser(pagecache.AsSpan(offset, bytes), buf + written);
                    PagefaultEnable();
                    int copied = bytes - notCopied;
                    if (copied == 0)
                    {
                        bytes = Math.Min(PageSize - offset, 1);
                        goto again;
                    }

                    pos += copied;
                    written += copied;
                }
                while (written < count);
                return written != 0 ? written : status;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Filemap
        {
            const int PageSize = 4096;

            public static long GenericPerformWrite(UserPtr buf, long count, byte[] pagecache, long pos)
            {
                long written = 0;
                int status = 0;
                do
                {
                    int offset = (int)(pos & (PageSize - 1));
                    int bytes = (int)Math.Min(PageSize - offset, count - written);
                again:
                    if (FaultInReadable(buf + written, bytes) == bytes) // all or nothing
                    {
                        status = -EFAULT;
                        break;
                    }

                    if (FatalSignalPending())
                    {
                        status = -EINTR;
                        break;
                    }

                    PagefaultDisable();
                    int notCopied = CopyFromUser(pagecache.AsSpan(offset, bytes), buf + written);
                    PagefaultEnable();
                    int copied = bytes - notCopied;
                    if (copied == 0)
                    {
                        bytes = Math.Min(PageSize - offset, 1);
                        goto again;
                    }

                    pos += copied;
                    written += copied;
                }
                while (written < count);
                return written != 0 ? written : status;
            }
        }
        """);

    [Fact]
    public Task ResultInALocalAndSuccessTests() => Verify(
        """
        using System;

        namespace Sim;

        public static class Reader
        {
            public static int Fill(UserPtr p, byte[] kbuf, int len)
            {
                int done = 0;
                while (done < len)
                {
                    if (FatalSignalPending())
                        return -EINTR;
                    int n = Math.Min(len - done, 4096);
                    int left = FaultInWriteable(p + done, n);
                    if ([|left > 0|])
                        return -EFAULT;
                    PagefaultDisable();
                    int notCopied = CopyToUser(p + done, kbuf.AsSpan(done, n));
                    PagefaultEnable();
                    done += n - notCopied;
                }

                return 0;
            }

            public static int Drain(UserPtr p, byte[] kbuf, int len)
            {
                int done = 0;
                while (done < len)
                {
                    if (FatalSignalPending())
                        return -EINTR;
                    int n = Math.Min(len - done, 4096);
                    if (!([|FaultInReadable(p + done, n) == 0|]))
                        return -EFAULT;
                    PagefaultDisable();
                    int notCopied = CopyFromUser(kbuf.AsSpan(done, n), p + done);
                    PagefaultEnable();
                    done += n - notCopied;
                }

                return 0;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Reader
        {
            public static int Fill(UserPtr p, byte[] kbuf, int len)
            {
                int done = 0;
                while (done < len)
                {
                    if (FatalSignalPending())
                        return -EINTR;
                    int n = Math.Min(len - done, 4096);
                    int left = FaultInWriteable(p + done, n);
                    if (left == n)
                        return -EFAULT;
                    PagefaultDisable();
                    int notCopied = CopyToUser(p + done, kbuf.AsSpan(done, n));
                    PagefaultEnable();
                    done += n - notCopied;
                }

                return 0;
            }

            public static int Drain(UserPtr p, byte[] kbuf, int len)
            {
                int done = 0;
                while (done < len)
                {
                    if (FatalSignalPending())
                        return -EINTR;
                    int n = Math.Min(len - done, 4096);
                    if (!(FaultInReadable(p + done, n) != n))
                        return -EFAULT;
                    PagefaultDisable();
                    int notCopied = CopyFromUser(kbuf.AsSpan(done, n), p + done);
                    PagefaultEnable();
                    done += n - notCopied;
                }

                return 0;
            }
        }
        """);

    /// <summary>The zero written first (<c>0 &lt; left</c>, <c>0 != left</c>) is the same failure test.</summary>
    [Fact]
    public Task ZeroOnTheLeftIsTheSameFailureTest() => Verify(
        """
        using System;

        namespace Sim;

        public static class Reader
        {
            public static int Fill(UserPtr p, byte[] kbuf, int len)
            {
                int done = 0;
                while (done < len)
                {
                    if (FatalSignalPending())
                        return -EINTR;
                    int n = Math.Min(len - done, 4096);
                    int left = FaultInWriteable(p + done, n);
                    if ([|0 < left|])
                        return -EFAULT;
                    PagefaultDisable();
                    int notCopied = CopyToUser(p + done, kbuf.AsSpan(done, n));
                    PagefaultEnable();
                    done += n - notCopied;
                }

                return 0;
            }

            public static int Drain(UserPtr p, byte[] kbuf, int len)
            {
                int done = 0;
                while (done < len)
                {
                    if (FatalSignalPending())
                        return -EINTR;
                    int n = Math.Min(len - done, 4096);
                    if ([|0 != FaultInReadable(p + done, n)|])
                        return -EFAULT;
                    PagefaultDisable();
                    int notCopied = CopyFromUser(kbuf.AsSpan(done, n), p + done);
                    PagefaultEnable();
                    done += n - notCopied;
                }

                return 0;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Reader
        {
            public static int Fill(UserPtr p, byte[] kbuf, int len)
            {
                int done = 0;
                while (done < len)
                {
                    if (FatalSignalPending())
                        return -EINTR;
                    int n = Math.Min(len - done, 4096);
                    int left = FaultInWriteable(p + done, n);
                    if (left == n)
                        return -EFAULT;
                    PagefaultDisable();
                    int notCopied = CopyToUser(p + done, kbuf.AsSpan(done, n));
                    PagefaultEnable();
                    done += n - notCopied;
                }

                return 0;
            }

            public static int Drain(UserPtr p, byte[] kbuf, int len)
            {
                int done = 0;
                while (done < len)
                {
                    if (FatalSignalPending())
                        return -EINTR;
                    int n = Math.Min(len - done, 4096);
                    if (FaultInReadable(p + done, n) == n)
                        return -EFAULT;
                    PagefaultDisable();
                    int notCopied = CopyFromUser(kbuf.AsSpan(done, n), p + done);
                    PagefaultEnable();
                    done += n - notCopied;
                }

                return 0;
            }
        }
        """);
}
