using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.Runtime;
using UserAccess.Runtime.Exploration;
using Xunit;

namespace UserAccess.Analyzers.Tests.Fixes;

/// <summary>The retry-loop fixes, run: the loop that cannot make progress, and the one that gives up too early.</summary>
public partial class RuntimeFixTests
{
    /// <summary>search_ioctl() between the 2021 deadlock fix and commit 18788e34642e: page-granular fault-in before each nofault copy of an item.</summary>
    private const string SearchIoctlShape = """
        using System;

        namespace Sim;

        public static class Search
        {
            public static int Run(UserPtr ubuf, long bufSize)
            {
                long skOffset = 0;
                int ret;
                byte[] item = new byte[24];
                item.AsSpan().Fill(0xab);
                while (true)
                {
                    ret = -EFAULT;
                    if (FaultInWriteable(ubuf + skOffset, bufSize - skOffset) != 0)
                        break;
                    ret = CopyToUserNofault(ubuf + skOffset, item);
                    if (ret == 0)
                        skOffset += item.Length;
                    if (skOffset >= bufSize)
                        break;
                }
                return ret;
            }
        }
        """;

    /// <summary>
    /// The MTE granule at this offset of the buffer refuses the copy; the page's first byte does not.
    /// The seventh 24-byte item starts in the granule before it, which the page-granular probe never touches.
    /// </summary>
    private const int BadGranule = 160;


    [Fact]
    public async Task UA4005PageFaultInSpinsOnAnMteTagMismatchAndTheSubPageFaultInFailsAtOnce()
    {
        var buggy = SearchOnTaggedBuffer(Load(FixHarness.Usings + SearchIoctlShape));
        Assert.Equal(TaskStruct.Killed, buggy.Return);
        Assert.Equal(ReportKind.Livelock, Assert.Single(buggy.Reports).Kind);

        // Six items arrived before the loop started spinning, and the failing copy of the seventh wrote
        // its bytes before the granule each time (user space reads up to the granule its own
        // tag-checked loads refuse too).
        Assert.All(UserBytes(buggy.Mm, (UserPtr)buggy.Arguments[0]!, BadGranule), b => Assert.Equal(0xab, b));

        var fixedSource = await FixAsync<UA4005NoForwardProgressAnalyzer, UA4005NoForwardProgressCodeFix>(SearchIoctlShape);
        Assert.Contains("FaultInSubpageWriteable(ubuf + skOffset, bufSize - skOffset)", fixedSource);
        var result = SearchOnTaggedBuffer(Load(fixedSource));
        Assert.Empty(result.Reports);
        Assert.Equal(-Errno.EFAULT, result.Return);

        // As btrfs since the fix: the sub-page probe of the whole buffer fails first, and no item is copied.
        Assert.All(UserBytes(result.Mm, (UserPtr)result.Arguments[0]!, BadGranule), b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task UA4005SubPageFaultInExploresCleanWhereThePageFaultInFails()
    {
        var fixedSource = await FixAsync<UA4005NoForwardProgressAnalyzer, UA4005NoForwardProgressCodeFix>(SearchIoctlShape);
        Assert.Contains(Explorer.Run(Search(Load(FixHarness.Usings + SearchIoctlShape))).Failures, f => f.Reports.Any(r => r.Kind == ReportKind.Livelock));
        Explorer.Run(Search(Load(fixedSource))).AssertClean();
    }

    /// <summary>The search into a 96-byte buffer (four items) at the start of a fresh MTE-capable page, on every backend.</summary>
    private static ExplorationTarget Search(Assembly assembly)
    {
        var run = assembly.GetType("Sim.Search")!.GetMethod("Run")!;
        return new ExplorationTarget
        {
            Setup = mm => mm.Mmap(4096, Prot.Read | Prot.Write | (mm.Machine.Arch == Arch.Arm64 ? Prot.Mte : Prot.None)),
            Body = buffer => (int)run.Invoke(null, BindingFlags.DoNotWrapExceptions, null, new object?[] { (UserPtr)buffer!, 96L }, null)!,
        };
    }

    /// <summary>A page of MTE memory on arm64, present, with one granule tagged differently from the pointer.</summary>
    private static Call SearchOnTaggedBuffer(Assembly assembly)
        => CallOn(Arch.Arm64, assembly, "Sim.Search", "Run", mm =>
        {
            var buffer = mm.Mmap(4096, Prot.Read | Prot.Write | Prot.Mte, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
            mm.SetMemoryTag(buffer + BadGranule, 16, 5);
            return new object?[] { buffer, 4096L };
        });

    /// <summary>generic_perform_write() before 2021: the fault-in of a chunk fails the write when any byte of it could not be faulted in.</summary>
    private const string PerformWriteShape = """
        using System;

        namespace Sim;

        public static class Filemap
        {
            const int PageSize = 4096;

            public static long GenericPerformWrite(UserPtr buf, long count, byte[] pagecache, long pos)
            {
                long written = 0;
                int status = 0;
                do
                {
                    int offset = (int)(pos & (PageSize - 1));
                    int bytes = (int)Math.Min(PageSize - offset, count - written);
                again:
                    if (FaultInReadable(buf + written, bytes) != 0)
                    {
                        status = -EFAULT;
                        break;
                    }

                    if (FatalSignalPending())
                    {
                        status = -EINTR;
                        break;
                    }

                    PagefaultDisable();
                    int notCopied = CopyFromUser(pagecache.AsSpan(offset, bytes), buf + written);
                    PagefaultEnable();
                    int copied = bytes - notCopied;
                    if (copied == 0)
                    {
                        bytes = Math.Min(PageSize - offset, 1);
                        goto again;
                    }

                    pos += copied;
                    written += copied;
                }
                while (written < count);
                return written != 0 ? written : status;
            }
        }
        """;

    [Fact]
    public async Task UA4004WriteFromABufferEndingInAHoleFailsWholeAndTheFixedLoopWritesUpToTheHole()
    {
        var buggy = WriteUpToAHole(Load(FixHarness.Usings + PerformWriteShape));
        Assert.Empty(buggy.Reports);
        Assert.Equal(-Errno.EFAULT, buggy.Return);
        Assert.All((byte[])buggy.Arguments[2]!, b => Assert.Equal(0, b));

        var fixedSource = await FixAsync<UA4004AllOrNothingFaultInAnalyzer, UA4004AllOrNothingFaultInCodeFix>(PerformWriteShape);
        Assert.Contains("if (FaultInReadable(buf + written, bytes) == bytes)", fixedSource);
        var result = WriteUpToAHole(Load(fixedSource));
        Assert.Empty(result.Reports);

        // A short write, as write(2) since 2021: the 2,048 bytes before the hole are in the page cache.
        Assert.Equal(2048, result.Return);
        var pagecache = (byte[])result.Arguments[2]!;
        Assert.All(pagecache.Take(2048), b => Assert.Equal(0x5a, b));
        Assert.All(pagecache.Skip(2048), b => Assert.Equal(0, b));
    }

    /// <summary>A 4,096-byte write from the second half of a present page whose next page is not mapped, to offset 0 of the file.</summary>
    private static Call WriteUpToAHole(Assembly assembly)
        => CallOn(Arch.X86_64, assembly, "Sim.Filemap", "GenericPerformWrite", mm =>
        {
            var pages = mm.Mmap(2 * 4096, Prot.Read | Prot.Write);
            mm.Munmap(pages + 4096, 4096);
            mm.UserWrite(pages, Enumerable.Repeat((byte)0x5a, 4096).ToArray());
            return new object?[] { pages + 2048, 4096L, new byte[4096], 0L };
        });

    // mm/migrate.c, do_pages_stat() (v2.6.28) reduced to one status word with the mmap lock around it:
    // put_user() tested in an if whose branch drops the lock and fails.
    private const string PutUserTestedUnderTheMmapLockShape = """
        namespace Sim;

        public static class MovePages
        {
            public static int StoreStatus(Mm mm, UserPtr<int> status, int node)
            {
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                if (PutUser(node, status) != 0)
                {
                    MmapReadUnlock(mm);
                    return -EFAULT;
                }
                MmapReadUnlock(mm);
                return 0;
            }
        }
        """;

    [Fact]
    public async Task UA2002PutUserTestedInAnIfDeadlocksAndTheFixedLoopStoresTheSwappedOutWord()
    {
        var buggy = Run(Load(FixHarness.Usings + PutUserTestedUnderTheMmapLockShape), "Sim.MovePages", "StoreStatus", swapOut: true, (m, mm, p) => new object?[] { mm, new UserPtr<int>(p.Address), 3 });
        Assert.Contains(buggy.Reports, r => r == ReportKind.Deadlock);

        var fixedSource = await FixAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(PutUserTestedUnderTheMmapLockShape);
        Assert.Contains("if (ret != 0)", fixedSource);
        var result = Run(Load(fixedSource), "Sim.MovePages", "StoreStatus", swapOut: true, (m, mm, p) => new object?[] { mm, new UserPtr<int>(p.Address), 3 });
        Assert.Empty(result.Reports);
        Assert.Equal(0, result.Return);
        Assert.Equal(3u, result.Word);
    }

    // gfs2_file_read_iter() (v5.15) reduced to its read under the glock, with the mmap lock as the lock the
    // fault path takes: generic_file_read_iter() copies the file page by page to the iterator and advances
    // it, bytes read or -EFAULT when it copied nothing.
    private const string ReadIterUnderTheFaultPathLockShape = """
        using System;

        namespace Sim;

        public sealed class IovIter
        {
            public UserPtr Base;
            public long Count;
        }

        public sealed class SimpleFile
        {
            public byte[] Data = Array.Empty<byte>();
            public long Pos;
        }

        public static class Gfs2
        {
            public static long Read(Mm mm, UserPtr buf, long count, byte[] data) =>
                ReadIter(mm, new SimpleFile { Data = data }, new IovIter { Base = buf, Count = count });

            public static long ReadIter(Mm mm, SimpleFile file, IovIter to)
            {
                long written = 0;
                long ret;

                ret = MmapReadLockKillable(mm);
                if (ret != 0)
                    goto out_uninit;
                ret = GenericFileReadIter(file, to);
                if (ret > 0)
                    written += ret;
                MmapReadUnlock(mm);
            out_uninit:
                return written != 0 ? written : ret;
            }

            public static long GenericFileReadIter(SimpleFile file, IovIter to)
            {
                long copied = 0;
                bool faulted = false;
                while (to.Count > 0 && file.Pos < file.Data.Length)
                {
                    int chunk = (int)Math.Min(Math.Min(to.Count, file.Data.Length - file.Pos), 4096);
                    long done = chunk - CopyToUser(to.Base, file.Data.AsSpan((int)file.Pos, chunk));
                    to.Base += done;
                    to.Count -= done;
                    file.Pos += done;
                    copied += done;
                    if (done != chunk)
                    {
                        faulted = true;
                        break;
                    }
                }

                return copied != 0 || !faulted ? copied : -EFAULT;
            }
        }
        """;

    [Fact]
    public async Task UA2002ReadIterUnderTheFaultPathLockDeadlocksAndTheFixedLoopReadsTheFileFromWhereItStopped()
    {
        var buggy = ReadIntoAPartlySwappedOutBuffer(Load(FixHarness.Usings + ReadIterUnderTheFaultPathLockShape));
        Assert.Contains(buggy.Reports, r => r.Kind == ReportKind.Deadlock);

        var fixedSource = await FixAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(ReadIterUnderTheFaultPathLockShape);
        Assert.Contains("if (FaultInSafeWriteable(to.Base, to.Count) == to.Count)", fixedSource);
        var result = ReadIntoAPartlySwappedOutBuffer(Load(fixedSource));
        Assert.Empty(result.Reports);

        // The first round reads the present page and stops at the swapped-out one; after the fault-in the
        // read resumes there and ends at the end of the file, 6,000 bytes in all.
        Assert.Equal(6000, result.Return);
        var buffer = UserBytes(result.Mm, (UserPtr)result.Arguments[1]!, 2 * 4096);
        Assert.All(buffer.Take(6000), b => Assert.Equal(0x5a, b));

        // The fault-in of what is left after the end of the file wrote nothing there.
        Assert.All(buffer.Skip(6000), b => Assert.Equal(0xee, b));
    }

    /// <summary>A 6,000-byte file read into an 8,192-byte buffer whose second page is swapped out.</summary>
    private static Call ReadIntoAPartlySwappedOutBuffer(Assembly assembly)
        => CallOn(Arch.X86_64, assembly, "Sim.Gfs2", "Read", mm =>
        {
            var buf = mm.Mmap(2 * 4096, Prot.Read | Prot.Write);
            mm.UserWrite(buf, Enumerable.Repeat((byte)0xee, 2 * 4096).ToArray());
            mm.SwapOut(buf + 4096, 4096);
            return new object?[] { mm, buf, 2 * 4096L, Enumerable.Repeat((byte)0x5a, 6000).ToArray() };
        });
}
