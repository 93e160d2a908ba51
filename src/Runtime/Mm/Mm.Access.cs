using System;

namespace UserAccess.Runtime;

/// <summary>What a user access does with the bytes.</summary>
internal enum AccessOp
{
    /// <summary>User memory into the buffer.</summary>
    Read,
    /// <summary>The buffer into user memory.</summary>
    Write,
    /// <summary>Zeroes into user memory (the buffer is unused).</summary>
    Clear,
}

/// <summary>Who handles a fault during an access.</summary>
internal enum FaultMode
{
    /// <summary><c>faulthandler_disabled()</c>: the access fails at the first fault.</summary>
    NoFault,
    /// <summary>The kernel's fault path: the current task takes the mmap lock for read and resolves.</summary>
    Kernel,
    /// <summary>The user program itself: resolved without kernel locks; failure is SIGSEGV.</summary>
    User,
}

/// <summary>Why an access stopped.</summary>
internal enum AccessFailure
{
    None,
    /// <summary>At or above TASK_SIZE: a kernel address is never reachable through a user pointer.</summary>
    KernelAddress,
    /// <summary>Not present or not permitted, and the fault was not (or could not be) resolved.</summary>
    PageFault,
    /// <summary>An MTE tag check fault: the page is fine, the pointer's tag is not.</summary>
    TagMismatch,
}

// The MMU's data path: copies page by page through the lock-free page table, faulting as the mode
// allows, stopping exactly at the first byte that cannot be accessed.
public sealed partial class Mm
{
    // A fault that keeps being undone by another thread (munmap, swap-out) ends the access rather than spinning.
    private const int MaxFaultsPerPage = 64;

    /// <summary>Accesses <paramref name="buffer"/>.Length bytes at <paramref name="address"/>.</summary>
    internal int Access(ulong address, Span<byte> buffer, AccessOp op, FaultMode mode, out ulong failedAt, out AccessFailure why) =>
        Access(address, buffer, buffer.Length, op, mode, out failedAt, out why);

    /// <summary>
    /// Accesses <paramref name="length"/> bytes at <paramref name="address"/> (the buffer is unused
    /// for <see cref="AccessOp.Clear"/>); returns the bytes NOT accessed, <paramref name="failedAt"/> the first of them.
    /// </summary>
    internal int Access(ulong address, Span<byte> buffer, int length, AccessOp op, FaultMode mode, out ulong failedAt, out AccessFailure why)
    {
        bool write = op != AccessOp.Read;
        int done = 0;
        int faults = 0;
        while (done < length)
        {
            ulong addr = unchecked(address + (ulong)done);
            ulong va = arch.UntaggedAddress(addr);
            if (va >= taskSize || addr < address)
            {
                return Stop(addr, AccessFailure.KernelAddress, length - done, out failedAt, out why);
            }

            int offset = (int)(va & pageOffsetMask);
            int chunk = Math.Min(length - done, pageSize - offset);
            var pte = pageTable.Lookup(va >> pageShift);
            if (pte is null || !pte.Allows(write) || pte.Page is not { } page)
            {
                if (mode == FaultMode.NoFault || ++faults > MaxFaultsPerPage)
                {
                    return Stop(addr, AccessFailure.PageFault, length - done, out failedAt, out why);
                }

                bool unlocked = false;
                int fault = mode == FaultMode.Kernel
                    ? KernelFault(Scheduler.Current, va, write)
                    : HandleFault(va, write ? FaultFlags.Write : FaultFlags.None, null, ref unlocked);
                if (fault != 0)
                {
                    return Stop(addr, AccessFailure.PageFault, length - done, out failedAt, out why);
                }

                continue;
            }

            faults = 0;
            int allowed = pte.IsTagChecked ? TagCheckedLength(page, offset, chunk, addr) : chunk;
            Transfer(page, offset, op == AccessOp.Clear ? default : buffer.Slice(done, allowed), allowed, op);
            done += allowed;
            if (allowed < chunk)
            {
                return Stop(unchecked(address + (ulong)done), AccessFailure.TagMismatch, length - done, out failedAt, out why);
            }
        }

        failedAt = 0;
        why = AccessFailure.None;
        return 0;
    }

    /// <summary>How many bytes from <paramref name="offset"/> lie in granules whose allocation tag matches the pointer's.</summary>
    private static int TagCheckedLength(Page page, int offset, int chunk, ulong taggedAddress)
    {
        byte pointerTag = (byte)((taggedAddress >> 56) & 0xF);
        int end = offset + chunk;
        for (int granule = offset & ~(Page.MteGranuleSize - 1); granule < end; granule += Page.MteGranuleSize)
        {
            if (page.TagAt(granule) != pointerTag)
            {
                return Math.Max(granule, offset) - offset;
            }
        }

        return chunk;
    }

    private static void Transfer(Page page, int offset, Span<byte> buffer, int length, AccessOp op)
    {
        var memory = page.Data.AsSpan(offset, length);
        switch (op)
        {
            case AccessOp.Read:
                memory.CopyTo(buffer);
                break;
            case AccessOp.Write:
                buffer.CopyTo(memory);
                break;
            default:
                memory.Clear();
                break;
        }
    }

    private static int Stop(ulong at, AccessFailure reason, int left, out ulong failedAt, out AccessFailure why)
    {
        failedAt = at;
        why = reason;
        return left;
    }
}
