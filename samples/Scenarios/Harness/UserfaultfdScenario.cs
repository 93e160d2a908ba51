using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using UserAccess.Runtime;

namespace Scenarios.Harness;

/// <summary>
/// The userfaultfd <c>mmap_changing</c> seed: a monitor's <c>UFFDIO_COPY</c> of two pages races a
/// <c>MADV_DONTNEED</c> of the second page of the registered range, round after round. The
/// interleaving is forced, not hoped for: at the copy's <c>cond_resched()</c> after its first page,
/// the machine's scheduling-point hook runs the whole <c>madvise()</c> on another task and waits
/// until it has finished or is blocked on a lock. A monitor thread reads the events meanwhile.
/// </summary>
public sealed class UserfaultfdScenario : Scenario
{
    /// <summary>How many rounds each row runs: one fresh registered range per round.</summary>
    public const int Rounds = 8;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <inheritdoc/>
    public override string Name => "userfaultfd copy vs MADV_DONTNEED";

    /// <inheritdoc/>
    public override string Source => "mm/userfaultfd.c mfill_atomic(): \"userfaultfd: protect mmap_changing with rw_sem in userfaultfd_ctx\" (Lokesh Gidra, Liam Howlett, Mike Rapoport, Jan 2024)";

    /// <inheritdoc/>
    public override IReadOnlyList<Arch> Archs => Sim.AllArchs;

    /// <inheritdoc/>
    public override string KernelOutcome(Arch arch, Variant expectation) =>
        expectation == Variant.Buggy
            ? $"the copy checked mmap_changing before the event; the zap lands before its second page: a ghost page every round ({Rounds}/{Rounds})"
            : $"MADV_DONTNEED waits for map_changing_lock until the copy is done, then zaps: no ghost page (0/{Rounds})";

    /// <inheritdoc/>
    protected override Outcome Execute(Arch arch, KernelCode code, Row row)
    {
        int pageSize = arch.PageSize;
        var race = new Race();
        var machine = Sim.NewMachine(arch, race.AtSchedulingPoint);
        var mm = machine.CreateProcess();
        var ctx = mm.CreateUserfaultfd();
        var copier = mm.CreateTask("uffd-monitor");
        race.Copier = copier;
        var results = new List<long>();
        var secondPages = new List<UserPtr>();
        using var stop = new CancellationTokenSource();
        var monitor = new Thread(() =>
        {
            // The monitor's event loop: reading UFFD_EVENT_REMOVE completes the event.
            while (!stop.IsCancellationRequested)
            {
                _ = ctx.ReadEvent(out _);
                Thread.Sleep(1);
            }
        })
        { IsBackground = true, Name = "uffd event reader" };
        monitor.Start();
        try
        {
            var src = Enumerable.Repeat((byte)0x5A, 2 * pageSize).ToArray();
            for (int round = 0; round < Rounds; round++)
            {
                var area = mm.Mmap((ulong)(2 * pageSize), Prot.Read | Prot.Write);
                ctx.Register(area, (ulong)(2 * pageSize), UffdRegisterMode.Missing);
                secondPages.Add(area + pageSize);
                race.Arm(mm, area + pageSize, (ulong)pageSize);
                int ret = copier.Run(() =>
                {
                    results.Add(code.MfillAtomicCopy(ctx, area, src));
                    return 0;
                });
                if (ret == TaskStruct.Killed || !race.Finish())
                {
                    break;
                }
            }
        }
        finally
        {
            stop.Cancel();
            monitor.Join(Patience);
        }

        var ghosts = ctx.Audit();
        var reports = machine.Reports;
        var kinds = Sim.Kinds(reports);
        var states = secondPages.Select(p => mm.GetPageState(p)).ToArray();
        bool allCopied = results.Count == Rounds && results.All(r => r == 2L * pageSize);
        string simulator = $"{results.Count} copies returned {string.Join("/", results.Distinct().Select(Sim.Ret))}; "
            + $"madvise {(race.EverBlocked ? "waited for the copy" : "ran inside the copy")}; "
            + $"Audit(): {ghosts.Count} ghost page{(ghosts.Count == 1 ? string.Empty : "s")}; {Sim.Describe(reports)}";
        bool agrees = allCopied && kinds.Count == 0 && race.Failure is null && (row.Expectation == Variant.Buggy
            ? ghosts.Count == Rounds && ghosts.SequenceEqual(secondPages) && states.All(s => s == PageState.Writable)
            : ghosts.Count == 0 && race.EverBlocked && states.All(s => s == PageState.NotPresent));
        if (race.Failure is { } failure)
        {
            simulator += $"; harness: {failure}";
        }

        return row.Make(simulator, agrees) with
        {
            Result = results.Count > 0 ? results[0] : null,
            Results = results,
            Reports = kinds,
            FirstReport = reports.FirstOrDefault()?.Message,
            ReportLines = Sim.FirstLines(reports),
            UserBytes = ghosts.Select(g => (byte)((g.Address - secondPages[0].Address) / (ulong)pageSize)).ToArray(),
        };
    }

    // The forced interleaving: the first cond_resched() of the copier in a round runs the
    // madvise() to its end, or until it blocks on a lock the copier holds.
    private sealed class Race
    {
        private Mm? mm;
        private UserPtr start;
        private ulong length;
        private Thread? madvise;
        private TaskStruct? madviser;
        private bool fired;

        public TaskStruct? Copier { get; set; }

        public bool EverBlocked { get; private set; }

        public string? Failure { get; private set; }

        public void Arm(Mm target, UserPtr at, ulong len)
        {
            mm = target;
            start = at;
            length = len;
            fired = false;
            madvise = null;
        }

        public void AtSchedulingPoint(TaskStruct task, string function)
        {
            if (task != Copier || function != "cond_resched" || fired || mm is null)
            {
                return;
            }

            fired = true;
            var target = mm;
            madviser = target.CreateTask("madvise");
            var who = madviser;
            madvise = new Thread(() => who.Run(() =>
            {
                target.MadviseDontNeed(start, length);
                return 0;
            }))
            { IsBackground = true, Name = "madvise" };
            madvise.Start();
            var clock = Stopwatch.StartNew();
            while (madvise.IsAlive && who.BlockedOn is null)
            {
                if (clock.Elapsed > Patience)
                {
                    Failure = "madvise neither finished nor blocked";
                    return;
                }

                Thread.Sleep(1);
            }

            EverBlocked |= madvise.IsAlive;
        }

        public bool Finish()
        {
            if (madvise is null)
            {
                Failure ??= "the copy never reached cond_resched()";
                return false;
            }

            if (!madvise.Join(Patience))
            {
                Failure ??= "madvise did not finish";
                return false;
            }

            if (madviser?.Oops is { } oops)
            {
                Failure ??= $"madvise unwound: {oops.Kind}";
                return false;
            }

            return true;
        }
    }
}
