using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// What is held just before a statement, for fixes that add an early <c>return</c> (which must
/// release it) or add a lock (which must not go inside a region).
/// </summary>
/// <remarks>
/// Deliberately conservative and local: it follows only straight-line acquire/release statements
/// in the enclosing blocks (and the <c>if (XKillable() != 0) return ...;</c> form), and answers
/// "unknown" for anything else (locks taken in a branch, a try/finally, a lambda), in which case
/// the fix is not offered. The release statements are the user's own, found later in the function,
/// so a fix never invents how a lock is released.
/// </remarks>
internal sealed class HeldResources
{
    private HeldResources(List<(LockEffect Effect, StatementSyntax? Release)> held, bool inUsingRegion)
    {
        Held = held;
        InUsingRegion = inUsingRegion;
    }

    /// <summary>Held locks and regions in acquisition order, each with the user's statement releasing it.</summary>
    internal IReadOnlyList<(LockEffect Effect, StatementSyntax? Release)> Held { get; }

    /// <summary>The statement is inside <c>using (NoFault())</c> or another region scope: a return leaves it by itself.</summary>
    internal bool InUsingRegion { get; }

    /// <summary>True when any nofault or atomic region is open at the statement.</summary>
    internal bool InRegion => InUsingRegion || Held.Any(h => h.Effect.IsRegion);

    /// <summary>
    /// The releases an early return at the statement must run, innermost first, or null when one
    /// of the held resources has no release statement to copy.
    /// </summary>
    internal IReadOnlyList<StatementSyntax>? ReleasesForEarlyReturn()
    {
        var result = new List<StatementSyntax>();
        for (int i = Held.Count - 1; i >= 0; i--)
        {
            if (Held[i].Release is not { } release)
            {
                return null;
            }

            // Elastic trivia: the formatter lays the copy out as a statement of its own.
            result.Add(release.WithoutTrivia().WithLeadingTrivia(SyntaxFactory.ElasticMarker).WithTrailingTrivia(SyntaxFactory.ElasticMarker));
        }

        return result;
    }

    /// <summary>
    /// The function's own exit for what is held at <paramref name="target"/>: a label after it in
    /// the function's body block from which the code, read straight through, releases exactly what
    /// is held (the user's releases, with statements that touch no lock or region between them)
    /// and returns an <c>int</c> local (<c>done: PreemptEnable(); return uval;</c>, ARC's cmpxchg).
    /// Setting that local and jumping there is the kernel's <c>goto out</c> error path. Null when
    /// nothing is held or there is no such label: the label must be reached with the same held
    /// resources as its fall-through, nothing from it to the return may leave or write the local.
    /// </summary>
    internal (LabeledStatementSyntax Label, ILocalSymbol Result)? ExitLabel(SemanticModel model, StatementSyntax target, BlockSyntax body, CancellationToken cancellationToken)
    {
        if (Held.Count == 0 || InUsingRegion)
        {
            return null;
        }

        var statements = body.Statements;
        for (int index = 0; index < statements.Count; index++)
        {
            if (statements[index] is not LabeledStatementSyntax label || label.SpanStart < target.Span.End
                || Before(model, label, body, cancellationToken) is not { InUsingRegion: false } atLabel
                || !atLabel.Held.Select(h => h.Effect.KeyText).SequenceEqual(Held.Select(h => h.Effect.KeyText)))
            {
                continue;
            }

            // From the label to the return: releases and lock-free statements only, no other exit.
            var stack = Held.Select(h => (h.Effect, (StatementSyntax)label)).ToList();
            int last = index;
            bool understood = true;
            while (last < statements.Count && statements[last] is not ReturnStatementSyntax && understood)
            {
                var statement = statements[last] is LabeledStatementSyntax labeled ? labeled.Statement : statements[last];
                understood = !statement.DescendantNodesAndSelf().Any(n => n is ReturnStatementSyntax or GotoStatementSyntax or ThrowStatementSyntax or ThrowExpressionSyntax)
                    && Apply(model, statement, stack, cancellationToken);
                last++;
            }

            if (!understood || stack.Count > 0 || last >= statements.Count || last == index
                || statements[last] is not ReturnStatementSyntax { Expression: IdentifierNameSyntax returned }
                || model.GetSymbolInfo(returned, cancellationToken).Symbol is not ILocalSymbol { IsConst: false, RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Int32 } result
                || model.AnalyzeDataFlow(statements[index], statements[last - 1]) is not { Succeeded: true } flow
                || flow.WrittenInside.Contains(result, SymbolEqualityComparer.Default))
            {
                continue;
            }

            // The local is the one its name binds to at the jump (not hidden there).
            var visible = model.LookupSymbols(target.SpanStart, name: result.Name);
            if (visible.Length == 1 && SymbolEqualityComparer.Default.Equals(visible[0], result))
            {
                return (label, result);
            }
        }

        return null;
    }

    /// <summary>Computes what is held before <paramref name="target"/>, or null when it cannot be known locally.</summary>
    internal static HeldResources? Before(SemanticModel model, StatementSyntax target, BlockSyntax body, CancellationToken cancellationToken)
    {
        var prefixes = new List<IEnumerable<StatementSyntax>>();
        bool inUsingRegion = false;
        SyntaxNode node = target;
        while (node != body)
        {
            var parent = node.Parent;
            var child = node;
            switch (parent)
            {
                case BlockSyntax block:
                    prefixes.Add(block.Statements.TakeWhile(s => s != child).ToList());
                    break;
                case SwitchSectionSyntax section:
                    prefixes.Add(section.Statements.TakeWhile(s => s != child).ToList());
                    break;
                case SwitchStatementSyntax:
                case IfStatementSyntax:
                case ElseClauseSyntax:
                case LabeledStatementSyntax:
                case CheckedStatementSyntax:
                case UnsafeStatementSyntax:
                    break;
                case WhileStatementSyntax:
                case DoStatementSyntax:
                case ForStatementSyntax:
                case ForEachStatementSyntax:
                    // A loop body entered again must find the state it started with.
                    if (!IsBalanced(model, (StatementSyntax)node, cancellationToken))
                    {
                        return null;
                    }

                    break;
                case UsingStatementSyntax usingStatement
                    when usingStatement.Expression is InvocationExpressionSyntax scope
                        && LockEffect.Of(model, scope, cancellationToken, out _) is { IsAcquire: true, IsRegion: true }:
                    inUsingRegion = true;
                    break;
                default:
                    return null;
            }

            if (parent is null)
            {
                return null;
            }

            node = parent;
        }

        var stack = new List<(LockEffect Effect, StatementSyntax Acquire)>();
        for (int i = prefixes.Count - 1; i >= 0; i--)
        {
            foreach (var statement in prefixes[i])
            {
                if (!Apply(model, statement, stack, cancellationToken))
                {
                    return null;
                }
            }
        }

        var held = new List<(LockEffect, StatementSyntax?)>();
        foreach (var (effect, _) in stack)
        {
            held.Add((effect, FindRelease(model, body, target, effect, cancellationToken)));
        }

        return new HeldResources(held, inUsingRegion);
    }

    private static bool IsBalanced(SemanticModel model, StatementSyntax loopBody, CancellationToken cancellationToken)
    {
        if (!ContainsLockOperations(model, loopBody, cancellationToken))
        {
            return true;
        }

        if (loopBody is not BlockSyntax block)
        {
            return false;
        }

        var stack = new List<(LockEffect, StatementSyntax)>();
        foreach (var statement in block.Statements)
        {
            // A jump in the middle of the body could leave with something held.
            if (statement.DescendantNodesAndSelf().Any(n => n is BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax) && stack.Count > 0)
            {
                return false;
            }

            if (!Apply(model, statement, stack, cancellationToken))
            {
                return false;
            }
        }

        return stack.Count == 0;
    }

    /// <summary>
    /// True when every iteration of <paramref name="loop"/> starts with nothing taken in the loop
    /// still held: its header touches no lock or region, and its body, read straight through,
    /// releases everything it takes before its end and before any <c>continue</c> or <c>goto</c>
    /// (a <c>break</c> or <c>return</c> with something held leaves the loop and does not come back).
    /// </summary>
    internal static bool IterationStartsEmpty(SemanticModel model, StatementSyntax loop, BlockSyntax loopBody, CancellationToken cancellationToken)
    {
        if (loop.ChildNodes().Any(n => n != loopBody && ContainsLockOperations(model, n, cancellationToken)))
        {
            return false;
        }

        var stack = new List<(LockEffect, StatementSyntax)>();
        foreach (var statement in loopBody.Statements)
        {
            if (stack.Count > 0 && statement.DescendantNodesAndSelf().Any(n => n is ContinueStatementSyntax or GotoStatementSyntax))
            {
                return false;
            }

            if (!Apply(model, statement, stack, cancellationToken))
            {
                return false;
            }
        }

        return stack.Count == 0;
    }

    /// <summary>Applies one statement of the straight-line prefix; false when its effect is not understood.</summary>
    private static bool Apply(SemanticModel model, StatementSyntax statement, List<(LockEffect Effect, StatementSyntax Acquire)> stack, CancellationToken cancellationToken)
    {
        if (statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax invocation })
        {
            var effect = LockEffect.Of(model, invocation, cancellationToken, out var unknown);
            if (unknown || invocation.ArgumentList.Arguments.Any(a => ContainsLockOperations(model, a, cancellationToken)))
            {
                return false;
            }

            if (effect is null)
            {
                return true;
            }

            if (effect.IsAcquire)
            {
                // A conditional acquire whose result is ignored leaves the state unknown.
                if (effect.When != 0)
                {
                    return false;
                }

                stack.Add((effect, statement));
                return true;
            }

            for (int i = stack.Count - 1; i >= 0; i--)
            {
                if (stack[i].Effect.KeyText == effect.KeyText)
                {
                    stack.RemoveAt(i);
                    return true;
                }
            }

            return false;
        }

        // if (XKillable(...) != 0) return ...;  — held after the statement.
        if (statement is IfStatementSyntax { Else: null } ifStatement
            && SyntaxSupport.AlwaysReturns(ifStatement.Statement)
            && ifStatement.Condition is BinaryExpressionSyntax binary
            && binary.IsKind(SyntaxKind.NotEqualsExpression)
            && binary.Left is InvocationExpressionSyntax conditional
            && binary.Right is LiteralExpressionSyntax { Token.ValueText: "0" })
        {
            var effect = LockEffect.Of(model, conditional, cancellationToken, out var unknown);
            if (!unknown && effect is { IsAcquire: true, When: 1 } && !conditional.ArgumentList.Arguments.Any(a => ContainsLockOperations(model, a, cancellationToken)))
            {
                stack.Add((effect, statement));
                return true;
            }
        }

        // if (cond) { ...; return ...; } — the body leaves the function, so whatever it releases
        // on its way out does not change what is held after the statement.
        if (statement is IfStatementSyntax { Else: null } exitingIf
            && SyntaxSupport.AlwaysReturns(exitingIf.Statement)
            && !ContainsLockOperations(model, exitingIf.Condition, cancellationToken))
        {
            return true;
        }

        // Anything else counts only if it touches no lock or region at all, or is a balanced
        // using (NoFault()) { ... } scope.
        if (statement is UsingStatementSyntax { Expression: InvocationExpressionSyntax scope } usingStatement
            && LockEffect.Of(model, scope, cancellationToken, out _) is { IsAcquire: true, IsRegion: true }
            && !ContainsLockOperations(model, usingStatement.Statement, cancellationToken))
        {
            return true;
        }

        return !ContainsLockOperations(model, statement, cancellationToken);
    }

    internal static bool ContainsLockOperations(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        foreach (var invocation in node.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
        {
            if (LockEffect.Of(model, invocation, cancellationToken, out var unknown) is not null || unknown)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The user's first statement after <paramref name="target"/> that releases exactly what <paramref name="acquire"/> took.</summary>
    private static StatementSyntax? FindRelease(SemanticModel model, BlockSyntax body, StatementSyntax target, LockEffect acquire, CancellationToken cancellationToken)
    {
        foreach (var statement in body.DescendantNodes().OfType<ExpressionStatementSyntax>())
        {
            if (statement.SpanStart < target.Span.End || statement.Expression is not InvocationExpressionSyntax invocation)
            {
                continue;
            }

            if (LockEffect.Of(model, invocation, cancellationToken, out _) is { IsAcquire: false } release && release.KeyText == acquire.KeyText)
            {
                return statement;
            }
        }

        return null;
    }
}
