using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// What dominating checks proved about an integer used as the size or bit number of a user bit
/// operation (UA3002), or as the trip count of a loop (UA4003), kept on the variable's
/// <see cref="SymbolFact"/>. Joins as "must".
/// </summary>
internal readonly struct OperandRange : IEquatable<OperandRange>
{
    public OperandRange(bool sizeIs4Or8, bool nonNegative, long? upper, ISymbol? upperBySize, ISymbol? below = null, bool upperByLimit = false, ISymbol? pastRoot = null)
    {
        PastRoot = pastRoot;
        SizeIs4Or8 = sizeIs4Or8;
        NonNegative = nonNegative;
        Upper = upper;
        UpperBySize = upperBySize;
        Below = below;
        UpperByLimit = upperByLimit;
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

    /// <summary>
    /// The value is at most a limit the kernel holds, not one its caller chose: a field
    /// (<c>ctx-&gt;nr_events</c>, a <c>sysctl_*</c>), the length of a kernel buffer or collection, the
    /// result of a call (<c>rlimit(RLIMIT_NOFILE)</c>); checked against it (<c>if (nfds &gt; limit) return
    /// -EINVAL;</c>) or capped by it (<c>if (nr &gt; ctx-&gt;nr_events) nr = ctx-&gt;nr_events;</c>, <c>min()</c>).
    /// </summary>
    public bool UpperByLimit { get; }

    /// <summary>A user pointer at most <see cref="Upper"/> bytes past this one (<c>end = uaddr + size</c>
    /// with <c>size &lt;= PAGE_SIZE</c>): the end of a walk of bounded length.</summary>
    public ISymbol? PastRoot { get; }

    public bool IsEmpty => !SizeIs4Or8 && !NonNegative && Upper is null && UpperBySize is null && Below is null && !UpperByLimit && PastRoot is null;

    public OperandRange Join(OperandRange other) => new(
        SizeIs4Or8 && other.SizeIs4Or8,
        NonNegative && other.NonNegative,
        Upper is long a && other.Upper is long b ? Math.Max(a, b) : null,
        SymbolEqualityComparer.Default.Equals(UpperBySize, other.UpperBySize) ? UpperBySize : null,
        SymbolEqualityComparer.Default.Equals(Below, other.Below) ? Below : null,
        (UpperByLimit || Upper is not null) && (other.UpperByLimit || other.Upper is not null) && (UpperByLimit || other.UpperByLimit),
        SymbolEqualityComparer.Default.Equals(PastRoot, other.PastRoot) ? PastRoot : null);

    public OperandRange With(bool sizeIs4Or8 = false, bool nonNegative = false, long? upper = null, ISymbol? upperBySize = null, ISymbol? below = null, bool upperByLimit = false) => new(
        SizeIs4Or8 || sizeIs4Or8,
        NonNegative || nonNegative,
        Upper is long a ? (upper is long b ? Math.Min(a, b) : a) : upper,
        upperBySize ?? UpperBySize,
        below ?? Below,
        UpperByLimit || upperByLimit,
        PastRoot);

    /// <summary>The same range without what it said relative to <paramref name="symbol"/> (that variable was assigned).</summary>
    public OperandRange Forget(ISymbol symbol) => new(
        SizeIs4Or8,
        NonNegative,
        Upper,
        SymbolEqualityComparer.Default.Equals(UpperBySize, symbol) ? null : UpperBySize,
        SymbolEqualityComparer.Default.Equals(Below, symbol) ? null : Below,
        UpperByLimit,
        SymbolEqualityComparer.Default.Equals(PastRoot, symbol) ? null : PastRoot);

    public bool Equals(OperandRange other) =>
        SizeIs4Or8 == other.SizeIs4Or8 && NonNegative == other.NonNegative && Upper == other.Upper
        && SymbolEqualityComparer.Default.Equals(UpperBySize, other.UpperBySize)
        && SymbolEqualityComparer.Default.Equals(Below, other.Below) && UpperByLimit == other.UpperByLimit
        && SymbolEqualityComparer.Default.Equals(PastRoot, other.PastRoot);

    public override bool Equals(object? obj) => obj is OperandRange other && Equals(other);

    public override int GetHashCode() => (SizeIs4Or8 ? 1 : 0) | (NonNegative ? 2 : 0) | (UpperByLimit ? 4 : 0);
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
                else if (UpperOf(right, state, limitCall: true) is { } bound)
                {
                    range = range.With(nonNegative: unsignedCompare, upper: bound.Upper is long k2 && strict ? k2 - 1 : bound.Upper, upperByLimit: bound.UpperByLimit, below: IndexBound(right, symbol, strict));
                }
                else if (IndexBound(right, symbol, strict) is { } length)
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

    /// <summary>
    /// What an assignment tells of the value it stores, beyond the fact of a copied variable: a constant
    /// (<c>size = PERF_ATTR_SIZE_VER0</c>) or a kernel limit (<c>nr = ctx.NrEvents</c>) bounds it, and
    /// <c>Math.Min(len, PAGE_SIZE)</c> is at most its smaller bounded operand.
    /// </summary>
    public static SymbolFact Carry(IOperation value, SymbolFact fact, FlowState state)
    {
        var stripped = FlowAnalysis.Strip(value);
        if (AlignmentFacts.IsUserPtr(value.Type) && OffsetFrom(stripped) is { } sum
            && UpperOf(sum.Offset, state) is { Upper: long past } && past >= 0)
        {
            return fact.WithRange(new OperandRange(false, false, past, null, pastRoot: sum.Root));
        }

        // A named constant (a const field) is a constant, not a variable to copy the fact of.
        if (!IsInteger(value.Type) || (Constant(stripped) is null && FlowAnalysis.SymbolOf(stripped) is not null && !IsKernelLimit(stripped)))
        {
            return fact;
        }

        return UpperOf(stripped, state) is { } bound
            ? fact.WithRange(fact.Range.With(upper: bound.Upper, upperByLimit: bound.UpperByLimit))
            : fact;
    }

    /// <summary>The variable a strict <c>i &lt; len</c> bounds an index by (not the index itself).</summary>
    private static ISymbol? IndexBound(IOperation right, ISymbol symbol, bool strict) =>
        strict && FlowAnalysis.SymbolOf(right) is { } length && !SymbolEqualityComparer.Default.Equals(length, symbol) ? length : null;

    /// <summary><c>root + offset</c> on a user pointer (<c>uaddr + size</c>): the root variable and the offset.</summary>
    public static (ISymbol Root, IOperation Offset)? OffsetFrom(IOperation pointer) =>
        FlowAnalysis.Strip(pointer) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum
        && FlowAnalysis.SymbolOf(sum.LeftOperand) is { } root && AlignmentFacts.IsUserPtr(FlowAnalysis.Strip(sum.LeftOperand).Type)
            ? (root, sum.RightOperand)
            : null;

    /// <summary>
    /// An upper bound of an integer expression that its caller did not choose: a constant, a variable
    /// with a bound, a kernel limit (<see cref="IsKernelLimit"/>), or <c>Math.Min</c> of one of these
    /// and anything. With <paramref name="limitCall"/> (the right side of a validation), a call's
    /// integer result that is given no user pointer is a limit too (<c>nfds &gt; rlimit(RLIMIT_NOFILE)</c>);
    /// a value assigned from a call is not (the call may compute it from what the user passed).
    /// <c>null</c> when unbounded as far as the engine knows.
    /// </summary>
    public static OperandRange? UpperOf(IOperation operation, FlowState state, bool limitCall = false) => UpperOf(operation, state, limitCall, 0);

    // Kernel expressions nest a few operators deep; a generated one may nest thousands.
    private const int MaxUpperDepth = 8;

    private static OperandRange? UpperOf(IOperation operation, FlowState state, bool limitCall, int depth)
    {
        if (depth > MaxUpperDepth)
        {
            return null;
        }

        var stripped = FlowAnalysis.Strip(operation);
        if (Constant(stripped) is long constant)
        {
            return new OperandRange(false, false, constant, null);
        }

        if (IsKernelLimit(stripped) || (limitCall && stripped is IInvocationOperation call && !IsMath(call.TargetMethod) && IsInteger(call.Type) && !TakesUserPointer(call)))
        {
            return new OperandRange(false, false, null, null, upperByLimit: true);
        }

        if (FlowAnalysis.SymbolOf(stripped) is { } symbol)
        {
            var range = state.GetFact(symbol).Range;
            return range.PastRoot is null && (range.Upper is not null || range.UpperByLimit) ? new OperandRange(false, false, range.Upper, null, upperByLimit: range.UpperByLimit) : null;
        }

        // a / k and a >> k with a positive constant k: at most a's bound scaled down.
        if (stripped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide or BinaryOperatorKind.RightShift, OperatorMethod: null } scaled
            && Constant(scaled.RightOperand) is long k && k > 0 && UpperOf(scaled.LeftOperand, state, false, depth + 1) is { } dividend)
        {
            long? scaledUpper = dividend.Upper is long u && u >= 0
                ? (scaled.OperatorKind == BinaryOperatorKind.Divide ? u / k : (k < 63 ? u >> (int)k : 0))
                : null;
            return scaledUpper is null && !dividend.UpperByLimit ? null : new OperandRange(false, false, scaledUpper, null, upperByLimit: dividend.UpperByLimit);
        }

        // a + b is at most the sum of its operands' bounds; a - b is at most a's bound where b is not
        // negative (an unsigned difference that wraps is garbage the kernel has already let through).
        // mincore_vma()'s page count: end capped at vma->vm_end, then ((end - vm_start) >> PAGE_SHIFT) + vm_pgoff.
        if (stripped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract, OperatorMethod: null } arithmetic
            && IsInteger(arithmetic.Type) && UpperOf(arithmetic.LeftOperand, state, false, depth + 1) is { } minuend)
        {
            if (arithmetic.OperatorKind == BinaryOperatorKind.Subtract)
            {
                return IsNonNegative(arithmetic.RightOperand, state) ? new OperandRange(false, false, minuend.Upper, null, upperByLimit: minuend.UpperByLimit) : null;
            }

            if (UpperOf(arithmetic.RightOperand, state, false, depth + 1) is not { } addend)
            {
                return null;
            }

            long? total = minuend.Upper is long a && addend.Upper is long b && (b <= 0 || a <= long.MaxValue - b) && (b >= 0 || a >= long.MinValue - b) ? a + b : null;
            return total is null && !minuend.UpperByLimit && !addend.UpperByLimit ? null : new OperandRange(false, false, total, null, upperByLimit: total is null);
        }

        // a & k with a constant k >= 0 is at most k, whatever a is: the mask keeps only k's bits.
        if (stripped is IBinaryOperation { OperatorKind: BinaryOperatorKind.And, OperatorMethod: null } masked && IsInteger(masked.Type)
            && (Constant(masked.RightOperand) ?? Constant(masked.LeftOperand)) is long mask && mask >= 0)
        {
            return new OperandRange(false, false, mask, null);
        }

        // a * k with a constant k > 0 is at most a's constant bound times k (FPU_ST0's ((top & 7) * 10) offset).
        if (stripped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply, OperatorMethod: null } product && IsInteger(product.Type)
            && (Constant(product.RightOperand) is long rightFactor ? (product.LeftOperand, rightFactor)
                : Constant(product.LeftOperand) is long leftFactor ? (product.RightOperand, leftFactor) : (null, 0L)) is ({ } factor, long k2) && k2 > 0
            && UpperOf(factor, state, false, depth + 1) is { Upper: long factorUpper } && factorUpper >= 0 && factorUpper <= long.MaxValue / k2)
        {
            return new OperandRange(false, false, factorUpper * k2, null);
        }

        // min(a, b) is at most either operand: the smaller known bound.
        if (stripped is IInvocationOperation { TargetMethod: { Name: "Min" } minMethod, Arguments.Length: 2 } min && IsMath(minMethod))
        {
            var left = UpperOf(min.Arguments[0].Value, state, false, depth + 1);
            var right = UpperOf(min.Arguments[1].Value, state, false, depth + 1);
            if (left is null || right is null)
            {
                return left ?? right;
            }

            long? upper = left.Value.Upper is long a ? (right.Value.Upper is long b ? Math.Min(a, b) : a) : right.Value.Upper;
            return new OperandRange(false, false, upper, null, upperByLimit: upper is null);
        }

        return null;
    }

    /// <summary>
    /// A limit the kernel holds rather than one the caller passed: an integer field of a kernel object
    /// (<c>ctx.NrEvents</c>, <c>ns.MsgCtlmax</c>) or a static one (a <c>sysctl_*</c>), or the length of a
    /// kernel array, span or list (memory the kernel already holds). A field of a struct is not one:
    /// structs are what <c>copy_from_user()</c> fills, so their fields are the user's. A parameter or a
    /// local of unknown origin is not one either.
    /// </summary>
    public static bool IsKernelLimit(IOperation operation) => FlowAnalysis.Strip(operation) switch
    {
        IFieldReferenceOperation { Field: { IsConst: false } field } => IsInteger(field.Type) && (field.IsStatic || field.ContainingType.IsReferenceType),
        IPropertyReferenceOperation { Arguments.Length: 0, Instance: { } instance } length => IsKernelCollection(instance.Type) && IsInteger(length.Type),
        _ => false,
    };

    /// <summary>A method of <c>System.Math</c> (<c>Math.Min</c>, the kernel's <c>min()</c>).</summary>
    internal static bool IsMath(IMethodSymbol method) => method.ContainingType?.ToDisplayString() == "System.Math";

    /// <summary>An array, <c>Span</c>, <c>ReadOnlySpan</c> or list of the kernel's own: its indexer stops at its length.</summary>
    public static bool IsKernelCollection(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol => true,
        INamedTypeSymbol named => named.OriginalDefinition.ToDisplayString() is "System.Span<T>" or "System.ReadOnlySpan<T>"
            or "System.Collections.Generic.List<T>" or "System.Collections.Generic.IList<T>" or "System.Collections.Generic.IReadOnlyList<T>",
        _ => false,
    };

    /// <summary>A built-in integer type (not <c>char</c>, not <c>nint</c>).</summary>
    public static bool IsInteger(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32
        or SpecialType.System_UInt64 or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Byte or SpecialType.System_SByte;

    private static bool TakesUserPointer(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (AlignmentFacts.IsUserPtr(argument.Parameter?.Type) || AlignmentFacts.IsUserPtr(FlowAnalysis.Strip(argument.Value).Type))
            {
                return true;
            }
        }

        return invocation.Instance is { } instance && AlignmentFacts.IsUserPtr(instance.Type);
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

    /// <summary>
    /// The constant a variable is at least on the edge where <paramref name="condition"/> took
    /// <paramref name="value"/>: the false edge of <c>if (size &lt; PERF_ATTR_SIZE_VER0) goto err_size;</c>
    /// leaves <c>size &gt;= 64</c>; <c>x &gt; k</c>, <c>x &gt;= k</c> and <c>x == k</c> on their true edges,
    /// with the operands on either side. <c>null</c>: the edge proves no lower bound.
    /// </summary>
    public static (ISymbol Symbol, long Bound)? LowerBoundOnEdge(IOperation condition, bool value)
    {
        for (int depth = 0; depth < 8 && FlowAnalysis.Strip(condition) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not; depth++)
        {
            condition = not.Operand;
            value = !value;
        }

        if (FlowAnalysis.Strip(condition) is not IBinaryOperation { OperatorMethod: null } binary)
        {
            return null;
        }

        var kind = binary.OperatorKind;
        var variable = binary.LeftOperand;
        var bound = binary.RightOperand;
        if (Constant(variable) is not null)
        {
            (variable, bound) = (bound, variable);
            kind = Flip(kind);
        }

        if (FlowAnalysis.SymbolOf(variable) is not { } symbol || Constant(bound) is not long k)
        {
            return null;
        }

        return (value ? kind : Negate(kind)) switch
        {
            BinaryOperatorKind.GreaterThan when k < long.MaxValue => (symbol, k + 1),
            BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals => (symbol, k),
            _ => null,
        };
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

    /// <summary>Never negative: a constant at least 0, a value of unsigned type, or a variable checks proved at least 0.</summary>
    private static bool IsNonNegative(IOperation operation, FlowState state)
    {
        var stripped = FlowAnalysis.Strip(operation);
        return Constant(stripped) is long constant ? constant >= 0
            : IsUnsigned(stripped.Type) || (FlowAnalysis.SymbolOf(stripped) is { } symbol && state.GetFact(symbol).Range.NonNegative);
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

    /// <summary>The comparison with its operands swapped (<c>k &lt; x</c> is <c>x &gt; k</c>); other operators are their own mirror.</summary>
    internal static BinaryOperatorKind Flip(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
        _ => kind,
    };

    internal static BinaryOperatorKind Negate(BinaryOperatorKind kind) => kind switch
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
