using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA0001InvalidRuleOptionAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA0001InvalidRuleOption;

/// <summary>UA0001 on rule options that the rules cannot use. No location: the entry is in an .editorconfig. Arguments: the entry, the option, why.</summary>
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

    internal const string NamesNothing = "names nothing in this compilation";

    [Fact]
    public Task AMisspeltMethodIsReportedWithoutALocation()
        => Test("useraccess.might_sleep_methods = Vendor.Io.Queue.WaitForCompletoin", Unusable("Vendor.Io.Queue.WaitForCompletoin", "useraccess.might_sleep_methods", NamesNothing)).RunAsync();

    [Fact]
    public Task ADocumentationIdWithAnUnqualifiedParameterTypeNamesNothing()
        => Test("useraccess.might_sleep_methods = M:Vendor.Io.Queue.WaitForCompletion(int)", Unusable("M:Vendor.Io.Queue.WaitForCompletion(int)", "useraccess.might_sleep_methods", NamesNothing)).RunAsync();

    [Fact]
    public Task ADocumentationIdOfTheWrongKindIsReported()
        => Test(
            "useraccess.might_sleep_methods = F:MyFs.Inode.FolioLock\nuseraccess.fault_path_locks = M:Vendor.Io.Queue.WaitForCompletion",
            Unusable("F:MyFs.Inode.FolioLock", "useraccess.might_sleep_methods", "is a documentation comment ID of a kind this option does not take (it takes M:)"),
            Unusable("M:Vendor.Io.Queue.WaitForCompletion", "useraccess.fault_path_locks", "is a documentation comment ID of a kind this option does not take (it takes F:, P:, T:)")).RunAsync();

    [Fact]
    public Task AnEntryThatIsNoNameIsMalformed()
        => Test(
            "useraccess.fault_path_locks = MyFs.Inode.FolioLock T:Vendor.Fs.InodeLock, FolioLock",
            Unusable("FolioLock", "useraccess.fault_path_locks", Malformed),
            Unusable("MyFs.Inode.FolioLock T:Vendor.Fs.InodeLock", "useraccess.fault_path_locks", Malformed)).RunAsync();

    [Fact]
    public Task OnlyTheBadEntryOfAListIsReported()
        => Test("useraccess.fault_path_locks = F:MyFs.Inode.FolioLock, MyFs.Inode.FolioLok, T:Vendor.Fs.InodeLock", Unusable("MyFs.Inode.FolioLok", "useraccess.fault_path_locks", NamesNothing)).RunAsync();

    [Fact]
    public Task AnEntryIsReportedOnceHoweverManyFilesTheOptionCovers()
    {
        var test = Test("useraccess.might_sleep_methods = Vendor.Io.Queue.Nope", Unusable("Vendor.Io.Queue.Nope", "useraccess.might_sleep_methods", NamesNothing));
        test.TestState.Sources.Add("class A { }");
        test.TestState.Sources.Add("class B { }");
        return test.RunAsync();
    }

    [Fact]
    public Task AScopeThatIsNeitherWordIsReported()
        => Test(
            "useraccess.killable_waits = every\nuseraccess.signal_check_walks = elements",
            Unusable("every", "useraccess.killable_waits", "is neither 'long_held' nor 'all'"),
            Unusable("elements", "useraccess.signal_check_walks", "is neither 'streams' nor 'all'")).RunAsync();

    private const string Malformed = "is neither a documentation comment ID (F:..., P:..., T:...) nor a qualified name such as Namespace.Type.Member";

    /// <summary>The shared code with <paramref name="options"/> (lines of <c>key = value</c>) in the project's .editorconfig.</summary>
    internal static VerifyCS.Test Test(string options, params DiagnosticResult[] expected)
    {
        var test = new VerifyCS.Test { TestCode = Code };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\n" + options + "\n"));
        test.ExpectedDiagnostics.AddRange(expected);
        return test;
    }

    internal static DiagnosticResult Unusable(string entry, string option, string why)
        => VerifyCS.Diagnostic().WithNoLocation().WithArguments(entry, option, why);
}
