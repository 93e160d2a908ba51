using System.Collections.Generic;
using System.Linq;
using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Harness;

/// <summary>
/// Seed 2: UMCG <c>get_user_nosleep()</c> called from a scheduler hook with preemption disabled,
/// on a u64 whose page was swapped out.
/// </summary>
public sealed partial class UmcgGetUserNosleepScenario : Scenario
{
    /// <summary>The value user space stored.</summary>
    public const ulong Value = 0xdead_beef_cafe_f00d;

    /// <summary>Where in the page the value lives.</summary>
    public const int Offset = 0x100;

    /// <inheritdoc/>
    public override string Name => "umcg get_user_nosleep";

    /// <inheritdoc/>
    public override string Source => "kernel/sched/umcg.c get_user_nosleep(), UMCG series review (fix_pagefault() from atomic context)";

    /// <inheritdoc/>
    public override IReadOnlyList<Arch> Archs { get; } = new[] { Arch.X86_64, Arch.Arm64, Arch.PowerPC64BE };

    /// <inheritdoc/>
    public override string KernelOutcome(Arch arch, Variant expectation) =>
        expectation == Variant.Buggy
            ? "BUG: sleeping function called from invalid context (mmap_lock, swap-in with preemption off); value read"
            : $"-EFAULT from the hook; the caller faults in and retries preemptible; no splat; reads 0x{Value:x}";

    /// <summary>
    /// The caller: the UMCG hook reads the word with preemption disabled; on <c>-EFAULT</c> it has
    /// left the atomic section and may fault the page in, then tries again.
    /// </summary>
    public static int UmcgHook(GetUserNosleepFn getUserNosleep, UserPtr<ulong> uaddr, out ulong val)
    {
        int ret;

        while (true)
        {
            PreemptDisable();
            ret = getUserNosleep(uaddr, out val);
            PreemptEnable();

            if (ret != -EFAULT)
            {
                break;
            }

            if (FatalSignalPending())
            {
                ret = -EINTR;
                break;
            }

            if (FaultInReadable(uaddr, sizeof(ulong)) != 0)
            {
                ret = -EFAULT;
                break;
            }
        }

        return ret;
    }

    /// <inheritdoc/>
    protected override Outcome Execute(Arch arch, KernelCode code, Row row)
    {
        var machine = Sim.NewMachine(arch);
        var mm = machine.CreateProcess();
        var page = mm.Mmap((ulong)arch.PageSize, Prot.Read | Prot.Write);
        var uaddr = (page + Offset).Cast<ulong>();
        mm.UserWrite(uaddr, Sim.Encode(arch, Value, sizeof(ulong)));
        mm.SwapOut(page, (ulong)arch.PageSize);
        var task = mm.CreateTask("umcg-worker");

        ulong val = 0;
        int ret = task.Run(() => UmcgHook(code.GetUserNosleep, uaddr, out val));

        var reports = machine.Reports;
        var kinds = Sim.Kinds(reports);
        bool unwound = ret == TaskStruct.Killed;
        string read = $"reads 0x{val:x}";

        string simulator = unwound
            ? $"{Sim.Describe(reports)}; task unwound"
            : $"{Sim.Ret(ret)}; {Sim.Describe(reports)}; {read}";
        bool agrees = row.Expectation == Variant.Buggy
            ? !unwound && ret == 0 && val == Value && kinds.Count > 0 && kinds.All(k => k == ReportKind.SleepInAtomic)
            : !unwound && ret == 0 && val == Value && kinds.Count == 0;

        return row.Make(simulator, agrees) with
        {
            Result = unwound ? null : ret,
            TaskUnwound = unwound,
            Reports = kinds,
            FirstReport = reports.FirstOrDefault()?.Message,
            ReportLines = Sim.FirstLines(reports),
            UserBytes = Sim.Encode(arch, val, sizeof(ulong)),
        };
    }
}
