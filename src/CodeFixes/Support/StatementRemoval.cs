using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// Removing a run of statements from a block while keeping the lines around it: the comment
/// lines directly above the run (no blank line between) and what is on the removed statements' own
/// lines (a trailing comment, a comment inside a statement or between two statements of the run)
/// are about them and go with them; the lines above a blank line, blank lines and directives move
/// to the statement after it (or to the block's closing brace), so a comment that introduced a
/// section still introduces it. Directives are never removed.
/// Runs of blank lines that the removal brings together become one.
/// </summary>
internal static class StatementRemoval
{
    /// <summary>
    /// True when <paramref name="statement"/> can be removed by <see cref="Remove"/>: it is in a
    /// block, and its removal leaves no preprocessor directive unbalanced (directives inside it, not
    /// in the lines above it, would go with it).
    /// </summary>
    internal static bool CanRemove(StatementSyntax statement) =>
        statement.Parent is BlockSyntax
        && statement.DescendantTrivia().Count(t => t.IsDirective) == statement.GetLeadingTrivia().Count(t => t.IsDirective);

    /// <summary>
    /// <paramref name="root"/> without the <paramref name="count"/> consecutive statements of a
    /// block starting at <paramref name="start"/> (which must satisfy <see cref="CanRemove"/>).
    /// The token that receives the lines above them carries <see cref="Formatter.Annotation"/>, so
    /// the moved comments are indented as that statement is.
    /// </summary>
    internal static SyntaxNode Remove(SyntaxNode root, StatementSyntax start, int count)
    {
        if (start.Parent is not BlockSyntax block)
        {
            throw new System.InvalidOperationException("Only statements of a block are removed.");
        }

        int index = block.Statements.IndexOf(start);
        if (index < 0 || index + count > block.Statements.Count)
        {
            throw new System.InvalidOperationException("The statements to remove are not in the block.");
        }

        var above = new List<SyntaxTrivia>(LinesAbove(start.GetLeadingTrivia()));
        foreach (var removed in block.Statements.Skip(index + 1).Take(count - 1))
        {
            above.AddRange(removed.GetLeadingTrivia().Where(t => t.IsDirective || t.IsKind(SyntaxKind.DisabledTextTrivia)));
        }

        var statements = SyntaxFactory.List(block.Statements.Take(index).Concat(block.Statements.Skip(index + count)));
        BlockSyntax newBlock;
        if (index < statements.Count)
        {
            var next = statements[index];
            var firstToken = next.GetFirstToken();
            var moved = firstToken.WithLeadingTrivia(OneBlankLine(above.Concat(firstToken.LeadingTrivia))).WithAdditionalAnnotations(Formatter.Annotation);
            statements = statements.Replace(next, next.ReplaceToken(firstToken, moved));
            newBlock = block.WithStatements(statements);
        }
        else
        {
            var close = block.CloseBraceToken;
            newBlock = block.WithStatements(statements)
                .WithCloseBraceToken(close.WithLeadingTrivia(OneBlankLine(above.Concat(close.LeadingTrivia))).WithAdditionalAnnotations(Formatter.Annotation));
        }

        return root.ReplaceNode(block, newBlock);
    }

    /// <summary>Leading trivia without the indentation of the statement's own first line: the whole lines above it.</summary>
    private static IEnumerable<SyntaxTrivia> LinesAbove(SyntaxTriviaList leading)
    {
        int end = leading.Count;
        while (end > 0 && leading[end - 1].IsKind(SyntaxKind.WhitespaceTrivia))
        {
            end--;
        }

        // A comment on the statement's own line before it (/* x */ stmt;) is part of that line.
        if (end > 0 && !leading[end - 1].IsKind(SyntaxKind.EndOfLineTrivia) && !leading[end - 1].IsDirective)
        {
            while (end > 0 && !leading[end - 1].IsKind(SyntaxKind.EndOfLineTrivia) && !leading[end - 1].IsDirective)
            {
                end--;
            }
        }

        // The comment lines right above the statement (no blank line between) are about it and go
        // with it; what is above a blank line introduces the section and stays.
        var lines = new List<List<SyntaxTrivia>>();
        var line = new List<SyntaxTrivia>();
        foreach (var trivia in leading.Take(end))
        {
            line.Add(trivia);
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia) || trivia.IsDirective)
            {
                lines.Add(line);
                line = new List<SyntaxTrivia>();
            }
        }

        while (lines.Count > 0 && lines[lines.Count - 1].Any(IsComment) && !lines[lines.Count - 1].Any(t => t.IsDirective))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines.SelectMany(l => l).Concat(line);
    }

    private static bool IsComment(SyntaxTrivia trivia) =>
        trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia)
        || trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia);

    /// <summary>Leading trivia with each run of blank lines cut to one (the first line of leading trivia follows the previous token's line end).</summary>
    private static SyntaxTriviaList OneBlankLine(IEnumerable<SyntaxTrivia> trivia)
    {
        var result = new List<SyntaxTrivia>();
        var pendingWhitespace = new List<SyntaxTrivia>();
        bool lineBlank = true;
        bool previousLineBlank = false;
        foreach (var item in trivia)
        {
            if (item.IsKind(SyntaxKind.WhitespaceTrivia))
            {
                pendingWhitespace.Add(item);
                continue;
            }

            if (item.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                if (!(lineBlank && previousLineBlank))
                {
                    result.AddRange(pendingWhitespace);
                    result.Add(item);
                }

                pendingWhitespace.Clear();
                previousLineBlank = lineBlank;
                lineBlank = true;
                continue;
            }

            result.AddRange(pendingWhitespace);
            pendingWhitespace.Clear();
            result.Add(item);
            if (item.IsDirective)
            {
                // A directive ends its own line.
                previousLineBlank = false;
                lineBlank = true;
            }
            else
            {
                lineBlank = false;
            }
        }

        result.AddRange(pendingWhitespace);
        return SyntaxFactory.TriviaList(result);
    }
}
