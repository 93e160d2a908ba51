using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>
/// The samples' fixed code is what the rules tell users to write, so the rules must be silent on it. Each
/// project under <c>samples/</c> is compiled whole (all its .cs files, against the framework and the runtime,
/// as its .csproj does) and analyzed by every shipped analyzer; no diagnostic of ours may fall in a file under a
/// <c>Fixed</c> folder. The compilation must have no errors, or the silence would prove nothing.
/// </summary>
public class FixedSamplesTests
{
    private const string NoSamples = "(no sample projects)";

    public static TheoryData<string> SampleProjects()
    {
        var data = new TheoryData<string>();
        if (Directory.Exists(RepositoryLayout.Samples))
        {
            foreach (var project in Directory.GetFiles(RepositoryLayout.Samples, "*.csproj", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(RepositoryLayout.Root, project));
            }
        }

        if (data.Count == 0)
        {
            data.Add(NoSamples);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampleProjects))]
    public async Task AnalyzersAreSilentOnFixedCode(string project)
    {
        if (project == NoSamples)
        {
            return;
        }

        var projectFile = Path.Combine(RepositoryLayout.Root, project);
        var directory = Path.GetDirectoryName(projectFile)!;
        var separator = Path.DirectorySeparatorChar;
        var trees = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}bin{separator}") && !f.Contains($"{separator}obj{separator}"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), SimulatorCompilation.ParseOptions, Path.GetRelativePath(RepositoryLayout.Root, f)))
            .ToList();
        var isExe = File.ReadAllText(projectFile).Contains("<OutputType>Exe</OutputType>", StringComparison.OrdinalIgnoreCase);
        var compilation = CSharpCompilation.Create(
            Path.GetFileNameWithoutExtension(projectFile),
            trees,
            SimulatorCompilation.References,
            SimulatorCompilation.Options.WithOutputKind(isExe ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary));

        var result = await AnalyzerRunner.RunAsync(compilation, AnalyzerCatalog.Analyzers);
        result.ThrowIfAnalyzerFailed(project);

        var errors = result.CompilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10).ToList();
        Assert.True(errors.Count == 0, $"{project} does not compile here (so the analysis would prove nothing):\n" + string.Join("\n", errors));

        var inFixedCode = result.AnalyzerDiagnostics
            .Where(d => !d.IsSuppressed && d.Location.IsInSource)
            .Where(d => d.Location.SourceTree!.FilePath.Split('/', '\\').Contains("Fixed"))
            .InSourceOrder()
            .ToList();
        Assert.True(inFixedCode.Count == 0, "The rules report on fixed sample code:\n" + string.Join("\n", inFixedCode.Select(d => "    " + d.ToString())));
    }
}
