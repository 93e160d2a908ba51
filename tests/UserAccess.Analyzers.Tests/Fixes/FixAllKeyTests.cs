using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.Fixes;

/// <summary>
/// `dotnet format` asks a Fix All provider with the key of the action offered for the first diagnostic
/// it meets, or with no key when the fix declined that one: either way every fixable diagnostic is
/// fixed and the declined one is left as it is. Another provider's key is not answered.
/// </summary>
public class FixAllKeyTests
{
    // The first comparison's intent is unclear (the UA5002 fix declines it); the second is fixable.
    private const string Source = FixHarness.Usings + """
        namespace Sim;

        public static class Ioctl
        {
            public static int Partial(UserPtr arg, byte[] buf, int n)
            {
                if (CopyFromUser(buf, arg) < n)
                    return 1;
                return 0;
            }

            public static int GetArgs(UserPtr arg, byte[] buf)
            {
                if (CopyToUser(arg, buf) < 0)
                    return -EFAULT;
                return 0;
            }
        }
        """;

    [Theory]
    [InlineData(null)]
    [InlineData(EquivalenceKeys.UA5002CompareWithZero)]
    public async Task WithNoKeyOrTheProvidersKeyEveryFixableDiagnosticIsFixed(string? key)
    {
        var text = await FixAllAsync(key);
        Assert.NotNull(text);
        Assert.Contains("if (CopyFromUser(buf, arg) < n)", text);
        Assert.Contains("if (CopyToUser(arg, buf) != 0)", text);
    }

    [Fact]
    public async Task AnotherProvidersKeyIsNotAnswered()
        => Assert.Null(await FixAllAsync(EquivalenceKeys.UA5001CheckResult));

    private static async Task<string?> FixAllAsync(string? key)
    {
        var document = FixApplier.CreateProject(Source).Documents.Single();
        var fix = new UA5002BytesNotCopiedMisreadCodeFix();
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new UA5002BytesNotCopiedMisreadAnalyzer());
        var diagnostics = await FixApplier.DiagnosticsAsync(document.Project, analyzers, "UA5002");
        Assert.Equal(2, diagnostics.Length);
        Assert.Empty(await FixApplier.ActionsAsync(document, fix, diagnostics[0]));

        var context = new FixAllContext(document, fix, FixAllScope.Document, key, new[] { "UA5002" }, new Provider(diagnostics), CancellationToken.None);
        var action = await fix.GetFixAllProvider()!.GetFixAsync(context);
        if (action is null)
        {
            return null;
        }

        var fixedDocument = (await FixApplier.ApplyAsync(action, document.Project.Solution)).GetDocument(document.Id)!;
        return (await fixedDocument.GetTextAsync()).ToString();
    }

    private sealed class Provider : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> diagnostics;

        public Provider(ImmutableArray<Diagnostic> diagnostics) => this.diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}
