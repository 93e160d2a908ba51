using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA2002: a user access that may fault (<c>[MightFault]</c>, or a source helper that may) with page
/// faults enabled on every path, while a lock the fault path takes is held on every path
/// (<c>mm.MmapLock</c>, a member or type marked <c>[TakenInFaultPath]</c> or listed in
/// <c>useraccess.fault_path_locks</c>). Reported on the invocation of the access. A call of the user's own
/// <c>[RequiresLock]</c> method under the lock it requires is judged inside that method, which is analysed
/// holding it.
/// </summary>
public sealed class UA2002FaultUnderFaultPathLockAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.FaultUnderFaultPathLock,
        "User access that may fault under a lock the fault path takes",
        "'{0}' may fault{1} while '{2}' is held, and the page-fault path takes that lock",
        "UserAccess.Locking",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The fault handler needs the lock the copier holds (the gfs2 mmap + page fault deadlock). Access with page faults disabled under the lock, fault in after releasing it.",
        helpLinkUri: HelpLink(DiagnosticIds.FaultUnderFaultPathLock));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <summary>
    /// The callee requires the lock and is analysed holding it: a fault under it is reported in the callee's
    /// body, where it happens, and a callee that drops the lock around its fault is right.
    /// </summary>
    private static bool HeldForTheCallee(CallEffects effects, LockId id)
    {
        if (!effects.AnalysedHoldingRequired)
        {
            return false;
        }

        foreach (var required in effects.Requires)
        {
            if (required.Id.Equals(id))
            {
                return true;
            }
        }

        return false;
    }

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        foreach (var call in analysis.Calls)
        {
            if (!call.Effects.MayFault || !call.Before.Nofault.DefinitelyNot)
            {
                continue;
            }

            foreach (var held in call.Before.Locks)
            {
                if (!held.Definite || !held.Id.TakenInFaultPath || HeldForTheCallee(call.Effects, held.Id))
                {
                    continue;
                }

                var data = new DiagnosticData()
                    .Property(DiagnosticProperties.LockExpression, held.Id.Display)
                    .Property(DiagnosticProperties.LockShared, held.Shared ? "true" : "false")
                    .Location(DiagnosticProperties.AccessLocation, call.Operation)
                    .Location(DiagnosticProperties.LockAcquireLocation, held.Site)
                    .Location(DiagnosticProperties.LockReleaseLocation, FindRelease(analysis, held, call.Operation))
                    .FaultIn(engine, call.Effects.Method);
                string reason = call.Effects.FaultReason is { } inner ? " (it calls '" + inner + "')" : string.Empty;
                report(data.Create(Rule, call.Operation, call.Effects.Name, reason, held.Id.Display));
                break;
            }
        }
    }
}
