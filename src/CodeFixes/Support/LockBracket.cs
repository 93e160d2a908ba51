using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// Taking a lock around a statement, for the fixes that add a missing lock (UA2003, UA2004): the
/// lock's functions found by their annotations, and the lines laid out like the statement's own.
/// </summary>
internal static class LockBracket
{
    /// <summary>
    /// The acquire (always held afterwards, returning void) and the release among
    /// <paramref name="candidates"/> whose [Acquires]/[Releases] names <paramref name="path"/> of
    /// the candidate with the given sharing.
    /// </summary>
    internal static (IMethodSymbol? Acquire, IMethodSymbol? Release) Functions(IEnumerable<IMethodSymbol> candidates, Func<IMethodSymbol, string> path, bool shared)
    {
        IMethodSymbol? acquire = null, release = null;
        foreach (var candidate in candidates)
        {
            var expectedPath = path(candidate);
            foreach (var attribute in candidate.GetAttributes())
            {
                if (attribute.ConstructorArguments.FirstOrDefault().Value as string != expectedPath
                    || (AnnotationNames.NamedValue(attribute, "Shared") is true) != shared)
                {
                    continue;
                }

                if (AnnotationNames.IsNamed(attribute.AttributeClass, AnnotationNames.Acquires)
                    && AnnotationNames.NamedValue(attribute, "When") is null or 0
                    && candidate.ReturnsVoid)
                {
                    acquire ??= candidate;
                }
                else if (AnnotationNames.IsNamed(attribute.AttributeClass, AnnotationNames.Releases))
                {
                    release ??= candidate;
                }
            }
        }

        return (acquire, release);
    }

    /// <summary>
    /// In place of <paramref name="statement"/>: <paramref name="take"/>, the <paramref name="held"/>
    /// lines (the statement itself, or new ones), <paramref name="unlock"/>, then <paramref name="after"/>
    /// (the statement rewritten to use what was read under the lock). New lines end like the
    /// statement's own line, so the formatter adds no blank line; the statement's comments go before
    /// the lock.
    /// </summary>
    internal static SyntaxNode Replace(SyntaxNode root, StatementSyntax statement, StatementSyntax take, ExpressionSyntax unlock, IReadOnlyList<StatementSyntax> held, StatementSyntax? after = null)
    {
        var endOfLine = statement.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var lineEnd = endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? TriviaList(endOfLine) : TriviaList(ElasticMarker);
        var statements = new List<StatementSyntax> { New(take.WithLeadingTrivia(statement.GetLeadingTrivia())) };
        foreach (var line in held)
        {
            statements.Add(ReferenceEquals(line, statement) ? WithoutComments(line) : New(line.WithLeadingTrivia(ElasticMarker)));
        }

        statements.Add(New(ExpressionStatement(unlock).WithLeadingTrivia(ElasticMarker)));
        if (after is not null)
        {
            statements.Add(WithoutComments(after));
        }

        return root.ReplaceNode(statement, statements);

        StatementSyntax New(StatementSyntax line) => line.WithTrailingTrivia(lineEnd).WithAdditionalAnnotations(Formatter.Annotation);

        StatementSyntax WithoutComments(StatementSyntax line) => line.WithLeadingTrivia(statement.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
    }
}
