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
        "usage: Scenarios [--only-fixed] [--expect-fixed Buggy] [--scenario NAME]... [--verbose] [--wide]\n"
        + "  --only-fixed         run only the fixed variant\n"
        + "  --expect-fixed Buggy run the Scenarios.Buggy code and expect the FIXED outcomes\n"
        + "                       (after `dotnet format analyzers` rewrote Buggy/)\n"
        + "  --scenario NAME      run only scenarios whose name contains NAME (repeatable)\n"
        + "  --verbose            print the first line of every report under its row\n"
        + "  --wide               one line per row, every column side by side (wider than 120 columns)";

    /// <summary>The width the default table keeps to: a common terminal.</summary>
    public const int Width = 120;

    /// <summary>The verdict of a row whose simulator outcome is the kernel's (for a buggy row: the bug shows as it does in the kernel).</summary>
    public const string Matches = "matches the kernel";

    /// <summary>The verdict of a row whose simulator outcome is not the kernel's.</summary>
    public const string Differs = "DIFFERS from the kernel";

    /// <summary>The entry point.</summary>
    public static int Main(string[] args)
    {
        bool onlyFixed = false, verbose = false, wide = false;
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
                case "--wide":
                    wide = true;
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
        Console.Write(Format(outcomes, verbose, wide));
        Console.WriteLine();
        Console.WriteLine(Summary(outcomes));
        int disagreeing = outcomes.Count(o => !o.Agrees);
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

    /// <summary>The last line: how many rows, and how many do not match the kernel.</summary>
    public static string Summary(IReadOnlyList<Outcome> outcomes)
    {
        int differing = outcomes.Count(o => !o.Agrees);
        return differing == 0
            ? $"{outcomes.Count} rows, all match the kernel"
            : $"{outcomes.Count} rows, {differing} DIFFER from the kernel";
    }

    /// <summary>
    /// The table. By default each row is a title line (scenario, arch, variant, verdict) with what the
    /// kernel would do and what the simulator did wrapped under it, so that it fits <see cref="Width"/>
    /// columns; <paramref name="wide"/> puts every column side by side on one line.
    /// </summary>
    public static string Format(IReadOnlyList<Outcome> outcomes, bool verbose, bool wide = false)
    {
        var text = new StringBuilder();
        if (wide)
        {
            FormatWide(outcomes, verbose, text);
            return text.ToString();
        }

        var titles = outcomes.Select(o => new[] { o.Scenario, o.Arch, VariantOf(o), Verdict(o) }).ToList();
        var header = new[] { "scenario", "arch", "variant", "simulator vs kernel" };
        var widths = Enumerable.Range(0, header.Length - 1)
            .Select(c => titles.Select(r => r[c].Length).Append(header[c].Length).Max())
            .ToArray();
        string Title(string[] cells) => string.Join("  ", cells.Select((cell, c) => c < widths.Length ? cell.PadRight(widths[c]) : cell)).TrimEnd();
        text.AppendLine(Title(header));
        text.AppendLine(new string('-', Math.Min(Width, Title(header).Length)));
        for (int i = 0; i < outcomes.Count; i++)
        {
            text.AppendLine(Title(titles[i]));
            Wrapped(text, "  kernel:    ", outcomes[i].Kernel);
            Wrapped(text, "  simulator: ", outcomes[i].Simulator);
            if (verbose)
            {
                foreach (var line in outcomes[i].ReportLines)
                {
                    Wrapped(text, "    ", line);
                }
            }
        }

        return text.ToString();
    }

    private static void FormatWide(IReadOnlyList<Outcome> outcomes, bool verbose, StringBuilder text)
    {
        var header = new[] { "scenario", "arch", "variant", "what the kernel would do", "what the simulator did", "simulator vs kernel" };
        var rows = outcomes.Select(o => new[] { o.Scenario, o.Arch, VariantOf(o), o.Kernel, o.Simulator, Verdict(o) }).ToList();

        var widths = Enumerable.Range(0, header.Length)
            .Select(c => rows.Select(r => r[c].Length).Append(header[c].Length).Max())
            .ToArray();
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
    }

    private static string VariantOf(Outcome o) =>
        o.Code == o.Expectation ? o.Code.ToString().ToLowerInvariant() : $"{o.Code.ToString().ToLowerInvariant()} (expect {o.Expectation.ToString().ToLowerInvariant()})";

    private static string Verdict(Outcome o) => o.Agrees ? Matches : Differs;

    /// <summary>Appends <paramref name="value"/> after <paramref name="label"/>, broken at spaces so no line passes <see cref="Width"/>.</summary>
    private static void Wrapped(StringBuilder text, string label, string value)
    {
        string indent = new(' ', label.Length);
        var line = new StringBuilder(label);
        bool empty = true;
        foreach (var word in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                text.AppendLine(line.ToString());
                line.Clear().Append(indent);
                empty = true;
            }

            if (!empty)
            {
                line.Append(' ');
            }

            // A single word longer than the line is cut rather than let through.
            line.Append(word.Length > Width - indent.Length ? word[..(Width - indent.Length - 3)] + "..." : word);
            empty = false;
        }

        text.AppendLine(line.ToString());
    }
}
