using System.Collections.Concurrent;
using System.Collections.Generic;
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
/// The IDE runs the analyzers on every keystroke, so on code that is half typed. For each corpus file (and
/// each sample, when the repository has samples), every prefix cut at a token boundary is compiled alone
/// (errors expected) and analyzed by every shipped analyzer: none may throw. Files with more boundaries than
/// their share of the budget are sampled at evenly spaced boundaries, so that the whole test stays under a
/// minute on two cores however many samples the repository grows.
/// </summary>
public class HalfTypedCodeTests
{
    /// <summary>At most this many prefixes per file...</summary>
    private const int MaxPrefixesPerFile = 200;

    /// <summary>...and this many over all files (about 40 ms each with the rules on a loaded 2-core machine).</summary>
    private const int MaxPrefixesInTotal = 800;

    public static TheoryData<string> SourceFiles() => Relative(CorpusFiles().Concat(SampleFiles()));

    public static TheoryData<string> CorpusSourceFiles() => Relative(CorpusFiles());

    [Theory]
    [MemberData(nameof(SourceFiles))]
    public async Task NoAnalyzerThrowsOnAnyPrefix(string file)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Root, file));
        var fileCount = CorpusFiles().Concat(SampleFiles()).Count();
        var cuts = Cuts(text, Math.Min(MaxPrefixesPerFile, Math.Max(20, MaxPrefixesInTotal / Math.Max(1, fileCount))));
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(cuts, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (cut, ct) =>
        {
            var compilation = Compile(text.Substring(0, cut), file);
            var result = await AnalyzerRunner.RunAsync(compilation, AnalyzerCatalog.Analyzers, includeCompilerDiagnostics: false, cancellationToken: ct);
            foreach (var failure in result.Failures)
            {
                failures.Add($"prefix of {cut} chars (ends '{Tail(text, cut)}'): {failure.Analyzer.GetType().Name}: {failure.Exception.GetType().Name}: {failure.Exception.Message}");
            }

            foreach (var diagnostic in result.DriverFailures)
            {
                failures.Add($"prefix of {cut} chars (ends '{Tail(text, cut)}'): {diagnostic}");
            }
        });

        Assert.True(failures.IsEmpty, $"Analyzers threw on half-typed {file} ({failures.Count} of {cuts.Count} prefixes):\n" + string.Join("\n", failures.OrderBy(f => f).Take(20)));
    }

    [Theory]
    [MemberData(nameof(CorpusSourceFiles))]
    public async Task WholeCorpusFileCompiles(string file)
    {
        // The corpus is only representative if it is real simulator code: complete, it must compile.
        // (Samples are not checked here: they belong to a project with several files.)
        var text = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Root, file));
        var errors = Compile(text, file).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"{file} does not compile:\n" + string.Join("\n", errors));
    }

    /// <summary>Every token end (an evenly spaced sample of at most <paramref name="max"/> for big files), plus the whole text.</summary>
    internal static IReadOnlyList<int> Cuts(string text, int max)
    {
        var ends = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens(descendIntoTrivia: false)
            .Select(t => t.Span.End)
            .Where(end => end > 0)
            .Append(text.Length)
            .Distinct()
            .OrderBy(end => end)
            .ToList();
        if (ends.Count <= max)
        {
            return ends;
        }

        var step = (double)ends.Count / max;
        return Enumerable.Range(0, max).Select(i => ends[(int)(i * step)]).Append(text.Length).Distinct().ToList();
    }

    private static Compilation Compile(string text, string path)
        => CSharpCompilation.Create(
            "HalfTyped",
            new[] { CSharpSyntaxTree.ParseText(text, SimulatorCompilation.ParseOptions, path) },
            SimulatorCompilation.References,
            SimulatorCompilation.Options);

    private static TheoryData<string> Relative(IEnumerable<string> files)
    {
        var data = new TheoryData<string>();
        foreach (var file in files.OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepositoryLayout.Root, file));
        }

        return data;
    }

    private static IEnumerable<string> CorpusFiles() => Directory.GetFiles(RepositoryLayout.Corpus, "*.cs");

    private static IEnumerable<string> SampleFiles()
        => Directory.Exists(RepositoryLayout.Samples)
            ? Directory.GetFiles(RepositoryLayout.Samples, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            : Enumerable.Empty<string>();

    private static string Tail(string text, int cut)
        => text.Substring(Math.Max(0, cut - 30), Math.Min(30, cut)).Replace("\n", "\\n");
}
