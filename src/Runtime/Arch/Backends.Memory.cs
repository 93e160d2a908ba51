using System;

namespace UserAccess.Runtime;

internal sealed partial class X86_64Arch
{
    private const ulong CacheLineSize = 64;

    // Split-lock detection: a locked op whose bytes cross a cache line raises #AC, which the
    // uaccess exception table turns into -EFAULT. Misaligned within one line is fine.
    internal override bool AtomicTraps(ulong address, int size) =>
        (address & (CacheLineSize - 1)) + (ulong)size > CacheLineSize;
}

internal sealed partial class Arm64Arch
{
    // FUTEX_MAX_LOOPS in arch/arm64/include/asm/futex.h.
    private const int FutexMaxLoops = 128;

    // Top-byte-ignore: the MMU translates with bits 56..63 cleared.
    internal override ulong UntaggedAddress(ulong address) => address & 0x00FF_FFFF_FFFF_FFFFUL;

    // LDXR/STXR (and LSE atomics) raise an alignment fault on any misaligned address.
    internal override bool AtomicTraps(ulong address, int size) => (address & (ulong)(size - 1)) != 0;

    // The LL/SC loop gives up after FUTEX_MAX_LOOPS failed store-exclusives with -EAGAIN.
    internal override int UserAtomicUpdate(Mm mm, ulong address, int size, AtomicUpdate update, out ulong old)
    {
        old = 0;
        int rc = mm.GetAtomicWord(address, size, out var page, out int offset);
        if (rc != 0)
        {
            return rc;
        }

        for (int loop = 0; loop < FutexMaxLoops; loop++)
        {
            if (TryStoreConditional(mm, page, offset, address, size, update, out old) != StoreOutcome.Lost)
            {
                return 0;
            }
        }

        return -Errno.EAGAIN;
    }

    // mte_probe_user_range(): a tag-checked read of the first byte and of every following granule.
    internal override long ProbeSubpageWriteable(Mm mm, ulong address, long size, FaultMode mode)
    {
        ulong end = address + (ulong)size;
        Span<byte> probe = stackalloc byte[1];
        ulong cur = address;
        if (mm.Access(cur, probe, AccessOp.Read, mode, out _, out _) != 0)
        {
            return (long)(end - cur);
        }

        for (cur = (address + 15) & ~15UL; cur < end; cur += 16)
        {
            if (mm.Access(cur, probe, AccessOp.Read, mode, out _, out _) != 0)
            {
                return (long)(end - cur);
            }
        }

        return 0;
    }
}

internal sealed partial class ArcArch
{
    // Without LL/SC, sys_arc_usr_cmpxchg and the futex ops run the read-modify-write as plain loads
    // and stores with preemption disabled. Atomic context cannot fault: a word on the (read-only)
    // zero page reads 0 and then the store fails, which must be -EFAULT, not success.
    internal override int UserAtomicUpdate(Mm mm, ulong address, int size, AtomicUpdate update, out ulong old)
    {
        old = 0;
        var task = Scheduler.Current;
        task.PreemptCount++;
        try
        {
            Span<byte> word = stackalloc byte[size];
            if (mm.Access(address, word, AccessOp.Read, FaultMode.NoFault, out _, out _) != 0)
            {
                return -Errno.EFAULT;
            }

            ulong found = LoadWord(word, size);
            if (update(found, out ulong updated))
            {
                StoreWord(word, size, updated);
                if (mm.Access(address, word, AccessOp.Write, FaultMode.NoFault, out _, out _) != 0)
                {
                    return -Errno.EFAULT;
                }
            }

            old = found;
            return 0;
        }
        finally
        {
            task.PreemptCount--;
        }
    }
}

internal sealed partial class PowerPC64BEArch
{
    // lwarx/ldarx on a misaligned address take an alignment interrupt the kernel cannot emulate.
    internal override bool AtomicTraps(ulong address, int size) => (address & (ulong)(size - 1)) != 0;
}
