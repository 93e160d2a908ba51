using System;

namespace UserAccess.Runtime.Annotations;

/// <summary>
/// The user pointer must be naturally aligned for the access: atomics split across a cache line
/// raise #AC on x86-64 and any misaligned atomic faults on arm64. The alignment is the size of the
/// pointed-to type, or the value of <see cref="SizeParameter"/>. On a parameter of the user's own
/// method it moves the obligation to the callers and is assumed inside.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class RequiresAlignmentAttribute : Attribute
{
    /// <summary>The parameter giving the access size in bytes; <c>null</c>: <c>sizeof(T)</c>.</summary>
    public string? SizeParameter { get; set; }
}

/// <summary>
/// The user pointer is not range-checked by the callee (<c>__get_user</c>, <c>__put_user</c>): the
/// caller must have checked it with <c>access_ok()</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class RequiresAccessOkAttribute : Attribute
{
}

/// <summary>The method is the range check <c>access_ok(ptr, size)</c> for its two parameters.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AccessOkCheckAttribute : Attribute
{
    /// <summary>The parameter holding the pointer.</summary>
    public string Pointer { get; set; } = "p";

    /// <summary>The parameter holding the size.</summary>
    public string Size { get; set; } = "size";
}

/// <summary>
/// A bit operation on a user word: <see cref="SizeParameter"/> must be 4 or 8 and
/// <see cref="BitParameter"/> in <c>0..size*8-1</c> (the user_events enabler rules).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class UserBitOperationAttribute : Attribute
{
    /// <summary>The parameter giving the word size in bytes.</summary>
    public string SizeParameter { get; set; } = "size";

    /// <summary>The parameter giving the bit number.</summary>
    public string BitParameter { get; set; } = "bit";
}
