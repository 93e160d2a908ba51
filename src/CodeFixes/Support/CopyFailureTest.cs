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
/// The kernel's fix of a bytes-not-copied count left in the local the function returns as its errno
/// (vc4_create_shader_bo_ioctl(), 585cb132a481 "drm/vc4: Return -EFAULT on copy_from_user() failure"):
/// the copy is tested where it is made and its failure branch stores <c>-EFAULT</c>,
/// <code>
/// ret = CopyFromUser(bo, data);          if (CopyFromUser(bo, data) != 0)
/// if (ret != 0)                    →     {
///     goto fail;                             ret = -EFAULT;
///                                            goto fail;
///                                        }
/// </code>
/// so the local never holds the count. Written when the count store is the local's only one, the
/// statement right after it tests the local (<c>!= 0</c>, or the errno reading <c>&lt; 0</c>) and
/// leaves, and the local held nothing before the store (unassigned or 0 on every path to it, as the
/// engine's graph says): on the path that goes on, the local was 0 and is now unassigned or still 0, and an
/// unassigned read is a compile error the fix checks for.
/// </summary>
internal static class CopyFailureTest
{
    /// <summary>The rewrite for <paramref name="use"/>, a compared or returned read of the local; <c>null</c> when the code is not this shape.</summary>
    internal static FixPlan? Plan(EngineFacts facts, SyntaxNode root, ExpressionSyntax use, CancellationToken cancellationToken)
    {
        var model = facts.Model;
        if (model.GetOperation(use, cancellationToken) is not ILocalReferenceOperation { Local: { RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Int32 } local }
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator)
        {
            return null;
        }

        ExpressionStatementSyntax? store = null;
        ExpressionSyntax? copy = null;
        var references = VariableReferences.In(model, facts.Declaration, local, cancellationToken);
        foreach (var (name, kind) in references)
        {
            if (kind == ReferenceUse.Other)
            {
                return null;
            }

            if (kind == ReferenceUse.Write && name.Parent is AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax statement } assignment
                && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Left == name
                && model.GetOperation(SyntaxSupport.Unparenthesize(assignment.Right), cancellationToken) is IInvocationOperation call
                && facts.AnnotationsOf(call.TargetMethod).ReturnsBytesNotCopied)
            {
                if (store is not null)
                {
                    return null;
                }

                store = statement;
                copy = SyntaxSupport.Unparenthesize(assignment.Right);
            }
        }

        if (store is null || copy is null || store.Parent is not BlockSyntax block
            || block.Statements.IndexOf(store) + 1 is var next && next >= block.Statements.Count
            || block.Statements[next] is not IfStatementSyntax { Else: null } test || !StatementRemoval.CanRemove(store)
            || !TestsForFailure(model, test.Condition, local, cancellationToken)
            || Exit(test.Statement) is not { } exit)
        {
            return null;
        }

        // On every path to the store the local is unassigned or 0 (a store of the count itself reaching
        // it again through a loop or a jump back is not): the code that goes on after the test saw 0.
        if (StoreReads.ValuesBefore(facts.Analysis, copy, local) is not { } before
            || before.Any(v => v is not null && v.ConstantValue is not { HasValue: true, Value: 0 }))
        {
            return null;
        }

        // The branch reads the local only in a last `return ret;`, which now returns -EFAULT.
        bool returnsLocal = exit is ReturnStatementSyntax { Expression: { } returned } && SyntaxSupport.Unparenthesize(returned) is IdentifierNameSyntax returnedName
            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(returnedName, cancellationToken).Symbol, local);
        if (references.Any(r => test.Statement.Span.Contains(r.Name.Span) && !(returnsLocal && exit.Span.Contains(r.Name.Span))))
        {
            return null;
        }

        int position = test.SpanStart;
        var fault = SyntaxSupport.NegativeErrno(model, position, "EFAULT");
        StatementSyntax branch;
        if (returnsLocal)
        {
            var leave = ((ReturnStatementSyntax)exit).WithExpression(fault);
            branch = test.Statement == exit ? leave : test.Statement.ReplaceNode(exit, leave);
        }
        else
        {
            var failed = ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(local.Name), fault));
            branch = test.Statement is BlockSyntax body
                ? body.WithStatements(body.Statements.Insert(body.Statements.IndexOf(exit), failed))
                : Block(failed, exit.WithoutTrivia());
        }

        var condition = BinaryExpression(SyntaxKind.NotEqualsExpression, copy.WithoutTrivia(), LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0)));
        var fixedTest = test.WithCondition(condition).WithStatement(branch).WithLeadingTrivia(store.GetLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation);
        var newBlock = block.WithStatements(block.Statements.RemoveAt(next).RemoveAt(next - 1).Insert(next - 1, fixedTest));
        var newRoot = root.ReplaceNode(block, newBlock);
        if (declarator.Initializer is null && ReadsUnassigned(model, root, newRoot, facts.Declaration, cancellationToken))
        {
            return DeclineReason.ResultUsedLater;
        }

        return FixPlan.Rewrite(() => newRoot);
    }

    /// <summary><c>local != 0</c>, <c>0 != local</c> or <c>local &lt; 0</c>: the failure test of the store.</summary>
    private static bool TestsForFailure(SemanticModel model, ExpressionSyntax condition, ILocalSymbol local, CancellationToken cancellationToken)
    {
        if (SyntaxSupport.Unparenthesize(condition) is not BinaryExpressionSyntax binary)
        {
            return false;
        }

        bool IsLocal(ExpressionSyntax e) => SyntaxSupport.Unparenthesize(e) is IdentifierNameSyntax name
            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local);
        return binary.Kind() switch
        {
            SyntaxKind.NotEqualsExpression => (IsLocal(binary.Left) && IsZero(model, binary.Right, cancellationToken)) || (IsZero(model, binary.Left, cancellationToken) && IsLocal(binary.Right)),
            SyntaxKind.LessThanExpression => IsLocal(binary.Left) && IsZero(model, binary.Right, cancellationToken),
            _ => false,
        };
    }

    /// <summary>The statement by which a failure branch leaves (<c>goto</c>, <c>return</c>): the branch itself or its block's last; null when it may fall through.</summary>
    private static StatementSyntax? Exit(StatementSyntax branch)
    {
        var last = branch is BlockSyntax { Statements.Count: > 0 } block ? block.Statements.Last() : branch;
        return last is ReturnStatementSyntax or GotoStatementSyntax { RawKind: (int)SyntaxKind.GotoStatement } ? last : null;
    }

    /// <summary>
    /// The rewritten function reads the local where it may be unassigned (CS0165): the path that went
    /// on after the test read the 0 the store left there.
    /// </summary>
    private static bool ReadsUnassigned(SemanticModel model, SyntaxNode root, SyntaxNode newRoot, SyntaxNode member, CancellationToken cancellationToken)
    {
        var tree = root.SyntaxTree;
        var newTree = tree.WithRootAndOptions(newRoot, tree.Options);
        var newModel = model.Compilation.ReplaceSyntaxTree(tree, newTree).GetSemanticModel(newTree);
        int start = member.SpanStart;
        var newMember = newRoot.FindToken(start).Parent?.AncestorsAndSelf().FirstOrDefault(n => n.SpanStart == start && n.RawKind == member.RawKind);
        return newMember is null || newModel.GetDiagnostics(newMember.Span, cancellationToken).Any(d => d.Id == "CS0165");
    }

    private static bool IsZero(SemanticModel model, ExpressionSyntax expression, CancellationToken cancellationToken) =>
        model.GetConstantValue(expression, cancellationToken) is { HasValue: true, Value: int value } && value == 0;
}
