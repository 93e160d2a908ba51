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
/// UA4004: a bytes-not-faulted-in result compared with 0 in a loop that makes partial progress.
/// The comparison is made with the full size instead: a failure test (<c>!= 0</c>, <c>&gt; 0</c>,
/// <c>0 &lt; r</c>) becomes <c>== n</c> (fail only when nothing was faulted in), a success test
/// (<c>== 0</c>) becomes <c>!= n</c>.
/// </summary>
/// <remarks>
/// Declines with the <see cref="DeclineReason"/> the rule page lists: a size that is not a constant
/// or a plain local or parameter, or is written between the fault-in and the comparison (it is
/// evaluated again at the comparison: <see cref="DeclineReason.SizeNotReusable"/>); a result stored
/// in a local by a statement that is not the one just before the comparison
/// (<see cref="DeclineReason.StatementBetween"/>); a loop that advances only by whole chunks
/// (<c>p += n</c> with the same <c>n</c>: <see cref="DeclineReason.ChunkedLoop"/>), where a partial
/// fault-in is no progress and going round again would fault in the same range forever.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA4004AllOrNothingFaultInCodeFix)), Shared]
public sealed class UA4004AllOrNothingFaultInCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.AllOrNothingFaultIn);

    /// <inheritdoc/>
    protected override string Title => "Fail only when nothing was faulted in: compare with the full size";

    internal override string EquivalenceKey => EquivalenceKeys.UA4004CompareWithFullSize;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node
            || !diagnostic.Properties.TryGetValue(DiagnosticProperties.FullSizeExpression, out var sizeText) || sizeText is null
            || node.AncestorsAndSelf().OfType<BinaryExpressionSyntax>().FirstOrDefault(b => b.Span == diagnostic.Location.SourceSpan) is not { } binary)
        {
            return DeclineReason.CodeChanged;
        }

        // The test as "result op 0": a failure test (!= 0, > 0, 0 < result) or a success test (== 0).
        bool zeroOnRight = IsZero(model, binary.Right, cancellationToken);
        bool failureTest;
        switch (binary.Kind())
        {
            case SyntaxKind.NotEqualsExpression when zeroOnRight || IsZero(model, binary.Left, cancellationToken):
            case SyntaxKind.GreaterThanExpression when zeroOnRight:
            case SyntaxKind.LessThanExpression when !zeroOnRight && IsZero(model, binary.Left, cancellationToken):
                failureTest = true;
                break;
            case SyntaxKind.EqualsExpression when zeroOnRight || IsZero(model, binary.Left, cancellationToken):
                failureTest = false;
                break;
            default:
                return DeclineReason.CodeChanged;
        }

        var result = SyntaxSupport.Unparenthesize(zeroOnRight ? binary.Left : binary.Right);

        // The fault-in call: the compared expression itself, or the local assigned it by the statement just before.
        var faultIn = result as InvocationExpressionSyntax;
        if (binary.FirstAncestorOrSelf<StatementSyntax>() is not { } comparisonStatement)
        {
            return DeclineReason.CodeChanged;
        }

        StatementSyntax from = comparisonStatement;
        if (faultIn is null)
        {
            if (result is not IdentifierNameSyntax local || model.GetSymbolInfo(local, cancellationToken).Symbol is not ILocalSymbol localSymbol)
            {
                return DeclineReason.CodeChanged;
            }

            int index = comparisonStatement.Parent is BlockSyntax block ? block.Statements.IndexOf(comparisonStatement) : -1;
            faultIn = index > 0 ? StoredCall(((BlockSyntax)comparisonStatement.Parent!).Statements[index - 1], localSymbol) : null;
            if (faultIn is null)
            {
                return DeclineReason.StatementBetween;
            }

            from = ((BlockSyntax)comparisonStatement.Parent!).Statements[index - 1];
        }

        if (context.Facts(binary) is not { } facts)
        {
            return DeclineReason.NotAnalysed;
        }

        if (!facts.AnnotationsOf(SyntaxSupport.Method(model, faultIn, cancellationToken)).ReturnsBytesNotFaultedIn)
        {
            return DeclineReason.CodeChanged;
        }

        // The size as passed to the fault-in, evaluated again at the comparison: a constant, or a local or parameter not written in between.
        var size = faultIn.ArgumentList.Arguments.Select(a => a.Expression).FirstOrDefault(e => e.ToString() == sizeText);
        if (size is null)
        {
            return DeclineReason.CodeChanged;
        }

        if (!model.GetConstantValue(size, cancellationToken).HasValue)
        {
            var symbol = model.GetSymbolInfo(size, cancellationToken).Symbol;
            if (size is not IdentifierNameSyntax || symbol is not (ILocalSymbol or IParameterSymbol))
            {
                return DeclineReason.SizeNotReusable;
            }

            if (from != comparisonStatement
                && (model.AnalyzeDataFlow(from) is not { Succeeded: true } flow || flow.WrittenInside.Contains(symbol, SymbolEqualityComparer.Default)))
            {
                return DeclineReason.SizeNotReusable;
            }
        }

        if (!AdvancesByPartialProgress(model, faultIn, size, cancellationToken))
        {
            return DeclineReason.ChunkedLoop;
        }

        var newComparison = BinaryExpression(
            failureTest ? SyntaxKind.EqualsExpression : SyntaxKind.NotEqualsExpression,
            result.WithoutTrivia(),
            size.WithoutTrivia());
        if (model.GetSpeculativeTypeInfo(binary.SpanStart, newComparison, SpeculativeBindingOption.BindAsExpression).Type?.SpecialType != SpecialType.System_Boolean)
        {
            return DeclineReason.DoesNotBind;
        }

        return FixPlan.Rewrite(() => root.ReplaceNode(binary, newComparison.WithTriviaFrom(binary).WithAdditionalAnnotations(Formatter.Annotation)));
    }

    /// <summary>The call <paramref name="statement"/> stores into <paramref name="local"/>: <c>int r = Call(...);</c> or <c>r = Call(...);</c>.</summary>
    private static InvocationExpressionSyntax? StoredCall(StatementSyntax statement, ILocalSymbol local) => statement switch
    {
        LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables }
            when variables[0].Identifier.ValueText == local.Name => variables[0].Initializer?.Value as InvocationExpressionSyntax,
        ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax left, Right: InvocationExpressionSyntax right } assignment }
            when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && left.Identifier.ValueText == local.Name => right,
        _ => null,
    };

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
