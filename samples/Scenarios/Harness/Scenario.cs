using System;
using System.Collections.Generic;
using UserAccess.Runtime;
using UserAccess.Runtime.Exploration;

namespace Scenarios.Harness;

/// <summary>
/// One seed scenario: a mailing-list bug, the backends it applies to, what the kernel does with the
/// buggy and with the fixed code, and a run in the simulator that sets up a machine, an address
/// space, tasks and memory and calls the variant's function.
/// </summary>
public abstract class Scenario
{
    /// <summary>The row's name in the table.</summary>
    public abstract string Name { get; }

    /// <summary>The kernel function and thread the scenario comes from.</summary>
    public abstract string Source { get; }

    /// <summary>The backends the scenario applies to.</summary>
    public abstract IReadOnlyList<Arch> Archs { get; }

    /// <summary>What the kernel does on <paramref name="arch"/> with the code of <paramref name="expectation"/>.</summary>
    public abstract string KernelOutcome(Arch arch, Variant expectation);

    /// <summary>Runs the variant's own code and compares it with the variant's expected outcome.</summary>
    public Outcome Run(Arch arch, Variant variant) => Run(arch, KernelCode.For(variant), variant);

    /// <summary>
    /// Runs <paramref name="code"/> and compares with the outcome expected of
    /// <paramref name="expectation"/> (the Buggy code expected to behave as Fixed, after a rewrite).
    /// A harness or runtime failure is a disagreeing row, never a crash of the table.
    /// </summary>
    public Outcome Run(Arch arch, KernelCode code, Variant expectation)
    {
        var variant = ReferenceEquals(code, KernelCode.Buggy) ? Variant.Buggy : ReferenceEquals(code, KernelCode.Fixed) ? Variant.Fixed : expectation;
        var row = new Row(this, arch, variant, expectation);
        try
        {
            return Explore(arch, code, expectation, Execute(arch, code, row));
        }
        catch (NotImplementedException e)
        {
            return row.Disagree($"runtime not implemented: {e.TargetSite?.DeclaringType?.Name}.{e.TargetSite?.Name}");
        }
        catch (Exception e)
        {
            var inner = e.InnerException ?? e;
            return row.Disagree($"harness error: {inner.GetType().Name}: {FirstLine(inner.Message)}");
        }
    }

    /// <summary>Sets up the machine, runs the code and judges the result.</summary>
    protected abstract Outcome Execute(Arch arch, KernelCode code, Row row);

    /// <summary>
    /// The scenario's function for the explorer: its memory, the call of <paramref name="code"/> and
    /// what must hold afterwards, on <paramref name="arches"/> (<c>null</c>: every backend);
    /// <c>null</c> when the scenario is not explored (its point is one particular setup).
    /// </summary>
    public virtual ExplorationTarget? ExplorationTarget(KernelCode code, IReadOnlyList<Arch>? arches) => null;

    // The explorer's verdict joins the row's: buggy code must fail in some explored run, fixed code in none.
    private Outcome Explore(Arch arch, KernelCode code, Variant expectation, Outcome outcome)
    {
        if (ExplorationTarget(code, new[] { arch }) is not { } target)
        {
            return outcome;
        }

        var result = Explorer.Run(target);
        string text = result.IsClean
            ? $"explored {result.Runs.Count} runs, clean"
            : $"explored {result.Runs.Count} runs, first failure {result.Failures[0].Fault}: {result.Failures[0].Verdict}";
        bool expected = expectation == Variant.Buggy ? !result.IsClean : result.IsClean;
        return outcome with
        {
            Simulator = $"{outcome.Simulator}; {text}",
            Agrees = outcome.Agrees && expected,
            Exploration = result,
        };
    }

    private static string FirstLine(string text)
    {
        int nl = text.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? text : text.Substring(0, nl);
    }

    /// <summary>The fixed part of an outcome row.</summary>
    protected sealed class Row
    {
        private readonly Scenario scenario;
        private readonly Arch arch;
        private readonly Variant code;
        private readonly Variant expectation;

        internal Row(Scenario scenario, Arch arch, Variant code, Variant expectation)
        {
            this.scenario = scenario;
            this.arch = arch;
            this.code = code;
            this.expectation = expectation;
        }

        /// <summary>The outcome this row expects.</summary>
        public Variant Expectation => expectation;

        /// <summary>An outcome with the simulator's text and the verdict.</summary>
        public Outcome Make(string simulator, bool agrees) =>
            new(scenario.Name, arch.Name, code, expectation, scenario.KernelOutcome(arch, expectation), simulator, agrees);

        /// <summary>A row that cannot agree.</summary>
        public Outcome Disagree(string simulator) => Make(simulator, false);
    }
}
