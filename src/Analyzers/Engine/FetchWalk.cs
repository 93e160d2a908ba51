using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// Where a fetch that walks a user buffer starts. A fetch in a loop that moves its pointer reads, on the
/// loop's first round, the address the pointer entered the loop with: a variable the walk starts from
/// plus a constant. The dataflow merges the rounds and sees only that the pointer moved; two loops that
/// walk the same buffer from the same start still read its first bytes twice
/// (<c>audit_log_single_execve_arg()</c> walks the argument once to look for control characters and
/// again to log it, CVE-2016-6136; <c>cmsghdr_from_user_compat_to_kern()</c> walks the control headers
/// from <c>CMSG_COMPAT_FIRSTHDR(kmsg)</c> twice).
/// </summary>
internal sealed class FetchWalk
{
    private FetchWalk(LoopInfo loop, ISymbol start, long offset, ImmutableArray<IOperation> startArguments = default)
    {
        Loop = loop;
        Start = start;
        Offset = offset;
        StartArguments = startArguments;
    }

    /// <summary>The innermost loop that moves the fetch's pointer.</summary>
    public LoopInfo Loop { get; }

    /// <summary>
    /// What the walk starts from: a variable (the pointer itself, a parameter the loop moves, or what it is
    /// set to before the loop: <c>tmp_p = p</c>), or a helper computed from its arguments alone
    /// (<see cref="ComputedHelpers"/>) called with <see cref="StartArguments"/>.
    /// </summary>
    public ISymbol Start { get; }

    /// <summary>The arguments of the helper call the walk starts from; default for a variable.</summary>
    public ImmutableArray<IOperation> StartArguments { get; }

    /// <summary>The address the fetch reads on the loop's first round, as a constant offset from <see cref="Start"/>.</summary>
    public long Offset { get; }

    /// <summary>
    /// The walk of <paramref name="fetch"/>, or <c>null</c>: not in a loop that moves its pointer, a round
    /// may move the pointer before the fetch, or the value it enters the loop with is not known (a local
    /// assigned once outside the loop, a parameter not written outside it, or either set just before the
    /// loop) or is neither a variable plus a constant nor a call of a helper computed from its arguments.
    /// </summary>
    public static FetchWalk? Of(LoopFacts facts, UserFetch fetch)
    {
        if (facts.PositionOf(fetch.Call.Operation) is not { } at)
        {
            return null;
        }

        LoopInfo? walking = null;
        foreach (var loop in facts.LoopsContaining(at.Block))
        {
            if (facts.Assigns(loop, fetch.Root))
            {
                walking = loop;
            }
        }

        if (walking is null || facts.WrittenBeforeInRound(walking, fetch.Root, at))
        {
            return null;
        }

        if (facts.SoleDefinitionOutside(walking, fetch.Root) is { } sole)
        {
            return StartingAt(walking, sole, fetch.Offset);
        }

        if (fetch.Root is IParameterSymbol { RefKind: RefKind.None } && NotWrittenOutside(facts, walking, fetch.Root))
        {
            return new FetchWalk(walking, fetch.Root, fetch.Offset);
        }

        return facts.EnteringDefinition(walking, fetch.Root) is { } entry ? StartingAt(walking, entry, fetch.Offset) : null;
    }

    private static FetchWalk? StartingAt(LoopInfo loop, IOperation entry, long fetchOffset)
    {
        if (AlignmentFacts.Root(entry, out long offset) is { } start and (IParameterSymbol or ILocalSymbol))
        {
            return new FetchWalk(loop, start, offset + fetchOffset);
        }

        return FlowAnalysis.Strip(entry) is IInvocationOperation call && ComputedHelpers.IsComputedFromArguments(call.TargetMethod)
            ? new FetchWalk(loop, call.TargetMethod, fetchOffset, call.Arguments.Select(argument => argument.Value).ToImmutableArray())
            : null;
    }

    private static bool NotWrittenOutside(LoopFacts facts, LoopInfo loop, ISymbol symbol)
    {
        foreach (int block in facts.BlocksWriting(symbol))
        {
            if (!loop.Contains(block))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <paramref name="later"/>'s first round reads the address <paramref name="earlier"/>'s first round
    /// read: the same start and offset, loops apart (neither fetch in the other's loop, no loop around
    /// both), and the start the same value for both: a variable written nowhere but in the later loop
    /// when that loop walks it itself, and, a local, set once before outside any loop; a helper called
    /// with the same constants and the same variables that hold one value wherever they are read.
    /// </summary>
    public static bool SameFirstAddress(LoopFacts facts, FetchWalk earlier, FetchWalk later, UserFetch laterFetch, int earlierBlock, int laterBlock)
    {
        if (!SymbolEqualityComparer.Default.Equals(earlier.Start, later.Start) || earlier.Offset != later.Offset
            || earlier.Loop.Header == later.Loop.Header || earlier.Loop.Contains(laterBlock) || later.Loop.Contains(earlierBlock))
        {
            return false;
        }

        foreach (var loop in facts.Loops)
        {
            if (loop.Contains(earlier.Loop.Header) && loop.Contains(later.Loop.Header))
            {
                return false;
            }
        }

        if (!earlier.StartArguments.IsDefault || !later.StartArguments.IsDefault)
        {
            return SameArguments(facts, earlier.StartArguments, later.StartArguments);
        }

        int definitions = 0;
        foreach (int block in facts.BlocksWriting(earlier.Start))
        {
            if (later.Loop.Contains(block) && SymbolEqualityComparer.Default.Equals(laterFetch.Root, later.Start))
            {
                continue;
            }

            if (earlier.Start is not ILocalSymbol || facts.LoopsContaining(block).Count > 0 || ++definitions > 1)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameArguments(LoopFacts facts, ImmutableArray<IOperation> first, ImmutableArray<IOperation> second)
    {
        if (first.IsDefault || second.IsDefault || first.Length != second.Length)
        {
            return false;
        }

        for (int i = 0; i < first.Length; i++)
        {
            if (OperandRanges.Constant(first[i]) is long constant)
            {
                if (OperandRanges.Constant(second[i]) != constant)
                {
                    return false;
                }
            }
            else if (FlowAnalysis.SymbolOf(FlowAnalysis.Strip(first[i])) is not { } symbol
                || !SymbolEqualityComparer.Default.Equals(symbol, FlowAnalysis.SymbolOf(FlowAnalysis.Strip(second[i]))) || !facts.HoldsOneValue(symbol))
            {
                return false;
            }
        }

        return true;
    }
}
