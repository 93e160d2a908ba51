using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// A check a callee makes on one of its pointer parameters before it can return success (0): the
/// range check (<c>access_ok()</c>) for <see cref="CheckedSize"/> bytes, and natural alignment to
/// <see cref="Alignment"/> bytes. <c>get_futex_key()</c> returns <c>-EINVAL</c> unless the address is
/// aligned and <c>-EFAULT</c> unless <c>access_ok()</c> passed, so where it returned 0 both hold.
/// </summary>
internal readonly struct EstablishedCheck
{
    public EstablishedCheck(int ordinal, bool accessChecked, long? checkedSize, long alignment)
    {
        Ordinal = ordinal;
        AccessChecked = accessChecked;
        CheckedSize = checkedSize;
        Alignment = alignment;
    }

    /// <summary>The parameter's ordinal.</summary>
    public int Ordinal { get; }

    /// <summary>Range-checked on every success path.</summary>
    public bool AccessChecked { get; }

    /// <summary>The constant size the range check covered (a check by a variable size is not passed on).</summary>
    public long? CheckedSize { get; }

    /// <summary>Proven aligned to this many bytes on every success path; 0: not proven.</summary>
    public long Alignment { get; }
}

/// <summary>
/// What a source helper that returns a user pointer tells its callers about it, the same on every
/// return that is not a null pointer: range-checked (for <see cref="CheckedSize"/> bytes when that is a
/// constant), or computed from an address with no check (<see cref="Computed"/>:
/// <c>compat_alloc_user_space()</c> before v2.6.36 carved it below the user's stack pointer and checked
/// nothing). Neither: not known (a parameter passed back, another object's field).
/// </summary>
internal readonly struct ReturnedPointer
{
    public ReturnedPointer(bool accessChecked, long? checkedSize, bool computed)
    {
        AccessChecked = accessChecked;
        CheckedSize = checkedSize;
        Computed = computed;
    }

    /// <summary>Range-checked on every return.</summary>
    public bool AccessChecked { get; }

    /// <summary>The constant size every return was checked for; <c>null</c>: a variable size.</summary>
    public long? CheckedSize { get; }

    /// <summary>Computed with no check on some return, and not known to be checked on any other.</summary>
    public bool Computed { get; }

    public bool IsKnown => AccessChecked || Computed;
}

/// <summary>
/// Checks established by a callee for its caller, on the path where its result is success (0). For a
/// source method: what its own flow proved about an unassigned pointer parameter on every return that
/// may be 0 (a return of a nonzero constant is an error path). For a metadata method: a checked user
/// access (<c>get_user()</c>, <c>put_user()</c>: a <c>[UserAccess]</c> pointer that is not
/// <c>[RequiresAccessOk]</c>) range-checked its pointer for the accessed size when it succeeded.
/// </summary>
internal static class CalleeChecks
{
    /// <summary>What <paramref name="analysis"/>'s method establishes for its callers when it returns 0.</summary>
    public static ImmutableArray<EstablishedCheck> From(MethodAnalysis analysis)
    {
        var method = analysis.Method;
        if (method.ReturnType.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int64))
        {
            return ImmutableArray<EstablishedCheck>.Empty;
        }

        var result = ImmutableArray.CreateBuilder<EstablishedCheck>();
        for (int ordinal = 0; ordinal < method.Parameters.Length; ordinal++)
        {
            var parameter = method.Parameters[ordinal];
            if (parameter.RefKind != RefKind.None || !AlignmentFacts.IsUserPtr(parameter.Type)
                || analysis.Annotations.RequiresAccessOk.Contains(ordinal) || analysis.Annotations.RequiresAlignment.Contains(ordinal)
                || IsAssigned(analysis, parameter))
            {
                continue;
            }

            // Every return that may be 0 must have made the check; a constant size is passed on, and a
            // variable one as a check of unknown extent.
            bool any = false, accessChecked = true;
            long? checkedSize = long.MaxValue;
            long alignment = long.MaxValue;
            foreach (var (value, state) in ReturnsMaybeZero(analysis))
            {
                if (OperandRanges.Constant(value) is long constant && constant != 0)
                {
                    continue;
                }

                var fact = state.GetFact(parameter);
                any = true;
                accessChecked &= fact.AccessChecked;
                checkedSize = fact.CheckedSize is long size && checkedSize is long known ? System.Math.Min(known, size) : null;
                alignment = System.Math.Min(alignment, fact.Alignment.Constant);
            }

            // A check of a length the engine cannot evaluate passes on as one of unknown extent, as a
            // variable AccessOk(p, n) in the caller would be (get_fd_set()'s copy_from_user() of FDS_BYTES(n)).
            accessChecked &= any;
            if (accessChecked || (any && alignment > 1))
            {
                result.Add(new EstablishedCheck(ordinal, accessChecked, accessChecked ? checkedSize : null, alignment > 1 ? alignment : 0));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The method's returned values with the state each is returned in. A value chosen by a conditional
    /// (<c>return copy_from_user(...) ? -EFAULT : 0;</c>, get_fd_set()) is returned once per arm, in the
    /// state that arm starts in, where the test's outcome is known; the join after the arms has lost it.
    /// </summary>
    private static IEnumerable<(IOperation Value, FlowState State)> ReturnsMaybeZero(MethodAnalysis analysis)
    {
        foreach (var site in analysis.Returns)
        {
            if (site.Value is not IFlowCaptureReferenceOperation reference || !Arms(analysis, reference.Id, out var arms))
            {
                yield return (site.Value, site.State);
                continue;
            }

            foreach (var arm in arms)
            {
                yield return arm;
            }
        }
    }

    /// <summary>The captures of <paramref name="id"/>, each the first operation of its block, with that block's input state.</summary>
    private static bool Arms(MethodAnalysis analysis, CaptureId id, out List<(IOperation Value, FlowState State)> arms)
    {
        arms = new List<(IOperation Value, FlowState State)>();
        foreach (var block in analysis.Graph.Blocks)
        {
            for (int index = 0; index < block.Operations.Length; index++)
            {
                if (block.Operations[index] is IFlowCaptureOperation capture && capture.Id.Equals(id))
                {
                    if (index != 0 || analysis.InputOf(block) is not { } input)
                    {
                        return false;
                    }

                    arms.Add((FlowAnalysis.Strip(capture.Value), input));
                }
            }
        }

        return arms.Count > 0;
    }

    /// <summary>
    /// What <paramref name="analysis"/>'s method returns as its user pointer, joined over its returns: a
    /// return the engine cannot decide makes the whole unknown; a computed one makes it unchecked.
    /// </summary>
    public static ReturnedPointer ReturnedFrom(MethodAnalysis analysis)
    {
        if (!AlignmentFacts.IsUserPtr(analysis.Method.ReturnType))
        {
            return default;
        }

        bool any = false, computed = false;
        long? checkedSize = long.MaxValue;
        foreach (var site in analysis.Returns)
        {
            if (AccessRanges.Returned(site.Value, site.State) is not { } returned)
            {
                continue;
            }

            if (!returned.IsKnown)
            {
                return default;
            }

            any = true;
            computed |= returned.Computed;
            checkedSize = returned.CheckedSize is long size && checkedSize is long known ? System.Math.Min(known, size) : null;
        }

        return !any ? default
            : computed ? new ReturnedPointer(false, null, true)
            : new ReturnedPointer(true, checkedSize, false);
    }

    /// <summary>What the helper called by <paramref name="call"/> in <paramref name="analysis"/> returns as its user pointer.</summary>
    public static ReturnedPointer ReturnedBy(MethodAnalysis analysis, IInvocationOperation call)
    {
        foreach (var site in analysis.Calls)
        {
            if (ReferenceEquals(site.Operation, call))
            {
                return site.Effects.ReturnedPointer;
            }
        }

        return default;
    }

    /// <summary>
    /// An integer-returning method with a pointer parameter that tests an address's alignment: it may
    /// establish that alignment even though it calls nothing annotated (the summaries' pre-scan skips such
    /// bodies). A method that returns a user pointer may check it, or compute it with no check.
    /// </summary>
    public static bool MayEstablish(IMethodSymbol method, IOperation body)
    {
        if (AlignmentFacts.IsUserPtr(method.ReturnType))
        {
            return true;
        }

        if (method.ReturnType.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int64)
            || !method.Parameters.Any(parameter => AlignmentFacts.IsUserPtr(parameter.Type)))
        {
            return false;
        }

        foreach (var operation in body.Descendants())
        {
            if (operation is IPropertyReferenceOperation { Property.Name: "Address", Instance: { } address } && AlignmentFacts.IsUserPtr(address.Type)
                || operation is IInvocationOperation { TargetMethod.Name: "IsAligned", Instance: { } aligned } && AlignmentFacts.IsUserPtr(aligned.Type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A checked user access of the runtime: its pointer is range-checked for the accessed size when it succeeds.</summary>
    public static ImmutableArray<EstablishedCheck> FromAnnotations(IMethodSymbol method, MethodAnnotations annotations, ImmutableArray<IArgumentOperation> arguments, ILocalAliases? aliases)
    {
        if (annotations.UserAccessPointer is not { } name || annotations.IsAccessOkCheck)
        {
            return ImmutableArray<EstablishedCheck>.Empty;
        }

        for (int ordinal = 0; ordinal < method.Parameters.Length; ordinal++)
        {
            var parameter = method.Parameters[ordinal];
            if (parameter.Name != name || annotations.RequiresAccessOk.Contains(ordinal))
            {
                continue;
            }

            long? size = annotations.UserAccessSize is { } sizeName
                ? FlowAnalysis.ArgumentFor(method, arguments, sizeName) is { } sizeArgument ? OperandRanges.Constant(sizeArgument) ?? CopiedLength(sizeArgument, aliases) : null
                : SizeOf(parameter.Type);
            // A copy of a length the engine cannot evaluate checked a range of unknown extent, as AccessOk(p, n) does.
            return size is not long n ? ImmutableArray.Create(new EstablishedCheck(ordinal, true, null, 0))
                : n > 0 ? ImmutableArray.Create(new EstablishedCheck(ordinal, true, n, 0))
                : ImmutableArray<EstablishedCheck>.Empty;
        }

        return ImmutableArray<EstablishedCheck>.Empty;
    }

    /// <summary>
    /// The constant length of the kernel buffer a copy's size parameter names: <c>buf.AsSpan(0, 32)</c>, or
    /// a whole local array made with a constant length and never assigned anything else, as the method's
    /// <paramref name="aliases"/> know it (<c>var kdata = new byte[32]; copy_from_user(kdata, udata)</c>,
    /// the kernel's <c>sizeof(kdata)</c>).
    /// </summary>
    private static long? CopiedLength(IOperation argument, ILocalAliases? aliases)
    {
        if (UserFetch.ArrayBehind(argument, out var length, out bool fromStart) is not ILocalSymbol array || !fromStart)
        {
            return null;
        }

        if (length is not null)
        {
            return OperandRanges.Constant(length);
        }

        return aliases?.AliasOf(array) is IArrayCreationOperation { DimensionSizes.Length: 1 } creation
            ? OperandRanges.Constant(creation.DimensionSizes[0])
            : null;
    }

    /// <summary>On the edge where the call <paramref name="effects"/> returned 0: its arguments carry what it established.</summary>
    public static FlowState Apply(CallEffects effects, FlowState state)
    {
        foreach (var check in effects.EstablishedOnSuccess)
        {
            if (check.Ordinal >= effects.Method.Parameters.Length
                || FlowAnalysis.ArgumentFor(effects.Method, effects.Arguments, effects.Method.Parameters[check.Ordinal].Name) is not { } argument
                || AlignmentFacts.Root(argument, out long offset) is not { } symbol || offset != 0)
            {
                continue;
            }

            var fact = state.GetFact(symbol);
            if (check.AccessChecked && !(fact.AccessChecked && (fact.CheckedSize is null || fact.CheckedSize >= check.CheckedSize)))
            {
                fact = fact.WithAccess(true, check.CheckedSize, default);
            }

            if (check.Alignment > 1)
            {
                fact = fact.WithAlignment(fact.Alignment.Prove(check.Alignment, null));
            }

            state = state.SetFact(symbol, fact);
        }

        return state;
    }

    private static bool IsAssigned(MethodAnalysis analysis, IParameterSymbol parameter)
    {
        foreach (var operation in analysis.Graph.OriginalOperation.Descendants())
        {
            if (operation is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter)
                && reference.Parent is ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation
                    or IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } or IDeconstructionAssignmentOperation)
            {
                if (reference.Parent is IAssignmentOperation assignment && !ReferenceEquals(assignment.Target, reference))
                {
                    continue;
                }

                return true;
            }
        }

        return false;
    }

    /// <summary><c>sizeof(T)</c> of a <c>UserPtr&lt;T&gt;</c> of a primitive; <c>null</c> when unknown.</summary>
    public static long? SizeOf(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } named
            ? named.TypeArguments[0].SpecialType switch
            {
                SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Boolean => 1,
                SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char => 2,
                SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
                SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 8,
                _ => null,
            }
            : null;
}
