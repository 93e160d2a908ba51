using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.Analyzers.Tests.Seeds;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;

namespace UserAccess.Analyzers.Tests.Engine;

/// <summary>UA3001-UA3003, UA4001-UA4004: the properties and additional locations the code fixes will read.</summary>
public class AtomicsAndRetryPropertiesTests
{
    private static async Task<Diagnostic> SingleAsync(string source, DiagnosticAnalyzer analyzer)
    {
        var compilation = CSharpCompilation.Create(
            "Props",
            new[] { CSharpSyntaxTree.ParseText(Usings + source, SimulatorCompilation.ParseOptions, "/0/Test0.cs") },
            SimulatorCompilation.References,
            SimulatorCompilation.Options);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var result = await AnalyzerRunner.RunAsync(compilation, ImmutableArray.Create(analyzer));
        Assert.Empty(result.Failures);
        return Assert.Single(result.AnalyzerDiagnostics);
    }

    private static string TextAt(Diagnostic diagnostic, string key)
    {
        int index = int.Parse(diagnostic.Properties[key]!, System.Globalization.CultureInfo.InvariantCulture);
        var location = diagnostic.AdditionalLocations[index];
        return location.SourceTree!.GetText().ToString(location.SourceSpan);
    }

    [Fact]
    public async Task UA3001_PointerAndAlignment()
    {
        var d = await SingleAsync(@"
class C
{
    static int M(UserPtr uaddr, int size, int bit)
    {
        PagefaultDisable();
        int ret = SetBitUserInatomic(uaddr, size, bit);
        PagefaultEnable();
        return ret;
    }
}", new UA3001UnalignedUserAtomicAnalyzer());
        Assert.Equal("uaddr", d.Properties[DiagnosticProperties.PointerExpression]);
        Assert.Equal("size", d.Properties[DiagnosticProperties.AlignmentExpression]);
        Assert.Equal("SetBitUserInatomic(uaddr, size, bit)", TextAt(d, DiagnosticProperties.AccessLocation));
    }

    [Fact]
    public async Task UA3001_ConstantAlignment()
    {
        var d = await SingleAsync(@"
class C
{
    static int M(UserPtr<ulong> head)
    {
        PagefaultDisable();
        int ret = XchgUserInatomic(head + 16, 0UL, out ulong old);
        PagefaultEnable();
        return ret;
    }
}", new UA3001UnalignedUserAtomicAnalyzer());
        Assert.Equal("head + 16", d.Properties[DiagnosticProperties.PointerExpression]);
        Assert.Equal("8", d.Properties[DiagnosticProperties.AlignmentExpression]);
    }

    [Fact]
    public async Task UA3002_SizeBitAndWhatIsMissing()
    {
        var d = await SingleAsync(@"
class C
{
    static int M(UserPtr uaddr, int enableSize, int enableBit)
    {
        if (enableSize != 4 && enableSize != 8)
            return -EINVAL;
        PagefaultDisable();
        int ret = ClearBitUserInatomic(uaddr, enableSize, enableBit);
        PagefaultEnable();
        return ret;
    }
}", new UA3002UnvalidatedBitOperationAnalyzer());
        Assert.Equal("enableSize", d.Properties[DiagnosticProperties.BitOperationSize]);
        Assert.Equal("enableBit", d.Properties[DiagnosticProperties.BitOperationBit]);
        Assert.Equal("Bit", d.Properties[DiagnosticProperties.BitValidationMissing]);
        Assert.Equal("ClearBitUserInatomic(uaddr, enableSize, enableBit)", TextAt(d, DiagnosticProperties.AccessLocation));
    }

    [Fact]
    public async Task UA3003_FirstFetchAndItsLocal()
    {
        var d = await SingleAsync(@"
class C
{
    static int M(UserPtr<int> p)
    {
        if (GetUser(out int len, p) != 0 || len > 64)
            return -EINVAL;
        if (GetUser(out int n, p) != 0)
            return -EFAULT;
        return n;
    }
}", new UA3003DoubleFetchAnalyzer());
        Assert.Equal("GetUser(out int len, p)", TextAt(d, DiagnosticProperties.FirstFetchLocation));
        Assert.Equal("len", d.Properties[DiagnosticProperties.FirstFetchLocal]);
        Assert.Equal("n", d.Properties[DiagnosticProperties.SecondFetchLocal]);
        Assert.Equal("p", d.Properties[DiagnosticProperties.PointerExpression]);
    }

    [Fact]
    public async Task UA4001_PrefaultAndAccess()
    {
        var d = await SingleAsync(RetrySeeds.GenericPerformWriteBefore2021.Replace("{|#1:", string.Empty).Replace("{|#0:", string.Empty).Replace("|}", string.Empty), new UA4001PrefaultOnHotPathAnalyzer());
        Assert.Equal("FaultInReadable(buf + written, bytes)", TextAt(d, DiagnosticProperties.FaultInLocation));
        Assert.Equal("CopyFromUser(pagecache.AsSpan(offset, bytes), buf + written)", TextAt(d, DiagnosticProperties.AccessLocation));
        Assert.Equal("Read", d.Properties[DiagnosticProperties.AccessKind]);
    }

    [Fact]
    public async Task UA4002_TheIgnoredFixup()
    {
        var d = await SingleAsync(RetrySeeds.AsyncFaultWorker.Replace("{|#0:", string.Empty).Replace("|}", string.Empty), new UA4002EndlessRetryAnalyzer());
        Assert.Equal("FixupUserFault(mm, uaddr, FaultFlags.Write)", TextAt(d, DiagnosticProperties.FaultInLocation));
        Assert.Equal("XchgUserInatomic(uaddr, val, out uint old)", TextAt(d, DiagnosticProperties.AccessLocation));
        Assert.False(d.Properties.ContainsKey(DiagnosticProperties.InsertAfterLocation));
    }

    [Fact]
    public async Task UA4002_WhereToInsertAFaultIn()
    {
        var d = await SingleAsync(@"
class C
{
    static int M([RequiresAlignment] UserPtr<uint> uaddr)
    {
        int ret;
        do
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, 1u, out uint old);
            PagefaultEnable();
        }
        while (ret == -EFAULT);
        return ret;
    }
}", new UA4002EndlessRetryAnalyzer());
        Assert.Equal("XchgUserInatomic(uaddr, 1u, out uint old)", TextAt(d, DiagnosticProperties.InsertAfterLocation));
        Assert.False(d.Properties.ContainsKey(DiagnosticProperties.FaultInLocation));
    }

    [Fact]
    public async Task UA4003_LoopBodyAndErrorStyle()
    {
        var d = await SingleAsync(RetrySeeds.BufferedWriteWithoutSignalCheck.Replace("{|#0:", string.Empty).Replace("|}", string.Empty), new UA4003NoFatalSignalCheckAnalyzer());
        Assert.StartsWith("{", TextAt(d, DiagnosticProperties.LoopBodyLocation));
        Assert.Equal("CopyFromUser(pagecache.AsSpan(offset, bytes), buf + written)", TextAt(d, DiagnosticProperties.AccessLocation));
        Assert.Equal("status", d.Properties[DiagnosticProperties.StatusVariable]);
    }

    [Fact]
    public async Task UA4003_VoidMethodBreaksOut()
    {
        var d = await SingleAsync(@"
class C
{
    static void M(UserPtr to, byte[] kbuf, int len)
    {
        for (int off = 0; off < len; off += 4096)
        {
            if (CopyToUser(to + off, kbuf.AsSpan(off, 4096)) != 0)
                break;
        }
    }
}", new UA4003NoFatalSignalCheckAnalyzer());
        Assert.StartsWith("{", TextAt(d, DiagnosticProperties.LoopBodyLocation));
        Assert.False(d.Properties.ContainsKey(DiagnosticProperties.StatusVariable));
    }

    [Fact]
    public async Task UA4003_ErrnoMethodWithoutStatus()
    {
        var d = await SingleAsync(@"
class C
{
    static int M(UserPtr to, byte[] kbuf, int len)
    {
        int off = 0;
        while (off < len)
        {
            if (CopyToUser(to + off, kbuf.AsSpan(off, 4096)) != 0)
                return -EFAULT;
            off += 4096;
        }
        return 0;
    }
}", new UA4003NoFatalSignalCheckAnalyzer());
        Assert.False(d.Properties.ContainsKey(DiagnosticProperties.StatusVariable));
    }

    [Fact]
    public async Task UA4004_FaultInComparisonAndFullSize()
    {
        var d = await SingleAsync(RetrySeeds.GenericPerformWriteBefore2021.Replace("{|#1:", string.Empty).Replace("{|#0:", string.Empty).Replace("|}", string.Empty), new UA4004AllOrNothingFaultInAnalyzer());
        Assert.Equal("FaultInReadable(buf + written, bytes)", TextAt(d, DiagnosticProperties.FaultInLocation));
        Assert.Equal("bytes", d.Properties[DiagnosticProperties.FullSizeExpression]);
    }
}
