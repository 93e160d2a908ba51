using System;
using System.Linq;
using UserAccess.Runtime;
using Xunit;

namespace UserAccess.Runtime.Tests.MemoryManagement;

public class MmuTests
{
    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void AReadOfAnUntouchedPrivatePageMapsTheZeroPageAndTheFirstWriteBreaksCow(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var p = sim.Map(2);
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p));

        Assert.All(sim.Read(p, 16), b => Assert.Equal(0, b));
        Assert.Equal(PageState.ZeroPage, sim.Mm.GetPageState(p));

        // Both pages read: both map the one zero page; writing one must not show in the other.
        Assert.All(sim.Read(p + sim.PageSize, 16), b => Assert.Equal(0, b));
        sim.Fill(p, 16, 0x5A);
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
        Assert.Equal(PageState.ZeroPage, sim.Mm.GetPageState(p + sim.PageSize));
        Assert.All(sim.Read(p + sim.PageSize, 16), b => Assert.Equal(0, b));
        Assert.All(sim.Read(p, 16), b => Assert.Equal(0x5A, b));
    }

    [Fact]
    public void AFirstWriteOfAnUntouchedPageMapsAPrivateWritablePageDirectly()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Fill(p + 100, 1, 7);
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
        Assert.Equal(new byte[] { 0, 7, 0 }, sim.Read(p + 99, 3));
    }

    [Fact]
    public void PopulatePrefaultsPrivateWritableMappingsForWriteAndReadOnlyOnesWithTheZeroPage()
    {
        var sim = new Sim();
        var rw = sim.Mm.Mmap((ulong)(3 * sim.PageSize), Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        var ro = sim.Mm.Mmap((ulong)sim.PageSize, Prot.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        var plain = sim.Map(1);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(PageState.Writable, sim.Mm.GetPageState(rw + (i * sim.PageSize)));
        }

        Assert.Equal(PageState.ZeroPage, sim.Mm.GetPageState(ro));
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(plain));
    }

    [Fact]
    public void MadviseDontNeedDropsThePagesAndTheNextTouchZeroFills()
    {
        var sim = new Sim();
        var p = sim.Map(2);
        sim.Fill(p, 2 * sim.PageSize, 0xEE);
        sim.Mm.MadviseDontNeed(p, (ulong)sim.PageSize);
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p));
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p + sim.PageSize));
        Assert.All(sim.Read(p, sim.PageSize), b => Assert.Equal(0, b));
        Assert.All(sim.Read(p + sim.PageSize, sim.PageSize), b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public void MprotectTakesWriteAwayAndGivesItBackWithTheDataKept()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Fill(p, 8, 1);
        sim.Mm.Mprotect(p, (ulong)sim.PageSize, Prot.Read);
        Assert.Equal(PageState.ReadOnly, sim.Mm.GetPageState(p));
        var e = Assert.Throws<SegmentationFaultException>(() => sim.Fill(p + 3, 1, 2));
        Assert.Equal(p + 3, e.Address);
        Assert.StartsWith("SEGV_ACCERR", e.Reason);
        Assert.Equal(1, sim.Read(p, 1)[0]);

        sim.Mm.Mprotect(p, (ulong)sim.PageSize, Prot.None);
        Assert.Throws<SegmentationFaultException>(() => sim.Read(p, 1));

        sim.Mm.Mprotect(p, (ulong)sim.PageSize, Prot.Read | Prot.Write);
        sim.Fill(p + 3, 1, 2);
        Assert.Equal(new byte[] { 1, 1, 1, 2, 1 }, sim.Read(p, 5));
    }

    [Fact]
    public void MprotectOfPartOfAMappingSplitsIt()
    {
        var sim = new Sim();
        var p = sim.Map(3);
        sim.Mm.Mprotect(p + sim.PageSize, (ulong)sim.PageSize, Prot.Read);
        sim.Fill(p, 1, 1);
        sim.Fill(p + (2 * sim.PageSize), 1, 1);
        Assert.Throws<SegmentationFaultException>(() => sim.Fill(p + sim.PageSize, 1, 1));
        Assert.Throws<InvalidOperationException>(() => sim.Mm.Mprotect(p + (3 * sim.PageSize), (ulong)sim.PageSize, Prot.Read));
    }

    [Fact]
    public void MunmapOfTheMiddlePageLeavesAHoleThatFaultsAtItsFirstByte()
    {
        var sim = new Sim();
        var p = sim.Map(3);
        sim.Fill(p, 3 * sim.PageSize, 9);
        sim.Mm.Munmap(p + sim.PageSize, (ulong)sim.PageSize);
        Assert.Equal(PageState.NotMapped, sim.Mm.GetPageState(p + sim.PageSize));
        Assert.Equal(9, sim.Read(p + (2 * sim.PageSize), 1)[0]);
        var e = Assert.Throws<SegmentationFaultException>(() => sim.Read(p + sim.PageSize - 4, 8));
        Assert.Equal(p + sim.PageSize, e.Address);
        Assert.StartsWith("SEGV_MAPERR", e.Reason);
    }

    [Fact]
    public void SwappedOutPagesComeBackWithTheirContents()
    {
        var sim = new Sim();
        var p = sim.Map(2);
        sim.Fill(p, 2 * sim.PageSize, 0x42);
        sim.Mm.SwapOut(p, (ulong)(2 * sim.PageSize));
        Assert.Equal(PageState.SwappedOut, sim.Mm.GetPageState(p));
        Assert.All(sim.Read(p, 2 * sim.PageSize), b => Assert.Equal(0x42, b));
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
    }

    [Fact]
    public void APoisonedPageFailsEveryAccess()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Fill(p, 1, 1);
        sim.Mm.Poison(p + 10);
        Assert.Equal(PageState.Poisoned, sim.Mm.GetPageState(p));
        Assert.StartsWith("BUS_MCEERR_AR", Assert.Throws<SegmentationFaultException>(() => sim.Read(p, 1)).Reason);
        Assert.Throws<SegmentationFaultException>(() => sim.Fill(p, 1, 1));
        Assert.Equal(PageState.Poisoned, sim.Mm.GetPageState(p));
    }

    [Fact]
    public void MmapHonoursAFreeHintAndFixedReplacesWhatIsThere()
    {
        var sim = new Sim();
        var hint = new UserPtr(0x7000_0000_0000UL);
        var p = sim.Mm.Mmap((ulong)sim.PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous, hint);
        Assert.Equal(hint, p);
        sim.Fill(p, 4, 3);

        // A hint that is taken is only a hint.
        var q = sim.Mm.Mmap((ulong)sim.PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous, hint);
        Assert.NotEqual(hint, q);

        var r = sim.Mm.Mmap((ulong)sim.PageSize, Prot.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, hint);
        Assert.Equal(hint, r);
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p));
        Assert.Equal(0, sim.Read(p, 1)[0]);
        Assert.Throws<SegmentationFaultException>(() => sim.Fill(p, 1, 1));
    }

    [Fact]
    public void MappingsDoNotOverlapAndStayBelowTaskSize()
    {
        var sim = new Sim(Arch.Arc);
        var a = sim.Map(4);
        var b = sim.Map(4);
        Assert.True(b.Address >= a.Address + (ulong)(4 * sim.PageSize) || a.Address >= b.Address + (ulong)(4 * sim.PageSize));
        Assert.True(b.Address + (ulong)(4 * sim.PageSize) <= Arch.Arc.TaskSize);
        Assert.Throws<InvalidOperationException>(() => sim.Mm.Mmap(Arch.Arc.TaskSize, Prot.Read));
    }

    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void MappingsAreWholePagesOfTheArchsSize(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var p = sim.Mm.Mmap(1, Prot.Read | Prot.Write);
        Assert.Equal(0UL, p.Address % (ulong)sim.PageSize);
        sim.Fill(p + (sim.PageSize - 1), 1, 1);
        Assert.Equal(PageState.NotMapped, sim.Mm.GetPageState(p + sim.PageSize));
    }

    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void TheTopUserPageIsReachableAndTaskSizeIsNot(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var top = new UserPtr(sim.Arch.TaskSize - (ulong)sim.PageSize);
        var p = sim.Mm.Mmap((ulong)sim.PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, top);
        sim.Fill(p + (sim.PageSize - 1), 1, 0x11);
        Assert.Equal(0x11, sim.Read(p + (sim.PageSize - 1), 1)[0]);
        Assert.Throws<SegmentationFaultException>(() => sim.Read(p + (sim.PageSize - 1), 2));
        Assert.Throws<ArgumentException>(() => sim.Mm.Mmap((ulong)sim.PageSize, Prot.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, new UserPtr(sim.Arch.TaskSize)));
    }

    [Fact]
    public void MemoryGrowsWithTouchedPagesNotWithTheMappingSize()
    {
        var sim = new Sim();
        const ulong OneTiB = 1UL << 40;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var p = sim.Mm.Mmap(OneTiB, Prot.Read | Prot.Write);
        for (int i = 0; i < 16; i++)
        {
            sim.Fill(p + (long)((ulong)i * (OneTiB / 16)), 1, 1);
        }

        sim.Mm.Munmap(p, OneTiB);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // 16 pages of 4 KiB, their page-table leaves and the walk: far below a MiB.
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
        Assert.Equal(PageState.NotMapped, sim.Mm.GetPageState(p));
    }

    [Fact]
    public void ProtMteIsOnlyAvailableOnArm64()
    {
        Assert.Throws<ArgumentException>(() => new Sim(Arch.X86_64).Mm.Mmap(4096, Prot.Read | Prot.Mte));
        var sim = new Sim(Arch.Arm64);
        sim.Mm.Mmap(4096, Prot.Read | Prot.Write | Prot.Mte);
        Assert.Throws<NotSupportedException>(() => new Sim(Arch.PowerPC64BE).Mm.SetMemoryTag(new UserPtr(0x1000_0000), 16, 1));
    }

    [Fact]
    public void UserAccessesAreTagCheckedPerGranuleOnMteMappings()
    {
        var sim = new Sim(Arch.Arm64);
        var p = sim.Mm.Mmap(4096, Prot.Read | Prot.Write | Prot.Mte);
        sim.Mm.SetMemoryTag(p + 32, 16, 5);
        sim.Fill(p, 32, 1);
        var e = Assert.Throws<SegmentationFaultException>(() => sim.Read(p + 16, 32));
        Assert.Equal(p + 32, e.Address);
        Assert.StartsWith("SEGV_MTESERR", e.Reason);
        Assert.Equal(new byte[16], sim.Read((p + 32).WithTag(5), 16));
        Assert.Throws<SegmentationFaultException>(() => sim.Read((p + 48).WithTag(5), 1));
    }

    [Fact]
    public void TopByteIgnoreTranslatesTaggedPointersOnArm64Only()
    {
        var arm = new Sim(Arch.Arm64);
        var p = arm.Map(1);
        arm.Fill(p, 1, 0x33);
        Assert.Equal(0x33, arm.Read(p.WithTag(0xA7), 1)[0]);

        var x86 = new Sim(Arch.X86_64);
        var q = x86.Map(1);
        Assert.Throws<SegmentationFaultException>(() => x86.Read(q.WithTag(0x07), 1));
    }
}
