using System;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Running;
using UserAccess.Runtime.Exploration;

namespace UserAccess.Runtime.Benchmarks;

/// <summary>
/// Runs the runtime's fast-path benchmarks: <c>dotnet run -c Release -- --filter '*' --job short</c>;
/// or the long stress run: <c>dotnet run -c Release -- stress [seconds] [x86_64|arm64|...]</c>.
/// </summary>
public static class Program
{
    /// <summary>Entry point: the stress run, or BenchmarkDotNet's switcher, so filters and jobs come from the command line.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "stress")
        {
            return Stress(args.Skip(1).ToArray());
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    // Minutes of correct code under hostile threads on each backend asked for; prints what was done,
    // what was injected, the reports and the violations, and fails when there is any.
    private static int Stress(string[] args)
    {
        double seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 120;
        var arches = args.Length > 1
            ? args.Skip(1).Select(name => ExplorationBenchmarks.Arches.First(a => a.Name == name)).ToArray()
            : new[] { Arch.X86_64, Arch.Arm64 };
        int violations = 0;
        foreach (var arch in arches)
        {
            var report = StressRun.Run(new StressOptions { Arch = arch, Duration = TimeSpan.FromSeconds(seconds / arches.Length) });
            Console.WriteLine($"{arch.Name}: {seconds / arches.Length:0.#} s: {report}");
            foreach (var violation in report.Violations)
            {
                Console.WriteLine("  VIOLATION " + violation);
            }

            violations += report.Violations.Count;
        }

        return violations == 0 ? 0 : 1;
    }
}
