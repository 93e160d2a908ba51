using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2003RequiredLockNotHeld;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA2003RequiredLockNotHeldAnalyzer, UA2003RequiredLockNotHeldCodeFix>(FixHarness.Usings + source, reasons);

    [Fact]
    public Task NoFixInARegionWhereHeldIsUnclearForAReturnedCallOrAFaultUnderTheLock() => VerifyNoFix(
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

            // the VMA's bounds written to user memory under the lock would fault under it (UA2002)
            public static int Report(Mm mm, ulong addr, UserPtr<ulong> start)
            {
                var vma = [|FindVma(mm, addr)|];
                if (vma == null)
                    return -EFAULT;
                int ret = PutUser(vma.Start, start);
                return ret;
            }

            [UserAccess.Runtime.Annotations.RequiresLock("mm.MmapLock", Shared = true)]
            private static Vma? FindVma(Mm mm, ulong addr) => null;
        }

        public sealed class Vma
        {
            public ulong Start;
        }
        """,
        DeclineReason.InRegion,
        DeclineReason.AlreadyHeld,
        DeclineReason.NotBracketable,
        DeclineReason.FaultUnderTheLock);

    /// <summary>
    /// The value returned under the lock is computed from what the call returned (vma_pages() of the VMA find_vma() found:
    /// the unlock would have to go between the computation and the return), and a lock whose type
    /// declares how it is taken but not how it is released.
    /// </summary>
    [Fact]
    public Task NoFixWhenTheLockCannotBeWrappedOrReleased() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Unclear
        {
            public static long VmaPages(Mm mm, ulong addr)
            {
                var vma = [|FindVma(mm, addr)|];
                if (vma == null)
                    return -EFAULT;
                return (long)((vma.End - vma.Start) >> 12);
            }

            public static void Kick(Dev dev)
            {
                [|Touch(dev)|];
            }

            [RequiresLock("mm.MmapLock", Shared = true)]
            private static Vma? FindVma(Mm mm, ulong addr) => null;

            [RequiresLock("dev.Hw")]
            private static void Touch(Dev dev) { }
        }

        public sealed class Vma
        {
            public ulong Start;
            public ulong End;
        }

        public sealed class Dev
        {
            public readonly HwLock Hw = new();
        }

        // released by the device's completion interrupt, not by a function of its own
        public sealed class HwLock
        {
            [Acquires("this")]
            public void Take() { }
        }
        """,
        DeclineReason.CannotWrap,
        DeclineReason.NoLockFunction);
}
