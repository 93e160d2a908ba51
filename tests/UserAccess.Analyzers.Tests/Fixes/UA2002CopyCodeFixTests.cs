using System.Threading.Tasks;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.Fixes;

/// <summary>
/// UA2002 on a copy in a loop that walks the user buffer: the copy goes under PagefaultDisable()
/// and the loop's "copied nothing" test gets the cold path (fault in from where the copy stopped,
/// retry while that makes progress), as v6.14's generic_perform_write() has it.
/// </summary>
public class UA2002CopyCodeFixTests
{
    private const string Usings = FixHarness.Usings + "using System;\nusing UserAccess.Runtime.Annotations;\n";

    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(Usings + source, Usings + expected);

    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync<FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(Usings + source);

    /// <summary>The scenario seed (samples/Scenarios/Buggy/GenericPerformWrite.cs): the folio lock is taken in the fault path.</summary>
    internal const string GenericPerformWrite = """
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

                    copied = bytes - CopyFromUser(folio.Data.Slice((int)offset, bytes), from);

                    // ->write_end()
                    folio.Lock.Unlock();

                    if (copied == 0)
                    {
                        status = -EFAULT;
                        break;
                    }

                    pos += copied;
                    written += copied;
                    from += copied;
                    remaining -= copied;
                }

                return written != 0 ? written : status;
            }
        }
        """;

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

    [Fact]
    public Task NoFixWhereTheRetryCouldNotResumeSafely() => VerifyNoFix(
        """
        namespace Sim;

        public sealed class Buffer
        {
            [TakenInFaultPath]
            public KernelMutex Lock = null!;
            public readonly byte[] Data = new byte[8192];
        }

        public static class Declined
        {
            // a for loop: 'continue' would run the increment and skip the chunk
            public static int ForLoop(Buffer b, UserPtr buf, int chunks)
            {
                for (int i = 0; i < chunks; i++)
                {
                    b.Lock.Lock();
                    int copied = 512 - [|CopyFromUser(b.Data.AsSpan(i * 512, 512), buf + i * 512)|];
                    b.Lock.Unlock();
                    if (copied == 0)
                        return -EFAULT;
                }
                return 0;
            }

            // no "copied nothing" test: a short copy is an error here, not a retry
            public static int AllOrNothing(Buffer b, UserPtr buf, int count)
            {
                int done = 0;
                while (done < count)
                {
                    b.Lock.Lock();
                    int left = [|CopyFromUser(b.Data.AsSpan(done, 512), buf + done)|];
                    b.Lock.Unlock();
                    if (left != 0)
                        return -EFAULT;
                    done += 512;
                }
                return 0;
            }

            // the test runs with the lock still held: the fault-in would deadlock on it
            public static int TestUnderTheLock(Buffer b, UserPtr buf, int count)
            {
                int done = 0;
                while (done < count)
                {
                    b.Lock.Lock();
                    int copied = 512 - [|CopyFromUser(b.Data.AsSpan(done, 512), buf + done)|];
                    if (copied == 0)
                    {
                        b.Lock.Unlock();
                        return -EFAULT;
                    }
                    b.Lock.Unlock();
                    done += copied;
                }
                return 0;
            }

            // the mmap lock is held around the loop: the fault-in would need it too
            public static int UnderTheMmapLock(Mm mm, Buffer b, UserPtr buf, int count)
            {
                int done = 0;
                int ret = 0;
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                while (done < count)
                {
                    b.Lock.Lock();
                    int copied = 512 - [|CopyFromUser(b.Data.AsSpan(done, 512), buf + done)|];
                    b.Lock.Unlock();
                    if (copied == 0)
                    {
                        ret = -EFAULT;
                        break;
                    }
                    done += copied;
                }
                MmapReadUnlock(mm);
                return ret;
            }

            // the pointer moves before the test: the fault-in would start past where the copy stopped
            public static int PointerMovesFirst(Buffer b, UserPtr buf, int count)
            {
                int done = 0;
                while (done < count)
                {
                    b.Lock.Lock();
                    int copied = 512 - [|CopyFromUser(b.Data.AsSpan(done, 512), buf)|];
                    b.Lock.Unlock();
                    buf += copied;
                    if (copied == 0)
                        return -EFAULT;
                    done += copied;
                }
                return 0;
            }

            // the chunk tested is not the chunk copied
            public static int OtherChunk(Buffer b, UserPtr buf, int count, int n)
            {
                int done = 0;
                while (done < count)
                {
                    b.Lock.Lock();
                    int left = [|CopyFromUser(b.Data.AsSpan(done, 512), buf + done)|];
                    b.Lock.Unlock();
                    if (left == n)
                        return -EFAULT;
                    done += 512 - left;
                }
                return 0;
            }
        }
        """);
}
