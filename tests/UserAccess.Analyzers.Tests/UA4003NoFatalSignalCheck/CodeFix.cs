using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA4003NoFatalSignalCheck;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA4003NoFatalSignalCheckAnalyzer, UA4003NoFatalSignalCheckCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    /// <summary>generic_perform_write(): the loop leaves with its status, so the check does too.</summary>
    [Fact]
    public Task StatusVariableGetsEintrAndTheLoopBreaks() => Verify(
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
                [|do|]
                {
                    // the chunk in this page
                    int offset = (int)(pos & (PageSize - 1));
                    int bytes = (int)Math.Min(PageSize - offset, count - written);
                    PagefaultDisable();
                    int notCopied = CopyFromUser(pagecache.AsSpan(offset, bytes), buf + written);
                    PagefaultEnable();
                    int copied = bytes - notCopied;
                    if (copied == 0)
                    {
                        if (FaultInReadable(buf + written, bytes) == bytes)
                        {
                            status = -EFAULT;
                            break;
                        }

                        continue;
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
                    if (FatalSignalPending())
                    {
                        status = -EINTR;
                        break;
                    }
                    // the chunk in this page
                    int offset = (int)(pos & (PageSize - 1));
                    int bytes = (int)Math.Min(PageSize - offset, count - written);
                    PagefaultDisable();
                    int notCopied = CopyFromUser(pagecache.AsSpan(offset, bytes), buf + written);
                    PagefaultEnable();
                    int copied = bytes - notCopied;
                    if (copied == 0)
                    {
                        if (FaultInReadable(buf + written, bytes) == bytes)
                        {
                            status = -EFAULT;
                            break;
                        }

                        continue;
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
    public Task ErrnoMethodReturnsEintrInItsStyle() => Verify(
        """
        using System;

        namespace Sim;

        public static class Reader
        {
            public static int Drain(UserPtr p, byte[] kbuf, int len)
            {
                if (len < 0)
                    return -EINVAL;
                int done = 0;
                [|while|] (done < len)
                {
                    int n = Math.Min(len - done, 4096);
                    if (CopyFromUser(kbuf.AsSpan(0, n), p + done) != 0)
                        return -EFAULT;
                    done += n;
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
            public static int Drain(UserPtr p, byte[] kbuf, int len)
            {
                if (len < 0)
                    return -EINVAL;
                int done = 0;
                while (done < len)
                {
                    if (FatalSignalPending())
                        return -EINTR;
                    int n = Math.Min(len - done, 4096);
                    if (CopyFromUser(kbuf.AsSpan(0, n), p + done) != 0)
                        return -EFAULT;
                    done += n;
                }

                return 0;
            }
        }
        """);

    /// <summary>
    /// drivers/char/mem.c, write_mem() before "/dev/mem: Bail out upon SIGKILL." (2019): a byte count,
    /// no errno to leave with. The kernel's fix stops after the round (<c>if (should_stop_iteration())
    /// break;</c> at the end of the body) and returns the bytes written so far.
    /// </summary>
    [Fact]
    public Task CountLoopStopsAfterTheRound() => Verify(
        """
        using System;

        namespace Sim;

        public static class Counter
        {
            public static long Copied(UserPtr p, byte[] kbuf, int len)
            {
                long done = 0;
                [|while|] (done < len)
                {
                    int n = (int)Math.Min(len - done, 4096);
                    if (CopyFromUser(kbuf.AsSpan(0, n), p + done) != 0)
                        break;
                    done += n;
                }

                return done;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Counter
        {
            public static long Copied(UserPtr p, byte[] kbuf, int len)
            {
                long done = 0;
                while (done < len)
                {
                    int n = (int)Math.Min(len - done, 4096);
                    if (CopyFromUser(kbuf.AsSpan(0, n), p + done) != 0)
                        break;
                    done += n;
                    if (FatalSignalPending())
                        break;
                }

                return done;
            }
        }
        """);

    /// <summary>
    /// mm/filemap.c, do_generic_file_read() before 5abf186a30a8: the loop leaves through
    /// <c>error = -EFAULT; goto out;</c>, and so does the kernel's fix, with <c>-EINTR</c>
    /// (the function returns the bytes read, or the error when there are none). A <c>long</c> status.
    /// </summary>
    [Fact]
    public Task StatusWithGotoLeavesTheSameWay() => Verify(
        """
        using System;

        namespace Sim;

        public static class Filemap
        {
            public static long Read(UserPtr buf, long count, byte[] page)
            {
                long written = 0;
                long error = 0;
                [|for|] (;;)
                {
                    long nr = Math.Min(4096, count - written);
                    long ret = nr - CopyToUser(buf + written, page.AsSpan(0, (int)nr));
                    written += ret;
                    if (written == count)
                        goto out_;
                    if (ret < nr)
                    {
                        error = -EFAULT;
                        goto out_;
                    }
                }

            out_:
                return written != 0 ? written : error;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Filemap
        {
            public static long Read(UserPtr buf, long count, byte[] page)
            {
                long written = 0;
                long error = 0;
                for (;;)
                {
                    if (FatalSignalPending())
                    {
                        error = -EINTR;
                        goto out_;
                    }
                    long nr = Math.Min(4096, count - written);
                    long ret = nr - CopyToUser(buf + written, page.AsSpan(0, (int)nr));
                    written += ret;
                    if (written == count)
                        goto out_;
                    if (ret < nr)
                    {
                        error = -EFAULT;
                        goto out_;
                    }
                }

            out_:
                return written != 0 ? written : error;
            }
        }
        """);
}
