using System;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Gup;

public class PinUserPagesTests
{
    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void AWritePinFaultsInAndTheKernelMappingSharesTheUserBytesInArchOrder(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var p = sim.Map(2);
        var pages = new PinnedPage[2];
        sim.Run(() => Assert.Equal(2, PinUserPagesUnlocked(p, 2, pages, GupFlags.Write)));
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p + sim.PageSize));

        var map = pages[1].Kmap();
        map.WriteOnce(8, 0x01020304u);
        var bytes = sim.Read(p + sim.PageSize + 8, 4);
        Assert.Equal(sim.Arch.IsBigEndian ? new byte[] { 1, 2, 3, 4 } : new byte[] { 4, 3, 2, 1 }, bytes);

        sim.Mm.UserWrite(p + 16, new byte[] { 0, 0, 0, 7 });
        Assert.Equal(sim.Arch.IsBigEndian ? 7u : 7u << 24, pages[0].Kmap().ReadOnce<uint>(16));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ReadOnce<ulong>(sim.PageSize - 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.WriteOnce(-1, (byte)0));

        // Words at natural and odd offsets, and a byte, all in the arch's order.
        map.WriteOnce(24, 0x1122334455667788UL);
        map.WriteOnce(33, 0x0A0B0C0Du);
        map.WriteOnce(40, (ushort)0xBEEF);
        Assert.Equal(0x1122334455667788UL, map.ReadOnce<ulong>(24));
        Assert.Equal(0x0A0B0C0Du, map.ReadOnce<uint>(33));
        Assert.Equal((ushort)0xBEEF, map.ReadOnce<ushort>(40));
        Assert.Equal(sim.Arch.IsBigEndian ? (byte)0x11 : (byte)0x88, sim.Read(p + sim.PageSize + 24, 1)[0]);
        Assert.Equal(sim.Arch.IsBigEndian ? (byte)0x0A : (byte)0x0D, sim.Read(p + sim.PageSize + 33, 1)[0]);
        sim.Run(() =>
        {
            UnpinUserPage(pages[0]);
            UnpinUserPage(pages[1]);
        });
        sim.AssertNoReports();
    }

    [Fact]
    public void APinnedPageIsNotSwappedOutUntilUnpinned()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        var pages = new PinnedPage[1];
        sim.Run(() => Assert.Equal(1, PinUserPagesUnlocked(p, 1, pages, GupFlags.Write)));
        sim.Mm.SwapOut(p, (ulong)sim.PageSize);
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
        sim.Run(() => UnpinUserPage(pages[0]));
        sim.Mm.SwapOut(p, (ulong)sim.PageSize);
        Assert.Equal(PageState.SwappedOut, sim.Mm.GetPageState(p));
        Assert.Throws<InvalidOperationException>(() => sim.Run(() => UnpinUserPage(pages[0])));
    }

    [Fact]
    public void NoFaultPinsOnlyPresentSuitablyWritablePages()
    {
        var sim = new Sim();
        var p = sim.Map(3);
        _ = sim.Read(p, 1);
        sim.Fill(p + sim.PageSize, 1, 1);
        var pages = new PinnedPage[1];
        sim.Run(() =>
        {
            Assert.Equal(-EFAULT, PinUserPagesUnlocked(p, 1, pages, GupFlags.Write | GupFlags.NoFault));
            Assert.Equal(1, PinUserPagesUnlocked(p, 1, pages, GupFlags.NoFault));
            UnpinUserPage(pages[0]);
            Assert.Equal(1, PinUserPagesUnlocked(p + sim.PageSize, 1, pages, GupFlags.Write | GupFlags.NoFault));
            UnpinUserPage(pages[0]);
            Assert.Equal(-EFAULT, PinUserPagesUnlocked(p + (2 * sim.PageSize), 1, pages, GupFlags.NoFault));
        });
        Assert.Equal(PageState.ZeroPage, sim.Mm.GetPageState(p));
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p + (2 * sim.PageSize)));
        sim.AssertNoReports();
    }

    [Fact]
    public void NoFaultWritePinsRefuseACopyOnWriteFilePage()
    {
        var sim = new Sim();
        var file = new SimFile(sim.Machine, "cow", sim.PageSize);
        var p = sim.Mm.MmapFile(file, (ulong)sim.PageSize, Prot.Read | Prot.Write, MapFlags.Private);
        _ = sim.Read(p, 1);
        var pages = new PinnedPage[1];
        sim.Run(() =>
        {
            Assert.Equal(-EFAULT, PinUserPagesUnlocked(p, 1, pages, GupFlags.Write | GupFlags.NoFault));
            Assert.Equal(1, PinUserPagesUnlocked(p, 1, pages, GupFlags.Write));
            pages[0].Kmap().WriteOnce<byte>(0, 9);
            UnpinUserPage(pages[0]);
        });

        // The write pin broke copy-on-write: the file's page cache is untouched.
        Assert.Equal(9, sim.Read(p, 1)[0]);
        Assert.Equal(0, file.GetFolio(0).Data[0]);
    }

    [Fact]
    public void NoFaultPinningInsideANofaultRegionIsSilentButFaultingPinIsReported()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Fill(p, 1, 1);
        var pages = new PinnedPage[1];
        sim.Run(() =>
        {
            using (NoFault())
            {
                Assert.Equal(1, PinUserPagesUnlocked(p, 1, pages, GupFlags.Write | GupFlags.NoFault));
            }

            UnpinUserPage(pages[0]);
        });
        sim.AssertNoReports();

        sim.Run(() =>
        {
            using (NoFault())
            {
                Assert.Equal(1, PinUserPagesUnlocked(p, 1, pages, GupFlags.Write));
            }

            UnpinUserPage(pages[0]);
        });
        sim.AssertSingleReport(ReportKind.FaultHandlingInNofault);
    }

    [Fact]
    public void PinningStopsAtTheFirstFailingPageAndReturnsWhatItPinned()
    {
        var sim = new Sim();
        var ro = sim.Map(1, Prot.Read);
        var p = sim.Map(3);
        sim.Mm.Munmap(p + sim.PageSize, (ulong)sim.PageSize);
        var pages = new PinnedPage[3];
        sim.Run(() =>
        {
            Assert.Equal(1, PinUserPagesUnlocked(p, 3, pages, GupFlags.Write));
            UnpinUserPage(pages[0]);
            Assert.Equal(-EFAULT, PinUserPagesUnlocked(p + sim.PageSize, 1, pages, GupFlags.None));
            Assert.Equal(-EFAULT, PinUserPagesUnlocked(ro, 1, pages, GupFlags.Write));
            Assert.Equal(1, PinUserPagesUnlocked(ro, 1, pages, GupFlags.None));
            UnpinUserPage(pages[0]);
            Assert.Equal(0, PinUserPagesUnlocked(ro, 0, pages, GupFlags.None));
        });
        sim.AssertNoReports();
    }

    [Fact]
    public void AFatalSignalStopsPinningWithEintr()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Task.SendSignal(Signal.SIGKILL);
        sim.Run(() => Assert.Equal(-EINTR, PinUserPagesUnlocked(p, 1, new PinnedPage[1], GupFlags.Write)));
    }
}
