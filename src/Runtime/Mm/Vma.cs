namespace UserAccess.Runtime;

/// <summary>
/// A virtual memory area (<c>struct vm_area_struct</c>): [<see cref="Start"/>, <see cref="End"/>)
/// with one protection and one backing. Immutable: mprotect and munmap split by replacing.
/// </summary>
internal sealed class Vma
{
    internal Vma(ulong start, ulong end, Prot prot, MapFlags flags, SimFile? file, long fileOffset)
    {
        Start = start;
        End = end;
        Prot = prot;
        Flags = flags & (MapFlags.Shared | MapFlags.Private | MapFlags.Anonymous);
        File = file;
        FileOffset = fileOffset;
    }

    internal ulong Start { get; }

    internal ulong End { get; }

    internal Prot Prot { get; }

    internal MapFlags Flags { get; }

    /// <summary>The file behind the mapping, <c>null</c> for anonymous memory.</summary>
    internal SimFile? File { get; }

    /// <summary>The file offset of <see cref="Start"/>, in bytes.</summary>
    internal long FileOffset { get; }

    internal bool IsShared => (Flags & MapFlags.Shared) != 0;

    /// <summary><c>VM_READ</c>: x86 and arm64 cannot map write-only, so a writable VMA is readable too.</summary>
    internal bool MayRead => (Prot & (Prot.Read | Prot.Write)) != 0;

    internal bool MayWrite => (Prot & Prot.Write) != 0;

    /// <summary>
    /// The arch fault handler's <c>access_error()</c>: a read is allowed wherever the hardware can
    /// read (x86's <c>vma_is_accessible()</c>, arm64's read fault on a writable VMA).
    /// </summary>
    internal bool Permits(bool write) => write ? MayWrite : MayRead;

    /// <summary>
    /// <c>vma_permits_fault()</c> (fixup_user_fault) and <c>check_vma_flags()</c> (GUP without
    /// <c>FOLL_FORCE</c>): the VMA's own flags decide, so a read needs <c>VM_READ</c> even where the
    /// hardware could read a write-only mapping.
    /// </summary>
    internal bool PermitsByFlags(bool write) => write ? MayWrite : (Prot & Prot.Read) != 0;

    internal Vma Slice(ulong start, ulong end, Prot prot) =>
        new(start, end, prot, Flags, File, File is null ? 0 : FileOffset + (long)(start - Start));
}
