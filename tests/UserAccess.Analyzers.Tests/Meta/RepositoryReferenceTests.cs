using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>
/// A clone is all a reader has: no tracked file may send them to the design documents that sit beside
/// the checkout on the maintainers' machines. The names are put together here so that this file does
/// not match itself.
/// </summary>
public class RepositoryReferenceTests
{
    private static readonly string[] s_outside =
    {
        ".." + "/shared",
        "shared" + "/design",
        "RULES" + ".md",
        "RUNTIME" + ".md",
    };

    [Fact]
    public void NoTrackedFileRefersToDocumentsOutsideTheRepository()
    {
        var files = TrackedFiles();
        Assert.Contains("README.md", files);
        Assert.Contains("docs/architecture.md", files);

        var hits = new List<string>();
        foreach (var file in files)
        {
            var path = Path.Combine(RepositoryLayout.Root, file);
            if (!File.Exists(path) || IsBinary(path))
            {
                continue;
            }

            var lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                foreach (var needle in s_outside.Where(n => lines[i].Contains(n, StringComparison.Ordinal)))
                {
                    hits.Add($"{file}({i + 1}): '{needle}': {lines[i].Trim()}");
                }
            }
        }

        Assert.True(hits.Count == 0, "Point these inside the repository (docs/architecture.md, docs/runtime.md, docs/rules/):\n" + string.Join("\n", hits));
    }

    /// <summary>The files git tracks (and those staged), or every file outside bin/obj/.git when git is not there.</summary>
    private static IReadOnlyList<string> TrackedFiles()
    {
        try
        {
            var start = new ProcessStartInfo("git", "ls-files --cached --others --exclude-standard")
            {
                WorkingDirectory = RepositoryLayout.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode == 0)
            {
                return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on this machine: fall back to walking the tree.
        }

        var skip = new[] { "bin", "obj", ".git", "TestResults", "artifacts" };
        return Directory.EnumerateFiles(RepositoryLayout.Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryLayout.Root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(skip.Contains))
            .ToList();
    }

    private static bool IsBinary(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[Math.Min(8000, stream.Length)];
        int read = stream.Read(buffer, 0, buffer.Length);
        return Array.IndexOf(buffer, (byte)0, 0, read) >= 0;
    }
}
