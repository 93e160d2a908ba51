using System;

namespace UserAccess.Runtime.Annotations;

/// <summary>What a user access does to user memory.</summary>
public enum AccessKind
{
    /// <summary>Reads user memory (<c>get_user</c>, <c>copy_from_user</c>): fault in with <c>fault_in_readable</c>.</summary>
    Read,

    /// <summary>Writes user memory (<c>put_user</c>, <c>copy_to_user</c>): fault in writeable.</summary>
    Write,

    /// <summary>Reads and writes atomically (futex ops, user cmpxchg): fault in writeable.</summary>
    ReadWrite,
}

/// <summary>
/// The method handles page faults itself: fault-in, <c>fixup_user_fault()</c>, GUP. It cannot work
/// inside a nofault region, and it may sleep.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ResolvesFaultsAttribute : Attribute
{
}

/// <summary>
/// The method faults user pages in for <see cref="Kind"/> accesses to the range
/// (<see cref="Pointer"/>, <see cref="Size"/>) and returns how much it could not.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class FaultsInAttribute : Attribute
{
    /// <summary>Creates the annotation.</summary>
    public FaultsInAttribute(AccessKind kind) => Kind = kind;

    /// <summary>The accesses this fault-in prepares for.</summary>
    public AccessKind Kind { get; }

    /// <summary>The parameter holding the user pointer.</summary>
    public string Pointer { get; set; } = "uaddr";

    /// <summary>The parameter holding the size in bytes; <c>null</c>: the pointed-to word.</summary>
    public string? Size { get; set; }

    /// <summary>
    /// The fault-in probes below page granularity (every arm64 MTE granule), so a fault it reports
    /// as resolved cannot stop the next access at the same place: a loop that retries the same
    /// range after it still makes forward progress (<c>fault_in_subpage_writeable()</c>). Page-granular
    /// fault-ins leave this <c>false</c>.
    /// </summary>
    public bool SubPage { get; set; }

    /// <summary>
    /// The fault-in never writes user memory: a buffer only partly filled afterwards keeps the rest
    /// of its contents (<c>fault_in_safe_writeable()</c>, which <c>fault_in_iov_iter_writeable()</c>
    /// uses because a read may stop short of the range it faulted in). A read fault-in is always safe;
    /// <c>fault_in_writeable()</c> writes a zero byte per page and leaves this <c>false</c>.
    /// </summary>
    public bool Safe { get; set; }
}

/// <summary>
/// The access never handles a fault: it returns <c>-EFAULT</c> where a faulting access would have
/// faulted. It belongs inside a nofault region (<c>*_inatomic</c>, <c>*_nofault</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class NofaultAccessAttribute : Attribute
{
}

/// <summary>
/// The method touches user memory at (<see cref="Pointer"/>, <see cref="Size"/>). <see cref="Size"/>
/// names a parameter: an integer, or a span whose length is the size; <c>null</c> means the size of
/// the pointed-to type.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class UserAccessAttribute : Attribute
{
    /// <summary>Creates the annotation.</summary>
    public UserAccessAttribute(AccessKind kind, string pointer)
    {
        Kind = kind;
        Pointer = pointer;
    }

    /// <summary>What the access does.</summary>
    public AccessKind Kind { get; }

    /// <summary>The parameter holding the user pointer.</summary>
    public string Pointer { get; }

    /// <summary>The parameter giving the size; <c>null</c>: <c>sizeof</c> the pointed-to type.</summary>
    public string? Size { get; set; }
}

/// <summary>The method tests for a pending fatal signal: <c>fatal_signal_pending(current)</c>.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class FatalSignalCheckAttribute : Attribute
{
    /// <summary>
    /// It is true for any pending signal, a fatal one included (<c>signal_pending(current)</c>): a loop
    /// that leaves on it leaves when the task is killed, but a fix that adds a check inserts the test
    /// for fatal signals only.
    /// </summary>
    public bool AnySignal { get; set; }
}
