using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2001NonKillableWait;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA2001NonKillableWaitAnalyzer, UA2001NonKillableWaitCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    [Fact]
    public Task MmapReadLockBecomesKillable() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Gup
        {
            public static int Fixup([RemoteMm] Mm mm, UserPtr uaddr)
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
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Gup
        {
            public static int Fixup([RemoteMm] Mm mm, UserPtr uaddr)
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
    public Task AnOutParameterNotYetAssignedGetsItsDefaultOnTheEarlyReturn() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Gup
        {
            public static int Fixup([RemoteMm] Mm mm, UserPtr uaddr, out int faults, out int @out)
            {
                @out = 1;
                [|MmapReadLock(mm)|];
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                faults = ret == 0 ? 1 : 0;
                return ret;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Gup
        {
            public static int Fixup([RemoteMm] Mm mm, UserPtr uaddr, out int faults, out int @out)
            {
                @out = 1;
                if (MmapReadLockKillable(mm) != 0)
                {
                    faults = default;
                    return -EINTR;
                }
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                faults = ret == 0 ? 1 : 0;
                return ret;
            }
        }
        """);

    [Fact]
    public Task TheEarlyReturnReleasesWhatIsAlreadyHeldInReverseOrder() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Dev
        {
            // held across the device's I/O: waits on them should be killable
            [LongHeld] private readonly KernelMutex mutex;
            [LongHeld] private readonly RwSemaphore sem;

            public Dev(KernelMutex mutex, RwSemaphore sem)
            {
                this.mutex = mutex;
                this.sem = sem;
            }

            public int Update([RemoteMm] Mm mm, UserPtr uaddr)
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
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Dev
        {
            // held across the device's I/O: waits on them should be killable
            [LongHeld] private readonly KernelMutex mutex;
            [LongHeld] private readonly RwSemaphore sem;

            public Dev(KernelMutex mutex, RwSemaphore sem)
            {
                this.mutex = mutex;
                this.sem = sem;
            }

            public int Update([RemoteMm] Mm mm, UserPtr uaddr)
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
}
