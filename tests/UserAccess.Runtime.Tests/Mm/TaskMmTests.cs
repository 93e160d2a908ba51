using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.MemoryManagement;

/// <summary>get_task_mm()/mmput() and mmap_write_lock_nested(): another task's mm, and a second mm taken inside the first.</summary>
public class TaskMmTests
{
    private static Machine NewMachine() => new(Arch.X86_64, new MachineOptions { OnReport = ReportAction.Record });

    [Fact]
    public void GetTaskMmTakesAReferenceThatMmputDrops()
    {
        var machine = NewMachine();
        var target = machine.CreateProcess();
        var targetTask = target.CreateTask("target");
        var reader = machine.CreateProcess();

        int usersWhileHeld = 0;
        Assert.Equal(0, reader.CreateTask("ps").Run(() =>
        {
            var mm = GetTaskMm(targetTask);
            Assert.Same(target, mm);
            usersWhileHeld = target.Users;
            Mmput(mm!);
            return 0;
        }));

        Assert.Equal(2, usersWhileHeld);
        Assert.Equal(1, target.Users);
        Assert.Empty(machine.Reports);
    }

    [Fact]
    public void MmputWithoutAReferenceIsAnImbalance()
    {
        var machine = NewMachine();
        var mm = machine.CreateProcess();
        mm.CreateTask("t").Run(() =>
        {
            Mmput(mm);
            return 0;
        });

        var report = Assert.Single(machine.Reports);
        Assert.Equal(ReportKind.Imbalance, report.Kind);
        Assert.Contains("mmput() without get_task_mm()", report.Message);
        Assert.Equal(1, mm.Users);
    }

    // dup_mmap(): the parent's lock for write, then the child's, nested; both held until the copy is done.
    [Fact]
    public void NestedWriteLockHoldsTheSecondMmForWrite()
    {
        var machine = NewMachine();
        var oldmm = machine.CreateProcess();
        var child = machine.CreateProcess();
        bool childReadableWhileHeld = true;
        Assert.Equal(0, oldmm.CreateTask("fork").Run(() =>
        {
            MmapWriteLock(oldmm);
            MmapWriteLockNested(child, SINGLE_DEPTH_NESTING);
            childReadableWhileHeld = MmapReadTrylock(child);
            MmapWriteUnlock(child);
            MmapWriteUnlock(oldmm);
            return 0;
        }));

        Assert.False(childReadableWhileHeld);
        Assert.Empty(machine.Reports);
    }
}
