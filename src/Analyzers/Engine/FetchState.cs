using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// What happened to one fetch's value since the fetch, on every path that reaches a point through the
/// fetch, and whether every path to the point went through it.
/// </summary>
internal readonly struct FetchMark : IEquatable<FetchMark>
{
    public FetchMark(bool checkedValue, bool rootKept, long? overwrittenFrom, long? overwrittenTo, bool used = false, bool onEveryPath = true)
    {
        Checked = checkedValue;
        RootKept = rootKept;
        OverwrittenFrom = overwrittenFrom;
        OverwrittenTo = overwrittenTo;
        Used = used;
        OnEveryPath = onEveryPath;
    }

    /// <summary>A branch tested the fetched value (or a value computed from it).</summary>
    public bool Checked { get; }

    /// <summary>The pointer variable the fetch read through was not assigned since: it still names the same user memory.</summary>
    public bool RootKept { get; }

    /// <summary>The start of the user bytes whose copy the kernel wrote its own value over (<c>same-&gt;dest_count = count</c>), as an offset from the fetch's root.</summary>
    public long? OverwrittenFrom { get; }

    /// <summary>The end (exclusive) of the overwritten bytes.</summary>
    public long? OverwrittenTo { get; }

    /// <summary>The fetched value (or one computed from it) was read on some path since the fetch.</summary>
    public bool Used { get; }

    /// <summary>
    /// Every path to the point made the fetch. When not, the fetch was made on some path only (a copy
    /// made again in one branch, <c>ethtool_get_rxnfc()</c>): the other facts hold on the paths that made it.
    /// </summary>
    public bool OnEveryPath { get; }

    public FetchMark WithChecked() => new(true, RootKept, OverwrittenFrom, OverwrittenTo, Used, OnEveryPath);

    public FetchMark WithRootMoved() => new(Checked, false, OverwrittenFrom, OverwrittenTo, Used, OnEveryPath);

    public FetchMark WithOverwritten(long from, long to) => new(Checked, RootKept, from, to, Used, OnEveryPath);

    public FetchMark WithUsed() => new(Checked, RootKept, OverwrittenFrom, OverwrittenTo, true, OnEveryPath);

    /// <summary>The same facts, where some path to the point did not make the fetch.</summary>
    public FetchMark OnSomePath() => new(Checked, RootKept, OverwrittenFrom, OverwrittenTo, Used, false);

    /// <summary>The copy no longer holds the user's bytes <c>[from, to)</c> on any path here.</summary>
    public bool Overwrites(long from, long to) => OverwrittenFrom is long start && OverwrittenTo is long end && start <= from && to <= end;

    /// <summary>Checked and kept on both paths; overwritten only where both paths overwrote the same bytes; used on either path; on every path when both are.</summary>
    public FetchMark Join(FetchMark other)
    {
        bool same = OverwrittenFrom == other.OverwrittenFrom && OverwrittenTo == other.OverwrittenTo;
        return new(
            Checked && other.Checked, RootKept && other.RootKept, same ? OverwrittenFrom : null, same ? OverwrittenTo : null, Used || other.Used,
            OnEveryPath && other.OnEveryPath);
    }

    public bool Equals(FetchMark other) =>
        Checked == other.Checked && RootKept == other.RootKept && OverwrittenFrom == other.OverwrittenFrom && OverwrittenTo == other.OverwrittenTo
        && Used == other.Used && OnEveryPath == other.OnEveryPath;

    public override bool Equals(object? obj) => obj is FetchMark other && Equals(other);

    public override int GetHashCode() => (Checked ? 1 : 0) | (RootKept ? 2 : 0) | (Used ? 4 : 0) | (OnEveryPath ? 8 : 0);
}

/// <summary>
/// The user fetches a point has seen and where their values went: the fetches made on some path to
/// the point, marked when every path made them, the fetches whose value each variable may hold,
/// directly or computed from it (may), and a constant each integer variable is at least (must).
/// </summary>
internal sealed class FetchState
{
    public static readonly FetchState Entry = new(
        ImmutableDictionary<IOperation, FetchMark>.Empty,
        ImmutableDictionary.Create<ISymbol, ImmutableHashSet<IOperation>>(SymbolEqualityComparer.Default),
        ImmutableDictionary.Create<ISymbol, long>(SymbolEqualityComparer.Default));

    public FetchState(ImmutableDictionary<IOperation, FetchMark> fetched, ImmutableDictionary<ISymbol, ImmutableHashSet<IOperation>> values, ImmutableDictionary<ISymbol, long> atLeast)
    {
        Fetched = fetched;
        Values = values;
        AtLeast = atLeast;
    }

    /// <summary>The fetch calls made on some path here, and what became of their values on the paths that made them.</summary>
    public ImmutableDictionary<IOperation, FetchMark> Fetched { get; }

    /// <summary>The fetch calls whose value each variable may hold (the copy, or a value computed from it).</summary>
    public ImmutableDictionary<ISymbol, ImmutableHashSet<IOperation>> Values { get; }

    /// <summary>A lower bound of each integer variable's value.</summary>
    public ImmutableDictionary<ISymbol, long> AtLeast { get; }

    /// <summary>The fetches whose value <paramref name="symbol"/> may hold.</summary>
    public ImmutableHashSet<IOperation> ValuesOf(ISymbol symbol) =>
        Values.TryGetValue(symbol, out var fetches) ? fetches : ImmutableHashSet<IOperation>.Empty;

    public FetchState With(
        ImmutableDictionary<IOperation, FetchMark>? fetched = null,
        ImmutableDictionary<ISymbol, ImmutableHashSet<IOperation>>? values = null,
        ImmutableDictionary<ISymbol, long>? atLeast = null) =>
        new(fetched ?? Fetched, values ?? Values, atLeast ?? AtLeast);
}

/// <summary>The lattice of <see cref="FetchState"/>: fetches join as "may" (marked when on one side only), values as "may", lower bounds as "must".</summary>
internal sealed class FetchStateDomain : AbstractDomain<FetchState>
{
    public static readonly FetchStateDomain Instance = new();

    public override FetchState Join(FetchState left, FetchState right)
    {
        if (ReferenceEquals(left, right))
        {
            return left;
        }

        var fetched = left.Fetched;
        foreach (var pair in left.Fetched)
        {
            var joined = right.Fetched.TryGetValue(pair.Key, out var theirs) ? pair.Value.Join(theirs) : pair.Value.OnSomePath();
            if (!joined.Equals(pair.Value))
            {
                fetched = fetched.SetItem(pair.Key, joined);
            }
        }

        foreach (var pair in right.Fetched)
        {
            if (!left.Fetched.ContainsKey(pair.Key))
            {
                fetched = fetched.SetItem(pair.Key, pair.Value.OnSomePath());
            }
        }

        var values = left.Values;
        foreach (var pair in right.Values)
        {
            values = values.SetItem(pair.Key, left.Values.TryGetValue(pair.Key, out var mine) ? mine.Union(pair.Value) : pair.Value);
        }

        var atLeast = left.AtLeast;
        foreach (var pair in left.AtLeast)
        {
            atLeast = right.AtLeast.TryGetValue(pair.Key, out var theirs) ? atLeast.SetItem(pair.Key, Math.Min(pair.Value, theirs)) : atLeast.Remove(pair.Key);
        }

        return new FetchState(fetched, values, atLeast);
    }

    public override bool AreEqual(FetchState left, FetchState right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left.Fetched.Count != right.Fetched.Count || left.Values.Count != right.Values.Count || left.AtLeast.Count != right.AtLeast.Count)
        {
            return false;
        }

        foreach (var pair in left.Fetched)
        {
            if (!right.Fetched.TryGetValue(pair.Key, out var theirs) || !theirs.Equals(pair.Value))
            {
                return false;
            }
        }

        foreach (var pair in left.Values)
        {
            if (!right.Values.TryGetValue(pair.Key, out var theirs) || !theirs.SetEquals(pair.Value))
            {
                return false;
            }
        }

        foreach (var pair in left.AtLeast)
        {
            if (!right.AtLeast.TryGetValue(pair.Key, out var theirs) || theirs != pair.Value)
            {
                return false;
            }
        }

        return true;
    }
}
