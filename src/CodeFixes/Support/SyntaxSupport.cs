using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using UserAccess.Analyzers.Engine;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes.Support;

/// <summary>Small syntax and symbol lookups shared by the fixes.</summary>
internal static class SyntaxSupport
{
    /// <summary>The runtime's errno constants (<c>EFAULT</c>, <c>EINTR</c>), which the fixes spell in new error returns.</summary>
    private const string ErrnoTypeName = "UserAccess.Runtime.Errno";

    /// <summary>
    /// The method or local function whose block body contains <paramref name="node"/>, or null when
    /// the node is in a lambda, an expression body, an accessor or anything else: a fix that adds a
    /// <c>return</c> must know exactly which function it returns from.
    /// </summary>
    internal static (SyntaxNode Member, BlockSyntax Body)? ContainingFunction(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case MethodDeclarationSyntax { Body: { } body } method:
                    return (method, body);
                case LocalFunctionStatementSyntax { Body: { } body } local:
                    return (local, body);
                case AnonymousFunctionExpressionSyntax:
                case MemberDeclarationSyntax:
                case LocalFunctionStatementSyntax:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// True when the function returns an errno: it returns <c>int</c> and is not itself annotated as
    /// returning a byte count (a copy helper must not start returning <c>-EFAULT</c>).
    /// </summary>
    internal static bool ReturnsErrno(SemanticModel model, SyntaxNode member)
    {
        if (model.GetDeclaredSymbol(member) is not IMethodSymbol method || CompilationEngine.Get(model.Compilation) is not { } engine)
        {
            return false;
        }

        var annotations = engine.GetAnnotations(method);
        return method.ReturnType.SpecialType == SpecialType.System_Int32
            && !method.IsAsync
            && !annotations.ReturnsBytesNotCopied
            && !annotations.ReturnsBytesNotFaultedIn;
    }

    /// <summary>
    /// <c>-NAME</c> for an errno constant, spelled as the file can bind it: <c>EFAULT</c> under
    /// <c>using static UserAccess.Runtime.Errno</c>, otherwise <c>Errno.EFAULT</c>, otherwise the
    /// full name (simplified where the simplifier can).
    /// </summary>
    internal static ExpressionSyntax NegativeErrno(SemanticModel model, int position, string name) =>
        PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, Errno(model, position, name));

    /// <summary>True when <paramref name="expression"/> is the constant <c>-NAME</c> of the runtime's errno <paramref name="name"/>, however it is spelled.</summary>
    internal static bool IsNegativeErrno(SemanticModel model, ExpressionSyntax expression, string name, CancellationToken cancellationToken) =>
        model.Compilation.GetTypeByMetadataName(ErrnoTypeName)?.GetMembers(name).OfType<IFieldSymbol>().FirstOrDefault() is { HasConstantValue: true, ConstantValue: int errno }
        && model.GetConstantValue(expression, cancellationToken) is { HasValue: true, Value: int value }
        && value == -errno;

    internal static ExpressionSyntax Errno(SemanticModel model, int position, string name)
    {
        var errnoType = model.Compilation.GetTypeByMetadataName(ErrnoTypeName);
        var direct = model.LookupSymbols(position, name: name);
        if (direct.Length == 1 && direct[0] is IFieldSymbol field && SymbolEqualityComparer.Default.Equals(field.ContainingType, errnoType))
        {
            return IdentifierName(name);
        }

        var type = model.LookupNamespacesAndTypes(position, name: "Errno");
        if (type.Length == 1 && SymbolEqualityComparer.Default.Equals(type[0], errnoType))
        {
            return MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName("Errno"), IdentifierName(name));
        }

        return ParseExpression("global::UserAccess.Runtime.Errno." + name).WithAdditionalAnnotations(Simplifier.Annotation);
    }

    /// <summary>
    /// A local name not used anywhere in the function and not bound at the position, so that a new
    /// declaration neither shadows nor is shadowed (CS0136) nor changes what a later use binds to.
    /// </summary>
    internal static string FreshLocalName(SemanticModel model, SyntaxNode member, int position, params string[] candidates)
    {
        var used = new HashSet<string>(member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        foreach (var candidate in candidates.Concat(Enumerable.Range(2, 100).Select(i => candidates[0] + i)))
        {
            if (!used.Contains(candidate) && model.LookupSymbols(position, name: candidate).IsEmpty)
            {
                return candidate;
            }
        }

        return candidates[0] + "_";
    }

    /// <summary>True when <paramref name="statement"/> can be replaced by several statements in place.</summary>
    internal static bool IsInStatementList(StatementSyntax statement) =>
        statement.Parent is BlockSyntax or SwitchSectionSyntax;

    /// <summary>The statements of the list <paramref name="statement"/> is in (a block or a switch section); empty for any other parent.</summary>
    internal static SyntaxList<StatementSyntax> StatementList(StatementSyntax statement) => statement.Parent switch
    {
        BlockSyntax block => block.Statements,
        SwitchSectionSyntax section => section.Statements,
        _ => default,
    };

    /// <summary>The list <paramref name="statement"/> is in (a block or a switch section) with <paramref name="statements"/> in place of its statements.</summary>
    internal static SyntaxNode WithStatementList(StatementSyntax statement, SyntaxList<StatementSyntax> statements) => statement.Parent switch
    {
        BlockSyntax block => block.WithStatements(statements),
        SwitchSectionSyntax section => section.WithStatements(statements),
        _ => throw new System.InvalidOperationException("The statement is not in a block or a switch section."),
    };

    /// <summary>The invocation's target method, or null when it does not bind to one.</summary>
    internal static IMethodSymbol? Method(SemanticModel model, InvocationExpressionSyntax invocation, System.Threading.CancellationToken cancellationToken) =>
        model.GetSymbolInfo(invocation, cancellationToken).Symbol as IMethodSymbol;

    /// <summary>
    /// The statement node where a diagnostic is reported, from its span, whether the engine put the
    /// span on the invocation, its name, or the whole statement.
    /// </summary>
    internal static SyntaxNode? NodeAt(SyntaxNode root, Location location)
    {
        if (!location.IsInSource || !root.FullSpan.Contains(location.SourceSpan))
        {
            return null;
        }

        return root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
    }

    /// <summary>
    /// The invocations around or inside the reported node, innermost first: the node itself and
    /// its ancestors, then its descendants (when the span covers a whole statement).
    /// </summary>
    internal static IEnumerable<InvocationExpressionSyntax> InvocationsAround(SyntaxNode node) =>
        node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>()
            .Concat(node.DescendantNodes().OfType<InvocationExpressionSyntax>());

    /// <summary><c>x = value;</c> or <c>int x = value;</c> for a local <c>x</c>.</summary>
    internal static (ExpressionSyntax Value, ILocalSymbol Local)? StoreToLocal(SemanticModel model, StatementSyntax statement, CancellationToken cancellationToken)
    {
        switch (statement)
        {
            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } assignment }
                when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && model.GetSymbolInfo(target, cancellationToken).Symbol is ILocalSymbol local:
                return (assignment.Right, local);
            case LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } declaration
                when declaration.Declaration.Variables[0].Initializer is { } initializer
                    && model.GetDeclaredSymbol(declaration.Declaration.Variables[0], cancellationToken) is ILocalSymbol declared:
                return (initializer.Value, declared);
            default:
                return null;
        }
    }

    /// <summary>The expression inside any parentheses around it.</summary>
    internal static ExpressionSyntax Unparenthesize(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    /// <summary>A statement that always leaves the function: <c>return</c>, <c>throw</c>, or a block ending in one.</summary>
    internal static bool AlwaysReturns(StatementSyntax statement) => statement switch
    {
        ReturnStatementSyntax => true,
        ThrowStatementSyntax => true,
        BlockSyntax block => block.Statements.Count > 0 && AlwaysReturns(block.Statements.Last()),
        _ => false,
    };

    /// <summary>The node itself changes something when evaluated: a call, an assignment, an <c>await</c>, an increment or decrement.</summary>
    internal static bool HasSideEffect(SyntaxNode node) =>
        node is InvocationExpressionSyntax or AssignmentExpressionSyntax or AwaitExpressionSyntax
            or PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression }
            or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression };
}

/// <summary>Helpers for fixes that call a sibling of the flagged method (its killable variant, its lock).</summary>
internal static class CallSupport
{
    /// <summary>
    /// A call to <paramref name="name"/> spelled like <paramref name="invocation"/> (same receiver
    /// or qualifier), with <paramref name="arguments"/>; null when it would not bind to
    /// <paramref name="expected"/> at that position.
    /// </summary>
    internal static InvocationExpressionSyntax? SiblingCall(SemanticModel model, InvocationExpressionSyntax invocation, string name, ArgumentListSyntax arguments, IMethodSymbol expected)
    {
        ExpressionSyntax target = invocation.Expression switch
        {
            IdentifierNameSyntax => IdentifierName(name),
            MemberAccessExpressionSyntax access => access.WithName(IdentifierName(name)),
            _ => null!,
        };
        if (target is null)
        {
            return null;
        }

        var call = InvocationExpression(target.WithoutTrivia(), arguments.WithoutTrivia());
        var bound = model.GetSpeculativeSymbolInfo(invocation.SpanStart, call, SpeculativeBindingOption.BindAsExpression).Symbol as IMethodSymbol;
        return SymbolEqualityComparer.Default.Equals(bound?.OriginalDefinition, expected.OriginalDefinition) ? call : null;
    }

    /// <summary><c>if (call != 0) return value;</c>, releasing what is held first.</summary>
    internal static IfStatementSyntax IfFailedReturn(ExpressionSyntax call, IReadOnlyList<StatementSyntax> releases, ExpressionSyntax value)
    {
        StatementSyntax exit = ReturnStatement(value);
        if (releases.Count > 0)
        {
            exit = Block(releases.Concat(new[] { exit }));
        }

        return IfStatement(BinaryExpression(SyntaxKind.NotEqualsExpression, call, LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0))), exit);
    }

    /// <summary>
    /// True when adding a first error return to the function would make one of its non-killable
    /// waits a UA2001 diagnostic: the engine finds no error return yet and UA2001, with the
    /// document's options (<c>useraccess.killable_waits</c>), would flag one of its waits.
    /// </summary>
    internal static bool FirstErrorReturnWouldFlagAWait(FixContext context, BlockSyntax body) =>
        context.Facts(body) is { FirstErrorReturnWouldFlagAWait: true };
}
