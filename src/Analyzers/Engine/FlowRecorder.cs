using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// What the rules read of a method's pass (annotated calls with the state before them, comparisons and
/// returns of tracked values, dropped results, guarded member accesses), kept per block by
/// <see cref="BlockRecords"/> as the fixed point visits the blocks with this attached to the transfer:
/// the last visit of a block, from its converged input, is what <see cref="Finish"/> keeps.
/// </summary>
internal sealed class FlowRecorder
{
    private readonly CompilationEngine engine;
    private readonly AnalysisRequest request;
    private readonly IMethodSymbol method;
    private readonly FlowTransfer transfer;
    private readonly LocalAliases aliases;
    private readonly BlockRecords records;

    public FlowRecorder(CompilationEngine engine, AnalysisRequest request, IMethodSymbol method, FlowTransfer transfer, LocalAliases aliases, int blocks)
    {
        records = new BlockRecords(blocks);
        this.engine = engine;
        this.request = request;
        this.method = method;
        this.transfer = transfer;
        this.aliases = aliases;
    }

    public ImmutableArray<CallSite>.Builder Calls { get; } = ImmutableArray.CreateBuilder<CallSite>();

    public ImmutableArray<ValueComparison>.Builder Comparisons { get; } = ImmutableArray.CreateBuilder<ValueComparison>();

    public ImmutableArray<ReturnSite>.Builder Returns { get; } = ImmutableArray.CreateBuilder<ReturnSite>();

    public ImmutableArray<IInvocationOperation>.Builder IgnoredResults { get; } = ImmutableArray.CreateBuilder<IInvocationOperation>();

    public ImmutableArray<GuardedAccess>.Builder GuardedAccesses { get; } = ImmutableArray.CreateBuilder<GuardedAccess>();

    public bool HasErrorReturn { get; private set; }

    /// <summary>A visit of <paramref name="block"/> starts: it replaces what an earlier visit recorded there.</summary>
    public void BeginBlock(BasicBlock block) => records.Begin(block.Ordinal);

    /// <summary>The blocks' records, in block order, become the lists the rules read.</summary>
    public void Finish() => HasErrorReturn = records.CopyTo(Calls, Comparisons, Returns, IgnoredResults, GuardedAccesses);

    public void Statement(IOperation operation)
    {
        if (operation is IExpressionStatementOperation { Operation: IInvocationOperation statement } && engine.GetAnnotations(statement.TargetMethod).MustCheck)
        {
            (records.Current.IgnoredResults ??= new()).Add(statement);
        }
    }

    public void Call(CallEffects effects, FlowState state) => (records.Current.Calls ??= new()).Add(new CallSite(effects, state));

    public void Member(IMemberReferenceOperation reference, FlowState state)
    {
        if (engine.GuardOf(reference.Member) is { } guard
            && LockResolver.ResolveGuard(reference, guard, engine, request.Options, aliases) is { } id)
        {
            (records.Current.GuardedAccesses ??= new()).Add(new GuardedAccess(reference, id, state));
        }
    }

    public void Binary(IBinaryOperation binary, FlowState state)
    {
        if (binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
            or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual)
        {
            Comparison(binary, binary.LeftOperand, binary.RightOperand, state);
            Comparison(binary, binary.RightOperand, binary.LeftOperand, state);
        }
    }

    public void BlockEnd(BasicBlock block, FlowState state)
    {
        if (block.BranchValue is { } value && block.FallThroughSuccessor is { Semantics: ControlFlowBranchSemantics.Return })
        {
            Return(value, state);
        }
    }

    private void Comparison(IBinaryOperation binary, IOperation operand, IOperation other, FlowState state)
    {
        var stripped = FlowAnalysis.Strip(operand);
        var (kinds, origin) = transfer.KindsOf(stripped, state);
        if (kinds != ValueKinds.None)
        {
            (records.Current.Comparisons ??= new()).Add(new ValueComparison(binary, stripped, FlowAnalysis.Strip(other), kinds, origin, state));
        }
    }

    private void Return(IOperation value, FlowState state)
    {
        var stripped = FlowAnalysis.Strip(value);
        var (kinds, origin) = transfer.KindsOf(stripped, state);
        (records.Current.Returns ??= new()).Add(new ReturnSite(stripped, kinds, origin, state));
        if (method.ReturnType.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
            && (FlowAnalysis.IsNegativeConstant(stripped) || (kinds & ValueKinds.Errno) != 0 || KnownNegative(stripped, state)))
        {
            records.Current.HasErrorReturn = true;
        }
    }

    /// <summary>A variable the checks before showed negative: <c>if (ret &lt; 0) return ret;</c> passes a callee's errno on.</summary>
    private static bool KnownNegative(IOperation value, FlowState state) =>
        FlowAnalysis.SymbolOf(value) is ILocalSymbol or IParameterSymbol && state.GetFact(FlowAnalysis.SymbolOf(value)!).Range is { PastRoot: null, Upper: < 0 };
}
