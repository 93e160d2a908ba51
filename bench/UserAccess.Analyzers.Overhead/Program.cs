using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace UserAccess.Analyzers.Overhead;

/// <summary>
/// The analyzers' cost, one command for the whole table of docs/performance.md:
/// <list type="bullet">
/// <item><c>build</c>: the compiler's time (the <c>Csc</c> task, warm compiler server) on a generated
/// corpus with the analyzer assembly passed to the compiler and without it, everything else equal,
/// with the rules' own time as the compiler reports it (<c>-p:ReportAnalyzer=true</c>);</item>
/// <item><c>inproc</c>: the same corpora in this process on the Roslyn floor, CPU time and bytes
/// allocated, and each analyzer's time;</item>
/// <item><c>document</c>: one 5,000-line document analysed alone after warm-up (the editor's case);</item>
/// <item><c>rules</c>: each rule's own time, every rule run as an analyzer of its own.</item>
/// </list>
/// Usage: <c>dotnet run -c Release --project bench/UserAccess.Analyzers.Overhead -- [build|inproc|document|rules|profile|all]
/// [--corpus dense|mixed|plain] [--methods N[,N...]] [--runs N]</c>. Without a mode, all of them: dense
/// corpora of 1x and 8x, a plain one (no runtime reference), and the document.
/// </summary>
internal static class Program
{
    // 1x: about 5,000 lines of dense simulator code; 8x: about 41,000.
    private const int BaseMethods = 320;

    private static int Main(string[] args)
    {
        string mode = "all";
        var kinds = new List<CorpusKind>();
        var sizes = new List<int>();
        int runs = 5;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs":
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--corpus":
                    kinds.Add(Enum.Parse<CorpusKind>(args[++i], ignoreCase: true));
                    break;
                case "--methods":
                    sizes.AddRange(args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)));
                    break;
                default:
                    mode = args[i];
                    break;
            }
        }

        if (kinds.Count == 0)
        {
            kinds.AddRange(new[] { CorpusKind.Dense, CorpusKind.Plain });
        }

        if (sizes.Count == 0)
        {
            sizes.AddRange(new[] { BaseMethods, 8 * BaseMethods });
        }

        Console.WriteLine(FormattableString.Invariant($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, runs: {runs} (median)"));
        if (mode == "profile")
        {
            InProcessBenchmark.Profile(kinds[0], sizes.Max(), runs);
            return 0;
        }

        if (mode == "rules")
        {
            Console.WriteLine();
            Console.WriteLine(FormattableString.Invariant($"each rule its own analyzer, {kinds[0]} {sizes.Max()} methods: time in the rule's callbacks (s, driver telemetry, median)"));
            foreach (var (analyzer, seconds) in InProcessBenchmark.MeasureRules(kinds[0], sizes.Max(), runs))
            {
                Console.WriteLine(FormattableString.Invariant($"{analyzer} | {seconds:F3}"));
            }

            return 0;
        }

        if (mode is "inproc" or "all")
        {
            RunInProcess(kinds, sizes, runs);
        }

        if (mode is "document" or "all")
        {
            var d = InProcessBenchmark.MeasureDocument(5000, runs);
            Console.WriteLine();
            Console.WriteLine(FormattableString.Invariant($"one document, {d.Lines} lines, warm, fresh compilation: compiler diagnostics {d.Compiler.WallSeconds * 1000:F0} ms wall / {d.Compiler.CpuSeconds * 1000:F0} ms CPU; {d.Diagnostics} diagnostics"));
            Console.WriteLine("single-file analysis | ms wall | ms CPU | share over the compiler's: ms wall | ms CPU | MB allocated");
            foreach (var (name, sample) in new[] { ("floor", d.Floor), ("floor+graph", d.GraphFloor), ("analyzers", d.With) })
            {
                Console.WriteLine(FormattableString.Invariant($"{name} | {sample.WallSeconds * 1000:F0} | {sample.CpuSeconds * 1000:F0} | {(sample.WallSeconds - d.Compiler.WallSeconds) * 1000:F0} | {(sample.CpuSeconds - d.Compiler.CpuSeconds) * 1000:F0} | {sample.Allocated / 1e6:F0}"));
            }

            // What is above floor+graph is the engine's and the rules' own work, the part a change to them can move.
            Console.WriteLine(FormattableString.Invariant($"the engine and the rules (analyzers less floor+graph) | | | {(d.With.WallSeconds - d.GraphFloor.WallSeconds) * 1000:F0} | {(d.With.CpuSeconds - d.GraphFloor.CpuSeconds) * 1000:F0} | {(d.With.Allocated - d.GraphFloor.Allocated) / 1e6:F0}"));
        }

        if (mode is "build" or "all")
        {
            BuildBenchmark.Run(kinds, sizes, runs);
        }

        return 0;
    }

    private static void RunInProcess(List<CorpusKind> kinds, List<int> sizes, int runs)
    {
        Console.WriteLine();
        Console.WriteLine("in process (Roslyn floor): compiler diagnostics alone, with the floor (registration only), the floor building each method's graph, and every rule analyzer");
        Console.WriteLine("corpus | methods | lines | CPU without (s) | floor | floor+graph | with | CPU ratio floor | floor+graph | with | wall ratio with | MB allocated without | floor | floor+graph | with | UA diagnostics | CPU with each rule its own analyzer (s) | MB allocated");
        foreach (var kind in kinds)
        {
            foreach (int size in kind == CorpusKind.Plain ? sizes.TakeLast(1) : sizes)
            {
                var f = InProcessBenchmark.Measure(kind, size, runs);
                Console.WriteLine(FormattableString.Invariant(
                    $"{f.Kind} | {f.Methods} | {f.Lines} | {f.Without.CpuSeconds:F3} | {f.Floor.CpuSeconds:F3} | {f.GraphFloor.CpuSeconds:F3} | {f.With.CpuSeconds:F3} | {f.Floor.CpuSeconds / f.Without.CpuSeconds:F3} | {f.GraphFloor.CpuSeconds / f.Without.CpuSeconds:F3} | {f.With.CpuSeconds / f.Without.CpuSeconds:F3} | {f.With.WallSeconds / f.Without.WallSeconds:F3} | {f.Without.Allocated / 1e6:F0} | {f.Floor.Allocated / 1e6:F0} | {f.GraphFloor.Allocated / 1e6:F0} | {f.With.Allocated / 1e6:F0} | {f.Diagnostics} | {f.EachRuleAlone.CpuSeconds:F3} | {f.EachRuleAlone.Allocated / 1e6:F0}"));
            }
        }
    }
}
