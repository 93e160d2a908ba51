using Microsoft.CodeAnalysis.Testing;
using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.Tests.VerifierTests.ForbiddenCallAnalyzer>;

namespace UserAccess.Analyzers.Tests.VerifierTests;

/// <summary>Editorconfig severities and keys reach compilation and analyzer as in a real build; extra files are named.</summary>
public class EditorConfigAndFilesTests
{
    private const string Source = "class C { void Forbidden() { } void Other() { } void M() { Forbidden(); Other(); } }";

    [Fact]
    public Task SeverityFromEditorConfig()
        => new VerifyCS.Test
        {
            TestCode = Source,
            TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.TEST0001.severity = error\n") } },
            ExpectedDiagnostics = { VerifyCS.Diagnostic().WithSpan(1, 60, 1, 69).WithArguments("Forbidden").WithSeverity(DiagnosticSeverity.Error) },
        }.RunAsync();

    [Fact]
    public async Task DefaultSeverityIsComparedSoEditorConfigMatters()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => new VerifyCS.Test
        {
            TestCode = Source,
            TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.TEST0001.severity = error\n") } },
            ExpectedDiagnostics = { VerifyCS.Diagnostic().WithSpan(1, 60, 1, 69) },
        }.RunAsync());
    }

    [Fact]
    public Task SeverityNoneSilencesTheRule()
        => new VerifyCS.Test
        {
            TestCode = Source,
            TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.TEST0001.severity = none\n") } },
        }.RunAsync();

    [Fact]
    public Task GlobalConfigSeverity()
        => new VerifyCS.Test
        {
            TestCode = Source,
            TestState = { AnalyzerConfigFiles = { ("/.globalconfig", "is_global = true\ndotnet_diagnostic.TEST0001.severity = suggestion\n") } },
            ExpectedDiagnostics = { VerifyCS.Diagnostic().WithSpan(1, 60, 1, 69).WithArguments("Forbidden").WithSeverity(DiagnosticSeverity.Info) },
        }.RunAsync();

    [Fact]
    public Task GeneratedCodeByEditorConfigIsSkipped()
        => new VerifyCS.Test
        {
            TestCode = Source,
            TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ngenerated_code = true\n") } },
        }.RunAsync();

    [Fact]
    public Task CustomKeyReachesTheAnalyzer()
        => new VerifyCS.Test
        {
            TestCode = "class C { void Forbidden() { } void Other() { } void M() { [|Forbidden|](); [|Other|](); } }",
            TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ntest.forbidden_methods = Other\n") } },
        }.RunAsync();

    [Fact]
    public Task SectionsApplyByPath()
        => new VerifyCS.Test
        {
            TestState =
            {
                Sources =
                {
                    "partial class C { void Forbidden() { } void Other() { } void M() { [|Forbidden|](); Other(); } }",
                    ("/0/Special/Extra.cs", "partial class C { void N() { [|Other|](); } }"),
                },
                AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[**/Special/*.cs]\ntest.forbidden_methods = Other\n") },
            },
        }.RunAsync();

    [Fact]
    public Task DiagnosticInANamedFile()
        => new VerifyCS.Test
        {
            TestState =
            {
                Sources =
                {
                    "partial class C { void Forbidden() { } }",
                    ("/0/Second.cs", "partial class C { void M() => Forbidden(); }"),
                },
            },
            ExpectedDiagnostics = { VerifyCS.Diagnostic().WithSpan("/0/Second.cs", 1, 31, 1, 40).WithArguments("Forbidden") },
        }.RunAsync();

    [Fact]
    public Task SecondProjectReferencesTheFirst()
        => new VerifyCS.Test
        {
            TestState =
            {
                Sources = { "public class Api { public static void Forbidden() { } }" },
                AdditionalProjects =
                {
                    ["Client"] = { Sources = { "class Client { void M() => Api.[|Forbidden|](); }" }, AdditionalProjectReferences = { "TestProject" } },
                },
            },
        }.RunAsync();
}
