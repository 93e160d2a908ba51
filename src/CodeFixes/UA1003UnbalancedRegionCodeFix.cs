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
/// Declined: an exit or release without its enter/acquire (nothing to balance), no release in the
/// same block, a release or a second acquire of the same lock in between (it would run twice),
/// <c>goto</c>, <c>yield</c> or a <c>using</c> declaration in between, a hoisted local of a type that
/// cannot be named, and a conditional acquire other than <c>if (XKillable() != 0) return ...;</c>.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA1003UnbalancedRegionCodeFix)), Shared]
public sealed class UA1003UnbalancedRegionCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnbalancedRegion);

    /// <inheritdoc/>
    protected override string Title => "Release on every path (try/finally or the using scope)";

    internal override string EquivalenceKey => EquivalenceKeys.UA1003ReleaseOnEveryPath;

    internal override SyntaxNode? Fix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node)
        {
            return null;
        }

        LockEffect? acquire = null;
        var invocation = SyntaxSupport.InvocationsAround(node).FirstOrDefault(i =>
            i.Span.IntersectsWith(diagnostic.Location.SourceSpan)
            && (acquire = LockEffect.Of(model, i, cancellationToken, out _)) is { IsAcquire: true });
        if (invocation is null || acquire is null)
        {
            return null;
        }

        var statement = invocation.FirstAncestorOrSelf<StatementSyntax>();
        bool plain = acquire.When == 0 && statement is ExpressionStatementSyntax es && es.Expression == invocation;
        bool killable = acquire.When == 1 && statement is IfStatementSyntax { Else: null } ifStatement
            && SyntaxSupport.AlwaysReturns(ifStatement.Statement)
            && ifStatement.Condition is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.NotEqualsExpression) && binary.Left == invocation
            && binary.Right is LiteralExpressionSyntax { Token.ValueText: "0" };
        if (!(plain || killable) || statement!.Parent is not BlockSyntax block)
        {
            return null;
        }

        int start = block.Statements.IndexOf(statement);
        int end = -1;
        for (int i = start + 1; i < block.Statements.Count; i++)
        {
            if (block.Statements[i] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call }
                && LockEffect.Of(model, call, cancellationToken, out _) is { IsAcquire: false } release
                && release.KeyText == acquire.KeyText)
            {
                end = i;
                break;
            }
        }

        if (end < 0)
        {
            return null;
        }

        var between = block.Statements.Skip(start + 1).Take(end - start - 1).ToList();
        var releaseStatement = block.Statements[end];
        if (between.Count == 0 || !CanWrap(model, between, acquire, cancellationToken))
        {
            return null;
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
                    return null;
                }

                hoisted.Add(split.Value.Declaration);
                body.AddRange(split.Value.Assignments);
                continue;
            }

            body.Add(inner);
        }

        StatementSyntax wrapper;
        var noFault = plain && acquire.Keys.SequenceEqual(new[] { "region:0" }) ? NoFaultScope(model, invocation, cancellationToken) : null;
        if (noFault is not null)
        {
            // PagefaultDisable(); ... PagefaultEnable();  →  using (NoFault()) { ... }
            // Comments above the release stay at the end of the scope.
            var closeBrace = Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(releaseStatement.GetLeadingTrivia().Where(t => !t.IsKind(SyntaxKind.WhitespaceTrivia)));
            wrapper = UsingStatement(null, noFault, Block(body).WithCloseBraceToken(closeBrace))
                .WithLeadingTrivia(statement.GetLeadingTrivia())
                .WithTrailingTrivia(releaseStatement.GetTrailingTrivia());
            var replaced = new List<StatementSyntax>(hoisted) { wrapper };
            return ReplaceRange(root, block, start, end, replaced);
        }

        wrapper = TryStatement(Block(body), default, FinallyClause(Block(releaseStatement)))
            .WithLeadingTrivia(ElasticMarker);
        var statements = new List<StatementSyntax>(hoisted) { statement, wrapper };
        return ReplaceRange(root, block, start, end, statements);
    }

    private static SyntaxNode ReplaceRange(SyntaxNode root, BlockSyntax block, int start, int end, List<StatementSyntax> replacement)
    {
        var list = block.Statements.Take(start)
            .Concat(replacement.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)))
            .Concat(block.Statements.Skip(end + 1));
        return root.ReplaceNode(block, block.WithStatements(List(list)));
    }

    private static bool CanWrap(SemanticModel model, List<StatementSyntax> between, LockEffect acquire, CancellationToken cancellationToken)
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

                if (descendant is InvocationExpressionSyntax call
                    && LockEffect.Of(model, call, cancellationToken, out var unknown) is var effect
                    && (unknown || (effect is not null && effect.Keys.Intersect(acquire.Keys).Any())))
                {
                    // A release before an early return would run twice with the finally.
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
    /// <c>NoFault()</c> spelled like the <c>PagefaultDisable()</c> call: a parameterless method of the
    /// same type that [EntersRegion(Nofault)] and returns a disposable whose Dispose [ExitsRegion(Nofault)].
    /// </summary>
    private static ExpressionSyntax? NoFaultScope(SemanticModel model, InvocationExpressionSyntax disable, CancellationToken cancellationToken)
    {
        if (SyntaxSupport.Method(model, disable, cancellationToken) is not { } method)
        {
            return null;
        }

        foreach (var candidate in method.ContainingType.GetMembers().OfType<IMethodSymbol>())
        {
            if (candidate.Parameters.Length != 0 || candidate.ReturnsVoid || !candidate.IsStatic
                || !HasRegion(candidate, AnnotationNames.EntersRegion))
            {
                continue;
            }

            var dispose = candidate.ReturnType.GetMembers("Dispose").OfType<IMethodSymbol>().FirstOrDefault(d => d.Parameters.Length == 0);
            if (dispose is null || !HasRegion(dispose, AnnotationNames.ExitsRegion))
            {
                continue;
            }

            return CallSupport.SiblingCall(model, disable, candidate.Name, ArgumentList(), candidate);
        }

        return null;
    }

    private static bool HasRegion(IMethodSymbol method, string attributeName) =>
        method.GetAttributes().Any(a => AnnotationNames.IsNamed(a.AttributeClass, attributeName) && a.ConstructorArguments.FirstOrDefault().Value is 0);
}
