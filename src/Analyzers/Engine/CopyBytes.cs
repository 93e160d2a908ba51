using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The bytes of a copy (a <c>byte[]</c> a fetch filled) that one reference reads, when the code names
/// them with constants: a field read at a fixed offset (<c>BitConverter.ToUInt64(attr, 8)</c>, the
/// kernel's <c>attr-&gt;sched_flags</c>), one element (<c>attr[3]</c>), or a view from a fixed offset
/// (<c>attr.AsSpan(12)</c>, <c>attr.AsSpan(12, 4)</c>); with a bound on a start that is not constant,
/// from that bound on. Anything else reads the whole copy.
/// </summary>
internal readonly struct CopyBytes
{
    private CopyBytes(long from, long? to)
    {
        From = from;
        To = to;
    }

    /// <summary>The bytes from <paramref name="from"/> to the end of the copy (none when it is <see cref="long.MaxValue"/>).</summary>
    public static CopyBytes Onwards(long from) => new(from, null);

    /// <summary>The first byte read, as an index into the copy.</summary>
    public long From { get; }

    /// <summary>The end (exclusive) of the bytes read; <c>null</c>: to the end of the copy.</summary>
    public long? To { get; }

    /// <summary>Whether the bytes read lie wholly outside <c>[from, to)</c>.</summary>
    public bool Misses(long from, long to) => (To is long end && end <= from) || From >= to;

    /// <summary>The bytes <paramref name="reference"/> (a read of a <c>byte[]</c> variable) reads, or <c>null</c> when not constant.</summary>
    public static CopyBytes? Of(IOperation reference) => Of(reference, static _ => null);

    /// <summary>
    /// <see cref="Of(IOperation)"/>, where a start that is not constant but has a lower bound
    /// (<paramref name="leastStart"/>: <c>info</c> from 24 on, <c>24 + i * 32 + 16</c>) reads from it to the end.
    /// </summary>
    public static CopyBytes? Of(IOperation reference, System.Func<IOperation, long?> leastStart)
    {
        if (reference.Type is not IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return null;
        }

        var parent = reference.Parent;
        if (parent is IArrayElementReferenceOperation { Indices.Length: 1 } element && ReferenceEquals(element.ArrayReference, reference))
        {
            return Constant(element.Indices[0]) is long index ? new CopyBytes(index, index + 1)
                : leastStart(element.Indices[0]) is long least ? new CopyBytes(least, null)
                : null;
        }

        if (parent is not IArgumentOperation { Parent: IInvocationOperation call } argument || call.Arguments.Length < 2
            || !ReferenceEquals(call.Arguments[0], argument))
        {
            return null;
        }

        var method = call.TargetMethod;
        bool field = method.ContainingType is { Name: "BitConverter", ContainingNamespace.Name: "System" } && method.Name.StartsWith("To", System.StringComparison.Ordinal)
            && call.Arguments.Length == 2;
        bool view = method.ContainingType is { Name: "MemoryExtensions", ContainingNamespace.Name: "System" } && method.Name is "AsSpan" or "AsMemory"
            && call.Arguments[1].Value.Type?.SpecialType == SpecialType.System_Int32;
        if (!field && !view)
        {
            return null;
        }

        if (Constant(call.Arguments[1].Value) is not long start)
        {
            return leastStart(call.Arguments[1].Value) is long least ? new CopyBytes(least, null) : null;
        }

        if (field)
        {
            return Width(method.ReturnType) is long width ? new CopyBytes(start, start + width) : null;
        }

        return call.Arguments.Length == 2 ? new CopyBytes(start, null)
            : call.Arguments.Length == 3 && Constant(call.Arguments[2].Value) is long length ? new CopyBytes(start, start + length)
            : null;
    }

    /// <summary>
    /// The bytes of <paramref name="copy"/> a variable computed from it may hold, over every write of the
    /// variable in <paramref name="graph"/> (<c>off = BitConverter.ToUInt64(same, 0); len =
    /// BitConverter.ToUInt64(same, 8); if (len &gt; MAX) len = MAX;</c>: <c>[0, 8)</c> and <c>[8, 16)</c>), each
    /// read of the copy placed by <paramref name="bytesOf"/>; a write from another such variable adds its
    /// bytes, one that reads the copy where it cannot be placed, or an <c>out</c>/<c>ref</c> argument, makes
    /// them unknown (<c>null</c>). A write that reads nothing of the copy adds nothing.
    /// </summary>
    public static List<CopyBytes>? Behind(ISymbol variable, ISymbol copy, ControlFlowGraph graph, System.Func<IOperation, CopyBytes?> bytesOf)
    {
        var ranges = new List<CopyBytes>();
        return Add(variable, copy, graph, bytesOf, ranges, 0) ? ranges : null;
    }

    /// <summary>
    /// Every write of <paramref name="variable"/> that reads <paramref name="copy"/> (directly or through
    /// another local) hands it to a call that computes something else from it (<c>t =
    /// XtFindTableLock(NF_ARP, tmp); priv = t.Private;</c>): the variable holds no value of the copy's. A
    /// write through an <c>out</c> or <c>ref</c> argument is not placed, and counts as holding it.
    /// </summary>
    public static bool ComputedByCall(ISymbol variable, ISymbol copy, ControlFlowGraph graph) => ComputedByCall(variable, copy, graph, 0);

    private static bool ComputedByCall(ISymbol variable, ISymbol copy, ControlFlowGraph graph, int depth)
    {
        if (depth > 2)
        {
            return false;
        }

        bool byCall = false;
        foreach (var value in WritesOf(variable, graph))
        {
            if (value is null)
            {
                return false;
            }

            foreach (var read in value.DescendantsAndSelf())
            {
                if (read is not (ILocalReferenceOperation or IParameterReferenceOperation) || FlowAnalysis.SymbolOf(read) is not { } source
                    || SymbolEqualityComparer.Default.Equals(source, variable))
                {
                    continue;
                }

                bool direct = SymbolEqualityComparer.Default.Equals(source, copy);
                if (!direct && !(source is ILocalSymbol && Reads(source, copy, graph)))
                {
                    continue;
                }

                if (InsideCall(read, value) || (!direct && ComputedByCall(source, copy, graph, depth + 1)))
                {
                    byCall = true;
                }
                else
                {
                    return false;
                }
            }
        }

        return byCall;
    }

    /// <summary><paramref name="read"/> is an argument (at any depth) of a call within <paramref name="root"/> that is not a plain reader of values (<see cref="ReadsValue"/>).</summary>
    private static bool InsideCall(IOperation read, IOperation root)
    {
        for (var current = read.Parent; current is not null; current = current.Parent)
        {
            if (current is IInvocationOperation call && !ReadsValue(call.TargetMethod))
            {
                return true;
            }

            if (ReferenceEquals(current, root))
            {
                break;
            }
        }

        return false;
    }

    /// <summary>
    /// A method that reads, views, copies or converts the values it is given: the library's
    /// (<c>BitConverter</c>, <c>BinaryPrimitives</c>, spans and arrays, <c>Math</c>, LINQ's <c>ToArray</c>), or
    /// a helper of the user's that computes a number from its arguments alone (<c>le16_to_cpu()</c>,
    /// <see cref="ComputedHelpers"/>). What it returns is the same bytes or a value computed from them, not
    /// something a lookup made of them (an object found by the name in a header).
    /// </summary>
    public static bool ReadsValue(IMethodSymbol method) => method.ContainingType switch
    {
        { ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true }, Name: "BitConverter" or "MemoryExtensions" or "Math" or "Span" or "ReadOnlySpan" or "Array" or "Buffer" or "Memory" or "ReadOnlyMemory" } => true,
        { ContainingNamespace: { Name: "Binary", ContainingNamespace.Name: "Buffers" }, Name: "BinaryPrimitives" } => true,
        { ContainingNamespace: { Name: "Linq", ContainingNamespace.Name: "System" }, Name: "Enumerable" } => true,
        _ => (OperandRanges.IsInteger(method.ReturnType) || method.ReturnType.SpecialType == SpecialType.System_Boolean) && ComputedHelpers.IsComputedFromArguments(method),
    };

    /// <summary>Whether every range a variable may hold was placed; those are added to <paramref name="ranges"/>.</summary>
    private static bool Add(ISymbol variable, ISymbol copy, ControlFlowGraph graph, System.Func<IOperation, CopyBytes?> bytesOf, List<CopyBytes> ranges, int depth)
    {
        if (depth > 2)
        {
            return false;
        }

        foreach (var value in WritesOf(variable, graph))
        {
            if (value is null)
            {
                return false;
            }

            foreach (var read in value.DescendantsAndSelf())
            {
                if (read is not (ILocalReferenceOperation or IParameterReferenceOperation) || FlowAnalysis.SymbolOf(read) is not { } source)
                {
                    continue;
                }

                if (SymbolEqualityComparer.Default.Equals(source, copy))
                {
                    if (bytesOf(read) is not { } bytes)
                    {
                        return false;
                    }

                    ranges.Add(bytes);
                }
                else if (!SymbolEqualityComparer.Default.Equals(source, variable) && source is ILocalSymbol && Reads(source, copy, graph)
                    && !Add(source, copy, graph, bytesOf, ranges, depth + 1))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Some write of <paramref name="variable"/> reads <paramref name="copy"/>.</summary>
    private static bool Reads(ISymbol variable, ISymbol copy, ControlFlowGraph graph)
    {
        foreach (var value in WritesOf(variable, graph))
        {
            foreach (var read in value?.DescendantsAndSelf() ?? System.Linq.Enumerable.Empty<IOperation>())
            {
                if (read is ILocalReferenceOperation or IParameterReferenceOperation && SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(read), copy))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The values <paramref name="variable"/> is given in the graph (<c>=</c>, <c>+=</c>); <c>null</c> for an <c>out</c> or <c>ref</c> argument or a deconstruction, whose value is not placed.</summary>
    internal static IEnumerable<IOperation?> WritesOf(ISymbol variable, ControlFlowGraph graph)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var root in block.Operations)
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    switch (operation)
                    {
                        case IDeconstructionAssignmentOperation deconstruction
                            when System.Linq.Enumerable.Any(deconstruction.Target.DescendantsAndSelf(), target => SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(target), variable)):
                            yield return null;
                            break;
                        case IAssignmentOperation assignment when SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(assignment.Target), variable):
                            yield return assignment.Value;
                            break;
                        case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } written when SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(written.Value), variable):
                            yield return null;
                            break;
                    }
                }
            }
        }
    }

    private static long? Constant(IOperation operation) =>
        operation.ConstantValue is { HasValue: true, Value: var value } && value is int or long or short or byte or uint or ushort or sbyte
            ? System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) is var n && n >= 0 ? n : null
            : null;

    private static long? Width(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Boolean or SpecialType.System_Byte or SpecialType.System_SByte => 1,
        SpecialType.System_Char or SpecialType.System_Int16 or SpecialType.System_UInt16 => 2,
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
        SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 8,
        _ => null,
    };
}
