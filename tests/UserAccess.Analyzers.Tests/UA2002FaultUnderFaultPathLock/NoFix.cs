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

    /// <summary>
    /// mm/migrate.c, do_pages_stat(), v2.6.28: the put_user() of the status has its result dropped (UA5001
    /// on the same call). What a failure does is decided by that fix first; the retry loop follows then.
    /// </summary>
    [Fact]
    public Task AnAccessWhoseResultIsIgnoredGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class MovePages
        {
            public static int StoreStatus(Mm mm, UserPtr<int> status, int node)
            {
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                [|PutUser(node, status)|];
                MmapReadUnlock(mm);
                return 0;
            }
        }
        """,
        DeclineReason.ResultIgnored);

    /// <summary>
    /// do_pages_stat()'s <c>if (get_user(p, ...)) goto out;</c> with the mmap lock taken right before it:
    /// the branch leaves holding the lock for the exit that drops it, so after a loop that has dropped it
    /// already, that exit would drop it twice.
    /// </summary>
    [Fact]
    public Task AFailureBranchThatLeavesHoldingTheLockGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class MovePages
        {
            public static int PageStat(Mm mm, UserPtr<ulong> pages, ulong[] addr)
            {
                int err = -EFAULT;
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                if ([|GetUser(out addr[0], pages)|] != 0)
                    goto out_;
                err = 0;
            out_:
                MmapReadUnlock(mm);
                return err;
            }
        }
        """,
        DeclineReason.BranchLeavesLocked);

    /// <summary>
    /// fs/gfs2: gfs2_glock_nq_init() takes the glock and fills in the holder that gfs2_holder_uninit()
    /// needs after gfs2_glock_dq(): the holder is declared by the lock statement, which would move into
    /// the loop body, out of the scope of its later use.
    /// </summary>
    [Fact]
    public Task ALockStatementDeclaringAVariableUsedAfterGetsNoFix() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Gfs2Inode
        {
            [TakenInFaultPath]
            public RwSemaphore Glock = null!;
        }

        public sealed class Gfs2Holder
        {
            public bool Initialized;
        }

        public static class Gfs2
        {
            public static int ReadFlags(Gfs2Inode ip, UserPtr<uint> uaddr, out uint flags)
            {
                int ret;
                if (Gfs2GlockNqInit(ip, out var gh) != 0)
                {
                    flags = 0;
                    return -EINTR;
                }
                ret = [|GetUser(out flags, uaddr)|];
                Gfs2GlockDq(ip);
                Gfs2HolderUninit(gh);
                return ret;
            }

            [Acquires("ip.Glock", Shared = true, When = AcquiredWhen.ReturnsZero)]
            public static int Gfs2GlockNqInit(Gfs2Inode ip, out Gfs2Holder gh)
            {
                gh = new Gfs2Holder { Initialized = true };
                return ip.Glock.DownReadKillable();
            }

            [Releases("ip.Glock", Shared = true)]
            public static void Gfs2GlockDq(Gfs2Inode ip) => ip.Glock.UpRead();

            public static void Gfs2HolderUninit(Gfs2Holder gh) => gh.Initialized = false;
        }
        """,
        DeclineReason.OutVariableUsedAfter);

    /// <summary>
    /// do_pages_stat()'s get_user() of entry i, <c>pages + i * 8</c>: the pointer is computed, not a plain
    /// expression the loop can evaluate again for the fault-in.
    /// </summary>
    [Fact]
    public Task AnAccessAtAComputedPointerGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class MovePages
        {
            public static int PageStat(Mm mm, UserPtr pages, long i, out ulong p)
            {
                int ret;
                if (MmapReadLockKillable(mm) != 0)
                {
                    p = 0;
                    return -EINTR;
                }
                ret = [|GetUser(out p, (pages + i * 8).Cast<ulong>())|];
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """,
        DeclineReason.FaultInArgumentsUnknown);

    /// <summary>
    /// A driver's own accessor for a user word (an arch's <c>__get_user_asm</c> wrapper): annotated as an
    /// access, but its type declares no fault-in for it, so the loop has nothing to fault in with.
    /// </summary>
    [Fact]
    public Task AnAccessWithNoFaultInOfItsKindGetsNoFix() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class DevUaccess
        {
            [UserAccess(AccessKind.Read, "uaddr")]
            [MightFault]
            [ReturnsErrno]
            public static int GetWord(out uint val, UserPtr<uint> uaddr)
            {
                val = 0;
                return 0;
            }
        }

        public static class Dev
        {
            public static int ReadWord(Mm mm, UserPtr<uint> uaddr, out uint val)
            {
                int ret;
                if (MmapReadLockKillable(mm) != 0)
                {
                    val = 0;
                    return -EINTR;
                }
                ret = [|DevUaccess.GetWord(out val, uaddr)|];
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """,
        DeclineReason.NoFaultIn);

    /// <summary>
    /// do_pages_stat()'s get_user() stored and tested, the branch jumping to the exit that drops the mmap
    /// lock (<c>err = get_user(...); if (err) goto out_unlock;</c>): after a loop that has dropped it
    /// already, that exit would drop it twice.
    /// </summary>
    [Fact]
    public Task AStoredResultWhoseBranchLeavesHoldingTheLockGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class MovePages
        {
            public static int PageStat(Mm mm, UserPtr<ulong> pages, ulong[] addr)
            {
                int err;
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                err = [|GetUser(out addr[0], pages)|];
                if (err != 0)
                    goto out_unlock;
                MmapReadUnlock(mm);
                return 0;
            out_unlock:
                MmapReadUnlock(mm);
                return err;
            }
        }
        """,
        DeclineReason.BranchLeavesLocked);

    /// <summary>
    /// A stored result whose test goes on under the lock (<c>if (ret != 0) ret = -EFAULT;</c>, no jump):
    /// the test would run on every retry, so it stands between the access and the unlock.
    /// </summary>
    [Fact]
    public Task AStoredResultTestedWithoutAJumpGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class MovePages
        {
            public static int StoreStatus(Mm mm, UserPtr<int> status, int node)
            {
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                int ret = [|PutUser(node, status)|];
                if (ret != 0)
                    ret = -EFAULT;
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """,
        DeclineReason.StatementBetween);

    /// <summary>
    /// security/keys/request_key_auth.c, request_key_auth_read() of v5.5: a key type's <c>-&gt;read()</c>,
    /// entered holding key-&gt;sem by its contract, copies the payload to the user. No fault-in in it can
    /// run without the caller's lock; d3ec10aa9581 made <c>-&gt;read()</c> fill a kernel buffer that
    /// keyctl_read_key() copies out after up_read().
    /// </summary>
    [Fact]
    public Task CopyInAMethodEnteredHoldingTheLockGetsNoFix() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Key
        {
            [TakenInFaultPath] public RwSemaphore Sem = new();
            public byte[] Payload = new byte[16];
        }

        public static class KeyType
        {
            [RequiresLock("key.Sem", Shared = true)]
            public static long Read(Key key, UserPtr buffer)
            {
                long ret = key.Payload.Length;
                if ([|CopyToUser(buffer, key.Payload)|] != 0)
                    ret = -EFAULT;
                return ret;
            }
        }
        """,
        DeclineReason.LockHeldAcrossFaultIn);
}
