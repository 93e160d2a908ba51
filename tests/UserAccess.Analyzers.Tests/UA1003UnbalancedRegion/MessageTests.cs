using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using UserAccess.Analyzers.Tests.Meta;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA1003UnbalancedRegion;

/// <summary>
/// How UA1003 names what it reports: one diagnostic for one forgotten release, and the method a lambda
/// sits in. Self-contained: the compilation and the analyzer run are Roslyn's own APIs.
/// </summary>
public class MessageTests
{
    private const string Usings = "using System;\nusing UserAccess.Runtime;\nusing static UserAccess.Runtime.Errno;\nusing static UserAccess.Runtime.Kernel;\n";

    [Fact]
    public async Task AForgottenSpinUnlockIsReportedOnceAsTheLockStillHeld()
    {
        var source = Usings + """
            static class Driver
            {
                static int Run(KernelSpinlock lk, int i)
                {
                    lk.Lock();
                    if (i < 0)
                        return -EINVAL;
                    lk.Unlock();
                    return 0;
                }
            }
            """;

        var diagnostic = Assert.Single(await Ua1003Async(source));
        Assert.Equal("'lk.Lock' is unbalanced: 'lk' is not released on every path out of 'Run'", diagnostic.GetMessage());
        Assert.Equal(Span(source, "lk.Lock()"), diagnostic.Location.SourceSpan);
    }

    [Fact]
    public async Task APreemptDisableWithoutALockIsStillReportedAsTheRegion()
    {
        var source = Usings + """
            static class Driver
            {
                static int Run(int i)
                {
                    PreemptDisable();
                    if (i < 0)
                        return -EINVAL;
                    PreemptEnable();
                    return 0;
                }
            }
            """;

        var diagnostic = Assert.Single(await Ua1003Async(source));
        Assert.Equal("'PreemptDisable' is unbalanced: the atomic region it enters is not left on every path out of 'Run'", diagnostic.GetMessage());
        Assert.Equal(Span(source, "PreemptDisable()"), diagnostic.Location.SourceSpan);
    }

    [Fact]
    public async Task InsideALambdaTheMessageNamesTheMethodItIsIn()
    {
        var source = Usings + """
            static class Driver
            {
                static int Start(TaskStruct task, UserPtr<uint> p) => task.Run(() =>
                {
                    PagefaultDisable();
                    if (GetUser(out uint v, p) != 0)
                        return -EFAULT;
                    PagefaultEnable();
                    return (int)v;
                });
            }
            """;

        var diagnostic = Assert.Single(await Ua1003Async(source));
        Assert.Equal("'PagefaultDisable' is unbalanced: the nofault region it enters is not left on every path out of a lambda in 'Start'", diagnostic.GetMessage());
        Assert.Equal(Span(source, "PagefaultDisable()"), diagnostic.Location.SourceSpan);
    }

    [Fact]
    public async Task ALambdaThatLeavesTheRegionOnEveryPathIsNotReported()
    {
        var source = Usings + """
            static class Driver
            {
                static int Start(TaskStruct task, UserPtr<uint> p) => task.Run(() =>
                {
                    PagefaultDisable();
                    int ret = GetUser(out uint v, p);
                    PagefaultEnable();
                    return ret != 0 ? -EFAULT : (int)v;
                });
            }
            """;

        Assert.Empty(await Ua1003Async(source));
    }

    private static async Task<Diagnostic[]> Ua1003Async(string source)
    {
        var compilation = DocumentationCompilation.Create("UA1003", source, OutputKind.DynamicallyLinkedLibrary);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return (await DocumentationCompilation.AnalyzerDiagnosticsAsync(compilation)).Where(d => d.Id == "UA1003").ToArray();
    }

    private static TextSpan Span(string source, string text) => new(source.IndexOf(text, System.StringComparison.Ordinal), text.Length);
}
