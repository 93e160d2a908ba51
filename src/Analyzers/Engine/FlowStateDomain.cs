using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// Witnesses (the call that entered a region, took a lock, produced a value) are kept for messages
/// and fixes, not as facts: where two paths bring different witnesses the one earliest in source
/// stands for both, so the choice does not depend on the order the paths are met.
/// </summary>
internal static class Witness
{
    public static IOperation? Earliest(IOperation? left, IOperation? right)
    {
        if (left is null || ReferenceEquals(left, right))
        {
            return right;
        }

        if (right is null)
        {
            return left;
        }

        var a = left.Syntax.Span;
        var b = right.Syntax.Span;
        if (a.Start != b.Start)
        {
            return a.Start < b.Start ? left : right;
        }

        if (a.Length != b.Length)
        {
            return a.Length > b.Length ? left : right;
        }

        return left.Kind <= right.Kind ? left : right;
    }
}

/// <summary>A region's nesting depth (<c>pagefault_disable</c>, atomic): the hull of the depths on the joined paths.</summary>
internal sealed class DepthDomain : AbstractDomain<DepthRange>
{
    public static readonly DepthDomain Instance = new();

    public override DepthRange Join(DepthRange left, DepthRange right) => new(Math.Min(left.Min, right.Min), Math.Max(left.Max, right.Max));

    /// <summary>A loop that keeps changing the depth jumps to the bounds.</summary>
    public override DepthRange Widen(DepthRange previous, DepthRange next) =>
        new(next.Min < previous.Min ? DepthRange.Floor : previous.Min, next.Max > previous.Max ? DepthRange.Ceiling : previous.Max);

    public override bool AreEqual(DepthRange left, DepthRange right) => left.Equals(right);

    public override bool LessOrEqual(DepthRange left, DepthRange right) => right.Min <= left.Min && left.Max <= right.Max;
}

/// <summary>
/// The locks held: a lock held on one side only is held on some path (not definite); held for read on
/// some path is shared. Which variables tell where such a lock is held needs the other facts: the
/// product's join adds them (<see cref="LockGuards"/>).
/// </summary>
internal sealed class LockSetDomain : AbstractDomain<ImmutableArray<HeldLock>>
{
    public static readonly LockSetDomain Instance = new();

    public override ImmutableArray<HeldLock> Join(ImmutableArray<HeldLock> left, ImmutableArray<HeldLock> right)
    {
        // Most merges (no lock held, or the same locks on both paths) change nothing: keep the set
        // that is already the join, the left one first.
        if (JoinKeeps(left, right, keptIsLeft: true))
        {
            return left;
        }

        if (JoinKeeps(right, left, keptIsLeft: false))
        {
            return right;
        }

        var locks = ImmutableArray.CreateBuilder<HeldLock>(left.Length + right.Length);
        foreach (var mine in left)
        {
            locks.Add(Find(right, mine.Id) is HeldLock theirs
                ? new HeldLock(mine.Id, mine.Shared || theirs.Shared, mine.Definite && theirs.Definite, Witness.Earliest(mine.Site, theirs.Site))
                : new HeldLock(mine.Id, mine.Shared, false, mine.Site));
        }

        foreach (var theirs in right)
        {
            if (Find(left, theirs.Id) is null)
            {
                locks.Add(new HeldLock(theirs.Id, theirs.Shared, false, theirs.Site));
            }
        }

        return locks.ToImmutable();
    }

    public override bool AreEqual(ImmutableArray<HeldLock> left, ImmutableArray<HeldLock> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        foreach (var mine in left)
        {
            if (Find(right, mine.Id) is not HeldLock theirs || theirs.Shared != mine.Shared || theirs.Definite != mine.Definite || !ReferenceEquals(theirs.Site, mine.Site)
                || !LockGuards.SameSet(theirs.Guards, mine.Guards))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The join of the two sets is <paramref name="kept"/> itself. The witness of a lock on both sides
    /// is the one <see cref="Witness.Earliest"/> picks with the left side first, as the join does.
    /// </summary>
    private static bool JoinKeeps(ImmutableArray<HeldLock> kept, ImmutableArray<HeldLock> other, bool keptIsLeft)
    {
        foreach (var theirs in other)
        {
            if (Find(kept, theirs.Id) is null)
            {
                return false;
            }
        }

        foreach (var mine in kept)
        {
            if (Find(other, mine.Id) is HeldLock theirs)
            {
                var site = keptIsLeft ? Witness.Earliest(mine.Site, theirs.Site) : Witness.Earliest(theirs.Site, mine.Site);
                if ((theirs.Shared && !mine.Shared) || (mine.Definite && !theirs.Definite) || !ReferenceEquals(site, mine.Site))
                {
                    return false;
                }
            }
            else if (mine.Definite)
            {
                return false;
            }
        }

        return true;
    }

    public static HeldLock? Find(ImmutableArray<HeldLock> locks, LockId id)
    {
        foreach (var held in locks)
        {
            if (held.Id.Equals(id))
            {
                return held;
            }
        }

        return null;
    }
}

/// <summary>
/// Facts about symbols, joined symbol by symbol; a symbol with no entry has the empty fact, which
/// the join meets like any other (a "must" fact known on one path only is gone).
/// </summary>
internal sealed class SymbolFactsDomain : AbstractDomain<SymbolFacts>
{
    public static readonly SymbolFactsDomain Instance = new();

    public override SymbolFacts Join(SymbolFacts left, SymbolFacts right) => SymbolFacts.Join(left, right);

    public override bool AreEqual(SymbolFacts left, SymbolFacts right) => SymbolFacts.AreEqual(left, right);
}

/// <summary>
/// The engine's state as the product of its component domains: region depths and their entry sites,
/// the locks held, and the facts about symbols (value kinds, access checks, alignment, operand ranges).
/// </summary>
internal sealed class FlowStateDomain : AbstractDomain<FlowState>
{
    public static readonly FlowStateDomain Instance = new();

    public override FlowState Join(FlowState left, FlowState right)
    {
        if (ReferenceEquals(left, right))
        {
            return left;
        }

        var nofault = DepthDomain.Instance.Join(left.Nofault, right.Nofault);
        var atomic = DepthDomain.Instance.Join(left.Atomic, right.Atomic);
        var nofaultSite = Witness.Earliest(left.NofaultSite, right.NofaultSite);
        var atomicSite = Witness.Earliest(left.AtomicSite, right.AtomicSite);
        var locks = LockGuards.Join(left, right, LockSetDomain.Instance.Join(left.Locks, right.Locks));
        var facts = SymbolFactsDomain.Instance.Join(left.Facts, right.Facts);

        // A merge that adds nothing keeps the state it had, and one that adds only what the incoming
        // state brings is that state: no allocation, and the fixed point's comparison with the
        // previous input is a reference check.
        if (nofault.Equals(left.Nofault) && atomic.Equals(left.Atomic) && ReferenceEquals(nofaultSite, left.NofaultSite)
            && ReferenceEquals(atomicSite, left.AtomicSite) && locks == left.Locks && ReferenceEquals(facts, left.Facts))
        {
            return left;
        }

        if (nofault.Equals(right.Nofault) && atomic.Equals(right.Atomic) && ReferenceEquals(nofaultSite, right.NofaultSite)
            && ReferenceEquals(atomicSite, right.AtomicSite) && locks == right.Locks && ReferenceEquals(facts, right.Facts))
        {
            return right;
        }

        return new FlowState(nofault, atomic, nofaultSite, atomicSite, locks, facts);
    }

    public override FlowState Widen(FlowState previous, FlowState next)
    {
        var nofault = DepthDomain.Instance.Widen(previous.Nofault, next.Nofault);
        var atomic = DepthDomain.Instance.Widen(previous.Atomic, next.Atomic);

        // Depths that did not move leave the next state as it is.
        return nofault.Equals(next.Nofault) && atomic.Equals(next.Atomic)
            ? next
            : new FlowState(nofault, atomic, next.NofaultSite, next.AtomicSite, next.Locks, next.Facts);
    }

    public override bool AreEqual(FlowState left, FlowState right) =>
        ReferenceEquals(left, right)
        || (DepthDomain.Instance.AreEqual(left.Nofault, right.Nofault)
            && DepthDomain.Instance.AreEqual(left.Atomic, right.Atomic)
            && ReferenceEquals(left.NofaultSite, right.NofaultSite)
            && ReferenceEquals(left.AtomicSite, right.AtomicSite)
            && LockSetDomain.Instance.AreEqual(left.Locks, right.Locks)
            && SymbolFactsDomain.Instance.AreEqual(left.Facts, right.Facts));
}
