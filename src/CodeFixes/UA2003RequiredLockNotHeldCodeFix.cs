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
/// UA2003: a call that requires a lock it is not called with (<c>FixupUserFault(mm, ...)</c> needs
/// <c>mm.MmapLock</c> for read). The statement is bracketed by the lock of the same owner:
/// <c>MmapReadLock(mm); ...; MmapReadUnlock(mm);</c>, or, in a function that already returns
/// errnos, <c>if (MmapReadLockKillable(mm) != 0) return -EINTR;</c> (a plain wait there would be
/// UA2001), releasing what is held on that early return.
/// </summary>
/// <remarks>
/// The lock functions are found by their annotations, not their names: static methods of the
/// callee's type with one parameter of the owner's type, [Acquires]/[Releases] of the same member
/// path and sharing, acquired always (the killable one through [HasKillableVariant]).
/// Declined: the call is not a whole expression or declaration statement of a block; the owner is
/// not a plain name or member chain (a call would be evaluated twice); the lock or any region is
/// already held there, or what is held cannot be known locally (taking the lock again would
/// deadlock, taking it in a nofault or atomic region is UA1002/UA1001); no annotated lock function.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA2003RequiredLockNotHeldCodeFix)), Shared]
public sealed class UA2003RequiredLockNotHeldCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.RequiredLockNotHeld);

    /// <inheritdoc/>
    protected override string Title => "Take the required lock around the call";

    internal override string EquivalenceKey => EquivalenceKeys.UA2003TakeRequiredLock;

    internal override SyntaxNode? Fix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node)
        {
            return null;
        }

        var invocation = SyntaxSupport.InvocationsAround(node).FirstOrDefault(i =>
            i.Span.IntersectsWith(diagnostic.Location.SourceSpan)
            && AnnotationNames.Has(SyntaxSupport.Method(model, i, cancellationToken), AnnotationNames.RequiresLock));
        if (invocation is null)
        {
            return null;
        }

        var statement = invocation.FirstAncestorOrSelf<StatementSyntax>();
        if (statement is not (ExpressionStatementSyntax or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 })
            || !SyntaxSupport.IsInStatementList(statement)
            || statement.DescendantNodes().Any(n => n is AnonymousFunctionExpressionSyntax or AwaitExpressionSyntax))
        {
            return null;
        }

        var callee = SyntaxSupport.Method(model, invocation, cancellationToken)!;
        var requirement = AnnotationNames.Get(callee, AnnotationNames.RequiresLock)!;
        if (requirement.ConstructorArguments.FirstOrDefault().Value is not string path || path.IndexOf('.') <= 0)
        {
            return null;
        }

        var head = path.Substring(0, path.IndexOf('.'));
        var rest = path.Substring(path.IndexOf('.'));
        bool shared = AnnotationNames.NamedValue(requirement, "Shared") is true;
        var ownerParameter = callee.Parameters.FirstOrDefault(p => p.Name == head);
        var ownerArgument = OwnerArgument(model, invocation, head, cancellationToken);
        if (ownerParameter is null || ownerArgument is null || !IsPlainReference(ownerArgument))
        {
            return null;
        }

        var (acquire, release) = LockFunctions(callee.ContainingType, ownerParameter.Type, rest, shared);
        if (acquire is null || release is null || SyntaxSupport.ContainingFunction(statement) is not var (member, body))
        {
            return null;
        }

        var held = HeldResources.Before(model, statement, body, cancellationToken);
        var lockKey = "lock:" + ownerArgument.WithoutTrivia().ToString() + rest;
        if (held is null || held.InRegion || held.Held.Any(h => h.Effect.Keys.Contains(lockKey)))
        {
            return null;
        }

        var arguments = ArgumentList(SingletonSeparatedList(Argument(ownerArgument.WithoutTrivia())));
        var unlock = CallSupport.SiblingCall(model, invocation, release.Name, arguments, release);
        if (unlock is null)
        {
            return null;
        }

        StatementSyntax take;
        var killable = UA2001NonKillableWaitCodeFix.KillableVariant(acquire);
        if (killable is not null && EngineFacts.For(model, statement, null, cancellationToken) is { HasErrorReturn: true })
        {
            var releases = held.ReleasesForEarlyReturn();
            var lockCall = CallSupport.SiblingCall(model, invocation, killable.Name, arguments, killable);
            if (releases is null || lockCall is null)
            {
                return null;
            }

            take = CallSupport.IfFailedReturn(lockCall, releases, SyntaxSupport.NegativeErrno(model, statement.SpanStart, "EINTR"));
        }
        else
        {
            var lockCall = CallSupport.SiblingCall(model, invocation, acquire.Name, arguments, acquire);
            if (lockCall is null)
            {
                return null;
            }

            take = ExpressionStatement(lockCall);
        }

        return LockBracket.Replace(root, statement, take, unlock, new[] { statement });
    }

    private static ExpressionSyntax? OwnerArgument(SemanticModel model, InvocationExpressionSyntax invocation, string parameter, CancellationToken cancellationToken)
    {
        if (model.GetOperation(invocation, cancellationToken) is not Microsoft.CodeAnalysis.Operations.IInvocationOperation operation)
        {
            return null;
        }

        var argument = operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameter);
        return argument?.Value.Syntax as ExpressionSyntax;
    }

    /// <summary>A name or a chain of member accesses on names: evaluating it twice is harmless.</summary>
    private static bool IsPlainReference(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax => true,
        ThisExpressionSyntax => true,
        MemberAccessExpressionSyntax access when access.IsKind(SyntaxKind.SimpleMemberAccessExpression) => IsPlainReference(access.Expression),
        _ => false,
    };

    private static (IMethodSymbol? Acquire, IMethodSymbol? Release) LockFunctions(INamedTypeSymbol type, ITypeSymbol ownerType, string rest, bool shared) =>
        LockBracket.Functions(
            type.GetMembers().OfType<IMethodSymbol>().Where(c => c.IsStatic && c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, ownerType)),
            c => c.Parameters[0].Name + rest,
            shared);
}
