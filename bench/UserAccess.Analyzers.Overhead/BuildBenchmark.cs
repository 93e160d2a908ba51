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
/// the configurations alternating. Between OFF and ON, two floors (<c>UserAccess.Analyzers.Floor</c>):
/// an analyzer registered as the rules' one is that does nothing, and the same building each method's
/// control-flow graph: what any analyzer of this kind costs the compiler before its own work.
/// </summary>
internal static class BuildBenchmark
{
    internal static void Run(List<CorpusKind> kinds, List<int> sizes, int runs)
    {
        string root = FindRepositoryRoot();
        string analyzers = BuildAndLocate(root, "src/Analyzers/UserAccess.Analyzers.csproj", "UserAccess.Analyzers.dll");
        string runtime = BuildAndLocate(root, "src/Runtime/UserAccess.Runtime.csproj", "UserAccess.Runtime.dll");
        string floor = BuildAndLocate(root, "bench/UserAccess.Analyzers.Floor/UserAccess.Analyzers.Floor.csproj", "UserAccess.Analyzers.Floor.dll");

        Console.WriteLine();
        Console.WriteLine("build (csc, compiler server): the Csc task's time with no analyzer (OFF), the floor (registration only), the floor building each method's graph, and the analyzer reference (ON)");
        Console.WriteLine("corpus | methods | lines | csc OFF (s) | floor | floor+graph | ON | ratio floor | floor+graph | ON | ON over floor+graph | analyzer's time (s, ReportAnalyzer): floor | floor+graph | ON | UA diagnostics");
        var perRule = new List<(string Corpus, Dictionary<string, double> Times)>();
        foreach (var kind in kinds)
        {
            foreach (int size in kind == CorpusKind.Plain ? sizes.TakeLast(1) : sizes)
            {
                var (dir, lines) = WriteCorpus(kind, size, analyzers, floor, runtime);
                try
                {
                    Run(dir, "restore", 600);
                    foreach (var configuration in Configurations)
                    {
                        TimedBuild(dir, configuration);
                    }

                    var builds = Configurations.Select(_ => new List<Build>()).ToArray();
                    for (int i = 0; i < runs; i++)
                    {
                        for (int c = 0; c < Configurations.Length; c++)
                        {
                            builds[c].Add(TimedBuild(dir, Configurations[c]));
                        }
                    }

                    var csc = builds.Select(b => InProcessBenchmark.Median(b.Select(x => x.CscSeconds).ToList())).ToArray();
                    var own = builds.Select(b => InProcessBenchmark.Median(b.Select(x => x.RulesSeconds).ToList())).ToArray();
                    var on = builds[^1];
                    Console.WriteLine(FormattableString.Invariant(
                        $"{kind} | {size} | {lines} | {csc[0]:F3} | {csc[1]:F3} | {csc[2]:F3} | {csc[3]:F3} | {csc[1] / csc[0]:F3} | {csc[2] / csc[0]:F3} | {csc[3] / csc[0]:F3} | {csc[3] / csc[2]:F3} | {own[1]:F3} | {own[2]:F3} | {own[3]:F3} | {on[0].Diagnostics}"));
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

    /// <summary>The configurations, in the order they alternate: the MSBuild properties of each.</summary>
    private static readonly string[] Configurations =
    {
        "-p:UserAccessAnalyzers=false -p:UserAccessFloor=",
        "-p:UserAccessAnalyzers=false -p:UserAccessFloor=empty",
        "-p:UserAccessAnalyzers=false -p:UserAccessFloor=graph",
        "-p:UserAccessAnalyzers=true -p:UserAccessFloor=",
    };

    private static (string Dir, int Lines) WriteCorpus(CorpusKind kind, int methods, string analyzers, string floor, string runtime)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"ua-overhead-{kind}-{methods}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);

        // Outside the repository, so no Directory.Build.props applies; the analyzers are referenced
        // as the package would add them, or not at all: nothing else differs. A floor reads which of its
        // two analyzers runs from the build property, visible to every configuration alike.
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
                <Analyzer Include="{floor}" Condition="'$(UserAccessFloor)' != ''" />
                <CompilerVisibleProperty Include="UserAccessFloor" />
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

    private static Build TimedBuild(string dir, string configuration)
    {
        // Detailed verbosity: csc's /reportanalyzer table is only logged there; the performance
        // summary gives the Csc task's own time, without MSBuild's start-up and the other targets.
        string output = Run(dir, $"build --no-restore --no-incremental -v:d -clp:PerformanceSummary {configuration}", 1200);
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
        var ours = Regex.Match(output, @"^\s*<?([0-9.]+)\s+<?\d+\s+UserAccess\.Analyzers(?:\.Floor)?, Version", RegexOptions.Multiline);
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
