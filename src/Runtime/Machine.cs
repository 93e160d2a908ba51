using System;
using System.Collections.Generic;
using System.Threading;

namespace UserAccess.Runtime;

/// <summary>How a <see cref="Machine"/> behaves.</summary>
public sealed class MachineOptions
{
    /// <summary>What a dynamic check does when it fires; <see cref="ReportAction.Throw"/> by default.</summary>
    public ReportAction OnReport { get; init; } = ReportAction.Throw;

    /// <summary>
    /// How many times the same user address may fail with <c>-EFAULT</c>, with fault-in reporting
    /// success in between, before the retry loop is reported as a <see cref="ReportKind.Livelock"/>.
    /// </summary>
    public int LivelockThreshold { get; init; } = 1000;

    /// <summary>
    /// How long a non-killable wait may block (real time) before the hung-task detector reports a
    /// <see cref="ReportKind.Deadlock"/> and unwinds the task; the kernel's
    /// <c>hung_task_timeout_secs</c>, scaled to a simulator.
    /// </summary>
    public TimeSpan HungTaskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Called at every voluntary scheduling point (<c>cond_resched()</c>, <c>schedule()</c>,
    /// <c>msleep()</c>, a <c>kmalloc()</c> that may sleep) with the task and the function, on the task's thread. A test or a scenario
    /// lets another task run there, as a preemption would, to force one interleaving every time
    /// instead of hoping for it; <c>null</c> (the default) only yields the thread.
    /// </summary>
    public Action<TaskStruct, string>? SchedulingPoint { get; init; }
}

/// <summary>A simulated computer: one arch backend, its processes, and the dynamic checks' dmesg.</summary>
public sealed class Machine
{
    private static int machines;
    private readonly int id = Interlocked.Increment(ref machines);
    private int nextPid = 1;
    private long clock;

    /// <summary>Creates a machine of the given architecture.</summary>
    public Machine(Arch arch, MachineOptions? options = null)
    {
        Arch = arch ?? throw new ArgumentNullException(nameof(arch));
        Options = options ?? new MachineOptions();
        Log = new ReportLog(Options.OnReport);
        Lockdep = new Lockdep(this);
    }

    /// <summary>The arch backend: page size, endianness, word size, user limit, atomics.</summary>
    public Arch Arch { get; }

    /// <summary>The options this machine was created with.</summary>
    public MachineOptions Options { get; }

    /// <summary>What the dynamic checks found so far, oldest first.</summary>
    public IReadOnlyList<Report> Reports => Log.Snapshot();

    internal ReportLog Log { get; }

    internal Lockdep Lockdep { get; }

    /// <summary>Creates a process: an empty address space (<c>mm_struct</c>).</summary>
    public Mm CreateProcess() => new(this);

    internal int AllocatePid() => Interlocked.Increment(ref nextPid);

    /// <summary>The machine's logical clock: orders lock acquisitions and userfaultfd events for audits.</summary>
    internal long Tick() => Interlocked.Increment(ref clock);

    /// <inheritdoc/>
    public override string ToString() => $"machine #{id} ({Arch.Name})";
}
