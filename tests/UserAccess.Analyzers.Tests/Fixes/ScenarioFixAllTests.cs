using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Threading;
using System;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.Fixes;

/// <summary>
/// What <c>dotnet format analyzers</c> does unattended, on the seed scenarios (buggy and fixed,
/// with their harness): every fix, Fix All in Solution scope, in turn. The result must compile and
/// no rule may report more than before: a fix that cannot restructure a shape safely must decline
/// it, never produce wrong or non-compiling code.
/// </summary>
public class ScenarioFixAllTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper output;

    public ScenarioFixAllTests(Xunit.Abstractions.ITestOutputHelper output) => this.output = output;

    public static IEnumerable<object[]> Fixes() => new[]
    {
        new object[] { new UA5001IgnoredResultCodeFix() },
        new object[] { new UA5002BytesNotCopiedMisreadCodeFix() },
        new object[] { new UA2001NonKillableWaitCodeFix() },
        new object[] { new UA2003RequiredLockNotHeldCodeFix() },
        new object[] { new UA2004GuardedFieldWithoutLockCodeFix() },
        new object[] { new UA1003UnbalancedRegionCodeFix() },
        new object[] { new UA1002FaultHandlingInNofaultCodeFix() },
        new object[] { new UA2002FaultUnderFaultPathLockCodeFix() },
        new object[] { new UA3001UnalignedUserAtomicCodeFix() },
        new object[] { new UA4004AllOrNothingFaultInCodeFix() },
        new object[] { new UA4003NoFatalSignalCheckCodeFix() },
        new object[] { new UA3002UnvalidatedBitOperationCodeFix() },
        new object[] { new UA5003UncheckedAccessCodeFix() },
        new object[] { new UA4002EndlessRetryCodeFix() },
        new object[] { new UA3003DoubleFetchCodeFix() },
        new object[] { new UA4001PrefaultOnHotPathCodeFix() },
        new object[] { new UA4005NoForwardProgressCodeFix() },
    };

    [Theory]
    [MemberData(nameof(Fixes))]
    public async Task FixAllOverTheScenariosCompilesAndBringsNoNewDiagnostic(CodeFixProvider fix)
    {
        var project = ScenarioProject();
        var before = await CompileAndCountAsync(project);
        var id = fix.FixableDiagnosticIds.Single();

        // Fix All starts from a diagnostic the fix accepts; with none, there is nothing to apply.
        var diagnostics = await FixApplier.DiagnosticsAsync(project, FixApplier.AllRules, id);
        foreach (var diagnostic in diagnostics)
        {
            var document = project.GetDocument(diagnostic.Location.SourceTree)!;
            var action = (await FixApplier.ActionsAsync(document, fix, diagnostic)).FirstOrDefault();
            if (action is null)
            {
                continue;
            }

            var context = new FixAllContext(document, fix, FixAllScope.Solution, action.EquivalenceKey!, new[] { id }, new Provider(id), CancellationToken.None);
            var fixAll = await fix.GetFixAllProvider()!.GetFixAsync(context);
            var fixedProject = (await FixApplier.ApplyAsync(fixAll!, project.Solution)).GetProject(project.Id)!;
            var after = await CompileAndCountAsync(fixedProject);
            foreach (var pair in after)
            {
                Assert.True(pair.Value <= (before.TryGetValue(pair.Key, out var n) ? n : 0), $"{id} Fix All brought new {pair.Key} diagnostics on the scenarios.");
            }

            Assert.True(after.TryGetValue(id, out var left) ? left < before[id] : true, $"{id} Fix All fixed nothing.");
            output.WriteLine($"{id}: {before[id]} diagnostics on the scenarios, {(after.TryGetValue(id, out var l) ? l : 0)} after Fix All.");
            return;
        }

        output.WriteLine(diagnostics.IsEmpty
            ? $"{id}: no diagnostics on the scenarios."
            : $"{id}: {diagnostics.Length} diagnostics on the scenarios, the fix declines every one of their shapes.");
    }

    private static async Task<Dictionary<string, int>> CompileAndCountAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The scenarios do not compile:\n" + string.Join("\n", errors.Take(10)));
        var result = await AnalyzerRunner.RunAsync(project, FixApplier.AllRules);
        return result.AnalyzerDiagnostics.Where(d => !d.IsSuppressed).GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count());
    }

    private static Project ScenarioProject()
    {
        var directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "UserAccess.Analyzers.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        Assert.NotNull(directory);
        var root = Path.Combine(directory!, "samples", "Scenarios");
        var files = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);

        var solution = new AdhocWorkspace().CurrentSolution;
        var id = ProjectId.CreateNewId("Scenarios");
        solution = solution.AddProject(ProjectInfo.Create(
            id, VersionStamp.Default, "Scenarios", "UserAccess.Scenarios", LanguageNames.CSharp,
            compilationOptions: SimulatorCompilation.Options.WithOutputKind(OutputKind.ConsoleApplication),
            parseOptions: SimulatorCompilation.ParseOptions,
            metadataReferences: SimulatorCompilation.References));
        foreach (var file in files)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(id), Path.GetFileName(file), SourceText.From(File.ReadAllText(file)), filePath: file);
        }

        return solution.GetProject(id)!;
    }

    private sealed class Provider : FixAllContext.DiagnosticProvider
    {
        private readonly string id;
        private readonly Dictionary<ProjectId, (Project Project, ImmutableArray<Diagnostic> Diagnostics)> cache = new();

        public Provider(string id) => this.id = id;

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            await ForAsync(project);

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return (await ForAsync(document.Project)).Where(d => d.Location.SourceTree == tree);
        }

        // One analysis per project snapshot: Fix All asks document by document.
        private async Task<ImmutableArray<Diagnostic>> ForAsync(Project project)
        {
            if (cache.TryGetValue(project.Id, out var cached) && cached.Project == project)
            {
                return cached.Diagnostics;
            }

            var diagnostics = await FixApplier.DiagnosticsAsync(project, ImmutableArray.Create(FixApplier.AllRules.First(a => a.SupportedDiagnostics.Any(d => d.Id == id))), id);
            cache[project.Id] = (project, diagnostics);
            return diagnostics;
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}
