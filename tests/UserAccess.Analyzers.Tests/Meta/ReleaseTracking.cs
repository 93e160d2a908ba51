using System.Collections.Generic;
using System.IO;
using System;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>
/// The rules as <c>AnalyzerReleases.Shipped.md</c> then <c>AnalyzerReleases.Unshipped.md</c> state them
/// (the format of Microsoft.CodeAnalysis.Analyzers' release tracking): New rows add a rule, Changed rows
/// give its new category and severity, Removed rows drop it.
/// </summary>
internal static class ReleaseTracking
{
    public sealed record Entry(string Id, string Category, string Severity, string File);

    public static IReadOnlyDictionary<string, Entry> Load(string analyzersProject)
    {
        var rules = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var name in new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" })
        {
            var path = Path.Combine(analyzersProject, name);
            if (File.Exists(path))
            {
                Read(path, name, rules);
            }
        }

        return rules;
    }

    private static void Read(string path, string name, Dictionary<string, Entry> rules)
    {
        var section = string.Empty;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith("###", StringComparison.Ordinal))
            {
                section = line.TrimStart('#').Trim();
                continue;
            }

            var cells = line.Split('|');
            if (cells.Length < 2 || line.StartsWith("Rule ID", StringComparison.Ordinal) || line.StartsWith("-", StringComparison.Ordinal))
            {
                continue;
            }

            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = cells[i].Trim();
            }

            switch (section)
            {
                case "New Rules" when cells.Length >= 3:
                case "Changed Rules" when cells.Length >= 3:
                    rules[cells[0]] = new Entry(cells[0], cells[1], cells[2], name);
                    break;
                case "Removed Rules":
                    rules.Remove(cells[0]);
                    break;
            }
        }
    }
}
