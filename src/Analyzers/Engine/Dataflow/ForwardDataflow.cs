using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The one forward driver over a Roslyn control-flow graph: a worklist computes the block input states
/// (joins at merge points, widening after a few visits of a block, a budget of block visits).
/// try/finally, using, goto and labels are the graph's edges. A finally region is entered from every
/// edge that crosses it; an edge whose finally regions have no loop and no handler inside is carried
/// through them with its own state to its own destination (a <c>return</c> from inside a
/// <c>foreach</c> does not meet the state of the loop's normal exit in the enumerator's finally), any
/// other flows on from the region's end to the destinations of every edge that entered it. A catch or
/// filter handler has no predecessor in the graph and is entered with the input states of its try blocks.
/// </summary>
/// <typeparam name="T">The lattice element; <c>null</c> is bottom (unreachable).</typeparam>
internal sealed class ForwardDataflow<T>
    where T : class
{
    private const int WidenAfterVisits = 5;

    private readonly ControlFlowGraph graph;
    private readonly AbstractDomain<T> domain;
    private readonly IBlockTransfer<T> transfer;
    private readonly T?[] inputs;
    private readonly int[] visits;
    private readonly bool[] queued;
    private readonly Queue<int> worklist = new();
    // Built only for a graph with finally or catch regions: most methods have neither.
    private Dictionary<ControlFlowRegion, List<BasicBlock>>? finallyContinuations;
    private Dictionary<int, List<int>>? handlerEntries;
    // The finally regions every crossing edge is carried through with its own state (RunFinally).
    private HashSet<ControlFlowRegion>? carriedFinallys;

    private ForwardDataflow(ControlFlowGraph graph, AbstractDomain<T> domain, IBlockTransfer<T> transfer)
    {
        this.graph = graph;
        this.domain = domain;
        this.transfer = transfer;
        inputs = new T?[graph.Blocks.Length];
        visits = new int[graph.Blocks.Length];
        queued = new bool[graph.Blocks.Length];
    }

    /// <summary>The block visits a graph of <paramref name="blocks"/> blocks may take before the pass gives up.</summary>
    public static int BudgetFor(int blocks) => (blocks * 24) + 64;

    /// <summary>Computes the fixed point from <paramref name="entry"/>, within <paramref name="budget"/> block visits (default: <see cref="BudgetFor"/>).</summary>
    public static DataflowResult<T> Run(ControlFlowGraph graph, AbstractDomain<T> domain, IBlockTransfer<T> transfer, T entry, CancellationToken cancellationToken, int? budget = null) =>
        new ForwardDataflow<T>(graph, domain, transfer).Solve(entry, budget ?? BudgetFor(graph.Blocks.Length), cancellationToken);

    private DataflowResult<T> Solve(T entry, int budget, CancellationToken cancellationToken)
    {
        Precompute();
        Merge(0, entry);
        var blocks = graph.Blocks;
        while (worklist.Count > 0 && budget-- > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int ordinal = worklist.Dequeue();
            queued[ordinal] = false;
            if (inputs[ordinal] is { } state)
            {
                Step(blocks[ordinal], state);
            }
        }

        return new DataflowResult<T>(ImmutableArray.Create(inputs), worklist.Count == 0);
    }

    private void Precompute()
    {
        if (!HasHandlerRegions(graph.Root))
        {
            return;
        }

        CollectCarriedFinallys(graph.Root);
        foreach (var block in graph.Blocks)
        {
            AddContinuations(block.ConditionalSuccessor);
            AddContinuations(block.FallThroughSuccessor);
            DemoteMixedCrossings(block.ConditionalSuccessor);
            DemoteMixedCrossings(block.FallThroughSuccessor);

            for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndCatch } tryAndCatch)
                {
                    foreach (var handler in tryAndCatch.NestedRegions)
                    {
                        if (handler.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.FilterAndHandler)
                        {
                            handlerEntries ??= new Dictionary<int, List<int>>();
                            if (!handlerEntries.TryGetValue(block.Ordinal, out var list))
                            {
                                handlerEntries[block.Ordinal] = list = new List<int>();
                            }

                            list.Add(handler.FirstBlockOrdinal);
                        }
                    }
                }
            }
        }
    }

    private void AddContinuations(ControlFlowBranch? branch)
    {
        if (branch is null || branch.FinallyRegions.IsEmpty)
        {
            return;
        }

        var finallys = branch.FinallyRegions;
        for (int i = 0; i < finallys.Length; i++)
        {
            var next = i + 1 < finallys.Length ? graph.Blocks[finallys[i + 1].FirstBlockOrdinal] : branch.Destination;
            if (next is null)
            {
                continue;
            }

            finallyContinuations ??= new Dictionary<ControlFlowRegion, List<BasicBlock>>();
            if (!finallyContinuations.TryGetValue(finallys[i], out var list))
            {
                finallyContinuations[finallys[i]] = list = new List<BasicBlock>();
            }

            if (!list.Contains(next))
            {
                list.Add(next);
            }
        }
    }

    /// <summary>The finally regions that can carry each edge's state on its own: no handler region inside, and no edge back to an earlier block of the region.</summary>
    private void CollectCarriedFinallys(ControlFlowRegion region)
    {
        foreach (var nested in region.NestedRegions)
        {
            if (nested.Kind == ControlFlowRegionKind.Finally && !HasHandlerRegions(nested) && IsAcyclic(nested))
            {
                carriedFinallys ??= new HashSet<ControlFlowRegion>();
                carriedFinallys.Add(nested);
            }

            CollectCarriedFinallys(nested);
        }
    }

    private bool IsAcyclic(ControlFlowRegion region)
    {
        for (int ordinal = region.FirstBlockOrdinal; ordinal <= region.LastBlockOrdinal; ordinal++)
        {
            var block = graph.Blocks[ordinal];
            foreach (var branch in new[] { block.ConditionalSuccessor, block.FallThroughSuccessor })
            {
                if (branch?.Destination is { } next && next.Ordinal >= region.FirstBlockOrdinal && next.Ordinal <= ordinal)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>An edge that crosses a region that cannot carry its state and one that can leaves the second to the merge too: both ends of one edge flow the same way.</summary>
    private void DemoteMixedCrossings(ControlFlowBranch? branch)
    {
        if (branch is null || carriedFinallys is null || branch.FinallyRegions.IsEmpty || CarriesAll(branch))
        {
            return;
        }

        foreach (var region in branch.FinallyRegions)
        {
            carriedFinallys.Remove(region);
        }
    }

    private bool CarriesAll(ControlFlowBranch branch)
    {
        foreach (var region in branch.FinallyRegions)
        {
            if (carriedFinallys is null || !carriedFinallys.Contains(region))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The state the finally region leaves an edge that entered it with <paramref name="entry"/>: its blocks
    /// in order (the region has no edge back), each from the join of what reached it; <c>null</c> when no
    /// path through the region ends normally (it throws).
    /// </summary>
    private T? RunFinally(ControlFlowRegion region, T entry)
    {
        int first = region.FirstBlockOrdinal;
        var reached = new T?[region.LastBlockOrdinal - first + 1];
        reached[0] = entry;
        T? end = null;
        for (int ordinal = first; ordinal <= region.LastBlockOrdinal; ordinal++)
        {
            if (reached[ordinal - first] is not { } input)
            {
                continue;
            }

            var block = graph.Blocks[ordinal];
            var output = transfer.TransferUnrecorded(block, input);
            bool conditional = block.BranchValue is not null && block.ConditionKind != ControlFlowConditionKind.None;
            bool conditionalWhen = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
            Flow(block.ConditionalSuccessor, conditional ? transfer.Refine(block, output, conditionalWhen) : output);
            Flow(block.FallThroughSuccessor, conditional ? transfer.Refine(block, output, !conditionalWhen) : output);
        }

        return end;

        void Flow(ControlFlowBranch? branch, T state)
        {
            if (branch is null)
            {
                return;
            }

            if (branch.Destination is { } next && next.Ordinal > first && next.Ordinal <= region.LastBlockOrdinal)
            {
                int slot = next.Ordinal - first;
                reached[slot] = reached[slot] is { } old ? domain.Join(old, state) : state;
            }
            else if (branch.Destination is null && branch.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
            {
                end = end is { } old ? domain.Join(old, state) : state;
            }
        }
    }

    private static bool HasHandlerRegions(ControlFlowRegion region)
    {
        foreach (var nested in region.NestedRegions)
        {
            if (nested.Kind is ControlFlowRegionKind.Finally or ControlFlowRegionKind.Catch or ControlFlowRegionKind.FilterAndHandler
                || HasHandlerRegions(nested))
            {
                return true;
            }
        }

        return false;
    }

    private void Step(BasicBlock block, T input)
    {
        if (handlerEntries is not null && handlerEntries.TryGetValue(block.Ordinal, out var handlers))
        {
            foreach (int handler in handlers)
            {
                Merge(handler, input);
            }
        }

        var output = transfer.Transfer(block, input);
        if (block.BranchValue is not null && block.ConditionKind != ControlFlowConditionKind.None)
        {
            bool conditionalWhen = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
            Propagate(block, block.ConditionalSuccessor, transfer.Refine(block, output, conditionalWhen));
            Propagate(block, block.FallThroughSuccessor, transfer.Refine(block, output, !conditionalWhen));
        }
        else
        {
            Propagate(block, block.ConditionalSuccessor, output);
            Propagate(block, block.FallThroughSuccessor, output);
        }
    }

    private void Propagate(BasicBlock from, ControlFlowBranch? branch, T state)
    {
        if (branch is null)
        {
            return;
        }

        if (!branch.FinallyRegions.IsEmpty)
        {
            if (carriedFinallys is null || !CarriesAll(branch))
            {
                Merge(branch.FinallyRegions[0].FirstBlockOrdinal, state);
                return;
            }

            // Each region's own visits (what is recorded in it) still see every entering state joined.
            var carried = state;
            foreach (var region in branch.FinallyRegions)
            {
                Merge(region.FirstBlockOrdinal, carried);
                if (RunFinally(region, carried) is not { } after)
                {
                    return;
                }

                carried = after;
            }

            if (branch.Destination is { } target)
            {
                Merge(target.Ordinal, carried);
            }

            return;
        }

        if (branch.Destination is { } destination)
        {
            Merge(destination.Ordinal, state);
            return;
        }

        if (branch.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
        {
            // The end of a finally: continue to every destination of the edges that entered it.
            for (var region = from.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                if (region.Kind == ControlFlowRegionKind.Finally)
                {
                    if (carriedFinallys is not null && carriedFinallys.Contains(region))
                    {
                        break;
                    }

                    if (finallyContinuations is not null && finallyContinuations.TryGetValue(region, out var continuations))
                    {
                        foreach (var next in continuations)
                        {
                            Merge(next.Ordinal, state);
                        }
                    }

                    break;
                }
            }
        }
    }

    private void Merge(int ordinal, T state)
    {
        var old = inputs[ordinal];
        T next;
        if (old is null)
        {
            next = state;
        }
        else
        {
            next = domain.Join(old, state);
            CheckJoin(old, state, next);
            if (++visits[ordinal] > WidenAfterVisits)
            {
                next = domain.Widen(old, next);
            }

            if (domain.AreEqual(next, old))
            {
                return;
            }
        }

        inputs[ordinal] = next;
        if (!queued[ordinal])
        {
            queued[ordinal] = true;
            worklist.Enqueue(ordinal);
        }
    }

    /// <summary>
    /// The join laws on every pair of states the pass merges: order-independent and an upper bound of
    /// both sides. Debug builds (the test suite) only; a violation surfaces as the analyzer's exception.
    /// </summary>
    [Conditional("DEBUG")]
    private void CheckJoin(T left, T right, T joined)
    {
        if (!domain.AreEqual(joined, domain.Join(right, left)))
        {
            throw new InvalidOperationException($"{domain.GetType().Name}: join is not commutative");
        }

        if (!domain.LessOrEqual(left, joined) || !domain.LessOrEqual(right, joined))
        {
            throw new InvalidOperationException($"{domain.GetType().Name}: join is not an upper bound of both states");
        }
    }
}
