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

    /// <summary><c>vma_permits_fault()</c>.</summary>
    internal bool Permits(bool write) => write ? MayWrite : MayRead;

    internal Vma Slice(ulong start, ulong end, Prot prot) =>
        new(start, end, prot, Flags, File, File is null ? 0 : FileOffset + (long)(start - Start));
}
