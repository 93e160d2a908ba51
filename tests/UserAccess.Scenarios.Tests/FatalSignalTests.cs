using Scenarios.Harness;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;

namespace UserAccess.Scenarios.Tests;

/// <summary>The fixed code leaves at once with -EINTR when the task has been killed.</summary>
public class FatalSignalTests
{
    [Theory]
    [InlineData("X86_64")]
    [InlineData("PowerPC64BE")]
    public void Fixed_generic_perform_write_of_a_killed_task_returns_EINTR(string arch)
    {
        var machine = Sim.NewMachine(Sim.ArchByName(arch));
        var mm = machine.CreateProcess();
        var file = new SimFile(machine, "data", machine.Arch.PageSize);
        var buf = mm.Mmap((ulong)machine.Arch.PageSize, Prot.Read | Prot.Write);
        var task = mm.CreateTask("writer");
        task.SendSignal(Signal.SIGKILL);

        long written = 0;
        int ret = task.Run(() =>
        {
            written = global::Scenarios.Fixed.Filemap.GenericPerformWrite(file, 0, buf, 16);
            return 0;
        });

        Assert.Equal(0, ret);
        Assert.Equal(-EINTR, written);
        Assert.Empty(machine.Reports);
    }

    [Theory]
    [InlineData("X86_64")]
    [InlineData("Arm64")]
    public void Fixed_xchg_user_64_of_a_killed_task_returns_EINTR_after_a_fault(string arch)
    {
        var machine = Sim.NewMachine(Sim.ArchByName(arch));
        var mm = machine.CreateProcess();
        var page = mm.Mmap((ulong)machine.Arch.PageSize, Prot.Read | Prot.Write);
        var task = mm.CreateTask("umcg-server");
        task.SendSignal(Signal.SIGKILL);

        int ret = task.Run(() => global::Scenarios.Fixed.Umcg.XchgUser64(page.Cast<ulong>(), 1, out _));

        Assert.Equal(-EINTR, ret);
        Assert.Equal(PageState.NotPresent, mm.GetPageState(page));
        Assert.Empty(machine.Reports);
    }

    [Theory]
    [InlineData("X86_64")]
    [InlineData("PowerPC64BE")]
    public void Fixed_user_events_enabler_of_a_killed_task_returns_EINTR_after_a_fault(string arch)
    {
        var machine = Sim.NewMachine(Sim.ArchByName(arch));
        var mm = machine.CreateProcess();
        var page = mm.Mmap((ulong)machine.Arch.PageSize, Prot.Read | Prot.Write);
        var task = mm.CreateTask("user-events");
        task.SendSignal(Signal.SIGKILL);

        int ret = task.Run(() => global::Scenarios.Fixed.UserEvents.EnablerSetBit(page, 8, 63));

        Assert.Equal(-EINTR, ret);
        Assert.Empty(machine.Reports);
    }
}
