using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Kernel;

/// <summary><c>struct btrfs_key</c>: items sort by objectid, then type, then offset.</summary>
public struct BtrfsKey
{
    /// <summary>The object the item belongs to.</summary>
    public ulong ObjectId;

    /// <summary>The item type.</summary>
    public byte Type;

    /// <summary>The offset (meaning depends on the type).</summary>
    public ulong Offset;

    /// <summary>Orders keys as the btree does.</summary>
    public static int Compare(BtrfsKey a, BtrfsKey b) =>
        a.ObjectId != b.ObjectId ? a.ObjectId.CompareTo(b.ObjectId)
        : a.Type != b.Type ? a.Type.CompareTo(b.Type)
        : a.Offset.CompareTo(b.Offset);
}

/// <summary><c>struct btrfs_ioctl_search_key</c>: the range searched and, on return, the items found.</summary>
public sealed class BtrfsIoctlSearchKey
{
    /// <summary>The first key of the range (<c>min_objectid</c>, <c>min_type</c>, <c>min_offset</c>).</summary>
    public BtrfsKey Min;

    /// <summary>How many items the caller wants; on return, how many were copied.</summary>
    public int NrItems;
}

/// <summary><c>struct btrfs_ioctl_search_header</c>: what precedes each item in the user buffer.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct BtrfsIoctlSearchHeader
{
    /// <summary>The generation of the leaf the item came from.</summary>
    public ulong TransId;

    /// <summary>The item's objectid.</summary>
    public ulong ObjectId;

    /// <summary>The item's offset.</summary>
    public ulong Offset;

    /// <summary>The item's type.</summary>
    public uint Type;

    /// <summary>The length of the item data that follows.</summary>
    public uint Len;
}

/// <summary>
/// A tree root with one leaf of items: just enough btree for <c>search_ioctl()</c>'s copy loop.
/// </summary>
public sealed class BtrfsRoot
{
    private readonly List<(BtrfsKey Key, byte[] Data)> items = new();

    /// <summary>The generation stamped on the leaf.</summary>
    public ulong Generation { get; init; } = 7;

    /// <summary>Adds an item (kept in key order).</summary>
    public void Insert(BtrfsKey key, byte[] data)
    {
        int at = items.FindIndex(i => BtrfsKey.Compare(i.Key, key) > 0);
        items.Insert(at < 0 ? items.Count : at, (key, data));
    }

    internal int Count => items.Count;

    internal (BtrfsKey Key, byte[] Data) this[int slot] => items[slot];

    /// <summary><c>btrfs_search_forward()</c>: the first slot at or after <paramref name="key"/>; <c>0</c>, or <c>1</c> when there is none.</summary>
    public int SearchForward(ref BtrfsKey key, out int slot)
    {
        for (slot = 0; slot < items.Count; slot++)
        {
            if (BtrfsKey.Compare(items[slot].Key, key) >= 0)
            {
                key = items[slot].Key;
                return 0;
            }
        }

        return 1;
    }
}

/// <summary>fs/btrfs/ioctl.c pieces both versions of <c>search_ioctl()</c> share.</summary>
public static class BtrfsIoctl
{
    /// <summary>
    /// <c>copy_to_sk()</c> (since the 2021 deadlock fix): copies the items from <paramref name="slot"/>
    /// to the user buffer with page faults disabled (the caller holds tree locks the fault path could
    /// need). <c>1</c> when the buffer or the requested count is full, <c>0</c> to search again from
    /// <paramref name="key"/> — also when a copy failed: the caller faults the buffer in and retries
    /// the same item.
    /// </summary>
    public static int CopyToSk(BtrfsRoot root, int slot, ref BtrfsKey key, BtrfsIoctlSearchKey sk, long bufSize, UserPtr ubuf, ref long skOffset, ref int numFound)
    {
        int headerSize = Marshal.SizeOf<BtrfsIoctlSearchHeader>();
        for (int i = slot; i < root.Count; i++)
        {
            var (itemKey, data) = root[i];
            key = itemKey;
            if (headerSize + data.Length + skOffset > bufSize)
            {
                return 1;
            }

            var sh = new BtrfsIoctlSearchHeader
            {
                TransId = root.Generation,
                ObjectId = itemKey.ObjectId,
                Offset = itemKey.Offset,
                Type = itemKey.Type,
                Len = (uint)data.Length,
            };

            // copy search result header
            if (CopyToUserNofault((ubuf + skOffset).Cast<BtrfsIoctlSearchHeader>(), sh) != 0)
            {
                return 0;
            }

            skOffset += headerSize;
            if (data.Length != 0)
            {
                // read_extent_buffer_to_user_nofault()
                if (CopyToUserNofault(ubuf + skOffset, data) != 0)
                {
                    skOffset -= headerSize;
                    return 0;
                }

                skOffset += data.Length;
            }

            numFound++;
            if (numFound >= sk.NrItems)
            {
                return 1;
            }
        }

        // advance_key: past the last item, nothing more to find.
        key.Offset = ulong.MaxValue;
        key.Type = byte.MaxValue;
        key.ObjectId = ulong.MaxValue;
        return 1;
    }
}
