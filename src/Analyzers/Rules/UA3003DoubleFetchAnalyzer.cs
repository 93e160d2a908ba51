using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA3003: a double fetch. A read of user memory (<c>[UserAccess(Read)]</c> into a local: an <c>out</c>
/// argument, the array behind the destination span, a <c>memdup_user()</c> result) that reads again the
/// bytes an earlier read took through the same pointer variable (not assigned in between): the same
/// constant offset, or a range that starts at or before them and is provably long enough to cover them
/// (a header field fetched, then the whole struct). The earlier value was checked by a branch, or sized
/// the later read, on every path between them; the later value is used after it on some path (a read made
/// again in one branch and used after the branches meet counts; its copy of those bytes not overwritten
/// with the kernel's own value first; a copy handed whole to a method of the user's is read from where its
/// reads start) and never compared with the earlier one (nor with a value computed from it). The user
/// can change the memory between the reads: the checked value and the used one may differ. Reported on
/// the later read. Two loops that walk the same user buffer from the same start read its first bytes
/// twice (<see cref="FetchWalk"/>): a value the first walk checked on every round and the second walk
/// uses is a double fetch too (<c>audit_log_single_execve_arg()</c>, CVE-2016-6136). So is a checked
/// pointer handed to a method of the user's that fetches the same bytes again through the parameter and
/// uses them (<see cref="PointerHandOff"/>, <c>mptctl_do_reset()</c>, CVE-2020-12652): reported on the call,
/// unless the call also hands the method the first value. Silent when the
/// engine cannot tell: a pointer assigned between the reads (other than by walks from one start), a
/// pointer reached through another object's field, a location read once per loop round (the same call).
/// </summary>
public sealed class UA3003DoubleFetchAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.DoubleFetch,
        "Double fetch of the same user location",
        "'{0}' reads '{1}' again after the value read first was checked: user space can change it in between; use the first copy '{2}'",
        "UserAccess.Atomics",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Time-of-check to time-of-use: memory shared with user space can change between two reads. Read once into kernel memory, check that copy and use that copy.",
        helpLinkUri: HelpLink(DiagnosticIds.DoubleFetch));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        var fetches = analysis.Fetches;

        // Only asked of a second copy handed whole to a method of the user's; the walk into its body is bounded in depth.
        long? FirstByteRead(IInvocationOperation call, int ordinal) => engine.FirstByteReadOfArrayArgument(call, ordinal, CancellationToken.None);
        foreach (var second in fetches.All)
        {
            UserFetch? reported = null;
            bool walked = false;
            foreach (var (first, mark) in fetches.EarlierFetches(second))
            {
                if ((mark.Checked || fetches.IsSizedBy(second, first)) && fetches.Rereads(second, first)
                    && fetches.IsUsed(second, first, FirstByteRead) && !fetches.IsRevalidated(second, first)
                    && (reported is null || first.Call.Operation.Syntax.SpanStart < reported.Call.Operation.Syntax.SpanStart))
                {
                    reported = first;
                }
            }

            foreach (var (first, shift) in fetches.WalkedBefore(second))
            {
                if (fetches.IsUsed(second, first, shift, FirstByteRead) && !fetches.IsRevalidated(second, first, shift)
                    && (reported is null || first.Call.Operation.Syntax.SpanStart < reported.Call.Operation.Syntax.SpanStart))
                {
                    reported = first;
                    walked = true;
                }
            }

            if (reported is { } earlier)
            {
                report(new DiagnosticData()
                    .Property(DiagnosticProperties.FirstFetchLocal, earlier.Destination.Name)
                    .Property(DiagnosticProperties.SecondFetchLocal, second.Destination.Name)
                    .Property(DiagnosticProperties.PointerExpression, second.PointerText)
                    .Property(DiagnosticProperties.WalkedTwice, walked ? "true" : null)
                    .Location(DiagnosticProperties.FirstFetchLocation, earlier.Call.Operation)
                    .Create(Rule, second.Call.Operation, second.Call.Effects.Name, second.PointerText, earlier.Destination.Name));
            }
        }

        foreach (var handOff in fetches.HandOffs)
        {
            if (RefetchedBy(engine, analysis, fetches, handOff, FirstByteRead) is { } earlier)
            {
                report(new DiagnosticData()
                    .Property(DiagnosticProperties.FirstFetchLocal, earlier.Destination.Name)
                    .Property(DiagnosticProperties.RefetchedByCallee, "true")
                    .Location(DiagnosticProperties.FirstFetchLocation, earlier.Call.Operation)
                    .Create(Rule, handOff.Call.Operation, handOff.Call.Effects.Name, handOff.ArgumentText, earlier.Destination.Name));
            }
        }
    }

    /// <summary>
    /// The first fetch, checked on every path to <paramref name="handOff"/>, whose bytes the method handed its
    /// pointer fetches again and uses (<c>mptctl_do_reset()</c>, CVE-2020-12652); <c>null</c> when there is
    /// none, or when the call also hands the method the first value (it can compare the two).
    /// </summary>
    private static UserFetch? RefetchedBy(CompilationEngine engine, MethodAnalysis analysis, UserFetches fetches, PointerHandOff handOff, Func<IInvocationOperation, int, long?> firstByteRead)
    {
        UserFetches? callee = null;
        foreach (var (first, mark) in fetches.EarlierFetches(handOff))
        {
            if (!mark.Checked || first.Size is not long size || fetches.HandsValueOf(handOff, first))
            {
                continue;
            }

            // Asked only past a checked fetch; the callee's pass is held to the engine's budget as any method's.
            callee ??= engine.ParameterFetchesOf(handOff.Callee, analysis.Options, CancellationToken.None);
            if (callee is null)
            {
                return null;
            }

            // The handler reads the whole header again; what matters is whether it uses the bytes the caller tested.
            var tested = fetches.TestedBytes(first) ?? new List<(long From, long To)> { (first.Offset, first.Offset + size) };
            foreach (var second in callee.Refetches(handOff.Ordinal))
            {
                foreach (var (start, end) in tested)
                {
                    long from = start - handOff.Offset;
                    if (end > start && callee.Rereads(second, from, end - start) && callee.IsReadAt(second, from, end - start, firstByteRead))
                    {
                        return first;
                    }
                }
            }
        }

        return null;
    }
}
