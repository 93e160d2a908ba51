using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>One project's inputs with the markup removed.</summary>
internal sealed record ProcessedProject(
    string Name,
    ImmutableArray<(string Path, string Text)> Sources,
    ImmutableArray<(string Path, string Text)> AnalyzerConfigFiles,
    ImmutableArray<(string Path, string Text)> AdditionalFiles,
    ImmutableArray<string> ProjectReferences,
    ImmutableArray<MetadataReference> AdditionalReferences);

/// <summary>
/// A <see cref="SolutionState"/> with its markup turned into plain text plus expected diagnostics, and the
/// explicit expected diagnostics resolved (<c>WithLocation(0)</c> to the span marked <c>{|#0:...|}</c>,
/// an empty path to the first source file).
/// </summary>
internal sealed record ProcessedSolution(
    ImmutableArray<ProcessedProject> Projects,
    ImmutableArray<DiagnosticResult> ExpectedDiagnostics,
    string PrimaryPath)
{
    public const string DefaultPrimaryPath = "/0/Test0.cs";

    public static ProcessedSolution Process(SolutionState state, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var descriptors = analyzers.SelectMany(a => a.SupportedDiagnostics).GroupBy(d => d.Id).Select(g => g.First()).ToImmutableArray();
        var markupLocations = new Dictionary<int, DiagnosticLocation>();
        var markupDiagnostics = new List<DiagnosticResult>();
        var projects = new[] { (ProjectState)state }.Concat(state.AdditionalProjects.Values)
            .Select(project => ProcessProject(project, descriptors, markupLocations, markupDiagnostics))
            .ToImmutableArray();
        var primaryPath = projects[0].Sources.IsEmpty ? DefaultPrimaryPath : projects[0].Sources[0].Path;

        DiagnosticLocation Lookup(int key) => markupLocations.TryGetValue(key, out var location)
            ? location
            : throw new VerifierException($"WithLocation({key}) refers to markup {{|#{key}:...|}} that no source contains.");

        var expected = state.ExpectedDiagnostics.Concat(markupDiagnostics)
            .Select(d => d.Resolve(Lookup, primaryPath))
            .ToImmutableArray();
        return new ProcessedSolution(projects, expected, primaryPath);
    }

    /// <summary>The same solution with every source rewritten (the auto-generated and #pragma passes).</summary>
    public ProcessedSolution WithSources(Func<string, string> transform)
        => this with
        {
            Projects = Projects.Select(p => p with { Sources = p.Sources.Select(s => (s.Path, transform(s.Text))).ToImmutableArray() }).ToImmutableArray(),
        };

    private static ProcessedProject ProcessProject(
        ProjectState project,
        ImmutableArray<DiagnosticDescriptor> descriptors,
        Dictionary<int, DiagnosticLocation> markupLocations,
        List<DiagnosticResult> markupDiagnostics)
    {
        var sources = ImmutableArray.CreateBuilder<(string, string)>();
        foreach (var (path, content) in project.Sources)
        {
            var (text, spans) = TestFileMarkupParser.Parse(content);
            var lines = SourceText.From(text).Lines;
            foreach (var (name, span) in spans)
            {
                var lineSpan = lines.GetLinePositionSpan(span);
                var location = new DiagnosticLocation(path, lineSpan.Start, lineSpan.End);
                if (name is not null && name.StartsWith("#", StringComparison.Ordinal))
                {
                    if (!int.TryParse(name.Substring(1), out var key) || !markupLocations.TryAdd(key, location))
                    {
                        throw new VerifierException($"Markup {{|{name}:...|}} in {path}: the key must be a number used once.");
                    }

                    continue;
                }

                markupDiagnostics.Add(CreateMarkupDiagnostic(name, descriptors, path).AddSpan(location));
            }

            sources.Add((path, text));
        }

        return new ProcessedProject(
            project.Name,
            sources.ToImmutable(),
            project.AnalyzerConfigFiles.Select(f => (f.filename, f.content)).ToImmutableArray(),
            project.AdditionalFiles.Select(f => (f.filename, f.content)).ToImmutableArray(),
            project.AdditionalProjectReferences.ToImmutableArray(),
            project.AdditionalReferences.ToImmutableArray());
    }

    /// <summary>
    /// <c>[|...|]</c> means the analyzers' only descriptor; with several it is ambiguous, so the test must say
    /// <c>{|UA1001:...|}</c>. A markup diagnostic's additional locations are not compared: a span says where, not everything.
    /// </summary>
    private static DiagnosticResult CreateMarkupDiagnostic(string? id, ImmutableArray<DiagnosticDescriptor> descriptors, string path)
    {
        DiagnosticResult result;
        if (id is null)
        {
            if (descriptors.Length != 1)
            {
                throw new VerifierException(
                    $"Markup [|...|] in {path} is ambiguous: the analyzers support {descriptors.Length} diagnostics ({string.Join(", ", descriptors.Select(d => d.Id))}). Write {{|ID:...|}}.");
            }

            result = new DiagnosticResult(descriptors[0]);
        }
        else
        {
            var descriptor = descriptors.FirstOrDefault(d => d.Id == id);
            result = descriptor is null ? DiagnosticResult.ForId(id) : new DiagnosticResult(descriptor);
        }

        return result.WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
    }
}
