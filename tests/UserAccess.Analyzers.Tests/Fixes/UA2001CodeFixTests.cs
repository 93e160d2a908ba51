using System.Threading.Tasks;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.Fixes;

public class UA2001CodeFixTests
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<NonKillableWaitAnalyzer, UA2001NonKillableWaitCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync<NonKillableWaitAnalyzer, UA2001NonKillableWaitCodeFix>(FixHarness.Usings + source);

    [Fact]
    public Task MmapReadLockBecomesKillable() => Verify(
        """
        namespace Sim;

        public static class Gup
        {
            public static int Fixup(Mm mm, UserPtr uaddr)
            {
                // the fault path needs the mmap lock
                [|MmapReadLock(mm)|]; // may wait long
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Gup
        {
            public static int Fixup(Mm mm, UserPtr uaddr)
            {
                // the fault path needs the mmap lock
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR; // may wait long
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """);

    [Fact]
    public Task TheEarlyReturnReleasesWhatIsAlreadyHeldInReverseOrder() => Verify(
        """
        namespace Sim;

        public sealed class Dev
        {
            private readonly KernelMutex mutex;
            private readonly RwSemaphore sem;

            public Dev(KernelMutex mutex, RwSemaphore sem)
            {
                this.mutex = mutex;
                this.sem = sem;
            }

            public int Update(Mm mm, UserPtr uaddr)
            {
                [|mutex.Lock()|];
                [|sem.DownWrite()|];
                [|MmapReadLock(mm)|];
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                sem.UpWrite();
                mutex.Unlock();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public sealed class Dev
        {
            private readonly KernelMutex mutex;
            private readonly RwSemaphore sem;

            public Dev(KernelMutex mutex, RwSemaphore sem)
            {
                this.mutex = mutex;
                this.sem = sem;
            }

            public int Update(Mm mm, UserPtr uaddr)
            {
                if (mutex.LockKillable() != 0)
                    return -EINTR;
                if (sem.DownWriteKillable() != 0)
                {
                    mutex.Unlock();
                    return -EINTR;
                }
                if (MmapReadLockKillable(mm) != 0)
                {
                    sem.UpWrite();
                    mutex.Unlock();
                    return -EINTR;
                }
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                sem.UpWrite();
                mutex.Unlock();
                return ret;
            }
        }
        """);

    [Fact]
    public Task NoFixWhereWhatIsHeldIsUnclearOrTheFunctionReturnsLong() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unclear
        {
            public static int Branchy(Mm mm, KernelMutex lk, bool locked, UserPtr uaddr)
            {
                if (locked)
                    [|lk.Lock()|];
                [|MmapReadLock(mm)|];
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                if (locked)
                    lk.Unlock();
                return ret;
            }

            public static long Length(Mm mm, UserPtr uaddr)
            {
                if (uaddr.Address == 0)
                    return -EINVAL;
                [|MmapReadLock(mm)|];
                MmapReadUnlock(mm);
                return 0;
            }
        }
        """);
}
