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
/// UA5002: a bytes-not-copied result read as an errno or compared with the size. A copy fails when
/// ANY byte was not copied: the comparison becomes <c>!= 0</c> (failure tests: <c>&lt; 0</c>,
/// <c>&gt;= n</c>, <c>== n</c>, <c>== -EFAULT</c>) or <c>== 0</c> (success tests: <c>&gt;= 0</c>,
/// <c>!= -EFAULT</c>), and <c>return Copy(...);</c> in an errno function becomes
/// <c>return Copy(...) != 0 ? -EFAULT : 0;</c>.
/// </summary>
/// <remarks>
/// Declined: a comparison whose intent is not clear (<c>Copy(...) &lt; n</c>, <c>!= n</c>,
/// <c>&gt; n</c>), a result stored in a variable first, and a <c>return</c> from a function that
/// does not return an errno.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA5002BytesNotCopiedMisreadCodeFix)), Shared]
public sealed class UA5002BytesNotCopiedMisreadCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.BytesNotCopiedMisread);

    /// <inheritdoc/>
    protected override string Title => "A copy fails when any byte was not copied: compare with 0";

    internal override string EquivalenceKey => EquivalenceKeys.UA5002CompareWithZero;

    internal override SyntaxNode? Fix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node)
        {
            return null;
        }

        var span = diagnostic.Location.SourceSpan;
        var candidates = node.AncestorsAndSelf().Concat(node.DescendantNodes()).Where(n => n.Span.IntersectsWith(span));
        foreach (var candidate in candidates)
        {
            if (candidate is BinaryExpressionSyntax binary
                && FixComparison(model, binary, cancellationToken) is { } fixedComparison
                && SyntaxSupport.ContainingFunction(binary) is var (function, _)
                && SyntaxSupport.ReturnsErrno(model, function)
                && (fixedComparison.IsKind(SyntaxKind.EqualsExpression) || FailureBranchReturnsAnError(binary)))
            {
                return root.ReplaceNode(binary, fixedComparison.WithTriviaFrom(binary).WithAdditionalAnnotations(Formatter.Annotation));
            }

            if (candidate is ReturnStatementSyntax { Expression: { } returned } returnStatement
                && SyntaxSupport.Unparenthesize(returned) is InvocationExpressionSyntax copy
                && IsByteCount(model, copy, cancellationToken)
                && SyntaxSupport.ContainingFunction(returnStatement) is var (member, _)
                && SyntaxSupport.ReturnsErrno(model, member))
            {
                var conditional = ConditionalExpression(
                    BinaryExpression(SyntaxKind.NotEqualsExpression, copy.WithoutTrivia(), LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0))),
                    SyntaxSupport.NegativeErrno(model, returnStatement.SpanStart, "EFAULT"),
                    LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0)));
                return root.ReplaceNode(returned, conditional.WithTriviaFrom(returned).WithAdditionalAnnotations(Formatter.Annotation));
            }

            if (candidate is StatementSyntax)
            {
                // Do not look past the reported statement into the rest of the method.
                break;
            }
        }

        return null;
    }

    /// <summary>
    /// A failure test is rewritten only when it is the whole condition of an <c>if</c> whose branch
    /// returns a negative errno: then "any byte not copied" sends the partial copy to an error
    /// path that was written for errors. A branch that returns a count or goes on working was
    /// written for "nothing copied", and widening it could be wrong.
    /// </summary>
    private static bool FailureBranchReturnsAnError(BinaryExpressionSyntax binary)
    {
        if (binary.Parent is not IfStatementSyntax ifStatement || ifStatement.Condition != binary || !SyntaxSupport.AlwaysReturns(ifStatement.Statement))
        {
            return false;
        }

        var last = ifStatement.Statement is BlockSyntax block ? block.Statements.Last() : ifStatement.Statement;
        return last is ReturnStatementSyntax { Expression: PrefixUnaryExpressionSyntax unary } && unary.IsKind(SyntaxKind.UnaryMinusExpression);
    }

    private static ExpressionSyntax? FixComparison(SemanticModel model, BinaryExpressionSyntax binary, CancellationToken cancellationToken)
    {
        var kind = binary.Kind();
        ExpressionSyntax left = SyntaxSupport.Unparenthesize(binary.Left), right = SyntaxSupport.Unparenthesize(binary.Right);
        if (!IsByteCount(model, left as InvocationExpressionSyntax, cancellationToken))
        {
            if (!IsByteCount(model, right as InvocationExpressionSyntax, cancellationToken))
            {
                return null;
            }

            // Put the copy on the left: 0 > Copy(...) is Copy(...) < 0.
            (left, right) = (right, left);
            kind = kind switch
            {
                SyntaxKind.LessThanExpression => SyntaxKind.GreaterThanExpression,
                SyntaxKind.LessThanOrEqualExpression => SyntaxKind.GreaterThanOrEqualExpression,
                SyntaxKind.GreaterThanExpression => SyntaxKind.LessThanExpression,
                SyntaxKind.GreaterThanOrEqualExpression => SyntaxKind.LessThanOrEqualExpression,
                _ => kind,
            };
        }

        bool? failureTest;
        var constant = model.GetConstantValue(right, cancellationToken);
        if (constant.HasValue && constant.Value is int or long && System.Convert.ToInt64(constant.Value, System.Globalization.CultureInfo.InvariantCulture) is var c && c <= 0)
        {
            failureTest = (kind, c) switch
            {
                (SyntaxKind.LessThanExpression, _) => true,                     // < 0: "negative errno"
                (SyntaxKind.LessThanOrEqualExpression, < 0) => true,
                (SyntaxKind.EqualsExpression, < 0) => true,                     // == -EFAULT
                (SyntaxKind.GreaterThanOrEqualExpression, _) => false,          // >= 0: "no errno"
                (SyntaxKind.GreaterThanExpression, < 0) => false,
                (SyntaxKind.NotEqualsExpression, < 0) => false,                 // != -EFAULT
                _ => null,                                                      // == 0, != 0, > 0: already right
            };
        }
        else
        {
            // Compared with the size (or a positive number): only "all of it failed" reads are clear.
            failureTest = kind is SyntaxKind.GreaterThanOrEqualExpression or SyntaxKind.EqualsExpression ? true : null;
        }

        if (failureTest is not { } failure)
        {
            return null;
        }

        return BinaryExpression(
            failure ? SyntaxKind.NotEqualsExpression : SyntaxKind.EqualsExpression,
            left.WithoutTrivia(),
            LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0)));
    }

    private static bool IsByteCount(SemanticModel model, InvocationExpressionSyntax? invocation, CancellationToken cancellationToken) =>
        invocation is not null && AnnotationNames.Has(SyntaxSupport.Method(model, invocation, cancellationToken), AnnotationNames.ReturnsBytesNotCopied);
}
