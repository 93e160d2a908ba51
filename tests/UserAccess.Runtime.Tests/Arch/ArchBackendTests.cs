using UserAccess.Runtime;
using Xunit;

namespace UserAccess.Runtime.Tests.ArchBackends;

public class ArchBackendTests
{
    [Theory]
    [InlineData("x86_64", 4096, false, 64, (1UL << 47) - 4096, false)]
    [InlineData("arm64", 4096, false, 64, 1UL << 48, true)]
    [InlineData("arc", 8192, false, 32, 0x6000_0000UL, false)]
    [InlineData("powerpc64", 65536, true, 64, 1UL << 52, false)]
    [InlineData("i386", 4096, false, 32, 0xC000_0000UL, false)]
    public void EachBackendHasItsMachinesGeometry(string name, int pageSize, bool bigEndian, int bitsPerLong, ulong taskSize, bool mte)
    {
        var arch = Sim.ArchNamed(name);
        Assert.Equal(pageSize, arch.PageSize);
        Assert.Equal(1 << arch.PageShift, arch.PageSize);
        Assert.Equal(bigEndian, arch.IsBigEndian);
        Assert.Equal(bitsPerLong, arch.BitsPerLong);
        Assert.Equal(taskSize, arch.TaskSize);
        Assert.Equal(mte, arch.HasMte);
    }

    [Theory]
    [InlineData("x86_64", 60, 8, true)]
    [InlineData("x86_64", 61, 4, true)]
    [InlineData("x86_64", 60, 4, false)]
    [InlineData("x86_64", 1, 8, false)]
    [InlineData("arm64", 1, 4, true)]
    [InlineData("arm64", 4, 8, true)]
    [InlineData("arm64", 8, 8, false)]
    [InlineData("powerpc64", 2, 4, true)]
    [InlineData("i386", 62, 4, false)]
    [InlineData("arc", 3, 4, false)]
    public void EachBackendDecidesWhichLockedOpsTrap(string name, ulong address, int size, bool traps)
    {
        Assert.Equal(traps, Sim.ArchNamed(name).AtomicTraps(0x1000_0000UL + address, size));
    }

    [Theory]
    [InlineData("x86_64", 8, true)]
    [InlineData("arm64", 8, true)]
    [InlineData("powerpc64", 8, true)]
    [InlineData("i386", 8, false)]
    [InlineData("arc", 8, false)]
    [InlineData("i386", 4, true)]
    [InlineData("x86_64", 2, false)]
    public void SixtyFourBitUserAtomicsNeedA64BitBackend(string name, int size, bool supported)
    {
        Assert.Equal(supported, Sim.ArchNamed(name).SupportsUserAtomic(size));
    }

    [Fact]
    public void OnlyArm64IgnoresTheTopByte()
    {
        ulong tagged = 0x0B00_0000_1000_0000UL;
        Assert.Equal(0x1000_0000UL, Arch.Arm64.UntaggedAddress(tagged));
        Assert.Equal(tagged, Arch.X86_64.UntaggedAddress(tagged));
        Assert.Equal(tagged, Arch.PowerPC64BE.UntaggedAddress(tagged));
    }

    [Fact]
    public void ValuesAreConvertedToTheArchsByteOrder()
    {
        var bytes = new byte[8];
        Arch.PowerPC64BE.WriteValue(bytes, 0x0102030405060708UL);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, bytes);
        Assert.Equal(0x0102030405060708UL, Arch.PowerPC64BE.ReadValue<ulong>(bytes));
        Assert.Equal(0x0807060504030201UL, Arch.X86_64.ReadValue<ulong>(bytes));
        Assert.Equal(0x01020304UL, Arch.PowerPC64BE.LoadWord(bytes, 4));
        Arch.PowerPC64BE.StoreWord(bytes, 4, 0xA0B0C0D0);
        Assert.Equal(new byte[] { 0xA0, 0xB0, 0xC0, 0xD0 }, bytes[..4]);
    }
}
