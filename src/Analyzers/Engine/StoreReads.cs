using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// A statement-level store into a local, asked of the method's graph: which code may read the value
/// before anything overwrites it (a fix that adds an exit right after the store asks it, to know which
/// code would have seen the value and no longer sees it when it is an error), and which values the
/// local may hold just before it (a fix that moves the store's test asks it, to know what the code
/// that goes on saw there).
/// </summary>
internal static class StoreReads
{
    /// <summary>
    /// Whether the value that the statement-level store <c>local = value</c> (or the declaration
    /// <c>int local = value</c>, or <c>local |= value</c>, or a store in a branch's condition,
    /// <c>if ((local = value) != 0)</c>) puts into <paramref name="local"/> may be read, before anything
    /// overwrites it, by code inside <paramref name="region"/> and by code outside it.
    /// Null when the graph cannot tell: the store is neither an operation of its own in the graph nor in a branch value, or the
    /// method has exception regions (a catch or finally reached other than by a branch). A local that a
    /// lambda or local function captures has reads in another graph: the caller rules it out.
    /// </summary>
    /// <remarks>With <paramref name="errnoTestsInside"/>, a read that only compares the local with zero or a
    /// negative constant (<c>if (st != 0) return st;</c>, <c>if (r &lt; 0) break;</c>) counts as inside: a store
    /// that turns a byte count into an errno keeps what an equality test finds where the copy was whole, and
    /// gives a sign test the failure it was written to catch.</remarks>
    public static (bool Inside, bool Outside)? Of(MethodAnalysis analysis, SyntaxNode value, ILocalSymbol local, TextSpan region, bool errnoTestsInside = false)
    {
        var graph = analysis.Graph;
        if (HasExceptionRegions(graph.Root))
        {
            return null;
        }

        if ((FindStore(graph, value, local) ?? FindStoreInBranch(graph, value, local)) is not var (startBlock, startIndex))
        {
            return null;
        }

        bool inside = false, outside = false;
        ReadsFrom(startBlock, startIndex + 1, local, region, errnoTestsInside, ref inside, ref outside);
        return (inside, outside);
    }

    /// <summary>
    /// A store made in a block's branch value (<c>if ((res = CopyToUser(ov, value)) != 0)</c>, tipc's
    /// getsockopt()): the block, and an index past its branch value, so that the walk starts at its
    /// successors. Null when there is none.
    /// </summary>
    private static (BasicBlock Block, int Index)? FindStoreInBranch(ControlFlowGraph graph, SyntaxNode value, ILocalSymbol local)
    {
        foreach (var block in graph.Blocks)
        {
            if (block.BranchValue is not { } branch)
            {
                continue;
            }

            foreach (var node in branch.DescendantsAndSelf())
            {
                if (node is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    && SymbolEqualityComparer.Default.Equals(target.Local, local)
                    && FlowAnalysis.Strip(assignment.Value).Syntax == value)
                {
                    return (block, block.Operations.Length);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="local"/> may be read, before anything overwrites it, on the path where the
    /// branch on <paramref name="condition"/> finds it false: what the code that goes on after a failure
    /// test (<c>if (ret != 0) goto fail;</c>) sees of the local. Null when the graph cannot tell: no block
    /// branches on that condition, or the method has exception regions.
    /// </summary>
    public static bool? ReadWhereFalse(MethodAnalysis analysis, SyntaxNode condition, ILocalSymbol local)
    {
        var graph = analysis.Graph;
        if (HasExceptionRegions(graph.Root))
        {
            return null;
        }

        foreach (var block in graph.Blocks)
        {
            if (block.BranchValue?.Syntax != condition || block.ConditionKind == ControlFlowConditionKind.None)
            {
                continue;
            }

            var goesOn = block.ConditionKind == ControlFlowConditionKind.WhenFalse ? block.ConditionalSuccessor : block.FallThroughSuccessor;
            return goesOn?.Destination is { } destination && ReadBeforeWrite(destination, local);
        }

        return null;
    }

    private static bool ReadBeforeWrite(BasicBlock start, ILocalSymbol local)
    {
        bool inside = false, read = false;
        ReadsFrom(start, 0, local, default, false, ref inside, ref read);
        return read;
    }

    /// <summary>Walks forward from operation <paramref name="index"/> of <paramref name="start"/> until each path overwrites the local, noting its reads inside and outside <paramref name="region"/>.</summary>
    private static void ReadsFrom(BasicBlock start, int index, ILocalSymbol local, TextSpan region, bool errnoTestsInside, ref bool inside, ref bool outside)
    {
        var work = new Stack<(BasicBlock Block, int Index)>();
        var seen = new HashSet<int>();
        work.Push((start, index));
        while (work.Count > 0)
        {
            var (block, from) = work.Pop();
            bool killed = false;
            for (int i = from; i < block.Operations.Length && !killed; i++)
            {
                killed = Effect(block.Operations[i], local, region, errnoTestsInside, ref inside, ref outside);
            }

            if (killed)
            {
                continue;
            }

            // Past the branch value: the walk starts after a store made in it.
            if (block.BranchValue is { } branchValue && from <= block.Operations.Length)
            {
                Effect(branchValue, local, region, errnoTestsInside, ref inside, ref outside);
            }

            foreach (var branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (branch?.Destination is { } destination && seen.Add(destination.Ordinal))
                {
                    work.Push((destination, 0));
                }
            }
        }
    }

    /// <summary>
    /// The values <paramref name="local"/> may hold just before the statement-level store of
    /// <paramref name="value"/>: the value of every plain store that reaches it on some path (a
    /// declaration's initializer is one; the store itself is one when a loop or a jump back runs it
    /// again), and a null entry for a path from the method's entry with no store. Null when the graph
    /// cannot tell: the store is not an operation of its own, the method has exception regions, or the
    /// local is written on the way other than by a plain statement-level store (a compound assignment,
    /// an increment, a ref or out argument, a store nested in an expression).
    /// </summary>
    public static IReadOnlyList<IOperation?>? ValuesBefore(MethodAnalysis analysis, SyntaxNode value, ILocalSymbol local)
    {
        var graph = analysis.Graph;
        if (HasExceptionRegions(graph.Root) || FindStore(graph, value, local) is not var (startBlock, startIndex))
        {
            return null;
        }

        var values = new List<IOperation?>();
        var work = new Stack<(BasicBlock Block, int End)>();
        var seen = new HashSet<int>();
        work.Push((startBlock, startIndex));
        while (work.Count > 0)
        {
            var (block, end) = work.Pop();

            // The branch value is evaluated after the block's operations: walking back, it comes first.
            bool stored = false;
            if (end == block.Operations.Length && block.BranchValue is { } branchValue && Writes(branchValue, local))
            {
                return null;
            }

            for (int i = end - 1; i >= 0 && !stored; i--)
            {
                var operation = block.Operations[i];
                if (Statement(operation) is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    && SymbolEqualityComparer.Default.Equals(target.Local, local)
                    && !Writes(assignment.Value, local))
                {
                    values.Add(FlowAnalysis.Strip(assignment.Value));
                    stored = true;
                }
                else if (Writes(operation, local))
                {
                    return null;
                }
            }

            if (stored)
            {
                continue;
            }

            if (block.Kind == BasicBlockKind.Entry)
            {
                values.Add(null);
                continue;
            }

            foreach (var predecessor in block.Predecessors)
            {
                if (seen.Add(predecessor.Source.Ordinal))
                {
                    work.Push((predecessor.Source, predecessor.Source.Operations.Length));
                }
            }
        }

        return values;
    }

    /// <summary>The operation (or one nested in it) writes the local: as a store's target, by a compound assignment or an increment, or as a ref or out argument.</summary>
    private static bool Writes(IOperation operation, ILocalSymbol local)
    {
        foreach (var node in operation.DescendantsAndSelf())
        {
            if (node is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && reference.Parent switch
                {
                    IAssignmentOperation assignment => assignment.Target == reference,
                    IIncrementOrDecrementOperation => true,
                    IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
                    _ => false,
                })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The block and index of the statement-level store <c>local = value</c> (or <c>local |= value</c>, any compound store).</summary>
    private static (BasicBlock Block, int Index)? FindStore(ControlFlowGraph graph, SyntaxNode value, ILocalSymbol local)
    {
        (BasicBlock Block, int Index)? store = null;
        foreach (var block in graph.Blocks)
        {
            for (int i = 0; i < block.Operations.Length; i++)
            {
                if (Statement(block.Operations[i]) is IAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    && assignment is ISimpleAssignmentOperation or ICompoundAssignmentOperation
                    && SymbolEqualityComparer.Default.Equals(target.Local, local)
                    && FlowAnalysis.Strip(assignment.Value).Syntax == value)
                {
                    store = (block, i);
                }
            }
        }

        return store;
    }

    /// <summary>
    /// Records the operation's reads of the local, inside or outside the region (reads are
    /// evaluated before the operation's own store); true when it then overwrites the local as a
    /// whole (a statement-level <c>local = ...</c> that does not read it; a store nested in an
    /// expression may not run).
    /// </summary>
    private static bool Effect(IOperation operation, ILocalSymbol local, TextSpan region, bool errnoTestsInside, ref bool inside, ref bool outside)
    {
        bool read = false;
        foreach (var node in operation.DescendantsAndSelf())
        {
            if (node is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local) && !IsPlainStore(reference))
            {
                read = true;
                if (region.Contains(reference.Syntax.Span) || (errnoTestsInside && IsErrnoTest(reference)))
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

    /// <summary>
    /// The reference is compared, through conversions, with zero or a negative constant in a way that finds a
    /// whole copy's 0 and a short copy's -EFAULT as it was written to find success and failure: <c>== c</c>,
    /// <c>!= c</c>, <c>&lt; c</c> and <c>&gt;= c</c> for <c>c &lt;= 0</c>, <c>&lt;= c</c> and <c>&gt; c</c> for
    /// <c>c &lt; 0</c> (<c>st != 0</c>, <c>r &lt; 0</c>, <c>0 &gt; r</c>). <c>r &gt; 0</c> and <c>r &lt;= 0</c> read
    /// a count's failure as the errno's success, and are not such tests.
    /// </summary>
    private static bool IsErrnoTest(IOperation reference)
    {
        var operand = reference;
        while (operand.Parent is IConversionOperation or IParenthesizedOperation)
        {
            operand = operand.Parent;
        }

        if (operand.Parent is not IBinaryOperation test)
        {
            return false;
        }

        bool left = ReferenceEquals(test.LeftOperand, operand);
        if ((left ? test.RightOperand : test.LeftOperand).ConstantValue is not { HasValue: true, Value: var bound } || FlowAnalysis.ToLong(bound) is not long c || c > 0)
        {
            return false;
        }

        // With the local on the right, 0 > r is r < 0.
        var kind = left ? test.OperatorKind : test.OperatorKind switch
        {
            BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
            BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
            BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
            BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
            var other => other,
        };
        return FindsErrnoAsWritten(kind, c);
    }

    /// <summary>
    /// <c>value kind constant</c>, the value on the left, finds a whole copy's 0 and a short copy's -EFAULT as
    /// it was written to find success and failure (see <see cref="IsErrnoTest"/>): what a fix that turns a
    /// stored byte count into an errno may leave such a test to read.
    /// </summary>
    public static bool FindsErrnoAsWritten(BinaryOperatorKind kind, long constant) => constant <= 0 && kind switch
    {
        BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or BinaryOperatorKind.GreaterThanOrEqual => true,
        BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan => constant < 0,
        _ => false,
    };

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
