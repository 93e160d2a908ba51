using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using System.Threading;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.Meta;
using Xunit;

namespace UserAccess.Analyzers.Tests.Infrastructure;

/// <summary>
/// Applies code fixes to simulator code outside the verifier, for the tests that then run the fixed
/// code in the simulator or fix whole sample projects: the verifier checks a fix against an expected
/// text, these tests need the text the fix produces.
/// </summary>
internal static class FixApplier
{
    /// <summary>A one-document project of simulator code, compiled as every test compiles it.</summary>
    public static Project CreateProject(string source, string name = "Test")
    {
        var workspace = new AdhocWorkspace();
        var id = ProjectId.CreateNewId(name);
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            id, VersionStamp.Default, name, name, LanguageNames.CSharp,
            compilationOptions: SimulatorCompilation.Options,
            parseOptions: SimulatorCompilation.ParseOptions,
            metadataReferences: SimulatorCompilation.References));
        return solution.AddDocument(DocumentId.CreateNewId(id), "Test0.cs", SourceText.From(source), filePath: "/0/Test0.cs").GetProject(id)!;
    }

    /// <summary>Fixes the first fixable diagnostic again and again until none is left; asserts how many fixes that took.</summary>
    public static async Task<Document> FixOneByOneAsync(Document document, DiagnosticAnalyzer analyzer, CodeFixProvider fix, int expectedFixes)
    {
        var id = fix.FixableDiagnosticIds.Single();
        int applied = 0;
        while (true)
        {
            CodeAction? action = null;
            foreach (var diagnostic in await DiagnosticsAsync(document.Project, ImmutableArray.Create(analyzer), id))
            {
                action = (await ActionsAsync(document, fix, diagnostic)).FirstOrDefault();
                if (action is not null)
                {
                    break;
                }
            }

            if (action is null)
            {
                break;
            }

            document = (await ApplyAsync(action, document.Project.Solution)).GetDocument(document.Id)!;
            applied++;
            Assert.True(applied <= expectedFixes, "The fix keeps finding something to fix (a fix loop):\n" + await document.GetTextAsync());
        }

        Assert.Equal(expectedFixes, applied);
        return document;
    }

    public static async Task<List<CodeAction>> ActionsAsync(Document document, CodeFixProvider fix, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None);
        await fix.RegisterCodeFixesAsync(context);
        return actions;
    }

    public static async Task<Solution> ApplyAsync(CodeAction action, Solution solution)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        return operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
    }

    /// <summary>The unsuppressed diagnostics of <paramref name="id"/> in the project, in source order.</summary>
    public static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project project, ImmutableArray<DiagnosticAnalyzer> analyzers, string id)
        => (await AnalyzerRunner.RunAsync(project, analyzers)).AnalyzerDiagnostics
            .Where(d => d.Id == id && !d.IsSuppressed)
            .InSourceOrder()
            .ToImmutableArray();

    /// <summary>Every rule, to check that a fix brings no new diagnostic of any kind.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> AllRules => AnalyzerCatalog.Analyzers;
}
