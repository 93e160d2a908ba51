using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;

namespace UserAccess.Analyzers.Tests.Engine;

/// <summary>What the code fixes will read: properties and the additional locations they index.</summary>
public class DiagnosticPropertiesTests
{
    private static async Task<ImmutableArray<Diagnostic>> RunAsync(string source, DiagnosticAnalyzer analyzer)
    {
        var compilation = CSharpCompilation.Create(
            "Props",
            new[] { CSharpSyntaxTree.ParseText(source, SimulatorCompilation.ParseOptions, "/0/Test0.cs") },
            SimulatorCompilation.References,
            SimulatorCompilation.Options);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var result = await AnalyzerRunner.RunAsync(compilation, ImmutableArray.Create(analyzer));
        Assert.Empty(result.Failures);
        return result.AnalyzerDiagnostics;
    }

    private static string TextAt(Diagnostic diagnostic, string key)
    {
        int index = int.Parse(diagnostic.Properties[key]!, System.Globalization.CultureInfo.InvariantCulture);
        var location = diagnostic.AdditionalLocations[index];
        return location.SourceTree!.GetText().ToString(location.SourceSpan);
    }

    [Fact]
    public async Task FaultHandlingInNofaultCarriesTheRegionTheAccessAndTheFaultIn()
    {
        var diagnostics = await RunAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr<uint> uaddr, uint newval)
    {
        int ret;
        PagefaultDisable();
        ret = XchgUserInatomic(uaddr, newval, out uint old);
        if (ret == -EFAULT)
            ret = FaultInUserWriteable(uaddr);
        PagefaultEnable();
        return ret;
    }
}", new UA1002FaultHandlingInNofaultAnalyzer());
        var d = Assert.Single(diagnostics);
        Assert.Equal("PagefaultDisable()", TextAt(d, DiagnosticProperties.RegionStartLocation));
        Assert.Equal("PagefaultEnable()", TextAt(d, DiagnosticProperties.RegionEndLocation));
        Assert.Equal("XchgUserInatomic(uaddr, newval, out uint old)", TextAt(d, DiagnosticProperties.AccessLocation));
        Assert.Equal("ReadWrite", d.Properties[DiagnosticProperties.AccessKind]);
    }

    [Theory]
    [InlineData("CopyToUser(to, data)", "Write")]
    [InlineData("CopyFromUser(data, to)", "Read")]
    public async Task FaultUnderMmapLockCarriesTheLockAndTheAccess(string access, string kind)
    {
        var diagnostics = await RunAsync(Usings + @"
class Driver
{
    static int Run(TaskStruct task, UserPtr to, byte[] data)
    {
        MmapReadLock(task.Mm);
        int left = " + access + @";
        MmapReadUnlock(task.Mm);
        return left != 0 ? -EFAULT : 0;
    }
}", new UA2002FaultUnderFaultPathLockAnalyzer());
        var d = Assert.Single(diagnostics);
        Assert.Equal(access, TextAt(d, DiagnosticProperties.AccessLocation));
        Assert.Equal("MmapReadLock(task.Mm)", TextAt(d, DiagnosticProperties.LockAcquireLocation));
        Assert.Equal("MmapReadUnlock(task.Mm)", TextAt(d, DiagnosticProperties.LockReleaseLocation));
        Assert.Equal("task.Mm.MmapLock", d.Properties[DiagnosticProperties.LockExpression]);
        Assert.Equal("true", d.Properties[DiagnosticProperties.LockShared]);
        Assert.Equal(kind, d.Properties[DiagnosticProperties.AccessKind]);
    }

    [Fact]
    public async Task OtherRulesCarryWhatTheirFixesNeed()
    {
        const string source = Usings + @"
class Driver
{
    static int Run([RemoteMm] Mm mm, UserPtr<uint> p, byte[] buf)
    {
        MmapReadLock(mm);
        int ret = FixupUserFault(mm, p, FaultFlags.Write);
        MmapReadUnlock(mm);
        ret |= GetUserUnchecked(out uint v, p);
        if (CopyFromUser(buf, p) < 0)
            return -EFAULT;
        return ret;
    }
}";
        var killable = Assert.Single(await RunAsync(source, new UA2001NonKillableWaitAnalyzer()));
        Assert.Empty(killable.Properties);

        var unchecked_ = Assert.Single(await RunAsync(source, new UA5003UncheckedAccessAnalyzer()));
        Assert.Equal("p", unchecked_.Properties[DiagnosticProperties.PointerExpression]);
        Assert.Equal("4", unchecked_.Properties[DiagnosticProperties.AccessSize]);

        var misread = Assert.Single(await RunAsync(source, new UA5002BytesNotCopiedMisreadAnalyzer()));
        Assert.Equal("CopyFromUser(buf, p)", TextAt(misread, DiagnosticProperties.OriginLocation));

        var required = Assert.Single(await RunAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, UserPtr p) => FixupUserFault(mm, p, FaultFlags.Write);
}", new UA2003RequiredLockNotHeldAnalyzer()));
        Assert.Equal("true", required.Properties[DiagnosticProperties.LockShared]);

        var unbalanced = Assert.Single(await RunAsync(Usings + @"
class Driver
{
    static int Run(Mm mm, int n)
    {
        MmapWriteLock(mm);
        if (n < 0)
            return -EINVAL;
        MmapWriteUnlock(mm);
        return 0;
    }
}", new UA1003UnbalancedRegionAnalyzer()));
        Assert.Equal("MmapWriteLock(mm)", TextAt(unbalanced, DiagnosticProperties.LockAcquireLocation));
        Assert.Equal("false", unbalanced.Properties[DiagnosticProperties.LockShared]);
    }
}
