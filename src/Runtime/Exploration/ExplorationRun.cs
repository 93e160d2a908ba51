using System;
using System.Collections.Generic;
using System.Linq;

namespace UserAccess.Runtime.Exploration;

/// <summary>How an exploration run ended.</summary>
public enum ExplorationOutcome
{
    /// <summary>The body returned, no dynamic check fired and the <see cref="ExplorationTarget.Check"/> held.</summary>
    Clean,
    /// <summary>A dynamic check fired (any <see cref="ReportKind"/>).</summary>
    Report,
    /// <summary>The body (or the setup, or the check) threw.</summary>
    Exception,
    /// <summary>The watchdog found the run still going after <see cref="ExplorationOptions.Timeout"/>.</summary>
    Hang,
    /// <summary>The body returned and the <see cref="ExplorationTarget.Check"/> did not hold.</summary>
    CheckFailed,
}

/// <summary>One run of an exploration: the fault placed, the backend, and how it ended.</summary>
public sealed class ExplorationRun
{
    internal ExplorationRun(int index, Arch arch, string fault, ExplorationOutcome outcome, IReadOnlyList<Report> reports, int? result, string? detail)
    {
        Index = index;
        Arch = arch;
        Fault = fault;
        Outcome = outcome;
        Reports = reports;
        Result = result;
        Detail = detail;
    }

    /// <summary>The run's place in <see cref="ExplorationResult.Runs"/>.</summary>
    public int Index { get; internal set; }

    /// <summary>The backend the run used.</summary>
    public Arch Arch { get; }

    /// <summary>
    /// The fault placed: <c>none</c> (the clean run), a <see cref="PageState"/> name and the page,
    /// <c>MTE tag mismatch at ...</c>, <c>fail-nth 3</c>, <c>hostile unmap of ... between access 1
    /// and 2</c>, <c>SIGKILL at wait 2</c>, <c>misaligned +6</c>.
    /// </summary>
    public string Fault { get; }

    /// <summary>How the run ended.</summary>
    public ExplorationOutcome Outcome { get; }

    /// <summary>What the dynamic checks reported (the run's dmesg).</summary>
    public IReadOnlyList<Report> Reports { get; }

    /// <summary>What the body returned; <c>null</c> when it did not return (unwound, threw, hung).</summary>
    public int? Result { get; }

    /// <summary>The first report line, the exception, or the failed check's text; <c>null</c> for a clean run.</summary>
    public string? Detail { get; }

    /// <summary>Whether the run found something.</summary>
    public bool Failed => Outcome != ExplorationOutcome.Clean;

    /// <summary>What the run found in one word: the first report's <see cref="ReportKind"/>, or the <see cref="Outcome"/>.</summary>
    public string Verdict => Outcome == ExplorationOutcome.Report && Reports.Count > 0 ? Reports[0].Kind.ToString() : Outcome.ToString();

    /// <summary>The call that reruns exactly this run.</summary>
    public string ReplayCall => $"Explorer.Replay(target, Arch.{Explorer.ArchPropertyName(Arch)}, \"{Fault}\")";

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Arch.Name} | {Fault} | {Outcome}{(Detail is null ? string.Empty : ": " + Detail)} | result {(Result is { } r ? r.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")}";
}

/// <summary>A run that found something, with how to rerun it.</summary>
public sealed class ExplorationFailure
{
    internal ExplorationFailure(ExplorationRun run) => Run = run;

    /// <summary>The run.</summary>
    public ExplorationRun Run { get; }

    /// <summary>The fault placed (see <see cref="ExplorationRun.Fault"/>).</summary>
    public string Fault => Run.Fault;

    /// <summary>The backend.</summary>
    public Arch Arch => Run.Arch;

    /// <summary>How the run ended.</summary>
    public ExplorationOutcome Outcome => Run.Outcome;

    /// <summary>What the dynamic checks reported.</summary>
    public IReadOnlyList<Report> Reports => Run.Reports;

    /// <summary>What the body returned; <c>null</c> when it did not return.</summary>
    public int? Result => Run.Result;

    /// <summary>The first report line, the exception, or the failed check's text.</summary>
    public string? Detail => Run.Detail;

    /// <summary>What the run found in one word (see <see cref="ExplorationRun.Verdict"/>).</summary>
    public string Verdict => Run.Verdict;

    /// <inheritdoc/>
    public override string ToString() => $"{Run} | replay: {Run.ReplayCall}";
}

/// <summary>What <see cref="Explorer.Run"/> found.</summary>
public sealed class ExplorationResult
{
    private const int FailuresShown = 10;

    internal ExplorationResult(IReadOnlyList<ExplorationRun> runs, int planned)
    {
        Runs = runs;
        Planned = planned;
        Failures = runs.Where(r => r.Failed).Select(r => new ExplorationFailure(r)).ToArray();
    }

    /// <summary>Every run, in the order explored: the clean run of each backend first, then the faults, backends taking turns.</summary>
    public IReadOnlyList<ExplorationRun> Runs { get; }

    /// <summary>The runs that found something, in run order.</summary>
    public IReadOnlyList<ExplorationFailure> Failures { get; }

    /// <summary>How many runs the plan held; more than <see cref="Runs"/> when <see cref="ExplorationOptions.MaxRuns"/> cut it.</summary>
    public int Planned { get; }

    /// <summary>Whether no run found anything.</summary>
    public bool IsClean => Failures.Count == 0;

    /// <summary>One line: <c>explored N runs, clean</c>, or the count and the first failure.</summary>
    public string Summary => IsClean
        ? $"explored {Runs.Count} runs, clean"
        : $"explored {Runs.Count} runs, {Failures.Count} failing; first: {Failures[0].Arch.Name} {Failures[0].Fault}: {Failures[0].Verdict}";

    /// <summary>Throws an <see cref="ExplorationException"/> listing the first failures and how to replay them, unless the exploration is clean.</summary>
    public void AssertClean()
    {
        if (!IsClean)
        {
            throw new ExplorationException(this);
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(Summary + (Planned > Runs.Count ? $" (of {Planned} planned; MaxRuns cut the rest)" : string.Empty));
        text.AppendLine("arch | runs | failing");
        foreach (var group in Runs.GroupBy(r => r.Arch))
        {
            text.AppendLine($"{group.Key.Name} | {group.Count()} | {group.Count(r => r.Failed)}");
        }

        AppendFailures(text);
        return text.ToString();
    }

    internal void AppendFailures(System.Text.StringBuilder text)
    {
        foreach (var failure in Failures.Take(FailuresShown))
        {
            text.AppendLine(failure.ToString());
        }

        if (Failures.Count > FailuresShown)
        {
            text.AppendLine($"... and {Failures.Count - FailuresShown} more");
        }
    }
}

/// <summary>Thrown by <see cref="ExplorationResult.AssertClean"/>: the message lists the first failures, one line each, with the call that replays each.</summary>
public sealed class ExplorationException : Exception
{
    internal ExplorationException(ExplorationResult result)
        : base(Describe(result)) => Result = result;

    /// <summary>The exploration that failed.</summary>
    public ExplorationResult Result { get; }

    private static string Describe(ExplorationResult result)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"{result.Failures.Count} of {result.Runs.Count} explored runs failed:");
        result.AppendFailures(text);
        return text.ToString().TrimEnd();
    }
}
