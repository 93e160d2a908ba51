using System;
using System.Collections.Generic;

namespace UserAccess.Runtime.Exploration;

/// <summary>
/// A function to explore under faults: how to set up user memory for it, how to call it, and what
/// must hold afterwards. The explorer runs it many times, each time on a fresh machine with one
/// fault placed (the kernel's fail-nth and fault injection, systematically).
/// </summary>
public sealed class ExplorationTarget
{
    /// <summary>
    /// Maps user memory in the fresh address space and returns the arguments the body gets. Runs
    /// once per exploration run, outside any task. Wrap a pointer in
    /// <see cref="Explorer.MayMisalign(UserPtr)"/> to let the explorer try misaligned variants of it.
    /// </summary>
    public required Func<Mm, object?> Setup { get; init; }

    /// <summary>Calls the function under test with the arguments <see cref="Setup"/> returned; runs as a task (<see cref="Kernel.Current"/> is set) and returns its result.</summary>
    public required Func<object?, int> Body { get; init; }

    /// <summary>
    /// A postcondition on user memory, the arguments and the result, checked after the body
    /// returned: <c>null</c> when it holds, otherwise what went wrong. <c>null</c> (no check) means
    /// only the dynamic checks, exceptions and the watchdog judge a run.
    /// </summary>
    public Func<Mm, object?, int, string?>? Check { get; init; }

    /// <summary>The backends to explore on; <c>null</c> explores on every backend.</summary>
    public IReadOnlyList<Arch>? Arches { get; init; }
}

/// <summary>How far and how long <see cref="Explorer.Run"/> explores.</summary>
public sealed class ExplorationOptions
{
    /// <summary>The most runs one exploration makes, clean runs included; what is planned beyond is left out (see <see cref="ExplorationResult.Planned"/>).</summary>
    public int MaxRuns { get; init; } = 10_000;

    /// <summary>The watchdog: a run still going after this long is recorded as a hang and abandoned, so the caller never hangs.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The machines' <see cref="MachineOptions.LivelockThreshold"/>: small, so that a retry loop that cannot end is caught fast.</summary>
    public int LivelockThreshold { get; init; } = 64;

    /// <summary>The machines' <see cref="MachineOptions.HungTaskTimeout"/>: a non-killable wait that never ends is a Deadlock report after this long.</summary>
    public TimeSpan HungTaskTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many runs go at once; by default one per core. Runs are independent (each has its own machine), so the results do not depend on it.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
