using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA5001: the result of a <c>[MustCheck]</c> call is dropped: the call is an expression statement.
/// Any use satisfies the rule, as the kernel's <c>__must_check</c>; C# has no <c>(void)</c> cast, so a
/// discard (<c>_ = PutUser(...)</c>) is the explicit, deliberate ignore and is not flagged.
/// Reported on the invocation.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UA5001IgnoredResultAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.IgnoredResult,
        "Result that must be checked is ignored",
        "The result of '{0}' must be checked",
        "UserAccess.Results",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A failed user access, fault-in or killable lock that nobody checks leaves the kernel acting on a write that never happened (ARC's cmpxchg and its ignored __put_user).",
        helpLinkUri: HelpLink(DiagnosticIds.IgnoredResult));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        foreach (var invocation in analysis.IgnoredResults)
        {
            report(new DiagnosticData()
                .Property(DiagnosticProperties.Callee, invocation.TargetMethod.Name)
                .Create(Rule, invocation, CompilationEngine.NameOf(invocation, invocation.TargetMethod, invocation.Instance)));
        }
    }
}
