using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>The two regions the engine tracks (the values of <c>UserAccess.Runtime.Annotations.Region</c>).</summary>
internal enum RegionKind
{
    Nofault = 0,
    Atomic = 1,
}

/// <summary>When a conditional acquire holds the lock (<c>AcquiredWhen</c>).</summary>
internal enum AcquireWhen
{
    Always = 0,
    ReturnsZero = 1,
    ReturnsTrue = 2,
}

/// <summary>The access kind of a <c>[UserAccess]</c>/<c>[FaultsIn]</c> annotation (<c>AccessKind</c>).</summary>
internal enum UserAccessKind
{
    Read = 0,
    Write = 1,
    ReadWrite = 2,
}

/// <summary>
/// A lock named from a callee's point of view, as the annotations name it: <c>"this"</c>, a parameter,
/// or either followed by a member path (<c>"mm.MmapLock"</c>); summaries may also name a static member
/// (<see cref="GlobalRoot"/>). Resolved to a <see cref="LockId"/> at each call site.
/// </summary>
internal readonly struct LockRef
{
    public LockRef(string root, string path, bool shared, AcquireWhen when, ISymbol? globalRoot = null)
    {
        Root = root;
        Path = path;
        Shared = shared;
        When = when;
        GlobalRoot = globalRoot;
    }

    /// <summary><c>"this"</c> or a parameter name; ignored when <see cref="GlobalRoot"/> is set.</summary>
    public string Root { get; }

    /// <summary>Member path after the root, dot separated; empty for the root itself.</summary>
    public string Path { get; }

    public bool Shared { get; }

    public AcquireWhen When { get; }

    public ISymbol? GlobalRoot { get; }

    /// <summary>Parses the annotation form <c>"param.Member.Member"</c>.</summary>
    public static LockRef Parse(string text, bool shared, AcquireWhen when)
    {
        text = text.Trim();
        int dot = text.IndexOf('.');
        return dot < 0
            ? new LockRef(text, string.Empty, shared, when)
            : new LockRef(text.Substring(0, dot), text.Substring(dot + 1), shared, when);
    }
}

/// <summary>
/// The identity of a lock inside the analysed method: a root symbol (local, parameter, static member,
/// or <c>this</c>) and a member path. <c>MmapReadLock(mm)</c> ("mm.MmapLock" of parameter <c>mm</c>)
/// and <c>mm.MmapLock.DownRead()</c> (receiver <c>mm.MmapLock</c>) give the same id.
/// </summary>
/// <summary>What the annotations (or the rule options) say of a lock.</summary>
[Flags]
internal enum LockTraits
{
    None = 0,

    /// <summary>The page-fault path takes it (<c>[TakenInFaultPath]</c> or <c>useraccess.fault_path_locks</c>).</summary>
    TakenInFaultPath = 1,

    /// <summary>It may be held across I/O or page faults, so waits on it should be killable
    /// (<c>[LongHeld]</c> or <c>useraccess.killable_wait_locks</c>).</summary>
    LongHeld = 2,

    /// <summary>Holding it is atomic context: its type's own unconditional acquire enters the atomic
    /// region (a spinlock: <c>spin_lock()</c> disables preemption).</summary>
    AtomicWhileHeld = 4,

    /// <summary>Waits for read on it count as long only when its owner is another task's
    /// (<c>[LongHeld(RemoteReadersOnly = true)]</c>: the mmap lock).</summary>
    RemoteReadersOnly = 8,

    /// <summary>It belongs to another task's mm (<c>[RemoteMm]</c> on the owner, or the owner is a local
    /// assigned from a <c>[RemoteMm]</c> method such as <c>GetTaskMm</c>).</summary>
    RemoteOwner = 16,
}

internal sealed class LockId : IEquatable<LockId>
{
    public LockId(ISymbol root, bool rootIsThis, string path, string display, LockTraits traits)
    {
        Root = root;
        RootIsThis = rootIsThis;
        Path = path;
        Display = display;
        Traits = traits;
    }

    /// <summary>The root symbol; for <c>this</c> the containing type.</summary>
    public ISymbol Root { get; }

    public bool RootIsThis { get; }

    public string Path { get; }

    /// <summary>How the code names it: <c>mm.MmapLock</c>, <c>this.lock</c>.</summary>
    public string Display { get; }

    public LockTraits Traits { get; }

    /// <summary>The page-fault path takes it (<c>[TakenInFaultPath]</c> or <c>useraccess.fault_path_locks</c>).</summary>
    public bool TakenInFaultPath => (Traits & LockTraits.TakenInFaultPath) != 0;

    /// <summary>It may be held for long: waits on it should be killable (<c>[LongHeld]</c> or <c>useraccess.killable_wait_locks</c>).</summary>
    public bool LongHeld => (Traits & LockTraits.LongHeld) != 0;

    /// <summary>Holding it is atomic context (a spinlock).</summary>
    public bool AtomicWhileHeld => (Traits & LockTraits.AtomicWhileHeld) != 0;

    /// <summary>
    /// A wait for it in this mode may be long: <see cref="LongHeld"/>, except a wait for read on a lock
    /// whose readers wait long only on another task's object (the mmap lock) when the owner is the
    /// task's own or unknown.
    /// </summary>
    public bool LongWait(bool shared) =>
        LongHeld && (!shared || (Traits & LockTraits.RemoteReadersOnly) == 0 || (Traits & LockTraits.RemoteOwner) != 0);

    /// <summary>The expression that owns the lock (<c>mm</c> for <c>mm.MmapLock</c>), for code fixes.</summary>
    public string OwnerDisplay
    {
        get
        {
            int dot = Display.LastIndexOf('.');
            return dot < 0 ? Display : Display.Substring(0, dot);
        }
    }

    public bool Equals(LockId? other) =>
        other is not null
        && RootIsThis == other.RootIsThis
        && string.Equals(Path, other.Path, StringComparison.Ordinal)
        && SymbolEqualityComparer.Default.Equals(Root, other.Root);

    public override bool Equals(object? obj) => Equals(obj as LockId);

    public override int GetHashCode() =>
        unchecked((SymbolEqualityComparer.Default.GetHashCode(Root) * 397) ^ StringComparer.Ordinal.GetHashCode(Path));

    public override string ToString() => Display;
}

/// <summary>A lock resolved at a call site, with the mode and condition of the annotation.</summary>
internal readonly struct LockUse
{
    public LockUse(LockId id, bool shared, AcquireWhen when)
    {
        Id = id;
        Shared = shared;
        When = when;
    }

    public LockId Id { get; }

    public bool Shared { get; }

    public AcquireWhen When { get; }

    /// <summary>Whether <paramref name="uses"/> names the lock <paramref name="id"/>.</summary>
    public static bool Names(ImmutableArray<LockUse> uses, LockId id)
    {
        foreach (var use in uses)
        {
            if (use.Id.Equals(id))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Whether a call may sleep.</summary>
internal enum SleepKind
{
    None = 0,

    /// <summary>Sleeps whatever the context (<c>[MightSleep]</c>, a helper that sleeps).</summary>
    Always = 1,
}

/// <summary>
/// What one call does, from its annotations (metadata and source methods) and, for the user's own
/// source methods, from their summary. Computed at each call site: locks are resolved against the
/// call's arguments, <c>Kmalloc</c>'s flags are read from the constant argument.
/// </summary>
internal sealed class CallEffects
{
    public CallEffects(IOperation operation, IMethodSymbol method, MethodAnnotations annotations, string name)
    {
        Operation = operation;
        Method = method;
        Annotations = annotations;
        Name = name;
    }

    public IOperation Operation { get; }

    public IMethodSymbol Method { get; }

    public MethodAnnotations Annotations { get; }

    /// <summary>The call as the code names it: <c>MmapReadLock</c>, <c>lk.Lock</c>.</summary>
    public string Name { get; }

    public SleepKind Sleep { get; set; }

    /// <summary>What makes it sleep when it is a helper (<c>MmapReadLock</c>), else <c>null</c>.</summary>
    public string? SleepReason { get; set; }

    /// <summary>May fault on user memory unless page faults are disabled (<c>might_fault()</c>).</summary>
    public bool MayFault { get; set; }

    public string? FaultReason { get; set; }

    /// <summary>The levels of the caller's atomic context a helper of the user's drops before it sleeps (<see cref="MethodSummary.SleepDropsAtomic"/>).</summary>
    public int SleepDropsAtomic { get; set; }

    /// <summary>As <see cref="SleepDropsAtomic"/>, before it faults.</summary>
    public int FaultDropsAtomic { get; set; }

    /// <summary>Handles page faults: <c>[ResolvesFaults]</c>, or takes a lock the fault path takes.</summary>
    public bool ResolvesFaults { get; set; }

    public string? ResolvesReason { get; set; }

    /// <summary>A helper of the user's that wraps a nofault access and returns its result: the access it wraps.</summary>
    public string? NofaultAccessReason { get; set; }

    /// <summary>The helper's nofault access cannot show in its result: it returns only non-negative constants
    /// (btrfs <c>copy_to_sk()</c>), so its caller has no failure path to fault in on.</summary>
    public bool HidesAccessFailure { get; set; }

    /// <summary>The annotated nofault access a helper of the user's wraps (through any depth of helpers): what
    /// its <c>-EFAULT</c> comes from, so what a fault-in must resolve. <c>null</c> for an annotated access itself.</summary>
    public IMethodSymbol? WrappedAccess { get; set; }

    /// <summary>
    /// A fault-in or fixup: it resolves faults (<c>[ResolvesFaults]</c> or a helper that does) and returns a
    /// result; taking the mmap lock (also "fault handling" for UA1002) is not one.
    /// </summary>
    public bool IsFaultIn =>
        ResolvesFaults && !Method.ReturnsVoid && Acquires.IsEmpty
        && Method.ReturnType.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64;

    /// <summary>It tests for a pending fatal signal: <c>[FatalSignalCheck]</c>, or a helper of the user's
    /// that calls such a test on every path through it (one that returns <c>-EINTR</c> when a signal is pending).</summary>
    public bool ChecksFatalSignal { get; set; }

    public ImmutableArray<RegionKind> Enters { get; set; } = ImmutableArray<RegionKind>.Empty;

    public ImmutableArray<RegionKind> Exits { get; set; } = ImmutableArray<RegionKind>.Empty;

    public ImmutableArray<LockUse> Acquires { get; set; } = ImmutableArray<LockUse>.Empty;

    public ImmutableArray<LockUse> Releases { get; set; } = ImmutableArray<LockUse>.Empty;

    public ImmutableArray<LockUse> Requires { get; set; } = ImmutableArray<LockUse>.Empty;

    /// <summary>
    /// The callee is a method of the user's whose <c>[RequiresLock]</c> contract is the entry state of its
    /// own analysis: what it does while the <see cref="Requires"/> locks are held, and whether it drops them
    /// around a fault (copy_from_user_mmap_sem()), is judged in its body, not at its callers.
    /// </summary>
    public bool AnalysedHoldingRequired { get; set; }

    public ImmutableArray<IArgumentOperation> Arguments { get; set; } = ImmutableArray<IArgumentOperation>.Empty;

    public IOperation? Instance { get; set; }

    /// <summary>The checks it makes on its pointer arguments before it returns 0 (<c>get_futex_key()</c>, <c>get_user()</c>).</summary>
    public ImmutableArray<EstablishedCheck> EstablishedOnSuccess { get; set; } = ImmutableArray<EstablishedCheck>.Empty;

    /// <summary>What a helper of the user's returns as its user pointer (<c>compat_alloc_user_space()</c>).</summary>
    public ReturnedPointer ReturnedPointer { get; set; }
}
