using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using System.Threading;
using System;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// Every text change the fixes of one test made, document by document, to catch a fix that brings back
/// a text the code had before (A → B → A: the IDE's light bulb would flip the code back and forth).
/// The official verifier stops such a loop only at its iteration bound and says nothing of the cause.
/// Steps repeat across the verifier's passes (one by one, then Fix All from the start again); a cycle
/// in the graph of observed steps is what a ping-pong is.
/// </summary>
internal sealed class FixHistory
{
    private readonly Dictionary<(string Path, string Text), HashSet<string>> steps = new();
    private readonly object gate = new();

    /// <summary>The action, recording the texts it changes from <paramref name="before"/>.</summary>
    public CodeAction Watch(CodeAction action, Solution before) => new WatchedAction(action, before, this);

    private void Record(string path, string from, string to)
    {
        lock (gate)
        {
            if (Reaches(path, to, from))
            {
                throw new VerifierFailure(
                    $"The fix brings back an earlier text of {path} (a ping-pong loop): from" + Environment.NewLine + from
                    + Environment.NewLine + "it produced" + Environment.NewLine + to
                    + Environment.NewLine + "and fixing that text leads back to the first.",
                    inner: null);
            }

            if (!steps.TryGetValue((path, from), out var targets))
            {
                steps[(path, from)] = targets = new HashSet<string>(StringComparer.Ordinal);
            }

            targets.Add(to);
        }
    }

    private bool Reaches(string path, string start, string goal)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(start);
        while (pending.Count > 0)
        {
            var text = pending.Pop();
            if (string.Equals(text, goal, StringComparison.Ordinal))
            {
                return true;
            }

            if (seen.Add(text) && steps.TryGetValue((path, text), out var targets))
            {
                foreach (var target in targets)
                {
                    pending.Push(target);
                }
            }
        }

        return false;
    }

    private sealed class WatchedAction : CodeAction
    {
        private readonly CodeAction inner;
        private readonly Solution before;
        private readonly FixHistory history;

        public WatchedAction(CodeAction inner, Solution before, FixHistory history)
        {
            this.inner = inner;
            this.before = before;
            this.history = history;
        }

        public override string Title => inner.Title;

        public override string? EquivalenceKey => inner.EquivalenceKey;

        protected override async Task<IEnumerable<CodeActionOperation>> ComputeOperationsAsync(CancellationToken cancellationToken)
        {
            var operations = (await inner.GetOperationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
            foreach (var apply in operations.OfType<ApplyChangesOperation>())
            {
                foreach (var projectChanges in apply.ChangedSolution.GetChanges(before).GetProjectChanges())
                {
                    foreach (var id in projectChanges.GetChangedDocuments())
                    {
                        var from = await before.GetDocument(id)!.GetTextAsync(cancellationToken).ConfigureAwait(false);
                        var document = apply.ChangedSolution.GetDocument(id)!;
                        var to = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
                        history.Record(document.FilePath ?? document.Name, from.ToString(), to.ToString());
                    }
                }
            }

            return operations;
        }
    }
}

/// <summary>A check of this project's verifier failed (the official ones fail with the package's own exception).</summary>
public sealed class VerifierFailure : Exception
{
    public VerifierFailure(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
