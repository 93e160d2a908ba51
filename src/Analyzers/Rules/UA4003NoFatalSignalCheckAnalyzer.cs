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
/// does not test for a fatal signal on its rounds (<c>[FatalSignalCheck]</c>: <c>FatalSignalPending()</c>,
/// <c>SignalPending()</c>, or a helper that tests on every path). By default only a walk that moves data in
/// bulk (advanced by what a round moved, or by a page or more); a walk of entries too with
/// <c>useraccess.signal_check_walks = all</c> (<see cref="Walk"/>). Silent: a retry loop whose pointer
/// does not move (futex); a loop whose accesses all run with page faults disabled, which never waits; a
/// loop that goes round only while the walked offset is still its start (<see cref="LoopFacts.MovesOnce"/>);
/// a loop of bounded rounds (<see cref="LoopFacts.RoundsBounded"/>: a counter compared with a constant of at
/// most <see cref="MaxRoundsWithoutSignalCheck"/>, with a count validated or capped against such a constant
/// or a kernel limit, indexing a kernel buffer every round, draining a kernel ring until its read index
/// meets its write index (or snapshots of them meet), iterating a kernel collection, or consuming in chunks a length bounded before
/// the loop; or copying each round an element it took off a kernel queue, drm_read()); a probe per page
/// (<c>fault_in_readable()</c>); one copy cut into chunks through fixed kernel buffers whose kernel side
/// does not walk (<see cref="ChunkedCopy"/>: HiSax_readstatus(), do_pages_stat()); an outer loop every round
/// of which enters an inner loop that checks or is reported itself (copy_strings()). A cycle made only with
/// <c>goto</c> (no loop statement to point at) is silent. Reported on the loop keyword.
/// </summary>
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

    /// <summary>The smallest page of the architectures the runtime simulates: a probe loop steps at least this much.</summary>
    private const long PageSize = 4096;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        // Cheap exit: the loop facts are computed only for methods with an access or a fault-in.
        bool any = false;
        foreach (var call in analysis.Calls)
        {
            if (call.Effects.Annotations.UserAccessKind is not null || call.Effects.IsFaultIn)
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
            if (Walk(analysis, loop, out var walker) is not { } advanced || walker is null
                || ChecksSignal(analysis, facts, loop)
                || NeverWaits(analysis, facts, loop)
                || facts.MovesOnce(loop, advanced)
                || !Unbounded(analysis, facts, loop, walker)
                || InnerLoopCovers(analysis, facts, loop, 0))
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
                .Location(DiagnosticProperties.LoopBodyLocation, RetryProtocol.Body(statement)?.GetLocation())
                .Location(DiagnosticProperties.AccessLocation, walker.Operation)
                .Property(DiagnosticProperties.StatusVariable, StatusVariable(facts, statement))
                .Create(Rule, at, advanced.Name));
        }
    }

    /// <summary>
    /// The variable the loop walks user memory with, and the access that walks: by default a byte stream,
    /// a variable the loop advances by what a round moved (<c>buf += sz</c>, <c>written += copied</c>) or by a
    /// page or more; with <c>useraccess.signal_check_walks = all</c> (the Strict preset) any advanced variable.
    /// A walk of elements, a constant step under a page (<c>i++</c> over <c>pages + i * 8</c>, <c>iov += 16</c>), is
    /// left out by default: the kernel's signal checks sit in the loops that move data in bulk (the buffered
    /// write and read, /dev/mem and /dev/kmem, random, exec's strings); its walks of a caller's array of
    /// entries (do_pages_stat(), io_submit(), ptrace's PEEKUSR_AREA, vmsplice's iovecs) have none.
    /// </summary>
    private static ISymbol? Walk(MethodAnalysis analysis, LoopInfo loop, out CallSite? walker) =>
        RetryProtocol.AdvancedPointer(
            analysis, loop, out walker,
            analysis.Options.AllWalksShouldCheckSignals ? null : (call, symbol) => Stride(loop, call, symbol) is not long stride || Math.Abs(stride) >= PageSize);

    /// <summary>
    /// The bytes a walk moves the access's address by each round through <paramref name="symbol"/>: its constant
    /// step, times the factor the access's pointer scales it by (<c>pages + i * 8</c>: 8, <c>buf + i * PAGE_SIZE</c>:
    /// a page); <c>null</c> when the step is not a constant (<c>buf += copied</c>).
    /// </summary>
    private static long? Stride(LoopInfo loop, CallSite call, ISymbol symbol)
    {
        if (loop.StepOf(symbol) is not long step)
        {
            return null;
        }

        long scale = 1;
        foreach (var argument in call.Effects.Arguments)
        {
            if (!AlignmentFacts.IsUserPtr(argument.Parameter?.Type) && !AlignmentFacts.IsUserPtr(FlowAnalysis.Strip(argument.Value).Type))
            {
                continue;
            }

            foreach (var part in argument.Value.DescendantsAndSelf())
            {
                if (part is IBinaryOperation && LoopFacts.ScaledCounter(part, out long factor) is { } scaled
                    && SymbolEqualityComparer.Default.Equals(scaled, symbol) && factor > scale)
                {
                    scale = factor;
                }
            }
        }

        return Math.Abs(step) <= long.MaxValue / scale ? step * scale : PageSize;
    }

    /// <summary>
    /// Every user access of the loop runs with page faults disabled (a <c>[NofaultAccess]</c> call, or one
    /// inside <c>PagefaultDisable()</c>) and nothing in it faults in: no round waits for a page, so there is
    /// nothing a fatal signal would need to cut short, and the kernel's nofault walks have no check
    /// (<c>strncpy_from_unsafe()</c>, <c>copy_from_user_nofault()</c>'s callers).
    /// </summary>
    private static bool NeverWaits(MethodAnalysis analysis, LoopFacts facts, LoopInfo loop)
    {
        foreach (var call in analysis.Calls)
        {
            if ((call.Effects.Annotations.UserAccessKind is null && !call.Effects.IsFaultIn)
                || facts.PositionOf(call.Operation) is not { } position || !loop.Contains(position.Block))
            {
                continue;
            }

            if (call.Effects.IsFaultIn || !(call.Effects.Annotations.NofaultAccess || call.Before.Nofault.Definitely))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The rounds of the loop are not bounded as the engine knows bounds: a counter compared with a
    /// small constant or a kernel limit, an index into a kernel buffer, a drained kernel ring, a length
    /// consumed in chunks (<see cref="LoopFacts.RoundsBounded"/>); nor is it a probe per page, which does
    /// little per round, nor one copy cut into chunks through fixed kernel buffers, which costs what the one
    /// copy would (<see cref="ChunkedCopy"/>). <paramref name="walker"/> is the access that walks.</summary>
    private static bool Unbounded(MethodAnalysis analysis, LoopFacts facts, LoopInfo loop, CallSite walker) =>
        !facts.RoundsBounded(loop, walker.Before, MaxRoundsWithoutSignalCheck, analysis.StateBefore) && !ProbesPageByPage(analysis, facts, loop)
        && !ChunkedCopy.EveryRoundIsAChunk(analysis, facts, loop) && !CopiesQueuedElements(facts, loop, walker);

    /// <summary>The walk copies, each round, an element taken off a kernel queue that round (<see cref="LoopFacts.CopiesATakenElement"/>): the kernel side of the copy is a member of that element.</summary>
    private static bool CopiesQueuedElements(LoopFacts facts, LoopInfo loop, CallSite walker)
    {
        if (facts.PositionOf(walker.Operation) is not { } at)
        {
            return false;
        }

        foreach (var argument in walker.Effects.Arguments)
        {
            if (argument.Parameter is { } parameter && parameter.Name == walker.Effects.Annotations.UserAccessPointer)
            {
                continue;
            }

            var value = FlowAnalysis.Strip(argument.Value);
            while (value is IMemberReferenceOperation { Instance: { } instance })
            {
                value = FlowAnalysis.Strip(instance);
            }

            if (value is ILocalReferenceOperation { Local: var element } && facts.CopiesATakenElement(loop, element, at.Block))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Every round enters an inner loop that tests for a fatal signal or that is reported itself
    /// (copy_strings(): the outer loop walks argv, the inner one each string; 9aea5a65aa7a put the one
    /// check in the inner loop). One check belongs in the inner loop, and one report. An inner loop is
    /// trusted to run at least one round when entered (every string has its NUL): the engine does not
    /// know the lengths that would say otherwise.
    /// </summary>
    private static bool InnerLoopCovers(MethodAnalysis analysis, LoopFacts facts, LoopInfo loop, int depth)
    {
        if (depth >= 4)
        {
            return false;
        }

        foreach (var inner in facts.Loops)
        {
            if (inner.Header == loop.Header || !loop.Contains(inner.Header) || inner.Contains(loop.Header))
            {
                continue;
            }

            var entry = new bool[facts.Graph.Blocks.Length];
            entry[inner.Header] = true;
            if (facts.EveryRoundPasses(loop, entry)
                && (ChecksSignal(analysis, facts, inner)
                    || InnerLoopCovers(analysis, facts, inner, depth + 1)
                    || (Walk(analysis, inner, out var walker) is not null && walker is not null && Unbounded(analysis, facts, inner, walker))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The loop tests for a fatal signal (<c>[FatalSignalCheck]</c>, which <c>signal_pending()</c>
    /// is too, or a helper whose summary says it tests on every path) on every round, or on every round
    /// that does not go straight back to the top: the canonical loop and generic_perform_write()'s
    /// fault-in-where-the-copy-stopped variant test on the fault path, after a round that made progress
    /// goes round again (<c>if (done != 0) continue;</c>). A test on one branch of a choice that both
    /// branches then carry on from lets the other branch walk on.</summary>
    private static bool ChecksSignal(MethodAnalysis analysis, LoopFacts facts, LoopInfo loop)
    {
        bool[]? checks = null;
        foreach (var call in analysis.Calls)
        {
            if (call.Effects.ChecksFatalSignal && facts.PositionOf(call.Operation) is { } position && loop.Contains(position.Block))
            {
                checks ??= new bool[facts.Graph.Blocks.Length];
                checks[position.Block] = true;
            }
        }

        if (checks is null)
        {
            return false;
        }

        MarkInvariantGuards(facts, loop, checks);
        return facts.EveryRoundPasses(loop, checks) || !facts.BypassRejoins(loop, checks);
    }

    /// <summary>
    /// A signal test guarded by a flag the loop never changes (get_random_bytes_user():
    /// <c>if (large_request) { if (signal_pending(current)) break; cond_resched(); }</c>, the flag set from the
    /// request's size before the loop) runs on every round or on none: the caller decided, once, that a short
    /// request needs none. The branch on the flag counts as the test when one of its sides passes a test on
    /// every path. A guard the loop can change, or a call (<c>large_request &amp;&amp; need_resched()</c>), is no
    /// such flag.
    /// </summary>
    private static void MarkInvariantGuards(LoopFacts facts, LoopInfo loop, bool[] checks)
    {
        var blocks = facts.Graph.Blocks;
        for (int block = 0; block < blocks.Length; block++)
        {
            if (!loop.Contains(block) || checks[block] || InvariantFlag(facts, loop, blocks[block].BranchValue) is null)
            {
                continue;
            }

            foreach (var side in new[] { blocks[block].ConditionalSuccessor?.Destination, blocks[block].FallThroughSuccessor?.Destination })
            {
                if (side is not null && side.Ordinal != loop.Header && loop.Contains(side.Ordinal)
                    && facts.EveryPathPasses(side.Ordinal, loop.Header, checks, loop.Blocks))
                {
                    checks[block] = true;
                    break;
                }
            }
        }
    }

    /// <summary>The local or parameter a branch tests as it is (<c>if (flag)</c>, <c>if (!flag)</c>) when nothing in the loop assigns it.</summary>
    private static ISymbol? InvariantFlag(LoopFacts facts, LoopInfo loop, IOperation? branch)
    {
        while (branch is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            branch = not.Operand;
        }

        ISymbol? flag = branch switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter when parameter.Parameter.RefKind == RefKind.None => parameter.Parameter,
            _ => null,
        };
        if (flag is null)
        {
            return null;
        }

        return facts.Assigns(loop, flag) ? null : flag;
    }

    /// <summary>
    /// A probe per page (<c>fault_in_readable()</c>, <c>fault_in_writeable()</c>): every access in the loop
    /// reads or writes one value and every pointer it walks steps a page or more a round. mm/gup.c has
    /// no signal check there: a round costs one access, and a fault in it that has to wait gives up
    /// for a killed task (the access fails and the loop leaves). Copies a page a round are no probes.
    /// </summary>
    private static bool ProbesPageByPage(MethodAnalysis analysis, LoopFacts facts, LoopInfo loop)
    {
        bool walks = false;
        foreach (var call in analysis.Calls)
        {
            bool isFaultIn = call.Effects.IsFaultIn;
            if ((call.Effects.Annotations.UserAccessKind is null && !isFaultIn)
                || facts.PositionOf(call.Operation) is not { } position || !loop.Contains(position.Block))
            {
                continue;
            }

            if (isFaultIn || call.Effects.Annotations.UserAccessSize is not null)
            {
                return false;
            }

            foreach (var symbol in call.PointerSymbols)
            {
                if (loop.Advanced.Contains(symbol))
                {
                    if (loop.StepOf(symbol) is not long step || Math.Abs(step) < PageSize)
                    {
                        return false;
                    }

                    walks = true;
                }
            }
        }

        return walks;
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
                        && assignment.Value.ConstantValue is { HasValue: true, Value: int or long } value && Convert.ToInt64(value.Value) < 0)
                    {
                        return local.Local.Name;
                    }
                }
            }
        }

        return null;
    }
}
