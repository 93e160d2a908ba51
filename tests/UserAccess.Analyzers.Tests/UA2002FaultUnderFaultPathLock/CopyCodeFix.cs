using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;
using static UserAccess.Analyzers.Tests.UA2002FaultUnderFaultPathLock.CopyFixCode;

namespace UserAccess.Analyzers.Tests.UA2002FaultUnderFaultPathLock;

/// <summary>
/// UA2002 on a copy in a loop that walks the user buffer: the copy goes under PagefaultDisable()
/// and the loop's "copied nothing" test gets the cold path (fault in from where the copy stopped,
/// retry while that makes progress), as v6.14's generic_perform_write() has it.
/// </summary>
public class CopyCodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(Usings + source, Usings + expected);

    [Fact]
    public Task GenericPerformWriteBecomesTheV614Loop() => Verify(
        GenericPerformWrite.Replace("bytes - CopyFromUser(folio.Data.Slice((int)offset, bytes), from);", "bytes - [|CopyFromUser(folio.Data.Slice((int)offset, bytes), from)|];"),
        """
        namespace Sim;

        public static class Filemap
        {
            public static long GenericPerformWrite(SimFile file, long pos, UserPtr buf, long count)
            {
                long chunk = Current.Machine.Arch.PageSize;
                UserPtr from = buf;
                long remaining = count;
                long status = 0;
                long written = 0;

                while (remaining != 0)
                {
                    long offset = pos & (chunk - 1);
                    int bytes = (int)Math.Min(chunk - offset, remaining);
                    int copied;

                    if (FatalSignalPending())
                    {
                        status = -EINTR;
                        break;
                    }

                    // ->write_begin(): find the page-cache folio and lock it
                    Folio folio = file.GetFolio(pos / chunk);
                    status = folio.Lock.LockKillable();
                    if (status != 0)
                    {
                        break;
                    }

                    PagefaultDisable();
                    copied = bytes - CopyFromUser(folio.Data.Slice((int)offset, bytes), from);
                    PagefaultEnable();

                    // ->write_end()
                    folio.Lock.Unlock();

                    if (copied == 0)
                    {
                        if (FaultInReadable(from, bytes) == bytes)
                        {
                            status = -EFAULT;
                            break;
                        }

                        continue;
                    }

                    pos += copied;
                    written += copied;
                    from += copied;
                    remaining -= copied;
                }

                return written != 0 ? written : status;
            }
        }
        """);

    [Fact]
    public Task CopyToUserInADoLoopWithABytesNotCopiedLocal() => Verify(
        """
        namespace Sim;

        public sealed class Buffer
        {
            [TakenInFaultPath]
            public KernelMutex Lock = null!;
            public readonly byte[] Data = new byte[8192];
        }

        public static class Reader
        {
            public static long Read(Buffer buffer, UserPtr buf, int count)
            {
                int done = 0;
                long ret = 0;
                do
                {
                    int n = Math.Min(4096, count - done);
                    buffer.Lock.Lock();
                    // the reader sees whole records only
                    int notCopied = [|CopyToUser(buf + done, buffer.Data.AsSpan(done, n))|]; // may fault
                    buffer.Lock.Unlock();
                    if (notCopied == n)
                    {
                        ret = -EFAULT;
                        break;
                    }

                    done += n - notCopied;
                }
                while (done < count);
                return done != 0 ? done : ret;
            }
        }
        """,
        """
        namespace Sim;

        public sealed class Buffer
        {
            [TakenInFaultPath]
            public KernelMutex Lock = null!;
            public readonly byte[] Data = new byte[8192];
        }

        public static class Reader
        {
            public static long Read(Buffer buffer, UserPtr buf, int count)
            {
                int done = 0;
                long ret = 0;
                do
                {
                    int n = Math.Min(4096, count - done);
                    buffer.Lock.Lock();
                    // the reader sees whole records only
                    PagefaultDisable();
                    int notCopied = CopyToUser(buf + done, buffer.Data.AsSpan(done, n)); // may fault
                    PagefaultEnable();
                    buffer.Lock.Unlock();
                    if (notCopied == n)
                    {
                        if (FaultInWriteable(buf + done, n) == n)
                        {
                            ret = -EFAULT;
                            break;
                        }

                        continue;
                    }

                    done += n - notCopied;
                }
                while (done < count);
                return done != 0 ? done : ret;
            }
        }
        """);
}
