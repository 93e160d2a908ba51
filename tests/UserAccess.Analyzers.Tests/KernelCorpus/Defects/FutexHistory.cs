// kernel/futex.c before the fixes that made its retry loops terminate and its robust-list walk safe:
// d0725992c8a6 "futex: Fix the write access fault problem for real" (v2.6.31): the loops faulted the page in
// with get_user(), a read, so a futex in a read-only mapping made the cmpxchg fail with -EFAULT forever while
// the "fault-in" kept succeeding; 5a07168d8d89 "futex: Ensure that futex address is aligned in
// handle_futex_death()" (v5.1): the robust list hands the kernel any address, and the cmpxchg on a misaligned
// one faults on strict-alignment architectures. Hash buckets are spinlocks; keys and wakeups are stubs.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.FutexHistory;

public static class FutexV2630
{
    private const uint FUTEX_TID_MASK = 0x3fffffff;
    private const uint FUTEX_WAITERS = 0x80000000;
    private const uint FUTEX_OWNER_DIED = 0x40000000;

    // kernel/futex.c, futex_wake_op(), v2.6.30 (the wakeup of the waiters is a stub). Buggy: when the
    // atomic op faults, the loop "faults in" with get_user(), a read: on a read-only mapping the read
    // succeeds, the op fails with -EFAULT again, and the task spins in the kernel forever.
    public static int FutexWakeOpV2630(UserPtr<uint> uaddr1, bool fshared, UserPtr<uint> uaddr2, int nrWake, int nrWake2, int op)
    {
        KernelSpinlock hb1, hb2;
        int ret, opRet;

        /* get_futex_key() rejects a misaligned futex before any access */
        if ((uaddr1.Address % sizeof(uint)) != 0 || (uaddr2.Address % sizeof(uint)) != 0)
            return -EINVAL;

    retry:
        ret = Helpers.GetFutexKey(uaddr1, fshared);
        if (ret != 0)
            goto out_;
        ret = Helpers.GetFutexKey(uaddr2, fshared);
        if (ret != 0)
            goto out_put_key1;

        hb1 = Helpers.HashFutex(uaddr1);
        hb2 = Helpers.HashFutex(uaddr2);

    retry_private:
        Helpers.DoubleLockHb(hb1, hb2);
        opRet = Helpers.FutexAtomicOpInuser(op, uaddr2); // expect: UA4002
        if (opRet < 0)
        {
            uint dummy;

            Helpers.DoubleUnlockHb(hb1, hb2);

            if (opRet != -EFAULT)
            {
                ret = opRet;
                goto out_put_keys;
            }

            ret = GetUser(out dummy, uaddr2);
            if (ret != 0)
                goto out_put_keys;

            if (!fshared)
                goto retry_private;

            Helpers.PutFutexKey(uaddr2);
            Helpers.PutFutexKey(uaddr1);
            goto retry;
        }

        ret = Helpers.WakeWaiters(uaddr1, nrWake) + (opRet > 0 ? Helpers.WakeWaiters(uaddr2, nrWake2) : 0);

        Helpers.DoubleUnlockHb(hb1, hb2);
    out_put_keys:
        Helpers.PutFutexKey(uaddr2);
    out_put_key1:
        Helpers.PutFutexKey(uaddr1);
    out_:
        return ret;
    }

    // kernel/futex.c, futex_wake_op(), v2.6.31 (after d0725992c8a6). Correct: fault_in_user_writeable()
    // resolves a write fault (fixup_user_fault() under the mmap lock) and its failure ends the loop.
    public static int FutexWakeOp(UserPtr<uint> uaddr1, bool fshared, UserPtr<uint> uaddr2, int nrWake, int nrWake2, int op) // expect: none
    {
        KernelSpinlock hb1, hb2;
        int ret, opRet;

        /* get_futex_key() rejects a misaligned futex before any access */
        if ((uaddr1.Address % sizeof(uint)) != 0 || (uaddr2.Address % sizeof(uint)) != 0)
            return -EINVAL;

    retry:
        ret = Helpers.GetFutexKey(uaddr1, fshared);
        if (ret != 0)
            goto out_;
        ret = Helpers.GetFutexKey(uaddr2, fshared);
        if (ret != 0)
            goto out_put_key1;

        hb1 = Helpers.HashFutex(uaddr1);
        hb2 = Helpers.HashFutex(uaddr2);

    retry_private:
        Helpers.DoubleLockHb(hb1, hb2);
        opRet = Helpers.FutexAtomicOpInuser(op, uaddr2);
        if (opRet < 0)
        {
            Helpers.DoubleUnlockHb(hb1, hb2);

            if (opRet != -EFAULT)
            {
                ret = opRet;
                goto out_put_keys;
            }

            ret = FaultInUserWriteable(uaddr2);
            if (ret != 0)
                goto out_put_keys;

            if (!fshared)
                goto retry_private;

            Helpers.PutFutexKey(uaddr2);
            Helpers.PutFutexKey(uaddr1);
            goto retry;
        }

        ret = Helpers.WakeWaiters(uaddr1, nrWake) + (opRet > 0 ? Helpers.WakeWaiters(uaddr2, nrWake2) : 0);

        Helpers.DoubleUnlockHb(hb1, hb2);
    out_put_keys:
        Helpers.PutFutexKey(uaddr2);
    out_put_key1:
        Helpers.PutFutexKey(uaddr1);
    out_:
        return ret;
    }

    // kernel/futex.c, futex_unlock_pi(), v2.6.30, the path without kernel-side waiters (the old
    // cmpxchg_futex_value_locked() returned -EFAULT in place of the value; here it is an errno and the value).
    // Buggy: the same get_user() "fault-in" at pi_faulted, so a read-only futex word loops forever.
    public static int FutexUnlockPiV2630(UserPtr<uint> uaddr, bool fshared, uint vpid)
    {
        KernelSpinlock hb;
        uint uval, curval;
        int ret;

        /* get_futex_key() rejects a misaligned futex before any access */
        if ((uaddr.Address % sizeof(uint)) != 0)
            return -EINVAL;

    retry:
        if (GetUser(out uval, uaddr) != 0)
            return -EFAULT;
        /*
         * We release only a lock we actually own:
         */
        if ((uval & FUTEX_TID_MASK) != vpid)
            return -EPERM;

        ret = Helpers.GetFutexKey(uaddr, fshared);
        if (ret != 0)
            goto out_;

        hb = Helpers.HashFutex(uaddr);
        hb.Lock();

        /*
         * To avoid races, try to do the TID -> 0 atomic transition
         * again. If it succeeds then we can return without waking
         * anyone else up:
         */
        if ((uval & FUTEX_OWNER_DIED) == 0)
        {
            if (Helpers.CmpxchgFutexValueLocked(out curval, uaddr, vpid, 0) != 0) // expect: UA4002
                goto pi_faulted;
            uval = curval;
        }

        /*
         * Rare case: we managed to release the lock atomically,
         * no need to wake anyone else up:
         */
        if (uval == vpid)
            goto out_unlock;

        /*
         * No waiters - kernel unlocks the futex:
         */
        if ((uval & FUTEX_OWNER_DIED) == 0 && (uval & FUTEX_WAITERS) == 0)
        {
            ret = Helpers.CmpxchgFutexValueLocked(out curval, uaddr, uval, 0); // expect: UA4002
            if (ret == -EFAULT)
                goto pi_faulted;
        }

    out_unlock:
        hb.Unlock();
        Helpers.PutFutexKey(uaddr);

    out_:
        return ret;

    pi_faulted:
        hb.Unlock();
        Helpers.PutFutexKey(uaddr);

        ret = GetUser(out uval, uaddr);
        if (ret == 0)
            goto retry;

        return ret;
    }

    // kernel/futex.c, futex_lock_pi(), v2.6.30, the acquisition and its fault path (the rt_mutex wait and
    // the owner fixup are not translated). Buggy: the third loop of d0725992c8a6: futex_lock_pi_atomic()
    // fails with -EFAULT on a read-only futex word, get_user() "faults it in" successfully, and the loop
    // goes round forever.
    public static int FutexLockPiV2630(UserPtr<uint> uaddr, bool fshared, uint vpid)
    {
        KernelSpinlock hb;
        uint uval;
        int ret;

        /* get_futex_key() rejects a misaligned futex before any access */
        if ((uaddr.Address % sizeof(uint)) != 0)
            return -EINVAL;

    retry:
        ret = Helpers.GetFutexKey(uaddr, fshared);
        if (ret != 0)
            goto out_;

    retry_private:
        hb = Helpers.HashFutex(uaddr);
        hb.Lock();

        ret = Helpers.FutexLockPiAtomic(uaddr, vpid); // expect: UA4002
        if (ret != 0)
        {
            switch (ret)
            {
                case 1:
                    /* We got the lock. */
                    ret = 0;
                    goto out_unlock_put_key;
                case -EFAULT:
                    goto uaddr_faulted;
                case -EAGAIN:
                    /*
                     * Task is exiting and we just wait for the
                     * exit to complete.
                     */
                    hb.Unlock();
                    Helpers.PutFutexKey(uaddr);
                    CondResched();
                    goto retry;
                default:
                    goto out_unlock_put_key;
            }
        }

        /* queue_me() and the rt_mutex wait: the lock is released before sleeping */
        hb.Unlock();
        ret = Helpers.RtMutexWait(uaddr);
        Helpers.PutFutexKey(uaddr);
        goto out_;

    out_unlock_put_key:
        hb.Unlock();
        Helpers.PutFutexKey(uaddr);

    out_:
        return ret;

    uaddr_faulted:
        /*
         * We have to r/w  *(int __user *)uaddr, and we have to modify it
         * atomically.  Therefore, if we continue to fault after get_user()
         * below, we need to handle the fault ourselves, while still holding
         * the mmap_sem.  This can occur if the uaddr is under contention as
         * we have to drop the mmap_sem in order to call get_user().
         */
        hb.Unlock();

        ret = GetUser(out uval, uaddr);
        if (ret != 0)
        {
            Helpers.PutFutexKey(uaddr);
            goto out_;
        }

        if (!fshared)
            goto retry_private;

        Helpers.PutFutexKey(uaddr);
        goto retry;
    }
}

public static class FutexV50
{
    private const uint FUTEX_TID_MASK = 0x3fffffff;
    private const uint FUTEX_WAITERS = 0x80000000;
    private const uint FUTEX_OWNER_DIED = 0x40000000;

    // kernel/futex.c, handle_futex_death(), v5.0 (before 5a07168d8d89). Buggy: the address comes from the
    // user's robust list and is never checked for alignment before the cmpxchg; on strict-alignment
    // architectures the kernel crashes, and where the fault is reported as -EFAULT the fault-in succeeds
    // and the loop retries forever.
    public static int HandleFutexDeathV50(UserPtr<uint> uaddr, uint curr, bool pi)
    {
        uint uval, nval, mval;

    retry:
        if (GetUser(out uval, uaddr) != 0)
            return -1;

        if ((uval & FUTEX_TID_MASK) == curr)
        {
            mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
            if (Helpers.CmpxchgFutexValueLocked(out nval, uaddr, uval, mval) != 0) // expect: UA3001
            {
                if (FaultInUserWriteable(uaddr) != 0)
                    return -1;
                goto retry;
            }
            if (nval != uval)
                goto retry;

            if (!pi && (uval & FUTEX_WAITERS) != 0)
                Helpers.WakeWaiters(uaddr, 1);
        }
        return 0;
    }
}

internal static class Helpers
{
    [ReturnsErrno]
    public static int GetFutexKey(UserPtr<uint> uaddr, bool fshared) => 0;

    public static void PutFutexKey(UserPtr<uint> uaddr)
    {
    }

    public static KernelSpinlock HashFutex(UserPtr<uint> uaddr) => new KernelSpinlock();

    [Acquires("hb1")]
    [Acquires("hb2")]
    public static void DoubleLockHb(KernelSpinlock hb1, KernelSpinlock hb2)
    {
        hb1.Lock();
        hb2.Lock();
    }

    [Releases("hb1")]
    [Releases("hb2")]
    public static void DoubleUnlockHb(KernelSpinlock hb1, KernelSpinlock hb2)
    {
        hb2.Unlock();
        hb1.Unlock();
    }

    public static int WakeWaiters(UserPtr<uint> uaddr, int nr) => 0;

    /// <summary>futex_atomic_op_inuser() of the arch: decode, access_ok(), the op with page faults disabled, the compare.</summary>
    public static int FutexAtomicOpInuser(int encodedOp, [RequiresAlignment] UserPtr<uint> uaddr)
    {
        int op = (encodedOp >> 28) & 7;
        int cmp = (encodedOp >> 24) & 15;
        int oparg = (encodedOp << 8) >> 20;
        int cmparg = (encodedOp << 20) >> 20;
        int oldval, ret;

        if (!AccessOk(uaddr, sizeof(uint)))
            return -EFAULT;

        PagefaultDisable();
        ret = ArchFutexAtomicOpInuser((FutexOp)op, oparg, out oldval, uaddr);
        PagefaultEnable();

        if (ret == 0)
            ret = cmp == 0 ? (oldval == cmparg ? 1 : 0) : (oldval != cmparg ? 1 : 0);
        return ret;
    }

    /// <summary>futex_lock_pi_atomic(): 1 when the lock was taken, 0 to wait, or an errno of the nofault
    /// cmpxchg that sets the TID (or FUTEX_WAITERS).</summary>
    public static int FutexLockPiAtomic([RequiresAlignment] UserPtr<uint> uaddr, uint vpid)
    {
        uint curval;
        int ret;

        ret = CmpxchgFutexValueLocked(out curval, uaddr, 0, vpid);
        if (ret != 0)
            return ret;
        if (curval == 0)
            return 1;
        ret = CmpxchgFutexValueLocked(out curval, uaddr, curval, curval | 0x80000000);
        return ret;
    }

    [MightSleep]
    [ReturnsErrno]
    public static int RtMutexWait(UserPtr<uint> uaddr) => 0;

    /// <summary>cmpxchg_futex_value_locked(): the nofault cmpxchg.</summary>
    public static int CmpxchgFutexValueLocked(out uint curval, [RequiresAlignment] UserPtr<uint> uaddr, uint uval, uint newval)
    {
        int ret;

        PagefaultDisable();
        ret = FutexAtomicCmpxchgInatomic(out curval, uaddr, uval, newval);
        PagefaultEnable();

        return ret;
    }
}
