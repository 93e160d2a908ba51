using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Text;
using UserAccess.Analyzers.Engine;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// A lock held from a check of a guarded member to the end of the act the check decides, as the
/// kernel's fixes hold it: <c>map_changing_lock</c> from the <c>mmap_changing</c> test to the last
/// filled page (mfill_atomic()), <c>real_tty-&gt;ctrl_lock</c> from the session test to the pgrp update
/// (tiocspgrp(), 54ffccbf053b) or to the <c>pid_vnr()</c> of the session (tiocgsid(), c8bcd9c5be24).
/// </summary>
/// <remarks>
/// The act ends at the last statement of the check's block that touches a member the same lock guards
/// (the engine's identity), or just before the label the check's <c>goto</c> leaves to, whichever is
/// later. The unlock goes after that label when only the held code jumps there (<c>out_unlock:</c>), else
/// after the last statement; every other way out of the held code releases first: <c>retval = X; goto
/// out_unlock;</c> when that label returns a local, else the unlock before the exit. The act's own
/// acquisition of the same lock, or of the same member of another object of the same type around an
/// access the lock guards (the lock tiocspgrp() took on the wrong tty), is dropped: the lock is now held
/// from the check. Under a spinlock nothing may fault or sleep: a statement that does so without
/// needing what the held code computed moves before the lock, with the plain checks of its result
/// that follow it (tiocspgrp()'s <c>get_user()</c> and its range check); in the last statement, the part
/// that reads the guarded members is read into a local under the lock and the access runs after the
/// unlock (tiocgsid()'s <c>put_user(sid, p)</c>).
/// </remarks>
internal sealed class CheckThenActHold
{
    private readonly EngineFacts facts;
    private readonly SemanticModel model;
    private readonly IfStatementSyntax check;
    private readonly BlockSyntax block;
    private readonly LockId guard;
    private readonly bool atomic;
    private readonly List<StatementSyntax> dropped = new();
    private readonly List<StatementSyntax> moved = new();
    private readonly List<StatementSyntax> exits = new();
    private int first;
    private int last;
    private LabeledStatementSyntax? unlockLabel;
    private ExpressionSyntax? hoisted;

    private CheckThenActHold(EngineFacts facts, IfStatementSyntax check, BlockSyntax block, LockId guard, bool atomic)
    {
        this.facts = facts;
        model = facts.Model;
        this.check = check;
        this.block = block;
        this.guard = guard;
        this.atomic = atomic;
    }

    /// <summary>
    /// The plan that holds <paramref name="guard"/> from <paramref name="check"/> to the end of its act:
    /// <paramref name="take"/> before the check, <paramref name="unlock"/> where the act ends and on every
    /// way out. <paramref name="atomic"/>: the lock is a spinlock (nothing may fault or sleep under it).
    /// </summary>
    internal static FixPlan Plan(EngineFacts facts, SyntaxNode root, IfStatementSyntax check, LockId guard, bool shared, bool atomic, StatementSyntax take, ExpressionSyntax unlock)
    {
        if (check.Parent is not BlockSyntax block)
        {
            return DeclineReason.NotAStatementOfABlock;
        }

        var hold = new CheckThenActHold(facts, check, block, guard, atomic);
        return hold.Decide(shared) ?? FixPlan.Rewrite(() => hold.Rewrite(root, take, unlock));
    }

    private SyntaxList<StatementSyntax> Statements => block.Statements;

    private DeclineReason? Decide(bool shared)
    {
        first = Statements.IndexOf(check);
        last = -1;
        for (int i = first + 1; i < Statements.Count; i++)
        {
            if (TouchesGuarded(Statements[i]))
            {
                last = i;
            }
        }

        if (OwnLock(shared) is { } own)
        {
            return own;
        }

        DropWrongLocks();

        // The check leaves to a label after it: what runs before that label is the act (mfill_atomic()'s fill).
        if (Leaving(check) is GotoStatementSyntax { Expression: IdentifierNameSyntax target } && LabelIndex(target.Identifier.ValueText) is int label && label > first)
        {
            last = System.Math.Max(last, label - 1);
        }

        if (last <= first)
        {
            return DeclineReason.CheckThenAct;
        }

        var span = TextSpan.FromBounds(check.SpanStart, Statements[last].Span.End);
        if (!LabelsEnteredOnlyFrom(span))
        {
            return DeclineReason.CannotWrap;
        }

        int next = last + 1;
        while (next < Statements.Count && dropped.Contains(Statements[next]))
        {
            next++;
        }

        if (next < Statements.Count && Statements[next] is LabeledStatementSyntax labeled && GotosTo(labeled.Identifier.ValueText).All(g => span.Contains(g.Span)))
        {
            unlockLabel = labeled;
        }
        else if (Hoist() is { } reason)
        {
            return reason;
        }

        if (atomic && MoveSleepersBeforeTheLock() is { } sleeps)
        {
            return sleeps;
        }

        CollectExits(span);
        return null;
    }

    /// <summary>The statement touches a member this lock guards, or takes or drops the lock itself.</summary>
    private bool TouchesGuarded(StatementSyntax statement) =>
        facts.Analysis.GuardedAccesses.Any(g => g.Guard.Equals(guard) && statement.Span.Contains(g.Reference.Syntax.Span))
        || facts.Analysis.Calls.Any(c => statement.Span.Contains(c.Operation.Syntax.Span)
            && (c.Effects.Acquires.Any(a => a.Id.Equals(guard)) || c.Effects.Releases.Any(r => r.Id.Equals(guard))));

    /// <summary>
    /// The act's own lock and unlock of the same lock, statements of the block, taken always and in a
    /// mode no stronger than the one the fix takes, are dropped (the lock is now taken at the check);
    /// any other use of the lock after the check: <see cref="DeclineReason.AlreadyHeld"/>.
    /// </summary>
    private DeclineReason? OwnLock(bool shared)
    {
        ExpressionStatementSyntax? acquire = null, release = null;
        foreach (var call in facts.Analysis.Calls)
        {
            var effects = call.Effects;
            bool takes = effects.Acquires.Any(a => a.Id.Equals(guard)), drops = effects.Releases.Any(r => r.Id.Equals(guard));
            if ((!takes && !drops) || call.Operation.Syntax.SpanStart < check.Span.End)
            {
                continue;
            }

            if (takes == drops || call.Operation.Syntax.Parent is not ExpressionStatementSyntax statement || statement.Parent != block
                || (takes && (acquire is not null || effects.Acquires.Any(a => a.Id.Equals(guard) && (a.When != AcquireWhen.Always || a.Shared != shared))))
                || (drops && release is not null))
            {
                return DeclineReason.AlreadyHeld;
            }

            if (takes)
            {
                acquire = statement;
            }
            else
            {
                release = statement;
            }
        }

        if (acquire is null && release is null)
        {
            return null;
        }

        if (acquire is null || release is null || release.SpanStart < acquire.SpanStart)
        {
            return DeclineReason.AlreadyHeld;
        }

        dropped.Add(acquire);
        dropped.Add(release);
        last = System.Math.Max(last, Statements.IndexOf(release));
        return null;
    }

    /// <summary>
    /// The same member of another object of the guard's type, locked and unlocked by statements of the
    /// block around an access this lock guards, with nothing in between that the other lock guards or
    /// that requires it: the wrong lock (tiocspgrp() took <c>tty-&gt;ctrl_lock</c> for
    /// <c>real_tty-&gt;pgrp</c>), dropped as the kernel's fix dropped it.
    /// </summary>
    private void DropWrongLocks()
    {
        foreach (var call in facts.Analysis.Calls)
        {
            if (call.Operation.Syntax.SpanStart < check.Span.End || call.Operation.Syntax.Parent is not ExpressionStatementSyntax acquire || acquire.Parent != block
                || call.Effects.Acquires.Length != 1 || !call.Effects.Releases.IsEmpty || Statements.IndexOf(acquire) > last)
            {
                continue;
            }

            var taken = call.Effects.Acquires[0];
            var other = taken.Id;
            if (taken.When != AcquireWhen.Always || !SameMemberOfAnother(other, guard)
                || facts.ReleaseStatementOf(other, taken.Shared, acquire) is not { } release || release.Parent != block || release.SpanStart < acquire.Span.End)
            {
                continue;
            }

            var between = TextSpan.FromBounds(acquire.Span.End, release.SpanStart);
            bool guardsOurs = facts.Analysis.GuardedAccesses.Any(g => between.Contains(g.Reference.Syntax.Span) && g.Guard.Equals(guard));
            bool neededThere = facts.Analysis.GuardedAccesses.Any(g => between.Contains(g.Reference.Syntax.Span) && g.Guard.Equals(other))
                || facts.Analysis.Calls.Any(c => between.Contains(c.Operation.Syntax.Span) && (c.Effects.Requires.Any(r => r.Id.Equals(other)) || c.Effects.Acquires.Any(a => a.Id.Equals(other)) || c.Effects.Releases.Any(r => r.Id.Equals(other))));
            if (guardsOurs && !neededThere)
            {
                dropped.Add(acquire);
                dropped.Add(release);
                last = System.Math.Max(last, Statements.IndexOf(release));
            }
        }
    }

    /// <summary>
    /// The end of the act is its last statement and no label follows: a <c>return</c> that reads the
    /// guarded members, or under a spinlock a statement that also faults or sleeps, reads them into a
    /// local under the lock, and the rest of the statement runs after the unlock.
    /// </summary>
    private DeclineReason? Hoist()
    {
        var end = Statements[last];
        if (dropped.Contains(end) || !facts.Analysis.GuardedAccesses.Any(g => g.Guard.Equals(guard) && end.Span.Contains(g.Reference.Syntax.Span)))
        {
            return null;
        }

        bool sleeps = atomic && SleepingCalls(end).Any();
        if (end is not ReturnStatementSyntax && !sleeps)
        {
            return null;
        }

        var scope = end switch
        {
            ReturnStatementSyntax { Expression: { } value } => value,
            ExpressionStatementSyntax { Expression: { } expression } => expression,
            _ => null,
        };
        if (scope is null)
        {
            return DeclineReason.SleepsUnderSpinlock;
        }

        var reads = facts.Analysis.GuardedAccesses.Where(g => g.Guard.Equals(guard) && scope.Span.Contains(g.Reference.Syntax.Span)).Select(g => g.Reference.Syntax).ToList();
        if (!sleeps)
        {
            hoisted = scope;
            return null;
        }

        // The smallest expression holding every read, grown while what holds it neither faults nor sleeps.
        var candidate = reads[0].AncestorsAndSelf().OfType<ExpressionSyntax>().First(e => reads.All(r => e.Span.Contains(r.Span)));
        while (candidate.Parent?.AncestorsAndSelf().OfType<ExpressionSyntax>().FirstOrDefault() is { } outer && scope.Span.Contains(outer.Span) && !SleepingCalls(outer).Any())
        {
            candidate = outer;
        }

        if (SleepingCalls(candidate).Any() || scope.DescendantNodesAndSelf().Any(n => n.SpanStart < candidate.SpanStart && !n.Span.Contains(candidate.Span) && SyntaxSupport.HasSideEffect(n)))
        {
            return DeclineReason.SleepsUnderSpinlock;
        }

        hoisted = candidate;
        return null;
    }

    /// <summary>
    /// Under a spinlock: each statement of the act that may fault or sleep moves before the lock, with
    /// the plain checks of its result after it, when it touches nothing the lock guards and shares no
    /// variable with the held statements it jumps over.
    /// </summary>
    private DeclineReason? MoveSleepersBeforeTheLock()
    {
        if (SleepingCalls(check).Any())
        {
            return DeclineReason.SleepsUnderSpinlock;
        }

        for (int i = first + 1; i <= last; i++)
        {
            var statement = Statements[i];
            if (dropped.Contains(statement) || moved.Contains(statement) || (i == last && hoisted is not null) || !SleepingCalls(statement).Any())
            {
                continue;
            }

            if (!Movable(statement, i))
            {
                return DeclineReason.SleepsUnderSpinlock;
            }

            moved.Add(statement);
            for (int j = i + 1; j <= last && Statements[j] is IfStatementSyntax { Else: null } guardCheck && IsPlainExitCheck(guardCheck) && Movable(guardCheck, j); j++)
            {
                moved.Add(guardCheck);
            }
        }

        return null;
    }

    /// <summary>
    /// The statement at <paramref name="index"/> can run before the lock: it touches nothing the lock
    /// guards, takes and drops no lock, holds no label or jump inside the block, and shares no variable
    /// with the statements it jumps over (one writes what the other reads or writes).
    /// </summary>
    private bool Movable(StatementSyntax statement, int index)
    {
        if (TouchesGuarded(statement) || LockStep.AnyIn(facts, statement)
            || statement.DescendantNodesAndSelf().Any(n => n is LabeledStatementSyntax or GotoStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or YieldStatementSyntax))
        {
            return false;
        }

        var flow = model.AnalyzeDataFlow(statement);
        if (flow is not { Succeeded: true })
        {
            return false;
        }

        for (int k = first; k < index; k++)
        {
            var over = Statements[k];
            if (moved.Contains(over) || dropped.Contains(over))
            {
                continue;
            }

            if (LockStep.AnyIn(facts, over) || model.AnalyzeDataFlow(over) is not { Succeeded: true } jumped
                || jumped.WrittenInside.Any(s => flow.ReadInside.Contains(s, SymbolEqualityComparer.Default) || flow.WrittenInside.Contains(s, SymbolEqualityComparer.Default))
                || flow.WrittenInside.Any(s => jumped.ReadInside.Contains(s, SymbolEqualityComparer.Default)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>if (pgrp_nr &lt; 0) return -EINVAL;</c>: a test with no call whose branch only returns.</summary>
    private static bool IsPlainExitCheck(IfStatementSyntax test) =>
        (test.Statement is ReturnStatementSyntax || test.Statement is BlockSyntax { Statements: { Count: 1 } only } && only[0] is ReturnStatementSyntax)
        && !test.DescendantNodes().Any(SyntaxSupport.HasSideEffect);

    /// <summary>
    /// Every way out of the held code that does not pass the unlock: returns, throws, and jumps to a
    /// label outside it or to loops and switches around it.
    /// </summary>
    private void CollectExits(TextSpan span)
    {
        for (int i = first; i <= last; i++)
        {
            var statement = Statements[i];
            if (moved.Contains(statement) || dropped.Contains(statement) || (i == last && hoisted is not null))
            {
                continue;
            }

            foreach (var node in statement.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
            {
                switch (node)
                {
                    case ReturnStatementSyntax or ThrowStatementSyntax:
                        exits.Add((StatementSyntax)node);
                        break;
                    case GotoStatementSyntax { RawKind: (int)SyntaxKind.GotoStatement, Expression: IdentifierNameSyntax target } jump:
                        var name = target.Identifier.ValueText;
                        if (unlockLabel?.Identifier.ValueText != name && !LabelsIn(span).Any(l => l.Identifier.ValueText == name))
                        {
                            exits.Add(jump);
                        }

                        break;
                    case BreakStatementSyntax or ContinueStatementSyntax:
                        var loop = node.Ancestors().FirstOrDefault(a => a is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or ForEachStatementSyntax
                            || (node is BreakStatementSyntax && a is SwitchStatementSyntax));
                        if (loop is null || !span.Contains(loop.Span))
                        {
                            exits.Add((StatementSyntax)node);
                        }

                        break;
                }
            }
        }
    }

    /// <summary>The new root: exits released, the unlock where the act ends, the act's own or wrong lock dropped, the movers and the lock before the check.</summary>
    private SyntaxNode Rewrite(SyntaxNode root, StatementSyntax take, ExpressionSyntax unlock)
    {
        var end = Statements[last];
        var tracked = root.TrackNodes(exits.Concat(moved).Concat(dropped).Concat(new SyntaxNode[] { check, end })
            .Concat(unlockLabel is null ? Enumerable.Empty<SyntaxNode>() : new[] { unlockLabel })
            .Concat(hoisted is null ? Enumerable.Empty<SyntaxNode>() : new[] { hoisted }));

        // The ways out: to the unlock label with the result in its local, or through an unlock of their own.
        var result = ReturnedLocal();
        foreach (var exit in exits)
        {
            if (result is not null && exit is ReturnStatementSyntax { Expression: { } value } && model.ClassifyConversion(value, result.Type).IsImplicit)
            {
                var current = tracked.GetCurrentNode(exit)!;
                var assign = ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(result.Name), value.WithoutTrivia()));
                var jump = GotoStatement(SyntaxKind.GotoStatement, IdentifierName(unlockLabel!.Identifier.ValueText));
                tracked = current.Parent is BlockSyntax
                    ? tracked.ReplaceNode(current, new[] { New(assign).WithLeadingTrivia(current.GetLeadingTrivia()), New(jump).WithTrailingTrivia(current.GetTrailingTrivia()) })
                    : tracked.ReplaceNode(current, Block(New(assign), New(jump)).WithLeadingTrivia(current.GetLeadingTrivia()).WithTrailingTrivia(current.GetTrailingTrivia()).WithAdditionalAnnotations(Formatter.Annotation));
            }
            else
            {
                tracked = LockBracket.BeforeEach(tracked, new[] { exit }, ExpressionStatement(unlock.WithoutTrivia()));
            }
        }

        var endOfLine = check.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var lineEnd = endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? TriviaList(endOfLine) : TriviaList(ElasticMarker);
        var release = ExpressionStatement(unlock.WithoutTrivia()).WithLeadingTrivia(ElasticMarker).WithTrailingTrivia(lineEnd).WithAdditionalAnnotations(Formatter.Annotation);

        // Where the act ends: after the label only the held code jumps to, or after its last statement.
        if (unlockLabel is not null)
        {
            var label = tracked.GetCurrentNode(unlockLabel)!;
            var inner = label.Statement;
            var indentation = inner.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
            tracked = tracked.ReplaceNode(label, new StatementSyntax[]
            {
                label.WithStatement(ExpressionStatement(unlock.WithoutTrivia()).WithLeadingTrivia(indentation).WithTrailingTrivia(lineEnd)),
                inner,
            });
        }
        else if (hoisted is not null)
        {
            var current = tracked.GetCurrentNode(end)!;
            var name = SyntaxSupport.FreshLocalName(model, facts.Declaration, end.SpanStart, LocalNameFor(hoisted));
            var read = LocalDeclarationStatement(VariableDeclaration(
                IdentifierName(Identifier(TriviaList(), SyntaxKind.VarKeyword, "var", "var", TriviaList())),
                SingletonSeparatedList(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(hoisted.WithoutTrivia())))));
            var inCurrent = tracked.GetCurrentNode(hoisted)!;
            var rewritten = current.ReplaceNode(inCurrent, IdentifierName(name).WithTriviaFrom(inCurrent));
            tracked = tracked.ReplaceNode(current, new StatementSyntax[]
            {
                read.WithLeadingTrivia(current.GetLeadingTrivia()).WithTrailingTrivia(lineEnd).WithAdditionalAnnotations(Formatter.Annotation),
                release,
                rewritten.WithLeadingTrivia(current.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia))),
            });
        }
        else if (!IsExit(end))
        {
            tracked = tracked.InsertNodesAfter(tracked.GetCurrentNode(end)!, new[] { release });
        }

        // The act's own or wrong lock: the lock is taken at the check now.
        tracked = tracked.RemoveNodes(dropped.Select(d => tracked.GetCurrentNode(d)!), SyntaxRemoveOptions.KeepNoTrivia)!;

        // What may fault or sleep runs before the lock, then the lock, then the check.
        if (moved.Count > 0)
        {
            tracked = tracked.RemoveNodes(moved.Select(m => tracked.GetCurrentNode(m)!), SyntaxRemoveOptions.KeepNoTrivia)!;
        }

        // The check's comments go above the lock, as when a statement is bracketed.
        var start = tracked.GetCurrentNode(check)!;
        var before = new List<StatementSyntax>(moved);
        before.Add(take.WithLeadingTrivia(check.GetLeadingTrivia()).WithTrailingTrivia(lineEnd).WithAdditionalAnnotations(Formatter.Annotation));
        tracked = tracked.InsertNodesBefore(start, before);
        start = tracked.GetCurrentNode(check)!;
        return tracked.ReplaceNode(start, start.WithLeadingTrivia(check.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia))));

        static StatementSyntax New(StatementSyntax line) => line.WithLeadingTrivia(ElasticMarker).WithTrailingTrivia(ElasticMarker).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>The local the unlock label returns (<c>out_unlock: return retval;</c>), when an exit can set it and jump there.</summary>
    private ILocalSymbol? ReturnedLocal() =>
        unlockLabel?.Statement is ReturnStatementSyntax { Expression: IdentifierNameSyntax returned }
            && model.GetSymbolInfo(returned).Symbol is ILocalSymbol { IsConst: false, RefKind: RefKind.None } local
            && model.LookupSymbols(check.SpanStart, name: local.Name) is { Length: 1 } visible && SymbolEqualityComparer.Default.Equals(visible[0], local)
            ? local
            : null;

    private static bool IsExit(StatementSyntax statement) =>
        statement is ReturnStatementSyntax or ThrowStatementSyntax or GotoStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax;

    /// <summary>The statement an <c>if</c> leaves by: the last of its block, or its only statement.</summary>
    private static StatementSyntax Leaving(IfStatementSyntax test) =>
        test.Statement is BlockSyntax { Statements: { Count: > 0 } inner } ? inner.Last() : test.Statement;

    private int? LabelIndex(string name)
    {
        for (int i = 0; i < Statements.Count; i++)
        {
            if (Statements[i] is LabeledStatementSyntax label && label.Identifier.ValueText == name)
            {
                return i;
            }
        }

        return null;
    }

    private IEnumerable<GotoStatementSyntax> GotosTo(string name) =>
        facts.Declaration.DescendantNodes().OfType<GotoStatementSyntax>().Where(g => g.Expression is IdentifierNameSyntax target && target.Identifier.ValueText == name);

    private IEnumerable<LabeledStatementSyntax> LabelsIn(TextSpan span) =>
        block.DescendantNodes().OfType<LabeledStatementSyntax>().Where(l => span.Contains(l.Span));

    /// <summary>No label inside the held code is jumped to from outside it: that path would arrive without the lock.</summary>
    private bool LabelsEnteredOnlyFrom(TextSpan span) =>
        LabelsIn(span).All(l => GotosTo(l.Identifier.ValueText).All(g => span.Contains(g.Span)));

    /// <summary>The calls in <paramref name="node"/> that may sleep, or fault with page faults enabled, as the engine sees them.</summary>
    private IEnumerable<CallSite> SleepingCalls(SyntaxNode node) =>
        facts.Analysis.Calls.Where(c => node.Span.Contains(c.Operation.Syntax.Span)
            && (c.Effects.Sleep == SleepKind.Always || (c.Effects.MayFault && c.Before.Nofault.DefinitelyNot)));

    /// <summary><c>mmapChanging</c> for <c>ctx.MmapChanging</c>, <c>pidVnr</c> for <c>PidVnr(...)</c>: the name of a local that holds what was read under the lock.</summary>
    internal static string LocalNameFor(ExpressionSyntax expression)
    {
        var text = expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } => member.Name.Identifier.ValueText,
            InvocationExpressionSyntax { Expression: IdentifierNameSyntax name } => name.Identifier.ValueText,
            IdentifierNameSyntax name => name.Identifier.ValueText,
            _ => "value",
        };
        text = text.TrimStart('_');
        return text.Length == 0 ? "value" : char.ToLowerInvariant(text[0]) + text.Substring(1);
    }

    /// <summary>
    /// <paramref name="other"/> is the same lock member as <paramref name="guard"/> on another object of
    /// the same type (<c>tty.CtrlLock</c> for <c>realTty.CtrlLock</c>).
    /// </summary>
    internal static bool SameMemberOfAnother(LockId other, LockId guard) =>
        !other.Equals(guard) && other.Path.Length > 0 && LastSegment(other.Path) == LastSegment(guard.Path)
        && SymbolEqualityComparer.Default.Equals(TypeOfRoot(other), TypeOfRoot(guard));

    private static string LastSegment(string path) => path.Substring(path.LastIndexOf('.') + 1);

    private static ITypeSymbol? TypeOfRoot(LockId id) => id.Root switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        ITypeSymbol type => type,
        _ => null,
    };
}
