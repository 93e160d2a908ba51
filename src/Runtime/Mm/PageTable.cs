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

    internal PageTable(int virtualPageNumberBits)
    {
        levels = System.Math.Max(1, (virtualPageNumberBits + BitsPerLevel - 1) / BitsPerLevel);
    }

    /// <summary>The entry for <paramref name="vpn"/>, or <c>null</c> (never mapped or cleared); lock-free.</summary>
    internal Pte? Lookup(ulong vpn)
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
                return Volatile.Read(ref ((Pte?[])next)[vpn & IndexMask]);
            }

            table = (object?[])next;
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
    }
}
