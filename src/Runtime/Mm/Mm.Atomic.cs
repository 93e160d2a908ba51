namespace UserAccess.Runtime;

/// <summary>
/// A user atomic's read-modify-write on the word's value (already in host order): the new value,
/// or <c>false</c> to store nothing (a compare-and-exchange that found another value).
/// </summary>
internal delegate bool AtomicUpdate(ulong old, out ulong updated);

// What the atomic instructions see: the page must be present and writable (they never fault); the
// pointer's MTE tag is not checked.
public sealed partial class Mm
{
    /// <summary>Test hook: runs between an LL/SC load-exclusive and its store-exclusive, with the word's address.</summary>
    internal System.Action<ulong>? StoreExclusiveHook { get; set; }

    /// <summary>
    /// The frame and offset of the <paramref name="size"/>-byte word at <paramref name="address"/> for
    /// a locked instruction; <c>0</c>, or <c>-EFAULT</c> where the instruction would fault.
    /// </summary>
    internal int GetAtomicWord(ulong address, int size, out Page page, out int offset)
    {
        page = ZeroPage;
        offset = 0;
        ulong va = arch.UntaggedAddress(address);
        if (va >= taskSize || ((va & pageOffsetMask) + (ulong)size) > (ulong)pageSize)
        {
            // A kernel address, or a word that straddles two pages (a locked op cannot).
            return -Errno.EFAULT;
        }

        var pte = pageTable.Lookup(va >> pageShift);
        if (pte is null || !pte.Allows(write: true) || pte.Page is not { } frame)
        {
            return -Errno.EFAULT;
        }

        // arm64 runs the futex and user atomics as privileged exclusives with tag checking
        // overridden (uaccess_enable_privileged() sets PSTATE.TCO): an MTE mismatch does not fail them.
        offset = (int)(va & pageOffsetMask);
        page = frame;
        return 0;
    }

    /// <summary><c>check_vma_flags()</c>: a VMA covers <paramref name="va"/> and its flags allow the access.</summary>
    internal bool VmaPermitsByFlags(ulong va, bool write)
    {
        lock (pageTableLock)
        {
            return FindVma(va) is { } vma && vma.PermitsByFlags(write);
        }
    }

    /// <summary>
    /// The page for GUP's <c>follow_page()</c>: present and allowing the access, or <c>null</c>
    /// (the caller faults it in, or fails with <c>FOLL_NOFAULT</c>).
    /// </summary>
    internal Page? FollowPage(ulong va, bool write)
    {
        var pte = pageTable.Lookup(va >> pageShift);
        return pte is not null && pte.Allows(write) ? pte.Page : null;
    }
}
