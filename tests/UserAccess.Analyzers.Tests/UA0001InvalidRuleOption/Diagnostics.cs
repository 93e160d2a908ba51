using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Tests.Meta;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA0001InvalidRuleOption;

/// <summary>
/// UA0001 on rule options that the rules cannot use, and silence on the ones they can. Self-contained:
/// a compilation against the runtime, the options through an <see cref="AnalyzerConfigOptionsProvider"/>,
/// and <see cref="CompilationWithAnalyzers"/>.
/// </summary>
public class Diagnostics
{
    internal const string Code = """
        using UserAccess.Runtime;

        namespace Vendor.Io
        {
            public sealed class Queue
            {
                public void WaitForCompletion(int timeout) { }
                public void WaitForCompletion() { }
            }
        }

        namespace Vendor.Fs
        {
            public sealed class InodeLock { }
        }

        namespace MyFs
        {
            public sealed class Inode
            {
                public KernelMutex FolioLock = null!;
                public KernelMutex Lock { get; } = null!;
                public sealed class Page { public KernelMutex PageLock = null!; }
            }
        }
        """;

    [Fact]
    public async Task AMisspeltMethodIsReportedWithoutALocation()
    {
        var diagnostic = Assert.Single(await Ua0001Async(("useraccess.might_sleep_methods", "Vendor.Io.Queue.WaitForCompletoin")));
        Assert.Equal("UA0001", diagnostic.Id);
        Assert.Equal(Location.None, diagnostic.Location);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("'Vendor.Io.Queue.WaitForCompletoin' in 'useraccess.might_sleep_methods' names nothing in this compilation; the rules ignore it", diagnostic.GetMessage());
    }

    [Fact]
    public async Task ADocumentationIdWithAnUnqualifiedParameterTypeNamesNothing()
    {
        var diagnostic = Assert.Single(await Ua0001Async(("useraccess.might_sleep_methods", "M:Vendor.Io.Queue.WaitForCompletion(int)")));
        Assert.Equal("'M:Vendor.Io.Queue.WaitForCompletion(int)' in 'useraccess.might_sleep_methods' names nothing in this compilation; the rules ignore it", diagnostic.GetMessage());
    }

    [Fact]
    public async Task ADocumentationIdOfTheWrongKindIsReported()
    {
        var diagnostics = await Ua0001Async(
            ("useraccess.might_sleep_methods", "F:MyFs.Inode.FolioLock"),
            ("useraccess.fault_path_locks", "M:Vendor.Io.Queue.WaitForCompletion"));
        Assert.Equal(
            new[]
            {
                "'F:MyFs.Inode.FolioLock' in 'useraccess.might_sleep_methods' is a documentation comment ID of a kind this option does not take (it takes M:); the rules ignore it",
                "'M:Vendor.Io.Queue.WaitForCompletion' in 'useraccess.fault_path_locks' is a documentation comment ID of a kind this option does not take (it takes F:, P:, T:); the rules ignore it",
            },
            diagnostics.Select(d => d.GetMessage()).OrderBy(m => m, System.StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnEntryThatIsNoNameIsMalformed()
    {
        var diagnostics = await Ua0001Async(("useraccess.fault_path_locks", "MyFs.Inode.FolioLock T:Vendor.Fs.InodeLock, FolioLock"));
        Assert.Equal(
            new[]
            {
                "'FolioLock' in 'useraccess.fault_path_locks' is neither a documentation comment ID (F:..., P:..., T:...) nor a qualified name such as Namespace.Type.Member; the rules ignore it",
                "'MyFs.Inode.FolioLock T:Vendor.Fs.InodeLock' in 'useraccess.fault_path_locks' is neither a documentation comment ID (F:..., P:..., T:...) nor a qualified name such as Namespace.Type.Member; the rules ignore it",
            },
            diagnostics.Select(d => d.GetMessage()).OrderBy(m => m, System.StringComparer.Ordinal));
    }

    [Fact]
    public async Task OnlyTheBadEntryOfAListIsReported()
    {
        var diagnostic = Assert.Single(await Ua0001Async(("useraccess.fault_path_locks", "F:MyFs.Inode.FolioLock, MyFs.Inode.FolioLok, T:Vendor.Fs.InodeLock")));
        Assert.Equal("'MyFs.Inode.FolioLok' in 'useraccess.fault_path_locks' names nothing in this compilation; the rules ignore it", diagnostic.GetMessage());
    }

    [Fact]
    public async Task AnEntryIsReportedOnceHoweverManyFilesTheOptionCovers()
    {
        var diagnostic = Assert.Single(await Ua0001Async(
            new[] { Code, "class A { }", "class B { }" },
            ("useraccess.might_sleep_methods", "Vendor.Io.Queue.Nope")));
        Assert.Equal("'Vendor.Io.Queue.Nope' in 'useraccess.might_sleep_methods' names nothing in this compilation; the rules ignore it", diagnostic.GetMessage());
    }

    internal static Task<Diagnostic[]> Ua0001Async(params (string Key, string Value)[] options)
        => Ua0001Async(new[] { Code }, options);

    internal static async Task<Diagnostic[]> Ua0001Async(string[] sources, params (string Key, string Value)[] options)
    {
        var compilation = Compile(DocumentationCompilation.References, sources);
        var diagnostics = await compilation
            .WithAnalyzers(AnalyzerCatalog.Analyzers.Where(a => a is UA0001InvalidRuleOptionAnalyzer).ToImmutableArray(), Options(options).ToAnalyzerOptions())
            .GetAnalyzerDiagnosticsAsync();
        return diagnostics.Where(d => d.Id == "UA0001").ToArray();
    }

    /// <summary>A library of <paramref name="sources"/> that compiles without errors.</summary>
    internal static CSharpCompilation Compile(IEnumerable<MetadataReference> references, params string[] sources)
    {
        var compilation = CSharpCompilation.Create(
            "Options",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, DocumentationCompilation.ParseOptions, $"File{i}.cs")),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return compilation;
    }

    internal static ConfigOptions Options(params (string Key, string Value)[] options)
        => new(options.Select(o => new KeyValuePair<string, string>(o.Key, o.Value)));
}
