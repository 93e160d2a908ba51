using System;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Atomics;

// What the futex selftests check, and the futex core's fault-in-and-retry around the inatomic ops.
public class FutexTests
{
    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void AReadOfAnUntouchedFutexWordSeesTheZeroPagesZero(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var p = sim.Map(1).Cast<uint>();
        sim.Run(() =>
        {
            Assert.Equal(0, GetUser(out uint value, p));
            Assert.Equal(0u, value);
        });
        Assert.Equal(PageState.ZeroPage, sim.Mm.GetPageState(p));
    }

    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void TheZeroPageIsReadOnlyForAtomicsUntilFaultInUserWriteable(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var p = sim.Map(1).Cast<uint>();
        _ = sim.Read(p, 4);
        sim.Run(() =>
        {
            using (NoFault())
            {
                Assert.Equal(-EFAULT, FutexAtomicCmpxchgInatomic(out uint _, p, 0, 1));
            }

            Assert.Equal(0, FaultInUserWriteable(p));
            using (NoFault())
            {
                Assert.Equal(0, FutexAtomicCmpxchgInatomic(out uint found, p, 0, 1));
                Assert.Equal(0u, found);
            }

            Assert.Equal(0, GetUser(out uint now, p));
            Assert.Equal(1u, now);
        });
        sim.AssertNoReports();
    }

    [Fact]
    public void AReadOnlyPageMakesTheWriteBackFailWithEfault()
    {
        var sim = new Sim();
        var p = sim.Map(1).Cast<uint>();
        sim.Fill(p, 4, 0);
        sim.Mm.Mprotect(p, (ulong)sim.PageSize, Prot.Read);
        sim.Run(() =>
        {
            using (NoFault())
            {
                Assert.Equal(-EFAULT, ArchFutexAtomicOpInuser(FutexOp.Add, 1, out int _, p));
            }

            Assert.Equal(-EFAULT, FaultInUserWriteable(p));
        });
        sim.AssertNoReports();
    }

    [Fact]
    public void AtomicsNeverFaultANotPresentPageIn()
    {
        var sim = new Sim();
        var p = sim.Map(1).Cast<uint>();
        sim.Run(() =>
        {
            Assert.Equal(-EFAULT, FutexAtomicCmpxchgInatomic(out uint _, p, 0, 1));
            Assert.Equal(-EFAULT, XchgUserInatomic(p, 1u, out uint _));
        });
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p));
    }

    [Fact]
    public void FutexWakeOpOnAnUnmappedPageFailsWithEfaultAndFaultInFailsToo()
    {
        var sim = new Sim();
        var p = sim.Map(1).Cast<uint>();
        sim.Mm.Munmap(p, (ulong)sim.PageSize);
        sim.Run(() =>
        {
            PagefaultDisable();
            int rc = ArchFutexAtomicOpInuser(FutexOp.Add, 1, out int _, p);
            PagefaultEnable();
            Assert.Equal(-EFAULT, rc);
            Assert.Equal(-EFAULT, FaultInUserWriteable(p));
        });
        sim.AssertNoReports();
    }

    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void FutexOpsReturnTheOldValueAndStoreTheResult(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var p = sim.Map(1).Cast<uint>();
        sim.Run(() =>
        {
            Assert.Equal(0, PutUser(0b1100u, p));
            using (NoFault())
            {
                Assert.Equal(0, ArchFutexAtomicOpInuser(FutexOp.Add, 3, out int old, p));
                Assert.Equal(0b1100, old);
                Assert.Equal(0, ArchFutexAtomicOpInuser(FutexOp.Or, 0b10000, out old, p));
                Assert.Equal(15, old);
                Assert.Equal(0, ArchFutexAtomicOpInuser(FutexOp.AndN, 0b11, out old, p));
                Assert.Equal(31, old);
                Assert.Equal(0, ArchFutexAtomicOpInuser(FutexOp.Xor, 0b101, out old, p));
                Assert.Equal(28, old);
                Assert.Equal(0, ArchFutexAtomicOpInuser(FutexOp.Set, -1, out old, p));
                Assert.Equal(25, old);
                Assert.Equal(-ENOSYS, ArchFutexAtomicOpInuser((FutexOp)9, 1, out old, p));
            }

            Assert.Equal(0, GetUser(out uint value, p));
            Assert.Equal(uint.MaxValue, value);
        });
    }

    [Fact]
    public void CmpxchgThatFindsAnotherValueStoresNothing()
    {
        var sim = new Sim();
        var p = sim.Map(1).Cast<uint>();
        sim.Run(() =>
        {
            Assert.Equal(0, PutUser(5u, p));
            Assert.Equal(0, FutexAtomicCmpxchgInatomic(out uint found, p, 4, 9));
            Assert.Equal(5u, found);
            Assert.Equal(0, GetUser(out uint value, p));
            Assert.Equal(5u, value);
        });
    }

    [Fact]
    public void FaultInUserWriteableWithPageFaultsDisabledIsReported()
    {
        var sim = new Sim();
        var p = sim.Map(1).Cast<uint>();
        sim.Run(() =>
        {
            using (NoFault())
            {
                Assert.Equal(-EFAULT, FaultInUserWriteable(p));
            }
        });
        sim.AssertSingleReport(ReportKind.FaultHandlingInNofault);
    }

    [Fact]
    public void FaultInUserWriteableSwapsInAndBreaksCow()
    {
        var sim = new Sim();
        var p = sim.Map(2).Cast<uint>();
        sim.Fill(p, 4, 1);
        sim.Mm.SwapOut(p, (ulong)sim.PageSize);
        sim.Run(() =>
        {
            Assert.Equal(0, FaultInUserWriteable(p));
            Assert.Equal(0, FaultInUserWriteable(p + sim.PageSize));
        });
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p + sim.PageSize));
    }

    [Fact]
    public void AtomicsOnAKernelAddressFail()
    {
        var sim = new Sim();
        sim.Run(() => Assert.Equal(-EFAULT, FutexAtomicCmpxchgInatomic(out uint _, new UserPtr<uint>(sim.Arch.TaskSize), 0, 1)));
    }

    // arch/arm64/include/asm/futex.h runs the exclusives between uaccess_enable_privileged() and
    // uaccess_disable_privileged(), which set and clear PSTATE.TCO (arch/arm64/include/asm/uaccess.h):
    // tag checks are overridden, so a pointer with the wrong tag still updates the word.
    [Fact]
    public void UserAtomicsAreNotTagCheckedOnArm64ButGetUserIs()
    {
        var sim = new Sim(Arch.Arm64);
        var p = sim.Mm.Mmap(4096, Prot.Read | Prot.Write | Prot.Mte, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate).Cast<uint>();
        sim.Mm.SetMemoryTag(p, 16, 2);
        sim.Run(() =>
        {
            Assert.Equal(0, XchgUserInatomic(p, 1u, out uint old));
            Assert.Equal(0u, old);
            Assert.Equal(0, FutexAtomicCmpxchgInatomic(out uint cur, p.WithTag(5), 1, 2));
            Assert.Equal(1u, cur);
            Assert.Equal(0, ArchFutexAtomicOpInuser(FutexOp.Add, 3, out int was, p));
            Assert.Equal(2, was);
            Assert.Equal(-EFAULT, GetUser(out uint _, p));
            Assert.Equal(0, GetUser(out uint seen, p.WithTag(2)));
            Assert.Equal(5u, seen);
        });
    }
}
