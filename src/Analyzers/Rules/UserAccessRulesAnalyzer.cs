using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.Analyzers;

/// <summary>
/// The one analyzer the compiler runs for every rule that reads a method's shared analysis: each
/// method costs the compiler's driver one callback instead of one per rule, and its analysis is
/// handed straight to the rules instead of going through a cache shared by many analyzers. Each rule
/// keeps its own class, descriptor and page (<see cref="RuleAnalyzer"/>); the options turn rules off
/// one id at a time (<see cref="RuleSelection"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UserAccessRulesAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Every rule, in the order of their ids.</summary>
    internal static ImmutableArray<RuleAnalyzer> Rules { get; } = ImmutableArray.Create<RuleAnalyzer>(
        new UA1001SleepInAtomicAnalyzer(),
        new UA1002FaultHandlingInNofaultAnalyzer(),
        new UA1003UnbalancedRegionAnalyzer(),
        new UA2001NonKillableWaitAnalyzer(),
        new UA2002FaultUnderFaultPathLockAnalyzer(),
        new UA2003RequiredLockNotHeldAnalyzer(),
        new UA2004GuardedFieldWithoutLockAnalyzer(),
        new UA3001UnalignedUserAtomicAnalyzer(),
        new UA3002UnvalidatedBitOperationAnalyzer(),
        new UA3003DoubleFetchAnalyzer(),
        new UA4001PrefaultOnHotPathAnalyzer(),
        new UA4002EndlessRetryAnalyzer(),
        new UA4003NoFatalSignalCheckAnalyzer(),
        new UA4004AllOrNothingFaultInAnalyzer(),
        new UA4005NoForwardProgressAnalyzer(),
        new UA5001IgnoredResultAnalyzer(),
        new UA5002BytesNotCopiedMisreadAnalyzer(),
        new UA5003UncheckedAccessAnalyzer());

    private static readonly ImmutableArray<DiagnosticDescriptor> Descriptors = CollectDescriptors();

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Descriptors;

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // Not run on generated code (no Analyze flag); ReportDiagnostics because everything the rules
        // report lies in the method they were run on, so the driver's generated-code check of every
        // reported location would find nothing that Register does not already skip.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        RuleAnalyzer.Register(context, Rules);
    }

    private static ImmutableArray<DiagnosticDescriptor> CollectDescriptors()
    {
        var builder = ImmutableArray.CreateBuilder<DiagnosticDescriptor>();
        foreach (var rule in Rules)
        {
            builder.AddRange(rule.SupportedDiagnostics);
        }

        return builder.ToImmutable();
    }
}
