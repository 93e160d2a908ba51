using System;
using System.Runtime.CompilerServices;
using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

public static partial class Kernel
{
    /// <summary><c>futex_atomic_cmpxchg_inatomic()</c>: never handles a fault; <c>0</c> with <paramref name="curval"/> the value found, or <c>-EFAULT</c> / <c>-EAGAIN</c>.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.ReadWrite, "uaddr")]
    public static int FutexAtomicCmpxchgInatomic(out uint curval, [RequiresAlignment] UserPtr<uint> uaddr, uint oldval, uint newval)
    {
        int rc = UserAtomic("futex_atomic_cmpxchg_inatomic", uaddr.Address, sizeof(uint), (ulong found, out ulong updated) =>
        {
            updated = newval;
            return (uint)found == oldval;
        }, out ulong current);
        curval = (uint)current;
        return rc;
    }

    /// <summary><c>arch_futex_atomic_op_inuser()</c>: applies <paramref name="op"/> atomically; <c>0</c> with <paramref name="oldval"/>, <c>-EFAULT</c>, <c>-EAGAIN</c> (LL/SC gave up) or <c>-ENOSYS</c> (unknown op).</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.ReadWrite, "uaddr")]
    public static int ArchFutexAtomicOpInuser(FutexOp op, int oparg, out int oldval, [RequiresAlignment] UserPtr<uint> uaddr)
    {
        oldval = 0;
        var task = Scheduler.Current;
        if (!AccessOk(uaddr, sizeof(uint)))
        {
            task.Livelock.OnAccessFailed(task, "arch_futex_atomic_op_inuser", uaddr.Address);
            return -Errno.EFAULT;
        }

        if (op is not (FutexOp.Set or FutexOp.Add or FutexOp.Or or FutexOp.AndN or FutexOp.Xor))
        {
            return -Errno.ENOSYS;
        }

        uint arg = unchecked((uint)oparg);
        int rc = UserAtomic("arch_futex_atomic_op_inuser", uaddr.Address, sizeof(uint), (ulong found, out ulong updated) =>
        {
            uint value = (uint)found;
            updated = op switch
            {
                FutexOp.Set => arg,
                FutexOp.Add => unchecked(value + arg),
                FutexOp.Or => value | arg,
                FutexOp.AndN => value & ~arg,
                _ => value ^ arg,
            };
            return true;
        }, out ulong old);
        oldval = unchecked((int)(uint)old);
        return rc;
    }

    /// <summary>The UMCG <c>xchg_user_32/64()</c>: never handles a fault; <c>0</c>, <c>-EFAULT</c>, <c>-EAGAIN</c>, or <c>-EINVAL</c> for a 64-bit op on a 32-bit backend.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.ReadWrite, "uaddr")]
    public static int XchgUserInatomic<T>([RequiresAlignment] UserPtr<T> uaddr, T newval, out T oldval) where T : unmanaged
    {
        if (TryXchgFast(uaddr.Address, newval, out oldval))
        {
            return 0;
        }

        ulong replacement = ToWord(newval);
        int rc = UserAtomic("xchg_user", uaddr.Address, Unsafe.SizeOf<T>(), (ulong _, out ulong updated) =>
        {
            updated = replacement;
            return true;
        }, out ulong old);
        oldval = FromWord<T>(old);
        return rc;
    }

    /// <summary>The UMCG <c>cmpxchg_user_32/64()</c>: never handles a fault; <c>0</c> with <paramref name="actual"/> the value found, <c>-EFAULT</c>, <c>-EAGAIN</c>, or <c>-EINVAL</c>.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.ReadWrite, "uaddr")]
    public static int CmpxchgUserInatomic<T>([RequiresAlignment] UserPtr<T> uaddr, T expected, T newval, out T actual) where T : unmanaged
    {
        ulong want = ToWord(expected);
        ulong replacement = ToWord(newval);
        int rc = UserAtomic("cmpxchg_user", uaddr.Address, Unsafe.SizeOf<T>(), (ulong found, out ulong updated) =>
        {
            updated = replacement;
            return found == want;
        }, out ulong old);
        actual = FromWord<T>(old);
        return rc;
    }

    /// <summary>Atomically sets bit <paramref name="bit"/> of the <paramref name="size"/>-byte user word (the user_events enabler); <c>0</c>, <c>-EFAULT</c> or <c>-EINVAL</c>.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserBitOperation(SizeParameter = "size", BitParameter = "bit")]
    [UserAccess(AccessKind.ReadWrite, "uaddr", Size = "size")]
    public static int SetBitUserInatomic([RequiresAlignment(SizeParameter = "size")] UserPtr uaddr, int size, int bit) => UserBitOp("set_bit_user", uaddr, size, bit, set: true);

    /// <summary>Atomically clears bit <paramref name="bit"/> of the <paramref name="size"/>-byte user word; <c>0</c>, <c>-EFAULT</c> or <c>-EINVAL</c>.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserBitOperation(SizeParameter = "size", BitParameter = "bit")]
    [UserAccess(AccessKind.ReadWrite, "uaddr", Size = "size")]
    public static int ClearBitUserInatomic([RequiresAlignment(SizeParameter = "size")] UserPtr uaddr, int size, int bit) => UserBitOp("clear_bit_user", uaddr, size, bit, set: false);

    /// <summary>futex's <c>fault_in_user_writeable()</c>: <c>mmap_read_lock</c>, <c>fixup_user_fault(FAULT_FLAG_WRITE)</c>, <c>mmap_read_unlock</c>; <c>0</c> or <c>-errno</c>.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    [FaultsIn(AccessKind.ReadWrite, Pointer = "uaddr")]
    public static int FaultInUserWriteable(UserPtr uaddr)
    {
        if (!Scheduler.CheckFaultHandlingAllowed("fault_in_user_writeable"))
        {
            return -Errno.EFAULT;
        }

        Scheduler.MightSleep("fault_in_user_writeable");
        var task = Scheduler.Current;
        var mm = task.Mm;
        mm.Machine.Lockdep.Acquire(mm.MmapLock, shared: true, killable: false, "mmap_read_lock");
        bool unlocked = false;
        int rc = Fixup(task, mm, uaddr.Address, FaultFlags.Write, ref unlocked);
        mm.Machine.Lockdep.Release(mm.MmapLock, shared: true, "mmap_read_unlock");
        return rc < 0 ? rc : 0;
    }

    // The user_events enabler: the bit is numbered by the word's value (bit 63 of an 8-byte word is
    // its top bit, which a big-endian machine keeps in the first byte).
    private static int UserBitOp(string function, UserPtr uaddr, int size, int bit, bool set)
    {
        var arch = Scheduler.Current.Machine.Arch;
        if ((size != 4 && size != 8) || !arch.SupportsUserAtomic(size) || bit < 0 || bit >= size * 8 || !uaddr.IsAligned((ulong)size))
        {
            return -Errno.EINVAL;
        }

        ulong mask = 1UL << bit;
        return UserAtomic(function, uaddr.Address, size, (ulong found, out ulong updated) =>
        {
            updated = set ? found | mask : found & ~mask;
            return true;
        }, out _);
    }

    // Every user atomic: the size the backend supports (-EINVAL), access_ok, the backend's trap for
    // the address (split lock, alignment), then its read-modify-write; never a fault.
    private static int UserAtomic(string function, ulong address, int size, AtomicUpdate update, out ulong old)
    {
        old = 0;
        var task = Scheduler.Current;
        var arch = task.Machine.Arch;
        if (!arch.SupportsUserAtomic(size))
        {
            return -Errno.EINVAL;
        }

        int rc = TaskHooks.FailsAccess(task, address, size) || !UserAccessOk(arch, address, (ulong)size) || arch.AtomicTraps(arch.UntaggedAddress(address), size)
            ? -Errno.EFAULT
            : arch.UserAtomicUpdate(task.Mm, address, size, update, out old);
        if (rc == 0)
        {
            task.Livelock.OnAccessSucceeded();
        }
        else if (rc == -Errno.EFAULT)
        {
            task.Livelock.OnAccessFailed(task, function, address);
        }

        return rc;
    }

    private static ulong ToWord<T>(T value) where T : unmanaged => Unsafe.SizeOf<T>() switch
    {
        4 => Unsafe.As<T, uint>(ref value),
        8 => Unsafe.As<T, ulong>(ref value),
        _ => 0,
    };

    private static T FromWord<T>(ulong word) where T : unmanaged
    {
        T value = default;
        switch (Unsafe.SizeOf<T>())
        {
            case 4:
                Unsafe.As<T, uint>(ref value) = (uint)word;
                break;
            case 8:
                Unsafe.As<T, ulong>(ref value) = word;
                break;
        }

        return value;
    }
}
