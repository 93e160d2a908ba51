using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;

namespace UserAccess.Runtime;

/// <summary>
/// A task (<c>struct task_struct</c>): its own preempt count, pagefault-disabled count, irq state,
/// held locks and pending signals. <see cref="Run"/> executes code as this task.
/// </summary>
public sealed class TaskStruct
{
    /// <summary>
    /// What <see cref="Run"/> returns when a dynamic check unwound the task in Record mode (see <see cref="Oops"/>):
    /// <see cref="int.MinValue"/>, a value no kernel function returns (not an errno, which lies in -4095..-1,
    /// nor a count), so it cannot be mistaken for the code's own result. Compare with <see cref="Killed"/>.
    /// </summary>
    public const int Killed = int.MinValue;

    // Pending signals as a bitmask by signal number; written by other threads.
    private long pendingSignals;
    private volatile bool fatalSignal;
    private int running;
    private KernelLock? waitingFor;
    private SoftTlb? tlb;

    internal TaskStruct(Mm mm, string name)
    {
        Mm = mm;
        Name = name;
        Pid = mm.Machine.AllocatePid();
    }

    /// <summary>The task's name (<c>comm</c>).</summary>
    public string Name { get; }

    /// <summary>The task's id.</summary>
    public int Pid { get; }

    /// <summary>The address space the task runs in.</summary>
    public Mm Mm { get; }

    /// <summary>The machine the task runs on.</summary>
    public Machine Machine => Mm.Machine;

    /// <summary>The report that unwound the task in Record mode, if one did.</summary>
    public Report? Oops { get; private set; }

    /// <summary><c>preempt_count()</c>: preempt-disable depth, including spinlocks held.</summary>
    internal int PreemptCount { get; set; }

    /// <summary><c>current->pagefault_disabled</c>: nesting depth of <c>pagefault_disable()</c>.</summary>
    internal int PagefaultDisabledCount { get; set; }

    /// <summary>Nesting depth of <c>local_irq_disable()</c>.</summary>
    internal int IrqDisableDepth { get; set; }

    /// <summary>The locks this task holds, in the order taken (lockdep's <c>held_locks</c>).</summary>
    internal List<HeldLock> HeldLocks { get; } = new();

    /// <summary>The lock this task is blocked on, for the wait-for graph; guarded by <see cref="Lockdep"/>.</summary>
    internal KernelLock? WaitingFor
    {
        get => Volatile.Read(ref waitingFor);
        set => Volatile.Write(ref waitingFor, value);
    }

    /// <summary>
    /// The lock this task is waiting for right now, or <c>null</c> (what <c>/proc/PID/wchan</c>
    /// shows): lets a test that forces an interleaving know that the other task is blocked.
    /// </summary>
    public KernelLock? BlockedOn => WaitingFor;

    /// <summary>When (on the machine's clock) this task last took each lock; read only on its own thread.</summary>
    internal Dictionary<KernelLock, long> AcquiredAt { get; } = new();

    /// <summary>The task's software TLB, made on its first user access.</summary>
    internal SoftTlb Tlb => tlb ?? CreateTlb();

    /// <summary>Fault injection attached to this task (the explorer's), or <c>null</c>.</summary>
    internal TaskHooks? Hooks { get; set; }

    /// <summary>Per-task fault bookkeeping the livelock detector reads.</summary>
    internal LivelockTracker Livelock { get; } = new();

    /// <summary><c>in_atomic()</c>: <c>preempt_count() != 0</c>, exactly; interrupts off alone is not atomic.</summary>
    internal bool InAtomic => PreemptCount > 0;

    /// <summary>What <c>__might_sleep()</c> complains about: atomic context, or interrupts off.</summary>
    internal bool MayNotSleep => PreemptCount > 0 || IrqDisableDepth > 0;

    internal bool FatalSignalPending => fatalSignal;

    internal bool SignalPending => Interlocked.Read(ref pendingSignals) != 0;

    /// <summary>
    /// Runs <paramref name="body"/> as this task on the calling thread and returns its result
    /// (<see cref="Killed"/>, that is <see cref="int.MinValue"/>, if a dynamic check unwound it in Record mode). A task that returns still
    /// holding a lock, or with preemption or page faults disabled, is reported as an imbalance.
    /// </summary>
    public int Run(Func<int> body)
    {
        if (body is null)
        {
            throw new ArgumentNullException(nameof(body));
        }

        if (Interlocked.Exchange(ref running, 1) != 0)
        {
            throw new InvalidOperationException($"task {Name}:{Pid} is already running");
        }

        var previous = Scheduler.CurrentOrNull;
        Scheduler.CurrentOrNull = this;
        bool returnedNormally = false;
        try
        {
            int result = body();
            returnedNormally = true;
            CheckBalancedOnReturn();
            return result;
        }
        catch (TaskUnwoundException e)
        {
            Oops = e.Report;
            return Killed;
        }
        finally
        {
            if (!returnedNormally)
            {
                // An unwound task must not leave locks held: other tasks would hang behind it.
                ReleaseEverything();
            }

            Scheduler.CurrentOrNull = previous;
            Volatile.Write(ref running, 0);
        }
    }

    /// <summary>Makes <paramref name="signal"/> pending; <see cref="Signal.SIGKILL"/> is fatal and wakes killable waits.</summary>
    public void SendSignal(Signal signal)
    {
        DeliverSignal(signal, fatal: signal == Signal.SIGKILL);
    }

    internal void DeliverSignal(Signal signal, bool fatal)
    {
        long bit = 1L << (int)signal;
        long old;
        do
        {
            old = Interlocked.Read(ref pendingSignals);
        }
        while (Interlocked.CompareExchange(ref pendingSignals, old | bit, old) != old);

        if (fatal)
        {
            fatalSignal = true;
        }

        Machine.Lockdep.WakeAll();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}:{Pid}";

    // Out of line, so that the getter inlines into every user access.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private SoftTlb CreateTlb() => tlb = new SoftTlb(Mm);

    private void CheckBalancedOnReturn()
    {
        if (HeldLocks.Count == 0 && PreemptCount == 0 && PagefaultDisabledCount == 0 && IrqDisableDepth == 0)
        {
            return;
        }

        var text = new StringBuilder();
        if (HeldLocks.Count > 0)
        {
            text.Append("WARNING: lock held when returning to user space!\n");
            text.Append($"{Name}/{Pid} is leaving the kernel with locks still held!\n");
            foreach (var held in HeldLocks)
            {
                text.Append($" #{HeldLocks.IndexOf(held)}: ({held.Lock.Name}){{{(held.Shared ? "++++" : "+.+.")}}}\n");
            }
        }

        if (PreemptCount > 0 || IrqDisableDepth > 0)
        {
            text.Append($"BUG: scheduling while atomic: {Name}/{Pid}/0x{PreemptCount:x8}\n");
        }

        if (PagefaultDisabledCount > 0)
        {
            text.Append($"BUG: {Name}/{Pid} returned to user space with pagefault_disabled={PagefaultDisabledCount}\n");
        }

        ReleaseEverything();
        Machine.Log.Warn(ReportKind.Imbalance, text.ToString().TrimEnd('\n'), this);
    }

    private void ReleaseEverything()
    {
        Machine.Lockdep.ReleaseAllHeldBy(this);
        PreemptCount = 0;
        PagefaultDisabledCount = 0;
        IrqDisableDepth = 0;
    }
}
