using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// What <see cref="FlowRecorder"/> kept for each block, by ordinal. The fixed point visits a block again
/// whenever its input grows: each visit replaces the block's record, so the last visit, made from the
/// converged input, is the one kept. Read out in block order, as one pass over the blocks would record.
/// </summary>
internal sealed class BlockRecords
{
    private readonly BlockRecord?[] byBlock;
    private int current;

    public BlockRecords(int blocks) => byBlock = new BlockRecord?[blocks];

    /// <summary>The record of the block being visited, made on its first entry.</summary>
    public BlockRecord Current => byBlock[current] ??= new BlockRecord();

    /// <summary>A visit of block <paramref name="ordinal"/> starts: what an earlier visit recorded is dropped.</summary>
    public void Begin(int ordinal)
    {
        current = ordinal;
        byBlock[ordinal]?.Clear();
    }

    /// <summary>Appends every block's record, in block order, to the recorder's lists.</summary>
    public bool CopyTo(
        ImmutableArray<CallSite>.Builder calls,
        ImmutableArray<ValueComparison>.Builder comparisons,
        ImmutableArray<ReturnSite>.Builder returns,
        ImmutableArray<IInvocationOperation>.Builder ignoredResults,
        ImmutableArray<GuardedAccess>.Builder guardedAccesses)
    {
        bool hasErrorReturn = false;
        foreach (var record in byBlock)
        {
            if (record is null)
            {
                continue;
            }

            AddAll(calls, record.Calls);
            AddAll(comparisons, record.Comparisons);
            AddAll(returns, record.Returns);
            AddAll(ignoredResults, record.IgnoredResults);
            AddAll(guardedAccesses, record.GuardedAccesses);
            hasErrorReturn |= record.HasErrorReturn;
        }

        return hasErrorReturn;
    }

    private static void AddAll<T>(ImmutableArray<T>.Builder builder, List<T>? items)
    {
        if (items is not null)
        {
            builder.AddRange(items);
        }
    }
}

/// <summary>What one visit of a block recorded; the lists are made on their first entry.</summary>
internal sealed class BlockRecord
{
    public List<CallSite>? Calls { get; set; }

    public List<ValueComparison>? Comparisons { get; set; }

    public List<ReturnSite>? Returns { get; set; }

    public List<IInvocationOperation>? IgnoredResults { get; set; }

    public List<GuardedAccess>? GuardedAccesses { get; set; }

    public bool HasErrorReturn { get; set; }

    public void Clear()
    {
        Calls?.Clear();
        Comparisons?.Clear();
        Returns?.Clear();
        IgnoredResults?.Clear();
        GuardedAccesses?.Clear();
        HasErrorReturn = false;
    }
}
