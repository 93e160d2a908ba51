using System.Collections.Generic;
using System.Runtime.CompilerServices;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios;

/// <summary>A futex hash bucket (<c>struct futex_hash_bucket</c>): its spinlock and its waiters' keys.</summary>
public sealed class FutexHashBucket
{
    internal FutexHashBucket(Machine machine, int index)
    {
        Index = index;
        Lock = new KernelSpinlock(machine, $"&hb->lock[{index}]");
    }

    /// <summary>The bucket's place in the hash table: <c>double_lock_hb()</c> locks in this order.</summary>
    public int Index { get; }

    /// <summary><c>hb->lock</c>.</summary>
    public KernelSpinlock Lock { get; }

    /// <summary><c>hb->chain</c>: the keys of the tasks waiting in this bucket.</summary>
    public List<ulong> Waiters { get; } = new();
}

/// <summary>
/// The pieces of kernel/futex/core.c and kernel/futex/waitwake.c that the buggy and the fixed
/// <c>futex_wake_op()</c> share unchanged: the hash, the double lock and <c>futex_atomic_op_inuser()</c>.
/// Private futexes only: the key is the user address.
/// </summary>
public static class FutexCore
{
    public const int FUTEX_OP_OPARG_SHIFT = 8;
    public const int FUTEX_OP_CMP_EQ = 0;
    public const int FUTEX_OP_CMP_NE = 1;
    public const int FUTEX_OP_CMP_LT = 2;
    public const int FUTEX_OP_CMP_LE = 3;
    public const int FUTEX_OP_CMP_GT = 4;
    public const int FUTEX_OP_CMP_GE = 5;

    private const int HashSize = 16;
    private static readonly ConditionalWeakTable<Machine, FutexHashBucket[]> Tables = new();

    /// <summary>include/uapi/linux/futex.h: <c>FUTEX_OP(op, oparg, cmp, cmparg)</c>.</summary>
    public static uint FUTEX_OP(FutexOp op, int oparg, int cmp, int cmparg) =>
        (((uint)op & 0xf) << 28) | (((uint)cmp & 0xf) << 24) | (((uint)oparg & 0xfff) << 12) | ((uint)cmparg & 0xfff);

    /// <summary><c>futex_hash()</c>: the bucket of a key.</summary>
    public static FutexHashBucket FutexHash(ulong key)
    {
        var table = Tables.GetValue(Current.Machine, static machine =>
        {
            var buckets = new FutexHashBucket[HashSize];
            for (int i = 0; i < HashSize; i++)
            {
                buckets[i] = new FutexHashBucket(machine, i);
            }

            return buckets;
        });
        return table[(int)((key >> 2) % HashSize)];
    }

    /// <summary><c>double_lock_hb()</c>: both bucket locks in a fixed order (no ABBA), once when they are the same bucket.</summary>
    [Acquires("hb1.Lock")]
    [Acquires("hb2.Lock")]
    public static void DoubleLockHb(FutexHashBucket hb1, FutexHashBucket hb2)
    {
        if (hb1.Index > hb2.Index)
        {
            (hb1, hb2) = (hb2, hb1);
        }

        hb1.Lock.Lock();
        if (hb1 != hb2)
        {
            hb2.Lock.Lock();
        }
    }

    /// <summary><c>double_unlock_hb()</c>.</summary>
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

    /// <summary>
    /// <c>futex_atomic_op_inuser()</c> (kernel/futex/waitwake.c): decodes the op, applies it to
    /// <paramref name="uaddr"/> with page faults disabled (the hash bucket locks are held: the fault
    /// must not be handled here) and compares the old value; the comparison's result (0 or 1) or
    /// <c>-errno</c>.
    /// </summary>
    [MustCheck]
    [ReturnsErrno]
    public static int FutexAtomicOpInuser(uint encodedOp, [RequiresAlignment] UserPtr<uint> uaddr)
    {
        FutexOp op = (FutexOp)((encodedOp & 0x70000000) >> 28);
        int cmp = (int)((encodedOp & 0x0f000000) >> 24);
        int oparg = SignExtend32((encodedOp & 0x00fff000) >> 12, 11);
        int cmparg = SignExtend32(encodedOp & 0x00000fff, 11);
        int oldval, ret;

        if ((encodedOp & (FUTEX_OP_OPARG_SHIFT << 28)) != 0)
        {
            if (oparg < 0 || oparg > 31)
            {
                // kernel: pr_info_ratelimited("futex_wake_op: %s tries to shift op by %d; fix this program\n")
                oparg &= 31;
            }

            oparg = 1 << oparg;
        }

        PagefaultDisable();
        ret = ArchFutexAtomicOpInuser(op, oparg, out oldval, uaddr);
        PagefaultEnable();

        if (ret != 0)
        {
            return ret;
        }

        return cmp switch
        {
            FUTEX_OP_CMP_EQ => oldval == cmparg ? 1 : 0,
            FUTEX_OP_CMP_NE => oldval != cmparg ? 1 : 0,
            FUTEX_OP_CMP_LT => oldval < cmparg ? 1 : 0,
            FUTEX_OP_CMP_GE => oldval >= cmparg ? 1 : 0,
            FUTEX_OP_CMP_LE => oldval <= cmparg ? 1 : 0,
            FUTEX_OP_CMP_GT => oldval > cmparg ? 1 : 0,
            _ => -ENOSYS,
        };
    }

    /// <summary>
    /// The wake half of <c>futex_wake_op()</c> for one key: removes up to <paramref name="nrWake"/>
    /// waiters on <paramref name="key"/> from the bucket (the caller holds its lock); the number woken.
    /// </summary>
    public static int WakeWaiters(FutexHashBucket hb, ulong key, int nrWake)
    {
        int woken = 0;
        for (int i = 0; i < hb.Waiters.Count && woken < nrWake;)
        {
            if (hb.Waiters[i] == key)
            {
                hb.Waiters.RemoveAt(i);
                woken++;
            }
            else
            {
                i++;
            }
        }

        return woken;
    }

    /// <summary><c>sign_extend32()</c>: sign-extends <paramref name="value"/> from bit <paramref name="index"/>.</summary>
    private static int SignExtend32(uint value, int index)
    {
        int shift = 31 - index;
        return (int)(value << shift) >> shift;
    }
}
