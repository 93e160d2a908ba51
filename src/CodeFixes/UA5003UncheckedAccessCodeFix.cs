using System;
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
using UserAccess.Analyzers.Engine;
using UserAccess.CodeFixes.Support;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes;

/// <summary>
/// UA5003: an unchecked access (<c>GetUserUnchecked</c>, <c>PutUserUnchecked</c>) on a pointer not
/// range-checked. Inserts <c>if (!AccessOk(p, sizeof(T))) return -EFAULT;</c> before it (above its
/// nofault region, where nothing is held). For a typed view at a constant offset
/// (<c>(infop + 8).Cast&lt;int&gt;()</c>) the check is of the variable the pointer is an address in, for
/// the whole record the code after it reaches through it, as the kernel's
/// <c>user_write_access_begin(infop, sizeof(*infop))</c>. When the pointer is computed under a lock or
/// with preemption disabled, the check goes where the fewest are held and its return releases them
/// first, innermost first (<see cref="GuardInsertion.InsertionPoint"/>); an <c>out</c> parameter not
/// yet assigned there is set to 0 first.
/// </summary>
/// <remarks>Declines with the <see cref="DeclineReason"/> the rule page lists.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA5003UncheckedAccessCodeFix)), Shared]
public sealed class UA5003UncheckedAccessCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UncheckedAccess);

    /// <inheritdoc/>
    protected override string Title => "Check the range with AccessOk and return -EFAULT first";

    internal override string EquivalenceKey => EquivalenceKeys.UA5003CheckAccessOk;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node
            || !diagnostic.Properties.TryGetValue(DiagnosticProperties.PointerExpression, out var pointerText) || pointerText is null)
        {
            return DeclineReason.AccessSizeUnknown;
        }

        var invocation = SyntaxSupport.InvocationsAround(node).FirstOrDefault(i => i.Span == diagnostic.Location.SourceSpan);
        if (invocation is null
            || SyntaxSupport.ContainingFunction(invocation) is not var (member, body))
        {
            return DeclineReason.CodeChanged;
        }

        // A copy of a span (__copy_to_user_inatomic(ptr, page + offset, bytes)): the range is the span's length.
        long accessSize = 0;
        bool sized = diagnostic.Properties.TryGetValue(DiagnosticProperties.AccessSize, out var sizeText)
            && long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out accessSize);
        var spanLength = sized ? null : SpanLength(context, invocation);
        if (!sized && spanLength is null)
        {
            return DeclineReason.AccessSizeUnknown;
        }

        // Fix All fixes on the document the previous fix wrote: one check of a whole record covers the
        // accesses reported after it.
        if (context.Facts(invocation) is { } facts && facts.CallAt(invocation) is { } site && Checked(facts, site))
        {
            return DeclineReason.CodeChanged;
        }

        if (ErrorReturn.Declined(context, member, body) is { } noErrno)
        {
            return noErrno;
        }

        // The variable the pointer is an address in and the offset from it, as the rule reads them:
        // uaddr, (infop + 8).Cast<int>(), (dirent + 16).Cast<ushort>().
        var pointer = invocation.ArgumentList.Arguments
            .Select(a => SyntaxSupport.Unparenthesize(a.Expression))
            .FirstOrDefault(e => e.ToString() == pointerText);
        long offset = 0;
        var pointerSymbol = pointer is not null && model.GetOperation(pointer, cancellationToken) is { } pointerOperation
            ? AlignmentFacts.Root(pointerOperation, out offset)
            : null;
        if (pointer is null || pointerSymbol is null)
        {
            // (dst + i).Cast<byte>(): an address in dst, at an offset the loop moves.
            return pointer?.DescendantNodesAndSelf().OfType<BinaryExpressionSyntax>().Any(b => b.IsKind(SyntaxKind.AddExpression)) == true
                ? DeclineReason.OffsetNotConstant
                : DeclineReason.PointerNotAVariable;
        }

        if (pointerSymbol is not (ILocalSymbol or IParameterSymbol) || offset < 0)
        {
            return DeclineReason.PointerNotAVariable;
        }

        var operands = new List<ISymbol> { pointerSymbol };
        if (spanLength is not null)
        {
            if (offset != 0)
            {
                return DeclineReason.AccessSizeUnknown;
            }

            if (spanLength.Value.Operand is { } lengthOperand)
            {
                operands.Add(lengthOperand);
            }
        }

        if (GuardInsertion.InsertionPoint(context, invocation, body, operands, assignsOutParameters: true) is not var (statement, releases))
        {
            return DeclineReason.NoPlaceForTheCheck;
        }

        // One check for the whole object, as the kernel's user_access_begin(infop, sizeof(*infop)):
        // it covers every field the code after it reaches through the same pointer.
        long size = Math.Max(offset + accessSize, context.Facts(invocation) is { } engineFacts ? Covered(engineFacts, statement, pointerSymbol) : 0);
        var sizeExpression = spanLength is not null ? spanLength.Value.Length.WithoutTrivia()
            : offset == 0 && size == accessSize && SizeOfElement(model.GetTypeInfo(pointer, cancellationToken).Type, size) is { } sizeOf
            ? sizeOf
            : LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal((int)size));
        var check = InvocationExpression(
            IdentifierName("AccessOk"),
            ArgumentList(SeparatedList(new[] { Argument(IdentifierName(pointerSymbol.Name)), Argument(sizeExpression) })));
        // The kernel's access_ok(), known by its [AccessOkCheck] as the rule knows it.
        if (model.GetSpeculativeSymbolInfo(statement.SpanStart, check, SpeculativeBindingOption.BindAsExpression).Symbol is not IMethodSymbol method
            || context.Facts(invocation) is not { } checkFacts || !checkFacts.AnnotationsOf(method).IsAccessOkCheck)
        {
            return DeclineReason.DoesNotBind;
        }

        var guard = GuardInsertion.Guard(
            PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, check),
            GuardInsertion.OutParameterDefaults(model, statement).Concat(releases).ToList(),
            SyntaxSupport.NegativeErrno(model, statement.SpanStart, "EFAULT"),
            braceless: true);
        return FixPlan.Rewrite(() => GuardInsertion.InsertBefore(root, statement, new[] { guard }));
    }

    /// <summary>
    /// The length of the span a copy's size parameter names, and the variable the check must come after,
    /// as the engine reads the span (<see cref="UserFetch.ArrayBehind"/>): <c>page.AsSpan(offset, bytes)</c>
    /// gives <c>bytes</c> when it is a constant or a local or parameter; a whole array in a local or
    /// parameter (<c>ext</c>, <c>ext.AsSpan()</c>) gives <c>ext.Length</c>, as the kernel's <c>sizeof(ext)</c>.
    /// Null otherwise.
    /// </summary>
    private static (ExpressionSyntax Length, ISymbol? Operand)? SpanLength(FixContext context, InvocationExpressionSyntax invocation)
    {
        var model = context.Model;
        if (context.Facts(invocation)?.CallAt(invocation) is not { } site
            || site.Effects.Annotations.UserAccessSize is not { } sizeParameter
            || FlowAnalysis.ArgumentFor(site.Effects.Method, site.Effects.Arguments, sizeParameter) is not { } argument
            || UserFetch.ArrayBehind(argument, out var length, out bool fromStart) is not { } array)
        {
            return null;
        }

        if (length is null)
        {
            return fromStart && array is ILocalSymbol or IParameterSymbol
                ? (MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(array.Name), IdentifierName("Length")), array)
                : null;
        }

        var lengthSyntax = SyntaxSupport.Unparenthesize((ExpressionSyntax)length.Syntax);
        if (model.GetConstantValue(lengthSyntax, context.CancellationToken).HasValue)
        {
            return (lengthSyntax, null);
        }

        return lengthSyntax is IdentifierNameSyntax && model.GetSymbolInfo(lengthSyntax, context.CancellationToken).Symbol is (ILocalSymbol or IParameterSymbol) and var symbol
            ? (lengthSyntax, symbol)
            : null;
    }

    /// <summary>Every pointer the call needs checked is checked before it, as the rule reads it.</summary>
    private static bool Checked(EngineFacts facts, CallSite site) =>
        !UA5003UncheckedAccessAnalyzer.UncheckedPointers(facts.Analysis, site).Any();

    /// <summary>
    /// The end of the furthest unchecked access through <paramref name="pointer"/> at a constant
    /// offset, from <paramref name="place"/> to the end of its block while the pointer is not written:
    /// the accesses one check before them covers.
    /// </summary>
    private static long Covered(EngineFacts facts, StatementSyntax place, ISymbol pointer)
    {
        if (place.Parent is not BlockSyntax block)
        {
            return 0;
        }

        var statements = block.Statements;
        var tail = statements.Skip(statements.IndexOf(place)).ToList();
        if (facts.Model.AnalyzeDataFlow(tail[0], tail[tail.Count - 1]) is not { Succeeded: true } flow
            || flow.WrittenInside.Contains(pointer, SymbolEqualityComparer.Default))
        {
            return 0;
        }

        long covered = 0;
        var region = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(tail[0].SpanStart, tail[tail.Count - 1].Span.End);
        foreach (var call in facts.Analysis.Calls)
        {
            if (!region.Contains(call.Operation.Syntax.Span))
            {
                continue;
            }

            var method = call.Effects.Method;
            foreach (int ordinal in call.Effects.Annotations.RequiresAccessOk)
            {
                if (ordinal < method.Parameters.Length
                    && FlowAnalysis.ArgumentFor(method, call.Effects.Arguments, method.Parameters[ordinal].Name) is { } argument
                    && UA5003UncheckedAccessAnalyzer.AccessSize(method.Parameters[ordinal].Type, call.Effects.Annotations.UserAccessSize) is long needed
                    && AlignmentFacts.Root(argument, out long at) is { } root
                    && SymbolEqualityComparer.Default.Equals(root, pointer))
                {
                    covered = Math.Max(covered, at + needed);
                }
            }
        }

        return covered;
    }

    /// <summary><c>sizeof(T)</c> for a <c>UserPtr&lt;T&gt;</c> of a primitive of that size, else null.</summary>
    private static ExpressionSyntax? SizeOfElement(ITypeSymbol? pointerType, long size)
    {
        if (pointerType is not INamedTypeSymbol { TypeArguments.Length: 1 } named)
        {
            return null;
        }

        var (keyword, bytes) = named.TypeArguments[0].SpecialType switch
        {
            SpecialType.System_Byte => (SyntaxKind.ByteKeyword, 1),
            SpecialType.System_SByte => (SyntaxKind.SByteKeyword, 1),
            SpecialType.System_Boolean => (SyntaxKind.BoolKeyword, 1),
            SpecialType.System_Int16 => (SyntaxKind.ShortKeyword, 2),
            SpecialType.System_UInt16 => (SyntaxKind.UShortKeyword, 2),
            SpecialType.System_Char => (SyntaxKind.CharKeyword, 2),
            SpecialType.System_Int32 => (SyntaxKind.IntKeyword, 4),
            SpecialType.System_UInt32 => (SyntaxKind.UIntKeyword, 4),
            SpecialType.System_Single => (SyntaxKind.FloatKeyword, 4),
            SpecialType.System_Int64 => (SyntaxKind.LongKeyword, 8),
            SpecialType.System_UInt64 => (SyntaxKind.ULongKeyword, 8),
            SpecialType.System_Double => (SyntaxKind.DoubleKeyword, 8),
            _ => (SyntaxKind.None, 0),
        };
        return bytes == size ? SizeOfExpression(PredefinedType(Token(keyword))) : null;
    }
}
