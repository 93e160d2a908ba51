using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Gup;

// The arm64 MTE livelock that brought fault_in_subpage_writeable(): the copy fails inside a page
// that fault_in_writeable() reports as faulted in, because only its first byte was probed.
public class SubpageFaultLivelockTests
{
    private static (Sim Sim, UserPtr P) RetaggedBuffer(ReportAction action = ReportAction.Record)
    {
        var sim = new Sim(Arch.Arm64, action, livelockThreshold: 10);
        var p = sim.Mm.Mmap(4096, Prot.Read | Prot.Write | Prot.Mte, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        sim.Mm.SetMemoryTag(p + 32, 16, 6);
        return (sim, p);
    }

    private static int CopyLoop(UserPtr p, bool subpage)
    {
        var buffer = new byte[64];
        while (true)
        {
            PagefaultDisable();
            int left = CopyToUser(p, buffer);
            PagefaultEnable();
            if (left == 0)
            {
                return 0;
            }

            // btrfs' search_ioctl(): fault in the whole buffer, give up if any of it cannot be.
            int notFaultedIn = subpage ? FaultInSubpageWriteable(p, buffer.Length) : FaultInWriteable(p, buffer.Length);
            if (notFaultedIn != 0)
            {
                return -Errno.EFAULT;
            }
        }
    }

    [Fact]
    public void RetryingAfterFaultInWriteableSpinsAndIsReportedAsALivelock()
    {
        var (sim, p) = RetaggedBuffer();
        Assert.Equal(TaskStruct.Killed, sim.RunRaw(() => CopyLoop(p, subpage: false)));
        var report = sim.AssertSingleReport(ReportKind.Livelock);
        Assert.Contains($"0x{(p + 32).Address:x}", report.Message);
    }

    [Fact]
    public void RetryingAfterFaultInSubpageWriteableEndsWithEfaultSilently()
    {
        var (sim, p) = RetaggedBuffer();
        Assert.Equal(-Errno.EFAULT, sim.RunRaw(() => CopyLoop(p, subpage: true)));
        sim.AssertNoReports();
    }

    [Fact]
    public void InThrowModeTheLivelockIsAKernelBugException()
    {
        var (sim, p) = RetaggedBuffer(ReportAction.Throw);
        var e = Assert.Throws<KernelBugException>(() => sim.RunRaw(() => CopyLoop(p, subpage: false)));
        Assert.Equal(ReportKind.Livelock, e.Report.Kind);
    }
}
