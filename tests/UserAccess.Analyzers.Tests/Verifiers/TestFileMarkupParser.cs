using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// Markup as in Microsoft.CodeAnalysis.Testing: <c>[|text|]</c> (a span of the analyzer's only diagnostic),
/// <c>{|UA1001:text|}</c> (a span of that diagnostic id) and <c>{|#0:text|}</c> (a location that an
/// explicit expected diagnostic references with <c>WithLocation(0)</c>). Spans may nest.
/// </summary>
public static class TestFileMarkupParser
{
    /// <summary>A marked span: <see cref="Name"/> is null for <c>[|...|]</c>, else the id or <c>#n</c>.</summary>
    public readonly record struct MarkedSpan(string? Name, TextSpan Span);

    public static (string Output, ImmutableArray<MarkedSpan> Spans) Parse(string input)
    {
        var output = new StringBuilder(input.Length);
        var spans = ImmutableArray.CreateBuilder<MarkedSpan>();
        var open = new Stack<(string? Name, int Start, int InputPosition)>();

        var i = 0;
        while (i < input.Length)
        {
            if (StartsWith(input, i, "[|"))
            {
                open.Push((null, output.Length, i));
                i += 2;
            }
            else if (StartsWith(input, i, "{|"))
            {
                var colon = input.IndexOf(':', i + 2);
                if (colon < 0)
                {
                    throw new FormatException($"Markup '{{|' at offset {i} has no ':' after its name.");
                }

                open.Push((input.Substring(i + 2, colon - i - 2), output.Length, i));
                i = colon + 1;
            }
            else if (StartsWith(input, i, "|]") || StartsWith(input, i, "|}"))
            {
                var named = input[i + 1] == '}';
                if (open.Count == 0)
                {
                    throw new FormatException($"Markup '{input.Substring(i, 2)}' at offset {i} closes nothing.");
                }

                var (name, start, inputPosition) = open.Pop();
                if ((name is not null) != named)
                {
                    throw new FormatException($"Markup opened at offset {inputPosition} is closed by '{input.Substring(i, 2)}' at offset {i}: '[|' closes with '|]', '{{|' with '|}}'.");
                }

                spans.Add(new MarkedSpan(name, TextSpan.FromBounds(start, output.Length)));
                i += 2;
            }
            else
            {
                output.Append(input[i]);
                i++;
            }
        }

        if (open.Count > 0)
        {
            throw new FormatException($"Markup opened at offset {open.Peek().InputPosition} is never closed.");
        }

        return (output.ToString(), spans.ToImmutable());
    }

    private static bool StartsWith(string text, int index, string value)
        => string.CompareOrdinal(text, index, value, 0, value.Length) == 0;
}
