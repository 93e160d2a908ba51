using System.Linq;
using System.Reflection;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using Xunit;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Gup;

// Fault-in corner cases checked against mm/gup.c.
public class FaultInAuditTests
{
    [Fact]
    public void FaultInSafeWriteableHasNoAccessOkAndCountsWhatItFaultedInBeforeTheUserLimit()
    {
        // fault_in_safe_writeable() loops fixup_user_fault() page by page with no access_ok(): a
        // range that runs past TASK_SIZE faults in what lies below it.
        var sim = new Sim();
        var top = new UserPtr(sim.Arch.TaskSize - (ulong)sim.PageSize);
        var p = sim.Mm.Mmap((ulong)sim.PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, top);
        sim.Run(() =>
        {
            Assert.False(AccessOk(p, 2 * sim.PageSize));
            Assert.Equal(sim.PageSize, FaultInSafeWriteable(p, 2 * sim.PageSize));
            Assert.Equal(2 * sim.PageSize, FaultInWriteable(p, 2 * sim.PageSize));
        });
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
    }

    [Fact]
    public void FaultInSubpageWriteableCountsFromTheFirstRefusingGranule()
    {
        // mte_probe_user_range(): "return end - uaddr" at the first granule whose probe faults.
        var sim = new Sim(Arch.Arm64);
        var p = sim.Mm.Mmap(4096, Prot.Read | Prot.Write | Prot.Mte, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        sim.Mm.SetMemoryTag(p + 48, 16, 3);
        sim.Run(() =>
        {
            Assert.Equal(0, FaultInWriteable(p + 8, 100));
            Assert.Equal(60, FaultInSubpageWriteable(p + 8, 100));
            Assert.Equal(100, FaultInSubpageWriteable(p + 48, 100));
            Assert.Equal(0, FaultInSubpageWriteable(p, 48));
        });
    }

    [Fact]
    public void OnlyTheSubpageFaultInIsAnnotatedAsProbingBelowPageGranularity()
    {
        var subPage = typeof(Kernel).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetCustomAttribute<FaultsInAttribute>() is { SubPage: true })
            .Select(m => m.Name)
            .Distinct()
            .ToArray();
        Assert.Equal(new[] { nameof(FaultInSubpageWriteable) }, subPage);
    }
}
