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
/// try/finally, using, goto and labels are the graph's edges; a finally region is entered from every
/// edge that crosses it and flows on to each of their destinations; a catch or filter handler has no
/// predecessor in the graph and is entered with the input states of its try blocks.
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

        foreach (var block in graph.Blocks)
        {
            AddContinuations(block.ConditionalSuccessor);
            AddContinuations(block.FallThroughSuccessor);

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
            Merge(branch.FinallyRegions[0].FirstBlockOrdinal, state);
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
