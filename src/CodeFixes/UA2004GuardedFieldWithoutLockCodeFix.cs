using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UserAccess.Analyzers;
using UserAccess.Analyzers.Engine;
using UserAccess.CodeFixes.Support;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes;

/// <summary>
/// UA2004: a <c>[GuardedBy]</c> member read or changed without its lock. The lock is taken in the
/// mode the access needs, around the access: a change or a read that is a whole statement is
/// bracketed (<c>ctx.MapChangingLock.DownWrite(); ...; ctx.MapChangingLock.UpWrite();</c>); a read in
/// an <c>if</c> condition or a <c>return</c> is read into a local under the lock
/// (<c>DownRead(); var mmapChanging = ctx.MmapChanging; UpRead();</c>) and the statement uses the
/// local. In a function that already returns errnos the killable variant is taken
/// (<c>if (DownReadKillable() != 0) return -EINTR;</c>, a plain wait there is UA2001).
/// </summary>
/// <remarks>
/// A read that decides an early exit before code that acts on it (userfaultfd's <c>mmap_changing</c>
/// test before the fill, tiocgsid()'s and tiocspgrp()'s session tests) is not read into a local, which
/// would silence the diagnostic and keep the race: the lock is held from the check to the end of the act
/// (<see cref="CheckThenActHold"/>). The lock functions are found by their annotations:
/// parameterless instance methods of the lock's type, [Acquires("this")]/[Releases("this")] of the
/// needed sharing, acquired always; the killable variant is taken exactly where a plain wait would be a
/// UA2001 (<see cref="EngineFacts.WaitShouldBeKillable"/>). When the same member of another object of
/// the same type is held around the access instead (tiocspgrp() took <c>tty->ctrl_lock</c> for
/// <c>real_tty->pgrp</c>, CVE-2020-29661), its lock and unlock are retargeted to the guarding lock, as
/// the kernel's fix did. Declines with the <see cref="DeclineReason"/> the rule page lists.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA2004GuardedFieldWithoutLockCodeFix)), Shared]
public sealed class UA2004GuardedFieldWithoutLockCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.GuardedFieldWithoutLock);

    /// <inheritdoc/>
    protected override string Title => "Take the guarding lock around the access";

    internal override string EquivalenceKey => EquivalenceKeys.UA2004TakeGuardingLock;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic) = (context.Root, context.Model, context.Diagnostic);
        var properties = diagnostic.Properties;
        if (!properties.TryGetValue(DiagnosticProperties.LockExpression, out var lockText) || string.IsNullOrEmpty(lockText)
            || SyntaxSupport.NodeAt(root, diagnostic.Location) is not ExpressionSyntax access
            || context.Facts(access) is not { } facts || GuardedAccessAt(facts, access) is not { } guarded)
        {
            return DeclineReason.CodeChanged;
        }

        if (properties.ContainsKey(DiagnosticProperties.LockHeld) || guarded.State.FindLock(guarded.Guard) is not null)
        {
            return DeclineReason.AlreadyHeld;
        }

        bool shared = properties.TryGetValue(DiagnosticProperties.LockShared, out var sharedText) && sharedText == "true";
        var statement = access.FirstAncestorOrSelf<StatementSyntax>();
        if (statement is null || !SyntaxSupport.IsInStatementList(statement)
            || access.Ancestors().TakeWhile(a => a != statement).Any(a => a is AnonymousFunctionExpressionSyntax)
            || SyntaxSupport.ContainingFunction(statement) is not var (member, _))
        {
            return DeclineReason.NotAStatementOfABlock;
        }

        var lockExpression = ParseExpression(lockText!);
        if (model.GetSpeculativeTypeInfo(statement.SpanStart, lockExpression, SpeculativeBindingOption.BindAsExpression).Type is not INamedTypeSymbol lockType)
        {
            return DeclineReason.DoesNotBind;
        }

        // tiocspgrp() took tty->ctrl_lock where real_tty->pgrp needs real_tty->ctrl_lock (CVE-2020-29661):
        // the fix locks the right object instead.
        if (WrongLockHeld(facts, guarded, statement) is { } wrong)
        {
            return wrong.Reason is { } reason
                ? reason
                : FixPlan.Rewrite(() => root.ReplaceNodes(wrong.Receivers, (_, rewritten) => lockExpression.WithTriviaFrom(rewritten)));
        }

        if (!guarded.State.Nofault.DefinitelyNot || !guarded.State.Atomic.DefinitelyNot)
        {
            return DeclineReason.InRegion;
        }

        // A read that decides an if or a return is taken into a local under the lock; a whole statement is bracketed.
        ExpressionSyntax? hoisted = statement switch
        {
            IfStatementSyntax conditional when conditional.Condition.Span.Contains(access.Span) => conditional.Condition,
            ReturnStatementSyntax { Expression: { } value } when value.Span.Contains(access.Span) => value,
            _ => null,
        };
        bool bracket = statement is ExpressionStatementSyntax or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 };
        if (!bracket && (hoisted is null || !shared))
        {
            return DeclineReason.NotBracketable;
        }

        // A check that decides an exit before an act holds the lock from the check to the end of the act.
        bool checkThenAct = statement is IfStatementSyntax check && hoisted == check.Condition && LeavesAndActsAfter(check);
        if (!checkThenAct && hoisted is not null && EvaluatedBefore(hoisted, access))
        {
            return DeclineReason.EvaluatedBefore;
        }

        // A mutex or spinlock has no read mode: a read holds it like a write.
        var (acquire, release) = LockFunctions(facts, lockType, shared);
        if (shared && (acquire is null || release is null))
        {
            (acquire, release) = LockFunctions(facts, lockType, false);
        }

        if (acquire is null || release is null)
        {
            return DeclineReason.NoLockFunction;
        }

        StatementSyntax take;
        if (facts.WaitShouldBeKillable(guarded.Guard, facts.AnnotationsOf(acquire).Acquires.FirstOrDefault().Shared) && facts.KillableVariantOf(acquire) is { } killable)
        {
            if (facts.ReleasesForEarlyReturn(statement, out var releases) is { } held)
            {
                return held;
            }

            take = CallSupport.IfFailedReturn(Call(lockExpression, killable.Name), GuardInsertion.OutParameterDefaults(model, statement).Concat(releases).ToList(), SyntaxSupport.NegativeErrno(model, statement.SpanStart, "EINTR"));
        }
        else
        {
            take = ExpressionStatement(Call(lockExpression, acquire.Name));
        }

        var unlock = Call(lockExpression, release.Name);
        if (checkThenAct)
        {
            var taken = facts.AnnotationsOf(acquire);
            return CheckThenActHold.Plan(facts, root, (IfStatementSyntax)statement, guarded.Guard, taken.Acquires.FirstOrDefault().Shared, taken.Enters.Contains(RegionKind.Atomic), take, unlock);
        }

        if (bracket)
        {
            return FixPlan.Rewrite(() => LockBracket.Replace(root, statement, take, unlock, new[] { statement }));
        }

        return FixPlan.Rewrite(() =>
        {
            var name = SyntaxSupport.FreshLocalName(model, member, statement.SpanStart, CheckThenActHold.LocalNameFor(access));
            var read = LocalDeclarationStatement(VariableDeclaration(
                IdentifierName(Identifier(TriviaList(), SyntaxKind.VarKeyword, "var", "var", TriviaList())),
                SingletonSeparatedList(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(access.WithoutTrivia())))));
            var rewritten = statement.ReplaceNode(access, IdentifierName(name).WithTriviaFrom(access));
            return LockBracket.Replace(root, statement, take, unlock, new[] { read }, rewritten);
        });
    }

    /// <summary>
    /// True when the <c>if</c> leaves on what the read found (no <c>else</c>; its branch ends in a
    /// return, goto, break, continue or throw) and a statement after it in the same block calls or
    /// assigns: the userfaultfd <c>mmap_changing</c> check before the fill, tiocspgrp()'s session check.
    /// </summary>
    private static bool LeavesAndActsAfter(IfStatementSyntax check)
    {
        var branch = check.Statement is BlockSyntax { Statements: { Count: > 0 } inner } ? inner.Last() : check.Statement;
        if (check.Else is not null || branch is not (ReturnStatementSyntax or GotoStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or ThrowStatementSyntax)
            || check.Parent is not BlockSyntax block)
        {
            return false;
        }

        return block.Statements.Skip(block.Statements.IndexOf(check) + 1).Any(after => after.DescendantNodesAndSelf().Any(node =>
            node is InvocationExpressionSyntax or AssignmentExpressionSyntax
                || node is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression }
                || node is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression }));
    }

    /// <summary>The engine's record of the reported access: its guard, resolved against the access's receiver, and the state before it.</summary>
    private static GuardedAccess? GuardedAccessAt(EngineFacts facts, ExpressionSyntax access)
    {
        foreach (var guarded in facts.Analysis.GuardedAccesses)
        {
            if (guarded.Reference.Syntax == access)
            {
                return guarded;
            }
        }

        return null;
    }

    /// <summary>
    /// A lock of the same member of another object held around the access (<c>tty.CtrlLock</c> where
    /// <c>realTty.CtrlLock</c> guards it): the receivers of its acquire and release statements, when
    /// both stand in the access's statement list and nothing between them needs the held lock; a
    /// reason when such a lock is held but cannot be swapped; null when no such lock is held.
    /// </summary>
    private static (DeclineReason? Reason, List<ExpressionSyntax> Receivers)? WrongLockHeld(EngineFacts facts, GuardedAccess guarded, StatementSyntax statement)
    {
        var guard = guarded.Guard;
        HeldLock? sibling = null;
        foreach (var held in guarded.State.Locks)
        {
            if (CheckThenActHold.SameMemberOfAnother(held.Id, guard))
            {
                sibling = held;
            }
        }

        if (sibling is not { } wrong)
        {
            return null;
        }

        var acquire = wrong.Site?.Syntax as InvocationExpressionSyntax;
        var release = facts.ReleaseStatementOf(wrong.Id, wrong.Shared, statement)?.Expression as InvocationExpressionSyntax;
        if (!wrong.Definite || acquire?.Parent is not ExpressionStatementSyntax acquireStatement || release is null
            || acquireStatement.Parent != statement.Parent || release.Parent!.Parent != statement.Parent
            || acquire.Expression is not MemberAccessExpressionSyntax { Expression: { } acquireReceiver }
            || release.Expression is not MemberAccessExpressionSyntax { Expression: { } releaseReceiver }
            || acquireReceiver.ToString() != wrong.Id.Display || releaseReceiver.ToString() != wrong.Id.Display)
        {
            return (DeclineReason.WrongLockNeeded, new List<ExpressionSyntax>());
        }

        // Between the two, nothing may need the lock that was held: no access it guards, no call that requires it.
        var span = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(acquire.SpanStart, release.Span.End);
        bool needed = facts.Analysis.GuardedAccesses.Any(g => span.Contains(g.Reference.Syntax.Span) && g.Guard.Equals(wrong.Id))
            || facts.Analysis.Calls.Any(c => span.Contains(c.Operation.Syntax.Span) && (c.Effects.Requires.Any(r => r.Id.Equals(wrong.Id)) || (c.Effects.Acquires.Any(a => a.Id.Equals(guard)))));
        return needed
            ? (DeclineReason.WrongLockNeeded, new List<ExpressionSyntax>())
            : (null, new List<ExpressionSyntax> { acquireReceiver, releaseReceiver });
    }

    private static InvocationExpressionSyntax Call(ExpressionSyntax lockExpression, string method) =>
        InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, lockExpression.WithoutTrivia(), IdentifierName(method)));

    /// <summary>A call, assignment or increment in <paramref name="scope"/> before the access: reading it earlier would move the read across it.</summary>
    private static bool EvaluatedBefore(ExpressionSyntax scope, ExpressionSyntax access) =>
        scope.DescendantNodesAndSelf().Any(n => n.SpanStart < access.SpanStart && !n.Span.Contains(access.Span) && SyntaxSupport.HasSideEffect(n));

    /// <summary>The lock's own acquire and release of the needed sharing: parameterless instance methods annotated on "this".</summary>
    private static (IMethodSymbol? Acquire, IMethodSymbol? Release) LockFunctions(EngineFacts facts, INamedTypeSymbol type, bool shared) =>
        LockBracket.Functions(facts, type.GetMembers().OfType<IMethodSymbol>().Where(c => !c.IsStatic && c.Parameters.Length == 0), _ => ("this", string.Empty), shared);
}
