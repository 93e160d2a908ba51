using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>The fixed parameters of one code fix test: analyzers, providers, the action to choose.</summary>
internal sealed record FixSession(
    ImmutableArray<DiagnosticAnalyzer> Analyzers,
    ImmutableArray<CodeFixProvider> Providers,
    string? EquivalenceKey,
    int? ActionIndex,
    ImmutableHashSet<string> DisabledDiagnostics)
{
    public ImmutableHashSet<string> FixableIds { get; } = Providers.SelectMany(p => p.FixableDiagnosticIds).ToImmutableHashSet();

    /// <summary>Unsuppressed, enabled diagnostics some provider claims to fix, in source order.</summary>
    public async Task<ImmutableArray<Diagnostic>> GetFixableDiagnosticsAsync(Project project, CancellationToken cancellationToken)
    {
        var result = await SolutionAnalyzer.AnalyzeAsync(project, Analyzers, cancellationToken).ConfigureAwait(false);
        return result.CompilerDiagnostics.Concat(result.AnalyzerDiagnostics)
            .Where(d => !d.IsSuppressed && FixableIds.Contains(d.Id) && !DisabledDiagnostics.Contains(d.Id))
            .InSourceOrder()
            .ToImmutableArray();
    }

    public async Task<ImmutableArray<Diagnostic>> GetFixableDiagnosticsAsync(Solution solution, CancellationToken cancellationToken)
    {
        var all = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var project in solution.Projects)
        {
            all.AddRange(await GetFixableDiagnosticsAsync(project, cancellationToken).ConfigureAwait(false));
        }

        return all.ToImmutable();
    }

    /// <summary>The first diagnostic (in source order) for which the chosen action is offered, with its document and action.</summary>
    public async Task<(Diagnostic Diagnostic, Document Document, Microsoft.CodeAnalysis.CodeActions.CodeAction Action)?> FindFirstFixAsync(
        Solution solution,
        CancellationToken cancellationToken)
    {
        foreach (var diagnostic in await GetFixableDiagnosticsAsync(solution, cancellationToken).ConfigureAwait(false))
        {
            if (!diagnostic.Location.IsInSource || solution.GetDocument(diagnostic.Location.SourceTree) is not { } document)
            {
                continue;
            }

            var actions = await CodeActionApplier.GetActionsAsync(document, diagnostic, Providers, cancellationToken).ConfigureAwait(false);
            if (CodeActionApplier.Select(actions, EquivalenceKey, ActionIndex) is { } action)
            {
                return (diagnostic, document, action);
            }
        }

        return null;
    }
}
