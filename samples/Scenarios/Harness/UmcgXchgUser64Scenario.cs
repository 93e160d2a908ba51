using System.Collections.Generic;
using System.Linq;
using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;

namespace Scenarios.Harness;

/// <summary>
/// Seed 1: the UMCG <c>xchg_user_64()</c> retry loop on a misaligned u64: a cache-line-splitting
/// address on x86-64 (split-lock #AC) and a misaligned one on arm64 (alignment fault).
/// </summary>
public sealed partial class UmcgXchgUser64Scenario : Scenario
{
    /// <summary>The value exchanged in.</summary>
    public const ulong NewValue = 0x1122_3344_5566_7788;

    /// <inheritdoc/>
    public override string Name => "umcg xchg_user_64";

    /// <inheritdoc/>
    public override string Source => "kernel/sched/umcg.h xchg_user_64(), UMCG series review (split-lock #AC / alignment fault)";

    /// <inheritdoc/>
    public override IReadOnlyList<Arch> Archs { get; } = new[] { Arch.X86_64, Arch.Arm64 };

    /// <summary>
    /// The user address inside a present, writable page: offset 60 splits the first 64-byte
    /// line on x86-64; offset 4 is misaligned (within one line) on arm64.
    /// </summary>
    public static int OffsetFor(Arch arch) => arch == Arch.X86_64 ? 60 : 4;

    /// <inheritdoc/>
    public override string KernelOutcome(Arch arch, Variant expectation)
    {
        if (expectation == Variant.Fixed)
        {
            return "-EINVAL before any access; word untouched";
        }

        // Real x86-64 does not return -EFAULT here: exc_alignment_check() calls
        // die("Split lock detected") for a kernel-mode #AC, with no exception-table fixup. The
        // simulator's x86 backend (docs/runtime.md) surfaces the #AC as -EFAULT, which turns the same
        // bug into the arm64 livelock; either way the call never completes.
        return arch == Arch.X86_64
            ? "never completes: kernel-mode split-lock #AC = die(\"Split lock detected\") (sim: #AC as -EFAULT, fixup succeeds, spins)"
            : "alignment fault: -EFAULT with the page present; fixup succeeds; retries forever (soft lockup)";
    }

    /// <inheritdoc/>
    protected override Outcome Execute(Arch arch, KernelCode code, Row row)
    {
        var machine = Sim.NewMachine(arch);
        var mm = machine.CreateProcess();
        var page = mm.Mmap((ulong)arch.PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        var uaddr = (page + OffsetFor(arch)).Cast<ulong>();
        var task = mm.CreateTask("umcg-server");

        int ret = task.Run(() => code.XchgUser64(uaddr, NewValue, out _));

        var reports = machine.Reports;
        var kinds = Sim.Kinds(reports);
        var bytes = Sim.UserRead(mm, uaddr, sizeof(ulong));
        bool untouched = bytes.All(b => b == 0);
        bool unwound = ret == TaskStruct.Killed;
        string memory = untouched ? "word untouched" : $"word now {Sim.Hex(bytes)}";

        string simulator;
        bool agrees;
        if (row.Expectation == Variant.Buggy)
        {
            simulator = unwound ? $"{Sim.Describe(reports)}; task unwound; {memory}" : $"returned {Sim.Ret(ret)}; {Sim.Describe(reports)}; {memory}";
            agrees = unwound && kinds.Contains(ReportKind.Livelock);
        }
        else
        {
            simulator = unwound ? $"task unwound: {Sim.Describe(reports)}" : $"{Sim.Ret(ret)}; {Sim.Describe(reports)}; {memory}";
            agrees = !unwound && ret == -EINVAL && kinds.Count == 0 && untouched;
        }

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
