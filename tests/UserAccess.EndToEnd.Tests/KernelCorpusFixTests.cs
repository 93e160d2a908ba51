using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using UserAccess.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UserAccess.EndToEnd.Tests;

/// <summary>
/// `dotnet format analyzers` over the kernel corpus (real kernel functions translated line by line) as a
/// user's project: every rule that has a fix, in one run. The result must compile with no new diagnostic of
/// any rule, and a second run must change nothing. What each rule's fix fixed and declined is printed; the
/// fraction is held to a floor by the in-process measurement next to the analyzer tests
/// (Fixes/KernelCorpusFixTests), which also names the reason of each decline.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class KernelCorpusFixTests
{
    private readonly PackedFeed _feed;
    private readonly ITestOutputHelper _output;

    public KernelCorpusFixTests(PackedFeed feed, ITestOutputHelper output)
    {
        _feed = feed;
        _output = output;
    }

    [Fact]
    public void Dotnet_format_over_the_kernel_corpus_compiles_brings_no_new_diagnostic_and_a_second_run_changes_nothing()
    {
        UserProject project = _feed.CreateProject("kernel-corpus");
        string corpus = Repository.PathOf("tests", "UserAccess.Analyzers.Tests", "KernelCorpus");
        string[] files = Directory.GetFiles(corpus, "*.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        foreach (string file in files)
        {
            File.Copy(file, project.PathOf(Path.GetFileName(file)));
        }

        string[] names = files.Select(Path.GetFileName).ToArray()!;
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());

        // The corpus is simulator code with unsafe views; every rule as a warning, so that the build lists them all.
        string[] rules = Rules.All.Select(d => d.Id).Where(id => id != "UA0001").ToArray();
        project.WithFile("Directory.Build.props", "<Project><PropertyGroup><AllowUnsafeBlocks>true</AllowUnsafeBlocks></PropertyGroup></Project>\n");
        project.WithFile(".globalconfig", "is_global = true\n" + string.Concat(rules.Select(id => $"dotnet_diagnostic.{id}.severity = warning\n")));
        Assert.True(project.Run("restore", "-nodeReuse:false").ExitCode == 0);

        ProcessResult build = project.Build();
        Assert.True(build.ExitCode == 0, build.Describe());
        IReadOnlyList<ReportedDiagnostic> before = BuildOutput.Diagnostics(build.Output);
        Assert.NotEmpty(before);

        string[] format = new[] { "format", "analyzers", "UserCode.csproj", "--no-restore", "--severity", "info", "--diagnostics" }.Concat(rules).ToArray();
        ProcessResult formatRun = project.Run(format);
        Assert.True(formatRun.ExitCode == 0, formatRun.Describe());

        build = project.Build();
        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.DoesNotContain(": error CS", build.Output);
        IReadOnlyList<ReportedDiagnostic> after = BuildOutput.Diagnostics(build.Output);
        foreach (string id in rules)
        {
            int reported = before.Count(d => d.Id == id), left = after.Count(d => d.Id == id);
            Assert.True(left <= reported, $"dotnet format brought new {id} diagnostics to the corpus:\n{string.Join("\n", after.Where(d => d.Id == id))}");
            if (reported > 0 && Rules.FixableIds.Contains(id))
            {
                _output.WriteLine($"{id}: {reported} reported, {reported - left} fixed, {left} declined");
            }
        }

        Dictionary<string, string> fixedTexts = names.ToDictionary(f => f, f => File.ReadAllText(project.PathOf(f)));
        ProcessResult again = project.Run(format);
        Assert.True(again.ExitCode == 0, again.Describe());
        foreach (string file in names)
        {
            Assert.True(fixedTexts[file] == File.ReadAllText(project.PathOf(file)), $"The second run changed {file}:\n{again.Output}");
        }
    }
}
