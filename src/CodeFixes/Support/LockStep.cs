using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UserAccess.Analyzers.Engine;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// What one call does to the locks and regions, as the engine sees the call: the locks by their
/// identity (aliases included: <c>var m = task.Mm; MmapReadLock(m)</c> takes <c>task.Mm</c>'s lock)
/// and the regions it enters or leaves. A spinlock is both its lock and the atomic region.
/// </summary>
internal sealed class LockStep
{
    private LockStep(bool isAcquire, IReadOnlyList<LockId> locks, IReadOnlyList<RegionKind> regions, AcquireWhen when)
    {
        IsAcquire = isAcquire;
        Locks = locks;
        Regions = regions;
        When = when;
    }

    /// <summary>Takes (true) or releases (false).</summary>
    internal bool IsAcquire { get; }

    /// <summary>The locks taken or released.</summary>
    internal IReadOnlyList<LockId> Locks { get; }

    /// <summary>The regions entered or left.</summary>
    internal IReadOnlyList<RegionKind> Regions { get; }

    /// <summary>When a take holds the lock: always, or only on one result (a killable or try lock).</summary>
    internal AcquireWhen When { get; }

    /// <summary>
    /// The call's step, or null when it takes and releases nothing, or does both at once (a lock
    /// handover, nothing a rewrite can move as a unit).
    /// </summary>
    internal static LockStep? Of(EngineFacts facts, InvocationExpressionSyntax call)
    {
        if (facts.CallAt(call) is not { } site)
        {
            return null;
        }

        var effects = site.Effects;
        bool takes = effects.Acquires.Length > 0 || effects.Enters.Length > 0;
        bool releases = effects.Releases.Length > 0 || effects.Exits.Length > 0;
        if (takes == releases)
        {
            return null;
        }

        return takes
            ? new LockStep(true, effects.Acquires.Select(a => a.Id).ToList(), effects.Enters.ToList(), effects.Acquires.Select(a => a.When).DefaultIfEmpty(AcquireWhen.Always).Max())
            : new LockStep(false, effects.Releases.Select(r => r.Id).ToList(), effects.Exits.ToList(), AcquireWhen.Always);
    }

    /// <summary>The releases undo exactly the takes: the same locks and regions, each as often, in any order.</summary>
    internal static bool SameSet(IReadOnlyList<LockStep> takes, IReadOnlyList<LockStep> releases)
    {
        var locks = takes.SelectMany(t => t.Locks).ToList();
        var regions = takes.SelectMany(t => t.Regions).ToList();
        foreach (var release in releases)
        {
            foreach (var id in release.Locks)
            {
                if (!locks.Remove(id))
                {
                    return false;
                }
            }

            foreach (var region in release.Regions)
            {
                if (!regions.Remove(region))
                {
                    return false;
                }
            }
        }

        return locks.Count == 0 && regions.Count == 0;
    }

    /// <summary>A call inside <paramref name="node"/> takes or releases a lock, or enters or leaves a region (its own, or through a helper's summary).</summary>
    internal static bool AnyIn(EngineFacts facts, Microsoft.CodeAnalysis.SyntaxNode node)
    {
        foreach (var call in facts.Analysis.Calls)
        {
            var effects = call.Effects;
            if (node.Span.Contains(call.Operation.Syntax.Span)
                && (effects.Acquires.Length > 0 || effects.Releases.Length > 0 || effects.Enters.Length > 0 || effects.Exits.Length > 0))
            {
                return true;
            }
        }

        return false;
    }
}
