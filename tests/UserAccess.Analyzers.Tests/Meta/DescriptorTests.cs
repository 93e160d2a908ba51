using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.VerifierTests;
using Xunit;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>
/// Every rule the analyzers ship is documented and tracked: its help link opens its own page, the page's
/// title is the descriptor's, and the release files state its category and severity.
/// </summary>
public class DescriptorTests
{
    /// <summary>The single row a theory gets when there is no descriptor: xunit fails a theory with no data.</summary>
    private const string NoDescriptors = "(no descriptors)";

    private const string HelpLinkBase = "https://github.com/useraccess-analyzers/UserAccess.Analyzers/blob/main/docs/rules/";

    public static TheoryData<string> DescriptorIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in AnalyzerCatalog.Descriptors.Select(d => d.Descriptor.Id).Distinct().OrderBy(id => id))
        {
            data.Add(id);
        }

        if (data.Count == 0)
        {
            data.Add(NoDescriptors);
        }

        return data;
    }

    [Fact]
    public void TheAnalyzerAssemblyHasRules()
        => Assert.NotEmpty(AnalyzerCatalog.Descriptors);

    [Fact]
    public void DiscoveryFindsAnalyzersByAttribute()
    {
        // Shown on this test assembly, which has analyzers of its own: the discovery the theories rely on works.
        var found = AnalyzerCatalog.AnalyzersIn(typeof(ForbiddenCallAnalyzer).Assembly);
        Assert.Contains(found, a => a is ForbiddenCallAnalyzer);
        Assert.Contains(found, a => a is TwoRuleAnalyzer);
        Assert.DoesNotContain(found, a => a.GetType().IsAbstract);
    }

    [Fact]
    public void IdsAreUniqueAcrossAnalyzers()
    {
        var duplicates = AnalyzerCatalog.Descriptors
            .GroupBy(d => d.Descriptor.Id)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(d => d.Analyzer.GetType().Name))}")
            .ToList();
        Assert.True(duplicates.Count == 0, "Ids declared more than once:\n" + string.Join("\n", duplicates));
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void HasDocPageWithTheDescriptorsTitle(string id)
    {
        if (id == NoDescriptors)
        {
            return;
        }

        var descriptor = Descriptor(id);
        var page = Path.Combine(RepositoryLayout.RuleDocs, id + ".md");
        Assert.True(File.Exists(page), $"{id} has no doc page: expected {Path.GetRelativePath(RepositoryLayout.Root, page)}.");
        var heading = File.ReadLines(page).FirstOrDefault(l => l.StartsWith("# ", System.StringComparison.Ordinal));
        Assert.Equal($"# {id}: {descriptor.Title.ToString(CultureInfo.InvariantCulture)}", heading);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void HelpLinkIsTheDocPage(string id)
    {
        if (id == NoDescriptors)
        {
            return;
        }

        Assert.Equal(HelpLinkBase + id + ".md", Descriptor(id).HelpLinkUri);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void ReleaseTrackingStatesCategoryAndSeverity(string id)
    {
        if (id == NoDescriptors)
        {
            return;
        }

        var descriptor = Descriptor(id);
        var rules = ReleaseTracking.Load(RepositoryLayout.AnalyzersProject);
        Assert.True(rules.TryGetValue(id, out var entry), $"{id} is in neither AnalyzerReleases.Shipped.md nor AnalyzerReleases.Unshipped.md.");
        Assert.Equal(descriptor.Category, entry!.Category);
        var severity = descriptor.IsEnabledByDefault ? descriptor.DefaultSeverity.ToString() : "Disabled";
        Assert.Equal(severity, entry.Severity);
    }

    private static DiagnosticDescriptor Descriptor(string id)
        => AnalyzerCatalog.Descriptors.First(d => d.Descriptor.Id == id).Descriptor;
}
