using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The user memory a helper of the user's may fault on, when its parameters name it: every user access
/// it makes with page faults enabled is the same annotated access (<c>CopyFromUser</c>) on one of its
/// parameters, with another parameter (or the length of a span cut by one) as the size. A caller that
/// runs the helper with page faults disabled faults that range in after it failed (gfs2's
/// <c>fault_in_iov_iter_writeable()</c> of the iterator the read was given).
/// </summary>
/// <remarks>
/// Two shapes. An <c>int</c> errno helper whose access takes its pointer and size from its parameters
/// (i915's <c>slow_user_write()</c>) is retried from its start on the same range. A <c>long</c> helper
/// that returns the bytes it moved or a negative errno and walks an iterator parameter
/// (<c>generic_file_read_iter()</c> on a <c>struct iov_iter</c>: <c>to.Base += copied; to.Count -= copied;</c>)
/// resumes where it stopped: its range is what is left of the iterator, its pointer member and the
/// count member it shrinks by the same amount (<see cref="AdvancesIterator"/>).
/// </remarks>
internal sealed class HelperUserRange
{
    private HelperUserRange(IMethodSymbol access, IParameterSymbol pointer, IParameterSymbol? size)
        : this(access, pointer, ImmutableArray<ISymbol>.Empty, size, ImmutableArray<ISymbol>.Empty)
    {
    }

    private HelperUserRange(IMethodSymbol access, IParameterSymbol pointer, ImmutableArray<ISymbol> pointerPath, IParameterSymbol? size, ImmutableArray<ISymbol> sizePath)
    {
        Access = access;
        Pointer = pointer;
        PointerPath = pointerPath;
        Size = size;
        SizePath = sizePath;
    }

    /// <summary>The annotated access the helper makes: its kind chooses the fault-in.</summary>
    public IMethodSymbol Access { get; }

    /// <summary>The helper's parameter that is the access's user pointer.</summary>
    public IParameterSymbol Pointer { get; }

    /// <summary>The helper's parameter that is the access's size; <c>null</c> when the access's size is the pointed-to type's.</summary>
    public IParameterSymbol? Size { get; }

    /// <summary>The members read from <see cref="Pointer"/> to reach the user pointer (<c>to.Base</c>: <c>Base</c>); empty when the parameter is the pointer.</summary>
    public ImmutableArray<ISymbol> PointerPath { get; }

    /// <summary>The members read from <see cref="Size"/> to reach the size (<c>to.Count</c>: <c>Count</c>); empty when the parameter is the size.</summary>
    public ImmutableArray<ISymbol> SizePath { get; }

    /// <summary>
    /// The helper returns the bytes it moved or a negative errno in a <c>long</c>, and advances its
    /// iterator past them: run again after a fault it resumes where it stopped, and the range left
    /// to fault in is the iterator's pointer and count members as the helper leaves them.
    /// </summary>
    public bool AdvancesIterator => !PointerPath.IsEmpty;

    /// <summary>
    /// The range of a helper that returns an <c>int</c> errno, or <c>null</c>: no fault at all, a fault
    /// through anything else (another helper, pinning pages), pointers or sizes that are not its
    /// parameters, or more than one range.
    /// </summary>
    public static HelperUserRange? From(MethodAnalysis analysis)
    {
        if (!analysis.ReturnsErrno)
        {
            return null;
        }

        return analysis.Method.ReturnType.SpecialType switch
        {
            SpecialType.System_Int32 => FromParameters(analysis),
            SpecialType.System_Int64 => FromIterator(analysis),
            _ => null,
        };
    }

    /// <summary>The range of an <c>int</c> errno helper: its access's pointer and size are its parameters.</summary>
    private static HelperUserRange? FromParameters(MethodAnalysis analysis)
    {

        HelperUserRange? found = null;
        foreach (var call in analysis.Calls)
        {
            var effects = call.Effects;
            if (!effects.MayFault || !call.Before.Nofault.DefinitelyNot)
            {
                continue;
            }

            var annotations = effects.Annotations;
            if (annotations.UserAccessKind is null || annotations.UserAccessPointer is not { } pointerName
                || ParameterOf(analysis, effects, pointerName) is not { } pointer)
            {
                return null;
            }

            IParameterSymbol? size = null;
            if (annotations.UserAccessSize is { } sizeName && (size = ParameterOf(analysis, effects, sizeName)) is null)
            {
                return null;
            }

            if (found is not null && (!SymbolEqualityComparer.Default.Equals(found.Access, effects.Method)
                || !SymbolEqualityComparer.Default.Equals(found.Pointer, pointer) || !SymbolEqualityComparer.Default.Equals(found.Size, size)))
            {
                return null;
            }

            found = new HelperUserRange(effects.Method, pointer, size);
        }

        return found;
    }

    /// <summary>
    /// The range of a <c>long</c> helper, bytes or a negative errno, whose every access with faults
    /// enabled is the same annotated access at one member of a parameter (<c>CopyToUser(to.Base, page)</c>),
    /// which the helper advances by what it adds to that member and takes off another integer member of
    /// the same parameter (<c>to.Base += copied; to.Count -= copied;</c>): the remaining range is
    /// (<c>to.Base</c>, <c>to.Count</c>), whatever the access's own size.
    /// </summary>
    private static HelperUserRange? FromIterator(MethodAnalysis analysis)
    {
        IMethodSymbol? access = null;
        (IParameterSymbol Parameter, ISymbol Member)? pointer = null;
        foreach (var call in analysis.Calls)
        {
            var effects = call.Effects;
            if (!effects.MayFault || !call.Before.Nofault.DefinitelyNot)
            {
                continue;
            }

            if (effects.Annotations is not { UserAccessKind: not null, UserAccessPointer: { } pointerName }
                || effects.Arguments.FirstOrDefault(a => a.Parameter?.Name == pointerName)?.Value is not { } value
                || MemberOfParameter(analysis, value) is not { } member
                || (access is not null && !SymbolEqualityComparer.Default.Equals(access, effects.Method))
                || (pointer is { } seen && !(SymbolEqualityComparer.Default.Equals(seen.Parameter, member.Parameter) && SymbolEqualityComparer.Default.Equals(seen.Member, member.Member))))
            {
                return null;
            }

            access = effects.Method;
            pointer = member;
        }

        if (access is null || pointer is not var (iterator, pointerMember) || CountMember(analysis, iterator, pointerMember) is not { } countMember)
        {
            return null;
        }

        return new HelperUserRange(access, iterator, ImmutableArray.Create(pointerMember), iterator, ImmutableArray.Create(countMember));
    }

    /// <summary>
    /// The integer member of <paramref name="iterator"/> the helper decreases by the amount it adds to
    /// <paramref name="pointerMember"/> (<c>to.Count -= copied</c> with <c>to.Base += copied</c>), when
    /// exactly one is, and nothing else writes either member.
    /// </summary>
    private static ISymbol? CountMember(MethodAnalysis analysis, IParameterSymbol iterator, ISymbol pointerMember)
    {
        var comparer = SymbolEqualityComparer.Default;
        var advancedBy = new List<ISymbol>();

        // Every other write of a member of the iterator, with what it takes off (-= a local or a
        // parameter); null for any other write.
        var writes = new List<(ISymbol Member, ISymbol? TakesOff)>();
        foreach (var operation in analysis.Graph.Blocks.SelectMany(b => b.Operations).SelectMany(o => o.DescendantsAndSelf()))
        {
            if (operation is not IAssignmentOperation assignment || MemberOfParameter(analysis, assignment.Target) is not var (parameter, member)
                || !comparer.Equals(parameter, iterator))
            {
                continue;
            }

            var (kind, by) = assignment is ICompoundAssignmentOperation compound
                ? (compound.OperatorKind, FlowAnalysis.SymbolOf(FlowAnalysis.Strip(compound.Value)))
                : (BinaryOperatorKind.None, null);
            if (comparer.Equals(member, pointerMember))
            {
                // The pointer only moves forward by what was moved: set outright, it no longer follows the walk.
                if (kind != BinaryOperatorKind.Add || by is null)
                {
                    return null;
                }

                advancedBy.Add(by);
            }
            else
            {
                writes.Add((member, kind == BinaryOperatorKind.Subtract ? by : null));
            }
        }

        // The count: an integer member every write of which takes off what the pointer advances by, as often.
        var counts = writes.Select(w => w.Member).Distinct(comparer)
            .Where(m => TypeOf(m!)?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64)
            .Where(m =>
            {
                var ofMember = writes.Where(w => comparer.Equals(w.Member, m)).ToList();
                return ofMember.Count == advancedBy.Count && ofMember.All(w => w.TakesOff is { } by && advancedBy.Contains(by, comparer));
            })
            .ToList();
        return advancedBy.Count > 0 && counts.Count == 1 ? counts[0] : null;
    }

    /// <summary><c>p.M</c>: a field or property read directly from a parameter of the helper.</summary>
    private static (IParameterSymbol Parameter, ISymbol Member)? MemberOfParameter(MethodAnalysis analysis, IOperation operation) =>
        FlowAnalysis.Strip(operation) is IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol, Instance: { } instance } reference
            && FlowAnalysis.Strip(instance) is IParameterReferenceOperation { Parameter: var parameter }
            && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, analysis.Method)
            ? (parameter, reference.Member)
            : null;

    private static ITypeSymbol? TypeOf(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    /// <summary>The helper's parameter passed as <paramref name="name"/>, directly or as the length of a span cut by <c>Slice</c>/<c>AsSpan</c>.</summary>
    private static IParameterSymbol? ParameterOf(MethodAnalysis analysis, CallEffects effects, string name)
    {
        if (effects.Arguments.FirstOrDefault(a => a.Parameter?.Name == name)?.Value is not { } value)
        {
            return null;
        }

        value = FlowAnalysis.Strip(value);
        if (value is IInvocationOperation { Arguments.Length: >= 2 } cut && cut.TargetMethod.Name is "Slice" or "AsSpan")
        {
            value = FlowAnalysis.Strip(cut.Arguments[cut.Arguments.Length - 1].Value);
        }

        return value is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter.ContainingSymbol, analysis.Method)
            ? reference.Parameter
            : null;
    }
}
