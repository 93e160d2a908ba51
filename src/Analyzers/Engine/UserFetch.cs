using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// One read of user memory (a <c>[UserAccess(Read)]</c> call) that keeps what it read in a local: the
/// user range it reads, as a root pointer variable plus a constant offset, and the local that holds the
/// copy (an <c>out</c> argument, the array behind the destination span, or the array a
/// <c>memdup_user()</c> returns).
/// </summary>
internal sealed class UserFetch
{
    private UserFetch(CallSite call, ISymbol root, long offset, long? size, IOperation? sizeValue, ISymbol destination, bool copyStartsAtIndexZero, string pointerText)
    {
        CopyStartsAtIndexZero = copyStartsAtIndexZero;
        Call = call;
        Root = root;
        Offset = offset;
        Size = size;
        SizeValue = sizeValue;
        Destination = destination;
        PointerText = pointerText;
    }

    public CallSite Call { get; }

    /// <summary>The pointer variable the range starts from.</summary>
    public ISymbol Root { get; }

    /// <summary>The constant byte offset from <see cref="Root"/>.</summary>
    public long Offset { get; }

    /// <summary>The number of bytes read when it is a constant (<c>sizeof(T)</c>, <c>buf.AsSpan(0, 32)</c>); <c>null</c> otherwise.</summary>
    public long? Size { get; }

    /// <summary>The expression that gives the number of bytes read (the length argument); <c>null</c>: the type's size, or unknown.</summary>
    public IOperation? SizeValue { get; }

    /// <summary>The local (or parameter) that holds the copy.</summary>
    public ISymbol Destination { get; }

    /// <summary>The destination is an array whose element 0 holds the first byte read: byte <c>k</c> of the copy is the user's byte <c>Offset + k</c>.</summary>
    public bool CopyStartsAtIndexZero { get; }

    /// <summary>The pointer as written (for messages).</summary>
    public string PointerText { get; }

    /// <summary>The same user location: the same root pointer at the same offset, whatever the sizes.</summary>
    public bool SameLocation(UserFetch other) =>
        Offset == other.Offset && SymbolEqualityComparer.Default.Equals(Root, other.Root);

    /// <summary>
    /// This fetch with its size, when it fills a whole array (<c>CopyFromUser(tmp, user)</c>) and every array
    /// the variable is given in <paramref name="graph"/> has the same constant length (<c>byte[] tmp = new
    /// byte[SZ_XT_COUNTERS_INFO]</c>, the kernel's <c>sizeof(tmp)</c>); this fetch otherwise.
    /// </summary>
    public UserFetch WithArraySize(Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph graph)
    {
        if (Size is not null || SizeValue is not null || !CopyStartsAtIndexZero || Destination is not ILocalSymbol { Type: IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte } })
        {
            return this;
        }

        long? length = null;
        foreach (var value in CopyBytes.WritesOf(Destination, graph))
        {
            if (value is null || FlowAnalysis.Strip(value) is not IArrayCreationOperation { DimensionSizes.Length: 1 } creation
                || OperandRanges.Constant(creation.DimensionSizes[0]) is not long size || (length is long known && known != size))
            {
                return this;
            }

            length = size;
        }

        return length is long found ? new UserFetch(Call, Root, Offset, found, null, Destination, true, PointerText) : this;
    }

    /// <summary>
    /// This fetch with its root traced back through locals written once (<c>UserPtr urinfo = new
    /// UserPtr(arg);</c>) to the variable they were made from, when that variable is never written in
    /// <paramref name="graph"/> (a parameter) or is itself such a local: two pointers made from one
    /// argument name the same user memory, and a caller handing that argument on hands the same pointer.
    /// </summary>
    public UserFetch WithOrigin(Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph graph)
    {
        var (root, offset) = Origin(Root, Offset, graph);
        return ReferenceEquals(root, Root) ? this : new UserFetch(Call, root, offset, Size, SizeValue, Destination, CopyStartsAtIndexZero, PointerText);
    }

    /// <summary>The variable <paramref name="root"/> was made from, as <see cref="WithOrigin"/> traces it, and the offset from it.</summary>
    internal static (ISymbol Root, long Offset) Origin(ISymbol root, long offset, Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph graph)
    {
        var (writes, only) = Writes(root, graph);
        for (int depth = 0; depth < 4 && root is ILocalSymbol; depth++)
        {
            if (writes != 1 || only is null || AlignmentFacts.Root(only, out long step) is not { } origin
                || origin is not (ILocalSymbol or IParameterSymbol { RefKind: RefKind.None })
                || SymbolEqualityComparer.Default.Equals(origin, root))
            {
                break;
            }

            // A parameter never written, or a local written once (its definition): it holds one value.
            var (originWrites, originOnly) = Writes(origin, graph);
            if (originWrites != (origin is IParameterSymbol ? 0 : 1))
            {
                break;
            }

            root = origin;
            offset += step;
            (writes, only) = (originWrites, originOnly);
        }

        return (root, offset);
    }

    /// <summary>How many times <paramref name="variable"/> is written in <paramref name="graph"/>, and the value of the last write seen.</summary>
    private static (int Count, IOperation? Only) Writes(ISymbol variable, Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph graph)
    {
        int count = 0;
        IOperation? only = null;
        foreach (var value in CopyBytes.WritesOf(variable, graph))
        {
            only = value;
            count++;
        }

        return (count, only);
    }

    /// <summary>The fetch of <paramref name="call"/>; <c>null</c>: not a read of user memory into a local, or a pointer the engine cannot name.</summary>
    public static UserFetch? Of(CallSite call)
    {
        var annotations = call.Effects.Annotations;
        if (annotations.UserAccessKind != UserAccessKind.Read || annotations.UserAccessPointer is not { } pointerName)
        {
            return null;
        }

        var method = call.Effects.Method;
        var pointer = FlowAnalysis.ArgumentFor(method, call.Effects.Arguments, pointerName);
        if (pointer is null || AlignmentFacts.Root(pointer, out long offset) is not { } root)
        {
            return null;
        }

        ISymbol? destination = null;
        IOperation? sizeValue = null;
        long? size = null;
        bool startsAtZero = false;
        foreach (var argument in call.Effects.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Out })
            {
                // out var v: the declaration names the local.
                var value = argument.Value is IDeclarationExpressionOperation declaration ? declaration.Expression : argument.Value;
                destination = FlowAnalysis.SymbolOf(value);
            }
            else if (argument.Parameter is { } parameter && parameter.Name == annotations.UserAccessSize)
            {
                if (ArrayBehind(argument.Value, out var length, out bool fromStart) is { } array)
                {
                    destination = array;
                    sizeValue = length;
                    startsAtZero = fromStart;
                }
                else if (argument.Value.Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64)
                {
                    sizeValue = argument.Value;
                }
            }
            else if (argument.Parameter is { } pointerParameter && pointerParameter.Name == pointerName && annotations.UserAccessSize is null)
            {
                size = CalleeChecks.SizeOf(pointerParameter.Type);
            }
        }

        // memdup_user(): the copy is the result, stored in a local.
        if (destination is null && call.Operation.Parent is ISimpleAssignmentOperation { Target: { } target } && target.Type is IArrayTypeSymbol)
        {
            destination = FlowAnalysis.SymbolOf(target);
            startsAtZero = true;
        }

        if (sizeValue is not null)
        {
            size = OperandRanges.Constant(sizeValue);
        }

        return destination is ILocalSymbol or IParameterSymbol
            ? new UserFetch(call, root, offset, size, sizeValue, destination, startsAtZero, FlowAnalysis.Strip(pointer).Syntax.ToString())
            : null;
    }

    /// <summary>
    /// The array local behind a destination span (<c>buf</c>, <c>buf.AsSpan()</c>, <c>buf.AsSpan(0, n)</c>), the
    /// span's length when it is given, and whether the span starts at the array's first element.
    /// </summary>
    internal static ISymbol? ArrayBehind(IOperation value, out IOperation? length, out bool fromStart)
    {
        length = null;
        var stripped = FlowAnalysis.Strip(value);
        fromStart = stripped.Type is IArrayTypeSymbol;
        if (stripped is IInvocationOperation { Instance: { } instance })
        {
            stripped = FlowAnalysis.Strip(instance);
        }
        else if (stripped is IInvocationOperation { Arguments.Length: > 0 } extension && extension.TargetMethod.IsExtensionMethod)
        {
            if (extension.TargetMethod.Name == "AsSpan" && extension.Arguments.Length == 3)
            {
                length = extension.Arguments[2].Value;
                fromStart = OperandRanges.Constant(extension.Arguments[1].Value) == 0;
            }
            else if (extension.TargetMethod.Name == "AsSpan" && extension.Arguments.Length == 1)
            {
                // buf.AsSpan(): the whole array, as buf itself.
                fromStart = true;
            }

            stripped = FlowAnalysis.Strip(extension.Arguments[0].Value);
        }

        return FlowAnalysis.SymbolOf(stripped) is { } symbol && stripped.Type is IArrayTypeSymbol ? symbol : null;
    }
}
