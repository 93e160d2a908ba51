using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA1003: an unbalanced region or lock. At the method's normal exit (every <c>return</c> and the end
/// of the body; exception paths are not followed) a region still entered or a lock still held on some
/// path is reported at the call that entered/took it; a region exit or release that finds the region
/// not entered / the lock not held on any path is reported at that call. <c>using (NoFault())</c> and
/// try/finally are balanced by the graph. Conditional acquires (killable, trylock) count on their
/// success edge only. The method's own annotations are its contract (<see cref="MethodContract"/>): it is
/// entered and must return in the state they promise, so a <c>[RequiresLock]</c> method (sparse's
/// <c>__must_hold</c>) may drop and retake its lock but is reported where it drops it when some path
/// returns without it; <c>[Acquires]</c>, <c>[Releases]</c>, <c>[EntersRegion]</c> and <c>[ExitsRegion]</c>
/// declare the net effect, and a <c>[Releases]</c> method's return that may still hold its lock is reported there.
/// </summary>
public sealed class UA1003UnbalancedRegionAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.UnbalancedRegion,
        "Unbalanced region or lock",
        "'{0}' is unbalanced: {1}",
        "UserAccess.Context",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Every disable needs its enable and every lock its unlock on every path out of the method (sparse's context imbalance); a task left with page faults disabled breaks every later access.",
        helpLinkUri: HelpLink(DiagnosticIds.UnbalancedRegion));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        var contract = analysis.Contract;
        foreach (var call in analysis.Calls)
        {
            foreach (var region in call.Effects.Exits)
            {
                // Releasing a lock of the contract leaves the region its acquire entered, whatever the count says:
                // the caller may have entered more than the contract names (interrupts off with spin_lock_irq()).
                if (call.Before.Depth(region).DefinitelyNot && !IsAtomicContextExit(analysis, region) && !NamesAny(contract, call.Effects.Releases))
                {
                    report(new DiagnosticData()
                        .Create(Rule, call.Operation, call.Effects.Name, "it leaves " + Describe(region) + " that was not entered"));
                }
            }

            foreach (var release in call.Effects.Releases)
            {
                if (call.Before.FindLock(release.Id) is null && !contract.Names(release.Id))
                {
                    report(new DiagnosticData()
                        .Property(DiagnosticProperties.LockExpression, release.Id.Display)
                        .Create(Rule, call.Operation, call.Effects.Name, "it releases '" + release.Id.Display + "', which is not held"));
                }
            }
        }

        if (analysis.ExitState is not { } exit)
        {
            return;
        }

        string method = DescribeMethod(analysis.Method);
        var reportedLocks = new List<IOperation>();
        foreach (var held in exit.Locks)
        {
            if (held.Site is { } site && !contract.MayHoldOnExit(held.Id))
            {
                reportedLocks.Add(site);
            }
        }

        foreach (var region in new[] { RegionKind.Nofault, RegionKind.Atomic })
        {
            // A spinlock's Lock() enters the atomic region with the lock: the one missing Unlock() is
            // reported once, as the lock still held.
            if (exit.Depth(region).Max > contract.ExitDepth(region) && exit.Site(region) is { } site
                && !reportedLocks.Exists(l => ReferenceEquals(l, site)))
            {
                report(new DiagnosticData()
                    .Location(DiagnosticProperties.RegionStartLocation, site)
                    .Create(Rule, site, NameOfSite(analysis, site), Describe(region) + " it enters is not left on every path out of " + method));
            }
        }

        foreach (var held in exit.Locks)
        {
            if (held.Site is { } site && !contract.MayHoldOnExit(held.Id))
            {
                report(new DiagnosticData()
                    .Property(DiagnosticProperties.LockExpression, held.Id.Display)
                    .Property(DiagnosticProperties.LockShared, held.Shared ? "true" : "false")
                    .Location(DiagnosticProperties.LockAcquireLocation, site)
                    .Create(Rule, site, NameOfSite(analysis, site), "'" + held.Id.Display + "' is not released on every path out of " + method));
            }
        }

        // __releases: the method is entered holding the lock and must return without it. A return that may
        // still hold it is reported there: the path that skipped the release (loop_get_status_old() before
        // bdac616db9bb returned -EINVAL for a NULL argument with lo_ctl_mutex held). The exit, after any
        // finally, must hold it too, so a release in a finally is seen.
        foreach (var promised in contract.MustReleaseByExit())
        {
            if (exit.FindLock(promised) is null)
            {
                continue;
            }

            foreach (var site in analysis.Returns)
            {
                if (site.State.FindLock(promised) is not null)
                {
                    var at = site.Value.Syntax.Parent is ReturnStatementSyntax statement ? statement.GetLocation() : site.Value.Syntax.GetLocation();
                    report(new DiagnosticData()
                        .Property(DiagnosticProperties.LockExpression, promised.Display)
                        .Create(Rule, at, promised.Display, "this return may still hold it, and " + method + " must release it"));
                }
            }
        }

        // __must_hold / __acquires: the method must return holding the lock; a drop that is not retaken on
        // every path is reported where the method lets it go.
        foreach (var promised in contract.MustHoldOnExit())
        {
            if (exit.FindLock(promised) is { Definite: true })
            {
                continue;
            }

            foreach (var call in analysis.Calls)
            {
                if (LockUse.Names(call.Effects.Releases, promised))
                {
                    report(new DiagnosticData()
                        .Property(DiagnosticProperties.LockExpression, promised.Display)
                        .Create(Rule, call.Operation, call.Effects.Name, "'" + promised.Display + "' is not taken again on every path out of " + method + ", which must return holding it"));
                }
            }
        }
    }

    private static bool NamesAny(MethodContract contract, ImmutableArray<LockUse> uses)
    {
        foreach (var use in uses)
        {
            if (contract.Names(use.Id))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The method as the message names it: <c>'M'</c>, or <c>a lambda in 'M'</c> (a lambda has no name of its own).</summary>
    private static string DescribeMethod(IMethodSymbol method)
    {
        if (method.MethodKind != MethodKind.AnonymousFunction)
        {
            return "'" + method.Name + "'";
        }

        ISymbol? enclosing = method.ContainingSymbol;
        while (enclosing is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } outer)
        {
            enclosing = outer.ContainingSymbol;
        }

        return enclosing is IMethodSymbol named ? "a lambda in '" + named.Name + "'" : "a lambda";
    }

    private static bool IsAtomicContextExit(MethodAnalysis analysis, RegionKind region) =>
        region == RegionKind.Atomic && analysis.IsAtomicContext;

    private static string Describe(RegionKind region) => region == RegionKind.Nofault ? "the nofault region" : "the atomic region";
}
