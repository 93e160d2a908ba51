using System;
using System.Collections.Generic;
using System.Text;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// A line diff of expected against actual text for failure messages: <c>-</c> expected only, <c>+</c> actual
/// only, with two lines of context. Trailing whitespace and carriage returns are made visible, since a
/// fix that differs only in them is otherwise a puzzle.
/// </summary>
public static class TextDiff
{
    private const int Context = 2;

    public static string Unified(string expected, string actual)
    {
        var edits = Diff(expected.Split('\n'), actual.Split('\n'));

        // Print every change with its context lines; "..." marks skipped unchanged lines.
        var print = new bool[edits.Count];
        for (var i = 0; i < edits.Count; i++)
        {
            if (edits[i].Kind != ' ')
            {
                for (var j = Math.Max(0, i - Context); j <= Math.Min(edits.Count - 1, i + Context); j++)
                {
                    print[j] = true;
                }
            }
        }

        var output = new StringBuilder();
        output.AppendLine("--- expected");
        output.AppendLine("+++ actual");
        for (var i = 0; i < edits.Count; i++)
        {
            if (print[i])
            {
                output.AppendLine(Format(edits[i]));
            }
            else if (i == 0 || print[i - 1])
            {
                output.AppendLine("  ...");
            }
        }

        return output.ToString();
    }

    private static string Format((char Kind, string Line, int Number) edit)
    {
        var line = edit.Line.Replace("\r", "\\r");
        var trimmed = line.TrimEnd(' ', '\t');
        line = trimmed + line.Substring(trimmed.Length).Replace(" ", "·").Replace("\t", "→");
        return $"{edit.Kind} {edit.Number,4}: {line}";
    }

    /// <summary>Longest common subsequence; fine for test-sized files.</summary>
    private static List<(char Kind, string Line, int Number)> Diff(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var edits = new List<(char, string, int)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                edits.Add((' ', a[x], y + 1));
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                edits.Add(('+', b[y], y + 1));
                y++;
            }
            else
            {
                edits.Add(('-', a[x], x + 1));
                x++;
            }
        }

        return edits;
    }
}
