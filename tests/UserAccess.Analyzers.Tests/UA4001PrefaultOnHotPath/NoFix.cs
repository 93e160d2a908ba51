using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Seeds;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA4001PrefaultOnHotPath;

public class NoFix
{
    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync<UA4001PrefaultOnHotPathAnalyzer, UA4001PrefaultOnHotPathCodeFix>(FixHarness.Usings + source);

    [Fact]
    public Task NoFixForACopyThatReturnsTheBytesNotCopied() => VerifyNoFix(
        """
        namespace Sim;

        public static class Read
        {
            public static int Fetch(UserPtr from, byte[] buf)
            {
                if ([|FaultInReadable(from, buf.Length)|] != 0)
                    return -EFAULT;
                PagefaultDisable();
                int left = CopyFromUser(buf, from);
                PagefaultEnable();
                return left != 0 ? -EFAULT : 0;
            }
        }
        """);

    [Fact]
    public Task NoFixWithAStatementBetweenThePrefaultAndTheRegion() => VerifyNoFix(
        """
        namespace Sim;

        public static class Log
        {
            public static int Append(UserPtr to, byte[] data, int[] counters)
            {
                if ([|FaultInWriteable(to, data.Length)|] != 0)
                    return -EFAULT;
                counters[0]++;
                PagefaultDisable();
                int ret = CopyToUserNofault(to, data);
                PagefaultEnable();
                return ret;
            }
        }
        """);

    [Fact]
    public Task NoFixWhenThePrefaultResultIsUsedLater() => VerifyNoFix(
        """
        namespace Sim;

        public static class Log
        {
            public static int Append(UserPtr to, byte[] data)
            {
                int left = [|FaultInWriteable(to, data.Length)|];
                if (left != 0)
                    return -EFAULT;
                PagefaultDisable();
                int ret = CopyToUserNofault(to, data);
                PagefaultEnable();
                return ret != 0 ? ret : left;
            }
        }
        """);

    [Fact]
    public Task NoFixWhenTheRegionIsMoreThanTheAccess() => VerifyNoFix(
        """
        namespace Sim;

        public static class Log
        {
            public static int Append(UserPtr to, byte[] data, int[] counters)
            {
                if ([|FaultInWriteable(to, data.Length)|] != 0)
                    return -EFAULT;
                PagefaultDisable();
                int ret = CopyToUserNofault(to, data);
                counters[0]++;
                PagefaultEnable();
                return ret;
            }
        }
        """);

    [Fact]
    public Task NoFixWhenALockIsHeldAcrossThePrefault() => VerifyNoFix(
        """
        namespace Sim;

        public static class Log
        {
            public static int Append(KernelMutex glock, UserPtr to, byte[] data, int[] counters)
            {
                glock.Lock();
                if ([|FaultInWriteable(to, data.Length)|] != 0)
                    return -EFAULT;
                PagefaultDisable();
                int ret = CopyToUserNofault(to, data);
                PagefaultEnable();
                if (ret == 0)
                    counters[0]++;
                glock.Unlock();
                return ret;
            }
        }
        """);

    [Fact]
    public Task NoFixWhenTheFirstErrorReturnWouldFlagAWait() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Futex
        {
            public static int TryLock([RemoteMm] Mm mm, [RequiresAlignment] UserPtr<uint> uaddr)
            {
                MmapReadLock(mm);
                MmapReadUnlock(mm);
                int ret;
                while (true)
                {
                    ret = [|FaultInUserWriteable(uaddr)|];
                    if (ret != 0)
                        break;
                    PagefaultDisable();
                    ret = FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                }
                return ret == 0 ? 1 : 0;
            }
        }
        """);

    [Fact]
    public Task NoFixWhenTheAccessesOutVariableIsUsedAfterIt() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Xchg([RequiresAlignment] UserPtr<uint> uaddr, uint newval)
            {
                if ([|FaultInUserWriteable(uaddr)|] != 0)
                    return -EFAULT;
                PagefaultDisable();
                int ret = XchgUserInatomic(uaddr, newval, out uint old);
                PagefaultEnable();
                return ret != 0 ? ret : (int)old;
            }
        }
        """);

    [Fact]
    public Task NoFixInsideAnotherLoop() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int WakeAll(UserPtr<uint>[] words)
            {
                foreach (var uaddr in words)
                {
                    if ([|FaultInUserWriteable(uaddr)|] != 0)
                        return -EFAULT;
                    PagefaultDisable();
                    int ret = XchgUserInatomic(uaddr, 0u, out uint old);
                    PagefaultEnable();
                    if (ret != 0)
                        return ret;
                }
                return 0;
            }
        }
        """);

    [Fact]
    public Task NoFixForARetryLoopThatDoesMore() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Futex
        {
            public static int Lock([RequiresAlignment] UserPtr<uint> uaddr)
            {
                int ret;
                while (true)
                {
                    ret = [|FaultInUserWriteable(uaddr)|];
                    if (ret != 0)
                        break;
                    PagefaultDisable();
                    ret = FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    CondResched();
                }
                return ret;
            }
        }
        """);

    [Fact]
    public Task NoFixForAGotoRetry() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Futex
        {
            public static int Lock([RequiresAlignment] UserPtr<uint> uaddr)
            {
                int tries = 0;
            retry:
                tries++;
                if ([|FaultInUserWriteable(uaddr)|] != 0)
                    return -EFAULT;
                PagefaultDisable();
                int ret = FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1);
                PagefaultEnable();
                if (ret == -EFAULT && tries < 3)
                    goto retry;
                return ret;
            }
        }
        """);

    [Fact]
    public Task NoFixForAFixupWhoseLockIsReleasedOnTheErrorPath() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Set(Mm mm, [RequiresAlignment] UserPtr<uint> uaddr)
            {
                MmapReadLock(mm);
                int fixup = [|FixupUserFault(mm, uaddr, FaultFlags.Write)|];
                if (fixup != 0)
                {
                    MmapReadUnlock(mm);
                    return fixup;
                }
                MmapReadUnlock(mm);
                PagefaultDisable();
                int ret = XchgUserInatomic(uaddr, 1u, out uint old);
                PagefaultEnable();
                return ret;
            }
        }
        """);

    [Fact]
    public Task NoFixForAReadFixupOfAWrittenWord() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Set(Mm mm, [RequiresAlignment] UserPtr<uint> uaddr)
            {
                MmapReadLock(mm);
                int fixup = [|FixupUserFault(mm, uaddr, FaultFlags.None)|];
                MmapReadUnlock(mm);
                if (fixup != 0)
                    return fixup;
                PagefaultDisable();
                int ret = XchgUserInatomic(uaddr, 1u, out uint old);
                PagefaultEnable();
                return ret;
            }
        }
        """);
}
