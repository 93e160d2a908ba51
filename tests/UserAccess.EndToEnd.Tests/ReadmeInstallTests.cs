using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using UserAccess.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace UserAccess.EndToEnd.Tests;

/// <summary>
/// The README's two ways to add the tools, followed as a reader would: its commands run as written
/// (bash, in the clone and then in a fresh project outside it), and its project-reference snippet
/// pasted into a fresh project. In the same collection as the packed-feed tests, so that no two
/// builds of the repository's projects run at once.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReadmeInstallTests : IDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(6);

    private static readonly List<string> Folders = new();

    private readonly PackedFeed _feed;

    public ReadmeInstallTests(PackedFeed feed) => _feed = feed;

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("USERACCESS_E2E_KEEP") == "1")
        {
            return;
        }

        foreach (string folder in Folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the temporary folder is cleaned by the system later.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        Folders.Clear();
    }

    [Fact]
    public void The_install_commands_of_the_readme_work_as_written()
    {
        var lines = Block("```sh", "dotnet nuget add source");
        int inClone = lines.FindIndex(l => l.StartsWith("# in the clone", StringComparison.Ordinal));
        int inProject = lines.FindIndex(l => l.StartsWith("# in your project", StringComparison.Ordinal));
        Assert.True(lines[0].StartsWith("FEED=", StringComparison.Ordinal) && inClone == 1 && inProject > inClone, "README.md's install block changed shape:\n" + string.Join("\n", lines));

        string root = FreshFolder("readme-install");
        // The README lets FEED be any folder: this run's own. Every other line runs as printed.
        string feed = "FEED=" + Quote(Path.Combine(root, "feed"));
        string project = Path.Combine(root, "MyKernelCode");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "MyKernelCode.csproj"), ProjectFile(string.Empty));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Assets", "Buggy.cs"), Path.Combine(project, "Buggy.cs"));

        ProcessResult pack = Bash(Repository.Root, null, feed, lines.Skip(inClone + 1).Take(inProject - inClone - 1));
        Assert.True(pack.ExitCode == 0, pack.Describe());

        // A package folder of this run's own, so that no 0.1.0 cached by an earlier run is the one restored.
        ProcessResult use = Bash(project, Path.Combine(root, "packages"), feed, lines.Skip(inProject + 1));
        Assert.True(use.ExitCode == 0, use.Describe());
        Assert.Contains("<PackageReference Include=\"UserAccess.Runtime\" Version=\"0.1.0\" />", File.ReadAllText(Path.Combine(project, "MyKernelCode.csproj")));
        AssertBuggyIsFlagged(use);
    }

    [Fact]
    public void The_project_references_of_the_readme_bring_the_rules()
    {
        var lines = Block("```xml", "OutputItemType=\"Analyzer\"");
        string clone = Repository.Root.TrimEnd('/', '\\');
        string items = string.Join("\n", lines).Replace("path/to/UserAccess.Analyzers", clone, StringComparison.Ordinal);
        Assert.Equal(3, lines.Count(l => l.Contains("<ProjectReference", StringComparison.Ordinal)));

        string project = Path.Combine(FreshFolder("readme-projectreference"), "MyKernelCode");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "MyKernelCode.csproj"), ProjectFile(items));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Assets", "Buggy.cs"), Path.Combine(project, "Buggy.cs"));

        ProcessResult build = DotNet.Run(project, StepTimeout, "build", "-nodeReuse:false", "-consoleLoggerParameters:NoSummary");
        Assert.True(build.ExitCode == 0, build.Describe());
        AssertBuggyIsFlagged(build);
    }

    [Fact]
    public void Without_the_analyzer_references_a_project_reference_gets_no_rules()
    {
        // Why the README says to add them: the runtime alone brings none.
        string project = Path.Combine(FreshFolder("readme-runtime-only"), "MyKernelCode");
        Directory.CreateDirectory(project);
        string runtime = Path.Combine(Repository.Root, "src", "Runtime", "UserAccess.Runtime.csproj");
        File.WriteAllText(Path.Combine(project, "MyKernelCode.csproj"), ProjectFile($"<ItemGroup>\n  <ProjectReference Include=\"{runtime}\" />\n</ItemGroup>"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Assets", "Buggy.cs"), Path.Combine(project, "Buggy.cs"));

        ProcessResult build = DotNet.Run(project, StepTimeout, "build", "-nodeReuse:false", "-consoleLoggerParameters:NoSummary");
        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.Empty(BuildOutput.Diagnostics(build.Output));
    }

    private static void AssertBuggyIsFlagged(ProcessResult build)
    {
        var reported = BuildOutput.Diagnostics(build.Output).Select(d => (d.Id, d.File, d.Line)).Distinct().OrderBy(d => d.Id).ToList();
        Assert.True(
            new[] { ("UA2002", "Buggy.cs", 17), ("UA5001", "Buggy.cs", 26) }.SequenceEqual(reported),
            "Expected UA2002 and UA5001 in Buggy.cs:\n" + build.Describe());
    }

    /// <summary>The lines of the README's first fenced block of this kind that contains <paramref name="marker"/>.</summary>
    private static List<string> Block(string fence, string marker)
    {
        var readme = File.ReadAllLines(Repository.PathOf("README.md"));
        for (int i = 0; i < readme.Length; i++)
        {
            if (readme[i].Trim() != fence)
            {
                continue;
            }

            int end = Array.FindIndex(readme, i + 1, l => l.Trim() == "```");
            var block = readme[(i + 1)..end].ToList();
            if (block.Any(l => l.Contains(marker, StringComparison.Ordinal)))
            {
                return block;
            }

            i = end;
        }

        throw new InvalidOperationException($"README.md has no {fence} block with {marker}");
    }

    /// <summary>
    /// A folder outside the repository and outside the packed feed's folder (whose NuGet.config would
    /// otherwise merge into the project's), with nothing of its parents leaking in (Directory.Build.*,
    /// central package management). Deleted with the feed's folder unless USERACCESS_E2E_KEEP=1.
    /// </summary>
    private static string FreshFolder(string name)
    {
        string folder = Path.Combine(Path.GetTempPath(), "useraccess-" + name + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />\n");
        Folders.Add(folder);
        return folder;
    }

    private string ProjectFile(string items) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>{_feed.TargetFramework}</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>disable</ImplicitUsings>
          </PropertyGroup>
        {items}
        </Project>

        """;

    /// <summary>Runs the lines with bash, after the FEED line, in <paramref name="directory"/>.</summary>
    private static ProcessResult Bash(string directory, string? packages, string feedLine, IEnumerable<string> lines)
    {
        var script = new StringBuilder("set -euo pipefail\n").Append(feedLine).Append('\n');
        foreach (string line in lines)
        {
            script.Append(line).Append('\n');
        }

        var environment = new Dictionary<string, string>();
        if (packages is not null)
        {
            environment["NUGET_PACKAGES"] = packages;
        }

        return DotNet.RunProcess("bash", "bash", directory, StepTimeout, new[] { "-c", script.ToString() }, environment);
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
