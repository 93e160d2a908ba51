using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Scenarios.Harness;

namespace Scenarios;

/// <summary>
/// Runs the seed scenarios on every backend where they apply and prints what the kernel would do
/// next to what the simulator did. Exits 1 if any row disagrees.
/// </summary>
public static class Program
{
    private const string Usage =
        "usage: Scenarios [--only-fixed] [--expect-fixed Buggy] [--scenario NAME]... [--verbose]\n"
        + "  --only-fixed         run only the fixed variant\n"
        + "  --expect-fixed Buggy run the Scenarios.Buggy code and expect the FIXED outcomes\n"
        + "                       (after `dotnet format analyzers` rewrote Buggy/)\n"
        + "  --scenario NAME      run only scenarios whose name contains NAME (repeatable)\n"
        + "  --verbose            print the first line of every report under its row";

    /// <summary>The entry point.</summary>
    public static int Main(string[] args)
    {
        bool onlyFixed = false, verbose = false;
        string? expectFixed = null;
        var filters = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--only-fixed":
                    onlyFixed = true;
                    break;
                case "--expect-fixed" when i + 1 < args.Length:
                    expectFixed = args[++i];
                    break;
                case "--scenario" when i + 1 < args.Length:
                    filters.Add(args[++i]);
                    break;
                case "--verbose":
                    verbose = true;
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine($"unknown argument: {args[i]}\n{Usage}");
                    return 2;
            }
        }

        if (expectFixed is not null && !string.Equals(expectFixed, "Buggy", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"--expect-fixed takes the code to run: Buggy (got {expectFixed})\n{Usage}");
            return 2;
        }

        var outcomes = Run(onlyFixed, expectFixed is not null, filters);
        Console.Write(Format(outcomes, verbose));
        int disagreeing = outcomes.Count(o => !o.Agrees);
        Console.WriteLine();
        Console.WriteLine(disagreeing == 0
            ? $"{outcomes.Count} rows, all agree"
            : $"{outcomes.Count} rows, {disagreeing} DISAGREE");
        return outcomes.Count > 0 && disagreeing == 0 ? 0 : 1;
    }

    /// <summary>Runs the selected rows.</summary>
    public static IReadOnlyList<Outcome> Run(bool onlyFixed, bool buggyExpectFixed, IReadOnlyCollection<string> filters)
    {
        var outcomes = new List<Outcome>();
        foreach (var scenario in ScenarioCatalog.All)
        {
            if (filters.Count > 0 && !filters.Any(f => scenario.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            foreach (var arch in scenario.Archs)
            {
                if (buggyExpectFixed)
                {
                    outcomes.Add(scenario.Run(arch, KernelCode.Buggy, Variant.Fixed));
                    continue;
                }

                if (!onlyFixed)
                {
                    outcomes.Add(scenario.Run(arch, Variant.Buggy));
                }

                outcomes.Add(scenario.Run(arch, Variant.Fixed));
            }
        }

        return outcomes;
    }

    /// <summary>The table, one row per outcome.</summary>
    public static string Format(IReadOnlyList<Outcome> outcomes, bool verbose)
    {
        var header = new[] { "scenario", "arch", "variant", "what the kernel would do", "what the simulator did", "agree" };
        var rows = outcomes.Select(o => new[]
        {
            o.Scenario,
            o.Arch,
            o.Code == o.Expectation ? o.Code.ToString().ToLowerInvariant() : $"{o.Code.ToString().ToLowerInvariant()} (expect {o.Expectation.ToString().ToLowerInvariant()})",
            o.Kernel,
            o.Simulator,
            o.Agrees ? "yes" : "NO",
        }).ToList();

        var widths = Enumerable.Range(0, header.Length)
            .Select(c => rows.Select(r => r[c].Length).Append(header[c].Length).Max())
            .ToArray();
        var text = new StringBuilder();
        void Line(string[] cells) => text.AppendLine(string.Join(" | ", cells.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        Line(header);
        text.AppendLine(string.Join("-|-", widths.Select(w => new string('-', w))));
        for (int i = 0; i < rows.Count; i++)
        {
            Line(rows[i]);
            if (verbose)
            {
                foreach (var line in outcomes[i].ReportLines)
                {
                    text.AppendLine("    " + line);
                }
            }
        }

        return text.ToString();
    }
}
