using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.EndToEnd.Tests.Infrastructure;

/// <summary>The rules as the UserAccess.Analyzers assembly declares them (reflection over its analyzers).</summary>
public static class Rules
{
    private static readonly Lazy<ImmutableArray<DiagnosticDescriptor>> Descriptors = new(Load);

    private static readonly Lazy<ImmutableHashSet<string>> Fixable = new(LoadFixable);

    public static Assembly AnalyzerAssembly => Assembly.Load(new AssemblyName("UserAccess.Analyzers"));

    public static Assembly CodeFixAssembly => Assembly.Load(new AssemblyName("UserAccess.CodeFixes"));

    /// <summary>The IDs that some code fix provider of UserAccess.CodeFixes fixes.</summary>
    public static ImmutableHashSet<string> FixableIds => Fixable.Value;

    /// <summary>Every descriptor of every analyzer, one per ID, ordered by ID.</summary>
    public static ImmutableArray<DiagnosticDescriptor> All => Descriptors.Value;

    public static DiagnosticDescriptor Get(string id) =>
        All.SingleOrDefault(d => d.Id == id)
        ?? throw new InvalidOperationException($"No analyzer in UserAccess.Analyzers declares {id}; declared: {string.Join(", ", All.Select(d => d.Id))}");

    private static ImmutableHashSet<string> LoadFixable()
    {
        var ids = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (Type type in CodeFixAssembly.GetTypes())
        {
            if (type.IsAbstract || !typeof(Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider).IsAssignableFrom(type)
                || type.GetCustomAttribute<Microsoft.CodeAnalysis.CodeFixes.ExportCodeFixProviderAttribute>() is null)
            {
                continue;
            }
            var provider = (Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider)Activator.CreateInstance(type, nonPublic: true)!;
            ids.UnionWith(provider.FixableDiagnosticIds);
        }
        return ids.ToImmutable();
    }

    private static ImmutableArray<DiagnosticDescriptor> Load()
    {
        var byId = new SortedDictionary<string, DiagnosticDescriptor>(StringComparer.Ordinal);
        foreach (Type type in AnalyzerAssembly.GetTypes())
        {
            if (type.IsAbstract || !typeof(DiagnosticAnalyzer).IsAssignableFrom(type) || type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is null)
            {
                continue;
            }
            var analyzer = (DiagnosticAnalyzer)Activator.CreateInstance(type, nonPublic: true)!;
            foreach (DiagnosticDescriptor descriptor in analyzer.SupportedDiagnostics)
            {
                byId.TryAdd(descriptor.Id, descriptor);
            }
        }
        return byId.Values.Where(d => d.Id.StartsWith("UA", StringComparison.Ordinal)).ToImmutableArray();
    }
}

/// <summary>One diagnostic line of MSBuild console output: `file(line,col): warning UA1001: message (help link) [project]`.</summary>
public sealed record ReportedDiagnostic(string File, int Line, string Severity, string Id, string Message, string? HelpLink);

public static partial class BuildOutput
{
    [GeneratedRegex(@"^\s*(?<file>[^\s(][^(]*)\((?<line>\d+),(?<col>\d+)\): (?<sev>error|warning|info) (?<id>UA\d{4}): (?<msg>.*?)(?: \((?<link>https?://[^)\s]+)\))? \[[^\]]+\]\s*$", RegexOptions.Multiline)]
    private static partial Regex DiagnosticLine();

    /// <summary>The UA diagnostics in a build's output, each once (MSBuild may repeat them in a summary).</summary>
    public static IReadOnlyList<ReportedDiagnostic> Diagnostics(string output) =>
        DiagnosticLine().Matches(output)
            .Select(m => new ReportedDiagnostic(
                System.IO.Path.GetFileName(m.Groups["file"].Value),
                int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                m.Groups["sev"].Value,
                m.Groups["id"].Value,
                m.Groups["msg"].Value,
                m.Groups["link"].Success ? m.Groups["link"].Value : null))
            .Distinct()
            .ToList();
}
