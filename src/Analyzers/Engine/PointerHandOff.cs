using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// A call that hands a method of the user's the pointer a fetch read through (<c>mptctl_do_reset(arg)</c>
/// after <c>__mptctl_ioctl()</c> copied and checked the header at <c>arg</c>): the callee may read the
/// same user bytes again, a double fetch across the two functions.
/// </summary>
internal sealed class PointerHandOff
{
    public PointerHandOff(CallSite call, IMethodSymbol callee, int ordinal, ISymbol root, long offset, string argumentText)
    {
        Call = call;
        Callee = callee;
        Ordinal = ordinal;
        Root = root;
        Offset = offset;
        ArgumentText = argumentText;
    }

    public CallSite Call { get; }

    /// <summary>The method of the user's the pointer is handed to.</summary>
    public IMethodSymbol Callee { get; }

    /// <summary>The ordinal of the callee's parameter that receives the pointer.</summary>
    public int Ordinal { get; }

    /// <summary>The caller's pointer variable (as <see cref="UserFetch.Root"/> names it).</summary>
    public ISymbol Root { get; }

    /// <summary>The constant byte offset of the argument from <see cref="Root"/>: the callee's offset 0 is the caller's <see cref="Offset"/>.</summary>
    public long Offset { get; }

    /// <summary>The argument as written (for messages).</summary>
    public string ArgumentText { get; }
}
