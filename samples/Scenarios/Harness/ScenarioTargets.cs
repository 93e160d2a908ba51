using System;
using System.Collections.Generic;
using System.Linq;
using UserAccess.Runtime;
using UserAccess.Runtime.Exploration;
using static Scenarios.FutexCore;

namespace Scenarios.Harness;

// Each seed's function as the explorer sees it: the scenario's memory, the call, and what must hold
// afterwards. No fault is named here: the explorer finds the one that breaks the buggy code.
public sealed partial class UmcgXchgUser64Scenario
{
    /// <inheritdoc/>
    public override ExplorationTarget? ExplorationTarget(KernelCode code, IReadOnlyList<Arch>? arches) => new()
    {
        Arches = arches,
        Setup = mm => Explorer.MayMisalign((ScenarioMemory.Page(mm, populate: true) + 0x100).Cast<ulong>()),
        Body = args => code.XchgUser64((UserPtr<ulong>)args!, NewValue, out _),
        Check = (mm, args, ret) => ret == 0 && !ScenarioMemory.Holds(mm, (UserPtr<ulong>)args!, NewValue, sizeof(ulong))
            ? "returned 0 but the word does not hold the new value"
            : null,
    };
}

public sealed partial class UmcgGetUserNosleepScenario
{
    /// <inheritdoc/>
    public override ExplorationTarget? ExplorationTarget(KernelCode code, IReadOnlyList<Arch>? arches) => new()
    {
        Arches = arches,
        Setup = mm =>
        {
            var uaddr = (ScenarioMemory.Page(mm, populate: true) + Offset).Cast<ulong>();
            mm.UserWrite(uaddr, Sim.Encode(mm.Machine.Arch, Value, sizeof(ulong)));
            return new ReadState(uaddr);
        },
        Body = args =>
        {
            var state = (ReadState)args!;
            return UmcgHook(code.GetUserNosleep, state.Uaddr, out state.Value);
        },
        Check = (mm, args, ret) =>
        {
            var state = (ReadState)args!;
            return ret == 0 && !ScenarioMemory.Holds(mm, state.Uaddr, state.Value, sizeof(ulong))
                ? $"returned 0 with 0x{state.Value:x}, which user memory does not hold"
                : null;
        },
    };

    private sealed class ReadState
    {
        internal ReadState(UserPtr<ulong> uaddr) => Uaddr = uaddr;

        internal UserPtr<ulong> Uaddr { get; }

        // A field: the body passes it by reference, as the kernel passes &val.
        internal ulong Value;
    }
}

public sealed partial class ArcUsrCmpxchgScenario
{
    /// <inheritdoc/>
    public override ExplorationTarget? ExplorationTarget(KernelCode code, IReadOnlyList<Arch>? arches) => new()
    {
        Arches = arches,
        Setup = mm => ((ScenarioMemory.Page(mm, populate: false) + Offset).Cast<int>(), new PtRegs()),
        Body = args =>
        {
            var (uaddr, regs) = ((UserPtr<int>, PtRegs))args!;
            return code.ArcUsrCmpxchg(uaddr, 0, NewValue, regs);
        },
        Check = (mm, args, ret) =>
        {
            var (uaddr, regs) = ((UserPtr<int>, PtRegs))args!;
            return (regs.Status32 & PtRegs.STATUS_Z_MASK) != 0 && !ScenarioMemory.Holds(mm, uaddr, (ulong)NewValue, sizeof(int))
                ? "Z set (exchanged) but the user word does not hold the new value"
                : null;
        },
    };
}

public sealed partial class FutexWakeOpScenario
{
    /// <inheritdoc/>
    public override ExplorationTarget? ExplorationTarget(KernelCode code, IReadOnlyList<Arch>? arches) => new()
    {
        Arches = arches,
        Setup = mm => (ScenarioMemory.Page(mm, populate: true).Cast<uint>(), ScenarioMemory.Page(mm, populate: true).Cast<uint>()),
        Body = args =>
        {
            var (uaddr1, uaddr2) = ((UserPtr<uint>, UserPtr<uint>))args!;
            return code.FutexWakeOp(uaddr1, uaddr2, 1, 1, Op);
        },
        Check = (mm, args, ret) =>
        {
            var (_, uaddr2) = ((UserPtr<uint>, UserPtr<uint>))args!;
            return ret >= 0 && !ScenarioMemory.Holds(mm, uaddr2, 1, sizeof(uint)) ? "the op reported success but *uaddr2 is not 1" : null;
        },
    };
}

public sealed partial class GenericPerformWriteScenario
{
    /// <inheritdoc/>
    public override ExplorationTarget? ExplorationTarget(KernelCode code, IReadOnlyList<Arch>? arches) => new()
    {
        Arches = arches,
        Setup = mm =>
        {
            long size = 2L * mm.Machine.Arch.PageSize;
            var file = new SimFile(mm.Machine, "data", size);
            Message.AsSpan().CopyTo(file.GetFolio(0).Data.Slice(SourceOffset));

            // The source is mapped from the file being written, already faulted in.
            var map = mm.MmapFile(file, (ulong)size, Prot.Read | Prot.Write, MapFlags.Shared | MapFlags.Populate);
            return (file, map);
        },
        Body = args =>
        {
            var (file, map) = ((SimFile, UserPtr))args!;
            return (int)code.GenericPerformWrite(file, WritePos, map + SourceOffset, Message.Length);
        },
        Check = (mm, args, ret) =>
        {
            var (file, _) = ((SimFile, UserPtr))args!;
            return ret > 0 && !file.GetFolio(0).Data.Slice((int)WritePos, ret).SequenceEqual(Message.AsSpan(0, ret))
                ? $"reported {ret} bytes written but the file does not hold them"
                : null;
        },
    };
}

/// <summary>User memory for the exploration targets.</summary>
internal static class ScenarioMemory
{
    /// <summary>One private anonymous read-write page.</summary>
    internal static UserPtr Page(Mm mm, bool populate) =>
        mm.Mmap((ulong)mm.Machine.Arch.PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | (populate ? MapFlags.Populate : 0));

    /// <summary>Whether the user program reads <paramref name="value"/> at <paramref name="p"/> (<c>false</c> where it cannot read at all).</summary>
    internal static bool Holds(Mm mm, UserPtr p, ulong value, int size) =>
        Sim.TryUserRead(mm, p, size) is { } bytes && Sim.Decode(mm.Machine.Arch, bytes) == (value & (size == 8 ? ulong.MaxValue : (1UL << (8 * size)) - 1));
}
