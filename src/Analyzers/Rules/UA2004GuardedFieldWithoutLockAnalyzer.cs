using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA2004: a <c>[GuardedBy]</c> field or property read without its lock held (in either mode) on
/// every path, or raised or overwritten (assigned, incremented, added to, passed by <c>ref</c>,
/// changed through <c>Interlocked</c>) without it held exclusively. The lock is resolved against the
/// access's own receiver (<c>ctx.MmapChanging</c> is guarded by <c>ctx.MapChangingLock</c>);
/// <c>[RequiresLock]</c> holds a lock from the method's entry. Not reported: a decrement (it only
/// lowers the flag); a lock-free read that only decides an early error return in a method that
/// reads the member again with the lock held before it acts; accesses in a constructor to the
/// object it builds, or to an object the method created and has not yet handed to anyone; lambdas
/// and local functions (the locks their caller holds are unknown); a receiver or lock the engine
/// cannot name. Reported on the member access.
/// </summary>
public sealed class UA2004GuardedFieldWithoutLockAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.GuardedFieldWithoutLock,
        "Guarded field accessed without its lock",
        "'{0}' is {1} without '{2}' held{3}",
        "UserAccess.Locking",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "userfaultfd's mmap_changing is raised with map_changing_lock held for write and read with it held for read, so that no uffdio operation runs concurrently with an event the monitor has not seen.",
        helpLinkUri: HelpLink(DiagnosticIds.GuardedFieldWithoutLock));

    private enum Use
    {
        Read,
        Change,
        Lower,
    }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        if (analysis.Method.MethodKind is MethodKind.AnonymousFunction or MethodKind.LocalFunction)
        {
            return;
        }

        foreach (var access in analysis.GuardedAccesses)
        {
            var use = UseOf(access.Reference);
            if (use == Use.Lower || IsUnpublished(analysis.Method, access.Reference))
            {
                continue;
            }

            var held = access.State.FindLock(access.Guard);
            if (held is { Definite: true } h && (use == Use.Read || !h.Shared))
            {
                continue;
            }

            if (use == Use.Read && IsRecheckedHint(analysis, access))
            {
                continue;
            }

            report(new DiagnosticData()
                .Property(DiagnosticProperties.LockExpression, access.Guard.Display)
                .Property(DiagnosticProperties.LockShared, use == Use.Read ? "true" : "false")
                .Property(DiagnosticProperties.LockHeld, held is null ? null : "true")
                .Create(
                    Rule,
                    access.Reference,
                    access.Reference.Syntax.ToString(),
                    use == Use.Read ? "read" : "changed",
                    access.Guard.Display,
                    use == Use.Read ? string.Empty : " exclusively"));
        }
    }

    /// <summary>What the access does to the member, from the operation that uses it.</summary>
    private static Use UseOf(IMemberReferenceOperation reference)
    {
        IOperation child = reference;
        var parent = reference.Parent;
        while (parent is IParenthesizedOperation)
        {
            child = parent;
            parent = parent.Parent;
        }

        switch (parent)
        {
            case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Target, child):
            case ICoalesceAssignmentOperation coalesce when ReferenceEquals(coalesce.Target, child):
            case IAddressOfOperation:
                return Use.Change;
            case ICompoundAssignmentOperation compound when ReferenceEquals(compound.Target, child):
                // `x -= 1` lowers the flag as `--` does; any other compound assignment may raise it.
                return compound.OperatorKind == BinaryOperatorKind.Subtract
                    && FlowAnalysis.ToLong(compound.Value.ConstantValue.HasValue ? compound.Value.ConstantValue.Value : null) is >= 0
                    ? Use.Lower
                    : Use.Change;
            case IIncrementOrDecrementOperation step:
                return step.Kind == OperationKind.Decrement ? Use.Lower : Use.Change;
            case IArgumentOperation { Parameter: { } parameter } argument when parameter.RefKind is RefKind.Ref or RefKind.Out:
                if (argument.Parent is IInvocationOperation invocation && invocation.TargetMethod.ContainingType is { } type)
                {
                    var name = type.ToDisplayString();
                    if (name == "System.Threading.Interlocked" && invocation.TargetMethod.Name == "Decrement")
                    {
                        return Use.Lower;
                    }

                    // Volatile.Read and Interlocked.Read take the location by ref only to read it.
                    if ((name == "System.Threading.Volatile" || name == "System.Threading.Interlocked") && invocation.TargetMethod.Name == "Read")
                    {
                        return Use.Read;
                    }
                }

                return Use.Change;
            default:
                return Use.Read;
        }
    }

    /// <summary>
    /// The constructor's own object, or a local the method created with <c>new</c> and has only
    /// reached through member accesses so far: no other thread can see it yet.
    /// </summary>
    private static bool IsUnpublished(IMethodSymbol method, IMemberReferenceOperation reference)
    {
        if (method.MethodKind == MethodKind.StaticConstructor && reference.Member.IsStatic)
        {
            return true;
        }

        var instance = reference.Instance is null ? null : FlowAnalysis.Strip(reference.Instance);
        if (method.MethodKind == MethodKind.Constructor && instance is IInstanceReferenceOperation)
        {
            return true;
        }

        if (instance is not ILocalReferenceOperation { Local: var local }
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax
            {
                Initializer.Value: ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax,
            } declarator)
        {
            return false;
        }

        var body = declarator.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (body is null)
        {
            return false;
        }

        int at = reference.Syntax.SpanStart;
        foreach (var token in body.DescendantTokens())
        {
            if (token.SpanStart <= declarator.SpanStart || token.SpanStart >= at
                || !token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != local.Name
                || token.Parent is not IdentifierNameSyntax name)
            {
                continue;
            }

            // `obj.Field = ...` keeps it private; passing it, storing it, calling a method on it or
            // capturing it may hand it to another thread.
            if (name.Parent is not MemberAccessExpressionSyntax member || member.Expression != name
                || member.Parent is InvocationExpressionSyntax || name.Ancestors().Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The fast-path hint: a read that only decides an early error return (<c>if (ctx.MmapChanging
    /// != 0) return -EAGAIN;</c>), in a method that reads the member again with the lock held
    /// later, where the decision that counts is taken.
    /// </summary>
    private static bool IsRecheckedHint(MethodAnalysis analysis, GuardedAccess access)
    {
        var syntax = access.Reference.Syntax;
        var conditional = syntax.Ancestors().TakeWhile(a => a is ExpressionSyntax or ArgumentSyntax or ArgumentListSyntax or IfStatementSyntax)
            .OfType<IfStatementSyntax>().FirstOrDefault();
        if (conditional is null || conditional.Else is not null || !conditional.Condition.Span.Contains(syntax.Span) || !IsEarlyErrorExit(conditional.Statement))
        {
            return false;
        }

        foreach (var other in analysis.GuardedAccesses)
        {
            if (other.Reference.Syntax.SpanStart > conditional.Span.End
                && SymbolEqualityComparer.Default.Equals(other.Reference.Member, access.Reference.Member)
                && other.Guard.Equals(access.Guard)
                && other.State.FindLock(other.Guard) is { Definite: true }
                && UseOf(other.Reference) == Use.Read)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>return -EAGAIN;</c>, <c>goto out;</c>, or a block of assignments ending in one.</summary>
    private static bool IsEarlyErrorExit(StatementSyntax statement)
    {
        if (statement is BlockSyntax block)
        {
            if (block.Statements.Count == 0)
            {
                return false;
            }

            for (int i = 0; i < block.Statements.Count - 1; i++)
            {
                if (block.Statements[i] is not ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }
                    || assignment.Right.DescendantNodesAndSelf().Any(n => n is InvocationExpressionSyntax or AssignmentExpressionSyntax))
                {
                    return false;
                }
            }

            statement = block.Statements[block.Statements.Count - 1];
        }

        return statement is GotoStatementSyntax
            || statement is ReturnStatementSyntax { Expression: { } value } && !value.DescendantNodesAndSelf().Any(n => n is InvocationExpressionSyntax);
    }
}
