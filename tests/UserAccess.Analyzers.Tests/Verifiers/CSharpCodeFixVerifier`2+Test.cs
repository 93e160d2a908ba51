using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Testing.Model;
using Microsoft.CodeAnalysis.Text;
using UserAccess.Analyzers.Tests.Infrastructure;

namespace UserAccess.Analyzers.Tests.Verifiers;

public static partial class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
{
    /// <summary>
    /// The official test with simulator code's references and options (<see cref="SimulatorCompilation"/>),
    /// plus what the official verifier does not check:
    /// <list type="bullet">
    /// <item>a fix adds no compiler warning the test code did not have, and no diagnostic of any other rule
    /// of UserAccess.Analyzers grows (a fix must not trade one bug for another);</item>
    /// <item>a fix never brings back a text the code had before (a ping-pong loop), said as such rather than
    /// as an exceeded iteration count;</item>
    /// <item>a diagnostics mismatch prints the actual code with its actual diagnostics as markup to paste.</item>
    /// </list>
    /// The auto-generated and <c>#pragma warning disable</c> passes, Fix All in three scopes, iterations,
    /// the re-parse check of every fixed tree and compiler errors before and after come from the package.
    /// </summary>
    public class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        private readonly FixHistory history = new();

        public Test()
        {
            ReferenceAssemblies = SimulatorCompilation.ReferenceAssemblies;
            TestState.AdditionalReferences.Add(typeof(UserAccess.Runtime.Kernel).Assembly);
        }

        protected override CompilationOptions CreateCompilationOptions() => SimulatorCompilation.Options;

        protected override ParseOptions CreateParseOptions() => SimulatorCompilation.ParseOptions;

        protected override async Task RunImplAsync(CancellationToken cancellationToken)
        {
            try
            {
                await base.RunImplAsync(cancellationToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException and not VerifierFailure)
            {
                // The official message names the state ("Diagnostics of fixed state") whose diagnostics differ.
                var states = ProcessedStates();
                var state = failure.Message.Contains("fixed state", StringComparison.Ordinal) ? states.Fixed : states.Test;
                var solution = await SolutionOfAsync(state, cancellationToken);
                var actual = await GetSortedDiagnosticsAsync(solution, GetDiagnosticAnalyzers().ToImmutableArray(), ImmutableArray<(Project, Diagnostic)>.Empty, CompilerDiagnostics, Verify, cancellationToken);
                throw new VerifierFailure(
                    failure.Message + Environment.NewLine + Environment.NewLine + "The code with its actual diagnostics, as markup to paste:" + Environment.NewLine
                    + await MarkupWriter.WriteAsync(solution, actual.Select(pair => pair.Item2), cancellationToken),
                    failure);
            }

            await VerifyFixAddsNoDiagnosticAsync(cancellationToken);
        }

        protected override CompilationWithAnalyzers CreateCompilationWithAnalyzers(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options, CancellationToken cancellationToken)
        {
            // The package lists the tested rules as Default in the specific options, and a specific option
            // outranks the severity the test's .editorconfig gives, as in no build: Default says nothing, so it goes.
            var specific = compilation.Options.SpecificDiagnosticOptions.RemoveRange(
                compilation.Options.SpecificDiagnosticOptions.Where(pair => pair.Value == ReportDiagnostic.Default).Select(pair => pair.Key));
            return base.CreateCompilationWithAnalyzers(compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(specific)), analyzers, options, cancellationToken);
        }

        protected override CodeFixContext CreateCodeFixContext(Document document, TextSpan span, ImmutableArray<Diagnostic> diagnostics, Action<CodeAction, ImmutableArray<Diagnostic>> registerCodeFix, CancellationToken cancellationToken)
            => base.CreateCodeFixContext(
                document,
                span,
                diagnostics,
                (action, fixedDiagnostics) => registerCodeFix(history.Watch(action, document.Project.Solution), fixedDiagnostics),
                cancellationToken);

        /// <summary>Compares the fixed state with the test state: compiler warnings and every other rule's diagnostics, by id.</summary>
        private async Task VerifyFixAddsNoDiagnosticAsync(CancellationToken cancellationToken)
        {
            if (FixedState.Sources.Count == 0 && FixedState.AdditionalProjects.Count == 0)
            {
                return;
            }

            var (testState, fixedState) = ProcessedStates();
            var supported = GetDiagnosticAnalyzers().SelectMany(analyzer => analyzer.SupportedDiagnostics).ToImmutableArray();
            var before = await CountOtherDiagnosticsAsync(testState, supported, cancellationToken);
            var (after, fixedSolution, fixedDiagnostics) = await OtherDiagnosticsAsync(fixedState, supported, cancellationToken);
            var grown = after
                .Where(pair => pair.Value > (before.TryGetValue(pair.Key, out var count) ? count : 0))
                .Select(pair => pair.Key)
                .ToList();
            if (grown.Count > 0)
            {
                throw new VerifierFailure(
                    $"The fix brought new diagnostics ({string.Join(", ", grown)}): a fix must add no compiler warning and no other rule's diagnostic."
                    + Environment.NewLine + await MarkupWriter.WriteAsync(fixedSolution, fixedDiagnostics.Where(d => grown.Contains(d.Id)), cancellationToken),
                    inner: null);
            }
        }

        /// <summary>The test and fixed states with inherited values and markup applied, as the official test processes them.</summary>
        private (SolutionState Test, SolutionState Fixed) ProcessedStates()
        {
            var analyzers = GetDiagnosticAnalyzers().ToArray();
            var fixable = GetCodeFixProviders().SelectMany(provider => provider.FixableDiagnosticIds).ToImmutableArray();
            var supported = analyzers.SelectMany(analyzer => analyzer.SupportedDiagnostics).ToImmutableArray();
            var defaultDiagnostic = GetDefaultDiagnostic(analyzers);
            var rawTestState = TestState.WithInheritedValuesApplied(null, fixable);
            var rawFixedState = FixedState.WithInheritedValuesApplied(rawTestState, fixable);
            return (
                rawTestState.WithProcessedMarkup(MarkupOptions, defaultDiagnostic, supported, fixable, DefaultFilePath),
                rawFixedState.WithProcessedMarkup(MarkupOptions, defaultDiagnostic, supported, fixable, DefaultFilePath));
        }

        private async Task<Solution> SolutionOfAsync(SolutionState state, CancellationToken cancellationToken)
            => (await CreateProjectAsync(
                new EvaluatedProjectState(state, ReferenceAssemblies),
                state.AdditionalProjects.Values.Select(project => new EvaluatedProjectState(project, ReferenceAssemblies)).ToImmutableArray(),
                cancellationToken)).Solution;

        private async Task<Dictionary<string, int>> CountOtherDiagnosticsAsync(SolutionState state, ImmutableArray<DiagnosticDescriptor> tested, CancellationToken cancellationToken)
            => (await OtherDiagnosticsAsync(state, tested, cancellationToken)).Counts;

        /// <summary>
        /// Compiler warnings and errors, and the diagnostics of every rule but the tested one (the official
        /// verifier compares the tested rule's exactly), not suppressed.
        /// </summary>
        private async Task<(Dictionary<string, int> Counts, Solution Solution, ImmutableArray<Diagnostic> Diagnostics)> OtherDiagnosticsAsync(SolutionState state, ImmutableArray<DiagnosticDescriptor> tested, CancellationToken cancellationToken)
        {
            var solution = await SolutionOfAsync(state, cancellationToken);
            var all = await GetSortedDiagnosticsAsync(solution, AllRules.Value, ImmutableArray<(Project, Diagnostic)>.Empty, CompilerDiagnostics.Warnings, Verify, cancellationToken);
            var testedIds = tested.Select(descriptor => descriptor.Id).ToImmutableHashSet();
            var others = all.Select(pair => pair.Item2)
                .Where(d => !d.IsSuppressed && !testedIds.Contains(d.Id))
                .ToImmutableArray();
            return (others.GroupBy(d => d.Id).ToDictionary(group => group.Key, group => group.Count()), solution, others);
        }
    }

    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> AllRules = new(() => Meta.AnalyzerCatalog.Analyzers);
}
