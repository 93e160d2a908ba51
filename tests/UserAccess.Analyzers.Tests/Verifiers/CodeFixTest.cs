using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>Opt-outs of the code fix checks (names as in the official package).</summary>
[Flags]
public enum CodeFixTestBehaviors
{
    None = 0,
    SkipFixAllInDocumentCheck = 1,
    SkipFixAllInProjectCheck = 2,
    SkipFixAllInSolutionCheck = 4,
    SkipFixAllCheck = SkipFixAllInDocumentCheck | SkipFixAllInProjectCheck | SkipFixAllInSolutionCheck,
}

/// <summary>
/// A code fix test: the analyzer test of <see cref="AnalyzerTest.TestState"/>, then the expected fixed code
/// (<see cref="FixedState"/>) is verified (it compiles, has exactly its expected diagnostics, no new compiler
/// warnings), then the test code is fixed one by one and by Fix All in document, project and solution
/// scope, and each result must equal the fixed code and re-parse to the same tree.
/// </summary>
public abstract class CodeFixTest : AnalyzerTest
{
    /// <summary>
    /// The fixed sources. Sources left empty are inherited from <see cref="AnalyzerTest.TestState"/> (with their
    /// markup diagnostics), per project: a project the fix does not touch need not be repeated. With no fixed
    /// sources at all, the whole test state is inherited: the test asserts that no fix changes anything.
    /// </summary>
    public SolutionState FixedState { get; } = new();

    /// <summary>The first fixed source, <c>/0/Test0.cs</c> (adds to <see cref="FixedState"/>.Sources).</summary>
    public string FixedCode
    {
        set => FixedState.Sources.Add(value);
    }

    public string? CodeActionEquivalenceKey { get; set; }

    public int? CodeActionIndex { get; set; }

    /// <summary>Positive: exactly that many one-by-one fixes; negative: at most; null: at most one per fixable diagnostic.</summary>
    public int? NumberOfIncrementalIterations { get; set; }

    /// <summary>Iterations of Fix All in solution scope (same convention; usually 1).</summary>
    public int? NumberOfFixAllIterations { get; set; }

    public int? NumberOfFixAllInDocumentIterations { get; set; }

    public int? NumberOfFixAllInProjectIterations { get; set; }

    public CodeFixTestBehaviors CodeFixTestBehaviors { get; set; }

    protected abstract IEnumerable<CodeFixProvider> GetCodeFixProviders();

    public override async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await base.RunAsync(cancellationToken).ConfigureAwait(false);

        var analyzers = GetDiagnosticAnalyzers().ToImmutableArray();
        var providers = GetCodeFixProviders().ToImmutableArray();
        var testState = ProcessedSolution.Process(TestState, analyzers);
        var fixedState = ProcessedSolution.Process(FixedStateWithInheritance(), analyzers);

        await VerifyDiagnosticsAsync(fixedState, analyzers, "the fixed code (FixedState)", cancellationToken).ConfigureAwait(false);
        await VerifyNoNewCompilerWarningsAsync(testState, fixedState, analyzers, cancellationToken).ConfigureAwait(false);

        var session = new FixSession(analyzers, providers, CodeActionEquivalenceKey, CodeActionIndex, DisabledDiagnostics.ToImmutableHashSet());
        var original = CreateSolution(testState);

        var oneByOne = await CodeFixIterations.FixOneByOneAsync(session, original, NumberOfIncrementalIterations, cancellationToken).ConfigureAwait(false);
        try
        {
            await FixedCodeComparer.VerifyAsync(oneByOne, fixedState, "one by one", cancellationToken).ConfigureAwait(false);
        }
        catch (VerifierException e) when (oneByOne == original)
        {
            throw new VerifierException(e.Message + await DescribeOfferedActionsAsync(session, original, cancellationToken).ConfigureAwait(false));
        }

        foreach (var (scope, skip, iterations) in new[]
        {
            (FixAllScope.Document, CodeFixTestBehaviors.SkipFixAllInDocumentCheck, NumberOfFixAllInDocumentIterations),
            (FixAllScope.Project, CodeFixTestBehaviors.SkipFixAllInProjectCheck, NumberOfFixAllInProjectIterations),
            (FixAllScope.Solution, CodeFixTestBehaviors.SkipFixAllInSolutionCheck, NumberOfFixAllIterations),
        })
        {
            if ((CodeFixTestBehaviors & skip) != 0)
            {
                continue;
            }

            foreach (var provider in providers)
            {
                // A provider without Fix All, or without this scope, is not tested in it (as in the official package).
                var fixAll = provider.GetFixAllProvider();
                if (fixAll is null || !fixAll.GetSupportedFixAllScopes().Contains(scope))
                {
                    continue;
                }

                var fixedAll = await CodeFixIterations.FixAllAsync(session with { Providers = ImmutableArray.Create(provider) }, fixAll, scope, original, iterations, cancellationToken).ConfigureAwait(false);
                await FixedCodeComparer.VerifyAsync(fixedAll, fixedState, $"by Fix All in {scope} scope", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>When nothing was fixed, the usual cause is a key or index that matches no offered action: say what was offered.</summary>
    private static async Task<string> DescribeOfferedActionsAsync(FixSession session, Solution solution, CancellationToken cancellationToken)
    {
        var diagnostics = await session.GetFixableDiagnosticsAsync(solution, cancellationToken).ConfigureAwait(false);
        if (diagnostics.IsEmpty)
        {
            return "\nNo fix was applied: no diagnostic that the code fix providers fix was reported.";
        }

        var first = diagnostics[0];
        var document = solution.GetDocument(first.Location.SourceTree);
        var actions = document is null
            ? ImmutableArray<Microsoft.CodeAnalysis.CodeActions.CodeAction>.Empty
            : await CodeActionApplier.GetActionsAsync(document, first, session.Providers, cancellationToken).ConfigureAwait(false);
        return $"\nNo fix was applied. On {DiagnosticComparer.Describe(first, string.Empty)} the providers offered: "
            + (actions.IsEmpty ? "nothing" : CodeActionApplier.Describe(actions))
            + $" (CodeActionEquivalenceKey: {session.EquivalenceKey ?? "none"}, CodeActionIndex: {session.ActionIndex?.ToString() ?? "none"}).";
    }

    private async Task VerifyNoNewCompilerWarningsAsync(ProcessedSolution testState, ProcessedSolution fixedState, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken)
    {
        var before = await SolutionAnalyzer.GetAllDiagnosticsAsync(CreateSolution(testState), analyzers, cancellationToken).ConfigureAwait(false);
        var after = await SolutionAnalyzer.GetAllDiagnosticsAsync(CreateSolution(fixedState), analyzers, cancellationToken).ConfigureAwait(false);
        var added = FixedCodeComparer.NewCompilerWarnings(before, after)
            .Where(d => !DisabledDiagnostics.Contains(d.Id) && !fixedState.ExpectedDiagnostics.Any(e => DiagnosticComparer.Matches(d, e)))
            .ToList();
        if (added.Count > 0)
        {
            throw new VerifierException(
                "The fixed code has compiler diagnostics that the test code did not:\n"
                + string.Join("\n", added.Select(d => "    " + DiagnosticComparer.Describe(d, fixedState.PrimaryPath))));
        }
    }

    private SolutionState FixedStateWithInheritance()
    {
        if (FixedState.Sources.Count == 0 && FixedState.AdditionalProjects.Values.All(p => p.Sources.Count == 0))
        {
            return TestState;
        }

        var result = new SolutionState();
        Inherit(result, FixedState, TestState);
        result.ExpectedDiagnostics.AddRange(FixedState.ExpectedDiagnostics);
        foreach (var name in TestState.AdditionalProjects.Keys.Union(FixedState.AdditionalProjects.Keys))
        {
            FixedState.AdditionalProjects.TryGetValue(name, out var fixedProject);
            TestState.AdditionalProjects.TryGetValue(name, out var testProject);
            Inherit(result.AdditionalProjects[name], fixedProject, testProject);
        }

        return result;
    }

    /// <summary>Each part of a fixed project left empty comes from the same project of the test state.</summary>
    private static void Inherit(ProjectState target, ProjectState? fixedProject, ProjectState? testProject)
    {
        static IEnumerable<T> Pick<T>(List<T>? fixedItems, List<T>? testItems)
            => fixedItems is { Count: > 0 } ? fixedItems : testItems ?? new List<T>();

        target.Sources.AddRange(Pick(fixedProject?.Sources, testProject?.Sources));
        target.AnalyzerConfigFiles.AddRange(Pick(fixedProject?.AnalyzerConfigFiles, testProject?.AnalyzerConfigFiles));
        target.AdditionalFiles.AddRange(Pick(fixedProject?.AdditionalFiles, testProject?.AdditionalFiles));
        target.AdditionalProjectReferences.AddRange(Pick(fixedProject?.AdditionalProjectReferences, testProject?.AdditionalProjectReferences));
        target.AdditionalReferences.AddRange(Pick(fixedProject?.AdditionalReferences, testProject?.AdditionalReferences));
    }
}
