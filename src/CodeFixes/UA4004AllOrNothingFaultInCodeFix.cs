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
/// UA4004: a bytes-not-faulted-in result compared with 0 in a loop that makes partial progress.
/// The comparison is made with the full size instead: a failure test (<c>!= 0</c>, <c>&gt; 0</c>)
/// becomes <c>== n</c> (fail only when nothing was faulted in), a success test (<c>== 0</c>)
/// becomes <c>!= n</c>.
/// </summary>
/// <remarks>
/// Declined: a size that is not a constant or a plain local or parameter (it is evaluated again at
/// the comparison), a result stored in a local and compared in a later statement that is not the
/// next one, a size written between the fault-in and the comparison, and a loop that advances only
/// by whole chunks (<c>p += n</c> with the same <c>n</c>): there a partial fault-in is no progress,
/// and going round again would fault in the same range forever.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA4004AllOrNothingFaultInCodeFix)), Shared]
public sealed class UA4004AllOrNothingFaultInCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.AllOrNothingFaultIn);

    /// <inheritdoc/>
    protected override string Title => "Fail only when nothing was faulted in: compare with the full size";

    internal override string EquivalenceKey => EquivalenceKeys.UA4004CompareWithFullSize;

    internal override SyntaxNode? Fix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node
            || !diagnostic.Properties.TryGetValue(DiagnosticProperties.FullSizeExpression, out var sizeText) || sizeText is null)
        {
            return null;
        }

        var binary = node.AncestorsAndSelf().OfType<BinaryExpressionSyntax>().FirstOrDefault(b => b.Span == diagnostic.Location.SourceSpan);
        if (binary is null || !binary.IsKind(SyntaxKind.NotEqualsExpression) && !binary.IsKind(SyntaxKind.GreaterThanExpression) && !binary.IsKind(SyntaxKind.EqualsExpression))
        {
            return null;
        }

        bool zeroOnRight = IsZero(model, binary.Right, cancellationToken);
        if (!zeroOnRight && !IsZero(model, binary.Left, cancellationToken))
        {
            return null;
        }

        var result = SyntaxSupport.Unparenthesize(zeroOnRight ? binary.Left : binary.Right);
        var kind = binary.Kind();
        if (kind == SyntaxKind.GreaterThanExpression && !zeroOnRight)
        {
            return null; // 0 > FaultIn(...): never true, not a test to rewrite
        }

        // The fault-in call: the compared expression itself, or the local assigned it by the statement just before.
        InvocationExpressionSyntax? faultIn = result as InvocationExpressionSyntax;
        var comparisonStatement = binary.FirstAncestorOrSelf<StatementSyntax>();
        StatementSyntax? from = comparisonStatement;
        if (faultIn is null)
        {
            if (result is not IdentifierNameSyntax local || model.GetSymbolInfo(local, cancellationToken).Symbol is not ILocalSymbol localSymbol
                || comparisonStatement?.Parent is not BlockSyntax block)
            {
                return null;
            }

            int index = block.Statements.IndexOf(comparisonStatement);
            from = index > 0 ? block.Statements[index - 1] : null;
            faultIn = from switch
            {
                LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables }
                    when variables[0].Identifier.ValueText == localSymbol.Name => variables[0].Initializer?.Value as InvocationExpressionSyntax,
                ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax left, Right: InvocationExpressionSyntax right } assignment }
                    when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && left.Identifier.ValueText == localSymbol.Name => right,
                _ => null,
            };
        }

        if (faultIn is null || from is null || comparisonStatement is null
            || CompilationEngine.Get(model.Compilation)?.GetAnnotations(SyntaxSupport.Method(model, faultIn, cancellationToken)) is not { ReturnsBytesNotFaultedIn: true })
        {
            return null;
        }

        // The size as passed to the fault-in, evaluated again at the comparison: a constant, or a local or parameter not written in between.
        var size = faultIn.ArgumentList.Arguments.Select(a => a.Expression).FirstOrDefault(e => e.ToString() == sizeText);
        if (size is null)
        {
            return null;
        }

        bool constant = model.GetConstantValue(size, cancellationToken).HasValue;
        ISymbol? sizeSymbol = null;
        if (!constant)
        {
            var symbol = model.GetSymbolInfo(size, cancellationToken).Symbol;
            if (size is not IdentifierNameSyntax || symbol is not (ILocalSymbol or IParameterSymbol))
            {
                return null;
            }

            sizeSymbol = symbol;
            var flow = from == comparisonStatement ? null : model.AnalyzeDataFlow(from);
            if (flow is null && from != comparisonStatement || flow is { Succeeded: false }
                || flow is not null && flow.WrittenInside.Contains(symbol, SymbolEqualityComparer.Default))
            {
                return null;
            }
        }

        if (!AdvancesByPartialProgress(model, faultIn, size, cancellationToken))
        {
            return null;
        }

        var newComparison = BinaryExpression(
            kind == SyntaxKind.EqualsExpression ? SyntaxKind.NotEqualsExpression : SyntaxKind.EqualsExpression,
            result.WithoutTrivia(),
            size.WithoutTrivia());
        var type = model.GetSpeculativeTypeInfo(binary.SpanStart, newComparison, SpeculativeBindingOption.BindAsExpression).Type;
        if (type?.SpecialType != SpecialType.System_Boolean)
        {
            return null;
        }

        return root.ReplaceNode(binary, newComparison.WithTriviaFrom(binary).WithAdditionalAnnotations(Formatter.Annotation));
    }

    /// <summary>
    /// True when the innermost loop around the fault-in moves a variable of the fault-in's pointer
    /// on by something other than the fault-in's size (<c>written += copied</c>): the loop resumes
    /// where a partial copy stopped, so a partial fault-in is progress.
    /// </summary>
    private static bool AdvancesByPartialProgress(SemanticModel model, InvocationExpressionSyntax faultIn, ExpressionSyntax size, CancellationToken cancellationToken)
    {
        var loop = faultIn.Ancestors().TakeWhile(a => a is not (MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .FirstOrDefault(a => a is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax);
        if (loop is null || faultIn.ArgumentList.Arguments.Count == 0)
        {
            return false;
        }

        var pointerSymbols = faultIn.ArgumentList.Arguments[0].Expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
            .Select(i => model.GetSymbolInfo(i, cancellationToken).Symbol)
            .Where(s => s is ILocalSymbol or IParameterSymbol)
            .ToList();
        bool partial = false;
        foreach (var assignment in loop.DescendantNodes().OfType<AssignmentExpressionSyntax>())
        {
            if (!pointerSymbols.Contains(model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol, SymbolEqualityComparer.Default))
            {
                continue;
            }

            if (!assignment.IsKind(SyntaxKind.AddAssignmentExpression) || SyntaxFactory.AreEquivalent(SyntaxSupport.Unparenthesize(assignment.Right), SyntaxSupport.Unparenthesize(size)))
            {
                // Moved by the whole chunk, or set some other way: a partial fault-in may be no progress.
                return false;
            }

            partial = true;
        }

        return partial;
    }

    private static bool IsZero(SemanticModel model, ExpressionSyntax expression, CancellationToken cancellationToken)
    {
        var constant = model.GetConstantValue(expression, cancellationToken);
        return constant.HasValue && constant.Value is int i && i == 0;
    }
}
