using UserAccess.Runtime;
using Xunit;

namespace UserAccess.Runtime.Tests.MemoryManagement;

// mm/mremap.c: shrink and grow in place when the range allows it, move with MREMAP_MAYMOVE, move
// exactly with MREMAP_FIXED; the pages travel with their contents (move_page_tables()).
public class MremapTests
{
    [Fact]
    public void ShrinkingAndGrowingInPlaceKeepTheAddressAndTheData()
    {
        var sim = new Sim();
        var p = sim.Map(2);
        sim.Fill(p, 4, 1);
        Assert.Equal(p, sim.Mm.Mremap(p, (ulong)(2 * sim.PageSize), (ulong)sim.PageSize, MremapFlags.None));
        Assert.Equal(PageState.NotMapped, sim.Mm.GetPageState(p + sim.PageSize));
        Assert.Equal(p, sim.Mm.Mremap(p, (ulong)sim.PageSize, (ulong)(3 * sim.PageSize), MremapFlags.None));
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p + (2 * sim.PageSize)));
        Assert.Equal(new byte[] { 1, 1, 1, 1 }, sim.Read(p, 4));
    }

    [Fact]
    public void GrowingIntoAnotherMappingMovesOnlyWithMayMove()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        var next = sim.Mm.Mmap((ulong)sim.PageSize, Prot.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, p + sim.PageSize);
        sim.Fill(p, 2, 7);
        Assert.Throws<System.InvalidOperationException>(() => sim.Mm.Mremap(p, (ulong)sim.PageSize, (ulong)(2 * sim.PageSize), MremapFlags.None));
        var moved = sim.Mm.Mremap(p, (ulong)sim.PageSize, (ulong)(2 * sim.PageSize));
        Assert.NotEqual(p, moved);
        Assert.Equal(PageState.NotMapped, sim.Mm.GetPageState(p));
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(next));
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(moved));
        Assert.Equal(new byte[] { 7, 7 }, sim.Read(moved, 2));
    }
}
