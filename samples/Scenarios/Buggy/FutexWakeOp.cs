using UserAccess.Runtime;
using static Scenarios.FutexCore;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Buggy;

/// <summary><c>futex_wake_op()</c> (kernel/futex/waitwake.c) with a retry loop that trusts the fault-in.</summary>
public static class Futex
{
    /// <summary>
    /// <c>FUTEX_WAKE_OP</c> on private futexes: apply <paramref name="encodedOp"/> to
    /// <paramref name="uaddr2"/>, wake up to <paramref name="nrWake"/> waiters on
    /// <paramref name="uaddr1"/> and, if the op's comparison holds, up to <paramref name="nrWake2"/>
    /// on <paramref name="uaddr2"/>; the number woken or <c>-errno</c>.
    /// </summary>
    /// <remarks>
    /// The bug: on <c>-EFAULT</c> the page is faulted in and the op retried, but the result of
    /// <c>fault_in_user_writeable()</c> is never looked at. When nothing can be faulted in (no VMA, a
    /// read-only mapping, a poisoned page) the loop goes round for ever; <c>cond_resched()</c> keeps the
    /// soft-lockup watchdog quiet and nothing checks for a fatal signal, so the task cannot be killed.
    /// </remarks>
    public static int FutexWakeOp(UserPtr<uint> uaddr1, UserPtr<uint> uaddr2, int nrWake, int nrWake2, uint encodedOp)
    {
        FutexHashBucket hb1, hb2;
        int ret, opRet;

        // get_futex_key(): a private key is (mm, address) and never faults; the address must be
        // u32-aligned and a user address.
        if ((uaddr1.Address % sizeof(uint)) != 0 || (uaddr2.Address % sizeof(uint)) != 0)
        {
            return -EINVAL;
        }

        if (!AccessOk(uaddr1, sizeof(uint)) || !AccessOk(uaddr2, sizeof(uint)))
        {
            return -EFAULT;
        }

        hb1 = FutexHash(uaddr1.Address);
        hb2 = FutexHash(uaddr2.Address);

        while (true)
        {
            DoubleLockHb(hb1, hb2);
            opRet = FutexAtomicOpInuser(encodedOp, uaddr2);
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

        ret = WakeWaiters(hb1, uaddr1.Address, nrWake);
        if (opRet > 0)
        {
            ret += WakeWaiters(hb2, uaddr2.Address, nrWake2);
        }

        DoubleUnlockHb(hb1, hb2);
        return ret;
    }
}
