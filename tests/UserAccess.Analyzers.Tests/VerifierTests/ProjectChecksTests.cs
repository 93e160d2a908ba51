using System;
using System.Threading;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.Text;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;

namespace UserAccess.Analyzers.Tests.VerifierTests;

/// <summary>The checks this project adds to the official verifier, and the shape every fix test has (<see cref="FixHarness"/>).</summary>
public class ProjectChecksTests
{
    private const string Marked = "namespace Sim;\nclass C\n{\n    void Forbidden() { }\n    void Allowed() { }\n    void M() => [|Forbidden|]();\n}\n";

    private const string Fixed = "namespace Sim;\nclass C\n{\n    void Forbidden() { }\n    void Allowed() { }\n    void M() => Allowed();\n}\n";

    [Fact]
    public async Task FixThatBringsAnotherRulesDiagnosticFails()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => new CSharpCodeFixVerifier<ForbiddenCallAnalyzer, UnbalancingFix>.Test
        {
            TestCode = "using static UserAccess.Runtime.Kernel;\nclass C\n{\n    void Forbidden() { }\n    void M() { [|Forbidden|](); }\n}\n",
            FixedCode = "using static UserAccess.Runtime.Kernel;\nclass C\n{\n    void Forbidden() { }\n    void M() { PreemptDisable(); }\n}\n",
        }.RunAsync());
        Assert.Contains("The fix brought new diagnostics (UA1003)", e.Message);
    }

    [Fact]
    public Task FixHarnessPassesAFixThatKeepsToTheScopes()
        => FixHarness.VerifyAsync<ForbiddenCallAnalyzer, RenameFix>(Marked, Fixed);

    [Fact]
    public async Task FixHarnessRejectsAFixAllThatIgnoresTheDocumentScope()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => FixHarness.VerifyAsync<ForbiddenCallAnalyzer, ScopeIgnoringFix>(Marked, Fixed));
        Assert.Contains("Context: Fix all in document", e.Message);
    }

    [Fact]
    public async Task NoFixShapeFailsWhenAFixIsOffered()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => FixHarness.VerifyNoFixAsync<ForbiddenCallAnalyzer, RenameFix>(Marked));
        Assert.Contains("Context: Iterative code fix application", e.Message);
    }

    [Fact]
    public async Task NoFixShapeNeedsTheDeclinedDiagnosticsMarked()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => FixHarness.VerifyNoFixAsync<ForbiddenCallAnalyzer, RenameFix>(Fixed));
        Assert.Contains("A no-fix test marks the diagnostics the fix declines.", e.Message);
    }

    [Fact]
    public async Task TheSameStepTakenAgainIsNoLoop()
    {
        var (history, a) = Start("A");
        var b = await StepAsync(history, a, "B");
        var c = await StepAsync(history, b, "C");
        Assert.Equal("C", (await c.Projects.Single().Documents.Single().GetTextAsync()).ToString());

        // The verifier's next pass starts from the test code again and takes the same steps.
        await StepAsync(history, a, "B");
        await StepAsync(history, b, "C");
    }

    [Fact]
    public async Task AStepBackToAnEarlierTextIsAPingPong()
    {
        var (history, a) = Start("A");
        var b = await StepAsync(history, a, "B");
        var c = await StepAsync(history, b, "C");
        var e = await Assert.ThrowsAsync<VerifierFailure>(() => StepAsync(history, c, "A"));
        Assert.Contains("The fix brings back an earlier text of /0/Test0.cs (a ping-pong loop)", e.Message);
    }

    private static (FixHistory History, Solution Solution) Start(string text)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.CurrentSolution.AddProject("P", "P", LanguageNames.CSharp);
        var document = project.AddDocument("Test0.cs", SourceText.From(text), filePath: "/0/Test0.cs");
        return (new FixHistory(), document.Project.Solution);
    }

    private static async Task<Solution> StepAsync(FixHistory history, Solution before, string text)
    {
        var document = before.Projects.Single().Documents.Single();
        var action = CodeAction.Create("Step", _ => Task.FromResult(document.WithText(SourceText.From(text))), "Step");
        var operations = await history.Watch(action, before).GetOperationsAsync(CancellationToken.None);
        return operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
    }
}
