using System.Linq;
using Scenarios.Harness;
using Xunit;

namespace UserAccess.Scenarios.Tests;

public class TableTests
{
    [Fact]
    public void Only_fixed_runs_one_agreeing_fixed_row_per_scenario_and_arch()
    {
        var outcomes = global::Scenarios.Program.Run(onlyFixed: true, buggyExpectFixed: false, filters: new string[0]);

        Assert.Equal(ScenarioCatalog.All.Sum(s => s.Archs.Count), outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(Variant.Fixed, o.Code));
        Assert.All(outcomes, o => Assert.True(o.Agrees, $"{o.Scenario} {o.Arch}: {o.Simulator}"));
    }

    [Fact]
    public void Expect_fixed_runs_the_buggy_code_against_the_fixed_outcomes()
    {
        // The unrewritten buggy code must not pass for fixed: only the control rows (an aligned
        // word) and the little-endian user_events rows agree, because memory order is value
        // order there.
        var outcomes = global::Scenarios.Program.Run(onlyFixed: false, buggyExpectFixed: true, filters: new[] { "xchg", "user_events", "arc_usr" });

        Assert.All(outcomes, o => Assert.Equal(Variant.Buggy, o.Code));
        Assert.All(outcomes, o => Assert.Equal(Variant.Fixed, o.Expectation));
        var agreeing = outcomes.Where(o => o.Agrees && !o.Scenario.Contains("aligned")).Select(o => $"{o.Scenario} {o.Arch}").OrderBy(s => s).ToArray();
        Assert.Equal(new[] { "user_events u32 bit 31 x86_64", "user_events u64 bit 63 x86_64" }, agreeing);
        Assert.All(outcomes.Where(o => o.Scenario.Contains("aligned")), o => Assert.True(o.Agrees));
    }

    [Fact]
    public void The_table_prints_every_column()
    {
        var outcomes = global::Scenarios.Program.Run(onlyFixed: true, buggyExpectFixed: false, filters: new[] { "arc_usr" });
        string table = global::Scenarios.Program.Format(outcomes, verbose: false);

        Assert.StartsWith("scenario", table);
        Assert.Contains("what the kernel would do", table);
        Assert.Contains("what the simulator did", table);
        Assert.Contains("| yes", table);
    }

    [Fact]
    public void Every_scenario_names_its_source_and_runs_on_known_backends()
    {
        Assert.All(ScenarioCatalog.All, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Source));
            Assert.NotEmpty(s.Archs);
            Assert.All(s.Archs, a => Assert.Contains(a, Sim.AllArchs));
        });
    }
}
