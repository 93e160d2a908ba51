using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.Analyzers.Tests.Meta;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;

namespace UserAccess.Analyzers.Tests.AllRules;

/// <summary>
/// The other half of the fixed-samples meta-test: the seed scenarios' buggy code is reported by the rule
/// of its lesson (the whole Scenarios project compiled as its .csproj does, every analyzer run).
/// </summary>
public class BuggySamplesTests
{
    private static readonly Lazy<Task<Diagnostic[]>> Diagnostics = new(RunAsync);

    private static async Task<Diagnostic[]> RunAsync()
    {
        var directory = Path.Combine(RepositoryLayout.Samples, "Scenarios");
        if (!Directory.Exists(directory))
        {
            return Array.Empty<Diagnostic>();
        }

        var separator = Path.DirectorySeparatorChar;
        var trees = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}bin{separator}") && !f.Contains($"{separator}obj{separator}"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), SimulatorCompilation.ParseOptions, Path.GetRelativePath(RepositoryLayout.Root, f)))
            .ToList();
        var compilation = CSharpCompilation.Create("Scenarios", trees, SimulatorCompilation.References, SimulatorCompilation.Options.WithOutputKind(OutputKind.ConsoleApplication));
        var result = await AnalyzerRunner.RunAsync(compilation, AnalyzerCatalog.Analyzers);
        result.ThrowIfAnalyzerFailed("samples/Scenarios");
        return result.AnalyzerDiagnostics.ToArray();
    }

    [Theory]
    [InlineData("ArcUsrCmpxchg.cs", "UA5001")]
    [InlineData("UmcgGetUserNosleep.cs", "UA1001")]
    [InlineData("GenericPerformWrite.cs", "UA2002")]
    [InlineData("Userfaultfd.cs", "UA2004")]
    [InlineData("BtrfsSearchIoctl.cs", "UA4005")]
    public async Task BuggySampleIsReported(string file, string id)
    {
        var path = Path.Combine(RepositoryLayout.Samples, "Scenarios", "Buggy", file);
        if (!File.Exists(path))
        {
            return;
        }

        var diagnostics = await Diagnostics.Value;
        Assert.Contains(diagnostics, d => d.Id == id && d.Location.SourceTree!.FilePath.EndsWith("Buggy/" + file, StringComparison.Ordinal));
    }
}
