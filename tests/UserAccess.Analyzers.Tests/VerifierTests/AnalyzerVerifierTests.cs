using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.Tests.VerifierTests.ForbiddenCallAnalyzer>;

namespace UserAccess.Analyzers.Tests.VerifierTests;

/// <summary>The analyzer verifier passes what is right and fails, readably, what is not.</summary>
public class AnalyzerVerifierTests
{
    private const string Source = """
        class C
        {
            void Forbidden() { }
            void M() => Forbidden();
        }
        """;

    [Fact]
    public Task ExplicitSpanAndArgumentsPass()
        => VerifyCS.VerifyAnalyzerAsync(Source, VerifyCS.Diagnostic().WithSpan(4, 17, 4, 26).WithArguments("Forbidden"));

    [Fact]
    public Task SilentCodePasses()
        => VerifyCS.VerifyAnalyzerAsync("class C { void M() { } }");

    [Fact]
    public async Task WrongSpanFailsAndPrintsTheActualDiagnostic()
    {
        var e = await Assert.ThrowsAsync<VerifierException>(
            () => VerifyCS.VerifyAnalyzerAsync(Source, VerifyCS.Diagnostic().WithSpan(4, 18, 4, 26)));
        Assert.Contains("Expected but not reported", e.Message);
        Assert.Contains("Reported but not expected", e.Message);
        Assert.Contains("VerifyCS.Diagnostic(\"TEST0001\").WithSpan(4, 17, 4, 26).WithMessage(\"Call to 'Forbidden' is forbidden\")", e.Message);
        Assert.Contains("void M() => {|TEST0001:Forbidden|}();", e.Message);
    }

    [Fact]
    public async Task WrongArgumentsFail()
    {
        await Assert.ThrowsAsync<VerifierException>(
            () => VerifyCS.VerifyAnalyzerAsync(Source, VerifyCS.Diagnostic().WithSpan(4, 17, 4, 26).WithArguments("Other")));
    }

    [Fact]
    public async Task TooFewArgumentsFailAsAMismatch()
    {
        var e = await Assert.ThrowsAsync<VerifierException>(
            () => VerifyCS.VerifyAnalyzerAsync(Source, VerifyCS.Diagnostic().WithSpan(4, 17, 4, 26).WithArguments()));
        Assert.Contains("Reported but not expected", e.Message);
    }

    [Fact]
    public async Task WrongSeverityFails()
    {
        await Assert.ThrowsAsync<VerifierException>(
            () => VerifyCS.VerifyAnalyzerAsync(Source, VerifyCS.Diagnostic().WithSpan(4, 17, 4, 26).WithSeverity(DiagnosticSeverity.Error)));
    }

    [Fact]
    public async Task MissingDiagnosticFails()
    {
        var e = await Assert.ThrowsAsync<VerifierException>(() => VerifyCS.VerifyAnalyzerAsync(Source));
        Assert.Contains("expected 0, actual 1", e.Message);
    }

    [Fact]
    public async Task ExtraExpectedDiagnosticFails()
    {
        await Assert.ThrowsAsync<VerifierException>(() => VerifyCS.VerifyAnalyzerAsync(
            Source,
            VerifyCS.Diagnostic().WithSpan(4, 17, 4, 26),
            VerifyCS.Diagnostic().WithSpan(4, 17, 4, 26)));
    }

    [Fact]
    public async Task CompilerErrorFailsTheTest()
    {
        var e = await Assert.ThrowsAsync<VerifierException>(() => VerifyCS.VerifyAnalyzerAsync("class C { void M() { Undefined(); } }"));
        Assert.Contains("CS0103", e.Message);
    }

    [Fact]
    public Task CompilerErrorCanBeExpected()
        => VerifyCS.VerifyAnalyzerAsync("class C { void M() { {|CS0103:Undefined|}(); } }");

    [Fact]
    public Task CompilerDiagnosticsCanBeTurnedOff()
        => new VerifyCS.Test { TestCode = "class C { void M() { Undefined(); } }", CompilerDiagnostics = CompilerDiagnostics.None }.RunAsync();

    [Fact]
    public async Task AnalyzerExceptionFailsTheTest()
    {
        var e = await Assert.ThrowsAsync<VerifierException>(
            () => CSharpAnalyzerVerifier<ThrowingAnalyzer>.VerifyAnalyzerAsync("class C { }"));
        Assert.Contains("boom", e.Message);
    }

    [Fact]
    public async Task AnalyzerThatReportsInGeneratedCodeFails()
    {
        var e = await Assert.ThrowsAsync<VerifierException>(
            () => CSharpAnalyzerVerifier<AnalyzesGeneratedCodeAnalyzer>.VerifyAnalyzerAsync("class C { void M() => [|M()|]; }"));
        Assert.Contains("generated code", e.Message);
    }

    [Fact]
    public Task LocationByStartOnly()
        => VerifyCS.VerifyAnalyzerAsync(Source, VerifyCS.Diagnostic().WithLocation(4, 17));

    [Fact]
    public Task DiagnosticWithoutLocation()
        => CSharpAnalyzerVerifier<NoLocationAnalyzer>.VerifyAnalyzerAsync(
            "class C { }",
            CSharpAnalyzerVerifier<NoLocationAnalyzer>.Diagnostic().WithNoLocation().WithArguments("TestProject"));

    [Fact]
    public async Task DiagnosticWithoutLocationIsNotMatchedBySpan()
    {
        await Assert.ThrowsAsync<VerifierException>(() => CSharpAnalyzerVerifier<NoLocationAnalyzer>.VerifyAnalyzerAsync(
            "class C { }",
            CSharpAnalyzerVerifier<NoLocationAnalyzer>.Diagnostic().WithSpan(1, 1, 1, 6)));
    }

    [Fact]
    public async Task SolutionTransformsApply()
    {
        // C# 7.3 has no nullable reference types: the same source now fails to compile.
        var test = new VerifyCS.Test { TestCode = "class C { string? M() => null; }" };
        test.SolutionTransforms.Add((solution, project) => solution.WithProjectParseOptions(
            project, new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3)));
        var e = await Assert.ThrowsAsync<VerifierException>(() => test.RunAsync());
        Assert.Contains("CS8370", e.Message);
    }

    [Fact]
    public Task CompilesAgainstTheRuntimeAndTheFramework()
        => VerifyCS.VerifyAnalyzerAsync("""
            using System;
            using UserAccess.Runtime;
            using static UserAccess.Runtime.Kernel;
            using static UserAccess.Runtime.Errno;

            class C
            {
                static int Read(UserPtr<uint> p)
                {
                    if (GetUser(out uint value, p) != 0)
                    {
                        return -EFAULT;
                    }

                    Console.WriteLine(value);
                    return 0;
                }

                static unsafe void Unsafe(int* p) { }

                static string? Nullable() => null;
            }
            """);

    [Fact]
    public async Task DiagnosticThatPragmaCannotSuppressFails()
    {
        var e = await Assert.ThrowsAsync<VerifierException>(
            () => CSharpAnalyzerVerifier<UnsuppressibleAnalyzer>.VerifyAnalyzerAsync("class [|C|] { }"));
        Assert.Contains("#pragma warning disable TEST0004", e.Message);
    }

    [Fact]
    public Task NullableWarningIsVisibleWithWarningsOn()
        => new VerifyCS.Test
        {
            TestCode = "class C { string M(string? s) => {|CS8603:s|}; }",
            CompilerDiagnostics = CompilerDiagnostics.Warnings,
        }.RunAsync();
}
