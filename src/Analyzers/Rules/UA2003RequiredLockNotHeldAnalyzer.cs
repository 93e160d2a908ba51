using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA2003: a call that requires a lock (<c>[RequiresLock]</c>, or a source helper that needs one of
/// its parameters' locks) where that lock, resolved against the call's own arguments (the same
/// <c>Mm</c>), is not held on every path. A shared requirement is met by a read or a write hold.
/// A lock expression the engine cannot name (an array element, a call result) is not reported.
/// Reported on the invocation.
/// </summary>
public sealed class UA2003RequiredLockNotHeldAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.RequiredLockNotHeld,
        "Required lock not held",
        "'{0}' requires '{1}' to be held{2}, but it is not held on every path here",
        "UserAccess.Locking",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "fixup_user_fault() must be called with the mmap lock of the same mm held.",
        helpLinkUri: HelpLink(DiagnosticIds.RequiredLockNotHeld));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        foreach (var call in analysis.Calls)
        {
            foreach (var required in call.Effects.Requires)
            {
                var held = call.Before.FindLock(required.Id);
                if (held is { Definite: true } h && (required.Shared || !h.Shared))
                {
                    continue;
                }

                report(new DiagnosticData()
                    .Property(DiagnosticProperties.LockExpression, required.Id.Display)
                    .Property(DiagnosticProperties.LockShared, required.Shared ? "true" : "false")
                    .Create(Rule, call.Operation, call.Effects.Name, required.Id.Display, required.Shared ? string.Empty : " for write"));
            }
        }
    }
}
