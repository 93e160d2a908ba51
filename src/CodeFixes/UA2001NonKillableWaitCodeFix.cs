using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
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
/// The killable variant is the one [HasKillableVariant] names (the diagnostic's
/// <c>KillableVariant</c> property agrees), looked up in the same type with the same parameters
/// and bound speculatively at the call site. An <c>out</c> parameter not yet assigned where the wait
/// stands gets <c>default</c> on the early return. Declined: a wait that is not a statement of a block,
/// a function that does not return an <c>int</c> errno (a <c>long</c>, a lambda), and a place where
/// what is held cannot be known locally (a lock taken in a branch, inside try/finally).
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA2001NonKillableWaitCodeFix)), Shared]
public sealed class UA2001NonKillableWaitCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NonKillableWait);

    /// <inheritdoc/>
    protected override string Title => "Use the killable variant and return -EINTR when it fails";

    internal override string EquivalenceKey => EquivalenceKeys.UA2001UseKillableVariant;

    internal override SyntaxNode? Fix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node)
        {
            return null;
        }

        var invocation = SyntaxSupport.InvocationsAround(node).FirstOrDefault(i =>
            i.Span.IntersectsWith(diagnostic.Location.SourceSpan)
            && AnnotationNames.Has(SyntaxSupport.Method(model, i, cancellationToken), AnnotationNames.HasKillableVariant));
        if (invocation?.Parent is not ExpressionStatementSyntax statement || !SyntaxSupport.IsInStatementList(statement))
        {
            return null;
        }

        var method = SyntaxSupport.Method(model, invocation, cancellationToken)!;
        if (SyntaxSupport.ContainingFunction(statement) is not var (member, body) || !SyntaxSupport.ReturnsErrno(model, member))
        {
            return null;
        }

        var variant = KillableVariant(method);
        if (variant is null)
        {
            return null;
        }

        var call = CallSupport.SiblingCall(model, invocation, variant.Name, invocation.ArgumentList, variant);
        var releases = HeldResources.Before(model, statement, body, cancellationToken)?.ReleasesForEarlyReturn();
        var unassigned = GuardInsertion.UnassignedOutParameters(model, statement);
        if (call is null || releases is null || unassigned is null)
        {
            return null;
        }

        // The early return must leave no out parameter unassigned (CS0177): it gets its default, as
        // the other error returns of such a method do before they leave.
        var exit = unassigned.Select(AssignDefault).Concat(releases).ToList();
        var replacement = CallSupport.IfFailedReturn(call, exit, SyntaxSupport.NegativeErrno(model, statement.SpanStart, "EINTR"))
            .WithTriviaFrom(statement)
            .WithAdditionalAnnotations(Formatter.Annotation);
        return root.ReplaceNode(statement, replacement);
    }

    private static StatementSyntax AssignDefault(IParameterSymbol parameter)
        => SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(
                SyntaxKind.SimpleAssignmentExpression,
                SyntaxFactory.IdentifierName(SyntaxFacts.GetKeywordKind(parameter.Name) == SyntaxKind.None ? parameter.Name : "@" + parameter.Name),
                SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression)))
            .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
            .WithTrailingTrivia(SyntaxFactory.ElasticMarker);

    /// <summary>The variant [HasKillableVariant] names: same type, same parameter types, returns int.</summary>
    internal static IMethodSymbol? KillableVariant(IMethodSymbol method)
    {
        var attribute = AnnotationNames.Get(method, AnnotationNames.HasKillableVariant);
        if (attribute?.ConstructorArguments.FirstOrDefault().Value is not string name)
        {
            return null;
        }

        return method.ContainingType.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m =>
            m.IsStatic == method.IsStatic
            && m.ReturnType.SpecialType == SpecialType.System_Int32
            && m.Parameters.Length == method.Parameters.Length
            && m.Parameters.Zip(method.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(x => x));
    }
}
