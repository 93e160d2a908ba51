using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
/// UA3001: an atomic user op on an address not proven aligned. Inserts, before the outermost
/// statement around the op where nothing is held (and the pointer and size mean the same), the
/// check <c>if ((uaddr.Address &amp; (sizeof(ulong) - 1)) != 0) return -EINVAL;</c>: the size is
/// <c>sizeof(T)</c> of a <c>UserPtr&lt;T&gt;</c>, the constant size argument, or the size variable
/// (<c>(ulong)(size - 1)</c>). Braced or not as the method's early returns are. When the pointer is
/// computed under a lock or in a region, the check goes where the fewest are held and its return
/// releases them first, innermost first (<see cref="GuardInsertion.InsertionPoint"/>).
/// </summary>
/// <remarks>Declines with the <see cref="DeclineReason"/> the rule page lists; an <c>out</c> parameter not yet assigned at the check is set to 0 before its return.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA3001UnalignedUserAtomicCodeFix)), Shared]
public sealed class UA3001UnalignedUserAtomicCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnalignedUserAtomic);

    /// <inheritdoc/>
    protected override string Title => "Check the alignment and return -EINVAL first";

    internal override string EquivalenceKey => EquivalenceKeys.UA3001CheckAlignment;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node
            || !diagnostic.Properties.TryGetValue(DiagnosticProperties.PointerExpression, out var pointerText) || pointerText is null
            || !diagnostic.Properties.TryGetValue(DiagnosticProperties.AlignmentExpression, out var alignmentText) || alignmentText is null)
        {
            return DeclineReason.AccessSizeUnknown;
        }

        var invocation = SyntaxSupport.InvocationsAround(node).FirstOrDefault(i => i.Span == diagnostic.Location.SourceSpan)
            ?? SyntaxSupport.InvocationsAround(node).FirstOrDefault(i => i.Span.IntersectsWith(diagnostic.Location.SourceSpan));
        if (invocation is null
            || SyntaxSupport.ContainingFunction(invocation) is not var (member, body))
        {
            return DeclineReason.CodeChanged;
        }

        if (ErrorReturn.Declined(context, member, body) is { } noErrno)
        {
            return noErrno;
        }

        // The pointer: a plain local or parameter passed to the op.
        var pointer = invocation.ArgumentList.Arguments
            .Select(a => a.Expression)
            .OfType<IdentifierNameSyntax>()
            .FirstOrDefault(e => e.Identifier.ValueText == pointerText);
        if (pointer is null || model.GetSymbolInfo(pointer, cancellationToken).Symbol is not { } pointerSymbol)
        {
            return DeclineReason.PointerNotAVariable;
        }

        var operands = new List<ISymbol> { pointerSymbol };
        ExpressionSyntax mask;
        if (long.TryParse(alignmentText, NumberStyles.None, CultureInfo.InvariantCulture, out long alignment))
        {
            if (alignment < 2 || (alignment & (alignment - 1)) != 0)
            {
                return DeclineReason.AccessSizeUnknown;
            }

            ExpressionSyntax size = SizeOfElement(model.GetTypeInfo(pointer, cancellationToken).Type, alignment)
                ?? LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal((int)alignment));
            mask = ParenthesizedExpression(BinaryExpression(SyntaxKind.SubtractExpression, size, One()));
        }
        else
        {
            var sizeArgument = invocation.ArgumentList.Arguments
                .Select(a => a.Expression)
                .OfType<IdentifierNameSyntax>()
                .FirstOrDefault(e => e.Identifier.ValueText == alignmentText);
            if (sizeArgument is null || model.GetSymbolInfo(sizeArgument, cancellationToken).Symbol is not { } sizeSymbol)
            {
                return DeclineReason.AccessSizeUnknown;
            }

            operands.Add(sizeSymbol);
            mask = CastExpression(
                PredefinedType(Token(SyntaxKind.ULongKeyword)),
                ParenthesizedExpression(BinaryExpression(SyntaxKind.SubtractExpression, IdentifierName(alignmentText), One())));
        }

        if (GuardInsertion.InsertionPoint(context, invocation, body, operands, assignsOutParameters: true) is not var (statement, releases))
        {
            return DeclineReason.NoPlaceForTheCheck;
        }

        // (uaddr.Address & mask) != 0
        var condition = BinaryExpression(
            SyntaxKind.NotEqualsExpression,
            ParenthesizedExpression(BinaryExpression(
                SyntaxKind.BitwiseAndExpression,
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(pointerText), IdentifierName("Address")),
                mask)),
            LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0)));
        var type = model.GetSpeculativeTypeInfo(statement.SpanStart, condition, SpeculativeBindingOption.BindAsExpression).Type;
        if (type?.SpecialType != SpecialType.System_Boolean)
        {
            return DeclineReason.NoPlaceForTheCheck;
        }

        var guard = GuardInsertion.Guard(
            condition,
            GuardInsertion.OutParameterDefaults(model, statement).Concat(releases).ToList(),
            SyntaxSupport.NegativeErrno(model, statement.SpanStart, "EINVAL"),
            braceless: true);
        return FixPlan.Rewrite(() => GuardInsertion.InsertBefore(root, statement, new[] { guard }));
    }

    /// <summary><c>sizeof(T)</c> for a <c>UserPtr&lt;T&gt;</c> of a primitive of that size, else null.</summary>
    private static ExpressionSyntax? SizeOfElement(ITypeSymbol? pointerType, long alignment)
    {
        if (pointerType is not INamedTypeSymbol { TypeArguments.Length: 1 } named)
        {
            return null;
        }

        var (keyword, size) = named.TypeArguments[0].SpecialType switch
        {
            SpecialType.System_Int16 => (SyntaxKind.ShortKeyword, 2),
            SpecialType.System_UInt16 => (SyntaxKind.UShortKeyword, 2),
            SpecialType.System_Int32 => (SyntaxKind.IntKeyword, 4),
            SpecialType.System_UInt32 => (SyntaxKind.UIntKeyword, 4),
            SpecialType.System_Int64 => (SyntaxKind.LongKeyword, 8),
            SpecialType.System_UInt64 => (SyntaxKind.ULongKeyword, 8),
            _ => (SyntaxKind.None, 0),
        };
        return size == alignment ? SizeOfExpression(PredefinedType(Token(keyword))) : null;
    }

    private static LiteralExpressionSyntax One() => LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(1));
}
