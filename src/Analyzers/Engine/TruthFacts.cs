using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>What a condition <c>if (x)</c> would find a variable to be, as C tests a pointer or a flag.</summary>
internal enum Truth
{
    Unknown = 0,

    /// <summary>Null or false.</summary>
    Zero,

    /// <summary>Not null, or true.</summary>
    NonZero,
}

/// <summary>
/// Whether a local or parameter holding a reference or a flag is null/false or not, on every path
/// to a point: set by assigning <c>null</c>, <c>false</c> or <c>true</c>, and on the edges of tests of
/// it (<c>vma != null</c>, <c>if (locked)</c>). It is what lets a lock taken on some paths only be
/// released by a test of the variable that says which (<see cref="LockGuards"/>). Integers are not
/// followed: every local that holds a count or an errno would carry a fact at every point. A field of a
/// local, parameter or <c>this</c> is followed too, as the kernel tests a member and acts on the same test
/// later (<c>if (pipe-&gt;inode) mutex_lock(&amp;pipe-&gt;inode-&gt;i_mutex);</c>, the unlock under the same test): its
/// fact is forgotten when the field is written (through any object) or a variable of the type that
/// declares it is, and is taken to survive the calls between the tests, as the kernel's code takes it.
/// </summary>
internal static class TruthFacts
{
    /// <summary>The state after <c>target = value</c>: the value's truth when it is a constant, and no lock is told apart by the old one.</summary>
    public static FlowState Assign(ISymbol target, IOperation value, FlowState state)
    {
        state = Forget(target, state);
        if (!IsFollowed(target))
        {
            return state;
        }

        var truth = Of(value);
        return truth == Truth.Unknown ? state : state.SetFact(target, state.GetFact(target).WithTruth(truth));
    }

    /// <summary>The state on the edge where <paramref name="condition"/> took <paramref name="value"/>.</summary>
    public static FlowState Refine(IOperation condition, bool value, FlowState state)
    {
        if (Tested(condition, value) is not var (symbol, truth))
        {
            return state;
        }

        state = state.SetFact(symbol, state.GetFact(symbol).WithTruth(truth));
        return LockGuards.Resolve(symbol, truth, state);
    }

    /// <summary>The followed variable <paramref name="condition"/> tests, and what it is on the edge where the condition took <paramref name="value"/>.</summary>
    public static (ISymbol Symbol, Truth Truth)? Tested(IOperation condition, bool value)
    {
        var stripped = FlowAnalysis.Strip(condition);
        for (int depth = 0; depth < 8 && stripped is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not; depth++)
        {
            stripped = FlowAnalysis.Strip(not.Operand);
            value = !value;
        }

        IOperation? tested = null;
        bool nonZero = value;
        switch (stripped)
        {
            case ILocalReferenceOperation or IParameterReferenceOperation:
                tested = stripped;
                break;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                var right = Of(binary.RightOperand);
                var constant = right != Truth.Unknown ? right : Of(binary.LeftOperand);
                tested = right != Truth.Unknown ? binary.LeftOperand : binary.RightOperand;
                if (constant == Truth.Unknown)
                {
                    return null;
                }

                // x == null on the true edge is Zero; x != null on it is NonZero.
                bool equals = binary.OperatorKind == BinaryOperatorKind.Equals ? value : !value;
                nonZero = equals == (constant == Truth.NonZero);
                break;

            case IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var pattern } } isNull when Of(pattern) == Truth.Zero:
                tested = isNull.Value;
                nonZero = !value;
                break;

            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation { Value: var negated } } } isNotNull when Of(negated) == Truth.Zero:
                tested = isNotNull.Value;
                nonZero = value;
                break;
        }

        return (FlowAnalysis.SymbolOf(tested) ?? MemberOf(tested)) is { } symbol && IsFollowed(symbol)
            ? (symbol, nonZero ? Truth.NonZero : Truth.Zero)
            : null;
    }

    /// <summary>
    /// A local or a by-value parameter holding a reference or a <c>bool</c>: nothing but the method's own
    /// assignments changes it; or an instance field of that type.
    /// </summary>
    public static bool IsFollowed(ISymbol symbol) => symbol switch
    {
        ILocalSymbol { IsRef: false } local => IsFollowed(local.Type),
        IParameterSymbol { RefKind: RefKind.None } parameter => IsFollowed(parameter.Type),
        IFieldSymbol { IsStatic: false, IsConst: false } field => IsFollowed(field.Type),
        _ => false,
    };

    /// <summary>The field <paramref name="operation"/> reads from a local or parameter (<c>pipe.Inode</c>); <c>null</c> for anything else.</summary>
    public static IFieldSymbol? MemberOf(IOperation? operation) =>
        operation is not null && FlowAnalysis.Strip(operation) is IFieldReferenceOperation { Field.IsStatic: false, Instance: ILocalReferenceOperation or IParameterReferenceOperation } member
            ? member.Field
            : null;

    /// <summary>
    /// The state after any write to <paramref name="target"/> (an assignment, an <c>out</c> or <c>ref</c> argument):
    /// no lock is told apart by its old value, nor by the fields of the object it held.
    /// </summary>
    public static FlowState Forget(ISymbol target, FlowState state) => ForgetMembersOf(target, LockGuards.Forget(target, state));

    /// <summary>After a write to <paramref name="target"/>, the facts of the fields of its type no longer hold: it may be another object.</summary>
    private static FlowState ForgetMembersOf(ISymbol target, FlowState state)
    {
        var type = target switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            _ => null,
        };
        if (type is not { IsReferenceType: true })
        {
            return state;
        }

        // A member's fact may be known here, or gone at a merge while a lock it guards still names it.
        List<ISymbol>? stale = null;
        foreach (var entry in state.Facts)
        {
            if (entry.Key is IFieldSymbol field && IsMemberOf(field, type))
            {
                (stale ??= new List<ISymbol>()).Add(field);
            }
        }

        foreach (var held in state.Locks)
        {
            foreach (var guard in held.Guards)
            {
                if (guard.Symbol is IFieldSymbol field && IsMemberOf(field, type))
                {
                    (stale ??= new List<ISymbol>()).Add(field);
                }
            }
        }

        foreach (var field in stale ?? Enumerable.Empty<ISymbol>())
        {
            state = LockGuards.Forget(field, state.GetFact(field).Truth == Truth.Unknown ? state : state.SetFact(field, state.GetFact(field).WithTruth(Truth.Unknown)));
        }

        return state;
    }

    private static bool IsMemberOf(IFieldSymbol field, ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, field.ContainingType.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFollowed(ITypeSymbol type) => type.SpecialType == SpecialType.System_Boolean || type.IsReferenceType;

    /// <summary>A constant's truth: <c>null</c> and <c>false</c> are zero, <c>true</c> is not.</summary>
    private static Truth Of(IOperation value) => FlowAnalysis.Strip(value).ConstantValue switch
    {
        { HasValue: true, Value: null } => Truth.Zero,
        { HasValue: true, Value: bool flag } => flag ? Truth.NonZero : Truth.Zero,
        _ => Truth.Unknown,
    };
}
