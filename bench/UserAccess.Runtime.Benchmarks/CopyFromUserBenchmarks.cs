using System;
using BenchmarkDotNet.Attributes;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Benchmarks;

/// <summary>
/// <c>copy_from_user()</c> on present pages against <see cref="Span{T}.CopyTo"/>. Each benchmark runs
/// a batch inside one <see cref="TaskStruct.Run"/> so the figure is the per-copy cost, not Run's.
/// </summary>
[MemoryDiagnoser]
public class CopyFromUserBenchmarks
{
    private TaskStruct task = null!;
    private UserPtr buffer;
    private byte[] plain = null!;
    private byte[] destination = null!;

    /// <summary>Bytes per copy.</summary>
    [Params(4096, 65536)]
    public int CopySize { get; set; }

    /// <summary>A process with a populated 64 KiB buffer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var machine = new Machine(Arch.X86_64);
        var mm = machine.CreateProcess();
        task = mm.CreateTask("bench");
        buffer = mm.Mmap(65536, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        plain = new byte[65536];
        destination = new byte[65536];
    }

    /// <summary><c>copy_from_user()</c> of <see cref="CopySize"/> bytes from present pages.</summary>
    [Benchmark(OperationsPerInvoke = 16)]
    public int CopyFromUserPresent()
    {
        int left = 0;
        task.Run(() =>
        {
            for (int i = 0; i < 16; i++)
            {
                left += CopyFromUser(destination.AsSpan(0, CopySize), buffer);
            }

            return 0;
        });
        return left;
    }

    /// <summary>The same bytes with <see cref="Span{T}.CopyTo"/>.</summary>
    [Benchmark(OperationsPerInvoke = 16, Baseline = true)]
    public int SpanCopyTo()
    {
        for (int i = 0; i < 16; i++)
        {
            plain.AsSpan(0, CopySize).CopyTo(destination);
        }

        return destination[0];
    }
}
