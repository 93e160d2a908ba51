using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The forward dataflow pass over one control-flow graph. A worklist computes the fixed point of
/// the block input states (joins at merge points, widening after a few visits of a loop head, a hard
/// budget), then one recording pass over the reachable blocks collects what the rules read: annotated
/// calls with the state before them, comparisons and returns of tracked values, dropped results.
/// try/finally, using, goto and labels are the graph's edges; a finally region is entered from every
/// edge that crosses it and flows on to each of their destinations; a catch handler is entered with
/// the states of its try blocks.
/// </summary>
internal sealed class FlowAnalysis : ILocalAliases
{
    private const int MaxExpressionDepth = 200;
    private const int WidenAfterVisits = 5;

    private readonly CompilationEngine engine;
    private readonly AnalysisRequest request;
    private readonly ControlFlowGraph graph;
    private readonly IMethodSymbol method;
    private readonly FlowState?[] inputs;
    private readonly int[] visits;
    private readonly Queue<int> worklist = new();
    private readonly bool[] queued;
    private readonly Dictionary<ControlFlowRegion, List<BasicBlock>> finallyContinuations = new();
    private readonly Dictionary<int, List<int>> handlerEntries = new();
    private readonly Dictionary<IOperation, CallEffects?> effectsCache = new();

    // The graph captures an assignment's target before a conditional value (`ret = c ? a : b`):
    // remember which local a capture stands for, so the assignment still updates that local.
    private readonly Dictionary<CaptureId, ISymbol> capturedSymbols = new();

    // What the values captured for a conditional expression may be (`return ret != 0 ? -EFAULT : 0`):
    // the union over the branches, so a return of the capture is an error path.
    private readonly Dictionary<CaptureId, (ValueKinds Kinds, IOperation? Origin)> capturedValues = new();

    // Locals assigned once from a member chain (`var mm = task.Mm;`): lock identity looks through them.
    // A second, different assignment (or an out/ref/compound write) makes the local its own identity.
    private readonly Dictionary<ILocalSymbol, IOperation?> aliases = new(SymbolEqualityComparer.Default);

    private bool recording;
    private readonly ImmutableArray<CallSite>.Builder calls = ImmutableArray.CreateBuilder<CallSite>();
    private readonly ImmutableArray<ValueComparison>.Builder comparisons = ImmutableArray.CreateBuilder<ValueComparison>();
    private readonly ImmutableArray<ReturnSite>.Builder returns = ImmutableArray.CreateBuilder<ReturnSite>();
    private readonly ImmutableArray<IInvocationOperation>.Builder ignored = ImmutableArray.CreateBuilder<IInvocationOperation>();
    private readonly ImmutableArray<GuardedAccess>.Builder guarded = ImmutableArray.CreateBuilder<GuardedAccess>();
    private bool hasErrorReturn;

    private FlowAnalysis(CompilationEngine engine, AnalysisRequest request, ControlFlowGraph graph, IMethodSymbol method)
    {
        this.engine = engine;
        this.request = request;
        this.graph = graph;
        this.method = method;
        inputs = new FlowState?[graph.Blocks.Length];
        visits = new int[graph.Blocks.Length];
        queued = new bool[graph.Blocks.Length];
    }

    public static MethodAnalysis Run(CompilationEngine engine, AnalysisRequest request, ControlFlowGraph graph, IMethodSymbol method) =>
        new FlowAnalysis(engine, request, graph, method).Analyze();

    /// <summary>Removes conversions and parentheses the way the rules compare operands.</summary>
    public static IOperation Strip(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { Operand: { } inner }:
                    operation = inner;
                    continue;
                case IParenthesizedOperation { Operand: { } inner }:
                    operation = inner;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The local, parameter or field (of <c>this</c> or static) an expression names.</summary>
    public static ISymbol? SymbolOf(IOperation? operation)
    {
        if (operation is null)
        {
            return null;
        }

        return Strip(operation) switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation { Field.IsStatic: true } field => field.Field,
            IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field => field.Field,
            _ => null,
        };
    }

    private MethodAnalysis Analyze()
    {
        var blocks = graph.Blocks;
        var own = engine.GetAnnotations(method);
        Precompute();

        // The state the method's own annotations promise on entry ([RequiresLock], [RequiresAccessOk], ...): its callers are checked.
        var contract = MethodContract.Of(method, own, engine, request.Options);
        Merge(0, contract.Entry);
        int budget = (blocks.Length * 24) + 64;
        while (worklist.Count > 0 && budget-- > 0)
        {
            request.CancellationToken.ThrowIfCancellationRequested();
            int ordinal = worklist.Dequeue();
            queued[ordinal] = false;
            if (inputs[ordinal] is { } state)
            {
                Process(blocks[ordinal], state);
            }
        }

        recording = true;
        for (int i = 0; i < blocks.Length; i++)
        {
            if (inputs[i] is { } state)
            {
                Process(blocks[i], state);
            }
        }

        return new MethodAnalysis(
            method,
            graph,
            own,
            contract,
            ImmutableArray.Create(inputs),
            calls.ToImmutable(),
            comparisons.ToImmutable(),
            returns.ToImmutable(),
            ignored.ToImmutable(),
            guarded.ToImmutable(),
            inputs[blocks.Length - 1],
            hasErrorReturn,
            request.Options);
    }

    private void Precompute()
    {
        foreach (var block in graph.Blocks)
        {
            AddContinuations(block.ConditionalSuccessor);
            AddContinuations(block.FallThroughSuccessor);

            // Catch and filter handlers have no predecessors in the graph: enter them from their try blocks.
            for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndCatch } tryAndCatch)
                {
                    foreach (var handler in tryAndCatch.NestedRegions)
                    {
                        if (handler.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.FilterAndHandler)
                        {
                            if (!handlerEntries.TryGetValue(block.Ordinal, out var list))
                            {
                                handlerEntries[block.Ordinal] = list = new List<int>();
                            }

                            list.Add(handler.FirstBlockOrdinal);
                        }
                    }
                }
            }
        }
    }

    private void AddContinuations(ControlFlowBranch? branch)
    {
        if (branch is null || branch.FinallyRegions.IsEmpty)
        {
            return;
        }

        var finallys = branch.FinallyRegions;
        for (int i = 0; i < finallys.Length; i++)
        {
            var next = i + 1 < finallys.Length ? graph.Blocks[finallys[i + 1].FirstBlockOrdinal] : branch.Destination;
            if (next is null)
            {
                continue;
            }

            if (!finallyContinuations.TryGetValue(finallys[i], out var list))
            {
                finallyContinuations[finallys[i]] = list = new List<BasicBlock>();
            }

            if (!list.Contains(next))
            {
                list.Add(next);
            }
        }
    }

    private void Merge(int ordinal, FlowState state)
    {
        var old = inputs[ordinal];
        FlowState next;
        if (old is null)
        {
            next = state;
        }
        else
        {
            next = old.Join(state);
            if (++visits[ordinal] > WidenAfterVisits)
            {
                next = old.Widen(next);
            }

            if (next.Equals(old))
            {
                return;
            }
        }

        inputs[ordinal] = next;
        if (!queued[ordinal])
        {
            queued[ordinal] = true;
            worklist.Enqueue(ordinal);
        }
    }

    private void Process(BasicBlock block, FlowState state)
    {
        if (!recording && handlerEntries.TryGetValue(block.Ordinal, out var handlers))
        {
            foreach (int handler in handlers)
            {
                Merge(handler, state);
            }
        }

        foreach (var operation in block.Operations)
        {
            if (recording && operation is IExpressionStatementOperation { Operation: IInvocationOperation statement } && engine.GetAnnotations(statement.TargetMethod).MustCheck)
            {
                ignored.Add(statement);
            }

            state = Visit(operation, state, 0);
        }

        var branchValue = block.BranchValue;
        if (branchValue is not null)
        {
            state = Visit(branchValue, state, 0);
        }

        if (recording)
        {
            if (branchValue is not null && block.FallThroughSuccessor is { Semantics: ControlFlowBranchSemantics.Return })
            {
                RecordReturn(branchValue, state);
            }

            return;
        }

        if (branchValue is not null && block.ConditionKind != ControlFlowConditionKind.None)
        {
            bool conditionalWhen = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
            Propagate(block, block.ConditionalSuccessor, Assume(branchValue, conditionalWhen, state, 0));
            Propagate(block, block.FallThroughSuccessor, Assume(branchValue, !conditionalWhen, state, 0));
        }
        else
        {
            Propagate(block, block.ConditionalSuccessor, state);
            Propagate(block, block.FallThroughSuccessor, state);
        }
    }

    private void Propagate(BasicBlock from, ControlFlowBranch? branch, FlowState state)
    {
        if (branch is null)
        {
            return;
        }

        if (!branch.FinallyRegions.IsEmpty)
        {
            Merge(branch.FinallyRegions[0].FirstBlockOrdinal, state);
            return;
        }

        if (branch.Destination is { } destination)
        {
            Merge(destination.Ordinal, state);
            return;
        }

        if (branch.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
        {
            // The end of a finally: continue to every destination of the edges that entered it.
            for (var region = from.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                if (region.Kind == ControlFlowRegionKind.Finally)
                {
                    if (finallyContinuations.TryGetValue(region, out var continuations))
                    {
                        foreach (var next in continuations)
                        {
                            Merge(next.Ordinal, state);
                        }
                    }

                    break;
                }
            }
        }
    }

    private void RecordReturn(IOperation value, FlowState state)
    {
        var stripped = Strip(value);
        var (kinds, origin) = KindsOf(stripped, state);
        returns.Add(new ReturnSite(stripped, kinds, origin, state));
        var returnType = method.ReturnType.SpecialType;
        if (returnType is SpecialType.System_Int32 or SpecialType.System_Int64)
        {
            if (IsNegativeConstant(stripped) || (kinds & ValueKinds.Errno) != 0)
            {
                hasErrorReturn = true;
            }
        }
    }

    private static bool IsNegativeConstant(IOperation operation) =>
        operation.ConstantValue is { HasValue: true, Value: { } value } && value switch
        {
            int i => i < 0,
            long l => l < 0,
            short s => s < 0,
            sbyte b => b < 0,
            _ => false,
        };

    private (ValueKinds Kinds, IOperation? Origin) KindsOf(IOperation operation, FlowState state)
    {
        var stripped = Strip(operation);
        if (stripped is IInvocationOperation invocation)
        {
            return (KindsOfCall(invocation), invocation);
        }

        if (SymbolOf(stripped) is { } symbol && state.GetFact(symbol) is var fact && fact.Kinds != ValueKinds.None)
        {
            return (fact.Kinds, fact.Origin);
        }

        if (stripped is IFlowCaptureReferenceOperation reference && capturedValues.TryGetValue(reference.Id, out var captured))
        {
            return captured;
        }

        return (ValueKinds.None, null);
    }

    private ValueKinds KindsOfCall(IInvocationOperation invocation)
    {
        var annotations = engine.GetAnnotations(invocation.TargetMethod);
        var kinds = ValueKinds.None;
        if (annotations.ReturnsBytesNotCopied)
        {
            kinds |= ValueKinds.BytesNotCopied;
        }

        if (annotations.ReturnsErrno)
        {
            kinds |= ValueKinds.Errno;
        }

        if (annotations.ReturnsBytesNotFaultedIn)
        {
            kinds |= ValueKinds.FaultInResult;
        }

        return kinds;
    }

    private SymbolFact FactOf(IOperation value, FlowState state)
    {
        var stripped = Strip(value);
        if (stripped is IInvocationOperation invocation)
        {
            var annotations = engine.GetAnnotations(invocation.TargetMethod);
            var kinds = KindsOfCall(invocation);
            return kinds != ValueKinds.None || annotations.IsConditionalAcquire || annotations.IsAccessOkCheck
                || EffectsOf(invocation, invocation.TargetMethod, invocation.Arguments, invocation.Instance) is { EstablishedOnSuccess.IsEmpty: false }
                ? new SymbolFact(kinds, invocation, false, null)
                : default;
        }

        if (IsNegativeConstant(stripped))
        {
            return new SymbolFact(ValueKinds.Errno, null, false, null);
        }

        if (stripped is IFlowCaptureReferenceOperation && KindsOf(stripped, state) is { Kinds: not ValueKinds.None } captured)
        {
            return new SymbolFact(captured.Kinds, captured.Origin, false, null);
        }

        return SymbolOf(stripped) is { } source ? state.GetFact(source) : default;
    }

    private FlowState Visit(IOperation operation, FlowState state, int depth)
    {
        if (depth > MaxExpressionDepth)
        {
            return state;
        }

        if (recording && operation is IFieldReferenceOperation or IPropertyReferenceOperation)
        {
            RecordGuarded((IMemberReferenceOperation)operation, state);
        }

        switch (operation)
        {
            case IFlowAnonymousFunctionOperation:
            case IAnonymousFunctionOperation:
            case ILocalFunctionOperation:
                return state;

            case IInvocationOperation invocation:
                if (invocation.Instance is { } instance)
                {
                    state = Visit(instance, state, depth + 1);
                }

                foreach (var argument in invocation.Arguments)
                {
                    state = Visit(argument, state, depth + 1);
                }

                return ApplyCall(invocation, invocation.TargetMethod, invocation.Arguments, invocation.Instance, state);

            case IObjectCreationOperation creation:
                foreach (var argument in creation.Arguments)
                {
                    state = Visit(argument, state, depth + 1);
                }

                if (creation.Initializer is { } initializer)
                {
                    state = Visit(initializer, state, depth + 1);
                }

                return creation.Constructor is { } constructor
                    ? ApplyCall(creation, constructor, creation.Arguments, null, state)
                    : state;

            case IFlowCaptureOperation capture:
                state = Visit(capture.Value, state, depth + 1);
                if (SymbolOf(capture.Value) is { } capturedSymbol)
                {
                    capturedSymbols[capture.Id] = capturedSymbol;
                }

                var (capturedKinds, capturedOrigin) = KindsOf(capture.Value, state);
                if (IsNegativeConstant(Strip(capture.Value)))
                {
                    capturedKinds |= ValueKinds.Errno;
                }

                if (capturedKinds != ValueKinds.None)
                {
                    capturedValues[capture.Id] = capturedValues.TryGetValue(capture.Id, out var known)
                        ? (known.Kinds | capturedKinds, known.Origin ?? capturedOrigin)
                        : (capturedKinds, capturedOrigin);
                }

                return state;

            case ISimpleAssignmentOperation assignment:
                state = Visit(assignment.Value, state, depth + 1);
                if (TargetSymbol(assignment.Target) is { } assigned)
                {
                    if (recording && Strip(assignment.Target) is IFieldReferenceOperation target)
                    {
                        RecordGuarded(target, state);
                    }

                    NoteAlias(assigned, Strip(assignment.Value));
                    return AccessRanges.Assign(assigned, assignment.Value, AlignmentFacts.Carry(assignment.Value, FactOf(assignment.Value, state), state), state, ReturnedPointerOf);
                }

                return Visit(assignment.Target, state, depth + 1);

            case ICompoundAssignmentOperation compound:
                state = Visit(compound.Value, state, depth + 1);
                state = Visit(compound.Target, state, depth + 1);
                return AccessRanges.Advance(compound.Target, compound.Value, compound.OperatorKind != BinaryOperatorKind.Add, state, Kill(compound.Target, state));

            case IIncrementOrDecrementOperation increment:
                state = Visit(increment.Target, state, depth + 1);
                return AccessRanges.Advance(increment.Target, null, increment.Kind == OperationKind.Decrement, state, Kill(increment.Target, state));

            case IBinaryOperation binary:
                state = Visit(binary.LeftOperand, state, depth + 1);
                state = Visit(binary.RightOperand, state, depth + 1);
                if (recording && IsComparison(binary.OperatorKind))
                {
                    RecordComparison(binary, binary.LeftOperand, binary.RightOperand, state);
                    RecordComparison(binary, binary.RightOperand, binary.LeftOperand, state);
                }

                return state;

            default:
                foreach (var child in operation.ChildOperations)
                {
                    state = Visit(child, state, depth + 1);
                }

                return state;
        }
    }

    private void RecordGuarded(IMemberReferenceOperation reference, FlowState state)
    {
        if (engine.GuardOf(reference.Member) is { } guard
            && LockResolver.ResolveGuard(reference, guard, engine, request.Options, this) is { } id)
        {
            guarded.Add(new GuardedAccess(reference, id, state));
        }
    }

    private static bool IsComparison(BinaryOperatorKind kind) => kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
        or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;

    private void RecordComparison(IBinaryOperation binary, IOperation operand, IOperation other, FlowState state)
    {
        var stripped = Strip(operand);
        var (kinds, origin) = KindsOf(stripped, state);
        if (kinds != ValueKinds.None)
        {
            comparisons.Add(new ValueComparison(binary, stripped, Strip(other), kinds, origin, state));
        }
    }

    private FlowState Kill(IOperation target, FlowState state)
    {
        if (TargetSymbol(target) is not { } symbol)
        {
            return state;
        }

        NoteAlias(symbol, null);
        return AccessRanges.Forget(symbol, state.SetFact(symbol, default));
    }

    public IOperation? AliasOf(ILocalSymbol local) => aliases.TryGetValue(local, out var value) ? value : null;

    private void NoteAlias(ISymbol assigned, IOperation? value)
    {
        if (assigned is not ILocalSymbol local)
        {
            return;
        }

        bool chain = value is IParameterReferenceOperation or ILocalReferenceOperation or IFieldReferenceOperation
            or IPropertyReferenceOperation { Arguments.Length: 0 };
        if (!aliases.TryGetValue(local, out var known))
        {
            aliases[local] = chain ? value : null;
        }
        else if (!ReferenceEquals(known, value))
        {
            aliases[local] = null;
        }
    }

    private ISymbol? TargetSymbol(IOperation target) =>
        target is IFlowCaptureReferenceOperation reference && capturedSymbols.TryGetValue(reference.Id, out var symbol)
            ? symbol
            : SymbolOf(target);

    private ReturnedPointer ReturnedPointerOf(IInvocationOperation call) =>
        EffectsOf(call, call.TargetMethod, call.Arguments, call.Instance)?.ReturnedPointer ?? default;

    private CallEffects? EffectsOf(IOperation operation, IMethodSymbol? target, ImmutableArray<IArgumentOperation> arguments, IOperation? instance)
    {
        if (!effectsCache.TryGetValue(operation, out var effects))
        {
            effects = target is null ? null : engine.GetEffects(operation, target, arguments, instance, request, this);
            effectsCache[operation] = effects;
        }

        return effects;
    }

    private FlowState ApplyCall(IOperation operation, IMethodSymbol? target, ImmutableArray<IArgumentOperation> arguments, IOperation? instance, FlowState state)
    {
        var effects = EffectsOf(operation, target, arguments, instance);
        if (effects is not null)
        {
            if (recording)
            {
                calls.Add(new CallSite(effects, state));
            }

            foreach (var region in effects.Exits)
            {
                state = state.Exit(region);
            }

            foreach (var region in effects.Enters)
            {
                state = state.Enter(region, operation);
            }

            foreach (var released in effects.Releases)
            {
                state = state.Release(released.Id);
            }

            foreach (var acquired in effects.Acquires)
            {
                if (acquired.When == AcquireWhen.Always)
                {
                    state = state.Acquire(acquired.Id, acquired.Shared, operation);
                }
            }
        }

        // out/ref arguments are written by the call: what was known about them is gone.
        foreach (var argument in arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Out or RefKind.Ref })
            {
                state = Kill(argument.Value, state);
            }
        }

        return state;
    }

    /// <summary>
    /// Refines the state on an edge where <paramref name="condition"/> evaluated to <paramref name="value"/>:
    /// a conditional acquire (killable returns 0, trylock returns true) holds its lock on its success
    /// edge only; a successful <c>AccessOk(p, n)</c> marks <c>p</c> range-checked for <c>n</c> bytes.
    /// </summary>
    private FlowState Assume(IOperation condition, bool value, FlowState state, int depth)
    {
        if (depth > 8)
        {
            return state;
        }

        if (depth == 0)
        {
            state = AlignmentFacts.Refine(condition, value, state);
            state = OperandRanges.Refine(condition, value, state);
        }

        var stripped = Strip(condition);
        switch (stripped)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Assume(not.Operand, !value, state, depth + 1);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                bool equals = binary.OperatorKind == BinaryOperatorKind.Equals ? value : !value;
                if (binary.RightOperand.ConstantValue is { HasValue: true } right)
                {
                    return AssumeEquals(binary.LeftOperand, right.Value, equals, state);
                }

                if (binary.LeftOperand.ConstantValue is { HasValue: true } left)
                {
                    return AssumeEquals(binary.RightOperand, left.Value, equals, state);
                }

                return state;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.GreaterThanOrEqual, RightOperand.ConstantValue: { HasValue: true, Value: 0 } } relational:
                // 0-or-negative-errno results (killable locks): `< 0` is failure, `>= 0` success.
                return AssumeEquals(relational.LeftOperand, 0, relational.OperatorKind == BinaryOperatorKind.GreaterThanOrEqual ? value : !value, state);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.GreaterThan or BinaryOperatorKind.LessThanOrEqual, RightOperand.ConstantValue: { HasValue: true, Value: 0 } } positive:
                // A byte count is never negative: where it is not positive it is 0.
                bool notPositive = positive.OperatorKind == BinaryOperatorKind.LessThanOrEqual ? value : !value;
                return notPositive ? ForgetZeroCount(positive.LeftOperand, state) : state;

            case IIsPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true } constant } } pattern:
                return AssumeEquals(pattern.Value, constant.Value, value, state);

            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true } negated } } } pattern:
                return AssumeEquals(pattern.Value, negated.Value, !value, state);

            case IInvocationOperation:
            case ILocalReferenceOperation:
                return AssumeEquals(stripped, true, value, state);

            default:
                return state;
        }
    }

    private FlowState AssumeEquals(IOperation operand, object? constant, bool holds, FlowState state)
    {
        if (holds && ToLong(constant) == 0)
        {
            state = ForgetZeroCount(operand, state);
        }

        var stripped = Strip(operand);
        var origin = stripped as IInvocationOperation;
        if (origin is null && SymbolOf(stripped) is { } symbol)
        {
            origin = state.GetFact(symbol).Origin as IInvocationOperation;
        }

        if (origin is null)
        {
            return state;
        }

        var annotations = engine.GetAnnotations(origin.TargetMethod);
        if (annotations.IsConditionalAcquire && EffectsOf(origin, origin.TargetMethod, origin.Arguments, origin.Instance) is { } effects)
        {
            foreach (var acquire in effects.Acquires)
            {
                bool acquired;
                if (acquire.When == AcquireWhen.ReturnsZero && ToLong(constant) is long number)
                {
                    acquired = number == 0 ? holds : !holds;
                }
                else if (acquire.When == AcquireWhen.ReturnsTrue && constant is bool flag)
                {
                    acquired = holds ? flag : !flag;
                }
                else
                {
                    continue;
                }

                if (acquired)
                {
                    state = state.Acquire(acquire.Id, acquire.Shared, origin);
                }
            }
        }

        if (annotations.IsAccessOkCheck && constant is bool expected && (holds ? expected : !expected)
            && ArgumentFor(origin.TargetMethod, origin.Arguments, annotations.AccessOkPointer) is { } pointer)
        {
            state = AccessRanges.Check(pointer, ArgumentFor(origin.TargetMethod, origin.Arguments, annotations.AccessOkSize), state);
        }

        // A callee that returned 0 made the checks it makes before succeeding (get_futex_key()).
        if (holds && ToLong(constant) == 0 && EffectsOf(origin, origin.TargetMethod, origin.Arguments, origin.Instance) is { EstablishedOnSuccess.IsEmpty: false } established)
        {
            state = CalleeChecks.Apply(established, state);
        }

        return state;
    }

    /// <summary>
    /// A bytes-not-copied local known to be 0 holds no count any more, only success: kernel code turns
    /// the count into an errno in place (<c>ret = copy_to_user(...); if (ret) ret = -EFAULT; return ret;</c>),
    /// and the path where the test failed carries 0 on.
    /// </summary>
    private static FlowState ForgetZeroCount(IOperation operand, FlowState state)
    {
        if (SymbolOf(Strip(operand)) is not { } symbol)
        {
            return state;
        }

        var fact = state.GetFact(symbol);
        if ((fact.Kinds & ValueKinds.BytesNotCopied) == 0)
        {
            return state;
        }

        return state.SetFact(symbol, new SymbolFact(fact.Kinds & ~ValueKinds.BytesNotCopied, fact.Origin, fact.AccessChecked, fact.CheckedSize, fact.Alignment, fact.Range, fact.Access));
    }

    /// <summary>The argument passed for the parameter named <paramref name="name"/>.</summary>
    public static IOperation? ArgumentFor(IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, string? name)
    {
        if (name is null)
        {
            return null;
        }

        foreach (var argument in arguments)
        {
            if (argument.Parameter is { } parameter && parameter.Name == name)
            {
                return argument.Value;
            }
        }

        return null;
    }

    public static long? ToLong(object? value) => value switch
    {
        int i => i,
        long l => l,
        uint u => u,
        ulong ul => (long)ul,
        short s => s,
        ushort us => us,
        byte b => b,
        sbyte sb => sb,
        _ => null,
    };
}
