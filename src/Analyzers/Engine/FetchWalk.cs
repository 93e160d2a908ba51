using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// Where a fetch that walks a user buffer starts. A fetch in a loop that moves its pointer reads, on the
/// loop's first round, the address the pointer entered the loop with: a variable the walk starts from
/// plus a constant. The dataflow merges the rounds and sees only that the pointer moved; two loops that
/// walk the same buffer from the same start still read its first bytes twice
/// (<c>audit_log_single_execve_arg()</c> walks the argument once to look for control characters and
/// again to log it, CVE-2016-6136).
/// </summary>
internal sealed class FetchWalk
{
    private FetchWalk(LoopInfo loop, ISymbol start, long offset)
    {
        Loop = loop;
        Start = start;
        Offset = offset;
    }

    /// <summary>The innermost loop that moves the fetch's pointer.</summary>
    public LoopInfo Loop { get; }

    /// <summary>The variable the walk starts from: the pointer itself (a parameter the loop moves), or what it is set to before the loop (<c>tmp_p = p</c>).</summary>
    public ISymbol Start { get; }

    /// <summary>The address the fetch reads on the loop's first round, as a constant offset from <see cref="Start"/>.</summary>
    public long Offset { get; }

    /// <summary>
    /// The walk of <paramref name="fetch"/>, or <c>null</c>: not in a loop that moves its pointer, a round
    /// may move the pointer before the fetch, or the value it enters the loop with is not a variable plus
    /// a constant set in one place (a local assigned once outside the loop, a parameter not written
    /// outside it).
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

        if (facts.SoleDefinitionOutside(walking, fetch.Root) is { } entry)
        {
            return AlignmentFacts.Root(entry, out long offset) is { } start and (IParameterSymbol or ILocalSymbol)
                ? new FetchWalk(walking, start, offset + fetch.Offset)
                : null;
        }

        if (fetch.Root is IParameterSymbol { RefKind: RefKind.None })
        {
            foreach (int block in facts.BlocksWriting(fetch.Root))
            {
                if (!walking.Contains(block))
                {
                    return null;
                }
            }

            return new FetchWalk(walking, fetch.Root, fetch.Offset);
        }

        return null;
    }

    /// <summary>
    /// <paramref name="later"/>'s first round reads the address <paramref name="earlier"/>'s first round
    /// read: the same start and offset, loops apart (neither fetch in the other's loop, no loop around
    /// both), and the start the same value for both: written nowhere but in the later loop when that
    /// loop walks it itself, and, a local, set once before outside any loop.
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
}
