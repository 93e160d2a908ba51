using Scenarios.Harness;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;

namespace UserAccess.Scenarios.Tests;

public class FutexWakeOpTests
{
    // The buggy loop ends with the simulator's Livelock report after Sim.LivelockThreshold tries;
    // the harness's wall-clock watchdog is only a safety net, long enough for a loaded machine.
    private readonly FutexWakeOpScenario scenario = new();

    [Theory]
    [InlineData("X86_64")]
    [InlineData("Arm64")]
    [InlineData("Arc")]
    [InlineData("PowerPC64BE")]
    [InlineData("I386")]
    public void Buggy_never_returns_on_an_unmapped_page(string arch)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Buggy);

        // The kernel spins for ever; the simulator's soft-lockup watchdog sees the same word fail
        // again and again with a failed (and ignored) fault-in between, and unwinds the task.
        Assert.Null(outcome.Result);
        Assert.False(outcome.Hung);
        Assert.True(outcome.TaskUnwound);
        ScenarioAssert.Reports(outcome, ReportKind.Livelock);
    }

    [Theory]
    [InlineData("X86_64")]
    [InlineData("Arm64")]
    [InlineData("Arc")]
    [InlineData("PowerPC64BE")]
    [InlineData("I386")]
    public void Fixed_returns_EFAULT(string arch)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Fixed);

        Assert.False(outcome.Hung);
        Assert.False(outcome.TaskUnwound);
        Assert.Equal(-EFAULT, outcome.Result);
        ScenarioAssert.NoReports(outcome);
    }
}

public class FutexWakeOpSwappedOutTests
{
    private readonly FutexWakeOpSwappedOutScenario scenario = new();

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
    public void Both_apply_the_op_after_the_fault_in_and_wake_both_waiters(string arch, Variant variant)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, variant);

        Assert.Equal(2, outcome.Result);
        ScenarioAssert.NoReports(outcome);
        ScenarioAssert.Bytes(outcome, Sim.Encode(Sim.ArchByName(arch), 1, 4));
    }
}
