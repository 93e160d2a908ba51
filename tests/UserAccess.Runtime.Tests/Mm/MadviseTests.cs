using System.Linq;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.MemoryManagement;

// mm/madvise.c madvise_dontneed_single_vma() -> zap_page_range_single(): MADV_DONTNEED removes page
// table entries, not the memory behind them. What a later touch sees depends on what backs the VMA.
public class MadviseTests
{
    [Fact]
    public void SharedAnonymousMemoryKeepsItsDataInShmem()
    {
        var sim = new Sim();
        var p = sim.Map(1, flags: MapFlags.Shared | MapFlags.Anonymous);
        sim.Fill(p, 16, 0x5A);
        sim.Mm.MadviseDontNeed(p, (ulong)sim.PageSize);
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p));
        Assert.All(sim.Read(p, 16), b => Assert.Equal(0x5A, b));
    }

    [Fact]
    public void ASharedFileMappingKeepsItsDataInThePageCache()
    {
        var sim = new Sim();
        var file = new SimFile(sim.Machine, "f", sim.PageSize);
        var p = sim.Mm.MmapFile(file, (ulong)sim.PageSize, Prot.Read | Prot.Write, MapFlags.Shared);
        sim.Fill(p, 4, 7);
        sim.Mm.MadviseDontNeed(p, (ulong)sim.PageSize);
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p));
        Assert.Equal(new byte[] { 7, 7, 7, 7 }, sim.Read(p, 4));
    }

    [Fact]
    public void APrivateFileMappingDropsItsCopyAndReadsTheFileAgain()
    {
        var sim = new Sim();
        var file = new SimFile(sim.Machine, "f", sim.PageSize);
        file.GetFolio(0).Data[0] = 0x11;
        var p = sim.Mm.MmapFile(file, (ulong)sim.PageSize, Prot.Read | Prot.Write, MapFlags.Private);
        sim.Fill(p, 1, 0x22);
        sim.Mm.MadviseDontNeed(p, (ulong)sim.PageSize);
        Assert.Equal(new byte[] { 0x11 }, sim.Read(p, 1));
    }

    [Fact]
    public void APinnedPageIsUnmappedTooThePinKeepsTheOldPageAndTheUserGetsAFreshOne()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Fill(p, 8, 0xAB);
        var pages = new PinnedPage[1];
        sim.Run(() => Assert.Equal(1, PinUserPagesUnlocked(p, 1, pages, GupFlags.Write)));

        sim.Mm.MadviseDontNeed(p, (ulong)sim.PageSize);

        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p));
        var kernelView = pages[0].Kmap();
        Assert.Equal(0xABu, kernelView.ReadOnce<byte>(0));
        Assert.All(sim.Read(p, 8), b => Assert.Equal(0, b));

        // The two have parted: what the pin holder writes, the user no longer sees.
        kernelView.WriteOnce<byte>(0, 0xCD);
        Assert.Equal(0, sim.Read(p, 1).Single());
        sim.Run(() => UnpinUserPage(pages[0]));
    }

    [Fact]
    public void SwappedOutPrivatePagesAreDiscardedToo()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Fill(p, 8, 3);
        sim.Mm.SwapOut(p, (ulong)sim.PageSize);
        sim.Mm.MadviseDontNeed(p, (ulong)sim.PageSize);
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p));
        Assert.All(sim.Read(p, 8), b => Assert.Equal(0, b));
    }
}
