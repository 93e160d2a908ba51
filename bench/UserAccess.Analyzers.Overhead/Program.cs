using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace UserAccess.Analyzers.Overhead;

/// <summary>
/// The analyzer-overhead benchmark of ARCHITECTURE.md: builds a generated simulator corpus with and
/// without the analyzers and reports the ratio, and the analyzers' own time as the compiler measures
/// it (<c>-p:ReportAnalyzer=true</c>). Run it at two corpus sizes to check that growth is linear.
/// Usage: <c>dotnet run -c Release --project bench/UserAccess.Analyzers.Overhead -- [methods...] [--runs N]</c>
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var sizes = new List<int>();
        int runs = 3;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length)
            {
                runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                sizes.Add(int.Parse(args[i], CultureInfo.InvariantCulture));
            }
        }

        if (sizes.Count == 0)
        {
            sizes.AddRange(new[] { 400, 4000 });
        }

        string root = FindRepositoryRoot();
        string analyzers = BuildAndLocate(root, "src/Analyzers/UserAccess.Analyzers.csproj", "UserAccess.Analyzers.dll");
        string runtime = BuildAndLocate(root, "src/Runtime/UserAccess.Runtime.csproj", "UserAccess.Runtime.dll");

        Console.WriteLine($"runs per configuration: {runs} (median reported)");
        Console.WriteLine("methods | build without analyzers (s) | build with analyzers (s) | ratio | analyzer time (s) | UA diagnostics");
        foreach (int size in sizes)
        {
            string dir = WriteCorpus(size, analyzers, runtime);
            Run(dir, "restore", 600);

            // Warm the compiler server and the analyzer load so the first timed build is not the cold one.
            TimedBuild(dir, runAnalyzers: true);
            double without = Median(runs, () => TimedBuild(dir, runAnalyzers: false).Seconds);
            var withAnalyzers = Enumerable.Range(0, runs).Select(_ => TimedBuild(dir, runAnalyzers: true)).ToList();
            double with = withAnalyzers.Select(r => r.Seconds).OrderBy(s => s).ElementAt(runs / 2);
            double analyzerTime = withAnalyzers.Select(r => r.AnalyzerSeconds).OrderBy(s => s).ElementAt(runs / 2);
            int diagnostics = withAnalyzers[0].Diagnostics;
            Console.WriteLine(FormattableString.Invariant($"{size,7} | {without,27:F2} | {with,24:F2} | {with / without,5:F2} | {analyzerTime,17:F3} | {diagnostics}"));
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    private static string WriteCorpus(int methods, string analyzers, string runtime)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"ua-overhead-{methods}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);

        // Outside the repository, so no Directory.Build.props applies; the analyzers are referenced
        // as the package would add them.
        File.WriteAllText(Path.Combine(dir, "Corpus.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net8.0</TargetFramework>
                <Nullable>enable</Nullable>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
                <NoWarn>$(NoWarn);CS8321</NoWarn>
                <UseSharedCompilation>true</UseSharedCompilation>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="UserAccess.Runtime" HintPath="{runtime}" />
                <Analyzer Include="{analyzers}" />
              </ItemGroup>
            </Project>
            """);
        foreach (var (name, text) in CorpusGenerator.Generate(methods))
        {
            File.WriteAllText(Path.Combine(dir, name), text);
        }

        return dir;
    }

    private static (double Seconds, double AnalyzerSeconds, int Diagnostics) TimedBuild(string dir, bool runAnalyzers)
    {
        var watch = Stopwatch.StartNew();
        string output = Run(dir, $"build --no-restore --no-incremental -v:n -p:RunAnalyzers={runAnalyzers} -p:ReportAnalyzer={runAnalyzers}", 1200);
        watch.Stop();

        // csc with /reportanalyzer prints "Total analyzer execution time: N seconds." and one line
        // per analyzer assembly; ours is the one that matters.
        double analyzerSeconds = 0;
        var ours = Regex.Match(output, @"^\s*([0-9.]+)\s+\d+\s*%?\s+UserAccess\.Analyzers", RegexOptions.Multiline);
        if (ours.Success)
        {
            analyzerSeconds = double.Parse(ours.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        int diagnostics = Regex.Matches(output, @"warning UA\d{4}").Count;
        return (watch.Elapsed.TotalSeconds, analyzerSeconds, diagnostics);
    }

    private static double Median(int runs, Func<double> measure) =>
        Enumerable.Range(0, runs).Select(_ => measure()).OrderBy(s => s).ElementAt(runs / 2);

    private static string BuildAndLocate(string root, string project, string assembly)
    {
        Run(root, $"build {project} -c Release -v:q", 600);
        string dir = Path.Combine(root, Path.GetDirectoryName(project)!, "bin", "Release");
        return Directory.EnumerateFiles(dir, assembly, SearchOption.AllDirectories).First();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UserAccess.Analyzers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run from inside the repository");
    }

    private static string Run(string workingDirectory, string arguments, int timeoutSeconds)
    {
        var info = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {arguments} took more than {timeoutSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {arguments} failed:\n{stdout}\n{stderr.Result}");
        }

        return stdout;
    }
}
