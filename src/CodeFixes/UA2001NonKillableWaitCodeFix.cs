using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using UserAccess.Analyzers;
using UserAccess.CodeFixes.Support;

namespace UserAccess.CodeFixes;

/// <summary>
/// UA2001: <c>MmapReadLock(mm);</c> becomes <c>if (MmapReadLockKillable(mm) != 0) return -EINTR;</c>,
/// and when locks or regions are already held there, the early return releases them first, innermost
/// first, with the user's own release statements.
/// </summary>
/// <remarks>
/// The killable variant is the one [HasKillableVariant] names (<see cref="EngineFacts.KillableVariantOf"/>),
/// bound speculatively at the call site. An <c>out</c> parameter not yet assigned where the wait
/// stands gets <c>default</c> on the early return. What is held there and how it is released are the
/// engine's facts (<see cref="EngineFacts.ReleasesForEarlyReturn"/>); a <c>long</c> function that
/// returns errnos (a syscall's <c>-EINVAL</c>) gets the same early return. Declines with the
/// <see cref="DeclineReason"/> the rule page lists.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA2001NonKillableWaitCodeFix)), Shared]
public sealed class UA2001NonKillableWaitCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NonKillableWait);

    /// <inheritdoc/>
    protected override string Title => "Use the killable variant and return -EINTR when it fails";

    internal override string EquivalenceKey => EquivalenceKeys.UA2001UseKillableVariant;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node)
        {
            return DeclineReason.CodeChanged;
        }

        if (context.Facts(node) is not { } facts)
        {
            return DeclineReason.NotAnalysed;
        }

        var invocation = SyntaxSupport.InvocationsAround(node).FirstOrDefault(i => i.Span.IntersectsWith(diagnostic.Location.SourceSpan)
            && facts.AnnotationsOf(SyntaxSupport.Method(model, i, cancellationToken)).KillableVariant is not null);
        if (invocation is null || SyntaxSupport.Method(model, invocation, cancellationToken) is not { } method)
        {
            return DeclineReason.CodeChanged;
        }

        if (invocation.Parent is not ExpressionStatementSyntax statement || !SyntaxSupport.IsInStatementList(statement)
            || SyntaxSupport.ContainingFunction(statement) is not var (member, body))
        {
            return DeclineReason.NotAStatementOfABlock;
        }

        if (ErrorReturn.Convention(context, member, body) is { } noErrno)
        {
            return noErrno;
        }

        if (facts.KillableVariantOf(method) is not { } variant)
        {
            return DeclineReason.NoKillableVariant;
        }

        if (CallSupport.SiblingCall(model, invocation, variant.Name, invocation.ArgumentList, variant) is not { } call)
        {
            return DeclineReason.DoesNotBind;
        }

        if (facts.ReleasesForEarlyReturn(statement, out var releases) is { } held)
        {
            return held;
        }

        if (GuardInsertion.UnassignedOutParameters(model, statement) is not { } unassigned)
        {
            return DeclineReason.OutNotAssigned;
        }

        // The early return must leave no out parameter unassigned (CS0177): it gets its default, as
        // the other error returns of such a method do before they leave.
        var exit = unassigned.Select(AssignDefault).Concat(releases).ToList();
        return FixPlan.Rewrite(() =>
        {
            var replacement = CallSupport.IfFailedReturn(call, exit, SyntaxSupport.NegativeErrno(model, statement.SpanStart, "EINTR"))
                .WithTriviaFrom(statement)
                .WithAdditionalAnnotations(Formatter.Annotation);
            return root.ReplaceNode(statement, replacement);
        });
    }

    private static StatementSyntax AssignDefault(IParameterSymbol parameter)
        => SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(
                SyntaxKind.SimpleAssignmentExpression,
                SyntaxFactory.IdentifierName(SyntaxFacts.GetKeywordKind(parameter.Name) == SyntaxKind.None ? parameter.Name : "@" + parameter.Name),
                SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression)))
            .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
            .WithTrailingTrivia(SyntaxFactory.ElasticMarker);
}
