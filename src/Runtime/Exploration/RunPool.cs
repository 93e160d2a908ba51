using System;
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
/// Runs independent jobs on dedicated worker threads (one per core) while the calling thread is
/// the watchdog: a job past the timeout is recorded as a hang, told to unwind at its next user
/// access or sleep, and its worker replaced, so the caller always gets its results back.
/// </summary>
internal static class RunPool
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);

    internal static ExplorationRun[] Execute(IReadOnlyList<RunJob> jobs, int parallelism, TimeSpan timeout)
    {
        var results = new ExplorationRun?[jobs.Count];
        if (jobs.Count == 0)
        {
            return Array.Empty<ExplorationRun>();
        }

        var shared = new Shared(jobs, results);
        var workers = new List<Worker>();
        for (int i = 0; i < Math.Max(1, Math.Min(parallelism, jobs.Count)); i++)
        {
            workers.Add(Worker.Start(shared));
        }

        long limit = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!shared.Done.Wait(Tick))
        {
            for (int w = 0; w < workers.Count; w++)
            {
                var worker = workers[w];
                int current = worker.Current;
                if (current < 0 || Stopwatch.GetTimestamp() - worker.Started <= limit)
                {
                    continue;
                }

                var job = jobs[current];
                job.Control.Cancel();
                worker.Abandon();
                shared.Complete(current, new ExplorationRun(current, job.Arch, job.Fault.Name, ExplorationOutcome.Hang, Array.Empty<Report>(), null, $"still running after {timeout.TotalSeconds:0.#} s (watchdog)"));
                workers[w] = Worker.Start(shared);
            }
        }

        var done = new ExplorationRun[results.Length];
        for (int i = 0; i < results.Length; i++)
        {
            done[i] = results[i]!;
        }

        return done;
    }

    private sealed class Shared
    {
        private readonly ExplorationRun?[] results;
        private int next = -1;
        private int completed;

        internal Shared(IReadOnlyList<RunJob> jobs, ExplorationRun?[] results)
        {
            Jobs = jobs;
            this.results = results;
        }

        internal IReadOnlyList<RunJob> Jobs { get; }

        internal ManualResetEventSlim Done { get; } = new();

        internal int Take() => Interlocked.Increment(ref next);

        /// <summary>The first result for a job wins: a hang recorded by the watchdog stays a hang.</summary>
        internal void Complete(int index, ExplorationRun run)
        {
            if (Interlocked.CompareExchange(ref results[index], run, null) is null && Interlocked.Increment(ref completed) == results.Length)
            {
                Done.Set();
            }
        }
    }

    private sealed class Worker
    {
        private readonly Shared shared;
        private volatile int current = -1;
        private volatile bool abandoned;

        private Worker(Shared shared) => this.shared = shared;

        internal int Current => current;

        internal long Started { get; private set; }

        internal static Worker Start(Shared shared)
        {
            var worker = new Worker(shared);
            new Thread(worker.Loop) { IsBackground = true, Name = "exploration run" }.Start();
            return worker;
        }

        internal void Abandon()
        {
            abandoned = true;
            current = -1;
        }

        private void Loop()
        {
            while (!abandoned)
            {
                int index = shared.Take();
                if (index >= shared.Jobs.Count)
                {
                    return;
                }

                var job = shared.Jobs[index];
                Started = Stopwatch.GetTimestamp();
                current = index;
                ExplorationRun run;
                try
                {
                    run = job.Work(job.Control);
                }
                catch (Exception e)
                {
                    run = new ExplorationRun(index, job.Arch, job.Fault.Name, ExplorationOutcome.Exception, Array.Empty<Report>(), null, Explorer.Describe(e));
                }

                current = -1;
                shared.Complete(index, run);
            }
        }
    }
}
