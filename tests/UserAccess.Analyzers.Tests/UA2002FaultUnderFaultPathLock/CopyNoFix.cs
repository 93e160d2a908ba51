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
public class CopyNoFix
{
    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(Usings + source);

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
