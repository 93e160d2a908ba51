using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Gup;

// A PROT_WRITE-only mapping has VM_WRITE but not VM_READ. x86 and arm64 page tables cannot say
// write-only, so the hardware (and the arch fault handler's access_error()) lets a read through,
// but mm/gup.c vma_permits_fault() (fixup_user_fault) and check_vma_flags() (GUP without
// FOLL_FORCE) look at the VMA's flags: a read there is -EFAULT.
public class VmaPermissionTests
{
    [Fact]
    public void FixupUserFaultForReadOfAWriteOnlyMappingIsEfault()
    {
        var sim = new Sim();
        var p = sim.Map(1, Prot.Write);
        sim.Run(() =>
        {
            MmapReadLock(sim.Mm);
            Assert.Equal(-EFAULT, FixupUserFault(sim.Mm, p, FaultFlags.None));
            Assert.Equal(0, FixupUserFault(sim.Mm, p, FaultFlags.Write));
            MmapReadUnlock(sim.Mm);
        });
        sim.AssertNoReports();
    }

    [Fact]
    public void AReadPinOfAWriteOnlyMappingIsEfaultEvenWhenThePageIsPresent()
    {
        var sim = new Sim();
        var p = sim.Map(1, Prot.Write);
        var pages = new PinnedPage[1];
        sim.Run(() =>
        {
            Assert.Equal(-EFAULT, PinUserPagesUnlocked(p, 1, pages, GupFlags.None));
            Assert.Equal(1, PinUserPagesUnlocked(p, 1, pages, GupFlags.Write));
            UnpinUserPage(pages[0]);
            Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
            Assert.Equal(-EFAULT, PinUserPagesUnlocked(p, 1, pages, GupFlags.None | GupFlags.NoFault));
        });
    }

    [Fact]
    public void ACopyFromAWriteOnlyMappingGoesThroughTheArchFaultPath()
    {
        // The near miss: copy_from_user() faults through do_user_addr_fault(), whose
        // access_error() accepts a read of any accessible VMA.
        var sim = new Sim();
        var p = sim.Map(1, Prot.Write);
        var bytes = new byte[4];
        sim.Run(() => Assert.Equal(0, CopyFromUser(bytes, p)));
        sim.AssertNoReports();
    }

    [Fact]
    public void FaultInSafeWriteableOfAReadOnlyMappingFaultsNothingIn()
    {
        var sim = new Sim();
        var p = sim.Map(1, Prot.Read);
        sim.Run(() => Assert.Equal(100, FaultInSafeWriteable(p, 100)));
    }
}
