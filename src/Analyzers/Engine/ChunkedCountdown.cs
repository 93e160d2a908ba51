using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// A loop that consumes a remaining length in chunks: it goes round while <c>left &gt; 0</c>, and every
/// round takes <c>left -= chunk</c> with a chunk of at least a constant, or all that is left
/// (<c>chunk = left &gt; MAX ? MAX : left</c>, <c>Math.Min(left, MAX)</c>). When the length it starts from
/// was bounded before the loop (<c>if (len &gt; MAX_ARG_STRLEN - 1) return ...; left = len;</c>,
/// audit_log_single_execve_arg()), it runs at most bound / chunk + 1 rounds.
/// </summary>
internal static class ChunkedCountdown
{
    /// <summary>
    /// Whether <paramref name="loop"/> consumes a remaining length whose starting value is at most a
    /// constant (at most <paramref name="maxRounds"/> chunks of it) or a kernel limit, as
    /// <paramref name="state"/> (a state inside the loop) knows the variable it was copied from.
    /// </summary>
    public static bool Bounds(LoopFacts facts, LoopInfo loop, FlowState state, long maxRounds, Func<IOperation, FlowState?> stateBefore)
    {
        var graph = facts.Graph;
        foreach (var (left, test) in Guards(facts, loop))
        {
            if (!facts.EveryRoundPasses(loop, Mark(graph, test))
                || ChunkFloor(facts, loop, left) is not long chunk
                || StartingBound(facts, loop, left, state, stateBefore) is not { } start)
            {
                continue;
            }

            if (start.UpperByLimit || (start.Upper is long upper && upper >= 0 && (upper / chunk) + 1 <= maxRounds))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The blocks of the loop whose branch goes round only while <c>left &gt; k</c> (<c>k &gt;= 0</c> a constant), with the variable.</summary>
    private static IEnumerable<(ISymbol Left, int Block)> Guards(LoopFacts facts, LoopInfo loop)
    {
        var blocks = facts.Graph.Blocks;
        for (int i = 0; i < blocks.Length; i++)
        {
            var block = blocks[i];
            if (!loop.Contains(i) || block.BranchValue is not { } branch
                || FlowAnalysis.Strip(branch) is not IBinaryOperation { OperatorMethod: null } test)
            {
                continue;
            }

            bool conditionalStays = loop.Contains(LoopFacts.Target(block.ConditionalSuccessor));
            bool fallThroughStays = loop.Contains(LoopFacts.Target(block.FallThroughSuccessor));
            if (conditionalStays == fallThroughStays)
            {
                continue;
            }

            // The value of the test on the edge that stays in the loop.
            bool staysWhen = conditionalStays == (block.ConditionKind == ControlFlowConditionKind.WhenTrue);
            var kind = test.OperatorKind;
            IOperation variable = test.LeftOperand, bound = test.RightOperand;
            if (OperandRanges.Constant(variable) is not null)
            {
                (variable, bound) = (bound, variable);
                kind = OperandRanges.Flip(kind);
            }

            bool staysWhileAbove = staysWhen
                ? kind is BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual
                : kind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual;
            if (staysWhileAbove && OperandRanges.Constant(bound) is >= 0 && FlowAnalysis.SymbolOf(variable) is ILocalSymbol or IParameterSymbol)
            {
                yield return (FlowAnalysis.SymbolOf(variable)!, i);
            }
        }
    }

    /// <summary>
    /// The least every round takes from <paramref name="left"/>: its only writes in the loop are
    /// <c>left -= chunk</c>, one of them on every round, each chunk assigned earlier in the same round
    /// from a positive constant, a local only ever assigned positive constants, <c>left</c> itself or
    /// <c>Math.Min</c> with <c>left</c> (the rest: the loop then leaves). <c>null</c> when not so.
    /// </summary>
    private static long? ChunkFloor(LoopFacts facts, LoopInfo loop, ISymbol left)
    {
        var graph = facts.Graph;
        long? floor = null;
        var takes = new bool[graph.Blocks.Length];
        foreach (var write in Writes(graph, left))
        {
            if (!loop.Contains(write.Block))
            {
                continue;
            }

            if (write.Operation is not ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Subtract, OperatorMethod: null } take)
            {
                return null;
            }

            long? least = OperandRanges.Constant(take.Value) is long constant ? (constant > 0 ? constant : null)
                : FlowAnalysis.SymbolOf(take.Value) is ILocalSymbol chunk && AssignedEveryRoundBefore(facts, loop, chunk, write) ? ChunkOf(graph, chunk, left) : null;
            if (least is not long value)
            {
                return null;
            }

            floor = floor is long known ? System.Math.Min(known, value) : value;
            takes[write.Block] = true;
        }

        return floor is not null && facts.EveryRoundPasses(loop, takes) ? floor : null;
    }

    /// <summary>The least positive value every assignment of <paramref name="chunk"/> in the method gives it,
    /// where an assignment of <paramref name="left"/> (all that is left) is no limit.</summary>
    private static long? ChunkOf(ControlFlowGraph graph, ILocalSymbol chunk, ISymbol left)
    {
        long? floor = null;
        foreach (var write in Writes(graph, chunk))
        {
            if (write.Operation is not ISimpleAssignmentOperation assignment || LeastOf(graph, assignment.Value, left, 0) is not long value)
            {
                return null;
            }

            if (value != long.MaxValue)
            {
                floor = floor is long known ? System.Math.Min(known, value) : value;
            }
        }

        return floor;
    }

    /// <summary>A positive lower bound of a chunk's value, <see cref="long.MaxValue"/> for <c>left</c> itself; <c>null</c> when unknown.</summary>
    private static long? LeastOf(ControlFlowGraph graph, IOperation value, ISymbol left, int depth)
    {
        var stripped = FlowAnalysis.Strip(value);
        if (OperandRanges.Constant(stripped) is long constant)
        {
            return constant > 0 ? constant : null;
        }

        var symbol = FlowAnalysis.SymbolOf(stripped);
        if (SymbolEqualityComparer.Default.Equals(symbol, left))
        {
            return long.MaxValue;
        }

        if (symbol is ILocalSymbol local && depth < 2)
        {
            long? floor = null;
            foreach (var write in Writes(graph, local))
            {
                if (write.Operation is not ISimpleAssignmentOperation assignment
                    || OperandRanges.Constant(FlowAnalysis.Strip(assignment.Value)) is not long k || k <= 0)
                {
                    return null;
                }

                floor = floor is long known ? System.Math.Min(known, k) : k;
            }

            return floor;
        }

        if (stripped is IInvocationOperation { TargetMethod.Name: "Min", Arguments.Length: 2 } min
            && OperandRanges.IsMath(min.TargetMethod) && depth < 2)
        {
            var a = LeastOf(graph, min.Arguments[0].Value, left, depth + 1);
            var b = LeastOf(graph, min.Arguments[1].Value, left, depth + 1);
            return a is long x && b is long y ? System.Math.Min(x, y) : null;
        }

        return null;
    }

    /// <summary>Every path of the round from the loop's header to <paramref name="take"/> assigns <paramref name="chunk"/> first.</summary>
    private static bool AssignedEveryRoundBefore(LoopFacts facts, LoopInfo loop, ILocalSymbol chunk, (IOperation Operation, int Block, int Index) take)
    {
        var assigned = new bool[facts.Graph.Blocks.Length];
        foreach (var write in Writes(facts.Graph, chunk))
        {
            if (!loop.Contains(write.Block))
            {
                continue;
            }

            if (write.Block == take.Block && write.Index < take.Index)
            {
                return true;
            }

            if (write.Block != take.Block)
            {
                assigned[write.Block] = true;
            }
        }

        return take.Block != loop.Header && facts.EveryPathPasses(loop.Header, take.Block, assigned, loop.Blocks);
    }

    /// <summary>
    /// What <paramref name="left"/> is at most when the loop starts: the one write outside the loop that
    /// reaches the loop is <c>left = other</c> (or <c>left = other = ...</c>) with <c>other</c> written
    /// nowhere after it, and the bound is what <paramref name="state"/> knows of <c>other</c>; or
    /// <c>left = constant</c>; or <c>left = expression</c>, bounded as the state before that write knows
    /// its operands (mincore_vma()'s <c>remaining = end - start</c>, <c>end</c> capped at the vma's end).
    /// </summary>
    private static OperandRange? StartingBound(LoopFacts facts, LoopInfo loop, ISymbol left, FlowState state, Func<IOperation, FlowState?> stateBefore)
    {
        var graph = facts.Graph;
        var writes = Writes(graph, left);
        (IOperation Operation, int Block, int Index)? entry = null;
        foreach (var write in writes)
        {
            if (!loop.Contains(write.Block) && Reaches(facts, loop, writes, write))
            {
                if (entry is not null)
                {
                    return null;
                }

                entry = write;
            }
        }

        if (entry is not { Operation: ISimpleAssignmentOperation assignment } start)
        {
            return null;
        }

        var value = FlowAnalysis.Strip(assignment.Value);
        if (OperandRanges.Constant(value) is long constant)
        {
            return new OperandRange(false, false, constant, null);
        }

        if (value is ISimpleAssignmentOperation chained)
        {
            value = FlowAnalysis.Strip(chained.Target);
        }

        if (FlowAnalysis.SymbolOf(value) is not { } named)
        {
            return stateBefore(assignment) is { } before ? OperandRanges.UpperOf(value, before) : null;
        }

        if (named is not ILocalSymbol source)
        {
            return null;
        }

        // The source keeps the value it gave: no write of it can run after the copy.
        var startPosition = new GraphPosition(start.Block, start.Index);
        foreach (var write in Writes(graph, source))
        {
            if ((write.Block != start.Block || write.Index != start.Index) && !facts.Dominates(new GraphPosition(write.Block, write.Index), startPosition))
            {
                return null;
            }
        }

        return OperandRanges.UpperOf(value, state);
    }

    /// <summary>A path from <paramref name="write"/> reaches the loop's header without passing another write of the variable.</summary>
    private static bool Reaches(LoopFacts facts, LoopInfo loop, List<(IOperation Operation, int Block, int Index)> writes, (IOperation Operation, int Block, int Index) write)
    {
        var blocked = new bool[facts.Graph.Blocks.Length];
        foreach (var other in writes)
        {
            if (other.Block == write.Block && other.Index > write.Index)
            {
                return false;
            }

            if (other.Block != write.Block)
            {
                blocked[other.Block] = true;
            }
        }

        var seen = new bool[blocked.Length];
        var stack = new Stack<int>();
        stack.Push(write.Block);
        while (stack.Count > 0)
        {
            foreach (int next in facts.SuccessorsOf(stack.Pop()))
            {
                if (next == loop.Header)
                {
                    return true;
                }

                if (!seen[next] && !blocked[next] && next != write.Block)
                {
                    seen[next] = true;
                    stack.Push(next);
                }
            }
        }

        return false;
    }

    /// <summary>Every write of <paramref name="symbol"/> in the graph with its block and root index (ref and out arguments included).</summary>
    private static List<(IOperation Operation, int Block, int Index)> Writes(ControlFlowGraph graph, ISymbol symbol)
    {
        var writes = new List<(IOperation, int, int)>();
        var stack = new Stack<IOperation>();
        foreach (var block in graph.Blocks)
        {
            for (int index = 0; index <= block.Operations.Length; index++)
            {
                var root = index < block.Operations.Length ? block.Operations[index] : block.BranchValue;
                if (root is null)
                {
                    continue;
                }

                stack.Push(root);
                while (stack.Count > 0)
                {
                    var operation = stack.Pop();
                    var target = operation switch
                    {
                        IAssignmentOperation assignment => assignment.Target,
                        IIncrementOrDecrementOperation step => step.Target,
                        IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument => argument.Value,
                        _ => null,
                    };
                    if (target is not null && SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(target), symbol))
                    {
                        writes.Add((operation, block.Ordinal, index));
                    }

                    foreach (var child in operation.ChildOperations)
                    {
                        stack.Push(child);
                    }
                }
            }
        }

        return writes;
    }

    private static bool[] Mark(ControlFlowGraph graph, int block)
    {
        var marks = new bool[graph.Blocks.Length];
        marks[block] = true;
        return marks;
    }
}
