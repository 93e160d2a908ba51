using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// Builds the test's solution in an <see cref="AdhocWorkspace"/>: the workspace is what code fixes and the
/// IDE see, so analyzer and code fix tests both start from it. Documents get file paths (<c>/0/Test0.cs</c>)
/// so that <c>.editorconfig</c> sections apply to them.
/// </summary>
internal static class TestSolutionFactory
{
    public static CSharpCompilationOptions DefaultCompilationOptions { get; } = new(
        OutputKind.DynamicallyLinkedLibrary,
        allowUnsafe: true,
        nullableContextOptions: NullableContextOptions.Enable);

    public static CSharpParseOptions DefaultParseOptions { get; } = new(LanguageVersion.Latest);

    public static Solution Create(ProcessedSolution processed, CompilationOptions compilationOptions, ParseOptions parseOptions)
    {
        var workspace = new AdhocWorkspace();
        var solution = workspace.CurrentSolution;
        var ids = processed.Projects.ToDictionary(p => p.Name, p => ProjectId.CreateNewId(p.Name));
        foreach (var project in processed.Projects)
        {
            var id = ids[project.Name];
            var info = ProjectInfo.Create(
                id,
                VersionStamp.Default,
                project.Name,
                project.Name,
                LanguageNames.CSharp,
                compilationOptions: compilationOptions,
                parseOptions: parseOptions,
                metadataReferences: ReferenceAssemblies.Default.Concat(project.AdditionalReferences),
                projectReferences: project.ProjectReferences.Select(name => new ProjectReference(ids.TryGetValue(name, out var target)
                    ? target
                    : throw new VerifierException($"Project {project.Name} references unknown project {name}."))));
            solution = solution.AddProject(info);
            solution = solution.AddDocuments(Documents(id, project.Sources).ToImmutableArray());
            solution = solution.AddAnalyzerConfigDocuments(Documents(id, project.AnalyzerConfigFiles).ToImmutableArray());
            solution = solution.AddAdditionalDocuments(Documents(id, project.AdditionalFiles).ToImmutableArray());
        }

        return solution;
    }

    private static IEnumerable<DocumentInfo> Documents(ProjectId project, IEnumerable<(string Path, string Text)> files)
        => files.Select(file => DocumentInfo.Create(
            DocumentId.CreateNewId(project, file.Path),
            name: System.IO.Path.GetFileName(file.Path),
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(file.Text), VersionStamp.Default, file.Path)),
            filePath: file.Path));
}
