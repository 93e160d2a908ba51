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

    /// <summary>Another task's mm (access_remote_vm()): in a function that returns errnos its lock is taken killably, as a plain wait there is UA2001.</summary>
    [Fact]
    public Task InAnErrnoFunctionTheLockIsTakenKillably() => Verify(
        """
        namespace Sim;

        public static class Gup
        {
            public static int Fault([UserAccess.Runtime.Annotations.RemoteMm] Mm mm, UserPtr uaddr, KernelMutex lk)
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
            public static int Fault([UserAccess.Runtime.Annotations.RemoteMm] Mm mm, UserPtr uaddr, KernelMutex lk)
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

    private const string FindVma = """

        public sealed class Vma
        {
            public ulong Start;
            public ulong End;
            public bool Hugetlb;
        }

        public static class VmaTree
        {
            [UserAccess.Runtime.Annotations.RequiresLock("mm.MmapLock", Shared = true)]
            public static Vma? FindVma(Mm mm, ulong addr) => null;

            public static void Show(Vma? vma)
            {
            }
        }
        """;

    /// <summary>
    /// show_faulting_vma() (arc) and octeon_flush_cache_sigtramp() (mips) before "call find_vma with
    /// the mmap_sem held": the VMA is valid only under the lock, so the lock covers its uses, as the
    /// kernel's fixes do; a lookup in an if condition holds it over the if.
    /// </summary>
    [Fact]
    public Task TheLockCoversTheUsesOfTheVmaTheCallReturned() => Verify(
        """
        namespace Sim;

        public static class Arch
        {
            public static void ShowFaultingVma(Mm activeMm, ulong address)
            {
                Vma? vma;

                // the VMA the fault hit
                vma = [|VmaTree.FindVma(activeMm, address)|];
                if (vma != null && vma.Start <= address)
                    VmaTree.Show(vma);
                else
                    VmaTree.Show(null);
            }

            public static int FpemuReturn(Mm mm, ulong faultAddr)
            {
                int code;
                if ([|VmaTree.FindVma(mm, faultAddr)|] != null)
                    code = 2;
                else
                    code = 1;
                return code;
            }
        }
        """ + FindVma,
        """
        namespace Sim;

        public static class Arch
        {
            public static void ShowFaultingVma(Mm activeMm, ulong address)
            {
                Vma? vma;

                // the VMA the fault hit
                MmapReadLock(activeMm);
                vma = VmaTree.FindVma(activeMm, address);
                if (vma != null && vma.Start <= address)
                    VmaTree.Show(vma);
                else
                    VmaTree.Show(null);
                MmapReadUnlock(activeMm);
            }

            public static int FpemuReturn(Mm mm, ulong faultAddr)
            {
                int code;
                MmapReadLock(mm);
                if (VmaTree.FindVma(mm, faultAddr) != null)
                    code = 2;
                else
                    code = 1;
                MmapReadUnlock(mm);
                return code;
            }
        }
        """ + FindVma);

    /// <summary>
    /// ib_umem_odp_get() before 79bb5b7ee177 "RDMA/umem: Fix missing mmap_sem in get umem ODP": the
    /// early return that uses the VMA releases the lock first, as the kernel's fix does; a read wait on
    /// the task's own mm stays plain, as it does in the kernel.
    /// </summary>
    [Fact]
    public Task AnEarlyReturnInsideTheLockedUsesReleasesItFirst() => Verify(
        """
        namespace Sim;

        public static class Odp
        {
            public static int Hugetlb(Mm mm, ulong start, bool[] hugetlb)
            {
                Vma? vma;

                vma = [|VmaTree.FindVma(mm, start)|];
                if (vma == null || !vma.Hugetlb)
                    return -EINVAL;
                hugetlb[0] = vma.Hugetlb;
                return 0;
            }
        }
        """ + FindVma,
        """
        namespace Sim;

        public static class Odp
        {
            public static int Hugetlb(Mm mm, ulong start, bool[] hugetlb)
            {
                Vma? vma;

                MmapReadLock(mm);
                vma = VmaTree.FindVma(mm, start);
                if (vma == null || !vma.Hugetlb)
                {
                    MmapReadUnlock(mm);
                    return -EINVAL;
                }
                hugetlb[0] = vma.Hugetlb;
                MmapReadUnlock(mm);
                return 0;
            }
        }
        """ + FindVma);
}
