using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>An annotated (or summarised) call and the state just before it.</summary>
internal sealed class CallSite
{
    public CallSite(CallEffects effects, FlowState before)
    {
        Effects = effects;
        Before = before;
    }

    public CallEffects Effects { get; }

    public FlowState Before { get; }

    public IOperation Operation => Effects.Operation;

    private HashSet<ISymbol>? pointerSymbols;

    /// <summary>
    /// The variables the user-pointer arguments of the call are built from (<c>buf + written</c>: buf,
    /// written), computed once for every rule that asks; read only.
    /// </summary>
    public HashSet<ISymbol> PointerSymbols
    {
        get
        {
            if (Volatile.Read(ref pointerSymbols) is { } known)
            {
                return known;
            }

            var symbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var argument in Effects.Arguments)
            {
                if (AlignmentFacts.IsUserPtr(argument.Parameter?.Type) || AlignmentFacts.IsUserPtr(FlowAnalysis.Strip(argument.Value).Type))
                {
                    LoopFacts.SymbolsIn(argument.Value, symbols);
                }
            }

            return Interlocked.CompareExchange(ref pointerSymbols, symbols, null) ?? symbols;
        }
    }
}

/// <summary>A comparison (<c>==</c>, <c>&lt;</c>, ...) one of whose operands holds a tracked value kind.</summary>
internal sealed class ValueComparison
{
    public ValueComparison(IBinaryOperation comparison, IOperation operand, IOperation other, ValueKinds kinds, IOperation? origin, FlowState state)
    {
        Comparison = comparison;
        Operand = operand;
        Other = other;
        Kinds = kinds;
        Origin = origin;
        State = state;
    }

    public IBinaryOperation Comparison { get; }

    /// <summary>The operand holding the value (the call, or a local).</summary>
    public IOperation Operand { get; }

    public IOperation Other { get; }

    public ValueKinds Kinds { get; }

    /// <summary>The call that produced the value.</summary>
    public IOperation? Origin { get; }

    public FlowState State { get; }

    /// <summary>The comparison as <c>operand OP other</c> (flipped when the operand is on the right).</summary>
    public BinaryOperatorKind NormalizedOperator
    {
        get
        {
            var kind = Comparison.OperatorKind;
            if (ReferenceEquals(FlowAnalysis.Strip(Comparison.LeftOperand), Operand))
            {
                return kind;
            }

            return OperandRanges.Flip(kind);
        }
    }
}

/// <summary>A read or write of a <c>[GuardedBy]</c> field or property, the lock that guards it there, and the state just before it.</summary>
internal sealed class GuardedAccess
{
    public GuardedAccess(IMemberReferenceOperation reference, LockId guard, FlowState state)
    {
        Reference = reference;
        Guard = guard;
        State = state;
    }

    public IMemberReferenceOperation Reference { get; }

    /// <summary>The guarding lock, resolved against this access's receiver (<c>ctx.MapChangingLock</c>).</summary>
    public LockId Guard { get; }

    public FlowState State { get; }
}

/// <summary>A <c>return value;</c> of the method.</summary>
internal sealed class ReturnSite
{
    public ReturnSite(IOperation value, ValueKinds kinds, IOperation? origin, FlowState state)
    {
        Value = value;
        Kinds = kinds;
        Origin = origin;
        State = state;
    }

    /// <summary>The state at the return (what a caller learns when this is the value it gets).</summary>
    public FlowState State { get; }

    public IOperation Value { get; }

    public ValueKinds Kinds { get; }

    public IOperation? Origin { get; }
}

/// <summary>
/// The result of the one forward pass over a method's control-flow graph. Every rule reads this; none
/// walks the method again.
/// </summary>
internal sealed class MethodAnalysis
{
    private readonly FlowTransfer transfer;
    private OperationStates? operationStates;

    public MethodAnalysis(
        IMethodSymbol method,
        ControlFlowGraph graph,
        MethodAnnotations annotations,
        MethodContract contract,
        DataflowResult<FlowState> result,
        FlowRecorder recorder,
        FlowTransfer transfer,
        EngineOptions options)
    {
        Method = method;
        Graph = graph;
        Annotations = annotations;
        Contract = contract;
        Converged = result.Converged;
        BlockInputs = result.BlockInputs;
        Calls = recorder.Calls.ToImmutable();
        Comparisons = recorder.Comparisons.ToImmutable();
        Returns = recorder.Returns.ToImmutable();
        IgnoredResults = recorder.IgnoredResults.ToImmutable();
        GuardedAccesses = recorder.GuardedAccesses.ToImmutable();
        ExitState = result.Converged ? result.BlockInputs[graph.Blocks.Length - 1] : null;
        HasErrorReturn = recorder.HasErrorReturn;
        this.transfer = transfer;
        Options = options;
    }

    /// <summary>
    /// The pass reached its fixed point within the budget. When it did not, nothing was recorded
    /// (no calls, comparisons, returns, states) and every rule stays silent on the method.
    /// </summary>
    public bool Converged { get; }

    /// <summary>The rule options of the method's syntax tree.</summary>
    public EngineOptions Options { get; }

    public IMethodSymbol Method { get; }

    public ControlFlowGraph Graph { get; }

    /// <summary>The method's own annotations (<c>[AtomicContext]</c>, declared effects).</summary>
    public MethodAnnotations Annotations { get; }

    /// <summary>The state its annotations promise on entry and on return (<c>[RequiresLock]</c>, <c>[Acquires]</c>, <c>[Releases]</c>, regions).</summary>
    public MethodContract Contract { get; }

    public bool IsAtomicContext => Annotations.AtomicContext;

    /// <summary>The fixed-point state at the entry of each block (by ordinal); <c>null</c>: unreachable.
    /// Loop rules find back edges in <see cref="Graph"/> and read the states here.</summary>
    public ImmutableArray<FlowState?> BlockInputs { get; }

    /// <summary>The state at the entry of <paramref name="block"/>; <c>null</c>: unreachable, or the pass did not converge.</summary>
    public FlowState? InputOf(BasicBlock block) =>
        Converged && block.Ordinal < BlockInputs.Length ? BlockInputs[block.Ordinal] : null;

    /// <summary>
    /// The state just before <paramref name="operation"/> is evaluated: an operation of <see cref="Graph"/>,
    /// or one of the method's own operation tree (matched by its syntax). <c>null</c>: the operation is
    /// unreachable, not part of this method's graph (a lambda or local function body has its own
    /// analysis), or the pass did not converge.
    /// </summary>
    public FlowState? StateBefore(IOperation operation)
    {
        if (!Converged)
        {
            return null;
        }

        // The transfer is not thread-safe: the states are recorded once, under its lock.
        if (Volatile.Read(ref operationStates) is not { } states)
        {
            lock (transfer)
            {
                states = operationStates ??= OperationStates.Record(Graph, BlockInputs, transfer);
            }
        }

        return states.StateBefore(operation);
    }

    public ImmutableArray<CallSite> Calls { get; }

    public ImmutableArray<ValueComparison> Comparisons { get; }

    public ImmutableArray<ReturnSite> Returns { get; }

    /// <summary>Calls used as statements: their result is dropped.</summary>
    public ImmutableArray<IInvocationOperation> IgnoredResults { get; }

    /// <summary>Reads and writes of <c>[GuardedBy]</c> members whose lock could be named (UA2004).</summary>
    public ImmutableArray<GuardedAccess> GuardedAccesses { get; }

    /// <summary>The state on normal exit (returns and the end of the body); <c>null</c> when the method never returns normally.</summary>
    public FlowState? ExitState { get; }

    /// <summary>The method returns an <c>int</c>/<c>long</c> and has a path returning a negative errno
    /// (a negative constant, a <c>[ReturnsErrno]</c> result, or a local holding one).</summary>
    public bool HasErrorReturn { get; }

    /// <summary>
    /// Is there a path from just after <paramref name="start"/> back to it, through blocks <paramref name="within"/>
    /// accepts, that <paramref name="question"/> completes? <c>false</c> when the pass did not converge.
    /// </summary>
    public bool HasCycle<TPath>(GraphPosition start, System.Func<int, bool> within, ICyclePathQuestion<TPath> question, TPath initial, int maxStates)
        where TPath : struct, System.IEquatable<TPath> =>
        Converged && CyclePaths.Exists(Graph, start, within, question, initial, maxStates);

    private Dictionary<IOperation, CallSite>? callsByOperation;

    /// <summary>The recorded call site of <paramref name="operation"/> (a graph operation); <c>null</c>: not an annotated or summarised call.</summary>
    public CallSite? CallAt(IOperation operation)
    {
        var table = System.Threading.LazyInitializer.EnsureInitialized(ref callsByOperation, () =>
        {
            var calls = new Dictionary<IOperation, CallSite>();
            foreach (var call in Calls)
            {
                if (!calls.ContainsKey(call.Operation))
                {
                    calls[call.Operation] = call;
                }
            }

            return calls;
        })!;
        return table.TryGetValue(operation, out var site) ? site : null;
    }

    private LoopFacts? loops;

    /// <summary>The loops of <see cref="Graph"/> and the block of each call (UA4xxx), computed once on first use.</summary>
    public LoopFacts Loops => System.Threading.LazyInitializer.EnsureInitialized(ref loops, () => LoopFacts.Compute(this))!;

    private HashSet<ISymbol>? namedByFunctions;

    /// <summary>
    /// Whether a lambda or local function of the method names <paramref name="symbol"/> (a local or
    /// parameter it reads or writes): such a function may run anywhere it is handed, so its reads and writes
    /// are in another graph. The names are gathered once, on the first question.
    /// </summary>
    public bool NamedByAFunction(ISymbol symbol)
    {
        var named = System.Threading.LazyInitializer.EnsureInitialized(ref namedByFunctions, () =>
        {
            var symbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in Graph.OriginalOperation.Descendants())
            {
                if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    foreach (var inner in operation.Descendants())
                    {
                        if (inner is ILocalReferenceOperation or IParameterReferenceOperation && FlowAnalysis.SymbolOf(inner) is { } name)
                        {
                            symbols.Add(name);
                        }
                    }
                }
            }

            return symbols;
        })!;
        return named.Contains(symbol);
    }

    private UserFetches? fetches;

    /// <summary>The reads of user memory into locals and what became of their values (UA3003), computed once on first use.</summary>
    public UserFetches Fetches => System.Threading.LazyInitializer.EnsureInitialized(ref fetches, () => UserFetches.Compute(this))!;

    /// <summary>Errors are returned as negative errnos: <c>[ReturnsErrno]</c> or <see cref="HasErrorReturn"/>.</summary>
    public bool ReturnsErrno => Annotations.ReturnsErrno || HasErrorReturn;
}
