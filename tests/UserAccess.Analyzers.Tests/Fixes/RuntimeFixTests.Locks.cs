using System;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Analyzers.Tests.Fixes;

/// <summary>The lock fixes, run against another task that holds the lock.</summary>
public partial class RuntimeFixTests
{
    /// <summary>sys_shmdt() before "ipc, shm: make shmem attach/detach wait for mmap_sem killable": a plain write wait for the mmap lock.</summary>
    private const string ShmdtShape = """
        namespace Sim;

        public static class Shm
        {
            public static long Detach(Mm mm, ulong addr)
            {
                long retval = -EINVAL;
                if ((addr & 4095) != 0)
                    return retval;
                MmapWriteLock(mm);
                retval = 0;
                MmapWriteUnlock(mm);
                return retval;
            }
        }
        """;

    [Fact]
    public async Task UA2001KilledTaskHangsOnTheMmapLockAndTheFixedWaitReturnsEintr()
    {
        var buggy = DetachWhileKilledAndTheMmapLockIsHeld(Load(FixHarness.Usings + ShmdtShape));
        Assert.Equal(TaskStruct.Killed, buggy.Return);
        var hung = Assert.Single(buggy.Reports);
        Assert.Equal(ReportKind.Deadlock, hung.Kind);
        Assert.Contains("blocked for more than 2 seconds", hung.Message);

        var fixedSource = await FixAsync<UA2001NonKillableWaitAnalyzer, UA2001NonKillableWaitCodeFix>(ShmdtShape);
        Assert.Contains("if (MmapWriteLockKillable(mm) != 0)", fixedSource);

        // As shmdt() since the fix: the killed task stops waiting for the holder and leaves with -EINTR.
        var result = DetachWhileKilledAndTheMmapLockIsHeld(Load(fixedSource));
        Assert.Empty(result.Reports);
        Assert.Equal(-Errno.EINTR, result.Return);
    }

    /// <summary>
    /// shmdt() by a task with SIGKILL pending while another task of the process holds the mmap lock
    /// for write (an mmap() that does not finish soon) and lets it go only after the call returned.
    /// </summary>
    private static Call DetachWhileKilledAndTheMmapLockIsHeld(Assembly assembly)
    {
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task<int>? holder = null;
        var call = CallOn(Arch.X86_64, assembly, "Sim.Shm", "Detach", mm =>
        {
            var holding = mm.CreateTask("mmap");
            holder = Task.Factory.StartNew(() => holding.Run(() =>
            {
                MmapWriteLock(mm);
                held.Set();
                release.Wait(TimeSpan.FromSeconds(30));
                MmapWriteUnlock(mm);
                return 0;
            }), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            Assert.True(held.Wait(TimeSpan.FromSeconds(30)), "the holder did not take the mmap lock");
            return new object?[] { mm, 0x10000UL };
        }, task => task.SendSignal(Signal.SIGKILL));
        release.Set();
        Assert.True(holder!.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, holder.Result);
        return call;
    }
}
