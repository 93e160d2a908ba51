using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// The metadata references every test compiles against: the SDK's reference assemblies (found on disk,
/// never downloaded) and UserAccess.Runtime. Loaded once per test run: reading ~170 assemblies per test
/// would make the suite slow.
/// </summary>
public static class ReferenceAssemblies
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_default = new(Load);

    /// <summary>The framework reference assemblies plus UserAccess.Runtime.dll.</summary>
    public static ImmutableArray<MetadataReference> Default => s_default.Value;

    /// <summary>Where the framework references came from (for diagnosing a machine without a reference pack).</summary>
    public static string FrameworkSource { get; private set; } = string.Empty;

    private static ImmutableArray<MetadataReference> Load()
    {
        var framework = FindReferencePack() ?? FindTrustedPlatformAssemblies();
        var runtime = typeof(UserAccess.Runtime.Kernel).Assembly.Location;
        return framework
            .Append(runtime)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }

    /// <summary>
    /// <c>{dotnet root}/packs/Microsoft.NETCore.App.Ref/{version}/ref/net{major.minor}/*.dll</c> for the running
    /// runtime's major version: the same assemblies a real build of simulator code compiles against.
    /// </summary>
    private static string[]? FindReferencePack()
    {
        // System.Private.CoreLib lives in {root}/shared/Microsoft.NETCore.App/{version}/.
        var coreLibDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var root = coreLibDirectory is null ? null : Directory.GetParent(coreLibDirectory)?.Parent?.Parent?.FullName;
        var packs = root is null ? null : Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        if (packs is null || !Directory.Exists(packs))
        {
            return null;
        }

        var major = Environment.Version.Major;
        var candidates = Directory.GetDirectories(packs)
            .Select(dir => (Dir: dir, Version: Version.TryParse(Path.GetFileName(dir).Split('-')[0], out var v) ? v : null))
            .Where(c => c.Version is not null && c.Version.Major == major)
            .OrderByDescending(c => c.Version)
            .Select(c => Path.Combine(c.Dir, "ref", $"net{c.Version!.Major}.{c.Version.Minor}"))
            .Where(Directory.Exists);
        foreach (var refDirectory in candidates)
        {
            var dlls = Directory.GetFiles(refDirectory, "*.dll");
            if (dlls.Length > 0)
            {
                FrameworkSource = refDirectory;
                return dlls;
            }
        }

        return null;
    }

    /// <summary>The running runtime's own assemblies: implementation, not reference, assemblies, but complete.</summary>
    private static string[] FindTrustedPlatformAssemblies()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            // Only the framework's: the test's own dependencies (xunit, Roslyn) must not leak into the code under test.
            .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.Ordinal))
            .ToArray();
        FrameworkSource = runtimeDirectory;
        return tpa;
    }
}
