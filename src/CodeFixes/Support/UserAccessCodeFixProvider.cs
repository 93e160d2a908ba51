using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// The shape every fix of this package shares: the fix for one diagnostic is computed when it is
/// registered, so a shape the fix declines gets no code action at all (never one that does
/// nothing or does something wrong), and Fix All replays the same computation one diagnostic at a
/// time on the updated document (<see cref="SequentialFixAllProvider"/>).
/// </summary>
public abstract class UserAccessCodeFixProvider : CodeFixProvider
{
    /// <summary>The title shown in the light bulb.</summary>
    protected abstract string Title { get; }

    /// <summary>The equivalence key: one per fix, stable.</summary>
    internal abstract string EquivalenceKey { get; }

    internal string TitleForFixAll => Title;

    /// <inheritdoc/>
    public abstract override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() => SequentialFixAllProvider.Instance;

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var fixedDocument = await FixOneAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (fixedDocument is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, _ => Task.FromResult(fixedDocument), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The fixed and formatted document, or null when the fix declines this shape.</summary>
    internal async Task<Document?> FixOneAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        SyntaxNode? newRoot;
        try
        {
            newRoot = Fix(root, model, diagnostic, cancellationToken);
        }
        catch (System.InvalidOperationException)
        {
            // A node that is not where the diagnostic said (the code changed under us): no fix.
            return null;
        }

        if (newRoot is null)
        {
            return null;
        }

        var result = document.WithSyntaxRoot(newRoot);
        result = await Simplifier.ReduceAsync(result, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        result = await Formatter.FormatAsync(result, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The new root with the fix applied, new nodes carrying <see cref="Formatter.Annotation"/>;
    /// null to decline.
    /// </summary>
    internal abstract SyntaxNode? Fix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken);
}
