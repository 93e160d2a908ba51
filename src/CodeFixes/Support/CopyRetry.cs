using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// The canonical loop for a copy inside a loop that walks the user buffer chunk by chunk (the
/// buffered write, <c>generic_perform_write()</c> as of v6.14): the copy runs with page faults
/// disabled under the user's lock, so it comes back short instead of faulting; the loop's own
/// "copied nothing" test gets the cold path, after the lock is released:
/// <code>
/// if (copied == 0)
/// {
///     if (FaultInReadable(from, bytes) == bytes)
///     {
///         &lt;the user's failure statements&gt;
///     }
///     continue;
/// }
/// </code>
/// The copy stopped at <c>from</c> (nothing was copied, so nothing advanced): the fault-in starts
/// where the copy stopped, the chunk is retried while the fault-in makes progress, and the user's
/// failure path runs only when it made none. A partial copy needs nothing new: the loop already
/// advances by what was copied and the next round starts where the copy stopped. The loop's top
/// (where a buffered write checks <c>FatalSignalPending()</c>) is where the retry goes.
/// </summary>
/// <remarks>
/// Declined (no fix): a copy whose statement is not directly in the body of a <c>while</c> or
/// <c>do</c> loop (a <c>for</c> loop's <c>continue</c> would run its increment); a copy whose
/// result is not "bytes not copied" stored in a local (<c>n = Copy(...)</c>) or subtracted from the
/// chunk size (<c>copied = bytes - Copy(...)</c>); no "copied nothing" test after it
/// (<c>copied == 0</c> or <c>notCopied == bytes</c>) that leaves the loop; the fault-path lock not
/// taken and released by straight-line statements of the same body around the copy, before that
/// test; any other lock or region in the body before the test, or held around the loop; pointer,
/// size or result written between the copy and the test; a chunk size that is not the copy's
/// length; a fault-in that returns an errno.
/// </remarks>
internal static class CopyRetry
{
    internal static SyntaxNode? Rewrite(EngineFacts facts, SyntaxNode root, Diagnostic diagnostic, InvocationExpressionSyntax copy, CancellationToken cancellationToken)
    {
        var model = facts.Model;
        if (copy.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax body } copyStatement
            || body.Parent is not (WhileStatementSyntax or DoStatementSyntax)
            || ReadCopyStatement(facts, copyStatement, copy, cancellationToken) is not var (result, chunk))
        {
            return null;
        }

        var loop = (StatementSyntax)body.Parent;
        int copyIndex = body.Statements.IndexOf(copyStatement);
        if (FindNothingCopiedTest(model, body, copyIndex, result, chunk, cancellationToken) is not var (test, testIndex, size)
            || !LeavesTheLoop(test.Statement)
            || !NothingHeldAround(facts, loop)
            || !LockReleasedBefore(facts, root, diagnostic, body, copyIndex, testIndex))
        {
            return null;
        }

        if (RetryLoopRewrite.FaultInCall(model, copy, cancellationToken) is not ({ } faultIn, false)
            || faultIn is not InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 2 } faultInArguments }
            || !SyntaxFactory.AreEquivalent(faultInArguments[1].Expression, size))
        {
            return null;
        }

        // The retry re-reads the pointer and the chunk size: nothing between the copy and the test
        // may change them. (The fault-in is a new node: its operands are read where the copy has them.)
        var between = body.Statements.Skip(copyIndex + 1).Take(testIndex - copyIndex - 1).ToList();
        if (!Unchanged(model, between, copy.ArgumentList.DescendantNodes().Concat(size.DescendantNodesAndSelf()), cancellationToken))
        {
            return null;
        }

        var disable = RetryLoopRewrite.NofaultBoundaryCall(facts, copy, enters: true);
        var enable = RetryLoopRewrite.NofaultBoundaryCall(facts, copy, enters: false);
        if (disable is null || enable is null)
        {
            return null;
        }

        // The copy's comments stay above the region that now holds it.
        var region = new[]
        {
            ExpressionStatement(disable).WithLeadingTrivia(copyStatement.GetLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation),
            copyStatement.WithLeadingTrivia(ElasticMarker),
            ExpressionStatement(enable).WithAdditionalAnnotations(Formatter.Annotation),
        };

        var statements = body.Statements.Take(copyIndex)
            .Concat(region)
            .Concat(between)
            .Append(WithColdPath(test, faultIn, size, test.Statement))
            .Concat(body.Statements.Skip(testIndex + 1));
        return root.ReplaceNode(body, body.WithStatements(List(statements)));
    }

    /// <summary>
    /// UA4001 on a copy: the prefault at the top of a buffer-walking loop goes, and the user's own
    /// fault-in call moves to where the nofault copy is known to have copied nothing, with the
    /// prefault's failure statements for when it makes no progress:
    /// <list type="bullet">
    /// <item>a "copied nothing" test after the copy (<c>generic_perform_write()</c> before 2021): its
    /// old body may be the pre-2021 retry (<c>bytes = ...; goto again;</c> back to the prefault), which
    /// the cold path replaces, or a failure that leaves the loop, which it keeps;</item>
    /// <item>the loop's last statement, a branch whose block first sends a partial copy round again
    /// (<c>if (status == 0) { ...; if (copied != 0) { bytes = copied; goto retry; } }</c>, v6.13): the
    /// fault-in goes at the end of that block, as v6.14 put it, and a fault-in that made progress
    /// falls through to the loop's next round from the same position.</item>
    /// </list>
    /// The fault-in starts where the copy stopped: the prefault's pointer and size are the copy's.
    /// </summary>
    /// <remarks>
    /// Declined besides <see cref="CopyRetry"/>'s own cases: a prefault that is not
    /// <c>if (FaultIn(...) != 0)</c> or <c>if (FaultIn(p, n) == n)</c> leaving the loop, directly in
    /// the loop body before the copy's region; a fault-in that returns an errno; a label on the
    /// prefault that other jumps target; a test body that neither leaves the loop nor only goes back
    /// to the prefault; the prefault's operands or the chunk written between the prefault (or the copy)
    /// and the cold path.
    /// </remarks>
    internal static FixPlan RewritePrefault(FixContext context, EngineFacts facts, InvocationExpressionSyntax prefault, InvocationExpressionSyntax copy)
    {
        var (root, model, cancellationToken) = (context.Root, context.Model, context.CancellationToken);
        if (copy.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax body } copyStatement
            || body.Parent is not (WhileStatementSyntax or DoStatementSyntax)
            || ReadCopyStatement(facts, copyStatement, copy, cancellationToken) is not var (result, chunk))
        {
            return DeclineReason.CopyReturnsBytes;
        }

        if (SyntaxSupport.Method(model, prefault, cancellationToken) is not { } faultInMethod
            || !facts.AnnotationsOf(faultInMethod).ReturnsBytesNotFaultedIn
            || prefault.ArgumentList.Arguments.Count != 2)
        {
            return DeclineReason.PrefaultReturnsErrno;
        }

        // if (FaultIn(...) != 0) or if (FaultIn(p, n) == n), possibly labelled, straight in the loop body.
        if (prefault.Parent is not BinaryExpressionSyntax condition
            || condition.Left != prefault
            || !(condition.IsKind(SyntaxKind.NotEqualsExpression) && condition.Right is LiteralExpressionSyntax { Token.ValueText: "0" }
                || condition.IsKind(SyntaxKind.EqualsExpression) && SyntaxFactory.AreEquivalent(condition.Right, prefault.ArgumentList.Arguments[1].Expression))
            || condition.Parent is not IfStatementSyntax { Else: null } check)
        {
            return DeclineReason.PrefaultTestNotHandled;
        }

        if (!LeavesTheLoop(check.Statement))
        {
            return DeclineReason.BranchNotAnErrorPath;
        }

        var prefaultStatement = check.Parent is LabeledStatementSyntax labelled ? (StatementSyntax)labelled : check;
        var label = (prefaultStatement as LabeledStatementSyntax)?.Identifier.ValueText;
        var loop = (StatementSyntax)body.Parent;
        int prefaultIndex = body.Statements.IndexOf(prefaultStatement);
        int copyIndex = body.Statements.IndexOf(copyStatement);
        if (prefaultIndex < 0 || prefaultIndex >= copyIndex - 1 || copyIndex + 1 >= body.Statements.Count
            || !RetryLoopRewrite.IsNofaultBoundary(facts, body.Statements[copyIndex - 1], enters: true)
            || !RetryLoopRewrite.IsNofaultBoundary(facts, body.Statements[copyIndex + 1], enters: false))
        {
            return DeclineReason.RegionDoesMore;
        }

        if (!NothingHeldAround(facts, loop))
        {
            return DeclineReason.LockHeldAcrossFaultIn;
        }

        if (FindNothingCopiedTest(model, body, copyIndex + 1, result, chunk, cancellationToken) is var (test, testIndex, size))
        {
            return AtTheTest(context, facts, body, check, label, prefault, prefaultIndex, copyIndex, test, testIndex, size);
        }

        return AtTheEndOfTheRound(context, facts, body, check, prefault, prefaultIndex, copy, copyIndex, result, chunk);
    }

    /// <summary>The "copied nothing" test's body becomes the cold path: the fault-in, the failure when it made no progress, <c>continue</c>.</summary>
    private static FixPlan AtTheTest(FixContext context, EngineFacts facts, BlockSyntax body, IfStatementSyntax check, string? label, InvocationExpressionSyntax prefault, int prefaultIndex, int copyIndex, IfStatementSyntax test, int testIndex, ExpressionSyntax size)
    {
        if (!SyntaxFactory.AreEquivalent(prefault.ArgumentList.Arguments[1].Expression, size))
        {
            return DeclineReason.SizeNotExact;
        }

        for (int i = 0; i <= testIndex; i++)
        {
            if (i != copyIndex - 1 && i != copyIndex + 1 && LockStep.AnyIn(facts, body.Statements[i]))
            {
                return DeclineReason.LockHeldAcrossFaultIn;
            }
        }

        // The test's body: a failure that leaves the loop, or the old retry back to the prefault.
        StatementSyntax failure;
        if (LeavesTheLoop(test.Statement))
        {
            failure = test.Statement;
        }
        else if (label is not null && GoesBackTo(test.Statement, label))
        {
            failure = check.Statement;
        }
        else
        {
            return DeclineReason.BranchNotAnErrorPath;
        }

        // The prefault's label goes with it: nothing but the old retry may jump there.
        if (label is not null && SyntaxSupport.ContainingFunction(body) is var (_, functionBody)
            && functionBody.DescendantNodes().OfType<GotoStatementSyntax>()
                .Any(g => g.Expression is IdentifierNameSyntax target && target.Identifier.ValueText == label && !test.Statement.Span.Contains(g.Span)))
        {
            return DeclineReason.GotoRetry;
        }

        // The cold path evaluates the prefault's arguments where the test is.
        var between = body.Statements.Skip(prefaultIndex + 1).Take(testIndex - prefaultIndex - 1).ToList();
        if (!Unchanged(context.Model, between, prefault.ArgumentList.DescendantNodes(), context.CancellationToken))
        {
            return DeclineReason.StatementBetween;
        }

        return FixPlan.Rewrite(() =>
        {
            var statements = body.Statements.Take(prefaultIndex)
                .Concat(body.Statements.Skip(prefaultIndex + 1).Take(testIndex - prefaultIndex - 1))
                .Append(WithColdPath(test, prefault.WithoutTrivia(), size, failure))
                .Concat(body.Statements.Skip(testIndex + 1));
            return context.Root.ReplaceNode(body, body.WithStatements(List(statements)));
        });
    }

    /// <summary>
    /// The round's last statement is a branch whose block sends a partial copy round again first
    /// (<c>if (copied != 0) { ...; goto retry; }</c>): after that, in the block, the copy copied
    /// nothing, and the prefault's check goes at the block's end. A fault-in that made progress
    /// falls out of the block into the loop's next round, which starts where the copy stopped.
    /// </summary>
    private static FixPlan AtTheEndOfTheRound(FixContext context, EngineFacts facts, BlockSyntax body, IfStatementSyntax check, InvocationExpressionSyntax prefault, int prefaultIndex, InvocationExpressionSyntax copy, int copyIndex, ILocalSymbol result, ExpressionSyntax? chunk)
    {
        var (model, cancellationToken) = (context.Model, context.CancellationToken);
        int lastIndex = body.Statements.Count - 1;
        if (chunk is null
            || lastIndex <= copyIndex + 1
            || body.Statements[lastIndex] is not IfStatementSyntax { Statement: BlockSyntax branch } last)
        {
            return DeclineReason.NoNothingCopiedTest;
        }

        int retryIndex = branch.Statements.IndexOf(s => IsPartialCopyRetry(model, s, result, cancellationToken));
        if (retryIndex < 0
            || branch.Statements.Skip(retryIndex + 1).Any(s => s.DescendantNodesAndSelf().Any(n => n is ContinueStatementSyntax or GotoStatementSyntax or LabeledStatementSyntax)))
        {
            return DeclineReason.NoNothingCopiedTest;
        }

        // Every other way round the loop after the copy passes the new cold path: no jump back before it.
        var afterCopy = body.Statements.Skip(copyIndex + 2).Take(lastIndex - copyIndex - 2).ToList();
        if (afterCopy.Any(s => s.DescendantNodesAndSelf().Any(n => n is ContinueStatementSyntax or GotoStatementSyntax or LabeledStatementSyntax)))
        {
            return DeclineReason.StatementBetween;
        }

        // The fault-in starts where the copy stopped and covers what it tried to copy.
        if (model.GetOperation(copy, cancellationToken) is not Microsoft.CodeAnalysis.Operations.IInvocationOperation operation
            || facts.AnnotationsOf(operation.TargetMethod).UserAccessPointer is not { } pointerName
            || operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == pointerName)?.Value.Syntax is not ExpressionSyntax pointer
            || !SyntaxFactory.AreEquivalent(prefault.ArgumentList.Arguments[0].Expression, pointer)
            || !SyntaxFactory.AreEquivalent(prefault.ArgumentList.Arguments[1].Expression, chunk))
        {
            return DeclineReason.SizeNotExact;
        }

        for (int i = 0; i <= lastIndex; i++)
        {
            if (i != copyIndex - 1 && i != copyIndex + 1 && i != prefaultIndex && LockStep.AnyIn(facts, body.Statements[i]))
            {
                return DeclineReason.LockHeldAcrossFaultIn;
            }
        }

        // The pointer and the size keep the copy's values up to the new place.
        var operands = prefault.ArgumentList.DescendantNodes().ToList();
        if (!Unchanged(model, afterCopy, operands, cancellationToken)
            || branch.Statements.Where((_, i) => i != retryIndex).Any(s => !Unchanged(model, new[] { s }, operands, cancellationToken)))
        {
            return DeclineReason.StatementBetween;
        }

        return FixPlan.Rewrite(() =>
        {
            var failure = check.Statement is BlockSyntax failureBlock ? failureBlock : Block(check.Statement.WithoutLeadingTrivia());
            var coldPath = IfStatement(
                    BinaryExpression(SyntaxKind.EqualsExpression, prefault.WithoutTrivia(), chunk.WithoutTrivia()),
                    failure.WithoutTrivia())
                .WithLeadingTrivia(check.GetLeadingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            var newLast = last.WithStatement(branch.AddStatements(coldPath));

            // A label on the prefault (the partial copy's retry) stays, on the statement after it.
            var next = body.Statements[prefaultIndex + 1];
            var relabelled = body.Statements[prefaultIndex] is LabeledStatementSyntax labelled
                ? labelled.WithStatement(CanonicalLoop.SplitBlankLines(next).Statement).WithAdditionalAnnotations(Formatter.Annotation)
                : next;
            var statements = body.Statements.Take(prefaultIndex)
                .Append(relabelled)
                .Concat(body.Statements.Skip(prefaultIndex + 2).Take(lastIndex - prefaultIndex - 2))
                .Append(newLast);
            return context.Root.ReplaceNode(body, body.WithStatements(List(statements)));
        });
    }

    /// <summary><c>if (copied != 0) { ...; goto retry; }</c>: a partial copy goes round again before anything else.</summary>
    private static bool IsPartialCopyRetry(SemanticModel model, StatementSyntax statement, ILocalSymbol progress, CancellationToken cancellationToken) =>
        statement is IfStatementSyntax { Else: null } test
        && SyntaxSupport.Unparenthesize(test.Condition) is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.NotEqualsExpression } notZero
        && IsLocal(model, notZero.Left, progress, cancellationToken)
        && notZero.Right is LiteralExpressionSyntax { Token.ValueText: "0" }
        && (test.Statement is BlockSyntax { Statements.Count: > 0 } jump ? jump.Statements.Last() : test.Statement)
            is GotoStatementSyntax or ContinueStatementSyntax or BreakStatementSyntax or ReturnStatementSyntax;

    /// <summary><c>if (nothing copied) { if (FaultIn(...) == chunk) { &lt;failure&gt; } continue; }</c></summary>
    private static IfStatementSyntax WithColdPath(IfStatementSyntax test, ExpressionSyntax faultIn, ExpressionSyntax size, StatementSyntax failureStatement)
    {
        var failure = failureStatement is BlockSyntax failureBlock ? failureBlock : Block(failureStatement.WithoutLeadingTrivia());
        var coldPath = Block(
            IfStatement(BinaryExpression(SyntaxKind.EqualsExpression, faultIn, size.WithoutTrivia()), failure.WithoutTrivia()),
            ContinueStatement());
        return test.WithStatement(coldPath.WithTrailingTrivia(test.Statement.GetTrailingTrivia())).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>No local or parameter named in <paramref name="operands"/> is written by <paramref name="statements"/>.</summary>
    private static bool Unchanged(SemanticModel model, IReadOnlyList<StatementSyntax> statements, IEnumerable<SyntaxNode> operands, CancellationToken cancellationToken)
    {
        if (statements.Count == 0)
        {
            return true;
        }

        var flow = model.AnalyzeDataFlow(statements[0], statements[statements.Count - 1]);
        if (flow is null || !flow.Succeeded)
        {
            return false;
        }

        return !operands.OfType<IdentifierNameSyntax>()
            .Select(n => model.GetSymbolInfo(n, cancellationToken).Symbol)
            .Any(s => s is ILocalSymbol or IParameterSymbol && flow.WrittenInside.Contains(s));
    }

    /// <summary>The pre-2021 retry: assignments (a smaller chunk) and <c>goto label;</c>.</summary>
    private static bool GoesBackTo(StatementSyntax statement, string label)
    {
        var statements = statement is BlockSyntax block ? block.Statements.ToList() : new List<StatementSyntax> { statement };
        return statements.Count > 0
            && statements.Last() is GotoStatementSyntax { Expression: IdentifierNameSyntax target } && target.Identifier.ValueText == label
            && statements.Take(statements.Count - 1).All(s => s is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax });
    }

    /// <summary>
    /// <c>[int] n = Copy(...);</c> or <c>[int] copied = chunk - Copy(...);</c>: the local the
    /// copy's outcome lands in, and the chunk size when the statement names it.
    /// </summary>
    private static (ILocalSymbol Result, ExpressionSyntax? Chunk)? ReadCopyStatement(EngineFacts facts, StatementSyntax statement, InvocationExpressionSyntax copy, CancellationToken cancellationToken)
    {
        var model = facts.Model;
        if (SyntaxSupport.Method(model, copy, cancellationToken) is not { } method || !facts.AnnotationsOf(method).ReturnsBytesNotCopied)
        {
            return null;
        }

        if (SyntaxSupport.StoreToLocal(model, statement, cancellationToken) is not var (stored, local))
        {
            return null;
        }

        var value = SyntaxSupport.Unparenthesize(stored);
        if (value == copy)
        {
            return (local, null);
        }

        return value is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression } difference && SyntaxSupport.Unparenthesize(difference.Right) == copy
            && RetryLoopRewrite.IsPlain(difference.Left)
            ? (local, difference.Left)
            : null;
    }

    /// <summary>
    /// The first statement after the copy that tests "nothing was copied":
    /// <c>if (copied == 0) { ...; break; }</c> for a progress local, <c>if (n == chunk)</c> for a
    /// bytes-not-copied one (directly, or through <c>copied = chunk - n</c> in between).
    /// </summary>
    private static (IfStatementSyntax Test, int Index, ExpressionSyntax Chunk)? FindNothingCopiedTest(SemanticModel model, BlockSyntax body, int copyIndex, ILocalSymbol result, ExpressionSyntax? chunk, CancellationToken cancellationToken)
    {
        var progress = chunk is null ? null : result;
        ILocalSymbol? notCopied = chunk is null ? result : null;
        for (int i = copyIndex + 1; i < body.Statements.Count; i++)
        {
            var statement = body.Statements[i];

            // copied = chunk - n;
            if (notCopied is not null && progress is null && ReadDifference(model, statement, notCopied, cancellationToken) is var (local, size))
            {
                progress = local;
                chunk = size;
                continue;
            }

            if (statement is IfStatementSyntax { Else: null } test && SyntaxSupport.Unparenthesize(test.Condition) is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression } equals)
            {
                // copied == 0, or n == chunk (the whole chunk left over)
                if (progress is not null && IsLocal(model, equals.Left, progress, cancellationToken) && equals.Right is LiteralExpressionSyntax { Token.ValueText: "0" })
                {
                    return (test, i, chunk!);
                }

                if (progress is null && notCopied is not null && IsLocal(model, equals.Left, notCopied, cancellationToken) && RetryLoopRewrite.IsPlain(equals.Right))
                {
                    return (test, i, equals.Right);
                }
            }

            // A jump before the test would skip the cold path.
            if (statement.DescendantNodesAndSelf().Any(n => n is ContinueStatementSyntax or GotoStatementSyntax or LabeledStatementSyntax))
            {
                return null;
            }
        }

        return null;
    }

    private static (ILocalSymbol Progress, ExpressionSyntax Chunk)? ReadDifference(SemanticModel model, StatementSyntax statement, ILocalSymbol notCopied, CancellationToken cancellationToken)
    {
        return SyntaxSupport.StoreToLocal(model, statement, cancellationToken) is var (value, local)
            && SyntaxSupport.Unparenthesize(value) is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression } difference
            && IsLocal(model, difference.Right, notCopied, cancellationToken) && RetryLoopRewrite.IsPlain(difference.Left)
            ? (local, difference.Left)
            : null;
    }

    /// <summary>
    /// The fault-path lock (the diagnostic's) is taken by a statement of the body before the copy and
    /// released by one between the copy and the test, and nothing else in the body up to the test
    /// takes or releases anything: the cold path runs with nothing held.
    /// </summary>
    private static bool LockReleasedBefore(EngineFacts facts, SyntaxNode root, Diagnostic diagnostic, BlockSyntax body, int copyIndex, int testIndex)
    {
        var acquire = RetryLoopRewrite.Additional(root, diagnostic, Analyzers.DiagnosticProperties.LockAcquireLocation)?.FirstAncestorOrSelf<StatementSyntax>();
        var release = RetryLoopRewrite.Additional(root, diagnostic, Analyzers.DiagnosticProperties.LockReleaseLocation)?.FirstAncestorOrSelf<StatementSyntax>();
        if (acquire is null || release is null || acquire.Parent != body || release.Parent != body)
        {
            return false;
        }

        int acquireIndex = body.Statements.IndexOf(acquire);
        int releaseIndex = body.Statements.IndexOf(release);
        if (acquireIndex >= copyIndex || releaseIndex <= copyIndex || releaseIndex >= testIndex)
        {
            return false;
        }

        for (int i = 0; i <= testIndex; i++)
        {
            if (i != acquireIndex && i != releaseIndex && LockStep.AnyIn(facts, body.Statements[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Nothing is held or entered where the loop starts: its cold path runs with everything released.</summary>
    private static bool NothingHeldAround(EngineFacts facts, StatementSyntax loop) =>
        facts.StateBefore(loop) is { Locks.IsEmpty: true, Nofault.DefinitelyNot: true, Atomic.DefinitelyNot: true };

    /// <summary>The failure statement ends in <c>break</c>, <c>return</c> or <c>throw</c> and never continues the loop.</summary>
    private static bool LeavesTheLoop(StatementSyntax statement) =>
        !statement.DescendantNodesAndSelf().Any(n => n is ContinueStatementSyntax or GotoStatementSyntax)
        && (statement is BlockSyntax block ? block.Statements.Count > 0 && LeavesTheLoop(block.Statements.Last()) : statement is BreakStatementSyntax or ReturnStatementSyntax or ThrowStatementSyntax);

    private static bool IsLocal(SemanticModel model, ExpressionSyntax expression, ILocalSymbol local, CancellationToken cancellationToken) =>
        SyntaxSupport.Unparenthesize(expression) is IdentifierNameSyntax name && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local);
}
