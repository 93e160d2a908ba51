using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Scenarios.Kernel;
using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;

namespace Scenarios.Harness;

/// <summary>
/// The arm64 half of the gfs2 thread: btrfs' <c>search_ioctl()</c> copies search results to a
/// user buffer whose MTE tags refuse one 16-byte granule in the middle of a page. The nofault copy
/// stops there; <c>fault_in_writeable()</c> probes the page start and succeeds; the loop retries
/// the same item.
/// </summary>
public sealed class BtrfsSearchIoctlScenario : Scenario
{
    /// <summary>The granule whose allocation tag does not match the pointer's: inside the header of item 3.</summary>
    public const int BadGranule = 160;

    /// <inheritdoc/>
    public override string Name => "btrfs search_ioctl MTE";

    /// <inheritdoc/>
    public override string Source => "fs/btrfs/ioctl.c search_ioctl(): live-lock on sub-page faults (gfs2 thread, Catalin Marinas / Linus Torvalds, Oct 2021), fixed by fault_in_subpage_writeable()";

    /// <inheritdoc/>
    public override IReadOnlyList<Arch> Archs { get; } = new[] { Arch.Arm64 };

    /// <inheritdoc/>
    public override string KernelOutcome(Arch arch, Variant expectation) =>
        expectation == Variant.Buggy
            ? $"nofault copy of item 3 stops at the granule at +{BadGranule}; fault_in_writeable() probes the page start and succeeds; retries forever (soft lockup)"
            : $"fault_in_subpage_writeable() probes every granule and fails at +{BadGranule}: -EFAULT at once, 0 items";

    /// <inheritdoc/>
    protected override Outcome Execute(Arch arch, KernelCode code, Row row)
    {
        var run = BtrfsSearch.Run(arch, code, buffer => buffer.TagGranule(BadGranule, tag: 5));
        string simulator = run.Unwound
            ? $"{Sim.Describe(run.Reports)}; task unwound; {run.Copied}"
            : $"returned {Sim.Ret(run.Ret)}, {run.NrItems} items; {Sim.Describe(run.Reports)}; {run.Copied}";
        bool agrees = row.Expectation == Variant.Buggy
            ? run.Unwound && run.Kinds.Contains(ReportKind.Livelock) && run.FirstItemArrived
            : !run.Unwound && run.Ret == -EFAULT && run.NrItems == 0 && run.Kinds.Count == 0;
        return run.Outcome(row.Make(simulator, agrees));
    }
}

/// <summary>
/// The control row on every backend: the same loop on a buffer that is mapped but not present.
/// The nofault copy fails at the page, fault-in maps it, the retry copies every item: both
/// variants return <c>0</c> with all the items (the bug needs a fault that fault-in cannot see).
/// </summary>
public sealed class BtrfsSearchIoctlNotPresentScenario : Scenario
{
    /// <inheritdoc/>
    public override string Name => "btrfs search_ioctl buffer not present";

    /// <inheritdoc/>
    public override string Source => "fs/btrfs/ioctl.c search_ioctl(): the copy loop's cold path on a fault that fault-in fixes";

    /// <inheritdoc/>
    public override IReadOnlyList<Arch> Archs => Sim.AllArchs;

    /// <inheritdoc/>
    public override string KernelOutcome(Arch arch, Variant expectation) =>
        $"fault-in maps the buffer; all {BtrfsSearch.Items} items copied: 0";

    /// <inheritdoc/>
    protected override Outcome Execute(Arch arch, KernelCode code, Row row)
    {
        var run = BtrfsSearch.Run(arch, code, prepare: null);
        string simulator = run.Unwound
            ? $"{Sim.Describe(run.Reports)}; task unwound; {run.Copied}"
            : $"returned {Sim.Ret(run.Ret)}, {run.NrItems} items; {Sim.Describe(run.Reports)}; {run.Copied}";
        bool agrees = !run.Unwound && run.Ret == 0 && run.NrItems == BtrfsSearch.Items && run.Kinds.Count == 0 && run.FirstItemArrived;
        return run.Outcome(row.Make(simulator, agrees));
    }
}

/// <summary>What both btrfs scenarios set up and observe.</summary>
internal sealed class BtrfsSearch
{
    /// <summary>How many items the tree holds and the search asks for.</summary>
    public const int Items = 8;

    /// <summary>Each item's data length.</summary>
    public const int ItemSize = 16;

    private BtrfsSearch(Mm mm, UserPtr buffer)
    {
        Mm = mm;
        Buffer = buffer;
    }

    public Mm Mm { get; }

    public UserPtr Buffer { get; }

    public int Ret { get; private set; }

    public bool Unwound { get; private set; }

    public int NrItems { get; private set; }

    public IReadOnlyList<Report> Reports { get; private set; } = Array.Empty<Report>();

    public IReadOnlyList<ReportKind> Kinds => Sim.Kinds(Reports);

    public byte[] FirstRecord { get; private set; } = Array.Empty<byte>();

    public bool FirstItemArrived { get; private set; }

    public string Copied => FirstItemArrived ? "item 0 in the buffer" : "buffer holds no item";

    /// <summary>Sets up a tree and a one-page buffer, lets <paramref name="prepare"/> spoil it, runs the search.</summary>
    public static BtrfsSearch Run(Arch arch, KernelCode code, Action<BtrfsSearch>? prepare)
    {
        var machine = Sim.NewMachine(arch);
        var mm = machine.CreateProcess();
        var prot = Prot.Read | Prot.Write | (prepare is null ? Prot.None : Prot.Mte);
        var flags = MapFlags.Private | MapFlags.Anonymous | (prepare is null ? 0 : MapFlags.Populate);
        var run = new BtrfsSearch(mm, mm.Mmap((ulong)arch.PageSize, prot, flags));
        prepare?.Invoke(run);

        var root = new BtrfsRoot();
        for (int i = 0; i < Items; i++)
        {
            root.Insert(new BtrfsKey { ObjectId = 256 + (ulong)i, Type = 1 }, Enumerable.Repeat((byte)(0xA0 + i), ItemSize).ToArray());
        }

        var sk = new BtrfsIoctlSearchKey { Min = new BtrfsKey { ObjectId = 256 }, NrItems = Items };
        var task = mm.CreateTask("btrfs-search");
        int ret = task.Run(() => code.BtrfsSearchIoctl(root, sk, arch.PageSize, run.Buffer));
        run.Unwound = ret == TaskStruct.Killed;
        run.Ret = ret;
        run.NrItems = sk.NrItems;
        run.Reports = machine.Reports;
        int record = Marshal.SizeOf<BtrfsIoctlSearchHeader>() + ItemSize;
        run.FirstRecord = Sim.UserRead(mm, run.Buffer, record);
        run.FirstItemArrived = Sim.Decode(arch, run.FirstRecord.AsSpan(8, 8)) == 256 && run.FirstRecord[record - 1] == 0xA0;
        return run;
    }

    /// <summary>Gives one granule of the buffer an allocation tag the pointer does not carry.</summary>
    public void TagGranule(int offset, byte tag) => Mm.SetMemoryTag(Buffer + offset, 16, tag);

    /// <summary>The row with this run's observations.</summary>
    public Outcome Outcome(Outcome row) => row with
    {
        Result = Unwound ? null : Ret,
        TaskUnwound = Unwound,
        Reports = Kinds,
        FirstReport = Reports.FirstOrDefault()?.Message,
        ReportLines = Sim.FirstLines(Reports),
        UserBytes = FirstRecord,
    };
}
