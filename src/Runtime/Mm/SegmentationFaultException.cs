using System;

namespace UserAccess.Runtime;

/// <summary>
/// SIGSEGV delivered to the user program of <see cref="Mm.UserRead"/> / <see cref="Mm.UserWrite"/>:
/// no VMA, no permission, a poisoned page or an MTE tag mismatch at <see cref="Address"/>.
/// </summary>
public sealed class SegmentationFaultException : Exception
{
    /// <summary>Creates the exception for the faulting <paramref name="address"/>.</summary>
    public SegmentationFaultException(UserPtr address, string reason)
        : base($"SIGSEGV at {address}: {reason}")
    {
        Address = address;
        Reason = reason;
    }

    /// <summary>The faulting user address (<c>si_addr</c>).</summary>
    public UserPtr Address { get; }

    /// <summary>Why the access could not be completed.</summary>
    public string Reason { get; }
}
