using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// An integer expression as a constant plus whole multiples of variables, with each local that is set
/// once outside every loop read as the value it was set to: the form in which the two halves of a copy
/// split around a wrap point add up (math-emu's <c>fsave()</c> stores the register stack from
/// <c>offset</c> to its end at <c>d</c>, then the rest at <c>d + other</c> with <c>other = 80 - offset</c>:
/// the second half ends at <c>d + 80</c>, which a bound of each part alone cannot show).
/// </summary>
internal sealed class LinearSum
{
    private const int MaxDepth = 4;

    private LinearSum(long constant, Dictionary<ISymbol, long> terms)
    {
        Constant = constant;
        Terms = terms;
    }

    public long Constant { get; }

    /// <summary>Each variable with its factor (none is 0).</summary>
    public Dictionary<ISymbol, long> Terms { get; }

    /// <summary>The sum of <paramref name="operation"/>; <c>null</c> when it is not one of constants and variables (a call, a product of variables) or overflows.</summary>
    public static LinearSum? Of(IOperation operation, LoopFacts facts) => Of(operation, facts, MaxDepth);

    /// <summary>This plus <paramref name="factor"/> times <paramref name="other"/>; <c>null</c> on overflow.</summary>
    public LinearSum? Plus(LinearSum other, long factor = 1)
    {
        var terms = new Dictionary<ISymbol, long>(Terms, SymbolEqualityComparer.Default);
        try
        {
            foreach (var pair in other.Terms)
            {
                long sum = checked((terms.TryGetValue(pair.Key, out long mine) ? mine : 0) + (pair.Value * factor));
                if (sum == 0)
                {
                    terms.Remove(pair.Key);
                }
                else
                {
                    terms[pair.Key] = sum;
                }
            }

            return new LinearSum(checked(Constant + (other.Constant * factor)), terms);
        }
        catch (System.OverflowException)
        {
            return null;
        }
    }

    /// <summary>
    /// The least value the sum can have where <paramref name="state"/> holds: a variable with a negative
    /// factor at its upper bound, one with a positive factor at 0 when it cannot be negative (an unsigned
    /// type, or a range the checks left non-negative). <c>null</c> when a variable has no such bound.
    /// </summary>
    public long? LowerBound(FlowState state)
    {
        long lower = Constant;
        foreach (var pair in Terms)
        {
            var range = state.GetFact(pair.Key).Range;
            if (pair.Value > 0)
            {
                if (!range.NonNegative && !IsUnsigned(pair.Key))
                {
                    return null;
                }
            }
            else if (range.PastRoot is null && range.Upper is long upper)
            {
                try
                {
                    lower = checked(lower + (pair.Value * upper));
                }
                catch (System.OverflowException)
                {
                    return null;
                }
            }
            else
            {
                return null;
            }
        }

        return lower;
    }

    private static LinearSum? Of(IOperation operation, LoopFacts facts, int depth)
    {
        var stripped = FlowAnalysis.Strip(operation);
        if (OperandRanges.Constant(stripped) is long constant)
        {
            return new LinearSum(constant, new Dictionary<ISymbol, long>(SymbolEqualityComparer.Default));
        }

        switch (stripped)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract, OperatorMethod: null } sum:
                return Of(sum.LeftOperand, facts, depth) is { } left && Of(sum.RightOperand, facts, depth) is { } right
                    ? left.Plus(right, sum.OperatorKind == BinaryOperatorKind.Add ? 1 : -1)
                    : null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply, OperatorMethod: null } product:
                var (scaled, factor) = OperandRanges.Constant(product.RightOperand) is long right2 ? (product.LeftOperand, right2)
                    : OperandRanges.Constant(product.LeftOperand) is long left2 ? (product.RightOperand, left2) : (null, 0L);
                return scaled is not null && Of(scaled, facts, depth) is { } inner
                    ? new LinearSum(0, new Dictionary<ISymbol, long>(SymbolEqualityComparer.Default)).Plus(inner, factor)
                    : null;
        }

        if (FlowAnalysis.SymbolOf(stripped) is not ({ } symbol and (ILocalSymbol or IParameterSymbol)) || !facts.HoldsOneValue(symbol))
        {
            return null;
        }

        // A local set once is its value, when that value is a sum of variables that are themselves set once.
        if (depth > 0 && facts.SoleDefinitionOutsideLoops(symbol) is { } value && Of(value, facts, depth - 1) is { } definition)
        {
            return definition;
        }

        return new LinearSum(0, new Dictionary<ISymbol, long>(SymbolEqualityComparer.Default) { [symbol] = 1 });
    }

    private static bool IsUnsigned(ISymbol symbol) =>
        (symbol as ILocalSymbol)?.Type.SpecialType is SpecialType.System_Byte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64
        || (symbol as IParameterSymbol)?.Type.SpecialType is SpecialType.System_Byte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64;
}
