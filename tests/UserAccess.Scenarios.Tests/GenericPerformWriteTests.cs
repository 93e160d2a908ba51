using Scenarios.Harness;
using UserAccess.Runtime;
using Xunit;

namespace UserAccess.Scenarios.Tests;

public class GenericPerformWriteTests
{
    private readonly GenericPerformWriteScenario scenario = new();

    [Theory]
    [InlineData("X86_64")]
    [InlineData("Arm64")]
    [InlineData("Arc")]
    [InlineData("PowerPC64BE")]
    [InlineData("I386")]
    public void Buggy_deadlocks_on_its_own_folio_lock(string arch)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Buggy);

        Assert.True(outcome.TaskUnwound);
        Assert.Null(outcome.Result);
        ScenarioAssert.Reports(outcome, ReportKind.Deadlock);
        Assert.Equal(new[] { "WARNING: possible recursive locking detected" }, outcome.ReportLines);
        Assert.Contains("&folio->lock", outcome.FirstReport);
        Assert.Contains("filemap_fault", outcome.FirstReport);
        ScenarioAssert.Bytes(outcome, new byte[GenericPerformWriteScenario.Message.Length]);
    }

    [Theory]
    [InlineData("X86_64")]
    [InlineData("Arm64")]
    [InlineData("Arc")]
    [InlineData("PowerPC64BE")]
    [InlineData("I386")]
    public void Fixed_copies_without_faults_under_the_lock_and_the_data_arrives(string arch)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, Variant.Fixed);

        Assert.False(outcome.TaskUnwound);
        Assert.Equal(GenericPerformWriteScenario.Message.Length, outcome.Result);
        ScenarioAssert.NoReports(outcome);
        ScenarioAssert.Bytes(outcome, GenericPerformWriteScenario.Message);
    }
}

public class GenericPerformWriteShortCopyTests
{
    private readonly GenericPerformWriteShortCopyScenario scenario = new();

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
    public void Both_write_everything_across_a_swapped_out_source_page(string arch, Variant variant)
    {
        var outcome = ScenarioAssert.Run(scenario, arch, variant);

        Assert.Equal(GenericPerformWriteShortCopyScenario.Message.Length, outcome.Result);
        ScenarioAssert.NoReports(outcome);
        ScenarioAssert.Bytes(outcome, GenericPerformWriteShortCopyScenario.Message);
    }
}
