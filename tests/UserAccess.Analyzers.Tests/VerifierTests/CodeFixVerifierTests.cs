using Microsoft.CodeAnalysis.Testing;
using System;
using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    UserAccess.Analyzers.Tests.VerifierTests.ForbiddenCallAnalyzer,
    UserAccess.Analyzers.Tests.VerifierTests.RenameFix>;

namespace UserAccess.Analyzers.Tests.VerifierTests;

/// <summary>The code fix verifier: the good fix passes; each kind of broken fix fails with a readable message.</summary>
public class CodeFixVerifierTests
{
    private const string Source = """
        class C
        {
            void Forbidden() { }
            void Allowed() { }
            void Permitted() { }
            void M()
            {
                [|Forbidden|]();
                this.[|Forbidden|]();
            }
        }
        """;

    private const string Fixed = """
        class C
        {
            void Forbidden() { }
            void Allowed() { }
            void Permitted() { }
            void M()
            {
                Allowed();
                this.Allowed();
            }
        }
        """;

    [Fact]
    public Task GoodFixPasses()
        => VerifyCS.VerifyCodeFixAsync(Source, Fixed);

    [Fact]
    public Task ExplicitDiagnosticsAndFixedSource()
        => VerifyCS.VerifyCodeFixAsync(
            Source.Replace("[|", string.Empty).Replace("|]", string.Empty),
            new[] { VerifyCS.Diagnostic().WithSpan(8, 9, 8, 18).WithArguments("Forbidden"), VerifyCS.Diagnostic().WithSpan(9, 14, 9, 23).WithArguments("Forbidden") },
            Fixed);

    [Fact]
    public Task EquivalenceKeyChoosesTheAction()
        => new VerifyCS.Test { TestCode = Source, FixedCode = Fixed.Replace("Allowed();", "Permitted();"), CodeActionEquivalenceKey = "Permitted" }.RunAsync();

    [Fact]
    public Task IndexChoosesTheAction()
        => new VerifyCS.Test { TestCode = Source, FixedCode = Fixed.Replace("Allowed();", "Permitted();"), CodeActionIndex = 1 }.RunAsync();

    [Fact]
    public async Task WrongFixedCodeFailsWithADiff()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => VerifyCS.VerifyCodeFixAsync(Source, Fixed.Replace("this.Allowed", "this.Permitted")));
        Assert.Contains("content of '/0/Test0.cs' did not match", e.Message);
    }

    [Fact]
    public async Task RemainingDiagnosticMustBeListedInFixedState()
    {
        // Fixing only... by offering no fix for a diagnostic: the key matches nothing, so the code stays as it is.
        await Assert.ThrowsAnyAsync<Exception>(
            () => new VerifyCS.Test { TestCode = Source, FixedCode = Source.Replace("[|", string.Empty).Replace("|]", string.Empty), CodeActionEquivalenceKey = "NoSuchKey" }.RunAsync());
    }

    [Fact]
    public async Task UnknownKeyFixesNothingAndFails()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(
            () => new VerifyCS.Test { TestCode = Source, FixedCode = Fixed, CodeActionEquivalenceKey = "Alowed" }.RunAsync());
        Assert.Contains("Context: Iterative code fix application", e.Message);
    }

    [Fact]
    public Task RemainingDiagnosticsListedInFixedStatePass()
        => new VerifyCS.Test { TestCode = Source, FixedCode = Source, CodeActionEquivalenceKey = "NoSuchKey" }.RunAsync();

    [Fact]
    public Task RemainingDiagnosticsListedExplicitlyInFixedState()
        => new VerifyCS.Test
        {
            TestCode = Source,
            FixedCode = Source.Replace("[|", string.Empty).Replace("|]", string.Empty),
            CodeActionEquivalenceKey = "NoSuchKey",
            FixedState =
            {
                ExpectedDiagnostics = { VerifyCS.Diagnostic().WithSpan(8, 9, 8, 18).WithArguments("Forbidden"), VerifyCS.Diagnostic().WithSpan(9, 14, 9, 23).WithArguments("Forbidden") },
            },
        }.RunAsync();

    [Fact]
    public async Task FixThatAddsACompilerWarningFails()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => new VerifyCS.Test
        {
            TestCode = "class C { void Forbidden() { } [System.Obsolete] void Permitted() { } void M() => [|Forbidden|](); }",
            FixedCode = "class C { void Forbidden() { } [System.Obsolete] void Permitted() { } void M() => Permitted(); }",
            CodeActionEquivalenceKey = "Permitted",
        }.RunAsync());
        Assert.Contains("CS0612", e.Message);
    }

    [Fact]
    public Task NoFixedCodeMeansNothingChanges()
        => new VerifyCS.Test { TestCode = Source, CodeActionEquivalenceKey = "NoSuchKey" }.RunAsync();

    [Fact]
    public async Task CycleIsAnInfiniteFixLoop()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => new CSharpCodeFixVerifier<ForbiddenCallAnalyzer, PingPongFix>.Test
        {
            TestCode = "class C { void Forbidden() { } void Other() { } void M() => [|Forbidden|](); }",
            FixedCode = "class C { void Forbidden() { } void Other() { } void M() => [|Other|](); }",
            TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ntest.forbidden_methods = Other\n") } },
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllCheck,
        }.RunAsync());
        Assert.Contains("The fix brings back an earlier text of /0/Test0.cs (a ping-pong loop)", e.Message);
    }

    [Fact]
    public async Task FixThatNeverRemovesTheDiagnosticIsAnInfiniteFixLoop()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => new CSharpCodeFixVerifier<ForbiddenCallAnalyzer, NeverConvergingFix>.Test
        {
            TestCode = "class C { void Forbidden() { } void M() => [|Forbidden|](); }",
            FixedCode = "class C { void Forbidden() { } void M() => /*again*/[|Forbidden|](); }",
        }.RunAsync());
        Assert.Contains("Context: Iterative code fix application", e.Message);
    }

    [Fact]
    public async Task NonCompilingFixedCodeFails()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => new CSharpCodeFixVerifier<ForbiddenCallAnalyzer, NonCompilingFix>.Test
        {
            TestCode = "class C { void Forbidden() { } void M() => [|Forbidden|](); }",
            FixedCode = "class C { void Forbidden() { } void M() => Undefined(); }",
        }.RunAsync());
        Assert.Contains("CS0103", e.Message);
        Assert.Contains("Context: Diagnostics of fixed state", e.Message);
    }

    [Fact]
    public async Task TreeThatDoesNotRoundTripFails()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => new CSharpCodeFixVerifier<ForbiddenCallAnalyzer, MissingTriviaFix>.Test
        {
            TestCode = "class C { int x; int Forbidden() => 0; int M() { return [|Forbidden|](); } }",
            FixedCode = "class C { int x; int Forbidden() => 0; int M() { returnx; } }",
            // "returnx;" does not compile either; silence that to reach the round-trip check.
            CompilerDiagnostics = CompilerDiagnostics.None,
            DisabledDiagnostics = { "CS0103", "CS0161", "CS0201" },
        }.RunAsync());
        Assert.Contains("Context: Iterative code fix application", e.Message);
    }

    [Fact]
    public Task SimplifierAndFormatterAnnotationsAreAppliedAsInTheIde()
        => new CSharpCodeFixVerifier<ForbiddenCallAnalyzer, AnnotatedFix>.Test
        {
            TestCode = """
                using System;

                class C
                {
                    void Forbidden() { }
                    void M()
                    {
                        [|Forbidden|]();
                    }
                }
                """,
            FixedCode = """
                using System;

                class C
                {
                    void Forbidden() { }
                    void M()
                    {
                        Console.WriteLine(1);
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task FormatterReadsTheEditorConfig()
        => new CSharpCodeFixVerifier<ForbiddenCallAnalyzer, AnnotatedFix>.Test
        {
            TestState =
            {
                Sources = { "using System;\n\nclass C\n{\n    void Forbidden() { }\n    void M()\n    {\n        [|Forbidden|]();\n    }\n}\n" },
                AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\nindent_size = 2\n") },
            },

            // The annotated statement (and the brace after it, whose indentation is the statement's trailing edge)
            // is formatted with the project's two-space indentation, exactly as the IDE would.
            FixedCode = "using System;\n\nclass C\n{\n    void Forbidden() { }\n    void M()\n    {\n    Console.WriteLine(1);\n  }\n}\n",
        }.RunAsync();

    [Fact]
    public async Task FixAllThatDiffersFromOneByOneFails()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => new CSharpCodeFixVerifier<ForbiddenCallAnalyzer, InconsistentFixAllFix>.Test
        {
            TestCode = Source,
            FixedCode = Fixed,
        }.RunAsync());
        Assert.Contains("Context: Fix all in document", e.Message);
    }
}
