using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using UserAccess.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace UserAccess.EndToEnd.Tests;

/// <summary>
/// `dotnet format analyzers` over a project where every rule with a fix has a shape its fix declines
/// (in the files that sort first, A_*.Declined.cs) next to one it rewrites (B_*.Fixable.cs).
/// `dotnet format` asks a rule's Fix All provider with the key of the action offered for the first
/// diagnostic it meets, or with none when the fix declined that one: one declined diagnostic must not
/// stop the rule everywhere. A second run must change nothing.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class FixAllTests
{
    private readonly PackedFeed _feed;

    public FixAllTests(PackedFeed feed) => _feed = feed;

    [Fact]
    public void Dotnet_format_fixes_every_fixable_diagnostic_next_to_declined_ones_and_a_second_run_changes_nothing()
    {
        UserProject project = _feed.CreateProject("fix-all-mixed");
        string assets = Path.Combine(AppContext.BaseDirectory, "Assets", "FixAll");
        string[] files = Directory.GetFiles(assets, "*.cs").Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToArray()!;
        foreach (string file in files)
        {
            File.Copy(Path.Combine(assets, file), project.PathOf(file));
        }

        string[] rules = files.Select(RuleOf).Distinct().ToArray();
        Assert.Equal(Rules.FixableIds.OrderBy(id => id, StringComparer.Ordinal), rules);

        // Every rule as a warning, so that the build output lists them all (info is not printed).
        project.WithFile(".globalconfig", "is_global = true\n" + string.Concat(rules.Select(id => $"dotnet_diagnostic.{id}.severity = warning\n")));
        Assert.True(project.Run("restore", "-nodeReuse:false").ExitCode == 0);

        ProcessResult build = project.Build();
        Assert.True(build.ExitCode == 0, build.Describe());
        IReadOnlyList<ReportedDiagnostic> before = BuildOutput.Diagnostics(build.Output);
        foreach (string rule in rules)
        {
            // The test means something only where both shapes are reported.
            Assert.True(Count(before, $"A_{rule}.Declined.cs", rule) > 0, $"{rule}: the declined shape is not reported\n{build.Output}");
            Assert.True(Count(before, $"B_{rule}.Fixable.cs", rule) > 0, $"{rule}: the fixable shape is not reported\n{build.Output}");
        }

        ProcessResult format = project.Run(new[] { "format", "analyzers", "UserCode.csproj", "--no-restore", "--severity", "info", "--diagnostics" }.Concat(rules).ToArray());
        Assert.True(format.ExitCode == 0, format.Describe());
        Assert.DoesNotContain("didn't return a Fix All action", format.Output);

        build = project.Build();
        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.DoesNotContain(": error CS", build.Output);
        IReadOnlyList<ReportedDiagnostic> after = BuildOutput.Diagnostics(build.Output);
        foreach (string rule in rules)
        {
            string fixable = $"B_{rule}.Fixable.cs";
            Assert.True(Count(after, fixable, rule) == 0, $"{rule} is left in {fixable}:\n{format.Output}\n{File.ReadAllText(project.PathOf(fixable))}");
            string declined = $"A_{rule}.Declined.cs";
            Assert.True(Count(before, declined, rule) == Count(after, declined, rule), $"{rule}: the declined shapes in {declined} changed ({Count(before, declined, rule)} reported before, {Count(after, declined, rule)} after):\n{File.ReadAllText(project.PathOf(declined))}");

            // A fix must not trade one diagnostic for another.
            foreach (string id in after.Where(d => d.File == fixable).Select(d => d.Id).Distinct())
            {
                Assert.True(Count(after, fixable, id) <= Count(before, fixable, id), $"Fixing {fixable} brought new {id} diagnostics:\n{File.ReadAllText(project.PathOf(fixable))}");
            }
        }

        Dictionary<string, string> fixedTexts = files.ToDictionary(f => f, f => File.ReadAllText(project.PathOf(f)));
        ProcessResult again = project.Run(new[] { "format", "analyzers", "UserCode.csproj", "--no-restore", "--severity", "info", "--diagnostics" }.Concat(rules).ToArray());
        Assert.True(again.ExitCode == 0, again.Describe());
        foreach (string file in files)
        {
            Assert.True(fixedTexts[file] == File.ReadAllText(project.PathOf(file)), $"The second run changed {file}:\n{again.Output}");
        }
    }

    private static string RuleOf(string file) => file.Substring(2, 6);

    private static int Count(IReadOnlyList<ReportedDiagnostic> diagnostics, string file, string id)
        => diagnostics.Count(d => d.File == file && d.Id == id);
}
