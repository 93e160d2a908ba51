using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using UserAccess.Runtime;

namespace Scenarios.Harness;

/// <summary>
/// Seed 5: a buffered <c>write()</c> to a file whose source buffer is a shared mapping of the same
/// file, never touched yet: the copy faults on a page of the very folio the writer has locked.
/// </summary>
public sealed partial class GenericPerformWriteScenario : Scenario
{
    /// <summary>What the user program writes (it already sits in the file at <see cref="SourceOffset"/>).</summary>
    public static readonly byte[] Message = Encoding.ASCII.GetBytes("hello, page cache");

    /// <summary>Where in the file (and in the mapping) the source bytes lie: folio 0, like the destination.</summary>
    public const int SourceOffset = 0x100;

    /// <summary>The file offset written to.</summary>
    public const long WritePos = 0;

    /// <inheritdoc/>
    public override string Name => "generic_perform_write";

    /// <inheritdoc/>
    public override string Source => "mm/filemap.c generic_perform_write(): mmap + page fault deadlock (gfs2/iomap threads), v6.14 loop";

    /// <inheritdoc/>
    public override IReadOnlyList<Arch> Archs => Sim.AllArchs;

    /// <inheritdoc/>
    public override string KernelOutcome(Arch arch, Variant expectation) =>
        expectation == Variant.Buggy
            ? "copy faults; filemap_fault() waits for the folio lock the writer holds: deadlock (lockdep)"
            : $"nofault copy comes back short; unlock, fault in, retry: writes {Message.Length} bytes; file holds them";

    /// <inheritdoc/>
    protected override Outcome Execute(Arch arch, KernelCode code, Row row)
    {
        var machine = Sim.NewMachine(arch);
        var mm = machine.CreateProcess();
        long size = 2L * arch.PageSize;
        var file = new SimFile(machine, "data", size);

        // The file already holds the message at SourceOffset (written earlier, still in the page cache).
        Message.AsSpan().CopyTo(file.GetFolio(0).Data.Slice(SourceOffset));

        // The user maps the file shared and writes from the mapping: nothing is faulted in yet.
        var map = mm.MmapFile(file, (ulong)size, Prot.Read | Prot.Write, MapFlags.Shared);
        var before = mm.GetPageState(map);
        var task = mm.CreateTask("writer");

        long written = 0;
        int ret = task.Run(() =>
        {
            written = code.GenericPerformWrite(file, WritePos, map + SourceOffset, Message.Length);
            return 0;
        });

        var reports = machine.Reports;
        var kinds = Sim.Kinds(reports);
        bool unwound = ret == TaskStruct.Killed;
        var bytes = Sim.UserRead(mm, map + WritePos, Message.Length);
        bool arrived = bytes.SequenceEqual(Message);
        string data = arrived
            ? $"file holds \"{Encoding.ASCII.GetString(bytes)}\""
            : bytes.All(b => b == 0) ? "data never arrived (file still zero)" : $"file holds {Sim.Hex(bytes)}";

        string simulator = unwound
            ? $"source page {before}; {Sim.Describe(reports)}; task unwound; {data}"
            : $"source page {before}; returns {Sim.Ret(written)}; {data}; {Sim.Describe(reports)}";
        bool agrees = before == PageState.NotPresent && (row.Expectation == Variant.Buggy
            ? unwound && kinds.Contains(ReportKind.Deadlock) && !arrived
            : !unwound && written == Message.Length && arrived && kinds.Count == 0);

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
