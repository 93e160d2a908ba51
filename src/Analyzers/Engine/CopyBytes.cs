using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The bytes of a copy (a <c>byte[]</c> a fetch filled) that one reference reads, when the code names
/// them with constants: a field read at a fixed offset (<c>BitConverter.ToUInt64(attr, 8)</c>, the
/// kernel's <c>attr-&gt;sched_flags</c>), one element (<c>attr[3]</c>), or a view from a fixed offset
/// (<c>attr.AsSpan(12)</c>, <c>attr.AsSpan(12, 4)</c>). Anything else reads the whole copy.
/// </summary>
internal readonly struct CopyBytes
{
    private CopyBytes(long from, long? to)
    {
        From = from;
        To = to;
    }

    /// <summary>The first byte read, as an index into the copy.</summary>
    public long From { get; }

    /// <summary>The end (exclusive) of the bytes read; <c>null</c>: to the end of the copy.</summary>
    public long? To { get; }

    /// <summary>Whether the bytes read lie wholly outside <c>[from, to)</c>.</summary>
    public bool Misses(long from, long to) => (To is long end && end <= from) || From >= to;

    /// <summary>The bytes <paramref name="reference"/> (a read of a <c>byte[]</c> variable) reads, or <c>null</c> when not constant.</summary>
    public static CopyBytes? Of(IOperation reference)
    {
        if (reference.Type is not IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return null;
        }

        var parent = reference.Parent;
        if (parent is IArrayElementReferenceOperation { Indices.Length: 1 } element && ReferenceEquals(element.ArrayReference, reference))
        {
            return Constant(element.Indices[0]) is long index ? new CopyBytes(index, index + 1) : null;
        }

        if (parent is not IArgumentOperation { Parent: IInvocationOperation call } argument || call.Arguments.Length < 2
            || !ReferenceEquals(call.Arguments[0], argument) || Constant(call.Arguments[1].Value) is not long start)
        {
            return null;
        }

        var method = call.TargetMethod;
        if (method.ContainingType is { Name: "BitConverter", ContainingNamespace.Name: "System" } && method.Name.StartsWith("To", System.StringComparison.Ordinal)
            && call.Arguments.Length == 2 && Width(method.ReturnType) is long width)
        {
            return new CopyBytes(start, start + width);
        }

        if (method.ContainingType is { Name: "MemoryExtensions", ContainingNamespace.Name: "System" } && method.Name is "AsSpan" or "AsMemory"
            && call.Arguments[1].Value.Type?.SpecialType == SpecialType.System_Int32)
        {
            if (call.Arguments.Length == 2)
            {
                return new CopyBytes(start, null);
            }

            return call.Arguments.Length == 3 && Constant(call.Arguments[2].Value) is long length ? new CopyBytes(start, start + length) : null;
        }

        return null;
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
