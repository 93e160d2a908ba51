using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The facts about symbols at one program point: an immutable map from a symbol
/// (<see cref="SymbolEqualityComparer.Default"/>) to its non-empty <see cref="SymbolFact"/>.
/// </summary>
/// <remarks>
/// A method tracks a handful of locals and parameters, so the map is one array searched from the
/// front: no symbol is hashed (the runtime's identity hash of each symbol object and the tree of an
/// immutable dictionary were a large share of the transfer and the joins), a change copies the few
/// entries once, and a join or a write that changes nothing returns the same map, so the fixed point
/// compares unchanged states by reference. An entry is an object shared by every map that holds the
/// same fact: a fact is about as large as sixteen references, so a write copies the references and
/// allocates the one new entry instead of copying every fact. The order of the entries carries no
/// meaning: equality and lookup are by symbol.
/// </remarks>
internal sealed class SymbolFacts
{
    public static readonly SymbolFacts Empty = new(Array.Empty<Entry>());

    private readonly Entry[] entries;

    private SymbolFacts(Entry[] entries)
    {
        this.entries = entries;
    }

    /// <summary>The number of symbols with a non-empty fact.</summary>
    public int Count => entries.Length;

    public bool TryGetValue(ISymbol symbol, out SymbolFact fact)
    {
        int index = IndexOf(symbol, 0);
        fact = index < 0 ? default : entries[index].Fact;
        return index >= 0;
    }

    public bool ContainsKey(ISymbol symbol) => IndexOf(symbol, 0) >= 0;

    /// <summary>The map with <paramref name="symbol"/>'s fact replaced; an empty fact removes the symbol.</summary>
    public SymbolFacts SetItem(ISymbol symbol, SymbolFact fact)
    {
        int index = IndexOf(symbol, 0);
        if (fact.IsEmpty)
        {
            return index < 0 ? this : Without(index);
        }

        if (index >= 0)
        {
            if (entries[index].Fact.Equals(fact))
            {
                return this;
            }

            var copy = (Entry[])entries.Clone();
            copy[index] = new Entry(entries[index].Symbol, fact);
            return new SymbolFacts(copy);
        }

        var grown = new Entry[entries.Length + 1];
        Array.Copy(entries, grown, entries.Length);
        grown[entries.Length] = new Entry(symbol, fact);
        return new SymbolFacts(grown);
    }

    /// <summary>The map without <paramref name="symbol"/>.</summary>
    public SymbolFacts Remove(ISymbol symbol)
    {
        int index = IndexOf(symbol, 0);
        return index < 0 ? this : Without(index);
    }

    /// <summary>
    /// Symbol by symbol, each side's fact joined with the other's (the empty fact where the other has
    /// none); <paramref name="left"/> itself when the join adds nothing to it, else <paramref name="right"/>
    /// itself when the join is all it brings.
    /// </summary>
    public static SymbolFacts Join(SymbolFacts left, SymbolFacts right)
    {
        if (ReferenceEquals(left, right))
        {
            return left;
        }

        var mine = left.entries;
        var theirs = right.entries;
        Entry[]? joined = null;
        int count = 0;

        // Whether the join is right's map: then right is returned instead of a copy of it.
        bool isRight = true;
        for (int i = 0; i < mine.Length; i++)
        {
            // States that share an ancestor keep its entries in the same order: try the same slot first.
            int at = right.IndexOf(mine[i].Symbol, i);
            var fact = mine[i].Fact.Join(at < 0 ? default : theirs[at].Fact);
            isRight = isRight && (at < 0 ? fact.IsEmpty : fact.Equals(theirs[at].Fact));
            if (joined is null)
            {
                if (fact.Equals(mine[i].Fact))
                {
                    continue;
                }

                joined = new Entry[mine.Length + theirs.Length];
                Array.Copy(mine, joined, i);
                count = i;
            }

            if (!fact.IsEmpty)
            {
                joined[count++] = fact.Equals(mine[i].Fact) ? mine[i] : new Entry(mine[i].Symbol, fact);
            }
        }

        for (int j = 0; j < theirs.Length; j++)
        {
            if (left.IndexOf(theirs[j].Symbol, j) >= 0)
            {
                continue;
            }

            var fact = theirs[j].Fact.Join(default);
            isRight = isRight && fact.Equals(theirs[j].Fact);
            if (fact.IsEmpty)
            {
                continue;
            }

            if (joined is null)
            {
                joined = new Entry[mine.Length + theirs.Length];
                Array.Copy(mine, joined, mine.Length);
                count = mine.Length;
            }

            joined[count++] = fact.Equals(theirs[j].Fact) ? theirs[j] : new Entry(theirs[j].Symbol, fact);
        }

        if (joined is null)
        {
            return left;
        }

        if (isRight)
        {
            return right;
        }

        if (count != joined.Length)
        {
            Array.Resize(ref joined, count);
        }

        return count == 0 ? Empty : new SymbolFacts(joined);
    }

    /// <summary>The same symbols with equal facts.</summary>
    public static bool AreEqual(SymbolFacts left, SymbolFacts right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left.entries.Length != right.entries.Length)
        {
            return false;
        }

        for (int i = 0; i < left.entries.Length; i++)
        {
            int at = right.IndexOf(left.entries[i].Symbol, i);
            if (at < 0 || !right.entries[at].Fact.Equals(left.entries[i].Fact))
            {
                return false;
            }
        }

        return true;
    }

    public Enumerator GetEnumerator() => new(entries);

    /// <summary>The position of <paramref name="symbol"/>, looked for at <paramref name="hint"/> first; -1: absent.</summary>
    private int IndexOf(ISymbol symbol, int hint)
    {
        if (hint < entries.Length && ReferenceEquals(entries[hint].Symbol, symbol))
        {
            return hint;
        }

        for (int i = 0; i < entries.Length; i++)
        {
            var key = entries[i].Symbol;
            if (ReferenceEquals(key, symbol) || SymbolEqualityComparer.Default.Equals(key, symbol))
            {
                return i;
            }
        }

        return -1;
    }

    private SymbolFacts Without(int index)
    {
        if (entries.Length == 1)
        {
            return Empty;
        }

        var shrunk = new Entry[entries.Length - 1];
        Array.Copy(entries, shrunk, index);
        Array.Copy(entries, index + 1, shrunk, index, entries.Length - index - 1);
        return new SymbolFacts(shrunk);
    }

    /// <summary>Walks the symbols and their facts.</summary>
    public struct Enumerator
    {
        private readonly Entry[] entries;
        private int index;

        internal Enumerator(Entry[] entries)
        {
            this.entries = entries;
            index = -1;
        }

        public KeyValuePair<ISymbol, SymbolFact> Current => new(entries[index].Symbol, entries[index].Fact);

        public bool MoveNext() => ++index < entries.Length;
    }

    /// <summary>One symbol and its fact, immutable and shared by the maps that hold it.</summary>
    internal sealed class Entry
    {
        public Entry(ISymbol symbol, SymbolFact fact)
        {
            Symbol = symbol;
            Fact = fact;
        }

        public ISymbol Symbol { get; }

        public SymbolFact Fact { get; }
    }
}
