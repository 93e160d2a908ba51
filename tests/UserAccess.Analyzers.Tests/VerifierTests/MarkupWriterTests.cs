using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Testing;
using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;

namespace UserAccess.Analyzers.Tests.VerifierTests;

/// <summary>Actual diagnostics written back as markup: nested, empty and overlapping spans.</summary>
public class MarkupWriterTests
{
    [Fact]
    public void NestedAndEmptySpansRoundTripThroughTheParser()
    {
        var tree = CSharpSyntaxTree.ParseText("abcdefgh");
        var written = MarkupWriter.Write(tree, new[] { At(tree, 1, 6), At(tree, 2, 4), At(tree, 7, 7) });
        Assert.Equal("a{|TEST0001:b{|TEST0001:cd|}ef|}g{|TEST0001:|}h", written);

        TestFileMarkupParser.GetSpans(written, out string text, out ImmutableDictionary<string, ImmutableArray<TextSpan>> spans);
        Assert.Equal("abcdefgh", text);
        Assert.Equal(new[] { (1, 6), (2, 4), (7, 7) }, spans.Values.SelectMany(s => s).Select(s => (s.Start, s.End)).OrderBy(s => s));
    }

    [Fact]
    public void OverlappingSpanIsLeftOut()
    {
        var tree = CSharpSyntaxTree.ParseText("abcdefgh");
        Assert.Equal("a{|TEST0001:bcd|}efgh", MarkupWriter.Write(tree, new[] { At(tree, 1, 4), At(tree, 2, 6) }));
    }

    private static Diagnostic At(SyntaxTree tree, int start, int end)
        => Diagnostic.Create(ForbiddenCallAnalyzer.Rule, Location.Create(tree, TextSpan.FromBounds(start, end)));
}
