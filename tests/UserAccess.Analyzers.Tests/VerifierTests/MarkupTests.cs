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
        await Assert.ThrowsAsync<VerifierException>(
            () => VerifyCS.VerifyAnalyzerAsync("class C { void Forbidden() { } void M() => [|Forbidden()|]; }"));
    }

    [Fact]
    public async Task AnonymousSpanIsAmbiguousWithSeveralDescriptors()
    {
        var e = await Assert.ThrowsAsync<VerifierException>(() => VerifyTwoCS.VerifyAnalyzerAsync("class [|C|] { }"));
        Assert.Contains("ambiguous", e.Message);
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
        await Assert.ThrowsAsync<VerifierException>(
            () => VerifyCS.VerifyAnalyzerAsync("class C { }", VerifyCS.Diagnostic().WithLocation(3)));
    }

    [Fact]
    public void ParserStripsMarkupAndReportsSpans()
    {
        var (text, spans) = TestFileMarkupParser.Parse("a[|b{|X:c|}|]d{|#1:e|}");
        Assert.Equal("abcde", text);
        Assert.Collection(
            spans,
            s => Assert.Equal(("X", 2, 3), (s.Name, s.Span.Start, s.Span.End)),
            s => Assert.Equal(((string?)null, 1, 3), (s.Name, s.Span.Start, s.Span.End)),
            s => Assert.Equal(("#1", 4, 5), (s.Name, s.Span.Start, s.Span.End)));
    }

    [Fact]
    public void UnbalancedMarkupIsAnError()
    {
        Assert.Throws<System.FormatException>(() => TestFileMarkupParser.Parse("a[|b"));
        Assert.Throws<System.FormatException>(() => TestFileMarkupParser.Parse("a|]b"));
        Assert.Throws<System.FormatException>(() => TestFileMarkupParser.Parse("[|a|}"));
    }
}
