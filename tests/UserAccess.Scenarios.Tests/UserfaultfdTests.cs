using System.Linq;
using Scenarios.Harness;
using Xunit;

namespace UserAccess.Scenarios.Tests;

public class UserfaultfdTests
{
    private readonly UserfaultfdScenario scenario = new();

    [Theory]
    [InlineData("X86_64")]
    [InlineData("Arm64")]
    [InlineData("Arc")]
    [InlineData("PowerPC64BE")]
    [InlineData("I386")]
    public void Buggy_copy_fills_a_page_after_the_removal_every_round(string arch)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Buggy);

        Assert.Equal(UserfaultfdScenario.Rounds, outcome.Results.Count);
        long twoPages = 2L * global::Scenarios.Harness.Sim.ArchByName(arch).PageSize;
        Assert.All(outcome.Results, r => Assert.Equal(twoPages, r));
        ScenarioAssert.NoReports(outcome);
        Assert.Contains("madvise ran inside the copy", outcome.Simulator);

        // UserBytes: which second pages Audit() found, as page indexes from the first round's.
        Assert.Equal(UserfaultfdScenario.Rounds, outcome.UserBytes!.Length);
        Assert.Contains($"Audit(): {UserfaultfdScenario.Rounds} ghost pages", outcome.Simulator);
    }

    [Theory]
    [InlineData("X86_64")]
    [InlineData("Arm64")]
    [InlineData("Arc")]
    [InlineData("PowerPC64BE")]
    [InlineData("I386")]
    public void Fixed_copy_holds_the_event_off_and_leaves_no_ghost(string arch)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Fixed);

        long twoPages = 2L * global::Scenarios.Harness.Sim.ArchByName(arch).PageSize;
        Assert.Equal(Enumerable.Repeat(twoPages, UserfaultfdScenario.Rounds), outcome.Results);
        ScenarioAssert.NoReports(outcome);
        Assert.Contains("madvise waited for the copy", outcome.Simulator);
        ScenarioAssert.Bytes(outcome, System.Array.Empty<byte>());
    }
}
