using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Formatting;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// The one layout policy of every fix: whether a statement the fix writes under an <c>if</c>,
/// <c>else</c> or loop gets braces. <c>.editorconfig</c>'s <c>csharp_prefer_braces</c> decides
/// (<c>true</c>, <c>false</c>, <c>when_multiline</c>); without it the method's own code does (braces
/// when every <c>if</c> there braces a single statement), and the kernel's style otherwise: a single
/// statement goes without.
/// </summary>
internal sealed class Layout
{
    private readonly string? preferBraces;

    internal Layout(AnalyzerConfigOptions options)
    {
        if (options.TryGetValue("csharp_prefer_braces", out var value))
        {
            // "true:warning": the value before the severity.
            int colon = value.IndexOf(':');
            preferBraces = (colon < 0 ? value : value.Substring(0, colon)).Trim().ToLowerInvariant();
        }
    }

    /// <summary>
    /// <paramref name="newRoot"/> with braces added around the single statements of the <c>if</c>
    /// and loop statements the fix wrote (those whose text is not in <paramref name="oldRoot"/>), when
    /// the policy asks for them in the member at <paramref name="position"/> of the old root.
    /// </summary>
    internal SyntaxNode Apply(SyntaxNode oldRoot, SyntaxNode newRoot, int position)
    {
        if (preferBraces is "false")
        {
            return newRoot;
        }

        var existing = new HashSet<string>(oldRoot.DescendantNodes().OfType<StatementSyntax>().Where(IsBraceable).Select(s => s.WithoutTrivia().ToFullString()));
        var written = newRoot.DescendantNodes().OfType<StatementSyntax>()
            .Where(s => IsBraceable(s) && EmbeddedOf(s) is { } embedded && embedded is not BlockSyntax and not IfStatementSyntax
                && !existing.Contains(s.WithoutTrivia().ToFullString())
                && WantsBraces(oldRoot, position, embedded))
            .ToList();
        if (written.Count == 0)
        {
            return newRoot;
        }

        // The statement's line end goes after the closing brace: the brace's own elastic trivia would
        // have the formatter leave a blank line after the block.
        return newRoot.ReplaceNodes(written.Select(EmbeddedOf).OfType<StatementSyntax>(), (_, rewritten) =>
            SyntaxFactory.Block(rewritten.WithoutTrivia())
                .WithTrailingTrivia(rewritten.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation));
    }

    private bool WantsBraces(SyntaxNode oldRoot, int position, StatementSyntax embedded) => preferBraces switch
    {
        "true" => true,
        "when_multiline" => embedded.ToString().IndexOf('\n') >= 0,
        _ => MemberBracesSingleStatements(oldRoot.FindToken(position).Parent),
    };

    /// <summary>The member's own <c>if</c> statements all brace their single statements (and there is at least one).</summary>
    private static bool MemberBracesSingleStatements(SyntaxNode? node)
    {
        var member = node?.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (member is null)
        {
            return false;
        }

        bool any = false;
        foreach (var candidate in member.DescendantNodes().OfType<IfStatementSyntax>())
        {
            switch (candidate.Statement)
            {
                case BlockSyntax { Statements.Count: 1 }:
                    any = true;
                    break;
                case BlockSyntax:
                    break;
                default:
                    return false;
            }
        }

        return any;
    }

    private static bool IsBraceable(StatementSyntax statement) =>
        statement is IfStatementSyntax or WhileStatementSyntax or ForStatementSyntax or ForEachStatementSyntax;

    private static StatementSyntax? EmbeddedOf(StatementSyntax statement) => statement switch
    {
        IfStatementSyntax s => s.Statement,
        WhileStatementSyntax s => s.Statement,
        ForStatementSyntax s => s.Statement,
        ForEachStatementSyntax s => s.Statement,
        _ => null,
    };
}
