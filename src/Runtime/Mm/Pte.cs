using System;

namespace UserAccess.Runtime;

/// <summary>The hardware bits of a page-table entry, plus the software states Linux keeps in non-present entries.</summary>
[Flags]
internal enum PteFlags
{
    None = 0,
    Present = 1,
    Read = 2,
    Write = 4,
    /// <summary>The mapping is tag-checked (arm64 <c>PROT_MTE</c>).</summary>
    Mte = 8,
    /// <summary>Not present; the page's contents wait in swap (the <see cref="Pte.Page"/> is the swap slot).</summary>
    Swapped = 16,
    /// <summary>A hwpoison entry: every access fails.</summary>
    Poisoned = 32,
}

/// <summary>
/// A page-table entry. Immutable, so that a lock-free reader sees either the old or the new entry
/// whole: every change installs a new object under the page-table lock.
/// </summary>
internal sealed class Pte
{
    internal static readonly Pte PoisonedEntry = new(null, PteFlags.Poisoned);

    internal Pte(Page? page, PteFlags flags)
    {
        Page = page;
        Flags = flags;
    }

    internal Page? Page { get; }

    internal PteFlags Flags { get; }

    internal bool IsPresent => (Flags & PteFlags.Present) != 0;

    internal bool IsSwapped => (Flags & PteFlags.Swapped) != 0;

    internal bool IsPoisoned => (Flags & PteFlags.Poisoned) != 0;

    /// <summary>Whether the MMU completes the access without a fault.</summary>
    internal bool Allows(bool write)
    {
        var needed = PteFlags.Present | (write ? PteFlags.Write : PteFlags.Read);
        return (Flags & needed) == needed;
    }

    internal bool IsTagChecked => (Flags & PteFlags.Mte) != 0;
}
