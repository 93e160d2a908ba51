using System;
using System.Linq;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Sched;

public class ContextTests
{
    private static (Machine Machine, TaskStruct Task) NewTask(ReportAction action = ReportAction.Record)
    {
        var machine = new Machine(Arch.X86_64, new MachineOptions { OnReport = action });
        var mm = machine.CreateProcess();
        return (machine, mm.CreateTask("t"));
    }

    [Fact]
    public void SleepingUnderPreemptDisableIsReportedWithTheKernelSplat()
    {
        var (machine, task) = NewTask();
        task.Run(() =>
        {
            PreemptDisable();
            Msleep(1);
            PreemptEnable();
            return 0;
        });

        var report = Assert.Single(machine.Reports);
        Assert.Equal(ReportKind.SleepInAtomic, report.Kind);
        Assert.StartsWith("BUG: sleeping function called from invalid context at msleep", report.Message);
        Assert.Contains($"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: {task.Pid}, name: t", report.Message);
        Assert.Contains("preempt_count: 1, expected: 0", report.Message);
    }

    [Fact]
    public void SleepingWithOnlyPageFaultsDisabledIsAllowed()
    {
        // pagefault_disable() no longer raises the preempt count: sleeping there is legal.
        var (machine, task) = NewTask();
        task.Run(() =>
        {
            PagefaultDisable();
            Assert.True(FaulthandlerDisabled());
            Assert.False(InAtomic());
            Msleep(1);
            PagefaultEnable();
            return 0;
        });

        Assert.Empty(machine.Reports);
    }

    // include/linux/preempt.h: #define in_atomic() (preempt_count() != 0). Interrupts off do not
    // count, but kernel/sched/core.c __might_sleep() / __might_resched() still complain when
    // irqs_disabled(), and print "in_atomic(): 0, irqs_disabled(): 1".
    [Fact]
    public void IrqsOffIsNotInAtomicButSleepingThereIsStillTheMightSleepBug()
    {
        var (machine, task) = NewTask();
        task.Run(() =>
        {
            LocalIrqDisable();
            Assert.False(InAtomic());
            Assert.False(FaulthandlerDisabled());
            Assert.True(IrqsDisabled());
            Schedule();
            LocalIrqEnable();
            return 0;
        });

        var report = Assert.Single(machine.Reports);
        Assert.Equal(ReportKind.SleepInAtomic, report.Kind);
        Assert.Contains("in_atomic(): 0, irqs_disabled(): 1", report.Message);
    }

    [Fact]
    public void PreemptDisableAndASpinlockAreInAtomic()
    {
        var (machine, task) = NewTask();
        var spinlock = new KernelSpinlock(machine, "s");
        task.Run(() =>
        {
            Assert.False(InAtomic());
            PreemptDisable();
            Assert.True(InAtomic());
            Assert.True(FaulthandlerDisabled());
            PreemptEnable();
            spinlock.Lock();
            Assert.True(InAtomic());
            spinlock.Unlock();
            Assert.False(InAtomic());
            return 0;
        });

        Assert.Empty(machine.Reports);
    }

    // With irqs off but preemption on, faulthandler_disabled() is false: a copy still takes the
    // fault path (and might_fault() complains that it may sleep), it does not fail fast.
    [Fact]
    public void WithOnlyIrqsOffACopyStillResolvesTheFault()
    {
        var (machine, task) = NewTask();
        var p = task.Mm.Mmap(4096, Prot.Read | Prot.Write);
        int left = task.Run(() =>
        {
            LocalIrqDisable();
            int notCopied = CopyToUser(p, new byte[] { 1, 2, 3 });
            LocalIrqEnable();
            return notCopied;
        });

        Assert.Equal(0, left);
        Assert.Equal(ReportKind.SleepInAtomic, Assert.Single(machine.Reports).Kind);
        Assert.Equal(PageState.Writable, task.Mm.GetPageState(p));
    }

    [Fact]
    public void GfpAtomicDoesNotSleepButGfpKernelDoes()
    {
        var (machine, task) = NewTask();
        task.Run(() =>
        {
            PreemptDisable();
            Assert.Equal(16, Kmalloc(16, Gfp.Atomic).Length);
            Assert.Empty(machine.Reports);
            _ = Kmalloc(16, Gfp.Kernel);
            PreemptEnable();
            return 0;
        });

        Assert.Equal(ReportKind.SleepInAtomic, Assert.Single(machine.Reports).Kind);
    }

    [Fact]
    public void KmallocThatMaySleepIsASchedulingPointAndAnAtomicOneIsNot()
    {
        // might_sleep() reschedules under voluntary preemption; kmalloc(GFP_ATOMIC) and a
        // kmalloc(GFP_KERNEL) in atomic context (already a bug) never give the CPU away.
        var points = new System.Collections.Generic.List<string>();
        var machine = new Machine(Arch.X86_64, new MachineOptions { OnReport = ReportAction.Record, SchedulingPoint = (_, function) => points.Add(function) });
        machine.CreateProcess().CreateTask("t").Run(() =>
        {
            _ = Kmalloc(16, Gfp.Atomic);
            _ = Kmalloc(16, Gfp.NoWait);
            PreemptDisable();
            _ = Kmalloc(16, Gfp.Kernel);
            PreemptEnable();
            _ = Kmalloc(16, Gfp.Kernel);
            CondResched();
            return 0;
        });

        Assert.Equal(new[] { "kmalloc", "cond_resched" }, points);
        Assert.Equal(ReportKind.SleepInAtomic, Assert.Single(machine.Reports).Kind);
    }

    [Fact]
    public void ThrowModeThrowsKernelBugException()
    {
        var (_, task) = NewTask(ReportAction.Throw);
        var e = Assert.Throws<KernelBugException>(() => task.Run(() =>
        {
            PreemptDisable();
            CondResched();
            return 0;
        }));
        Assert.Equal(ReportKind.SleepInAtomic, e.Report.Kind);
    }

    [Fact]
    public void NofaultScopeNestsAndRestores()
    {
        var (machine, task) = NewTask();
        task.Run(() =>
        {
            using (NoFault())
            {
                using (NoFault())
                {
                    Assert.True(PagefaultDisabled());
                }

                Assert.True(PagefaultDisabled());
            }

            Assert.False(PagefaultDisabled());
            return 0;
        });

        Assert.Empty(machine.Reports);
    }

    [Theory]
    [InlineData("preempt", "preempt_count underflow")]
    [InlineData("pagefault", "pagefault_enable() without pagefault_disable()")]
    [InlineData("irq", "local_irq_enable() with interrupts already enabled")]
    public void EnableWithoutDisableIsAnImbalance(string what, string expected)
    {
        var (machine, task) = NewTask();
        task.Run(() =>
        {
            switch (what)
            {
                case "preempt": PreemptEnable(); break;
                case "pagefault": PagefaultEnable(); break;
                default: LocalIrqEnable(); break;
            }

            return 0;
        });

        var report = Assert.Single(machine.Reports);
        Assert.Equal(ReportKind.Imbalance, report.Kind);
        Assert.Contains(expected, report.Message);
    }

    [Fact]
    public void ReturningWithFaultsDisabledIsAnImbalanceAndTheStateIsReset()
    {
        var (machine, task) = NewTask();
        task.Run(() =>
        {
            PagefaultDisable();
            return 0;
        });

        Assert.Contains("pagefault_disabled=1", Assert.Single(machine.Reports).Message);
        task.Run(() =>
        {
            Assert.False(PagefaultDisabled());
            return 0;
        });
        Assert.Single(machine.Reports);
    }

    // include/linux/sched/signal.h __fatal_signal_pending(): sigismember(&p->pending.signal, SIGKILL),
    // nothing else. force_sig(SIGSEGV) (kernel/signal.c) queues a coredump signal: pending, it
    // kills the task on its way back to user mode, but a killable wait does not wake for it.
    [Fact]
    public void OnlySigkillIsAFatalSignalAForcedSigsegvIsOnlyPending()
    {
        var (_, task) = NewTask();
        task.SendSignal(Signal.SIGUSR1);
        task.Run(() =>
        {
            Assert.True(SignalPending());
            Assert.False(FatalSignalPending());
            ForceSig(Signal.SIGSEGV);
            Assert.True(SignalPending());
            Assert.False(FatalSignalPending());
            ForceSig(Signal.SIGKILL);
            Assert.True(FatalSignalPending());
            return 0;
        });
    }

    [Fact]
    public void AForcedSigsegvDoesNotInterruptAKillableWait()
    {
        var (machine, task) = NewTask();
        var mutex = new KernelMutex(machine, "m");
        var holder = task.Mm.CreateTask("holder");
        using var held = new System.Threading.ManualResetEventSlim();
        var thread = new System.Threading.Thread(() => holder.Run(() =>
        {
            mutex.Lock();
            held.Set();
            System.Threading.Thread.Sleep(200);
            mutex.Unlock();
            return 0;
        }))
        {
            IsBackground = true,
        };
        thread.Start();
        Assert.True(held.Wait(System.TimeSpan.FromSeconds(20)), "the holder did not take the mutex");
        int rc = task.Run(() =>
        {
            ForceSig(Signal.SIGSEGV);
            int ret = mutex.LockKillable();
            if (ret == 0)
            {
                mutex.Unlock();
            }

            return ret;
        });
        Assert.True(thread.Join(System.TimeSpan.FromSeconds(20)), "the holder did not finish");

        Assert.Equal(0, rc);
        Assert.Empty(machine.Reports);
    }

    [Fact]
    public void KernelFunctionsOutsideATaskThrow()
    {
        Assert.Throws<InvalidOperationException>(() => PreemptDisable());
    }

    [Fact]
    public void RunReturnsTheBodyResult()
    {
        var (_, task) = NewTask();
        Assert.Equal(-Errno.EFAULT, task.Run(() => -Errno.EFAULT));
        TaskStruct? seen = null;
        task.Run(() =>
        {
            seen = Current;
            return 0;
        });
        Assert.Same(task, seen);
    }
}
