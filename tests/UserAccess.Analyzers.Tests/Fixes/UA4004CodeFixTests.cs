using System.Threading.Tasks;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.Fixes;

public class UA4004CodeFixTests
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<AllOrNothingFaultInAnalyzer, UA4004AllOrNothingFaultInCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync<AllOrNothingFaultInAnalyzer, UA4004AllOrNothingFaultInCodeFix>(FixHarness.Usings + source);

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
