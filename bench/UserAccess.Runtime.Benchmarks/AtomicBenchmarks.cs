using System.Threading;
using BenchmarkDotNet.Attributes;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Benchmarks;

/// <summary>
/// <c>xchg_user()</c> of a u32 on a present page, in a nofault region as kernel code runs it,
/// against <see cref="Interlocked.Exchange(ref int, int)"/> on a managed array: the floor of a
/// locked exchange on this machine.
/// </summary>
public class AtomicBenchmarks
{
    private const int Batch = 1024;

    private TaskStruct task = null!;
    private UserPtr<uint> word;
    private int[] plain = null!;

    /// <summary>A process with a populated page.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (task, word) = BenchProcess.PresentWord();
        plain = new int[64];
    }

    /// <summary><c>xchg_user()</c> of a u32 on a present page with page faults disabled.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public uint XchgUserInatomicPresent()
    {
        uint sum = 0;
        task.Run(() =>
        {
            PagefaultDisable();
            for (int i = 0; i < Batch; i++)
            {
                _ = XchgUserInatomic(word, (uint)i, out uint old);
                sum += old;
            }

            PagefaultEnable();
            return 0;
        });
        return sum;
    }

    /// <summary>The same exchange on a managed int.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Baseline = true)]
    public int InterlockedExchange()
    {
        int sum = 0;
        for (int i = 0; i < Batch; i++)
        {
            sum += Interlocked.Exchange(ref plain[32], i);
        }

        return sum;
    }
}
