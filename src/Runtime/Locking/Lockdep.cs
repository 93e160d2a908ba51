using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Threading;

namespace UserAccess.Runtime;

/// <summary>
/// The machine's lock state and the simulator's lockdep: one monitor guards every lock's owner,
/// readers and waiters, so that a wait can be woken by an unlock or by a fatal signal, and the
/// wait-for graph can be walked without races. Held-lock order is recorded per pair of lock
/// instances to report inversions between tasks before they deadlock.
/// </summary>
internal sealed class Lockdep
{
    private readonly object gate = new();
    private readonly Machine machine;

    // (held, then taken) pairs seen so far: lockdep's dependency graph, per lock instance.
    private readonly HashSet<(KernelLock First, KernelLock Then)> order = new();

    internal Lockdep(Machine machine) => this.machine = machine;

    internal bool IsHeld(KernelLock @lock, TaskStruct task)
    {
        lock (gate)
        {
            return @lock.IsHeldBy(task);
        }
    }

    /// <summary>
    /// Takes <paramref name="lock"/> for <c>current</c>; returns <c>0</c>, or <c>-EINTR</c> when
    /// <paramref name="killable"/> and the lock is contended while a fatal signal is pending or one
    /// arrives during the wait. As in the kernel, only the slow path looks at signals: an
    /// uncontended <c>down_read_killable()</c> succeeds even with SIGKILL pending.
    /// </summary>
    internal int Acquire(KernelLock @lock, bool shared, bool killable, string function)
    {
        var task = Scheduler.Current;
        @lock.BindTo(task.Machine);
        lock (gate)
        {
            CheckRecursion(@lock, shared, task, function);
            CheckOrder(@lock, shared, task);
            var started = Stopwatch.StartNew();
            while (!CanTake(@lock, shared))
            {
                if (killable && task.FatalSignalPending)
                {
                    return -Errno.EINTR;
                }

                task.WaitingFor = @lock;
                try
                {
                    CheckWaitCycle(@lock, task);
                    var left = machine.Options.HungTaskTimeout - started.Elapsed;
                    if (left <= TimeSpan.Zero)
                    {
                        throw machine.Log.Fatal(
                            ReportKind.Deadlock,
                            $"INFO: task {task.Name}:{task.Pid} blocked for more than {machine.Options.HungTaskTimeout.TotalSeconds:0} seconds.\n"
                            + $"waiting in {function} for lock {@lock.Name} held by {DescribeHolders(@lock)}",
                            task);
                    }

                    Monitor.Wait(gate, left < TimeSpan.FromMilliseconds(50) ? left : TimeSpan.FromMilliseconds(50));
                }
                finally
                {
                    task.WaitingFor = null;
                }
            }

            Take(@lock, shared, task);
            return 0;
        }
    }

    /// <summary>
    /// Takes the lock if it is free now: the trylock variants. A read trylock by a task that already
    /// reads succeeds, as <c>down_read_trylock()</c> does with no writer, and lockdep does not
    /// validate trylocks, so nothing is reported.
    /// </summary>
    internal bool TryAcquire(KernelLock @lock, bool shared)
    {
        var task = Scheduler.Current;
        @lock.BindTo(task.Machine);
        lock (gate)
        {
            if (!CanTake(@lock, shared))
            {
                return false;
            }

            Take(@lock, shared, task);
            return true;
        }
    }

    /// <summary>Releases a lock <c>current</c> holds; an unlock of a lock not held is an imbalance.</summary>
    internal void Release(KernelLock @lock, bool shared, string function)
    {
        var task = Scheduler.Current;
        @lock.BindTo(task.Machine);
        lock (gate)
        {
            bool held = shared ? @lock.Readers.Contains(task) : @lock.Owner == task;
            if (!held)
            {
                machine.Log.Warn(
                    ReportKind.Imbalance,
                    "=====================================\n"
                    + "WARNING: bad unlock balance detected!\n"
                    + $"{task.Name}/{task.Pid} is trying to release lock ({@lock.Name}) at:\n{function}\n"
                    + "but there are no more locks to release!",
                    task);
                return;
            }

            Drop(@lock, shared, task);
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>
    /// <c>might_lock_read()</c>: what the fault path would do if it ran now. As in the kernel (a
    /// <c>lock_acquire()</c> and <c>lock_release()</c> pair), lockdep learns the dependency of every
    /// held lock on this one and reports an inversion with what it learned before, although no task
    /// waits. Taking a lock the task already holds is reported; only a real wait would hang, so this
    /// one carries on.
    /// </summary>
    internal void MightLockRead(KernelLock @lock, string function)
    {
        // A task's held locks change only on its own thread, so this look needs no gate: every
        // get_user() runs might_fault(), and the common case (nothing held) is a count check.
        var task = Scheduler.Current;
        var held = task.HeldLocks;
        if (held.Count == 0)
        {
            return;
        }

        for (int i = 0; i < held.Count; i++)
        {
            if (held[i].Lock == @lock)
            {
                machine.Log.Warn(ReportKind.Deadlock, RecursiveLockingText(@lock, task, function), task);
                return;
            }
        }

        lock (gate)
        {
            CheckOrder(@lock, shared: true, task);
        }
    }

    /// <summary>Asserts <c>current</c> holds the lock: <c>lockdep_assert_held()</c>.</summary>
    internal void AssertHeld(KernelLock @lock, bool sharedIsEnough, string function)
    {
        var task = Scheduler.Current;
        lock (gate)
        {
            if (@lock.Owner == task || (sharedIsEnough && @lock.Readers.Contains(task)))
            {
                return;
            }
        }

        machine.Log.Warn(
            ReportKind.LockNotHeld,
            $"WARNING: {function} called without {@lock.Name} held\n"
            + $"lockdep_assert_held({@lock.Name}) failed, pid: {task.Pid}, name: {task.Name}",
            task);
    }

    internal void ReleaseAllHeldBy(TaskStruct task)
    {
        lock (gate)
        {
            for (int i = task.HeldLocks.Count - 1; i >= 0; i--)
            {
                var held = task.HeldLocks[i];
                Drop(held.Lock, held.Shared, task);
            }

            Monitor.PulseAll(gate);
        }
    }

    internal void WakeAll()
    {
        lock (gate)
        {
            Monitor.PulseAll(gate);
        }
    }

    private static bool CanTake(KernelLock @lock, bool shared) =>
        @lock.Owner is null && (shared || @lock.Readers.Count == 0);

    private void Take(KernelLock @lock, bool shared, TaskStruct task)
    {
        task.AcquiredAt[@lock] = machine.Tick();
        if (shared)
        {
            @lock.Readers.Add(task);
        }
        else
        {
            @lock.Owner = task;
        }

        task.HeldLocks.Add(new HeldLock(@lock, shared));
    }

    private static void Drop(KernelLock @lock, bool shared, TaskStruct task)
    {
        if (shared)
        {
            @lock.Readers.Remove(task);
        }
        else if (@lock.Owner == task)
        {
            @lock.Owner = null;
        }

        int index = task.HeldLocks.LastIndexOf(new HeldLock(@lock, shared));
        if (index >= 0)
        {
            task.HeldLocks.RemoveAt(index);
        }
    }

    private static string DescribeHolders(KernelLock @lock)
    {
        if (@lock.Owner is { } owner)
        {
            return owner.ToString();
        }

        return string.Join(", ", @lock.Readers);
    }

    private static string RecursiveLockingText(KernelLock @lock, TaskStruct task, string function) =>
        "============================================\n"
        + "WARNING: possible recursive locking detected\n"
        + "--------------------------------------------\n"
        + $"{task.Name}/{task.Pid} is trying to acquire lock:\n ({@lock.Name}) at: {function}\n"
        + $"but task is already holding lock:\n ({@lock.Name})\n\n"
        + "*** DEADLOCK ***";

    // Taking a lock this task already holds: a read inside a read is the might_lock_read() case and
    // lockdep still warns (rwsem readers are not recursive: a queued writer blocks the second read);
    // anything that needs exclusive ownership would wait forever.
    private void CheckRecursion(KernelLock @lock, bool shared, TaskStruct task, string function)
    {
        if (!@lock.IsHeldBy(task))
        {
            return;
        }

        string text = RecursiveLockingText(@lock, task, function);
        bool wouldBlockForever = !shared || @lock.Owner == task;
        if (wouldBlockForever)
        {
            throw machine.Log.Fatal(ReportKind.Deadlock, text, task);
        }

        machine.Log.Warn(ReportKind.Deadlock, text, task);
    }

    private void CheckOrder(KernelLock @lock, bool shared, TaskStruct task)
    {
        foreach (var held in task.HeldLocks)
        {
            if (held.Lock == @lock)
            {
                continue;
            }

            if (order.Contains((@lock, held.Lock)) && !(shared && held.Shared))
            {
                var text = new StringBuilder()
                    .Append("======================================================\n")
                    .Append("WARNING: possible circular locking dependency detected\n")
                    .Append("------------------------------------------------------\n")
                    .Append($"{task.Name}/{task.Pid} is trying to acquire lock:\n ({@lock.Name})\n")
                    .Append($"but task is already holding lock:\n ({held.Lock.Name})\n")
                    .Append($"which lock already depends on the new lock: another task took ({@lock.Name}) then ({held.Lock.Name}).\n\n")
                    .Append(" Possible unsafe locking scenario:\n\n")
                    .Append("       CPU0                    CPU1\n")
                    .Append("       ----                    ----\n")
                    .Append($"  lock({held.Lock.Name});\n")
                    .Append($"                               lock({@lock.Name});\n")
                    .Append($"                               lock({held.Lock.Name});\n")
                    .Append($"  lock({@lock.Name});\n\n")
                    .Append(" *** DEADLOCK ***");
                machine.Log.Warn(ReportKind.Deadlock, text.ToString(), task);
            }

            order.Add((held.Lock, @lock));
        }
    }

    // A real deadlock: following "waits for a lock held by" from the lock we wait for leads back to us.
    private void CheckWaitCycle(KernelLock @lock, TaskStruct task)
    {
        var seen = new HashSet<TaskStruct>();
        var pending = new Stack<KernelLock>();
        pending.Push(@lock);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            foreach (var holder in Holders(next))
            {
                if (holder == task)
                {
                    throw machine.Log.Fatal(
                        ReportKind.Deadlock,
                        "======================================================\n"
                        + "WARNING: circular locking deadlock detected\n"
                        + $"{task.Name}/{task.Pid} waits for ({@lock.Name}) held by {DescribeHolders(@lock)}, which waits, through the chain, for a lock {task.Name}/{task.Pid} holds\n\n"
                        + " *** DEADLOCK ***",
                        task);
                }

                if (seen.Add(holder) && holder.WaitingFor is { } waitedOn)
                {
                    pending.Push(waitedOn);
                }
            }
        }
    }

    private static IEnumerable<TaskStruct> Holders(KernelLock @lock)
    {
        if (@lock.Owner is { } owner)
        {
            yield return owner;
        }

        foreach (var reader in @lock.Readers)
        {
            yield return reader;
        }
    }
}
