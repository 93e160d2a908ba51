using System;
using System.Runtime.InteropServices;
using Scenarios.Harness;
using Scenarios.Kernel;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;

namespace UserAccess.Scenarios.Tests;

public class BtrfsSearchIoctlTests
{
    private readonly BtrfsSearchIoctlScenario scenario = new();

    [Fact]
    public void Buggy_retries_the_same_item_after_a_page_granular_fault_in_and_livelocks()
    {
        var outcome = ScenarioAssert.Run(scenario, "Arm64", Variant.Buggy);

        Assert.True(outcome.TaskUnwound);
        Assert.Null(outcome.Result);
        ScenarioAssert.Reports(outcome, ReportKind.Livelock);
        Assert.Contains("copy_to_user_nofault", outcome.FirstReport);
        Assert.Contains("that reported success", outcome.FirstReport);

        // The first three items arrived before the refusing granule; item 0's header leads.
        Assert.Equal(256UL, MemoryMarshal.Read<ulong>(outcome.UserBytes.AsSpan(8, 8)));
    }

    [Fact]
    public void Fixed_fails_with_efault_at_once_and_copies_nothing()
    {
        var outcome = ScenarioAssert.Run(scenario, "Arm64", Variant.Fixed);

        Assert.False(outcome.TaskUnwound);
        Assert.Equal(-EFAULT, outcome.Result);
        ScenarioAssert.NoReports(outcome);
        int record = Marshal.SizeOf<BtrfsIoctlSearchHeader>() + 16;
        ScenarioAssert.Bytes(outcome, new byte[record]);
    }
}

public class BtrfsSearchIoctlNotPresentTests
{
    private readonly BtrfsSearchIoctlNotPresentScenario scenario = new();

    [Theory]
    [InlineData("X86_64", Variant.Buggy)]
    [InlineData("X86_64", Variant.Fixed)]
    [InlineData("Arm64", Variant.Buggy)]
    [InlineData("Arm64", Variant.Fixed)]
    [InlineData("Arc", Variant.Buggy)]
    [InlineData("Arc", Variant.Fixed)]
    [InlineData("PowerPC64BE", Variant.Buggy)]
    [InlineData("PowerPC64BE", Variant.Fixed)]
    [InlineData("I386", Variant.Buggy)]
    [InlineData("I386", Variant.Fixed)]
    public void Both_fault_the_buffer_in_and_copy_every_item(string arch, Variant variant)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, variant);

        Assert.Equal(0, outcome.Result);
        ScenarioAssert.NoReports(outcome);
        var machineArch = global::Scenarios.Harness.Sim.ArchByName(arch);
        Assert.Equal(256UL, global::Scenarios.Harness.Sim.Decode(machineArch, outcome.UserBytes.AsSpan(8, 8)));
        Assert.Equal(0xA0, outcome.UserBytes![^1]);
    }
}
