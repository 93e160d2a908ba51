using System;
using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

/// <summary>A page-cache folio (<c>struct folio</c>) of one page: its lock and its bytes.</summary>
public sealed class Folio
{
    internal Folio(SimFile file, long index)
    {
        File = file;
        Index = index;
        Lock = new KernelMutex(file.Machine, $"&folio->lock ({file.Name}:{index})");
        Page = new Page(file.Machine.Arch.PageSize, PageKind.PageCache);
    }

    /// <summary>The file this folio caches.</summary>
    public SimFile File { get; }

    /// <summary>The page index in the file (<c>folio->index</c>).</summary>
    public long Index { get; }

    /// <summary><c>folio_lock()</c>'s lock: a fault on a page of this folio takes it.</summary>
    [TakenInFaultPath]
    public KernelMutex Lock { get; }

    /// <summary>The folio's bytes, shared with every shared mapping of it; write them with <see cref="Lock"/> held.</summary>
    public Span<byte> Data => Page.Data;

    internal Page Page { get; }
}
