using System;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The contract of a lattice the forward driver computes a fixed point over: a join at merge points,
/// a widening for loop heads that keep changing, and the order the fixed point is checked against.
/// Bottom (nothing reaches this point) is the absence of a state: the driver keeps no state for an
/// unreachable block, so a domain never has to invent a value for it.
/// </summary>
/// <typeparam name="T">The lattice element.</typeparam>
/// <remarks>
/// A join must be commutative, associative and an upper bound of both sides: when two facts cannot be
/// merged it goes to the less precise value ("unknown"), never to one of the sides, or the result
/// would depend on the order the graph's predecessors are met.
/// </remarks>
internal abstract class AbstractDomain<T>
{
    /// <summary>The least upper bound of two reachable states.</summary>
    public abstract T Join(T left, T right);

    /// <summary>
    /// Applied after a block has been visited a few times: <paramref name="next"/> is already the join
    /// with <paramref name="previous"/>; a domain with infinite ascending chains jumps to its bounds.
    /// </summary>
    public virtual T Widen(T previous, T next) => next;

    /// <summary>Equality as the fixed point sees it.</summary>
    public abstract bool AreEqual(T left, T right);

    /// <summary><paramref name="left"/> is at most as imprecise as <paramref name="right"/>: joining adds nothing to <paramref name="right"/>.</summary>
    public virtual bool LessOrEqual(T left, T right) => AreEqual(Join(left, right), right);
}
