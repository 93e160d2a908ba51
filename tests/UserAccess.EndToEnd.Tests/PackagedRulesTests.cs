using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using UserAccess.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace UserAccess.EndToEnd.Tests;

/// <summary>
/// A user's project that references UserAccess.Runtime from the packed feed gets the rules: through
/// `dotnet build`, `.editorconfig`, the UserAccessAnalysisMode presets, SARIF and `dotnet format`.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PackagedRulesTests
{
    /// <summary>What Assets/Buggy.cs must report: (rule, line). Nothing else may be reported there.</summary>
    private static readonly (string Id, int Line)[] BuggyDiagnostics =
    {
        ("UA2002", 17),
        ("UA5001", 26),
    };

    private readonly PackedFeed _feed;

    public PackagedRulesTests(PackedFeed feed) => _feed = feed;

    [Fact]
    public void Buggy_code_fails_build_with_warnaserror_showing_rule_ids_and_help_links()
    {
        UserProject project = _feed.CreateProject("buggy-warnaserror", "Buggy.cs");

        ProcessResult build = project.Build("-warnaserror");

        Assert.True(build.ExitCode != 0, "The buggy code built with -warnaserror:\n" + build.Describe());
        IReadOnlyList<ReportedDiagnostic> reported = BuildOutput.Diagnostics(build.Output);
        Assert.True(
            BuggyDiagnostics.OrderBy(d => d.Id).SequenceEqual(reported.Select(d => (d.Id, d.Line)).Distinct().OrderBy(d => d.Id)),
            $"Expected exactly {string.Join(", ", BuggyDiagnostics)} in Buggy.cs, got {string.Join(", ", reported)}:\n{build.Describe()}");
        foreach ((string id, _) in BuggyDiagnostics)
        {
            DiagnosticDescriptor rule = Rules.Get(id);
            Assert.False(string.IsNullOrEmpty(rule.HelpLinkUri), $"{id} has no help link");
            Assert.Contains(reported, d => d.Id == id && d.Severity == "error" && d.File == "Buggy.cs" && d.HelpLink == rule.HelpLinkUri);
            Assert.Contains($"({rule.HelpLinkUri})", build.Output);
        }
    }

    [Fact]
    public void Fixed_code_builds_clean_with_warnaserror()
    {
        UserProject project = _feed.CreateProject("fixed-warnaserror", "Fixed.cs");

        ProcessResult build = project.Build("-warnaserror");

        Assert.True(build.ExitCode == 0, "The fixed code failed to build with -warnaserror:\n" + build.Describe());
        Assert.Empty(BuildOutput.Diagnostics(build.Output));
    }

    [Fact]
    public void Editorconfig_severity_none_silences_that_rule_and_only_that_rule()
    {
        UserProject project = _feed.CreateProject("buggy-editorconfig", "Buggy.cs")
            .WithFile(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.UA5001.severity = none\n");

        ProcessResult build = project.Build("-warnaserror");

        IReadOnlyList<ReportedDiagnostic> reported = BuildOutput.Diagnostics(build.Output);
        Assert.DoesNotContain(reported, d => d.Id == "UA5001");
        // The analyzers ran: the other rule still fails the build.
        Assert.Contains(reported, d => d.Id == "UA2002" && d.Severity == "error");
        Assert.True(build.ExitCode != 0, build.Describe());
    }

    [Fact]
    public void Strict_preset_makes_the_rules_errors_without_warnaserror()
    {
        Assert.Equal(DiagnosticSeverity.Warning, Rules.Get("UA2002").DefaultSeverity);
        Assert.Equal(DiagnosticSeverity.Warning, Rules.Get("UA5001").DefaultSeverity);
        UserProject project = _feed.CreateProject("buggy-strict", "Buggy.cs");

        // Default: the rules' own severities, warnings: the build passes and shows them.
        ProcessResult byDefault = project.Build();
        Assert.True(byDefault.ExitCode == 0, byDefault.Describe());
        Assert.Contains(BuildOutput.Diagnostics(byDefault.Output), d => d.Id == "UA2002" && d.Severity == "warning");

        // Strict, in the same folder: switching the mode must recompile, not reuse the last build.
        ProcessResult strict = project.Build("-p:UserAccessAnalysisMode=Strict");
        Assert.True(strict.ExitCode != 0, "Strict did not fail the build:\n" + strict.Describe());
        IReadOnlyList<ReportedDiagnostic> reported = BuildOutput.Diagnostics(strict.Output);
        Assert.Contains(reported, d => d.Id == "UA2002" && d.Severity == "error");
        Assert.Contains(reported, d => d.Id == "UA5001" && d.Severity == "error");
    }

    [Fact]
    public void Strict_preset_yields_to_per_rule_and_per_category_settings()
    {
        string category = Rules.Get("UA2002").Category;
        UserProject project = _feed.CreateProject("buggy-strict-overrides", "Buggy.cs")
            .WithFile(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.UA5001.severity = warning\n")
            .WithFile(".globalconfig", $"is_global = true\ndotnet_analyzer_diagnostic.category-{category}.severity = none\n");

        ProcessResult build = project.Build("-p:UserAccessAnalysisMode=Strict");

        Assert.True(build.ExitCode == 0, build.Describe());
        IReadOnlyList<ReportedDiagnostic> reported = BuildOutput.Diagnostics(build.Output);
        Assert.Contains(reported, d => d.Id == "UA5001" && d.Severity == "warning");
        Assert.DoesNotContain(reported, d => d.Id == "UA2002");
    }

    [Fact]
    public void None_preset_silences_every_rule()
    {
        UserProject project = _feed.CreateProject("buggy-none", "Buggy.cs");

        ProcessResult build = project.Build("-warnaserror", "-p:UserAccessAnalysisMode=None");

        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.Empty(BuildOutput.Diagnostics(build.Output));
    }

    [Fact]
    public void Unknown_mode_is_an_error_not_a_silent_default()
    {
        UserProject project = _feed.CreateProject("buggy-typo", "Buggy.cs");

        ProcessResult build = project.Build("-p:UserAccessAnalysisMode=Stirct");

        Assert.True(build.ExitCode != 0, build.Describe());
        Assert.Contains("UAPKG001", build.Output);
    }

    [Fact]
    public void Sarif_log_lists_the_rules_with_their_help_uris()
    {
        UserProject project = _feed.CreateProject("buggy-sarif", "Buggy.cs");
        string log = project.PathOf("build.sarif");

        ProcessResult build = project.Build($"-p:ErrorLog={log}%2Cversion=2.1");

        Assert.True(File.Exists(log), "No SARIF log written:\n" + build.Describe());
        using JsonDocument sarif = JsonDocument.Parse(File.ReadAllText(log));
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        JsonElement run = sarif.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r);
        var results = run.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("ruleId").GetString()).ToList();
        foreach ((string id, _) in BuggyDiagnostics)
        {
            Assert.True(rules.TryGetValue(id, out JsonElement rule), $"{id} is not among the SARIF rules: {string.Join(", ", rules.Keys)}");
            Assert.Equal(Rules.Get(id).HelpLinkUri, rule.GetProperty("helpUri").GetString());
            Assert.Contains(id, results);
        }
    }

    [Fact]
    public void Rule_options_in_editorconfig_reach_the_analyzers()
    {
        UserProject project = _feed.CreateProject("options", "Options.cs");

        // Without the options, the vendor wait and the file system's lock are unknown: nothing to report.
        ProcessResult without = project.Build("-warnaserror");
        Assert.True(without.ExitCode == 0, without.Describe());
        Assert.Empty(BuildOutput.Diagnostics(without.Output));

        project.WithFile(".editorconfig",
            "root = true\n\n[*.cs]\n" +
            "useraccess.fault_path_locks = P:EndToEnd.Inode.FolioLock\n" +
            "useraccess.might_sleep_methods = EndToEnd.VendorIo.WaitForCompletion\n");
        ProcessResult with = project.Build();

        IReadOnlyList<ReportedDiagnostic> reported = BuildOutput.Diagnostics(with.Output);
        Assert.True(
            new[] { ("UA1001", 40), ("UA2002", 32) }.SequenceEqual(reported.Select(d => (d.Id, d.Line)).Distinct().OrderBy(d => d.Id)),
            "Expected UA2002 on the copy under the folio lock and UA1001 on the vendor wait:\n" + with.Describe());
    }

    [Fact]
    public void Dotnet_format_applies_the_code_fix()
    {
        UserProject project = _feed.CreateProject("buggy-format", "Buggy.cs");
        string before = File.ReadAllText(project.PathOf("Buggy.cs"));
        ProcessResult restore = project.Run("restore", "-nodeReuse:false");
        Assert.True(restore.ExitCode == 0, restore.Describe());

        ProcessResult format = project.Run("format", "analyzers", "UserCode.csproj", "--diagnostics", "UA5001", "--severity", "info", "--no-restore", "-v", "diag");

        Assert.True(format.ExitCode == 0, format.Describe());
        string after = File.ReadAllText(project.PathOf("Buggy.cs"));
        Assert.True(before != after, "dotnet format changed nothing:\n" + format.Describe());
        // The ignored errno is now checked and passed on (the UA5001 fix for an errno result).
        Assert.DoesNotContain("        GetUser(out flag, uaddr);\n", after.Replace("\r\n", "\n"));
        Assert.Matches(@"if \(\w+ != 0\)", after);
        ProcessResult build = project.Build("-warnaserror");
        IReadOnlyList<ReportedDiagnostic> reported = BuildOutput.Diagnostics(build.Output);
        Assert.DoesNotContain(reported, d => d.Id == "UA5001");
        // Only the asked-for rule was fixed; the rewritten file still compiles (UA2002 is its only error).
        Assert.Equal(new[] { "UA2002" }, reported.Select(d => d.Id).Distinct().ToArray());
        Assert.DoesNotContain(": error CS", build.Output);
    }
}
