using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.CodeFixes.Support;

/// <summary>How a reference uses its variable.</summary>
internal enum ReferenceUse
{
    /// <summary>Reads the value only: replacing the variable by another holding the same value changes nothing.</summary>
    Read,

    /// <summary>Assigns it: <c>=</c>, a compound assignment, <c>++</c>, an <c>out</c> argument, a deconstruction target, a write to a field of a struct variable.</summary>
    Write,

    /// <summary>Anything whose effect the fixes do not follow: a <c>ref</c> argument or <c>ref</c> local (an alias), <c>&amp;x</c>, <c>nameof(x)</c>, a call on a struct variable, an unbound name.</summary>
    Other,
}

/// <summary>
/// The references to a variable inside a piece of syntax, found by binding (the name only narrows
/// down which identifiers to bind) and classified from their <see cref="IOperation"/>, so that a
/// fix can tell whether a variable is written anywhere, including inside lambdas and local
/// functions, before it moves a value or a use.
/// </summary>
internal static class VariableReferences
{
    /// <summary>Every identifier in <paramref name="scope"/> that binds to <paramref name="variable"/>, with its use, in source order.</summary>
    internal static List<(IdentifierNameSyntax Name, ReferenceUse Use)> In(SemanticModel model, SyntaxNode scope, ISymbol variable, CancellationToken cancellationToken)
    {
        var result = new List<(IdentifierNameSyntax, ReferenceUse)>();
        foreach (var node in scope.DescendantNodes())
        {
            if (node is IdentifierNameSyntax name
                && name.Identifier.ValueText == variable.Name
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, variable))
            {
                result.Add((name, UseOf(model, name, cancellationToken)));
            }
        }

        return result;
    }

    private static ReferenceUse UseOf(SemanticModel model, IdentifierNameSyntax name, CancellationToken cancellationToken)
    {
        if (name.Parent is RefExpressionSyntax || model.GetOperation(name, cancellationToken) is not { } reference)
        {
            return ReferenceUse.Other;
        }

        for (var ancestor = reference.Parent; ancestor is not null; ancestor = ancestor.Parent)
        {
            if (ancestor is INameOfOperation)
            {
                // nameof(x) is the variable's name, not its value: renaming the use changes a string.
                return ReferenceUse.Other;
            }
        }

        // A field of a struct variable is part of the variable: writing it writes the variable.
        var current = reference;
        while (current.Parent is IFieldReferenceOperation field && field.Instance == current && current.Type is { IsValueType: true })
        {
            current = field;
        }

        // A tuple on the left of a deconstruction assigns each of its elements.
        var target = current;
        while (target.Parent is ITupleOperation tuple)
        {
            target = tuple;
        }

        if (IsAssigned(current))
        {
            return ReferenceUse.Write;
        }

        switch (current.Parent)
        {
            case IArgumentOperation { Parameter.RefKind: RefKind.Out }:
                return ReferenceUse.Write;
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref }:
            case IAddressOfOperation:
                return ReferenceUse.Other;
            case IInvocationOperation or IPropertyReferenceOperation or IEventReferenceOperation when IsStructInstance(current):
                // A method or accessor of a struct may mutate the variable it is called on.
                return ReferenceUse.Other;
        }

        if (target != current && target.Parent is IDeconstructionAssignmentOperation deconstruction && deconstruction.Target == target)
        {
            return ReferenceUse.Write;
        }

        return ReferenceUse.Read;
    }

    private static bool IsAssigned(IOperation operation) => operation.Parent switch
    {
        ISimpleAssignmentOperation assignment => assignment.Target == operation,
        ICompoundAssignmentOperation compound => compound.Target == operation,
        ICoalesceAssignmentOperation coalesce => coalesce.Target == operation,
        IIncrementOrDecrementOperation => true,
        _ => false,
    };

    /// <summary>
    /// The receiver of a member of a struct that may mutate it: not a primitive or an enum, not a
    /// <c>readonly struct</c> (as <c>UserPtr</c> is), not a <c>readonly</c> member.
    /// </summary>
    private static bool IsStructInstance(IOperation operation)
    {
        if (operation.Type is not { IsValueType: true, SpecialType: SpecialType.None, TypeKind: not TypeKind.Enum, IsReadOnly: false })
        {
            return false;
        }

        return operation.Parent switch
        {
            IInvocationOperation invocation => invocation.Instance == operation && !invocation.TargetMethod.IsReadOnly,
            IPropertyReferenceOperation property => property.Instance == operation && (property.Property.GetMethod is not { IsReadOnly: true } || IsAssigned(property)),
            IEventReferenceOperation @event => @event.Instance == operation,
            _ => false,
        };
    }
}
