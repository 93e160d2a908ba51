using System.IO;
using System.Linq;
using System;
using Xunit;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>
/// The helpers the meta-tests stand on, tested on their own: while a branch has no rules or samples the
/// meta-theories have nothing to check, and a broken parser would make them pass vacuously later too.
/// </summary>
public class MetaInfrastructureTests
{
    [Fact]
    public void RepositoryRootHasTheSolution()
        => Assert.True(File.Exists(Path.Combine(RepositoryLayout.Root, "UserAccess.Analyzers.sln")));

    [Fact]
    public void CorpusIsFound()
        => Assert.NotEmpty(Directory.GetFiles(RepositoryLayout.Corpus, "*.cs"));

    [Fact]
    public void ReleaseTrackingReadsNewChangedAndRemovedRules()
    {
        var directory = Directory.CreateTempSubdirectory("releases").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "AnalyzerReleases.Shipped.md"), """
                ; Shipped analyzer releases

                ## Release 1.0

                ### New Rules

                Rule ID | Category | Severity | Notes
                --------|----------|----------|-------
                UA1001 | UserAccess.Context | Warning | UA1001SleepInAtomicAnalyzer
                UA9999 | UserAccess.Old | Info | Gone
                """);
            File.WriteAllText(Path.Combine(directory, "AnalyzerReleases.Unshipped.md"), """
                ; Unshipped analyzer release

                ### New Rules

                Rule ID | Category | Severity | Notes
                --------|----------|----------|-------
                UA2001 | UserAccess.Locking | Disabled | UA2001NonKillableWaitAnalyzer

                ### Removed Rules

                Rule ID | Category | Severity | Notes
                --------|----------|----------|-------
                UA9999 | UserAccess.Old | Info | Gone

                ### Changed Rules

                Rule ID | New Category | New Severity | Old Category | Old Severity | Notes
                --------|--------------|--------------|--------------|--------------|-------
                UA1001 | UserAccess.Context | Error | UserAccess.Context | Warning | Stricter
                """);

            var rules = ReleaseTracking.Load(directory);

            Assert.Equal(new[] { "UA1001", "UA2001" }, rules.Keys.OrderBy(k => k));
            Assert.Equal(("UserAccess.Context", "Error"), (rules["UA1001"].Category, rules["UA1001"].Severity));
            Assert.Equal(("UserAccess.Locking", "Disabled"), (rules["UA2001"].Category, rules["UA2001"].Severity));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void PrefixCutsAreTokenEndsAndBounded()
    {
        var text = string.Join("\n", Enumerable.Range(0, 100).Select(i => $"class C{i} {{ int F{i} = {i}; }}"));
        var all = HalfTypedCodeTests.Cuts(text, int.MaxValue);
        var sampled = HalfTypedCodeTests.Cuts(text, 50);

        Assert.Equal(text.Length, all[^1]);
        Assert.Contains(text.IndexOf("C0", StringComparison.Ordinal) + 2, all);
        Assert.InRange(sampled.Count, 50, 51);
        Assert.Subset(all.ToHashSet(), sampled.ToHashSet());
        Assert.Equal(text.Length, sampled[^1]);
    }
}
