using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;

namespace UserAccess.Analyzers.Tests.VerifierTests;

/// <summary>The diff printed when fixed code differs: changed lines marked, trailing whitespace visible.</summary>
public class TextDiffTests
{
    [Fact]
    public void MarksRemovedAndAddedLines()
    {
        var diff = TextDiff.Unified("a\nb\nc\n", "a\nB\nc\n");
        Assert.Contains("-    2: b", diff);
        Assert.Contains("+    2: B", diff);
        Assert.Contains("     1: a", diff);
    }

    [Fact]
    public void MakesTrailingWhitespaceVisible()
    {
        var diff = TextDiff.Unified("x;\n", "x; \n");
        Assert.Contains("+    1: x;·", diff);
    }

    [Fact]
    public void SkipsFarUnchangedLines()
    {
        var diff = TextDiff.Unified("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\n5\n6\n7\nX\n");
        Assert.Contains("  ...", diff);
        Assert.DoesNotContain(": 1\n", diff.Replace("\r", string.Empty));
    }
}
