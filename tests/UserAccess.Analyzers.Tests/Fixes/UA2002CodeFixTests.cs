using System.Threading.Tasks;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.Fixes;

public class UA2002CodeFixTests
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync<FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(FixHarness.Usings + source);

    [Fact]
    public Task GetUserUnderTheMmapLockBecomesTheCanonicalLoop() => Verify(
        """
        namespace Sim;

        public static class Vma
        {
            public static int ReadFlags(Mm mm, UserPtr<uint> uaddr, out uint flags)
            {
                flags = 0;
                int ret;

                // the VMA must not change under us
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                ret = [|GetUser(out flags, uaddr)|]; // may fault
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Vma
        {
            public static int ReadFlags(Mm mm, UserPtr<uint> uaddr, out uint flags)
            {
                flags = 0;
                int ret;

                while (true)
                {
                    // the VMA must not change under us
                    if (MmapReadLockKillable(mm) != 0)
                        return -EINTR;
                    PagefaultDisable();
                    ret = GetUser(out flags, uaddr); // may fault
                    PagefaultEnable();
                    MmapReadUnlock(mm);
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    if (FaultInReadable(uaddr, sizeof(uint)) != 0)
                    {
                        ret = -EFAULT;
                        break;
                    }
                }
                return ret;
            }
        }
        """);

    [Fact]
    public Task PutUserUnderAFolioLockWithTwoLocksKeepsTheirOrder() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Folio
        {
            [TakenInFaultPath]
            public KernelMutex Lock = null!;
        }

        public static class Gfs2
        {
            public static int Store(Folio folio, KernelMutex glock, UserPtr<uint> uaddr, uint val)
            {
                if (glock.LockKillable() != 0)
                    return -EINTR;
                folio.Lock.Lock();
                int ret = [|PutUser(val, uaddr)|];
                folio.Lock.Unlock();
                glock.Unlock();
                return ret;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Folio
        {
            [TakenInFaultPath]
            public KernelMutex Lock = null!;
        }

        public static class Gfs2
        {
            public static int Store(Folio folio, KernelMutex glock, UserPtr<uint> uaddr, uint val)
            {
                int ret;
                while (true)
                {
                    if (glock.LockKillable() != 0)
                        return -EINTR;
                    folio.Lock.Lock();
                    PagefaultDisable();
                    ret = PutUser(val, uaddr);
                    PagefaultEnable();
                    folio.Lock.Unlock();
                    glock.Unlock();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    if (FaultInWriteable(uaddr, sizeof(uint)) != 0)
                    {
                        ret = -EFAULT;
                        break;
                    }
                }
                return ret;
            }
        }
        """);

    [Fact]
    public Task NoFixForCopiesOrWithOtherStatementsUnderTheLock() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unclear
        {
            public static int Copy(Mm mm, UserPtr from, byte[] buf)
            {
                MmapReadLock(mm);
                int left = [|CopyFromUser(buf, from)|];
                MmapReadUnlock(mm);
                return left != 0 ? -EFAULT : 0;
            }

            public static int NoErrorPathYet(Mm mm, UserPtr<uint> uaddr, uint[] result)
            {
                // the loop's -EINTR would be the first error return and make MmapReadLock a UA2001
                MmapReadLock(mm);
                int ret = [|GetUser(out result[0], uaddr)|];
                MmapReadUnlock(mm);
                return ret == 0 ? 1 : 0;
            }

            public static int More(Mm mm, UserPtr<uint> uaddr, out uint val, int[] counters)
            {
                MmapReadLock(mm);
                counters[0]++;
                int ret = [|GetUser(out val, uaddr)|];
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """);
}
