using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA4003: a loop that walks user memory (a variable that an access or fault-in in the loop addresses
/// with is advanced in the loop: <c>buf += n</c>, <c>written += copied</c>, <c>p = p + chunk</c>) and
/// has no <c>[FatalSignalCheck]</c> call (<c>FatalSignalPending()</c>) on its cycle. A retry loop
/// whose pointer does not move (futex) is silent, and so is a loop bounded by a counter compared with
/// a constant (<c>for (i = 0; i &lt; 16; i++)</c>) or by a count validated small before the loop
/// (<c>if (nr &gt; FUTEX_WAITV_MAX) return -EINVAL; for (i = 0; i &lt; nr; i++)</c>: at most
/// <see cref="MaxRoundsWithoutSignalCheck"/> rounds). A cycle made only with <c>goto</c> (no loop
/// statement to point at) is silent. Reported on the loop keyword.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UA4003NoFatalSignalCheckAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.NoFatalSignalCheck,
        "Loop over a user buffer without a fatal signal check",
        "This loop advances '{0}' through user memory of caller-chosen length but never checks FatalSignalPending()",
        "UserAccess.Retry",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A huge write must stop when the task is killed: generic_perform_write() checks fatal_signal_pending() every chunk. Check it at the top of the loop body and leave with -EINTR.",
        helpLinkUri: HelpLink(DiagnosticIds.NoFatalSignalCheck));

    /// <summary>
    /// The most rounds a loop validated before it may run without a signal check: NGROUPS_MAX
    /// (65536), the largest count kernel code walks element by element (groups_from_user()) with
    /// no fatal_signal_pending(). A byte length validated against MAX_RW_COUNT is no such bound.
    /// </summary>
    internal const long MaxRoundsWithoutSignalCheck = 65536;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        // Cheap exit: the loop facts are computed only for methods with an access or a fault-in.
        bool any = false;
        foreach (var call in analysis.Calls)
        {
            if (call.Effects.Annotations.UserAccessKind is not null || RetryProtocol.IsFaultIn(call))
            {
                any = true;
                break;
            }
        }

        if (!any)
        {
            return;
        }

        var facts = analysis.Loops;
        var reported = new HashSet<Location>();
        foreach (var loop in facts.Loops)
        {
            // A loop that runs a constant number of rounds (i < 16) does not walk a caller-chosen length.
            if (loop.ConstantBounded.Count > 0
                || RetryProtocol.AdvancedPointer(analysis, loop, out var walker) is not { } advanced || walker is null || ChecksSignal(analysis, facts, loop)
                || loop.CountBoundedBy(walker.Before, MaxRoundsWithoutSignalCheck))
            {
                continue;
            }

            var statement = RetryProtocol.LoopStatement(walker.Operation.Syntax, RetryProtocol.SyntaxOf(facts.Graph.Blocks[loop.Header]));
            if (statement is null)
            {
                continue;
            }

            var at = RetryProtocol.KeywordLocation(statement);
            if (!reported.Add(at))
            {
                continue;
            }

            report(new DiagnosticData()
                .Property(DiagnosticProperties.Callee, walker.Effects.Method.Name)
                .Location(DiagnosticProperties.LoopBodyLocation, RetryProtocol.Body(statement)?.GetLocation())
                .Location(DiagnosticProperties.AccessLocation, walker.Operation)
                .Property(DiagnosticProperties.ErrorReturn, analysis.ReturnsErrno ? "Errno" : "None")
                .Property(DiagnosticProperties.StatusVariable, StatusVariable(facts, statement))
                .Create(Rule, at, advanced.Name));
        }
    }

    private static bool ChecksSignal(MethodAnalysis analysis, LoopFacts facts, LoopInfo loop)
    {
        foreach (var call in analysis.Calls)
        {
            if (call.Effects.Annotations.FatalSignalCheck && facts.PositionOf(call.Operation) is { } position && loop.Contains(position.Block))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A local the loop stores a negative errno in (<c>status = -EFAULT; break;</c>): where the fix puts <c>-EINTR</c>.
    /// The blocks that leave the loop are not on its cycle, so the loop statement's extent decides.</summary>
    private static string? StatusVariable(LoopFacts facts, Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax statement)
    {
        foreach (var block in facts.Graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                if (!statement.Span.Contains(operation.Syntax.Span))
                {
                    continue;
                }

                foreach (var node in operation.DescendantsAndSelf())
                {
                    if (node is ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment
                        && assignment.Value.ConstantValue is { HasValue: true, Value: int value } && value < 0)
                    {
                        return local.Local.Name;
                    }
                }
            }
        }

        return null;
    }
}
