using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// Writes a source back with its actual diagnostics as <c>{|ID:...|}</c> markup, for failure messages: the
/// quickest way to write or correct a test is to paste it. Diagnostics whose spans overlap without nesting
/// cannot be written as markup and are left out (the explicit list in the same message has them).
/// </summary>
internal static class MarkupWriter
{
    /// <summary>Every source document of the solution, each under a comment with its path.</summary>
    public static async Task<string> WriteAsync(Solution solution, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var list = diagnostics.Where(d => d.Location.IsInSource).ToList();
        var output = new StringBuilder();
        foreach (var document in solution.Projects.SelectMany(p => p.Documents).OrderBy(d => d.FilePath, System.StringComparer.Ordinal))
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            if (tree is null)
            {
                continue;
            }

            output.Append("// ").AppendLine(document.FilePath ?? document.Name);
            output.AppendLine(Write(tree, list.Where(d => d.Location.SourceTree?.FilePath == tree.FilePath)));
        }

        return output.ToString();
    }

    public static string Write(SyntaxTree tree, IEnumerable<Diagnostic> diagnostics)
    {
        var text = tree.GetText().ToString();
        var spans = new List<(int Start, int End, string Id)>();
        var open = new Stack<int>();
        foreach (var d in diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenByDescending(d => d.Location.SourceSpan.End))
        {
            var (start, end) = (d.Location.SourceSpan.Start, d.Location.SourceSpan.End);
            while (open.Count > 0 && open.Peek() <= start)
            {
                open.Pop();
            }

            if (open.Count > 0 && end > open.Peek())
            {
                continue;
            }

            open.Push(end);
            spans.Add((start, end, d.Id));
        }

        var output = new StringBuilder(text.Length + (spans.Count * 12));
        var closing = new Stack<int>();
        var next = 0;
        for (var position = 0; position <= text.Length; position++)
        {
            while (closing.Count > 0 && closing.Peek() == position)
            {
                closing.Pop();
                output.Append("|}");
            }

            while (next < spans.Count && spans[next].Start == position)
            {
                output.Append("{|").Append(spans[next].Id).Append(':');
                if (spans[next].End == position)
                {
                    output.Append("|}");
                }
                else
                {
                    closing.Push(spans[next].End);
                }

                next++;
            }

            if (position < text.Length)
            {
                output.Append(text[position]);
            }
        }

        return output.ToString();
    }
}
