using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace UserAccess.Runtime.Exploration;

/// <summary>One run to make: its backend, its fault, and the work, which watches its <see cref="RunControl"/>.</summary>
internal sealed class RunJob
{
    internal RunJob(Arch arch, Fault fault, Func<RunControl, ExplorationRun> work)
    {
        Arch = arch;
        Fault = fault;
        Work = work;
    }

    internal Arch Arch { get; }

    internal Fault Fault { get; }

    internal Func<RunControl, ExplorationRun> Work { get; }

    internal RunControl Control { get; } = new();
}

/// <summary>
/// Runs independent jobs on worker threads kept for the life of the process (one per core, so an
/// exploration pays no thread start), while the calling thread is the watchdog: a job past the
/// timeout is recorded as a hang, told to unwind at its next user access or sleep, and its worker
/// replaced, so the caller always gets its results back.
/// </summary>
internal static class RunPool
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);
    private static readonly ConcurrentQueue<Batch> Offers = new();
    private static readonly SemaphoreSlim Offered = new(0);
    private static int workers;

    internal static ExplorationRun[] Execute(IReadOnlyList<RunJob> jobs, int parallelism, TimeSpan timeout)
    {
        if (jobs.Count == 0)
        {
            return Array.Empty<ExplorationRun>();
        }

        var batch = new Batch(jobs);
        int helpers = Math.Max(1, Math.Min(parallelism, jobs.Count));
        EnsureWorkers(helpers);
        Offer(batch, helpers);

        long limit = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!batch.Done.Wait(Tick))
        {
            for (int i = 0; i < jobs.Count; i++)
            {
                if (batch.Overdue(i, limit) is { } worker)
                {
                    // The hang is recorded before the run is told to unwind, so that what the
                    // unwinding run returns cannot take its place.
                    batch.Complete(i, new ExplorationRun(i, jobs[i].Arch, jobs[i].Fault.Name, ExplorationOutcome.Hang, Array.Empty<Report>(), null, $"still running after {timeout.TotalSeconds:0.#} s (watchdog)"));
                    jobs[i].Control.Cancel();
                    worker.Abandoned = true;
                    Interlocked.Decrement(ref workers);
                    EnsureWorkers(helpers);
                    Offer(batch, 1);
                }
            }
        }

        return batch.Results();
    }

    private static void Offer(Batch batch, int helpers)
    {
        for (int i = 0; i < helpers; i++)
        {
            Offers.Enqueue(batch);
        }

        Offered.Release(helpers);
    }

    private static void EnsureWorkers(int wanted)
    {
        while (true)
        {
            int current = Volatile.Read(ref workers);
            if (current >= wanted)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref workers, current + 1, current) == current)
            {
                var worker = new Worker();
                new Thread(worker.Loop) { IsBackground = true, Name = "exploration run" }.Start();
            }
        }
    }

    /// <summary>The jobs of one <see cref="Execute"/> and their results; workers join it by taking an offer.</summary>
    private sealed class Batch
    {
        private readonly IReadOnlyList<RunJob> jobs;
        private readonly ExplorationRun?[] results;
        private readonly Worker?[] runners;
        private readonly long[] started;
        private int next = -1;
        private int completed;

        internal Batch(IReadOnlyList<RunJob> jobs)
        {
            this.jobs = jobs;
            results = new ExplorationRun?[jobs.Count];
            runners = new Worker?[jobs.Count];
            started = new long[jobs.Count];
        }

        internal ManualResetEventSlim Done { get; } = new();

        /// <summary>Runs jobs until none is left or the worker was abandoned.</summary>
        internal void Work(Worker worker)
        {
            while (!worker.Abandoned)
            {
                int index = Interlocked.Increment(ref next);
                if (index >= jobs.Count)
                {
                    return;
                }

                var job = jobs[index];
                Volatile.Write(ref started[index], Stopwatch.GetTimestamp());
                Volatile.Write(ref runners[index], worker);
                ExplorationRun run;
                try
                {
                    run = job.Work(job.Control);
                }
                catch (Exception e)
                {
                    run = new ExplorationRun(index, job.Arch, job.Fault.Name, ExplorationOutcome.Exception, Array.Empty<Report>(), null, Explorer.Describe(e));
                }

                Complete(index, run);
            }
        }

        /// <summary>The worker of job <paramref name="index"/> when it has run longer than <paramref name="limit"/> ticks without a result.</summary>
        internal Worker? Overdue(int index, long limit) =>
            Volatile.Read(ref results[index]) is null && Volatile.Read(ref runners[index]) is { } worker
            && Stopwatch.GetTimestamp() - Volatile.Read(ref started[index]) > limit
                ? worker
                : null;

        /// <summary>The first result for a job wins: a hang recorded by the watchdog stays a hang.</summary>
        internal void Complete(int index, ExplorationRun run)
        {
            if (Interlocked.CompareExchange(ref results[index], run, null) is null && Interlocked.Increment(ref completed) == results.Length)
            {
                Done.Set();
            }
        }

        internal ExplorationRun[] Results() => Array.ConvertAll(results, r => r!);
    }

    private sealed class Worker
    {
        private volatile bool abandoned;

        internal bool Abandoned
        {
            get => abandoned;
            set => abandoned = value;
        }

        internal void Loop()
        {
            while (!abandoned)
            {
                Offered.Wait();
                if (Offers.TryDequeue(out var batch))
                {
                    batch.Work(this);
                }
            }
        }
    }
}
