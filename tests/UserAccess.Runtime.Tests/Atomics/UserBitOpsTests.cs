using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Atomics;

// What tools/testing/selftests/user_events/abi_test.c checks of the enabler word.
public class UserBitOpsTests
{
    private static (Sim Sim, UserPtr P) PresentPage(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var p = sim.Mm.Mmap((ulong)sim.PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        return (sim, p);
    }

    [Theory]
    [InlineData("x86_64", 0, new byte[] { 0x01, 0, 0, 0 })]
    [InlineData("x86_64", 31, new byte[] { 0, 0, 0, 0x80 })]
    [InlineData("powerpc64", 0, new byte[] { 0, 0, 0, 0x01 })]
    [InlineData("powerpc64", 31, new byte[] { 0x80, 0, 0, 0 })]
    [InlineData("arc", 31, new byte[] { 0, 0, 0, 0x80 })]
    [InlineData("i386", 8, new byte[] { 0, 0x01, 0, 0 })]
    public void FourByteEnablerBitsFollowTheWordsValue(string arch, int bit, byte[] expected)
    {
        var (sim, p) = PresentPage(arch);
        sim.Run(() => Assert.Equal(0, SetBitUserInatomic(p, 4, bit)));
        Assert.Equal(expected, sim.Read(p, 4));
        sim.Run(() =>
        {
            Assert.Equal(0, GetUser(out uint value, p.Cast<uint>()));
            Assert.Equal(1u << bit, value);
            Assert.Equal(0, ClearBitUserInatomic(p, 4, bit));
        });
        Assert.Equal(new byte[4], sim.Read(p, 4));
    }

    [Theory]
    [InlineData("x86_64", 63, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0x80 })]
    [InlineData("arm64", 0, new byte[] { 0x01, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData("powerpc64", 63, new byte[] { 0x80, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData("powerpc64", 0, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0x01 })]
    [InlineData("powerpc64", 31, new byte[] { 0, 0, 0, 0, 0x80, 0, 0, 0 })]
    public void EightByteEnablerBitsFollowTheWordsValue(string arch, int bit, byte[] expected)
    {
        var (sim, p) = PresentPage(arch);
        sim.Run(() => Assert.Equal(0, SetBitUserInatomic(p + 8, 8, bit)));
        Assert.Equal(expected, sim.Read(p + 8, 8));
        sim.Run(() =>
        {
            Assert.Equal(0, GetUser(out ulong value, (p + 8).Cast<ulong>()));
            Assert.Equal(1UL << bit, value);
        });
    }

    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void OutOfRangeBitsOddSizesAndMisalignedWordsAreEinval(string arch)
    {
        var (sim, p) = PresentPage(arch);
        sim.Run(() =>
        {
            Assert.Equal(-EINVAL, SetBitUserInatomic(p, 4, 32));
            Assert.Equal(-EINVAL, SetBitUserInatomic(p, 4, -1));
            Assert.Equal(-EINVAL, SetBitUserInatomic(p, 8, 64));
            Assert.Equal(-EINVAL, SetBitUserInatomic(p, 2, 0));
            Assert.Equal(-EINVAL, SetBitUserInatomic(p, 3, 0));
            Assert.Equal(-EINVAL, SetBitUserInatomic(p, 16, 0));
            Assert.Equal(-EINVAL, SetBitUserInatomic(p + 2, 4, 0));
            Assert.Equal(-EINVAL, SetBitUserInatomic(p + 4, 8, 0));
            Assert.Equal(-EINVAL, ClearBitUserInatomic(p + 1, 4, 0));
        });
        Assert.Equal(new byte[16], sim.Read(p, 16));
    }

    [Theory]
    [InlineData("i386")]
    [InlineData("arc")]
    public void EightByteBitOpsAreEinvalWhereBitsPerLongIs32(string arch)
    {
        var (sim, p) = PresentPage(arch);
        sim.Run(() => Assert.Equal(-EINVAL, SetBitUserInatomic(p, 8, 0)));
    }

    [Fact]
    public void ABitOpOnAnUnmappedOrUntouchedEnablerIsEfault()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Run(() => Assert.Equal(-EFAULT, SetBitUserInatomic(p, 4, 0)));
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p));
    }
}
