using System.Linq;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>Every shipped code fix fixes a rule that exists and has Fix All in every scope (dotnet format uses Solution).</summary>
public class CodeFixProviderTests
{
    private const string NoCodeFixes = "(no code fixes)";

    public static TheoryData<string> CodeFixNames()
    {
        var data = new TheoryData<string>();
        foreach (var provider in AnalyzerCatalog.CodeFixes)
        {
            data.Add(provider.GetType().Name);
        }

        if (data.Count == 0)
        {
            data.Add(NoCodeFixes);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CodeFixNames))]
    public void FixesKnownRules(string name)
    {
        if (name == NoCodeFixes)
        {
            return;
        }

        var ids = AnalyzerCatalog.Descriptors.Select(d => d.Descriptor.Id).ToHashSet();
        var unknown = Provider(name).FixableDiagnosticIds.Where(id => !ids.Contains(id)).ToList();
        Assert.True(unknown.Count == 0, $"{name} fixes ids no analyzer reports: {string.Join(", ", unknown)}");
    }

    [Theory]
    [MemberData(nameof(CodeFixNames))]
    public void HasFixAllInEveryScope(string name)
    {
        if (name == NoCodeFixes)
        {
            return;
        }

        var fixAll = Provider(name).GetFixAllProvider();
        Assert.NotNull(fixAll);
        var scopes = fixAll!.GetSupportedFixAllScopes().ToHashSet();
        Assert.Superset(new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution }.ToHashSet(), scopes);
    }

    private static CodeFixProvider Provider(string name) => AnalyzerCatalog.CodeFixes.First(p => p.GetType().Name == name);
}
