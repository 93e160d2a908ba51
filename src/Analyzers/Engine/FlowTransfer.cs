using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The transfer functions of <see cref="FlowState"/>: annotated (and summarised) calls enter and leave
/// regions and take and drop locks; assignments carry value facts; out/ref arguments and compound
/// writes kill them. The fixed-point iteration runs them with a <see cref="FlowRecorder"/> attached,
/// which keeps each block's last visit.
/// </summary>
internal sealed class FlowTransfer : IBlockTransfer<FlowState>
{
    private const int MaxExpressionDepth = 200;

    private readonly CompilationEngine engine;
    private readonly AnalysisRequest request;
    private readonly LocalAliases aliases;
    private readonly FlowCaptures captures;
    private OperationTable<CallEffects?> effectsCache = new();
    private readonly BranchRefinement refinement;

    // Made once: a method group passed as a delegate allocates a new delegate at every assignment visited.
    private readonly Func<IInvocationOperation, ReturnedPointer> returnedPointerOf;

    // The range checks the graph branches on, by their syntax: the condition of `AccessOk(p, n) ? 0 : -EFAULT`
    // (verify_area()'s errno) that the conditional's value stands for. Made at the first such branch.
    private Dictionary<SyntaxNode, IInvocationOperation>? checkBranches;

    public FlowTransfer(CompilationEngine engine, AnalysisRequest request, LocalAliases aliases, NoteReads reads)
    {
        captures = new FlowCaptures(reads);
        this.engine = engine;
        this.request = request;
        this.aliases = aliases;
        refinement = new BranchRefinement(engine, this);
        returnedPointerOf = ReturnedPointerOf;
    }

    /// <summary>Set while the fixed point runs (and for Debug's recording pass after it).</summary>
    public FlowRecorder? Recorder { get; set; }

    /// <summary>Set while the states before the operations are kept (<see cref="OperationStates"/>), after the fixed point.</summary>
    public OperationStates? States { get; set; }

    public FlowState TransferUnrecorded(BasicBlock block, FlowState input)
    {
        var recorder = Recorder;
        Recorder = null;
        try
        {
            return Transfer(block, input);
        }
        finally
        {
            Recorder = recorder;
        }
    }

    public FlowState Transfer(BasicBlock block, FlowState input)
    {
        var state = input;
        Recorder?.BeginBlock(block);
        foreach (var operation in block.Operations)
        {
            Recorder?.Statement(operation);
            state = Visit(operation, state, 0);
        }

        if (block.BranchValue is { } branchValue)
        {
            if (FlowAnalysis.Strip(branchValue) is IInvocationOperation check && engine.GetAnnotations(check.TargetMethod).IsAccessOkCheck)
            {
                (checkBranches ??= new Dictionary<SyntaxNode, IInvocationOperation>())[check.Syntax] = check;
            }

            state = Visit(branchValue, state, 0);
        }

        Recorder?.BlockEnd(block, state);
        return state;
    }

    public FlowState Refine(BasicBlock block, FlowState output, bool value) =>
        block.BranchValue is { } condition ? refinement.Assume(condition, value, output) : output;

    /// <summary>What a helper's summary says of the user pointer it returns (checked, computed, unknown).</summary>
    private ReturnedPointer ReturnedPointerOf(IInvocationOperation call) =>
        EffectsOf(call, call.TargetMethod, call.Arguments, call.Instance)?.ReturnedPointer ?? default;

    /// <summary>
    /// Drops the calls' effects computed so far: they name locks through the local aliases as they were
    /// when each call was first visited, and a later note may have changed what a local stands for.
    /// </summary>
    public void ForgetEffects() => effectsCache = new();

    /// <summary>The effects of an annotated or summarised call, computed once per call (until <see cref="ForgetEffects"/>).</summary>
    public CallEffects? EffectsOf(IOperation operation, IMethodSymbol? target, ImmutableArray<IArgumentOperation> arguments, IOperation? instance)
    {
        if (!effectsCache.TryGetValue(operation, out var effects))
        {
            effects = target is null ? null : engine.GetEffects(operation, target, arguments, instance, request, aliases);
            effectsCache.Set(operation, effects);
        }

        return effects;
    }

    /// <summary>The value kinds an operand holds: a tracked call's result, a symbol's fact, or a capture's values.</summary>
    public (ValueKinds Kinds, IOperation? Origin) KindsOf(IOperation operation, FlowState state)
    {
        var stripped = FlowAnalysis.Strip(operation);
        if (stripped is IInvocationOperation invocation)
        {
            return (KindsOfCall(invocation), invocation);
        }

        if (FlowAnalysis.SymbolOf(stripped) is { } symbol && state.GetFact(symbol) is var fact && fact.Kinds != ValueKinds.None)
        {
            return (fact.Kinds, fact.Origin);
        }

        if (stripped is IFlowCaptureReferenceOperation reference && captures.TryGetValue(reference.Id, out var captured))
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
        var stripped = FlowAnalysis.Strip(value);
        if (stripped is IInvocationOperation invocation)
        {
            var annotations = engine.GetAnnotations(invocation.TargetMethod);
            var kinds = KindsOfCall(invocation);
            return kinds != ValueKinds.None || annotations.IsConditionalAcquire || annotations.IsAccessOkCheck
                || EffectsOf(invocation, invocation.TargetMethod, invocation.Arguments, invocation.Instance) is { EstablishedOnSuccess.IsEmpty: false }
                ? new SymbolFact(kinds, invocation, false, null)
                : default;
        }

        if (FlowAnalysis.IsNegativeConstant(stripped))
        {
            return new SymbolFact(ValueKinds.Errno, null, false, null);
        }

        if (stripped is IFlowCaptureReferenceOperation && KindsOf(stripped, state) is { Kinds: not ValueKinds.None } captured)
        {
            return new SymbolFact(captured.Kinds, CheckStatusOf(stripped) ?? captured.Origin, false, null);
        }

        return FlowAnalysis.SymbolOf(stripped) is { } source ? state.GetFact(source) : default;
    }

    /// <summary>
    /// The range check a status value stands for: <c>AccessOk(p, n) ? 0 : -EFAULT</c> (the 0-or-errno of
    /// <c>verify_area()</c>) is 0 exactly where the check passed, so its value's origin is the check, and a
    /// test of it for 0 refines as the check would (<see cref="BranchRefinement"/>).
    /// </summary>
    private IInvocationOperation? CheckStatusOf(IOperation capture)
    {
        var syntax = capture.Syntax;
        while (syntax is Microsoft.CodeAnalysis.CSharp.Syntax.ParenthesizedExpressionSyntax parenthesized)
        {
            syntax = parenthesized.Expression;
        }

        return checkBranches is not null && syntax is Microsoft.CodeAnalysis.CSharp.Syntax.ConditionalExpressionSyntax conditional
            && conditional.WhenTrue is Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax { Token.Value: 0 }
            && conditional.WhenFalse is Microsoft.CodeAnalysis.CSharp.Syntax.PrefixUnaryExpressionSyntax { OperatorToken.Text: "-" }
            && checkBranches.TryGetValue(conditional.Condition, out var check)
                ? check
                : null;
    }

    private FlowState Visit(IOperation operation, FlowState state, int depth)
    {
        if (depth > MaxExpressionDepth)
        {
            return state;
        }

        States?.Before(operation, state);
        if (Recorder is { } recorder && operation is IFieldReferenceOperation or IPropertyReferenceOperation)
        {
            recorder.Member((IMemberReferenceOperation)operation, state);
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
                if (FlowAnalysis.SymbolOf(capture.Value) is { } capturedSymbol)
                {
                    captures.NoteSymbol(capture.Id, capturedSymbol);
                }

                var (capturedKinds, capturedOrigin) = KindsOf(capture.Value, state);
                if (FlowAnalysis.IsNegativeConstant(FlowAnalysis.Strip(capture.Value)))
                {
                    capturedKinds |= ValueKinds.Errno;
                }

                if (capturedKinds != ValueKinds.None)
                {
                    captures.NoteValue(capture.Id, capturedKinds, capturedOrigin);
                }

                return state;

            case ISimpleAssignmentOperation assignment:
                state = Visit(assignment.Value, state, depth + 1);
                if (TargetSymbol(assignment.Target) is { } assigned)
                {
                    if (FlowAnalysis.Strip(assignment.Target) is IFieldReferenceOperation target)
                    {
                        Recorder?.Member(target, state);
                    }

                    aliases.Note(assigned, FlowAnalysis.Strip(assignment.Value));
                    state = AccessRanges.Assign(assigned, assignment.Value, OperandRanges.Carry(assignment.Value, AlignmentFacts.Carry(assignment.Value, FactOf(assignment.Value, state), state), state), state, returnedPointerOf);
                    return TruthFacts.Assign(assigned, assignment.Value, state);
                }

                state = Visit(assignment.Target, state, depth + 1);

                // A field written through another object (pipe.Inode = inode): what a test of it said is gone.
                return FlowAnalysis.Strip(assignment.Target) is IFieldReferenceOperation { Field: { IsStatic: false } written }
                    ? TruthFacts.Assign(written, assignment.Value, state)
                    : state;

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
                Recorder?.Binary(binary, state);
                return state;

            default:
                foreach (var child in operation.ChildOperations)
                {
                    state = Visit(child, state, depth + 1);
                }

                return state;
        }
    }

    private FlowState Kill(IOperation target, FlowState state)
    {
        if (TargetSymbol(target) is not { } symbol)
        {
            return state;
        }

        aliases.Note(symbol, null);
        return TruthFacts.Forget(symbol, AccessRanges.Forget(symbol, state.SetFact(symbol, default)));
    }

    private ISymbol? TargetSymbol(IOperation target) =>
        target is IFlowCaptureReferenceOperation reference && captures.SymbolOf(reference.Id) is { } symbol
            ? symbol
            : FlowAnalysis.SymbolOf(target);

    private FlowState ApplyCall(IOperation operation, IMethodSymbol? target, ImmutableArray<IArgumentOperation> arguments, IOperation? instance, FlowState state)
    {
        var effects = EffectsOf(operation, target, arguments, instance);
        if (effects is not null)
        {
            Recorder?.Call(effects, state);

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
}
