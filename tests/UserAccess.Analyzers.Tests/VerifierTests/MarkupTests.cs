using Microsoft.CodeAnalysis.Testing;
using System;
using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.Tests.VerifierTests.ForbiddenCallAnalyzer>;
using VerifyTwoCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.Tests.VerifierTests.TwoRuleAnalyzer>;

namespace UserAccess.Analyzers.Tests.VerifierTests;

/// <summary>The markup forms of the official package: <c>[|...|]</c>, <c>{|ID:...|}</c>, <c>{|#n:...|}</c>.</summary>
public class MarkupTests
{
    [Fact]
    public Task AnonymousSpanMeansTheOnlyDescriptor()
        => VerifyCS.VerifyAnalyzerAsync("class C { void Forbidden() { } void M() => [|Forbidden|](); }");

    [Fact]
    public Task NamedSpan()
        => VerifyCS.VerifyAnalyzerAsync("class C { void Forbidden() { } void M() => {|TEST0001:Forbidden|}(); }");

    [Fact]
    public Task NumberedLocationWithArguments()
        => VerifyCS.VerifyAnalyzerAsync(
            "class C { void Forbidden() { } void M() => {|#0:Forbidden|}(); }",
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Forbidden"));

    [Fact]
    public Task NestedMarkup()
        => VerifyCS.VerifyAnalyzerAsync(
            "class C { void M() { {|CS0103:{|#0:Forbidden|}|}(); } }",
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Forbidden"));

    [Fact]
    public async Task WrongMarkupSpanFails()
    {
        await Assert.ThrowsAnyAsync<Exception>(
            () => VerifyCS.VerifyAnalyzerAsync("class C { void Forbidden() { } void M() => [|Forbidden()|]; }"));
    }

    [Fact]
    public async Task AnonymousSpanIsAmbiguousWithSeveralDescriptors()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => VerifyTwoCS.VerifyAnalyzerAsync("class [|C|] { }"));
        Assert.Contains("Markup syntax can only omit the diagnostic ID if the first analyzer only supports a single diagnostic", e.Message);
    }

    [Fact]
    public Task SeveralDescriptorsByIdWithTheirSeverities()
        => VerifyTwoCS.VerifyAnalyzerAsync("class {|TEST0002:C|} { void {|TEST0003:M|}() { } }");

    [Fact]
    public Task MarkupAndExplicitDiagnosticsCombine()
        => VerifyTwoCS.VerifyAnalyzerAsync(
            "class {|TEST0002:C|} { void M() { } }",
            VerifyTwoCS.Diagnostic("TEST0003").WithSpan(1, 16, 1, 17).WithArguments("M"));

    [Fact]
    public async Task UnknownMarkupKeyFails()
    {
        await Assert.ThrowsAnyAsync<Exception>(
            () => VerifyCS.VerifyAnalyzerAsync("class C { }", VerifyCS.Diagnostic().WithLocation(3)));
    }
}
