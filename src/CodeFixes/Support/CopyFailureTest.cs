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
/// so the local never holds the count. The store may be inside the test (dvb_ca_en50221_io_read():
/// <c>if ((status = CopyToUser(buf, hdr)) != 0) goto exit;</c>). Written for the test a compared use is
/// in (the statement right after a store, or the test holding it), or for a returned use, the test of the
/// local's one count store; the test leaves (<c>!= 0</c>, or the errno reading <c>&lt; 0</c>), and the code
/// that goes on after it either saw a 0 that the local already held before the store (unassigned or 0 on
/// every path to it, as the engine's graph says) or writes the local before reading it (si4713's errno
/// local, tested and then reused for the copy). An unassigned read after the rewrite is a compile error
/// the fix checks for. Otherwise the store is kept and only the test is rewritten
/// (<c>r = CopyFromUser(s, argp); if (r != 0) { r = -EFAULT; break; }</c>): the local holds the copy's 0
/// on success, as before.
/// </summary>
internal static class CopyFailureTest
{
    /// <summary>The rewrite for <paramref name="use"/>, a compared or returned read of the local; <c>null</c> when the code is not this shape.</summary>
    internal static FixPlan? Plan(EngineFacts facts, SyntaxNode root, ExpressionSyntax use, CancellationToken cancellationToken)
    {
        var model = facts.Model;
        if (model.GetOperation(use, cancellationToken) is not ILocalReferenceOperation { Local: { RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 } local }
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator)
        {
            return null;
        }

        var references = VariableReferences.In(model, facts.Declaration, local, cancellationToken);
        if (references.Any(r => r.Use == ReferenceUse.Other))
        {
            return null;
        }

        // The test the use is in (a comparison), or the test of the local's one count store (a return).
        if (FindStore(facts, use, references, local, cancellationToken) is not var (test, store, copy)
            || test is not { Else: null } || !TestsForFailure(facts, test.Condition, local, cancellationToken)
            || Exit(test.Statement) is not { } exit
            || (store is not null && (!SyntaxSupport.IsInStatementList(store)
                || store.DescendantTrivia().Count(t => t.IsDirective) != store.GetLeadingTrivia().Count(t => t.IsDirective))))
        {
            return null;
        }

        // The code that goes on after the test saw the 0 the copy left; after the rewrite it sees what the
        // local held before. Either that was 0 too (unassigned or 0 on every path to the store: a store of
        // the count itself reaching it again through a loop or a jump back is not), or that code writes the
        // local before it reads it (si4713's errno local, tested and then reused for the copy).
        // Otherwise the store stays where it is and only the test changes: the local still holds the copy's 0
        // on success (vhost_set_vring(), whose errno local holds get_user()'s result before the copy).
        bool zeroBefore = store is not null && StoreReads.ValuesBefore(facts.Analysis, copy, local) is { } before
            && before.All(v => v is null || (v.ConstantValue is { HasValue: true } constant && FlowAnalysis.ToLong(constant.Value) == 0));
        // A local named nowhere but the store and the test would be left declared and unused (CS0168): keep it.
        bool namedElsewhere = references.Any(r => !test.Span.Contains(r.Name.Span) && !(store?.Span.Contains(r.Name.Span) ?? false));
        bool keepStore = (!zeroBefore && StoreReads.ReadWhereFalse(facts.Analysis, SyntaxSupport.Unparenthesize(test.Condition), local) is not false)
            || (store is not null && !namedElsewhere);

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
        else if (exit is ReturnStatementSyntax)
        {
            // The branch returns its own errno (return -EFAULT;): nothing reads the local after it.
            branch = test.Statement;
        }
        else
        {
            var failed = ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(local.Name), fault));
            branch = test.Statement is BlockSyntax body
                ? body.WithStatements(body.Statements.Insert(body.Statements.IndexOf(exit), failed))
                : Block(failed, exit.WithoutTrivia()).WithTrailingTrivia(test.Statement.GetTrailingTrivia());
        }

        var tested = !keepStore ? copy.WithoutTrivia()
            : store is not null ? (ExpressionSyntax)IdentifierName(local.Name)
            : ParenthesizedExpression(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(local.Name), copy.WithoutTrivia()));
        var condition = BinaryExpression(SyntaxKind.NotEqualsExpression, tested, LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0)));
        var fixedTest = test.WithCondition(condition).WithStatement(branch).WithAdditionalAnnotations(Formatter.Annotation);
        SyntaxNode newRoot;
        if (store is not null && !keepStore)
        {
            var statements = SyntaxSupport.StatementList(store);
            int at = statements.IndexOf(store);
            var merged = fixedTest.WithLeadingTrivia(store.GetLeadingTrivia());
            newRoot = root.ReplaceNode(store.Parent!, SyntaxSupport.WithStatementList(store, statements.RemoveAt(at + 1).RemoveAt(at).Insert(at, merged)));
        }
        else
        {
            newRoot = root.ReplaceNode(test, fixedTest);
        }

        if (!keepStore && declarator.Initializer is null && ReadsUnassigned(model, root, newRoot, facts.Declaration, cancellationToken))
        {
            return DeclineReason.ResultUsedLater;
        }

        return FixPlan.Rewrite(() => newRoot);
    }

    /// <summary>
    /// The failure test to rewrite, the statement-level store it follows (<c>null</c> when the store is
    /// inside the test: <c>if ((ret = Copy(...)) != 0)</c>) and the copy. For a comparison, the test it is
    /// in; for a return, the test of the local's one count store.
    /// </summary>
    private static (IfStatementSyntax? Test, ExpressionStatementSyntax? Store, ExpressionSyntax Copy)? FindStore(
        EngineFacts facts, ExpressionSyntax use, IReadOnlyList<(IdentifierNameSyntax Name, ReferenceUse Use)> references, ILocalSymbol local, CancellationToken cancellationToken)
    {
        if (use.FirstAncestorOrSelf<IfStatementSyntax>() is { } enclosing && enclosing.Condition.Span.Contains(use.Span))
        {
            return InlineCopy(facts, enclosing.Condition, local, cancellationToken) is { } inline
                ? (enclosing, null, inline)
                : SyntaxSupport.StatementList(enclosing) is var list && list.IndexOf(enclosing) is > 0 and var at
                    && list[at - 1] is ExpressionStatementSyntax previous && CopyStored(facts, previous, local, cancellationToken) is { } copy
                    ? (enclosing, previous, copy)
                    : null;
        }

        // if (ret != 0) return ret; right after the store: the test the returned count leaves through,
        // whatever the local's other stores (raw_ioctl_event_fetch() stores two copies' counts in it).
        if (use.Parent is ReturnStatementSyntax leave
            && (leave.Parent is IfStatementSyntax direct ? direct : leave.Parent is BlockSyntax { Parent: IfStatementSyntax inBlock } ? inBlock : null) is { } guarding
            && guarding.Statement.Span.Contains(leave.Span)
            && SyntaxSupport.StatementList(guarding) is var outer && outer.IndexOf(guarding) is > 0 and var index
            && outer[index - 1] is ExpressionStatementSyntax before && CopyStored(facts, before, local, cancellationToken) is { } stored)
        {
            return (guarding, before, stored);
        }

        (IfStatementSyntax? Test, ExpressionStatementSyntax? Store, ExpressionSyntax Copy)? found = null;
        foreach (var (name, kind) in references)
        {
            if (kind != ReferenceUse.Write || name.Parent is not AssignmentExpressionSyntax assignment || CopyOf(facts, assignment, local, cancellationToken) is not { } copy)
            {
                continue;
            }

            if (found is not null)
            {
                return null;
            }

            if (assignment.Parent is ExpressionStatementSyntax statement)
            {
                found = SyntaxSupport.StatementList(statement) is var list && list.IndexOf(statement) + 1 is var next && next < list.Count
                    && list[next] is IfStatementSyntax test
                    ? (test, statement, copy)
                    : (null, statement, copy);
            }
            else
            {
                found = assignment.FirstAncestorOrSelf<IfStatementSyntax>() is { } test && test.Condition.Span.Contains(assignment.Span)
                    && InlineCopy(facts, test.Condition, local, cancellationToken) is not null
                    ? (test, null, copy)
                    : null;
            }
        }

        return found;
    }

    /// <summary>The copy of <c>(local = Copy(...)) != 0</c> or <c>(local = Copy(...)) &lt; 0</c>.</summary>
    private static ExpressionSyntax? InlineCopy(EngineFacts facts, ExpressionSyntax condition, ILocalSymbol local, CancellationToken cancellationToken) =>
        SyntaxSupport.Unparenthesize(condition) is BinaryExpressionSyntax binary
        && SyntaxSupport.Unparenthesize(binary.Left) is AssignmentExpressionSyntax assignment
        ? CopyOf(facts, assignment, local, cancellationToken)
        : null;

    /// <summary>The copy of the statement <c>local = Copy(...);</c>.</summary>
    private static ExpressionSyntax? CopyStored(EngineFacts facts, ExpressionStatementSyntax statement, ILocalSymbol local, CancellationToken cancellationToken) =>
        statement.Expression is AssignmentExpressionSyntax assignment ? CopyOf(facts, assignment, local, cancellationToken) : null;

    /// <summary>The right side of <c>local = Copy(...)</c> when the call returns the bytes not copied.</summary>
    internal static ExpressionSyntax? CopyOf(EngineFacts facts, AssignmentExpressionSyntax assignment, ILocalSymbol local, CancellationToken cancellationToken)
    {
        var model = facts.Model;
        var right = SyntaxSupport.Unparenthesize(assignment.Right);
        return assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
            && SyntaxSupport.Unparenthesize(assignment.Left) is IdentifierNameSyntax left
            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(left, cancellationToken).Symbol, local)
            && model.GetOperation(right, cancellationToken) is IInvocationOperation call
            && facts.AnnotationsOf(call.TargetMethod).ReturnsBytesNotCopied
            ? right
            : null;
    }

    /// <summary><c>local != 0</c>, <c>0 != local</c> or <c>local &lt; 0</c>: the failure test of the store.</summary>
    private static bool TestsForFailure(EngineFacts facts, ExpressionSyntax condition, ILocalSymbol local, CancellationToken cancellationToken)
    {
        var model = facts.Model;
        if (SyntaxSupport.Unparenthesize(condition) is not BinaryExpressionSyntax binary)
        {
            return false;
        }

        bool IsLocal(ExpressionSyntax e) => SyntaxSupport.Unparenthesize(e) switch
        {
            IdentifierNameSyntax name => SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local),
            AssignmentExpressionSyntax assignment => CopyOf(facts, assignment, local, cancellationToken) is not null,
            _ => false,
        };
        return binary.Kind() switch
        {
            SyntaxKind.NotEqualsExpression => (IsLocal(binary.Left) && IsZero(model, binary.Right, cancellationToken)) || (IsZero(model, binary.Left, cancellationToken) && IsLocal(binary.Right)),
            SyntaxKind.LessThanExpression => IsLocal(binary.Left) && IsZero(model, binary.Right, cancellationToken),
            _ => false,
        };
    }

    /// <summary>
    /// The store is already tested where it is made, the shape this fix writes (<c>r = CopyFromUser(s, argp);
    /// if (r != 0) { r = -EFAULT; break; }</c>): the statement after it tests the local against zero and its
    /// branch leaves, so only the copy's 0 goes on past the test.
    /// </summary>
    internal static bool TestedWhereMade(ExpressionStatementSyntax store, ILocalSymbol local, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!SyntaxSupport.IsInStatementList(store))
        {
            return false;
        }

        var statements = SyntaxSupport.StatementList(store);
        int next = statements.IndexOf(store) + 1;
        return next < statements.Count && statements[next] is IfStatementSyntax { Else: null } test
            && SyntaxSupport.Unparenthesize(test.Condition) is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.NotEqualsExpression } condition
            && SyntaxSupport.Unparenthesize(condition.Left) is IdentifierNameSyntax tested
            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(tested, cancellationToken).Symbol, local)
            && condition.Right is LiteralExpressionSyntax { Token.Value: 0 }
            && Exit(test.Statement) is not null;
    }

    /// <summary>
    /// The statement by which a failure branch leaves (<c>goto</c>, <c>return</c>, or a <c>break</c> out of the
    /// switch section or loop, as vhost's ioctls leave to their unlock and return): the branch itself or its
    /// block's last; null when it may fall through.
    /// </summary>
    private static StatementSyntax? Exit(StatementSyntax branch)
    {
        var last = branch is BlockSyntax { Statements.Count: > 0 } block ? block.Statements.Last() : branch;
        return last is ReturnStatementSyntax or BreakStatementSyntax or GotoStatementSyntax { RawKind: (int)SyntaxKind.GotoStatement } ? last : null;
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
