using System;
using System.Collections.Generic;

namespace UserAccess.Runtime;

/// <summary>What a dynamic check found: the kernel debug option that would have fired.</summary>
public enum ReportKind
{
    /// <summary><c>CONFIG_DEBUG_ATOMIC_SLEEP</c>: something that may sleep ran in atomic context.</summary>
    SleepInAtomic,
    /// <summary>Fault handling (fault-in, <c>fixup_user_fault</c>, the mmap lock) inside a region that disabled page faults.</summary>
    FaultHandlingInNofault,
    /// <summary>lockdep or the hung-task detector: a task waits for a lock it holds, or tasks wait on each other.</summary>
    Deadlock,
    /// <summary>The same user address keeps failing with <c>-EFAULT</c> while fault-in reports success: a retry loop that never ends.</summary>
    Livelock,
    /// <summary>An enable or unlock without its disable or lock, or a task leaving with one still held.</summary>
    Imbalance,
    /// <summary><c>lockdep_assert_held()</c>: a function that requires a lock called without it.</summary>
    LockNotHeld,
}

/// <summary>What happens when a dynamic check fires.</summary>
public enum ReportAction
{
    /// <summary>Throw a <see cref="KernelBugException"/> out of the task (the default: tests fail loudly).</summary>
    Throw,
    /// <summary>Record it in <see cref="Machine.Reports"/> and carry on, as the kernel does after a splat; a task that would hang is unwound.</summary>
    Record,
}

/// <summary>One entry of the simulator's dmesg.</summary>
public sealed class Report
{
    internal Report(ReportKind kind, string message, TaskStruct? task)
    {
        Kind = kind;
        Message = message;
        Task = task;
    }

    /// <summary>Which check fired.</summary>
    public ReportKind Kind { get; }

    /// <summary>The kernel-style text, first line first.</summary>
    public string Message { get; }

    /// <summary>The task that ran into it, if any.</summary>
    public TaskStruct? Task { get; }

    /// <inheritdoc/>
    public override string ToString() => $"[{Kind}] {Message}";
}

/// <summary>A dynamic check fired while <see cref="MachineOptions.OnReport"/> is <see cref="ReportAction.Throw"/>.</summary>
public sealed class KernelBugException : Exception
{
    internal KernelBugException(Report report)
        : base(report.Message) => Report = report;

    /// <summary>The report that was raised.</summary>
    public Report Report { get; }
}

/// <summary>
/// Unwinds a task that cannot go on (it would hang), in Record mode. <see cref="TaskStruct.Run"/>
/// catches it; user code never should.
/// </summary>
internal sealed class TaskUnwoundException : Exception
{
    internal TaskUnwoundException(Report report)
        : base(report.Message) => Report = report;

    internal Report Report { get; }
}

/// <summary>The machine's dmesg: thread-safe, append-only.</summary>
internal sealed class ReportLog
{
    private readonly List<Report> reports = new();
    private readonly ReportAction action;

    internal ReportLog(ReportAction action) => this.action = action;

    internal IReadOnlyList<Report> Snapshot()
    {
        lock (reports)
        {
            return reports.ToArray();
        }
    }

    /// <summary>Records a report; throws in Throw mode. The caller may continue (the kernel's WARN).</summary>
    internal void Warn(ReportKind kind, string message, TaskStruct? task)
    {
        var report = Add(kind, message, task);
        if (action == ReportAction.Throw)
        {
            throw new KernelBugException(report);
        }
    }

    /// <summary>Records a report and never returns: the task cannot go on (it would hang forever).</summary>
    internal Exception Fatal(ReportKind kind, string message, TaskStruct? task)
    {
        var report = Add(kind, message, task);
        throw action == ReportAction.Throw ? new KernelBugException(report) : new TaskUnwoundException(report);
    }

    private Report Add(ReportKind kind, string message, TaskStruct? task)
    {
        var report = new Report(kind, message, task);
        lock (reports)
        {
            reports.Add(report);
        }

        return report;
    }
}
