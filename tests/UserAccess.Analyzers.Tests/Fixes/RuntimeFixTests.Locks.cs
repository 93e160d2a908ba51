using System;
using System.Diagnostics;
using System.Linq;
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

    /// <summary>
    /// mfill_atomic() before "userfaultfd: protect mmap_changing with rw_sem in userfaultfd_ctx", two
    /// pages: the mmap_changing check decides the exit to out_unlock and the fill follows it.
    /// </summary>
    private const string MfillShape = """
        namespace Sim;

        public static class Fill
        {
            public static long Copy(UserfaultfdCtx ctx, UserPtr dst, byte[] src)
            {
                int pageSize = src.Length / 2;
                long err;
                MmapReadLock(ctx.Mm);
                err = -EAGAIN;
                if (ctx.MmapChanging != 0)
                    goto out_unlock;
                err = ctx.MfillAtomicPteCopy(dst, System.MemoryExtensions.AsSpan(src, 0, pageSize));
                CondResched();
                if (err == 0)
                    err = ctx.MfillAtomicPteCopy(dst + pageSize, System.MemoryExtensions.AsSpan(src, pageSize, pageSize));
            out_unlock:
                MmapReadUnlock(ctx.Mm);
                return err;
            }
        }
        """;

    [Fact]
    public async Task UA2004CopyRacingMadviseLeavesAGhostPageAndTheFixedHoldMakesMadviseWait()
    {
        var buggy = CopyWhileMadviseRemovesTheSecondPage(Load(FixHarness.Usings + MfillShape));
        Assert.Equal(0, buggy.Return);
        Assert.False(buggy.MadviseWaited);
        Assert.Equal(1, buggy.Ghosts);

        var fixedSource = await FixAsync<UA2004GuardedFieldWithoutLockAnalyzer, UA2004GuardedFieldWithoutLockCodeFix>(MfillShape);
        Assert.Contains("out_unlock:\n        ctx.MapChangingLock.UpRead();", fixedSource.Replace("\r\n", "\n"));

        // As mfill_atomic() since the fix: MADV_DONTNEED waits for map_changing_lock until the copy is done,
        // then zaps, so no page lands after the monitor was told the range is gone.
        var result = CopyWhileMadviseRemovesTheSecondPage(Load(fixedSource));
        Assert.Empty(result.Reports);
        Assert.Equal(0, result.Return);
        Assert.True(result.MadviseWaited);
        Assert.Equal(0, result.Ghosts);
    }

    /// <summary>
    /// The copy of two pages into a registered range, with a MADV_DONTNEED of the second page run by
    /// another task at the copy's cond_resched() (to its end, or until it blocks on a lock), while a
    /// monitor thread reads the events: the copy's result, the ghost pages the context's audit finds,
    /// and whether madvise had to wait.
    /// </summary>
    private static (long Return, int Ghosts, bool MadviseWaited, System.Collections.Generic.IReadOnlyList<Report> Reports) CopyWhileMadviseRemovesTheSecondPage(Assembly assembly)
    {
        const int pageSize = 4096;
        var patience = TimeSpan.FromSeconds(10);
        UserfaultfdCtx? ctx = null;
        UserPtr area = default;
        Thread? madvise = null, monitor = null;
        bool waited = false;
        using var stop = new CancellationTokenSource();
        var call = CallOn(Arch.X86_64, assembly, "Sim.Fill", "Copy", mm =>
        {
            var uffd = mm.CreateUserfaultfd();
            ctx = uffd;
            area = mm.Mmap(2 * pageSize, Prot.Read | Prot.Write);
            uffd.Register(area, 2 * pageSize, UffdRegisterMode.Missing);
            monitor = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    _ = uffd.ReadEvent(out _);
                    Thread.Sleep(1);
                }
            })
            { IsBackground = true };
            monitor.Start();
            return new object?[] { uffd, area, Enumerable.Repeat((byte)0x5A, 2 * pageSize).ToArray() };
        }, schedulingPoint: (task, function) =>
        {
            if (function != "cond_resched" || madvise is not null)
            {
                return;
            }

            var madviser = ctx!.Mm.CreateTask("madvise");
            madvise = new Thread(() => madviser.Run(() =>
            {
                ctx.Mm.MadviseDontNeed(area + pageSize, pageSize);
                return 0;
            }))
            { IsBackground = true };
            madvise.Start();
            var clock = Stopwatch.StartNew();
            while (madvise.IsAlive && madviser.BlockedOn is null && clock.Elapsed < patience)
            {
                Thread.Sleep(1);
            }

            waited = madvise.IsAlive;
        });
        Assert.True(madvise!.Join(patience), "madvise did not finish");
        var ghosts = ctx!.Audit().Count;
        stop.Cancel();
        Assert.True(monitor!.Join(patience));
        return (call.Return, ghosts, waited, call.Reports);
    }
}
