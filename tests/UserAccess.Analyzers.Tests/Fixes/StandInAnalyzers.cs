using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.Analyzers.Tests.Fixes;

// Test-only analyzers: not shipped, so the analyzer-authoring rules for shipped analyzers do not apply.
#pragma warning disable RS1036, RS1038, RS1041, RS2008

/// <summary>
/// Stand-ins for the engine's rules while branch `engine` has none: each reports its id where the
/// rule's simplest reading says so, on the node the fixes must accept (the invocation, the
/// comparison). They let the fixes be tested end to end (one by one, re-analysed after each step,
/// and Fix All); the tests switch to the engine's analyzers when they land.
/// </summary>
public abstract class StandInAnalyzer : DiagnosticAnalyzer
{
    private readonly DiagnosticDescriptor rule;

    protected StandInAnalyzer(string id) =>
        rule = new DiagnosticDescriptor(id, id, id, "UserAccess", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(c => Analyze(c, node => c.ReportDiagnostic(Diagnostic.Create(rule, node.GetLocation()))), SyntaxKind.InvocationExpression);
    }

    protected abstract void Analyze(SyntaxNodeAnalysisContext context, System.Action<SyntaxNode> report);

    protected static IMethodSymbol? Target(SyntaxNodeAnalysisContext context) =>
        context.SemanticModel.GetSymbolInfo(context.Node, context.CancellationToken).Symbol as IMethodSymbol;

    protected static bool Has(ISymbol? symbol, string name) =>
        symbol is not null && symbol.OriginalDefinition.GetAttributes().Any(a => a.AttributeClass?.Name == name);

    protected static IMethodSymbol? ContainingMethod(SyntaxNodeAnalysisContext context)
    {
        var member = context.Node.Ancestors().FirstOrDefault(a => a is MethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
        return member is null or AnonymousFunctionExpressionSyntax ? null : context.SemanticModel.GetDeclaredSymbol(member, context.CancellationToken) as IMethodSymbol;
    }
}

/// <summary>UA5001 stand-in: a [MustCheck] call used as a statement.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UA5001StandIn : StandInAnalyzer
{
    public UA5001StandIn()
        : base("UA5001")
    {
    }

    protected override void Analyze(SyntaxNodeAnalysisContext context, System.Action<SyntaxNode> report)
    {
        if (context.Node.Parent is ExpressionStatementSyntax && Has(Target(context), "MustCheckAttribute"))
        {
            report(context.Node);
        }
    }
}

/// <summary>UA5002 stand-in: a bytes-not-copied call compared other than with 0, or returned from an int method.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UA5002StandIn : StandInAnalyzer
{
    public UA5002StandIn()
        : base("UA5002")
    {
    }

    protected override void Analyze(SyntaxNodeAnalysisContext context, System.Action<SyntaxNode> report)
    {
        if (!Has(Target(context), "ReturnsBytesNotCopiedAttribute"))
        {
            return;
        }

        var parent = context.Node.Parent;
        while (parent is ParenthesizedExpressionSyntax)
        {
            parent = parent.Parent;
        }

        if (parent is BinaryExpressionSyntax binary && binary.Kind() is SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression
                or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression or SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression)
        {
            var other = binary.Left == context.Node ? binary.Right : binary.Left;
            var constant = context.SemanticModel.GetConstantValue(other, context.CancellationToken);
            bool zero = constant.HasValue && constant.Value is int i && i == 0;
            var accepted = binary.Left == context.Node ? SyntaxKind.GreaterThanExpression : SyntaxKind.LessThanExpression;
            if (!(zero && (binary.Kind() is SyntaxKind.NotEqualsExpression or SyntaxKind.EqualsExpression || binary.Kind() == accepted)))
            {
                report(binary);
            }
        }
        else if (parent is ReturnStatementSyntax && ContainingMethod(context)?.ReturnType.SpecialType == SpecialType.System_Int32)
        {
            report(context.Node);
        }
    }
}

/// <summary>UA2001 stand-in: a non-killable wait in a method returning int.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UA2001StandIn : StandInAnalyzer
{
    public UA2001StandIn()
        : base("UA2001")
    {
    }

    protected override void Analyze(SyntaxNodeAnalysisContext context, System.Action<SyntaxNode> report)
    {
        if (Has(Target(context), "HasKillableVariantAttribute") && ContainingMethod(context)?.ReturnType.SpecialType == SpecialType.System_Int32)
        {
            report(context.Node);
        }
    }
}

/// <summary>UA2003 stand-in: a [RequiresLock] call with no earlier acquire of a lock on the same first argument in the method.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UA2003StandIn : StandInAnalyzer
{
    public UA2003StandIn()
        : base("UA2003")
    {
    }

    protected override void Analyze(SyntaxNodeAnalysisContext context, System.Action<SyntaxNode> report)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (!Has(Target(context), "RequiresLockAttribute") || invocation.ArgumentList.Arguments.Count == 0)
        {
            return;
        }

        var mm = invocation.ArgumentList.Arguments[0].Expression.ToString();
        var body = context.Node.Ancestors().FirstOrDefault(a => a is MethodDeclarationSyntax or LocalFunctionStatementSyntax);
        bool locked = body is not null && body.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(i =>
            i.SpanStart < invocation.SpanStart
            && i.ArgumentList.Arguments.Count == 1
            && i.ArgumentList.Arguments[0].Expression.ToString() == mm
            && Has(context.SemanticModel.GetSymbolInfo(i, context.CancellationToken).Symbol, "AcquiresAttribute"));
        if (!locked)
        {
            report(context.Node);
        }
    }
}
