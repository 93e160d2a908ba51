using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA1001: a call that may sleep in atomic context. "May sleep": <c>[MightSleep]</c> (with its flags
/// argument when it has one), <c>[MightFault]</c> when page faults are enabled (<c>might_fault()</c>
/// returns early when they are disabled), or a source helper whose summary sleeps. Atomic context:
/// the atomic depth is positive on every path (PreemptDisable, a spinlock, LocalIrqDisable, a spinlock
/// the method holds on entry by its <c>[RequiresLock]</c>), or the method is <c>[AtomicContext]</c>. Reported on the invocation. A call that UA1002 reports
/// (fault handling with faults disabled) is left to UA1002.
/// </summary>
public sealed class UA1001SleepInAtomicAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.SleepInAtomic,
        "Call that may sleep in atomic context",
        "'{0}' may sleep{1} in atomic context ({2})",
        "UserAccess.Context",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Sleeping in atomic context (preemption or interrupts disabled, a spinlock held) is \"BUG: sleeping function called from invalid context\".",
        helpLinkUri: HelpLink(DiagnosticIds.SleepInAtomic));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        foreach (var call in analysis.Calls)
        {
            var effects = call.Effects;
            var before = call.Before;
            if (UA1002FaultHandlingInNofaultAnalyzer.Applies(call))
            {
                continue;
            }

            // A helper of yours entered holding the spinlock (__releases, __must_hold) may drop it before it
            // sleeps: the call sleeps in atomic context only if more than that is held around it.
            string? reason;
            if (effects.Sleep == SleepKind.Always && StillAtomic(effects.SleepDropsAtomic))
            {
                reason = effects.SleepReason;
            }
            else if (effects.MayFault && before.Nofault.DefinitelyNot && StillAtomic(effects.FaultDropsAtomic))
            {
                reason = effects.FaultReason;
            }
            else
            {
                continue;
            }

            string context = !before.Atomic.Definitely
                ? "'" + analysis.Method.Name + "' is [AtomicContext]"
                : before.AtomicSite is null && analysis.Contract.AtomicLockOnEntry is { } held
                    ? "'" + analysis.Method.Name + "' is entered holding '" + held.Display + "'"
                    : "entered by '" + NameOfSite(analysis, before.AtomicSite) + "'";
            var data = new DiagnosticData();
            if (before.Atomic.Definitely)
            {
                data.Location(DiagnosticProperties.RegionStartLocation, before.AtomicSite)
                    .Location(DiagnosticProperties.RegionEndLocation, FindRegionEnd(analysis, RegionKind.Atomic, before.AtomicSite, call.Operation));
            }

            report(data.Create(Rule, call.Operation, effects.Name, reason is null ? string.Empty : " (it calls '" + reason + "')", context));

            bool StillAtomic(int dropped) => analysis.IsAtomicContext || before.Atomic.Min - dropped > 0;
        }
    }
}
