using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Tests.Infrastructure;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;

namespace UserAccess.Analyzers.Tests.AllRules;

/// <summary>
/// The one analyzer the compiler runs for every rule (<see cref="UserAccessRulesAnalyzer"/>): it runs
/// each rule class, reports what the rules run alone report, and leaves a rule out where the options
/// turn its id off, down to doing nothing when every id is off.
/// </summary>
public class OneAnalyzerTests
{
    // A sleeping allocation under a spinlock (UA1001) and an ignored PutUser result (UA5001).
    private const string TwoBugs = Usings + @"
class Driver
{
    static byte[] Alloc(KernelSpinlock lk, int n)
    {
        lk.Lock();
        var buf = Kmalloc(n, Gfp.Kernel);
        lk.Unlock();
        return buf;
    }

    static void Store(UserPtr<uint> p)
    {
        PutUser(1u, p);
    }
}";

    [Fact]
    public void EveryRuleClassIsRunAndEveryIdDeclared()
    {
        var ruleTypes = typeof(RuleAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(RuleAnalyzer).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
        Assert.Equal(ruleTypes, UserAccessRulesAnalyzer.Rules.Select(r => r.GetType()).OrderBy(t => t.Name, StringComparer.Ordinal));
        Assert.Equal(
            UserAccessRulesAnalyzer.Rules.SelectMany(r => r.SupportedDiagnostics).Select(d => d.Id),
            new UserAccessRulesAnalyzer().SupportedDiagnostics.Select(d => d.Id));
    }

    [Fact]
    public async Task ReportsWhatTheRulesRunAloneReport()
    {
        var compilation = Compile(TwoBugs, TwoBugs);
        var together = await IdsAsync(compilation, new UserAccessRulesAnalyzer());
        var alone = await IdsAsync(compilation, UserAccessRulesAnalyzer.Rules.ToArray<DiagnosticAnalyzer>());
        Assert.Equal(new[] { "a.cs UA1001", "a.cs UA5001", "b.cs UA1001", "b.cs UA5001" }, together);
        Assert.Equal(alone, together);
    }

    [Fact]
    public async Task ARuleOffForATreeIsNotRunThere()
    {
        var compilation = Compile(TwoBugs, TwoBugs, new TreeSeverities(("a.cs", "UA1001", ReportDiagnostic.Suppress)));
        Assert.Equal(new[] { "a.cs UA5001", "b.cs UA1001", "b.cs UA5001" }, await IdsAsync(compilation, new UserAccessRulesAnalyzer()));
    }

    [Fact]
    public async Task NoWarnTurnsARuleOff()
    {
        var compilation = Compile(TwoBugs, TwoBugs);
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["UA5001"] = ReportDiagnostic.Suppress }));
        Assert.Equal(new[] { "a.cs UA1001", "b.cs UA1001" }, await IdsAsync(compilation, new UserAccessRulesAnalyzer()));
    }

    [Fact]
    public async Task EveryIdOffInEveryTreeRegistersNoMethodAction()
    {
        var off = UserAccessRulesAnalyzer.Rules.SelectMany(r => r.SupportedDiagnostics)
            .SelectMany(d => new[] { ("a.cs", d.Id, ReportDiagnostic.Suppress), ("b.cs", d.Id, ReportDiagnostic.Suppress) })
            .ToArray();
        var compilation = Compile(TwoBugs, TwoBugs, new TreeSeverities(off));
        var analyzer = new UserAccessRulesAnalyzer();
        var host = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(analyzer), new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        Assert.Empty(await host.GetAnalyzerDiagnosticsAsync(CancellationToken.None));
        var telemetry = await host.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
        Assert.Equal(0, telemetry.OperationBlockActionsCount);
    }

    private static CSharpCompilation Compile(string a, string b, SyntaxTreeOptionsProvider? severities = null)
    {
        var options = SimulatorCompilation.Options;
        if (severities is not null)
        {
            options = options.WithSyntaxTreeOptionsProvider(severities);
        }

        return SimulatorCompilation.Create("Rules", new[] { SimulatorCompilation.Parse(a, "a.cs"), SimulatorCompilation.Parse(b, "b.cs") }, options);
    }

    private static async Task<string[]> IdsAsync(Compilation compilation, params DiagnosticAnalyzer[] analyzers)
    {
        var result = await AnalyzerRunner.RunAsync(compilation, analyzers.ToImmutableArray(), includeCompilerDiagnostics: false);
        result.ThrowIfAnalyzerFailed("one analyzer");
        return result.AnalyzerDiagnostics
            .Where(d => !d.IsSuppressed)
            .Select(d => d.Location.SourceTree!.FilePath + " " + d.Id)
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Severities per tree, as an <c>.editorconfig</c> section for one file gives them to the compiler.</summary>
    private sealed class TreeSeverities : SyntaxTreeOptionsProvider
    {
        private readonly (string Path, string Id, ReportDiagnostic Severity)[] entries;

        public TreeSeverities(params (string Path, string Id, ReportDiagnostic Severity)[] entries) => this.entries = entries;

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.NotGenerated;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            foreach (var (path, id, value) in entries)
            {
                if (path == tree.FilePath && id == diagnosticId)
                {
                    severity = value;
                    return true;
                }
            }

            severity = ReportDiagnostic.Default;
            return false;
        }

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return false;
        }
    }
}
