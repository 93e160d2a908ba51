using System;
using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

/// <summary>The scope returned by <see cref="Kernel.NoFault"/>: disposing it is <c>pagefault_enable()</c>.</summary>
public readonly struct NofaultScope : IDisposable
{
    private readonly TaskStruct? task;

    internal NofaultScope(TaskStruct task) => this.task = task;

    /// <summary><c>pagefault_enable()</c> for the task that entered the scope.</summary>
    [ExitsRegion(Region.Nofault)]
    public void Dispose()
    {
        if (task is null)
        {
            return;
        }

        if (task.PagefaultDisabledCount == 0)
        {
            task.Machine.Log.Warn(ReportKind.Imbalance, $"WARNING: pagefault_enable() without pagefault_disable(), pid: {task.Pid}, name: {task.Name}", task);
            return;
        }

        task.PagefaultDisabledCount--;
    }
}
