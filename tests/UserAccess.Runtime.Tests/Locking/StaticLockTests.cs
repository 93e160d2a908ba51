using System;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;

namespace UserAccess.Runtime.Tests.Locking;

// DEFINE_MUTEX / DEFINE_SPINLOCK / DECLARE_RWSEM (include/linux/mutex.h, spinlock_types.h,
// rwsem.h): a lock defined statically, ready without an init call. In the simulator a static
// lock binds to the machine of the first task that takes it: a machine is a whole kernel, and
// one lock shared by two of them would be a bug in the test, not something a kernel can do.
public class StaticLockTests
{
    private static readonly KernelMutex StaticMutex = new();

    private static TaskStruct NewTask(out Machine machine)
    {
        machine = new Machine(Arch.X86_64, new MachineOptions { OnReport = ReportAction.Record });
        return machine.CreateProcess().CreateTask("t");
    }

    [Fact]
    public void AParameterlessLockBindsToTheFirstMachineThatTakesIt()
    {
        var mutex = new KernelMutex();
        var spinlock = new KernelSpinlock();
        var rwsem = new RwSemaphore();
        Assert.Null(mutex.Machine);
        var task = NewTask(out var machine);
        task.Run(() =>
        {
            mutex.Lock();
            Assert.True(mutex.IsHeldByCurrent);
            mutex.Unlock();
            spinlock.Lock();
            spinlock.Unlock();
            Assert.Equal(0, rwsem.DownReadKillable());
            rwsem.UpRead();
            return 0;
        });

        Assert.Same(machine, mutex.Machine);
        Assert.Same(machine, spinlock.Machine);
        Assert.Same(machine, rwsem.Machine);
        Assert.Empty(machine.Reports);
    }

    [Fact]
    public void TakingAStaticLockFromASecondMachineIsAClearError()
    {
        var first = NewTask(out var machineA);
        var second = NewTask(out var machineB);
        var mutex = new KernelMutex();
        first.Run(() =>
        {
            mutex.Lock();
            mutex.Unlock();
            return 0;
        });

        var e = Assert.Throws<InvalidOperationException>(() => second.Run(() =>
        {
            mutex.Lock();
            return 0;
        }));
        Assert.Contains(machineA.ToString(), e.Message);
        Assert.Contains(machineB.ToString(), e.Message);
        Assert.False(mutex.IsHeldByCurrent);
    }

    [Fact]
    public void ALockCreatedForOneMachineIsRefusedByAnother()
    {
        var task = NewTask(out var machineB);
        var machineA = new Machine(Arch.Arm64);
        var sem = new RwSemaphore(machineA, "a_sem");
        var e = Assert.Throws<InvalidOperationException>(() => task.Run(() => sem.DownReadKillable()));
        Assert.Contains("a_sem", e.Message);
        Assert.Contains(machineA.ToString(), e.Message);
        Assert.Contains(machineB.ToString(), e.Message);
    }

    [Fact]
    public void AStaticReadonlyFieldWorksAsDefineMutex()
    {
        var task = NewTask(out _);
        Assert.Equal(0, task.Run(() =>
        {
            if (StaticMutex.LockKillable() != 0)
            {
                return -EINTR;
            }

            StaticMutex.Unlock();
            return 0;
        }));
    }

    [Fact]
    public void AReadTrylockByATaskThatAlreadyReadsSucceedsSilently()
    {
        // kernel/locking/rwsem.c down_read_trylock() fails only against a writer, and lockdep does
        // not validate trylocks (validate_chain() skips hlock->trylock).
        var task = NewTask(out var machine);
        var sem = new RwSemaphore(machine, "sem");
        Assert.Equal(1, task.Run(() =>
        {
            sem.DownRead();
            bool again = sem.DownReadTrylock();
            if (again)
            {
                sem.UpRead();
            }

            sem.UpRead();
            return again ? 1 : 0;
        }));
        Assert.Empty(machine.Reports);
    }
}
