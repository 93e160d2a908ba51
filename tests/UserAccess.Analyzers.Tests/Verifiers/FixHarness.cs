using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// The shape of every code fix test: the marked source in a solution of two projects with two copies
/// each, so that the official verifier's Fix All passes show the scopes apart (Document scope takes
/// one iteration per document, Project scope one per project, Solution scope one), and one fix per
/// marked span and copy one by one (diagnostics on one span, a spinlock that is a lock and an atomic
/// region, take one fix).
/// </summary>
internal static class FixHarness
{
    internal const string Usings = "using UserAccess.Runtime;\nusing static UserAccess.Runtime.Kernel;\nusing static UserAccess.Runtime.Errno;\n";

    private const string SecondProject = "P1";

    /// <summary>
    /// Checks the fix of every marked diagnostic, one by one and with Fix All in every scope. One fix per
    /// marked span, unless <paramref name="fixesPerDocument"/> says that fewer fix them all (one check
    /// of a whole record covers every field access after it).
    /// </summary>
    internal static Task VerifyAsync<TAnalyzer, TFix>(string markedSource, string expectedFixed, int? fixesPerDocument = null)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        // Copies of one type in one project would clash: each copy gets its own namespace, where the
        // source has the file-scoped `namespace Sim;` the tests use.
        var copies = markedSource.Contains("namespace Sim;") ? 2 : 1;
        var test = new CSharpCodeFixVerifier<TAnalyzer, TFix>.Test();
        test.TestState.AdditionalProjects[SecondProject].AdditionalReferences.Add(typeof(UserAccess.Runtime.Kernel).Assembly);
        test.FixedState.AdditionalProjects[SecondProject].AdditionalReferences.Add(typeof(UserAccess.Runtime.Kernel).Assembly);
        for (var copy = 0; copy < copies; copy++)
        {
            test.TestState.Sources.Add(($"/0/Test{copy}.cs", Copy(markedSource, copy)));
            test.FixedState.Sources.Add(($"/0/Test{copy}.cs", Copy(expectedFixed, copy)));
            test.TestState.AdditionalProjects[SecondProject].Sources.Add(($"/{SecondProject}/Test{copy}.cs", Copy(markedSource, copy)));
            test.FixedState.AdditionalProjects[SecondProject].Sources.Add(($"/{SecondProject}/Test{copy}.cs", Copy(expectedFixed, copy)));
        }

        var documents = 2 * copies;
        test.NumberOfIncrementalIterations = (fixesPerDocument ?? MarkedSpans(markedSource)) * documents;
        test.NumberOfFixAllInDocumentIterations = documents;
        test.NumberOfFixAllInProjectIterations = 2;
        test.NumberOfFixAllIterations = 1;
        return test.RunAsync();
    }

    /// <summary>
    /// The marked diagnostics are reported, and the fix offers nothing for any of them; with
    /// <paramref name="reasons"/>, the fix declines them, in source order, for these reasons.
    /// </summary>
    internal static async Task VerifyNoFixAsync<TAnalyzer, TFix>(string markedSource, params DeclineReason[] reasons)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        Assert.True(MarkedSpans(markedSource) > 0, "A no-fix test marks the diagnostics the fix declines.");
        // A fixed state equal to the test state: the official verifier then asserts that no fix is offered.
        await new CSharpCodeFixVerifier<TAnalyzer, TFix>.Test { TestCode = markedSource, FixedCode = markedSource }.RunAsync();
        if (reasons.Length == 0)
        {
            return;
        }

        TestFileMarkupParser.GetSpans(markedSource, out string source, out ImmutableDictionary<string, ImmutableArray<TextSpan>> spans);
        var document = FixApplier.CreateProject(source).Documents.Single();
        var fix = (UserAccessCodeFixProvider)(object)new TFix();
        var declined = new List<DeclineReason?>();
        foreach (var diagnostic in await FixApplier.DiagnosticsAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer()), fix.FixableDiagnosticIds.Single()))
        {
            declined.Add((await fix.TryFixAsync(document, diagnostic, CancellationToken.None)).Reason);
        }

        Assert.Equal(reasons.Select(r => (DeclineReason?)r), declined);
    }

    /// <summary>
    /// The fix of one diagnostic alone, offered on the code as written while the others still stand (a
    /// lightbulb on that report): <paramref name="markedSource"/> marks the diagnostic with <c>{|#0:...|}</c>,
    /// and the fixed text must be <paramref name="expectedFixed"/>.
    /// </summary>
    internal static async Task VerifyOneAsync<TAnalyzer, TFix>(string markedSource, string expectedFixed)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        TestFileMarkupParser.GetPositionsAndSpans(markedSource, out string source, out _, out ImmutableDictionary<string, ImmutableArray<TextSpan>> spans);
        var span = Assert.Single(spans["#0"]);
        var document = FixApplier.CreateProject(source).Documents.Single();
        var fix = new TFix();
        var diagnostics = await FixApplier.DiagnosticsAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer()), fix.FixableDiagnosticIds.Single());
        var diagnostic = Assert.Single(diagnostics, d => d.Location.SourceSpan == span);
        var action = Assert.Single(await FixApplier.ActionsAsync(document, fix, diagnostic));
        var fixedDocument = (await FixApplier.ApplyAsync(action, document.Project.Solution)).GetDocument(document.Id)!;
        Assert.Equal(expectedFixed, (await fixedDocument.GetTextAsync()).ToString());
    }

    private static int MarkedSpans(string markedSource)
    {
        TestFileMarkupParser.GetSpans(markedSource, out string _, out ImmutableDictionary<string, ImmutableArray<TextSpan>> spans);
        return spans.Values.SelectMany(s => s).Distinct().Count();
    }

    private static string Copy(string source, int copy) => source.Replace("namespace Sim;", "namespace Sim" + copy + ";");
}
