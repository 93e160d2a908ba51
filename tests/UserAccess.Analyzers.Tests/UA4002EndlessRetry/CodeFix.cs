using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA4002EndlessRetry;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA4002EndlessRetryAnalyzer, UA4002EndlessRetryCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    private const string FutexHelpers = """

        public sealed class FutexHashBucket
        {
            public FutexHashBucket(KernelSpinlock l) { Lock = l; }
            public KernelSpinlock Lock { get; }
        }

        public static partial class Futex
        {
            [Acquires("hb1.Lock")]
            [Acquires("hb2.Lock")]
            public static void DoubleLockHb(FutexHashBucket hb1, FutexHashBucket hb2)
            {
                hb1.Lock.Lock();
                if (hb1 != hb2)
                {
                    hb2.Lock.Lock();
                }
            }

            [Releases("hb1.Lock")]
            [Releases("hb2.Lock")]
            public static void DoubleUnlockHb(FutexHashBucket hb1, FutexHashBucket hb2)
            {
                hb1.Lock.Unlock();
                if (hb1 != hb2)
                {
                    hb2.Lock.Unlock();
                }
            }

            [MustCheck]
            [ReturnsErrno]
            public static int FutexAtomicOpInuser(int oparg, [RequiresAlignment] UserPtr<uint> uaddr)
            {
                int oldval, ret;
                PagefaultDisable();
                ret = ArchFutexAtomicOpInuser(FutexOp.Add, oparg, out oldval, uaddr);
                PagefaultEnable();
                if (ret != 0)
                {
                    return ret;
                }

                return oldval == 0 ? 1 : 0;
            }
        }
        """;

    /// <summary>futex_wake_op() (samples/Scenarios/Buggy/FutexWakeOp.cs): the fault-in's error ends the loop.</summary>
    [Fact]
    public Task FutexWakeOpLeavesWithTheFaultInError() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static partial class Futex
        {
            public static int FutexWakeOp(UserPtr<uint> uaddr1, UserPtr<uint> uaddr2, FutexHashBucket hb1, FutexHashBucket hb2, int oparg)
            {
                int ret, opRet;

                while (true)
                {
                    DoubleLockHb(hb1, hb2);
                    opRet = [|FutexAtomicOpInuser(oparg, uaddr2)|];
                    if (opRet >= 0)
                    {
                        break;
                    }

                    DoubleUnlockHb(hb1, hb2);

                    if (opRet != -EFAULT && opRet != -EAGAIN)
                    {
                        return opRet;
                    }

                    if (opRet == -EFAULT)
                    {
                        FaultInUserWriteable(uaddr2);
                    }

                    CondResched();
                }

                ret = opRet;
                DoubleUnlockHb(hb1, hb2);
                return ret;
            }
        }
        """ + FutexHelpers,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static partial class Futex
        {
            public static int FutexWakeOp(UserPtr<uint> uaddr1, UserPtr<uint> uaddr2, FutexHashBucket hb1, FutexHashBucket hb2, int oparg)
            {
                int ret, opRet;

                while (true)
                {
                    DoubleLockHb(hb1, hb2);
                    opRet = FutexAtomicOpInuser(oparg, uaddr2);
                    if (opRet >= 0)
                    {
                        break;
                    }

                    DoubleUnlockHb(hb1, hb2);

                    if (opRet != -EFAULT && opRet != -EAGAIN)
                    {
                        return opRet;
                    }

                    if (opRet == -EFAULT)
                    {
                        int faultInRet = FaultInUserWriteable(uaddr2);
                        if (faultInRet != 0)
                        {
                            return faultInRet;
                        }
                    }

                    CondResched();
                }

                ret = opRet;
                DoubleUnlockHb(hb1, hb2);
                return ret;
            }
        }
        """ + FutexHelpers);

    /// <summary>The plain exchange retry loop: the fault-in statement becomes a checked one.</summary>
    [Fact]
    public Task XchgLoopLeavesWithTheFaultInError() => Verify(
        """
        namespace Sim;

        public static class Xchg
        {
            public static int Swap(UserPtr<uint> uaddr, uint newval)
            {
                int ret;
                uint oldval;
                while (true)
                {
                    PagefaultDisable();
                    ret = [|XchgUserInatomic(uaddr, newval, out oldval)|];
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    FaultInUserWriteable(uaddr);
                }

                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Xchg
        {
            public static int Swap(UserPtr<uint> uaddr, uint newval)
            {
                int ret;
                uint oldval;
                while (true)
                {
                    PagefaultDisable();
                    ret = XchgUserInatomic(uaddr, newval, out oldval);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    int faultInRet = FaultInUserWriteable(uaddr);
                    if (faultInRet != 0)
                    {
                        return faultInRet;
                    }
                }

                return ret;
            }
        }
        """);

    /// <summary>A bytes-not-faulted-in fault-in: leave with -EFAULT when any of it could not be faulted in.</summary>
    [Fact]
    public Task BytesFaultInLeavesWithEfault() => Verify(
        """
        using System;

        namespace Sim;

        public static class Reader
        {
            public static int Read(UserPtr p, byte[] kbuf, int len)
            {
                while (true)
                {
                    PagefaultDisable();
                    int left = [|CopyFromUser(kbuf.AsSpan(0, len), p)|];
                    PagefaultEnable();
                    if (left == 0)
                    {
                        break;
                    }

                    FaultInReadable(p, len);
                }

                return 0;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Reader
        {
            public static int Read(UserPtr p, byte[] kbuf, int len)
            {
                while (true)
                {
                    PagefaultDisable();
                    int left = CopyFromUser(kbuf.AsSpan(0, len), p);
                    PagefaultEnable();
                    if (left == 0)
                    {
                        break;
                    }

                    if (FaultInReadable(p, len) != 0)
                    {
                        return -EFAULT;
                    }
                }

                return 0;
            }
        }
        """);

    /// <summary>
    /// The shape of samples/Scenarios/Fixed/ArcUsrCmpxchg.cs (an error path after the loop: SIGSEGV,
    /// then the error) without the test of its fault-in result: the stored errno gets the check back
    /// and the break takes that error path, as the canonical loop does. The plain exchange loop, which
    /// returns its result after the loop, becomes the canonical loop. Braced as each loop's breaks are.
    /// </summary>
    [Fact]
    public Task StoredErrnoBreaksToTheErrorPathAfterTheLoop() => Verify(
        """
        namespace Sim;

        public static class Cmpxchg
        {
            public static int UsrCmpxchg(UserPtr<uint> uaddr, uint expected, uint newval, out uint curval)
            {
                int ret;

                curval = 0;
                while (true)
                {
                    PagefaultDisable();
                    ret = [|FutexAtomicCmpxchgInatomic(out curval, uaddr, expected, newval)|];
                    PagefaultEnable();

                    if (ret != -EFAULT)
                    {
                        break;
                    }

                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }

                    ret = FaultInUserWriteable(uaddr);
                }

                if (ret != 0)
                {
                    ForceSig(Signal.SIGSEGV);
                    return ret;
                }

                return curval == expected ? 0 : -EAGAIN;
            }

            public static int Swap(UserPtr<uint> uaddr, uint newval)
            {
                int ret;
                uint oldval;
                while (true)
                {
                    PagefaultDisable();
                    ret = [|XchgUserInatomic(uaddr, newval, out oldval)|];
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    ret = FaultInUserWriteable(uaddr);
                }

                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Cmpxchg
        {
            public static int UsrCmpxchg(UserPtr<uint> uaddr, uint expected, uint newval, out uint curval)
            {
                int ret;

                curval = 0;
                while (true)
                {
                    PagefaultDisable();
                    ret = FutexAtomicCmpxchgInatomic(out curval, uaddr, expected, newval);
                    PagefaultEnable();

                    if (ret != -EFAULT)
                    {
                        break;
                    }

                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }

                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                    {
                        break;
                    }
                }

                if (ret != 0)
                {
                    ForceSig(Signal.SIGSEGV);
                    return ret;
                }

                return curval == expected ? 0 : -EAGAIN;
            }

            public static int Swap(UserPtr<uint> uaddr, uint newval)
            {
                int ret;
                uint oldval;
                while (true)
                {
                    PagefaultDisable();
                    ret = XchgUserInatomic(uaddr, newval, out oldval);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                        break;
                }

                return ret;
            }
        }
        """);

    /// <summary>
    /// No error path after the loop: the stored errno is returned (braceless, as the method's early
    /// returns are), also when the store declares the local; the explicit continue stays.
    /// </summary>
    [Fact]
    public Task StoredErrnoWithoutAnErrorPathAfterTheLoopIsReturned() => Verify(
        """
        namespace Sim;

        public static class Xchg
        {
            public static int Swap(UserPtr<uint> uaddr, uint newval)
            {
                int ret;
                uint oldval;
                while (true)
                {
                    PagefaultDisable();
                    ret = [|XchgUserInatomic(uaddr, newval, out oldval)|];
                    PagefaultEnable();
                    if (ret == 0)
                        return (int)oldval;
                    if (ret != -EFAULT)
                        return ret;
                    ret = FaultInUserWriteable(uaddr); // the cold path
                    continue;
                }
            }

            public static int Cmpxchg(UserPtr<uint> uaddr, uint expected, uint newval)
            {
                if (expected == newval)
                    return 0;
                while (true)
                {
                    PagefaultDisable();
                    int ret = [|CmpxchgUserInatomic(uaddr, expected, newval, out uint actual)|];
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        return ret == 0 ? (int)actual : ret;

                    int err = FaultInUserWriteable(uaddr);
                }
            }
        }
        """,
        """
        namespace Sim;

        public static class Xchg
        {
            public static int Swap(UserPtr<uint> uaddr, uint newval)
            {
                int ret;
                uint oldval;
                while (true)
                {
                    PagefaultDisable();
                    ret = XchgUserInatomic(uaddr, newval, out oldval);
                    PagefaultEnable();
                    if (ret == 0)
                        return (int)oldval;
                    if (ret != -EFAULT)
                        return ret;
                    ret = FaultInUserWriteable(uaddr); // the cold path
                    if (ret != 0)
                        return ret;
                    continue;
                }
            }

            public static int Cmpxchg(UserPtr<uint> uaddr, uint expected, uint newval)
            {
                if (expected == newval)
                    return 0;
                while (true)
                {
                    PagefaultDisable();
                    int ret = CmpxchgUserInatomic(uaddr, expected, newval, out uint actual);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        return ret == 0 ? (int)actual : ret;

                    int err = FaultInUserWriteable(uaddr);
                    if (err != 0)
                        return err;
                }
            }
        }
        """);

    /// <summary>A stored bytes-not-faulted-in result: leave with -EFAULT when any of it could not be faulted in.</summary>
    [Fact]
    public Task StoredBytesResultLeavesWithEfault() => Verify(
        """
        using System;

        namespace Sim;

        public static class Reader
        {
            public static int Read(UserPtr p, byte[] kbuf, int len)
            {
                int left;
                while (true)
                {
                    PagefaultDisable();
                    left = [|CopyFromUser(kbuf.AsSpan(0, len), p)|];
                    PagefaultEnable();
                    if (left == 0)
                    {
                        break;
                    }

                    int notFaulted = FaultInReadable(p, len);
                }

                return 0;
            }

            public static int ReadAgain(UserPtr p, byte[] kbuf, int len)
            {
                if (len == 0)
                {
                    return 0;
                }

                while (true)
                {
                    PagefaultDisable();
                    int left = [|CopyFromUser(kbuf.AsSpan(0, len), p)|];
                    PagefaultEnable();
                    if (left != 0)
                    {
                        // the same variable: the copy sets it again first
                        left = FaultInReadable(p, len);
                        continue;
                    }

                    return 0;
                }
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Reader
        {
            public static int Read(UserPtr p, byte[] kbuf, int len)
            {
                int left;
                while (true)
                {
                    PagefaultDisable();
                    left = CopyFromUser(kbuf.AsSpan(0, len), p);
                    PagefaultEnable();
                    if (left == 0)
                    {
                        break;
                    }

                    int notFaulted = FaultInReadable(p, len);
                    if (notFaulted != 0)
                    {
                        return -EFAULT;
                    }
                }

                return 0;
            }

            public static int ReadAgain(UserPtr p, byte[] kbuf, int len)
            {
                if (len == 0)
                {
                    return 0;
                }

                while (true)
                {
                    PagefaultDisable();
                    int left = CopyFromUser(kbuf.AsSpan(0, len), p);
                    PagefaultEnable();
                    if (left != 0)
                    {
                        // the same variable: the copy sets it again first
                        left = FaultInReadable(p, len);
                        if (left != 0)
                        {
                            return -EFAULT;
                        }
                        continue;
                    }

                    return 0;
                }
            }
        }
        """);

    /// <summary>
    /// futex_wake_op(), v2.6.30: the loop "faulted in" the futex word with get_user(), a read that
    /// succeeds on a read-only mapping while the atomic op keeps failing; d0725992c8a6 made it
    /// fault_in_user_writeable(), and the dummy the read filled went with it.
    /// </summary>
    [Fact]
    public Task ReadOfTheWrittenWordBecomesItsFaultIn() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static partial class Futex
        {
            public static int FutexWakeOp(UserPtr<uint> uaddr2, FutexHashBucket hb1, FutexHashBucket hb2, int oparg)
            {
                int ret, opRet;

            retry:
                DoubleLockHb(hb1, hb2);
                opRet = [|FutexAtomicOpInuser(oparg, uaddr2)|];
                if (opRet < 0)
                {
                    uint dummy;

                    DoubleUnlockHb(hb1, hb2);

                    if (opRet != -EFAULT)
                        return opRet;

                    ret = GetUser(out dummy, uaddr2);
                    if (ret != 0)
                        return ret;

                    goto retry;
                }

                DoubleUnlockHb(hb1, hb2);
                return opRet;
            }
        }
        """ + FutexHelpers,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static partial class Futex
        {
            public static int FutexWakeOp(UserPtr<uint> uaddr2, FutexHashBucket hb1, FutexHashBucket hb2, int oparg)
            {
                int ret, opRet;

            retry:
                DoubleLockHb(hb1, hb2);
                opRet = FutexAtomicOpInuser(oparg, uaddr2);
                if (opRet < 0)
                {
                    DoubleUnlockHb(hb1, hb2);

                    if (opRet != -EFAULT)
                        return opRet;

                    ret = FaultInUserWriteable(uaddr2);
                    if (ret != 0)
                        return ret;

                    goto retry;
                }

                DoubleUnlockHb(hb1, hb2);
                return opRet;
            }
        }
        """ + FutexHelpers);

    /// <summary>
    /// futex_unlock_pi(), v2.6.30, pi_faulted: the word read there is read again at retry before any
    /// use, so the local stays for that read and only the probe becomes the fault-in.
    /// </summary>
    [Fact]
    public Task ReadWhoseValueIsReadAgainBecomesTheFaultIn() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static partial class Futex
        {
            public static int Unlock(UserPtr<uint> uaddr, int oparg)
            {
                uint uval;
                int ret;

            retry:
                if (GetUser(out uval, uaddr) != 0)
                    return -EFAULT;
                if (uval == 0)
                    return -EPERM;
                ret = [|FutexAtomicOpInuser(oparg, uaddr)|];
                if (ret == -EFAULT)
                    goto pi_faulted;
                return ret;

            pi_faulted:
                ret = GetUser(out uval, uaddr);
                if (ret == 0)
                    goto retry;

                return ret;
            }
        }
        """ + FutexHelpers,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static partial class Futex
        {
            public static int Unlock(UserPtr<uint> uaddr, int oparg)
            {
                uint uval;
                int ret;

            retry:
                if (GetUser(out uval, uaddr) != 0)
                    return -EFAULT;
                if (uval == 0)
                    return -EPERM;
                ret = FutexAtomicOpInuser(oparg, uaddr);
                if (ret == -EFAULT)
                    goto pi_faulted;
                return ret;

            pi_faulted:
                ret = FaultInUserWriteable(uaddr);
                if (ret == 0)
                    goto retry;

                return ret;
            }
        }
        """ + FutexHelpers);

    /// <summary>
    /// futex_wake_op()'s loop with the bucket lock taken through a local and released through the
    /// bucket: the lock is one, released before the fault-in, so nothing is held there.
    /// </summary>
    [Fact]
    public Task LockTakenThroughAnAliasIsNotHeldAtTheFaultIn() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static partial class Futex
        {
            public static int WakeOp(FutexHashBucket hb, UserPtr<uint> uaddr, uint newval)
            {
                int ret;
                uint oldval;
                while (true)
                {
                    var lk = hb.Lock;
                    lk.Lock();
                    PagefaultDisable();
                    ret = [|XchgUserInatomic(uaddr, newval, out oldval)|];
                    PagefaultEnable();
                    hb.Lock.Unlock();
                    if (ret != -EFAULT)
                        break;
                    FaultInUserWriteable(uaddr);
                }

                return ret;
            }
        }
        """ + FutexHelpers,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static partial class Futex
        {
            public static int WakeOp(FutexHashBucket hb, UserPtr<uint> uaddr, uint newval)
            {
                int ret;
                uint oldval;
                while (true)
                {
                    var lk = hb.Lock;
                    lk.Lock();
                    PagefaultDisable();
                    ret = XchgUserInatomic(uaddr, newval, out oldval);
                    PagefaultEnable();
                    hb.Lock.Unlock();
                    if (ret != -EFAULT)
                        break;
                    int faultInRet = FaultInUserWriteable(uaddr);
                    if (faultInRet != 0)
                    {
                        return faultInRet;
                    }
                }

                return ret;
            }
        }
        """ + FutexHelpers);
}
