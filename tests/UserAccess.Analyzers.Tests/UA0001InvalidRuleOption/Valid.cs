using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Tests.Meta;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA0001InvalidRuleOption;

/// <summary>The near misses: every form the options document, and projects the rules do not analyse.</summary>
public class Valid
{
    [Theory]
    [InlineData("useraccess.might_sleep_methods", "Vendor.Io.Queue.WaitForCompletion")]
    [InlineData("useraccess.might_sleep_methods", "M:Vendor.Io.Queue.WaitForCompletion(System.Int32)")]
    [InlineData("useraccess.might_sleep_methods", "M:Vendor.Io.Queue.WaitForCompletion, Vendor.Io.Queue.WaitForCompletion")]
    [InlineData("useraccess.might_sleep_methods", "M:UserAccess.Runtime.Kernel.MmapReadLock(UserAccess.Runtime.Mm)")]
    [InlineData("useraccess.might_sleep_methods", " Vendor.Io.Queue.WaitForCompletion ,, ")]
    [InlineData("useraccess.fault_path_locks", "F:MyFs.Inode.FolioLock, P:MyFs.Inode.Lock, T:Vendor.Fs.InodeLock")]
    [InlineData("useraccess.fault_path_locks", "MyFs.Inode.FolioLock, MyFs.Inode.Lock, Vendor.Fs.InodeLock")]
    [InlineData("useraccess.fault_path_locks", "MyFs.Inode.Page.PageLock, F:MyFs.Inode.Page.PageLock")]
    [InlineData("useraccess.fault_path_locks", "Vendor.Queue<T>.Lock")]
    [InlineData("useraccess.fault_path_locks", "")]
    [InlineData("useraccess.other_option", "not a name at all;")]
    public async Task UsableEntriesAreNotReported(string key, string value)
        => Assert.Empty(await Diagnostics.Ua0001Async((key, value)));

    [Fact]
    public async Task AProjectWithoutTheRuntimeIsNotChecked()
    {
        // The rules do not run there, so what the options name does not matter.
        var compilation = Diagnostics.Compile(
            DocumentationCompilation.References.Where(r => r.Display is { } d && !d.EndsWith("UserAccess.Runtime.dll", System.StringComparison.Ordinal)),
            "class C { }");
        var provider = Diagnostics.Options(("useraccess.might_sleep_methods", "Nope.Nothing"));
        var diagnostics = await compilation
            .WithAnalyzers(AnalyzerCatalog.Analyzers.Where(a => a is UA0001InvalidRuleOptionAnalyzer).ToImmutableArray(), provider.ToAnalyzerOptions())
            .GetAnalyzerDiagnosticsAsync();
        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task TheUsableEntriesOfAListStillWorkNextToABadOne()
    {
        // The misspelt entry is reported; the good one still makes the vendor call may-sleep for UA1001.
        const string Caller = """
            using static UserAccess.Runtime.Kernel;
            static class Driver
            {
                static void Run(Vendor.Io.Queue q)
                {
                    PreemptDisable();
                    q.WaitForCompletion(1);
                    PreemptEnable();
                }
            }
            """;
        var compilation = Diagnostics.Compile(DocumentationCompilation.References, Diagnostics.Code, Caller);
        var provider = Diagnostics.Options(("useraccess.might_sleep_methods", "Vendor.Io.Queue.WaitForCompletion, Vendor.Io.Queue.Wait"));
        var ids = (await DocumentationCompilation.AnalyzerDiagnosticsAsync(compilation, provider.ToAnalyzerOptions()))
            .Select(d => d.Id)
            .OrderBy(i => i, System.StringComparer.Ordinal);
        Assert.Equal(new[] { "UA0001", "UA1001" }, ids);
    }
}
