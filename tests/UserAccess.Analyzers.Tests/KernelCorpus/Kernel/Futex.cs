// kernel/futex (v6.6 unless stated): the value accessors, the robust-list walk at exit, the PI unlock fast path,
// the wait setup retry and the owner fixup that drops and retakes the hash-bucket lock. All of it is accepted
// kernel code: errno switches in retry loops, helpers that take or drop locks, __must_hold callbacks.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Futex;

public sealed class FutexQ(KernelSpinlock lockPtr, PiState piState)
{
    public KernelSpinlock LockPtr = lockPtr;
    public PiState PiState = piState;
}

public sealed class PiState(KernelSpinlock waitLock)
{
    public KernelSpinlock WaitLock = waitLock;
    public int Owner;
}

public static class FutexCore
{
    private const int EWOULDBLOCK = EAGAIN;
    private const uint FUTEX_TID_MASK = 0x3fffffff;
    private const uint FUTEX_WAITERS = 0x80000000;
    private const uint FUTEX_OWNER_DIED = 0x40000000;
    private const int FLAGS_SHARED = 0x10;
    private const int ROBUST_LIST_LIMIT = 2048;

    // kernel/futex/core.c, futex_get_value_locked(), v6.6. Correct: the caller resolved the key with
    // get_futex_key(), which did access_ok(); the read runs with page faults disabled under the bucket lock
    // and a fault is reported as -EFAULT for the caller to fault in after unlocking.
    public static int FutexGetValueLocked(out uint dest, [RequiresAccessOk] UserPtr<uint> from) // expect: none
    {
        int ret;

        PagefaultDisable();
        ret = GetUserUnchecked(out dest, from);
        PagefaultEnable();

        return ret != 0 ? -EFAULT : 0;
    }

    // kernel/futex/core.c, futex_cmpxchg_value_locked(), v6.6. Correct: the nofault cmpxchg in its own
    // pagefault-disabled region; alignment was checked by get_futex_key().
    public static int FutexCmpxchgValueLocked(out uint curval, [RequiresAlignment] UserPtr<uint> uaddr, uint uval, uint newval) // expect: none
    {
        int ret;

        PagefaultDisable();
        ret = FutexAtomicCmpxchgInatomic(out curval, uaddr, uval, newval);
        PagefaultEnable();

        return ret;
    }

    // kernel/futex/core.c, handle_futex_death(), v6.6. Correct: the errno switch of a futex retry loop:
    // -EFAULT faults in and gives up when that fails, -EAGAIN (an LL/SC backend gave up) reschedules and
    // retries, anything else is returned. Alignment is checked before the first access.
    public static int HandleFutexDeath(UserPtr<uint> uaddr, int curr, bool pi, bool pendingOp) // expect: none
    {
        uint uval, nval, mval;
        uint owner;
        int err;

        /* Futex address must be 32bit aligned */
        if ((uaddr.Address % sizeof(uint)) != 0)
            return -1;

    retry:
        if (GetUser(out uval, uaddr) != 0)
            return -1;

        owner = uval & FUTEX_TID_MASK;
        if (pendingOp && !pi && owner == 0)
        {
            Helpers.FutexWake(uaddr, 1);
            return 0;
        }

        if (owner != (uint)curr)
            return 0;

        mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;

        if ((err = FutexCmpxchgValueLocked(out nval, uaddr, uval, mval)) != 0)
        {
            switch (err)
            {
                case -EFAULT:
                    if (FaultInUserWriteable(uaddr) != 0)
                        return -1;
                    goto retry;

                case -EAGAIN:
                    CondResched();
                    goto retry;

                default:
                    return err;
            }
        }

        if (nval != uval)
            goto retry;

        if (!pi && (uval & FUTEX_WAITERS) != 0)
            Helpers.FutexWake(uaddr, 1);

        return 0;
    }

    // kernel/futex/core.c, fetch_robust_entry(), v6.6. Correct: get_user() checks the range; the low bit
    // of the user word is the PI flag.
    public static int FetchRobustEntry(out UserPtr entry, UserPtr<ulong> head, out uint pi) // expect: none
    {
        ulong uentry;

        if (GetUser(out uentry, head) != 0)
        {
            entry = default;
            pi = 0;
            return -EFAULT;
        }

        entry = new UserPtr(uentry & ~1UL);
        pi = (uint)(uentry & 1);

        return 0;
    }

    // kernel/futex/core.c, exit_robust_list(), v6.6. Correct: the walk of a user-controlled list is bounded
    // by ROBUST_LIST_LIMIT (a small constant) and reschedules every entry; a task exiting is not killable.
    // struct robust_list_head: list.next at 0, futex_offset at 8, list_op_pending at 16.
    public static void ExitRobustList(UserPtr head, int curr) // expect: none
    {
        UserPtr entry, nextEntry, pending;
        uint limit = ROBUST_LIST_LIMIT, pi, pip;
        uint nextPi;
        ulong futexOffset;
        int rc;

        if (FetchRobustEntry(out entry, head.Cast<ulong>(), out pi) != 0)
            return;
        if (GetUser(out futexOffset, (head + 8).Cast<ulong>()) != 0)
            return;
        if (FetchRobustEntry(out pending, (head + 16).Cast<ulong>(), out pip) != 0)
            return;

        nextEntry = default;
        while (entry != head)
        {
            rc = FetchRobustEntry(out nextEntry, entry.Cast<ulong>(), out nextPi);
            if (entry != pending)
            {
                if (HandleFutexDeath((entry + (long)futexOffset).Cast<uint>(), curr, pi != 0, false) != 0)
                    return;
            }

            if (rc != 0)
                return;
            entry = nextEntry;
            pi = nextPi;
            if (--limit == 0)
                break;

            CondResched();
        }

        if (pending != default)
        {
            _ = HandleFutexDeath((pending + (long)futexOffset).Cast<uint>(), curr, pip != 0, true);
        }
    }

    // kernel/futex/pi.c, futex_unlock_pi(), v6.6, the path without kernel-side waiters (the top-waiter
    // branch is not translated). Correct: the cmpxchg fails under the bucket spinlock, the lock is dropped,
    // then -EFAULT faults in (giving up on failure) and -EAGAIN reschedules before retrying.
    public static int FutexUnlockPi(UserPtr<uint> uaddr, int flags, uint vpid) // expect: none
    {
        uint curval, uval;
        KernelSpinlock hbLock;
        int ret;

    retry:
        if (GetUser(out uval, uaddr) != 0)
            return -EFAULT;
        if ((uval & FUTEX_TID_MASK) != vpid)
            return -EPERM;

        ret = Helpers.GetFutexKey(uaddr, flags);
        if (ret != 0)
            return ret;

        hbLock = Helpers.FutexHash(uaddr);
        hbLock.Lock();

        /* We have no kernel internal state, i.e. no waiters in the kernel. */
        if ((ret = FutexCmpxchgValueLocked(out curval, uaddr, uval, 0)) != 0)
        {
            hbLock.Unlock();
            switch (ret)
            {
                case -EFAULT:
                    goto pi_faulted;

                case -EAGAIN:
                    goto pi_retry;

                default:
                    return ret;
            }
        }

        /* If uval has changed, let user space handle it. */
        ret = (curval == uval) ? 0 : -EAGAIN;

        hbLock.Unlock();
        return ret;

    pi_retry:
        CondResched();
        goto retry;

    pi_faulted:
        ret = FaultInUserWriteable(uaddr);
        if (ret == 0)
            goto retry;

        return ret;
    }

    // kernel/futex/waitwake.c, futex_wait_setup(), v6.6. Correct: returns 0 holding the bucket lock
    // (futex_q_lock() takes it); a fault while reading the value under it drops the lock, faults in with
    // get_user() and retries, returning that error when the fault cannot be resolved.
    [Acquires("q.LockPtr", When = AcquiredWhen.ReturnsZero)]
    public static int FutexWaitSetup(UserPtr<uint> uaddr, uint val, int flags, FutexQ q) // expect: none
    {
        uint uval;
        int ret;

    retry:
        ret = Helpers.GetFutexKey(uaddr, flags);
        if (ret != 0)
            return ret;

    retry_private:
        Helpers.FutexQLock(q);

        ret = FutexGetValueLocked(out uval, uaddr);

        if (ret != 0)
        {
            Helpers.FutexQUnlock(q);

            ret = GetUser(out uval, uaddr);
            if (ret != 0)
                return ret;

            if ((flags & FLAGS_SHARED) == 0)
                goto retry_private;

            goto retry;
        }

        if (uval != val)
        {
            Helpers.FutexQUnlock(q);
            ret = -EWOULDBLOCK;
        }

        return ret;
    }

    // kernel/futex/pi.c, __fixup_pi_state_owner(), v6.6: the user-space half (the rt-mutex owner
    // bookkeeping is not translated). Correct: called with q->lock_ptr and the wait_lock held
    // (__must_hold); on a fault it drops both, switches on the errno (fault in, or reschedule on -EAGAIN),
    // retakes both and retries only if the fault-in succeeded. uaddr is the futex word whose key the
    // callers (futex_lock_pi(), futex_wait_requeue_pi()) resolved with get_futex_key(), which checked its
    // alignment and access_ok(): the parameter states that contract.
    [RequiresLock("q.LockPtr")]
    [RequiresLock("q.PiState.WaitLock")]
    public static int FixupPiStateOwner([RequiresAccessOk, RequiresAlignment] UserPtr<uint> uaddr, FutexQ q, int oldowner, uint newtid) // expect: none
    {
        uint uval, curval, newval;
        int err;

    retry:
        err = FutexGetValueLocked(out uval, uaddr);
        if (err != 0)
            goto handle_err;

        for (;;)
        {
            newval = (uval & FUTEX_OWNER_DIED) | newtid;

            err = FutexCmpxchgValueLocked(out curval, uaddr, uval, newval);
            if (err != 0)
                goto handle_err;

            if (curval == uval)
                break;
            uval = curval;
        }

        return 1;

    handle_err:
        q.PiState.WaitLock.Unlock();
        LocalIrqEnable();
        q.LockPtr.Unlock();

        switch (err)
        {
            case -EFAULT:
                err = FaultInUserWriteable(uaddr);
                break;

            case -EAGAIN:
                CondResched();
                err = 0;
                break;

            default:
                break;
        }

        q.LockPtr.Lock();
        LocalIrqDisable();
        q.PiState.WaitLock.Lock();

        /* Check if someone else fixed it for us: */
        if (q.PiState.Owner != oldowner)
            return 1;

        /* Retry if err was -EAGAIN or the fault in succeeded */
        if (err == 0)
            goto retry;

        return err;
    }

    // kernel/futex/syscalls.c, futex_parse_waitv() with the bound sys_futex_waitv() checks first, v5.16.
    // Correct: nr_futexes is at most FUTEX_WAITV_MAX (128), so the copy loop is short.
    // struct futex_waitv { u64 val; u64 uaddr; u32 flags; u32 __reserved; } (24 bytes).
    public static int FutexParseWaitv(ulong[] vals, ulong[] uaddrs, UserPtr uwaitv, uint nrFutexes) // expect: none
    {
        const uint FUTEX_WAITV_MAX = 128;
        const uint FUTEX2_VALID_MASK = 0x3 | 0x80;
        const uint FUTEX_32 = 2;
        var aux = new byte[24];
        uint i;

        if (nrFutexes == 0 || nrFutexes > FUTEX_WAITV_MAX)
            return -EINVAL;

        for (i = 0; i < nrFutexes; i++)
        {
            if (CopyFromUser(aux, uwaitv + i * 24) != 0)
                return -EFAULT;

            uint auxFlags = BitConverter.ToUInt32(aux, 16);
            if ((auxFlags & ~FUTEX2_VALID_MASK) != 0 || BitConverter.ToUInt32(aux, 20) != 0)
                return -EINVAL;

            if ((auxFlags & FUTEX_32) == 0)
                return -EINVAL;

            vals[i] = BitConverter.ToUInt64(aux, 0);
            uaddrs[i] = BitConverter.ToUInt64(aux, 8);
        }

        return 0;
    }

    // kernel/futex/syscalls.c, sys_get_robust_list() tail, v6.6. Correct: put_user() checks both ranges.
    public static int GetRobustList(UserPtr<ulong> headPtr, UserPtr<ulong> lenPtr, ulong head) // expect: none
    {
        if (PutUser(24UL, lenPtr) != 0)
            return -EFAULT;
        return PutUser(head, headPtr);
    }
}

internal static class Helpers
{
    /// <summary>get_futex_key(): checks alignment and access_ok() and resolves the key.</summary>
    [ReturnsErrno]
    public static int GetFutexKey(UserPtr<uint> uaddr, int flags)
    {
        if ((uaddr.Address % sizeof(uint)) != 0)
            return -EINVAL;
        if (!AccessOk(uaddr, sizeof(uint)))
            return -EFAULT;
        return 0;
    }

    /// <summary>futex_hash(): the hash bucket's lock for the key.</summary>
    public static KernelSpinlock FutexHash(UserPtr<uint> uaddr) => new(Current.Machine, "hb->lock");

    /// <summary>futex_q_lock(): takes the bucket lock and records it in the futex_q.</summary>
    [Acquires("q.LockPtr")]
    public static void FutexQLock(FutexQ q) => q.LockPtr.Lock();

    /// <summary>futex_q_unlock(): drops the bucket lock.</summary>
    [Releases("q.LockPtr")]
    public static void FutexQUnlock(FutexQ q) => q.LockPtr.Unlock();

    /// <summary>futex_wake(): wakes waiters on the key; takes and drops the bucket spinlock.</summary>
    public static int FutexWake(UserPtr<uint> uaddr, int nrWake) => 0;
}
