using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security;
using Xunit;

namespace UserAccess.EndToEnd.Tests.Infrastructure;

/// <summary>Facts about the repository and the build that the test assembly was compiled in.</summary>
public static class Repository
{
    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"No assembly metadata {key}");

    public static string Root => Metadata("UserAccess.RepositoryRoot");

    public static string Configuration => Metadata("UserAccess.Configuration");

    /// <summary>The Version of Directory.Build.props: both packages carry it.</summary>
    public static string PackageVersion => Metadata("UserAccess.PackageVersion");

    public static string PathOf(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());
}

/// <summary>
/// Packs UserAccess.Analyzers and UserAccess.Runtime once for the whole end-to-end collection into a
/// local folder feed under the temporary folder, with a NuGet.config that lists that feed first (and
/// maps the UserAccess.* ids to it alone) and the machine's usual sources second, and a package folder
/// of its own so that a 0.1.0 cached by an earlier run can never be the one restored.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(4);
    private int _projects;

    public PackedFeed()
    {
        Root = Path.Combine(Path.GetTempPath(), "useraccess-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(Root, "feed");
        PackagesPath = Path.Combine(Root, "packages");
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(PackagesPath);
        AnalyzersPackage = Path.Combine(Feed, $"UserAccess.Analyzers.{Repository.PackageVersion}.nupkg");
        RuntimePackage = Path.Combine(Feed, $"UserAccess.Runtime.{Repository.PackageVersion}.nupkg");
        try
        {
            Pack();
            TargetFramework = SdkTargetFramework();

            // Nothing of the temporary folder's parents may leak into the projects (no Directory.Build.*,
            // no central package management).
            File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />\n");
            File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />\n");
            File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project />\n");
            File.WriteAllText(Path.Combine(Root, "NuGet.config"), NuGetConfig(Feed, UsualSources()));
        }
        catch
        {
            // xunit does not dispose a fixture whose constructor threw.
            Dispose();
            throw;
        }
    }

    private void Pack()
    {
        // The test project built both package projects (ProjectReference): pack exactly that build.
        foreach (string project in new[] { "UserAccess.Analyzers/UserAccess.Analyzers.Package.csproj", "UserAccess.Runtime/UserAccess.Runtime.Package.csproj" })
        {
            ProcessResult pack = DotNet.Run(Repository.Root, PackTimeout,
                "pack", Repository.PathOf("package", project), "--no-build", "-c", Repository.Configuration, "-o", Feed, "-nodeReuse:false");
            if (pack.ExitCode != 0)
            {
                throw new InvalidOperationException("Packing failed:\n" + pack.Describe());
            }
            PackLog.Add(pack);
        }
    }

    /// <summary>The temporary folder of this run: feed, packages and one folder per project.</summary>
    public string Root { get; }

    public string Feed { get; }

    public string PackagesPath { get; }

    public string AnalyzersPackage { get; }

    public string RuntimePackage { get; }

    /// <summary>The SDK's own target framework (its targeting pack ships with it: nothing to download).</summary>
    public string TargetFramework { get; }

    public List<ProcessResult> PackLog { get; } = new();

    /// <summary>A fresh project that references UserAccess.Runtime (and only it) from the feed.</summary>
    public UserProject CreateProject(string name, params string[] assets)
    {
        int index = System.Threading.Interlocked.Increment(ref _projects);
        string directory = Path.Combine(Root, $"{index:D2}-{name}");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "UserCode.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>{TargetFramework}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <RestorePackagesPath>{SecurityElement.Escape(PackagesPath)}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="UserAccess.Runtime" Version="{Repository.PackageVersion}" />
              </ItemGroup>
            </Project>

            """);
        foreach (string asset in assets)
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Assets", asset), Path.Combine(directory, asset));
        }
        return new UserProject(directory);
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("USERACCESS_E2E_KEEP") == "1")
        {
            return;
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temporary folder is cleaned by the system later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string SdkTargetFramework()
    {
        ProcessResult version = DotNet.Run(Path.GetTempPath(), TimeSpan.FromMinutes(1), "--version");
        string[] parts = version.Output.Trim().Split('.');
        if (version.ExitCode != 0 || parts.Length < 2 || !int.TryParse(parts[0], out int major) || !int.TryParse(parts[1], out int minor))
        {
            throw new InvalidOperationException("Cannot read the SDK version:\n" + version.Describe());
        }
        return $"net{major}.{minor}";
    }

    /// <summary>The package sources this machine normally uses (from its NuGet configuration), enabled ones only.</summary>
    private static IReadOnlyList<string> UsualSources()
    {
        ProcessResult list = DotNet.Run(Path.GetTempPath(), TimeSpan.FromMinutes(1), "nuget", "list", "source", "--format", "short");
        if (list.ExitCode != 0)
        {
            return Array.Empty<string>();
        }
        return list.Output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .Where(source => source.Length > 0)
            .ToList();
    }

    private static string NuGetConfig(string feed, IReadOnlyList<string> usualSources)
    {
        var sources = new List<string> { $"""    <add key="useraccess-local" value="{SecurityElement.Escape(feed)}" />""" };
        var mapping = new List<string>
        {
            """    <packageSource key="useraccess-local"><package pattern="UserAccess.*" /></packageSource>""",
        };
        for (int i = 0; i < usualSources.Count; i++)
        {
            sources.Add($"""    <add key="usual-{i}" value="{SecurityElement.Escape(usualSources[i])}" />""");
            mapping.Add($"""    <packageSource key="usual-{i}"><package pattern="*" /></packageSource>""");
        }
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
            {string.Join("\n", sources)}
              </packageSources>
              <packageSourceMapping>
                <clear />
            {string.Join("\n", mapping)}
              </packageSourceMapping>
            </configuration>

            """;
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "end-to-end: packed packages";
}

/// <summary>A temporary user project: files to add, and `dotnet` commands run in its folder.</summary>
public sealed class UserProject
{
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);

    public UserProject(string directory) => Directory = directory;

    public string Directory { get; }

    public string PathOf(string file) => Path.Combine(Directory, file);

    public UserProject WithFile(string name, string text)
    {
        File.WriteAllText(PathOf(name), text);
        return this;
    }

    /// <summary>`dotnet build` with console output that lists every diagnostic once, with its help link.</summary>
    public ProcessResult Build(params string[] extraArguments) =>
        DotNet.Run(Directory, BuildTimeout,
            new[] { "build", "-nodeReuse:false", "-consoleLoggerParameters:NoSummary" }.Concat(extraArguments));

    public ProcessResult Run(params string[] arguments) => DotNet.Run(Directory, BuildTimeout, arguments);
}
