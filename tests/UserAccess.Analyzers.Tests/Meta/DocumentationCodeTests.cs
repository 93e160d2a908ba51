using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>
/// Every C# block of README.md, the package READMEs and docs/ compiles against the runtime, and the
/// analyzers report on it exactly the diagnostics its comments claim (the convention is in
/// <see cref="DocumentationSnippet"/> and docs/architecture.md).
/// </summary>
public class DocumentationCodeTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in DocumentationSnippet.DocumentationFiles())
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task CodeBlocksCompileAndShowTheDiagnosticsTheyClaim(string file)
    {
        var failures = new List<string>();
        foreach (var snippet in DocumentationSnippet.In(file))
        {
            if (snippet.SkipReason is not null)
            {
                Assert.False(string.IsNullOrWhiteSpace(snippet.SkipReason), $"{snippet}: a block left out says why.");
                continue;
            }

            var (source, firstLine, kind) = snippet.ToSource();
            var compilation = DocumentationCompilation.Create("Snippet", source, kind);
            var errors = compilation.GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && d.Id != "CS8321"))
                .ToList();
            if (errors.Count > 0)
            {
                failures.Add($"{snippet}: does not compile:\n" + string.Join("\n", errors.Select(e => "    " + Describe(e, firstLine, snippet.Line))) + "\n  as:\n" + Number(source));
                continue;
            }

            var options = snippet.EditorConfig.Count == 0 ? null : new ConfigOptions(snippet.EditorConfig).ToAnalyzerOptions();
            var claimed = snippet.Claims();
            var reported = (await DocumentationCompilation.AnalyzerDiagnosticsAsync(compilation, options))
                .Where(d => d.Id.StartsWith("UA", StringComparison.Ordinal))
                .Select(d => (Line: d.Location.IsInSource ? d.Location.GetLineSpan().StartLinePosition.Line - firstLine : -1, d.Id, d.Severity, Text: Describe(d, firstLine, snippet.Line)))
                .Where(d => d.Severity >= DiagnosticSeverity.Warning || claimed.Contains((d.Line, d.Id)))
                .ToList();
            foreach (var claim in claimed.Where(c => !reported.Any(r => r.Line == c.Line && r.Id == c.Id)))
            {
                failures.Add($"{snippet}: line {snippet.Line + claim.Line} claims {claim.Id}, which is not reported there; reported: [{string.Join("; ", reported.Select(r => r.Text))}]");
            }

            foreach (var extra in reported.Where(r => !claimed.Contains((r.Line, r.Id))))
            {
                failures.Add($"{snippet}: reported but not claimed by a '// {extra.Id}' comment on its line: {extra.Text}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void EveryDocumentationFileIsFoundAndBlocksAreRead()
    {
        var files = DocumentationSnippet.DocumentationFiles().ToList();
        Assert.Contains("README.md", files);
        Assert.Contains("package/UserAccess.Runtime/README.md", files);
        Assert.Contains("docs/architecture.md", files);
        Assert.Contains("docs/rules/UA3001.md", files);
        Assert.True(files.Sum(f => DocumentationSnippet.In(f).Count()) >= 40);
    }

    private static string Describe(Diagnostic d, int firstLine, int docLine)
    {
        var line = d.Location.IsInSource ? d.Location.GetLineSpan().StartLinePosition.Line - firstLine : -1;
        return $"{(line >= 0 ? $"doc line {docLine + line}" : "outside the block")}: {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static string Number(string source)
        => string.Join("\n", source.Split('\n').Select((l, i) => $"    {i,3}| {l}"));
}
