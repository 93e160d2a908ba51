using System.Runtime.CompilerServices;
using System.Threading;

namespace UserAccess.Runtime;

/// <summary>
/// A radix page table keyed by virtual page number, 9 bits per level as on x86-64 and arm64, as
/// deep as the arch's user address space needs. Readers walk it without locks (every slot is read
/// with acquire semantics); writers hold the mm's page-table lock. Tables are allocated on first
/// use, so memory grows with the touched part of the address space only.
/// </summary>
internal sealed class PageTable
{
    private const int BitsPerLevel = 9;
    private const int EntriesPerTable = 1 << BitsPerLevel;
    private const ulong IndexMask = EntriesPerTable - 1;

    private readonly int levels;
    private readonly object?[] root = new object?[EntriesPerTable];

    // The last leaf a lookup walked to; racy by design: any published value is a valid leaf.
    private volatile LeafRef? lastLeaf;

    /// <summary>
    /// How many entry writes there have been, bumped after each (under the page-table lock): a
    /// software TLB entry filled under an older value may be stale. A field, read with
    /// <c>Volatile.Read</c>, because every TLB hit compares it.
    /// </summary>
    internal long Generation;

    internal PageTable(int virtualPageNumberBits)
    {
        levels = System.Math.Max(1, (virtualPageNumberBits + BitsPerLevel - 1) / BitsPerLevel);
    }

    /// <summary>The entry for <paramref name="vpn"/>, or <c>null</c> (never mapped or cleared); lock-free.</summary>
    internal Pte? Lookup(ulong vpn)
    {
        // Leaf tables are never freed, so a remembered leaf stays valid forever: consecutive
        // accesses to the same 2 MiB (x86-64) region skip the walk, like a TLB.
        var cached = lastLeaf;
        if (cached is not null && cached.Key == vpn >> BitsPerLevel)
        {
            return Volatile.Read(ref cached.Leaf[vpn & IndexMask]);
        }

        return Walk(vpn);
    }

    private Pte? Walk(ulong vpn)
    {
        object?[] table = root;
        for (int level = levels - 1; level > 0; level--)
        {
            var next = Volatile.Read(ref table[(vpn >> (level * BitsPerLevel)) & IndexMask]);
            if (next is null)
            {
                return null;
            }

            if (level == 1)
            {
                // Only leaves are stored one level above the entries: no type check needed.
                var leaf = Unsafe.As<Pte?[]>(next);
                lastLeaf = new LeafRef(vpn >> BitsPerLevel, leaf);
                return Volatile.Read(ref leaf[vpn & IndexMask]);
            }

            table = Unsafe.As<object?[]>(next);
        }

        // A single-level table: the root holds the entries.
        return (Pte?)Volatile.Read(ref table[vpn & IndexMask]);
    }

    /// <summary>Installs <paramref name="pte"/> (or clears the slot); the caller holds the page-table lock.</summary>
    internal void Set(ulong vpn, Pte? pte)
    {
        if (levels == 1)
        {
            Volatile.Write(ref root[vpn & IndexMask], pte);
            Interlocked.Increment(ref Generation);
            return;
        }

        object?[] table = root;
        for (int level = levels - 1; level > 1; level--)
        {
            ref object? slot = ref table[(vpn >> (level * BitsPerLevel)) & IndexMask];
            if (slot is null)
            {
                if (pte is null)
                {
                    return;
                }

                Volatile.Write(ref slot, new object?[EntriesPerTable]);
            }

            table = (object?[])slot!;
        }

        ref object? leafSlot = ref table[(vpn >> BitsPerLevel) & IndexMask];
        if (leafSlot is null)
        {
            if (pte is null)
            {
                return;
            }

            Volatile.Write(ref leafSlot, new Pte?[EntriesPerTable]);
        }

        Volatile.Write(ref ((Pte?[])leafSlot!)[vpn & IndexMask], pte);
        Interlocked.Increment(ref Generation);
    }

    /// <summary>
    /// Visits the entries of [<paramref name="fromVpn"/>, <paramref name="toVpn"/>) that exist,
    /// skipping whole tables that were never allocated (munmap of a huge, barely touched range stays cheap).
    /// </summary>
    internal void ForEach(ulong fromVpn, ulong toVpn, System.Action<ulong, Pte> visit)
    {
        if (fromVpn < toVpn)
        {
            Walk(root, levels - 1, 0, fromVpn, toVpn, visit);
        }
    }

    private static void Walk(object?[] table, int level, ulong baseVpn, ulong fromVpn, ulong toVpn, System.Action<ulong, Pte> visit)
    {
        int shift = level * BitsPerLevel;
        ulong span = 1UL << shift;
        for (ulong index = 0; index < EntriesPerTable; index++)
        {
            ulong first = baseVpn + (index * span);
            ulong last = first + span;
            if (last <= fromVpn)
            {
                continue;
            }

            if (first >= toVpn)
            {
                return;
            }

            var entry = Volatile.Read(ref table[index]);
            if (entry is null)
            {
                continue;
            }

            if (level == 0)
            {
                visit(first, (Pte)entry);
            }
            else if (level == 1)
            {
                WalkLeaf((Pte?[])entry, first, fromVpn, toVpn, visit);
            }
            else
            {
                Walk((object?[])entry, level - 1, first, fromVpn, toVpn, visit);
            }
        }
    }

    private static void WalkLeaf(Pte?[] leaf, ulong baseVpn, ulong fromVpn, ulong toVpn, System.Action<ulong, Pte> visit)
    {
        for (ulong index = 0; index < EntriesPerTable; index++)
        {
            ulong vpn = baseVpn + index;
            if (vpn < fromVpn)
            {
                continue;
            }

            if (vpn >= toVpn)
            {
                return;
            }

            if (Volatile.Read(ref leaf[index]) is { } pte)
            {
                visit(vpn, pte);
            }
        }
    }

    /// <summary>A leaf table and the virtual page numbers it covers (<c>vpn &gt;&gt; 9</c>).</summary>
    private sealed class LeafRef
    {
        internal LeafRef(ulong key, Pte?[] leaf)
        {
            Key = key;
            Leaf = leaf;
        }

        internal ulong Key { get; }

        internal Pte?[] Leaf { get; }
    }
}
