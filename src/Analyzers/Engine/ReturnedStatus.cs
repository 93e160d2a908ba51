using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// What a helper's returns can tell its caller. A helper that returns only non-negative constants
/// (btrfs <c>copy_to_sk()</c>: 0 "search on", 1 "done") cannot report that a nofault access in it
/// failed: its caller cannot tell the fault from going on, so it has no cold path to fault in on.
/// </summary>
internal static class ReturnedStatus
{
    /// <summary>Every <c>return</c> of the method gives a constant of at least 0 (directly or as each arm of a conditional).</summary>
    public static bool OnlyNonNegativeConstants(MethodAnalysis analysis)
    {
        if (analysis.Returns.IsEmpty)
        {
            return false;
        }

        foreach (var site in analysis.Returns)
        {
            if (!IsNonNegativeConstant(analysis.Graph, site.Value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNonNegativeConstant(ControlFlowGraph graph, IOperation value)
    {
        var stripped = FlowAnalysis.Strip(value);
        if (OperandRanges.Constant(stripped) is long constant)
        {
            return constant >= 0;
        }

        // c ? 0 : 1: the graph captures each arm; every value captured must be such a constant.
        if (stripped is not IFlowCaptureReferenceOperation reference)
        {
            return false;
        }

        bool any = false;
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                if (operation is IFlowCaptureOperation capture && capture.Id.Equals(reference.Id))
                {
                    if (OperandRanges.Constant(FlowAnalysis.Strip(capture.Value)) is not >= 0)
                    {
                        return false;
                    }

                    any = true;
                }
            }
        }

        return any;
    }
}
