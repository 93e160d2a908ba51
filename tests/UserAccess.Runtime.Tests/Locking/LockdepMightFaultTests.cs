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
    private readonly Machine machine = new(Arch.X86_64, new MachineOptions { OnReport = ReportAction.Record });
    private readonly Mm mm;
    private readonly UserPtr p;
    private readonly KernelMutex a;

    public LockdepMightFaultTests()
    {
        mm = machine.CreateProcess();
        p = mm.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        a = new KernelMutex(machine, "A");
    }

    [Fact]
    public void AUserAccessUnderAMutexThenTheMutexUnderTheMmapLockIsACircularDependency()
    {
        UnderA(() => CopyToUser(p, new byte[8]));
        Assert.Empty(machine.Reports);

        AUnderTheMmapLock();

        var report = Assert.Single(machine.Reports);
        Assert.Equal(ReportKind.Deadlock, report.Kind);
        Assert.Contains("possible circular locking dependency detected", report.Message);
        Assert.Contains("(A)", report.Message);
        Assert.Contains("&mm->mmap_lock", report.Message);
    }

    [Fact]
    public void TheOtherOrderIsReportedAtTheUserAccess()
    {
        AUnderTheMmapLock();
        UnderA(() => PutUser(1, p.Cast<int>()));

        Assert.Contains("possible circular locking dependency detected", Assert.Single(machine.Reports).Message);
    }

    [Fact]
    public void AnAccessWithPageFaultsDisabledTeachesLockdepNothing()
    {
        // The near miss: with pagefault_disable() might_fault() returns early; the canonical loop
        // copies under its locks exactly this way.
        UnderA(() =>
        {
            PagefaultDisable();
            int left = CopyToUser(p, new byte[8]);
            PagefaultEnable();
            return left;
        });
        AUnderTheMmapLock();

        Assert.Empty(machine.Reports);
    }

    private void UnderA(Func<int> access) => mm.CreateTask("copier").Run(() =>
    {
        a.Lock();
        int result = access();
        a.Unlock();
        return result;
    });

    private void AUnderTheMmapLock() => mm.CreateTask("other").Run(() =>
    {
        MmapReadLock(mm);
        a.Lock();
        a.Unlock();
        MmapReadUnlock(mm);
        return 0;
    });
}
