using System.Threading;

namespace UserAccess.Runtime;

/// <summary>What a physical page frame holds, which decides what a write fault does with it.</summary>
internal enum PageKind
{
    /// <summary>A private anonymous page owned by one mapping: a write fault may reuse it.</summary>
    Anon,
    /// <summary>The shared zero page: never written, a write fault copies it.</summary>
    Zero,
    /// <summary>A page-cache page of a <see cref="SimFile"/>: private mappings copy it on write.</summary>
    PageCache,
}

/// <summary>
/// A physical page frame (<c>struct page</c>): its bytes in the arch's byte order, and the MTE
/// allocation tags of its 16-byte granules when a tagged mapping touched it.
/// </summary>
internal sealed class Page
{
    internal const int MteGranuleSize = 16;

    private int pinCount;

    internal Page(int size, PageKind kind)
    {
        Data = new byte[size];
        Kind = kind;
    }

    internal byte[] Data { get; }

    internal PageKind Kind { get; }

    /// <summary>One 4-bit allocation tag per 16-byte granule; <c>null</c> means every tag is 0.</summary>
    internal byte[]? Tags { get; private set; }

    /// <summary><c>page_maybe_dma_pinned()</c>: a pinned page is neither swapped out nor dropped.</summary>
    internal bool IsPinned => Volatile.Read(ref pinCount) > 0;

    internal void Pin() => Interlocked.Increment(ref pinCount);

    internal bool Unpin()
    {
        int left = Interlocked.Decrement(ref pinCount);
        if (left < 0)
        {
            Interlocked.Increment(ref pinCount);
            return false;
        }

        return true;
    }

    internal byte TagAt(int offset) => Tags is { } tags ? tags[offset / MteGranuleSize] : (byte)0;

    internal void SetTag(int offset, byte tag)
    {
        Tags ??= new byte[Data.Length / MteGranuleSize];
        Tags[offset / MteGranuleSize] = (byte)(tag & 0xF);
    }

    /// <summary>A private copy for a copy-on-write break: the bytes and the tags travel together.</summary>
    internal Page CopyForWrite()
    {
        var copy = new Page(Data.Length, PageKind.Anon);
        System.Buffer.BlockCopy(Data, 0, copy.Data, 0, Data.Length);
        if (Tags is { } tags)
        {
            copy.Tags = (byte[])tags.Clone();
        }

        return copy;
    }
}
