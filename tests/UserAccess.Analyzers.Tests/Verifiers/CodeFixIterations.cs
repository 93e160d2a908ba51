using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// The two ways a user applies a fix until nothing is left: one diagnostic at a time (the light bulb), and
/// Fix All in a scope. Both stop when no fixable diagnostic is offered the chosen action (or the action
/// changes nothing); that last pass is also the check that the fixed code offers nothing more. Both are
/// bounded: a fix that brings back an earlier text, or needs more iterations than allowed, is an
/// infinite fix loop.
/// </summary>
internal static class CodeFixIterations
{
    /// <param name="iterations">Positive: exactly that many; negative: at most that many; null: at most one per initial fixable diagnostic.</param>
    public static async Task<Solution> FixOneByOneAsync(FixSession session, Solution solution, int? iterations, CancellationToken cancellationToken)
    {
        var initial = await session.GetFixableDiagnosticsAsync(solution, cancellationToken).ConfigureAwait(false);
        var limit = Limit(iterations, initial.Length);
        var seen = new List<string> { await CodeActionApplier.SnapshotAsync(solution, cancellationToken).ConfigureAwait(false) };
        var done = 0;
        while (true)
        {
            var next = await FixFirstAsync(session, solution, seen, cancellationToken).ConfigureAwait(false);
            if (next is null)
            {
                break;
            }

            done++;
            if (done > limit)
            {
                throw await NotConvergingAsync(session, next.Value.Solution, "one by one", limit, cancellationToken).ConfigureAwait(false);
            }

            solution = next.Value.Solution;
            seen.Add(next.Value.Snapshot);
        }

        CheckExactCount(iterations, done, "one by one (NumberOfIncrementalIterations)");
        return solution;
    }

    public static async Task<Solution> FixAllAsync(FixSession session, FixAllProvider fixAll, FixAllScope scope, Solution solution, int? iterations, CancellationToken cancellationToken)
    {
        var initial = await session.GetFixableDiagnosticsAsync(solution, cancellationToken).ConfigureAwait(false);
        var limit = Limit(iterations, initial.Length);
        var seen = new List<string> { await CodeActionApplier.SnapshotAsync(solution, cancellationToken).ConfigureAwait(false) };
        var done = 0;
        var provider = new TestDiagnosticProvider(session);
        while (await session.FindFirstFixAsync(solution, cancellationToken).ConfigureAwait(false) is { } first)
        {
            var codeFixProvider = session.Providers.First(p => p.FixableDiagnosticIds.Contains(first.Diagnostic.Id));
            var context = new FixAllContext(first.Document, codeFixProvider, scope, first.Action.EquivalenceKey, codeFixProvider.FixableDiagnosticIds, provider, cancellationToken);
            var action = await fixAll.GetFixAsync(context).ConfigureAwait(false);
            if (action is null)
            {
                break;
            }

            var changed = await CodeActionApplier.ApplyAsync(action, cancellationToken).ConfigureAwait(false);
            var snapshot = await CodeActionApplier.SnapshotAsync(changed, cancellationToken).ConfigureAwait(false);
            if (snapshot == seen[^1])
            {
                break;
            }

            CheckNotSeen(seen, snapshot, $"Fix All in {scope}", first.Diagnostic);
            done++;
            if (done > limit)
            {
                throw await NotConvergingAsync(session, changed, $"Fix All in {scope}", limit, cancellationToken).ConfigureAwait(false);
            }

            solution = changed;
            seen.Add(snapshot);
        }

        CheckExactCount(iterations, done, $"Fix All in {scope}");
        return solution;
    }

    /// <summary>Applies the chosen action to the first diagnostic, in source order, for which it changes the code.</summary>
    private static async Task<(Solution Solution, string Snapshot)?> FixFirstAsync(FixSession session, Solution solution, List<string> seen, CancellationToken cancellationToken)
    {
        foreach (var diagnostic in await session.GetFixableDiagnosticsAsync(solution, cancellationToken).ConfigureAwait(false))
        {
            if (!diagnostic.Location.IsInSource || solution.GetDocument(diagnostic.Location.SourceTree) is not { } document)
            {
                continue;
            }

            var actions = await CodeActionApplier.GetActionsAsync(document, diagnostic, session.Providers, cancellationToken).ConfigureAwait(false);
            if (CodeActionApplier.Select(actions, session.EquivalenceKey, session.ActionIndex) is not { } action)
            {
                continue;
            }

            var changed = await CodeActionApplier.ApplyAsync(action, cancellationToken).ConfigureAwait(false);
            var snapshot = await CodeActionApplier.SnapshotAsync(changed, cancellationToken).ConfigureAwait(false);
            if (snapshot == seen[^1])
            {
                continue;
            }

            CheckNotSeen(seen, snapshot, "one by one", diagnostic);
            return (changed, snapshot);
        }

        return null;
    }

    private static int Limit(int? iterations, int initialDiagnostics)
        => iterations is { } n ? System.Math.Abs(n) : System.Math.Max(1, initialDiagnostics);

    private static void CheckNotSeen(List<string> seen, string snapshot, string mode, Diagnostic diagnostic)
    {
        var index = seen.IndexOf(snapshot);
        if (index >= 0)
        {
            throw new VerifierException(
                $"Infinite fix loop ({mode}): fixing {DiagnosticComparer.Describe(diagnostic, string.Empty)} brought the code back to "
                + (index == 0 ? "the original test code." : $"its state after iteration {index}."));
        }
    }

    private static void CheckExactCount(int? iterations, int done, string mode)
    {
        if (iterations is > 0 and var n && done != n)
        {
            throw new VerifierException($"Expected {n} iteration(s) of fixing {mode}, but {done} happened.");
        }
    }

    private static async Task<VerifierException> NotConvergingAsync(FixSession session, Solution solution, string mode, int limit, CancellationToken cancellationToken)
    {
        var remaining = await session.GetFixableDiagnosticsAsync(solution, cancellationToken).ConfigureAwait(false);
        return new VerifierException(
            $"Infinite fix loop? Fixing {mode} did not converge within {limit} iteration(s) (set NumberOf...Iterations if more are legitimate). "
            + "Fixable diagnostics still reported:\n"
            + string.Join("\n", remaining.Select(d => "    " + DiagnosticComparer.Describe(d, string.Empty))));
    }
}
