using System.Linq;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Uaccess;

// What tools/testing/selftests/arm64/mte/check_user_mem.c checks: a uaccess stops exactly at the
// first granule whose allocation tag does not match the pointer's.
public class MteUaccessTests
{
    private static (Sim Sim, UserPtr P) TaggedPage()
    {
        var sim = new Sim(Arch.Arm64);
        var p = sim.Mm.Mmap(4096, Prot.Read | Prot.Write | Prot.Mte);
        sim.Mm.SetMemoryTag(p, 4096, 3);
        return (sim, p.WithTag(3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(48)]
    [InlineData(4080)]
    public void CopiesStopExactlyAtARetaggedGranule(int retagged)
    {
        var (sim, p) = TaggedPage();
        sim.Mm.SetMemoryTag(p + retagged, 16, 9);
        int length = 4096;
        sim.Run(() =>
        {
            var buffer = Enumerable.Repeat((byte)0xAA, length).ToArray();
            Assert.Equal(length - retagged, CopyFromUser(buffer, p));
            Assert.All(buffer.Skip(retagged), b => Assert.Equal(0, b));
            Assert.Equal(length - retagged, CopyToUser(p, buffer));
            Assert.Equal(length - retagged, ClearUser(p, length));
            Assert.Equal(-EFAULT, CopyFromUserNofault(buffer, p));
        });
        sim.AssertNoReports();
    }

    [Fact]
    public void ACopyThatStartsInsideAMismatchedGranuleCopiesNothing()
    {
        var (sim, p) = TaggedPage();
        sim.Mm.SetMemoryTag(p + 32, 16, 1);
        sim.Run(() =>
        {
            var buffer = new byte[8];
            Assert.Equal(8, CopyFromUser(buffer, p + 40));
            Assert.Equal(-EFAULT, GetUser(out ulong _, (p + 40).Cast<ulong>()));
            Assert.Equal(0, GetUser(out ulong _, (p + 40).Cast<ulong>().WithTag(1)));
        });
    }

    [Fact]
    public void ATagMismatchIsNotAnMmFaultFixupSucceedsAndTheAccessStillFails()
    {
        var (sim, p) = TaggedPage();
        sim.Run(() =>
        {
            var wrong = p.WithTag(4);
            Assert.Equal(-EFAULT, PutUser(1, wrong.Cast<int>()));
            MmapReadLock(sim.Mm);
            Assert.Equal(0, FixupUserFault(sim.Mm, wrong, FaultFlags.Write));
            MmapReadUnlock(sim.Mm);
            Assert.Equal(-EFAULT, PutUser(1, wrong.Cast<int>()));
        });
    }

    [Fact]
    public void UntaggedMappingsIgnoreThePointerTag()
    {
        var sim = new Sim(Arch.Arm64);
        var p = sim.Map(1);
        sim.Run(() =>
        {
            Assert.Equal(0, PutUser(5, p.WithTag(0x0C).Cast<int>()));
            Assert.Equal(0, GetUser(out int value, p.Cast<int>()));
            Assert.Equal(5, value);
        });
    }
}
