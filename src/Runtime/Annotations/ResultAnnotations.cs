using System;

namespace UserAccess.Runtime.Annotations;

/// <summary>The result must be checked: the kernel's <c>__must_check</c>.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class MustCheckAttribute : Attribute
{
}

/// <summary>The method returns <c>0</c> or a negative errno (<c>-EFAULT</c>, <c>-EINTR</c>, ...).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Delegate, Inherited = false)]
public sealed class ReturnsErrnoAttribute : Attribute
{
}

/// <summary>
/// The method returns the number of bytes NOT copied (<c>0</c>: all copied), never an errno:
/// <c>copy_from_user()</c>, <c>copy_to_user()</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ReturnsBytesNotCopiedAttribute : Attribute
{
}

/// <summary>
/// The method returns the number of bytes NOT faulted in (<c>0</c>: all of them): the
/// <c>fault_in_*()</c> family. Less than the size asked for means some progress.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ReturnsBytesNotFaultedInAttribute : Attribute
{
}
