using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The engine's state kept apart by what one flag is on the paths that bring it: the paths where the
/// flag is false, those where it is true, and those where it is not known. Kernel code correlates
/// paths through a flag (arm64's parse_user_sigframe() moves its walk to the extra context only once,
/// and sets <c>have_extra_context</c> when it does; the extra record is parsed only while it is
/// clear), and a single state merges exactly the paths the flag tells apart.
/// </summary>
internal sealed class FlagPartitions
{
    public FlagPartitions(ISymbol flag, FlowState? zero, FlowState? nonZero, FlowState? unknown)
    {
        Flag = flag;
        Zero = zero;
        NonZero = nonZero;
        Unknown = unknown;
    }

    public ISymbol Flag { get; }

    /// <summary>The paths where the flag is false; <c>null</c>: none reaches here.</summary>
    public FlowState? Zero { get; }

    public FlowState? NonZero { get; }

    public FlowState? Unknown { get; }

    /// <summary>The state of every path together, as the unpartitioned pass would have it (at least as precise).</summary>
    public FlowState? Merged => Join(Join(Zero, NonZero), Unknown);

    /// <summary>Each state filed under what it says of the flag.</summary>
    public static FlagPartitions Of(ISymbol flag, FlowState? a, FlowState? b = null, FlowState? c = null)
    {
        FlowState? zero = null, nonZero = null, unknown = null;
        File(a);
        File(b);
        File(c);
        return new FlagPartitions(flag, zero, nonZero, unknown);

        void File(FlowState? state)
        {
            switch (state?.GetFact(flag).Truth)
            {
                case null:
                    break;
                case Truth.Zero:
                    zero = Join(zero, state);
                    break;
                case Truth.NonZero:
                    nonZero = Join(nonZero, state);
                    break;
                default:
                    unknown = Join(unknown, state);
                    break;
            }
        }
    }

    public static FlowState? Join(FlowState? left, FlowState? right) =>
        left is null ? right : right is null ? left : FlowStateDomain.Instance.Join(left, right);

    /// <summary>
    /// The flag to keep the paths apart by, when the first pass shows one: a <c>bool</c> local or
    /// parameter that a branch tests where the merged paths do not agree on it, and that is tested again
    /// or set to a constant elsewhere (a flag tested once and never set keeps the paths of its one
    /// branch apart to the end, for nothing). <c>null</c> when there is none.
    /// </summary>
    public static ISymbol? ChooseFlag(ControlFlowGraph graph, ImmutableArray<FlowState?> inputs, FlowTransfer transfer)
    {
        // Each bool the branches test, in the order first met, with how often it is tested and whether a
        // test of it finds the merged paths disagreeing.
        var flags = new List<(ISymbol Symbol, int Tests, bool Splits)>();
        foreach (var block in graph.Blocks)
        {
            if (block.BranchValue is not { } condition || block.ConditionalSuccessor is null
                || TruthFacts.Tested(condition, true) is not var (symbol, _) || symbol is not (ILocalSymbol { Type.SpecialType: SpecialType.System_Boolean } or IParameterSymbol { Type.SpecialType: SpecialType.System_Boolean }))
            {
                continue;
            }

            int at = flags.FindIndex(flag => SymbolEqualityComparer.Default.Equals(flag.Symbol, symbol));
            var (_, tests, splits) = at >= 0 ? flags[at] : (symbol, 0, false);
            splits = splits || (inputs[block.Ordinal] is { } input && transfer.TransferUnrecorded(block, input).GetFact(symbol).Truth == Truth.Unknown);
            if (at >= 0)
            {
                flags[at] = (symbol, tests + 1, splits);
            }
            else
            {
                flags.Add((symbol, 1, splits));
            }
        }

        foreach (var (symbol, tests, splits) in flags)
        {
            if (splits && (tests > 1 || IsSetToAConstant(graph, symbol)))
            {
                return symbol;
            }
        }

        return null;
    }

    private static bool IsSetToAConstant(ControlFlowGraph graph, ISymbol flag)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                if (operation is ISimpleAssignmentOperation { Value.ConstantValue: { HasValue: true, Value: bool } } assignment
                    && SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(assignment.Target), flag))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>The lattice of <see cref="FlagPartitions"/>: each partition joined with its own kind.</summary>
internal sealed class FlagPartitionsDomain : AbstractDomain<FlagPartitions>
{
    public static readonly FlagPartitionsDomain Instance = new();

    public override FlagPartitions Join(FlagPartitions left, FlagPartitions right) =>
        new(left.Flag, FlagPartitions.Join(left.Zero, right.Zero), FlagPartitions.Join(left.NonZero, right.NonZero), FlagPartitions.Join(left.Unknown, right.Unknown));

    public override FlagPartitions Widen(FlagPartitions previous, FlagPartitions next) =>
        new(next.Flag, Widen(previous.Zero, next.Zero), Widen(previous.NonZero, next.NonZero), Widen(previous.Unknown, next.Unknown));

    public override bool AreEqual(FlagPartitions left, FlagPartitions right) =>
        Same(left.Zero, right.Zero) && Same(left.NonZero, right.NonZero) && Same(left.Unknown, right.Unknown);

    private static FlowState? Widen(FlowState? previous, FlowState? next) =>
        previous is null || next is null ? next : FlowStateDomain.Instance.Widen(previous, next);

    private static bool Same(FlowState? left, FlowState? right) =>
        left is null ? right is null : right is not null && FlowStateDomain.Instance.AreEqual(left, right);
}

/// <summary>
/// <see cref="FlowTransfer"/> applied to each partition, the result filed again by what it says of the
/// flag (an assignment moves a path to another partition). On an edge that tests the flag, a partition
/// that knows the other value is not on it.
/// </summary>
internal sealed class FlagPartitionsTransfer : IBlockTransfer<FlagPartitions>
{
    private readonly FlowTransfer inner;

    public FlagPartitionsTransfer(FlowTransfer inner)
    {
        this.inner = inner;
    }

    public FlagPartitions Transfer(BasicBlock block, FlagPartitions input) => TransferUnrecorded(block, input);

    public FlagPartitions TransferUnrecorded(BasicBlock block, FlagPartitions input) =>
        FlagPartitions.Of(
            input.Flag,
            input.Zero is { } zero ? inner.TransferUnrecorded(block, zero) : null,
            input.NonZero is { } nonZero ? inner.TransferUnrecorded(block, nonZero) : null,
            input.Unknown is { } unknown ? inner.TransferUnrecorded(block, unknown) : null);

    public FlagPartitions Refine(BasicBlock block, FlagPartitions output, bool value)
    {
        var edge = block.BranchValue is { } condition && TruthFacts.Tested(condition, value) is var (symbol, truth)
            && SymbolEqualityComparer.Default.Equals(symbol, output.Flag)
                ? truth
                : Truth.Unknown;
        return FlagPartitions.Of(
            output.Flag,
            output.Zero is { } zero && edge != Truth.NonZero ? inner.Refine(block, zero, value) : null,
            output.NonZero is { } nonZero && edge != Truth.Zero ? inner.Refine(block, nonZero, value) : null,
            output.Unknown is { } unknown ? inner.Refine(block, unknown, value) : null);
    }
}
