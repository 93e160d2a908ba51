using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
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
/// Also where such a method's reads of the array start (<see cref="FirstByteRead"/>): the kernel hands a
/// whole copy to a helper that reads only past its header (<c>ARPT_ENTRY_ITERATE(..., paddc-&gt;counters)</c>).
/// </summary>
internal sealed class ArrayParameterReads
{
    private const int MaxDepth = 8;
    private const int MaxEntries = 20000;

    private readonly Func<IMethodSymbol, CancellationToken, IOperation?> bodyOf;
    private const int MaxStarts = 4;

    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal), bool> cache = new(new MethodOrdinalComparer());
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal), ImmutableArray<ReadStart>?> starts = new(new MethodOrdinalComparer());
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

    /// <summary>
    /// The first index of the array passed as <paramref name="call"/>'s parameter <paramref name="ordinal"/>
    /// that the call may read; <see cref="long.MaxValue"/> when it reads none; <c>null</c> when the engine cannot
    /// place the reads (the method may write the array, hand it where the engine cannot see, or index it
    /// with a value it cannot bound from below), or a start depends on an argument that is not a constant.
    /// </summary>
    public long? FirstByteRead(IInvocationOperation call, int ordinal, CancellationToken cancellationToken)
    {
        if (StartsOf(call.TargetMethod, ordinal, 0, cancellationToken) is not { } reads)
        {
            return null;
        }

        long first = long.MaxValue;
        foreach (var read in reads)
        {
            long? least = read.Parameter < 0 ? read.Least
                : ArgumentOf(call, read.Parameter) is { } argument && OperandRanges.Constant(argument) is long value && value >= 0 && value <= long.MaxValue - read.Least ? value + read.Least
                : null;
            if (least is not long start)
            {
                return null;
            }

            first = Math.Min(first, start);
        }

        return first;
    }

    /// <summary>
    /// Where the reads of array parameter <paramref name="ordinal"/> may start, each from a constant or from
    /// the value of another parameter; empty when the method reads nothing of it; <c>null</c> when unknown.
    /// </summary>
    private ImmutableArray<ReadStart>? StartsOf(IMethodSymbol method, int ordinal, int depth, CancellationToken cancellationToken)
    {
        method = method.PartialImplementationPart ?? method.OriginalDefinition;
        if (!OnlyReads(method, ordinal, depth, cancellationToken))
        {
            return null;
        }

        if (method is { ContainingType: { Name: "BitConverter", ContainingNamespace.Name: "System" } })
        {
            // BitConverter.ToUInt32(value, startIndex): from startIndex on.
            return ordinal == 0 && method.Parameters.Length == 2 ? ImmutableArray.Create(new ReadStart(1, 0)) : null;
        }

        if (starts.TryGetValue((method, ordinal), out var known))
        {
            return known;
        }

        if (depth >= MaxDepth || bodyOf(method, cancellationToken) is not { } body)
        {
            return null;
        }

        var parameter = method.Parameters[ordinal];
        var found = ImmutableArray.CreateBuilder<ReadStart>();
        bool placed = true;
        foreach (var operation in body.Descendants())
        {
            if (operation is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter.OriginalDefinition, parameter.OriginalDefinition)
                && (!AddStarts(reference, body, depth, found, cancellationToken) || found.Count > MaxStarts))
            {
                placed = false;
                break;
            }
        }

        ImmutableArray<ReadStart>? result = placed ? found.ToImmutable() : null;

        if (Volatile.Read(ref cacheCount) < MaxEntries && starts.TryAdd((method, ordinal), result))
        {
            Interlocked.Increment(ref cacheCount);
        }

        return result;
    }

    /// <summary>Adds where one use of the array reads it; <c>false</c> when the engine cannot place it.</summary>
    private bool AddStarts(IParameterReferenceOperation reference, IOperation body, int depth, ImmutableArray<ReadStart>.Builder found, CancellationToken cancellationToken)
    {
        switch (reference.Parent)
        {
            case IPropertyReferenceOperation { Property.Name: "Length" or "LongLength" }:
                return true;
            case IArrayElementReferenceOperation { Indices.Length: 1 } element when ReferenceEquals(element.ArrayReference, reference):
                return Add(StartOf(element.Indices[0], body, 0), found);
            case IArgumentOperation { Parameter: { } callee, Parent: IInvocationOperation call }:
                if (StartsOf(call.TargetMethod, callee.Ordinal, depth + 1, cancellationToken) is not { } inner)
                {
                    return false;
                }

                foreach (var read in inner)
                {
                    if (read.Parameter < 0)
                    {
                        found.Add(read);
                    }
                    else if (ArgumentOf(call, read.Parameter) is not { } argument || !Add(StartOf(argument, body, 0) is { } outer && outer.Least <= long.MaxValue - read.Least ? new ReadStart(outer.Parameter, outer.Least + read.Least) : null, found))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private static bool Add(ReadStart? start, ImmutableArray<ReadStart>.Builder found)
    {
        if (start is { } read)
        {
            found.Add(read);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The least value of an index: a constant, or a parameter the method never assigns plus a constant,
    /// plus terms that are never negative (<c>countersOffset + i * SZ_XT_COUNTERS</c> with an unsigned
    /// <c>i</c>); <c>null</c> otherwise.
    /// </summary>
    private static ReadStart? StartOf(IOperation index, IOperation body, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        if (OperandRanges.Constant(index) is long constant)
        {
            return constant >= 0 ? new ReadStart(-1, constant) : null;
        }

        switch (index)
        {
            case IConversionOperation conversion when OperandRanges.IsInteger(conversion.Operand.Type):
                return StartOf(conversion.Operand, body, depth + 1);
            case IParenthesizedOperation parenthesized:
                return StartOf(parenthesized.Operand, body, depth + 1);
            case IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } parameter } when OperandRanges.IsInteger(parameter.Type) && !IsAssigned(parameter, body):
                return new ReadStart(parameter.Ordinal, 0);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, OperatorMethod: null } sum:
                return NonNegative(sum.RightOperand, body, depth + 1) && StartOf(sum.LeftOperand, body, depth + 1) is { } left ? Plus(left, sum.RightOperand)
                    : NonNegative(sum.LeftOperand, body, depth + 1) && StartOf(sum.RightOperand, body, depth + 1) is { } right ? Plus(right, sum.LeftOperand)
                    : NonNegative(index, body, depth) ? new ReadStart(-1, 0)
                    : null;
            default:
                return NonNegative(index, body, depth) ? new ReadStart(-1, 0) : null;
        }
    }

    /// <summary>A start moved on by a term that is never negative: by its value when it is a constant (<c>from + 4</c>).</summary>
    private static ReadStart? Plus(ReadStart start, IOperation term) =>
        OperandRanges.Constant(term) is not long constant ? start
        : constant <= long.MaxValue - start.Least ? new ReadStart(start.Parameter, start.Least + constant)
        : null;

    /// <summary>
    /// An integer expression that is never negative: a constant, a value of an unsigned type, a sum or
    /// product of such, or a local only ever set to non-negative constants and counted up.
    /// </summary>
    private static bool NonNegative(IOperation value, IOperation body, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        if (OperandRanges.Constant(value) is long constant)
        {
            return constant >= 0;
        }

        if (OperandRanges.IsUnsigned(value.Type))
        {
            return true;
        }

        return value switch
        {
            IConversionOperation conversion => OperandRanges.IsInteger(conversion.Operand.Type) && NonNegative(conversion.Operand, body, depth + 1),
            IParenthesizedOperation parenthesized => NonNegative(parenthesized.Operand, body, depth + 1),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Multiply, OperatorMethod: null } binary =>
                NonNegative(binary.LeftOperand, body, depth + 1) && NonNegative(binary.RightOperand, body, depth + 1),
            ILocalReferenceOperation { Local: { RefKind: RefKind.None } local } => CountsUpFromZero(local, body),
            _ => false,
        };
    }

    /// <summary>Every write of <paramref name="local"/> in <paramref name="body"/> sets a non-negative constant or adds one (<c>i++</c>, <c>i += 16</c>).</summary>
    private static bool CountsUpFromZero(ILocalSymbol local, IOperation body)
    {
        // A foreach variable, a pattern's or an out variable's takes values no write here shows.
        foreach (var declaration in local.DeclaringSyntaxReferences)
        {
            if (declaration.GetSyntax() is not VariableDeclaratorSyntax)
            {
                return false;
            }
        }

        foreach (var operation in body.Descendants())
        {
            bool ok = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) =>
                    declarator.Initializer is null || OperandRanges.Constant(declarator.Initializer.Value) is >= 0,
                ISimpleAssignmentOperation assignment when Names(assignment.Target, local) => OperandRanges.Constant(assignment.Value) is >= 0,
                ICompoundAssignmentOperation compound when Names(compound.Target, local) =>
                    compound.OperatorKind == BinaryOperatorKind.Add && OperandRanges.Constant(compound.Value) is >= 0,
                IIncrementOrDecrementOperation step when Names(step.Target, local) => step.Kind == OperationKind.Increment,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument when Names(argument.Value, local) => false,
                IDeconstructionAssignmentOperation deconstruction => !System.Linq.Enumerable.Any(deconstruction.Target.DescendantsAndSelf(), target => Names(target, local)),
                _ => true,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Names(IOperation operation, ILocalSymbol local) =>
        operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);

    /// <summary>The parameter is assigned, stepped or passed by reference somewhere in the body.</summary>
    private static bool IsAssigned(IParameterSymbol parameter, IOperation body)
    {
        foreach (var operation in body.Descendants())
        {
            var target = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IIncrementOrDecrementOperation step => step.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                _ => null,
            };

            // A deconstruction's target is a tuple of the variables it writes.
            foreach (var written in target?.DescendantsAndSelf() ?? System.Linq.Enumerable.Empty<IOperation>())
            {
                if (written is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The argument given for parameter <paramref name="ordinal"/> (named, positional or defaulted).</summary>
    private static IOperation? ArgumentOf(IInvocationOperation call, int ordinal)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument.Value;
            }
        }

        return null;
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

    /// <summary>Reads from index <see cref="Least"/> on, plus the value of parameter <see cref="Parameter"/> when it is not negative.</summary>
    private readonly struct ReadStart
    {
        public ReadStart(int parameter, long least)
        {
            Parameter = parameter;
            Least = least;
        }

        public int Parameter { get; }

        public long Least { get; }
    }

    private sealed class MethodOrdinalComparer : IEqualityComparer<(IMethodSymbol Method, int Ordinal)>
    {
        public bool Equals((IMethodSymbol Method, int Ordinal) x, (IMethodSymbol Method, int Ordinal) y) =>
            x.Ordinal == y.Ordinal && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Ordinal) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Ordinal;
    }
}
