using BenchmarkDotNet.Attributes;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Benchmarks;

/// <summary>
/// First touch: a <c>put_user()</c> that takes the whole fault path (mmap lock, VMA lookup, a fresh
/// zeroed page, the PTE) per page. MemoryDiagnoser's "Allocated" is the managed bytes per touched page.
/// </summary>
[MemoryDiagnoser]
public class FaultBenchmarks
{
    private const int Pages = 256;

    private Mm mm = null!;
    private TaskStruct task = null!;

    /// <summary>The backend (page size).</summary>
    [Params("x86_64", "powerpc64")]
    public string ArchName { get; set; } = "x86_64";

    /// <summary>A fresh process per benchmark.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var arch = ArchName == "x86_64" ? Arch.X86_64 : Arch.PowerPC64BE;
        mm = new Machine(arch).CreateProcess();
        task = mm.CreateTask("bench");
    }

    /// <summary>Maps <see cref="Pages"/> pages, first-touches each with a write, unmaps.</summary>
    [Benchmark(OperationsPerInvoke = Pages)]
    public int FirstTouchWritePerPage()
    {
        int pageSize = mm.Machine.Arch.PageSize;
        var region = mm.Mmap((ulong)(Pages * pageSize), Prot.Read | Prot.Write);
        int failures = task.Run(() =>
        {
            int failed = 0;
            for (int i = 0; i < Pages; i++)
            {
                failed += PutUser(1u, (region + ((long)i * pageSize)).Cast<uint>()) == 0 ? 0 : 1;
            }

            return failed;
        });
        mm.Munmap(region, (ulong)(Pages * pageSize));
        return failures;
    }
}
