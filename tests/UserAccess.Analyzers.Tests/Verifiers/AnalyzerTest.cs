using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// An analyzer test: the sources (with markup) and the expected diagnostics; <see cref="RunAsync"/> compiles,
/// analyzes, compares exactly, then checks that the analyzers are silent in generated code and under
/// <c>#pragma warning disable</c>.
/// </summary>
public abstract class AnalyzerTest
{
    public SolutionState TestState { get; } = new();

    /// <summary>The first source file, <c>/0/Test0.cs</c> (adds to <see cref="TestState"/>.Sources).</summary>
    public string TestCode
    {
        set => TestState.Sources.Add(value);
    }

    /// <summary>Expected besides the markup: <see cref="TestState"/>.ExpectedDiagnostics.</summary>
    public List<DiagnosticResult> ExpectedDiagnostics => TestState.ExpectedDiagnostics;

    public CompilerDiagnostics CompilerDiagnostics { get; set; } = CompilerDiagnostics.Errors;

    /// <summary>Ids left out of every comparison.</summary>
    public List<string> DisabledDiagnostics { get; } = new();

    public TestBehaviors TestBehaviors { get; set; }

    /// <summary>Changes to the solution before analysis, as in the official package.</summary>
    public List<Func<Solution, ProjectId, Solution>> SolutionTransforms { get; } = new();

    protected abstract IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers();

    protected virtual CompilationOptions CreateCompilationOptions() => TestSolutionFactory.DefaultCompilationOptions;

    protected virtual ParseOptions CreateParseOptions() => TestSolutionFactory.DefaultParseOptions;

    public virtual async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var analyzers = GetDiagnosticAnalyzers().ToImmutableArray();
        var processed = ProcessedSolution.Process(TestState, analyzers);
        await VerifyDiagnosticsAsync(processed, analyzers, "the test code", cancellationToken).ConfigureAwait(false);

        if ((TestBehaviors & TestBehaviors.SkipGeneratedCodeCheck) == 0)
        {
            await VerifyGeneratedCodeIsSilentAsync(processed, analyzers, cancellationToken).ConfigureAwait(false);
        }

        if ((TestBehaviors & TestBehaviors.SkipSuppressionCheck) == 0)
        {
            await VerifyPragmaSuppressesAsync(processed, analyzers, cancellationToken).ConfigureAwait(false);
        }
    }

    internal Solution CreateSolution(ProcessedSolution processed)
    {
        var solution = TestSolutionFactory.Create(processed, CreateCompilationOptions(), CreateParseOptions());
        var primary = solution.Projects.First(p => p.Name == SolutionState.PrimaryProjectName).Id;
        return SolutionTransforms.Aggregate(solution, (s, transform) => transform(s, primary));
    }

    /// <summary>The diagnostics a test compares: unsuppressed, not disabled, compiler ones down to <see cref="CompilerDiagnostics"/>.</summary>
    internal async Task<ImmutableArray<Diagnostic>> GetComparedDiagnosticsAsync(Solution solution, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken)
    {
        var all = await SolutionAnalyzer.GetAllDiagnosticsAsync(solution, analyzers, cancellationToken).ConfigureAwait(false);
        var analyzerIds = AnalyzerIds(analyzers);
        return all
            .Where(d => !d.IsSuppressed && !DisabledDiagnostics.Contains(d.Id))
            .Where(d => analyzerIds.Contains(d.Id) || IsComparedCompilerDiagnostic(d))
            .InSourceOrder()
            .ToImmutableArray();
    }

    internal async Task VerifyDiagnosticsAsync(ProcessedSolution processed, ImmutableArray<DiagnosticAnalyzer> analyzers, string context, CancellationToken cancellationToken)
    {
        var actual = await GetComparedDiagnosticsAsync(CreateSolution(processed), analyzers, cancellationToken).ConfigureAwait(false);
        DiagnosticComparer.Verify(actual, processed.ExpectedDiagnostics, processed.PrimaryPath, context);
    }

    internal static ImmutableHashSet<string> AnalyzerIds(ImmutableArray<DiagnosticAnalyzer> analyzers)
        => analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToImmutableHashSet();

    private bool IsComparedCompilerDiagnostic(Diagnostic diagnostic)
        => CompilerDiagnostics switch
        {
            CompilerDiagnostics.None => false,
            CompilerDiagnostics.Errors => diagnostic.Severity == DiagnosticSeverity.Error,
            CompilerDiagnostics.Warnings => diagnostic.Severity >= DiagnosticSeverity.Warning,
            CompilerDiagnostics.Suggestions => diagnostic.Severity >= DiagnosticSeverity.Info,
            _ => true,
        };

    /// <summary>Analyzers must skip generated code: with the marker on top of every source, none of theirs may be reported.</summary>
    private async Task VerifyGeneratedCodeIsSilentAsync(ProcessedSolution processed, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken)
    {
        var generated = processed.WithSources(text => "// <auto-generated/>\n" + text);
        var analyzerIds = AnalyzerIds(analyzers);
        var all = await SolutionAnalyzer.GetAllDiagnosticsAsync(CreateSolution(generated), analyzers, cancellationToken).ConfigureAwait(false);
        // Only diagnostics in source: one without a location belongs to no file, so no file can be generated code.
        var reported = all.Where(d => !d.IsSuppressed && d.Location.IsInSource && analyzerIds.Contains(d.Id) && !DisabledDiagnostics.Contains(d.Id)).InSourceOrder().ToList();
        if (reported.Count > 0)
        {
            throw new VerifierException(
                "The analyzers reported in generated code (every source prefixed with '// <auto-generated/>'; call "
                + "context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None)), lines are shifted by one:\n"
                + string.Join("\n", reported.Select(d => "    " + DiagnosticComparer.Describe(d, processed.PrimaryPath))));
        }
    }

    /// <summary>Every expected analyzer id, disabled by <c>#pragma warning disable</c> at the top, must be suppressed everywhere.</summary>
    private async Task VerifyPragmaSuppressesAsync(ProcessedSolution processed, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken)
    {
        var analyzerIds = AnalyzerIds(analyzers);
        var ids = processed.ExpectedDiagnostics.Select(d => d.Id).Where(analyzerIds.Contains).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var suppressed = processed.WithSources(text => $"#pragma warning disable {string.Join(", ", ids)}\n" + text);
        var all = await SolutionAnalyzer.GetAllDiagnosticsAsync(CreateSolution(suppressed), analyzers, cancellationToken).ConfigureAwait(false);
        // Only diagnostics in source: #pragma cannot reach one without a location.
        var reported = all.Where(d => !d.IsSuppressed && d.Location.IsInSource && ids.Contains(d.Id)).InSourceOrder().ToList();
        if (reported.Count > 0)
        {
            throw new VerifierException(
                $"Diagnostics survived '#pragma warning disable {string.Join(", ", ids)}' at the top of every source (lines shifted by one):\n"
                + string.Join("\n", reported.Select(d => "    " + DiagnosticComparer.Describe(d, processed.PrimaryPath))));
        }
    }
}
