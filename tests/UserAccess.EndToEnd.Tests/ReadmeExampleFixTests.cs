using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using UserAccess.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace UserAccess.EndToEnd.Tests;

/// <summary>
/// The README opens with a piece of simulator code and the diagnostics its comments claim, then says
/// what the fix does and which command applies fixes from the command line. A new user who pastes the
/// example into a project and runs that command must get what the README says: the claimed rules
/// reported, then mended, with the code the prose quotes, and a second run that changes nothing.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReadmeExampleFixTests
{
    private readonly PackedFeed _feed;

    public ReadmeExampleFixTests(PackedFeed feed) => _feed = feed;

    [Fact]
    public void The_readme_example_is_fixed_by_the_command_the_readme_shows()
    {
        string readme = File.ReadAllText(Repository.PathOf("README.md")).Replace("\r\n", "\n");
        string example = Regex.Match(readme, "```csharp\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(example), "README.md has no C# example");
        string[] claimed = Regex.Matches(example, @"// (UA\d{4})").Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.NotEmpty(claimed);

        // The README's command, with the rules the example claims.
        Match command = Regex.Match(readme, @"`dotnet format analyzers --diagnostics UA\d{4} --severity info`");
        Assert.True(command.Success, "README.md no longer shows the `dotnet format analyzers` command this test runs");

        // What the prose says the fix writes, quoted in backticks after "the fix inserts".
        string inserted = Regex.Match(readme, "the fix inserts `([^`]+)`").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(inserted), "README.md no longer quotes what the fix inserts");

        UserProject project = _feed.CreateProject("readme-example");
        project.WithFile("Readme.cs", AsAClass(example));
        project.WithFile(".globalconfig", "is_global = true\n" + string.Concat(claimed.Select(id => $"dotnet_diagnostic.{id}.severity = warning\n")));
        Assert.True(project.Run("restore", "-nodeReuse:false").ExitCode == 0);

        ProcessResult build = project.Build();
        Assert.True(build.ExitCode == 0, build.Describe());
        IReadOnlyList<ReportedDiagnostic> before = BuildOutput.Diagnostics(build.Output);
        foreach (string id in claimed)
        {
            Assert.True(before.Any(d => d.File == "Readme.cs" && d.Id == id), $"the README claims {id}, which the build does not report:\n{build.Output}");
        }

        string[] format = new[] { "format", "analyzers", "UserCode.csproj", "--no-restore", "--severity", "info", "--diagnostics" }.Concat(claimed).ToArray();
        ProcessResult formatted = project.Run(format);
        Assert.True(formatted.ExitCode == 0, formatted.Describe());
        string fixedText = File.ReadAllText(project.PathOf("Readme.cs"));
        Assert.True(fixedText.Contains(inserted, StringComparison.Ordinal), $"the README says the fix inserts `{inserted}`; the fixed code is:\n{fixedText}");

        build = project.Build();
        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.DoesNotContain(": error CS", build.Output);
        IReadOnlyList<ReportedDiagnostic> after = BuildOutput.Diagnostics(build.Output);
        Assert.True(!after.Any(d => d.File == "Readme.cs" && d.Id.StartsWith("UA", StringComparison.Ordinal)),
            $"the fixed example still has diagnostics:\n{build.Output}\n{fixedText}");

        ProcessResult again = project.Run(format);
        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.True(fixedText == File.ReadAllText(project.PathOf("Readme.cs")), $"the second run changed the example:\n{again.Output}");
    }

    // The example is a static method after its usings, as a reader would paste it into a class.
    private static string AsAClass(string example)
    {
        string[] lines = example.Split('\n');
        var usings = lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal) || l.Length == 0).ToArray();
        var body = lines.Skip(usings.Length).Select(l => l.Length == 0 ? l : "    " + l);
        return string.Join("\n", usings) + "\npublic static class ReadmeExample\n{\n" + string.Join("\n", body).TrimEnd() + "\n}\n";
    }
}
