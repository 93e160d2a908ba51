using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using UserAccess.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace UserAccess.EndToEnd.Tests;

/// <summary>
/// The documents that list the rules are regenerated from the analyzers' descriptors and compared,
/// so they cannot drift: docs/rules/README.md (the index) and the shipped presets (their categories).
/// Set USERACCESS_UPDATE_DOCS=1 to write the regenerated index instead of failing.
/// </summary>
public sealed class DocumentationTests
{
    private const string Begin = "<!-- rules:begin (generated from the analyzers' descriptors by DocumentationTests; do not edit by hand) -->";
    private const string End = "<!-- rules:end -->";

    /// <summary>The short table of the root README: the rules with their titles, linking to their pages.</summary>
    public static string ReadmeRuleTable()
    {
        var table = new StringBuilder();
        table.Append("| ID | Rule | Category | Code fix |\n");
        table.Append("|---|---|---|---|\n");
        foreach (DiagnosticDescriptor rule in Rules.All)
        {
            string category = rule.Category.StartsWith("UserAccess.", StringComparison.Ordinal) ? rule.Category["UserAccess.".Length..] : rule.Category;
            string fix = Rules.FixableIds.Contains(rule.Id) ? "yes" : "-";
            table.Append($"| [{rule.Id}](docs/rules/{rule.Id}.md) | {Escape(rule.Title.ToString(System.Globalization.CultureInfo.InvariantCulture))} | {category} | {fix} |\n");
        }
        return table.ToString();
    }

    public static string RuleIndexTable()
    {
        var table = new StringBuilder();
        table.Append("| ID | Title | Category | Default severity | Code fix |\n");
        table.Append("|---|---|---|---|---|\n");
        foreach (DiagnosticDescriptor rule in Rules.All)
        {
            string severity = rule.DefaultSeverity.ToString() + (rule.IsEnabledByDefault ? "" : " (disabled by default)");
            string fix = Rules.FixableIds.Contains(rule.Id) ? "yes" : "-";
            table.Append($"| [{rule.Id}]({rule.Id}.md) | {Escape(rule.Title.ToString(System.Globalization.CultureInfo.InvariantCulture))} | {rule.Category} | {severity} | {fix} |\n");
        }
        return table.ToString();
    }

    [Fact]
    public void Analyzer_assembly_declares_rules_and_code_fixes_fix_declared_rules()
    {
        Assert.NotEmpty(Rules.All);
        Assert.NotEmpty(Rules.FixableIds);
        Assert.All(Rules.FixableIds, id => Assert.Contains(Rules.All, r => r.Id == id));
    }

    [Fact]
    public void Rule_index_matches_the_descriptors() =>
        AssertGeneratedRegion(Repository.PathOf("docs", "rules", "README.md"), RuleIndexTable());

    [Fact]
    public void Readme_rule_table_matches_the_descriptors() =>
        AssertGeneratedRegion(Repository.PathOf("README.md"), ReadmeRuleTable());

    private static void AssertGeneratedRegion(string path, string expected)
    {
        string text = File.ReadAllText(path).Replace("\r\n", "\n");
        int begin = text.IndexOf(Begin, StringComparison.Ordinal);
        int end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"{path} has no generated region ({Begin} ... {End})");
        string current = text.Substring(begin + Begin.Length, end - begin - Begin.Length).Trim('\n') + "\n";

        if (current != expected && Environment.GetEnvironmentVariable("USERACCESS_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, text[..(begin + Begin.Length)] + "\n" + expected + text[end..]);
            return;
        }
        Assert.True(current == expected,
            $"{path} is out of date with the analyzers. Replace the table between the rules:begin and rules:end markers with the following " +
            $"(or run the tests with USERACCESS_UPDATE_DOCS=1):\n\n{expected}");
    }

    [Theory]
    [InlineData("strict", "error")]
    [InlineData("none", "none")]
    public void Presets_cover_every_category_of_the_rules(string mode, string severity)
    {
        string path = Repository.PathOf("package", "UserAccess.Analyzers", "buildTransitive", "config", $"useraccess_{mode}.globalconfig");
        Dictionary<string, string> entries = GlobalConfig(path);
        var categories = entries
            .Where(e => e.Key.StartsWith("dotnet_analyzer_diagnostic.category-", StringComparison.Ordinal))
            .ToDictionary(e => e.Key["dotnet_analyzer_diagnostic.category-".Length..^".severity".Length], e => e.Value);
        var expected = Rules.All.Select(r => r.Category).Distinct().OrderBy(c => c, StringComparer.Ordinal).ToList();

        // The presets may name a category before its first rule lands (the id ranges are fixed in advance),
        // but a rule whose category the preset misses would escape Strict and None.
        var missing = expected.Where(c => !categories.ContainsKey(c)).ToList();
        Assert.True(missing.Count == 0,
            $"{path} does not cover the categories {string.Join(", ", missing)}. Add:\n" +
            string.Join("\n", missing.Select(c => $"dotnet_analyzer_diagnostic.category-{c}.severity = {severity}")));
        Assert.All(categories.Values, value => Assert.Equal(severity, value));
        Assert.Equal("true", entries["is_global"]);
        Assert.True(int.Parse(entries["global_level"], System.Globalization.CultureInfo.InvariantCulture) < 0, "the preset must lose to the user's own global configs");
        // A category entry does not reach a rule that is disabled by default: Strict names those one by one.
        foreach (DiagnosticDescriptor rule in Rules.All.Where(r => !r.IsEnabledByDefault && mode == "strict"))
        {
            Assert.True(entries.TryGetValue($"dotnet_diagnostic.{rule.Id}.severity", out string? value) && value == "error",
                $"{rule.Id} is disabled by default: {path} needs dotnet_diagnostic.{rule.Id}.severity = error");
        }
    }

    private static Dictionary<string, string> GlobalConfig(string path) =>
        File.ReadAllLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.StartsWith(';'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim());

    private static string Escape(string text) => text.Replace("|", "\\|");
}
