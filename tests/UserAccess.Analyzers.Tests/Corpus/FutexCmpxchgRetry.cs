// Corpus for the half-typed-code meta-test: futex's cmpxchg_futex_value_locked() retry loop and
// fault_in_user_writeable(), translated to the simulator. Not compiled into the test assembly.
using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Corpus.Futex;

public static class FutexCmpxchg
{
    /// <summary>cmpxchg with page faults disabled; on -EFAULT, fault the page in writable and retry.</summary>
    public static int CmpxchgFutexValue(Mm mm, UserPtr<uint> uaddr, uint oldval, uint newval, out uint curval)
    {
        curval = 0;
        if (!uaddr.IsAligned(sizeof(uint)))
        {
            return -EINVAL;
        }

        while (true)
        {
            int ret;
            PagefaultDisable();
            try
            {
                ret = FutexAtomicCmpxchgInatomic(out curval, uaddr, oldval, newval);
            }
            finally
            {
                PagefaultEnable();
            }

            if (ret != -EFAULT)
            {
                return ret;
            }

            if (FatalSignalPending())
            {
                return -EINTR;
            }

            ret = FaultInUserWriteable(uaddr);
            if (ret != 0)
            {
                return ret;
            }
        }
    }

    /// <summary>fault_in_user_writeable() itself: take the mmap lock, fix the fault up, drop the lock.</summary>
    public static int FaultInWriteableLocked(Mm mm, UserPtr uaddr)
    {
        MmapReadLock(mm);
        var ret = FixupUserFault(mm, uaddr, FaultFlags.Write | FaultFlags.AllowRetry, out bool unlocked);
        if (!unlocked)
        {
            MmapReadUnlock(mm);
        }

        return ret < 0 ? ret : 0;
    }

    /// <summary>arch_futex_atomic_op_inuser() under NoFault(), with the op's errno passed back.</summary>
    public static int AtomicOp(FutexOp op, int oparg, UserPtr<uint> uaddr, out int oldval)
    {
        using (NoFault())
        {
            return ArchFutexAtomicOpInuser(op, oparg, out oldval, uaddr);
        }
    }
}
