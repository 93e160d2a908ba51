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

    [Fact]
    public void IrqsOffIsAtomicAndTheSplatSaysSo()
    {
        var (machine, task) = NewTask();
        task.Run(() =>
        {
            LocalIrqDisable();
            Assert.True(InAtomic());
            Assert.True(IrqsDisabled());
            Schedule();
            LocalIrqEnable();
            return 0;
        });

        Assert.Contains("irqs_disabled(): 1", Assert.Single(machine.Reports).Message);
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

    [Fact]
    public void FatalSignalsAreSigkillAndForcedSigsegvOnly()
    {
        var (_, task) = NewTask();
        task.SendSignal(Signal.SIGUSR1);
        task.Run(() =>
        {
            Assert.True(SignalPending());
            Assert.False(FatalSignalPending());
            ForceSig(Signal.SIGSEGV);
            Assert.True(FatalSignalPending());
            return 0;
        });
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
