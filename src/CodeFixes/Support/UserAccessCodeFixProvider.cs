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
/// The shape every fix of this package shares. Registration decides whether the fix applies (from
/// the engine's facts and the syntax shape, <see cref="Plan"/>), so a shape the fix declines gets no
/// code action at all (never one that does nothing or does something wrong) and a reason the tests
/// can assert; the code action computes its document only when invoked. Fix All replays the same
/// plan one diagnostic at a time on the updated document (<see cref="SequentialFixAllProvider"/>).
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
            var (fixContext, plan) = await PlanAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (fixContext is null || plan.Reason is not null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, async cancellationToken => (await ApplyAsync(fixContext, plan, cancellationToken).ConfigureAwait(false)).Document ?? context.Document, EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The fixed and formatted document, or why the fix declines this diagnostic.</summary>
    internal async Task<FixResult> TryFixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var (context, plan) = await PlanAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
        return context is null || plan.Reason is { } reason
            ? FixResult.Declined(plan.Reason ?? DeclineReason.CodeChanged)
            : await ApplyAsync(context, plan, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The fixed and formatted document, or null when the fix declines this diagnostic.</summary>
    internal async Task<Document?> FixOneAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        (await TryFixAsync(document, diagnostic, cancellationToken).ConfigureAwait(false)).Document;

    private async Task<(FixContext? Context, FixPlan Plan)> PlanAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return (null, DeclineReason.CodeChanged);
        }

        var context = new FixContext(document, root, model, diagnostic, cancellationToken);
        try
        {
            return (context, Plan(context));
        }
        catch (System.InvalidOperationException)
        {
            // A node that is not where the diagnostic said (the code changed under us): no fix.
            return (context, DeclineReason.CodeChanged);
        }
    }

    private static async Task<FixResult> ApplyAsync(FixContext context, FixPlan plan, CancellationToken cancellationToken)
    {
        SyntaxNode newRoot;
        try
        {
            newRoot = plan.Apply();
        }
        catch (System.InvalidOperationException)
        {
            return FixResult.Declined(DeclineReason.CodeChanged);
        }

        newRoot = context.Layout.Apply(context.Root, newRoot, context.Diagnostic.Location.SourceSpan.Start);
        var result = context.Document.WithSyntaxRoot(newRoot);
        result = await Simplifier.ReduceAsync(result, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        result = await Formatter.FormatAsync(result, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return FixResult.Fixed(result);
    }

    /// <summary>
    /// Whether the fix applies to the diagnostic of <paramref name="context"/>: a reason to decline,
    /// or the rewrite to run when the action is invoked. Reads the engine's facts
    /// (<see cref="FixContext.Facts"/>) and the syntax shape; generates no syntax itself.
    /// </summary>
    internal abstract FixPlan Plan(FixContext context);
}
