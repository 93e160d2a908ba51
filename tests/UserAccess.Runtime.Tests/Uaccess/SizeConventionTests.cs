using System;
using System.Runtime.InteropServices;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Uaccess;

// Sizes as kernel code passes them: one int or long variable compiles with every size parameter,
// and a negative one means what it means as a size_t (include/linux/uaccess.h, mm/gup.c): huge,
// so access_ok() fails and everything is reported not done.
public class SizeConventionTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct SearchHeader
    {
        public ulong TransId;
        public ulong ObjectId;
        public uint Type;
        public uint Len;
    }

    [Fact]
    public void OneIntVariableAndOneLongVariableCompileWithEverySize()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        int n = 64;
        long m = 64;
        sim.Run(() =>
        {
            Assert.True(AccessOk(p, n));
            Assert.True(AccessOk(p, m));
            Assert.Equal(0, FaultInReadable(p, n));
            Assert.Equal(0L, FaultInReadable(p, m));
            Assert.Equal(0L, FaultInWriteable(p, m));
            Assert.Equal(0L, FaultInSafeWriteable(p, m));
            Assert.Equal(0L, FaultInSubpageWriteable(p, m));
            Assert.Equal(0, ClearUser(p, n));
            Assert.Equal(0L, ClearUser(p, m));
            Assert.True(p.IsAligned(n));
            Assert.True(p.IsAligned(m));
            Assert.True(p.Cast<ulong>().IsAligned(sizeof(ulong)));
        });
    }

    [Fact]
    public void ANegativeSizeIsAHugeSizeT()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Run(() =>
        {
            Assert.False(AccessOk(p, -1));
            Assert.False(AccessOk(p, -1L));
            Assert.Equal(-1, FaultInReadable(p, -1));
            Assert.Equal(-8L, FaultInWriteable(p, -8L));
            Assert.Equal(-1, ClearUser(p, -1));
            Assert.Equal(-5L, ClearUser(p, -5L));
            Assert.Equal(0, FaultInReadable(p, 0));
            Assert.Equal(0L, ClearUser(p, 0L));
        });
    }

    [Fact]
    public void ClearUserWithALongLengthStopsAtTheFirstUnmappedByte()
    {
        var sim = new Sim();
        var p = sim.Map(2);
        sim.Fill(p, 2 * sim.PageSize, 9);
        sim.Mm.Munmap(p + sim.PageSize, (ulong)sim.PageSize);
        long left = 0;
        sim.Run(() => left = ClearUser(p + (sim.PageSize - 10), 30L));
        Assert.Equal(20L, left);
        Assert.All(sim.Read(p + (sim.PageSize - 10), 10), b => Assert.Equal(0, b));
    }

    [Fact]
    public void CopyToUserAndCopyFromUserOfOneStructRoundTrip()
    {
        var sim = new Sim(Arch.PowerPC64BE);
        var p = sim.Map(1).Cast<SearchHeader>();
        var header = new SearchHeader { TransId = 7, ObjectId = 256, Type = 132, Len = 40 };
        sim.Run(() =>
        {
            Assert.Equal(0, CopyToUser(p, header));
            Assert.Equal(0, CopyFromUser(out SearchHeader back, p));
            Assert.Equal(header, back);
        });

        // A kernel struct on a big-endian machine has big-endian fields.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0x84, 0, 0, 0, 40 }, sim.Read(p, 24));
    }

    [Fact]
    public void StructFieldsAreLittleEndianOnALittleEndianMachine()
    {
        var sim = new Sim(Arch.X86_64);
        var p = sim.Map(1).Cast<SearchHeader>();
        sim.Run(() => Assert.Equal(0, CopyToUser(p, new SearchHeader { TransId = 7, ObjectId = 256, Type = 132, Len = 40 })));
        Assert.Equal(new byte[] { 7, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x84, 0, 0, 0, 40, 0, 0, 0 }, sim.Read(p, 24));
    }

    [Fact]
    public void APartialStructCopyReportsTheBytesNotCopiedAndZeroesTheTail()
    {
        // copy_from_user() of a struct straddling the end of the mapping: the bytes before the hole
        // arrive, the rest of the kernel struct is zeroed, the count not copied is returned.
        var sim = new Sim();
        var page = sim.Map(1);
        sim.Fill(page, sim.PageSize, 0xFF);
        var p = (page + (sim.PageSize - 8)).Cast<SearchHeader>();
        sim.Run(() =>
        {
            Assert.Equal(16, CopyFromUser(out SearchHeader got, p));
            Assert.Equal(ulong.MaxValue, got.TransId);
            Assert.Equal(0UL, got.ObjectId);
            Assert.Equal(0u, got.Len);
            Assert.Equal(16, CopyToUser(p, new SearchHeader { TransId = 1 }));
        });
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 }, sim.Read(page + (sim.PageSize - 8), 8));
    }

    [Fact]
    public void ANofaultStructCopyIsAllOrNothingAndNeverFaults()
    {
        // mm/maccess.c copy_to_user_nofault(): 0 or -EFAULT, with page faults disabled inside.
        var sim = new Sim();
        var page = sim.Map(1);
        var p = page.Cast<SearchHeader>();
        sim.Run(() =>
        {
            Assert.Equal(-Errno.EFAULT, CopyToUserNofault(p, new SearchHeader { Len = 1 }));
            Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(page));
            PreemptDisable();
            Assert.Equal(-Errno.EFAULT, CopyToUserNofault(p, new SearchHeader { Len = 1 }));
            PreemptEnable();
        });
        sim.AssertNoReports();
        sim.Fill(page, 1, 0);
        sim.Run(() => Assert.Equal(0, CopyToUserNofault(p, new SearchHeader { Len = 3 })));
        Assert.Equal(new byte[] { 3, 0, 0, 0 }, sim.Read(page + 20, 4));
    }

    [Fact]
    public void AStructCopyIsAMightFaultAccess()
    {
        var sim = new Sim();
        var p = sim.Map(1).Cast<SearchHeader>();
        sim.Run(() =>
        {
            PreemptDisable();
            int left = CopyToUser(p, new SearchHeader());
            PreemptEnable();
            Assert.Equal(24, left);
        });
        Assert.Equal(ReportKind.SleepInAtomic, Assert.Single(sim.Machine.Reports).Kind);
    }
}
