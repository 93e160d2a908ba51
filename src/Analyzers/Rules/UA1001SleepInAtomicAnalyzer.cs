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
            int dropped;
            if (effects.Sleep == SleepKind.Always && StillAtomic(effects.SleepDropsAtomic))
            {
                reason = effects.SleepReason;
                dropped = effects.SleepDropsAtomic;
            }
            else if (effects.MayFault && before.Nofault.DefinitelyNot && StillAtomic(effects.FaultDropsAtomic))
            {
                reason = effects.FaultReason;
                dropped = effects.FaultDropsAtomic;
            }
            else
            {
                continue;
            }

            // The context that is left when the helper has dropped the spinlock it is handed: a spinlock held
            // around the call that the helper does not release, when the engine can name one.
            var site = dropped > 0 && StillHeldAround(before, effects) is { } outer ? outer : before.AtomicSite;
            string context = !before.Atomic.Definitely
                ? "'" + analysis.Method.Name + "' is [AtomicContext]"
                : site is null && analysis.Contract.AtomicLockOnEntry is { } held
                    ? "'" + analysis.Method.Name + "' is entered holding '" + held.Display + "'"
                    : "entered by '" + NameOfSite(analysis, site) + "'";
            var data = new DiagnosticData();
            if (before.Atomic.Definitely)
            {
                data.Location(DiagnosticProperties.RegionStartLocation, site)
                    .Location(DiagnosticProperties.RegionEndLocation, FindRegionEnd(analysis, RegionKind.Atomic, site, call.Operation));
            }

            report(data.Create(Rule, call.Operation, effects.Name, reason is null ? string.Empty : " (it calls '" + reason + "')", context));

            bool StillAtomic(int levels) => analysis.IsAtomicContext || before.Atomic.Min - levels > 0;
        }
    }

    /// <summary>The acquire of the innermost spinlock held on every path to the call that the callee neither releases nor is handed (<c>[Releases]</c>, <c>[RequiresLock]</c>).</summary>
    private static IOperation? StillHeldAround(FlowState before, CallEffects effects)
    {
        for (int i = before.Locks.Length - 1; i >= 0; i--)
        {
            var held = before.Locks[i];
            if (held.Definite && held.Id.AtomicWhileHeld && held.Site is { } site && !LockUse.Names(effects.Releases, held.Id) && !LockUse.Names(effects.Requires, held.Id))
            {
                return site;
            }
        }

        return null;
    }
}
