using System.Collections.Generic;

namespace UserAccess.Runtime;

/// <summary>One entry of a task's held locks.</summary>
internal readonly record struct HeldLock(KernelLock Lock, bool Shared);

/// <summary>
/// What every kernel lock shares: who holds it (one writer or many readers) and the name lockdep
/// prints. The state is guarded by the machine's <see cref="Lockdep"/> monitor.
/// </summary>
public abstract class KernelLock
{
    private protected KernelLock(Machine machine, string name)
    {
        Machine = machine;
        Name = name;
    }

    /// <summary>The name lockdep prints for this lock (<c>&amp;mm->mmap_lock</c>, a folio lock, ...).</summary>
    public string Name { get; }

    /// <summary>The machine whose tasks use this lock.</summary>
    public Machine Machine { get; }

    internal TaskStruct? Owner { get; set; }

    internal List<TaskStruct> Readers { get; } = new();

    internal bool IsHeldBy(TaskStruct task) => Owner == task || Readers.Contains(task);

    /// <summary>Whether <c>current</c> holds this lock (in any mode): <c>lockdep_is_held()</c>.</summary>
    public bool IsHeldByCurrent => Scheduler.CurrentOrNull is { } task && Machine.Lockdep.IsHeld(this, task);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
