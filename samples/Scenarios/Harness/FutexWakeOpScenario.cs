using System;
using System.Collections.Generic;
using System.Linq;
using UserAccess.Runtime;
using static Scenarios.FutexCore;
using static UserAccess.Runtime.Errno;

namespace Scenarios.Harness;

/// <summary>
/// Seed 4: <c>FUTEX_WAKE_OP</c> whose second futex lies on an unmapped page: the op faults, and
/// no fault-in can ever fix it.
/// </summary>
public sealed partial class FutexWakeOpScenario : Scenario
{
    /// <summary>
    /// How long the harness lets a loop spin before it calls it a hang. The simulator's livelock
    /// check should end the buggy loop long before; a hang therefore disagrees with the expectation.
    /// </summary>
    public static TimeSpan Watchdog { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)</c>.</summary>
    public static uint Op => FUTEX_OP(FutexOp.Set, 1, FUTEX_OP_CMP_EQ, 0);

    /// <inheritdoc/>
    public override string Name => "futex_wake_op";

    /// <inheritdoc/>
    public override string Source => "kernel/futex/waitwake.c futex_wake_op() / futex_atomic_op_inuser() on an unmapped uaddr2";

    /// <inheritdoc/>
    public override IReadOnlyList<Arch> Archs => Sim.AllArchs;

    /// <inheritdoc/>
    public override string KernelOutcome(Arch arch, Variant expectation) =>
        expectation == Variant.Buggy
            ? "fault-in fails, result ignored: loops forever (soft lockup; no signal check: unkillable)"
            : "-EFAULT: fault_in_user_writeable() fails, error returned; no hang";

    /// <inheritdoc/>
    protected override Outcome Execute(Arch arch, KernelCode code, Row row)
    {
        var machine = Sim.NewMachine(arch);
        var mm = machine.CreateProcess();
        ulong pageSize = (ulong)arch.PageSize;
        var futexPage = mm.Mmap(pageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        var uaddr1 = futexPage.Cast<uint>();

        // uaddr2: a page that was mapped and is gone (munmap), so no VMA covers it.
        var gone = mm.Mmap(pageSize, Prot.Read | Prot.Write);
        mm.Munmap(gone, pageSize);
        var uaddr2 = gone.Cast<uint>();

        var task = mm.CreateTask("futex-waker");
        int? ret = Sim.RunWithWatchdog(
            task,
            () => code.FutexWakeOp(uaddr1, uaddr2, 1, 1, Op),
            Watchdog,
            // The loop spins until the page exists: map it, so the op succeeds and the task returns.
            () => mm.Mmap(pageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, gone),
            out bool hung);

        var reports = machine.Reports;
        var kinds = Sim.Kinds(reports);
        bool unwound = ret == TaskStruct.Killed;

        string simulator;
        bool agrees;
        if (hung)
        {
            simulator = $"still spinning after {Watchdog.TotalSeconds:0.#} s, {Sim.Describe(reports)} (released by mapping the page)";
            agrees = false;
        }
        else if (unwound)
        {
            simulator = $"{Sim.Describe(reports)}; task unwound";
            agrees = row.Expectation == Variant.Buggy && kinds.Contains(ReportKind.Livelock);
        }
        else
        {
            simulator = $"{Sim.Ret(ret!.Value)}; {Sim.Describe(reports)}";
            agrees = row.Expectation == Variant.Fixed && ret == -EFAULT && kinds.Count == 0;
        }

        return row.Make(simulator, agrees) with
        {
            Result = hung || unwound ? null : ret,
            TaskUnwound = unwound,
            Hung = hung,
            Reports = kinds,
            FirstReport = reports.FirstOrDefault()?.Message,
            ReportLines = Sim.FirstLines(reports),
        };
    }
}
