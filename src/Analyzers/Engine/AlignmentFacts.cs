using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// What a dominating check proved about a user address's alignment (UA3001), kept on the pointer's
/// <see cref="SymbolFact"/> (and on a <c>ulong</c> local that holds its address). Joins as "must":
/// a merge keeps only what both paths proved.
/// </summary>
internal readonly struct AlignmentFact : IEquatable<AlignmentFact>
{
    public AlignmentFact(long constant, ISymbol? sizeSymbol, bool assumed, ISymbol? addressOf)
    {
        Constant = constant;
        SizeSymbol = sizeSymbol;
        Assumed = assumed;
        AddressOf = addressOf;
    }

    /// <summary>Proven aligned to this many bytes (a power of two); 0: no constant proof.</summary>
    public long Constant { get; }

    /// <summary>Proven aligned to the value of this variable (<c>(p.Address &amp; (size - 1)) != 0</c>).</summary>
    public ISymbol? SizeSymbol { get; }

    /// <summary>A <c>[RequiresAlignment]</c> parameter of the analysed method: its callers prove it.</summary>
    public bool Assumed { get; }

    /// <summary>This <c>ulong</c> local holds <c>p.Address</c> of that pointer: a check on it proves the pointer.</summary>
    public ISymbol? AddressOf { get; }

    public bool IsEmpty => Constant == 0 && SizeSymbol is null && !Assumed && AddressOf is null;

    public bool IsProof => Constant > 0 || SizeSymbol is not null || Assumed;

    public AlignmentFact Join(AlignmentFact other) => new(
        Math.Min(Constant, other.Constant),
        SymbolEqualityComparer.Default.Equals(SizeSymbol, other.SizeSymbol) ? SizeSymbol : null,
        Assumed && other.Assumed,
        SymbolEqualityComparer.Default.Equals(AddressOf, other.AddressOf) ? AddressOf : null);

    /// <summary>Adds a proof (a second check keeps the stronger constant).</summary>
    public AlignmentFact Prove(long constant, ISymbol? sizeSymbol) =>
        new(Math.Max(Constant, constant), sizeSymbol ?? SizeSymbol, Assumed, AddressOf);

    public bool Equals(AlignmentFact other) =>
        Constant == other.Constant && Assumed == other.Assumed
        && SymbolEqualityComparer.Default.Equals(SizeSymbol, other.SizeSymbol)
        && SymbolEqualityComparer.Default.Equals(AddressOf, other.AddressOf);

    public override bool Equals(object? obj) => obj is AlignmentFact other && Equals(other);

    public override int GetHashCode() => (int)Constant;
}

/// <summary>
/// The transfer functions of <see cref="AlignmentFact"/>: edge refinement by the alignment tests
/// kernel code and C# users write, and carrying a proof through copies of the pointer or its address.
/// All matching is on IOperation shapes and the runtime's <c>UserPtr</c> members.
/// </summary>
internal static class AlignmentFacts
{
    /// <summary>
    /// On the edge where <paramref name="condition"/> is <paramref name="value"/>: <c>(A &amp; (n - 1)) != 0</c>,
    /// <c>(A &amp; 7) == 0</c>, <c>A % n != 0</c>, <c>p.IsAligned(n)</c> (and their negations) prove the
    /// address <c>A</c> (<c>p.Address</c>, or a local holding it) aligned to <c>n</c> where they say "aligned".
    /// </summary>
    public static FlowState Refine(IOperation condition, bool value, FlowState state)
    {
        for (int depth = 0; depth < 8; depth++)
        {
            if (FlowAnalysis.Strip(condition) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
            {
                condition = not.Operand;
                value = !value;
                continue;
            }

            break;
        }

        switch (FlowAnalysis.Strip(condition))
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
            {
                IOperation test;
                if (IsZero(binary.RightOperand))
                {
                    test = binary.LeftOperand;
                }
                else if (IsZero(binary.LeftOperand))
                {
                    test = binary.RightOperand;
                }
                else
                {
                    return state;
                }

                // "test == 0" is the aligned outcome.
                bool aligned = binary.OperatorKind == BinaryOperatorKind.Equals ? value : !value;
                if (!aligned || FlowAnalysis.Strip(test) is not IBinaryOperation misalignment)
                {
                    return state;
                }

                if (misalignment.OperatorKind == BinaryOperatorKind.And)
                {
                    return ProveMask(misalignment.LeftOperand, misalignment.RightOperand, state)
                        ?? ProveMask(misalignment.RightOperand, misalignment.LeftOperand, state)
                        ?? state;
                }

                if (misalignment.OperatorKind == BinaryOperatorKind.Remainder)
                {
                    return Prove(misalignment.LeftOperand, misalignment.RightOperand, state) ?? state;
                }

                return state;
            }

            case IInvocationOperation { TargetMethod.Name: "IsAligned", Arguments.Length: 1 } isAligned
                when value && isAligned.Instance is { } instance && IsUserPtr(instance.Type):
                return FlowAnalysis.SymbolOf(instance) is { } pointer
                    ? Apply(pointer, isAligned.Arguments[0].Value, state)
                    : state;

            default:
                return state;
        }
    }

    /// <summary>
    /// The fact an assignment <c>target = value</c> gives the target: <c>a = p.Address</c> links the local
    /// to the pointer; <c>q = p.Cast&lt;T&gt;()</c>, <c>q = p.Untagged</c>, <c>q = new UserPtr&lt;T&gt;(p.Address)</c>
    /// and <c>q = p + k</c> (k a multiple of the alignment) keep the pointer's proof.
    /// </summary>
    public static SymbolFact Carry(IOperation value, SymbolFact fact, FlowState state)
    {
        var stripped = FlowAnalysis.Strip(value);
        if (IsAddressOf(stripped) is { } pointer)
        {
            var source = state.GetFact(pointer).Alignment;
            return fact.WithAlignment(new AlignmentFact(source.Constant, source.SizeSymbol, source.Assumed, pointer));
        }

        // A plain copy (q = p) already carries the whole fact (FlowAnalysis.FactOf).
        if (!IsUserPtr(stripped.Type) || FlowAnalysis.SymbolOf(stripped) is not null || Root(stripped, out long offset) is not { } root)
        {
            return fact;
        }

        var proof = state.GetFact(root).Alignment;
        if (offset != 0)
        {
            // p + 8 is as aligned as p only for alignments that divide 8.
            long constant = proof.Constant;
            while (constant > 1 && offset % constant != 0)
            {
                constant /= 2;
            }

            proof = new AlignmentFact(constant > 1 ? constant : 0, null, false, null);
        }

        return fact.WithAlignment(new AlignmentFact(proof.Constant, proof.SizeSymbol, proof.Assumed, null));
    }

    /// <summary>
    /// The variable whose address a pointer expression is, and the constant byte offset from it:
    /// <c>p</c>, <c>p.Cast&lt;T&gt;()</c>, <c>p.Untagged</c>, <c>(UserPtr)p</c>, <c>p + 8</c>,
    /// <c>new UserPtr&lt;T&gt;(p.Address)</c>, <c>new UserPtr(addr)</c>. <c>null</c> when it is none of these.
    /// </summary>
    public static ISymbol? Root(IOperation pointer, out long offset)
    {
        offset = 0;
        var current = FlowAnalysis.Strip(pointer);
        for (int depth = 0; depth < 16; depth++)
        {
            switch (current)
            {
                case IInvocationOperation { TargetMethod.Name: "Cast", Instance: { } instance } when IsUserPtr(instance.Type):
                    current = FlowAnalysis.Strip(instance);
                    continue;
                case IPropertyReferenceOperation { Property.Name: "Untagged", Instance: { } instance } when IsUserPtr(instance.Type):
                    current = FlowAnalysis.Strip(instance);
                    continue;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } add when IsUserPtr(add.Type)
                    && FlowAnalysis.ToLong(add.RightOperand.ConstantValue.HasValue ? add.RightOperand.ConstantValue.Value : null) is long k:
                    offset += add.OperatorKind == BinaryOperatorKind.Add ? k : -k;
                    current = FlowAnalysis.Strip(add.LeftOperand);
                    continue;
                case IObjectCreationOperation { Arguments.Length: 1 } creation when IsUserPtr(creation.Type):
                    var address = FlowAnalysis.Strip(creation.Arguments[0].Value);
                    return IsAddressOf(address) ?? FlowAnalysis.SymbolOf(address);
                default:
                    return FlowAnalysis.SymbolOf(current);
            }
        }

        return null;
    }

    /// <summary>The runtime's <c>UserPtr</c> or <c>UserPtr&lt;T&gt;</c>.</summary>
    public static bool IsUserPtr(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "UserPtr", ContainingNamespace: { Name: "Runtime", ContainingNamespace: { Name: "UserAccess", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary><c>p.Address</c> → <c>p</c>.</summary>
    private static ISymbol? IsAddressOf(IOperation operation) =>
        FlowAnalysis.Strip(operation) is IPropertyReferenceOperation { Property.Name: "Address", Instance: { } instance } && IsUserPtr(instance.Type)
            ? Root(instance, out long offset) is { } root && offset == 0 ? root : null
            : null;

    /// <summary><c>A &amp; mask</c>: mask <c>n - 1</c> (n a constant or a variable) or a constant <c>2^k - 1</c>.</summary>
    private static FlowState? ProveMask(IOperation address, IOperation mask, FlowState state)
    {
        var strippedMask = FlowAnalysis.Strip(mask);
        if (FlowAnalysis.ToLong(strippedMask.ConstantValue.HasValue ? strippedMask.ConstantValue.Value : null) is long m)
        {
            long n = m + 1;
            return n > 1 && (n & (n - 1)) == 0 ? ApplyTo(address, n, null, state) : null;
        }

        if (strippedMask is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } minusOne && IsOne(minusOne.RightOperand))
        {
            return Prove(address, minusOne.LeftOperand, state);
        }

        return null;
    }

    /// <summary>Proves <paramref name="address"/> aligned to <paramref name="size"/> (a constant or a variable).</summary>
    private static FlowState? Prove(IOperation address, IOperation size, FlowState state)
    {
        var strippedSize = FlowAnalysis.Strip(size);
        if (FlowAnalysis.ToLong(strippedSize.ConstantValue.HasValue ? strippedSize.ConstantValue.Value : null) is long n)
        {
            return n > 1 && (n & (n - 1)) == 0 ? ApplyTo(address, n, null, state) : null;
        }

        return FlowAnalysis.SymbolOf(strippedSize) is { } variable ? ApplyTo(address, 0, variable, state) : null;
    }

    private static FlowState Apply(ISymbol pointer, IOperation size, FlowState state)
    {
        var strippedSize = FlowAnalysis.Strip(size);
        if (FlowAnalysis.ToLong(strippedSize.ConstantValue.HasValue ? strippedSize.ConstantValue.Value : null) is long n)
        {
            return n > 1 && (n & (n - 1)) == 0 ? Set(pointer, n, null, state) : state;
        }

        return FlowAnalysis.SymbolOf(strippedSize) is { } variable ? Set(pointer, 0, variable, state) : state;
    }

    /// <summary>The address is <c>p.Address</c> or a local that holds it: prove both.</summary>
    private static FlowState? ApplyTo(IOperation address, long constant, ISymbol? variable, FlowState state)
    {
        if (IsAddressOf(address) is { } pointer)
        {
            return Set(pointer, constant, variable, state);
        }

        if (FlowAnalysis.SymbolOf(address) is { } local)
        {
            state = Set(local, constant, variable, state);
            if (state.GetFact(local).Alignment.AddressOf is { } linked)
            {
                state = Set(linked, constant, variable, state);
            }

            return state;
        }

        return null;
    }

    private static FlowState Set(ISymbol symbol, long constant, ISymbol? variable, FlowState state)
    {
        var fact = state.GetFact(symbol);
        return state.SetFact(symbol, fact.WithAlignment(fact.Alignment.Prove(constant, variable)));
    }

    private static bool IsZero(IOperation operation) =>
        FlowAnalysis.ToLong(operation.ConstantValue.HasValue ? operation.ConstantValue.Value : null) == 0;

    private static bool IsOne(IOperation operation) =>
        FlowAnalysis.ToLong(operation.ConstantValue.HasValue ? operation.ConstantValue.Value : null) == 1;
}
