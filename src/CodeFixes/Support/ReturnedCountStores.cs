using System.Collections.Generic;
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
/// exit as the test meant), before anything overwrites it. A count store whose value never reaches the return is not this return's to fix.
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
        foreach (var (name, kind) in VariableReferences.In(model, facts.Declaration, local, cancellationToken))
        {
            if (kind == ReferenceUse.Other)
            {
                return null;
            }

            if (kind != ReferenceUse.Write || name.Parent is not AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax statement } assignment
                || CopyFailureTest.CopyOf(facts, assignment, local, cancellationToken) is not { } right)
            {
                continue;
            }

            // A store already tested where it is made lets only its 0 go on: it needs no errno of its own.
            if (CopyFailureTest.TestedWhereMade(statement, local, model, cancellationToken))
            {
                continue;
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

            copies.Add(right);
        }

        if (copies.Count == 0)
        {
            return null;
        }

        return FixPlan.Rewrite(() => root.ReplaceNodes(copies, (original, _) =>
            ConditionalExpression(
                BinaryExpression(SyntaxKind.NotEqualsExpression, original.WithoutTrivia(), LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0))),
                SyntaxSupport.NegativeErrno(model, original.SpanStart, "EFAULT"),
                LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0)))
            .WithTriviaFrom(original).WithAdditionalAnnotations(Formatter.Annotation)));
    }
}
