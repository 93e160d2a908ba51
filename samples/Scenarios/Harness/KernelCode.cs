using UserAccess.Runtime;

namespace Scenarios.Harness;

/// <summary><c>xchg_user_64()</c>.</summary>
public delegate int XchgUser64Fn(UserPtr<ulong> uaddr, ulong newval, out ulong oldval);

/// <summary><c>get_user_nosleep()</c>.</summary>
public delegate int GetUserNosleepFn(UserPtr<ulong> uaddr, out ulong val);

/// <summary><c>sys_arc_usr_cmpxchg()</c>.</summary>
public delegate int ArcUsrCmpxchgFn(UserPtr<int> uaddr, int expected, int newval, PtRegs regs);

/// <summary><c>futex_wake_op()</c>.</summary>
public delegate int FutexWakeOpFn(UserPtr<uint> uaddr1, UserPtr<uint> uaddr2, int nrWake, int nrWake2, uint encodedOp);

/// <summary>The <c>user_events</c> enabler update.</summary>
public delegate int EnablerSetBitFn(UserPtr uaddr, int size, int bit);

/// <summary><c>generic_perform_write()</c>.</summary>
public delegate long GenericPerformWriteFn(SimFile file, long pos, UserPtr buf, long count);

/// <summary>btrfs' <c>search_ioctl()</c>.</summary>
public delegate int BtrfsSearchIoctlFn(Scenarios.Kernel.BtrfsRoot root, Scenarios.Kernel.BtrfsIoctlSearchKey sk, long bufSize, UserPtr ubuf);

/// <summary>userfaultfd's <c>mfill_atomic()</c> for <c>UFFDIO_COPY</c>.</summary>
public delegate long MfillAtomicCopyFn(UserfaultfdCtx ctx, UserPtr dstStart, byte[] src);

/// <summary>
/// The translated kernel functions the scenarios call, from one source: the harness never names
/// <c>Scenarios.Buggy</c> or <c>Scenarios.Fixed</c> anywhere else, so a rewritten copy of either can
/// be dropped in (the code-fix end-to-end test rewrites Buggy/ and runs it expecting the fixed
/// outcomes).
/// </summary>
public sealed record KernelCode(
    string Source,
    XchgUser64Fn XchgUser64,
    GetUserNosleepFn GetUserNosleep,
    ArcUsrCmpxchgFn ArcUsrCmpxchg,
    FutexWakeOpFn FutexWakeOp,
    EnablerSetBitFn EnablerSetBit,
    GenericPerformWriteFn GenericPerformWrite,
    BtrfsSearchIoctlFn BtrfsSearchIoctl,
    MfillAtomicCopyFn MfillAtomicCopy)
{
    /// <summary>The code as posted in the mailing-list threads.</summary>
    public static KernelCode Buggy { get; } = new(
        "Scenarios.Buggy",
        Scenarios.Buggy.Umcg.XchgUser64,
        Scenarios.Buggy.Umcg.GetUserNosleep,
        Scenarios.Buggy.Arc.ArcUsrCmpxchg,
        Scenarios.Buggy.Futex.FutexWakeOp,
        Scenarios.Buggy.UserEvents.EnablerSetBit,
        Scenarios.Buggy.Filemap.GenericPerformWrite,
        Scenarios.Buggy.Btrfs.SearchIoctl,
        Scenarios.Buggy.Userfaultfd.MfillAtomicCopy);

    /// <summary>The code as the kernel fixed it.</summary>
    public static KernelCode Fixed { get; } = new(
        "Scenarios.Fixed",
        Scenarios.Fixed.Umcg.XchgUser64,
        Scenarios.Fixed.Umcg.GetUserNosleep,
        Scenarios.Fixed.Arc.ArcUsrCmpxchg,
        Scenarios.Fixed.Futex.FutexWakeOp,
        Scenarios.Fixed.UserEvents.EnablerSetBit,
        Scenarios.Fixed.Filemap.GenericPerformWrite,
        Scenarios.Fixed.Btrfs.SearchIoctl,
        Scenarios.Fixed.Userfaultfd.MfillAtomicCopy);

    /// <summary>The code of a variant.</summary>
    public static KernelCode For(Variant variant) => variant == Variant.Buggy ? Buggy : Fixed;
}
