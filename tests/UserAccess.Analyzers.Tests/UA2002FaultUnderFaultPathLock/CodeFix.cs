using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2002FaultUnderFaultPathLock;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

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
}
