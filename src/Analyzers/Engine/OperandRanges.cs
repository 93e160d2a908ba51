using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// What dominating checks proved about an integer used as the size or bit number of a user bit
/// operation (UA3002), kept on the variable's <see cref="SymbolFact"/>. Joins as "must".
/// </summary>
internal readonly struct OperandRange : IEquatable<OperandRange>
{
    public OperandRange(bool sizeIs4Or8, bool nonNegative, long? upper, ISymbol? upperBySize, ISymbol? below = null)
    {
        SizeIs4Or8 = sizeIs4Or8;
        NonNegative = nonNegative;
        Upper = upper;
        UpperBySize = upperBySize;
        Below = below;
    }

    /// <summary>The value is less than this variable (<c>i &lt; len</c>): an index inside a buffer of that length (UA5003).</summary>
    public ISymbol? Below { get; }

    /// <summary>The value is 4 or 8 (<c>if (size != 4 &amp;&amp; size != 8) return -EINVAL;</c>).</summary>
    public bool SizeIs4Or8 { get; }

    /// <summary>The value is at least 0.</summary>
    public bool NonNegative { get; }

    /// <summary>The value is at most this constant.</summary>
    public long? Upper { get; }

    /// <summary>The value is at most <c>UpperBySize * 8 - 1</c> (<c>bit &gt;= size * 8</c> was excluded).</summary>
    public ISymbol? UpperBySize { get; }

    public bool IsEmpty => !SizeIs4Or8 && !NonNegative && Upper is null && UpperBySize is null && Below is null;

    public OperandRange Join(OperandRange other) => new(
        SizeIs4Or8 && other.SizeIs4Or8,
        NonNegative && other.NonNegative,
        Upper is long a && other.Upper is long b ? Math.Max(a, b) : null,
        SymbolEqualityComparer.Default.Equals(UpperBySize, other.UpperBySize) ? UpperBySize : null,
        SymbolEqualityComparer.Default.Equals(Below, other.Below) ? Below : null);

    public OperandRange With(bool sizeIs4Or8 = false, bool nonNegative = false, long? upper = null, ISymbol? upperBySize = null, ISymbol? below = null) => new(
        SizeIs4Or8 || sizeIs4Or8,
        NonNegative || nonNegative,
        Upper is long a ? (upper is long b ? Math.Min(a, b) : a) : upper,
        upperBySize ?? UpperBySize,
        below ?? Below);

    /// <summary>The same range without what it said relative to <paramref name="symbol"/> (that variable was assigned).</summary>
    public OperandRange Forget(ISymbol symbol) => new(
        SizeIs4Or8,
        NonNegative,
        Upper,
        SymbolEqualityComparer.Default.Equals(UpperBySize, symbol) ? null : UpperBySize,
        SymbolEqualityComparer.Default.Equals(Below, symbol) ? null : Below);

    public bool Equals(OperandRange other) =>
        SizeIs4Or8 == other.SizeIs4Or8 && NonNegative == other.NonNegative && Upper == other.Upper
        && SymbolEqualityComparer.Default.Equals(UpperBySize, other.UpperBySize)
        && SymbolEqualityComparer.Default.Equals(Below, other.Below);

    public override bool Equals(object? obj) => obj is OperandRange other && Equals(other);

    public override int GetHashCode() => (SizeIs4Or8 ? 1 : 0) | (NonNegative ? 2 : 0);
}

/// <summary>
/// Edge refinement for <see cref="OperandRange"/>: the validations of a user bit operation's operands,
/// in any order, as kernel code writes them: <c>size != 4 &amp;&amp; size != 8</c> (or <c>== 4 || == 8</c>),
/// <c>bit &lt; 0</c>, <c>bit &gt;= size * 8</c>, <c>bit &gt; size * 8 - 1</c>, <c>(uint)bit &gt;= size * 8</c>,
/// <c>bit &gt; 31</c>, with the operands on either side.
/// </summary>
internal static class OperandRanges
{
    public static FlowState Refine(IOperation condition, bool value, FlowState state)
    {
        for (int depth = 0; depth < 8 && FlowAnalysis.Strip(condition) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not; depth++)
        {
            condition = not.Operand;
            value = !value;
        }

        if (FlowAnalysis.Strip(condition) is IIsPatternOperation isPattern)
        {
            return RefinePattern(isPattern, value, state);
        }

        if (FlowAnalysis.Strip(condition) is not IBinaryOperation binary)
        {
            return state;
        }

        var kind = binary.OperatorKind;
        var left = binary.LeftOperand;
        var right = binary.RightOperand;
        if (!IsVariable(left) && IsVariable(right))
        {
            (left, right) = (right, left);
            kind = Flip(kind);
        }

        if (FlowAnalysis.SymbolOf(left) is not { } symbol || binary.OperatorMethod is not null)
        {
            return state;
        }

        // The relation that holds on this edge: "symbol kind right".
        if (!value)
        {
            kind = Negate(kind);
        }

        long? constant = Constant(right);
        var fact = state.GetFact(symbol);
        var range = fact.Range;
        switch (kind)
        {
            case BinaryOperatorKind.Equals when constant is 4 or 8:
                range = range.With(sizeIs4Or8: true, nonNegative: true, upper: constant);
                break;
            case BinaryOperatorKind.LessThan:
            case BinaryOperatorKind.LessThanOrEqual:
            {
                bool strict = kind == BinaryOperatorKind.LessThan;

                // (uint)bit < n: the unsigned comparison also excludes negative values.
                bool unsignedCompare = IsUnsignedConversionOfSigned(left);
                if (constant is long k)
                {
                    range = range.With(nonNegative: unsignedCompare, upper: strict ? k - 1 : k);
                }
                else if (SizeTimesEight(right, out bool minusOne) is { } size && (strict || minusOne))
                {
                    range = range.With(nonNegative: unsignedCompare, upperBySize: size);
                }
                else if (strict && FlowAnalysis.SymbolOf(right) is { } length && !SymbolEqualityComparer.Default.Equals(length, symbol))
                {
                    range = range.With(nonNegative: unsignedCompare, below: length);
                }
                else
                {
                    return state;
                }

                break;
            }

            case BinaryOperatorKind.GreaterThan when constant is long k && k >= -1:
            case BinaryOperatorKind.GreaterThanOrEqual when constant is long k2 && k2 >= 0:
                range = range.With(nonNegative: true);
                break;
            default:
                return state;
        }

        return state.SetFact(symbol, fact.WithRange(range));
    }

    /// <summary><c>size is 4 or 8</c> (true edge), <c>size is not (4 or 8)</c> (false edge).</summary>
    private static FlowState RefinePattern(IIsPatternOperation isPattern, bool value, FlowState state)
    {
        var pattern = isPattern.Pattern;
        while (pattern is INegatedPatternOperation negated)
        {
            pattern = negated.Pattern;
            value = !value;
        }

        if (!value || FlowAnalysis.SymbolOf(isPattern.Value) is not { } symbol || !OnlyFourOrEight(pattern, 0))
        {
            return state;
        }

        var fact = state.GetFact(symbol);
        return state.SetFact(symbol, fact.WithRange(fact.Range.With(sizeIs4Or8: true, nonNegative: true, upper: 8)));
    }

    private static bool OnlyFourOrEight(IPatternOperation pattern, int depth) => depth < 8 && pattern switch
    {
        IConstantPatternOperation constant => Constant(constant.Value) is 4 or 8,
        IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } or => OnlyFourOrEight(or.LeftPattern, depth + 1) && OnlyFourOrEight(or.RightPattern, depth + 1),
        _ => false,
    };

    /// <summary><c>size * 8</c>, <c>8 * size</c>, <c>size &lt;&lt; 3</c>, optionally <c>- 1</c>: the size variable.</summary>
    public static ISymbol? SizeTimesEight(IOperation operation, out bool minusOne)
    {
        minusOne = false;
        var stripped = FlowAnalysis.Strip(operation);
        if (stripped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } minus && Constant(minus.RightOperand) == 1)
        {
            minusOne = true;
            stripped = FlowAnalysis.Strip(minus.LeftOperand);
        }

        if (stripped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } times)
        {
            if (Constant(times.RightOperand) == 8)
            {
                return FlowAnalysis.SymbolOf(times.LeftOperand);
            }

            if (Constant(times.LeftOperand) == 8)
            {
                return FlowAnalysis.SymbolOf(times.RightOperand);
            }
        }

        if (stripped is IBinaryOperation { OperatorKind: BinaryOperatorKind.LeftShift } shift && Constant(shift.RightOperand) == 3)
        {
            return FlowAnalysis.SymbolOf(shift.LeftOperand);
        }

        return null;
    }

    public static long? Constant(IOperation operation)
    {
        if (operation.ConstantValue.HasValue)
        {
            return FlowAnalysis.ToLong(operation.ConstantValue.Value);
        }

        var stripped = FlowAnalysis.Strip(operation);
        return stripped.ConstantValue.HasValue ? FlowAnalysis.ToLong(stripped.ConstantValue.Value) : null;
    }

    /// <summary>An unsigned integer type: its values are never negative.</summary>
    public static bool IsUnsigned(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Byte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64;

    private static bool IsVariable(IOperation operation) => FlowAnalysis.SymbolOf(operation) is not null;

    private static bool IsUnsignedConversionOfSigned(IOperation operation)
    {
        for (var current = operation; current is IConversionOperation or IParenthesizedOperation;)
        {
            if (current is IConversionOperation conversion && IsUnsigned(conversion.Type) && !IsUnsigned(conversion.Operand.Type))
            {
                return true;
            }

            current = current switch
            {
                IConversionOperation c => c.Operand,
                IParenthesizedOperation p => p.Operand,
                _ => current,
            };
        }

        return false;
    }

    private static BinaryOperatorKind Flip(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
        _ => kind,
    };

    private static BinaryOperatorKind Negate(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThanOrEqual,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThanOrEqual,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThan,
        BinaryOperatorKind.Equals => BinaryOperatorKind.NotEquals,
        BinaryOperatorKind.NotEquals => BinaryOperatorKind.Equals,
        _ => BinaryOperatorKind.None,
    };
}
