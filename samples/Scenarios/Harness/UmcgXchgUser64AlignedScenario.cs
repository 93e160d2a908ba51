using System.Collections.Generic;
using System.Linq;
using UserAccess.Runtime;

namespace Scenarios.Harness;

/// <summary>
/// Seed 1, the control row: <c>xchg_user_64()</c> on an aligned u64 whose page was swapped out.
/// The nofault exchange faults, the cold path swaps the page in, the retry succeeds: both
/// variants exchange the value (the bug needs a misaligned address).
/// </summary>
public sealed class UmcgXchgUser64AlignedScenario : Scenario
{
    /// <summary>What user space stored before the exchange.</summary>
    public const ulong OldValue = 0xaaaa_bbbb_cccc_dddd;

    /// <summary>Where in the page the word lives.</summary>
    public const int Offset = 0x80;

    /// <inheritdoc/>
    public override string Name => "umcg xchg_user_64 aligned, swapped out";

    /// <inheritdoc/>
    public override string Source => "kernel/sched/umcg.h xchg_user_64(): the retry loop's cold path on a fault that fault-in fixes";

    /// <inheritdoc/>
    public override IReadOnlyList<Arch> Archs { get; } = new[] { Arch.X86_64, Arch.Arm64, Arch.PowerPC64BE };

    /// <inheritdoc/>
    public override string KernelOutcome(Arch arch, Variant expectation) =>
        $"fault, swap-in, retry: 0, old 0x{OldValue:x}; user reads 0x{UmcgXchgUser64Scenario.NewValue:x}";

    /// <inheritdoc/>
    protected override Outcome Execute(Arch arch, KernelCode code, Row row)
    {
        var machine = Sim.NewMachine(arch);
        var mm = machine.CreateProcess();
        var page = mm.Mmap((ulong)arch.PageSize, Prot.Read | Prot.Write);
        var uaddr = (page + Offset).Cast<ulong>();
        mm.UserWrite(uaddr, Sim.Encode(arch, OldValue, sizeof(ulong)));
        mm.SwapOut(page, (ulong)arch.PageSize);
        var task = mm.CreateTask("umcg-server");

        ulong old = 0;
        int ret = task.Run(() => code.XchgUser64(uaddr, UmcgXchgUser64Scenario.NewValue, out old));

        var reports = machine.Reports;
        var kinds = Sim.Kinds(reports);
        bool unwound = ret == TaskStruct.Killed;
        var bytes = Sim.UserRead(mm, uaddr, sizeof(ulong));
        ulong seen = Sim.Decode(arch, bytes);

        string simulator = unwound
            ? $"{Sim.Describe(reports)}; task unwound"
            : $"{Sim.Ret(ret)}, old 0x{old:x}; user reads 0x{seen:x}; {Sim.Describe(reports)}";
        bool agrees = !unwound && ret == 0 && old == OldValue && seen == UmcgXchgUser64Scenario.NewValue && kinds.Count == 0;

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
