using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2002FaultUnderFaultPathLock;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    [Fact]
    public Task GetUserUnderTheMmapLockBecomesTheCanonicalLoop() => Verify(
        """
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
                ret = [|GetUser(out flags, uaddr)|]; // may fault
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Vma
        {
            public static int ReadFlags(Mm mm, UserPtr<uint> uaddr, out uint flags)
            {
                flags = 0;
                int ret;

                while (true)
                {
                    // the VMA must not change under us
                    if (MmapReadLockKillable(mm) != 0)
                        return -EINTR;
                    PagefaultDisable();
                    ret = GetUser(out flags, uaddr); // may fault
                    PagefaultEnable();
                    MmapReadUnlock(mm);
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    if (FaultInReadable(uaddr, sizeof(uint)) != 0)
                    {
                        ret = -EFAULT;
                        break;
                    }
                }
                return ret;
            }
        }
        """);

    [Fact]
    public Task PutUserUnderAFolioLockWithTwoLocksKeepsTheirOrder() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Folio
        {
            [TakenInFaultPath]
            public KernelMutex Lock = null!;
        }

        public static class Gfs2
        {
            public static int Store(Folio folio, KernelMutex glock, UserPtr<uint> uaddr, uint val)
            {
                if (glock.LockKillable() != 0)
                    return -EINTR;
                folio.Lock.Lock();
                int ret = [|PutUser(val, uaddr)|];
                folio.Lock.Unlock();
                glock.Unlock();
                return ret;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Folio
        {
            [TakenInFaultPath]
            public KernelMutex Lock = null!;
        }

        public static class Gfs2
        {
            public static int Store(Folio folio, KernelMutex glock, UserPtr<uint> uaddr, uint val)
            {
                int ret;
                while (true)
                {
                    if (glock.LockKillable() != 0)
                        return -EINTR;
                    folio.Lock.Lock();
                    PagefaultDisable();
                    ret = PutUser(val, uaddr);
                    PagefaultEnable();
                    folio.Lock.Unlock();
                    glock.Unlock();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    if (FaultInWriteable(uaddr, sizeof(uint)) != 0)
                    {
                        ret = -EFAULT;
                        break;
                    }
                }
                return ret;
            }
        }
        """);

    /// <summary>
    /// drivers/gpu/drm/i915/i915_gem.c, i915_gem_gtt_pwrite() (v2.6.29) reduced to its slow path: a helper
    /// of the user's that copies from the user's buffer, called under struct_mutex, which the GEM fault
    /// handler takes. The helper's one access is on its parameters, so it runs with faults disabled under
    /// the lock and the range the call passes it is faulted in after the unlock (gfs2's shape).
    /// </summary>
    [Fact]
    public Task AHelperWhoseAccessIsOnItsParametersRunsWithFaultsDisabled() => Verify(
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
            public static int GttPwrite(DrmDevice dev, byte[] aperture, int offset, UserPtr userData, int length)
            {
                int ret;

                dev.StructMutex.Lock();
                ret = [|SlowUserWrite(aperture, offset, userData, length)|];
                dev.StructMutex.Unlock();
                return ret;
            }

            // slow_user_write(): the copy into the aperture page, faults enabled; 0 or -EFAULT.
            public static int SlowUserWrite(byte[] aperture, int offset, UserPtr userData, int length)
            {
                int unwritten = CopyFromUser(aperture.AsSpan(offset, length), userData);
                return unwritten != 0 ? -EFAULT : 0;
            }
        }
        """,
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
            public static int GttPwrite(DrmDevice dev, byte[] aperture, int offset, UserPtr userData, int length)
            {
                int ret;

                while (true)
                {
                    dev.StructMutex.Lock();
                    PagefaultDisable();
                    ret = SlowUserWrite(aperture, offset, userData, length);
                    PagefaultEnable();
                    dev.StructMutex.Unlock();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    if (FaultInReadable(userData, length) != 0)
                    {
                        ret = -EFAULT;
                        break;
                    }
                }
                return ret;
            }

            // slow_user_write(): the copy into the aperture page, faults enabled; 0 or -EFAULT.
            public static int SlowUserWrite(byte[] aperture, int offset, UserPtr userData, int length)
            {
                int unwritten = CopyFromUser(aperture.AsSpan(offset, length), userData);
                return unwritten != 0 ? -EFAULT : 0;
            }
        }
        """);

    /// <summary>
    /// mm/migrate.c, do_pages_stat() (v2.6.28) reduced to one entry with the mmap lock taken around it:
    /// <c>if (get_user(p, pages)) goto out;</c>, the commonest kernel shape. The access's result is the
    /// loop's, and the failure branch follows the loop without its unlock, which the loop has done.
    /// </summary>
    [Fact]
    public Task AnAccessTestedInAnIfBecomesTheLoopsResult() => Verify(
        """
        namespace Sim;

        public static class MovePages
        {
            public static int PageStat(Mm mm, UserPtr<ulong> pages, ulong[] addr)
            {
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                if ([|GetUser(out addr[0], pages)|] != 0)
                {
                    MmapReadUnlock(mm);
                    return -EFAULT;
                }
                MmapReadUnlock(mm);
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class MovePages
        {
            public static int PageStat(Mm mm, UserPtr<ulong> pages, ulong[] addr)
            {
                int ret;
                while (true)
                {
                    if (MmapReadLockKillable(mm) != 0)
                        return -EINTR;
                    PagefaultDisable();
                    ret = GetUser(out addr[0], pages);
                    PagefaultEnable();
                    MmapReadUnlock(mm);
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    if (FaultInReadable(pages, sizeof(ulong)) != 0)
                    {
                        ret = -EFAULT;
                        break;
                    }
                }
                if (ret != 0)
                    return -EFAULT;
                return 0;
            }
        }
        """);

    /// <summary>
    /// A <c>put_user()</c> whose failure sets the error and jumps to the common exit, with the method
    /// already using <c>ret</c>: the loop's result gets a name of its own, so <c>ret</c> keeps its value.
    /// </summary>
    [Fact]
    public Task AFailureBranchThatJumpsKeepsItsStatementsAndTheMethodsOwnResult() => Verify(
        """
        namespace Sim;

        public static class MovePages
        {
            public static int StoreStatus(Mm mm, UserPtr<int> status, int node)
            {
                int ret = node;
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                if ([|PutUser(node, status)|] != 0)
                {
                    MmapReadUnlock(mm);
                    ret = -EFAULT;
                    goto out_;
                }
                MmapReadUnlock(mm);
            out_:
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class MovePages
        {
            public static int StoreStatus(Mm mm, UserPtr<int> status, int node)
            {
                int ret = node;
                int err;
                while (true)
                {
                    if (MmapReadLockKillable(mm) != 0)
                        return -EINTR;
                    PagefaultDisable();
                    err = PutUser(node, status);
                    PagefaultEnable();
                    MmapReadUnlock(mm);
                    if (err != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        err = -EINTR;
                        break;
                    }
                    if (FaultInWriteable(status, sizeof(int)) != 0)
                    {
                        err = -EFAULT;
                        break;
                    }
                }
                if (err != 0)
                {
                    ret = -EFAULT;
                    goto out_;
                }
            out_:
                return ret;
            }
        }
        """);

    /// <summary>
    /// mm/migrate.c, do_pages_stat() (v2.6.28) reduced to one entry: its <c>put_user(err, status + i)</c>
    /// under the mmap lock, as UA5001's fix leaves it, the result stored and then tested
    /// (<c>int ret = ...; if (ret != 0) { unlock; return ret; }</c>). The stored result is the loop's, and
    /// the test follows the loop without the unlock, which the loop has done.
    /// </summary>
    [Fact]
    public Task AResultStoredThenTestedBecomesTheLoopsResult() => Verify(
        """
        namespace Sim;

        public static class MovePages
        {
            public static int StoreStatus(Mm mm, UserPtr<int> status, int node)
            {
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                // the node the page is on
                int ret = [|PutUser(node, status)|];
                if (ret != 0)
                {
                    MmapReadUnlock(mm);
                    return ret;
                }
                MmapReadUnlock(mm);
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class MovePages
        {
            public static int StoreStatus(Mm mm, UserPtr<int> status, int node)
            {
                int ret;
                while (true)
                {
                    if (MmapReadLockKillable(mm) != 0)
                        return -EINTR;
                    PagefaultDisable();
                    // the node the page is on
                    ret = PutUser(node, status);
                    PagefaultEnable();
                    MmapReadUnlock(mm);
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    if (FaultInWriteable(status, sizeof(int)) != 0)
                    {
                        ret = -EFAULT;
                        break;
                    }
                }
                if (ret != 0)
                    return ret;
                return 0;
            }
        }
        """);

    /// <summary>
    /// do_pages_stat()'s <c>get_user(p, pages + i)</c> with its error in the function's own <c>err</c> and
    /// the jump to the common exit: <c>err = get_user(...); if (err) { up_read(); goto out; }</c>. The
    /// loop's result is <c>err</c> itself, which the exit returns.
    /// </summary>
    [Fact]
    public Task AResultStoredInTheMethodsOwnLocalAndTestedBeforeAJumpKeepsTheJump() => Verify(
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
                if (err < 0)
                {
                    MmapReadUnlock(mm);
                    goto out_;
                }
                MmapReadUnlock(mm);
                err = 0;
            out_:
                return err;
            }
        }
        """,
        """
        namespace Sim;

        public static class MovePages
        {
            public static int PageStat(Mm mm, UserPtr<ulong> pages, ulong[] addr)
            {
                int err;
                while (true)
                {
                    if (MmapReadLockKillable(mm) != 0)
                        return -EINTR;
                    PagefaultDisable();
                    err = GetUser(out addr[0], pages);
                    PagefaultEnable();
                    MmapReadUnlock(mm);
                    if (err != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        err = -EINTR;
                        break;
                    }
                    if (FaultInReadable(pages, sizeof(ulong)) != 0)
                    {
                        err = -EFAULT;
                        break;
                    }
                }
                if (err < 0)
                    goto out_;
                err = 0;
            out_:
                return err;
            }
        }
        """);

    /// <summary>
    /// A probe of a user word under the mmap lock whose value is not used, only whether it faults: the
    /// access's <c>out</c> variable is used nowhere else, so it moves into the loop with the access, as
    /// UA4001's fix already moved it.
    /// </summary>
    [Fact]
    public Task AnAccessWhoseOutVariableIsUsedNowhereElseMovesIntoTheLoop() => Verify(
        """
        namespace Sim;

        public static class Vma
        {
            public static int Probe(Mm mm, UserPtr<uint> uaddr)
            {
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                int ret = [|GetUser(out uint unused, uaddr)|];
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Vma
        {
            public static int Probe(Mm mm, UserPtr<uint> uaddr)
            {
                int ret;
                while (true)
                {
                    if (MmapReadLockKillable(mm) != 0)
                        return -EINTR;
                    PagefaultDisable();
                    ret = GetUser(out uint unused, uaddr);
                    PagefaultEnable();
                    MmapReadUnlock(mm);
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    if (FaultInReadable(uaddr, sizeof(uint)) != 0)
                    {
                        ret = -EFAULT;
                        break;
                    }
                }
                return ret;
            }
        }
        """);
}
