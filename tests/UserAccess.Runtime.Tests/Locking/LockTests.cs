using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Locking;

public class LockTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);

    private static Machine NewMachine(TimeSpan? hungTask = null) =>
        new(Arch.X86_64, new MachineOptions { OnReport = ReportAction.Record, HungTaskTimeout = hungTask ?? TimeSpan.FromSeconds(10) });

    private static Task<int> RunOnThread(TaskStruct task, Func<int> body) =>
        Task.Factory.StartNew(() => task.Run(body), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Another task, on its own thread, that holds a lock from construction until disposal.</summary>
    private sealed class HeldElsewhere : IDisposable
    {
        private readonly ManualResetEventSlim release = new();
        private readonly Task<int> holding;

        public HeldElsewhere(Mm mm, Action take, Action drop)
        {
            using var held = new ManualResetEventSlim();
            holding = RunOnThread(mm.CreateTask("holder"), () =>
            {
                take();
                held.Set();
                release.Wait(TestTimeout);
                drop();
                return 0;
            });
            // A holder that never got the lock fails the test instead of hanging the run.
            if (!held.Wait(TestTimeout))
            {
                throw new TimeoutException($"the holder did not take the lock: {holding.Status}");
            }
        }

        public void Dispose()
        {
            release.Set();
            Assert.Equal(0, holding.WaitAsync(TestTimeout).GetAwaiter().GetResult());
            release.Dispose();
        }
    }

    [Fact]
    public async Task MutexExcludesTasksOnDifferentThreads()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        var mutex = new KernelMutex(machine, "counter_lock");
        int counter = 0;
        var workers = Enumerable.Range(0, 4).Select(i => RunOnThread(mm.CreateTask($"w{i}"), () =>
        {
            for (int n = 0; n < 200; n++)
            {
                mutex.Lock();
                int seen = counter;
                Thread.Yield();
                counter = seen + 1;
                mutex.Unlock();
            }

            return 0;
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(TestTimeout);
        Assert.Equal(800, counter);
        Assert.Empty(machine.Reports);
    }

    [Fact]
    public async Task KillableWaitReturnsEintrWhenSigkillArrivesWhileWaiting()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        var waiter = mm.CreateTask("waiter");
        using (new HeldElsewhere(mm, () => MmapWriteLock(mm), () => MmapWriteUnlock(mm)))
        {
            var waiting = RunOnThread(waiter, () => MmapReadLockKillable(mm));
            await Task.Delay(100);
            Assert.False(waiting.IsCompleted);
            waiter.SendSignal(Signal.SIGKILL);
            Assert.Equal(-EINTR, await waiting.WaitAsync(TestTimeout));
        }

        Assert.Empty(machine.Reports);
    }

    [Fact]
    public async Task ContendedKillableWaitWithSigkillAlreadyPendingFailsAtOnce()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        var mutex = new KernelMutex(machine);
        var waiter = mm.CreateTask("waiter");
        waiter.SendSignal(Signal.SIGKILL);
        using (new HeldElsewhere(mm, mutex.Lock, mutex.Unlock))
        {
            Assert.Equal(-EINTR, await RunOnThread(waiter, () => mutex.LockKillable()).WaitAsync(TestTimeout));
        }
    }

    [Fact]
    public void UncontendedKillableLockSucceedsEvenWithSigkillPending()
    {
        // down_read_killable()'s fast path takes a free lock without looking at signals.
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        var task = mm.CreateTask("t");
        task.SendSignal(Signal.SIGKILL);
        Assert.Equal(0, task.Run(() =>
        {
            int ret = MmapReadLockKillable(mm);
            if (ret == 0)
            {
                MmapReadUnlock(mm);
            }

            return ret;
        }));
    }

    [Fact]
    public void TakingAMutexTwiceIsASelfDeadlockAndTheTaskIsUnwound()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        var mutex = new KernelMutex(machine, "&folio->lock");
        var task = mm.CreateTask("writer");

        Assert.Equal(TaskStruct.Killed, task.Run(() =>
        {
            mutex.Lock();
            mutex.Lock();
            return 0;
        }));

        var report = Assert.Single(machine.Reports);
        Assert.Equal(ReportKind.Deadlock, report.Kind);
        Assert.Contains("WARNING: possible recursive locking detected", report.Message);
        Assert.Contains("(&folio->lock)", report.Message);
        Assert.Same(report, task.Oops);

        // The unwound task's locks were released: another task can take the mutex.
        Assert.Equal(0, mm.CreateTask("other").Run(() =>
        {
            if (!mutex.TryLock())
            {
                return -EBUSY;
            }

            mutex.Unlock();
            return 0;
        }));
        Assert.Single(machine.Reports);
    }

    [Fact]
    public void FaultPathReadLockWhileHoldingTheWriteLockIsADeadlock()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        Assert.Equal(TaskStruct.Killed, mm.CreateTask("t").Run(() =>
        {
            MmapWriteLock(mm);
            MmapReadLock(mm);
            return 0;
        }));
        Assert.Equal(ReportKind.Deadlock, Assert.Single(machine.Reports).Kind);
    }

    [Fact]
    public void RecursiveReadIsReportedButDoesNotHang()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        Assert.Equal(0, mm.CreateTask("t").Run(() =>
        {
            MmapReadLock(mm);
            MmapReadLock(mm);
            MmapReadUnlock(mm);
            MmapReadUnlock(mm);
            return 0;
        }));
        Assert.Contains("possible recursive locking detected", Assert.Single(machine.Reports).Message);
    }

    [Fact]
    public void OppositeLockOrderInTwoTasksIsReportedBeforeItDeadlocks()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        var a = new KernelMutex(machine, "lock_a");
        var b = new KernelMutex(machine, "lock_b");
        mm.CreateTask("t1").Run(() =>
        {
            a.Lock();
            b.Lock();
            b.Unlock();
            a.Unlock();
            return 0;
        });
        Assert.Empty(machine.Reports);

        mm.CreateTask("t2").Run(() =>
        {
            b.Lock();
            a.Lock();
            a.Unlock();
            b.Unlock();
            return 0;
        });

        var report = Assert.Single(machine.Reports);
        Assert.Equal(ReportKind.Deadlock, report.Kind);
        Assert.Contains("possible circular locking dependency detected", report.Message);
    }

    [Fact]
    public void SameOrderEverywhereIsSilent()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        var a = new KernelMutex(machine, "lock_a");
        var b = new KernelMutex(machine, "lock_b");
        for (int i = 0; i < 2; i++)
        {
            mm.CreateTask($"t{i}").Run(() =>
            {
                a.Lock();
                b.Lock();
                b.Unlock();
                a.Unlock();
                return 0;
            });
        }

        Assert.Empty(machine.Reports);
    }

    [Fact]
    public async Task ARealAbbaDeadlockBetweenThreadsIsDetectedAndOneTaskUnwound()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        var a = new KernelMutex(machine, "lock_a");
        var b = new KernelMutex(machine, "lock_b");
        using var barrier = new Barrier(2);

        Func<KernelMutex, KernelMutex, Func<int>> body = (first, second) => () =>
        {
            first.Lock();
            barrier.SignalAndWait();
            second.Lock();
            second.Unlock();
            first.Unlock();
            return 0;
        };

        var t1 = RunOnThread(mm.CreateTask("t1"), body(a, b));
        var t2 = RunOnThread(mm.CreateTask("t2"), body(b, a));
        var results = await Task.WhenAll(t1, t2).WaitAsync(TestTimeout);

        Assert.Contains(TaskStruct.Killed, results);
        Assert.Contains(0, results);
        Assert.Contains(machine.Reports, r => r.Kind == ReportKind.Deadlock && r.Message.Contains("DEADLOCK"));
    }

    [Fact]
    public async Task ANonKillableWaitThatNeverEndsIsReportedByTheHungTaskDetector()
    {
        var machine = NewMachine(hungTask: TimeSpan.FromMilliseconds(300));
        var mm = machine.CreateProcess();
        var mutex = new KernelMutex(machine, "i_rwsem");
        var waiter = mm.CreateTask("waiter");
        using (new HeldElsewhere(mm, mutex.Lock, mutex.Unlock))
        {
            Assert.Equal(TaskStruct.Killed, await RunOnThread(waiter, () =>
            {
                mutex.Lock();
                return 0;
            }).WaitAsync(TestTimeout));
        }

        Assert.StartsWith($"INFO: task waiter:{waiter.Pid} blocked for more than", waiter.Oops!.Message);
    }

    [Fact]
    public void UnlockWithoutLockIsABadUnlockBalance()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        mm.CreateTask("t").Run(() =>
        {
            MmapReadUnlock(mm);
            return 0;
        });
        var report = Assert.Single(machine.Reports);
        Assert.Equal(ReportKind.Imbalance, report.Kind);
        Assert.Contains("WARNING: bad unlock balance detected!", report.Message);
    }

    [Fact]
    public void ReturningWithALockHeldIsReportedAndTheLockFreed()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        mm.CreateTask("leaky").Run(() =>
        {
            MmapReadLock(mm);
            return 0;
        });
        var report = Assert.Single(machine.Reports);
        Assert.Equal(ReportKind.Imbalance, report.Kind);
        Assert.Contains("WARNING: lock held when returning to user space!", report.Message);
        Assert.Contains("&mm->mmap_lock", report.Message);

        Assert.Equal(0, mm.CreateTask("writer").Run(() => MmapWriteLockKillable(mm) == 0 ? Unlock(mm) : -1));

        static int Unlock(Mm mm)
        {
            MmapWriteUnlock(mm);
            return 0;
        }
    }

    [Fact]
    public void ASpinlockMakesTheHolderAtomic()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        var spin = new KernelSpinlock(machine, "&hb->lock");
        mm.CreateTask("t").Run(() =>
        {
            spin.Lock();
            Assert.True(InAtomic());
            MmapReadLock(mm);
            MmapReadUnlock(mm);
            spin.Unlock();
            Assert.False(InAtomic());
            return 0;
        });
        var report = Assert.Single(machine.Reports);
        Assert.Equal(ReportKind.SleepInAtomic, report.Kind);
        Assert.StartsWith("BUG: sleeping function called from invalid context at mmap_read_lock", report.Message);
    }

    [Fact]
    public void TakingTheMmapLockWithPageFaultsDisabledIsFaultHandlingInANofaultRegion()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        mm.CreateTask("t").Run(() =>
        {
            using (NoFault())
            {
                MmapReadLock(mm);
                MmapReadUnlock(mm);
            }

            return 0;
        });
        Assert.Equal(ReportKind.FaultHandlingInNofault, Assert.Single(machine.Reports).Kind);
    }

    [Fact]
    public void TakingAMutexWithPageFaultsDisabledIsAllowed()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        var mutex = new KernelMutex(machine);
        mm.CreateTask("t").Run(() =>
        {
            PagefaultDisable();
            mutex.Lock();
            mutex.Unlock();
            PagefaultEnable();
            return 0;
        });
        Assert.Empty(machine.Reports);
    }

    [Fact]
    public async Task ReadersShareAndAWriterExcludesThem()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        var sem = new RwSemaphore(machine, "&sb->s_umount");
        using var readerIn = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var reader = RunOnThread(mm.CreateTask("r1"), () =>
        {
            sem.DownRead();
            readerIn.Set();
            release.Wait(TestTimeout);
            sem.UpRead();
            return 0;
        });
        Assert.True(readerIn.Wait(TestTimeout), "the first reader did not take the rwsem");

        Assert.Equal(1, mm.CreateTask("r2").Run(() =>
        {
            bool got = sem.DownReadTrylock();
            if (got)
            {
                sem.UpRead();
            }

            return got ? 1 : 0;
        }));

        var writer = RunOnThread(mm.CreateTask("w"), () =>
        {
            sem.DownWrite();
            sem.UpWrite();
            return 7;
        });
        await Task.Delay(100);
        Assert.False(writer.IsCompleted);
        release.Set();
        Assert.Equal(7, await writer.WaitAsync(TestTimeout));
        await reader.WaitAsync(TestTimeout);
        Assert.Empty(machine.Reports);
    }

    [Fact]
    public void IsHeldByCurrentFollowsTheOwner()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        mm.CreateTask("t").Run(() =>
        {
            Assert.False(mm.MmapLock.IsHeldByCurrent);
            MmapReadLock(mm);
            Assert.True(mm.MmapLock.IsHeldByCurrent);
            MmapReadUnlock(mm);
            return 0;
        });
    }
}
