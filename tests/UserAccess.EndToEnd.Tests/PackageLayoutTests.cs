using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using UserAccess.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace UserAccess.EndToEnd.Tests;

/// <summary>What is inside the two packages, read from the .nupkg files of the packed feed.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class PackageLayoutTests
{
    private readonly PackedFeed _feed;

    public PackageLayoutTests(PackedFeed feed) => _feed = feed;

    [Fact]
    public void Pack_produces_both_packages_with_the_repository_version()
    {
        string[] packages = Directory.GetFiles(_feed.Feed, "*.nupkg").Select(Path.GetFileName).OrderBy(n => n).ToArray()!;
        Assert.Equal(
            new[] { $"UserAccess.Analyzers.{Repository.PackageVersion}.nupkg", $"UserAccess.Runtime.{Repository.PackageVersion}.nupkg" },
            packages);
    }

    [Fact]
    public void Analyzers_package_carries_both_assemblies_in_analyzers_dotnet_cs_and_no_lib()
    {
        using ZipArchive zip = ZipFile.OpenRead(_feed.AnalyzersPackage);
        string[] entries = zip.Entries.Select(e => e.FullName).ToArray();

        Assert.Contains("analyzers/dotnet/cs/UserAccess.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/UserAccess.CodeFixes.dll", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/") || e.StartsWith("ref/"));
        Assert.DoesNotContain(entries, e => e.EndsWith("UserAccess.Analyzers.Package.dll"));
        Assert.Contains("buildTransitive/UserAccess.Analyzers.props", entries);
        Assert.Contains("buildTransitive/UserAccess.Analyzers.targets", entries);
        foreach (string mode in new[] { "default", "strict", "none" })
        {
            Assert.Contains($"buildTransitive/config/useraccess_{mode}.globalconfig", entries);
        }
        Assert.Contains("README.md", entries);
    }

    [Fact]
    public void Analyzers_package_is_a_development_dependency_with_license_and_readme_and_no_dependencies()
    {
        XElement metadata = Nuspec(_feed.AnalyzersPackage);

        Assert.Equal("UserAccess.Analyzers", Child(metadata, "id").Value);
        Assert.Equal("true", Child(metadata, "developmentDependency").Value);
        Assert.Equal("expression", Child(metadata, "license").Attribute("type")?.Value);
        Assert.Equal("MIT", Child(metadata, "license").Value);
        Assert.Equal("README.md", Child(metadata, "readme").Value);
        Assert.DoesNotContain(metadata.Descendants(), e => e.Name.LocalName == "dependency");
    }

    [Fact]
    public void Runtime_package_carries_the_library_and_depends_on_the_analyzers_of_the_same_version()
    {
        using (ZipArchive zip = ZipFile.OpenRead(_feed.RuntimePackage))
        {
            string[] entries = zip.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("lib/net8.0/UserAccess.Runtime.dll", entries);
            Assert.Contains("lib/net8.0/UserAccess.Runtime.xml", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("analyzers/"));
            Assert.DoesNotContain(entries, e => e.EndsWith("UserAccess.Runtime.Package.dll"));
        }
        XElement metadata = Nuspec(_feed.RuntimePackage);
        Assert.Equal("MIT", Child(metadata, "license").Value);
        XElement dependency = Assert.Single(metadata.Descendants(), e => e.Name.LocalName == "dependency");
        Assert.Equal("UserAccess.Analyzers", dependency.Attribute("id")?.Value);
        Assert.Equal(Repository.PackageVersion, dependency.Attribute("version")?.Value);
        // No exclude="Build,Analyzers" (what pack writes by default for a project reference): clients that
        // honour it would not give the user the rules and the presets. Today's SDK flows them regardless,
        // so only this check catches it.
        Assert.Null(dependency.Attribute("exclude"));
        Assert.Equal("All", dependency.Attribute("include")?.Value ?? "All");
    }

    private static XElement Nuspec(string package)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        ZipArchiveEntry nuspec = Assert.Single(zip.Entries, e => e.FullName.EndsWith(".nuspec") && !e.FullName.Contains('/'));
        using Stream stream = nuspec.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static XElement Child(XElement parent, string name) =>
        parent.Elements().SingleOrDefault(e => e.Name.LocalName == name) ?? throw new Xunit.Sdk.XunitException($"nuspec has no <{name}>:\n{parent}");
}
