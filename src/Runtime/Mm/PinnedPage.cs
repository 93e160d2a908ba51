using System;
using System.Runtime.CompilerServices;

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
    public T ReadOnce<T>(int offset) where T : unmanaged => arch.ReadValue<T>(Slot<T>(offset));

    /// <summary><c>WRITE_ONCE()</c> of <paramref name="value"/> at <paramref name="offset"/> in the page.</summary>
    public void WriteOnce<T>(int offset, T value) where T : unmanaged
    {
        Span<byte> bytes = stackalloc byte[Unsafe.SizeOf<T>()];
        arch.WriteValue(bytes, value);
        bytes.CopyTo(Slot<T>(offset));
    }

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
