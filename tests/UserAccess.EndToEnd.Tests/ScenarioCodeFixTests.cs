using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using UserAccess.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace UserAccess.EndToEnd.Tests;

/// <summary>
/// Issue 5's end-to-end check: `dotnet format analyzers` run on a copy of the buggy seed scenarios,
/// in a user project that gets the rules from the packed package, rewrites the buggy kernel code into
/// code that compiles, analyzes clean for the fixed rules and behaves like the fixed scenarios in the
/// simulator. Only the seeds whose bug a code fix can mend are run (the scenario harness's
/// <c>--expect-fixed Buggy</c> mode runs Buggy/ against the FIXED expectations); the seeds whose
/// diagnostic a fix mends while the kernel's fix did more are run too, and must do what the rule's
/// fix makes of them.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ScenarioCodeFixTests
{
    /// <summary>The rules whose fixes mend a seed, and the scenario rows (by name) they must make pass.</summary>
    private static readonly (string Rule, string Scenario)[] Mendable =
    {
        ("UA3001", "xchg_user_64"),
        ("UA4002", "futex_wake_op"),
        ("UA2002", "generic_perform_write"),
        ("UA4005", "btrfs search_ioctl"),

        // map_changing_lock held for read from the mmap_changing check to out_unlock, as the kernel's fix
        // holds it: MADV_DONTNEED waits for the copy, then zaps (no ghost page).
        ("UA2004", "userfaultfd copy vs MADV_DONTNEED"),
    };

    /// <summary>
    /// The rules whose fixes mend a seed's diagnostic but not all that the kernel's fix changed: the
    /// scenario rows (by name) and what every one of them shows after the rewrite instead of the
    /// fixed scenario's outcome.
    /// </summary>
    private static readonly (string Rule, string Scenario, string Shows)[] LessonOnly =
    {
        // The ignored __put_user() result is returned: user space is no longer told that the exchange
        // happened. The kernel's fix (commit e8708786d4fe) also faults the word in writeable with
        // preemption enabled and retries, which makes the same call succeed: a loop the fix does not write.
        ("UA5001", "arc_usr_cmpxchg", "page was ZeroPage; returns -EFAULT, Z=0; user reads 0x0; no report"),
    };

    /// <summary>The restructuring fixes run on every buggy seed as issue 5 asks, whether or not a seed has their diagnostic.</summary>
    private static readonly string[] Restructuring = { "UA1002", "UA2002", "UA4001" };

    private readonly PackedFeed _feed;

    public ScenarioCodeFixTests(PackedFeed feed) => _feed = feed;

    [Fact]
    public void Dotnet_format_rewrites_the_buggy_scenarios_into_code_that_behaves_like_the_fixed_ones()
    {
        UserProject project = CopyOfTheScenarios();
        Assert.True(project.Run("restore", "-nodeReuse:false").ExitCode == 0);
        string[] scenarioArguments = Mendable.SelectMany(m => new[] { "--scenario", m.Scenario }).ToArray();

        // Before: the buggy code does not behave like the fixed code (the test can fail).
        ProcessResult before = project.Run(new[] { "run", "--no-restore", "--", "--expect-fixed", "Buggy" }.Concat(scenarioArguments).ToArray());
        Assert.True(before.ExitCode != 0, "The buggy scenarios already behave like the fixed ones:\n" + before.Describe());

        string[] rules = Restructuring.Concat(Mendable.Select(m => m.Rule)).Concat(LessonOnly.Select(l => l.Rule)).Distinct().ToArray();
        ProcessResult format = project.Run(new[] { "format", "analyzers", "UserCode.csproj", "--no-restore", "--severity", "info", "--include", "Buggy/", "--diagnostics" }
            .Concat(rules).ToArray());
        Assert.True(format.ExitCode == 0, format.Describe());
        ProcessResult build = project.Build();
        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.DoesNotContain(": error CS", build.Output);
        IReadOnlyList<ReportedDiagnostic> reported = BuildOutput.Diagnostics(build.Output);
        Assert.DoesNotContain(reported, d => rules.Contains(d.Id));

        ProcessResult after = project.Run(new[] { "run", "--no-build", "--", "--expect-fixed", "Buggy" }.Concat(scenarioArguments).ToArray());
        Assert.True(after.ExitCode == 0, "The rewritten buggy scenarios do not behave like the fixed ones:\n" + after.Describe());
        Assert.Contains("all match the kernel", after.Output);

        foreach (var (rule, scenario, shows) in LessonOnly)
        {
            ProcessResult lesson = project.Run("run", "--no-build", "--", "--expect-fixed", "Buggy", "--wide", "--scenario", scenario);
            string[] rows = lesson.Output.Split('\n').Where(line => line.StartsWith(scenario, StringComparison.Ordinal)).ToArray();
            Assert.True(rows.Length > 0, $"No {scenario} row after the {rule} fix:\n" + lesson.Describe());
            Assert.All(rows, row => Assert.Contains(shows, row));
        }
    }

    /// <summary>samples/Scenarios as a user's project: its sources, the runtime (and so the rules) from the feed.</summary>
    private UserProject CopyOfTheScenarios()
    {
        UserProject project = _feed.CreateProject("scenarios-format");
        string csproj = project.PathOf("UserCode.csproj");
        File.WriteAllText(csproj, File.ReadAllText(csproj).Replace(
            "<Nullable>enable</Nullable>",
            "<Nullable>enable</Nullable>\n    <OutputType>Exe</OutputType>\n    <RootNamespace>Scenarios</RootNamespace>"));

        string samples = Repository.PathOf("samples", "Scenarios");
        foreach (string source in Directory.EnumerateFiles(samples, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(samples, source);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj")
            {
                continue;
            }

            string target = project.PathOf(relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }

        return project;
    }
}
