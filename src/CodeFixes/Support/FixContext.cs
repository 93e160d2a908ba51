using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.CodeFixes.Support;

/// <summary>What a fix is given for one diagnostic: the document as it is now, its tree and model, and the engine's facts on demand.</summary>
internal sealed class FixContext
{
    private readonly Dictionary<SyntaxNode, EngineFacts?> facts = new();

    internal FixContext(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        Document = document;
        Root = root;
        Model = model;
        Diagnostic = diagnostic;
        CancellationToken = cancellationToken;
        Options = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(root.SyntaxTree);
        Layout = new Layout(Options);
    }

    internal Document Document { get; }

    internal SyntaxNode Root { get; }

    internal SemanticModel Model { get; }

    internal Diagnostic Diagnostic { get; }

    internal CancellationToken CancellationToken { get; }

    /// <summary>The tree's <c>.editorconfig</c> options: the rules' options and the layout the code asks for.</summary>
    internal AnalyzerConfigOptions Options { get; }

    /// <summary>How new code is laid out here (braces).</summary>
    internal Layout Layout { get; }

    /// <summary>The engine's facts for the method holding <paramref name="node"/>, computed once per method and context.</summary>
    internal EngineFacts? Facts(SyntaxNode node)
    {
        foreach (var pair in facts)
        {
            if (pair.Key.Span.Contains(node.Span) && pair.Value is { } known && known.Declaration.Span.Contains(node.Span))
            {
                return known;
            }
        }

        var computed = EngineFacts.For(Model, node, Options, CancellationToken);
        facts[computed?.Declaration ?? node] = computed;
        return computed;
    }
}
