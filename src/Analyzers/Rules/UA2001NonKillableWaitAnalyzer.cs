using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA2001: a non-killable wait (<c>[HasKillableVariant]</c>: <c>MmapReadLock</c>, <c>DownRead</c>,
/// <c>KernelMutex.Lock</c>) on a lock that may be held for a long time (the mmap lock for write, or for
/// read when the mm is another task's (<c>[RemoteMm]</c>, <c>GetTaskMm</c>); a lock whose
/// field, property or parameter is <c>[LongHeld]</c> or listed in <c>useraccess.killable_wait_locks</c>;
/// every lock when <c>useraccess.killable_waits = all</c>, as the Strict preset sets) in a method that
/// already has an error return path: it returns an <c>int</c>/<c>long</c> and some path returns a
/// negative constant, a <c>[ReturnsErrno]</c> result or a local holding one. A plain mutex or rwsem is
/// not flagged by default: kernel code takes most of them non-killably. A wait whose lock the engine
/// cannot name, a void method, or one that never returns an error is not flagged. It is advice: its
/// default severity is suggestion. Reported on the invocation.
/// </summary>
public sealed class UA2001NonKillableWaitAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.NonKillableWait,
        "Non-killable wait in a method that can fail",
        "'{0}' waits without being killable although the method can return an error; use '{1}' and return -EINTR when it fails",
        "UserAccess.Locking",
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "A task may wait a long time for the mmap lock; when it is killed it should leave at once. Use the killable variant and return -EINTR.",
        helpLinkUri: HelpLink(DiagnosticIds.NonKillableWait));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        if (!analysis.HasErrorReturn)
        {
            return;
        }

        foreach (var call in analysis.Calls)
        {
            if (call.Effects.Annotations.KillableVariant is { } variant && ShouldBeKillable(call, analysis.Options))
            {
                report(new DiagnosticData()
                    .Create(Rule, call.Operation, call.Effects.Name, variant));
            }
        }
    }

    /// <summary>
    /// The wait is one the rule wants killable in an errno-returning method: a lock that may be held
    /// long in the mode waited for (<see cref="LockId.LongWait"/>: the mmap lock for write or on another
    /// task's mm, <c>[LongHeld]</c>, the option's list), or any wait under <c>killable_waits = all</c>.
    /// </summary>
    internal static bool ShouldBeKillable(CallSite call, EngineOptions options)
    {
        if (call.Effects.Annotations.KillableVariant is null)
        {
            return false;
        }

        foreach (var acquired in call.Effects.Acquires)
        {
            if (WaitShouldBeKillable(acquired.Id, acquired.Shared, options))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A wait on <paramref name="id"/> in the given mode is one the rule wants killable (in an
    /// errno-returning method): the lock may be held long in that mode, or every wait should be.
    /// The code fixes that take a lock ask the same question.
    /// </summary>
    internal static bool WaitShouldBeKillable(LockId id, bool shared, EngineOptions options) =>
        id.LongWait(shared) || options.AllWaitsShouldBeKillable;
}
