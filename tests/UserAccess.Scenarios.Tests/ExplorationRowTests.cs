using System;
using System.Linq;
using Scenarios.Harness;
using UserAccess.Runtime;
using Xunit;

namespace UserAccess.Scenarios.Tests;

// The explorer's part of the table: each explored seed's buggy row names the first fault that
// broke it, each fixed row says the exploration was clean, and either way the row agrees.
public class ExplorationRowTests
{
    [Theory]
    [InlineData("umcg xchg_user_64", "x86_64", "misaligned +60", ReportKind.Livelock)]
    [InlineData("umcg xchg_user_64", "arm64", "misaligned +1", ReportKind.Livelock)]
    [InlineData("umcg get_user_nosleep", "x86_64", "SwappedOut", ReportKind.SleepInAtomic)]
    [InlineData("arc_usr_cmpxchg", "arc", "ZeroPage", null)]
    [InlineData("futex_wake_op", "powerpc64", "NotMapped", ReportKind.Livelock)]
    [InlineData("generic_perform_write", "i386", "NotPresent", ReportKind.Deadlock)]
    public void A_buggy_row_reports_the_first_failure_the_explorer_found(string scenario, string arch, string fault, ReportKind? kind)
    {
        var outcome = ScenarioAssert.Run(Scenario(scenario), arch, Variant.Buggy);

        var exploration = outcome.Exploration!;
        var first = exploration.Failures[0];
        Assert.StartsWith(fault, first.Fault);
        Assert.Equal(kind?.ToString() ?? "CheckFailed", first.Verdict);
        Assert.Contains($"explored {exploration.Runs.Count} runs, first failure {first.Fault}: {first.Verdict}", outcome.Simulator);
    }

    [Fact]
    public void Every_fixed_row_of_an_explored_seed_explores_clean()
    {
        var explored = ScenarioCatalog.All.Where(s => s.ExplorationTarget(KernelCode.Fixed, null) is not null).ToArray();
        Assert.Equal(5, explored.Length);

        foreach (var scenario in explored)
        {
            foreach (var arch in scenario.Archs)
            {
                var outcome = ScenarioAssert.Run(scenario, arch.Name, Variant.Fixed);
                Assert.True(outcome.Exploration!.IsClean, outcome.Exploration.ToString());
                Assert.EndsWith($"explored {outcome.Exploration.Runs.Count} runs, clean", outcome.Simulator);
            }
        }
    }

    [Fact]
    public void Scenarios_about_one_particular_setup_are_not_explored()
    {
        var outcome = ScenarioAssert.Run(ScenarioCatalog.All.OfType<UmcgXchgUser64AlignedScenario>().Single(), "x86_64", Variant.Fixed);

        Assert.Null(outcome.Exploration);
        Assert.DoesNotContain("explored", outcome.Simulator, StringComparison.Ordinal);
    }

    private static Scenario Scenario(string name) => ScenarioCatalog.All.First(s => s.Name == name);
}
