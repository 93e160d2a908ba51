using System;
using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

public static partial class Kernel
{
    /// <summary><c>futex_atomic_cmpxchg_inatomic()</c>: never handles a fault; <c>0</c> with <paramref name="curval"/> the value found, or <c>-EFAULT</c> / <c>-EAGAIN</c>.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.ReadWrite, "uaddr")]
    public static int FutexAtomicCmpxchgInatomic(out uint curval, [RequiresAlignment] UserPtr<uint> uaddr, uint oldval, uint newval) => throw new NotImplementedException();

    /// <summary><c>arch_futex_atomic_op_inuser()</c>: applies <paramref name="op"/> atomically; <c>0</c> with <paramref name="oldval"/>, <c>-EFAULT</c>, <c>-EAGAIN</c> (LL/SC gave up) or <c>-ENOSYS</c> (unknown op).</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.ReadWrite, "uaddr")]
    public static int ArchFutexAtomicOpInuser(FutexOp op, int oparg, out int oldval, [RequiresAlignment] UserPtr<uint> uaddr) => throw new NotImplementedException();

    /// <summary>The UMCG <c>xchg_user_32/64()</c>: never handles a fault; <c>0</c>, <c>-EFAULT</c>, <c>-EAGAIN</c>, or <c>-EINVAL</c> for a 64-bit op on a 32-bit backend.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.ReadWrite, "uaddr")]
    public static int XchgUserInatomic<T>([RequiresAlignment] UserPtr<T> uaddr, T newval, out T oldval) where T : unmanaged => throw new NotImplementedException();

    /// <summary>The UMCG <c>cmpxchg_user_32/64()</c>: never handles a fault; <c>0</c> with <paramref name="actual"/> the value found, <c>-EFAULT</c>, <c>-EAGAIN</c>, or <c>-EINVAL</c>.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.ReadWrite, "uaddr")]
    public static int CmpxchgUserInatomic<T>([RequiresAlignment] UserPtr<T> uaddr, T expected, T newval, out T actual) where T : unmanaged => throw new NotImplementedException();

    /// <summary>Atomically sets bit <paramref name="bit"/> of the <paramref name="size"/>-byte user word (the user_events enabler); <c>0</c>, <c>-EFAULT</c> or <c>-EINVAL</c>.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserBitOperation(SizeParameter = "size", BitParameter = "bit")]
    [UserAccess(AccessKind.ReadWrite, "uaddr", Size = "size")]
    public static int SetBitUserInatomic([RequiresAlignment(SizeParameter = "size")] UserPtr uaddr, int size, int bit) => throw new NotImplementedException();

    /// <summary>Atomically clears bit <paramref name="bit"/> of the <paramref name="size"/>-byte user word; <c>0</c>, <c>-EFAULT</c> or <c>-EINVAL</c>.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserBitOperation(SizeParameter = "size", BitParameter = "bit")]
    [UserAccess(AccessKind.ReadWrite, "uaddr", Size = "size")]
    public static int ClearBitUserInatomic([RequiresAlignment(SizeParameter = "size")] UserPtr uaddr, int size, int bit) => throw new NotImplementedException();

    /// <summary>futex's <c>fault_in_user_writeable()</c>: <c>mmap_read_lock</c>, <c>fixup_user_fault(FAULT_FLAG_WRITE)</c>, <c>mmap_read_unlock</c>; <c>0</c> or <c>-errno</c>.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    [FaultsIn(AccessKind.ReadWrite, Pointer = "uaddr")]
    public static int FaultInUserWriteable(UserPtr uaddr) => throw new NotImplementedException();
}
