using System.Collections.Generic;
using System.Linq;
using UserAccess.Runtime;

namespace Scenarios.Harness;

/// <summary>
/// Seed 3: ARC <c>sys_arc_usr_cmpxchg</c> on a word user space has only read, so the page maps
/// the shared zero page read-only.
/// </summary>
public sealed partial class ArcUsrCmpxchgScenario : Scenario
{
    /// <summary>The value the cmpxchg stores.</summary>
    public const int NewValue = 0x1234_5678;

    /// <summary>Where in the page the word lives.</summary>
    public const int Offset = 0x40;

    /// <inheritdoc/>
    public override string Name => "arc_usr_cmpxchg";

    /// <inheritdoc/>
    public override string Source => "arch/arc/kernel/process.c sys_arc_usr_cmpxchg() (ignored __put_user() result, 2018 fix)";

    /// <inheritdoc/>
    public override IReadOnlyList<Arch> Archs { get; } = new[] { Arch.Arc };

    /// <inheritdoc/>
    public override string KernelOutcome(Arch arch, Variant expectation) =>
        expectation == Variant.Buggy
            ? "returns 0 with Z set (success), but the store failed on the zero page: user reads stale 0"
            : $"put faults, page faulted in writeable, retried: returns 0 with Z set; user reads 0x{NewValue:x}";

    /// <inheritdoc/>
    protected override Outcome Execute(Arch arch, KernelCode code, Row row)
    {
        var machine = Sim.NewMachine(arch);
        var mm = machine.CreateProcess();
        var page = mm.Mmap((ulong)arch.PageSize, Prot.Read | Prot.Write);
        var uaddr = (page + Offset).Cast<int>();

        // User space looks at the word before asking for the exchange: the page is now the zero page.
        Sim.UserRead(mm, uaddr, sizeof(int));
        var before = mm.GetPageState(uaddr);

        var task = mm.CreateTask("arc-user");
        var regs = new PtRegs();
        int ret = task.Run(() => code.ArcUsrCmpxchg(uaddr, 0, NewValue, regs));

        var reports = machine.Reports;
        var kinds = Sim.Kinds(reports);
        bool unwound = ret == TaskStruct.Killed;
        bool z = (regs.Status32 & PtRegs.STATUS_Z_MASK) != 0;
        var bytes = Sim.UserRead(mm, uaddr, sizeof(int));
        ulong seen = Sim.Decode(arch, bytes);

        string simulator = unwound
            ? $"{Sim.Describe(reports)}; task unwound"
            : $"page was {before}; returns {Sim.Ret(ret)}, Z={(z ? 1 : 0)}; user reads 0x{seen:x}; {Sim.Describe(reports)}";
        bool agrees = !unwound && before == PageState.ZeroPage && ret == 0 && z && kinds.Count == 0
            && (row.Expectation == Variant.Buggy ? seen == 0 : seen == NewValue);

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
