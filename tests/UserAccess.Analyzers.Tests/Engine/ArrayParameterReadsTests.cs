using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;
using UserAccess.Analyzers.Tests.Infrastructure;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;

namespace UserAccess.Analyzers.Tests.Engine;

/// <summary>
/// Where a method of the user's starts reading an array it is handed (UA3003 reads a second copy passed whole
/// to a helper from there): a constant, or a parameter plus terms that are never negative.
/// </summary>
public class ArrayParameterReadsTests
{
    /// <summary>The first index <c>Run</c>'s call reads of <c>buf</c>: a number, "none", or "unknown".</summary>
    private static string FirstByteRead(string helper, string call)
    {
        var compilation = SimulatorCompilation.Create("Reads", new[] { SimulatorCompilation.Parse(Usings + @"
using System;
static class Driver
{
" + helper + @"

    static long Run(byte[] buf, int n)
    {
        return " + call + @";
    }
}") });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var run = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "Run");
        var invocation = (IInvocationOperation)model.GetOperation(run.DescendantNodes().OfType<InvocationExpressionSyntax>().First())!;
        var argument = invocation.Arguments.Single(a => a.Value is IParameterReferenceOperation { Parameter.Name: "buf" });
        long? first = CompilationEngine.Get(compilation)!.FirstByteReadOfArrayArgument(invocation, argument.Parameter!.Ordinal, CancellationToken.None);
        return first is not long value ? "unknown" : value == long.MaxValue ? "none" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void OnlyTheLengthReadsNothing() => Assert.Equal("none", FirstByteRead(@"
    static long Size(byte[] data) => data.Length;", "Size(buf)"));

    [Fact]
    public void AFieldAtAConstantOffset() => Assert.Equal("8", FirstByteRead(@"
    static long Flags(byte[] data) => BitConverter.ToUInt32(data, 8) + data[12];", "Flags(buf)"));

    // ARPT_ENTRY_ITERATE(..., paddc->counters, &i): the counters past a header whose size the caller passes.
    [Fact]
    public void AnUnsignedStepPastAParameterStart() => Assert.Equal("40", FirstByteRead(@"
    static long Add(byte[] paddc, int countersOffset, uint number)
    {
        long sum = 0;
        for (uint i = 0; i < number && countersOffset + (i + 1) * 16 <= paddc.Length; i++)
            sum += (long)BitConverter.ToUInt64(paddc, (int)(countersOffset + i * 16));
        return sum;
    }", "Add(buf, 40, 4)"));

    [Fact]
    public void ALocalCountedUpFromZero() => Assert.Equal("24", FirstByteRead(@"
    static long Sum(byte[] data, int start, int count)
    {
        long sum = 0;
        for (int i = 0; i < count; i++)
            sum += data[start + i];
        return sum;
    }", "Sum(buf, 24, n)"));

    [Fact]
    public void AStartHandedOnToAnotherHelper() => Assert.Equal("44", FirstByteRead(@"
    static long Inner(byte[] data, int at) => data[at];

    static long Outer(byte[] data, int from) => Inner(data, from + 4);", "Outer(buf, 40)"));

    [Fact]
    public void AStartThatIsNotAConstantArgument() => Assert.Equal("unknown", FirstByteRead(@"
    static long At(byte[] data, int at) => data[at];", "At(buf, n)"));

    [Fact]
    public void ALocalCountedDownHasNoLowerBound() => Assert.Equal("unknown", FirstByteRead(@"
    static long Sum(byte[] data, int start, int count)
    {
        long sum = 0;
        for (int i = count; i > -8; i--)
            sum += data[start + i];
        return sum;
    }", "Sum(buf, 24, n)"));

    [Fact]
    public void AForeachVariableHasNoLowerBound() => Assert.Equal("unknown", FirstByteRead(@"
    static long Pick(byte[] data, int start, int[] steps)
    {
        long sum = 0;
        foreach (int i in steps)
            sum += data[start + i];
        return sum;
    }", "Pick(buf, 24, new[] { -8 })"));

    [Fact]
    public void AParameterTheHelperMovesIsNoStart() => Assert.Equal("unknown", FirstByteRead(@"
    static long Skip(byte[] data, int at)
    {
        at -= 16;
        return data[at];
    }", "Skip(buf, 40)"));

    [Fact]
    public void AnArrayTheHelperWritesIsReadWhole() => Assert.Equal("unknown", FirstByteRead(@"
    static long Clear(byte[] data)
    {
        data[40] = 0;
        return data[44];
    }", "Clear(buf)"));

    [Fact]
    public void AnArrayTheHelperStoresIsReadWhole() => Assert.Equal("unknown", FirstByteRead(@"
    static byte[]? saved;

    static long Keep(byte[] data)
    {
        saved = data;
        return data[44];
    }", "Keep(buf)"));
}
