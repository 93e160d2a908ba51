using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UserAccess.Analyzers;
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
/// This makes the access itself consistent; it does not hold the lock across what the code does
/// with the value afterwards, which a protocol such as userfaultfd's needs (the page fill must run
/// under the same read hold as the check). The lock functions are found by their annotations:
/// parameterless instance methods of the lock's type, [Acquires("this")]/[Releases("this")] of the
/// needed sharing, acquired always. Declined: the lock is already held there in some mode or on
/// some path (taking it again deadlocks, upgrading is not possible); a nofault or atomic region is
/// open; the access is in a loop condition, a lambda, or another statement than a whole expression
/// or declaration statement, an <c>if</c> condition or a <c>return</c> of a statement list; a change
/// inside an <c>if</c> or <c>return</c>; a call or assignment evaluated before the read in the same
/// statement (moving the read before it changes what it sees); no annotated lock function.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA2004GuardedFieldWithoutLockCodeFix)), Shared]
public sealed class UA2004GuardedFieldWithoutLockCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.GuardedFieldWithoutLock);

    /// <inheritdoc/>
    protected override string Title => "Take the guarding lock around the access";

    internal override string EquivalenceKey => EquivalenceKeys.UA2004TakeGuardingLock;

    internal override SyntaxNode? Fix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var properties = diagnostic.Properties;
        if (properties.ContainsKey(DiagnosticProperties.LockHeld)
            || !properties.TryGetValue(DiagnosticProperties.LockExpression, out var lockText) || string.IsNullOrEmpty(lockText)
            || SyntaxSupport.NodeAt(root, diagnostic.Location) is not ExpressionSyntax access)
        {
            return null;
        }

        bool shared = properties.TryGetValue(DiagnosticProperties.LockShared, out var sharedText) && sharedText == "true";
        var statement = access.FirstAncestorOrSelf<StatementSyntax>();
        if (statement is null || !SyntaxSupport.IsInStatementList(statement)
            || access.Ancestors().TakeWhile(a => a != statement).Any(a => a is AnonymousFunctionExpressionSyntax)
            || SyntaxSupport.ContainingFunction(statement) is not var (member, body))
        {
            return null;
        }

        // A read that decides an if or a return is taken into a local under the lock; a whole statement is bracketed.
        ExpressionSyntax? hoisted = statement switch
        {
            IfStatementSyntax conditional when conditional.Condition.Span.Contains(access.Span) => conditional.Condition,
            ReturnStatementSyntax { Expression: { } value } when value.Span.Contains(access.Span) => value,
            _ => null,
        };
        bool bracket = statement is ExpressionStatementSyntax or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 };
        if ((!bracket && (hoisted is null || !shared)) || (hoisted is not null && EvaluatedBefore(hoisted, access)))
        {
            return null;
        }

        var lockExpression = ParseExpression(lockText!);
        if (model.GetSpeculativeTypeInfo(statement.SpanStart, lockExpression, SpeculativeBindingOption.BindAsExpression).Type is not INamedTypeSymbol lockType)
        {
            return null;
        }

        // A mutex or spinlock has no read mode: a read holds it like a write.
        var (acquire, release) = LockFunctions(lockType, shared);
        if (shared && (acquire is null || release is null))
        {
            (acquire, release) = LockFunctions(lockType, false);
        }

        var held = HeldResources.Before(model, statement, body, cancellationToken);
        if (acquire is null || release is null || held is null || held.InRegion)
        {
            return null;
        }

        StatementSyntax take;
        var killable = UA2001NonKillableWaitCodeFix.KillableVariant(acquire);
        if (killable is not null && EngineFacts.For(model, statement, null, cancellationToken) is { HasErrorReturn: true })
        {
            if (held.ReleasesForEarlyReturn() is not { } releases)
            {
                return null;
            }

            take = CallSupport.IfFailedReturn(Call(lockExpression, killable.Name), releases, SyntaxSupport.NegativeErrno(model, statement.SpanStart, "EINTR"));
        }
        else
        {
            take = ExpressionStatement(Call(lockExpression, acquire.Name));
        }

        var unlock = Call(lockExpression, release.Name);
        if (bracket)
        {
            return LockBracket.Replace(root, statement, take, unlock, new[] { statement });
        }

        var name = SyntaxSupport.FreshLocalName(model, member, statement.SpanStart, LocalNameFor(access));
        var read = LocalDeclarationStatement(VariableDeclaration(
            IdentifierName(Identifier(TriviaList(), SyntaxKind.VarKeyword, "var", "var", TriviaList())),
            SingletonSeparatedList(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(access.WithoutTrivia())))));
        var rewritten = statement.ReplaceNode(access, IdentifierName(name).WithTriviaFrom(access));
        return LockBracket.Replace(root, statement, take, unlock, new[] { read }, rewritten);
    }

    private static InvocationExpressionSyntax Call(ExpressionSyntax lockExpression, string method) =>
        InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, lockExpression.WithoutTrivia(), IdentifierName(method)));

    /// <summary><c>mmapChanging</c> for <c>ctx.MmapChanging</c>.</summary>
    private static string LocalNameFor(ExpressionSyntax access)
    {
        var text = access is MemberAccessExpressionSyntax m ? m.Name.Identifier.ValueText : access.ToString();
        text = text.TrimStart('_');
        return text.Length == 0 ? "value" : char.ToLowerInvariant(text[0]) + text.Substring(1);
    }

    /// <summary>A call, assignment or increment in <paramref name="scope"/> before the access: reading it earlier would move the read across it.</summary>
    private static bool EvaluatedBefore(ExpressionSyntax scope, ExpressionSyntax access) =>
        scope.DescendantNodesAndSelf().Any(n => n.SpanStart < access.SpanStart && !n.Span.Contains(access.Span)
            && n is InvocationExpressionSyntax or AssignmentExpressionSyntax or AwaitExpressionSyntax
                or PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression }
                or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression });

    /// <summary>The lock's own acquire and release of the needed sharing: parameterless instance methods annotated on "this".</summary>
    private static (IMethodSymbol? Acquire, IMethodSymbol? Release) LockFunctions(INamedTypeSymbol type, bool shared) =>
        LockBracket.Functions(type.GetMembers().OfType<IMethodSymbol>().Where(c => !c.IsStatic && c.Parameters.Length == 0), _ => "this", shared);
}
