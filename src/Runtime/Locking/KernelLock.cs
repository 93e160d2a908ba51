using System;
using System.Collections.Generic;
using System.Threading;

namespace UserAccess.Runtime;

/// <summary>One entry of a task's held locks.</summary>
internal readonly record struct HeldLock(KernelLock Lock, bool Shared);

/// <summary>
/// What every kernel lock shares: who holds it (one writer or many readers) and the name lockdep
/// prints. The state is guarded by the machine's <see cref="Lockdep"/> monitor.
/// </summary>
public abstract class KernelLock
{
    private Machine? machine;

    private protected KernelLock(Machine? machine, string name)
    {
        this.machine = machine;
        Name = name;
    }

    /// <summary>The name lockdep prints for this lock (<c>&amp;mm->mmap_lock</c>, a folio lock, ...).</summary>
    public string Name { get; }

    /// <summary>
    /// The machine whose tasks use this lock: the one it was created on, or, for a static lock
    /// (the parameterless constructors), the machine of the first task that took it; <c>null</c> until then.
    /// </summary>
    public Machine? Machine => Volatile.Read(ref machine);

    internal TaskStruct? Owner { get; set; }

    internal List<TaskStruct> Readers { get; } = new();

    internal bool IsHeldBy(TaskStruct task) => Owner == task || Readers.Contains(task);

    /// <summary>Whether <c>current</c> holds this lock (in any mode): <c>lockdep_is_held()</c>.</summary>
    public bool IsHeldByCurrent => Scheduler.CurrentOrNull is { } task && Machine is { } bound && bound.Lockdep.IsHeld(this, task);

    /// <summary>The lockdep of the current task's machine, binding a static lock to it on first use.</summary>
    private protected Lockdep Lockdep => BindTo(Scheduler.Current.Machine).Lockdep;

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>
    /// Binds an unbound (static) lock to <paramref name="user"/>; a lock already bound to another
    /// machine is an error, not silent sharing: two machines are two kernels.
    /// </summary>
    internal Machine BindTo(Machine user)
    {
        var bound = Interlocked.CompareExchange(ref machine, user, null) ?? user;
        if (bound != user)
        {
            throw new InvalidOperationException(
                $"lock {Name} belongs to {bound} but a task of {user} takes it: a lock is one machine's "
                + "(a static lock binds to the machine of the first task that takes it); create one per machine");
        }

        return bound;
    }
}
