using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>A depth relative to method entry, as the range of values it has on the paths that reach a point.</summary>
internal readonly struct DepthRange : IEquatable<DepthRange>
{
    public const int Floor = -4;
    public const int Ceiling = 8;

    public DepthRange(int min, int max)
    {
        Min = Math.Max(Floor, Math.Min(Ceiling, min));
        Max = Math.Max(Floor, Math.Min(Ceiling, max));
    }

    public int Min { get; }

    public int Max { get; }

    /// <summary>Inside the region on every path.</summary>
    public bool Definitely => Min > 0;

    /// <summary>Outside the region on every path.</summary>
    public bool DefinitelyNot => Max <= 0;

    public DepthRange Add(int delta) => new(Min + delta, Max + delta);

    public DepthRange Join(DepthRange other) => DepthDomain.Instance.Join(this, other);

    public bool Equals(DepthRange other) => Min == other.Min && Max == other.Max;

    public override bool Equals(object? obj) => obj is DepthRange other && Equals(other);

    public override int GetHashCode() => (Min * 31) + Max;
}

/// <summary>A lock held at a program point.</summary>
internal readonly struct HeldLock
{
    public HeldLock(LockId id, bool shared, bool definite, IOperation? site, ImmutableArray<LockGuard> guards = default)
    {
        Id = id;
        Shared = shared;
        Definite = definite;
        Site = site;
        Guards = definite || guards.IsDefault ? ImmutableArray<LockGuard>.Empty : guards;
    }

    /// <summary>
    /// For a lock held on some paths only: variables whose value tells on which (<c>if (vma) up_read()</c>).
    /// Empty for a definite lock.
    /// </summary>
    public ImmutableArray<LockGuard> Guards { get; }

    public HeldLock WithGuards(ImmutableArray<LockGuard> guards) => new(Id, Shared, Definite, Site, guards);

    public LockId Id { get; }

    /// <summary>Held for read (shared) on some path.</summary>
    public bool Shared { get; }

    /// <summary>Held on every path (else: on some path).</summary>
    public bool Definite { get; }

    /// <summary>The acquire call (for messages and code fixes).</summary>
    public IOperation? Site { get; }
}

/// <summary>What a value-holding local (or pointer) is known to hold.</summary>
[Flags]
internal enum ValueKinds
{
    None = 0,

    /// <summary>A <c>[ReturnsBytesNotCopied]</c> result.</summary>
    BytesNotCopied = 1,

    /// <summary>A <c>[ReturnsErrno]</c> result (0 or -errno).</summary>
    Errno = 2,

    /// <summary>A <c>[ReturnsBytesNotFaultedIn]</c> result.</summary>
    FaultInResult = 4,
}

/// <summary>
/// Facts about one symbol (local, parameter, field). Value kinds join as "may" (union); pointer checks
/// join as "must" (intersection).
/// </summary>
internal readonly struct SymbolFact : IEquatable<SymbolFact>
{
    public SymbolFact(ValueKinds kinds, IOperation? origin, bool accessChecked, long? checkedSize, AlignmentFact alignment = default, OperandRange range = default, AccessRange access = default)
        : this(kinds, origin, accessChecked, checkedSize, alignment, range, access, mixedOrigins: false, Truth.Unknown)
    {
    }

    private SymbolFact(ValueKinds kinds, IOperation? origin, bool accessChecked, long? checkedSize, AlignmentFact alignment, OperandRange range, AccessRange access, bool mixedOrigins, Truth truth)
    {
        Truth = truth;
        Kinds = kinds;
        Origin = origin;
        AccessChecked = accessChecked;
        CheckedSize = checkedSize;
        Alignment = alignment;
        Range = range;
        Access = access;
        MixedOrigins = mixedOrigins;
    }

    /// <summary>What is known about the extent of a pointer's range check beyond a constant size (UA5003); joins as "must".</summary>
    public AccessRange Access { get; }

    /// <summary>Range-checked (or not) for <paramref name="checkedSize"/> bytes, with <paramref name="access"/> for the rest.</summary>
    public SymbolFact WithAccess(bool accessChecked, long? checkedSize, AccessRange access) => new(Kinds, Origin, accessChecked, checkedSize, Alignment, Range, access, MixedOrigins, Truth);

    /// <summary>What dominating checks proved about an integer's value for a bit operation (UA3002); joins as "must".</summary>
    public OperandRange Range { get; }

    public SymbolFact WithRange(OperandRange range) => new(Kinds, Origin, AccessChecked, CheckedSize, Alignment, range, Access, MixedOrigins, Truth);

    /// <summary>What a dominating check proved about the address's alignment (UA3001); joins as "must".</summary>
    public AlignmentFact Alignment { get; }

    public SymbolFact WithAlignment(AlignmentFact alignment) => new(Kinds, Origin, AccessChecked, CheckedSize, alignment, Range, Access, MixedOrigins, Truth);

    /// <summary>The same fact with the value kinds replaced.</summary>
    public SymbolFact WithKinds(ValueKinds kinds) => new(kinds, Origin, AccessChecked, CheckedSize, Alignment, Range, Access, MixedOrigins, Truth);

    public ValueKinds Kinds { get; }

    /// <summary>Whether the value is known to be null, false (<see cref="Truth.Zero"/>) or not, on every path here; joins as "must".</summary>
    public Truth Truth { get; }

    public SymbolFact WithTruth(Truth truth) => new(Kinds, Origin, AccessChecked, CheckedSize, Alignment, Range, Access, MixedOrigins, truth);

    /// <summary>The call whose result the symbol holds (a copy, a killable lock, an AccessOk); where
    /// paths bring different calls, the earliest in source stands for them (see <see cref="MixedOrigins"/>).</summary>
    public IOperation? Origin { get; }

    /// <summary>Paths bring results of different calls: <see cref="Origin"/> is one witness, not the
    /// call a test of the symbol tests, so no edge refinement follows from it.</summary>
    public bool MixedOrigins { get; }

    /// <summary><see cref="Origin"/> is the one call whose result the symbol holds on every path that brings one.</summary>
    public IOperation? SoleOrigin => MixedOrigins ? null : Origin;

    /// <summary>Range-checked by a successful <c>AccessOk</c> on every path here.</summary>
    public bool AccessChecked { get; }

    /// <summary>The size the check covered; <c>null</c>: not a constant (taken as covering).</summary>
    public long? CheckedSize { get; }

    public bool IsEmpty => Kinds == ValueKinds.None && Origin is null && !AccessChecked && Alignment.IsEmpty && Range.IsEmpty && Access.IsEmpty && Truth == Truth.Unknown;

    /// <summary>
    /// Value kinds join as "may" (union), access checks and their proofs as "must": a check known on
    /// one path only is gone, and the size covered is the smaller one (a non-constant size, taken as
    /// covering, yields to a constant one).
    /// </summary>
    public SymbolFact Join(SymbolFact other)
    {
        bool check = AccessChecked && other.AccessChecked;
        long? size = null;
        if (check)
        {
            size = CheckedSize is long a ? (other.CheckedSize is long b ? Math.Min(a, b) : a) : other.CheckedSize;
        }

        bool mixed = MixedOrigins || other.MixedOrigins || (Origin is not null && other.Origin is not null && !ReferenceEquals(Origin, other.Origin));
        return new SymbolFact(
            Kinds | other.Kinds,
            Witness.Earliest(Origin, other.Origin),
            check,
            size,
            Alignment.Join(other.Alignment),
            Range.Join(other.Range),
            Access.Join(other.Access, check),
            mixed,
            Truth == other.Truth ? Truth : Truth.Unknown);
    }

    public bool Equals(SymbolFact other) =>
        Kinds == other.Kinds && ReferenceEquals(Origin, other.Origin) && MixedOrigins == other.MixedOrigins && AccessChecked == other.AccessChecked && CheckedSize == other.CheckedSize
        && Alignment.Equals(other.Alignment) && Range.Equals(other.Range) && Access.Equals(other.Access) && Truth == other.Truth;

    public override bool Equals(object? obj) => obj is SymbolFact other && Equals(other);

    public override int GetHashCode() => (int)Kinds;
}

/// <summary>
/// The lattice element at one program point: immutable, small, joined at merge points.
/// </summary>
/// <remarks>
/// Adding a fact: give it a component domain (or a field of <see cref="SymbolFact"/> with a join that
/// goes to the less precise value when two paths disagree), join and compare it in
/// <see cref="FlowStateDomain"/>, set it in <see cref="FlowTransfer"/> (calls, assignments) or
/// <see cref="BranchRefinement"/> (edges). Loop facts read the per-block input states of
/// <see cref="MethodAnalysis"/>: no second walk.
/// </remarks>
internal sealed class FlowState : IEquatable<FlowState>
{
    public static readonly FlowState Entry = new(
        new DepthRange(0, 0),
        new DepthRange(0, 0),
        null,
        null,
        ImmutableArray<HeldLock>.Empty,
        SymbolFacts.Empty);

    public FlowState(DepthRange nofault, DepthRange atomic, IOperation? nofaultSite, IOperation? atomicSite, ImmutableArray<HeldLock> locks, SymbolFacts facts)
    {
        Nofault = nofault;
        Atomic = atomic;
        NofaultSite = nofaultSite;
        AtomicSite = atomicSite;
        Locks = locks;
        Facts = facts;
    }

    /// <summary>Page faults disabled: depth of pagefault_disable() nesting.</summary>
    public DepthRange Nofault { get; }

    /// <summary>Atomic context: preemption/irq/spinlock nesting.</summary>
    public DepthRange Atomic { get; }

    /// <summary>The call that entered the innermost nofault region.</summary>
    public IOperation? NofaultSite { get; }

    /// <summary>The call that entered the innermost atomic region.</summary>
    public IOperation? AtomicSite { get; }

    public ImmutableArray<HeldLock> Locks { get; }

    public SymbolFacts Facts { get; }

    public DepthRange Depth(RegionKind kind) => kind == RegionKind.Nofault ? Nofault : Atomic;

    public IOperation? Site(RegionKind kind) => kind == RegionKind.Nofault ? NofaultSite : AtomicSite;

    public FlowState Enter(RegionKind kind, IOperation site) =>
        kind == RegionKind.Nofault
            ? new FlowState(Nofault.Add(1), Atomic, site, AtomicSite, Locks, Facts)
            : new FlowState(Nofault, Atomic.Add(1), NofaultSite, site, Locks, Facts);

    public FlowState Exit(RegionKind kind) =>
        kind == RegionKind.Nofault
            ? new FlowState(Nofault.Add(-1), Atomic, NofaultSite, AtomicSite, Locks, Facts)
            : new FlowState(Nofault, Atomic.Add(-1), NofaultSite, AtomicSite, Locks, Facts);

    public HeldLock? FindLock(LockId id) => LockSetDomain.Find(Locks, id);

    public FlowState Acquire(LockId id, bool shared, IOperation site)
    {
        var taken = new HeldLock(id, shared, definite: true, site);
        int index = IndexOfLock(id);
        if (index < 0)
        {
            return WithLocks(Locks.Add(taken));
        }

        // Re-taking a held lock moves it last; taken last again the same way, it changes nothing.
        var held = Locks[index];
        if (index == Locks.Length - 1 && held.Definite && held.Shared == shared && ReferenceEquals(held.Site, site))
        {
            return this;
        }

        return WithLocks(Without(index, id).Add(taken));
    }

    public FlowState Release(LockId id)
    {
        int index = IndexOfLock(id);
        return index < 0 ? this : WithLocks(Without(index, id));
    }

    public FlowState WithLocks(ImmutableArray<HeldLock> locks) => new(Nofault, Atomic, NofaultSite, AtomicSite, locks, Facts);

    private int IndexOfLock(LockId id)
    {
        for (int i = 0; i < Locks.Length; i++)
        {
            if (Locks[i].Id.Equals(id))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The locks without <paramref name="id"/>, found first at <paramref name="index"/>.</summary>
    private ImmutableArray<HeldLock> Without(int index, LockId id)
    {
        var locks = Locks.RemoveAt(index);

        // A contract may name the same lock twice (required and released): every entry of it goes.
        for (int i = locks.Length - 1; i >= index; i--)
        {
            if (locks[i].Id.Equals(id))
            {
                locks = locks.RemoveAt(i);
            }
        }

        return locks;
    }

    public SymbolFact GetFact(ISymbol symbol) => Facts.TryGetValue(symbol, out var fact) ? fact : default;

    public FlowState SetFact(ISymbol symbol, SymbolFact fact)
    {
        var facts = Facts.SetItem(symbol, fact);
        return ReferenceEquals(facts, Facts) ? this : new FlowState(Nofault, Atomic, NofaultSite, AtomicSite, Locks, facts);
    }

    /// <summary>The join of <see cref="FlowStateDomain"/>.</summary>
    public FlowState Join(FlowState other) => FlowStateDomain.Instance.Join(this, other);

    /// <summary>The widening of <see cref="FlowStateDomain"/>.</summary>
    public FlowState Widen(FlowState next) => FlowStateDomain.Instance.Widen(this, next);

    public bool Equals(FlowState? other) => other is not null && FlowStateDomain.Instance.AreEqual(this, other);

    public override bool Equals(object? obj) => Equals(obj as FlowState);

    public override int GetHashCode() => Nofault.GetHashCode() ^ Atomic.GetHashCode() ^ Locks.Length;
}
