using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// What a method's own annotations promise about the state it is entered in and the state it returns
/// in, the way sparse reads <c>__must_hold</c>, <c>__acquires</c> and <c>__releases</c>: a lock it
/// requires (<c>[RequiresLock]</c>) or releases (<c>[Releases]</c>) is held on entry, one it requires
/// or acquires (<c>[Acquires]</c>) is held on return, and holding a spinlock is the atomic context its
/// acquire entered. <c>[ExitsRegion]</c> is entered inside the region, <c>[EntersRegion]</c> returns in
/// it. Parameters marked <c>[RequiresAccessOk]</c> or <c>[RequiresAlignment]</c> are checked by its
/// callers. The callers are checked against the same annotations at each call.
/// </summary>
internal sealed class MethodContract
{
    private readonly ImmutableArray<LockUse> heldOnEntry;
    private readonly ImmutableArray<LockUse> heldOnExit;
    private readonly int[] entryDepth;
    private readonly int[] exitDepth;

    private MethodContract(FlowState entry, ImmutableArray<LockUse> heldOnEntry, ImmutableArray<LockUse> heldOnExit, int[] entryDepth, int[] exitDepth)
    {
        Entry = entry;
        this.heldOnEntry = heldOnEntry;
        this.heldOnExit = heldOnExit;
        this.entryDepth = entryDepth;
        this.exitDepth = exitDepth;
    }

    /// <summary>The contract of a method with none of the annotations a contract reads: entered and left at depth 0, holding nothing.</summary>
    private static readonly MethodContract None = new(FlowState.Entry, ImmutableArray<LockUse>.Empty, ImmutableArray<LockUse>.Empty, new int[2], new int[2]);

    /// <summary>The state the method is entered in: the start of its analysis.</summary>
    public FlowState Entry { get; }

    /// <summary>Builds the contract of <paramref name="method"/> from its own annotations.</summary>
    public static MethodContract Of(IMethodSymbol method, MethodAnnotations own, CompilationEngine engine, EngineOptions options)
    {
        // Most methods promise nothing: they share one contract.
        if (own.RequiresAccessOk.IsEmpty && own.RequiresAlignment.IsEmpty && own.Exits.IsEmpty && own.Enters.IsEmpty
            && own.Requires.IsEmpty && own.Releases.IsEmpty && own.Acquires.IsEmpty)
        {
            return None;
        }

        var entry = FlowState.Entry;
        foreach (int ordinal in own.RequiresAccessOk)
        {
            if (ordinal < method.Parameters.Length)
            {
                entry = entry.SetFact(method.Parameters[ordinal], new SymbolFact(ValueKinds.None, null, true, null));
            }
        }

        foreach (int ordinal in own.RequiresAlignment)
        {
            if (ordinal < method.Parameters.Length)
            {
                var fact = entry.GetFact(method.Parameters[ordinal]);
                entry = entry.SetFact(method.Parameters[ordinal], fact.WithAlignment(new AlignmentFact(0, null, true, null)));
            }
        }

        // Depths count from the caller's context: a region the method leaves was entered before it,
        // a region it enters remains on return, and a spinlock held across either edge is atomic context.
        int[] entryDepth = new int[2];
        int[] exitDepth = new int[2];
        foreach (var region in own.Exits)
        {
            entryDepth[(int)region]++;
        }

        foreach (var region in own.Enters)
        {
            exitDepth[(int)region]++;
        }

        var onEntry = ImmutableArray.CreateBuilder<LockUse>();
        var onExit = ImmutableArray.CreateBuilder<LockUse>();
        var locks = entry.Locks;
        foreach (var (list, held, kept) in new[] { (own.Requires, true, true), (own.Releases, true, false), (own.Acquires, false, true) })
        {
            foreach (var reference in list)
            {
                if (LockResolver.ResolveInside(reference, method, engine, options) is not { } id)
                {
                    continue;
                }

                var use = new LockUse(id, reference.Shared, reference.When);
                int atomic = id.AtomicWhileHeld ? 1 : 0;
                if (held)
                {
                    onEntry.Add(use);
                    locks = locks.Add(new HeldLock(id, reference.Shared, definite: true, site: null));
                    entryDepth[(int)RegionKind.Atomic] += atomic;
                }

                if (kept)
                {
                    onExit.Add(use);
                    exitDepth[(int)RegionKind.Atomic] += atomic;
                }
            }
        }

        entry = new FlowState(
            new DepthRange(entryDepth[(int)RegionKind.Nofault], entryDepth[(int)RegionKind.Nofault]),
            new DepthRange(entryDepth[(int)RegionKind.Atomic], entryDepth[(int)RegionKind.Atomic]),
            null,
            null,
            locks,
            entry.Facts);
        return new MethodContract(entry, onEntry.ToImmutable(), onExit.ToImmutable(), entryDepth, exitDepth);
    }

    /// <summary>How deep in <paramref name="region"/> the method is entered.</summary>
    public int EntryDepth(RegionKind region) => entryDepth[(int)region];

    /// <summary>How deep in <paramref name="region"/> the method may return: its entry, less what it
    /// releases or leaves, plus what it acquires or enters (a conditional acquire counted as taken).</summary>
    public int ExitDepth(RegionKind region) => exitDepth[(int)region];

    /// <summary>The annotations name the lock (required, acquired or released): the method's own
    /// drops and retakes of it are its contract, not an imbalance.</summary>
    public bool Names(LockId id) => Find(heldOnEntry, id) is not null || Find(heldOnExit, id) is not null;

    /// <summary>The method may return holding the lock: it requires it, or acquires it (on some path for a conditional acquire).</summary>
    public bool MayHoldOnExit(LockId id) => Find(heldOnExit, id) is not null;

    /// <summary>The locks the method must return holding on every path: required, or acquired unconditionally.</summary>
    public ImmutableArray<LockId> MustHoldOnExit()
    {
        var builder = ImmutableArray.CreateBuilder<LockId>();
        foreach (var use in heldOnExit)
        {
            if (use.When == AcquireWhen.Always)
            {
                builder.Add(use.Id);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>The locks the method is entered holding and must return without (<c>[Releases]</c>, sparse's <c>__releases</c>).</summary>
    public ImmutableArray<LockId> MustReleaseByExit()
    {
        var builder = ImmutableArray.CreateBuilder<LockId>();
        foreach (var use in heldOnEntry)
        {
            if (Find(heldOnExit, use.Id) is null)
            {
                builder.Add(use.Id);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>A spinlock the method is entered holding: what makes its entry atomic context; <c>null</c> for none.</summary>
    public LockId? AtomicLockOnEntry
    {
        get
        {
            foreach (var use in heldOnEntry)
            {
                if (use.Id.AtomicWhileHeld)
                {
                    return use.Id;
                }
            }

            return null;
        }
    }

    /// <summary>The method is entered holding the lock (required or released).</summary>
    public bool HeldOnEntry(LockId id) => Find(heldOnEntry, id) is not null;

    private static LockUse? Find(ImmutableArray<LockUse> uses, LockId id)
    {
        foreach (var use in uses)
        {
            if (use.Id.Equals(id))
            {
                return use;
            }
        }

        return null;
    }
}
