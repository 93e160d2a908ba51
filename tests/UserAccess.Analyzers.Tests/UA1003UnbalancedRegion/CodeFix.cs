using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA1003UnbalancedRegion;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA1003UnbalancedRegionAnalyzer, UA1003UnbalancedRegionCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    [Fact]
    public Task NofaultRegionWithAnEarlyReturnBecomesTheUsingScope() => Verify(
        """
        namespace Sim;

        public static class Peek
        {
            public static int Word(UserPtr<uint> uaddr, out uint val)
            {
                val = 0;
                [|PagefaultDisable()|];
                int ret = GetUserUnchecked(out val, uaddr);
                if (ret != 0)
                    return ret; // leaves with faults disabled
                val++;
                // done with the access
                PagefaultEnable();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Peek
        {
            public static int Word(UserPtr<uint> uaddr, out uint val)
            {
                val = 0;
                int ret;
                using (NoFault())
                {
                    ret = GetUserUnchecked(out val, uaddr);
                    if (ret != 0)
                        return ret; // leaves with faults disabled
                    val++;
                    // done with the access
                }
                return ret;
            }
        }
        """);

    /// <summary>
    /// __tty_open() before "tty_open can return to userspace holding tty_mutex": the error return of
    /// the reopen lookup leaves the mutex held; the kernel's fix unlocks it on that path, as the
    /// function's other early return already did. A killable acquire's failure return holds nothing.
    /// </summary>
    [Fact]
    public Task TheReleaseIsCopiedBeforeTheEarlyReturnThatLeavesItHeld() => Verify(
        """
        namespace Sim;

        public static class Tty
        {
            public static int Open(KernelMutex ttyMutex, bool haveDriver, int tty)
            {
                [|ttyMutex.Lock()|];
                if (!haveDriver)
                {
                    ttyMutex.Unlock();
                    return -EINVAL;
                }

                if (tty < 0)
                    return tty;
                tty++;
                ttyMutex.Unlock();
                return tty;
            }

            public static int Store(KernelMutex lk, UserPtr<uint> uaddr, uint val)
            {
                if ([|lk.LockKillable()|] != 0)
                    return -EINTR;
                if (val == 0)
                    return -EINVAL;
                int ret = PutUser(val, uaddr);
                lk.Unlock(); // drop it
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Tty
        {
            public static int Open(KernelMutex ttyMutex, bool haveDriver, int tty)
            {
                ttyMutex.Lock();
                if (!haveDriver)
                {
                    ttyMutex.Unlock();
                    return -EINVAL;
                }

                if (tty < 0)
                {
                    ttyMutex.Unlock();
                    return tty;
                }
                tty++;
                ttyMutex.Unlock();
                return tty;
            }

            public static int Store(KernelMutex lk, UserPtr<uint> uaddr, uint val)
            {
                if (lk.LockKillable() != 0)
                    return -EINTR;
                if (val == 0)
                {
                    lk.Unlock();
                    return -EINVAL;
                }
                int ret = PutUser(val, uaddr);
                lk.Unlock(); // drop it
                return ret;
            }
        }
        """);

    /// <summary>An early return whose value is computed under the lock keeps it: the release goes to a finally.</summary>
    [Fact]
    public Task AnEarlyReturnComputedUnderTheLockGetsTryFinally() => Verify(
        """
        namespace Sim;

        public static class Dev
        {
            public static int Spin(KernelSpinlock lk, int[] table, int i)
            {
                [|lk.Lock()|];
                if (table[i] == 0)
                    return table[0];
                table[i]++;
                lk.Unlock();
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Dev
        {
            public static int Spin(KernelSpinlock lk, int[] table, int i)
            {
                lk.Lock();
                try
                {
                    if (table[i] == 0)
                        return table[0];
                    table[i]++;
                }
                finally
                {
                    lk.Unlock();
                }

                return 0;
            }
        }
        """);

    /// <summary>
    /// ff400_copy_msg_to_user() before 81c254a65ceb: called with ff->lock held, it drops the lock
    /// around copy_to_user() and returns -EFAULT without taking it again. The fix takes it again
    /// before that return, as the kernel's fix does before it returns the error.
    /// </summary>
    [Fact]
    public Task TheContractLockIsTakenAgainBeforeTheReturnThatLeavesWithoutIt() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Ff
        {
            public readonly KernelSpinlock Lock = new();
        }

        public static class Msg
        {
            [RequiresLock("ff.Lock")]
            public static long Copy(Ff ff, UserPtr buf, byte[] msg)
            {
                [|ff.Lock.Unlock()|];
                if (CopyToUser(buf, msg) != 0)
                    return -EFAULT;
                ff.Lock.Lock();
                return msg.Length;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Ff
        {
            public readonly KernelSpinlock Lock = new();
        }

        public static class Msg
        {
            [RequiresLock("ff.Lock")]
            public static long Copy(Ff ff, UserPtr buf, byte[] msg)
            {
                ff.Lock.Unlock();
                if (CopyToUser(buf, msg) != 0)
                {
                    ff.Lock.Lock();
                    return -EFAULT;
                }
                ff.Lock.Lock();
                return msg.Length;
            }
        }
        """);

    /// <summary>
    /// drivers/usb/gadget/function/f_fs.c, __ffs_ep0_queue_wait() before "usb: gadget: f_fs: Fix unbalanced
    /// spinlock in __ffs_ep0_queue_wait" (v6.2): entered holding the wait queue's spinlock, which it must
    /// drop, it returns -EINVAL for a NULL request with the lock still held on every path there. The user's
    /// own release is copied before that return, as the kernel's fix did.
    /// </summary>
    [Fact]
    public Task ReturnHoldingTheReleasesContractsLockOnEveryPathReleasesIt() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class FfsData
        {
            public KernelSpinlock EvWaitqLock = new();
            public byte[]? Ep0req;
        }

        public static class Ffs
        {
            [Releases("ffs.EvWaitqLock")]
            public static int Ep0QueueWait(FfsData ffs, int len)
            {
                byte[]? req = ffs.Ep0req;
                if (req == null)
                    [|return -EINVAL;|]
                ffs.EvWaitqLock.Unlock();
                return req.Length < len ? -EINVAL : 0;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class FfsData
        {
            public KernelSpinlock EvWaitqLock = new();
            public byte[]? Ep0req;
        }

        public static class Ffs
        {
            [Releases("ffs.EvWaitqLock")]
            public static int Ep0QueueWait(FfsData ffs, int len)
            {
                byte[]? req = ffs.Ep0req;
                if (req == null)
                {
                    ffs.EvWaitqLock.Unlock();
                    return -EINVAL;
                }
                ffs.EvWaitqLock.Unlock();
                return req.Length < len ? -EINVAL : 0;
            }
        }
        """);
}
