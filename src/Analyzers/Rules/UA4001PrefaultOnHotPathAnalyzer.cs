using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA4001: a fault-in or fixup on the hot path: it dominates a nofault access of the same user buffer
/// (every path from the method entry to the access passes it first), so it runs every time, before
/// anything failed. The same call on the failure path after the access (the canonical loop, futex's
/// <c>goto retry</c>, v6.14 <c>generic_perform_write</c>) does not dominate the access and is silent.
/// "The same buffer": the pointer arguments share a variable (<c>buf + written</c> and <c>buf</c>); a
/// fault-in of an unrelated pointer, or of one the rule cannot name, is silent. Reported on the fault-in.
/// </summary>
public sealed class UA4001PrefaultOnHotPathAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.PrefaultOnHotPath,
        "Fault-in before the access on the hot path",
        "'{0}' runs before every '{1}': fault in only after the access failed, on the cold path",
        "UserAccess.Retry",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Prefaulting costs every call a walk of the page tables and still does not guarantee the access succeeds (the page can go away again): do the access with faults disabled and fault in only when it failed.",
        helpLinkUri: HelpLink(DiagnosticIds.PrefaultOnHotPath));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        LoopFacts? facts = null;
        foreach (var faultIn in analysis.Calls)
        {
            if (!faultIn.Effects.IsFaultIn)
            {
                continue;
            }

            facts ??= analysis.Loops;
            if (facts.PositionOf(faultIn.Operation) is not { } from)
            {
                continue;
            }

            var buffer = faultIn.PointerSymbols;
            if (buffer.Count == 0 || IsAfterAnAccess(analysis, facts, buffer, from))
            {
                continue;
            }

            foreach (var access in analysis.Calls)
            {
                // A helper that returns only "go on" or "done" (copy_to_sk()) hides the fault from its caller:
                // prefaulting before every attempt is the only way the caller makes progress (search_ioctl()).
                if (!RetryProtocol.IsNofaultAccess(access) || access.Effects.HidesAccessFailure || facts.PositionOf(access.Operation) is not { } to)
                {
                    continue;
                }

                var accessed = access.PointerSymbols;
                if (!accessed.Overlaps(buffer) || !facts.Dominates(from, to))
                {
                    continue;
                }

                report(new DiagnosticData()
                    .Location(DiagnosticProperties.FaultInLocation, faultIn.Operation)
                    .Location(DiagnosticProperties.AccessLocation, access.Operation)
                    .FaultIn(engine, access.Effects.Method)
                    .Create(Rule, faultIn.Operation, faultIn.Effects.Name, access.Effects.Name));
                break;
            }
        }
    }

    /// <summary>An access of the same buffer comes first on every path: the fault-in is on the cold path of
    /// that access (the "retry once after fault-in" shape), even if it also precedes a second access.</summary>
    private static bool IsAfterAnAccess(MethodAnalysis analysis, LoopFacts facts, System.Collections.Generic.HashSet<ISymbol> buffer, GraphPosition faultIn)
    {
        foreach (var access in analysis.Calls)
        {
            if (RetryProtocol.IsNofaultAccess(access) && facts.PositionOf(access.Operation) is { } at
                && access.PointerSymbols.Overlaps(buffer) && facts.Dominates(at, faultIn))
            {
                return true;
            }
        }

        return false;
    }
}
