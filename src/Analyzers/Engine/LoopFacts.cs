using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
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

    /// <summary>The relational tests (<c>i &lt; nr</c>) of the branches that can leave the loop, and whether
    /// the loop is left where the test is true (<c>if (i &gt;= nr) break;</c>) or false (<c>while (i &lt; nr)</c>).</summary>
    public List<(IBinaryOperation Test, bool LeavesWhenTrue)> ExitTests { get; } = new();

    /// <summary>The equality tests (<c>a == b</c>, <c>a != b</c>) of the branches that can leave the loop, with
    /// their block and whether the loop leaves when the operands are equal.</summary>
    internal List<(IBinaryOperation Test, int Block, bool LeavesWhenEqual)> EqualityExits { get; } = new();

    /// <summary>By variable: the step of every update of it in the loop when all are constant steps
    /// the same way (<c>i++</c>: 1, <c>uaddr += PAGE_SIZE</c>: 4096, <c>n--</c>: -1); the smallest one.</summary>
    internal Dictionary<ISymbol, long> ConstantSteps { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Variables the loop updates other than by a constant step.</summary>
    internal HashSet<ISymbol> OtherwiseUpdated { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Element accesses of a kernel array, span or list by a variable (<c>kbuf[i]</c>) and the block of each.</summary>
    internal List<(ISymbol Index, int Block)> KernelIndexes { get; } = new();

    /// <summary>The constant step of <paramref name="symbol"/> in every update of it in the loop, or <c>null</c>.</summary>
    public long? StepOf(ISymbol symbol) =>
        !OtherwiseUpdated.Contains(symbol) && ConstantSteps.TryGetValue(symbol, out long step) ? step : null;

    public bool Contains(int block) => block >= 0 && block < Blocks.Length && Blocks[block];
}

/// <summary>
/// The loop structure of a method's graph and the position of each recorded call, computed once per
/// <see cref="MethodAnalysis"/> on first use (structural: it does not walk the dataflow again).
/// Back edges are the retreating edges of a depth-first walk from the entry, so a cycle formed by
/// <c>goto</c> is a loop too.
/// </summary>
internal sealed partial class LoopFacts
{
    private readonly ControlFlowGraph graph;

    // A block has at most two successors (its conditional branch and its fall-through): block b's are
    // slots 2b and 2b + 1, successorCounts[b] of them.
    private readonly int[] successors;
    private readonly byte[] successorCounts;
    private bool[]? reachable;

    private LoopFacts(ControlFlowGraph graph)
    {
        this.graph = graph;
        successors = new int[graph.Blocks.Length * 2];
        successorCounts = new byte[graph.Blocks.Length];
    }

    public ImmutableArray<LoopInfo> Loops { get; private set; } = ImmutableArray<LoopInfo>.Empty;

    public ControlFlowGraph Graph => graph;

    public static LoopFacts Compute(MethodAnalysis analysis)
    {
        var facts = new LoopFacts(analysis.Graph);
        facts.Build();
        return facts;
    }

    /// <summary>
    /// Where an invocation, object creation or binary operation of the graph is; <c>null</c> for any
    /// other operation or one not of this graph. The root that contains it is found from its parents,
    /// and the root's block by looking through the blocks' operations: a method asks for a few
    /// positions, so no table of every operation is built.
    /// </summary>
    public GraphPosition? PositionOf(IOperation operation)
    {
        if (operation is not (IInvocationOperation or IObjectCreationOperation or IBinaryOperation))
        {
            return null;
        }

        var root = operation;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        foreach (var block in graph.Blocks)
        {
            var operations = block.Operations;
            for (int index = 0; index < operations.Length; index++)
            {
                if (ReferenceEquals(operations[index], root))
                {
                    return new GraphPosition(block.Ordinal, index);
                }
            }

            if (ReferenceEquals(block.BranchValue, root))
            {
                return new GraphPosition(block.Ordinal, operations.Length);
            }
        }

        return null;
    }

    /// <summary>The blocks control goes to from <paramref name="block"/>.</summary>
    public System.ReadOnlySpan<int> SuccessorsOf(int block) => new(successors, block * 2, successorCounts[block]);

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

            foreach (int next in SuccessorsOf(block))
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

    private bool IsReachable(int block)
    {
        var reached = reachable ??= Reachable();
        return block >= 0 && block < reached.Length && reached[block];
    }

    /// <summary>By block ordinal: some path from the entry comes to the block.</summary>
    private bool[] Reachable()
    {
        var reached = new bool[graph.Blocks.Length];
        var pending = new Stack<int>();
        pending.Push(0);
        reached[0] = true;
        while (pending.Count > 0)
        {
            foreach (int next in SuccessorsOf(pending.Pop()))
            {
                if (!reached[next])
                {
                    reached[next] = true;
                    pending.Push(next);
                }
            }
        }

        return reached;
    }

    /// <summary>
    /// Whether anything in <paramref name="loop"/> writes <paramref name="symbol"/>: an assignment (compound
    /// included), <c>++</c>/<c>--</c>, or an <c>out</c>/<c>ref</c> argument.
    /// </summary>
    public bool Assigns(LoopInfo loop, ISymbol symbol)
    {
        for (int block = 0; block < graph.Blocks.Length; block++)
        {
            if (loop.Contains(block) && FirstWrite(block, symbol) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The blocks of the method that write <paramref name="symbol"/> (as <see cref="Assigns"/> counts writes).</summary>
    public List<int> BlocksWriting(ISymbol symbol)
    {
        var writing = new List<int>();
        for (int block = 0; block < graph.Blocks.Length; block++)
        {
            if (FirstWrite(block, symbol) is not null)
            {
                writing.Add(block);
            }
        }

        return writing;
    }

    /// <summary>
    /// Whether a round of <paramref name="loop"/> may write <paramref name="symbol"/> before it comes to
    /// <paramref name="at"/>: a write earlier in its block, or a block of the loop that writes it and from
    /// which <paramref name="at"/> is reached without going round the header again.
    /// </summary>
    public bool WrittenBeforeInRound(LoopInfo loop, ISymbol symbol, GraphPosition at)
    {
        if (FirstWrite(at.Block, symbol) is int index && index < at.Index)
        {
            return true;
        }

        var writing = BlocksWriting(symbol);
        writing.RemoveAll(block => !loop.Contains(block));
        return Reach(loop, writing, null)[at.Block];
    }

    /// <summary>The index of the first root operation of the block that writes <paramref name="symbol"/>
    /// (<c>Operations.Length</c>: its branch value), or <c>null</c>.</summary>
    private int? FirstWrite(int block, ISymbol symbol)
    {
        var operations = graph.Blocks[block].Operations;
        for (int index = 0; index < operations.Length; index++)
        {
            if (Writes(operations[index], symbol))
            {
                return index;
            }
        }

        return graph.Blocks[block].BranchValue is { } branch && Writes(branch, symbol) ? operations.Length : null;
    }

    private static bool Writes(BasicBlock block, ISymbol symbol)
    {
        foreach (var operation in block.Operations)
        {
            if (Writes(operation, symbol))
            {
                return true;
            }
        }

        return block.BranchValue is { } branch && Writes(branch, symbol);
    }

    /// <summary>Whether <paramref name="root"/> writes <paramref name="symbol"/>: an assignment (compound included), <c>++</c>/<c>--</c>, or an <c>out</c>/<c>ref</c> argument.</summary>
    private static bool Writes(IOperation root, ISymbol symbol)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            var written = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IIncrementOrDecrementOperation step => step.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument => argument.Value,
                _ => null,
            };
            if (written is not null && SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(written), symbol))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether every path from the start of block <paramref name="from"/> to block <paramref name="to"/>
    /// (or back to <paramref name="from"/> when they are the same) passes a block marked in
    /// <paramref name="through"/>, staying inside <paramref name="within"/> when it is given.
    /// </summary>
    public bool EveryPathPasses(int from, int to, bool[] through, bool[]? within = null)
    {
        if (from < 0 || from >= through.Length || through[from])
        {
            return true;
        }

        var seen = new bool[graph.Blocks.Length];
        var stack = new Stack<int>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            foreach (int next in SuccessorsOf(stack.Pop()))
            {
                if (next == to)
                {
                    return false;
                }

                if (seen[next] || through[next] || (within is not null && !within[next]))
                {
                    continue;
                }

                seen[next] = true;
                stack.Push(next);
            }
        }

        return true;
    }

    /// <summary>Whether every round of the loop (every path from its header back to it) passes a block marked in <paramref name="through"/>.</summary>
    public bool EveryRoundPasses(LoopInfo loop, bool[] through) => EveryPathPasses(loop.Header, loop.Header, through, loop.Blocks);

    /// <summary>
    /// Whether the marked blocks sit on one branch of a choice whose other branch rejoins them later in
    /// the same round (<c>if (x) { check(); } rest();</c>): a block of the loop that follows a marked
    /// block is also reached from the header around them. A round that skips them and goes straight
    /// back to the header (<c>if (done != 0) continue; check();</c>) does not rejoin.
    /// </summary>
    public bool BypassRejoins(LoopInfo loop, bool[] through)
    {
        var around = Reach(loop, new[] { loop.Header }, through);
        var marked = new List<int>();
        for (int block = 0; block < through.Length; block++)
        {
            if (through[block] && loop.Contains(block))
            {
                marked.Add(block);
            }
        }

        var after = Reach(loop, marked, null);
        for (int block = 0; block < after.Length; block++)
        {
            if (after[block] && around[block] && !through[block])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The loop's blocks reached from the successors of <paramref name="starts"/> in the same round (not past the header), not entering <paramref name="stop"/>.</summary>
    private bool[] Reach(LoopInfo loop, IEnumerable<int> starts, bool[]? stop)
    {
        var seen = new bool[graph.Blocks.Length];
        var stack = new Stack<int>();
        foreach (int start in starts)
        {
            stack.Push(start);
        }

        while (stack.Count > 0)
        {
            foreach (int next in SuccessorsOf(stack.Pop()))
            {
                if (next == loop.Header || !loop.Contains(next) || seen[next] || (stop is not null && stop[next]))
                {
                    continue;
                }

                seen[next] = true;
                stack.Push(next);
            }
        }

        return seen;
    }

    /// <summary>
    /// Whether the loop runs a bounded number of rounds, at most <paramref name="maxRounds"/> or at most
    /// a limit the kernel holds, as <paramref name="state"/> (a state inside the loop) knows the values:
    /// a counter that steps up is compared in an exit test with a constant, a variable with a bound
    /// (<see cref="OperandRange"/>: validated before the loop, capped by <c>min()</c> or by a kernel limit)
    /// or a kernel limit itself (<c>i &lt; groups.Length</c>, <c>i &lt; ctx.NrEvents</c>); or, every round, it
    /// indexes a kernel array, span or list with a counter that steps up (<c>revents[j]</c>), which
    /// cannot go past the buffer the kernel already allocated; or it drains a kernel ring, leaving when
    /// the read index it steps meets the write index (<see cref="DrainsKernelRing"/>); or it consumes a
    /// length bounded before the loop in chunks of at least a constant (<see cref="ChunkedCountdown"/>), that
    /// length as <paramref name="stateBefore"/> knows it where it was set.
    /// </summary>
    public bool RoundsBounded(LoopInfo loop, FlowState state, long maxRounds, Func<IOperation, FlowState?> stateBefore)
    {
        foreach (var (test, leavesWhenTrue) in loop.ExitTests)
        {
            // The loop stays while the counter is below the bound: `i < n` that leaves when false, `i >= n`
            // that leaves when true, or the same with the sides swapped. `i >= 0` bounds no counter that steps up.
            bool lessThan = test.OperatorKind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual;
            bool staysWhileLeftBelow = lessThan != leavesWhenTrue;
            if ((staysWhileLeftBelow && (Bounds(test.LeftOperand, test.RightOperand) || WalksToABoundedEnd(test.LeftOperand, test.RightOperand)))
                || (!staysWhileLeftBelow && (Bounds(test.RightOperand, test.LeftOperand) || WalksToABoundedEnd(test.RightOperand, test.LeftOperand))))
            {
                return true;
            }
        }

        var indexed = new Dictionary<ISymbol, bool[]>(SymbolEqualityComparer.Default);
        foreach (var (index, block) in loop.KernelIndexes)
        {
            if (loop.StepOf(index) is > 0)
            {
                if (!indexed.TryGetValue(index, out var blocks))
                {
                    indexed[index] = blocks = new bool[graph.Blocks.Length];
                }

                blocks[block] = true;
            }
        }

        foreach (var blocks in indexed.Values)
        {
            MarkInnerLoopsPassing(loop, blocks);
            if (EveryRoundPasses(loop, blocks))
            {
                return true;
            }
        }

        return DrainsKernelRing(loop) || IteratesAKernelCollection(loop) || ChunkedCountdown.Bounds(this, loop, state, maxRounds, stateBefore);

        // i < n, and a counter scaled by a constant, as in netlink_getsockopt()'s pos * 8 < nlk->ngroups.
        bool Bounds(IOperation counterSide, IOperation boundSide)
        {
            if (ScaledCounter(counterSide, out long scale) is not { } counter || loop.StepOf(counter) is not long step || step <= 0
                || (FlowAnalysis.SymbolOf(boundSide) is { } bound && loop.Advanced.Contains(bound)))
            {
                return false;
            }

            return (OperandRanges.UpperOf(boundSide, state) ?? EarlierCountersBound(loop, boundSide, state)) is { } range
                && (range.UpperByLimit || (range.Upper is long upper && upper >= 0 && upper / step / scale <= maxRounds));
        }

        // for (addr = uattr + ksize; addr < end; addr++) with end = uattr + size, size <= PAGE_SIZE.
        bool WalksToABoundedEnd(IOperation counterSide, IOperation boundSide)
        {
            if (PointerOf(counterSide) is not { } counter || loop.StepOf(counter) is not long step || step <= 0
                || PointerOf(boundSide) is not { } end || loop.Advanced.Contains(end) || loop.OtherwiseUpdated.Contains(end)
                || state.GetFact(end).Range is not { PastRoot: { } root, Upper: long past } || past / step > maxRounds
                || SoleDefinitionOutside(loop, counter) is not { } start)
            {
                return false;
            }

            return SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(start), root)
                || (OperandRanges.OffsetFrom(start) is { } from && SymbolEqualityComparer.Default.Equals(from.Root, root)
                    && OperandRanges.Constant(from.Offset) is null or >= 0);
        }
    }

    /// <summary>
    /// Whether the loop is a <c>foreach</c> over a collection the kernel holds whole (an array, a list, any
    /// <c>ICollection&lt;T&gt;</c>: <c>list_for_each_entry()</c> over a kernel list): it runs one round per
    /// element the kernel already has (<c>drm_mode_getresources()</c> stores an id per framebuffer). A lazy
    /// sequence (<c>Enumerable.Range(0, n)</c>) may be as long as the caller asks, and is not one.
    /// </summary>
    private bool IteratesAKernelCollection(LoopInfo loop)
    {
        if (graph.Blocks[loop.Header].BranchValue is not { } test
            || FlowAnalysis.Strip(test) is not IInvocationOperation { TargetMethod.Name: "MoveNext" } moveNext)
        {
            return false;
        }

        // The innermost foreach around the header's MoveNext() is the loop's.
        IForEachLoopOperation? loopOf = null;
        foreach (var operation in graph.OriginalOperation.Descendants())
        {
            if (operation is IForEachLoopOperation forEach && forEach.Syntax.Span.Contains(moveNext.Syntax.Span)
                && (loopOf is null || loopOf.Syntax.Span.Contains(forEach.Syntax.Span)))
            {
                loopOf = forEach;
            }
        }

        return loopOf is not null && IsHeldWhole(FlowAnalysis.Strip(loopOf.Collection).Type);

        static bool IsHeldWhole(ITypeSymbol? type) => type is IArrayTypeSymbol
            || (type is INamedTypeSymbol named && (OperandRanges.IsKernelCollection(named) || named.AllInterfaces.Any(i =>
                i.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.ICollection<T>" or "System.Collections.Generic.IReadOnlyCollection<T>")));
    }

    /// <summary>
    /// Whether the loop goes round only while <paramref name="symbol"/> still equals the constant its exit
    /// test compares it with, and the loop only steps it up by positive constants or stores negative
    /// errnos in it: a round that moves it leaves, so the walk it addresses with moves at most once
    /// (<c>hiddev_read()</c>: <c>while (retval == 0) { wait; drain the ring, retval += event_size; }</c>).
    /// </summary>
    public bool MovesOnce(LoopInfo loop, ISymbol symbol)
    {
        bool staysWhileEqual = false;
        foreach (var (test, block, leavesWhenEqual) in loop.EqualityExits)
        {
            if (!leavesWhenEqual
                && ((SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(test.LeftOperand), symbol) && OperandRanges.Constant(test.RightOperand) is long)
                    || (SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(test.RightOperand), symbol) && OperandRanges.Constant(test.LeftOperand) is long)))
            {
                var through = new bool[graph.Blocks.Length];
                through[block] = true;
                staysWhileEqual |= EveryRoundPasses(loop, through);
            }
        }

        if (!staysWhileEqual)
        {
            return false;
        }

        for (int block = 0; block < graph.Blocks.Length; block++)
        {
            if (!loop.Contains(block) || FirstWrite(block, symbol) is null)
            {
                continue;
            }

            var roots = graph.Blocks[block].BranchValue is { } branch ? graph.Blocks[block].Operations.Add(branch) : graph.Blocks[block].Operations;
            foreach (var root in roots)
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    bool ok = operation switch
                    {
                        ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } step when Names(step.Target) => OperandRanges.Constant(step.Value) is > 0,
                        IIncrementOrDecrementOperation step when Names(step.Target) => step.Kind == OperationKind.Increment,
                        IAssignmentOperation store when Names(store.Target) => store is ISimpleAssignmentOperation && OperandRanges.Constant(store.Value) is < 0,
                        IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } byReference when Names(byReference.Value) => false,
                        _ => true,
                    };
                    if (!ok)
                    {
                        return false;
                    }
                }
            }
        }

        return true;

        bool Names(IOperation target) => SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(target), symbol);
    }

    /// <summary>
    /// A bound of <paramref name="boundSide"/> where it is what an earlier loop's counter left: the bound of
    /// that loop's limit (<see cref="EarlierCountersLimit"/>). <c>do_syslog()</c>: <c>for (i = 0; i &lt; count; i++) ...;
    /// error = i; ... for (i = 0; i &lt; error; i++)</c> with <c>count</c> capped at <c>LOG_BUF_LEN</c>. <c>null</c> otherwise.
    /// </summary>
    private OperandRange? EarlierCountersBound(LoopInfo loop, IOperation boundSide, FlowState state) =>
        FlowAnalysis.SymbolOf(boundSide) is { } bound && EarlierCountersLimit(loop, bound) is { } limit ? OperandRanges.UpperOf(limit, state) : null;

    /// <summary>
    /// The counter of a loop test's side: a variable (scale 1), or a variable times, or shifted left by, a
    /// positive constant (<c>pos * 8</c>: scale 8), which reaches a bound in fewer rounds than the variable.
    /// </summary>
    internal static ISymbol? ScaledCounter(IOperation side, out long scale)
    {
        scale = 1;
        var stripped = FlowAnalysis.Strip(side);
        if (stripped is IBinaryOperation { OperatorMethod: null } binary)
        {
            var (variable, factor) = binary.OperatorKind switch
            {
                BinaryOperatorKind.Multiply when OperandRanges.Constant(binary.RightOperand) is long k => (binary.LeftOperand, k),
                BinaryOperatorKind.Multiply when OperandRanges.Constant(binary.LeftOperand) is long k => (binary.RightOperand, k),
                BinaryOperatorKind.LeftShift when OperandRanges.Constant(binary.RightOperand) is long k and >= 0 and < 62 => (binary.LeftOperand, 1L << (int)k),
                _ => (null, 0L),
            };
            if (variable is null || factor <= 0)
            {
                return null;
            }

            scale = factor;
            return FlowAnalysis.SymbolOf(variable);
        }

        return FlowAnalysis.SymbolOf(stripped);
    }

    /// <summary>
    /// The limit <c>x</c> that <paramref name="bound"/>, as <paramref name="loop"/> sees it, is at most: set,
    /// on the straight way into the loop, from a counter that an earlier loop steps up by one from a
    /// constant start while its header's test <c>i &lt; x</c> holds, so that it leaves at most at <c>x</c>;
    /// neither the counter (until the set) nor <c>x</c> is written again once the earlier loop is entered,
    /// and no round of <paramref name="loop"/> writes the bound and goes round again. <c>null</c> otherwise.
    /// </summary>
    private IOperation? EarlierCountersLimit(LoopInfo loop, ISymbol bound)
    {
        if (bound is not ILocalSymbol || WrittenAndGoesRound(loop, bound)
            || DefinitionOnTheWayIn(loop, bound, out var definition) is not { } value || FlowAnalysis.SymbolOf(value) is not ILocalSymbol counter
            || FirstWrite(definition.Block, counter) < definition.Index)
        {
            return null;
        }

        foreach (var earlier in Loops)
        {
            if (earlier.Header == loop.Header || earlier.Contains(loop.Header) || loop.Contains(earlier.Header) || earlier.StepOf(counter) != 1
                || graph.Blocks[earlier.Header].BranchValue is not { } headerTest
                || FlowAnalysis.Strip(headerTest) is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan } test
                || !SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(test.LeftOperand), counter)
                || FlowAnalysis.SymbolOf(test.RightOperand) is not { } limit || !LeavesWhenFalse(earlier)
                || EnteringDefinition(earlier, counter) is not { } start || OperandRanges.Constant(start) is not >= 0)
            {
                continue;
            }

            // The counter is not written again on the way from the earlier loop to where the bound is set,
            // nor the limit on the way to this loop or in it.
            var toDefinition = ReachedAvoiding(earlier.Header, definition.Block);
            var toLoop = ReachedAvoiding(earlier.Header, loop.Header);
            bool stillLeft = true;
            foreach (int block in BlocksWriting(counter))
            {
                stillLeft &= earlier.Contains(block) || !toDefinition[block];
            }

            foreach (int block in BlocksWriting(limit))
            {
                stillLeft &= !toLoop[block] && !loop.Contains(block);
            }

            if (stillLeft)
            {
                return test.RightOperand;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a block of <paramref name="loop"/> writes <paramref name="symbol"/> and goes on to the header
    /// again: a write followed by <c>break</c> or <c>goto out</c> (<c>error = -EFAULT; break;</c>) leaves the
    /// value the header tested alone.
    /// </summary>
    private bool WrittenAndGoesRound(LoopInfo loop, ISymbol symbol)
    {
        foreach (int block in BlocksWriting(symbol))
        {
            if (loop.Contains(block) && (block == loop.Header || !EveryPathPasses(block, loop.Header, new bool[graph.Blocks.Length], loop.Blocks)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the loop's header leaves the loop on the false edge of its test and stays on the true one.</summary>
    private bool LeavesWhenFalse(LoopInfo loop)
    {
        var header = graph.Blocks[loop.Header];
        bool conditionalLeaves = !loop.Contains(Target(header.ConditionalSuccessor));
        bool fallThroughLeaves = !loop.Contains(Target(header.FallThroughSuccessor));
        return conditionalLeaves != fallThroughLeaves
            && conditionalLeaves == (header.ConditionKind == ControlFlowConditionKind.WhenFalse);
    }

    /// <summary>
    /// The value <paramref name="symbol"/> was last given on the straight way into the loop, and where: the
    /// loop is entered from one block outside it, and that block and those before it that have one
    /// predecessor each are walked back to the last write, which must be a plain assignment.
    /// </summary>
    private IOperation? DefinitionOnTheWayIn(LoopInfo loop, ISymbol symbol, out GraphPosition definition)
    {
        definition = default;
        int block = -1;
        foreach (var predecessor in graph.Blocks[loop.Header].Predecessors)
        {
            int from = predecessor.Source.Ordinal;
            if (!loop.Contains(from))
            {
                if ((block >= 0 && block != from) || !predecessor.FinallyRegions.IsEmpty)
                {
                    return null;
                }

                block = from;
            }
        }

        for (int depth = 0; depth < 8 && block >= 0; depth++)
        {
            var current = graph.Blocks[block];
            if (current.BranchValue is { } branch && Writes(branch, symbol))
            {
                return null;
            }

            for (int index = current.Operations.Length - 1; index >= 0; index--)
            {
                var operation = current.Operations[index] is IExpressionStatementOperation statement ? statement.Operation : current.Operations[index];
                if (operation is ISimpleAssignmentOperation assignment && SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(assignment.Target), symbol))
                {
                    definition = new GraphPosition(block, index);
                    return Writes(assignment.Value, symbol) ? null : FlowAnalysis.Strip(assignment.Value);
                }

                if (Writes(operation, symbol))
                {
                    return null;
                }
            }

            block = current.Predecessors.Length == 1 && current.Predecessors[0].FinallyRegions.IsEmpty ? current.Predecessors[0].Source.Ordinal : -1;
        }

        return null;
    }

    /// <summary>The blocks reached from <paramref name="from"/>'s successors without entering <paramref name="avoid"/>.</summary>
    private bool[] ReachedAvoiding(int from, int avoid)
    {
        var seen = new bool[graph.Blocks.Length];
        var stack = new Stack<int>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            foreach (int next in SuccessorsOf(stack.Pop()))
            {
                if (next != avoid && !seen[next])
                {
                    seen[next] = true;
                    stack.Push(next);
                }
            }
        }

        return seen;
    }

    /// <summary>
    /// Marks the header of every loop nested in <paramref name="loop"/> each round of which passes a marked
    /// block, innermost first: a round of the outer loop that enters such an inner loop passes the mark too
    /// (get_iovec_page_array() fills <c>partial[buffers++]</c> in an inner loop of one round per page). An
    /// inner loop is trusted to run at least one round when entered, as <c>UA4003</c> trusts it for a signal
    /// check: the engine does not know the lengths that would say otherwise (there, <c>error &gt; 0</c> pages).
    /// </summary>
    private void MarkInnerLoopsPassing(LoopInfo loop, bool[] marked)
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var inner in Loops)
            {
                if (inner.Header != loop.Header && loop.Contains(inner.Header) && !inner.Contains(loop.Header)
                    && !marked[inner.Header] && EveryRoundPasses(inner, marked))
                {
                    marked[inner.Header] = true;
                    changed = true;
                }
            }
        }
    }

    /// <summary>
    /// What the walk copies each round is an element it took off a kernel queue that round: every path
    /// from the header to <paramref name="block"/> sets <paramref name="element"/>, and every value the loop
    /// gives it is null or an element of a kernel array, span or list that the loop also takes from
    /// (<c>RemoveAt</c>, <c>RemoveFirst</c>, <c>Dequeue</c>, <c>Pop</c>). The rounds that copy are then as many
    /// as the kernel queued (<c>drm_read()</c>: <c>e = list_first_entry(); list_del(&amp;e-&gt;link);
    /// copy_to_user(buffer + ret, e-&gt;event)</c>; the rounds that find the queue empty wait interruptibly).
    /// </summary>
    public bool CopiesATakenElement(LoopInfo loop, ISymbol element, int block)
    {
        var sets = new bool[graph.Blocks.Length];
        var taken = new List<(ISymbol? Instance, ISymbol Member)>();
        var given = new List<(ISymbol? Instance, ISymbol Member)?>();
        for (int ordinal = 0; ordinal < graph.Blocks.Length; ordinal++)
        {
            if (!loop.Contains(ordinal))
            {
                continue;
            }

            foreach (var root in graph.Blocks[ordinal].Operations)
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation { Instance: { } queue, TargetMethod.Name: "RemoveAt" or "RemoveFirst" or "Dequeue" or "Pop" }
                        && QueueOf(queue) is { } queueName)
                    {
                        taken.Add(queueName);
                    }

                    if (operation is ISimpleAssignmentOperation assignment && SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(assignment.Target), element))
                    {
                        sets[ordinal] = true;
                        var value = FlowAnalysis.Strip(assignment.Value);
                        if (value.ConstantValue is { HasValue: true, Value: null } || value is IDefaultValueOperation)
                        {
                            continue;
                        }

                        given.Add(value switch
                        {
                            IArrayElementReferenceOperation { ArrayReference: var array } => QueueOf(array),
                            IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } list } when OperandRanges.IsKernelCollection(list.Type) => QueueOf(list),
                            _ => null,
                        });
                    }
                    else if (operation is IAssignmentOperation or IIncrementOrDecrementOperation or IArgumentOperation && Writes(operation, element))
                    {
                        return false;
                    }
                }
            }
        }

        foreach (var queue in given)
        {
            if (queue is not { } name || !taken.Exists(t => SymbolEqualityComparer.Default.Equals(t.Instance, name.Instance) && SymbolEqualityComparer.Default.Equals(t.Member, name.Member)))
            {
                return false;
            }
        }

        return given.Count > 0 && !sets[block] && EveryPathPasses(loop.Header, block, sets, loop.Blocks);
    }

    /// <summary>A queue named as a variable (<c>events</c>) or as a member of one (<c>file_priv-&gt;event_list</c>).</summary>
    private static (ISymbol? Instance, ISymbol Member)? QueueOf(IOperation queue) =>
        FlowAnalysis.SymbolOf(queue) is { } variable ? (null, variable)
        : FlowAnalysis.Strip(queue) is IMemberReferenceOperation { Instance: { } instance, Member: var member } && FlowAnalysis.SymbolOf(instance) is { } owner ? (owner, member)
        : null;

    /// <summary>
    /// The loop drains a ring the kernel fills (<c>fmc_transfer_rds_from_internal_buff()</c>,
    /// <c>ff400_copy_msg_to_user()</c>, <c>aio_read_events_ring()</c>): on every round it tests whether the
    /// read index of a kernel object meets the write index of the same object, or the snapshots of the two
    /// taken before the loop, and leaves when they do; and it steps the read index up (by a positive constant
    /// or by what the round took, wrapping it with plain stores, a mask or a remainder: <c>tail = (tail + 1) &amp;
    /// (SIZE - 1)</c>, <c>head %= ctx-&gt;nr_events</c>) while leaving the write index alone. Its
    /// rounds are bounded by what the kernel queued, not by the caller's count. A struct's fields are
    /// what <c>copy_from_user()</c> fills, so only a class instance is a kernel ring.
    /// </summary>
    private bool DrainsKernelRing(LoopInfo loop)
    {
        foreach (var (test, block, leavesWhenEqual) in loop.EqualityExits)
        {
            if (!leavesWhenEqual
                || RingIndex(loop, test.LeftOperand) is not { } left || RingIndex(loop, test.RightOperand) is not { } right
                || !SymbolEqualityComparer.Default.Equals(left.Ring, right.Ring) || SymbolEqualityComparer.Default.Equals(left.Field, right.Field)
                || Assigns(loop, left.Ring))
            {
                continue;
            }

            var through = new bool[graph.Blocks.Length];
            through[block] = true;
            if (!EveryRoundPasses(loop, through))
            {
                continue;
            }

            var leftUpdate = RingIndexUpdate(loop, left);
            var rightUpdate = RingIndexUpdate(loop, right);
            if ((leftUpdate == RingUpdate.SteppedUp && rightUpdate == RingUpdate.None)
                || (rightUpdate == RingUpdate.SteppedUp && leftUpdate == RingUpdate.None))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A ring index the loop tests: a field of a kernel object read through a variable (<see cref="KernelRingIndex"/>),
    /// or a local that holds a snapshot of one (<see cref="SnapshotOf"/>). <c>Index</c> is what the loop writes
    /// to move it: the field, or the local.
    /// </summary>
    private (ISymbol Ring, IFieldSymbol Field, ISymbol Index)? RingIndex(LoopInfo loop, IOperation operand)
    {
        if (KernelRingIndex(operand) is { } field)
        {
            return (field.Ring, field.Index, field.Index);
        }

        return FlowAnalysis.Strip(operand) is ILocalReferenceOperation { Local: var local } && SnapshotOf(loop, local) is { } source
            ? (source.Ring, source.Index, local)
            : null;
    }

    /// <summary>An index field of a kernel object read through a variable (<c>parser.PullPos</c>, <c>fmdev.RdIdx</c>).</summary>
    private static (ISymbol Ring, IFieldSymbol Index)? KernelRingIndex(IOperation operand) =>
        FlowAnalysis.Strip(operand) is IFieldReferenceOperation { Field.IsStatic: false, Field.Type.SpecialType: not SpecialType.None } field
        && field.Instance is { Type.IsReferenceType: true } instance && FlowAnalysis.SymbolOf(instance) is { } ring
            ? (ring, field.Field)
            : null;

    /// <summary>
    /// The ring index <paramref name="local"/> is a snapshot of, taken before the loop (<c>aio_read_events_ring()</c>:
    /// <c>head = ring-&gt;head; ... head %= ctx-&gt;nr_events;</c>): outside the loop it is stored once from an index
    /// field of a kernel object and otherwise only wrapped (<c>%=</c>, <c>&amp;=</c>); <c>null</c> when anything
    /// else writes it there.
    /// </summary>
    private (ISymbol Ring, IFieldSymbol Index)? SnapshotOf(LoopInfo loop, ILocalSymbol local)
    {
        (ISymbol Ring, IFieldSymbol Index)? source = null;
        for (int block = 0; block < graph.Blocks.Length; block++)
        {
            if (loop.Contains(block) || !Writes(graph.Blocks[block], local))
            {
                continue;
            }

            foreach (var root in RootsOf(graph.Blocks[block]))
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    switch (operation)
                    {
                        case ISimpleAssignmentOperation store when IsLocal(store.Target):
                            if (KernelRingIndex(store.Value) is { } field)
                            {
                                if (source is not null)
                                {
                                    return null;
                                }

                                source = field;
                            }
                            else if (!IsWrap(store.Value, IsLocal))
                            {
                                return null;
                            }

                            break;
                        case ICompoundAssignmentOperation compound when IsLocal(compound.Target):
                            if (compound.OperatorKind is not (BinaryOperatorKind.Remainder or BinaryOperatorKind.And))
                            {
                                return null;
                            }

                            break;
                        case IIncrementOrDecrementOperation step when IsLocal(step.Target):
                            return null;
                        case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument when IsLocal(argument.Value):
                            return null;
                    }
                }
            }
        }

        return source;

        bool IsLocal(IOperation target) => SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(target), local);
    }

    /// <summary>The root operations of a block, its branch value included.</summary>
    private static IEnumerable<IOperation> RootsOf(BasicBlock block)
    {
        foreach (var operation in block.Operations)
        {
            yield return operation;
        }

        if (block.BranchValue is { } branch)
        {
            yield return branch;
        }
    }

    /// <summary><c>index % n</c> or <c>index &amp; mask</c> of the index <paramref name="isIndex"/> names: the index wrapped, not moved.</summary>
    private static bool IsWrap(IOperation value, Func<IOperation, bool> isIndex) =>
        FlowAnalysis.Strip(value) is IBinaryOperation { OperatorKind: BinaryOperatorKind.And or BinaryOperatorKind.Remainder, OperatorMethod: null } wrap
        && isIndex(FlowAnalysis.Strip(wrap.LeftOperand));

    private enum RingUpdate
    {
        None,
        SteppedUp,
        Other,
    }

    /// <summary>How the loop updates the ring index <paramref name="index"/>: not at all, only by steps up and
    /// wraps (plain constant stores, a remainder or a mask), or otherwise. A step up is a positive constant, or
    /// a computed count (<c>head += avail</c>): a round that took nothing would not move a walk either.</summary>
    private RingUpdate RingIndexUpdate(LoopInfo loop, (ISymbol Ring, IFieldSymbol Field, ISymbol Index) index)
    {
        bool stepped = false;
        for (int i = 0; i < graph.Blocks.Length; i++)
        {
            if (!loop.Blocks[i])
            {
                continue;
            }

            foreach (var root in RootsOf(graph.Blocks[i]))
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    switch (operation)
                    {
                        case ICompoundAssignmentOperation compound when IsRingIndex(compound.Target):
                            if (compound.OperatorKind is BinaryOperatorKind.Remainder or BinaryOperatorKind.And)
                            {
                                break;
                            }

                            if (compound.OperatorKind != BinaryOperatorKind.Add || OperandRanges.Constant(compound.Value) is <= 0)
                            {
                                return RingUpdate.Other;
                            }

                            stepped = true;
                            break;
                        case IIncrementOrDecrementOperation increment when IsRingIndex(increment.Target):
                            if (increment.Kind == OperationKind.Decrement)
                            {
                                return RingUpdate.Other;
                            }

                            stepped = true;
                            break;
                        case ISimpleAssignmentOperation store when IsRingIndex(store.Target):
                            if (WrappedStep(store.Value))
                            {
                                stepped = true;
                            }
                            else if (!store.Value.ConstantValue.HasValue && !IsWrap(store.Value, IsRingIndex))
                            {
                                return RingUpdate.Other;
                            }

                            break;
                        case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument when IsRingIndex(argument.Value):
                            return RingUpdate.Other;
                    }
                }
            }
        }

        return stepped ? RingUpdate.SteppedUp : RingUpdate.None;

        bool IsRingIndex(IOperation target) =>
            index.Index is ILocalSymbol
                ? SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(target), index.Index)
                : KernelRingIndex(target) is { } other
                    && SymbolEqualityComparer.Default.Equals(other.Ring, index.Ring) && SymbolEqualityComparer.Default.Equals(other.Index, index.Field);

        // tail = (tail + 1) & (SIZE - 1), tail = (tail + 1) % SIZE: a step up that wraps (hiddev_read()).
        bool WrappedStep(IOperation value) =>
            FlowAnalysis.Strip(value) is IBinaryOperation { OperatorKind: BinaryOperatorKind.And or BinaryOperatorKind.Remainder, OperatorMethod: null } wrap
            && OperandRanges.Constant(wrap.RightOperand) is > 0
            && FlowAnalysis.Strip(wrap.LeftOperand) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, OperatorMethod: null } step
            && OperandRanges.Constant(step.RightOperand) is > 0 && IsRingIndex(FlowAnalysis.Strip(step.LeftOperand));
    }

    /// <summary>The user pointer variable of <c>p</c> or <c>p.Address</c>.</summary>
    private static ISymbol? PointerOf(IOperation operation)
    {
        var stripped = FlowAnalysis.Strip(operation);
        if (stripped is IPropertyReferenceOperation { Property.Name: "Address", Instance: { } instance } && AlignmentFacts.IsUserPtr(instance.Type))
        {
            stripped = FlowAnalysis.Strip(instance);
        }

        return AlignmentFacts.IsUserPtr(stripped.Type) ? FlowAnalysis.SymbolOf(stripped) : null;
    }

    /// <summary>The value of the one assignment of a local outside the loop, which is then the value it
    /// enters the loop with; <c>null</c> when it is not a local or is assigned more than once outside.</summary>
    internal IOperation? SoleDefinitionOutside(LoopInfo loop, ISymbol symbol) => SoleDefinition(loop, symbol, out _);

    /// <summary>
    /// The value <paramref name="symbol"/> enters <paramref name="loop"/> with when it is set on the straight
    /// way into it (<c>ucmsg = CMSG_COMPAT_FIRSTHDR(kmsg); while (ucmsg != NULL)</c>): see
    /// <see cref="DefinitionOnTheWayIn"/>. <c>null</c> otherwise.
    /// </summary>
    internal IOperation? EnteringDefinition(LoopInfo loop, ISymbol symbol) => DefinitionOnTheWayIn(loop, symbol, out _);

    /// <summary>
    /// The value of the one assignment of a local in the method, made outside every loop: a value the local
    /// holds wherever it is read, since it is set once and never again. <c>null</c> otherwise.
    /// </summary>
    internal IOperation? SoleDefinitionOutsideLoops(ISymbol symbol) =>
        SoleDefinition(null, symbol, out int block) is { } value && LoopsContaining(block).Count == 0 ? value : null;

    /// <summary>A variable that holds one value wherever it is read: a parameter never written, or a local set once outside every loop.</summary>
    internal bool HoldsOneValue(ISymbol symbol) => symbol switch
    {
        IParameterSymbol { RefKind: RefKind.None } => BlocksWriting(symbol).Count == 0,
        ILocalSymbol { RefKind: RefKind.None } => SoleDefinitionOutsideLoops(symbol) is not null,
        _ => false,
    };

    /// <summary>The value of the one simple assignment of a local outside <paramref name="loop"/> (the whole
    /// method when <c>null</c>) and its block; <c>null</c> when there is another write outside.</summary>
    private IOperation? SoleDefinition(LoopInfo? loop, ISymbol symbol, out int definitionBlock)
    {
        definitionBlock = -1;
        if (symbol is not ILocalSymbol)
        {
            return null;
        }

        IOperation? value = null;
        var stack = new Stack<IOperation>();
        foreach (var block in graph.Blocks)
        {
            bool outside = loop is null || !loop.Contains(block.Ordinal);
            foreach (var root in block.Operations)
            {
                stack.Push(root);
            }

            if (block.BranchValue is { } branch)
            {
                stack.Push(branch);
            }

            while (stack.Count > 0)
            {
                var operation = stack.Pop();
                switch (operation)
                {
                    case ISimpleAssignmentOperation assignment when SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(assignment.Target), symbol):
                        if (outside)
                        {
                            if (value is not null)
                            {
                                return null;
                            }

                            value = assignment.Value;
                            definitionBlock = block.Ordinal;
                        }

                        break;
                    case ICompoundAssignmentOperation compound when outside && SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(compound.Target), symbol):
                    case IIncrementOrDecrementOperation increment when outside && SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(increment.Target), symbol):
                    case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument when SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(argument.Value), symbol):
                        return null;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }
        }

        return value;
    }

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

    private void Build()
    {
        var blocks = graph.Blocks;
        bool backwards = false;
        for (int i = 0; i < blocks.Length; i++)
        {
            backwards |= AddEdge(i, Target(blocks[i].ConditionalSuccessor));
            backwards |= AddEdge(i, Target(blocks[i].FallThroughSuccessor));
        }

        // A cycle has an edge to a block of the same or a lower ordinal: with none, there is no loop to find.
        if (!backwards)
        {
            return;
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
            if (next < successorCounts[block])
            {
                stack.Push((block, next + 1));
                int target = successors[(block * 2) + next];
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

        if (headers.Count == 0)
        {
            return;
        }

        var predecessors = new List<int>[blocks.Length];
        for (int i = 0; i < blocks.Length; i++)
        {
            predecessors[i] = new List<int>(2);
        }

        for (int i = 0; i < blocks.Length; i++)
        {
            foreach (int next in SuccessorsOf(i))
            {
                predecessors[next].Add(i);
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

    /// <summary>Adds the edge once; whether it goes to a block of the same or a lower ordinal.</summary>
    private bool AddEdge(int from, int to)
    {
        // The second edge may only repeat the first (a conditional branch to the fall-through block).
        if (to < 0 || (successorCounts[from] > 0 && successors[from * 2] == to))
        {
            return false;
        }

        successors[(from * 2) + successorCounts[from]++] = to;
        return to <= from;
    }

    /// <summary>The variable an index reads: <c>i</c>, <c>(int)i</c>, <c>m++</c>.</summary>
    private static ISymbol? IndexSymbol(IOperation index) =>
        FlowAnalysis.Strip(index) is IIncrementOrDecrementOperation step ? FlowAnalysis.SymbolOf(step.Target) : FlowAnalysis.SymbolOf(index);

    private static void NoteStep(LoopInfo loop, ISymbol target, long? step, bool subtract)
    {
        if (step is not long value || value == 0)
        {
            loop.OtherwiseUpdated.Add(target);
            return;
        }

        value = subtract ? -value : value;
        if (!loop.ConstantSteps.TryGetValue(target, out long known))
        {
            loop.ConstantSteps[target] = value;
        }
        else if ((known > 0) != (value > 0))
        {
            loop.OtherwiseUpdated.Add(target);
        }
        else if (System.Math.Abs(value) < System.Math.Abs(known))
        {
            loop.ConstantSteps[target] = value;
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
                bool conditionalLeaves = !loop.Contains(Target(block.ConditionalSuccessor));
                bool exits = conditionalLeaves || !loop.Contains(Target(block.FallThroughSuccessor));

                // Whether the loop is left where the branch's test is true (when it is left at all).
                bool leavesWhenTrue = conditionalLeaves == (block.ConditionKind == ControlFlowConditionKind.WhenTrue);
                if (exits && FlowAnalysis.Strip(branch) is IBinaryOperation
                    {
                        OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual,
                    } relational)
                {
                    loop.ExitTests.Add((relational, leavesWhenTrue));
                    SymbolsIn(relational, compared);
                    if (relational.LeftOperand.ConstantValue.HasValue || relational.RightOperand.ConstantValue.HasValue)
                    {
                        SymbolsIn(relational, comparedWithConstant);
                    }
                }

                if (exits && FlowAnalysis.Strip(branch) is IBinaryOperation
                    {
                        OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals,
                    } equality)
                {
                    loop.EqualityExits.Add((equality, i, leavesWhenTrue == (equality.OperatorKind == BinaryOperatorKind.Equals)));
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

                        NoteStep(loop, target, OperandRanges.Constant(compound.Value), compound.OperatorKind == BinaryOperatorKind.Subtract);
                        break;
                    case IIncrementOrDecrementOperation increment when FlowAnalysis.SymbolOf(increment.Target) is { } target:
                        loop.Advanced.Add(target);
                        loop.Stepped.Add(target);
                        NoteStep(loop, target, 1, increment.Kind == OperationKind.Decrement);
                        break;
                    case ISimpleAssignmentOperation { Value: IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } sum } assignment
                        when FlowAnalysis.SymbolOf(assignment.Target) is { } target:
                        var read = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                        SymbolsIn(sum, read);
                        if (read.Contains(target))
                        {
                            loop.Advanced.Add(target);
                        }

                        bool selfPlusConstant = SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(sum.LeftOperand), target);
                        NoteStep(loop, target, selfPlusConstant ? OperandRanges.Constant(sum.RightOperand) : null, sum.OperatorKind == BinaryOperatorKind.Subtract);
                        break;
                    case ISimpleAssignmentOperation other when FlowAnalysis.SymbolOf(other.Target) is { } target:
                        loop.OtherwiseUpdated.Add(target);
                        break;
                    case IArrayElementReferenceOperation { Indices.Length: 1 } element when IndexSymbol(element.Indices[0]) is { } index:
                        loop.KernelIndexes.Add((index, i));
                        break;
                    case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { } collection } indexer
                        when OperandRanges.IsKernelCollection(collection.Type) && IndexSymbol(indexer.Arguments[0].Value) is { } index:
                        loop.KernelIndexes.Add((index, i));
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
