using System;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Locking;

// mm/memory.c __might_fault(): "if (current->mm) might_lock_read(&current->mm->mmap_lock);", a
// lock_acquire() + lock_release() pair, so lockdep records "A held, then mmap_lock" for every user
// access made under A, whether or not it faults. Taking A under the mmap lock later, in any task,
// is then a possible circular dependency, reported before anyone blocks.
public class LockdepMightFaultTests
{
    private static (Machine Machine, Mm Mm) NewMachine()
    {
        var machine = new Machine(Arch.X86_64, new MachineOptions { OnReport = ReportAction.Record });
        return (machine, machine.CreateProcess());
    }

    [Fact]
    public void AUserAccessUnderAMutexThenTheMutexUnderTheMmapLockIsACircularDependency()
    {
        var (machine, mm) = NewMachine();
        var p = mm.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        var a = new KernelMutex(machine, "A");
        mm.CreateTask("copier").Run(() =>
        {
            a.Lock();
            int left = CopyToUser(p, new byte[8]);
            a.Unlock();
            return left;
        });
        Assert.Empty(machine.Reports);

        mm.CreateTask("other").Run(() =>
        {
            MmapReadLock(mm);
            a.Lock();
            a.Unlock();
            MmapReadUnlock(mm);
            return 0;
        });

        var report = Assert.Single(machine.Reports);
        Assert.Equal(ReportKind.Deadlock, report.Kind);
        Assert.Contains("possible circular locking dependency detected", report.Message);
        Assert.Contains("(A)", report.Message);
        Assert.Contains("&mm->mmap_lock", report.Message);
    }

    [Fact]
    public void TheOtherOrderIsReportedAtTheUserAccess()
    {
        var (machine, mm) = NewMachine();
        var p = mm.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        var a = new KernelMutex(machine, "A");
        mm.CreateTask("other").Run(() =>
        {
            MmapReadLock(mm);
            a.Lock();
            a.Unlock();
            MmapReadUnlock(mm);
            return 0;
        });
        mm.CreateTask("copier").Run(() =>
        {
            a.Lock();
            int rc = PutUser(1, p.Cast<int>());
            a.Unlock();
            return rc;
        });

        Assert.Contains("possible circular locking dependency detected", Assert.Single(machine.Reports).Message);
    }

    [Fact]
    public void AnAccessWithPageFaultsDisabledTeachesLockdepNothing()
    {
        // The near miss: with pagefault_disable() might_fault() returns early; the canonical loop
        // copies under its locks exactly this way.
        var (machine, mm) = NewMachine();
        var p = mm.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        var a = new KernelMutex(machine, "A");
        mm.CreateTask("copier").Run(() =>
        {
            a.Lock();
            PagefaultDisable();
            int left = CopyToUser(p, new byte[8]);
            PagefaultEnable();
            a.Unlock();
            return left;
        });
        mm.CreateTask("other").Run(() =>
        {
            MmapReadLock(mm);
            a.Lock();
            a.Unlock();
            MmapReadUnlock(mm);
            return 0;
        });

        Assert.Empty(machine.Reports);
    }
}
