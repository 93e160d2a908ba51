using System;
using System.Collections.Generic;
using UserAccess.Runtime;
using UserAccess.Runtime.Exploration;

namespace Scenarios.Harness;

/// <summary>Which code a row runs, and which outcome it expects.</summary>
public enum Variant
{
    /// <summary>The code from the thread, with its bug.</summary>
    Buggy,

    /// <summary>The code as fixed.</summary>
    Fixed,
}

/// <summary>
/// One row of the table: what the kernel would do, what the simulator did, and whether they
/// agree, with the raw observations for tests.
/// </summary>
public sealed record Outcome(
    string Scenario,
    string Arch,
    Variant Code,
    Variant Expectation,
    string Kernel,
    string Simulator,
    bool Agrees)
{
    /// <summary>What the kernel function returned; <c>null</c> when the task never returned normally.</summary>
    public long? Result { get; init; }

    /// <summary>Every return value, for rows that make several calls (the first is <see cref="Result"/>).</summary>
    public IReadOnlyList<long> Results { get; init; } = Array.Empty<long>();

    /// <summary>A dynamic check unwound the task (Record mode) or the watchdog found it still spinning.</summary>
    public bool TaskUnwound { get; init; }

    /// <summary>The harness's watchdog found the task still running (a hang the simulator did not report).</summary>
    public bool Hung { get; init; }

    /// <summary>The kinds of the reports in the machine's dmesg, oldest first.</summary>
    public IReadOnlyList<ReportKind> Reports { get; init; } = Array.Empty<ReportKind>();

    /// <summary>The first report's text, if any.</summary>
    public string? FirstReport { get; init; }

    /// <summary>The first line of every report, oldest first.</summary>
    public IReadOnlyList<string> ReportLines { get; init; } = Array.Empty<string>();

    /// <summary>What the explorer found running the scenario's function under every placed fault; <c>null</c> when the scenario is not explored.</summary>
    public ExplorationResult? Exploration { get; init; }

    /// <summary>The bytes the user program reads afterwards at the scenario's address.</summary>
    public byte[]? UserBytes { get; init; }
}
