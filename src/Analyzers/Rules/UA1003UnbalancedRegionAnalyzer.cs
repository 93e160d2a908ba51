using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA1003: an unbalanced region or lock. At the method's normal exit (every <c>return</c> and the end
/// of the body; exception paths are not followed) a region still entered or a lock still held on some
/// path is reported at the call that entered/took it; a region exit or release that finds the region
/// not entered / the lock not held on any path is reported at that call. <c>using (NoFault())</c> and
/// try/finally are balanced by the graph. Conditional acquires (killable, trylock) count on their
/// success edge only. A method annotated <c>[EntersRegion]</c>/<c>[ExitsRegion]</c>/<c>[Acquires]</c>/
/// <c>[Releases]</c> is exempt for the effects it declares.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
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
        var own = analysis.Annotations;
        var declared = DeclaredLocks(analysis.Method, own);

        foreach (var call in analysis.Calls)
        {
            foreach (var region in call.Effects.Exits)
            {
                if (call.Before.Depth(region).DefinitelyNot && !own.Exits.Contains(region) && !IsAtomicContextExit(analysis, region)
                    && !TouchesDeclared(call.Effects.Releases, declared))
                {
                    report(new DiagnosticData()
                        .Property(DiagnosticProperties.Callee, call.Effects.Method.Name)
                        .Property(DiagnosticProperties.RegionKind, region.ToString())
                        .Create(Rule, call.Operation, call.Effects.Name, "it leaves " + Describe(region) + " that was not entered"));
                }
            }

            foreach (var release in call.Effects.Releases)
            {
                if (call.Before.FindLock(release.Id) is null && !Contains(declared, release.Id))
                {
                    report(new DiagnosticData()
                        .Property(DiagnosticProperties.Callee, call.Effects.Method.Name)
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
            if (held.Site is { } site && !Contains(declared, held.Id))
            {
                reportedLocks.Add(site);
            }
        }

        foreach (var region in new[] { RegionKind.Nofault, RegionKind.Atomic })
        {
            // A spinlock's Lock() enters the atomic region with the lock: the one missing Unlock() is
            // reported once, as the lock still held.
            if (exit.Depth(region).Max > 0 && !own.Enters.Contains(region) && exit.Site(region) is { } site
                && !IsDeclaredAcquire(analysis, site, declared) && !reportedLocks.Exists(l => ReferenceEquals(l, site)))
            {
                report(new DiagnosticData()
                    .Property(DiagnosticProperties.RegionKind, region.ToString())
                    .Location(DiagnosticProperties.RegionStartLocation, site)
                    .Create(Rule, site, NameOfSite(analysis, site), Describe(region) + " it enters is not left on every path out of " + method));
            }
        }

        foreach (var held in exit.Locks)
        {
            if (held.Site is { } site && !Contains(declared, held.Id))
            {
                report(new DiagnosticData()
                    .Property(DiagnosticProperties.LockExpression, held.Id.Display)
                    .Property(DiagnosticProperties.LockOwnerExpression, held.Id.OwnerDisplay)
                    .Property(DiagnosticProperties.LockShared, held.Shared ? "true" : "false")
                    .Location(DiagnosticProperties.LockAcquireLocation, site)
                    .Create(Rule, site, NameOfSite(analysis, site), "'" + held.Id.Display + "' is not released on every path out of " + method));
            }
        }
    }

    /// <summary>A spinlock's region comes with the lock: a method that declares the lock declares the region too.</summary>
    private static bool IsDeclaredAcquire(MethodAnalysis analysis, IOperation site, List<LockId> declared)
    {
        foreach (var call in analysis.Calls)
        {
            if (ReferenceEquals(call.Operation, site))
            {
                return TouchesDeclared(call.Effects.Acquires, declared);
            }
        }

        return false;
    }

    private static bool TouchesDeclared(ImmutableArray<LockUse> uses, List<LockId> declared)
    {
        foreach (var use in uses)
        {
            if (Contains(declared, use.Id))
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

    private static bool Contains(List<LockId> locks, LockId id)
    {
        foreach (var candidate in locks)
        {
            if (candidate.Equals(id))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The locks the method itself declares with <c>[Acquires]</c>/<c>[Releases]</c>, as ids inside it.</summary>
    private static List<LockId> DeclaredLocks(IMethodSymbol method, MethodAnnotations own)
    {
        var result = new List<LockId>();
        foreach (var list in new[] { own.Acquires, own.Releases })
        {
            foreach (var reference in list)
            {
                ISymbol? root = null;
                bool isThis = reference.Root == "this";
                if (isThis)
                {
                    root = method.ContainingType;
                }
                else
                {
                    foreach (var parameter in method.Parameters)
                    {
                        if (parameter.Name == reference.Root)
                        {
                            root = parameter;
                        }
                    }
                }

                if (root is not null)
                {
                    result.Add(new LockId(root, isThis, reference.Path, reference.Root, LockTraits.None));
                }
            }
        }

        return result;
    }
}
