using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// A rule's question about the paths that leave an operation and come back to it (a retry: the loop
/// goes round after the access failed): what a path carries through each operation, which edges of a
/// branch it may take, and whether arriving back at the start with a given path state is the cycle
/// the rule looks for.
/// </summary>
/// <typeparam name="TPath">What the rule tracks along one path; small and compared by value.</typeparam>
internal interface ICyclePathQuestion<TPath>
    where TPath : struct, IEquatable<TPath>
{
    /// <summary>The path state after a top-level operation of a block (or its branch value); <paramref name="first"/>: the start operation itself.</summary>
    TPath Through(IOperation operation, TPath path, bool first);

    /// <summary>Follows the successors of <paramref name="block"/> the path may take (calling <paramref name="follow"/> with the successor's ordinal, -1 for none, and the state on that edge).</summary>
    void Branch(BasicBlock block, TPath path, Action<int, TPath> follow);

    /// <summary>Back at the start with <paramref name="path"/>: the cycle looked for.</summary>
    bool Completes(TPath path);
}

/// <summary>
/// The search behind <see cref="ICyclePathQuestion{TPath}"/>: depth first over (block, path state)
/// pairs of the method's graph, from just after the start operation back to it, within a set of
/// blocks, each pair once, and within a budget of pairs (a search that runs out finds nothing).
/// </summary>
internal static class CyclePaths
{
    public static bool Exists<TPath>(ControlFlowGraph graph, GraphPosition start, Func<int, bool> within, ICyclePathQuestion<TPath> question, TPath initial, int maxStates)
        where TPath : struct, IEquatable<TPath>
    {
        var seen = new HashSet<(int Block, TPath Path)>();
        var work = new Stack<(int Block, TPath Path)>();
        void Follow(int block, TPath path)
        {
            if (block >= 0 && within(block) && seen.Add((block, path)))
            {
                work.Push((block, path));
            }
        }

        var block = graph.Blocks[start.Block];
        var path = initial;
        if (start.Index < block.Operations.Length)
        {
            path = question.Through(block.Operations[start.Index], path, first: true);
            for (int i = start.Index + 1; i < block.Operations.Length; i++)
            {
                path = question.Through(block.Operations[i], path, first: false);
            }

            path = ThroughBranchValue(question, block, path, first: false);
        }
        else
        {
            // The start is in the block's condition: `if ((ret = access(...)) != 0)`.
            path = ThroughBranchValue(question, block, path, first: true);
        }

        question.Branch(block, path, Follow);
        int budget = maxStates;
        while (work.Count > 0 && budget-- > 0)
        {
            var (ordinal, current) = work.Pop();
            var next = graph.Blocks[ordinal];
            int end = ordinal == start.Block ? start.Index : next.Operations.Length;
            for (int i = 0; i < Math.Min(end, next.Operations.Length); i++)
            {
                current = question.Through(next.Operations[i], current, first: false);
            }

            if (ordinal == start.Block)
            {
                if (question.Completes(current))
                {
                    return true;
                }

                continue;
            }

            current = ThroughBranchValue(question, next, current, first: false);
            question.Branch(next, current, Follow);
        }

        return false;
    }

    /// <summary>Assignments in a condition (<c>if ((err = f()) != 0)</c>) take effect before the branch.</summary>
    private static TPath ThroughBranchValue<TPath>(ICyclePathQuestion<TPath> question, BasicBlock block, TPath path, bool first)
        where TPath : struct, IEquatable<TPath> =>
        block.BranchValue is { } condition ? question.Through(condition, path, first) : path;
}
