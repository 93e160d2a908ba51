using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Exploration;

/// <summary>How long and how wide a <see cref="StressRun"/> goes.</summary>
internal sealed class StressOptions
{
    internal Arch Arch { get; init; } = Arch.X86_64;

    internal TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Threads that run tasks doing correct kernel code.</summary>
    internal int TaskThreads { get; init; } = 3;

    /// <summary>Threads that change the address space under them and send fatal signals.</summary>
    internal int HostileThreads { get; init; } = 2;

    internal int Seed { get; init; } = 1;
}

/// <summary>What a <see cref="StressRun"/> did and what broke; <see cref="Violations"/> is empty when every invariant held.</summary>
internal sealed class StressReport
{
    internal long Operations { get; set; }

    internal long Increments { get; set; }

    internal long Copies { get; set; }

    internal long FaultIns { get; set; }

    internal long TasksKilled { get; set; }

    internal IReadOnlyDictionary<string, long> Injected { get; set; } = new Dictionary<string, long>();

    internal IReadOnlyList<Report> Reports { get; set; } = Array.Empty<Report>();

    internal List<string> Violations { get; } = new();

    public override string ToString() =>
        $"operations {Operations}, increments {Increments}, copies {Copies}, fault-ins {FaultIns}, tasks killed {TasksKilled}; "
        + $"faults injected {Injected.Values.Sum()} ({string.Join(", ", Injected.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))}); "
        + $"reports {Reports.Count}; violations {Violations.Count}";
}

/// <summary>
/// A torture test in the manner of the kernel's locktorture: tasks on several threads run correct
/// code (the canonical retry loop on shared counters, copies across a page boundary, fault-ins,
/// accesses to memory that keeps changing) while hostile threads unmap and remap, mprotect, swap
/// out, re-tag, poison and send SIGKILL. Afterwards every counter must equal the increments that
/// reported success, swapped-out data must be intact, no dynamic check may have fired, and the
/// address space must be empty again once everything is unmapped.
/// </summary>
internal sealed class StressRun
{
    private const int Counters = 8;
    private const int SlotBytes = 48;
    private const int ChurnPages = 4;
    private const int OpsPerRun = 64;

    private readonly StressOptions options;
    private readonly Machine machine;
    private readonly Mm mm;
    private readonly int pageSize;
    private readonly bool mte;
    private readonly UserPtr counters;
    private readonly UserPtr copies;
    private readonly UserPtr churn;
    private readonly long[,] increments;
    private readonly byte[]?[] lastWritten;
    private readonly TaskStruct?[] running;
    private readonly ConcurrentDictionary<string, long> injected = new();
    private readonly ConcurrentQueue<string> violations = new();
    private long operations;
    private long copied;
    private long faultIns;
    private long killed;
    private volatile bool stop;

    private StressRun(StressOptions options)
    {
        this.options = options;
        machine = new Machine(options.Arch, new MachineOptions { OnReport = ReportAction.Record });
        mm = machine.CreateProcess();
        pageSize = options.Arch.PageSize;
        mte = options.Arch.HasMte;
        counters = mm.Mmap((ulong)pageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        copies = mm.Mmap((ulong)(pageSize * (options.TaskThreads + 1)), Prot.Read | Prot.Write);
        churn = mm.Mmap((ulong)(pageSize * ChurnPages), Prot.Read | Prot.Write | (mte ? Prot.Mte : Prot.None));
        increments = new long[options.TaskThreads, Counters];
        lastWritten = new byte[]?[options.TaskThreads];
        running = new TaskStruct?[options.TaskThreads];
    }

    /// <summary>Runs the stress for <see cref="StressOptions.Duration"/> and checks the invariants.</summary>
    internal static StressReport Run(StressOptions options)
    {
        var baseline = new Machine(options.Arch).CreateProcess().Footprint();
        var run = new StressRun(options);
        var threads = new List<Thread>();
        for (int t = 0; t < options.TaskThreads; t++)
        {
            int worker = t;
            threads.Add(new Thread(() => run.TaskLoop(worker)) { IsBackground = true, Name = $"stress task {worker}" });
        }

        for (int h = 0; h < options.HostileThreads; h++)
        {
            int hostile = h;
            threads.Add(new Thread(() => run.HostileLoop(hostile)) { IsBackground = true, Name = $"stress hostile {hostile}" });
        }

        threads.ForEach(t => t.Start());
        Thread.Sleep(options.Duration);
        run.stop = true;
        foreach (var thread in threads)
        {
            if (!thread.Join(TimeSpan.FromSeconds(30)))
            {
                run.violations.Enqueue($"{thread.Name} did not stop within 30 s of the end");
            }
        }

        return run.Verify(baseline);
    }

    private StressReport Verify((int Vmas, int Entries) baseline)
    {
        var report = new StressReport
        {
            Operations = Interlocked.Read(ref operations),
            Copies = Interlocked.Read(ref copied),
            FaultIns = Interlocked.Read(ref faultIns),
            TasksKilled = Interlocked.Read(ref killed),
            Injected = new Dictionary<string, long>(injected),
            Reports = machine.Reports,
        };

        var words = new byte[Counters * sizeof(uint)];
        mm.UserRead(counters, words);
        for (int c = 0; c < Counters; c++)
        {
            long expected = 0;
            for (int t = 0; t < options.TaskThreads; t++)
            {
                expected += increments[t, c];
            }

            report.Increments += expected;
            uint value = options.Arch.ToHost(BitConverter.ToUInt32(words, c * sizeof(uint)));
            if (value != (uint)expected)
            {
                report.Violations.Add($"counter {c} holds {value}, but {expected} increments reported success");
            }
        }

        for (int t = 0; t < options.TaskThreads; t++)
        {
            if (lastWritten[t] is { } bytes)
            {
                var back = new byte[SlotBytes];
                mm.UserRead(Slot(t), back);
                if (!back.AsSpan().SequenceEqual(bytes))
                {
                    report.Violations.Add($"copy slot {t} lost its data across swap-outs");
                }
            }
        }

        report.Violations.AddRange(violations);
        report.Violations.AddRange(report.Reports.Select(r => $"report for correct code: {r}"));

        mm.Munmap(counters, (ulong)pageSize);
        mm.Munmap(copies, (ulong)(pageSize * (options.TaskThreads + 1)));
        mm.Munmap(churn, (ulong)(pageSize * ChurnPages));
        if (mm.Footprint() != baseline)
        {
            report.Violations.Add($"after unmapping everything the address space holds {mm.Footprint()}, the empty one {baseline}");
        }

        return report;
    }

    // A copy slot that straddles the boundary between two pages of the copy area.
    private UserPtr Slot(int worker) => copies + (((worker + 1) * (long)pageSize) - (SlotBytes / 2));

    private void TaskLoop(int worker)
    {
        var random = new Random(options.Seed * 7919 + worker);
        while (!stop)
        {
            var task = mm.CreateTask($"stress{worker}");
            Volatile.Write(ref running[worker], task);
            bool dead = false;
            while (!stop && !dead)
            {
                int ret;
                try
                {
                    ret = task.Run(() => Batch(worker, random));
                }
                catch (Exception e)
                {
                    violations.Enqueue($"task {worker} threw {e.GetType().Name}: {e.Message}");
                    return;
                }

                if (ret == TaskStruct.Killed)
                {
                    violations.Enqueue($"task {worker} was unwound: {task.Oops}");
                    return;
                }

                dead = ret == -Errno.EINTR;
            }

            if (dead)
            {
                Interlocked.Increment(ref killed);
            }
        }
    }

    // One return to user space's worth of work: a batch of operations, stopping at a fatal signal.
    private int Batch(int worker, Random random)
    {
        for (int op = 0; op < OpsPerRun; op++)
        {
            if (FatalSignalPending())
            {
                return -Errno.EINTR;
            }

            Interlocked.Increment(ref operations);
            switch (random.Next(4))
            {
                case 0:
                case 1:
                    int counter = random.Next(Counters);
                    if (IncrementUser((counters + (counter * sizeof(uint))).Cast<uint>()) == 0)
                    {
                        increments[worker, counter]++;
                    }

                    break;
                case 2:
                    CopyAcrossPages(worker, random);
                    break;
                default:
                    TouchChurn(random);
                    break;
            }
        }

        return 0;
    }

    // The canonical retry loop: the atomic with page faults disabled, the fault-in on the cold
    // path, a fatal signal or a failed fault-in ends it.
    private int IncrementUser(UserPtr<uint> word)
    {
        while (true)
        {
            PagefaultDisable();
            int ret = ArchFutexAtomicOpInuser(FutexOp.Add, 1, out _, word);
            PagefaultEnable();
            if (ret == 0 || (ret != -Errno.EFAULT && ret != -Errno.EAGAIN))
            {
                return ret;
            }

            if (FatalSignalPending())
            {
                return -Errno.EINTR;
            }

            if (ret == -Errno.EFAULT)
            {
                Interlocked.Increment(ref faultIns);
                ret = FaultInUserWriteable(word);
                if (ret != 0)
                {
                    return ret;
                }
            }

            CondResched();
        }
    }

    private void CopyAcrossPages(int worker, Random random)
    {
        var slot = Slot(worker);
        var pattern = new byte[SlotBytes];
        random.NextBytes(pattern);

        // The slot is about to be overwritten whole, so the destructive fault-in is fine; until the
        // copy is read back the slot's contents are unknown.
        lastWritten[worker] = null;
        Interlocked.Increment(ref faultIns);
        _ = FaultInWriteable(slot, SlotBytes);
        if (CopyToUser(slot, pattern) != 0)
        {
            if (!FatalSignalPending())
            {
                violations.Enqueue($"copy_to_user of slot {worker} failed on memory that is only ever swapped out");
            }

            return;
        }

        var back = new byte[SlotBytes];
        if (CopyFromUser(back, slot) != 0)
        {
            if (!FatalSignalPending())
            {
                violations.Enqueue($"copy_from_user of slot {worker} failed on memory that is only ever swapped out");
            }

            return;
        }

        if (!back.AsSpan().SequenceEqual(pattern))
        {
            violations.Enqueue($"slot {worker} read back other bytes than were written");
            return;
        }

        lastWritten[worker] = pattern;
        Interlocked.Increment(ref copied);
    }

    // Memory the hostile threads keep changing: any result is fine, a hang or a report is not.
    // Reads go anywhere (re-tagged granules included: a tag mismatch is a permanent fault for
    // them); the atomics stay on even granules, which are never re-tagged, so what they do is the
    // same whether or not the backend's atomics check tags.
    private void TouchChurn(Random random)
    {
        var page = ChurnPage(random);
        if (random.Next(2) == 0)
        {
            _ = GetUser(out uint _, (page + (random.Next(pageSize / sizeof(uint)) * sizeof(uint))).Cast<uint>());
            return;
        }

        _ = IncrementUser((page + (random.Next(pageSize / 32) * 32) + (random.Next(4) * sizeof(uint))).Cast<uint>());
    }

    private void HostileLoop(int hostile)
    {
        var random = new Random(options.Seed * 104729 + hostile);
        while (!stop)
        {
            string action = random.Next(mte ? 9 : 8) switch
            {
                0 => Do("swap out", () => mm.SwapOut(counters, (ulong)pageSize)),
                1 => Do("swap out", () => mm.SwapOut(copies + (random.Next(options.TaskThreads + 1) * (long)pageSize), (ulong)pageSize)),
                2 => Do("mprotect", () =>
                {
                    // A window in which increments fail for good: they must not count.
                    mm.Mprotect(counters, (ulong)pageSize, Prot.Read);
                    Thread.Yield();
                    mm.Mprotect(counters, (ulong)pageSize, Prot.Read | Prot.Write);
                }),
                3 => Do("munmap and re-mmap", () =>
                {
                    mm.Munmap(churn, (ulong)(pageSize * ChurnPages));
                    Thread.Yield();
                    mm.Mmap((ulong)(pageSize * ChurnPages), Prot.Read | Prot.Write | (mte ? Prot.Mte : Prot.None), MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, churn);
                }),
                4 => Do("mprotect", () => mm.Mprotect(ChurnPage(random), (ulong)pageSize, random.Next(2) == 0 ? Prot.None : Prot.Read)),
                5 => Do("poison", () => mm.Poison(ChurnPage(random))),
                6 => Do("swap out", () => mm.SwapOut(churn, (ulong)(pageSize * ChurnPages))),
                7 => Do("SIGKILL", () => Volatile.Read(ref running[random.Next(options.TaskThreads)])?.SendSignal(Signal.SIGKILL)),
                _ => Do("re-tag", () => mm.SetMemoryTag(ChurnPage(random) + (((2 * random.Next(pageSize / 32)) + 1) * 16), 16, (byte)random.Next(16))),
            };
            Thread.Yield();
        }
    }

    private UserPtr ChurnPage(Random random) => churn + (random.Next(ChurnPages) * (long)pageSize);

    // A change that the other hostile thread made impossible (the range was just unmapped) is not injected.
    private string Do(string action, Action change)
    {
        try
        {
            change();
            injected.AddOrUpdate(action, 1, (_, n) => n + 1);
        }
        catch (Exception e) when (e is InvalidOperationException or SegmentationFaultException or ArgumentException)
        {
        }

        return action;
    }
}
