using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA5001: the result of a <c>[MustCheck]</c> call is dropped: the call is an expression statement.
/// Any use satisfies the rule, as the kernel's <c>__must_check</c>; C# has no <c>(void)</c> cast, so a
/// discard (<c>_ = PutUser(...)</c>) is the explicit, deliberate ignore and is not flagged. Nor is a
/// best-effort write-back on an error exit, which the kernel ignores on purpose: a user write
/// (<c>[UserAccess(Write)]</c>) directly followed by returning a negative errno constant, or by setting
/// the result to one and leaving (<c>put_user(sizeof(*attr), &amp;uattr-&gt;size); ret = -E2BIG; goto out;</c>
/// in <c>perf_copy_attr()</c>): the call fails whether or not the write lands, so the write is advice to
/// user space, not a result. Reported on the invocation.
/// </summary>
public sealed class UA5001IgnoredResultAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.IgnoredResult,
        "Result that must be checked is ignored",
        "The result of '{0}' must be checked",
        "UserAccess.Results",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A failed user access, fault-in or killable lock that nobody checks leaves the kernel acting on a write that never happened (ARC's cmpxchg and its ignored __put_user).",
        helpLinkUri: HelpLink(DiagnosticIds.IgnoredResult));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        foreach (var invocation in analysis.IgnoredResults)
        {
            if (IsBestEffortWriteBeforeErrorExit(engine, analysis, invocation))
            {
                continue;
            }

            report(new DiagnosticData()
                .Create(Rule, invocation, CompilationEngine.NameOf(invocation, invocation.TargetMethod, invocation.Instance)));
        }

        foreach (var call in analysis.Calls)
        {
            if (call.Effects.Annotations.MustCheck && call.Operation is IInvocationOperation invocation && StoredAndNeverRead(analysis, invocation)
                && !IsBestEffortWriteBeforeErrorExit(engine, analysis, invocation))
            {
                report(new DiagnosticData()
                    .Create(Rule, invocation, CompilationEngine.NameOf(invocation, invocation.TargetMethod, invocation.Instance)));
            }
        }
    }

    /// <summary>
    /// The result is stored into a local (<c>err |= __put_user(...)</c>, <c>ret = copy_to_user(...)</c>) that
    /// nothing reads afterwards: dropped as surely as a bare call (s390's <c>setup_rt_frame()</c> or'ed its
    /// last <c>__put_user()</c> into <c>err</c> after the last test of <c>err</c>). Silent when the graph
    /// cannot tell (<see cref="StoreReads.Of"/>: exception regions, a local a lambda captures).
    /// </summary>
    private static bool StoredAndNeverRead(MethodAnalysis analysis, IInvocationOperation invocation)
    {
        var root = (IOperation)invocation;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        return (root is IExpressionStatementOperation statement ? statement.Operation : root) is IAssignmentOperation { Target: ILocalReferenceOperation target } store
            && ReferenceEquals(FlowAnalysis.Strip(store.Value), invocation)
            && StoreReads.Of(analysis, invocation.Syntax, target.Local, default) is (false, false)
            && !analysis.NamedByAFunction(target.Local);
    }

    private static bool IsBestEffortWriteBeforeErrorExit(CompilationEngine engine, MethodAnalysis analysis, IInvocationOperation invocation)
    {
        if (engine.GetAnnotations(invocation.TargetMethod).UserAccessKind != UserAccessKind.Write)
        {
            return false;
        }

        // The graph's operations have no parents: find the statement in the method's own operation tree.
        IExpressionStatementOperation? statement = null;
        foreach (var operation in analysis.Graph.OriginalOperation.Descendants())
        {
            if (operation is IExpressionStatementOperation candidate && candidate.Syntax == invocation.Syntax.Parent)
            {
                statement = candidate;
                break;
            }
        }

        // `err_size: put_user(...);` is the labeled statement's child.
        IOperation? element = statement?.Parent is ILabeledOperation labeled ? labeled : statement;
        if (element?.Parent is not IBlockOperation block)
        {
            return false;
        }

        int index = block.Operations.IndexOf(element);
        var next = index + 1 < block.Operations.Length ? block.Operations[index + 1] : null;
        if (next is IReturnOperation { ReturnedValue: { } returned })
        {
            return IsNegativeConstant(returned);
        }

        // `ret = -E2BIG;` then leaving with it: `goto out;` or `return ret;`.
        if (next is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation assignment }
            && IsNegativeConstant(assignment.Value)
            && FlowAnalysis.SymbolOf(assignment.Target) is ILocalSymbol result
            && index + 2 < block.Operations.Length)
        {
            return block.Operations[index + 2] switch
            {
                IBranchOperation { BranchKind: BranchKind.GoTo } => true,
                IReturnOperation { ReturnedValue: { } value } => SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(value), result),
                _ => false,
            };
        }

        return false;
    }

    private static bool IsNegativeConstant(IOperation value) =>
        FlowAnalysis.Strip(value).ConstantValue is { HasValue: true } constant && FlowAnalysis.ToLong(constant.Value) is < 0;
}
