using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// Which array parameters a method only reads: in the user's own methods, every use of the parameter
/// reads an element (<c>dd[1]</c>) or the length, or hands the array to a parameter that only reads
/// it (a <c>ReadOnlySpan</c>, <c>BitConverter.ToUInt32(buf, 8)</c>, or another such method of the
/// user's). An array passed there holds the same bytes after the call: the kernel's
/// <c>mic_desc_size(&amp;dd)</c> reads the descriptor a double fetch's re-check compares.
/// Anything else (an element written, the array stored, returned, passed to a method the engine
/// cannot see into or one that may be overridden) may write it.
/// </summary>
internal sealed class ArrayParameterReads
{
    private const int MaxDepth = 8;
    private const int MaxEntries = 20000;

    private readonly Func<IMethodSymbol, CancellationToken, IOperation?> bodyOf;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal), bool> cache = new(new MethodOrdinalComparer());
    private int cacheCount;

    /// <param name="bodyOf">The operation body of a source method of the compilation; <c>null</c> for any other.</param>
    public ArrayParameterReads(Func<IMethodSymbol, CancellationToken, IOperation?> bodyOf) => this.bodyOf = bodyOf;

    /// <summary>The method leaves the array passed as its parameter <paramref name="ordinal"/> as it was: it only reads it.</summary>
    public bool OnlyReads(IMethodSymbol method, int ordinal, CancellationToken cancellationToken) =>
        OnlyReads(method, ordinal, 0, cancellationToken);

    private bool OnlyReads(IMethodSymbol method, int ordinal, int depth, CancellationToken cancellationToken)
    {
        method = method.PartialImplementationPart ?? method.OriginalDefinition;
        if (ordinal < 0 || ordinal >= method.Parameters.Length || method.Parameters[ordinal] is not { RefKind: RefKind.None or RefKind.In } parameter)
        {
            return false;
        }

        // BitConverter.ToUInt32(byte[] value, int startIndex): the runtime's readers of a byte array.
        if (method is { Name: var name, ContainingType: { Name: "BitConverter", ContainingNamespace.Name: "System" } } && name.StartsWith("To", StringComparison.Ordinal))
        {
            return true;
        }

        if (parameter.Type is not IArrayTypeSymbol || method.IsVirtual || method.IsAbstract || method.IsOverride || method.IsExtern)
        {
            return false;
        }

        if (cache.TryGetValue((method, ordinal), out bool known))
        {
            return known;
        }

        if (depth >= MaxDepth || bodyOf(method, cancellationToken) is not { } body)
        {
            return false;
        }

        bool onlyReads = true;
        foreach (var operation in body.Descendants())
        {
            if (operation is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter.OriginalDefinition, parameter.OriginalDefinition)
                && !IsRead(reference, depth, cancellationToken))
            {
                onlyReads = false;
                break;
            }
        }

        if (Volatile.Read(ref cacheCount) < MaxEntries && cache.TryAdd((method, ordinal), onlyReads))
        {
            Interlocked.Increment(ref cacheCount);
        }

        return onlyReads;
    }

    /// <summary>One use of the array that leaves its bytes as they are.</summary>
    private bool IsRead(IParameterReferenceOperation reference, int depth, CancellationToken cancellationToken) => reference.Parent switch
    {
        IArrayElementReferenceOperation element when ReferenceEquals(element.ArrayReference, reference) => !IsWritten(element),
        IPropertyReferenceOperation { Property.Name: "Length" or "LongLength" } => true,
        IConversionOperation { Type: INamedTypeSymbol { Name: "ReadOnlySpan", ContainingNamespace.Name: "System" } } => true,
        IArgumentOperation { Parameter: { } callee, Parent: IInvocationOperation call } => OnlyReads(call.TargetMethod, callee.Ordinal, depth + 1, cancellationToken),
        _ => false,
    };

    /// <summary>The element is assigned, changed in place, or referenced (<c>ref dd[0]</c>).</summary>
    private static bool IsWritten(IOperation element) => element.Parent switch
    {
        ISimpleAssignmentOperation assignment => ReferenceEquals(assignment.Target, element) || assignment.IsRef,
        ICompoundAssignmentOperation compound => ReferenceEquals(compound.Target, element),
        ICoalesceAssignmentOperation coalesce => ReferenceEquals(coalesce.Target, element),
        IIncrementOrDecrementOperation => true,
        IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
        IAddressOfOperation or ITupleOperation or IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.RefKind: not RefKind.None } } => true,
        IReturnOperation => element.Parent.Syntax is ReturnStatementSyntax { Expression: RefExpressionSyntax },
        _ => element.Syntax.Parent is RefExpressionSyntax,
    };

    private sealed class MethodOrdinalComparer : IEqualityComparer<(IMethodSymbol Method, int Ordinal)>
    {
        public bool Equals((IMethodSymbol Method, int Ordinal) x, (IMethodSymbol Method, int Ordinal) y) =>
            x.Ordinal == y.Ordinal && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Ordinal) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Ordinal;
    }
}
