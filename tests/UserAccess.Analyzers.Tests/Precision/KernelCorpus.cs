using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using System;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.Analyzers.Tests.Meta;

namespace UserAccess.Analyzers.Tests.Precision;

/// <summary>
/// The kernel corpus (tests/UserAccess.Analyzers.Tests/KernelCorpus): real kernel functions translated line by
/// line, each labelled with <c>// expect: UAxxxx</c> on the line a kernel expert names as the defect, or
/// <c>// expect: none</c> on the signature of correct code. Methods of a class named <c>Helpers</c> are the
/// stubs for kernel helpers the runtime lacks: they carry no label, and a diagnostic in them is a false positive.
/// </summary>
internal static class KernelCorpus
{
    private static readonly Regex s_expect = new(@"//\s*expect:\s*(?<ids>[A-Za-z0-9, ]+)", RegexOptions.Compiled);

    public static string Folder => Path.Combine(RepositoryLayout.Root, "tests", "UserAccess.Analyzers.Tests", "KernelCorpus");

    public static IReadOnlyList<string> Files()
        => Directory.GetFiles(Folder, "*.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList();

    public static string Relative(string file) => Path.GetRelativePath(Folder, file).Replace('\\', '/');

    /// <summary>Each file is compiled on its own (its syntax tree named by its path under the corpus folder), as a user's project would be, so that files cannot lean on each other's stubs.</summary>
    public static CSharpCompilation Compile(string file)
        => SimulatorCompilation.Create(
            "KernelCorpus_" + Path.GetFileNameWithoutExtension(file),
            new[] { SimulatorCompilation.Parse(File.ReadAllText(file), Relative(file)) });

    /// <summary>The labelled functions of a file: every method outside a <c>Helpers</c> class.</summary>
    public static IReadOnlyList<CorpusFunction> Functions(SyntaxTree tree)
    {
        var text = tree.GetText();
        var functions = new List<CorpusFunction>();
        foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            if (method.Ancestors().OfType<ClassDeclarationSyntax>().Any(c => c.Identifier.ValueText == "Helpers"))
            {
                continue;
            }

            var lines = tree.GetLineSpan(method.Span);
            var labels = new List<(int Line, string Id)>();
            for (var line = lines.StartLinePosition.Line; line <= lines.EndLinePosition.Line; line++)
            {
                var match = s_expect.Match(text.Lines[line].ToString());
                if (!match.Success)
                {
                    continue;
                }

                foreach (var id in match.Groups["ids"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    labels.Add((line + 1, id));
                }
            }

            var header = method.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia));
            functions.Add(new CorpusFunction(
                tree.FilePath,
                method.Identifier.ValueText,
                lines.StartLinePosition.Line + 1,
                lines.EndLinePosition.Line + 1,
                labels,
                header));
        }

        return functions;
    }

    /// <summary>
    /// Compiles every file (or those under <paramref name="under"/>, a folder of the corpus), runs every rule, and
    /// matches the diagnostics to the labels by file, line and id.
    /// </summary>
    public static async Task<Measurement> MeasureAsync(string? under = null)
    {
        var measurement = new Measurement();
        foreach (var file in Files().Where(f => under == null || Relative(f).StartsWith(under + "/", StringComparison.Ordinal)))
        {
            var compilation = Compile(file);
            var tree = compilation.SyntaxTrees.Single();
            var result = await AnalyzerRunner.RunAsync(compilation, AnalyzerCatalog.Analyzers, includeCompilerDiagnostics: false);
            result.ThrowIfAnalyzerFailed(Relative(file));
            var functions = Functions(tree);
            measurement.Functions += functions.Count;
            measurement.CorrectFunctions += functions.Count(f => f.Expected.Count == 0);

            var reported = result.AnalyzerDiagnostics
                .Where(d => d.Id.StartsWith("UA", StringComparison.Ordinal) && !d.IsSuppressed)
                .Select(d => (Line: d.Location.GetLineSpan().StartLinePosition.Line + 1, d.Id, Message: d.GetMessage()))
                .GroupBy(d => (d.Line, d.Id))
                .Select(g => g.First())
                .ToList();
            var expected = functions.SelectMany(f => f.Expected).Distinct().ToList();

            foreach (var (line, id) in expected)
            {
                var hit = reported.Any(d => d.Line == line && d.Id == id);
                measurement.Add(new Outcome(id, hit ? Verdict.TruePositive : Verdict.FalseNegative, Relative(file), line,
                    hit ? reported.First(d => d.Line == line && d.Id == id).Message : "not reported"));
            }

            foreach (var diagnostic in reported.Where(d => !expected.Contains((d.Line, d.Id))))
            {
                measurement.Add(new Outcome(diagnostic.Id, Verdict.FalsePositive, Relative(file), diagnostic.Line, diagnostic.Message));
            }
        }

        return measurement;
    }
}

internal sealed record CorpusFunction(string File, string Name, int FirstLine, int LastLine, IReadOnlyList<(int Line, string Id)> Labels, bool HasHeaderComment)
{
    /// <summary>The defects the function is labelled with; empty for correct code (<c>// expect: none</c>).</summary>
    public IReadOnlyList<(int Line, string Id)> Expected => Labels.Where(l => l.Id != "none").ToList();
}

internal enum Verdict
{
    TruePositive,
    FalsePositive,
    FalseNegative,
}

internal sealed record Outcome(string Rule, Verdict Verdict, string File, int Line, string Message);

internal sealed class Measurement
{
    public List<Outcome> Outcomes { get; } = new();

    public int Functions { get; set; }

    public int CorrectFunctions { get; set; }

    public void Add(Outcome outcome) => Outcomes.Add(outcome);

    /// <summary>Every shipped rule, reported on or labelled or not, so that the table shows which ones the corpus does not exercise.</summary>
    public IEnumerable<string> Rules
        => Outcomes.Select(o => o.Rule)
            .Concat(AnalyzerCatalog.Descriptors.Select(d => d.Descriptor.Id).Where(id => id.StartsWith("UA", StringComparison.Ordinal)))
            .Distinct()
            .OrderBy(r => r, StringComparer.Ordinal);

    public Score For(string? rule)
    {
        var outcomes = Outcomes.Where(o => rule is null || o.Rule == rule).ToList();
        return new Score(
            outcomes.Count(o => o.Verdict == Verdict.TruePositive),
            outcomes.Count(o => o.Verdict == Verdict.FalsePositive),
            outcomes.Count(o => o.Verdict == Verdict.FalseNegative));
    }
}

internal readonly record struct Score(int TruePositives, int FalsePositives, int FalseNegatives)
{
    /// <summary>1 when the rule reported nothing: no report is never a wrong one.</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 1.0 : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>1 when the corpus has no defect for the rule.</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? 1.0 : (double)TruePositives / (TruePositives + FalseNegatives);
}
