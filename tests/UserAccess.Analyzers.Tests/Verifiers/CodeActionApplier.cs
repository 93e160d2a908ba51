using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// Asks code fix providers for their actions on one diagnostic, picks one as the IDE user would (by
/// equivalence key or index), and applies it. Applying goes through <see cref="CodeAction.GetOperationsAsync(CancellationToken)"/>,
/// which runs the same post-processing as the IDE (Simplifier on <c>Simplifier.Annotation</c>, Formatter on
/// <c>Formatter.Annotation</c>), so the compared text is what the light bulb would produce.
/// </summary>
internal static class CodeActionApplier
{
    public static async Task<ImmutableArray<CodeAction>> GetActionsAsync(
        Document document,
        Diagnostic diagnostic,
        ImmutableArray<CodeFixProvider> providers,
        CancellationToken cancellationToken)
    {
        var actions = ImmutableArray.CreateBuilder<CodeAction>();
        foreach (var provider in providers.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => AddFlattened(actions, action), cancellationToken);
            await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        }

        return actions.ToImmutable();
    }

    /// <summary>An inlinable group shows its children in the light bulb; they are the actions a key or index selects.</summary>
    private static void AddFlattened(ImmutableArray<CodeAction>.Builder actions, CodeAction action)
    {
        if (action.IsInlinable && !action.NestedActions.IsDefaultOrEmpty)
        {
            foreach (var nested in action.NestedActions)
            {
                AddFlattened(actions, nested);
            }
        }
        else
        {
            actions.Add(action);
        }
    }

    /// <summary>With an index, that action (whose key must then match the key, if one is given); else the first with the key; else the first.</summary>
    public static CodeAction? Select(ImmutableArray<CodeAction> actions, string? equivalenceKey, int? index)
    {
        if (index is { } i)
        {
            if (i >= actions.Length)
            {
                return null;
            }

            if (equivalenceKey is not null && actions[i].EquivalenceKey != equivalenceKey)
            {
                throw new VerifierException(
                    $"CodeActionIndex {i} is '{actions[i].Title}' with key '{actions[i].EquivalenceKey}', not key '{equivalenceKey}'. Offered: {Describe(actions)}");
            }

            return actions[i];
        }

        return equivalenceKey is null ? actions.FirstOrDefault() : actions.FirstOrDefault(a => a.EquivalenceKey == equivalenceKey);
    }

    public static async Task<Solution> ApplyAsync(CodeAction action, CancellationToken cancellationToken)
    {
        var operations = await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
        var apply = operations.OfType<ApplyChangesOperation>().ToList();
        if (apply.Count != 1)
        {
            throw new VerifierException($"Code action '{action.Title}' produced {apply.Count} ApplyChangesOperation(s); expected exactly one.");
        }

        return apply[0].ChangedSolution;
    }

    public static string Describe(IEnumerable<CodeAction> actions)
        => string.Join(", ", actions.Select((a, i) => $"[{i}] '{a.Title}' (key '{a.EquivalenceKey}')"));

    /// <summary>Every document's path and text: equal snapshots mean equal solutions, for the fix-loop checks.</summary>
    public static async Task<string> SnapshotAsync(Solution solution, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        foreach (var project in solution.Projects.OrderBy(p => p.Name, System.StringComparer.Ordinal))
        {
            foreach (var document in project.Documents.OrderBy(d => d.FilePath ?? d.Name, System.StringComparer.Ordinal))
            {
                var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
                builder.Append(project.Name).Append(':').Append(document.FilePath ?? document.Name).Append('\n').Append(text).Append('\0');
            }
        }

        return builder.ToString();
    }
}
