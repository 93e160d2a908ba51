using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// What the method's writes show about a variable's value against another's where the flow state only
/// knows that an index is below it: a copy of a length that later writes only lower, or what an earlier
/// loop's counter left under such a copy (UA5003's <c>i &lt; error</c> inside <c>verify_area(buf, len)</c>).
/// </summary>
internal sealed partial class LoopFacts
{
    /// <summary>
    /// Whether <paramref name="value"/> is at most <paramref name="length"/> at <paramref name="at"/>, as the
    /// method's writes show, where a state knows only that an index is below <paramref name="value"/>:
    /// <paramref name="value"/> is a copy of <paramref name="length"/> that later writes only cap
    /// (<see cref="CopiedAndCapped"/>), or what an earlier loop's counter left under such a limit
    /// (<see cref="EarlierCountersLimit"/>). <c>do_syslog()</c> corrects the reader's buffer with
    /// <c>buf[i]</c>, <c>i &lt; error</c>, inside <c>verify_area(buf, len)</c>: <c>error</c> is what the copy
    /// loop's <c>i &lt; count</c> left, and <c>count = len</c> capped at <c>LOG_BUF_LEN</c>.
    /// </summary>
    public bool NeverAbove(ISymbol value, ISymbol length, GraphPosition at)
    {
        if (CopiedAndCapped(value, length))
        {
            return true;
        }

        foreach (var loop in LoopsContaining(at.Block))
        {
            if (EarlierCountersLimit(loop, value) is { } limit && FlowAnalysis.SymbolOf(limit) is { } bounding
                && (SymbolEqualityComparer.Default.Equals(bounding, length) || CopiedAndCapped(bounding, length)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether every write of the local <paramref name="symbol"/> in the method copies <paramref name="length"/>,
    /// which nothing writes, or caps the local: <c>x = e</c> where <c>x &gt; e</c> (or <c>x &gt;= e</c>) holds,
    /// or <c>x = Math.Min(x, e)</c>. Wherever the local is read it is then at most <paramref name="length"/>.
    /// </summary>
    private bool CopiedAndCapped(ISymbol symbol, ISymbol length)
    {
        if (symbol is not ILocalSymbol || SymbolEqualityComparer.Default.Equals(symbol, length) || BlocksWriting(length).Count > 0)
        {
            return false;
        }

        bool copied = false;
        foreach (int ordinal in BlocksWriting(symbol))
        {
            var block = graph.Blocks[ordinal];
            if (block.BranchValue is { } branch && Writes(branch, symbol))
            {
                return false;
            }

            foreach (var root in block.Operations)
            {
                if (!Writes(root, symbol))
                {
                    continue;
                }

                var operation = root is IExpressionStatementOperation statement ? statement.Operation : root;
                if (operation is not ISimpleAssignmentOperation assignment || !SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(assignment.Target), symbol)
                    || Writes(assignment.Value, symbol))
                {
                    return false;
                }

                var stored = FlowAnalysis.Strip(assignment.Value);
                if (SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(stored), length))
                {
                    copied = true;
                }
                else if (!IsMinOfItself(stored, symbol) && !CapsOnItsEdge(ordinal, symbol, stored))
                {
                    return false;
                }
            }
        }

        return copied;
    }

    private static bool IsMinOfItself(IOperation value, ISymbol symbol) =>
        value is IInvocationOperation { TargetMethod.Name: "Min", Arguments.Length: 2 } min && OperandRanges.IsMath(min.TargetMethod)
        && (SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(min.Arguments[0].Value), symbol)
            || SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(min.Arguments[1].Value), symbol));

    /// <summary>
    /// Whether <paramref name="block"/> is entered only on the edge of a test <c>x &gt; e</c> (<c>x &gt;= e</c>,
    /// <c>e &lt; x</c>, ...) where it holds, with <paramref name="value"/> the same <c>e</c>: a constant, a
    /// variable or a field (<c>if (count &gt; log_buf_len) count = log_buf_len;</c>).
    /// </summary>
    private bool CapsOnItsEdge(int block, ISymbol symbol, IOperation value)
    {
        var predecessors = graph.Blocks[block].Predecessors;
        if (predecessors.Length != 1 || !predecessors[0].FinallyRegions.IsEmpty
            || predecessors[0].Source is not { BranchValue: { } test, ConditionKind: not ControlFlowConditionKind.None } source
            || FlowAnalysis.Strip(test) is not IBinaryOperation { OperatorMethod: null } compare)
        {
            return false;
        }

        bool holds = predecessors[0].IsConditionalSuccessor == (source.ConditionKind == ControlFlowConditionKind.WhenTrue);
        var kind = compare.OperatorKind;
        IOperation other;
        if (SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(compare.LeftOperand), symbol))
        {
            other = compare.RightOperand;
        }
        else if (SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(compare.RightOperand), symbol))
        {
            other = compare.LeftOperand;
            kind = OperandRanges.Flip(kind);
        }
        else
        {
            return false;
        }

        bool above = holds
            ? kind is BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual
            : kind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual;
        return above && SameValue(FlowAnalysis.Strip(other), value);
    }

    /// <summary>The same constant, variable or field of the same variable: what a cap compares and stores.</summary>
    private static bool SameValue(IOperation left, IOperation right)
    {
        if (OperandRanges.Constant(left) is long a)
        {
            return OperandRanges.Constant(right) == a;
        }

        return (left, right) switch
        {
            (ILocalReferenceOperation or IParameterReferenceOperation, _) =>
                SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(left), FlowAnalysis.SymbolOf(right)),
            (IMemberReferenceOperation l, IMemberReferenceOperation r) => SymbolEqualityComparer.Default.Equals(l.Member, r.Member)
                && (l.Instance is null ? r.Instance is null : r.Instance is not null && SameValue(FlowAnalysis.Strip(l.Instance), FlowAnalysis.Strip(r.Instance))),
            _ => false,
        };
    }
}
