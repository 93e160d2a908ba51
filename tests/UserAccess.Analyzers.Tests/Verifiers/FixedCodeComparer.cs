using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// Checks a fixed solution against the expected fixed code: every document's text exactly (with a diff on
/// mismatch), and every document's tree equal to its own text re-parsed. A fix that builds a tree whose
/// text reads differently (a missing space, <c>returnx</c>) passes a text comparison of the printed tree
/// but breaks the user's next build; the re-parse catches it.
/// </summary>
internal static class FixedCodeComparer
{
    public static async Task VerifyAsync(Solution actual, ProcessedSolution expected, string mode, CancellationToken cancellationToken)
    {
        var failures = new StringBuilder();
        foreach (var expectedProject in expected.Projects)
        {
            var project = actual.Projects.FirstOrDefault(p => p.Name == expectedProject.Name);
            if (project is null)
            {
                failures.AppendLine($"Project {expectedProject.Name} is missing after the fix.");
                continue;
            }

            var documents = project.Documents.ToDictionary(d => d.FilePath ?? d.Name);
            foreach (var (path, text) in expectedProject.Sources)
            {
                if (!documents.Remove(path, out var document))
                {
                    failures.AppendLine($"{path}: the fixed solution has no such document.");
                    continue;
                }

                var actualText = (await document.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString();
                if (actualText != text)
                {
                    failures.AppendLine($"{path}: the fixed text differs from the expected fixed code:").AppendLine(TextDiff.Unified(text, actualText));
                    continue;
                }

                await VerifyRoundTripAsync(document, failures, cancellationToken).ConfigureAwait(false);
            }

            foreach (var extra in documents.Keys)
            {
                failures.AppendLine($"{extra}: a document the fix added, not in the expected fixed code.");
            }
        }

        if (failures.Length > 0)
        {
            throw new VerifierException($"Fixing {mode} did not give the expected fixed code.\n{failures}");
        }
    }

    private static async Task VerifyRoundTripAsync(Document document, StringBuilder failures, CancellationToken cancellationToken)
    {
        var tree = (await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false))!;
        var text = await tree.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var reparsed = CSharpSyntaxTree.ParseText(text, (CSharpParseOptions)tree.Options, tree.FilePath, cancellationToken);
        var root = await tree.GetRootAsync(cancellationToken).ConfigureAwait(false);
        if (!reparsed.GetRoot(cancellationToken).IsEquivalentTo(root, topLevel: false))
        {
            var first = root.DescendantTokens().Zip(reparsed.GetRoot(cancellationToken).DescendantTokens())
                .FirstOrDefault(pair => !pair.First.IsEquivalentTo(pair.Second));
            failures.AppendLine(
                $"{document.FilePath}: the fix built a syntax tree that its own text does not parse back to "
                + $"(first difference: token '{first.First}' ({first.First.Kind()}) re-parses as '{first.Second}' ({first.Second.Kind()})). "
                + "Missing trivia between tokens is the usual cause: use SyntaxFactory with trivia, or add Formatter.Annotation.");
        }
    }

    /// <summary>Compiler warnings (id and message) in the fixed code that the test code did not have.</summary>
    public static IReadOnlyList<Diagnostic> NewCompilerWarnings(IEnumerable<Diagnostic> before, IEnumerable<Diagnostic> after)
    {
        static bool IsWarning(Diagnostic d) => !d.IsSuppressed && d.Severity >= DiagnosticSeverity.Warning && d.Id.StartsWith("CS", System.StringComparison.Ordinal);
        var remaining = before.Where(IsWarning).Select(d => (d.Id, d.GetMessage())).ToList();
        var added = new List<Diagnostic>();
        foreach (var diagnostic in after.Where(IsWarning))
        {
            if (!remaining.Remove((diagnostic.Id, diagnostic.GetMessage())))
            {
                added.Add(diagnostic);
            }
        }

        return added;
    }
}
