using System;
using System.IO;
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
    public void The_wide_table_prints_every_column_on_one_line()
    {
        var outcomes = global::Scenarios.Program.Run(onlyFixed: true, buggyExpectFixed: false, filters: new[] { "arc_usr" });
        string table = global::Scenarios.Program.Format(outcomes, verbose: false, wide: true);

        Assert.StartsWith("scenario", table);
        Assert.Contains("what the kernel would do", table);
        Assert.Contains("what the simulator did", table);
        Assert.Contains("| matches the kernel", table);
        Assert.Equal(2 + outcomes.Count, table.TrimEnd().Split('\n').Length);
    }

    [Fact]
    public void The_default_table_fits_120_columns_and_says_each_row_matches_the_kernel()
    {
        // Buggy and fixed rows, and every scenario: the longest kernel and simulator texts included.
        var outcomes = global::Scenarios.Program.Run(onlyFixed: false, buggyExpectFixed: false, filters: new string[0]);
        string table = global::Scenarios.Program.Format(outcomes, verbose: true);
        var lines = table.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

        Assert.All(lines, l => Assert.True(l.Length <= 120, $"{l.Length} columns: {l}"));
        Assert.StartsWith("scenario", lines[0]);
        Assert.EndsWith("simulator vs kernel", lines[0]);
        Assert.Equal(outcomes.Count, lines.Count(l => l.EndsWith(" matches the kernel") || l.EndsWith(" DIFFERS from the kernel")));
        Assert.Equal(outcomes.Count, lines.Count(l => l.StartsWith("  kernel:    ")));
        Assert.Equal(outcomes.Count, lines.Count(l => l.StartsWith("  simulator: ")));
        Assert.DoesNotContain(lines, l => l.EndsWith(" yes"));
    }

    [Fact]
    public void A_row_that_differs_says_so_in_words_and_in_the_summary()
    {
        var outcomes = global::Scenarios.Program.Run(onlyFixed: false, buggyExpectFixed: true, filters: new[] { "arc" });
        string table = global::Scenarios.Program.Format(outcomes, verbose: false);

        Assert.Contains(" DIFFERS from the kernel\n", table.Replace("\r", ""));
        int differing = outcomes.Count(o => !o.Agrees);
        Assert.True(differing > 0);
        Assert.Equal($"{outcomes.Count} rows, {differing} DIFFER from the kernel", global::Scenarios.Program.Summary(outcomes));
    }

    [Fact]
    public void The_readme_shows_lines_of_the_real_table()
    {
        // The README's excerpt of the main job's output: every table line it shows (not the build's
        // warnings, not the '...' that mark what it leaves out) is a line the program prints.
        var outcomes = global::Scenarios.Program.Run(onlyFixed: false, buggyExpectFixed: false, filters: new string[0]);
        var printed = (global::Scenarios.Program.Format(outcomes, verbose: false) + "\n" + global::Scenarios.Program.Summary(outcomes))
            .Replace("\r", "").Split('\n').ToHashSet();

        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).Replace("\r", "");
        int from = readme.IndexOf("What you see from the first command", StringComparison.Ordinal);
        Assert.True(from >= 0, "README.md no longer shows the main job's output");
        int start = readme.IndexOf("```text\n", from, StringComparison.Ordinal) + "```text\n".Length;
        var excerpt = readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)].Split('\n');

        var table = excerpt.Where(l => l.Length > 0 && l != "..." && !l.Contains(": warning UA", StringComparison.Ordinal)).ToList();
        Assert.True(table.Count >= 8, "the excerpt shows too little of the table");
        Assert.All(table, l => Assert.True(printed.Contains(l), "README.md shows a line the program does not print:\n" + l));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UserAccess.Analyzers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No UserAccess.Analyzers.sln above " + AppContext.BaseDirectory);
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
