using System.Collections.Generic;
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
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes;

/// <summary>
/// UA4002: a retry loop that goes round again after <c>-EFAULT</c> although its fault-in failed.
/// The fault-in statement whose result is ignored (<c>FaultInUserWriteable(uaddr2);</c>) gets its
/// result checked and the function leaves with it: for an errno fault-in
/// <c>int faultInRet = FaultInUserWriteable(uaddr2); if (faultInRet != 0) { return faultInRet; }</c>
/// (a fresh local), for a bytes-not-faulted-in fault-in
/// <c>if (FaultInReadable(p, n) != 0) { return -EFAULT; }</c>, braced as the function's early returns are.
/// </summary>
/// <remarks>
/// Declined: a diagnostic without a fault-in on the loop (<c>InsertAfterLocation</c>), a fault-in
/// that is not a whole expression statement in a block inside the loop around the access (its
/// result stored in a local, used in an expression), a fault-in annotated neither
/// <c>[ReturnsErrno]</c> nor <c>[ReturnsBytesNotFaultedIn]</c>, a function that does not return an
/// errno (<c>void</c>, a byte count), an <c>out</c> parameter not yet assigned, a first error return
/// that would make a non-killable wait a UA2001 diagnostic, and anything held at the fault-in (a
/// lock or region, or state that cannot be established locally).
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA4002EndlessRetryCodeFix)), Shared]
public sealed class UA4002EndlessRetryCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.EndlessRetry);

    /// <inheritdoc/>
    protected override string Title => "Check the fault-in result and leave with its error";

    internal override string EquivalenceKey => EquivalenceKeys.UA4002LeaveOnFaultInFailure;

    internal override SyntaxNode? Fix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var faultInNode = RetryLoopRewrite.Additional(root, diagnostic, DiagnosticProperties.FaultInLocation);
        var faultIn = faultInNode?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        if (faultIn?.Parent is not ExpressionStatementSyntax statement
            || statement.Parent is not BlockSyntax
            || SyntaxSupport.ContainingFunction(statement) is not var (member, body)
            || SyntaxSupport.ContainingFunction(faultIn) is not var (accessMember, _) || accessMember != member)
        {
            return null;
        }

        // The fault-in is in a loop that also contains the access, in the same function.
        var loop = statement.Ancestors()
            .TakeWhile(a => a != body)
            .OfType<StatementSyntax>()
            .FirstOrDefault(a => a is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax
                && a.Span.Contains(diagnostic.Location.SourceSpan));
        if (loop is null)
        {
            return null;
        }

        var method = SyntaxSupport.Method(model, faultIn, cancellationToken);
        bool errno = AnnotationNames.Has(method, AnnotationNames.ReturnsErrno);
        bool bytes = AnnotationNames.Has(method, AnnotationNames.ReturnsBytesNotFaultedIn);
        if (errno == bytes
            || method!.ReturnType.SpecialType != SpecialType.System_Int32
            || !SyntaxSupport.ReturnsErrno(model, member)
            || CallSupport.FirstErrorReturnWouldFlagAWait(model, body, cancellationToken)
            || !GuardInsertion.OutParametersAssigned(model, statement)
            || !NothingHeld(model, statement, loop, body, cancellationToken))
        {
            return null;
        }

        bool braceless = GuardInsertion.BracelessEarlyReturns(body);
        var call = faultIn.WithoutTrivia();
        var newStatements = new List<StatementSyntax>();
        if (errno)
        {
            string name = SyntaxSupport.FreshLocalName(model, member, statement.SpanStart, "faultInRet", "faultInError");
            newStatements.Add(LocalDeclarationStatement(VariableDeclaration(
                PredefinedType(Token(SyntaxKind.IntKeyword)),
                SingletonSeparatedList(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(call))))));
            newStatements.Add(GuardInsertion.Guard(
                BinaryExpression(SyntaxKind.NotEqualsExpression, IdentifierName(name), LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0))),
                new StatementSyntax[0],
                IdentifierName(name),
                braceless));
        }
        else
        {
            newStatements.Add(GuardInsertion.Guard(
                BinaryExpression(SyntaxKind.NotEqualsExpression, call, LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0))),
                new StatementSyntax[0],
                SyntaxSupport.NegativeErrno(model, statement.SpanStart, "EFAULT"),
                braceless));
        }

        newStatements[0] = newStatements[0].WithLeadingTrivia(statement.GetLeadingTrivia());
        newStatements[newStatements.Count - 1] = newStatements[newStatements.Count - 1].WithTrailingTrivia(statement.GetTrailingTrivia());
        return root.ReplaceNode(statement, newStatements.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)));
    }

    /// <summary>
    /// Nothing is held at the fault-in statement: what the function holds there as a whole, or, when
    /// that is not known locally (a loop that breaks out with a lock held, as futex_wake_op() does),
    /// nothing held before the loop, every iteration starting with nothing held, and nothing held
    /// from the top of the loop body down to the statement.
    /// </summary>
    private static bool NothingHeld(SemanticModel model, StatementSyntax statement, StatementSyntax loop, BlockSyntax body, CancellationToken cancellationToken)
    {
        var held = HeldResources.Before(model, statement, body, cancellationToken);
        if (held is not null)
        {
            return held is { InUsingRegion: false, Held.Count: 0 };
        }

        var loopBody = loop switch
        {
            WhileStatementSyntax w => w.Statement,
            DoStatementSyntax d => d.Statement,
            ForStatementSyntax f => f.Statement,
            _ => null,
        } as BlockSyntax;
        return loopBody is not null
            && HeldResources.Before(model, loop, body, cancellationToken) is { InUsingRegion: false, Held.Count: 0 }
            && HeldResources.IterationStartsEmpty(model, loop, loopBody, cancellationToken)
            && HeldResources.Before(model, statement, loopBody, cancellationToken) is { InUsingRegion: false, Held.Count: 0 };
    }
}
