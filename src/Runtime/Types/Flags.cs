using System;

namespace UserAccess.Runtime;

/// <summary>Page protections: <c>PROT_*</c>, plus arm64's <c>PROT_MTE</c>.</summary>
[Flags]
public enum Prot
{
    /// <summary>No access.</summary>
    None = 0,
    /// <summary>Readable.</summary>
    Read = 1,
    /// <summary>Writable.</summary>
    Write = 2,
    /// <summary>Executable.</summary>
    Exec = 4,
    /// <summary>Memory tagging enabled (arm64 only): accesses are tag-checked per 16-byte granule.</summary>
    Mte = 0x20,
}

/// <summary>Mapping flags: <c>MAP_*</c>.</summary>
[Flags]
public enum MapFlags
{
    /// <summary>Copy-on-write private mapping.</summary>
    Private = 0x02,
    /// <summary>Shared mapping: writes are seen by every mapping of the same object.</summary>
    Shared = 0x01,
    /// <summary>Map at exactly the hint address, replacing what is there.</summary>
    Fixed = 0x10,
    /// <summary>Not backed by a file: zero-filled on first touch.</summary>
    Anonymous = 0x20,
    /// <summary>Pre-fault every page at map time.</summary>
    Populate = 0x8000,
}

/// <summary>What <see cref="Mm.GetPageState"/> finds for a user address.</summary>
public enum PageState
{
    /// <summary>No VMA covers the address.</summary>
    NotMapped,
    /// <summary>Mapped, never touched (or dropped): the next touch faults.</summary>
    NotPresent,
    /// <summary>A private anonymous page that was only read: the shared zero page, mapped read-only.</summary>
    ZeroPage,
    /// <summary>Present but read-only (a read-only VMA, or a page waiting for copy-on-write).</summary>
    ReadOnly,
    /// <summary>Present and writable.</summary>
    Writable,
    /// <summary>Swapped out: bringing it back sleeps, as I/O does.</summary>
    SwappedOut,
    /// <summary>Hardware-poisoned: every access fails and nothing can fault it in.</summary>
    Poisoned,
}

/// <summary><c>FAULT_FLAG_*</c> for <see cref="Kernel.FixupUserFault(Mm, UserPtr, FaultFlags)"/>.</summary>
[Flags]
public enum FaultFlags
{
    /// <summary>A read fault.</summary>
    None = 0,
    /// <summary>A write fault: breaks copy-on-write.</summary>
    Write = 1,
    /// <summary>The fault may drop the mmap lock and retry.</summary>
    AllowRetry = 4,
    /// <summary>A pending fatal signal interrupts the fault with <c>-EINTR</c>.</summary>
    Killable = 0x10,
    /// <summary>The fault is on another process's address space.</summary>
    Remote = 0x80,
}

/// <summary><c>FOLL_*</c> flags for <see cref="Kernel.PinUserPagesUnlocked"/>.</summary>
[Flags]
public enum GupFlags
{
    /// <summary>Pin for reading.</summary>
    None = 0,
    /// <summary>Pin for writing: the page must be (made) writable.</summary>
    Write = 1,
    /// <summary>Do not fault: only present, suitably writable pages are pinned.</summary>
    NoFault = 0x80,
}

/// <summary>Futex operations of <c>FUTEX_WAKE_OP</c>: <c>FUTEX_OP_*</c>.</summary>
public enum FutexOp
{
    /// <summary><c>*uaddr = oparg</c>.</summary>
    Set = 0,
    /// <summary><c>*uaddr += oparg</c>.</summary>
    Add = 1,
    /// <summary><c>*uaddr |= oparg</c>.</summary>
    Or = 2,
    /// <summary><c>*uaddr &amp;= ~oparg</c>.</summary>
    AndN = 3,
    /// <summary><c>*uaddr ^= oparg</c>.</summary>
    Xor = 4,
}

/// <summary>Allocation flags: <c>GFP_*</c>. A flag set with <see cref="DirectReclaim"/> may sleep.</summary>
[Flags]
public enum Gfp
{
    /// <summary>Never sleeps, never reclaims: <c>GFP_NOWAIT</c>.</summary>
    NoWait = 0,
    /// <summary>May enter direct reclaim, and so sleep: <c>__GFP_DIRECT_RECLAIM</c>.</summary>
    DirectReclaim = 0x400,
    /// <summary>May use the emergency reserves: <c>__GFP_HIGH</c>.</summary>
    High = 0x20,
    /// <summary>Atomic allocation, never sleeps: <c>GFP_ATOMIC</c>.</summary>
    Atomic = High,
    /// <summary>Normal allocation, may sleep: <c>GFP_KERNEL</c>.</summary>
    Kernel = DirectReclaim | 0xC0,
}

/// <summary>Signals, with Linux x86 numbers.</summary>
public enum Signal
{
    /// <summary>Interrupt.</summary>
    SIGINT = 2,
    /// <summary>Kill: always fatal.</summary>
    SIGKILL = 9,
    /// <summary>User signal 1.</summary>
    SIGUSR1 = 10,
    /// <summary>Segmentation violation; forced by the kernel it kills the task on return to user mode, but is not a fatal signal for <c>fatal_signal_pending()</c>.</summary>
    SIGSEGV = 11,
    /// <summary>Termination request.</summary>
    SIGTERM = 15,
}
