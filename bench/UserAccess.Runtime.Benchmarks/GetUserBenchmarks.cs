using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Benchmarks;

/// <summary>
/// <c>get_user()</c> of a u32 on a present page against reading the same four bytes from a managed
/// array. The batch runs inside one <see cref="TaskStruct.Run"/> so the figure is per access.
/// </summary>
[MemoryDiagnoser]
public class GetUserBenchmarks
{
    private const int Batch = 1024;

    private TaskStruct task = null!;
    private UserPtr<uint> word;
    private byte[] plain = null!;

    /// <summary>A process with a populated page.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (task, word) = BenchProcess.PresentWord();
        plain = new byte[4096];
    }

    /// <summary><c>get_user()</c> of a u32 on a present page.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public uint GetUserPresent()
    {
        uint sum = 0;
        task.Run(() =>
        {
            for (int i = 0; i < Batch; i++)
            {
                _ = GetUser(out uint value, word);
                sum += value;
            }

            return 0;
        });
        return sum;
    }

    /// <summary><c>__get_user()</c>: the same access without <c>might_fault()</c>'s lockdep check.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public uint GetUserUncheckedPresent()
    {
        uint sum = 0;
        task.Run(() =>
        {
            for (int i = 0; i < Batch; i++)
            {
                _ = GetUserUnchecked(out uint value, word);
                sum += value;
            }

            return 0;
        });
        return sum;
    }

    /// <summary>The same four bytes read from a managed array.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Baseline = true)]
    public uint MemoryMarshalRead()
    {
        uint sum = 0;
        for (int i = 0; i < Batch; i++)
        {
            sum += MemoryMarshal.Read<uint>(plain.AsSpan(128));
        }

        return sum;
    }
}
