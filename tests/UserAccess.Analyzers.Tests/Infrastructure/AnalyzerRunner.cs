using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using System.Threading;
using System;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs analyzers over a compilation as the compiler does (concurrently, with the compilation's severity
/// options applied), and collects analyzer exceptions instead of letting them become a quiet AD0001.
/// For the tests that analyse whole compilations (the samples, the corpus, half-typed code).
/// </summary>
public static class AnalyzerRunner
{
    /// <summary>The project's compilation with the options its <c>.editorconfig</c> documents give; an analyzer exception fails.</summary>
    public static async Task<AnalysisResult> RunAsync(Project project, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken = default)
    {
        var compilation = (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
        var result = await RunAsync(compilation, analyzers, project.AnalyzerOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
        result.ThrowIfAnalyzerFailed($"project {project.Name}");
        return result;
    }

    /// <summary>Stable order (path, position, id): fixes are applied to the first, reports read top-down.</summary>
    public static IEnumerable<Diagnostic> InSourceOrder(this IEnumerable<Diagnostic> diagnostics)
        => diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Location.SourceSpan.End)
            .ThenBy(d => d.Id, StringComparer.Ordinal);

    public static async Task<AnalysisResult> RunAsync(
        Compilation compilation,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        AnalyzerOptions? options = null,
        bool includeCompilerDiagnostics = true,
        CancellationToken cancellationToken = default)
    {
        // Skippable: the half-typed-code test needs only the analyzers' behaviour, and a full compile per prefix doubles its time.
        var compilerDiagnostics = includeCompilerDiagnostics ? compilation.GetDiagnostics(cancellationToken) : ImmutableArray<Diagnostic>.Empty;
        if (analyzers.IsEmpty)
        {
            // CompilationWithAnalyzers rejects an empty analyzer list.
            return new AnalysisResult(compilerDiagnostics, ImmutableArray<Diagnostic>.Empty, ImmutableArray<AnalyzerFailure>.Empty);
        }

        var failures = new ConcurrentQueue<AnalyzerFailure>();
        var withAnalyzers = compilation.WithAnalyzers(
            analyzers,
            new CompilationWithAnalyzersOptions(
                options ?? new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (exception, analyzer, diagnostic) => failures.Enqueue(new AnalyzerFailure(analyzer, exception, diagnostic)),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false,
                // Suppressed diagnostics are returned marked IsSuppressed, so the #pragma pass can see them.
                reportSuppressedDiagnostics: true));
        var analyzerDiagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        return new AnalysisResult(compilerDiagnostics, analyzerDiagnostics, failures.ToImmutableArray());
    }
}

/// <summary>An analyzer that threw: the exception and the AD0001 diagnostic the compiler would have reported.</summary>
public sealed record AnalyzerFailure(DiagnosticAnalyzer Analyzer, Exception Exception, Diagnostic Diagnostic);

public sealed record AnalysisResult(
    ImmutableArray<Diagnostic> CompilerDiagnostics,
    ImmutableArray<Diagnostic> AnalyzerDiagnostics,
    ImmutableArray<AnalyzerFailure> Failures)
{
    /// <summary>AD0001/AD0002 diagnostics (an analyzer exception that reached the driver another way).</summary>
    public ImmutableArray<Diagnostic> DriverFailures
        => AnalyzerDiagnostics.Where(d => d.Id is "AD0001" or "AD0002").ToImmutableArray();

    /// <summary>An analyzer that throws fails the test, whatever else was expected.</summary>
    public void ThrowIfAnalyzerFailed(string context)
    {
        if (Failures.IsEmpty && DriverFailures.IsEmpty)
        {
            return;
        }

        var message = new StringBuilder($"An analyzer threw ({context}):").AppendLine();
        foreach (var failure in Failures)
        {
            message.AppendLine($"{failure.Analyzer.GetType().Name}: {failure.Exception}");
        }

        foreach (var diagnostic in DriverFailures)
        {
            message.AppendLine(diagnostic.ToString());
        }

        throw new InvalidOperationException(message.ToString());
    }
}
