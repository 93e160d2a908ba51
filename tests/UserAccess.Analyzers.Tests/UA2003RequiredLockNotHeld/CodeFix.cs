using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2003RequiredLockNotHeld;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA2003RequiredLockNotHeldAnalyzer, UA2003RequiredLockNotHeldCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    [Fact]
    public Task FixupIsBracketedByTheMmapReadLockOfTheSameMm() => Verify(
        """
        namespace Sim;

        public static class Gup
        {
            public static void Touch(TaskStruct task, UserPtr uaddr)
            {
                // resolve the fault
                _ = [|FixupUserFault(task.Mm, uaddr, FaultFlags.Write)|]; // best effort
            }
        }
        """,
        """
        namespace Sim;

        public static class Gup
        {
            public static void Touch(TaskStruct task, UserPtr uaddr)
            {
                // resolve the fault
                MmapReadLock(task.Mm);
                _ = FixupUserFault(task.Mm, uaddr, FaultFlags.Write); // best effort
                MmapReadUnlock(task.Mm);
            }
        }
        """);

    [Fact]
    public Task InAnErrnoFunctionTheLockIsTakenKillably() => Verify(
        """
        namespace Sim;

        public static class Gup
        {
            public static int Fault(Mm mm, UserPtr uaddr, KernelMutex lk)
            {
                if (uaddr.Address == 0)
                    return -EINVAL;
                if (lk.LockKillable() != 0)
                    return -EINTR;
                int ret = [|FixupUserFault(mm, uaddr, FaultFlags.Write)|];
                lk.Unlock();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Gup
        {
            public static int Fault(Mm mm, UserPtr uaddr, KernelMutex lk)
            {
                if (uaddr.Address == 0)
                    return -EINVAL;
                if (lk.LockKillable() != 0)
                    return -EINTR;
                if (MmapReadLockKillable(mm) != 0)
                {
                    lk.Unlock();
                    return -EINTR;
                }
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                lk.Unlock();
                return ret;
            }
        }
        """);
}
