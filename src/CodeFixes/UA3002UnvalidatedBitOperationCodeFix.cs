using System.Collections.Generic;
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
/// UA3002: a user bit operation with an unvalidated size or bit. Inserts the missing validation
/// (per <c>BitValidationMissing</c>) before the op, returning <c>-EINVAL</c>:
/// <c>if (size != 4 &amp;&amp; size != 8) return -EINVAL;</c> and/or
/// <c>if (bit &lt; 0 || bit &gt;= size * 8) return -EINVAL;</c> (<c>bit &gt;= 32</c> for a constant size
/// of 4; no <c>bit &lt; 0</c> for an unsigned bit), braced as the method's early returns are. When an
/// operand is computed under a lock or in a region, the check goes where the fewest are held and its
/// return releases them first, innermost first (<see cref="GuardInsertion.InsertionPoint"/>).
/// </summary>
/// <remarks>Declines with the <see cref="DeclineReason"/> the rule page lists.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA3002UnvalidatedBitOperationCodeFix)), Shared]
public sealed class UA3002UnvalidatedBitOperationCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnvalidatedBitOperation);

    /// <inheritdoc/>
    protected override string Title => "Validate the size and bit and return -EINVAL first";

    internal override string EquivalenceKey => EquivalenceKeys.UA3002ValidateBitOperation;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        var properties = diagnostic.Properties;
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node
            || !properties.TryGetValue(DiagnosticProperties.BitOperationSize, out var sizeText) || sizeText is null
            || !properties.TryGetValue(DiagnosticProperties.BitOperationBit, out var bitText) || bitText is null
            || !properties.TryGetValue(DiagnosticProperties.BitValidationMissing, out var missing) || missing is not ("Size" or "Bit" or "SizeAndBit"))
        {
            return DeclineReason.CodeChanged;
        }

        var invocation = SyntaxSupport.InvocationsAround(node).FirstOrDefault(i => i.Span == diagnostic.Location.SourceSpan);
        if (invocation is null
            || SyntaxSupport.ContainingFunction(invocation) is not var (member, body))
        {
            return DeclineReason.CodeChanged;
        }

        if (ErrorReturn.Declined(context, member, body) is { } noErrno)
        {
            return noErrno;
        }

        var arguments = invocation.ArgumentList.Arguments.Select(a => a.Expression).ToList();
        var size = arguments.FirstOrDefault(e => e.ToString() == sizeText);
        var bit = arguments.FirstOrDefault(e => e.ToString() == bitText);
        if (size is null || bit is null)
        {
            return DeclineReason.PointerNotAVariable;
        }

        bool checkSize = missing is "Size" or "SizeAndBit";
        bool checkBit = missing is "Bit" or "SizeAndBit";
        var operands = new List<ISymbol>();
        var sizeConstant = model.GetConstantValue(size, cancellationToken);
        if (!sizeConstant.HasValue)
        {
            if (size is not IdentifierNameSyntax || model.GetSymbolInfo(size, cancellationToken).Symbol is not { } s)
            {
                return DeclineReason.PointerNotAVariable;
            }

            operands.Add(s);
        }
        else if (checkSize)
        {
            return DeclineReason.ConstantOutOfRange;
        }

        ITypeSymbol? bitType = null;
        if (checkBit)
        {
            if (bit is not IdentifierNameSyntax || model.GetSymbolInfo(bit, cancellationToken).Symbol is not { } b)
            {
                return DeclineReason.PointerNotAVariable;
            }

            operands.Add(b);
            bitType = model.GetTypeInfo(bit, cancellationToken).Type;
        }

        if (GuardInsertion.InsertionPoint(context, invocation, body, operands) is not var (statement, releases))
        {
            return DeclineReason.NoPlaceForTheCheck;
        }

        int position = statement.SpanStart;
        const bool braceless = true;
        var guards = new List<StatementSyntax>();
        if (checkSize)
        {
            var condition = BinaryExpression(
                SyntaxKind.LogicalAndExpression,
                BinaryExpression(SyntaxKind.NotEqualsExpression, IdentifierName(sizeText), Number(4)),
                BinaryExpression(SyntaxKind.NotEqualsExpression, IdentifierName(sizeText), Number(8)));
            guards.Add(GuardInsertion.Guard(condition, releases, SyntaxSupport.NegativeErrno(model, position, "EINVAL"), braceless));
        }

        if (checkBit)
        {
            ExpressionSyntax limit = sizeConstant.HasValue && sizeConstant.Value is int k
                ? Number(k * 8)
                : BinaryExpression(SyntaxKind.MultiplyExpression, IdentifierName(sizeText), Number(8));
            ExpressionSyntax condition = BinaryExpression(SyntaxKind.GreaterThanOrEqualExpression, IdentifierName(bitText), limit);
            if (bitType is null || !IsUnsigned(bitType))
            {
                condition = BinaryExpression(
                    SyntaxKind.LogicalOrExpression,
                    BinaryExpression(SyntaxKind.LessThanExpression, IdentifierName(bitText), Number(0)),
                    condition);
            }

            guards.Add(GuardInsertion.Guard(condition, releases, SyntaxSupport.NegativeErrno(model, position, "EINVAL"), braceless));
        }

        foreach (var guard in guards)
        {
            var type = model.GetSpeculativeTypeInfo(position, ((IfStatementSyntax)guard).Condition, SpeculativeBindingOption.BindAsExpression).Type;
            if (type?.SpecialType != SpecialType.System_Boolean)
            {
                return DeclineReason.NoPlaceForTheCheck;
            }
        }

        return FixPlan.Rewrite(() => GuardInsertion.InsertBefore(root, statement, guards));
    }

    private static bool IsUnsigned(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_Byte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64;

    private static LiteralExpressionSyntax Number(int value) => LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(value));
}
