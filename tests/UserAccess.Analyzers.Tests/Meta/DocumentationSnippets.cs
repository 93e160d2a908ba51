using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

using UserAccess.Analyzers.Tests.Infrastructure;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>
/// One <c>```csharp</c> block of the documentation, with the source it is compiled as. The convention is
/// written down for contributors in docs/architecture.md ("Code in the documentation"):
/// <list type="bullet">
/// <item>A block that starts with <c>using</c> directives is a whole file, compiled as it is.</item>
/// <item>Otherwise the standard usings are put before it (<see cref="Prelude"/>); a block of method
/// and type declarations becomes the members of a static class, any other block is a top-level program.</item>
/// <item>An HTML comment <c>&lt;!-- compile-as: ... --&gt;</c> right before the block gives a template
/// instead, in which <c>$code</c> (alone on its line) stands for the block; the prelude still comes first.</item>
/// <item>In a template, <c>$previous</c> stands for the block before this one in the same file (a helper it calls).</item>
/// <item>A template line <c>editorconfig: key = value</c> is not code: it sets that option for the block.</item>
/// <item><c>&lt;!-- compile: no, reason --&gt;</c> right before the block leaves it out, and says why.</item>
/// </list>
/// A comment that starts with a rule id (<c>// UA1001: ...</c>, <c>// warning UA1001: ...</c>) claims that
/// the analyzers report that id on that line; every UA warning or error on the block must be claimed
/// (a suggestion, such as UA2001 by default, only when the text claims it).
/// </summary>
internal sealed record DocumentationSnippet(string File, int Line, string Code, string? Template, string? SkipReason, ImmutableDictionary<string, string> EditorConfig)
{
    public const string Placeholder = "$code";

    public const string PreviousBlock = "$previous";

    public static readonly string Prelude = string.Join(
        "\n",
        "using System;",
        "using UserAccess.Runtime;",
        "using UserAccess.Runtime.Annotations;",
        "using static UserAccess.Runtime.Errno;",
        "using static UserAccess.Runtime.Kernel;") + "\n";

    private static readonly Regex s_claim = new(@"//\s*(?:warning\s+|error\s+)?(?<id>UA\d{4})\b", RegexOptions.CultureInvariant);

    private static readonly Regex s_marker = new(@"^<!--\s*compile(?<as>-as)?:(?<body>.*?)-->\s*$", RegexOptions.Singleline | RegexOptions.CultureInvariant);

    /// <summary>The documentation files whose C# blocks are checked, relative to the repository root.</summary>
    public static IEnumerable<string> DocumentationFiles()
    {
        var root = RepositoryLayout.Root;
        var files = new List<string> { Path.Combine(root, "README.md") };
        files.AddRange(Directory.GetDirectories(Path.Combine(root, "package")).Select(d => Path.Combine(d, "README.md")).Where(System.IO.File.Exists));
        files.AddRange(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories));
        return files.Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).OrderBy(f => f, StringComparer.Ordinal);
    }

    public static IEnumerable<DocumentationSnippet> In(string relativePath)
    {
        var lines = System.IO.File.ReadAllLines(Path.Combine(RepositoryLayout.Root, relativePath));
        string previous = string.Empty;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            int start = i + 1;
            int end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            var (template, skip) = MarkerBefore(lines, i);
            var options = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
            if (template is not null)
            {
                var code = new List<string>();
                foreach (var line in template.Split('\n'))
                {
                    if (line.StartsWith("editorconfig:", StringComparison.Ordinal))
                    {
                        var pair = line["editorconfig:".Length..].Split('=', 2);
                        options[pair[0].Trim()] = pair[1].Trim();
                    }
                    else
                    {
                        code.Add(line);
                    }
                }

                template = string.Join("\n", code).Replace(PreviousBlock, previous, StringComparison.Ordinal);
            }

            var block = string.Join("\n", lines[start..end]);
            yield return new DocumentationSnippet(relativePath, start + 1, block, template, skip, options.ToImmutable());
            previous = block;
            i = end;
        }
    }

    /// <summary>The rule ids the block's comments claim, by line of the block (0-based).</summary>
    public ImmutableArray<(int Line, string Id)> Claims()
    {
        var claims = ImmutableArray.CreateBuilder<(int, string)>();
        var lines = Code.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            foreach (Match match in s_claim.Matches(lines[i]))
            {
                claims.Add((i, match.Groups["id"].Value));
            }
        }

        return claims.ToImmutable();
    }

    /// <summary>The source compiled for this block, and the line of that source where the block starts.</summary>
    public (string Source, int FirstLine, OutputKind Kind) ToSource()
    {
        var parsed = CSharpSyntaxTree.ParseText(Code, DocumentationCompilation.ParseOptions);
        var unit = (CompilationUnitSyntax)parsed.GetRoot();
        if (Template is null && unit.Usings.Count > 0)
        {
            if (HasStatements(unit))
            {
                return (Code, 0, OutputKind.ConsoleApplication);
            }

            // A file of usings and methods: the methods become a class's members, on the lines they were.
            int afterUsings = unit.Usings.Last().Span.End;
            return (Code[..afterUsings] + " static class Snippet {" + Code[afterUsings..] + "\n}\n", 0, OutputKind.DynamicallyLinkedLibrary);
        }

        string prefix;
        string suffix;
        if (Template is not null)
        {
            int at = Template.IndexOf(Placeholder, StringComparison.Ordinal);
            if (at < 0)
            {
                throw new InvalidOperationException($"{File}({Line}): the compile-as template has no {Placeholder}.");
            }

            prefix = Prelude + Template[..at].TrimEnd(' ');
            suffix = Template[(at + Placeholder.Length)..];
        }
        else if (HasStatements(unit))
        {
            prefix = Prelude;
            suffix = "\n";
        }
        else
        {
            prefix = Prelude + "static class Snippet\n{\n";
            suffix = "\n}\n";
        }

        if (!prefix.EndsWith('\n'))
        {
            prefix += "\n";
        }

        var source = prefix + Code + suffix;
        var kind = HasStatements((CompilationUnitSyntax)CSharpSyntaxTree.ParseText(source, DocumentationCompilation.ParseOptions).GetRoot())
            ? OutputKind.ConsoleApplication
            : OutputKind.DynamicallyLinkedLibrary;
        return (source, prefix.Count(c => c == '\n'), kind);
    }

    public override string ToString() => $"{File}:{Line}";

    /// <summary>Statements other than local functions make a top-level program; a block of local functions only is a set of methods.</summary>
    private static bool HasStatements(CompilationUnitSyntax unit)
        => unit.Members.OfType<GlobalStatementSyntax>().Any(g => g.Statement is not LocalFunctionStatementSyntax);

    private static (string? Template, string? Skip) MarkerBefore(string[] lines, int fence)
    {
        int end = fence - 1;
        while (end >= 0 && lines[end].Trim().Length == 0)
        {
            end--;
        }

        if (end < 0 || !lines[end].TrimEnd().EndsWith("-->", StringComparison.Ordinal))
        {
            return (null, null);
        }

        int start = end;
        while (start >= 0 && !lines[start].TrimStart().StartsWith("<!--", StringComparison.Ordinal))
        {
            start--;
        }

        if (start < 0)
        {
            return (null, null);
        }

        var match = s_marker.Match(string.Join("\n", lines[start..(end + 1)]).Trim());
        if (!match.Success)
        {
            return (null, null);
        }

        var body = match.Groups["body"].Value;
        if (match.Groups["as"].Success)
        {
            return (body.Trim('\n', ' ') + "\n", null);
        }

        var skip = body.Trim();
        return skip.StartsWith("no,", StringComparison.Ordinal) ? (null, skip[3..].Trim()) : throw new InvalidOperationException($"Unknown marker before line {fence + 1}: {match.Value}");
    }
}

/// <summary>Compiles a block as every test compiles simulator code, and runs every shipped analyzer on it.</summary>
internal static class DocumentationCompilation
{
    public static CSharpParseOptions ParseOptions => SimulatorCompilation.ParseOptions;

    public static ImmutableArray<MetadataReference> References => SimulatorCompilation.References;

    public static CSharpCompilation Create(string name, string source, OutputKind kind, string path = "Snippet.cs")
        => SimulatorCompilation.Create(name, new[] { SimulatorCompilation.Parse(source, path) }, SimulatorCompilation.Options.WithOutputKind(kind));

    public static async Task<ImmutableArray<Diagnostic>> AnalyzerDiagnosticsAsync(Compilation compilation, AnalyzerOptions? options = null)
    {
        var result = await AnalyzerRunner.RunAsync(compilation, AnalyzerCatalog.Analyzers, options, includeCompilerDiagnostics: false);
        result.ThrowIfAnalyzerFailed("a documentation block");
        return result.AnalyzerDiagnostics.Where(d => !d.IsSuppressed).ToImmutableArray();
    }
}
