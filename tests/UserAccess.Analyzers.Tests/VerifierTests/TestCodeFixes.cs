using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using System.Threading;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Tests.VerifierTests;

/// <summary>
/// Test-only code fixes for <see cref="ForbiddenCallAnalyzer"/>: each is correct or wrong in one chosen way,
/// so the verifier tests can show that the verifier accepts the first and rejects the others.
/// </summary>
public abstract class RenameFixBase : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(ForbiddenCallAnalyzer.Id);

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not SimpleNameSyntax name)
        {
            return;
        }

        foreach (var (title, key, newName) in Renames(name.Identifier.ValueText))
        {
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => Task.FromResult(Rename(context.Document, root, name, newName)), key),
                context.Diagnostics);
        }
    }

    protected abstract (string Title, string Key, string NewName)[] Renames(string oldName);

    protected virtual Document Rename(Document document, SyntaxNode root, SimpleNameSyntax name, string newName)
        => document.WithSyntaxRoot(root.ReplaceNode(name, SyntaxFactory.IdentifierName(newName).WithTriviaFrom(name)));
}

/// <summary>The good fix: two actions, "Use Allowed" (key Allowed) and "Use Permitted" (key Permitted).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class RenameFix : RenameFixBase
{
    protected override (string, string, string)[] Renames(string oldName)
        => new[] { ("Use Allowed", "Allowed", "Allowed"), ("Use Permitted", "Permitted", "Permitted") };
}

/// <summary>Renames Forbidden to Other and Other to Forbidden: with Other forbidden too, the code goes round in a circle.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class PingPongFix : RenameFixBase
{
    protected override (string, string, string)[] Renames(string oldName)
        => new[] { ("Swap", "Swap", oldName == "Forbidden" ? "Other" : "Forbidden") };
}

/// <summary>Changes the code but never removes the diagnostic: every pass adds a comment.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class NeverConvergingFix : RenameFixBase
{
    protected override (string, string, string)[] Renames(string oldName) => new[] { ("Comment", "Comment", oldName) };

    protected override Document Rename(Document document, SyntaxNode root, SimpleNameSyntax name, string newName)
        => document.WithSyntaxRoot(root.ReplaceNode(name, name.WithLeadingTrivia(name.GetLeadingTrivia().Add(SyntaxFactory.Comment("/*again*/")))));
}

/// <summary>Calls a method that does not exist: the fixed code cannot compile.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class NonCompilingFix : RenameFixBase
{
    protected override (string, string, string)[] Renames(string oldName) => new[] { ("Use Undefined", "Undefined", "Undefined") };
}

/// <summary>Replaces <c>return Forbidden();</c> by a return statement built without trivia: it prints <c>returnx;</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class MissingTriviaFix : RenameFixBase
{
    protected override (string, string, string)[] Renames(string oldName) => new[] { ("Return x", "ReturnX", "x") };

    protected override Document Rename(Document document, SyntaxNode root, SimpleNameSyntax name, string newName)
    {
        var statement = name.FirstAncestorOrSelf<ReturnStatementSyntax>()!;

        // Tokens with no trivia at all (not even elastic): the tree prints as "returnx;".
        var replacement = SyntaxFactory.ReturnStatement(
                SyntaxFactory.Token(default, SyntaxKind.ReturnKeyword, default),
                SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(default, newName, default)),
                SyntaxFactory.Token(default, SyntaxKind.SemicolonToken, default))
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithTrailingTrivia(statement.GetTrailingTrivia());
        return document.WithSyntaxRoot(root.ReplaceNode(statement, replacement));
    }
}

/// <summary>
/// Replaces the call statement by <c>System.Console.WriteLine( 1 );</c> marked for the Simplifier and the Formatter:
/// the verifier must compare the text after the IDE's clean-up (<c>Console.WriteLine(1);</c> under <c>using System;</c>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class AnnotatedFix : RenameFixBase
{
    protected override (string, string, string)[] Renames(string oldName) => new[] { ("Print", "Print", "Print") };

    protected override Document Rename(Document document, SyntaxNode root, SimpleNameSyntax name, string newName)
    {
        var statement = name.FirstAncestorOrSelf<ExpressionStatementSyntax>()!;
        var replacement = SyntaxFactory.ParseStatement("System.Console.WriteLine(  1 );")
            .WithTriviaFrom(statement)
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
        return document.WithSyntaxRoot(root.ReplaceNode(statement, replacement));
    }
}

/// <summary>One by one it renames to Allowed; its Fix All renames to Wrong: the two must agree, so the verifier must fail it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class InconsistentFixAllFix : RenameFixBase
{
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(
        async (context, document, diagnostics) =>
        {
            var root = (await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!;
            var names = diagnostics.Select(d => root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true)).OfType<SimpleNameSyntax>();
            return document.WithSyntaxRoot(root.ReplaceNodes(names, (old, _) => SyntaxFactory.IdentifierName("Wrong").WithTriviaFrom(old)));
        });

    protected override (string, string, string)[] Renames(string oldName) => new[] { ("Use Allowed", "Allowed", "Allowed") };
}

/// <summary>Replaces the call by <c>PreemptDisable()</c>: the TEST0001 diagnostic goes, a UA1003 imbalance comes.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class UnbalancingFix : RenameFixBase
{
    protected override (string, string, string)[] Renames(string oldName) => new[] { ("Disable preemption", "Disable", "PreemptDisable") };
}

/// <summary>Renames to Allowed one by one; its Fix All fixes the whole solution whatever scope it is asked for.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class ScopeIgnoringFix : RenameFixBase
{
    public override FixAllProvider GetFixAllProvider() => new WholeSolution();

    protected override (string, string, string)[] Renames(string oldName) => new[] { ("Use Allowed", "Allowed", "Allowed") };

    private sealed class WholeSolution : FixAllProvider
    {
        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override Task<CodeAction?> GetFixAsync(FixAllContext context) => Task.FromResult<CodeAction?>(CodeAction.Create(
            "Use Allowed everywhere",
            async cancellationToken =>
            {
                var solution = context.Solution;
                foreach (var project in context.Solution.Projects)
                {
                    foreach (var tree in (await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false)).GroupBy(d => d.Location.SourceTree!))
                    {
                        var document = solution.GetDocument(tree.Key)!;
                        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
                        var names = tree.Select(d => root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true)).OfType<SimpleNameSyntax>();
                        solution = solution.WithDocumentSyntaxRoot(document.Id, root.ReplaceNodes(names, (old, _) => SyntaxFactory.IdentifierName("Allowed").WithTriviaFrom(old)));
                    }
                }

                return solution;
            },
            context.CodeActionEquivalenceKey));
    }
}
