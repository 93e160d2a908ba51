using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;

namespace UserAccess.Analyzers.Tests.Rules;

/// <summary>
/// Every analyzer of the assembly on every prefix (cut at token boundaries) of each Corpus/*.cs file:
/// half-typed code must give diagnostics or none, never an analyzer exception (AD0001).
/// </summary>
public class CorpusPrefixTests
{
    public static IEnumerable<object[]> CorpusFiles() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Corpus"), "*.cs")
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => new object[] { Path.GetFileName(path) });

    private static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers() =>
        typeof(RuleAnalyzer).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
            .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
            .ToImmutableArray();

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void TheWholeFileCompiles(string file)
    {
        var compilation = Compile(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", file)));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => e.ToString())));
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task NoAnalyzerThrowsOnAnyPrefix(string file)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", file));
        var analyzers = AllAnalyzers();
        Assert.True(analyzers.Length >= 16, "analyzers found: " + analyzers.Length);
        var cuts = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Select(token => token.Span.End).Distinct().ToArray();
        Assert.True(cuts.Length > 200, "tokens: " + cuts.Length);
        int diagnostics = 0;
        await Parallel.ForEachAsync(cuts, async (cut, cancellationToken) =>
        {
            var result = await AnalyzerRunner.RunAsync(Compile(text.Substring(0, cut)), analyzers, cancellationToken: cancellationToken);
            result.ThrowIfAnalyzerFailed(file + " cut at " + cut);
            System.Threading.Interlocked.Add(ref diagnostics, result.AnalyzerDiagnostics.Length);
        });

        // The prefixes are analysed, not skipped: the complete methods near the end give diagnostics.
        Assert.True(diagnostics > 0);
    }

    private static CSharpCompilation Compile(string source) => CSharpCompilation.Create(
        "Corpus",
        new[] { CSharpSyntaxTree.ParseText(source) },
        ReferenceAssemblies.Default,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
}
