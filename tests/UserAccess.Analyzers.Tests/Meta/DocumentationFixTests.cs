using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>
/// What the documentation says a code fix does to one of its blocks, checked by running that fix (through
/// the Workspaces API, as the IDE does) on the block as <see cref="DocumentationSnippet"/> compiles it.
/// </summary>
public class DocumentationFixTests
{
    [Fact]
    public async Task ReadmeHeadlineExampleGetsTheAlignmentCheckTheTextQuotes()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "README.md"));
        Assert.Contains("the fix inserts `if ((uaddr.Address & (sizeof(ulong) - 1)) != 0)` returning `-EINVAL` before the loop", readme);

        // The method as a user's file has it: usings, then the method as a member of a class.
        var snippet = DocumentationSnippet.In("README.md").First();
        var lines = snippet.Code.Split('\n');
        int firstMember = Array.FindIndex(lines, l => l.StartsWith("static ", StringComparison.Ordinal));
        var source = string.Join("\n", lines[..firstMember]) + "\nstatic class Headline\n{\n"
            + string.Join("\n", lines[firstMember..].Select(l => l.Length == 0 ? l : "    " + l)) + "\n}\n";
        const OutputKind kind = OutputKind.DynamicallyLinkedLibrary;

        var (title, fixedSource) = await ApplyFirstFixAsync(source, kind, "UA3001");

        Assert.Equal("Check the alignment and return -EINVAL first", title);
        var expected = source.Replace(
            "        int ret;\n",
            "        int ret;\n        if ((uaddr.Address & (sizeof(ulong) - 1)) != 0)\n            return -EINVAL;\n",
            StringComparison.Ordinal);
        Assert.NotEqual(source, expected);
        Assert.True(expected == fixedSource, "The fix gives:\n" + fixedSource);

        var after = DocumentationCompilation.Create("Fixed", fixedSource, kind);
        Assert.Empty(after.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Empty(await DocumentationCompilation.AnalyzerDiagnosticsAsync(after));
    }

    /// <summary>Applies the first code action offered for the first <paramref name="id"/> diagnostic of <paramref name="source"/>.</summary>
    internal static async Task<(string Title, string Source)> ApplyFirstFixAsync(string source, OutputKind kind, string id)
    {
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var documentId = DocumentId.CreateNewId(projectId);
        var options = DocumentationCompilation.Create("Snippet", source, kind).Options;
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "Snippet", "Snippet", LanguageNames.CSharp,
                compilationOptions: options, parseOptions: DocumentationCompilation.ParseOptions, metadataReferences: DocumentationCompilation.References))
            .AddDocument(documentId, "Snippet.cs", SourceText.From(source));
        var document = solution.GetDocument(documentId)!;
        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostic = (await DocumentationCompilation.AnalyzerDiagnosticsAsync(compilation))
            .Where(d => d.Id == id)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .First();

        var actions = new List<CodeAction>();
        foreach (var provider in AnalyzerCatalog.CodeFixes.Where(p => p.FixableDiagnosticIds.Contains(id)))
        {
            await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        }

        Assert.True(actions.Count > 0, $"No fix is offered for {diagnostic}");
        var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        var text = await changed.GetDocument(documentId)!.GetTextAsync();
        return (actions[0].Title, text.ToString());
    }
}
