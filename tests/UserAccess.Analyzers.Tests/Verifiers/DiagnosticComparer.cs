using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// Compares actual with expected diagnostics: order does not matter, count does. A diagnostic matches an
/// expectation when id, location(s), severity (when expected) and message (when expected) agree. On
/// mismatch the report lists what was missing, what was extra, and every actual diagnostic written as
/// a test would write it, ready to paste.
/// </summary>
internal static class DiagnosticComparer
{
    public static void Verify(
        IReadOnlyList<Diagnostic> actual,
        IReadOnlyList<DiagnosticResult> expected,
        string primaryPath,
        string context)
    {
        var matchOfExpected = BipartiteMatch(actual, expected);
        var unmatchedExpected = expected.Where((_, i) => matchOfExpected[i] < 0).ToList();
        var matchedActual = new HashSet<int>(matchOfExpected.Where(i => i >= 0));
        var unmatchedActual = actual.Where((_, i) => !matchedActual.Contains(i)).ToList();
        if (unmatchedExpected.Count == 0 && unmatchedActual.Count == 0)
        {
            return;
        }

        var report = new StringBuilder();
        report.AppendLine($"Mismatch between expected and actual diagnostics ({context}): expected {expected.Count}, actual {actual.Count}.");
        if (unmatchedExpected.Count > 0)
        {
            report.AppendLine().AppendLine("Expected but not reported:");
            foreach (var result in unmatchedExpected)
            {
                report.AppendLine("    " + result);
                var near = actual.Where(d => d.Id == result.Id).Select(d => "        a reported " + d.Id + ": " + Describe(d, primaryPath)).ToList();
                foreach (var line in near)
                {
                    report.AppendLine(line);
                }
            }
        }

        if (unmatchedActual.Count > 0)
        {
            report.AppendLine().AppendLine("Reported but not expected:");
            foreach (var diagnostic in unmatchedActual)
            {
                report.AppendLine("    " + Describe(diagnostic, primaryPath));
            }
        }

        report.AppendLine().AppendLine("All actual diagnostics, as a test writes them:");
        report.AppendLine(actual.Count == 0 ? "    (none)" : FormatAsCode(actual, primaryPath));
        foreach (var tree in actual.Select(d => d.Location.SourceTree).OfType<SyntaxTree>().Distinct())
        {
            report.AppendLine().AppendLine($"{tree.FilePath} with the actual diagnostics as markup:");
            report.AppendLine(MarkupWriter.Write(tree, actual));
        }

        throw new VerifierException(report.ToString());
    }

    public static bool Matches(Diagnostic actual, DiagnosticResult expected)
    {
        if (actual.Id != expected.Id)
        {
            return false;
        }

        if (!expected.HasLocation)
        {
            if (actual.Location != Location.None)
            {
                return false;
            }
        }
        else
        {
            if (!LocationMatches(actual.Location, expected.Spans[0]))
            {
                return false;
            }

            if ((expected.Options & DiagnosticOptions.IgnoreAdditionalLocations) == 0)
            {
                if (actual.AdditionalLocations.Count != expected.Spans.Length - 1)
                {
                    return false;
                }

                for (var i = 1; i < expected.Spans.Length; i++)
                {
                    if (!LocationMatches(actual.AdditionalLocations[i - 1], expected.Spans[i]))
                    {
                        return false;
                    }
                }
            }
        }

        if (expected.Severity is { } severity
            && (expected.Options & DiagnosticOptions.IgnoreSeverity) == 0
            && actual.Severity != severity)
        {
            return false;
        }

        var message = expected.ExpectedMessage(actual.Descriptor);
        return message is null || message == actual.GetMessage(CultureInfo.InvariantCulture);
    }

    private static bool LocationMatches(Location actual, DiagnosticLocation expected)
    {
        if (!actual.IsInSource)
        {
            return false;
        }

        var span = actual.GetLineSpan();
        var pathMatches = span.Path == expected.Path
            || span.Path.EndsWith("/" + expected.Path.TrimStart('/'), StringComparison.Ordinal);
        return pathMatches
            && span.StartLinePosition == expected.Start
            && (expected.End is null || span.EndLinePosition == expected.End);
    }

    /// <summary>
    /// Maximum matching (augmenting paths): a greedy match could give an actual diagnostic to a loose
    /// expectation that a stricter one needed, and report a false mismatch.
    /// </summary>
    private static int[] BipartiteMatch(IReadOnlyList<Diagnostic> actual, IReadOnlyList<DiagnosticResult> expected)
    {
        var candidates = expected.Select(e => Enumerable.Range(0, actual.Count).Where(a => Matches(actual[a], e)).ToArray()).ToArray();
        var matchOfExpected = Enumerable.Repeat(-1, expected.Count).ToArray();
        var matchOfActual = Enumerable.Repeat(-1, actual.Count).ToArray();
        for (var e = 0; e < expected.Count; e++)
        {
            TryAugment(e, new bool[actual.Count]);
        }

        return matchOfExpected;

        bool TryAugment(int e, bool[] visited)
        {
            foreach (var a in candidates[e])
            {
                if (visited[a])
                {
                    continue;
                }

                visited[a] = true;
                if (matchOfActual[a] < 0 || TryAugment(matchOfActual[a], visited))
                {
                    matchOfActual[a] = e;
                    matchOfExpected[e] = a;
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary><c>/0/Test0.cs(3,5,3,10): warning UA1001: message</c></summary>
    public static string Describe(Diagnostic diagnostic, string primaryPath)
    {
        var location = diagnostic.Location.IsInSource
            ? FormatSpan(diagnostic.Location.GetLineSpan(), primaryPath: null)
            : "(no location)";
        var additional = diagnostic.AdditionalLocations.Count == 0
            ? string.Empty
            : " [additional: " + string.Join(", ", diagnostic.AdditionalLocations.Select(l => l.IsInSource ? FormatSpan(l.GetLineSpan(), null) : "(none)")) + "]";
        return $"{location}: {diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}{additional}";
    }

    /// <summary>One <c>// comment</c> and one C# expression per diagnostic: paste into <c>ExpectedDiagnostics</c>.</summary>
    public static string FormatAsCode(IEnumerable<Diagnostic> diagnostics, string primaryPath)
    {
        var builder = new StringBuilder();
        foreach (var d in diagnostics.OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal))
        {
            builder.Append("    // ").AppendLine(Describe(d, primaryPath));
            builder.Append("    ");
            builder.Append(d.Id.StartsWith("CS", StringComparison.Ordinal)
                ? (d.Severity == DiagnosticSeverity.Error ? $"DiagnosticResult.CompilerError(\"{d.Id}\")" : $"DiagnosticResult.CompilerWarning(\"{d.Id}\")")
                : $"VerifyCS.Diagnostic(\"{d.Id}\")");
            if (d.Location.IsInSource)
            {
                builder.Append(".WithSpan").Append(FormatSpan(d.Location.GetLineSpan(), primaryPath, asArguments: true));
                foreach (var additional in d.AdditionalLocations.Where(l => l.IsInSource))
                {
                    builder.Append(".WithSpan").Append(FormatSpan(additional.GetLineSpan(), primaryPath, asArguments: true));
                }
            }
            else
            {
                builder.Append(".WithNoLocation()");
            }

            if (!d.Id.StartsWith("CS", StringComparison.Ordinal) && d.Severity != d.DefaultSeverity)
            {
                builder.Append(".WithSeverity(DiagnosticSeverity.").Append(d.Severity).Append(')');
            }

            builder.Append(".WithMessage(").Append(Quote(d.GetMessage(CultureInfo.InvariantCulture))).AppendLine("),");
        }

        return builder.ToString().TrimEnd();
    }

    private static string FormatSpan(FileLinePositionSpan span, string? primaryPath, bool asArguments = false)
    {
        var (start, end) = (span.StartLinePosition, span.EndLinePosition);
        var numbers = $"{start.Line + 1}, {start.Character + 1}, {end.Line + 1}, {end.Character + 1}";
        if (!asArguments)
        {
            return $"{span.Path}({numbers.Replace(" ", string.Empty)})";
        }

        return span.Path == primaryPath ? $"({numbers})" : $"({Quote(span.Path)}, {numbers})";
    }

    private static string Quote(string text)
        => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r", "\\r").Replace("\n", "\\n") + "\"";
}
