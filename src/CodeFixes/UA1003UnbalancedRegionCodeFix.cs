using System.Collections.Generic;
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
using UserAccess.Analyzers.Engine;
using UserAccess.CodeFixes.Support;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes;

/// <summary>
/// UA1003: a region or lock not left on every path. When the enter/acquire statement and its
/// release are statements of the same block, the statements between them are wrapped so that every
/// way out runs the release: <c>using (NoFault()) { ... }</c> for a <c>PagefaultDisable()</c> ...
/// <c>PagefaultEnable()</c> region, <c>try { ... } finally { release }</c> for anything else.
/// Locals declared in between and used after it are declared before the wrapper (with their
/// initializer left in place as an assignment).
/// </summary>
/// <remarks>
/// When the engine finds the lock held at early <c>return</c>s after the acquire (tty_open() returned
/// an error holding tty_mutex), the user's own release is copied before each of them instead, as the
/// kernel's fix did; when a <c>[RequiresLock]</c> method drops its lock and a return before it takes
/// it again leaves without it (ff400_copy_msg_to_user()), the user's own acquire is copied before
/// that return. What is held where is the engine's state. Declines with the
/// <see cref="DeclineReason"/> the rule page lists.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA1003UnbalancedRegionCodeFix)), Shared]
public sealed class UA1003UnbalancedRegionCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnbalancedRegion);

    /// <inheritdoc/>
    protected override string Title => "Release on every path (try/finally or the using scope)";

    internal override string EquivalenceKey => EquivalenceKeys.UA1003ReleaseOnEveryPath;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);

        // A [Releases] contract broken at a return.
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is ReturnStatementSyntax contractExit)
        {
            return ReleaseBeforeContractExit(root, context, contractExit);
        }

        var invocation = SyntaxSupport.NodeAt(root, diagnostic.Location) is { } node
            ? SyntaxSupport.InvocationsAround(node).FirstOrDefault(i => i.Span.IntersectsWith(diagnostic.Location.SourceSpan) && context.Facts(i)?.CallAt(i) is not null)
            : null;
        if (invocation is null || context.Facts(invocation) is not { } facts || facts.CallAt(invocation) is not { } call)
        {
            return DeclineReason.CodeChanged;
        }

        var acquired = Acquired(call.Effects);
        if (acquired.Count == 0)
        {
            // A release the method's contract retakes (__must_hold): the exits between it and the
            // next acquire that leave without the lock take it again first.
            return call.Effects.Releases.Length == 1 && facts.Analysis.Contract.Names(call.Effects.Releases[0].Id)
                ? RetakeBeforeExits(root, facts, invocation, call.Effects.Releases[0])
                : DeclineReason.NoReleaseInBlock;
        }

        var statement = invocation.FirstAncestorOrSelf<StatementSyntax>();
        var when = call.Effects.Acquires.IsEmpty ? AcquireWhen.Always : call.Effects.Acquires[0].When;
        bool plain = when == AcquireWhen.Always && statement is ExpressionStatementSyntax es && es.Expression == invocation;
        bool killable = when == AcquireWhen.ReturnsZero && statement is IfStatementSyntax { Else: null } ifStatement
            && SyntaxSupport.AlwaysReturns(ifStatement.Statement)
            && ifStatement.Condition is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.NotEqualsExpression) && binary.Left == invocation
            && binary.Right is LiteralExpressionSyntax { Token.ValueText: "0" };
        if (!(plain || killable) || statement!.Parent is not BlockSyntax block)
        {
            return DeclineReason.NotAStatementOfABlock;
        }

        // tty_open() returned an error with tty_mutex held: the kernel's fix releases it on that path.
        // A value computed under the lock (a call, a field) is returned from inside the try instead.
        if (LeakingReturns(facts, statement, call) is { Count: > 0 } leaks
            && leaks.All(r => r.Expression is not { } value || IsPlainValue(model, value, cancellationToken)))
        {
            return ReleaseBeforeExits(root, facts, statement, call, leaks);
        }

        int start = block.Statements.IndexOf(statement);
        int end = -1;
        for (int i = start + 1; i < block.Statements.Count; i++)
        {
            if (block.Statements[i] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax candidate }
                && facts.CallAt(candidate) is { } release && Released(release.Effects).SetEquals(acquired))
            {
                end = i;
                break;
            }
        }

        if (end < 0)
        {
            return DeclineReason.NoReleaseInBlock;
        }

        var between = block.Statements.Skip(start + 1).Take(end - start - 1).ToList();
        var releaseStatement = block.Statements[end];
        if (between.Count == 0 || !CanWrap(facts, between, acquired))
        {
            return DeclineReason.CannotWrap;
        }

        // Locals declared in between and used after the release must outlive the wrapper.
        var after = block.Statements.Skip(end + 1).ToList();
        var hoisted = new List<StatementSyntax>();
        var body = new List<StatementSyntax>();
        foreach (var inner in between)
        {
            if (inner is LocalDeclarationStatementSyntax declaration
                && declaration.Declaration.Variables.Any(v => after.Any(a => a.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == v.Identifier.ValueText))))
            {
                var split = Hoist(model, declaration, cancellationToken);
                if (split is null)
                {
                    return DeclineReason.CannotWrap;
                }

                hoisted.Add(split.Value.Declaration);
                body.AddRange(split.Value.Assignments);
                continue;
            }

            body.Add(inner);
        }

        var noFault = plain && call.Effects.Acquires.IsEmpty && call.Effects.Enters.SequenceEqual(new[] { RegionKind.Nofault })
            ? NoFaultScope(facts, model, invocation, cancellationToken)
            : null;
        if (noFault is not null)
        {
            return FixPlan.Rewrite(() =>
            {
                // PagefaultDisable(); ... PagefaultEnable();  →  using (NoFault()) { ... }
                // Comments above the release stay at the end of the scope.
                var closeBrace = Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(releaseStatement.GetLeadingTrivia().Where(t => !t.IsKind(SyntaxKind.WhitespaceTrivia)));
                var scope = UsingStatement(null, noFault, Block(body).WithCloseBraceToken(closeBrace))
                    .WithLeadingTrivia(statement.GetLeadingTrivia())
                    .WithTrailingTrivia(releaseStatement.GetTrailingTrivia());
                return ReplaceRange(root, block, start, end, new List<StatementSyntax>(hoisted) { scope });
            });
        }

        return FixPlan.Rewrite(() =>
        {
            var wrapper = TryStatement(Block(body), default, FinallyClause(Block(releaseStatement)))
                .WithLeadingTrivia(ElasticMarker);
            return ReplaceRange(root, block, start, end, new List<StatementSyntax>(hoisted) { statement, wrapper });
        });
    }

    /// <summary>What a call takes: its locks and the regions it enters.</summary>
    private static HashSet<object> Acquired(CallEffects effects) =>
        new(effects.Acquires.Select(a => (object)a.Id).Concat(effects.Enters.Select(r => (object)r)));

    /// <summary>What a call gives back: its releases and the regions it leaves.</summary>
    private static HashSet<object> Released(CallEffects effects) =>
        new(effects.Releases.Select(a => (object)a.Id).Concat(effects.Exits.Select(r => (object)r)));

    /// <summary>
    /// The <c>return</c> statements after the acquire where the engine finds its lock still held on
    /// every path. Empty when there are none (the leak is elsewhere: a fall-through, a region) or
    /// one holds it on some paths only.
    /// </summary>
    private static List<ReturnStatementSyntax> LeakingReturns(EngineFacts facts, StatementSyntax acquire, CallSite call)
    {
        var leaks = new List<ReturnStatementSyntax>();
        // A spinlock's Lock() enters the atomic region with the lock; its Unlock() leaves both.
        if (call.Effects.Acquires.Length != 1
            || !(call.Effects.Enters.IsEmpty || (call.Effects.Acquires[0].Id.AtomicWhileHeld && call.Effects.Enters.SequenceEqual(new[] { RegionKind.Atomic }))))
        {
            return leaks;
        }

        var id = call.Effects.Acquires[0].Id;
        foreach (var statement in facts.Declaration.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax).OfType<ReturnStatementSyntax>())
        {
            if (statement.SpanStart < acquire.Span.End || facts.StateBefore(statement)?.FindLock(id) is not { } held)
            {
                continue;
            }

            if (!held.Definite)
            {
                return new List<ReturnStatementSyntax>();
            }

            leaks.Add(statement);
        }

        return leaks;
    }

    /// <summary>The user's own release copied before each leaking return (<c>if (tty &lt; 0) { ttyMutex.Unlock(); return tty; }</c>).</summary>
    private static FixPlan ReleaseBeforeExits(SyntaxNode root, EngineFacts facts, StatementSyntax acquire, CallSite call, List<ReturnStatementSyntax> leaks)
    {
        var lockUse = call.Effects.Acquires[0];
        if (facts.ReleaseStatementOf(lockUse.Id, lockUse.Shared, acquire) is not { } release)
        {
            return DeclineReason.NoReleaseToCopy;
        }

        return FixPlan.Rewrite(() => LockBracket.BeforeEach(root.TrackNodes(leaks), leaks, release));
    }

    /// <summary>
    /// A return of a <c>[Releases]</c> method that holds the promised lock on every path to it
    /// (__ffs_ep0_queue_wait()'s NULL-request return before its v6.2 fix, with ffs-&gt;ev.waitq.lock held): the
    /// user's own release of it is copied before the return, as the kernel's fix did. A return that holds it
    /// on some paths only (loop_get_status_old()'s shared exit) declines: the release belongs in the branch
    /// that skipped it (<see cref="DeclineReason.ReleaseSkippedOnAPath"/>).
    /// </summary>
    private static FixPlan ReleaseBeforeContractExit(SyntaxNode root, FixContext context, ReturnStatementSyntax exit)
    {
        if (context.Facts(exit) is not { } facts || facts.StateBefore(exit) is not { } state)
        {
            return DeclineReason.NotAnalysed;
        }

        ExpressionStatementSyntax? release = null;
        foreach (var promised in facts.Analysis.Contract.MustReleaseByExit())
        {
            if (state.FindLock(promised) is not { } held)
            {
                continue;
            }

            if (!held.Definite || release is not null)
            {
                return DeclineReason.ReleaseSkippedOnAPath;
            }

            release = facts.ReleaseStatementOf(held.Id, held.Shared, exit);
            if (release is null)
            {
                return DeclineReason.NoReleaseToCopy;
            }
        }

        if (release is null)
        {
            return DeclineReason.ReleaseSkippedOnAPath;
        }

        if (exit.Expression is { } value && !facts.Model.GetConstantValue(value).HasValue)
        {
            return DeclineReason.ExitNotReleasable;
        }

        var exits = new[] { exit };
        return FixPlan.Rewrite(() => LockBracket.BeforeEach(root.TrackNodes(exits), exits, release));
    }

    /// <summary>
    /// A <c>[RequiresLock]</c> method that drops its lock around a copy and returns on failure without
    /// taking it again (ff400_copy_msg_to_user()): the user's own acquire is copied before each return
    /// between the release and the next acquire in its statement list, where the lock is not held.
    /// </summary>
    private static FixPlan RetakeBeforeExits(SyntaxNode root, EngineFacts facts, InvocationExpressionSyntax releaseCall, LockUse released)
    {
        if (releaseCall.Parent is not ExpressionStatementSyntax releaseStatement || releaseStatement.Parent is not BlockSyntax block)
        {
            return DeclineReason.NotAStatementOfABlock;
        }

        int index = block.Statements.IndexOf(releaseStatement);
        ExpressionStatementSyntax? retake = null;
        for (int i = index + 1; i < block.Statements.Count && retake is null; i++)
        {
            if (block.Statements[i] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax candidate } statement
                && facts.CallAt(candidate) is { } call && call.Effects.Acquires.Any(a => a.Id.Equals(released.Id) && a.When == AcquireWhen.Always))
            {
                retake = statement;
            }
        }

        if (retake is null)
        {
            return DeclineReason.NoReleaseInBlock;
        }

        var exits = new List<ReturnStatementSyntax>();
        foreach (var statement in block.Statements.Skip(index + 1).TakeWhile(s => s != retake))
        {
            foreach (var exit in statement.DescendantNodesAndSelf(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax).OfType<ReturnStatementSyntax>())
            {
                if (facts.StateBefore(exit) is not { } state || state.FindLock(released.Id) is not null)
                {
                    return DeclineReason.HeldUnknown;
                }

                exits.Add(exit);
            }
        }

        if (exits.Count == 0 || exits.Any(e => e.Expression is { } value && !facts.Model.GetConstantValue(value).HasValue))
        {
            return exits.Count == 0 ? DeclineReason.NoReleaseInBlock : DeclineReason.ExitNotReleasable;
        }

        return FixPlan.Rewrite(() => LockBracket.BeforeEach(root.TrackNodes(exits), exits, retake));
    }

    /// <summary>A constant or a value-type local or parameter: returning it after the release returns the same value.</summary>
    private static bool IsPlainValue(SemanticModel model, ExpressionSyntax value, CancellationToken cancellationToken) =>
        model.GetConstantValue(value, cancellationToken).HasValue
        || (value is IdentifierNameSyntax && model.GetSymbolInfo(value, cancellationToken).Symbol is ILocalSymbol { Type.IsValueType: true } or IParameterSymbol { Type.IsValueType: true });

    private static SyntaxNode ReplaceRange(SyntaxNode root, BlockSyntax block, int start, int end, List<StatementSyntax> replacement)
    {
        var list = block.Statements.Take(start)
            .Concat(replacement.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)))
            .Concat(block.Statements.Skip(end + 1));
        return root.ReplaceNode(block, block.WithStatements(List(list)));
    }

    private static bool CanWrap(EngineFacts facts, List<StatementSyntax> between, HashSet<object> acquired)
    {
        foreach (var inner in between)
        {
            if (inner is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } or LocalFunctionStatementSyntax)
            {
                return false;
            }

            // out var / pattern variables would be scoped to the new block; only declaration
            // statements are hoisted, so decline rather than break a later use.
            if (inner.DescendantNodes().OfType<SingleVariableDesignationSyntax>().Any())
            {
                return false;
            }

            foreach (var descendant in inner.DescendantNodesAndSelf(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
            {
                if (descendant is GotoStatementSyntax or YieldStatementSyntax or LabeledStatementSyntax)
                {
                    return false;
                }

                // A release before an early return would run twice with the finally; a second acquire deadlocks.
                if (descendant is InvocationExpressionSyntax call && facts.CallAt(call) is { } site
                    && (Acquired(site.Effects).Overlaps(acquired) || Released(site.Effects).Overlaps(acquired)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary><c>T x = e;</c> → (<c>T x;</c>, <c>x = e;</c>), or null when it cannot be split.</summary>
    private static (StatementSyntax Declaration, List<StatementSyntax> Assignments)? Hoist(SemanticModel model, LocalDeclarationStatementSyntax declaration, CancellationToken cancellationToken)
    {
        if (declaration.IsConst || declaration.Modifiers.Any())
        {
            return null;
        }

        var type = declaration.Declaration.Type;
        if (type.IsVar)
        {
            var first = declaration.Declaration.Variables.First();
            if (model.GetDeclaredSymbol(first, cancellationToken) is not ILocalSymbol local || local.Type.IsAnonymousType || local.Type.TypeKind == TypeKind.Error)
            {
                return null;
            }

            type = ParseTypeName(local.Type.ToMinimalDisplayString(model, declaration.SpanStart)).WithTriviaFrom(type);
        }

        var assignments = new List<StatementSyntax>();
        foreach (var variable in declaration.Declaration.Variables)
        {
            if (variable.Initializer is { } initializer)
            {
                if (initializer.Value is InitializerExpressionSyntax or StackAllocArrayCreationExpressionSyntax)
                {
                    return null;
                }

                assignments.Add(ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(variable.Identifier.WithoutTrivia()), initializer.Value.WithoutTrivia())));
            }
        }

        if (assignments.Count > 0)
        {
            assignments[0] = assignments[0].WithLeadingTrivia(declaration.GetLeadingTrivia());
            assignments[assignments.Count - 1] = assignments[assignments.Count - 1].WithTrailingTrivia(declaration.GetTrailingTrivia());
        }

        var hoisted = LocalDeclarationStatement(VariableDeclaration(type.WithoutTrivia(), SeparatedList(declaration.Declaration.Variables.Select(v => VariableDeclarator(v.Identifier.WithoutTrivia())))));
        return (hoisted, assignments);
    }

    /// <summary>
    /// <c>NoFault()</c> spelled like the <c>PagefaultDisable()</c> call: a parameterless static method of
    /// the same type that enters the nofault region and returns a disposable whose Dispose leaves it.
    /// </summary>
    private static ExpressionSyntax? NoFaultScope(EngineFacts facts, SemanticModel model, InvocationExpressionSyntax disable, CancellationToken cancellationToken)
    {
        if (SyntaxSupport.Method(model, disable, cancellationToken) is not { } method)
        {
            return null;
        }

        foreach (var candidate in method.ContainingType.GetMembers().OfType<IMethodSymbol>())
        {
            if (candidate.Parameters.Length != 0 || candidate.ReturnsVoid || !candidate.IsStatic
                || !facts.AnnotationsOf(candidate).Enters.SequenceEqual(new[] { RegionKind.Nofault }))
            {
                continue;
            }

            var dispose = candidate.ReturnType.GetMembers("Dispose").OfType<IMethodSymbol>().FirstOrDefault(d => d.Parameters.Length == 0);
            if (dispose is null || !facts.AnnotationsOf(dispose).Exits.SequenceEqual(new[] { RegionKind.Nofault }))
            {
                continue;
            }

            return CallSupport.SiblingCall(model, disable, candidate.Name, ArgumentList(), candidate);
        }

        return null;
    }
}
