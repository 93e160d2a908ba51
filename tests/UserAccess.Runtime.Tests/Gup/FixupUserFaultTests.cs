using System;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Gup;

public class FixupUserFaultTests
{
    private static int Fixup(Sim sim, UserPtr p, FaultFlags flags)
    {
        MmapReadLock(sim.Mm);
        int rc = FixupUserFault(sim.Mm, p, flags);
        MmapReadUnlock(sim.Mm);
        return rc;
    }

    [Fact]
    public void AWriteFixupZeroFillsAndBreaksCowAReadFixupMapsTheZeroPage()
    {
        var sim = new Sim();
        var p = sim.Map(3);
        _ = sim.Read(p + (2 * sim.PageSize), 1);
        sim.Run(() =>
        {
            Assert.Equal(0, Fixup(sim, p, FaultFlags.Write));
            Assert.Equal(0, Fixup(sim, p + sim.PageSize, FaultFlags.None));
            Assert.Equal(0, Fixup(sim, p + (2 * sim.PageSize), FaultFlags.Write));
        });
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
        Assert.Equal(PageState.ZeroPage, sim.Mm.GetPageState(p + sim.PageSize));
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p + (2 * sim.PageSize)));
        sim.AssertNoReports();
    }

    [Fact]
    public void FixupFailsWithEfaultForNoVmaAForbiddenAccessAndAPoisonedPage()
    {
        var sim = new Sim();
        var ro = sim.Map(1, Prot.Read);
        var none = sim.Map(1, Prot.None);
        var poisoned = sim.Map(1);
        sim.Mm.Poison(poisoned);
        var unmapped = sim.Map(1);
        sim.Mm.Munmap(unmapped, (ulong)sim.PageSize);
        sim.Run(() =>
        {
            Assert.Equal(-EFAULT, Fixup(sim, unmapped, FaultFlags.None));
            Assert.Equal(-EFAULT, Fixup(sim, ro, FaultFlags.Write));
            Assert.Equal(0, Fixup(sim, ro, FaultFlags.None));
            Assert.Equal(-EFAULT, Fixup(sim, none, FaultFlags.None));
            Assert.Equal(-EFAULT, Fixup(sim, poisoned, FaultFlags.Write));
            Assert.Equal(-EFAULT, Fixup(sim, new UserPtr(sim.Arch.TaskSize), FaultFlags.None));
        });
        sim.AssertNoReports();
    }

    [Fact]
    public void FixupWithoutTheMmapLockIsLockNotHeld()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Run(() => Assert.Equal(0, FixupUserFault(sim.Mm, p, FaultFlags.Write)));
        var report = sim.AssertSingleReport(ReportKind.LockNotHeld);
        Assert.Contains("fixup_user_fault", report.Message);
    }

    [Fact]
    public void FixupInANofaultRegionIsReportedButResolvesTheFaultAsTheKernelDoes()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Run(() =>
        {
            MmapReadLock(sim.Mm);
            PagefaultDisable();
            Assert.Equal(0, FixupUserFault(sim.Mm, p, FaultFlags.Write));
            PagefaultEnable();
            MmapReadUnlock(sim.Mm);
        });
        sim.AssertSingleReport(ReportKind.FaultHandlingInNofault);
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
    }

    [Fact]
    public void ASwapInKeepsTheLockWithoutUnlockedAndDropsItForTheIoWaitWithUnlocked()
    {
        var sim = new Sim();
        var p = sim.Map(2);
        sim.Fill(p, 2 * sim.PageSize, 6);
        sim.Mm.SwapOut(p, (ulong)(2 * sim.PageSize));
        bool heldDuringIo = false;
        sim.Mm.SwapInIoHook = () => heldDuringIo = sim.Mm.MmapLock.IsHeldByCurrent;
        sim.Run(() =>
        {
            MmapReadLock(sim.Mm);
            Assert.Equal(0, FixupUserFault(sim.Mm, p, FaultFlags.Write));
            Assert.True(heldDuringIo);

            Assert.Equal(0, FixupUserFault(sim.Mm, p + sim.PageSize, FaultFlags.Write, out bool unlocked));
            Assert.True(unlocked);
            Assert.False(heldDuringIo);
            Assert.True(sim.Mm.MmapLock.IsHeldByCurrent);

            Assert.Equal(0, FixupUserFault(sim.Mm, p, FaultFlags.Write, out unlocked));
            Assert.False(unlocked);
            MmapReadUnlock(sim.Mm);
        });
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p + sim.PageSize));
        sim.AssertNoReports();
    }

    [Fact]
    public void AFatalSignalDuringTheIoWaitOfAKillableFixupGivesEintrWithTheLockRetaken()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Fill(p, 8, 6);
        sim.Mm.SwapOut(p, (ulong)sim.PageSize);
        sim.Mm.SwapInIoHook = () => sim.Task.SendSignal(Signal.SIGKILL);
        sim.Run(() =>
        {
            MmapReadLock(sim.Mm);
            Assert.Equal(-EINTR, FixupUserFault(sim.Mm, p, FaultFlags.Write, out bool unlocked));
            Assert.True(unlocked);
            Assert.True(sim.Mm.MmapLock.IsHeldByCurrent);
            MmapReadUnlock(sim.Mm);
        });
        sim.AssertNoReports();
    }

    [Fact]
    public void APendingFatalSignalGivesEintrOnlyWhenTheFixupIsKillable()
    {
        var sim = new Sim();
        var p = sim.Map(2);
        sim.Task.SendSignal(Signal.SIGKILL);
        sim.Run(() =>
        {
            MmapReadLock(sim.Mm);
            Assert.Equal(-EINTR, FixupUserFault(sim.Mm, p, FaultFlags.Write, out bool _));
            Assert.Equal(-EINTR, FixupUserFault(sim.Mm, p, FaultFlags.Write | FaultFlags.Killable));
            Assert.Equal(0, FixupUserFault(sim.Mm, p + sim.PageSize, FaultFlags.Write));
            MmapReadUnlock(sim.Mm);
        });
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p));
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p + sim.PageSize));
    }

    [Fact]
    public void AFixupUnderTheMmapWriteLockNeverDropsIt()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Fill(p, 8, 6);
        sim.Mm.SwapOut(p, (ulong)sim.PageSize);
        sim.Run(() =>
        {
            MmapWriteLock(sim.Mm);
            Assert.Equal(0, FixupUserFault(sim.Mm, p, FaultFlags.Write, out bool unlocked));
            Assert.False(unlocked);
            MmapWriteUnlock(sim.Mm);
        });
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
        sim.AssertNoReports();
    }

    [Fact]
    public void FixupWorksOnAnotherProcessAddressSpace()
    {
        var sim = new Sim();
        var other = sim.Machine.CreateProcess();
        var p = other.Mmap(4096, Prot.Read | Prot.Write);
        sim.Run(() =>
        {
            MmapReadLock(other);
            Assert.Equal(0, FixupUserFault(other, p, FaultFlags.Write | FaultFlags.Remote));
            MmapReadUnlock(other);
        });
        Assert.Equal(PageState.Writable, other.GetPageState(p));
        Assert.Equal(PageState.NotMapped, sim.Mm.GetPageState(p));
    }
}
