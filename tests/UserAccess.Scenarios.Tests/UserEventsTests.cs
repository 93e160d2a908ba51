using Scenarios.Harness;
using Xunit;
using static UserAccess.Runtime.Errno;

namespace UserAccess.Scenarios.Tests;

public class UserEventsTests
{
    [Theory]
    [InlineData("X86_64", 8, 63, "0000000000000080")]
    [InlineData("PowerPC64BE", 8, 63, "0000000000000080")]
    [InlineData("X86_64", 4, 31, "00000080")]
    [InlineData("PowerPC64BE", 4, 31, "00000080")]
    public void Buggy_sets_the_bit_in_memory_order(string arch, int size, int bit, string bytes)
    {
        var scenario = new UserEventsScenario(size, bit);
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Buggy);

        Assert.Equal(0, outcome.Result);
        ScenarioAssert.NoReports(outcome);
        ScenarioAssert.Bytes(outcome, System.Convert.FromHexString(bytes));

        // Right on little-endian, bit 7 of the value on big-endian.
        ulong value = Sim.Decode(Sim.ArchByName(arch), outcome.UserBytes);
        Assert.Equal(arch == "X86_64" ? 1UL << bit : 0x80UL, value);
    }

    [Theory]
    [InlineData("X86_64", 8, 63, "0000000000000080")]
    [InlineData("PowerPC64BE", 8, 63, "8000000000000000")]
    [InlineData("X86_64", 4, 31, "00000080")]
    [InlineData("PowerPC64BE", 4, 31, "80000000")]
    public void Fixed_sets_the_bit_of_the_value_on_both_endiannesses(string arch, int size, int bit, string bytes)
    {
        var scenario = new UserEventsScenario(size, bit);
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Fixed);

        Assert.Equal(0, outcome.Result);
        ScenarioAssert.NoReports(outcome);
        ScenarioAssert.Bytes(outcome, System.Convert.FromHexString(bytes));
        Assert.Equal(1UL << bit, Sim.Decode(Sim.ArchByName(arch), outcome.UserBytes));
    }

    [Theory]
    [InlineData("X86_64")]
    [InlineData("PowerPC64BE")]
    public void Buggy_accepts_size_3_and_bit_64(string arch)
    {
        var outcome = ScenarioAssert.Run(new UserEventsValidationScenario(), arch, Variant.Buggy);

        Assert.Equal(new long[] { 0, 0 }, outcome.Results);
        ScenarioAssert.NoReports(outcome);
        ScenarioAssert.Bytes(outcome, UserEventsValidationScenario.BuggyBytes());
    }

    [Theory]
    [InlineData("X86_64")]
    [InlineData("PowerPC64BE")]
    public void Fixed_rejects_size_3_and_bit_64_with_EINVAL(string arch)
    {
        var outcome = ScenarioAssert.Run(new UserEventsValidationScenario(), arch, Variant.Fixed);

        Assert.Equal(new long[] { -EINVAL, -EINVAL }, outcome.Results);
        ScenarioAssert.NoReports(outcome);
        ScenarioAssert.Bytes(outcome, new byte[24]);
    }
}
