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

        await AssertReportedOnceAsync(source, "lk.Lock()", "'lk.Lock' is unbalanced: 'lk' is not released on every path out of 'Run'");
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

        await AssertReportedOnceAsync(source, "PreemptDisable()", "'PreemptDisable' is unbalanced: the atomic region it enters is not left on every path out of 'Run'");
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

        await AssertReportedOnceAsync(source, "PagefaultDisable()", "'PagefaultDisable' is unbalanced: the nofault region it enters is not left on every path out of a lambda in 'Start'");
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

    /// <summary>Exactly one UA1003, on <paramref name="at"/> (its first occurrence), with this message.</summary>
    private static async Task AssertReportedOnceAsync(string source, string at, string message)
    {
        var diagnostic = Assert.Single(await Ua1003Async(source));
        Assert.Equal(message, diagnostic.GetMessage());
        Assert.Equal(new TextSpan(source.IndexOf(at, System.StringComparison.Ordinal), at.Length), diagnostic.Location.SourceSpan);
    }

    private static async Task<Diagnostic[]> Ua1003Async(string source)
    {
        var compilation = DocumentationCompilation.Create("UA1003", source, OutputKind.DynamicallyLinkedLibrary);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return (await DocumentationCompilation.AnalyzerDiagnosticsAsync(compilation)).Where(d => d.Id == "UA1003").ToArray();
    }
}
