using System;

namespace UserAccess.Runtime;

/// <summary>A user page pinned by <see cref="Kernel.PinUserPagesUnlocked"/>: it stays resident until unpinned.</summary>
public sealed class PinnedPage
{
    /// <summary><c>kmap_local_page()</c>: the page as kernel memory that user space shares.</summary>
    public KernelMapping Kmap() => throw new NotImplementedException();
}

/// <summary>A kernel mapping of a pinned user page: accesses never fault.</summary>
public sealed class KernelMapping
{
    /// <summary><c>READ_ONCE()</c> of the value at <paramref name="offset"/> in the page, in the arch's byte order.</summary>
    public T ReadOnce<T>(int offset) where T : unmanaged => throw new NotImplementedException();

    /// <summary><c>WRITE_ONCE()</c> of <paramref name="value"/> at <paramref name="offset"/> in the page.</summary>
    public void WriteOnce<T>(int offset, T value) where T : unmanaged => throw new NotImplementedException();
}
