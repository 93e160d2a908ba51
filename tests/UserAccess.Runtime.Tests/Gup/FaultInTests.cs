using System;
using System.Linq;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Gup;

public class FaultInTests
{
    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void FaultInStopsAtTheFirstFailingPageAndCountsFromItsStart(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var p = sim.Map(3);
        sim.Mm.Munmap(p + (2 * sim.PageSize), (ulong)sim.PageSize);
        var start = p + 100;
        int size = 3 * sim.PageSize;
        int expected = size - ((2 * sim.PageSize) - 100);
        sim.Run(() =>
        {
            Assert.Equal(expected, FaultInReadable(start, size));
            Assert.Equal(expected, FaultInWriteable(start, size));
            Assert.Equal(expected, FaultInSafeWriteable(start, size));
            Assert.Equal(0, FaultInReadable(start, (2 * sim.PageSize) - 100));
        });
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p + sim.PageSize));
    }

    [Fact]
    public void FaultInReadableMapsTheZeroPage()
    {
        var sim = new Sim();
        var p = sim.Map(2);
        sim.Run(() => Assert.Equal(0, FaultInReadable(p + 5, sim.PageSize)));
        Assert.Equal(PageState.ZeroPage, sim.Mm.GetPageState(p));
        Assert.Equal(PageState.ZeroPage, sim.Mm.GetPageState(p + sim.PageSize));
        sim.AssertNoReports();
    }

    [Fact]
    public void FaultInWriteableWritesAZeroByteAtTheStartAndAtEachFollowingPageStart()
    {
        var sim = new Sim();
        var p = sim.Map(2);
        sim.Fill(p, 2 * sim.PageSize, 0xFF);
        sim.Run(() => Assert.Equal(0, FaultInWriteable(p + 7, sim.PageSize)));
        var bytes = sim.Read(p, 2 * sim.PageSize);
        Assert.Equal(0, bytes[7]);
        Assert.Equal(0, bytes[sim.PageSize]);
        Assert.Equal(2 * sim.PageSize - 2, bytes.Count(b => b == 0xFF));
    }

    [Fact]
    public void FaultInSafeWriteableKeepsTheDataAndMakesThePagesWritable()
    {
        var sim = new Sim();
        var p = sim.Map(3);
        sim.Fill(p, sim.PageSize, 0xFF);
        sim.Mm.SwapOut(p, (ulong)sim.PageSize);
        _ = sim.Read(p + sim.PageSize, 1);
        sim.Run(() => Assert.Equal(0, FaultInSafeWriteable(p + 7, 3 * sim.PageSize - 7)));
        Assert.All(sim.Read(p, sim.PageSize), b => Assert.Equal(0xFF, b));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p + (i * sim.PageSize)));
        }

        sim.AssertNoReports();
    }

    [Fact]
    public void SizeZeroIsZeroAndAFailedAccessOkIsTheWholeSize()
    {
        var sim = new Sim();
        var kernel = new UserPtr(sim.Arch.TaskSize - 8);
        sim.Run(() =>
        {
            Assert.Equal(0, FaultInReadable(kernel, 0));
            Assert.Equal(0, FaultInWriteable(kernel, 0));
            Assert.Equal(0, FaultInSafeWriteable(kernel, 0));
            Assert.Equal(0, FaultInSubpageWriteable(kernel, 0));
            Assert.Equal(16, FaultInReadable(kernel, 16));
            Assert.Equal(16, FaultInWriteable(kernel, 16));
            Assert.Equal(16, FaultInSafeWriteable(kernel, 16));
            Assert.Equal(16, FaultInSubpageWriteable(kernel, 16));
        });
        sim.AssertNoReports();
    }

    [Fact]
    public void AReadOnlyMappingFaultsInForReadNotForWrite()
    {
        var sim = new Sim();
        var p = sim.Map(1, Prot.Read);
        sim.Run(() =>
        {
            Assert.Equal(0, FaultInReadable(p, 8));
            Assert.Equal(8, FaultInWriteable(p, 8));
            Assert.Equal(8, FaultInSafeWriteable(p, 8));
        });
    }

    [Theory]
    [InlineData("fault_in_readable")]
    [InlineData("fault_in_writeable")]
    [InlineData("fault_in_safe_writeable")]
    [InlineData("fault_in_subpage_writeable")]
    public void FaultInWithPageFaultsDisabledIsReportedAndFaultsNothingIn(string function)
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Run(() =>
        {
            using (NoFault())
            {
                int left = function switch
                {
                    "fault_in_readable" => FaultInReadable(p, 8),
                    "fault_in_writeable" => FaultInWriteable(p, 8),
                    "fault_in_safe_writeable" => FaultInSafeWriteable(p, 8),
                    _ => FaultInSubpageWriteable(p, 8),
                };
                Assert.Equal(8, left);
            }
        });
        var report = sim.AssertSingleReport(ReportKind.FaultHandlingInNofault);
        Assert.Contains(function, report.Message);
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p));
    }

    [Fact]
    public void TheCanonicalLoopFaultsInOutsideTheNofaultRegionAndIsSilent()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Fill(p, 8, 4);
        sim.Mm.SwapOut(p, (ulong)sim.PageSize);
        var buffer = new byte[8];
        sim.Run(() =>
        {
            while (true)
            {
                PagefaultDisable();
                int left = CopyFromUser(buffer, p);
                PagefaultEnable();
                if (left == 0)
                {
                    break;
                }

                Assert.Equal(0, FaultInReadable(p, buffer.Length));
            }
        });
        Assert.All(buffer, b => Assert.Equal(4, b));
        sim.AssertNoReports();
    }

    [Fact]
    public void UnmapBetweenFaultInAndRetryMakesTheRetryFailAndFaultInReturnTheFullSize()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Run(() =>
        {
            var buffer = new byte[16];
            Assert.Equal(0, FaultInWriteable(p, buffer.Length));
            sim.Mm.Munmap(p, (ulong)sim.PageSize);
            using (NoFault())
            {
                Assert.Equal(16, CopyToUser(p, buffer));
            }

            Assert.Equal(16, FaultInWriteable(p, buffer.Length));
            Assert.Equal(16, FaultInReadable(p, buffer.Length));
            Assert.Equal(16, FaultInSafeWriteable(p, buffer.Length));
        });
        sim.AssertNoReports();
    }

    [Fact]
    public void FaultInSubpageWriteableProbesEveryGranuleWhileFaultInWriteableProbesOnlyPageStarts()
    {
        var sim = new Sim(Arch.Arm64);
        var p = sim.Mm.Mmap(8192, Prot.Read | Prot.Write | Prot.Mte);
        sim.Mm.SetMemoryTag(p + 64, 16, 7);
        sim.Run(() =>
        {
            Assert.Equal(0, FaultInWriteable(p, 128));
            Assert.Equal(128 - 64, FaultInSubpageWriteable(p, 128));

            // A probed byte that mismatches is reported, not hidden.
            Assert.Equal(16, FaultInWriteable(p + 64, 16));
            Assert.Equal(16, FaultInSubpageWriteable(p + 64, 16));
            Assert.Equal(0, FaultInSubpageWriteable((p + 64).WithTag(7), 16));
        });
    }

    [Fact]
    public void FaultInSubpageWriteableOnOtherArchesIsFaultInWriteable()
    {
        var sim = new Sim(Arch.X86_64);
        var p = sim.Map(2);
        sim.Mm.Munmap(p + sim.PageSize, (ulong)sim.PageSize);
        sim.Run(() => Assert.Equal(10, FaultInSubpageWriteable(p + (sim.PageSize - 10), 20)));
    }

    [Fact]
    public void AFatalSignalDuringTheSwapInOfFaultInSafeWriteableStopsIt()
    {
        var sim = new Sim();
        var p = sim.Map(2);
        sim.Fill(p, 2 * sim.PageSize, 1);
        sim.Mm.SwapOut(p, (ulong)(2 * sim.PageSize));
        sim.Mm.SwapInIoHook = () => sim.Task.SendSignal(Signal.SIGKILL);
        sim.Run(() => Assert.Equal(2 * sim.PageSize, FaultInSafeWriteable(p, 2 * sim.PageSize)));
        Assert.Equal(PageState.SwappedOut, sim.Mm.GetPageState(p + sim.PageSize));
        sim.AssertNoReports();
    }

    [Fact]
    public void ACopyLoopThatKeepsRetryingAfterFaultInFailedIsALivelock()
    {
        var sim = new Sim(livelockThreshold: 3);
        var p = sim.Map(1);
        sim.Mm.Munmap(p, (ulong)sim.PageSize);
        int result = sim.RunRaw(() =>
        {
            // fault_in_readable() says nothing could be faulted in; the loop goes round anyway.
            for (int i = 0; i < 10; i++)
            {
                Assert.Equal(4, CopyFromUser(new byte[4], p));
                Assert.Equal(4, FaultInReadable(p, 4));
            }

            return 0;
        });
        Assert.Equal(TaskStruct.Killed, result);
        Assert.EndsWith("whose failure was ignored", sim.AssertSingleReport(ReportKind.Livelock).Message);
    }
}
