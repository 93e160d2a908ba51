using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// Where a value stored into a local goes, asked of the method's graph: which code may read it
/// before anything overwrites it. A fix that adds an exit right after the store asks it, to know
/// which code would have seen the value and no longer sees it when it is an error.
/// </summary>
internal static class StoreReads
{
    /// <summary>
    /// Whether the value that the statement-level store <c>local = value</c> (or the declaration
    /// <c>int local = value</c>) puts into <paramref name="local"/> may be read, before anything
    /// overwrites it, by code inside <paramref name="region"/> and by code outside it.
    /// Null when the graph cannot tell: the store is not an operation of its own in the graph, or the
    /// method has exception regions (a catch or finally reached other than by a branch). A local that a
    /// lambda or local function captures has reads in another graph: the caller rules it out.
    /// </summary>
    public static (bool Inside, bool Outside)? Of(MethodAnalysis analysis, SyntaxNode value, ILocalSymbol local, TextSpan region)
    {
        var graph = analysis.Graph;
        if (HasExceptionRegions(graph.Root))
        {
            return null;
        }

        (BasicBlock Block, int Index)? store = null;
        foreach (var block in graph.Blocks)
        {
            for (int i = 0; i < block.Operations.Length; i++)
            {
                if (Statement(block.Operations[i]) is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    && SymbolEqualityComparer.Default.Equals(target.Local, local)
                    && FlowAnalysis.Strip(assignment.Value).Syntax == value)
                {
                    store = (block, i);
                }
            }
        }

        if (store is not var (startBlock, startIndex))
        {
            return null;
        }

        bool inside = false, outside = false;
        var work = new Stack<(BasicBlock Block, int Index)>();
        var seen = new HashSet<int>();
        work.Push((startBlock, startIndex + 1));
        while (work.Count > 0)
        {
            var (block, index) = work.Pop();
            bool killed = false;
            for (int i = index; i < block.Operations.Length && !killed; i++)
            {
                killed = Effect(block.Operations[i], local, region, ref inside, ref outside);
            }

            if (killed)
            {
                continue;
            }

            if (block.BranchValue is { } branchValue)
            {
                Effect(branchValue, local, region, ref inside, ref outside);
            }

            foreach (var branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (branch?.Destination is { } destination && seen.Add(destination.Ordinal))
                {
                    work.Push((destination, 0));
                }
            }
        }

        return (inside, outside);
    }

    /// <summary>
    /// Records the operation's reads of the local, inside or outside the region (reads are
    /// evaluated before the operation's own store); true when it then overwrites the local as a
    /// whole (a statement-level <c>local = ...</c> that does not read it; a store nested in an
    /// expression may not run).
    /// </summary>
    private static bool Effect(IOperation operation, ILocalSymbol local, TextSpan region, ref bool inside, ref bool outside)
    {
        bool read = false;
        foreach (var node in operation.DescendantsAndSelf())
        {
            if (node is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local) && !IsPlainStore(reference))
            {
                read = true;
                if (region.Contains(reference.Syntax.Span))
                {
                    inside = true;
                }
                else
                {
                    outside = true;
                }
            }
        }

        return !read && Statement(operation) is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } && SymbolEqualityComparer.Default.Equals(target.Local, local);
    }

    /// <summary>The reference only receives a value: the target of a plain assignment or an <c>out</c> argument.</summary>
    private static bool IsPlainStore(ILocalReferenceOperation reference) => reference.Parent switch
    {
        ISimpleAssignmentOperation assignment => assignment.Target == reference,
        IArgumentOperation { Parameter.RefKind: RefKind.Out } => true,
        _ => false,
    };

    /// <summary>The expression of an expression statement (the graph keeps <c>ret = ...;</c> as one), else the operation.</summary>
    private static IOperation Statement(IOperation operation) =>
        operation is IExpressionStatementOperation statement ? statement.Operation : operation;

    private static bool HasExceptionRegions(ControlFlowRegion region)
    {
        if (region.Kind is ControlFlowRegionKind.Try or ControlFlowRegionKind.TryAndCatch or ControlFlowRegionKind.TryAndFinally
            or ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler or ControlFlowRegionKind.Finally)
        {
            return true;
        }

        foreach (var nested in region.NestedRegions)
        {
            if (HasExceptionRegions(nested))
            {
                return true;
            }
        }

        return false;
    }
}
