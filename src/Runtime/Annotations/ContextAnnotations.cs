using System;

namespace UserAccess.Runtime.Annotations;

/// <summary>The kind of region a call enters or leaves.</summary>
public enum Region
{
    /// <summary>Page faults disabled (<c>pagefault_disable()</c>): user accesses fail fast instead of handling a fault.</summary>
    Nofault,

    /// <summary>Atomic context: preemption disabled, interrupts off or a spinlock held (<c>in_atomic()</c>). Sleeping is a bug.</summary>
    Atomic,
}

/// <summary>
/// The method may sleep: the kernel's <c>might_sleep()</c>. Calling it in atomic context is
/// "BUG: sleeping function called from invalid context".
/// </summary>
/// <remarks>
/// With <see cref="FlagsParameter"/> set, the method sleeps only when that argument has one of the
/// <see cref="SleepFlags"/> bits (<c>kmalloc(size, GFP_KERNEL)</c> sleeps, <c>GFP_ATOMIC</c> does not).
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, Inherited = false)]
public sealed class MightSleepAttribute : Attribute
{
    /// <summary>The parameter whose flags decide whether the call may sleep; <c>null</c>: it always may.</summary>
    public string? FlagsParameter { get; set; }

    /// <summary>The flag bits that make the call sleep when <see cref="FlagsParameter"/> is set.</summary>
    public long SleepFlags { get; set; }
}

/// <summary>
/// The method may fault on a user address, and so sleep, unless page faults are disabled: the
/// kernel's <c>might_fault()</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class MightFaultAttribute : Attribute
{
}

/// <summary>The method always runs in atomic context (an interrupt handler, a callback under a spinlock).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AtomicContextAttribute : Attribute
{
}

/// <summary>The call enters a region: it disables page faults or preemption (nests).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class EntersRegionAttribute : Attribute
{
    /// <summary>Creates the annotation.</summary>
    public EntersRegionAttribute(Region region) => Region = region;

    /// <summary>The region entered.</summary>
    public Region Region { get; }
}

/// <summary>The call leaves a region entered by the matching <see cref="EntersRegionAttribute"/> call.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class ExitsRegionAttribute : Attribute
{
    /// <summary>Creates the annotation.</summary>
    public ExitsRegionAttribute(Region region) => Region = region;

    /// <summary>The region left.</summary>
    public Region Region { get; }
}
