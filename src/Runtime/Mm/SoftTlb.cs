using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace UserAccess.Runtime;

/// <summary>
/// A task's software TLB, the way QEMU's softmmu makes a guest load a few host instructions on a
/// hit: a small direct-mapped cache from virtual page number to the frame's bytes and whether the
/// page may be written. An entry is valid only while the address space's translation generation is
/// the one it was filled under; every page-table write (map, unmap, mprotect, swap-out, COW break,
/// poison, zap) moves the generation on, so a hit never serves a stale translation. Tag-checked
/// (MTE) pages are never cached: their tags are checked on every access by the slow path. The task's
/// own context (atomic, nofault, locks held, hooks) is not cached either: it is looked at on every
/// access, before the TLB.
/// </summary>
internal sealed class SoftTlb
{
    private const int Slots = 32;

    private readonly PageTable pageTable;
    private readonly Entry?[] entries = new Entry?[Slots];
    private readonly ulong addressMask;
    private readonly ulong offsetMask;
    private readonly ulong taskSize;
    private readonly int pageShift;
    private readonly int pageSize;
    private ulong lastVpn = ulong.MaxValue;
    private long lastGeneration;
    private byte[]? lastData;
    private bool lastWritable;

    internal SoftTlb(Mm mm)
    {
        pageTable = mm.PageTableForTlb;
        var arch = mm.Machine.Arch;
        addressMask = arch.UntaggedAddress(ulong.MaxValue);
        pageShift = arch.PageShift;
        pageSize = arch.PageSize;
        offsetMask = (ulong)pageSize - 1;
        taskSize = arch.TaskSize;
        SwapsBytes = arch.IsBigEndian == System.BitConverter.IsLittleEndian;
        NativeAtomic4 = arch.HasNativeUserAtomics && arch.SupportsUserAtomic(4);
        NativeAtomic8 = arch.HasNativeUserAtomics && arch.SupportsUserAtomic(8);
    }

    /// <summary>User memory is in the other byte order than the host's.</summary>
    internal bool SwapsBytes { get; }

    internal bool NativeAtomic4 { get; }

    internal bool NativeAtomic8 { get; }

    /// <summary>
    /// The frame's bytes for <paramref name="size"/> bytes at <paramref name="address"/> inside one
    /// page, present and allowing the access without a fault; <c>null</c> sends the caller down the
    /// slow path (which faults, checks tags, reports).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte[]? Translate(ulong address, int size, bool write, out int offset)
    {
        ulong va = address & addressMask;
        offset = (int)(va & offsetMask);
        if (offset + size > pageSize || va >= taskSize)
        {
            return null;
        }

        ulong vpn = va >> pageShift;
        long generation = Volatile.Read(ref pageTable.Generation);

        // The last page translated is kept in fields of its own: one dependent load less than the
        // table for the common case of accesses that stay on one page.
        if (vpn == lastVpn && generation == lastGeneration && (lastWritable || !write))
        {
            return lastData;
        }

        // Slots is a power of two and the array that long: the index is in bounds, no check needed.
        var entry = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(entries), (nint)(vpn & (Slots - 1)));
        if (entry is not null && entry.Vpn == vpn && entry.Generation == generation && (entry.Writable || !write))
        {
            Remember(entry);
            return entry.Data;
        }

        return Fill(vpn, write);
    }

    private void Remember(Entry entry)
    {
        lastVpn = entry.Vpn;
        lastGeneration = entry.Generation;
        lastData = entry.Data;
        lastWritable = entry.Writable;
    }

    private byte[]? Fill(ulong vpn, bool write)
    {
        // The generation is read before the entry: a change after it makes this fill stale at once.
        long generation = Volatile.Read(ref pageTable.Generation);
        var pte = pageTable.Lookup(vpn);
        if (pte is null || pte.Page is not { } page || pte.IsTagChecked || !pte.Allows(write: false))
        {
            return null;
        }

        bool writable = pte.Allows(write: true);
        var entry = new Entry(vpn, page.Data, writable, generation);
        entries[vpn & (Slots - 1)] = entry;
        Remember(entry);
        return writable || !write ? page.Data : null;
    }

    private sealed class Entry
    {
        internal readonly ulong Vpn;
        internal readonly long Generation;
        internal readonly byte[] Data;
        internal readonly bool Writable;

        internal Entry(ulong vpn, byte[] data, bool writable, long generation)
        {
            Vpn = vpn;
            Data = data;
            Writable = writable;
            Generation = generation;
        }
    }
}

// The page table the TLBs fill from and validate against.
public sealed partial class Mm
{
    internal PageTable PageTableForTlb => pageTable;
}

// Whether the user atomics are the hardware's locked instructions, which an aligned word on a
// present, writable page turns into one host interlocked operation.
public abstract partial class Arch
{
    /// <summary><c>false</c> where the backend emulates user atomics in software (ARC without LL/SC).</summary>
    internal virtual bool HasNativeUserAtomics => true;
}

internal sealed partial class ArcArch
{
    internal override bool HasNativeUserAtomics => false;
}
