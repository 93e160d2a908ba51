using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// The kernel's fix of a double fetch into a buffer (a header copied and checked, then the whole
/// struct copied again from the same address): right after the second copy, the part the first copy
/// read is compared with the start of the second, and the function fails with <c>-EINVAL</c> when
/// user space changed it in between ("Ensure desc has not changed between the two reads" in
/// vop_ioctl(); the aacraid and cros_ec fixes compare the checked fields the same way). The error
/// path is the second copy's own, with <c>-EINVAL</c> for its <c>-EFAULT</c>:
/// <code>
/// if (!header.AsSpan().SequenceEqual(whole.AsSpan(0, header.Length)))
/// {
///     ret = -EINVAL;
///     goto exit;
/// }
/// </code>
/// </summary>
internal static class DoubleFetchRecheck
{
    /// <summary>The re-check after the second copy, or why it cannot be written exactly.</summary>
    internal static FixPlan Plan(FixContext context, SyntaxNode member, InvocationExpressionSyntax firstCall, InvocationExpressionSyntax secondCall)
    {
        var (root, model, cancellationToken) = (context.Root, context.Model, context.CancellationToken);
        if (Buffer(model, firstCall, cancellationToken) is not var (first, firstStart, firstLength)
            || Buffer(model, secondCall, cancellationToken) is not var (second, secondStart, secondLength)
            || first is not ILocalSymbol firstArray || firstStart != 0 || secondStart != 0 || secondLength is null)
        {
            return DeclineReason.FetchIntoABuffer;
        }

        if (SymbolEqualityComparer.Default.Equals(first, second) || !KeptAsRead(model, member, firstArray, firstCall, secondCall, cancellationToken))
        {
            return DeclineReason.FirstCopyChanged;
        }

        long? headerLength = firstLength is null ? DeclaredLength(model, firstArray, cancellationToken) : ConstantLength(model, firstLength, cancellationToken);
        if (headerLength is not { } headerBytes || context.Facts(secondCall)?.StateBefore(secondCall) is not { } state
            || Bounds(model.GetOperation(secondLength, cancellationToken), state) is not { } least || least.Min < headerBytes)
        {
            return DeclineReason.SecondCopyShorter;
        }

        if (secondCall.Parent is not BinaryExpressionSyntax { Left: var left, Right: var right } test || left != secondCall
            || !test.IsKind(SyntaxKind.NotEqualsExpression) || !IsZero(model, right, cancellationToken)
            || test.Parent is not IfStatementSyntax { Else: null, Parent: BlockSyntax block } check || check.Condition != test)
        {
            return DeclineReason.FirstFetchNotReusable;
        }

        int next = block.Statements.IndexOf(check) + 1;
        if (next >= block.Statements.Count)
        {
            return DeclineReason.FirstFetchNotReusable;
        }

        int position = block.Statements[next].SpanStart;
        if (InvalidBranch(model, member, check.Statement, position, cancellationToken) is not { } branch)
        {
            return DeclineReason.NoErrorPathToCopy;
        }

        var name = IdentifierName(first.Name);
        var header = firstLength is null
            ? InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, name, IdentifierName("AsSpan")))
            : InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, name, IdentifierName("AsSpan")),
                ArgumentList(SeparatedList(new[] { Argument(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0))), Argument(firstLength.WithoutTrivia()) })));
        var length = firstLength?.WithoutTrivia() ?? MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, name, IdentifierName("Length"));
        var start = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(second.Name), IdentifierName("AsSpan")),
            ArgumentList(SeparatedList(new[] { Argument(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0))), Argument(length) })));
        var compare = InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, header, IdentifierName("SequenceEqual")), ArgumentList(SingletonSeparatedList(Argument(start))));
        if (model.GetSpeculativeSymbolInfo(position, compare, SpeculativeBindingOption.BindAsExpression).Symbol is not IMethodSymbol { Name: "SequenceEqual" })
        {
            return DeclineReason.DoesNotBind;
        }

        var recheck = IfStatement(PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, compare), branch);
        return FixPlan.Rewrite(() => GuardInsertion.InsertBefore(root, block.Statements[next], new[] { recheck }));
    }

    /// <summary>
    /// The array a copy writes and where: <c>buf</c> (from 0, its whole length: null) or
    /// <c>buf.AsSpan(start, length)</c>; null for any other destination (a helper's result, a slice).
    /// </summary>
    private static (ISymbol Array, long Start, ExpressionSyntax? Length)? Buffer(SemanticModel model, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        if (model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation)
        {
            return null;
        }

        var spans = invocation.Arguments.Where(a => a.Parameter is { RefKind: RefKind.None, Type: INamedTypeSymbol { Name: "Span", Arity: 1 } }).ToList();
        if (spans.Count != 1)
        {
            return null;
        }

        switch (Stripped(spans[0].Value))
        {
            case ILocalReferenceOperation { Local: { RefKind: RefKind.None, Type: IArrayTypeSymbol } whole }:
                return (whole, 0, null);
            case IParameterReferenceOperation { Parameter: { RefKind: RefKind.None, Type: IArrayTypeSymbol } whole }:
                return (whole, 0, null);
            case IInvocationOperation { TargetMethod.Name: "AsSpan", Arguments.Length: 3 } slice
                when FlowAnalysis.SymbolOf(Stripped(slice.Arguments[0].Value)) is ILocalSymbol { RefKind: RefKind.None, Type: IArrayTypeSymbol } or IParameterSymbol { RefKind: RefKind.None, Type: IArrayTypeSymbol }
                    && FlowAnalysis.SymbolOf(Stripped(slice.Arguments[0].Value)) is { } array
                    && slice.Arguments[1].Value.ConstantValue is { HasValue: true, Value: int start }
                    && slice.Arguments[2].Value.Syntax is ExpressionSyntax length:
                return (array, start, length);
            default:
                return null;
        }
    }

    private static IOperation Stripped(IOperation value)
    {
        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        return value;
    }

    /// <summary>
    /// The first copy holds what was read until the re-check: its array is assigned only by its
    /// declaration, and up to the second copy it is only read (<c>BitConverter.ToUInt32(buf, 8)</c>,
    /// <c>buf[1]</c>, <c>buf.Length</c>), never written or handed to a helper that could write it.
    /// </summary>
    private static bool KeptAsRead(SemanticModel model, SyntaxNode member, ILocalSymbol array, InvocationExpressionSyntax firstCall, InvocationExpressionSyntax secondCall, CancellationToken cancellationToken)
    {
        foreach (var (name, use) in VariableReferences.In(model, member, array, cancellationToken))
        {
            if (use != ReferenceUse.Read)
            {
                return false;
            }

            if (firstCall.Span.Contains(name.Span) || name.SpanStart >= secondCall.SpanStart)
            {
                continue;
            }

            bool onlyRead = name.Parent switch
            {
                ElementAccessExpressionSyntax element => element.Parent is not (AssignmentExpressionSyntax or PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax or ArgumentSyntax { RefKindKeyword.RawKind: not 0 }),
                MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Length" } => true,
                ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax helper } => model.GetSymbolInfo(helper, cancellationToken).Symbol is IMethodSymbol { ContainingType.Name: "BitConverter" } converter && converter.Name.StartsWith("To", System.StringComparison.Ordinal),
                _ => false,
            };
            if (!onlyRead)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The length of an array declared as <c>var buf = new byte[CONSTANT];</c> in the function and never assigned again.</summary>
    private static long? DeclaredLength(SemanticModel model, ILocalSymbol array, CancellationToken cancellationToken) =>
        array.DeclaringSyntaxReferences.Length == 1
        && array.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: ArrayCreationExpressionSyntax { Type.RankSpecifiers: { Count: 1 } ranks, Initializer: null } }
        && ranks[0].Sizes.Count == 1
            ? ConstantLength(model, ranks[0].Sizes[0], cancellationToken)
            : null;

    private static long? ConstantLength(SemanticModel model, ExpressionSyntax length, CancellationToken cancellationToken) =>
        model.GetConstantValue(length, cancellationToken) is { HasValue: true, Value: int value } ? value : null;

    /// <summary>
    /// The least value the copy's length can have, with the most when it is known: constants added
    /// and subtracted, and unsigned values (a length read from the header is a <c>u32</c>) added,
    /// which are at least 0 and at most what the engine's ranges say the check before left them
    /// (<c>if (len &gt; MAX) return -EINVAL;</c>). Null when it depends on anything else (a signed
    /// value, a subtracted variable) or unsigned arithmetic could wrap around to a smaller length.
    /// </summary>
    private static (long Min, long? Max)? Bounds(IOperation? operation, FlowState state)
    {
        switch (operation)
        {
            case null:
                return null;
            case { ConstantValue: { HasValue: true, Value: int or long or uint or ushort or byte } constant }:
                long value = System.Convert.ToInt64(constant.Value);
                return (value, value);
            case IConversionOperation conversion:
                // A value too large for int turns negative and the copy's AsSpan throws before the re-check;
                // a long could wrap around to a small positive length.
                return Bounds(conversion.Operand, state) is { } converted
                    && (conversion.Type?.SpecialType != SpecialType.System_Int32 || converted.Max is <= uint.MaxValue || Width(conversion.Operand.Type) <= 4)
                    ? converted
                    : null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add:
                return Bounds(add.LeftOperand, state) is { } left && Bounds(add.RightOperand, state) is { } right
                    ? Unwrapped(add, (left.Min + right.Min, left.Max + right.Max))
                    : null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract, RightOperand.ConstantValue: { HasValue: true, Value: int or long or uint } subtracted } subtract:
                long amount = System.Convert.ToInt64(subtracted.Value);
                return Bounds(subtract.LeftOperand, state) is { } minuend ? Unwrapped(subtract, (minuend.Min - amount, minuend.Max - amount)) : null;
            case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IInvocationOperation
                when UnsignedMax(operation.Type) is { } typeMax:
                long? upper = FlowAnalysis.SymbolOf(operation) is { } symbol && state.GetFact(symbol).Range.Upper is long checkedUpper ? checkedUpper : null;
                return (0, upper is long u && u < typeMax ? u : typeMax);
            default:
                return null;
        }
    }

    /// <summary>The bounds of unsigned arithmetic, or null when it could wrap around (below 0 or past the type's largest value).</summary>
    private static (long Min, long? Max)? Unwrapped(IOperation arithmetic, (long Min, long? Max) bounds)
    {
        if (Width(arithmetic.Type) == 0 || arithmetic.Type!.SpecialType == SpecialType.System_UInt64)
        {
            return null;
        }

        // Signed arithmetic of these operands cannot wrap to a positive length: an int that overflows
        // turns negative (the copy's AsSpan throws first), a long holds any sum of u32s.
        return UnsignedMax(arithmetic.Type) is not { } typeMax || (bounds.Min >= 0 && bounds.Max is long max && max <= typeMax) ? bounds : null;
    }

    /// <summary>The largest value of an unsigned integral type (null for <c>ulong</c>: no bound a long holds); null for other types.</summary>
    private static long? UnsignedMax(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Byte => byte.MaxValue,
        SpecialType.System_UInt16 => ushort.MaxValue,
        SpecialType.System_UInt32 => uint.MaxValue,
        _ => null,
    };

    /// <summary>The size in bytes of an integral type; 0 for any other.</summary>
    private static int Width(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Byte or SpecialType.System_SByte => 1,
        SpecialType.System_UInt16 or SpecialType.System_Int16 => 2,
        SpecialType.System_UInt32 or SpecialType.System_Int32 => 4,
        SpecialType.System_UInt64 or SpecialType.System_Int64 => 8,
        _ => 0,
    };

    /// <summary>
    /// The second copy's failure branch with <c>-EINVAL</c> for its <c>-EFAULT</c>
    /// (<c>return -EFAULT;</c>, <c>{ ret = -EFAULT; goto exit; }</c>); for a bare <c>goto out;</c>
    /// (the errno preset in the local the function returns), <c>{ ret = -EINVAL; goto out; }</c>.
    /// Null when the branch does not always leave or has no errno to change.
    /// </summary>
    private static StatementSyntax? InvalidBranch(SemanticModel model, SyntaxNode member, StatementSyntax branch, int position, CancellationToken cancellationToken)
    {
        var last = branch is BlockSyntax { Statements.Count: > 0 } block ? block.Statements.Last() : branch;
        if (last is not (ReturnStatementSyntax or GotoStatementSyntax { RawKind: (int)SyntaxKind.GotoStatement }))
        {
            return null;
        }

        var faults = branch.DescendantNodesAndSelf().OfType<PrefixUnaryExpressionSyntax>()
            .Where(e => SyntaxSupport.IsNegativeErrno(model, e, "EFAULT", cancellationToken)).ToList();
        if (faults.Count > 0)
        {
            return branch.ReplaceNodes(faults, (original, _) => SyntaxSupport.NegativeErrno(model, position, "EINVAL").WithTriviaFrom(original)).WithoutTrivia();
        }

        if (last is not GotoStatementSyntax { Expression: IdentifierNameSyntax label } jump || branch is BlockSyntax { Statements.Count: > 1 }
            || ReturnedAt(model, member, label.Identifier.ValueText, cancellationToken) is not { } result)
        {
            return null;
        }

        return Block(
            ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(result.Name), SyntaxSupport.NegativeErrno(model, position, "EINVAL"))),
            jump.WithoutTrivia());
    }

    /// <summary>
    /// The local an exit label returns (the kernel's <c>out: ...; return retval;</c>): the statements
    /// from the label on, in its block, run straight to <c>return local;</c> without assigning the
    /// local or jumping anywhere else.
    /// </summary>
    private static ILocalSymbol? ReturnedAt(SemanticModel model, SyntaxNode member, string label, CancellationToken cancellationToken)
    {
        if (member.DescendantNodes().OfType<LabeledStatementSyntax>().Where(l => l.Identifier.ValueText == label).ToList() is not { Count: 1 } labels
            || labels[0].Parent is not BlockSyntax block)
        {
            return null;
        }

        var passed = new System.Collections.Generic.List<StatementSyntax>();
        foreach (var statement in block.Statements.Skip(block.Statements.IndexOf(labels[0])))
        {
            var inner = statement;
            while (inner is LabeledStatementSyntax labeled)
            {
                inner = labeled.Statement;
            }

            if (inner is ReturnStatementSyntax { Expression: IdentifierNameSyntax name })
            {
                return model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol { Type.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 } local
                    && !passed.Any(p => VariableReferences.In(model, p, local, cancellationToken).Any(r => r.Use != ReferenceUse.Read))
                    ? local
                    : null;
            }

            if (inner.DescendantNodesAndSelf().Any(n => n is ReturnStatementSyntax or GotoStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or ThrowStatementSyntax))
            {
                return null;
            }

            passed.Add(inner);
        }

        return null;
    }

    private static bool IsZero(SemanticModel model, ExpressionSyntax expression, CancellationToken cancellationToken) =>
        model.GetConstantValue(expression, cancellationToken) is { HasValue: true, Value: int value } && value == 0;
}
