using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Concurrency;

public class UserAtomicsConcurrencyTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="body"/> on <paramref name="count"/> dedicated threads; a thread that outlives the deadline fails the test instead of hanging it.</summary>
    private static int[] OnThreads(int count, Func<int, int> body)
    {
        var results = new int[count];
        var errors = new Exception?[count];
        var threads = Enumerable.Range(0, count).Select(i => new Thread(() =>
        {
            try
            {
                results[i] = body(i);
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        })
        { IsBackground = true }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            Assert.True(thread.Join(Deadline), "a thread did not finish");
        }

        Assert.All(errors, e => Assert.Null(e));
        return results;
    }

    private static Thread Background(Action body)
    {
        var thread = new Thread(() => body()) { IsBackground = true };
        thread.Start();
        return thread;
    }

    [Theory]
    [InlineData("x86_64")]
    [InlineData("arm64")]
    [InlineData("powerpc64")]
    public void CmpxchgIncrementsFromSeveralThreadsAreExactWhileThePageIsSwappedOutAndBackIn(string arch)
    {
        const int Tasks = 4;
        const int Increments = 3000;
        var machine = new Machine(Sim.ArchNamed(arch), new MachineOptions { LivelockThreshold = 1_000_000, HungTaskTimeout = TimeSpan.FromSeconds(20) });
        var mm = machine.CreateProcess();
        var counter = mm.Mmap((ulong)machine.Arch.PageSize, Prot.Read | Prot.Write).Cast<uint>() + 64;
        using var stop = new CancellationTokenSource();
        int swaps = 0;
        int faultIns = 0;

        using var swapping = new ManualResetEventSlim();
        var swapper = Background(() =>
        {
            var scratch = new byte[4];
            while (!stop.IsCancellationRequested)
            {
                mm.SwapOut(counter.Untagged.Cast<byte>() - 64, (ulong)machine.Arch.PageSize);
                Interlocked.Increment(ref swaps);
                swapping.Set();
                Thread.Yield();
                if ((swaps & 3) == 0)
                {
                    mm.UserRead(counter, scratch);
                }
            }
        });

        var results = OnThreads(Tasks, i =>
        {
            var task = mm.CreateTask($"worker{i}");
            Assert.True(swapping.Wait(Deadline));
            return task.Run(() =>
            {
                uint expected = 0;
                for (int n = 0; n < Increments; n++)
                {
                    if ((n & 31) == 0)
                    {
                        // Let the swapper in between increments, not only between test runs.
                        Thread.Yield();
                    }

                    while (true)
                    {
                        PagefaultDisable();
                        int rc = CmpxchgUserInatomic(counter, expected, expected + 1, out uint actual);
                        PagefaultEnable();
                        if (rc == -EFAULT)
                        {
                            Interlocked.Increment(ref faultIns);
                            Assert.Equal(0, FaultInUserWriteable(counter));
                            continue;
                        }

                        if (rc == -EAGAIN)
                        {
                            continue;
                        }

                        Assert.Equal(0, rc);
                        if (actual == expected)
                        {
                            expected++;
                            break;
                        }

                        expected = actual;
                    }
                }

                return 0;
            });
        });

        stop.Cancel();
        Assert.True(swapper.Join(Deadline));
        Assert.All(results, r => Assert.Equal(0, r));

        var bytes = new byte[4];
        mm.UserRead(counter, bytes);
        uint final = machine.Arch.IsBigEndian
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        Assert.Equal((uint)(Tasks * Increments), final);
        Assert.True(swaps > 0);
        Assert.True(faultIns > 0, $"the swapper ({swaps} swap-outs) never caught a worker: the test did not test the race");
        Assert.Empty(machine.Reports);
    }

    [Fact]
    public void FutexAddsFromSeveralThreadsAreExact()
    {
        const int Tasks = 4;
        const int Adds = 5000;
        var machine = new Machine(Arch.Arm64);
        var mm = machine.CreateProcess();
        var word = mm.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate).Cast<uint>();
        var results = OnThreads(Tasks, i => mm.CreateTask($"adder{i}").Run(() =>
        {
            for (int n = 0; n < Adds; n++)
            {
                int rc;
                do
                {
                    using (NoFault())
                    {
                        rc = ArchFutexAtomicOpInuser(FutexOp.Add, 1, out int _, word);
                    }
                }
                while (rc == -EAGAIN);
                Assert.Equal(0, rc);
            }

            return 0;
        }));
        Assert.All(results, r => Assert.Equal(0, r));
        var bytes = new byte[4];
        mm.UserRead(word, bytes);
        Assert.Equal((uint)(Tasks * Adds), BitConverter.ToUInt32(bytes));
    }

    [Fact]
    public void ConcurrentFirstWritesToOnePageAllSurviveTheCopyOnWriteRace()
    {
        const int Threads = 8;
        var machine = new Machine(Arch.X86_64);
        var mm = machine.CreateProcess();
        for (int round = 0; round < 20; round++)
        {
            var page = mm.Mmap(4096, Prot.Read | Prot.Write);
            var scratch = new byte[1];
            mm.UserRead(page, scratch);
            using var start = new Barrier(Threads);
            var results = OnThreads(Threads, i => mm.CreateTask($"w{i}").Run(() =>
            {
                start.SignalAndWait();
                return PutUser((ulong)(i + 1), (page + (i * 8)).Cast<ulong>());
            }));
            Assert.All(results, r => Assert.Equal(0, r));
            var bytes = new byte[Threads * 8];
            mm.UserRead(page, bytes);
            for (int i = 0; i < Threads; i++)
            {
                Assert.Equal((ulong)(i + 1), BitConverter.ToUInt64(bytes, i * 8));
            }
        }
    }

    [Fact]
    public void CopiesRacingWithMunmapEitherCopyOrFailCleanly()
    {
        var machine = new Machine(Arch.X86_64, new MachineOptions { LivelockThreshold = 1_000_000 });
        var mm = machine.CreateProcess();
        var p = mm.Mmap(2 * 4096, Prot.Read | Prot.Write);
        using var stop = new CancellationTokenSource();
        var mapper = Background(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                mm.Munmap(p + 4096, 4096);
                mm.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, p + 4096);

                // Leave the page mapped for a while so that some copies complete, even when the
                // copier's thread is starved on a loaded two-core machine.
                Thread.Sleep(1);
            }
        });
        var outcomes = new HashSet<int>();
        int result = mm.CreateTask("copier").Run(() =>
        {
            var buffer = new byte[2 * 4096];
            for (int i = 0; i < 20000 && (i < 2000 || !outcomes.Contains(0)); i++)
            {
                int left = CopyFromUser(buffer, p);
                Assert.True(left == 0 || left == 4096, $"left {left}");
                outcomes.Add(left);
            }

            return 0;
        });
        stop.Cancel();
        Assert.True(mapper.Join(Deadline));
        Assert.Equal(0, result);
        Assert.Contains(0, outcomes);
    }
}
