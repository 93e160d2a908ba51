using Scenarios.Harness;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;

namespace UserAccess.Scenarios.Tests;

public class FutexWakeOpTests
{
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

        Assert.Null(outcome.Result);

        // The kernel spins for ever. The simulator either reports the livelock and unwinds the
        // task, or (its livelock check only counts retries after a SUCCESSFUL fault-in) the
        // harness's watchdog finds the task still spinning.
        if (outcome.Hung)
        {
            ScenarioAssert.NoReports(outcome);
        }
        else
        {
            Assert.True(outcome.TaskUnwound);
            ScenarioAssert.Reports(outcome, ReportKind.Livelock);
        }
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
