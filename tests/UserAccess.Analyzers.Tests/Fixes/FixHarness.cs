using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;

namespace UserAccess.Analyzers.Tests.Fixes;

/// <summary>
/// The fixes' checks beyond the shared code-fix verifier (which each test also runs): Fix All with
/// two projects of two files each (Document scope must leave the other files alone, Project scope
/// the other project), no new diagnostic of ANY rule after the fix (a fix must not trade one bug
/// for another), the declined shapes offer no action, plus exact text one by one, nothing left to
/// fix, no new compiler diagnostics, and a result that re-parses to the same tree.
/// </summary>
internal static class FixHarness
{
    internal const string Usings = "using UserAccess.Runtime;\nusing static UserAccess.Runtime.Kernel;\nusing static UserAccess.Runtime.Errno;\n";

    /// <summary>Checks the fix of every marked diagnostic, one by one and with Fix All.</summary>
    internal static async Task VerifyAsync<TAnalyzer, TFix>(string markedSource, string expectedFixed)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixVerifier<TAnalyzer, TFix>.Test { TestCode = markedSource, FixedCode = expectedFixed };

        // CS1701 (the runtime assembly built against System.Runtime 8 meets the newer reference
        // pack) has no location and the verifier counts it as new in the fixed code; it is not
        // about the code under test.
        test.DisabledDiagnostics.Add("CS1701");
        await test.RunAsync();
        DiagnosticAnalyzer analyzer = new TAnalyzer();
        CodeFixProvider fix = new TFix();
        var id = fix.FixableDiagnosticIds.Single();
        var (source, spans) = TestFileMarkupParser.Parse(markedSource);
        var analyzers = ImmutableArray.Create(analyzer);
        var solution = CreateSolution(source, copies: 1);
        var document = solution.Projects.Single().Documents.Single();

        // The diagnostics are where the test says they are.
        var diagnostics = await DiagnosticsAsync(document.Project, analyzers, id);
        Assert.Equal(spans.Select(s => s.Span).OrderBy(s => s.Start), diagnostics.Select(d => d.Location.SourceSpan));
        var originalDiagnostics = (await document.Project.GetCompilationAsync())!.GetDiagnostics();
        Assert.True(!originalDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error), "The test source does not compile:\n" + string.Join("\n", originalDiagnostics));
        var originalCompiler = originalDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.Id).ToList();

        // One by one, re-analysing after each fix.
        // Diagnostics on one span (a spinlock is a lock and an atomic region) take one fix.
        var oneByOne = await FixOneByOneAsync(document, analyzers, fix, id, spans.Select(s => s.Span).Distinct().Count());
        var text = (await oneByOne.GetTextAsync()).ToString();
        Assert.Equal(Normalize(expectedFixed), Normalize(text));

        // Nothing left to fix, nothing of the id left, and it compiles with no new compiler diagnostic.
        var remaining = await DiagnosticsAsync(oneByOne.Project, analyzers, id);
        Assert.Empty(remaining);
        var compilation = (await oneByOne.Project.GetCompilationAsync())!;
        var newCompiler = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && !originalCompiler.Contains(d.Id)).ToList();
        Assert.True(newCompiler.Count == 0, "The fixed code has new compiler diagnostics:\n" + string.Join("\n", newCompiler) + "\n" + text);

        // No rule reports more than it did before the fix: a fix must not trade one bug for another.
        var before = await CountsAsync(document.Project);
        var after = await CountsAsync(oneByOne.Project);
        foreach (var pair in after)
        {
            Assert.True(pair.Key == id || pair.Value <= (before.TryGetValue(pair.Key, out var n) ? n : 0), $"The fix brought new {pair.Key} diagnostics:\n{text}");
        }

        // The text re-parses to the same tree (no tokens glued by a missing space).
        var reparsed = CSharpSyntaxTree.ParseText(text, (CSharpParseOptions)oneByOne.Project.ParseOptions!);
        Assert.True(reparsed.GetRoot().IsEquivalentTo((await oneByOne.GetSyntaxRootAsync())!, topLevel: false), "The fixed tree does not re-parse to itself.");

        // Fix All in each scope equals one by one: two projects with two copies each, so that
        // Document scope must leave the other files alone.
        foreach (var scope in new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution })
        {
            var multi = CreateSolution(source, copies: 2, projects: 2);
            var first = multi.Projects.OrderBy(p => p.Name, StringComparer.Ordinal).First().Documents.OrderBy(d => d.Name, StringComparer.Ordinal).First();
            var fixedSolution = await FixAllAsync(first, analyzers, fix, id, scope);
            foreach (var project in fixedSolution.Projects)
            {
                foreach (var doc in project.Documents)
                {
                    bool inScope = scope switch
                    {
                        FixAllScope.Document => doc.Id == first.Id,
                        FixAllScope.Project => project.Id == first.Project.Id,
                        _ => true,
                    };
                    var docText = (await doc.GetTextAsync()).ToString();
                    Assert.Equal(Normalize(inScope ? expectedFixed : source), Normalize(docText));
                }
            }
        }
    }

    /// <summary>The marked diagnostics are reported, and the fix offers nothing for any of them.</summary>
    internal static async Task VerifyNoFixAsync<TAnalyzer, TFix>(string markedSource)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        DiagnosticAnalyzer analyzer = new TAnalyzer();
        CodeFixProvider fix = new TFix();
        var id = fix.FixableDiagnosticIds.Single();
        var (source, spans) = TestFileMarkupParser.Parse(markedSource);
        var analyzers = ImmutableArray.Create(analyzer);
        var document = CreateSolution(source, copies: 1).Projects.Single().Documents.Single();
        var diagnostics = await DiagnosticsAsync(document.Project, analyzers, id);
        Assert.Equal(spans.Select(s => s.Span).OrderBy(s => s.Start), diagnostics.Select(d => d.Location.SourceSpan));
        Assert.NotEmpty(diagnostics);
        foreach (var diagnostic in diagnostics)
        {
            Assert.Empty(await ActionsAsync(document, fix, diagnostic));
        }
    }

    internal static async Task<Document> FixOneByOneAsync(Document document, ImmutableArray<DiagnosticAnalyzer> analyzers, CodeFixProvider fix, string id, int expectedFixes)
    {
        int applied = 0;
        while (true)
        {
            var diagnostics = await DiagnosticsAsync(document.Project, analyzers, id);
            CodeAction? action = null;
            foreach (var diagnostic in diagnostics)
            {
                action = (await ActionsAsync(document, fix, diagnostic)).FirstOrDefault();
                if (action is not null)
                {
                    Assert.NotNull(action.EquivalenceKey);
                    break;
                }
            }

            if (action is null)
            {
                break;
            }

            var changed = await ApplyAsync(action, document.Project.Solution);
            var next = changed.GetDocument(document.Id)!;
            Assert.NotEqual((await document.GetTextAsync()).ToString(), (await next.GetTextAsync()).ToString());
            document = next;
            applied++;
            Assert.True(applied <= expectedFixes, "The fix keeps finding something to fix (a fix loop):\n" + (await document.GetTextAsync()));
        }

        Assert.Equal(expectedFixes, applied);
        return document;
    }

    internal static async Task<Solution> FixAllAsync(Document document, ImmutableArray<DiagnosticAnalyzer> analyzers, CodeFixProvider fix, string id, FixAllScope scope)
    {
        var diagnostics = await DiagnosticsAsync(document.Project, analyzers, id);
        var key = (await ActionsAsync(document, fix, diagnostics.First(d => d.Location.SourceTree == document.GetSyntaxTreeAsync().Result))).First().EquivalenceKey!;
        var provider = fix.GetFixAllProvider()!;
        Assert.Contains(scope, provider.GetSupportedFixAllScopes());
        var context = scope == FixAllScope.Document
            ? new FixAllContext(document, fix, scope, key, new[] { id }, new Provider(analyzers, id), CancellationToken.None)
            : new FixAllContext(document.Project, fix, scope, key, new[] { id }, new Provider(analyzers, id), CancellationToken.None);
        var action = await provider.GetFixAsync(context);
        Assert.NotNull(action);
        return await ApplyAsync(action!, document.Project.Solution);
    }

    /// <summary>Every rule of the analyzers assembly, to check that a fix brings no new diagnostic of any kind.</summary>
    internal static readonly ImmutableArray<DiagnosticAnalyzer> AllRules = typeof(DiagnosticIds).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    private static async Task<Dictionary<string, int>> CountsAsync(Project project)
    {
        var result = await SolutionAnalyzer.AnalyzeAsync(project, AllRules, CancellationToken.None);
        return result.AnalyzerDiagnostics.Where(d => !d.IsSuppressed).GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count());
    }

    internal static async Task<List<CodeAction>> ActionsAsync(Document document, CodeFixProvider fix, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None);
        await fix.RegisterCodeFixesAsync(context);
        return actions;
    }

    internal static async Task<Solution> ApplyAsync(CodeAction action, Solution solution)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        return operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
    }

    internal static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project project, ImmutableArray<DiagnosticAnalyzer> analyzers, string id)
    {
        var result = await SolutionAnalyzer.AnalyzeAsync(project, analyzers, CancellationToken.None);
        return result.AnalyzerDiagnostics.Where(d => d.Id == id && !d.IsSuppressed).InSourceOrder().ToImmutableArray();
    }

    internal static Solution CreateSolution(string source, int copies, int projects = 1)
    {
        var workspace = new AdhocWorkspace();
        var solution = workspace.CurrentSolution;
        for (int p = 0; p < projects; p++)
        {
            var id = ProjectId.CreateNewId("P" + p);
            solution = solution.AddProject(ProjectInfo.Create(
                id, VersionStamp.Default, "P" + p, "P" + p, LanguageNames.CSharp,
                compilationOptions: TestSolutionFactory.DefaultCompilationOptions,
                parseOptions: TestSolutionFactory.DefaultParseOptions,
                metadataReferences: ReferenceAssemblies.Default));
            for (int c = 0; c < copies; c++)
            {
                solution = solution.AddDocument(DocumentId.CreateNewId(id), $"Test{c}.cs", SourceText.From(source), filePath: $"/P{p}/Test{c}.cs");
            }
        }

        if (copies > 1)
        {
            // Copies of one type in one project would clash: give each file its own namespace line
            // only if the source has one; tests use file-scoped namespaces named Sim.
            foreach (var project in solution.Projects.ToList())
            {
                foreach (var doc in project.Documents.ToList())
                {
                    var text = doc.GetTextAsync().Result.ToString();
                    solution = solution.WithDocumentText(doc.Id, SourceText.From(text.Replace("namespace Sim;", "namespace Sim" + doc.Name.Substring(4, 1) + ";")));
                }
            }
        }

        return solution;
    }

    /// <summary>Compares texts modulo the Sim namespace suffix of the copies and line endings.</summary>
    internal static string Normalize(string text)
    {
        var normalized = text.Replace("\r\n", "\n");
        for (int i = 0; i < 10; i++)
        {
            normalized = normalized.Replace("namespace Sim" + i + ";", "namespace Sim;");
        }

        return normalized;
    }

    private sealed class Provider : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<DiagnosticAnalyzer> analyzers;
        private readonly string id;

        public Provider(ImmutableArray<DiagnosticAnalyzer> analyzers, string id)
        {
            this.analyzers = analyzers;
            this.id = id;
        }

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            await DiagnosticsAsync(project, analyzers, id);

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return (await DiagnosticsAsync(document.Project, analyzers, id)).Where(d => d.Location.SourceTree == tree);
        }

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            (await DiagnosticsAsync(project, analyzers, id)).Where(d => !d.Location.IsInSource);
    }
}
