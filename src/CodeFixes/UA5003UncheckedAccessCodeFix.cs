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
/// UA5003: an unchecked access (<c>GetUserUnchecked</c>, <c>PutUserUnchecked</c>) on a pointer not
/// range-checked. Inserts <c>if (!AccessOk(p, sizeof(T))) return -EFAULT;</c> before it (above its
/// nofault region, where nothing is held), <c>sizeof(T)</c> being the size of the typed pointer's
/// element; braced as the method's early returns are. When the pointer is computed under a lock or
/// with preemption disabled, the check goes where the fewest are held and its return releases them
/// first, innermost first (<see cref="GuardInsertion.InsertionPoint"/>).
/// </summary>
/// <remarks>
/// Declined: an access size the rule does not know, a pointer that is not a plain local or
/// parameter (<c>p + 8</c>, a field), one written between the check and the access, a method that
/// does not return an errno, and no place where what is held can be released.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA5003UncheckedAccessCodeFix)), Shared]
public sealed class UA5003UncheckedAccessCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UncheckedAccess);

    /// <inheritdoc/>
    protected override string Title => "Check the range with AccessOk and return -EFAULT first";

    internal override string EquivalenceKey => EquivalenceKeys.UA5003CheckAccessOk;

    internal override SyntaxNode? Fix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node
            || !diagnostic.Properties.TryGetValue(DiagnosticProperties.PointerExpression, out var pointerText) || pointerText is null
            || !diagnostic.Properties.TryGetValue(DiagnosticProperties.AccessSize, out var sizeText)
            || !long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out long accessSize))
        {
            return null;
        }

        var invocation = SyntaxSupport.InvocationsAround(node).FirstOrDefault(i => i.Span == diagnostic.Location.SourceSpan);
        if (invocation is null
            || SyntaxSupport.ContainingFunction(invocation) is not var (member, body)
            || !SyntaxSupport.ReturnsErrno(model, member)
            || CallSupport.FirstErrorReturnWouldFlagAWait(model, body, cancellationToken))
        {
            return null;
        }

        var pointer = invocation.ArgumentList.Arguments
            .Select(a => a.Expression)
            .OfType<IdentifierNameSyntax>()
            .FirstOrDefault(e => e.Identifier.ValueText == pointerText);
        if (pointer is null || model.GetSymbolInfo(pointer, cancellationToken).Symbol is not { } pointerSymbol
            || SizeOfElement(model.GetTypeInfo(pointer, cancellationToken).Type, accessSize) is not { } size)
        {
            return null;
        }

        if (GuardInsertion.InsertionPoint(model, invocation, body, new List<ISymbol> { pointerSymbol }, cancellationToken) is not var (statement, releases))
        {
            return null;
        }

        var check = InvocationExpression(
            IdentifierName("AccessOk"),
            ArgumentList(SeparatedList(new[] { Argument(IdentifierName(pointerText)), Argument(size) })));
        if (model.GetSpeculativeSymbolInfo(statement.SpanStart, check, SpeculativeBindingOption.BindAsExpression).Symbol is not IMethodSymbol { Name: "AccessOk" } method
            || method.ContainingType?.ToDisplayString() != "UserAccess.Runtime.Kernel")
        {
            return null;
        }

        var guard = GuardInsertion.Guard(
            PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, check),
            releases,
            SyntaxSupport.NegativeErrno(model, statement.SpanStart, "EFAULT"),
            GuardInsertion.BracelessEarlyReturns(body));
        return GuardInsertion.InsertBefore(root, statement, new[] { guard });
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
