using System;
using System.Collections.Concurrent;

namespace UserAccess.Runtime;

/// <summary>
/// A file with a page cache, for file-backed mappings (<see cref="Mm.MmapFile"/>): the filesystem
/// side of scenarios such as a buffered write whose source buffer is mapped from the same file.
/// </summary>
public sealed class SimFile
{
    private readonly ConcurrentDictionary<long, Folio> pageCache = new();

    /// <summary>Creates an empty (zero-filled) file of <paramref name="size"/> bytes on <paramref name="machine"/>.</summary>
    public SimFile(Machine machine, string name, long size)
    {
        Machine = machine ?? throw new ArgumentNullException(nameof(machine));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        if (size < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size));
        }

        Size = size;
    }

    /// <summary>The machine whose page cache holds the file.</summary>
    public Machine Machine { get; }

    /// <summary>The file's name, as lockdep prints its folio locks.</summary>
    public string Name { get; }

    /// <summary><c>i_size</c>: a fault beyond it fails (SIGBUS, <c>-EFAULT</c> for the kernel).</summary>
    public long Size { get; }

    /// <summary><c>filemap_grab_folio()</c>: the page-cache folio of page <paramref name="index"/>, created on first use.</summary>
    public Folio GetFolio(long index)
    {
        if (index < 0 || index * Machine.Arch.PageSize >= Size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"page {index} lies beyond the end of {Name}");
        }

        return pageCache.GetOrAdd(index, i => new Folio(this, i));
    }
}
