using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// Refines the state on an edge where a branch condition took a known value: a conditional acquire
/// (killable returns 0, trylock returns true) holds its lock on its success edge only; a successful
/// <c>AccessOk(p, n)</c> marks <c>p</c> range-checked for <c>n</c> bytes; a byte count tested zero
/// holds no count any more; alignment, operand-range and null/flag tests go to their fact modules.
/// </summary>
internal sealed class BranchRefinement
{
    private const int MaxConditionDepth = 8;

    private readonly CompilationEngine engine;
    private readonly FlowTransfer transfer;

    public BranchRefinement(CompilationEngine engine, FlowTransfer transfer)
    {
        this.engine = engine;
        this.transfer = transfer;
    }

    /// <summary>The state on the edge where <paramref name="condition"/> evaluated to <paramref name="value"/>.</summary>
    public FlowState Assume(IOperation condition, bool value, FlowState state)
    {
        state = AlignmentFacts.Refine(condition, value, state);
        state = OperandRanges.Refine(condition, value, state);
        state = TruthFacts.Refine(condition, value, state);
        return AssumeCondition(condition, value, state, 0);
    }

    private FlowState AssumeCondition(IOperation condition, bool value, FlowState state, int depth)
    {
        if (depth > MaxConditionDepth)
        {
            return state;
        }

        var stripped = FlowAnalysis.Strip(condition);
        switch (stripped)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return AssumeCondition(not.Operand, !value, state, depth + 1);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                bool equals = binary.OperatorKind == BinaryOperatorKind.Equals ? value : !value;
                if (equals && (AccessRanges.IsNullPointer(binary.RightOperand) || AccessRanges.IsNullPointer(binary.LeftOperand)))
                {
                    return AccessRanges.Null(AccessRanges.IsNullPointer(binary.RightOperand) ? binary.LeftOperand : binary.RightOperand, state);
                }

                if (binary.RightOperand.ConstantValue is { HasValue: true } right)
                {
                    return AssumeEquals(binary.LeftOperand, right.Value, equals, state);
                }

                if (binary.LeftOperand.ConstantValue is { HasValue: true } left)
                {
                    return AssumeEquals(binary.RightOperand, left.Value, equals, state);
                }

                return state;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.GreaterThanOrEqual, RightOperand.ConstantValue: { HasValue: true } zero } relational
                when FlowAnalysis.ToLong(zero.Value) == 0:
                // 0-or-negative-errno results (killable locks): `< 0` is failure, `>= 0` success. A byte
                // count is never negative: where the value is, it holds no count.
                if (relational.OperatorKind == BinaryOperatorKind.LessThan ? value : !value)
                {
                    state = ForgetCount(relational.LeftOperand, state);
                }

                return AssumeEquals(relational.LeftOperand, 0, relational.OperatorKind == BinaryOperatorKind.GreaterThanOrEqual ? value : !value, state);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.GreaterThan or BinaryOperatorKind.LessThanOrEqual, RightOperand.ConstantValue: { HasValue: true } zero } positive
                when FlowAnalysis.ToLong(zero.Value) == 0:
                // A byte count is never negative: where it is not positive it is 0.
                bool notPositive = positive.OperatorKind == BinaryOperatorKind.LessThanOrEqual ? value : !value;
                return notPositive ? ForgetCount(positive.LeftOperand, state) : state;

            case IIsPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true } constant } } pattern:
                return AssumeEquals(pattern.Value, constant.Value, value, state);

            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true } negated } } } pattern:
                return AssumeEquals(pattern.Value, negated.Value, !value, state);

            case IInvocationOperation:
            case ILocalReferenceOperation:
            case ISimpleAssignmentOperation:
                return AssumeEquals(stripped, true, value, state);

            default:
                return state;
        }
    }

    private FlowState AssumeEquals(IOperation operand, object? constant, bool holds, FlowState state)
    {
        // `if ((ret = MutexLockKillable(m)) != 0)`: the test is of the value the local now holds.
        if (FlowAnalysis.Strip(operand) is ISimpleAssignmentOperation { Target: var target })
        {
            return AssumeEquals(target, constant, holds, state);
        }

        if (holds && FlowAnalysis.ToLong(constant) == 0)
        {
            state = ForgetCount(operand, state);
        }

        var stripped = FlowAnalysis.Strip(operand);
        var origin = stripped as IInvocationOperation;
        if (origin is null && FlowAnalysis.SymbolOf(stripped) is { } symbol)
        {
            // Only a value that comes from one call tells which lock or which check succeeded.
            origin = state.GetFact(symbol).SoleOrigin as IInvocationOperation;
        }

        if (origin is null)
        {
            return state;
        }

        var annotations = engine.GetAnnotations(origin.TargetMethod);
        if (annotations.IsConditionalAcquire && transfer.EffectsOf(origin, origin.TargetMethod, origin.Arguments, origin.Instance) is { } effects)
        {
            foreach (var acquire in effects.Acquires)
            {
                bool acquired;
                if (acquire.When == AcquireWhen.ReturnsZero && FlowAnalysis.ToLong(constant) is long number)
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

        // A status the check stands for (`AccessOk(p, n) ? 0 : -EFAULT`) is 0 where the check passed.
        if (annotations.IsAccessOkCheck && constant is not bool && FlowAnalysis.ToLong(constant) == 0 && !ReferenceEquals(FlowAnalysis.Strip(operand), origin))
        {
            constant = true;
        }

        if (annotations.IsAccessOkCheck && constant is bool expected && (holds ? expected : !expected)
            && FlowAnalysis.ArgumentFor(origin.TargetMethod, origin.Arguments, annotations.AccessOkPointer) is { } pointer)
        {
            state = AccessRanges.Check(pointer, FlowAnalysis.ArgumentFor(origin.TargetMethod, origin.Arguments, annotations.AccessOkSize), state);
        }

        // A callee that returned 0 made the checks it makes before succeeding (get_futex_key()).
        if (holds && FlowAnalysis.ToLong(constant) == 0 && transfer.EffectsOf(origin, origin.TargetMethod, origin.Arguments, origin.Instance) is { EstablishedOnSuccess.IsEmpty: false } established)
        {
            state = CalleeChecks.Apply(established, state);
        }

        return state;
    }

    /// <summary>
    /// A bytes-not-copied local known to be 0 (or negative) holds no count any more, only success: kernel code turns
    /// the count into an errno in place (<c>ret = copy_to_user(...); if (ret) ret = -EFAULT; return ret;</c>),
    /// and the path where the test failed carries 0 on.
    /// </summary>
    private static FlowState ForgetCount(IOperation operand, FlowState state)
    {
        if (FlowAnalysis.SymbolOf(FlowAnalysis.Strip(operand)) is not { } symbol)
        {
            return state;
        }

        var fact = state.GetFact(symbol);
        if ((fact.Kinds & ValueKinds.BytesNotCopied) == 0)
        {
            return state;
        }

        return state.SetFact(symbol, fact.WithKinds(fact.Kinds & ~ValueKinds.BytesNotCopied));
    }
}
