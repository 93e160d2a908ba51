using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace UserAccess.Analyzers.Overhead;

/// <summary>
/// The compiler's time on a generated corpus with the analyzer assembly passed to the compiler and
/// without it: the same project, the same switches (<c>-p:ReportAnalyzer=true</c> both ways), only the
/// <c>Analyzer</c> item differs, so what is measured is the cost of referencing the analyzers (not of
/// <c>RunAnalyzers=false</c> or of ids in <c>NoWarn</c>, which skip them). The figure is the <c>Csc</c>
/// task's time from MSBuild's performance summary, on a warm compiler server, median of the runs,
/// the two configurations alternating.
/// </summary>
internal static class BuildBenchmark
{
    internal static void Run(List<CorpusKind> kinds, List<int> sizes, int runs)
    {
        string root = FindRepositoryRoot();
        string analyzers = BuildAndLocate(root, "src/Analyzers/UserAccess.Analyzers.csproj", "UserAccess.Analyzers.dll");
        string runtime = BuildAndLocate(root, "src/Runtime/UserAccess.Runtime.csproj", "UserAccess.Runtime.dll");

        Console.WriteLine();
        Console.WriteLine("build (csc, compiler server): the Csc task's time with the analyzer reference OFF and ON");
        Console.WriteLine("corpus | methods | lines | csc OFF (s) | csc ON (s) | ratio | rules' time (s, ReportAnalyzer) | UA diagnostics");
        var perRule = new List<(string Corpus, Dictionary<string, double> Times)>();
        foreach (var kind in kinds)
        {
            foreach (int size in kind == CorpusKind.Plain ? sizes.TakeLast(1) : sizes)
            {
                var (dir, lines) = WriteCorpus(kind, size, analyzers, runtime);
                try
                {
                    Run(dir, "restore", 600);
                    TimedBuild(dir, analyzersOn: false);
                    TimedBuild(dir, analyzersOn: true);
                    var off = new List<Build>();
                    var on = new List<Build>();
                    for (int i = 0; i < runs; i++)
                    {
                        off.Add(TimedBuild(dir, analyzersOn: false));
                        on.Add(TimedBuild(dir, analyzersOn: true));
                    }

                    double offSeconds = InProcessBenchmark.Median(off.Select(b => b.CscSeconds).ToList());
                    double onSeconds = InProcessBenchmark.Median(on.Select(b => b.CscSeconds).ToList());
                    double rules = InProcessBenchmark.Median(on.Select(b => b.RulesSeconds).ToList());
                    Console.WriteLine(FormattableString.Invariant($"{kind} | {size} | {lines} | {offSeconds:F3} | {onSeconds:F3} | {onSeconds / offSeconds:F3} | {rules:F3} | {on[0].Diagnostics}"));
                    perRule.Add(($"{kind} {size}", on.SelectMany(b => b.PerRule).GroupBy(p => p.Key)
                        .ToDictionary(g => g.Key, g => InProcessBenchmark.Median(g.Select(p => p.Value).ToList()))));
                }
                finally
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("each analyzer's time as the compiler reports it (s, -p:ReportAnalyzer=true, median)");
        Console.WriteLine("analyzer | " + string.Join(" | ", perRule.Select(p => p.Corpus)));
        foreach (string name in perRule.SelectMany(p => p.Times.Keys).Distinct().OrderBy(n => n, StringComparer.Ordinal))
        {
            Console.WriteLine(name + " | " + string.Join(" | ", perRule.Select(p => p.Times.TryGetValue(name, out double s) ? s.ToString("F3", CultureInfo.InvariantCulture) : "-")));
        }
    }

    private static (string Dir, int Lines) WriteCorpus(CorpusKind kind, int methods, string analyzers, string runtime)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"ua-overhead-{kind}-{methods}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);

        // Outside the repository, so no Directory.Build.props applies; the analyzers are referenced
        // as the package would add them, or not at all: nothing else differs.
        string runtimeReference = kind == CorpusKind.Plain ? string.Empty : $"""<Reference Include="UserAccess.Runtime" HintPath="{runtime}" />""";
        File.WriteAllText(Path.Combine(dir, "Corpus.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net8.0</TargetFramework>
                <Nullable>enable</Nullable>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
                <UseSharedCompilation>true</UseSharedCompilation>
                <ReportAnalyzer>true</ReportAnalyzer>
              </PropertyGroup>
              <ItemGroup>
                {runtimeReference}
                <Analyzer Include="{analyzers}" Condition="'$(UserAccessAnalyzers)' == 'true'" />
              </ItemGroup>
            </Project>
            """);
        int lines = 0;
        foreach (var (name, text) in CorpusGenerator.Generate(kind, methods))
        {
            File.WriteAllText(Path.Combine(dir, name), text);
            lines += text.Split('\n').Length;
        }

        return (dir, lines);
    }

    private sealed record Build(double CscSeconds, double RulesSeconds, Dictionary<string, double> PerRule, int Diagnostics);

    private static Build TimedBuild(string dir, bool analyzersOn)
    {
        // Detailed verbosity: csc's /reportanalyzer table is only logged there; the performance
        // summary gives the Csc task's own time, without MSBuild's start-up and the other targets.
        string output = Run(dir, $"build --no-restore --no-incremental -v:d -clp:PerformanceSummary -p:UserAccessAnalyzers={analyzersOn.ToString().ToLowerInvariant()}", 1200);
        var csc = Regex.Matches(output, @"^\s*(\d+) ms\s+Csc\s+\d+ calls", RegexOptions.Multiline);
        if (csc.Count == 0)
        {
            throw new InvalidOperationException("no Csc time in the performance summary");
        }

        double cscSeconds = double.Parse(csc[^1].Groups[1].Value, CultureInfo.InvariantCulture) / 1000;

        // csc's /reportanalyzer table: a line per analyzer assembly ("0.345   49   UserAccess.Analyzers,
        // Version=..."), the assembly's total, followed by one per analyzer ("0.012   3      UserAccess.Analyzers.X (UAxxxx)",
        // the ids of an analyzer that serves several rules listed with commas). The compiler loads one
        // analyzer for all the rules that read the shared analysis: each rule's own time is the
        // benchmark's 'rules' mode.
        double rules = 0;
        var ours = Regex.Match(output, @"^\s*<?([0-9.]+)\s+<?\d+\s+UserAccess\.Analyzers, Version", RegexOptions.Multiline);
        if (ours.Success)
        {
            rules = double.Parse(ours.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        var perRule = new Dictionary<string, double>();
        foreach (Match m in Regex.Matches(output, @"^\s*<?([0-9.]+)\s+<?\d+\s+UserAccess\.Analyzers\.(\w+)(?: \(UA\d{4}(?:, UA\d{4})*\))?\s*$", RegexOptions.Multiline))
        {
            perRule[m.Groups[2].Value] = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        // MSBuild repeats every warning in its summary: count each one once.
        int diagnostics = Regex.Matches(output, @"[^\s>]+\(\d+,\d+\): warning UA\d{4}")
            .Select(m => m.Value).Distinct().Count();
        return new Build(cscSeconds, rules, perRule, diagnostics);
    }

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
