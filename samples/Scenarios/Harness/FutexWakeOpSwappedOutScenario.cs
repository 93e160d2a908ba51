using System.Collections.Generic;
using System.Linq;
using UserAccess.Runtime;
using static Scenarios.FutexCore;

namespace Scenarios.Harness;

/// <summary>
/// Seed 4, the control row: <c>FUTEX_WAKE_OP</c> whose second futex was swapped out. The op faults
/// under the bucket locks, the fault-in swaps the page in, the retry applies the op; one waiter on
/// each futex is woken. Both variants do this (the bug needs a fault that fault-in cannot fix).
/// </summary>
public sealed class FutexWakeOpSwappedOutScenario : Scenario
{
    /// <inheritdoc/>
    public override string Name => "futex_wake_op swapped-out uaddr2";

    /// <inheritdoc/>
    public override string Source => "kernel/futex/waitwake.c futex_wake_op(): the retry after a fault that fault-in fixes";

    /// <inheritdoc/>
    public override IReadOnlyList<Arch> Archs => Sim.AllArchs;

    /// <inheritdoc/>
    public override string KernelOutcome(Arch arch, Variant expectation) =>
        "fault, swap-in, retry: *uaddr2 = 1, old 0 == 0: wakes 1 + 1, returns 2";

    /// <inheritdoc/>
    protected override Outcome Execute(Arch arch, KernelCode code, Row row)
    {
        var machine = Sim.NewMachine(arch);
        var mm = machine.CreateProcess();
        ulong pageSize = (ulong)arch.PageSize;
        var futexPage = mm.Mmap(pageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        var uaddr1 = futexPage.Cast<uint>();
        var page2 = mm.Mmap(pageSize, Prot.Read | Prot.Write);
        var uaddr2 = (page2 + 0x10).Cast<uint>();
        mm.UserWrite(uaddr2, Sim.Encode(arch, 0, sizeof(uint)));
        mm.SwapOut(page2, pageSize);
        var task = mm.CreateTask("futex-waker");

        int ret = task.Run(() =>
        {
            // One task already waits on each futex (futex_wait() queued it in its bucket).
            FutexHash(uaddr1.Address).Waiters.Add(uaddr1.Address);
            FutexHash(uaddr2.Address).Waiters.Add(uaddr2.Address);
            return code.FutexWakeOp(uaddr1, uaddr2, 1, 1, FutexWakeOpScenario.Op);
        });

        var reports = machine.Reports;
        var kinds = Sim.Kinds(reports);
        bool unwound = ret == TaskStruct.Killed;
        var bytes = Sim.UserRead(mm, uaddr2, sizeof(uint));
        ulong seen = Sim.Decode(arch, bytes);

        string simulator = unwound
            ? $"{Sim.Describe(reports)}; task unwound"
            : $"returns {Sim.Ret(ret)}; *uaddr2 = {seen}; {Sim.Describe(reports)}";
        bool agrees = !unwound && ret == 2 && seen == 1 && kinds.Count == 0;

        return row.Make(simulator, agrees) with
        {
            Result = unwound ? null : ret,
            TaskUnwound = unwound,
            Reports = kinds,
            FirstReport = reports.FirstOrDefault()?.Message,
            ReportLines = Sim.FirstLines(reports),
            UserBytes = bytes,
        };
    }
}
