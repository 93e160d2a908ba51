using System.Collections.Generic;
using System.Linq;
using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;

namespace Scenarios.Harness;

/// <summary>
/// Seed 6, the validation row: enablers the ABI rejects, size 3 (bit 0) and an 8-byte word with
/// bit 64. The user reads the 24 bytes from the first word on.
/// </summary>
public sealed class UserEventsValidationScenario : Scenario
{
    /// <summary>The size-3 enabler.</summary>
    public const int OffsetSize3 = 0x40;

    /// <summary>The 8-byte enabler asked for bit 64 (one byte past it is <c>OffsetBit64 + 8</c>).</summary>
    public const int OffsetBit64 = 0x48;

    /// <inheritdoc/>
    public override string Name => "user_events size 3 / bit 64";

    /// <inheritdoc/>
    public override string Source => "kernel/trace/trace_events_user.c user_reg_get() checks of enable_size / enable_bit";

    /// <inheritdoc/>
    public override IReadOnlyList<Arch> Archs { get; } = new[] { Arch.X86_64, Arch.PowerPC64BE };

    /// <inheritdoc/>
    public override string KernelOutcome(Arch arch, Variant expectation) =>
        expectation == Variant.Buggy
            ? "no validation: both return 0; bit 0 of the size-3 word and of the byte after the u64 set"
            : "-EINVAL, -EINVAL; memory untouched";

    /// <summary>The 24 bytes the buggy code leaves: byte 0 and byte 16 (the byte after the u64) get bit 0.</summary>
    public static byte[] BuggyBytes()
    {
        var bytes = new byte[24];
        bytes[0] = 1;
        bytes[(OffsetBit64 - OffsetSize3) + 8] = 1;
        return bytes;
    }

    /// <inheritdoc/>
    protected override Outcome Execute(Arch arch, KernelCode code, Row row)
    {
        var machine = Sim.NewMachine(arch);
        var mm = machine.CreateProcess();
        var page = mm.Mmap((ulong)arch.PageSize, Prot.Read | Prot.Write);
        var task = mm.CreateTask("user-events");

        int ret3 = 0, ret64 = 0;
        int ret = task.Run(() =>
        {
            ret3 = code.EnablerSetBit(page + OffsetSize3, 3, 0);
            ret64 = code.EnablerSetBit(page + OffsetBit64, 8, 64);
            return 0;
        });

        var reports = machine.Reports;
        var kinds = Sim.Kinds(reports);
        bool unwound = ret == TaskStruct.Killed;
        var bytes = Sim.UserRead(mm, page + OffsetSize3, 24);
        bool untouched = bytes.All(b => b == 0);

        string simulator = unwound
            ? $"{Sim.Describe(reports)}; task unwound"
            : $"{Sim.Ret(ret3)}, {Sim.Ret(ret64)}; " + (untouched ? "memory untouched" : $"bytes now {Sim.Hex(bytes)}") + $"; {Sim.Describe(reports)}";
        bool agrees = !unwound && kinds.Count == 0 && (row.Expectation == Variant.Buggy
            ? ret3 == 0 && ret64 == 0 && bytes.SequenceEqual(BuggyBytes())
            : ret3 == -EINVAL && ret64 == -EINVAL && untouched);

        return row.Make(simulator, agrees) with
        {
            Result = unwound ? null : ret3,
            Results = unwound ? System.Array.Empty<long>() : new long[] { ret3, ret64 },
            TaskUnwound = unwound,
            Reports = kinds,
            FirstReport = reports.FirstOrDefault()?.Message,
            ReportLines = Sim.FirstLines(reports),
            UserBytes = bytes,
        };
    }
}
