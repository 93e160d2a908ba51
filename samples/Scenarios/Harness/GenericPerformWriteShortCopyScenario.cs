using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using UserAccess.Runtime;

namespace Scenarios.Harness;

/// <summary>
/// Seed 5, the control row: a buffered write from an anonymous buffer that straddles a page
/// boundary, the first page present and the second swapped out. The nofault copy stops at the
/// boundary; the rest is faulted in from where the copy stopped and the write completes. The buggy
/// code gets there too (its faulting copy simply swaps the page in: no folio lock is involved).
/// </summary>
public sealed class GenericPerformWriteShortCopyScenario : Scenario
{
    /// <summary>What the user program writes.</summary>
    public static readonly byte[] Message = Encoding.ASCII.GetBytes("first page|second page!!");

    /// <summary>How many bytes of <see cref="Message"/> lie on the first (present) page.</summary>
    public const int OnFirstPage = 10;

    /// <inheritdoc/>
    public override string Name => "generic_perform_write short copy";

    /// <inheritdoc/>
    public override string Source => "mm/filemap.c generic_perform_write(): a short copy retried from where it stopped";

    /// <inheritdoc/>
    public override IReadOnlyList<Arch> Archs => Sim.AllArchs;

    /// <inheritdoc/>
    public override string KernelOutcome(Arch arch, Variant expectation) =>
        expectation == Variant.Buggy
            ? $"the faulting copy swaps the page in under the folio lock (no deadlock: anonymous source): writes {Message.Length}"
            : $"copies {OnFirstPage}, faults in the rest from there, copies {Message.Length - OnFirstPage}: writes {Message.Length}";

    /// <inheritdoc/>
    protected override Outcome Execute(Arch arch, KernelCode code, Row row)
    {
        var machine = Sim.NewMachine(arch);
        var mm = machine.CreateProcess();
        ulong pageSize = (ulong)arch.PageSize;
        var file = new SimFile(machine, "data", (long)pageSize);
        var buf = mm.Mmap(2 * pageSize, Prot.Read | Prot.Write);
        var src = buf + ((long)pageSize - OnFirstPage);
        mm.UserWrite(src, Message);
        mm.SwapOut(buf + (long)pageSize, pageSize);
        var task = mm.CreateTask("writer");

        long written = 0;
        int ret = task.Run(() =>
        {
            written = code.GenericPerformWrite(file, 0, src, Message.Length);
            return 0;
        });

        var reports = machine.Reports;
        var kinds = Sim.Kinds(reports);
        bool unwound = ret == TaskStruct.Killed;
        var bytes = file.GetFolio(0).Data.Slice(0, Message.Length).ToArray();
        bool arrived = bytes.SequenceEqual(Message);

        string simulator = unwound
            ? $"{Sim.Describe(reports)}; task unwound"
            : $"returns {Sim.Ret(written)}; " + (arrived ? $"file holds \"{Encoding.ASCII.GetString(bytes)}\"" : $"file holds {Sim.Hex(bytes)}") + $"; {Sim.Describe(reports)}";
        bool agrees = !unwound && written == Message.Length && arrived && kinds.Count == 0;

        return row.Make(simulator, agrees) with
        {
            Result = unwound ? null : written,
            TaskUnwound = unwound,
            Reports = kinds,
            FirstReport = reports.FirstOrDefault()?.Message,
            ReportLines = Sim.FirstLines(reports),
            UserBytes = bytes,
        };
    }
}
