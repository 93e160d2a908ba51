using System;
using System.Linq;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Gup;

// The gfs2-style buffered write whose source buffer is mapped from the same file: the copy faults
// on a page whose folio the writer holds locked.
public class FileMappingTests
{
    [Fact]
    public void ASharedFileMappingSharesThePageCacheBothWays()
    {
        var sim = new Sim();
        var file = new SimFile(sim.Machine, "data", 2 * sim.PageSize);
        var p = sim.Mm.MmapFile(file, (ulong)(2 * sim.PageSize), Prot.Read | Prot.Write, MapFlags.Shared);
        sim.Mm.UserWrite(p + sim.PageSize + 1, new byte[] { 0xAB });
        Assert.Equal(0xAB, file.GetFolio(1).Data[1]);
        file.GetFolio(0).Data[0] = 0xCD;
        Assert.Equal(0xCD, sim.Read(p, 1)[0]);
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
    }

    [Fact]
    public void APrivateFileMappingIsReadOnlyUntilCopyOnWrite()
    {
        var sim = new Sim();
        var file = new SimFile(sim.Machine, "data", sim.PageSize);
        file.GetFolio(0).Data[0] = 1;
        var p = sim.Mm.MmapFile(file, (ulong)sim.PageSize, Prot.Read | Prot.Write, MapFlags.Private);
        Assert.Equal(1, sim.Read(p, 1)[0]);
        Assert.Equal(PageState.ReadOnly, sim.Mm.GetPageState(p));
        sim.Mm.UserWrite(p, new byte[] { 2 });
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
        Assert.Equal(1, file.GetFolio(0).Data[0]);
        Assert.Equal(2, sim.Read(p, 1)[0]);
    }

    [Fact]
    public void AnAccessBeyondTheEndOfTheFileFails()
    {
        var sim = new Sim();
        var file = new SimFile(sim.Machine, "short", 100);
        var p = sim.Mm.MmapFile(file, (ulong)(2 * sim.PageSize), Prot.Read, MapFlags.Shared);
        Assert.Equal(0, sim.Read(p + 99, 1)[0]);
        Assert.Throws<SegmentationFaultException>(() => sim.Read(p + sim.PageSize, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetFolio(1));
    }

    [Fact]
    public void CopyingFromAMappingOfTheFolioTheWriterHoldsLockedIsAReportedDeadlock()
    {
        var sim = new Sim();
        var file = new SimFile(sim.Machine, "gfs2", sim.PageSize);
        var source = sim.Mm.MmapFile(file, (ulong)sim.PageSize, Prot.Read, MapFlags.Shared);
        var folio = file.GetFolio(0);
        int result = sim.RunRaw(() =>
        {
            folio.Lock.Lock();
            var buffer = new byte[64];
            int left = CopyFromUser(buffer, source);
            buffer.CopyTo(folio.Data);
            folio.Lock.Unlock();
            return left;
        });
        Assert.Equal(TaskStruct.Killed, result);
        var report = sim.AssertSingleReport(ReportKind.Deadlock);
        Assert.Contains("folio->lock", report.Message);
        Assert.False(folio.Lock.IsHeldByCurrent);
    }

    [Fact]
    public void TheCanonicalLoopCopiesWithFaultsDisabledUnderTheFolioLockAndFaultsInOutsideIt()
    {
        var sim = new Sim();
        var file = new SimFile(sim.Machine, "gfs2", 2 * sim.PageSize);
        file.GetFolio(1).Data.Slice(0, 4).Fill(0x61);
        var source = sim.Mm.MmapFile(file, (ulong)(2 * sim.PageSize), Prot.Read, MapFlags.Shared);
        var target = file.GetFolio(0);
        sim.Run(() =>
        {
            var buffer = new byte[4];
            int attempts = 0;
            while (true)
            {
                attempts++;
                target.Lock.Lock();
                PagefaultDisable();
                int left = CopyFromUser(buffer, source + sim.PageSize);
                PagefaultEnable();
                if (left == 0)
                {
                    buffer.CopyTo(target.Data);
                }

                target.Lock.Unlock();
                if (left == 0)
                {
                    break;
                }

                Assert.Equal(0, FaultInReadable(source + sim.PageSize, buffer.Length));
            }

            Assert.Equal(2, attempts);
        });
        Assert.Equal(new byte[] { 0x61, 0x61, 0x61, 0x61 }, target.Data.Slice(0, 4).ToArray());
        sim.AssertNoReports();
    }
}
