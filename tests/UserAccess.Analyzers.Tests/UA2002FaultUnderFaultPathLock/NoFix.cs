using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2002FaultUnderFaultPathLock;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(FixHarness.Usings + source, reasons);

    [Fact]
    public Task NoFixForCopiesOrWithOtherStatementsUnderTheLock() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Unclear
        {
            public static int Copy(Mm mm, UserPtr from, byte[] buf)
            {
                MmapReadLock(mm);
                int left = [|CopyFromUser(buf, from)|];
                MmapReadUnlock(mm);
                return left != 0 ? -EFAULT : 0;
            }

            public static int NoErrorPathYet([RemoteMm] Mm mm, UserPtr<uint> uaddr, uint[] result)
            {
                // the loop's -EINTR would be the first error return and make MmapReadLock a UA2001
                MmapReadLock(mm);
                int ret = [|GetUser(out result[0], uaddr)|];
                MmapReadUnlock(mm);
                return ret == 0 ? 1 : 0;
            }

            public static int More(Mm mm, UserPtr<uint> uaddr, out uint val, int[] counters)
            {
                MmapReadLock(mm);
                counters[0]++;
                int ret = [|GetUser(out val, uaddr)|];
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """,
        DeclineReason.CopyReturnsBytes,
        DeclineReason.FirstErrorReturn,
        DeclineReason.StatementBetween);

    /// <summary>
    /// sys_mincore(), v2.6.12: mincore_vma() fills a kernel page and copies it to the user's vector
    /// under the mmap lock; 2f77d107050a moved the copy out of the locked region through a kernel
    /// buffer, a restructuring of the helper, not a retry loop around its call.
    /// </summary>
    [Fact]
    public Task AccessInsideAHelperGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class Mincore
        {
            public static int SysMincore(Mm mm, UserPtr vec, int pages)
            {
                int error;
                MmapReadLock(mm);
                error = [|MincoreVma(vec, pages)|];
                MmapReadUnlock(mm);
                return error;
            }

            public static int MincoreVma(UserPtr vec, int pages)
            {
                var tmp = new byte[pages];
                for (int i = 0; i < pages; i++)
                    tmp[i] = 1;
                return CopyToUser(vec, tmp) != 0 ? -EFAULT : 0;
            }
        }
        """,
        DeclineReason.AccessInHelper);

    /// <summary>
    /// gfs2_file_direct_read(), v5.15: iomap_dio_rw() pins the pages of the iterator it is given; the
    /// user memory is inside the iterator, not a parameter, so the engine cannot name what to fault in.
    /// </summary>
    [Fact]
    public Task AHelperWhoseUserMemoryIsInsideAStructureGetsNoFix() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Inode
        {
            [TakenInFaultPath]
            public RwSemaphore Glock = null!;
        }

        public sealed class IovIter
        {
            public UserPtr Base;
            public int Count;
        }

        public static class Gfs2
        {
            public static int DirectRead(Inode ip, IovIter to)
            {
                int ret;
                ip.Glock.DownRead();
                ret = [|DioRw(to)|];
                ip.Glock.UpRead();
                return ret;
            }

            public static int DioRw(IovIter to)
            {
                var page = new byte[to.Count];
                return CopyToUser(to.Base, page) != 0 ? -EFAULT : 0;
            }
        }
        """,
        DeclineReason.AccessInHelper);

    /// <summary>
    /// i915_gem_gtt_pwrite(), v2.6.29: slow_user_write() per page inside the loop, struct_mutex taken
    /// before the loop. Retrying the helper inside the loop would fault in with the lock still held; the
    /// kernel's fix (3de09aa3b389) moved the slow path out from under the lock altogether.
    /// </summary>
    [Fact]
    public Task AHelperInALoopUnderALockTakenBeforeItGetsNoFix() => VerifyNoFix(
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class DrmDevice
        {
            [TakenInFaultPath]
            public KernelMutex StructMutex = null!;
        }

        public static class I915Gem
        {
            public static int GttPwrite(DrmDevice dev, byte[] aperture, UserPtr userData, int remain)
            {
                int ret = 0;
                int offset = 0;

                dev.StructMutex.Lock();
                while (remain > 0)
                {
                    int length = Math.Min(remain, 4096);
                    ret = [|SlowUserWrite(aperture, offset, userData, length)|];
                    if (ret != 0)
                        break;
                    remain -= length;
                    userData += length;
                    offset += length;
                }
                dev.StructMutex.Unlock();
                return ret;
            }

            public static int SlowUserWrite(byte[] aperture, int offset, UserPtr userData, int length)
            {
                int unwritten = CopyFromUser(aperture.AsSpan(offset, length), userData);
                return unwritten != 0 ? -EFAULT : 0;
            }
        }
        """,
        DeclineReason.LockHeldAcrossFaultIn);
}
