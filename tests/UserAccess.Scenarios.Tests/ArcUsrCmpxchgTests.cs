using Scenarios.Harness;
using Xunit;

namespace UserAccess.Scenarios.Tests;

public class ArcUsrCmpxchgTests
{
    private readonly ArcUsrCmpxchgScenario scenario = new();

    [Theory]
    [InlineData("Arc")]
    public void Buggy_reports_success_but_user_space_reads_the_stale_zero(string arch)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Buggy);

        Assert.Equal(0, outcome.Result);
        ScenarioAssert.NoReports(outcome);
        ScenarioAssert.Bytes(outcome, new byte[4]);
    }

    [Theory]
    [InlineData("Arc")]
    public void Fixed_faults_the_zero_page_in_writeable_and_the_value_arrives(string arch)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Fixed);

        Assert.Equal(0, outcome.Result);
        ScenarioAssert.NoReports(outcome);
        ScenarioAssert.Bytes(outcome, Sim.Encode(Sim.ArchByName(arch), ArcUsrCmpxchgScenario.NewValue, 4));
    }
}
