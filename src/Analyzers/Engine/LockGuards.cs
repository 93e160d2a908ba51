using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>A variable that tells whether a lock held on some paths is held: it is, exactly where the variable is non-null (or true), or exactly where it is null.</summary>
internal readonly struct LockGuard
{
    public LockGuard(ISymbol symbol, bool heldWhenNonZero)
    {
        Symbol = symbol;
        HeldWhenNonZero = heldWhenNonZero;
    }

    public ISymbol Symbol { get; }

    public bool HeldWhenNonZero { get; }

    public bool Equals(LockGuard other) => HeldWhenNonZero == other.HeldWhenNonZero && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol);
}

/// <summary>
/// The correlation between a lock taken on some paths only and a variable, kept across the merge of
/// those paths: sys_get_mempolicy() takes mmap_sem only when it looks up a vma and leaves through
/// <c>out: if (vma) up_read(&amp;mm-&gt;mmap_sem);</c>, and callbacks take a lock when a flag says so and
/// drop it under the same test. Where paths merge, a variable whose truth
/// (<see cref="TruthFacts"/>) is known on each path and differs exactly as the lock does becomes a
/// guard of the merged "held on some path" lock; a test of the guard then holds the lock on one edge
/// and drops it on the other. Any write to the variable forgets the guard.
/// </summary>
internal static class LockGuards
{
    /// <summary>The merged <paramref name="locks"/> of <paramref name="left"/> and <paramref name="right"/>, each lock held on some path given the guards both sides agree on.</summary>
    public static ImmutableArray<HeldLock> Join(FlowState left, FlowState right, ImmutableArray<HeldLock> locks)
    {
        ImmutableArray<HeldLock>.Builder? changed = null;
        for (int i = 0; i < locks.Length; i++)
        {
            var held = locks[i];
            if (held.Definite)
            {
                continue;
            }

            var guards = Consistent(left, held.Id);
            if (!guards.IsEmpty)
            {
                guards = Intersect(guards, Consistent(right, held.Id));
            }

            if (!SameSet(guards, held.Guards))
            {
                changed ??= locks.ToBuilder();
                changed[i] = held.WithGuards(guards);
            }
        }

        return changed?.ToImmutable() ?? locks;
    }

    /// <summary>
    /// The state on an edge where <paramref name="symbol"/> is known to be <paramref name="truth"/>:
    /// a lock it guards is held on every path of the edge, or on none.
    /// </summary>
    public static FlowState Resolve(ISymbol symbol, Truth truth, FlowState state)
    {
        var locks = state.Locks;
        for (int i = locks.Length - 1; i >= 0; i--)
        {
            var held = locks[i];
            foreach (var guard in held.Guards)
            {
                if (!SymbolEqualityComparer.Default.Equals(guard.Symbol, symbol))
                {
                    continue;
                }

                locks = guard.HeldWhenNonZero == (truth == Truth.NonZero)
                    ? locks.SetItem(i, new HeldLock(held.Id, held.Shared, definite: true, held.Site))
                    : locks.RemoveAt(i);
                break;
            }
        }

        return locks == state.Locks ? state : state.WithLocks(locks);
    }

    /// <summary>The state after a write to <paramref name="symbol"/>: its old value no longer tells which locks are held.</summary>
    public static FlowState Forget(ISymbol symbol, FlowState state)
    {
        var locks = state.Locks;
        for (int i = 0; i < locks.Length; i++)
        {
            var guards = locks[i].Guards;
            for (int g = 0; g < guards.Length; g++)
            {
                if (SymbolEqualityComparer.Default.Equals(guards[g].Symbol, symbol))
                {
                    locks = locks.SetItem(i, locks[i].WithGuards(guards.RemoveAt(g)));
                    break;
                }
            }
        }

        return locks == state.Locks ? state : state.WithLocks(locks);
    }

    /// <summary>Equal as sets: a join met in the other order lists the same guards in another order.</summary>
    public static bool SameSet(ImmutableArray<LockGuard> left, ImmutableArray<LockGuard> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        foreach (var guard in left)
        {
            if (!Contains(right, guard))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The guards <paramref name="side"/> agrees with for the lock: its own where it holds the lock on some path; else every variable of known truth, which says the lock is held (or not) as it is there.</summary>
    private static ImmutableArray<LockGuard> Consistent(FlowState side, LockId id)
    {
        var held = side.FindLock(id);
        if (held is { Definite: false } maybe)
        {
            return maybe.Guards;
        }

        ImmutableArray<LockGuard>.Builder? guards = null;
        foreach (var entry in side.Facts)
        {
            var truth = entry.Value.Truth;
            if (truth != Truth.Unknown)
            {
                guards ??= ImmutableArray.CreateBuilder<LockGuard>();
                guards.Add(new LockGuard(entry.Key, heldWhenNonZero: (truth == Truth.NonZero) == held.HasValue));
            }
        }

        return guards?.ToImmutable() ?? ImmutableArray<LockGuard>.Empty;
    }

    private static ImmutableArray<LockGuard> Intersect(ImmutableArray<LockGuard> left, ImmutableArray<LockGuard> right)
    {
        // Most merges keep every guard: the builder is made at the first one dropped.
        ImmutableArray<LockGuard>.Builder? kept = null;
        for (int i = 0; i < left.Length; i++)
        {
            if (Contains(right, left[i]))
            {
                kept?.Add(left[i]);
            }
            else if (kept is null)
            {
                kept = ImmutableArray.CreateBuilder<LockGuard>(left.Length);
                for (int j = 0; j < i; j++)
                {
                    kept.Add(left[j]);
                }
            }
        }

        return kept?.ToImmutable() ?? left;
    }

    private static bool Contains(ImmutableArray<LockGuard> guards, LockGuard guard)
    {
        foreach (var other in guards)
        {
            if (other.Equals(guard))
            {
                return true;
            }
        }

        return false;
    }
}
