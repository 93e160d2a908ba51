using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.Analyzers.Tests.Seeds;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;

namespace UserAccess.Analyzers.Tests.AllRules;

/// <summary>The shapes every fix produces or the kernel accepts are silent under every UA3xxx/UA4xxx rule at once.</summary>
public class CanonicalLoopSilenceTests
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Rules = ImmutableArray.Create<DiagnosticAnalyzer>(
        new UA3001UnalignedUserAtomicAnalyzer(),
        new UA3002UnvalidatedBitOperationAnalyzer(),
        new UA3003DoubleFetchAnalyzer(),
        new UA4001PrefaultOnHotPathAnalyzer(),
        new UA4002EndlessRetryAnalyzer(),
        new UA4003NoFatalSignalCheckAnalyzer(),
        new UA4004AllOrNothingFaultInAnalyzer());

    public static TheoryData<string> Sources() => new()
    {
        RetrySeeds.CanonicalLoop,
        RetrySeeds.GenericPerformWriteV614,
        RetrySeeds.FutexWakeOp,
        UA3002UnvalidatedBitOperation.RuleCode.UserEventsEnablerValidated,
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task SilentUnderAllRules(string source)
    {
        var compilation = CSharpCompilation.Create(
            "Silent",
            new[] { CSharpSyntaxTree.ParseText(Usings + Strip(source), SimulatorCompilation.ParseOptions, "/0/Test0.cs") },
            SimulatorCompilation.References,
            SimulatorCompilation.Options);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var result = await AnalyzerRunner.RunAsync(compilation, Rules);
        Assert.Empty(result.Failures);
        Assert.Empty(result.AnalyzerDiagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public async Task TheRulesDoReportOnTheBuggySeeds()
    {
        // The silence above is meaningful: the same harness sees the buggy seeds.
        var compilation = CSharpCompilation.Create(
            "Noisy",
            new[] { CSharpSyntaxTree.ParseText(Usings + Strip(RetrySeeds.GenericPerformWriteBefore2021), SimulatorCompilation.ParseOptions, "/0/Test0.cs") },
            SimulatorCompilation.References,
            SimulatorCompilation.Options);
        var result = await AnalyzerRunner.RunAsync(compilation, Rules);
        Assert.Equal(new[] { "UA4001", "UA4004" }, result.AnalyzerDiagnostics.Select(d => d.Id).OrderBy(id => id, System.StringComparer.Ordinal).ToArray());
    }

    private static string Strip(string markup) =>
        System.Text.RegularExpressions.Regex.Replace(markup, @"\{\|#\d+:", string.Empty).Replace("|}", string.Empty);
}
