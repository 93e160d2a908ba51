using System;
using System.Threading;

namespace UserAccess.Runtime;

/// <summary>The current task and the context checks every sleeping or faulting function runs.</summary>
internal static class Scheduler
{
    [ThreadStatic]
    private static TaskStruct? current;

    internal static TaskStruct? CurrentOrNull
    {
        get => current;
        set => current = value;
    }

    /// <summary><c>current</c>; kernel functions may only run inside <see cref="TaskStruct.Run"/>.</summary>
    internal static TaskStruct Current =>
        current ?? throw new InvalidOperationException("no current task: call kernel functions inside TaskStruct.Run");

    /// <summary>
    /// <c>__might_sleep()</c>: reports "sleeping function called from invalid context" when the
    /// current task is atomic. <paramref name="function"/> is the kernel function that may sleep.
    /// </summary>
    internal static void MightSleep(string function)
    {
        var task = Current;
        task.Hooks?.AtSleep(task, function);
        if (!task.MayNotSleep)
        {
            return;
        }

        task.Machine.Log.Warn(
            ReportKind.SleepInAtomic,
            $"BUG: sleeping function called from invalid context at {function}\n"
            + $"in_atomic(): {(task.PreemptCount > 0 ? 1 : 0)}, irqs_disabled(): {(task.IrqDisableDepth > 0 ? 1 : 0)}, non_block: 0, pid: {task.Pid}, name: {task.Name}\n"
            + $"preempt_count: {task.PreemptCount:x}, expected: 0",
            task);
    }

    /// <summary>
    /// <c>might_fault()</c>: with page faults enabled the access may fault, so it may sleep and the
    /// fault path may take the mmap lock for read.
    /// </summary>
    internal static void MightFault(string function)
    {
        var task = Current;
        if (task.PagefaultDisabledCount > 0)
        {
            return;
        }

        MightSleep(function);
        task.Mm.MmapLock.MightLockRead(function);
    }

    /// <summary>
    /// Reports fault handling inside a region that disabled page faults; returns <c>false</c> then.
    /// Fault-in by probing fails fast there (its probes cannot fault); <c>fixup_user_fault()</c> and
    /// GUP go on, as the kernel's do.
    /// </summary>
    internal static bool CheckFaultHandlingAllowed(string function)
    {
        var task = Current;
        if (task.PagefaultDisabledCount == 0)
        {
            return true;
        }

        task.Machine.Log.Warn(
            ReportKind.FaultHandlingInNofault,
            $"BUG: {function} called with page faults disabled (pagefault_disabled: {task.PagefaultDisabledCount}), pid: {task.Pid}, name: {task.Name}\n"
            + "fault handling belongs on the cold path after pagefault_enable(): retry the access there",
            task);
        return false;
    }

    /// <summary>A scheduling point: lets other tasks' threads run (and the machine's hook, if it has one).</summary>
    internal static void Yield(string function)
    {
        var task = Current;
        task.Machine.Options.SchedulingPoint?.Invoke(task, function);
        Thread.Yield();
    }
}
