using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>Where an operation sits in the graph: its block and the index of the root operation that
/// contains it in <see cref="BasicBlock.Operations"/> (<c>Operations.Length</c>: the branch value).</summary>
internal readonly struct GraphPosition
{
    public GraphPosition(int block, int index)
    {
        Block = block;
        Index = index;
    }

    public int Block { get; }

    public int Index { get; }
}

/// <summary>
/// One cycle of the graph: the natural loop of a header (all back edges to it merged), with what the
/// loop rules (UA4002, UA4003, UA4004) ask of it.
/// </summary>
internal sealed class LoopInfo
{
    public LoopInfo(int header, bool[] blocks)
    {
        Header = header;
        Blocks = blocks;
    }

    public int Header { get; }

    /// <summary>By block ordinal: the block is on the cycle.</summary>
    public bool[] Blocks { get; }

    /// <summary>Variables that move every time the code passes their update: <c>x += n</c>, <c>x -= n</c>,
    /// <c>x++</c>, <c>x = x + n</c> inside the loop (a pointer or an offset that advances).</summary>
    public HashSet<ISymbol> Advanced { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Variables stepped by a constant (<c>tries++</c>, <c>n -= 1</c>) and compared (<c>&lt;</c>,
    /// <c>&gt;=</c>, ...) in a branch that can leave the loop: a counter that bounds it.</summary>
    public HashSet<ISymbol> Counters { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Counters compared with a constant in an exit test (<c>i &lt; 16</c>): the loop runs a fixed number of rounds.</summary>
    public HashSet<ISymbol> ConstantBounded { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Variables stepped by a constant inside the loop (candidates for <see cref="Counters"/>).</summary>
    internal HashSet<ISymbol> Stepped { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>The relational tests (<c>i &lt; nr</c>) of the branches that can leave the loop.</summary>
    public List<IBinaryOperation> ExitTests { get; } = new();

    /// <summary>
    /// The loop's counter is compared, in an exit test, with a variable the loop does not move whose
    /// value is at most <paramref name="maxRounds"/> in <paramref name="state"/> (a count validated
    /// before the loop: <c>if (nr &gt; 128) return -EINVAL; for (i = 0; i &lt; nr; i++)</c>).
    /// </summary>
    public bool CountBoundedBy(FlowState state, long maxRounds)
    {
        foreach (var test in ExitTests)
        {
            if (Bounds(test.LeftOperand, test.RightOperand) || Bounds(test.RightOperand, test.LeftOperand))
            {
                return true;
            }
        }

        return false;

        bool Bounds(IOperation counterSide, IOperation boundSide) =>
            FlowAnalysis.SymbolOf(counterSide) is { } counter && Stepped.Contains(counter)
            && FlowAnalysis.SymbolOf(boundSide) is { } bound && !Advanced.Contains(bound)
            && state.GetFact(bound).Range.Upper is long upper && upper <= maxRounds;
    }

    public bool Contains(int block) => block >= 0 && block < Blocks.Length && Blocks[block];
}

/// <summary>
/// The loop structure of a method's graph and the position of each recorded call, computed once per
/// <see cref="MethodAnalysis"/> on first use (structural: it does not walk the dataflow again).
/// Back edges are the retreating edges of a depth-first walk from the entry, so a cycle formed by
/// <c>goto</c> is a loop too.
/// </summary>
internal sealed class LoopFacts
{
    private readonly ControlFlowGraph graph;
    private readonly Dictionary<IOperation, GraphPosition> positions = new();
    private readonly List<int>[] successors;
    private bool[] reachable = System.Array.Empty<bool>();

    private LoopFacts(ControlFlowGraph graph)
    {
        this.graph = graph;
        successors = new List<int>[graph.Blocks.Length];
    }

    public ImmutableArray<LoopInfo> Loops { get; private set; } = ImmutableArray<LoopInfo>.Empty;

    public ControlFlowGraph Graph => graph;

    public static LoopFacts Compute(MethodAnalysis analysis)
    {
        var facts = new LoopFacts(analysis.Graph);
        facts.Build(analysis);
        return facts;
    }

    /// <summary>Where a recorded call (or any invocation of the graph) is; <c>null</c> when unknown.</summary>
    public GraphPosition? PositionOf(IOperation operation) =>
        positions.TryGetValue(operation, out var position) ? position : null;

    /// <summary>The successor block of a branch, or -1 when it leaves the method (return, throw, end of a finally).</summary>
    public static int Target(ControlFlowBranch? branch) => branch?.Destination?.Ordinal ?? -1;

    /// <summary>Every loop whose cycle contains the block, outermost first.</summary>
    public List<LoopInfo> LoopsContaining(int block)
    {
        var result = new List<LoopInfo>();
        foreach (var loop in Loops)
        {
            if (loop.Contains(block))
            {
                result.Add(loop);
            }
        }

        result.Sort((a, b) => Count(b.Blocks).CompareTo(Count(a.Blocks)));
        return result;
    }

    /// <summary>
    /// Whether every path from the method entry to <paramref name="to"/> passes <paramref name="from"/>
    /// first: <paramref name="from"/> dominates it (the same block: it comes first in it).
    /// </summary>
    public bool Dominates(GraphPosition from, GraphPosition to)
    {
        // Catch and finally blocks have no edges in from the entry here: the rules cannot tell, so nothing dominates them.
        if (!IsReachable(from.Block) || !IsReachable(to.Block))
        {
            return false;
        }

        if (from.Block == to.Block)
        {
            if (from.Index < to.Index)
            {
                return true;
            }

            if (from.Index == to.Index)
            {
                return false;
            }
        }

        // Search from the entry for 'to' without passing through from's block.
        var seen = new bool[graph.Blocks.Length];
        var stack = new Stack<int>();
        stack.Push(0);
        seen[0] = true;
        while (stack.Count > 0)
        {
            int block = stack.Pop();
            if (block == to.Block)
            {
                return false;
            }

            if (block == from.Block)
            {
                continue;
            }

            foreach (int next in successors[block])
            {
                if (!seen[next])
                {
                    seen[next] = true;
                    stack.Push(next);
                }
            }
        }

        return true;
    }

    private bool IsReachable(int block) => block >= 0 && block < reachable.Length && reachable[block];

    /// <summary>The variables (locals, parameters, fields) an expression reads.</summary>
    public static void SymbolsIn(IOperation? operation, HashSet<ISymbol> into)
    {
        if (operation is null)
        {
            return;
        }

        var stack = new Stack<IOperation>();
        stack.Push(operation);
        int budget = 256;
        while (stack.Count > 0 && budget-- > 0)
        {
            var current = stack.Pop();
            if (FlowAnalysis.SymbolOf(current) is { } symbol && current is not IConversionOperation and not IParenthesizedOperation)
            {
                into.Add(symbol);
            }

            foreach (var child in current.ChildOperations)
            {
                stack.Push(child);
            }
        }
    }

    private static int Count(bool[] blocks)
    {
        int n = 0;
        foreach (bool b in blocks)
        {
            if (b)
            {
                n++;
            }
        }

        return n;
    }

    private void Build(MethodAnalysis analysis)
    {
        var blocks = graph.Blocks;
        var predecessors = new List<int>[blocks.Length];
        for (int i = 0; i < blocks.Length; i++)
        {
            successors[i] = new List<int>(2);
            predecessors[i] = new List<int>(2);
        }

        for (int i = 0; i < blocks.Length; i++)
        {
            AddEdge(i, Target(blocks[i].ConditionalSuccessor), predecessors);
            AddEdge(i, Target(blocks[i].FallThroughSuccessor), predecessors);
            IndexOperations(blocks[i]);
        }

        reachable = new bool[blocks.Length];
        var pending = new Stack<int>();
        pending.Push(0);
        reachable[0] = true;
        while (pending.Count > 0)
        {
            foreach (int next in successors[pending.Pop()])
            {
                if (!reachable[next])
                {
                    reachable[next] = true;
                    pending.Push(next);
                }
            }
        }

        // Retreating edges of an iterative depth-first walk from the entry.
        var headers = new Dictionary<int, List<int>>();
        var state = new byte[blocks.Length]; // 0 new, 1 on stack, 2 done
        var stack = new Stack<(int Block, int Next)>();
        stack.Push((0, 0));
        state[0] = 1;
        while (stack.Count > 0)
        {
            var (block, next) = stack.Pop();
            if (next < successors[block].Count)
            {
                stack.Push((block, next + 1));
                int target = successors[block][next];
                if (state[target] == 1)
                {
                    if (!headers.TryGetValue(target, out var sources))
                    {
                        headers[target] = sources = new List<int>();
                    }

                    sources.Add(block);
                }
                else if (state[target] == 0)
                {
                    state[target] = 1;
                    stack.Push((target, 0));
                }
            }
            else
            {
                state[block] = 2;
            }
        }

        var loops = ImmutableArray.CreateBuilder<LoopInfo>(headers.Count);
        foreach (var pair in headers)
        {
            // The natural loop: the header and every block that reaches a back-edge source without passing it.
            var inLoop = new bool[blocks.Length];
            inLoop[pair.Key] = true;
            var work = new Stack<int>();
            foreach (int source in pair.Value)
            {
                if (!inLoop[source])
                {
                    inLoop[source] = true;
                    work.Push(source);
                }
            }

            while (work.Count > 0)
            {
                foreach (int previous in predecessors[work.Pop()])
                {
                    if (!inLoop[previous])
                    {
                        inLoop[previous] = true;
                        work.Push(previous);
                    }
                }
            }

            var loop = new LoopInfo(pair.Key, inLoop);
            CollectUpdates(loop);
            loops.Add(loop);
        }

        Loops = loops.ToImmutable();
    }

    private void AddEdge(int from, int to, List<int>[] predecessors)
    {
        if (to >= 0 && !successors[from].Contains(to))
        {
            successors[from].Add(to);
            predecessors[to].Add(from);
        }
    }

    private void IndexOperations(BasicBlock block)
    {
        var stack = new Stack<IOperation>();
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
                if (operation is IInvocationOperation or IObjectCreationOperation or IBinaryOperation && !positions.ContainsKey(operation))
                {
                    positions[operation] = new GraphPosition(block.Ordinal, index);
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }
        }
    }

    /// <summary>Finds the advanced and stepped variables of the loop and the counters that bound it.</summary>
    private void CollectUpdates(LoopInfo loop)
    {
        var blocks = graph.Blocks;
        var compared = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var comparedWithConstant = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var stack = new Stack<IOperation>();
        for (int i = 0; i < blocks.Length; i++)
        {
            if (!loop.Blocks[i])
            {
                continue;
            }

            var block = blocks[i];
            foreach (var root in block.Operations)
            {
                stack.Push(root);
            }

            if (block.BranchValue is { } branch)
            {
                stack.Push(branch);
                bool exits = !loop.Contains(Target(block.ConditionalSuccessor)) || !loop.Contains(Target(block.FallThroughSuccessor));
                if (exits && FlowAnalysis.Strip(branch) is IBinaryOperation
                    {
                        OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual,
                    } relational)
                {
                    loop.ExitTests.Add(relational);
                    SymbolsIn(relational, compared);
                    if (relational.LeftOperand.ConstantValue.HasValue || relational.RightOperand.ConstantValue.HasValue)
                    {
                        SymbolsIn(relational, comparedWithConstant);
                    }
                }
            }

            while (stack.Count > 0)
            {
                var operation = stack.Pop();
                switch (operation)
                {
                    case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } compound
                        when FlowAnalysis.SymbolOf(compound.Target) is { } target:
                        loop.Advanced.Add(target);
                        if (compound.Value.ConstantValue.HasValue)
                        {
                            loop.Stepped.Add(target);
                        }

                        break;
                    case IIncrementOrDecrementOperation increment when FlowAnalysis.SymbolOf(increment.Target) is { } target:
                        loop.Advanced.Add(target);
                        loop.Stepped.Add(target);
                        break;
                    case ISimpleAssignmentOperation { Value: IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } sum } assignment
                        when FlowAnalysis.SymbolOf(assignment.Target) is { } target:
                        var read = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                        SymbolsIn(sum, read);
                        if (read.Contains(target))
                        {
                            loop.Advanced.Add(target);
                        }

                        break;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }
        }

        foreach (var symbol in loop.Stepped)
        {
            if (compared.Contains(symbol))
            {
                loop.Counters.Add(symbol);
            }

            if (comparedWithConstant.Contains(symbol))
            {
                loop.ConstantBounded.Add(symbol);
            }
        }
    }
}
