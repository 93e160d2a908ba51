using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using UserAccess.Runtime.Exploration;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Benchmarks;

/// <summary>
/// The explorer on the canonical retry loop (an xchg with page faults disabled, the fault-in on the
/// cold path), one backend at a time, on one core: an exploration cut at <see cref="Runs"/> runs,
/// so the figure per operation is the cost of one run (fresh machine, process, mapping, task,
/// setup, fault, body, judgement) and runs per second per core is its inverse.
/// </summary>
public class ExplorationBenchmarks
{
    private const int Runs = 12;

    private static readonly ExplorationOptions OneCore = new() { Parallelism = 1, MaxRuns = Runs };

    private ExplorationTarget target = null!;

    /// <summary>Every backend, by name.</summary>
    public static IReadOnlyList<Arch> Arches { get; } = new[] { Arch.X86_64, Arch.Arm64, Arch.Arc, Arch.PowerPC64BE, Arch.I386 };

    /// <summary>The backend explored.</summary>
    [ParamsSource(nameof(ArchNames))]
    public string ArchName { get; set; } = "x86_64";

    /// <summary>The backends' names, for BenchmarkDotNet.</summary>
    public static IEnumerable<string> ArchNames() => new[] { "x86_64", "arm64", "arc", "powerpc64", "i386" };

    /// <summary>The target and how many runs one exploration makes on the backend.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var arch = System.Linq.Enumerable.First(Arches, a => a.Name == ArchName);
        target = new ExplorationTarget
        {
            Arches = new[] { arch },
            Setup = mm => Explorer.MayMisalign((mm.Mmap((ulong)mm.Machine.Arch.PageSize, Prot.Read | Prot.Write) + 64).Cast<uint>()),
            Body = args => XchgCanonical((UserPtr<uint>)args!),
        };
        var result = Explorer.Run(target, OneCore);
        if (result.Runs.Count != Runs || !result.IsClean)
        {
            throw new System.InvalidOperationException($"the canonical loop should explore {Runs} clean runs on {arch.Name}: {result}");
        }
    }

    /// <summary>One exploration run, on one core.</summary>
    [Benchmark(OperationsPerInvoke = Runs)]
    public int ExplorerRun() => Explorer.Run(target, OneCore).Runs.Count;

    private static int XchgCanonical(UserPtr<uint> uaddr)
    {
        if (!uaddr.IsAligned(sizeof(uint)))
        {
            return -EINVAL;
        }

        while (true)
        {
            PagefaultDisable();
            int ret = XchgUserInatomic(uaddr, 1u, out uint _);
            PagefaultEnable();
            if (ret != -EFAULT)
            {
                return ret;
            }

            if (FatalSignalPending())
            {
                return -EINTR;
            }

            ret = FaultInUserWriteable(uaddr);
            if (ret != 0)
            {
                return ret;
            }
        }
    }
}
