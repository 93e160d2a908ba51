using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The references to a variable that holds a fetch's copy which may write the copy's bytes: an element
/// stored (<c>buf[3] = 0</c>, through an alias or a <c>Span</c> view as well), the array handed by
/// <c>ref</c>, to a method that may write it, or stored where the fetch pass does not follow it.
/// Reads (an element, the length, a comparison, a <c>ReadOnlySpan</c>, a method that only reads the
/// array: <c>BitConverter.ToUInt32(buf, 8)</c>, mic_desc_size()) and views whose own references are
/// followed (<c>var hdr = buf.AsSpan(0, 8);</c>, <c>var alias = buf;</c>) leave it as read.
/// </summary>
internal static class CopyWrites
{
    /// <summary>
    /// The reference <paramref name="reference"/> to a variable holding a copy may write the copy's bytes;
    /// <paramref name="onlyReads"/> says whether a method leaves the array passed as a parameter as it was.
    /// </summary>
    public static bool MayWrite(IOperation reference, Func<IMethodSymbol, int, bool> onlyReads)
    {
        if (!HoldsBytes(reference.Type))
        {
            // A value computed from the copy (an int, a bool) does not reach the copy's bytes.
            return false;
        }

        var current = reference;
        var parent = current.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            if (parent is IConversionOperation { Type: var converted } && !HoldsBytes(converted))
            {
                return false;
            }

            current = parent;
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IArrayElementReferenceOperation element when ReferenceEquals(element.ArrayReference, current):
                return IsWritten(element);
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when ReferenceEquals(indexer.Instance, current):
                return indexer.Property.ReturnsByRef && IsWritten(indexer);
            case IPropertyReferenceOperation { Property.Name: "Length" or "IsEmpty" } length when ReferenceEquals(length.Instance, current):
                return false;
            case IArgumentOperation { Parameter: { RefKind: RefKind.None or RefKind.In } parameter, Parent: IInvocationOperation invocation }:
                return !IsView(invocation) && !onlyReads(invocation.TargetMethod, parameter.Ordinal);
            case IInvocationOperation call when ReferenceEquals(call.Instance, current):
                return !IsView(call);
            case ISimpleAssignmentOperation { IsRef: false } assignment when ReferenceEquals(assignment.Value, current):
                return FlowAnalysis.Strip(assignment.Target) is not (ILocalReferenceOperation or IParameterReferenceOperation);
            case IBinaryOperation:
                return false;
            default:
                return true;
        }
    }

    /// <summary>A type through which the copy's bytes can be written: an array, a <c>Span</c>, a <c>Memory</c>, an object.</summary>
    private static bool HoldsBytes(ITypeSymbol? type) => type switch
    {
        null => true,
        IArrayTypeSymbol => true,
        INamedTypeSymbol { Name: "ReadOnlySpan" or "ReadOnlyMemory", ContainingNamespace.Name: "System" } => false,
        INamedTypeSymbol { Name: "Span" or "Memory" or "ArraySegment", ContainingNamespace.Name: "System" } => true,
        _ => !type.IsValueType,
    };

    /// <summary>An element the code stores into, updates or hands by reference.</summary>
    private static bool IsWritten(IOperation element) => element.Parent switch
    {
        ISimpleAssignmentOperation assignment => ReferenceEquals(assignment.Target, element) || assignment.IsRef,
        ICompoundAssignmentOperation compound => ReferenceEquals(compound.Target, element),
        IIncrementOrDecrementOperation => true,
        IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
        _ => false,
    };

    /// <summary><c>buf.AsSpan(0, 8)</c>, <c>span.Slice(4)</c>: a view of the same bytes, whose own references the fetch pass follows.</summary>
    private static bool IsView(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name is "AsSpan" or "AsMemory" or "Slice";
}
