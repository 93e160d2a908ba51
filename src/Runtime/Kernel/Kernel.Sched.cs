using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

/// <summary>
/// The kernel API that simulator code calls, split across files the way the kernel splits its
/// headers. <c>using static UserAccess.Runtime.Kernel;</c> makes translated code read like the original.
/// </summary>
public static partial class Kernel
{
    /// <summary><c>current</c>: the task running on this thread (inside <see cref="TaskStruct.Run"/>).</summary>
    public static TaskStruct Current => Scheduler.Current;

    /// <summary><c>preempt_disable()</c>: enters atomic context (nests).</summary>
    [EntersRegion(Region.Atomic)]
    public static void PreemptDisable() => Scheduler.Current.PreemptCount++;

    /// <summary><c>preempt_enable()</c>: leaves atomic context; an underflow is reported.</summary>
    [ExitsRegion(Region.Atomic)]
    public static void PreemptEnable()
    {
        var task = Scheduler.Current;
        if (task.PreemptCount == 0)
        {
            task.Machine.Log.Warn(ReportKind.Imbalance, $"WARNING: preempt_count underflow: preempt_enable() without preempt_disable(), pid: {task.Pid}, name: {task.Name}", task);
            return;
        }

        task.PreemptCount--;
    }

    /// <summary>
    /// <c>local_irq_disable()</c>: interrupts off (nests in the simulator). Sleeping now is the
    /// might_sleep BUG, but <see cref="InAtomic"/> stays <c>false</c> and faults are still handled:
    /// <c>in_atomic()</c> reads only the preempt count.
    /// </summary>
    [EntersRegion(Region.Atomic)]
    public static void LocalIrqDisable() => Scheduler.Current.IrqDisableDepth++;

    /// <summary><c>local_irq_enable()</c>; enabling interrupts that were not disabled is reported.</summary>
    [ExitsRegion(Region.Atomic)]
    public static void LocalIrqEnable()
    {
        var task = Scheduler.Current;
        if (task.IrqDisableDepth == 0)
        {
            task.Machine.Log.Warn(ReportKind.Imbalance, $"WARNING: local_irq_enable() with interrupts already enabled, pid: {task.Pid}, name: {task.Name}", task);
            return;
        }

        task.IrqDisableDepth--;
    }

    /// <summary>
    /// <c>in_atomic()</c>: <c>preempt_count() != 0</c> (preemption disabled, a spinlock held).
    /// Interrupts off alone do not count, as in linux/preempt.h; use <see cref="IrqsDisabled"/> for them.
    /// </summary>
    public static bool InAtomic() => Scheduler.Current.InAtomic;

    /// <summary><c>irqs_disabled()</c>.</summary>
    public static bool IrqsDisabled() => Scheduler.Current.IrqDisableDepth > 0;

    /// <summary><c>pagefault_disable()</c>: user accesses fail fast instead of handling faults (nests).</summary>
    [EntersRegion(Region.Nofault)]
    public static void PagefaultDisable() => Scheduler.Current.PagefaultDisabledCount++;

    /// <summary><c>pagefault_enable()</c>; an enable without its disable is reported.</summary>
    [ExitsRegion(Region.Nofault)]
    public static void PagefaultEnable()
    {
        var task = Scheduler.Current;
        if (task.PagefaultDisabledCount == 0)
        {
            task.Machine.Log.Warn(ReportKind.Imbalance, $"WARNING: pagefault_enable() without pagefault_disable(), pid: {task.Pid}, name: {task.Name}", task);
            return;
        }

        task.PagefaultDisabledCount--;
    }

    /// <summary><c>pagefault_disabled()</c>.</summary>
    public static bool PagefaultDisabled() => Scheduler.Current.PagefaultDisabledCount > 0;

    /// <summary><c>faulthandler_disabled()</c>: page faults disabled or in atomic context; a fault then fails fast.</summary>
    public static bool FaulthandlerDisabled()
    {
        var task = Scheduler.Current;
        return task.PagefaultDisabledCount > 0 || task.InAtomic;
    }

    /// <summary><c>pagefault_disable()</c> as a scope: <c>using (Kernel.NoFault()) { ... }</c> re-enables on every exit.</summary>
    [EntersRegion(Region.Nofault)]
    public static NofaultScope NoFault()
    {
        var task = Scheduler.Current;
        task.PagefaultDisabledCount++;
        return new NofaultScope(task);
    }

    /// <summary><c>might_sleep()</c>: reports when called in atomic context.</summary>
    [MightSleep]
    public static void MightSleep() => Scheduler.MightSleep("might_sleep");

    /// <summary><c>cond_resched()</c>: a voluntary scheduling point; may sleep.</summary>
    [MightSleep]
    public static void CondResched()
    {
        Scheduler.MightSleep("cond_resched");
        Scheduler.Yield("cond_resched");
    }

    /// <summary><c>schedule()</c>: gives up the CPU; may sleep.</summary>
    [MightSleep]
    public static void Schedule()
    {
        Scheduler.MightSleep("schedule");
        Scheduler.Yield("schedule");
    }

    /// <summary><c>msleep()</c>: sleeps (the simulator only yields: simulated time is not wall time).</summary>
    [MightSleep]
    public static void Msleep(int ms)
    {
        Scheduler.MightSleep("msleep");
        Scheduler.Yield("msleep");
    }

    /// <summary>
    /// <c>fatal_signal_pending(current)</c>: SIGKILL is pending (linux/sched/signal.h
    /// <c>__fatal_signal_pending()</c> tests only SIGKILL). A forced SIGSEGV is pending but not fatal here.
    /// Test it in loops over caller-sized user buffers and before retrying after a fault; return <c>-EINTR</c>.
    /// </summary>
    [FatalSignalCheck]
    public static bool FatalSignalPending() => Scheduler.Current.FatalSignalPending;

    /// <summary><c>signal_pending(current)</c>: any signal pending, so also true when a fatal one is
    /// (<c>fatal_signal_pending()</c> is <c>signal_pending() &amp;&amp; __fatal_signal_pending()</c>).</summary>
    [FatalSignalCheck(AnySignal = true)]
    public static bool SignalPending() => Scheduler.Current.SignalPending;

    /// <summary>
    /// <c>force_sig()</c>: makes <paramref name="signal"/> pending for <c>current</c>, unblockable. Only
    /// SIGKILL makes <see cref="FatalSignalPending"/> true: a forced SIGSEGV (a coredump signal) kills
    /// the task when it returns to user mode, but a killable wait does not see it as fatal.
    /// </summary>
    public static void ForceSig(Signal signal) =>
        Scheduler.Current.DeliverSignal(signal, fatal: signal == Signal.SIGKILL);

    /// <summary>
    /// <c>kmalloc()</c>: a kernel buffer of <paramref name="size"/> bytes; sleeps when <paramref name="flags"/>
    /// allow direct reclaim, and is then a voluntary scheduling point.
    /// </summary>
    [MightSleep(FlagsParameter = "flags", SleepFlags = (long)Gfp.DirectReclaim)]
    public static byte[] Kmalloc(int size, Gfp flags)
    {
        if ((flags & Gfp.DirectReclaim) != 0)
        {
            Scheduler.MightSleep("kmalloc");

            // might_alloc()'s might_sleep() is might_resched() under voluntary preemption, and reclaim
            // itself reschedules: another task (or user space) may run before the buffer is returned,
            // the window of the double fetches that copy a header, allocate, and copy again.
            if (!Scheduler.Current.MayNotSleep)
            {
                Scheduler.Yield("kmalloc");
            }
        }

        return new byte[size < 0 ? 0 : size];
    }
}
