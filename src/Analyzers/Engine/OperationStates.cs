using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The state before every operation of a method's graph, for the code fixes. The rules never ask for
/// it, so it is not kept by the recording pass: filling two identity-keyed tables for every operation
/// of every method analysed or summarised was a tenth of the analyzers' time (the runtime hashing
/// each operation and syntax node object once) and a large share of what they allocated. It is built
/// on first use by running the transfer once more over the converged block inputs, which gives the
/// same states as the recording pass: the transfer's notes of captures and aliases only grow, and
/// were complete at the fixed point.
/// </summary>
internal sealed class OperationStates
{
    private readonly Dictionary<IOperation, FlowState> byOperation = new();
    private readonly Dictionary<SyntaxNode, FlowState> bySyntax = new();

    private OperationStates()
    {
    }

    /// <summary>Runs <paramref name="transfer"/> over every reachable block of <paramref name="graph"/> from its converged input.</summary>
    public static OperationStates Record(ControlFlowGraph graph, ImmutableArray<FlowState?> blockInputs, FlowTransfer transfer)
    {
        var states = new OperationStates();
        transfer.States = states;
        try
        {
            var blocks = graph.Blocks;
            for (int i = 0; i < blocks.Length; i++)
            {
                if (blockInputs[i] is { } input)
                {
                    transfer.Transfer(blocks[i], input);
                }
            }
        }
        finally
        {
            transfer.States = null;
        }

        return states;
    }

    /// <summary>Keeps the state before <paramref name="operation"/> (and before its syntax node, for the first operation met there).</summary>
    public void Before(IOperation operation, FlowState state)
    {
        byOperation[operation] = state;
        if (!operation.IsImplicit && !bySyntax.ContainsKey(operation.Syntax))
        {
            bySyntax[operation.Syntax] = state;
        }
    }

    /// <summary>The state before this graph operation, or else before the syntax node of an operation of the method's own tree.</summary>
    public FlowState? StateBefore(IOperation operation) =>
        byOperation.TryGetValue(operation, out var state) ? state
        : bySyntax.TryGetValue(operation.Syntax, out state) ? state
        : null;
}
