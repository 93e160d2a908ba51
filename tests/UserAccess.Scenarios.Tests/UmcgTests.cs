using Scenarios.Harness;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;

namespace UserAccess.Scenarios.Tests;

public class UmcgXchgUser64Tests
{
    private readonly UmcgXchgUser64Scenario scenario = new();

    [Theory]
    [InlineData("X86_64")]
    [InlineData("Arm64")]
    public void Buggy_spins_on_a_misaligned_word_until_the_livelock_check_unwinds_it(string arch)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Buggy);

        Assert.True(outcome.TaskUnwound);
        Assert.Null(outcome.Result);
        ScenarioAssert.Reports(outcome, ReportKind.Livelock);
        Assert.Contains("soft lockup", outcome.FirstReport);
        ScenarioAssert.Bytes(outcome, new byte[8]);
    }

    [Theory]
    [InlineData("X86_64")]
    [InlineData("Arm64")]
    public void Fixed_refuses_a_misaligned_word_with_EINVAL(string arch)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Fixed);

        Assert.False(outcome.TaskUnwound);
        Assert.Equal(-EINVAL, outcome.Result);
        ScenarioAssert.NoReports(outcome);
        ScenarioAssert.Bytes(outcome, new byte[8]);
    }
}

public class UmcgGetUserNosleepTests
{
    private readonly UmcgGetUserNosleepScenario scenario = new();

    [Theory]
    [InlineData("X86_64")]
    [InlineData("Arm64")]
    [InlineData("PowerPC64BE")]
    public void Buggy_sleeps_in_atomic_context_to_fix_the_fault(string arch)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Buggy);

        Assert.Equal(0, outcome.Result);

        // fix_pagefault() with preemption disabled: the mmap lock, the fault, the swap-in I/O.
        ScenarioAssert.Reports(outcome, ReportKind.SleepInAtomic, ReportKind.SleepInAtomic, ReportKind.SleepInAtomic);
        Assert.Equal(
            new[]
            {
                "BUG: sleeping function called from invalid context at mmap_read_lock",
                "BUG: sleeping function called from invalid context at fixup_user_fault",
                "BUG: sleeping function called from invalid context at swap_read_folio",
            },
            outcome.ReportLines);
        Assert.Contains("in_atomic(): 1", outcome.FirstReport);
        ScenarioAssert.Bytes(outcome, Sim.Encode(Sim.ArchByName(arch), UmcgGetUserNosleepScenario.Value, 8));
    }

    [Theory]
    [InlineData("X86_64")]
    [InlineData("Arm64")]
    [InlineData("PowerPC64BE")]
    public void Fixed_fails_fast_and_the_caller_reads_the_value_after_its_fault_in(string arch)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Fixed);

        Assert.Equal(0, outcome.Result);
        ScenarioAssert.NoReports(outcome);
        ScenarioAssert.Bytes(outcome, Sim.Encode(Sim.ArchByName(arch), UmcgGetUserNosleepScenario.Value, 8));
    }
}

public class UmcgXchgUser64AlignedTests
{
    private readonly UmcgXchgUser64AlignedScenario scenario = new();

    [Theory]
    [InlineData("X86_64", Variant.Buggy)]
    [InlineData("X86_64", Variant.Fixed)]
    [InlineData("Arm64", Variant.Buggy)]
    [InlineData("Arm64", Variant.Fixed)]
    [InlineData("PowerPC64BE", Variant.Buggy)]
    [InlineData("PowerPC64BE", Variant.Fixed)]
    public void Both_exchange_an_aligned_word_after_the_fault_in(string arch, Variant variant)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, variant);

        Assert.Equal(0, outcome.Result);
        ScenarioAssert.NoReports(outcome);
        ScenarioAssert.Bytes(outcome, Sim.Encode(Sim.ArchByName(arch), UmcgXchgUser64Scenario.NewValue, 8));
    }
}
