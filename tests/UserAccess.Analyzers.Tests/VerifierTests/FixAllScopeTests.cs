using Microsoft.CodeAnalysis.Testing;
using System;
using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    UserAccess.Analyzers.Tests.VerifierTests.ForbiddenCallAnalyzer,
    UserAccess.Analyzers.Tests.VerifierTests.RenameFix>;

namespace UserAccess.Analyzers.Tests.VerifierTests;

/// <summary>
/// How a rule author writes a Fix All test: several documents and several projects, so that document,
/// project and solution scope each have something to do, and each must equal fixing one by one.
/// </summary>
public class FixAllScopeTests
{
    private const string Api = "public static class Api { public static void Forbidden() { } public static void Allowed() { } }";

    [Fact]
    public Task FixAllInEveryScopeEqualsOneByOne()
        => new VerifyCS.Test
        {
            TestState =
            {
                Sources =
                {
                    Api,
                    "class A { void M() { Api.[|Forbidden|](); Api.[|Forbidden|](); } }",
                    "class B { void M() { Api.[|Forbidden|](); } }",
                },
                AdditionalProjects =
                {
                    ["Other"] =
                    {
                        Sources = { "class D { void M() { Api.[|Forbidden|](); } }" },
                        AdditionalProjectReferences = { "TestProject" },
                    },
                },
            },
            FixedState =
            {
                Sources =
                {
                    Api,
                    "class A { void M() { Api.Allowed(); Api.Allowed(); } }",
                    "class B { void M() { Api.Allowed(); } }",
                },
                AdditionalProjects =
                {
                    ["Other"] = { Sources = { "class D { void M() { Api.Allowed(); } }" }, AdditionalProjectReferences = { "TestProject" } },
                },
            },
            CodeActionEquivalenceKey = "Allowed",
        }.RunAsync();

    [Fact]
    public Task UntouchedProjectIsInheritedFromTheTestState()
        => new VerifyCS.Test
        {
            TestState =
            {
                Sources = { Api, "class A { void M() { Api.[|Forbidden|](); } }" },
                AdditionalProjects =
                {
                    ["Other"] = { Sources = { "class D { }" }, AdditionalProjectReferences = { "TestProject" } },
                },
            },
            FixedState = { Sources = { Api, "class A { void M() { Api.Allowed(); } }" } },
        }.RunAsync();

    [Fact]
    public Task ExactNumberOfIterations()
        => new VerifyCS.Test
        {
            TestState = { Sources = { Api, "class A { void M() { Api.[|Forbidden|](); Api.[|Forbidden|](); } }" } },
            FixedState = { Sources = { Api, "class A { void M() { Api.Allowed(); Api.Allowed(); } }" } },
            NumberOfIncrementalIterations = 2,
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 1,
            NumberOfFixAllInProjectIterations = 1,
        }.RunAsync();

    [Fact]
    public async Task WrongNumberOfIterationsFails()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => new VerifyCS.Test
        {
            TestState = { Sources = { Api, "class A { void M() { Api.[|Forbidden|](); Api.[|Forbidden|](); } }" } },
            FixedState = { Sources = { Api, "class A { void M() { Api.Allowed(); Api.Allowed(); } }" } },
            NumberOfIncrementalIterations = 1,
        }.RunAsync());
    }
}
