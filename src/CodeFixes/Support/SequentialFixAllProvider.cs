using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// Fix All for Document, Project and Solution scope that fixes the diagnostics of a document one
/// after another, each on the document the previous fix produced. The stock BatchFixer computes
/// every fix on the original document and merges the text edits, silently dropping the ones that
/// overlap, which is exactly what restructuring fixes (and two fixes in one function) produce.
/// </summary>
/// <remarks>
/// The diagnostics were computed on the original tree; before fixing, each reported node (and each
/// additional location) gets a <see cref="SyntaxAnnotation"/>, and each step finds its node again
/// by annotation in the current tree and rebuilds the diagnostic at the node's new position. A
/// node a previous fix removed is skipped.
/// </remarks>
internal sealed class SequentialFixAllProvider : FixAllProvider
{
    internal static readonly SequentialFixAllProvider Instance = new();

    private const string AnnotationKind = "UserAccess.FixAllTarget";

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
        new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

    public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        // `dotnet format` asks with the key of the action offered for the first diagnostic it meets,
        // and with no key when the fix declined that one: both mean "every diagnostic this provider
        // can fix". Only another provider's key is not ours to answer.
        if (fixAllContext.CodeFixProvider is not UserAccessCodeFixProvider provider
            || (fixAllContext.CodeActionEquivalenceKey is { } key && key != provider.EquivalenceKey))
        {
            return Task.FromResult<CodeAction?>(null);
        }

        IEnumerable<Document> documents = fixAllContext.Scope switch
        {
            FixAllScope.Document when fixAllContext.Document is { } document => new[] { document },
            FixAllScope.Project => fixAllContext.Project.Documents,
            FixAllScope.Solution => fixAllContext.Solution.Projects.SelectMany(p => p.Documents),
            _ => Enumerable.Empty<Document>(),
        };

        var action = CodeAction.Create(
            provider.TitleForFixAll,
            async cancellationToken =>
            {
                var solution = fixAllContext.Solution;
                foreach (var document in documents.ToList())
                {
                    var diagnostics = await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);
                    if (diagnostics.IsEmpty)
                    {
                        continue;
                    }

                    var fixedDocument = await FixDocumentAsync(provider, document, diagnostics, cancellationToken).ConfigureAwait(false);
                    if (fixedDocument is not null)
                    {
                        var root = await fixedDocument.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                        solution = solution.WithDocumentSyntaxRoot(document.Id, root!);
                    }
                }

                return solution;
            },
            provider.EquivalenceKey);
        return Task.FromResult<CodeAction?>(action);
    }

    /// <summary>Fixes the diagnostics of one document in order; null when nothing changed.</summary>
    internal static async Task<Document?> FixDocumentAsync(UserAccessCodeFixProvider provider, Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var ordered = diagnostics
            .Where(d => provider.FixableDiagnosticIds.Contains(d.Id) && d.Location.IsInSource && d.Location.SourceTree == root.SyntaxTree)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToList();
        if (ordered.Count == 0)
        {
            return null;
        }

        // Mark every location the fixes will need, on the original tree.
        var marks = new Dictionary<SyntaxNode, List<SyntaxAnnotation>>();
        var targets = new List<List<(string Id, int Offset, int Length)>>();
        for (int i = 0; i < ordered.Count; i++)
        {
            var locations = new List<(string, int, int)>();
            var all = new[] { ordered[i].Location }.Concat(ordered[i].AdditionalLocations).ToList();
            for (int j = 0; j < all.Count; j++)
            {
                var location = all[j];
                if (!location.IsInSource || location.SourceTree != root.SyntaxTree)
                {
                    locations.Add((string.Empty, -1, 0));
                    continue;
                }

                var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
                var id = i.ToString(CultureInfo.InvariantCulture) + "." + j.ToString(CultureInfo.InvariantCulture);
                if (!marks.TryGetValue(node, out var list))
                {
                    marks[node] = list = new List<SyntaxAnnotation>();
                }

                list.Add(new SyntaxAnnotation(AnnotationKind, id));
                locations.Add((id, location.SourceSpan.Start - node.SpanStart, location.SourceSpan.Length));
            }

            targets.Add(locations);
        }

        var current = document.WithSyntaxRoot(root.ReplaceNodes(marks.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(marks[original])));
        bool changed = false;
        for (int i = 0; i < ordered.Count; i++)
        {
            var currentRoot = await current.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (currentRoot is null)
            {
                break;
            }

            var locations = new List<Location>();
            bool lost = false;
            foreach (var (id, offset, length) in targets[i])
            {
                if (offset < 0)
                {
                    locations.Add(Location.None);
                    continue;
                }

                var node = currentRoot.GetAnnotatedNodes(AnnotationKind).FirstOrDefault(n => n.GetAnnotations(AnnotationKind).Any(a => a.Data == id));
                if (node is null || offset + length > node.FullSpan.End - node.SpanStart)
                {
                    lost = true;
                    break;
                }

                locations.Add(Location.Create(currentRoot.SyntaxTree, new TextSpan(node.SpanStart + offset, length)));
            }

            if (lost)
            {
                continue;
            }

            var original = ordered[i];
            var remapped = Diagnostic.Create(original.Descriptor, locations[0], locations.Skip(1), original.Properties);
            var fixedDocument = await provider.FixOneAsync(current, remapped, cancellationToken).ConfigureAwait(false);
            if (fixedDocument is not null)
            {
                current = fixedDocument;
                changed = true;
            }
        }

        if (!changed)
        {
            return null;
        }

        // The marks are ours: leave no trace of them in the result.
        var finalRoot = await current.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var marked = finalRoot!.GetAnnotatedNodes(AnnotationKind).ToList();
        finalRoot = finalRoot.ReplaceNodes(marked, (o, r) => r.WithoutAnnotations(AnnotationKind));
        return current.WithSyntaxRoot(finalRoot);
    }
}
