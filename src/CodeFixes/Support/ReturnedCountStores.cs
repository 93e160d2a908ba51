using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// A bytes-not-copied count stored into the errno local a function returns, with nothing but the return
/// reading it (si4713_read_econtrol_string() before "fix copy_to_user to user handling": each case of its
/// switch ends with <c>rval = copy_to_user(...); break;</c> and the exit returns <c>rval</c>, which other
/// paths set to an errno). Each such store answers with the errno where it is made,
/// <code>
/// rval = CopyToUser(name, text);     →     rval = CopyToUser(name, text) != 0 ? -EFAULT : 0;
/// </code>
/// which is what the return then gives: 0 where the copy was whole, as before. Written only when the
/// engine's graph says every count store's value is read by the reported return alone, or also by tests
/// against zero (<c>if (st != 0) return st;</c> in rsxx_cram_read() before 77516d25f549) or a negative
/// constant (<c>if (r &lt; 0) break;</c> in vhost_set_vring() of v2.6.33, which the errno now takes to the
/// exit as the test meant), before anything overwrites it. A count store whose value never reaches the
/// return is not this return's to fix, nor is one already tested where it is made. A store made in its own
/// test whose branch falls through gets <c>local = -EFAULT;</c> in that branch instead (tipc's getsockopt()).
/// </summary>
internal static class ReturnedCountStores
{
    /// <summary>The rewrite for the returned <paramref name="use"/> of the local; <c>null</c> when the code is not this shape.</summary>
    internal static FixPlan? Plan(EngineFacts facts, SyntaxNode root, ExpressionSyntax use, CancellationToken cancellationToken)
    {
        var model = facts.Model;
        if (use.FirstAncestorOrSelf<ReturnStatementSyntax>() is not { } returned
            || model.GetOperation(use, cancellationToken) is not ILocalReferenceOperation { Local: { RefKind: RefKind.None } local })
        {
            return null;
        }

        var copies = new List<ExpressionSyntax>();
        var failureBranches = new List<StatementSyntax>();
        foreach (var (name, kind) in VariableReferences.In(model, facts.Declaration, local, cancellationToken))
        {
            if (kind == ReferenceUse.Other)
            {
                return null;
            }

            if (kind != ReferenceUse.Write || name.Parent is not AssignmentExpressionSyntax assignment
                || CopyFailureTest.CopyOf(facts, assignment, local, cancellationToken) is not { } right)
            {
                continue;
            }

            // A store already tested where it is made lets only its 0 go on: it needs no errno of its own.
            if (assignment.Parent is ExpressionStatementSyntax statement && CopyFailureTest.TestedWhereMade(statement, local, model, cancellationToken))
            {
                continue;
            }

            // A store made in its own test, whose branch falls through to the return (tipc's getsockopt() in
            // v2.6.24: else if ((res = copy_to_user(...))) { /* couldn't return value */ }): the branch stores
            // -EFAULT, as the later form of that chain does.
            var failureBranch = assignment.Parent is ExpressionStatementSyntax ? null : FallThroughFailureBranch(assignment, local, model, cancellationToken);
            if (assignment.Parent is not ExpressionStatementSyntax && failureBranch is null)
            {
                return null;
            }

            // A count this return never reads is another report's (raw_ioctl_event_fetch() returns its first
            // copy's count from an earlier test): it is left alone.
            if (StoreReads.Of(facts.Analysis, right, local, returned.Span) is not (var readHere, _))
            {
                return null;
            }

            if (!readHere)
            {
                continue;
            }

            // The count is read by this return alone, or by tests against zero or an errno, which find the
            // errno where they were written to: nothing else sees the value that changes.
            if (StoreReads.Of(facts.Analysis, right, local, returned.Span, errnoTestsInside: true) is not (_, false))
            {
                return null;
            }

            if (failureBranch is not null)
            {
                failureBranches.Add(failureBranch);
            }
            else
            {
                copies.Add(right);
            }
        }

        if (copies.Count == 0 && failureBranches.Count == 0)
        {
            return null;
        }

        return FixPlan.Rewrite(() => root.ReplaceNodes(copies.Cast<SyntaxNode>().Concat(failureBranches), (original, _) => original switch
        {
            StatementSyntax branch => StoringEfault(branch, local, model),
            _ => ConditionalExpression(
                    BinaryExpression(SyntaxKind.NotEqualsExpression, ((ExpressionSyntax)original).WithoutTrivia(), LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0))),
                    SyntaxSupport.NegativeErrno(model, original.SpanStart, "EFAULT"),
                    LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0)))
                .WithTriviaFrom(original).WithAdditionalAnnotations(Formatter.Annotation),
        }));
    }

    /// <summary>
    /// The branch of <c>if ((local = Copy(...)) != 0) branch</c> when it neither names the local nor leaves
    /// (no jump, return or throw): the path where the copy fell short goes on past the <c>if</c> with the count.
    /// </summary>
    private static StatementSyntax? FallThroughFailureBranch(AssignmentExpressionSyntax assignment, ILocalSymbol local, SemanticModel model, CancellationToken cancellationToken)
    {
        SyntaxNode test = assignment;
        while (test.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            test = parenthesized;
        }

        if (test.Parent is not BinaryExpressionSyntax { RawKind: (int)SyntaxKind.NotEqualsExpression } condition || condition.Left != test
            || condition.Right is not LiteralExpressionSyntax { Token.Value: 0 }
            || condition.Parent is not IfStatementSyntax ifStatement || ifStatement.Condition != condition)
        {
            return null;
        }

        foreach (var node in ifStatement.Statement.DescendantNodesAndSelf())
        {
            if (node is ReturnStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax or ThrowStatementSyntax or ThrowExpressionSyntax
                || (node is IdentifierNameSyntax name && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local)))
            {
                return null;
            }
        }

        return ifStatement.Statement;
    }

    /// <summary>The failure branch with <c>local = -EFAULT;</c> as its last statement; a comment that stood alone in it comes first.</summary>
    private static StatementSyntax StoringEfault(StatementSyntax branch, ILocalSymbol local, SemanticModel model)
    {
        var store = ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(local.Name), SyntaxSupport.NegativeErrno(model, branch.SpanStart, "EFAULT")));
        var block = branch as BlockSyntax ?? Block(branch.WithoutTrivia()).WithTriviaFrom(branch);
        if (block.Statements.Count == 0)
        {
            store = store.WithLeadingTrivia(block.CloseBraceToken.LeadingTrivia);
            block = block.WithCloseBraceToken(block.CloseBraceToken.WithLeadingTrivia());
        }

        return block.AddStatements(store).WithAdditionalAnnotations(Formatter.Annotation);
    }
}
