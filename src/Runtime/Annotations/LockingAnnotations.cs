using System;

namespace UserAccess.Runtime.Annotations;

/// <summary>When a conditional acquire has taken the lock.</summary>
public enum AcquiredWhen
{
    /// <summary>The call always returns with the lock held.</summary>
    Always,

    /// <summary>The lock is held when the call returns <c>0</c> (killable waits: <c>-EINTR</c> otherwise).</summary>
    ReturnsZero,

    /// <summary>The lock is held when the call returns <c>true</c> (trylocks).</summary>
    ReturnsTrue,
}

/// <summary>
/// The call takes a lock: sparse's <c>__acquires(x)</c>. <see cref="Lock"/> names it from the
/// call's point of view: <c>"this"</c> (the receiver), a parameter name, or a parameter followed by
/// a member path (<c>"mm.MmapLock"</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class AcquiresAttribute : Attribute
{
    /// <summary>Creates the annotation.</summary>
    public AcquiresAttribute(string @lock) => Lock = @lock;

    /// <summary>The lock taken: <c>"this"</c>, a parameter, or a parameter's member path.</summary>
    public string Lock { get; }

    /// <summary>Taken for read (shared) rather than for write (exclusive).</summary>
    public bool Shared { get; set; }

    /// <summary>When the lock is held after the call.</summary>
    public AcquiredWhen When { get; set; }
}

/// <summary>The call releases a lock: sparse's <c>__releases(x)</c>. Named as in <see cref="AcquiresAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class ReleasesAttribute : Attribute
{
    /// <summary>Creates the annotation.</summary>
    public ReleasesAttribute(string @lock) => Lock = @lock;

    /// <summary>The lock released: <c>"this"</c>, a parameter, or a parameter's member path.</summary>
    public string Lock { get; }

    /// <summary>Released from read (shared) rather than write (exclusive) ownership.</summary>
    public bool Shared { get; set; }
}

/// <summary>
/// The call must be made with a lock held (sparse's <c>__must_hold(x)</c>, lockdep's
/// <c>lockdep_assert_held()</c>). Named as in <see cref="AcquiresAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class RequiresLockAttribute : Attribute
{
    /// <summary>Creates the annotation.</summary>
    public RequiresLockAttribute(string @lock) => Lock = @lock;

    /// <summary>The lock that must be held.</summary>
    public string Lock { get; }

    /// <summary>Holding it for read is enough.</summary>
    public bool Shared { get; set; }
}

/// <summary>
/// The page-fault path takes this lock (the mmap lock, a filesystem's folio or inode lock): a user
/// access that may fault while it is held can deadlock against the fault handler.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Class, Inherited = false)]
public sealed class TakenInFaultPathAttribute : Attribute
{
}

/// <summary>The wait is not killable; <see cref="MethodName"/> is the killable variant in the same type.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class HasKillableVariantAttribute : Attribute
{
    /// <summary>Creates the annotation.</summary>
    public HasKillableVariantAttribute(string methodName) => MethodName = methodName;

    /// <summary>The killable variant: same parameters, returns <c>0</c> or <c>-EINTR</c>.</summary>
    public string MethodName { get; }
}

/// <summary>
/// The field or property is protected by a lock: read it with the lock held (in either mode),
/// change it (assign, increment, add to, pass by <c>ref</c>, <c>Interlocked</c>) with the lock held
/// exclusively (for write, for an <see cref="RwSemaphore"/>). The kernel's <c>__guarded_by(lock)</c>
/// (compiler-based context analysis) and clang's <c>GUARDED_BY</c>.
/// </summary>
/// <remarks>
/// <see cref="Lock"/> names the lock the way a C# expression at the field would name it:
/// <c>"Lock"</c> or <c>"this.Lock"</c> (a member of the same object), <c>"FutexHash.BucketLock"</c>
/// (a static member of a type), <c>nameof(...)</c> where it applies. Userfaultfd's
/// <c>mmap_changing</c> is the example: the events raise it holding <c>map_changing_lock</c> for
/// write, the uffdio operations read it holding it for read, so that no operation runs
/// concurrently with an event the monitor has not yet seen.
/// </remarks>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
public sealed class GuardedByAttribute : Attribute
{
    /// <summary>Creates the annotation.</summary>
    public GuardedByAttribute(string @lock) => Lock = @lock;

    /// <summary>The lock that protects the member, named as a C# expression at the member would name it.</summary>
    public string Lock { get; }
}

/// <summary>
/// A lock that may be held for a long time: across I/O or page faults (the mmap lock is the
/// example). A task waiting for it may wait long, so the wait should be killable
/// (<c>mmap_read_lock_killable()</c>, <c>down_read_killable()</c>) in code that can return
/// <c>-EINTR</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false)]
public sealed class LongHeldAttribute : Attribute
{
    /// <summary>
    /// Waits for read count as long only on another task's object (<see cref="RemoteMmAttribute"/>);
    /// waits for write always do. The mmap lock's readers on the task's own mm are its page faults and
    /// syscalls, which the kernel takes non-killably (<c>mincore()</c>, the arch fault fixups); the
    /// kernel made the write waits of the mm syscalls killable (v4.7) and the read waits of the /proc
    /// files and <c>access_remote_vm()</c>, which wait on another task's mm (2019).
    /// </summary>
    public bool RemoteReadersOnly { get; set; }
}

/// <summary>
/// Another task's address space: what <c>get_task_mm()</c> and <c>mm_access()</c> return (the /proc
/// files, ptrace, <c>process_vm_readv()</c>): on a parameter, field or property that holds one, or on a
/// method that returns one. A task
/// that only looks at it must not wait unkillably for its mmap lock: the owner may hold it for a long
/// time, and the reader would hang in D state with it.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
public sealed class RemoteMmAttribute : Attribute
{
}
