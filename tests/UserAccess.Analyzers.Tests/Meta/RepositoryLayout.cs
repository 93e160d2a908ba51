using System.IO;
using System;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>Paths in the repository, found by walking up from the test assembly to the folder with the solution.</summary>
internal static class RepositoryLayout
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string RuleDocs => Path.Combine(Root, "docs", "rules");

    public static string AnalyzersProject => Path.Combine(Root, "src", "Analyzers");

    public static string Corpus => Path.Combine(Root, "tests", "UserAccess.Analyzers.Tests", "Corpus");

    public static string Samples => Path.Combine(Root, "samples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UserAccess.Analyzers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No UserAccess.Analyzers.sln above {AppContext.BaseDirectory}.");
    }
}
