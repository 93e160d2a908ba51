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

    public DepthRange Join(DepthRange other) => new(Math.Min(Min, other.Min), Math.Max(Max, other.Max));

    /// <summary>Widening for loops that keep changing the depth: jump to the bounds.</summary>
    public DepthRange Widen(DepthRange next) =>
        new(next.Min < Min ? Floor : Min, next.Max > Max ? Ceiling : Max);

    public bool Equals(DepthRange other) => Min == other.Min && Max == other.Max;

    public override bool Equals(object? obj) => obj is DepthRange other && Equals(other);

    public override int GetHashCode() => (Min * 31) + Max;
}

/// <summary>A lock held at a program point.</summary>
internal readonly struct HeldLock
{
    public HeldLock(LockId id, bool shared, bool definite, IOperation? site)
    {
        Id = id;
        Shared = shared;
        Definite = definite;
        Site = site;
    }

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
    {
        Kinds = kinds;
        Origin = origin;
        AccessChecked = accessChecked;
        CheckedSize = checkedSize;
        Alignment = alignment;
        Range = range;
        Access = access;
    }

    /// <summary>What is known about the extent of a pointer's range check beyond a constant size (UA5003); joins as "must".</summary>
    public AccessRange Access { get; }

    /// <summary>Range-checked (or not) for <paramref name="checkedSize"/> bytes, with <paramref name="access"/> for the rest.</summary>
    public SymbolFact WithAccess(bool accessChecked, long? checkedSize, AccessRange access) => new(Kinds, Origin, accessChecked, checkedSize, Alignment, Range, access);

    /// <summary>What dominating checks proved about an integer's value for a bit operation (UA3002); joins as "must".</summary>
    public OperandRange Range { get; }

    public SymbolFact WithRange(OperandRange range) => new(Kinds, Origin, AccessChecked, CheckedSize, Alignment, range, Access);

    /// <summary>What a dominating check proved about the address's alignment (UA3001); joins as "must".</summary>
    public AlignmentFact Alignment { get; }

    public SymbolFact WithAlignment(AlignmentFact alignment) => new(Kinds, Origin, AccessChecked, CheckedSize, alignment, Range, Access);

    public ValueKinds Kinds { get; }

    /// <summary>The call whose result the symbol holds (a copy, a killable lock, an AccessOk).</summary>
    public IOperation? Origin { get; }

    /// <summary>Range-checked by a successful <c>AccessOk</c> on every path here.</summary>
    public bool AccessChecked { get; }

    /// <summary>The size the check covered; <c>null</c>: not a constant (taken as covering).</summary>
    public long? CheckedSize { get; }

    public bool IsEmpty => Kinds == ValueKinds.None && Origin is null && !AccessChecked && Alignment.IsEmpty && Range.IsEmpty && Access.IsEmpty;

    public SymbolFact Join(SymbolFact other)
    {
        bool check = AccessChecked && other.AccessChecked;
        long? size = null;
        if (check && CheckedSize is long a && other.CheckedSize is long b)
        {
            size = Math.Min(a, b);
        }

        return new SymbolFact(
            Kinds | other.Kinds,
            ReferenceEquals(Origin, other.Origin) ? Origin : Origin ?? other.Origin,
            check,
            size,
            Alignment.Join(other.Alignment),
            Range.Join(other.Range),
            Access.Join(other.Access, check));
    }

    public bool Equals(SymbolFact other) =>
        Kinds == other.Kinds && ReferenceEquals(Origin, other.Origin) && AccessChecked == other.AccessChecked && CheckedSize == other.CheckedSize
        && Alignment.Equals(other.Alignment) && Range.Equals(other.Range) && Access.Equals(other.Access);

    public override bool Equals(object? obj) => obj is SymbolFact other && Equals(other);

    public override int GetHashCode() => (int)Kinds;
}

/// <summary>
/// The lattice element at one program point: immutable, small, joined at merge points.
/// </summary>
/// <remarks>
/// Extension point (issue 4): add a field here (for example a "checked aligned" bit in
/// <see cref="SymbolFact"/>, or a fatal-signal-checked flag), give it a join in <see cref="Join"/> and
/// a comparison in <see cref="Equals(FlowState)"/>, set it in <see cref="FlowAnalysis"/>'s transfer
/// (<c>ApplyCall</c>) or edge refinement (<c>Assume</c>). Loop facts read the per-block input states
/// and per-edge records of <see cref="MethodAnalysis"/>: no second walk.
/// </remarks>
internal sealed class FlowState : IEquatable<FlowState>
{
    public static readonly FlowState Entry = new(
        new DepthRange(0, 0),
        new DepthRange(0, 0),
        null,
        null,
        ImmutableArray<HeldLock>.Empty,
        ImmutableDictionary.Create<ISymbol, SymbolFact>(SymbolEqualityComparer.Default));

    public FlowState(DepthRange nofault, DepthRange atomic, IOperation? nofaultSite, IOperation? atomicSite, ImmutableArray<HeldLock> locks, ImmutableDictionary<ISymbol, SymbolFact> facts)
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

    public ImmutableDictionary<ISymbol, SymbolFact> Facts { get; }

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

    public HeldLock? FindLock(LockId id)
    {
        foreach (var held in Locks)
        {
            if (held.Id.Equals(id))
            {
                return held;
            }
        }

        return null;
    }

    public FlowState Acquire(LockId id, bool shared, IOperation site)
    {
        var builder = ImmutableArray.CreateBuilder<HeldLock>(Locks.Length + 1);
        foreach (var held in Locks)
        {
            if (!held.Id.Equals(id))
            {
                builder.Add(held);
            }
        }

        builder.Add(new HeldLock(id, shared, definite: true, site));
        return WithLocks(builder.ToImmutable());
    }

    public FlowState Release(LockId id)
    {
        if (FindLock(id) is null)
        {
            return this;
        }

        var builder = ImmutableArray.CreateBuilder<HeldLock>(Locks.Length);
        foreach (var held in Locks)
        {
            if (!held.Id.Equals(id))
            {
                builder.Add(held);
            }
        }

        return WithLocks(builder.ToImmutable());
    }

    public FlowState WithLocks(ImmutableArray<HeldLock> locks) => new(Nofault, Atomic, NofaultSite, AtomicSite, locks, Facts);

    public SymbolFact GetFact(ISymbol symbol) => Facts.TryGetValue(symbol, out var fact) ? fact : default;

    public FlowState SetFact(ISymbol symbol, SymbolFact fact)
    {
        if (fact.IsEmpty)
        {
            return Facts.ContainsKey(symbol) ? new FlowState(Nofault, Atomic, NofaultSite, AtomicSite, Locks, Facts.Remove(symbol)) : this;
        }

        return new FlowState(Nofault, Atomic, NofaultSite, AtomicSite, Locks, Facts.SetItem(symbol, fact));
    }

    public FlowState Join(FlowState other)
    {
        if (ReferenceEquals(this, other))
        {
            return this;
        }

        var locks = ImmutableArray.CreateBuilder<HeldLock>();
        foreach (var mine in Locks)
        {
            var theirs = other.FindLock(mine.Id);
            locks.Add(theirs is HeldLock t
                ? new HeldLock(mine.Id, mine.Shared || t.Shared, mine.Definite && t.Definite, mine.Site ?? t.Site)
                : new HeldLock(mine.Id, mine.Shared, false, mine.Site));
        }

        foreach (var theirs in other.Locks)
        {
            if (FindLock(theirs.Id) is null)
            {
                locks.Add(new HeldLock(theirs.Id, theirs.Shared, false, theirs.Site));
            }
        }

        var facts = Facts;
        foreach (var pair in other.Facts)
        {
            facts = facts.TryGetValue(pair.Key, out var mine)
                ? facts.SetItem(pair.Key, mine.Join(pair.Value))
                : facts.SetItem(pair.Key, pair.Value.Join(default));
        }

        foreach (var pair in Facts)
        {
            if (!other.Facts.ContainsKey(pair.Key))
            {
                facts = facts.SetItem(pair.Key, pair.Value.Join(default));
            }
        }

        return new FlowState(
            Nofault.Join(other.Nofault),
            Atomic.Join(other.Atomic),
            NofaultSite ?? other.NofaultSite,
            AtomicSite ?? other.AtomicSite,
            locks.ToImmutable(),
            facts);
    }

    public FlowState Widen(FlowState next) =>
        new(Nofault.Widen(next.Nofault), Atomic.Widen(next.Atomic), next.NofaultSite, next.AtomicSite, next.Locks, next.Facts);

    public bool Equals(FlowState? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (!Nofault.Equals(other.Nofault) || !Atomic.Equals(other.Atomic) || Locks.Length != other.Locks.Length || Facts.Count != other.Facts.Count)
        {
            return false;
        }

        foreach (var mine in Locks)
        {
            if (other.FindLock(mine.Id) is not HeldLock theirs || theirs.Shared != mine.Shared || theirs.Definite != mine.Definite)
            {
                return false;
            }
        }

        foreach (var pair in Facts)
        {
            if (!other.Facts.TryGetValue(pair.Key, out var theirs) || !theirs.Equals(pair.Value))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as FlowState);

    public override int GetHashCode() => Nofault.GetHashCode() ^ Atomic.GetHashCode() ^ Locks.Length;
}
