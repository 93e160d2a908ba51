using System.Collections.Generic;
using System.Linq;
using UserAccess.Runtime;

namespace Scenarios.Harness;

/// <summary>
/// Seed 6: a <c>user_events</c> enabler, bit <see cref="Bit"/> of a <see cref="Size"/>-byte word, on
/// a little-endian and a big-endian machine. The word's page has never been touched, so the first
/// nofault update faults and the cold path runs.
/// </summary>
public sealed class UserEventsScenario : Scenario
{
    /// <summary>Where in the page the enabler word lives.</summary>
    public const int Offset = 0x40;

    /// <summary>Creates the scenario for one enabler size and bit.</summary>
    public UserEventsScenario(int size, int bit)
    {
        Size = size;
        Bit = bit;
    }

    /// <summary>The enabler word's size in bytes.</summary>
    public int Size { get; }

    /// <summary>The enable bit.</summary>
    public int Bit { get; }

    /// <inheritdoc/>
    public override string Name => $"user_events u{Size * 8} bit {Bit}";

    /// <inheritdoc/>
    public override string Source => "kernel/trace/trace_events_user.c user_event_enabler_write() (big-endian enabler bits)";

    /// <inheritdoc/>
    public override IReadOnlyList<Arch> Archs { get; } = new[] { Arch.X86_64, Arch.PowerPC64BE };

    /// <summary>The word's value after the buggy code: bit % 8 of byte bit / 8, in memory order.</summary>
    public ulong BuggyValue(Arch arch)
    {
        var bytes = new byte[Size];
        bytes[Bit / 8] |= (byte)(1 << (Bit % 8));
        return Sim.Decode(arch, bytes);
    }

    /// <summary>The word's value the user program expects: bit <see cref="Bit"/> of the value.</summary>
    public ulong RightValue => 1UL << Bit;

    /// <inheritdoc/>
    public override string KernelOutcome(Arch arch, Variant expectation)
    {
        string width = $"x{Size * 2}";
        if (expectation == Variant.Fixed)
        {
            return $"0; user reads 0x{RightValue.ToString(width)} (bit {Bit})";
        }

        ulong value = BuggyValue(arch);
        return value == RightValue
            ? $"0; little-endian: memory order = value order: 0x{value.ToString(width)} (right bit)"
            : $"0; big-endian: wrong bit: user reads 0x{value.ToString(width)} (bit {System.Numerics.BitOperations.Log2(value)})";
    }

    /// <inheritdoc/>
    protected override Outcome Execute(Arch arch, KernelCode code, Row row)
    {
        var machine = Sim.NewMachine(arch);
        var mm = machine.CreateProcess();
        var page = mm.Mmap((ulong)arch.PageSize, Prot.Read | Prot.Write);
        var uaddr = page + Offset;
        var task = mm.CreateTask("user-events");

        int ret = task.Run(() => code.EnablerSetBit(uaddr, Size, Bit));

        var reports = machine.Reports;
        var kinds = Sim.Kinds(reports);
        bool unwound = ret == TaskStruct.Killed;
        var bytes = Sim.UserRead(mm, uaddr, Size);
        ulong seen = Sim.Decode(arch, bytes);
        ulong expected = row.Expectation == Variant.Buggy ? BuggyValue(arch) : RightValue;

        string simulator = unwound
            ? $"{Sim.Describe(reports)}; task unwound"
            : $"{Sim.Ret(ret)}; user reads 0x{seen.ToString($"x{Size * 2}")} (bytes {Sim.Hex(bytes)}); {Sim.Describe(reports)}";
        bool agrees = !unwound && ret == 0 && kinds.Count == 0 && seen == expected;

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
