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
/// UA2003: a call that requires a lock it is not called with (<c>FixupUserFault(mm, ...)</c> needs
/// <c>mm.MmapLock</c> for read). The lock of the same owner, named by the call's own argument, is
/// taken before the statement and released after it: <c>MmapReadLock(mm); ...; MmapReadUnlock(mm);</c>,
/// or, where a plain wait would be a UA2001 (the mmap lock of another task's mm, in an errno-returning
/// method), <c>if (MmapReadLockKillable(mm) != 0) return -EINTR;</c>
/// releasing what is held on that early return. A result that points into what the lock protects
/// (a reference, as <c>find_vma()</c>'s VMA) is only valid under it, so the lock is held over the
/// statements of the same list that use it, as the kernel's "call find_vma with the mmap_sem held"
/// fixes do, and a <c>return</c> or <c>goto</c> that leaves them releases it first.
/// </summary>
/// <remarks>
/// The lock functions are found by the engine's reading of their annotations: the static methods in
/// scope (the callee's type first) with one parameter of the owner's type whose <c>[Acquires]</c>/<c>[Releases]</c>
/// name the same member path and sharing, acquired always, else the lock's own parameterless methods
/// (<c>mm.MmapLock.DownRead()</c>). Declines with the <see cref="DeclineReason"/> the rule page lists.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA2003RequiredLockNotHeldCodeFix)), Shared]
public sealed class UA2003RequiredLockNotHeldCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.RequiredLockNotHeld);

    /// <inheritdoc/>
    protected override string Title => "Take the required lock around the call";

    internal override string EquivalenceKey => EquivalenceKeys.UA2003TakeRequiredLock;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        var invocation = SyntaxSupport.NodeAt(root, diagnostic.Location) is { } node
            ? SyntaxSupport.InvocationsAround(node).FirstOrDefault(i => i.Span.IntersectsWith(diagnostic.Location.SourceSpan) && context.Facts(i)?.CallAt(i) is { Effects.Requires.IsEmpty: false })
            : null;
        if (invocation is null || context.Facts(invocation) is not { } facts || facts.CallAt(invocation) is not { } call)
        {
            return DeclineReason.CodeChanged;
        }

        // The requirement the diagnostic names: not held on every path in the needed mode.
        var required = call.Effects.Requires.FirstOrDefault(r => call.Before.FindLock(r.Id) is not { Definite: true } h || (!r.Shared && h.Shared));
        if (required.Id is null)
        {
            return DeclineReason.CodeChanged;
        }

        if (call.Before.FindLock(required.Id) is not null)
        {
            return DeclineReason.AlreadyHeld;
        }

        if (!call.Before.Nofault.DefinitelyNot || !call.Before.Atomic.DefinitelyNot)
        {
            return DeclineReason.InRegion;
        }

        var statement = invocation.FirstAncestorOrSelf<StatementSyntax>();
        bool bracketable = statement switch
        {
            ExpressionStatementSyntax or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 } => true,
            IfStatementSyntax conditional => conditional.Condition.Span.Contains(invocation.Span),
            _ => false,
        };
        if (statement is null || !bracketable)
        {
            return DeclineReason.NotBracketable;
        }

        if (!SyntaxSupport.IsInStatementList(statement))
        {
            return DeclineReason.NotAStatementOfABlock;
        }

        // The engine reports a lock not held only when the call names its owner (a name or a chain of
        // member accesses); an owner it cannot name again means the document is not what was analysed.
        if (Owner(facts, call.Effects, required) is not var (owner, reference))
        {
            return DeclineReason.CodeChanged;
        }

        // The statements that need the lock: the call's, and those that use a reference it returned.
        var statements = StatementsOf(statement.Parent!);
        int first = statements.IndexOf(statement);
        if (LastUse(model, statements, first, cancellationToken) is not { } last)
        {
            return DeclineReason.ResultUsedLater;
        }

        var run = statements.Skip(first).Take(last - first + 1).ToList();
        if (Exits(model, run, cancellationToken) is not { } exits)
        {
            return DeclineReason.CannotWrap;
        }

        if (WhyNotUnder(facts, run, required.Id, call) is { } underLock)
        {
            return underLock;
        }

        if (LockCalls(facts, model, invocation, statement, owner, reference) is not var (acquire, release, lockTarget))
        {
            return DeclineReason.NoLockFunction;
        }

        StatementSyntax take;
        var arguments = lockTarget is null ? ArgumentList(SingletonSeparatedList(Argument(owner.WithoutTrivia()))) : ArgumentList();
        var unlock = InvocationExpression(Target(lockTarget, release.Name), arguments);
        if (facts.WaitShouldBeKillable(required.Id, reference.Shared) && facts.KillableVariantOf(acquire) is { } killable)
        {
            if (facts.ReleasesForEarlyReturn(statement, out var releases) is { } held)
            {
                return held;
            }

            var exit = GuardInsertion.OutParameterDefaults(model, statement).Concat(releases).ToList();
            take = CallSupport.IfFailedReturn(InvocationExpression(Target(lockTarget, killable.Name), arguments), exit, SyntaxSupport.NegativeErrno(model, statement.SpanStart, "EINTR"));
        }
        else
        {
            take = ExpressionStatement(InvocationExpression(Target(lockTarget, acquire.Name), arguments));
        }

        if (!Binds(model, statement.SpanStart, take) || !Binds(model, statement.SpanStart, ExpressionStatement(unlock)))
        {
            return DeclineReason.DoesNotBind;
        }

        var lastStatement = statements[last];
        return FixPlan.Rewrite(() => LockBracket.Around(root, statement, lastStatement, take, unlock, exits));
    }

    /// <summary>The owner of the required lock as the call names it (<c>task.Mm</c> for <c>mm.MmapLock</c>) and the lock's path below it, or null when it is not a plain name.</summary>
    private static (ExpressionSyntax Owner, LockRef Reference)? Owner(EngineFacts facts, CallEffects call, LockUse required)
    {
        foreach (var reference in facts.AnnotationsOf(call.Method).Requires)
        {
            if (reference.Shared != required.Shared || reference.Path.Length == 0
                || !(required.Id.Path == reference.Path || required.Id.Path.EndsWith("." + reference.Path, System.StringComparison.Ordinal)))
            {
                continue;
            }

            var owner = (reference.Root == "this" ? call.Instance : call.Arguments.FirstOrDefault(a => a.Parameter?.Name == reference.Root)?.Value)?.Syntax as ExpressionSyntax;

            return owner is not null && IsPlainReference(owner) ? (owner, reference) : null;
        }

        return null;
    }

    /// <summary>A name or a chain of member accesses on names: evaluating it again names the same lock.</summary>
    private static bool IsPlainReference(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax => true,
        ThisExpressionSyntax => true,
        MemberAccessExpressionSyntax access when access.IsKind(SyntaxKind.SimpleMemberAccessExpression) => IsPlainReference(access.Expression),
        _ => false,
    };

    private static SyntaxList<StatementSyntax> StatementsOf(SyntaxNode list) =>
        list is BlockSyntax block ? block.Statements : ((SwitchSectionSyntax)list).Statements;

    /// <summary>
    /// The index of the last statement of the list that uses a reference the statement at
    /// <paramref name="first"/> stores (a VMA is valid only under the lock): <paramref name="first"/>
    /// itself when it stores none. Null when the reference is used after the list ends.
    /// </summary>
    private static int? LastUse(SemanticModel model, SyntaxList<StatementSyntax> statements, int first, System.Threading.CancellationToken cancellationToken)
    {
        var stored = new List<ILocalSymbol>();
        foreach (var written in Stored(statements[first]))
        {
            if (model.GetSymbolInfo(written, cancellationToken).Symbol is ILocalSymbol local && local.Type.IsReferenceType)
            {
                stored.Add(local);
            }
        }

        if (statements[first] is LocalDeclarationStatementSyntax declaration)
        {
            foreach (var variable in declaration.Declaration.Variables)
            {
                if (model.GetDeclaredSymbol(variable, cancellationToken) is ILocalSymbol { Type.IsReferenceType: true } local)
                {
                    stored.Add(local);
                }
            }
        }

        int last = first;
        if (stored.Count == 0)
        {
            return last;
        }

        for (int i = first + 1; i < statements.Count; i++)
        {
            if (Uses(model, statements[i], stored, cancellationToken))
            {
                last = i;
            }
        }

        // A use after the list (after the enclosing block) would read the reference unlocked.
        var listEnd = statements[first].Parent!.Span.End;
        if (SyntaxSupport.ContainingFunction(statements[first]) is var (_, body)
            && body.DescendantNodes().OfType<IdentifierNameSyntax>().Any(identifier => identifier.SpanStart >= listEnd && Uses(model, identifier, stored, cancellationToken)))
        {
            return null;
        }

        return last;
    }

    private static IEnumerable<IdentifierNameSyntax> Stored(StatementSyntax statement) =>
        statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } }
            ? new[] { target }
            : Enumerable.Empty<IdentifierNameSyntax>();

    private static bool Uses(SemanticModel model, SyntaxNode node, List<ILocalSymbol> locals, System.Threading.CancellationToken cancellationToken) =>
        node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(identifier =>
            locals.Any(l => l.Name == identifier.Identifier.ValueText && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, l)));

    /// <summary>
    /// The statements that leave the run (a <c>return</c>, a <c>goto</c> to a label outside it, a
    /// <c>break</c> or <c>continue</c> of a loop around it), which must release the lock first; null
    /// when the run cannot be wrapped (a <c>throw</c>, <c>yield</c>, a label, a local function, a lambda,
    /// a return whose value is computed under the lock).
    /// </summary>
    private static List<StatementSyntax>? Exits(SemanticModel model, List<StatementSyntax> run, System.Threading.CancellationToken cancellationToken)
    {
        var span = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(run[0].SpanStart, run[run.Count - 1].Span.End);
        var exits = new List<StatementSyntax>();
        foreach (var statement in run)
        {
            foreach (var node in statement.DescendantNodesAndSelf())
            {
                switch (node)
                {
                    case ThrowStatementSyntax or ThrowExpressionSyntax or YieldStatementSyntax or LabeledStatementSyntax
                        or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AwaitExpressionSyntax
                        or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } or UsingStatementSyntax or TryStatementSyntax:
                        return null;
                    case ReturnStatementSyntax { Expression: { } value } when !IsConstantOrLocal(model, value, cancellationToken):
                        return null;
                    case ReturnStatementSyntax exit:
                        exits.Add(exit);
                        break;
                    case GotoStatementSyntax { Expression: IdentifierNameSyntax label } jump
                        when model.GetSymbolInfo(label, cancellationToken).Symbol is ILabelSymbol target
                            && !target.Locations.Any(l => span.Contains(l.SourceSpan)):
                        exits.Add(jump);
                        break;
                    case GotoStatementSyntax:
                        return null;
                    case BreakStatementSyntax or ContinueStatementSyntax when LeavesRun(node, span):
                        exits.Add((StatementSyntax)node);
                        break;
                }
            }
        }

        return exits;
    }

    private static bool IsConstantOrLocal(SemanticModel model, ExpressionSyntax value, System.Threading.CancellationToken cancellationToken) =>
        model.GetConstantValue(value, cancellationToken).HasValue
        || (value is IdentifierNameSyntax && model.GetSymbolInfo(value, cancellationToken).Symbol is ILocalSymbol { Type.IsValueType: true } or IParameterSymbol { Type.IsValueType: true });

    /// <summary>The loop or switch a <c>break</c>/<c>continue</c> leaves is outside the run.</summary>
    private static bool LeavesRun(SyntaxNode jump, Microsoft.CodeAnalysis.Text.TextSpan run)
    {
        foreach (var ancestor in jump.Ancestors())
        {
            if (ancestor is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or ForEachStatementSyntax
                || (ancestor is SwitchStatementSyntax && jump is BreakStatementSyntax))
            {
                return !run.Contains(ancestor.Span);
            }
        }

        return true;
    }

    /// <summary>
    /// Why the run cannot be held under the lock: it takes or releases the same lock (taking it again
    /// deadlocks), or it makes a user access that may fault while the fault path takes that lock (UA2002).
    /// </summary>
    private static DeclineReason? WhyNotUnder(EngineFacts facts, List<StatementSyntax> run, LockId id, CallSite required)
    {
        var span = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(run[0].SpanStart, run[run.Count - 1].Span.End);
        foreach (var other in facts.Analysis.Calls)
        {
            if (ReferenceEquals(other, required) || !span.Contains(other.Operation.Syntax.Span))
            {
                continue;
            }

            if (other.Effects.Acquires.Any(a => a.Id.Equals(id)) || other.Effects.Releases.Any(r => r.Id.Equals(id)))
            {
                return DeclineReason.CannotWrap;
            }

            if (id.TakenInFaultPath && other.Effects.MayFault && other.Before.Nofault.DefinitelyNot)
            {
                return DeclineReason.FaultUnderTheLock;
            }
        }

        return null;
    }

    /// <summary>
    /// The acquire and release of the required lock and what they are called on: static functions
    /// taking the owner (the callee's type first, then those in scope at the statement), else the
    /// lock member's own methods (<c>mm.MmapLock.DownRead()</c>, the target then the lock expression).
    /// </summary>
    private static (IMethodSymbol Acquire, IMethodSymbol Release, ExpressionSyntax? Target)? LockCalls(
        EngineFacts facts, SemanticModel model, InvocationExpressionSyntax invocation, StatementSyntax statement, ExpressionSyntax owner, LockRef reference)
    {
        var ownerType = model.GetTypeInfo(owner).Type;
        if (ownerType is null)
        {
            return null;
        }

        var callee = facts.CallAt(invocation)!.Effects.Method;
        var inScope = model.LookupSymbols(statement.SpanStart).OfType<IMethodSymbol>();
        var statics = callee.ContainingType.GetMembers().OfType<IMethodSymbol>().Concat(inScope)
            .Where(c => c.IsStatic && c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, ownerType));
        var (acquire, release) = LockBracket.Functions(facts, statics, c => (c.Parameters[0].Name, reference.Path), reference.Shared);
        if (acquire is not null && release is not null)
        {
            return (acquire, release, null);
        }

        // The lock member itself: mm.MmapLock.DownRead() / UpRead().
        var lockExpression = ParseExpression(owner.WithoutTrivia().ToString() + "." + reference.Path);
        if (model.GetSpeculativeTypeInfo(statement.SpanStart, lockExpression, SpeculativeBindingOption.BindAsExpression).Type is not INamedTypeSymbol lockType)
        {
            return null;
        }

        (acquire, release) = LockBracket.Functions(facts, lockType.GetMembers().OfType<IMethodSymbol>().Where(c => !c.IsStatic && c.Parameters.Length == 0), _ => ("this", string.Empty), reference.Shared);
        return acquire is not null && release is not null ? (acquire, release, lockExpression) : null;
    }

    private static ExpressionSyntax Target(ExpressionSyntax? lockExpression, string name) =>
        lockExpression is null ? IdentifierName(name) : MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, lockExpression.WithoutTrivia(), IdentifierName(name));

    /// <summary>Every call in <paramref name="statement"/> binds to a method where it is written.</summary>
    private static bool Binds(SemanticModel model, int position, StatementSyntax statement) =>
        statement.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().All(call =>
            model.GetSpeculativeSymbolInfo(position, call, SpeculativeBindingOption.BindAsExpression).Symbol is IMethodSymbol);
}
