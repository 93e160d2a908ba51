using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Userfaultfd;

// fs/userfaultfd.c (handle_userfault(), userfaultfd_copy(), userfaultfd_remove(),
// userfaultfd_ctx_read()) and mm/userfaultfd.c (mfill_atomic(), mfill_atomic_install_pte()), with
// the behaviour tools/testing/selftests/mm/uffd-unit-tests.c relies on: a missing fault blocks
// until UFFDIO_COPY, a copy onto a mapped page is -EEXIST, MADV_DONTNEED on a registered range
// sends UFFD_EVENT_REMOVE, and a copy while an event is unread is -EAGAIN.
public class UserfaultfdTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private sealed class Setup
    {
        public Setup(int pages = 2, UffdFeatures features = UffdFeatures.EventFork | UffdFeatures.EventRemap | UffdFeatures.EventRemove, double hungTaskSeconds = 5)
        {
            Machine = new Machine(Arch.X86_64, new MachineOptions { OnReport = ReportAction.Record, HungTaskTimeout = TimeSpan.FromSeconds(hungTaskSeconds) });
            Mm = Machine.CreateProcess();
            PageSize = Machine.Arch.PageSize;
            Area = Mm.Mmap((ulong)(pages * PageSize), Prot.Read | Prot.Write);
            Ctx = Mm.CreateUserfaultfd(features);
            Ctx.Register(Area, (ulong)(pages * PageSize), UffdRegisterMode.Missing);
            Monitor = Mm.CreateTask("monitor");
        }

        public Machine Machine { get; }

        public Mm Mm { get; }

        public int PageSize { get; }

        public UserPtr Area { get; }

        public UserfaultfdCtx Ctx { get; }

        public TaskStruct Monitor { get; }

        public byte[] PageOf(byte value) => Enumerable.Repeat(value, PageSize).ToArray();

        public int AsMonitor(Func<UserfaultfdCtx, int> body) => Monitor.Run(() => body(Ctx));

        public UffdMsg NextMessage()
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < Patience)
            {
                if (Ctx.ReadEvent(out var msg) == 0)
                {
                    return msg;
                }

                Thread.Sleep(1);
            }

            throw new TimeoutException("no userfaultfd message");
        }
    }

    private static Task<int> OnThread(TaskStruct task, Func<int> body) =>
        Task.Factory.StartNew(() => task.Run(body), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task OnThread(Action body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    [Fact]
    public async Task AMissingFaultWaitsForTheMonitorWhoseCopyFillsThePageAndWakesIt()
    {
        var s = new Setup();
        var reader = OnThread(s.Mm.CreateTask("faulter"), () =>
        {
            int rc = GetUser(out uint value, (s.Area + s.PageSize + 8).Cast<uint>());
            return rc == 0 ? (int)value : rc;
        });

        var msg = s.NextMessage();
        Assert.Equal(UffdEvent.Pagefault, msg.Event);
        Assert.Equal(s.Area + s.PageSize, msg.Address);
        Assert.False(msg.Write);
        Assert.False(reader.IsCompleted);

        Assert.Equal(0, s.AsMonitor(ctx => ctx.Copy(msg.Address, s.PageOf(0x11))));
        Assert.Equal(0x11111111, await reader.WaitAsync(Patience));
        Assert.Equal(PageState.Writable, s.Mm.GetPageState(msg.Address));
        Assert.Equal(-EAGAIN, s.Ctx.ReadEvent(out _));
        Assert.Empty(s.Machine.Reports);
    }

    [Fact]
    public async Task AWriteFaultSaysSoInItsMessage()
    {
        var s = new Setup();
        var writer = OnThread(s.Mm.CreateTask("faulter"), () => PutUser(5, s.Area.Cast<int>()));
        var msg = s.NextMessage();
        Assert.True(msg.Write);
        Assert.Equal(0, s.AsMonitor(ctx => ctx.Copy(msg.Address, s.PageOf(0))));
        Assert.Equal(0, await writer.WaitAsync(Patience));
        Assert.Equal(new byte[] { 5, 0, 0, 0 }, ReadUser(s, s.Area, 4));
    }

    [Fact]
    public void ACopyOntoAMappedPageIsEexistAndAPartialCopyIsEagainWithTheCountCopied()
    {
        var s = new Setup(pages: 2);
        Assert.Equal(0, s.AsMonitor(ctx => ctx.Copy(s.Area + s.PageSize, s.PageOf(2))));
        long copied = 0;
        Assert.Equal(-EEXIST, s.AsMonitor(ctx => ctx.Copy(s.Area + s.PageSize, s.PageOf(3), out copied)));
        Assert.Equal(-EEXIST, copied);

        // Two pages, the second already there: the first is filled, the ioctl reports -EAGAIN.
        var twoPages = new byte[2 * s.PageSize];
        Assert.Equal(-EAGAIN, s.AsMonitor(ctx => ctx.Copy(s.Area, twoPages, out copied)));
        Assert.Equal(s.PageSize, copied);
        Assert.Equal(PageState.Writable, s.Mm.GetPageState(s.Area));
        Assert.Equal(new byte[] { 2 }, ReadUser(s, s.Area + s.PageSize, 1));
    }

    [Fact]
    public void ACopyOutsideARegisteredRangeIsEnoentAndAMisalignedOneIsEinval()
    {
        var s = new Setup(pages: 1);
        var elsewhere = s.Mm.Mmap((ulong)s.PageSize, Prot.Read | Prot.Write);
        Assert.Equal(-ENOENT, s.AsMonitor(ctx => ctx.Copy(elsewhere, s.PageOf(1))));
        Assert.Equal(-EINVAL, s.AsMonitor(ctx => ctx.Copy(s.Area + 8, s.PageOf(1))));
        Assert.Equal(-EINVAL, s.AsMonitor(ctx => ctx.Copy(s.Area, new byte[100])));
        Assert.Equal(-EINVAL, s.AsMonitor(ctx => ctx.ZeroPage(s.Area, 0)));
        Assert.Equal(-EINVAL, s.AsMonitor(ctx => ctx.Wake(s.Area + 1, (ulong)s.PageSize)));
        Assert.Equal(PageState.NotPresent, s.Mm.GetPageState(s.Area));
    }

    [Fact]
    public async Task ZeroPageMapsTheZeroPageReadOnlyAndWakesTheWaiter()
    {
        var s = new Setup(pages: 1);
        var reader = OnThread(s.Mm.CreateTask("faulter"), () => GetUser(out ulong value, s.Area.Cast<ulong>()) == 0 ? (int)value : -1);
        var msg = s.NextMessage();
        Assert.Equal(0, s.AsMonitor(ctx => ctx.ZeroPage(msg.Address, (ulong)s.PageSize)));
        Assert.Equal(0, await reader.WaitAsync(Patience));
        Assert.Equal(PageState.ZeroPage, s.Mm.GetPageState(s.Area));
        Assert.Equal(-EEXIST, s.AsMonitor(ctx => ctx.ZeroPage(s.Area, (ulong)s.PageSize)));
    }

    [Fact]
    public async Task ACopyWithDontWakeLeavesTheWaiterAsleepUntilWake()
    {
        var s = new Setup(pages: 1);
        var reader = OnThread(s.Mm.CreateTask("faulter"), () => GetUser(out byte value, s.Area.Cast<byte>()) == 0 ? value : -1);
        var msg = s.NextMessage();
        Assert.Equal(0, s.AsMonitor(ctx => ctx.Copy(msg.Address, s.PageOf(9), UffdCopyMode.DontWake)));
        await Task.Delay(100);
        Assert.False(reader.IsCompleted);
        Assert.Equal(0, s.AsMonitor(ctx => ctx.Wake(s.Area, (ulong)s.PageSize)));
        Assert.Equal(9, await reader.WaitAsync(Patience));
    }

    [Fact]
    public async Task AKilledWaiterLeavesWithEfaultInsteadOfWaitingForever()
    {
        // handle_userfault() sleeps TASK_KILLABLE; the fault then fails, and the uaccess with it.
        var s = new Setup(pages: 1);
        var faulter = s.Mm.CreateTask("faulter");
        var reader = OnThread(faulter, () => CopyFromUser(new byte[16], s.Area));
        Assert.Equal(UffdEvent.Pagefault, s.NextMessage().Event);
        faulter.SendSignal(Signal.SIGKILL);
        Assert.Equal(16, await reader.WaitAsync(Patience));
        Assert.Empty(s.Machine.Reports);
    }

    [Fact]
    public void WithPageFaultsDisabledTheAccessFailsFastAndTheMonitorHearsNothing()
    {
        var s = new Setup(pages: 1);
        int rc = s.Mm.CreateTask("t").Run(() =>
        {
            PagefaultDisable();
            int ret = GetUser(out uint _, s.Area.Cast<uint>());
            PagefaultEnable();
            return ret;
        });
        Assert.Equal(-EFAULT, rc);
        Assert.Equal(-EAGAIN, s.Ctx.ReadEvent(out _));
    }

    [Fact]
    public void AFixupThatCannotDropTheMmapLockCannotWaitForTheMonitor()
    {
        // handle_userfault() without FAULT_FLAG_ALLOW_RETRY is VM_FAULT_SIGBUS: -EFAULT.
        var s = new Setup(pages: 1);
        int rc = s.Mm.CreateTask("t").Run(() =>
        {
            MmapReadLock(s.Mm);
            int ret = FixupUserFault(s.Mm, s.Area, FaultFlags.Write);
            MmapReadUnlock(s.Mm);
            return ret;
        });
        Assert.Equal(-EFAULT, rc);
        Assert.Equal(-EAGAIN, s.Ctx.ReadEvent(out _));
    }

    [Fact]
    public async Task MadviseDontNeedOnARegisteredRangeRaisesMmapChangingUntilTheMonitorReadsTheEvent()
    {
        var s = new Setup(pages: 2);
        Assert.Equal(0, s.AsMonitor(ctx => ctx.Copy(s.Area, s.PageOf(4))));
        var madvise = OnThread(() => s.Mm.MadviseDontNeed(s.Area, (ulong)s.PageSize));

        // userfaultfd_remove() raised the counter and waits in userfaultfd_event_wait_completion().
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref s.Ctx.MmapChanging) == 0 && clock.Elapsed < Patience)
        {
            Thread.Sleep(1);
        }

        Assert.Equal(1, Volatile.Read(ref s.Ctx.MmapChanging));
        Assert.Equal(-EAGAIN, s.AsMonitor(ctx => ctx.Copy(s.Area + s.PageSize, s.PageOf(5))));
        Assert.Equal(-EAGAIN, s.AsMonitor(ctx => ctx.ZeroPage(s.Area + s.PageSize, (ulong)s.PageSize)));
        Assert.False(madvise.IsCompleted);

        var msg = s.NextMessage();
        Assert.Equal(UffdEvent.Remove, msg.Event);
        Assert.Equal(s.Area, msg.Start);
        Assert.Equal(s.Area + s.PageSize, msg.End);
        await madvise.WaitAsync(Patience);

        Assert.Equal(0, Volatile.Read(ref s.Ctx.MmapChanging));
        Assert.Equal(PageState.NotPresent, s.Mm.GetPageState(s.Area));
        Assert.Equal(0, s.AsMonitor(ctx => ctx.Copy(s.Area + s.PageSize, s.PageOf(5))));
        Assert.Empty(s.Ctx.Audit());
        Assert.Empty(s.Machine.Reports);
    }

    [Fact]
    public void WithoutEventRemoveMadviseNeitherWaitsNorRaisesTheCounter()
    {
        var s = new Setup(pages: 1, features: UffdFeatures.None);
        Assert.Equal(0, s.AsMonitor(ctx => ctx.Copy(s.Area, s.PageOf(4))));
        s.Mm.MadviseDontNeed(s.Area, (ulong)s.PageSize);
        Assert.Equal(PageState.NotPresent, s.Mm.GetPageState(s.Area));
        Assert.Equal(0, s.Ctx.MmapChanging);
        Assert.Equal(-EAGAIN, s.Ctx.ReadEvent(out _));
    }

    [Fact]
    public void AMonitorThatNeverReadsTheEventIsAHungTask()
    {
        var s = new Setup(pages: 1, hungTaskSeconds: 0.3);
        var task = s.Mm.CreateTask("madvise");
        Assert.Equal(TaskStruct.Killed, task.Run(() =>
        {
            s.Mm.MadviseDontNeed(s.Area, (ulong)s.PageSize);
            return 0;
        }));
        Assert.Equal(ReportKind.Deadlock, task.Oops?.Kind);
        Assert.Contains("userfaultfd_event_wait_completion", task.Oops?.Message);
        Assert.Equal(0, s.Ctx.MmapChanging);
    }

    [Fact]
    public void MfillAtomicPteCopyWithoutTheMmapLockIsReported()
    {
        var s = new Setup(pages: 1);
        Assert.Equal(0, s.AsMonitor(ctx => ctx.MfillAtomicPteCopy(s.Area, s.PageOf(1))));
        Assert.Equal(ReportKind.LockNotHeld, Assert.Single(s.Machine.Reports).Kind);
    }

    // An operation reimplemented in simulator code: the mmap lock for read, then a fill. Between
    // the two, the whole MADV_DONTNEED runs (event raised, read by the monitor, range zapped).
    private static (int Result, bool MadviseBlocked) RacingFill(Setup s, bool takeMapChangingLock)
    {
        var filler = s.Mm.CreateTask("filler");
        var madviser = s.Mm.CreateTask("madvise");
        var monitorLoop = new CancellationTokenSource();
        var monitor = OnThread(() =>
        {
            while (!monitorLoop.IsCancellationRequested)
            {
                _ = s.Ctx.ReadEvent(out _);
                Thread.Sleep(1);
            }
        });
        bool blocked = false;
        int result = filler.Run(() =>
        {
            MmapReadLock(s.Mm);
            if (takeMapChangingLock)
            {
                s.Ctx.MapChangingLock.DownRead();
            }

            int ret = -EAGAIN;
            if (s.Ctx.MmapChanging == 0)
            {
                var madvise = OnThread(madviser, () =>
                {
                    s.Mm.MadviseDontNeed(s.Area, (ulong)s.PageSize);
                    return 0;
                });
                var clock = Stopwatch.StartNew();
                while (!madvise.IsCompleted && madviser.BlockedOn is null && clock.Elapsed < Patience)
                {
                    Thread.Sleep(1);
                }

                blocked = !madvise.IsCompleted;
                ret = s.Ctx.MfillAtomicPteCopy(s.Area, s.PageOf(0x66));
            }

            if (takeMapChangingLock)
            {
                s.Ctx.MapChangingLock.UpRead();
            }

            MmapReadUnlock(s.Mm);
            return ret;
        });
        var waitForMadvise = Stopwatch.StartNew();
        while (Volatile.Read(ref s.Ctx.MmapChanging) != 0 && waitForMadvise.Elapsed < Patience)
        {
            Thread.Sleep(1);
        }

        Thread.Sleep(20);
        monitorLoop.Cancel();
        monitor.Wait(Patience);
        return (result, blocked);
    }

    [Fact]
    public void AFillThatIgnoresMapChangingLockLandsAfterTheRemovalAndAuditFindsTheGhostPage()
    {
        var s = new Setup(pages: 1);
        var (result, blocked) = RacingFill(s, takeMapChangingLock: false);
        Assert.Equal(0, result);
        Assert.False(blocked);
        Assert.Equal(PageState.Writable, s.Mm.GetPageState(s.Area));
        Assert.Equal(new[] { s.Area }, s.Ctx.Audit());
    }

    [Fact]
    public void AFillUnderMapChangingLockHoldsTheEventOffAndAuditIsClean()
    {
        var s = new Setup(pages: 1);
        var (result, blocked) = RacingFill(s, takeMapChangingLock: true);
        Assert.Equal(0, result);
        Assert.True(blocked);
        Assert.Equal(PageState.NotPresent, s.Mm.GetPageState(s.Area));
        Assert.Empty(s.Ctx.Audit());
    }

    [Fact]
    public async Task MovingARegisteredRangeRaisesMmapChangingAndSendsRemapWhileTheRegistrationMoves()
    {
        // mm/mremap.c move_vma() -> mremap_userfaultfd_prep() / mremap_userfaultfd_complete().
        var s = new Setup(pages: 1);
        Assert.Equal(0, s.AsMonitor(ctx => ctx.Copy(s.Area, s.PageOf(8))));
        UserPtr moved = default;
        var mremap = OnThread(() => moved = s.Mm.Mremap(s.Area, (ulong)s.PageSize, (ulong)s.PageSize, MremapFlags.MayMove | MremapFlags.Fixed, s.Area + (32 * s.PageSize)));
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref s.Ctx.MmapChanging) == 0 && clock.Elapsed < Patience)
        {
            Thread.Sleep(1);
        }

        var msg = s.NextMessage();
        Assert.Equal(UffdEvent.Remap, msg.Event);
        await mremap.WaitAsync(Patience);
        Assert.Equal(s.Area, msg.Start);
        Assert.Equal(moved, msg.End);
        Assert.Equal(0, Volatile.Read(ref s.Ctx.MmapChanging));

        Assert.Equal(PageState.NotMapped, s.Mm.GetPageState(s.Area));
        Assert.Equal(new byte[] { 8 }, ReadUser(s, moved, 1));
        Assert.Equal(-ENOENT, s.AsMonitor(ctx => ctx.Copy(s.Area, s.PageOf(1))));
        Assert.Equal(-EEXIST, s.AsMonitor(ctx => ctx.Copy(moved, s.PageOf(1))));
    }

    [Fact]
    public void WithoutEventRemapTheMovedRangeIsNoLongerRegistered()
    {
        var s = new Setup(pages: 1, features: UffdFeatures.EventRemove);
        var moved = s.Mm.Mremap(s.Area, (ulong)s.PageSize, (ulong)s.PageSize, MremapFlags.MayMove | MremapFlags.Fixed, s.Area + (16 * s.PageSize));
        Assert.Equal(s.Area + (16 * s.PageSize), moved);
        Assert.Equal(new byte[] { 0 }, ReadUser(s, moved, 1));
        Assert.Equal(-ENOENT, s.AsMonitor(ctx => ctx.Copy(moved, s.PageOf(1))));
        Assert.Equal(0, s.Ctx.MmapChanging);
        Assert.Equal(-EAGAIN, s.Ctx.ReadEvent(out _));
    }

    [Fact]
    public async Task ForkRaisesMmapChangingAndHandsTheMonitorTheChildsContext()
    {
        // kernel/fork.c dup_mmap() -> dup_userfaultfd() / dup_userfaultfd_complete().
        var s = new Setup(pages: 2);
        Assert.Equal(0, s.AsMonitor(ctx => ctx.Copy(s.Area, s.PageOf(3))));
        Mm? child = null;
        var fork = OnThread(() => child = s.Mm.Fork());
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref s.Ctx.MmapChanging) == 0 && clock.Elapsed < Patience)
        {
            Thread.Sleep(1);
        }

        Assert.Equal(-EAGAIN, s.AsMonitor(ctx => ctx.Copy(s.Area + s.PageSize, s.PageOf(4))));
        var msg = s.NextMessage();
        Assert.Equal(UffdEvent.Fork, msg.Event);
        await fork.WaitAsync(Patience);
        Assert.Equal(0, Volatile.Read(ref s.Ctx.MmapChanging));

        // The child's copy of the filled page, and its own registration of the missing one.
        var childCtx = Assert.IsType<UserfaultfdCtx>(msg.Child);
        Assert.Same(child, childCtx.Mm);
        var childMonitor = child!.CreateTask("child-monitor");
        Assert.Equal(-EEXIST, childMonitor.Run(() => childCtx.Copy(s.Area, s.PageOf(5))));
        Assert.Equal(0, childMonitor.Run(() => childCtx.Copy(s.Area + s.PageSize, s.PageOf(5))));
        var bytes = new byte[1];
        child.UserRead(s.Area, bytes);
        Assert.Equal(3, bytes[0]);
        Assert.Equal(PageState.NotPresent, s.Mm.GetPageState(s.Area + s.PageSize));
    }

    [Fact]
    public void AForkedChildHasItsOwnPrivatePagesAndSharesTheSharedOnes()
    {
        var machine = new Machine(Arch.X86_64);
        var parent = machine.CreateProcess();
        var priv = parent.Mmap(4096, Prot.Read | Prot.Write);
        var shared = parent.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Shared | MapFlags.Anonymous);
        parent.UserWrite(priv, new byte[] { 1 });
        parent.UserWrite(shared, new byte[] { 1 });
        var child = parent.Fork();
        child.UserWrite(priv, new byte[] { 2 });
        child.UserWrite(shared, new byte[] { 2 });
        var seen = new byte[1];
        parent.UserRead(priv, seen);
        Assert.Equal(1, seen[0]);
        parent.UserRead(shared, seen);
        Assert.Equal(2, seen[0]);
    }

    private static byte[] ReadUser(Setup s, UserPtr p, int length)
    {
        var bytes = new byte[length];
        s.Mm.UserRead(p, bytes);
        return bytes;
    }
}
