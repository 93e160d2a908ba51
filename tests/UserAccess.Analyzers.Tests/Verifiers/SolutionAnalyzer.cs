using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// The diagnostics of every project of a solution: the compilation gets the severities of its
/// <c>.editorconfig</c> documents and the analyzers get their key/value options, as in a real build.
/// An analyzer exception fails the test here, whatever the caller expected.
/// </summary>
internal static class SolutionAnalyzer
{
    public static async Task<AnalysisResult> AnalyzeAsync(Project project, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken)
    {
        var configs = new List<(string, string)>();
        foreach (var config in project.AnalyzerConfigDocuments)
        {
            configs.Add((config.FilePath ?? config.Name, (await config.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString()));
        }

        var additionalTexts = new List<AdditionalText>();
        foreach (var additional in project.AdditionalDocuments)
        {
            additionalTexts.Add(new InMemoryAdditionalText(additional.FilePath ?? additional.Name, (await additional.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString()));
        }

        var options = EditorConfigOptions.Create(configs);
        var compilation = (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
        compilation = compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(options.SyntaxTreeOptionsProvider));
        var analyzerOptions = new AnalyzerOptions(additionalTexts.ToImmutableArray(), options.AnalyzerConfigOptionsProvider);
        var result = await AnalyzerRunner.RunAsync(compilation, analyzers, analyzerOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
        result.ThrowIfAnalyzerFailed($"project {project.Name}");
        return result;
    }

    /// <summary>Compiler and analyzer diagnostics of all projects, suppressed ones included (marked).</summary>
    public static async Task<ImmutableArray<Diagnostic>> GetAllDiagnosticsAsync(Solution solution, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken)
    {
        var all = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var project in solution.Projects)
        {
            var result = await AnalyzeAsync(project, analyzers, cancellationToken).ConfigureAwait(false);
            all.AddRange(result.CompilerDiagnostics);
            all.AddRange(result.AnalyzerDiagnostics);
        }

        return all.ToImmutable();
    }

    /// <summary>Stable order (path, position, id): fixes are applied to the first, reports read top-down.</summary>
    public static IEnumerable<Diagnostic> InSourceOrder(this IEnumerable<Diagnostic> diagnostics)
        => diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath ?? string.Empty, System.StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Location.SourceSpan.End)
            .ThenBy(d => d.Id, System.StringComparer.Ordinal);
}
