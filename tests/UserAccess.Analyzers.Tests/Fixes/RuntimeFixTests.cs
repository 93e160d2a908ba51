using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using System;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.Runtime;
using UserAccess.Runtime.Exploration;
using Xunit;

namespace UserAccess.Analyzers.Tests.Fixes;

/// <summary>
/// The restructuring fixes, run: the buggy simulator code misbehaves in the simulator (a deadlock
/// report, fault handling in a nofault region and a lost write), the fix is applied through the
/// code-fix provider exactly as the IDE or <c>dotnet format</c> would, and the fixed code, compiled
/// and loaded, does the access right with no report.
/// </summary>
public partial class RuntimeFixTests
{
    private const string Gfs2Shape = """
        namespace Sim;

        public static class Vma
        {
            public static int ReadFlags(Mm mm, UserPtr<uint> uaddr, out uint flags)
            {
                flags = 0;
                int ret;

                // the VMA must not change under us
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                ret = GetUser(out flags, uaddr);
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """;

    private const string UmcgShape = """
        namespace Sim;

        public static class Umcg
        {
            public static int Xchg(UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                int ret;

                PagefaultDisable();
                ret = XchgUserInatomic(uaddr, newval, out oldval);
                if (ret == -EFAULT)
                    ret = FaultInUserWriteable(uaddr);
                PagefaultEnable();

                return ret;
            }
        }
        """;

    private const string PrefaultShape = """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Xchg([RequiresAlignment] UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                oldval = 0;
                int ret = FaultInUserWriteable(uaddr);
                if (ret != 0)
                    return ret;
                PagefaultDisable();
                ret = XchgUserInatomic(uaddr, newval, out oldval);
                PagefaultEnable();
                return ret;
            }
        }
        """;

    // futex_wake_op() before d0725992c8a6: the retry "faults in" the written word by reading it.
    private const string ReadProbeShape = """
        namespace Sim;

        public static class Umcg
        {
            public static int Xchg(UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                int ret;
                uint dummy;

            retry:
                PagefaultDisable();
                ret = XchgUserInatomic(uaddr, newval, out oldval);
                PagefaultEnable();
                if (ret == -EFAULT)
                {
                    ret = GetUser(out dummy, uaddr);
                    if (ret != 0)
                        return ret;
                    goto retry;
                }

                return ret;
            }
        }
        """;

    [Fact]
    public async Task UA4002ReadProbeSpinsOnAReadOnlyWordAndTheFixedLoopGivesUp()
    {
        var fixedSource = await FixAsync<UA4002EndlessRetryAnalyzer, UA4002EndlessRetryCodeFix>(ReadProbeShape);
        Assert.Contains("ret = FaultInUserWriteable(uaddr);", fixedSource);
        var result = Run(Load(fixedSource), "Sim.Umcg", "Xchg", swapOut: false, (m, mm, p) =>
        {
            mm.Mprotect(p, 4096, Prot.Read);
            return new object?[] { new UserPtr<uint>(p.Address), 7u, null };
        });
        Assert.Empty(result.Reports);
        Assert.Equal(-Errno.EFAULT, result.Return);
        Assert.Equal(0x12345678u, result.Word);

        var swappedOut = Run(Load(fixedSource), "Sim.Umcg", "Xchg", swapOut: true, (m, mm, p) => new object?[] { new UserPtr<uint>(p.Address), 7u, null });
        Assert.Empty(swappedOut.Reports);
        Assert.Equal(0, swappedOut.Return);
        Assert.Equal(7u, swappedOut.Word);

        Assert.False(Explorer.Run(Xchg(Load(FixHarness.Usings + ReadProbeShape))).IsClean);
        Explorer.Run(Xchg(Load(fixedSource))).AssertClean();
    }

    [Fact]
    public async Task UA2002GetUserUnderTheMmapLockDeadlocksAndTheFixedLoopReadsTheSwappedOutWord()
    {
        var buggy = Run(Load(FixHarness.Usings + Gfs2Shape), "Sim.Vma", "ReadFlags", swapOut: true, (m, mm, p) => new object?[] { mm, new UserPtr<uint>(p.Address), null });
        Assert.Contains(buggy.Reports, r => r == ReportKind.Deadlock);

        var fixedSource = await FixAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(Gfs2Shape);
        Assert.Contains("PagefaultDisable();", fixedSource);
        var result = Run(Load(fixedSource), "Sim.Vma", "ReadFlags", swapOut: true, (m, mm, p) => new object?[] { mm, new UserPtr<uint>(p.Address), null });
        Assert.Empty(result.Reports);
        Assert.Equal(0, result.Return);
        Assert.Equal(0x12345678u, (uint)result.Arguments[2]!);
    }

    // A helper of the user's that copies from the user's buffer, called under the mmap lock: the copy's
    // fault takes the lock again (gfs2's glock recursion, with the lock the simulator's fault path takes).
    // The method already fails with an errno, so the loop's -EINTR makes no wait of it a UA2001.
    private const string HelperUnderTheMmapLockShape = """
        namespace Sim;

        public static class Vma
        {
            public static int ReadFlags(Mm mm, UserPtr src, byte[] flags)
            {
                int ret;
                if (flags.Length < 4)
                    return -EINVAL;
                MmapReadLock(mm);
                ret = CopyFlags(flags, src, 4);
                MmapReadUnlock(mm);
                return ret;
            }

            public static int CopyFlags(byte[] flags, UserPtr src, int length)
            {
                int left = CopyFromUser(flags.AsSpan(0, length), src);
                return left != 0 ? -EFAULT : 0;
            }
        }
        """;

    [Fact]
    public async Task UA2002HelperUnderTheMmapLockDeadlocksAndTheFixedLoopFaultsInItsRangeAfterTheUnlock()
    {
        var buggy = Run(Load(FixHarness.Usings + "using System;\n" + HelperUnderTheMmapLockShape), "Sim.Vma", "ReadFlags", swapOut: true, (m, mm, p) => new object?[] { mm, p, new byte[4] });
        Assert.Contains(buggy.Reports, r => r == ReportKind.Deadlock);

        var fixedSource = await FixAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>("using System;\n" + HelperUnderTheMmapLockShape);
        Assert.Contains("FaultInReadable(src, 4)", fixedSource);
        var result = Run(Load(fixedSource), "Sim.Vma", "ReadFlags", swapOut: true, (m, mm, p) => new object?[] { mm, p, new byte[4] });
        Assert.Empty(result.Reports);
        Assert.Equal(0, result.Return);
        Assert.Equal(0x12345678u, BitConverter.ToUInt32((byte[])result.Arguments[2]!));
    }

    [Fact]
    public async Task UA1002FaultInInsideTheRegionLosesTheWriteAndTheFixedLoopExchanges()
    {
        var buggy = Run(Load(FixHarness.Usings + UmcgShape), "Sim.Umcg", "Xchg", swapOut: true, (m, mm, p) => new object?[] { new UserPtr<uint>(p.Address), 7u, null });
        Assert.Contains(buggy.Reports, r => r == ReportKind.FaultHandlingInNofault);
        Assert.NotEqual(7u, buggy.Word);

        var fixedSource = await FixAsync<UA1002FaultHandlingInNofaultAnalyzer, UA1002FaultHandlingInNofaultCodeFix>(UmcgShape);
        Assert.Contains("while (true)", fixedSource);
        var result = Run(Load(fixedSource), "Sim.Umcg", "Xchg", swapOut: true, (m, mm, p) => new object?[] { new UserPtr<uint>(p.Address), 7u, null });
        Assert.Empty(result.Reports);
        Assert.Equal(0, result.Return);
        Assert.Equal(0x12345678u, (uint)result.Arguments[2]!);
        Assert.Equal(7u, result.Word);
    }

    [Fact]
    public async Task UA1002FixedLoopGivesUpOnAPoisonedPageInsteadOfSpinning()
    {
        var fixedSource = await FixAsync<UA1002FaultHandlingInNofaultAnalyzer, UA1002FaultHandlingInNofaultCodeFix>(UmcgShape);
        var result = Run(Load(fixedSource), "Sim.Umcg", "Xchg", swapOut: false, (m, mm, p) =>
        {
            mm.Poison(p);
            return new object?[] { new UserPtr<uint>(p.Address), 7u, null };
        });
        Assert.DoesNotContain(result.Reports, r => r == ReportKind.Livelock);
        Assert.Equal(-Errno.EFAULT, result.Return);
    }

    // The runtime has no public hook between a fault-in's return and the next access (the swap-in
    // I/O hook is internal and runs before the page is mapped), so the prefault's race with
    // eviction cannot be staged deterministically: the fixed loop is shown doing the exchange on a
    // page that only its cold-path fault-in brings back, and giving up on a permanent fault.
    [Fact]
    public async Task UA4001FixedLoopExchangesASwappedOutWordWithNoReport()
    {
        var fixedSource = await FixAsync<UA4001PrefaultOnHotPathAnalyzer, UA4001PrefaultOnHotPathCodeFix>(PrefaultShape);
        Assert.Contains("while (true)", fixedSource);
        var result = Run(Load(fixedSource), "Sim.Umcg", "Xchg", swapOut: true, (m, mm, p) => new object?[] { new UserPtr<uint>(p.Address), 7u, null });
        Assert.Empty(result.Reports);
        Assert.Equal(0, result.Return);
        Assert.Equal(0x12345678u, (uint)result.Arguments[2]!);
        Assert.Equal(7u, result.Word);
    }

    // mm/filemap.c, generic_perform_write(), v6.13, reduced: a prefault on every chunk, a nofault copy into
    // the folio, ->write_end() taking what was copied.
    private const string PerformWriteV613Shape = """
        using System;

        namespace Sim;

        public static class Filemap
        {
            public static int WriteWord(UserPtr buf, byte[] file) => (int)PerformWrite(buf, 4, 0, file);

            public static long PerformWrite(UserPtr buf, long count, long pos, byte[] file)
            {
                long status = 0;
                long written = 0;

                do
                {
                    long bytes;
                    long copied;

                    bytes = count - written;
                retry:
                    if (FaultInReadable(buf + written, bytes) == bytes)
                    {
                        status = -EFAULT;
                        break;
                    }

                    if (FatalSignalPending())
                    {
                        status = -EINTR;
                        break;
                    }

                    var folio = new byte[bytes];

                    PagefaultDisable();
                    copied = bytes - CopyFromUser(folio.AsSpan(0, (int)bytes), buf + written);
                    PagefaultEnable();

                    status = WriteEnd(file, pos, folio, copied);
                    if (status == 0)
                    {
                        if (copied != 0)
                        {
                            bytes = copied;
                            goto retry;
                        }
                    }
                    else
                    {
                        pos += status;
                        written += status;
                    }
                }
                while (written < count);

                return written != 0 ? written : status;
            }

            private static long WriteEnd(byte[] file, long pos, byte[] folio, long copied)
            {
                Array.Copy(folio, 0, file, pos, copied);
                return copied;
            }
        }
        """;

    // The v6.14 shape the fix writes: the copy of a source that is not present copies nothing, ->write_end()
    // takes nothing, and only then the fault-in brings the page in; the next round copies the word.
    [Fact]
    public async Task UA4001FixedBufferedWriteFaultsInOnlyAfterACopyOfNothing()
    {
        var fixedSource = await FixAsync<UA4001PrefaultOnHotPathAnalyzer, UA4001PrefaultOnHotPathCodeFix>(PerformWriteV613Shape);
        Assert.Matches(@"goto retry;\s*}\s*if \(FaultInReadable\(buf \+ written, bytes\) == bytes\)", fixedSource);
        var result = Run(Load(fixedSource), "Sim.Filemap", "WriteWord", swapOut: true, (m, mm, p) => new object?[] { p, new byte[4] });
        Assert.Empty(result.Reports);
        Assert.Equal(4, result.Return);
        Assert.Equal(0x12345678u, BitConverter.ToUInt32((byte[])result.Arguments[1]!));
    }

    [Fact]
    public async Task UA4001FixedLoopGivesUpOnAPoisonedPageInsteadOfSpinning()
    {
        var fixedSource = await FixAsync<UA4001PrefaultOnHotPathAnalyzer, UA4001PrefaultOnHotPathCodeFix>(PrefaultShape);
        var result = Run(Load(fixedSource), "Sim.Umcg", "Xchg", swapOut: false, (m, mm, p) =>
        {
            mm.Poison(p);
            return new object?[] { new UserPtr<uint>(p.Address), 7u, null };
        });
        Assert.DoesNotContain(result.Reports, r => r == ReportKind.Livelock);
        Assert.Equal(-Errno.EFAULT, result.Return);
    }

    internal static async Task<string> FixAsync<TAnalyzer, TFix>(string source)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        var document = FixApplier.CreateProject(FixHarness.Usings + source).Documents.Single();
        var fixedDocument = await FixApplier.FixOneByOneAsync(document, new TAnalyzer(), new TFix(), 1);
        return (await fixedDocument.GetTextAsync()).ToString();
    }

    [Fact]
    public async Task UA2002CopyUnderTheFolioLockDeadlocksAndTheFixedLoopWritesFromTheMappedFile()
    {
        const string seed = "using System;\n" + UA2002FaultUnderFaultPathLock.CopyFixCode.GenericPerformWrite;
        var buggy = RunBufferedWrite(Load(FixHarness.Usings + seed));
        Assert.Contains(buggy.Reports, r => r == ReportKind.Deadlock);
        Assert.NotEqual(Message, buggy.File);

        var fixedSource = await FixAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(seed);
        Assert.Contains("FaultInReadable(from, bytes) == bytes", fixedSource);
        var result = RunBufferedWrite(Load(fixedSource));
        Assert.Empty(result.Reports);
        Assert.Equal(Message.Length, result.Written);
        Assert.Equal(Message, result.File);
    }

    private static readonly byte[] Message = System.Text.Encoding.ASCII.GetBytes("hello, page cache");

    /// <summary>
    /// The generic_perform_write scenario: the source is a shared mapping of the very file written,
    /// not faulted in yet, on the folio the writer locks; the result is what the file holds at 0.
    /// </summary>
    private static (long Written, byte[] File, ReportKind[] Reports) RunBufferedWrite(Assembly assembly)
    {
        var machine = new Machine(Arch.X86_64, new MachineOptions { OnReport = ReportAction.Record, HungTaskTimeout = TimeSpan.FromSeconds(2) });
        var mm = machine.CreateProcess();
        var file = new SimFile(machine, "data", 8192);
        Message.AsSpan().CopyTo(file.GetFolio(0).Data.Slice(0x100));
        var map = mm.MmapFile(file, 8192, Prot.Read | Prot.Write, MapFlags.Shared);
        var write = assembly.GetType("Sim.Filemap")!.GetMethod("GenericPerformWrite")!;
        long written = 0;
        mm.CreateTask("writer").Run(() =>
        {
            written = (long)write.Invoke(null, BindingFlags.DoNotWrapExceptions, null, new object?[] { file, 0L, map + 0x100, (long)Message.Length }, null)!;
            return 0;
        });
        return (written, file.GetFolio(0).Data.Slice(0, Message.Length).ToArray(), machine.Reports.Select(r => r.Kind).ToArray());
    }

    private const string EarlyReturnShape = """
        namespace Sim;

        public static class Peek
        {
            public static int Word(UserPtr<uint> uaddr, out uint val)
            {
                val = 0;
                PagefaultDisable();
                int ret = GetUserUnchecked(out val, uaddr);
                if (ret != 0)
                    return ret;
                val++;
                PagefaultEnable();
                return ret;
            }
        }
        """;

    [Fact]
    public async Task UA1003EarlyReturnLeavesFaultsDisabledAndTheUsingScopeRestoresThem()
    {
        var buggy = Run(Load(FixHarness.Usings + EarlyReturnShape), "Sim.Peek", "Word", swapOut: true, (m, mm, p) => new object?[] { new UserPtr<uint>(p.Address), null });
        Assert.Equal(-Errno.EFAULT, buggy.Return);
        Assert.Contains(buggy.Reports, r => r == ReportKind.Imbalance);

        var fixedSource = await FixAsync<UA1003UnbalancedRegionAnalyzer, UA1003UnbalancedRegionCodeFix>(EarlyReturnShape);
        Assert.Contains("using (NoFault())", fixedSource);
        var failing = Run(Load(fixedSource), "Sim.Peek", "Word", swapOut: true, (m, mm, p) => new object?[] { new UserPtr<uint>(p.Address), null });
        Assert.Equal(-Errno.EFAULT, failing.Return);
        Assert.Empty(failing.Reports);

        var present = Run(Load(fixedSource), "Sim.Peek", "Word", swapOut: false, (m, mm, p) => new object?[] { new UserPtr<uint>(p.Address), null });
        Assert.Equal(0, present.Return);
        Assert.Equal(0x12345679u, (uint)present.Arguments[1]!);
        Assert.Empty(present.Reports);
    }

    // fixup_user_fault() called without the mmap lock: the simulator's lockdep reports it; the fixed code
    // takes the read lock of the same mm around it (plainly: the task's own mm) and resolves the fault.
    private const string FixupShape = """
        namespace Sim;

        public static class Fixup
        {
            public static int Touch(Mm mm, UserPtr<uint> uaddr, out uint val)
            {
                val = 0;
                int ret = FixupUserFault(mm, uaddr, FaultFlags.None);
                if (ret != 0)
                    return ret;
                return GetUser(out val, uaddr);
            }
        }
        """;

    [Fact]
    public async Task UA2003FixupWithoutTheMmapLockIsReportedAndTheFixedCodeResolvesTheFaultUnderIt()
    {
        var buggy = Run(Load(FixHarness.Usings + FixupShape), "Sim.Fixup", "Touch", swapOut: true, (m, mm, p) => new object?[] { mm, new UserPtr<uint>(p.Address), null });
        Assert.Contains(buggy.Reports, r => r == ReportKind.LockNotHeld);

        var fixedSource = await FixAsync<UA2003RequiredLockNotHeldAnalyzer, UA2003RequiredLockNotHeldCodeFix>(FixupShape);
        Assert.Contains("MmapReadLock(mm);", fixedSource);
        var fixedRun = Run(Load(fixedSource), "Sim.Fixup", "Touch", swapOut: true, (m, mm, p) => new object?[] { mm, new UserPtr<uint>(p.Address), null });
        Assert.Equal(0, fixedRun.Return);
        Assert.Equal(0x12345678u, (uint)fixedRun.Arguments[2]!);
        Assert.Empty(fixedRun.Reports);
    }

    [Fact]
    public async Task UA2003FixedCodeExploresCleanWhereTheBuggyShapeFails()
    {
        var fixedSource = await FixAsync<UA2003RequiredLockNotHeldAnalyzer, UA2003RequiredLockNotHeldCodeFix>(FixupShape);
        Assert.False(Explorer.Run(Explorable(Load(FixHarness.Usings + FixupShape), "Sim.Fixup", "Touch", (mm, p) => new object?[] { mm, p, null })).IsClean);
        Explorer.Run(Explorable(Load(fixedSource), "Sim.Fixup", "Touch", (mm, p) => new object?[] { mm, p, null })).AssertClean();
    }

    // __tty_open() before "tty_open can return to userspace holding tty_mutex": an error return leaves the
    // mutex held, which the simulator reports when the task returns; the fixed code unlocks on that path.
    private const string TtyOpenShape = """
        namespace Sim;

        public static class Tty
        {
            public static int Open(KernelMutex ttyMutex, UserPtr<uint> uaddr, out uint val)
            {
                ttyMutex.Lock();
                int ret = GetUser(out val, uaddr);
                if (ret != 0)
                    return ret;
                val++;
                ttyMutex.Unlock();
                return 0;
            }
        }
        """;

    [Fact]
    public async Task UA1003ErrorReturnLeavesTheMutexHeldAndTheFixedCodeReleasesIt()
    {
        var unmapped = new UserPtr<uint>(0x10);
        var buggy = Run(Load(FixHarness.Usings + TtyOpenShape), "Sim.Tty", "Open", swapOut: false, (m, mm, p) => new object?[] { new KernelMutex(m, "tty_mutex"), unmapped, null });
        Assert.Equal(-Errno.EFAULT, buggy.Return);
        Assert.Contains(buggy.Reports, r => r == ReportKind.Imbalance);

        var fixedSource = await FixAsync<UA1003UnbalancedRegionAnalyzer, UA1003UnbalancedRegionCodeFix>(TtyOpenShape);
        var failing = Run(Load(fixedSource), "Sim.Tty", "Open", swapOut: false, (m, mm, p) => new object?[] { new KernelMutex(m, "tty_mutex"), unmapped, null });
        Assert.Equal(-Errno.EFAULT, failing.Return);
        Assert.Empty(failing.Reports);

        var present = Run(Load(fixedSource), "Sim.Tty", "Open", swapOut: true, (m, mm, p) => new object?[] { new KernelMutex(m, "tty_mutex"), new UserPtr<uint>(p.Address), null });
        Assert.Equal(0, present.Return);
        Assert.Equal(0x12345679u, (uint)present.Arguments[2]!);
        Assert.Empty(present.Reports);
    }

    // Explored: the fixed code against every fault the explorer places (each page state, fail-nth, a
    // hostile task changing the page between two accesses, SIGKILL at a wait) on every backend, and the
    // buggy shape failing somewhere, so the exploration can tell them apart.

    [Fact]
    public async Task UA1002FixedLoopExploresCleanWhereTheBuggyShapeFails()
    {
        var fixedSource = await FixAsync<UA1002FaultHandlingInNofaultAnalyzer, UA1002FaultHandlingInNofaultCodeFix>(UmcgShape);
        Assert.False(Explorer.Run(Xchg(Load(FixHarness.Usings + UmcgShape))).IsClean);
        Explorer.Run(Xchg(Load(fixedSource))).AssertClean();
    }

    [Fact]
    public async Task UA4001FixedLoopExploresClean()
        => Explorer.Run(Xchg(Load(await FixAsync<UA4001PrefaultOnHotPathAnalyzer, UA4001PrefaultOnHotPathCodeFix>(PrefaultShape)))).AssertClean();

    [Fact]
    public async Task UA2002FixedLoopExploresCleanWhereTheBuggyShapeFails()
    {
        var fixedSource = await FixAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(Gfs2Shape);
        Assert.False(Explorer.Run(Explorable(Load(FixHarness.Usings + Gfs2Shape), "Sim.Vma", "ReadFlags", (mm, p) => new object?[] { mm, p, null })).IsClean);
        Explorer.Run(Explorable(Load(fixedSource), "Sim.Vma", "ReadFlags", (mm, p) => new object?[] { mm, p, null })).AssertClean();
    }

    [Fact]
    public async Task UA1003UsingScopeExploresCleanWhereTheEarlyReturnFails()
    {
        var fixedSource = await FixAsync<UA1003UnbalancedRegionAnalyzer, UA1003UnbalancedRegionCodeFix>(EarlyReturnShape);
        Assert.False(Explorer.Run(Explorable(Load(FixHarness.Usings + EarlyReturnShape), "Sim.Peek", "Word", (mm, p) => new object?[] { p, null })).IsClean);
        Explorer.Run(Explorable(Load(fixedSource), "Sim.Peek", "Word", (mm, p) => new object?[] { p, null })).AssertClean();
    }

    /// <summary>drivers/char/mem.c, write_mem() before "/dev/mem: Bail out upon SIGKILL.": a byte count, page by page, never a signal check.</summary>
    private const string WriteMemShape = """
        using System;

        namespace Sim;

        public static class Mem
        {
            public static long Write(UserPtr buf, long count, byte[] dev)
            {
                long written = 0;
                while (count > 0)
                {
                    long sz = Math.Min(count, 4096);
                    if (CopyFromUser(dev.AsSpan((int)written, (int)sz), buf) != 0)
                        return written != 0 ? written : -EFAULT;
                    buf += sz;
                    count -= sz;
                    written += sz;
                }

                return written;
            }
        }
        """;

    [Fact]
    public async Task UA4003KilledWriterCopiesEverythingAndTheFixedLoopStopsAfterOneRound()
    {
        Assert.Equal(4 * 4096, RunKilledWriter(Load(FixHarness.Usings + WriteMemShape)));

        var fixedSource = await FixAsync<UA4003NoFatalSignalCheckAnalyzer, UA4003NoFatalSignalCheckCodeFix>(WriteMemShape);
        Assert.Contains("if (FatalSignalPending())", fixedSource);

        // As read_mem()/write_mem() since the fix: the round in progress completes and the bytes done are returned.
        Assert.Equal(4096, RunKilledWriter(Load(fixedSource)));
    }

    /// <summary>Four pages written by a task with SIGKILL pending; the bytes the method says it wrote.</summary>
    private static long RunKilledWriter(Assembly assembly)
    {
        var machine = new Machine(Arch.X86_64, new MachineOptions { OnReport = ReportAction.Record, HungTaskTimeout = TimeSpan.FromSeconds(2) });
        var mm = machine.CreateProcess();
        var pages = mm.Mmap(4 * 4096, Prot.Read | Prot.Write);

        // Present pages: a fault taken with SIGKILL pending gives up, and that is not what is shown here.
        mm.UserWrite(pages, new byte[4 * 4096]);
        var target = assembly.GetType("Sim.Mem")!.GetMethod("Write")!;
        var task = mm.CreateTask("writer");
        task.SendSignal(Signal.SIGKILL);
        long written = 0;
        task.Run(() =>
        {
            written = (long)target.Invoke(null, new object?[] { pages, 4L * 4096, new byte[4 * 4096] })!;
            return 0;
        });
        Assert.Empty(machine.Reports);
        return written;
    }

    private static ExplorationTarget Xchg(Assembly assembly)
        => Explorable(assembly, "Sim.Umcg", "Xchg", (mm, p) => new object?[] { p, 7u, null });

    /// <summary>The method run on a word 0x12345678 at the start of a fresh private page, as the other tests here run it.</summary>
    private static ExplorationTarget Explorable(Assembly assembly, string type, string method, Func<Mm, UserPtr<uint>, object?[]> arguments)
    {
        var target = assembly.GetType(type)!.GetMethod(method)!;
        return new ExplorationTarget
        {
            Setup = mm =>
            {
                var page = mm.Mmap(4096, Prot.Read | Prot.Write);
                mm.UserWrite(page, BitConverter.GetBytes(0x12345678u));
                return arguments(mm, new UserPtr<uint>(page.Address));
            },
            Body = args => (int)target.Invoke(null, BindingFlags.DoNotWrapExceptions, null, (object?[])args!, null)!,
        };
    }

    private static Assembly Load(string source)
    {
        var compilation = CSharpCompilation.Create(
            "Fixed" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(source, SimulatorCompilation.ParseOptions) },
            SimulatorCompilation.References,
            SimulatorCompilation.Options);
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return Assembly.Load(stream.ToArray());
    }

    private sealed record Result(int Return, object?[] Arguments, ReportKind[] Reports, uint Word);

    private static Result Run(Assembly assembly, string type, string method, bool swapOut, Func<Machine, Mm, UserPtr, object?[]> arguments)
    {
        var machine = new Machine(Arch.X86_64, new MachineOptions { OnReport = ReportAction.Record, HungTaskTimeout = TimeSpan.FromSeconds(2) });
        var mm = machine.CreateProcess();
        var page = mm.Mmap(4096, Prot.Read | Prot.Write);
        mm.UserWrite(page, BitConverter.GetBytes(0x12345678u));
        if (swapOut)
        {
            // Not present: the first access takes a fault that only a fault-in can resolve.
            mm.SwapOut(page, 4096);
        }

        var args = arguments(machine, mm, page);
        var target = assembly.GetType(type)!.GetMethod(method)!;
        var task = mm.CreateTask("t");
        int ret = task.Run(() => (int)target.Invoke(null, args)!);
        var word = new byte[4];
        if (mm.GetPageState(page) is not PageState.Poisoned)
        {
            mm.UserRead(page, word);
        }

        return new Result(ret, args, machine.Reports.Select(r => r.Kind).ToArray(), BitConverter.ToUInt32(word));
    }

    // sclp_ctl_ioctl_sccb()'s double fetch (before 532c34b5fbf1): the SCCB length is checked in the header
    // copy, and the whole SCCB copied again over it. The cond_resched() between them is where another
    // thread of the process gets to rewrite the length.
    private const string SccbShape = """
        using System;

        namespace Sim;

        public static class Sclp
        {
            public static int IoctlSccb(UserPtr uSccb)
            {
                var sccb = new byte[4096];

                if (CopyFromUser(sccb.AsSpan(0, 8), uSccb) != 0)
                    return -EFAULT;
                if (BitConverter.ToUInt16(sccb, 0) > 64 || BitConverter.ToUInt16(sccb, 0) < 8)
                    return -EINVAL;
                CondResched();
                if (CopyFromUser(sccb.AsSpan(0, BitConverter.ToUInt16(sccb, 0)), uSccb) != 0)
                    return -EFAULT;
                return BitConverter.ToUInt16(sccb, 0);
            }
        }
        """;

    [Fact]
    public async Task UA3003SecondCopySeesTheRewrittenLengthAndTheFixedCodeRefusesIt()
    {
        // Buggy: the length checked is 64, the one used is what user space wrote in between.
        Assert.Equal(4000, RunSccb(Load(FixHarness.Usings + SccbShape), rewrite: true));

        var fixedSource = await FixAsync<UA3003DoubleFetchAnalyzer, UA3003DoubleFetchCodeFix>(SccbShape);
        Assert.Contains("if (!sccbHeader.AsSpan().SequenceEqual(sccb.AsSpan(0, sccbHeader.Length)))", fixedSource);
        var fixedCode = Load(fixedSource);
        Assert.Equal(-Errno.EINVAL, RunSccb(fixedCode, rewrite: true));
        Assert.Equal(64, RunSccb(fixedCode, rewrite: false));
    }

    /// <summary>An SCCB of length 64 in user memory; with <paramref name="rewrite"/>, its length becomes 4000 at the scheduling point between the copies.</summary>
    private static int RunSccb(Assembly assembly, bool rewrite)
    {
        Mm? process = null;
        UserPtr sccb = default;
        var machine = new Machine(Arch.X86_64, new MachineOptions
        {
            OnReport = ReportAction.Record,
            HungTaskTimeout = TimeSpan.FromSeconds(2),
            SchedulingPoint = (_, _) =>
            {
                if (rewrite)
                {
                    process!.UserWrite(sccb, BitConverter.GetBytes((ushort)4000));
                }
            },
        });
        process = machine.CreateProcess();
        sccb = process.Mmap(4096, Prot.Read | Prot.Write);
        process.UserWrite(sccb, BitConverter.GetBytes((ushort)64));
        var target = assembly.GetType("Sim.Sclp")!.GetMethod("IoctlSccb")!;
        int ret = process.CreateTask("ioctl").Run(() => (int)target.Invoke(null, new object?[] { sccb })!);
        Assert.Empty(machine.Reports);
        return ret;
    }

    // vc4_create_shader_bo_ioctl() before 585cb132a481: a failed copy leaves its byte count in ret, which
    // the ioctl returns as if it were a result.
    private const string ShaderBoShape = """
        namespace Sim;

        public static class Vc4
        {
            public static int CreateShaderBo(UserPtr data, int size)
            {
                byte[] bo;
                int ret;

                if (size == 0)
                    return -EINVAL;
                bo = new byte[size];
                ret = CopyFromUser(bo, data);
                if (ret != 0)
                    goto fail;
                ret = bo[0];
            fail:
                return ret;
            }
        }
        """;

    [Fact]
    public async Task UA5002ACopyCutShortReturnsItsCountAndTheFixedCodeReturnsEfault()
    {
        // Two pages asked for, the second unmapped: 4096 bytes are not copied.
        Assert.Equal(4096, RunShaderBo(Load(FixHarness.Usings + ShaderBoShape)));

        var fixedSource = await FixAsync<UA5002BytesNotCopiedMisreadAnalyzer, UA5002BytesNotCopiedMisreadCodeFix>(ShaderBoShape);
        Assert.Contains("if (CopyFromUser(bo, data) != 0)", fixedSource);
        Assert.Equal(-Errno.EFAULT, RunShaderBo(Load(fixedSource)));
    }

    private static int RunShaderBo(Assembly assembly)
    {
        var machine = new Machine(Arch.X86_64, new MachineOptions { OnReport = ReportAction.Record, HungTaskTimeout = TimeSpan.FromSeconds(2) });
        var mm = machine.CreateProcess();
        var pages = mm.Mmap(2 * 4096, Prot.Read | Prot.Write);
        mm.UserWrite(pages, new byte[] { 7 });
        mm.Munmap(pages + 4096, 4096);
        var target = assembly.GetType("Sim.Vc4")!.GetMethod("CreateShaderBo")!;
        int ret = mm.CreateTask("ioctl").Run(() => (int)target.Invoke(null, new object?[] { pages, 2 * 4096 })!);
        Assert.Empty(machine.Reports);
        return ret;
    }
}
