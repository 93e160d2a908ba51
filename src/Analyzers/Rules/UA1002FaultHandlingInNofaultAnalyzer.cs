using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA1002: fault handling inside a nofault region. Fault handling: <c>[ResolvesFaults]</c>
/// (fault-in, <c>FixupUserFault</c>), acquiring a lock the fault path takes (<c>MmapReadLock</c>:
/// <c>mm.MmapLock</c> is <c>[TakenInFaultPath]</c>), or a source helper that does either with faults
/// enabled. Nofault region: the nofault depth is positive on every path (<c>PagefaultDisable()</c>,
/// <c>using (NoFault())</c>, any <c>[EntersRegion(Region.Nofault)]</c>). Reported on the invocation.
/// </summary>
public sealed class UA1002FaultHandlingInNofaultAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.FaultHandlingInNofault,
        "Fault handling inside a nofault region",
        "'{0}' handles page faults{1} inside the nofault region entered by '{2}'",
        "UserAccess.Context",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A nofault region exists to keep the fault path out: fault-in there cannot work, and taking the mmap lock there deadlocks. Handle the fault after leaving the region.",
        helpLinkUri: HelpLink(DiagnosticIds.FaultHandlingInNofault));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    internal static bool Applies(CallSite call) => call.Effects.ResolvesFaults && call.Before.Nofault.Definitely;

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        foreach (var call in analysis.Calls)
        {
            if (!Applies(call))
            {
                continue;
            }

            var site = call.Before.NofaultSite;
            var data = new DiagnosticData()
                .Location(DiagnosticProperties.RegionStartLocation, site)
                .Location(DiagnosticProperties.RegionEndLocation, FindRegionEnd(analysis, RegionKind.Nofault, site, call.Operation));

            // The nofault access of the same region: the one the canonical retry loop keeps inside it.
            foreach (var other in analysis.Calls)
            {
                if (other.Effects.Annotations.NofaultAccess && ReferenceEquals(other.Before.NofaultSite, site) && other.Before.Nofault.Definitely)
                {
                    data.Location(DiagnosticProperties.AccessLocation, other.Operation).FaultIn(engine, other.Effects.Method);
                    break;
                }
            }

            string reason = call.Effects.ResolvesReason is { } inner ? " (it calls '" + inner + "')" : string.Empty;
            report(data.Create(Rule, call.Operation, call.Effects.Name, reason, NameOfSite(analysis, site)));
        }
    }
}
