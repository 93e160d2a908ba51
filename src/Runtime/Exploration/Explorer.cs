using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;

namespace UserAccess.Runtime.Exploration;

/// <summary>
/// Systematic fault injection, the kernel's <c>fail-nth</c> and <c>fail_usercopy</c> made
/// exhaustive: runs a function once clean to see which user pages, accesses and sleeps it has, then
/// once per placed fault, each on a fresh machine, and judges every run by the dynamic checks,
/// exceptions, the watchdog and the target's <see cref="ExplorationTarget.Check"/>. Use it to
/// confirm at run time what an analyzer says statically, and to show that a fix holds.
/// </summary>
public static class Explorer
{
    private const int CacheLine = 64;

    private static readonly Arch[] EveryArch = { Arch.X86_64, Arch.Arm64, Arch.Arc, Arch.PowerPC64BE, Arch.I386 };

    private static readonly PageState[] States =
    {
        PageState.NotPresent, PageState.SwappedOut, PageState.ZeroPage, PageState.ReadOnly, PageState.NotMapped, PageState.Poisoned,
    };

    private static readonly HostileAction[] Hostile = { HostileAction.Unmap, HostileAction.SwapOut, HostileAction.Retag, HostileAction.MakeReadOnly };

    // The setup of the run on this thread, for MayMisalign.
    [ThreadStatic]
    private static SetupContext? setup;

    /// <summary>
    /// Explores <paramref name="target"/>: a clean run per backend, then one run per fault placed
    /// (every touched page in every state, an MTE tag mismatch at every touched granule on arm64,
    /// the n-th user access failing, a hostile second task between any two user accesses, SIGKILL
    /// at the n-th sleep, the misaligned variants of <see cref="MayMisalign(UserPtr)"/> pointers).
    /// Deterministic and bounded by <see cref="ExplorationOptions.MaxRuns"/>; never hangs the caller.
    /// </summary>
    public static ExplorationResult Run(ExplorationTarget target, ExplorationOptions? options = null)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        options ??= new ExplorationOptions();
        var arches = target.Arches ?? EveryArch;
        var plans = new List<Fault>[arches.Count];
        var cleanJobs = arches.Select((arch, a) => new RunJob(arch, Fault.None, control =>
        {
            var record = new CleanRecord();
            var run = RunOnce(target, arch, Fault.None, options, control, record);

            // A clean run the watchdog gave up on recorded nothing worth placing faults on.
            plans[a] = control.Cancelled ? new List<Fault>() : Plan(target, arch, record, options);
            return run;
        })).Take(Math.Max(0, options.MaxRuns)).ToArray();
        var cleanRuns = RunPool.Execute(cleanJobs, options.Parallelism, options.Timeout);

        // Backends take turns, so that a MaxRuns cut leaves each of them explored alike.
        var faultJobs = new List<RunJob>();
        int planned = cleanJobs.Length;
        var queues = plans.Select(p => p ?? new List<Fault>()).ToArray();
        planned += queues.Sum(q => q.Count);
        for (int i = 0; faultJobs.Count + cleanJobs.Length < options.MaxRuns && queues.Any(q => i < q.Count); i++)
        {
            for (int a = 0; a < queues.Length && faultJobs.Count + cleanJobs.Length < options.MaxRuns; a++)
            {
                if (i < queues[a].Count)
                {
                    var arch = arches[a];
                    var fault = queues[a][i];
                    faultJobs.Add(new RunJob(arch, fault, control => RunOnce(target, arch, fault, options, control, record: null)));
                }
            }
        }

        var runs = cleanRuns.Concat(RunPool.Execute(faultJobs, options.Parallelism, options.Timeout)).ToArray();
        for (int i = 0; i < runs.Length; i++)
        {
            runs[i].Index = i;
        }

        return new ExplorationResult(runs, planned);
    }

    /// <summary>Reruns exactly the run that found <paramref name="failure"/>, on a fresh machine.</summary>
    public static ExplorationRun Replay(ExplorationTarget target, ExplorationFailure failure, ExplorationOptions? options = null)
    {
        if (failure is null)
        {
            throw new ArgumentNullException(nameof(failure));
        }

        return Replay(target, failure.Arch, failure.Fault, options);
    }

    /// <summary>Reruns the run of <paramref name="arch"/> that placed the fault named <paramref name="fault"/> (as a failure line prints it).</summary>
    public static ExplorationRun Replay(ExplorationTarget target, Arch arch, string fault, ExplorationOptions? options = null)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        options ??= new ExplorationOptions();
        Fault? placed = null;
        var find = new RunJob(arch, Fault.None, control =>
        {
            var record = new CleanRecord();
            var run = RunOnce(target, arch, Fault.None, options, control, record);
            placed = fault == Fault.None.Name ? Fault.None : Plan(target, arch, record, options).FirstOrDefault(f => f.Name == fault);
            return run;
        });
        var clean = RunPool.Execute(new[] { find }, 1, options.Timeout)[0];
        if (placed is null)
        {
            throw new ArgumentException($"no run of {arch.Name} places \"{fault}\"", nameof(fault));
        }

        if (placed.Kind == FaultKind.None)
        {
            return clean;
        }

        var again = new RunJob(arch, placed, control => RunOnce(target, arch, placed, options, control, record: null));
        return RunPool.Execute(new[] { again }, 1, options.Timeout)[0];
    }

    /// <summary>
    /// Offers <paramref name="pointer"/> to the explorer for misalignment: call it in
    /// <see cref="ExplorationTarget.Setup"/> on a pointer the caller of the explored function
    /// controls, and pass on what it returns. The clean run gets the pointer itself; the explorer
    /// adds runs with it moved by a few bytes, across a cache line and across a page. Outside an
    /// exploration it returns the pointer unchanged.
    /// </summary>
    public static UserPtr MayMisalign(UserPtr pointer) => new(Misalign(pointer.Address, sizeof(ulong)));

    /// <summary>Offers a typed pointer for misalignment (see <see cref="MayMisalign(UserPtr)"/>); the variants split a <typeparamref name="T"/>.</summary>
    public static UserPtr<T> MayMisalign<T>(UserPtr<T> pointer) where T : unmanaged => new(Misalign(pointer.Address, Unsafe.SizeOf<T>()));

    internal static string ArchPropertyName(Arch arch) =>
        arch == Arch.X86_64 ? nameof(Arch.X86_64)
        : arch == Arch.Arm64 ? nameof(Arch.Arm64)
        : arch == Arch.Arc ? nameof(Arch.Arc)
        : arch == Arch.PowerPC64BE ? nameof(Arch.PowerPC64BE)
        : arch == Arch.I386 ? nameof(Arch.I386)
        : arch.Name;

    internal static string Describe(Exception e)
    {
        string message = e.Message;
        int nl = message.IndexOf('\n', StringComparison.Ordinal);
        return $"{e.GetType().Name}: {(nl < 0 ? message : message.Substring(0, nl))}";
    }

    internal static IEnumerable<ulong> Granules(ulong address, int size)
    {
        const ulong granule = 16;
        ulong end = address + (ulong)Math.Max(size, 1);
        for (ulong g = address & ~(granule - 1); g < end; g += granule)
        {
            yield return g;
        }
    }

    private static ulong Misalign(ulong address, int size)
    {
        if (setup is not { } context)
        {
            return address;
        }

        int slot = context.NextSlot++;
        context.Record?.Slots.Add((address, size));
        return context.Fault.Kind == FaultKind.Misaligned && context.Fault.Slot == slot ? address + (ulong)context.Fault.Offset : address;
    }

    /// <summary>One run: a fresh machine, the setup, the fault placed, the body as a task, then the judgement.</summary>
    private static ExplorationRun RunOnce(ExplorationTarget target, Arch arch, Fault fault, ExplorationOptions options, RunControl control, CleanRecord? record)
    {
        var machine = new Machine(arch, new MachineOptions
        {
            OnReport = ReportAction.Record,
            LivelockThreshold = options.LivelockThreshold,
            HungTaskTimeout = options.HungTaskTimeout,
        });
        var mm = machine.CreateProcess();
        object? args;
        try
        {
            args = Setup(target, mm, fault, record);
            switch (fault.Kind)
            {
                case FaultKind.PageState:
                    mm.Place(fault.Address, fault.State);
                    break;
                case FaultKind.TagMismatch:
                    mm.MismatchTag(fault.Address);
                    break;
            }
        }
        catch (Exception e)
        {
            return Finish(ExplorationOutcome.Exception, null, "setup: " + Describe(e));
        }

        var task = mm.CreateTask("explored");
        task.Hooks = new RunHooks(fault, mm, control, record);
        int result;
        try
        {
            result = task.Run(() => target.Body(args));
        }
        catch (Exception e)
        {
            // A body called through reflection gets a check's unwinding wrapped on its way out:
            // the report, not the wrapper, says what happened.
            return machine.Reports is { Count: > 0 } fired
                ? Finish(ExplorationOutcome.Report, null, FirstLine(fired[0]))
                : Finish(ExplorationOutcome.Exception, null, Describe(e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e));
        }

        task.Hooks = null;
        if (task.Oops is { } oops)
        {
            return Finish(ExplorationOutcome.Report, null, FirstLine(oops));
        }

        if (machine.Reports is { Count: > 0 } reports)
        {
            return Finish(ExplorationOutcome.Report, result, FirstLine(reports[0]));
        }

        string? broken;
        try
        {
            broken = target.Check?.Invoke(mm, args, result);
        }
        catch (Exception e)
        {
            return Finish(ExplorationOutcome.Exception, result, "check: " + Describe(e));
        }

        return broken is null ? Finish(ExplorationOutcome.Clean, result, null) : Finish(ExplorationOutcome.CheckFailed, result, broken);

        ExplorationRun Finish(ExplorationOutcome outcome, int? returned, string? detail) =>
            new(0, arch, fault.Name, outcome, machine.Reports, returned, detail);
    }

    private static object? Setup(ExplorationTarget target, Mm mm, Fault fault, CleanRecord? record)
    {
        var previous = setup;
        setup = new SetupContext(fault, record);
        try
        {
            return target.Setup(mm);
        }
        finally
        {
            setup = previous;
        }
    }

    private static string FirstLine(Report report) =>
        $"{report.Kind}: {report.Message.Split('\n').FirstOrDefault(l => l.Trim('=', '-', ' ').Length > 0) ?? report.Message}";

    /// <summary>The faults for one backend, from what its clean run touched and what the setup leaves in memory.</summary>
    private static List<Fault> Plan(ExplorationTarget target, Arch arch, CleanRecord record, ExplorationOptions options)
    {
        var faults = new List<Fault>();

        // A second setup on its own machine shows each page as the body finds it.
        var mm = new Machine(arch, new MachineOptions { OnReport = ReportAction.Record }).CreateProcess();
        Setup(target, mm, Fault.None, record: null);

        ulong pageMask = ~(ulong)(arch.PageSize - 1);
        var accesses = record.Accesses.Select(a => (Address: arch.UntaggedAddress(a.Address), a.Size)).ToArray();
        ulong PageOf((ulong Address, int Size) access) => access.Address & pageMask;
        var pages = accesses
            .SelectMany(a => new[] { a.Address & pageMask, (a.Address + (ulong)Math.Max(a.Size - 1, 0)) & pageMask })
            .Distinct()
            .ToArray();
        foreach (ulong page in pages)
        {
            foreach (var state in States)
            {
                if (mm.CanPlace(page, state))
                {
                    faults.Add(new Fault(FaultKind.PageState, $"{state} 0x{page:x}") { Address = page, State = state });
                }
            }
        }

        if (arch.HasMte)
        {
            foreach (ulong granule in accesses.SelectMany(a => Granules(a.Address, a.Size)).Distinct().Where(mm.IsTagChecked))
            {
                faults.Add(new Fault(FaultKind.TagMismatch, $"MTE tag mismatch at 0x{granule:x}") { Address = granule });
            }
        }

        int counted = Math.Min(record.AccessCount, accesses.Length);
        for (int n = 1; n <= counted; n++)
        {
            faults.Add(new Fault(FaultKind.FailNth, $"fail-nth {n}") { N = n });
        }

        for (int k = 1; k < counted; k++)
        {
            var before = accesses[k - 1];
            var after = accesses[k];
            foreach (var access in PageOf(before) == PageOf(after) ? new[] { after } : new[] { after, before })
            {
                ulong page = PageOf(access);
                foreach (var action in Hostile)
                {
                    if (action == HostileAction.Retag && !mm.IsTagChecked(page))
                    {
                        continue;
                    }

                    faults.Add(new Fault(FaultKind.Hostile, $"hostile {Verb(action)} of 0x{page:x} between access {k} and {k + 1}")
                    {
                        Address = action == HostileAction.Retag ? access.Address : page,
                        Size = access.Size,
                        N = k,
                        Action = action,
                    });
                }
            }
        }

        for (int n = 1; n <= Math.Min(record.SleepCount, RunHooks.MaxRecorded); n++)
        {
            faults.Add(new Fault(FaultKind.FatalSignal, $"SIGKILL at wait {n}") { N = n });
        }

        for (int slot = 0; slot < record.Slots.Count; slot++)
        {
            var (address, size) = record.Slots[slot];
            foreach (long offset in MisalignedOffsets(arch.UntaggedAddress(address), size, arch.PageSize))
            {
                string name = record.Slots.Count == 1 ? $"misaligned +{offset}" : $"misaligned argument {slot} +{offset}";
                faults.Add(new Fault(FaultKind.Misaligned, name) { Slot = slot, Offset = offset });
            }
        }

        return faults;
    }

    // A byte off, half the value off, the value split across a cache line, and across a page.
    private static IEnumerable<long> MisalignedOffsets(ulong address, int size, int pageSize)
    {
        if (size < 2)
        {
            return Array.Empty<long>();
        }

        long half = size / 2;
        long lineCross = Modulo(CacheLine - half - (long)(address % CacheLine), CacheLine);
        long pageCross = Modulo(pageSize - half - (long)(address % (ulong)pageSize), pageSize);
        return new[] { 1, half, lineCross, pageCross }.Where(o => o > 0 && o % size != 0).Distinct().OrderBy(o => o);
    }

    private static long Modulo(long value, long modulus) => ((value % modulus) + modulus) % modulus;

    private static string Verb(HostileAction action) => action switch
    {
        HostileAction.Unmap => "unmap",
        HostileAction.SwapOut => "swap-out",
        HostileAction.Retag => "re-tag",
        _ => "make read-only",
    };

    private sealed class SetupContext
    {
        internal SetupContext(Fault fault, CleanRecord? record)
        {
            Fault = fault;
            Record = record;
        }

        internal Fault Fault { get; }

        internal CleanRecord? Record { get; }

        internal int NextSlot { get; set; }
    }
}
