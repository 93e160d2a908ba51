using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace UserAccess.Runtime;

/// <summary>A user page pinned by <see cref="Kernel.PinUserPagesUnlocked"/>: it stays resident until unpinned.</summary>
public sealed class PinnedPage
{
    private readonly Page page;
    private readonly Arch arch;
    private int unpinned;

    internal PinnedPage(Page page, Arch arch)
    {
        this.page = page;
        this.arch = arch;
    }

    /// <summary><c>kmap_local_page()</c>: the page as kernel memory that user space shares.</summary>
    public KernelMapping Kmap() => new(page, arch);

    /// <summary><c>unpin_user_page()</c>'s work; a second unpin of the same pin is a bug.</summary>
    internal void Unpin()
    {
        if (System.Threading.Interlocked.Exchange(ref unpinned, 1) != 0 || !page.Unpin())
        {
            throw new InvalidOperationException("unpin_user_page() of a page that is not pinned");
        }
    }
}

/// <summary>A kernel mapping of a pinned user page: accesses never fault.</summary>
public sealed class KernelMapping
{
    private readonly Page page;
    private readonly Arch arch;

    internal KernelMapping(Page page, Arch arch)
    {
        this.page = page;
        this.arch = arch;
    }

    /// <summary><c>READ_ONCE()</c> of the value at <paramref name="offset"/> in the page, in the arch's byte order.</summary>
    public T ReadOnce<T>(int offset) where T : unmanaged
    {
        var slot = Slot<T>(offset);
        if (IsNaturalWord<T>(offset))
        {
            // Single-copy atomic, as READ_ONCE() of a word is against user space's atomics.
            Span<byte> word = stackalloc byte[slot.Length];
            if (slot.Length == 4)
            {
                uint raw = Volatile.Read(ref Unsafe.As<byte, uint>(ref slot[0]));
                MemoryMarshal.Write(word, in raw);
            }
            else
            {
                ulong raw = Volatile.Read(ref Unsafe.As<byte, ulong>(ref slot[0]));
                MemoryMarshal.Write(word, in raw);
            }

            return arch.ReadValue<T>(word);
        }

        return arch.ReadValue<T>(slot);
    }

    /// <summary><c>WRITE_ONCE()</c> of <paramref name="value"/> at <paramref name="offset"/> in the page.</summary>
    public void WriteOnce<T>(int offset, T value) where T : unmanaged
    {
        var slot = Slot<T>(offset);
        Span<byte> bytes = stackalloc byte[slot.Length];
        arch.WriteValue(bytes, value);
        if (!IsNaturalWord<T>(offset))
        {
            bytes.CopyTo(slot);
        }
        else if (slot.Length == 4)
        {
            Volatile.Write(ref Unsafe.As<byte, uint>(ref slot[0]), MemoryMarshal.Read<uint>(bytes));
        }
        else
        {
            Volatile.Write(ref Unsafe.As<byte, ulong>(ref slot[0]), MemoryMarshal.Read<ulong>(bytes));
        }
    }

    private static bool IsNaturalWord<T>(int offset) where T : unmanaged =>
        Unsafe.SizeOf<T>() is 4 or 8 && offset % Unsafe.SizeOf<T>() == 0;

    private Span<byte> Slot<T>(int offset) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if (offset < 0 || offset > page.Data.Length - size)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"a {size}-byte access at {offset} leaves the {page.Data.Length}-byte page");
        }

        return page.Data.AsSpan(offset, size);
    }
}
