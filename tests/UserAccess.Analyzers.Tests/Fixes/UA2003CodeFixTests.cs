using System.Threading.Tasks;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.Fixes;

public class UA2003CodeFixTests
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<RequiredLockNotHeldAnalyzer, UA2003RequiredLockCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync<RequiredLockNotHeldAnalyzer, UA2003RequiredLockCodeFix>(FixHarness.Usings + source);

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

    [Fact]
    public Task NoFixInARegionWhereHeldIsUnclearOrForAReturnedCall() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unclear
        {
            public static int InNofault(Mm mm, UserPtr uaddr)
            {
                PagefaultDisable();
                int ret = [|FixupUserFault(mm, uaddr, FaultFlags.Write)|];
                PagefaultEnable();
                return ret;
            }

            public static int SometimesLocked(Mm mm, UserPtr uaddr, bool locked)
            {
                if (locked)
                    MmapReadLock(mm);
                int ret = [|FixupUserFault(mm, uaddr, FaultFlags.Write)|];
                if (locked)
                    MmapReadUnlock(mm);
                return ret;
            }

            public static int Returned(Mm mm, UserPtr uaddr)
            {
                return [|FixupUserFault(mm, uaddr, FaultFlags.Write)|];
            }
        }
        """);
}
