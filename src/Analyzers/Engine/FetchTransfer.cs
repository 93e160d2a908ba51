using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The transfer functions of <see cref="FetchState"/>: a fetch records its call and gives its
/// destination the fetched value; assignments carry values and lower bounds; a write to a pointer
/// variable forgets that its fetches still name the same user memory; a branch on a fetched value
/// checks it; <c>BitConverter.TryWriteBytes(copy.AsSpan(k, n), v)</c> overwrites bytes of a copy. The
/// recording pass (after the fixed point) also notes the state at each fetch, each use of a fetched
/// value, and each comparison of two fetches' values.
/// </summary>
internal sealed class FetchTransfer : IBlockTransfer<FetchState>
{
    private const int MaxExpressionDepth = 200;
    private const long MaxBound = 1L << 40;

    private readonly IReadOnlyDictionary<IOperation, UserFetch> fetches;
    private readonly Dictionary<CaptureId, ImmutableHashSet<IOperation>> captures = new();

    // The calls that write to user memory (copy_to_user(), put_user()): a copy passed to one whole is handed
    // back to the user, not used.
    private readonly HashSet<IOperation> userWrites;

    // The calls that hand a fetch's pointer to a method of the user's, where the recording pass notes the state.
    private readonly HashSet<IOperation> handOffs;

    public FetchTransfer(IReadOnlyDictionary<IOperation, UserFetch> fetches, HashSet<IOperation> userWrites, HashSet<IOperation> handOffs)
    {
        this.fetches = fetches;
        this.userWrites = userWrites;
        this.handOffs = handOffs;
    }

    /// <summary>Set for the recording pass, after the fixed point.</summary>
    public FetchRecorder? Recorder { get; set; }

    // The recorder is attached only for the recording pass after the fixed point, which runs no side runs.
    public FetchState TransferUnrecorded(BasicBlock block, FetchState input) => Transfer(block, input);

    public FetchState Transfer(BasicBlock block, FetchState input)
    {
        var state = input;
        foreach (var operation in block.Operations)
        {
            state = Visit(operation, state, 0);
        }

        if (block.BranchValue is { } condition)
        {
            // A comparison re-validates a later fetch only where nothing used it yet: the reads of the
            // comparison itself are not such a use.
            var compared = state;
            state = Visit(condition, state, 0);
            if (block.ConditionKind != ControlFlowConditionKind.None)
            {
                Recorder?.Condition(condition, compared, this);
                state = Check(condition, state);
            }
        }

        return state;
    }

    /// <summary>A size checked against a constant is at least that constant past the check (<c>if (size &lt; PERF_ATTR_SIZE_VER0) goto err_size;</c>).</summary>
    public FetchState Refine(BasicBlock block, FetchState output, bool value)
    {
        if (block.ConditionKind == ControlFlowConditionKind.None || block.BranchValue is not { } condition)
        {
            return output;
        }

        output = WithoutFailedCopy(condition, value, output);
        if (OperandRanges.LowerBoundOnEdge(condition, value) is not var (symbol, bound) || Bounded(bound) is null)
        {
            return output;
        }

        return output.AtLeast.TryGetValue(symbol, out long known) && known >= bound
            ? output
            : output.With(atLeast: output.AtLeast.SetItem(symbol, bound));
    }

    /// <summary>
    /// The fetches whose value <paramref name="operation"/> may compute from: the variables and captures it
    /// reads. A fetch's own status (<c>CopyFromUser(info, p) != 0</c>) says whether the copy faulted, not
    /// what it holds: the copy it fills and the length it is given are not read into it; so does a copy to
    /// user memory's (<c>ret = CopyToUser(argp, same)</c>).
    /// </summary>
    public ImmutableHashSet<IOperation> ValuesIn(IOperation operation, FetchState state)
    {
        var values = ImmutableHashSet<IOperation>.Empty;
        var pending = new Stack<IOperation>();
        pending.Push(operation);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (IsRead(current) && FlowAnalysis.SymbolOf(current) is { } symbol)
            {
                values = values.Union(state.ValuesOf(symbol));
            }
            else if (current is IFlowCaptureReferenceOperation reference && captures.TryGetValue(reference.Id, out var captured))
            {
                values = values.Union(captured);
            }
            else if (!fetches.ContainsKey(current) && !userWrites.Contains(current))
            {
                foreach (var child in current.ChildOperations)
                {
                    pending.Push(child);
                }
            }
        }

        return values;
    }

    /// <summary>
    /// On the edge where a copy is <c>null</c> (<c>if (same == null)</c> after <c>memdup_user()</c>), no copy
    /// was made: its fetch is gone from that path, whose exit carries an error, not the copy's bytes.
    /// </summary>
    private FetchState WithoutFailedCopy(IOperation condition, bool value, FetchState state)
    {
        for (int depth = 0; depth < 8 && FlowAnalysis.Strip(condition) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not; depth++)
        {
            condition = not.Operand;
            value = !value;
        }

        if (FlowAnalysis.Strip(condition) is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } test
            || (test.OperatorKind == BinaryOperatorKind.Equals) != value)
        {
            return state;
        }

        var tested = IsNull(test.RightOperand) ? test.LeftOperand : IsNull(test.LeftOperand) ? test.RightOperand : null;
        if (tested is null || FlowAnalysis.SymbolOf(tested) is not { } copy)
        {
            return state;
        }

        var fetched = state.Fetched;
        foreach (var call in state.ValuesOf(copy))
        {
            if (fetches.TryGetValue(call, out var fetch) && SymbolEqualityComparer.Default.Equals(fetch.Destination, copy))
            {
                fetched = fetched.Remove(call);
            }
        }

        return ReferenceEquals(fetched, state.Fetched) ? state : state.With(fetched: fetched);
    }

    private static bool IsNull(IOperation operation) => operation.ConstantValue is { HasValue: true, Value: null };

    /// <summary>
    /// A constant the integer <paramref name="operation"/> is at least; <c>null</c>: unknown, or arithmetic
    /// that could wrap around (<c>u32 + 32</c> past <c>u32</c>'s largest value is small, so it proves no
    /// lower bound). A variable's largest value comes from the checks before it (<paramref name="upperOf"/>:
    /// <c>if (outsize &gt; EC_MAX_MSG_BYTES) return -EINVAL;</c>) or its type.
    /// </summary>
    /// <remarks>
    /// A variable converted to a narrower type (<c>(int)size</c> of a <c>long</c>) keeps its lower bound:
    /// the state keeps no largest value of the variables it computed (<c>size = 24 + count * 32</c>), and
    /// each sum that gave the bound was shown not to wrap in its own type.
    /// </remarks>
    public static long? LowerBound(IOperation operation, FetchState state, Func<ISymbol, long?>? upperOf) =>
        Bounds(operation, state, upperOf, 0) is { Min: var least } ? Bounded(least) : null;

    /// <summary>
    /// A constant the integer <paramref name="operation"/> is at most, from the same bounds as
    /// <see cref="LowerBound"/> (<c>min(hdr_len, sizeof(*hdr))</c>: the checks' and the type's largest values);
    /// <c>null</c> when none is known.
    /// </summary>
    public static long? UpperBound(IOperation operation, FetchState state, Func<ISymbol, long?>? upperOf) =>
        Bounds(operation, state, upperOf, 0) is { Max: long most } ? most : null;

    /// <summary>
    /// The least and (when known) the largest value of an integer expression; <c>null</c> when no lower
    /// bound holds. A signed sum of non-negative values that overflows turns negative, never into a
    /// smaller length (a negative length makes the copy's <c>AsSpan</c> throw before any read), so only
    /// unsigned arithmetic and narrowing conversions need the largest values to rule out a wrap.
    /// </summary>
    private static (long Min, long? Max)? Bounds(IOperation operation, FetchState state, Func<ISymbol, long?>? upperOf, int depth)
    {
        if (OperandRanges.Constant(operation) is long constant)
        {
            return (constant, constant);
        }

        if (depth > MaxExpressionDepth)
        {
            return null;
        }

        switch (operation)
        {
            case IParenthesizedOperation parenthesized:
                return Bounds(parenthesized.Operand, state, upperOf, depth + 1);
            case IConversionOperation conversion:
                return Bounds(conversion.Operand, state, upperOf, depth + 1) is not { } converted ? null
                    : Converted(converted, conversion.Operand.Type, conversion.Type) is { } fits ? fits
                    : FlowAnalysis.SymbolOf(FlowAnalysis.Strip(conversion.Operand)) is not null && MaxOf(conversion.Type) is long toMax && converted.Min <= toMax ? (converted.Min, toMax)
                    : null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Multiply, OperatorMethod: null } binary
                when Bounds(binary.LeftOperand, state, upperOf, depth + 1) is { } left && Bounds(binary.RightOperand, state, upperOf, depth + 1) is { } right
                    && left.Min >= 0 && right.Min >= 0:
                bool add = binary.OperatorKind == BinaryOperatorKind.Add;
                long? least = add ? Sum(left.Min, right.Min) : Product(left.Min, right.Min);
                long? most = left.Max is long a && right.Max is long b ? (add ? Sum(a, b) : Product(a, b)) : null;
                return least is long min ? Arithmetic(binary.Type, min, most, mayTurnNegative: add) : null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract, OperatorMethod: null } subtract
                when OperandRanges.Constant(subtract.RightOperand) is long amount && amount >= 0 && Bounds(subtract.LeftOperand, state, upperOf, depth + 1) is { } minuend:
                return minuend.Min - amount >= 0 || !OperandRanges.IsUnsigned(subtract.Type) ? (minuend.Min - amount, minuend.Max - amount) : null;
        }

        long? typeMax = MaxOf(operation.Type);
        if (FlowAnalysis.SymbolOf(operation) is { } symbol)
        {
            long? checkedMax = upperOf?.Invoke(symbol);
            long? max = checkedMax is long c && (typeMax is not long t || c < t) ? c : typeMax;
            if (state.AtLeast.TryGetValue(symbol, out long bound))
            {
                return (bound, max);
            }

            return OperandRanges.IsUnsigned(operation.Type) ? (0, max) : null;
        }

        return OperandRanges.IsUnsigned(operation.Type) ? (0, typeMax) : null;
    }

    /// <summary>
    /// Arithmetic on non-negative operands in <paramref name="type"/>: unsigned arithmetic must stay
    /// under the type's largest value; a signed sum that overflows turns negative
    /// (<paramref name="mayTurnNegative"/>), a signed product may wrap to any value.
    /// </summary>
    private static (long Min, long? Max)? Arithmetic(ITypeSymbol? type, long min, long? max, bool mayTurnNegative)
    {
        long? typeMax = MaxOf(type);
        if (max is long most && (typeMax is not long limit || most <= limit))
        {
            return (min, max);
        }

        return mayTurnNegative && !OperandRanges.IsUnsigned(type) && typeMax is not null ? (min, typeMax) : null;
    }

    /// <summary>
    /// A value converted to another integer type: unchanged when it fits; a same-width signed target
    /// turns a too-large value negative (<c>(int)size</c> of a <c>u32</c>); any other narrowing
    /// (<c>(int)</c> of a <c>long</c>) could wrap it to a small one.
    /// </summary>
    private static (long Min, long? Max)? Converted((long Min, long? Max) value, ITypeSymbol? from, ITypeSymbol? to)
    {
        long? toMax = MaxOf(to);
        if (toMax is null || value.Min < 0)
        {
            return null;
        }

        if (value.Max is long max && max <= toMax)
        {
            return value;
        }

        return Width(from?.SpecialType ?? SpecialType.None) is long fromWidth && Width(to!.SpecialType) is long toWidth
            && (toWidth > fromWidth || (toWidth == fromWidth && !OperandRanges.IsUnsigned(to)))
            ? (value.Min, toMax)
            : null;
    }

    /// <summary>The largest value of an integer type, as a long (<c>ulong</c>'s is cut to <c>long</c>'s); <c>null</c> for other types.</summary>
    private static long? MaxOf(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Byte => byte.MaxValue,
        SpecialType.System_SByte => sbyte.MaxValue,
        SpecialType.System_UInt16 => ushort.MaxValue,
        SpecialType.System_Int16 => short.MaxValue,
        SpecialType.System_Char => char.MaxValue,
        SpecialType.System_UInt32 => uint.MaxValue,
        SpecialType.System_Int32 => int.MaxValue,
        SpecialType.System_UInt64 or SpecialType.System_Int64 => long.MaxValue,
        _ => null,
    };

    private static long? Sum(long a, long b) => a <= long.MaxValue - b ? a + b : null;

    private static long? Product(long a, long b) => b == 0 || a <= long.MaxValue / b ? a * b : null;

    private static long? Bounded(long value) => value is >= 0 and <= MaxBound ? value : null;

    /// <summary>A read of a local or parameter's value: not the target of an assignment or an <c>out</c> argument.</summary>
    public static bool IsRead(IOperation operation) =>
        operation is ILocalReferenceOperation or IParameterReferenceOperation
        && !(operation.Parent is ISimpleAssignmentOperation assignment && ReferenceEquals(assignment.Target, operation))
        && operation.Parent is not IArgumentOperation { Parameter.RefKind: RefKind.Out };

    private FetchState Visit(IOperation operation, FetchState state, int depth)
    {
        if (depth > MaxExpressionDepth)
        {
            return state;
        }

        switch (operation)
        {
            case IFlowAnonymousFunctionOperation:
            case IAnonymousFunctionOperation:
            case ILocalFunctionOperation:
                return state;

            case ILocalReferenceOperation:
            case IParameterReferenceOperation:
                if (IsRead(operation) && !IsNullTest(operation) && FlowAnalysis.SymbolOf(operation) is { } read)
                {
                    if (!ReadsNothing(operation))
                    {
                        Recorder?.Use(read, operation, state);
                    }

                    return Used(read, state);
                }

                return state;

            case IInvocationOperation invocation when Overwrite(invocation) is var (copy, from, length, value):
                state = Visit(value, state, depth + 1);
                Recorder?.Overwrite(copy, invocation, state);
                return Overwritten(copy, from, length, state);

            case ISimpleAssignmentOperation assignment:
                state = Visit(assignment.Value, state, depth + 1);
                if (FlowAnalysis.Strip(assignment.Target) is ILocalReferenceOperation or IParameterReferenceOperation && FlowAnalysis.SymbolOf(assignment.Target) is { } target)
                {
                    Recorder?.Assign(target, assignment.Value, state);
                    if (fetches.TryGetValue(FlowAnalysis.Strip(assignment.Value), out var fetch))
                    {
                        // memdup_user() returns the copy; any other fetch returns its status (0, -EFAULT, the
                        // bytes not copied), which holds none of the user's bytes.
                        return SymbolEqualityComparer.Default.Equals(fetch.Destination, target)
                            ? Write(target, state.ValuesOf(target), null, state)
                            : Write(target, ImmutableHashSet<IOperation>.Empty, null, state);
                    }

                    return Write(target, ValuesIn(assignment.Value, state), LowerBound(assignment.Value, state, null), state);
                }

                return Visit(assignment.Target, state, depth + 1);

            case ICompoundAssignmentOperation compound:
                state = Visit(compound.Value, state, depth + 1);
                state = Visit(compound.Target, state, depth + 1);
                return FlowAnalysis.SymbolOf(compound.Target) is { } compounded
                    ? Write(compounded, state.ValuesOf(compounded).Union(ValuesIn(compound.Value, state)), StillAtLeast(compounded, compound.OperatorKind == BinaryOperatorKind.Add && LowerBound(compound.Value, state, null) is not null, state), state)
                    : state;

            case IIncrementOrDecrementOperation increment:
                state = Visit(increment.Target, state, depth + 1);
                return FlowAnalysis.SymbolOf(increment.Target) is { } incremented
                    ? Write(incremented, state.ValuesOf(incremented), StillAtLeast(incremented, increment.Kind == OperationKind.Increment, state), state)
                    : state;

            case IFlowCaptureOperation capture:
                state = Visit(capture.Value, state, depth + 1);
                var values = ValuesIn(capture.Value, state);
                if (!values.IsEmpty)
                {
                    captures[capture.Id] = captures.TryGetValue(capture.Id, out var earlier) ? earlier.Union(values) : values;
                }

                return state;

            default:
                foreach (var child in operation.ChildOperations)
                {
                    state = Visit(child, state, depth + 1);
                }

                if (operation is IInvocationOperation call)
                {
                    state = Call(call, state);
                }

                return state;
        }
    }

    /// <summary>out/ref arguments are written by the call; a fetch then records itself and fills its destination.</summary>
    private FetchState Call(IInvocationOperation call, FetchState state)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Out or RefKind.Ref })
            {
                var value = argument.Value is IDeclarationExpressionOperation declaration ? declaration.Expression : argument.Value;
                if (FlowAnalysis.SymbolOf(value) is { } written)
                {
                    state = Write(written, ImmutableHashSet<IOperation>.Empty, null, state);
                }
            }
        }

        if (!fetches.TryGetValue(call, out var fetch))
        {
            if (handOffs.Contains(call))
            {
                Recorder?.HandOff(call, state, this);
            }

            return state;
        }

        Recorder?.Fetch(fetch, state, this);
        return state.With(
            fetched: state.Fetched.SetItem(call, new FetchMark(false, true, null, null)),
            values: state.Values.SetItem(fetch.Destination, ImmutableHashSet.Create<IOperation>(call)));
    }

    /// <summary>A variable gets a new value: what it held is gone, and a pointer no longer names the memory its fetches read.</summary>
    private FetchState Write(ISymbol symbol, ImmutableHashSet<IOperation> values, long? atLeast, FetchState state)
    {
        var fetched = state.Fetched;
        foreach (var pair in state.Fetched)
        {
            if (pair.Value.RootKept && fetches.TryGetValue(pair.Key, out var fetch) && SymbolEqualityComparer.Default.Equals(fetch.Root, symbol))
            {
                fetched = fetched.SetItem(pair.Key, pair.Value.WithRootMoved());
            }
        }

        return state.With(
            fetched: fetched,
            values: values.IsEmpty ? state.Values.Remove(symbol) : state.Values.SetItem(symbol, values),
            atLeast: atLeast is long bound ? state.AtLeast.SetItem(symbol, bound) : state.AtLeast.Remove(symbol));
    }

    /// <summary>
    /// The lower bound a variable keeps when a step that is not negative is added to it (<c>info += 32</c>,
    /// <c>i++</c>): a signed sum that overflows turns negative, which no index or length survives.
    /// </summary>
    private static long? StillAtLeast(ISymbol symbol, bool addsNonNegative, FetchState state) =>
        addsNonNegative && state.AtLeast.TryGetValue(symbol, out long least) ? least : null;

    /// <summary>The fetches whose value <paramref name="symbol"/> may hold are used from here on.</summary>
    private static FetchState Used(ISymbol symbol, FetchState state)
    {
        var fetched = state.Fetched;
        foreach (var call in state.ValuesOf(symbol))
        {
            if (fetched.TryGetValue(call, out var mark) && !mark.Used)
            {
                fetched = fetched.SetItem(call, mark.WithUsed());
            }
        }

        return ReferenceEquals(fetched, state.Fetched) ? state : state.With(fetched: fetched);
    }

    /// <summary>The copy's bytes <c>[from, from + length)</c> now hold a value the kernel wrote.</summary>
    private FetchState Overwritten(ISymbol copy, long from, long length, FetchState state)
    {
        var fetched = state.Fetched;
        foreach (var call in state.ValuesOf(copy))
        {
            if (fetches.TryGetValue(call, out var fetch) && fetch.CopyStartsAtIndexZero && SymbolEqualityComparer.Default.Equals(fetch.Destination, copy)
                && fetched.TryGetValue(call, out var mark))
            {
                fetched = fetched.SetItem(call, mark.WithOverwritten(fetch.Offset + from, fetch.Offset + from + length));
            }
        }

        return state.With(fetched: fetched);
    }

    /// <summary>A branch on a fetched value (or one computed from it) checks it.</summary>
    private FetchState Check(IOperation condition, FetchState state)
    {
        var fetched = state.Fetched;
        foreach (var call in ValuesIn(condition, state))
        {
            if (fetched.TryGetValue(call, out var mark) && !mark.Checked)
            {
                fetched = fetched.SetItem(call, mark.WithChecked());
            }
        }

        return ReferenceEquals(fetched, state.Fetched) ? state : state.With(fetched: fetched);
    }

    /// <summary><c>BitConverter.TryWriteBytes(copy.AsSpan(k, n), value)</c>, with constant <c>k</c> and <c>n</c>.</summary>
    private static (ISymbol Copy, long From, long Length, IOperation Value)? Overwrite(IInvocationOperation invocation)
    {
        if (!IsWriteBytes(invocation.TargetMethod)
            || invocation.Arguments.Length != 2
            || FlowAnalysis.Strip(invocation.Arguments[0].Value) is not IInvocationOperation { TargetMethod.Name: "AsSpan", Arguments.Length: 3 } span
            || OperandRanges.Constant(span.Arguments[1].Value) is not long from
            || OperandRanges.Constant(span.Arguments[2].Value) is not long length
            || FlowAnalysis.SymbolOf(span.Arguments[0].Value) is not { } copy)
        {
            return null;
        }

        return (copy, from, length, invocation.Arguments[1].Value);
    }

    /// <summary><c>BitConverter.TryWriteBytes(view, value)</c>: the kernel's store into a field of a copy.</summary>
    private static bool IsWriteBytes(IMethodSymbol method) =>
        method is { Name: "TryWriteBytes", ContainingType: { Name: "BitConverter", ContainingNamespace.Name: "System" } };

    /// <summary>The fetch whose call is <paramref name="call"/>; <c>null</c>: not a fetch.</summary>
    public UserFetch? FetchOf(IOperation call) => fetches.TryGetValue(call, out var fetch) ? fetch : null;

    /// <summary>
    /// A read of bytes of an array at a constant index: <c>BitConverter.ToUInt32(copy, 4)</c> reads
    /// <c>[4, 8)</c>, <c>copy[k]</c> reads <c>[k, k + 1)</c>.
    /// </summary>
    public static (IOperation Copy, long From, long Length)? BytesRead(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation { TargetMethod: { ContainingType: { Name: "BitConverter", ContainingNamespace.Name: "System" } } method, Arguments.Length: 2 } read
                when method.Name.StartsWith("To", System.StringComparison.Ordinal) && OperandRanges.Constant(read.Arguments[1].Value) is long index
                    && Width(method.ReturnType.SpecialType) is long width:
                return (read.Arguments[0].Value, index, width);
            case IArrayElementReferenceOperation { Indices.Length: 1, Type.SpecialType: SpecialType.System_Byte } element
                when OperandRanges.Constant(element.Indices[0]) is long k:
                return (element.ArrayReference, k, 1);
            default:
                return null;
        }
    }

    private static long? Width(SpecialType type) => type switch
    {
        SpecialType.System_Boolean or SpecialType.System_Byte or SpecialType.System_SByte => 1,
        SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char => 2,
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
        SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 8,
        _ => null,
    };

    /// <summary>
    /// A reference through which the kernel reads nothing of the copy: the kernel side of a copy to user
    /// memory, whole or as a view (<c>CopyToUser(argp, same)</c>): the bytes go back where they came from
    /// (btrfs_ioctl_file_extent_same() hands the re-fetched header back with the results); or a view written
    /// into (<c>BitConverter.TryWriteBytes(same.AsSpan(off, 8), 0UL)</c>, at an offset the engine cannot place).
    /// </summary>
    private bool ReadsNothing(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation
            || (parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "AsSpan" or "AsMemory", ContainingType: { Name: "MemoryExtensions", ContainingNamespace.Name: "System" } } } view } first
                && ReferenceEquals(view.Arguments[0], first)))
        {
            parent = parent is IArgumentOperation argument ? argument.Parent!.Parent : parent.Parent;
        }

        return parent is IArgumentOperation { Parent: IInvocationOperation call } written
            && (userWrites.Contains(call) || (IsWriteBytes(call.TargetMethod) && ReferenceEquals(call.Arguments[0], written)));
    }

    /// <summary><c>copy == null</c>: a test that the copy was made, not a use of what it holds.</summary>
    private static bool IsNullTest(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } test
            && (IsNull(test.LeftOperand) || IsNull(test.RightOperand));
    }
}
