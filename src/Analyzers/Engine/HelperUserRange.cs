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
internal sealed class HelperUserRange
{
    private HelperUserRange(IMethodSymbol access, IParameterSymbol pointer, IParameterSymbol? size)
    {
        Access = access;
        Pointer = pointer;
        Size = size;
    }

    /// <summary>The annotated access the helper makes: its kind chooses the fault-in.</summary>
    public IMethodSymbol Access { get; }

    /// <summary>The helper's parameter that is the access's user pointer.</summary>
    public IParameterSymbol Pointer { get; }

    /// <summary>The helper's parameter that is the access's size; <c>null</c> when the access's size is the pointed-to type's.</summary>
    public IParameterSymbol? Size { get; }

    /// <summary>
    /// The range of a helper that returns an <c>int</c> errno, or <c>null</c>: no fault at all, a fault
    /// through anything else (another helper, pinning pages), pointers or sizes that are not its
    /// parameters, or more than one range.
    /// </summary>
    public static HelperUserRange? From(MethodAnalysis analysis)
    {
        if (analysis.Method.ReturnType.SpecialType != SpecialType.System_Int32 || !analysis.ReturnsErrno)
        {
            return null;
        }

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
