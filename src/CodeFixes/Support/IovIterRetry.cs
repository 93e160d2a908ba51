using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// UA2002 on a helper of the user's that walks an iterator (<see cref="HelperUserRange.AdvancesIterator"/>:
/// <c>generic_file_read_iter()</c> copying to <c>to.Base</c> and advancing <c>to</c>), called under a lock
/// its fault path takes: gfs2's fix of the buffered read under the inode glock (v5.16, "gfs2: Fix mmap +
/// page fault deadlocks for buffered I/O"). The helper runs with page faults disabled under the lock,
/// so it stops short (a partial count, or <c>-EFAULT</c> when it moved nothing) instead of faulting; the
/// user's statements after it keep the partial progress; after the unlock, what is left of the iterator
/// is faulted in without writing to it, and the helper runs again, from where it stopped, while that
/// fault-in makes progress:
/// <code>
/// while (true)
/// {
///     &lt;the user's lock statements&gt;
///     PagefaultDisable();
///     ret = Helper(..., to);
///     PagefaultEnable();
///     &lt;the user's statements after it (if (ret &gt; 0) written += ret;)&gt;
///     &lt;the user's releases&gt;
///     if (to.Count == 0 || (ret &lt;= 0 &amp;&amp; ret != -EFAULT))
///         break;
///     if (FaultInSafeWriteable(to.Base, to.Count) == to.Count)
///         break;
/// }
/// </code>
/// The first test is gfs2's <c>should_fault_in_pages()</c>: nothing left, or an error other than a
/// fault (end of file, an I/O error) ends the loop; a short count with bytes left goes round again,
/// as in the kernel. The fault-in is the non-destructive one of the access's kind
/// (<c>fault_in_iov_iter_writeable()</c> is <c>fault_in_safe_writeable()</c>): the read may end before
/// the range it faulted in, whose contents must survive. It ends on a fatal signal without progress,
/// which ends the loop.
/// </summary>
/// <remarks>
/// The lock statements: <c>lk.Lock();</c>, <c>if (lk.LockKillable() != 0) return ...;</c>, or gfs2's
/// <c>ret = Gfs2GlockNq(ip); if (ret != 0) goto out;</c> (a jump out of the loop with the lock's errno).
/// Declined: a result that is not assigned to a <c>long</c> local (<c>AccessNotAStatement</c>); no lock
/// statements right before the access in its block, or releases that are not exactly those locks, or
/// statements after the access that take or release anything, call anything, jump, or write the result
/// (<c>StatementBetween</c>); anything held or entered before the locks (<c>LockHeldAcrossFaultIn</c>,
/// <c>InRegion</c>); an iterator argument that is not a plain name or member chain, or members the caller
/// cannot read (<c>FaultInArgumentsUnknown</c>); no non-destructive range fault-in of the access's kind
/// returning the bytes not faulted in (<c>NoFaultIn</c>); runtime calls that would not bind (<c>DoesNotBind</c>).
/// </remarks>
internal static class IovIterRetry
{
    internal static FixPlan Plan(FixContext context, EngineFacts facts, InvocationExpressionSyntax access, HelperUserRange range)
    {
        var (root, model, cancellationToken) = (context.Root, context.Model, context.CancellationToken);
        if (access.Parent is not AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } assignment
            || !assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
            || assignment.Parent is not ExpressionStatementSyntax { Parent: BlockSyntax block } accessStatement
            || model.GetSymbolInfo(target, cancellationToken).Symbol is not ILocalSymbol { Type.SpecialType: SpecialType.System_Int64 } result)
        {
            return DeclineReason.AccessNotAStatement;
        }

        int index = block.Statements.IndexOf(accessStatement);
        var taken = new List<LockStep>();
        int first = index;
        while (first > 0)
        {
            if (RetryLoopRewrite.Acquire(facts, block.Statements[first - 1], allowAtomicRegions: false) is { } step)
            {
                taken.Add(step);
                first--;
            }
            else if (first > 1 && ErrnoAcquire(facts, block.Statements[first - 2], block.Statements[first - 1], cancellationToken) is { } errnoStep)
            {
                taken.Add(errnoStep);
                first -= 2;
            }
            else
            {
                break;
            }
        }

        var acquireSite = RetryLoopRewrite.Additional(root, context.Diagnostic, Analyzers.DiagnosticProperties.LockAcquireLocation)?.FirstAncestorOrSelf<StatementSyntax>();
        if (taken.Count == 0)
        {
            return acquireSite is not null && acquireSite.Parent != block ? DeclineReason.LockHeldAcrossFaultIn : DeclineReason.StatementBetween;
        }

        if (acquireSite is not null && (block.Statements.IndexOf(acquireSite) < first || block.Statements.IndexOf(acquireSite) >= index))
        {
            return DeclineReason.StatementBetween;
        }

        // After the access: the user's bookkeeping of the partial progress, then the releases.
        int last = index + 1;
        while (last < block.Statements.Count && ReleaseOf(facts, block.Statements[last]) is null)
        {
            if (!RepeatableAfterAccess(facts, block.Statements[last], result, cancellationToken))
            {
                return DeclineReason.StatementBetween;
            }

            last++;
        }

        var released = new List<LockStep>();
        while (last < block.Statements.Count && ReleaseOf(facts, block.Statements[last]) is { } release)
        {
            released.Add(release);
            last++;
        }

        last--;
        if (released.Count == 0 || !LockStep.SameSet(taken, released))
        {
            return DeclineReason.StatementBetween;
        }

        // The fault-in runs after the loop's own unlock: nothing may still be held or entered there. The
        // loop returns no errno the code did not return already, so no wait of the method changes rule.
        if (CanonicalLoop.WhyNotReleasedAt(facts, block.Statements[first]) is { } reason)
        {
            return reason;
        }

        if (Remaining(model, access, range, cancellationToken) is not var (pointer, count))
        {
            return DeclineReason.FaultInArgumentsUnknown;
        }

        if (SafeFaultIn(facts, range, range.SizePath[0]) is not { } faultIn)
        {
            return DeclineReason.NoFaultIn;
        }

        var disable = RetryLoopRewrite.NofaultBoundaryCall(facts, access, enters: true, range.Access);
        var enable = RetryLoopRewrite.NofaultBoundaryCall(facts, access, enters: false, range.Access);
        var faultInCall = RetryLoopRewrite.CallAt(model, access.SpanStart, faultIn, ArgumentList(SeparatedList(new[] { Argument(pointer), Argument(count) })));
        if (disable is null || enable is null || faultInCall is null)
        {
            return DeclineReason.DoesNotBind;
        }

        var minusEfault = SyntaxSupport.NegativeErrno(model, accessStatement.SpanStart, "EFAULT");
        return FixPlan.Rewrite(() =>
        {
            var acquires = block.Statements.Skip(first).Take(index - first).ToList();
            (var loopLeading, acquires[0]) = CanonicalLoop.SplitBlankLines(acquires[0]);
            var endOfLine = CanonicalLoop.EndOfLineOf(accessStatement);
            var ret = IdentifierName(result.Name);
            var body = new List<StatementSyntax>(acquires)
            {
                ExpressionStatement(disable),
                accessStatement,
                ExpressionStatement(enable),
            };
            body.AddRange(block.Statements.Skip(index + 1).Take(last - index));

            // gfs2's should_fault_in_pages(): nothing left to read, or an error that is not a fault.
            var done = BinaryExpression(
                SyntaxKind.LogicalOrExpression,
                BinaryExpression(SyntaxKind.EqualsExpression, count, Zero()),
                ParenthesizedExpression(BinaryExpression(
                    SyntaxKind.LogicalAndExpression,
                    BinaryExpression(SyntaxKind.LessThanOrEqualExpression, ret, Zero()),
                    BinaryExpression(SyntaxKind.NotEqualsExpression, ret, minusEfault))));
            body.Add(IfStatement(done, BreakStatement()));
            body.Add(IfStatement(BinaryExpression(SyntaxKind.EqualsExpression, faultInCall, count), BreakStatement()));
            var loop = WhileStatement(LiteralExpression(SyntaxKind.TrueLiteralExpression), Block(body));
            return RetryLoopRewrite.Replace(root, block, first, last, loop, null, loopLeading, TriviaList(endOfLine));
        });
    }

    /// <summary>
    /// <c>ret = Acquire(...); if (ret != 0) &lt;return or goto&gt;</c>: a lock held when its call returns
    /// zero (gfs2's <c>gfs2_glock_nq()</c>), its errno kept in a local and the failure leaving at once.
    /// </summary>
    private static LockStep? ErrnoAcquire(EngineFacts facts, StatementSyntax call, StatementSyntax test, CancellationToken cancellationToken)
    {
        var model = facts.Model;
        if (call is not ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax stored, Right: InvocationExpressionSyntax invocation } assignment }
            || !assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
            || LockStep.Of(facts, invocation) is not { IsAcquire: true, When: AcquireWhen.ReturnsZero, Regions.Count: 0 } step
            || test is not IfStatementSyntax { Else: null, Condition: BinaryExpressionSyntax { Left: IdentifierNameSyntax tested, Right: LiteralExpressionSyntax { Token.ValueText: "0" } } condition } check
            || !condition.IsKind(SyntaxKind.NotEqualsExpression)
            || check.Statement is not (ReturnStatementSyntax or GotoStatementSyntax { RawKind: (int)SyntaxKind.GotoStatement })
            || model.GetSymbolInfo(stored, cancellationToken).Symbol is not ILocalSymbol local
            || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(tested, cancellationToken).Symbol, local))
        {
            return null;
        }

        return step;
    }

    /// <summary>A call statement that only releases.</summary>
    private static LockStep? ReleaseOf(EngineFacts facts, StatementSyntax statement) =>
        statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } && LockStep.Of(facts, call) is { IsAcquire: false } release
            ? release
            : null;

    /// <summary>
    /// A statement between the access and the releases, run again on every round: it calls nothing
    /// (so takes nothing and cannot move the iterator), does not jump, and leaves the result as the
    /// access set it (the loop tests it after the unlock).
    /// </summary>
    private static bool RepeatableAfterAccess(EngineFacts facts, StatementSyntax statement, ILocalSymbol result, CancellationToken cancellationToken)
    {
        if (LockStep.AnyIn(facts, statement)
            || statement.DescendantNodesAndSelf().Any(n => n is InvocationExpressionSyntax or ObjectCreationExpressionSyntax
                or ReturnStatementSyntax or GotoStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or ThrowStatementSyntax
                or LabeledStatementSyntax or LocalDeclarationStatementSyntax or AnonymousFunctionExpressionSyntax))
        {
            return false;
        }

        foreach (var node in statement.DescendantNodesAndSelf())
        {
            var written = node switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left,
                PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } prefix => prefix.Operand,
                PostfixUnaryExpressionSyntax postfix => postfix.Operand,
                ArgumentSyntax { RefKindKeyword.RawKind: not (int)SyntaxKind.None } byReference => byReference.Expression,
                _ => null,
            };
            if (written is not null && SymbolEqualityComparer.Default.Equals(facts.Model.GetSymbolInfo(written, cancellationToken).Symbol, result))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// What is left of the iterator the call passes: its pointer and count members read from the
    /// argument (<c>to.Base</c>, <c>to.Count</c>), when the argument is a plain name or member chain and
    /// both members bind there.
    /// </summary>
    private static (ExpressionSyntax Pointer, ExpressionSyntax Count)? Remaining(SemanticModel model, InvocationExpressionSyntax access, HelperUserRange range, CancellationToken cancellationToken)
    {
        if (model.GetOperation(access, cancellationToken) is not IInvocationOperation operation
            || operation.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.OriginalDefinition, range.Pointer.OriginalDefinition))?.Value.Syntax is not ExpressionSyntax iterator
            || !RetryLoopRewrite.IsPlain(iterator)
            || range.PointerPath.Length != 1 || range.SizePath.Length != 1)
        {
            return null;
        }

        var pointer = Member(iterator, range.PointerPath[0]);
        var count = Member(iterator, range.SizePath[0]);
        return Binds(pointer, range.PointerPath[0]) && Binds(count, range.SizePath[0]) ? (pointer, count) : null;

        bool Binds(ExpressionSyntax expression, ISymbol member) =>
            SymbolEqualityComparer.Default.Equals(model.GetSpeculativeSymbolInfo(access.SpanStart, expression, SpeculativeBindingOption.BindAsExpression).Symbol?.OriginalDefinition, member.OriginalDefinition);
    }

    private static MemberAccessExpressionSyntax Member(ExpressionSyntax receiver, ISymbol member) =>
        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver.WithoutTrivia(), IdentifierName(member.Name));

    /// <summary>
    /// The access's type's fault-in of its kind that writes nothing (<c>[FaultsIn(Safe = true)]</c> or a
    /// read fault-in), of a range, returning the bytes not faulted in, whose size parameter has the
    /// count member's type.
    /// </summary>
    private static IMethodSymbol? SafeFaultIn(EngineFacts facts, HelperUserRange range, ISymbol? countMember)
    {
        var kind = facts.AnnotationsOf(range.Access).UserAccessKind;
        var countType = countMember switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };
        if (kind is null || countType is null)
        {
            return null;
        }

        return range.Access.ContainingType.GetMembers().OfType<IMethodSymbol>()
            .Where(candidate => facts.AnnotationsOf(candidate) is { FaultsInSafe: true, FaultsInRange: true, ReturnsBytesNotFaultedIn: true, FaultsInSize: { } size } annotations
                && annotations.FaultsInKind == kind
                && candidate.Parameters.FirstOrDefault(p => p.Name == size) is { } sizeParameter
                && SymbolEqualityComparer.Default.Equals(sizeParameter.Type, countType)
                && SymbolEqualityComparer.Default.Equals(candidate.ReturnType, countType))
            .OrderBy(candidate => candidate.Name.Length)
            .ThenBy(candidate => candidate.Name, System.StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static LiteralExpressionSyntax Zero() => LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0));
}
