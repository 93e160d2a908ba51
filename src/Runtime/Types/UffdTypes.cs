using System;

namespace UserAccess.Runtime;

/// <summary>The non-cooperative events a userfaultfd monitor asks for: <c>UFFD_FEATURE_EVENT_*</c>.</summary>
[Flags]
public enum UffdFeatures
{
    /// <summary>Page faults only.</summary>
    None = 0,

    /// <summary><c>UFFD_FEATURE_EVENT_FORK</c>: the monitor is told when the process forks.</summary>
    EventFork = 1,

    /// <summary><c>UFFD_FEATURE_EVENT_REMAP</c>: the monitor is told when a registered range moves (mremap).</summary>
    EventRemap = 2,

    /// <summary><c>UFFD_FEATURE_EVENT_REMOVE</c>: the monitor is told when a registered range is zapped (<c>MADV_DONTNEED</c>).</summary>
    EventRemove = 4,
}

/// <summary>What a registration traps: <c>UFFDIO_REGISTER_MODE_*</c>.</summary>
public enum UffdRegisterMode
{
    /// <summary><c>UFFDIO_REGISTER_MODE_MISSING</c>: a fault on a missing page waits for the monitor instead of zero-filling.</summary>
    Missing = 1,
}

/// <summary>Modes of <see cref="UserfaultfdCtx.Copy(UserPtr, ReadOnlySpan{byte}, UffdCopyMode)"/>: <c>UFFDIO_COPY_MODE_*</c>.</summary>
[Flags]
public enum UffdCopyMode
{
    /// <summary>Fill the pages and wake the tasks waiting on them.</summary>
    None = 0,

    /// <summary><c>UFFDIO_COPY_MODE_DONTWAKE</c>: fill the pages, leave the waiters asleep (a later <c>UFFDIO_WAKE</c> wakes them).</summary>
    DontWake = 1,
}

/// <summary>The kind of a <see cref="UffdMsg"/>: <c>UFFD_EVENT_*</c>.</summary>
public enum UffdEvent
{
    /// <summary><c>UFFD_EVENT_PAGEFAULT</c>: a task faulted on a missing page of a registered range and waits.</summary>
    Pagefault,

    /// <summary><c>UFFD_EVENT_FORK</c>.</summary>
    Fork,

    /// <summary><c>UFFD_EVENT_REMAP</c>.</summary>
    Remap,

    /// <summary><c>UFFD_EVENT_REMOVE</c>: [<see cref="UffdMsg.Start"/>, <see cref="UffdMsg.End"/>) is being zapped.</summary>
    Remove,
}

/// <summary>One message read from a userfaultfd (<c>struct uffd_msg</c>).</summary>
public readonly record struct UffdMsg
{
    /// <summary>What happened.</summary>
    public UffdEvent Event { get; init; }

    /// <summary>For <see cref="UffdEvent.Pagefault"/>: the faulting address, rounded down to its page.</summary>
    public UserPtr Address { get; init; }

    /// <summary>For <see cref="UffdEvent.Pagefault"/>: the fault was a write (<c>UFFD_PAGEFAULT_FLAG_WRITE</c>).</summary>
    public bool Write { get; init; }

    /// <summary>For a range event: the first byte of the range.</summary>
    public UserPtr Start { get; init; }

    /// <summary>For a range event: the byte after the range (for <see cref="UffdEvent.Remap"/>: the new address).</summary>
    public UserPtr End { get; init; }

    /// <summary>For <see cref="UffdEvent.Fork"/>: the child's context (the kernel's new userfaultfd, <c>arg.fork.ufd</c>).</summary>
    public UserfaultfdCtx? Child { get; init; }
}

/// <summary><c>mremap()</c> flags: <c>MREMAP_*</c>.</summary>
[Flags]
public enum MremapFlags
{
    /// <summary>Resize in place only.</summary>
    None = 0,

    /// <summary><c>MREMAP_MAYMOVE</c>: the mapping may move when it cannot grow in place.</summary>
    MayMove = 1,

    /// <summary><c>MREMAP_FIXED</c> (with <see cref="MayMove"/>): move to exactly the new address, replacing what is there.</summary>
    Fixed = 2,
}
