using System;
using System.Collections.Generic;
using System.Threading;

namespace UserAccess.Runtime.Exploration;

/// <summary>What kind of fault a run places.</summary>
internal enum FaultKind
{
    None,
    PageState,
    TagMismatch,
    FailNth,
    Hostile,
    FatalSignal,
    Misaligned,
}

/// <summary>What the hostile second task does to a page between two of the body's user accesses.</summary>
internal enum HostileAction
{
    Unmap,
    SwapOut,
    Retag,
    MakeReadOnly,
}

/// <summary>One fault, placed in one run; <see cref="Name"/> is what the run prints and what replay looks up.</summary>
internal sealed record Fault(FaultKind Kind, string Name)
{
    internal static readonly Fault None = new(FaultKind.None, "none");

    /// <summary>The page or granule the fault is about; for a hostile re-tag, the access whose granules it hits.</summary>
    internal ulong Address { get; init; }

    /// <summary>The bytes of the access whose granules a hostile re-tag hits.</summary>
    internal int Size { get; init; }

    internal PageState State { get; init; }

    /// <summary>The n of fail-nth, of "between access n and n+1", of "at wait n".</summary>
    internal int N { get; init; }

    internal HostileAction Action { get; init; }

    /// <summary>Which <see cref="Explorer.MayMisalign(UserPtr)"/> call of the setup, in call order.</summary>
    internal int Slot { get; init; }

    /// <summary>The bytes added to that pointer.</summary>
    internal long Offset { get; init; }
}

/// <summary>What the clean run saw the body do: the plan's input.</summary>
internal sealed class CleanRecord
{
    internal List<(ulong Address, int Size)> Accesses { get; } = new();

    internal int AccessCount { get; set; }

    internal int SleepCount { get; set; }

    /// <summary>The pointers the setup offered for misalignment, with the size of what they point to.</summary>
    internal List<(ulong Address, int Size)> Slots { get; } = new();
}

/// <summary>A run's cancellation: the watchdog gave up on it.</summary>
internal sealed class RunControl
{
    private volatile bool cancelled;

    internal bool Cancelled => cancelled;

    internal void Cancel() => cancelled = true;
}

/// <summary>Thrown at the next user access or sleep of a run the watchdog abandoned, to unwind its thread.</summary>
internal sealed class RunAbandonedException : Exception
{
    internal RunAbandonedException()
        : base("the watchdog abandoned this exploration run")
    {
    }
}

/// <summary>
/// The hooks of one run's task: counts the user accesses and sleeps (recording them in the clean
/// run), makes the n-th access fail, lets the hostile second task act before an access, and sends
/// SIGKILL at the n-th sleep. The second task's change is made on the body's own thread at that
/// exact point, so the interleaving is the same every time.
/// </summary>
internal sealed class RunHooks : TaskHooks
{
    /// <summary>The accesses a clean run remembers; the plan places no fault beyond them.</summary>
    internal const int MaxRecorded = 64;

    private readonly Fault fault;
    private readonly Mm mm;
    private readonly RunControl control;
    private readonly CleanRecord? record;
    private int accesses;
    private int sleeps;

    internal RunHooks(Fault fault, Mm mm, RunControl control, CleanRecord? record)
    {
        this.fault = fault;
        this.mm = mm;
        this.control = control;
        this.record = record;
    }

    internal override bool BeforeUserAccess(TaskStruct task, ulong address, int size)
    {
        ThrowIfAbandoned();
        accesses++;
        if (record is not null)
        {
            record.AccessCount = accesses;
            if (record.Accesses.Count < MaxRecorded)
            {
                record.Accesses.Add((address, size));
            }
        }

        if (fault.Kind == FaultKind.FailNth && accesses == fault.N)
        {
            return true;
        }

        if (fault.Kind == FaultKind.Hostile && accesses == fault.N + 1)
        {
            ActAsSecondTask();
        }

        return false;
    }

    internal override void AtSleep(TaskStruct task, string function)
    {
        ThrowIfAbandoned();
        sleeps++;
        if (record is not null)
        {
            record.SleepCount = sleeps;
        }

        if (fault.Kind == FaultKind.FatalSignal && sleeps == fault.N)
        {
            task.SendSignal(Signal.SIGKILL);
        }
    }

    private void ThrowIfAbandoned()
    {
        if (control.Cancelled)
        {
            throw new RunAbandonedException();
        }
    }

    private void ActAsSecondTask()
    {
        ulong page = fault.Address;
        switch (fault.Action)
        {
            case HostileAction.Unmap:
                mm.Place(page, PageState.NotMapped);
                break;
            case HostileAction.SwapOut:
                mm.SwapOut(new UserPtr(page), (ulong)mm.Machine.Arch.PageSize);
                break;
            case HostileAction.MakeReadOnly:
                mm.WriteProtectMapping(page);
                break;
            case HostileAction.Retag:
                // The page may be gone by now (the body unmapped it): nothing left to re-tag.
                try
                {
                    foreach (ulong granule in Explorer.Granules(fault.Address, fault.Size))
                    {
                        mm.MismatchTag(granule);
                    }
                }
                catch (Exception e) when (e is SegmentationFaultException or InvalidOperationException)
                {
                }

                break;
        }
    }
}
