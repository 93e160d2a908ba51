using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using UserAccess.Analyzers.Engine;
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
    /// <paramref name="candidates"/> whose <c>[Acquires]</c>/<c>[Releases]</c>, as the engine reads
    /// them, name the lock <paramref name="lockOf"/> gives for the candidate (a root, <c>"this"</c> or a
    /// parameter, and a member path) with the given sharing.
    /// </summary>
    internal static (IMethodSymbol? Acquire, IMethodSymbol? Release) Functions(EngineFacts facts, IEnumerable<IMethodSymbol> candidates, Func<IMethodSymbol, (string Root, string Path)> lockOf, bool shared)
    {
        IMethodSymbol? acquire = null, release = null;
        foreach (var candidate in candidates)
        {
            var (root, path) = lockOf(candidate);
            var annotations = facts.AnnotationsOf(candidate);
            foreach (var taken in annotations.Acquires)
            {
                if (taken.Root == root && taken.Path == path && taken.Shared == shared && taken.When == AcquireWhen.Always
                    && candidate.ReturnsVoid && annotations.Releases.IsEmpty)
                {
                    acquire ??= candidate;
                }
            }

            foreach (var released in annotations.Releases)
            {
                if (released.Root == root && released.Path == path && released.Shared == shared && annotations.Acquires.IsEmpty)
                {
                    release ??= candidate;
                }
            }
        }

        return (acquire, release);
    }

    /// <summary>
    /// The lock taken around the statements <paramref name="first"/> to <paramref name="last"/> of one
    /// statement list: <paramref name="take"/> before the first (its comments go above the lock),
    /// <paramref name="unlock"/> after the last, and before each of <paramref name="exits"/> (a
    /// <c>return</c> or <c>goto</c> that leaves the run: the kernel's unlock before an early return),
    /// braced when the exit is an <c>if</c>'s single statement. A last statement that is itself an
    /// exit gets no unlock after it.
    /// </summary>
    internal static SyntaxNode Around(SyntaxNode root, StatementSyntax first, StatementSyntax last, StatementSyntax take, ExpressionSyntax unlock, IReadOnlyList<StatementSyntax> exits)
    {
        var endOfLine = first.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var lineEnd = endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? TriviaList(endOfLine) : TriviaList(ElasticMarker);
        var tracked = BeforeEach(root.TrackNodes(exits.Concat(new[] { first, last })), exits, ExpressionStatement(unlock.WithoutTrivia()));
        if (!exits.Contains(last))
        {
            tracked = tracked.InsertNodesAfter(tracked.GetCurrentNode(last)!, new[] { New(UnlockStatement().WithLeadingTrivia(ElasticMarker)) });
        }

        var start = tracked.GetCurrentNode(first)!;
        tracked = tracked.InsertNodesBefore(start, new[] { New(take.WithLeadingTrivia(first.GetLeadingTrivia())) });
        start = tracked.GetCurrentNode(first)!;
        return tracked.ReplaceNode(start, start.WithLeadingTrivia(first.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia))));

        StatementSyntax UnlockStatement() => ExpressionStatement(unlock.WithoutTrivia());

        StatementSyntax New(StatementSyntax line) => line.WithTrailingTrivia(lineEnd).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>
    /// <paramref name="line"/> (an unlock, a lock taken again) just before each of <paramref name="exits"/>:
    /// a line of its own in a statement list, else the exit and the line braced together
    /// (<c>if (tty &lt; 0) { mutex_unlock(&amp;tty_mutex); return tty; }</c>). <paramref name="root"/>
    /// tracks the exits (<c>TrackNodes</c>).
    /// </summary>
    internal static SyntaxNode BeforeEach(SyntaxNode root, IReadOnlyList<StatementSyntax> exits, StatementSyntax line)
    {
        var tracked = root;
        foreach (var exit in exits)
        {
            var current = tracked.GetCurrentNode(exit)!;
            var endOfLine = current.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            var lineEnd = endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? TriviaList(endOfLine) : TriviaList(ElasticMarker);
            if (current.Parent is BlockSyntax or SwitchSectionSyntax)
            {
                tracked = tracked.InsertNodesBefore(current, new[] { line.WithoutTrivia().WithLeadingTrivia(ElasticMarker).WithTrailingTrivia(lineEnd).WithAdditionalAnnotations(Formatter.Annotation) });
            }
            else
            {
                var block = Block(Elastic(line), Elastic(current))
                    .WithLeadingTrivia(current.GetLeadingTrivia())
                    .WithTrailingTrivia(current.GetTrailingTrivia())
                    .WithAdditionalAnnotations(Formatter.Annotation);
                tracked = tracked.ReplaceNode(current, block);
            }
        }

        return tracked;

        static StatementSyntax Elastic(StatementSyntax statement) => statement.WithoutTrivia().WithLeadingTrivia(ElasticMarker).WithTrailingTrivia(ElasticMarker);
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
