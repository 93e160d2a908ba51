using System;
using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

/// <summary>
/// An address space (<c>struct mm_struct</c>): VMAs, the page table, the mmap lock and the shared
/// zero page. The setup methods here are the user program's and the test's side: they may throw.
/// </summary>
public sealed partial class Mm
{
    internal Mm(Machine machine)
    {
        Machine = machine;
        MmapLock = new RwSemaphore(machine, "&mm->mmap_lock");
    }

    /// <summary>The machine this address space lives on.</summary>
    public Machine Machine { get; }

    /// <summary><c>mm->mmap_lock</c>: the page-fault path takes it for read.</summary>
    [TakenInFaultPath]
    public RwSemaphore MmapLock { get; }

    /// <summary>Creates a task that runs in this address space.</summary>
    public TaskStruct CreateTask(string name) => new(this, name);

    /// <summary><c>mmap()</c>: maps <paramref name="length"/> bytes (rounded up to pages) and returns the start.</summary>
    public UserPtr Mmap(ulong length, Prot prot, MapFlags flags = MapFlags.Private | MapFlags.Anonymous, UserPtr hint = default) => throw new NotImplementedException();

    /// <summary><c>munmap()</c>.</summary>
    public void Munmap(UserPtr start, ulong length) => throw new NotImplementedException();

    /// <summary><c>mprotect()</c>.</summary>
    public void Mprotect(UserPtr start, ulong length, Prot prot) => throw new NotImplementedException();

    /// <summary><c>madvise(MADV_DONTNEED)</c>: drops the pages; the next touch faults and zero-fills (anonymous).</summary>
    public void MadviseDontNeed(UserPtr start, ulong length) => throw new NotImplementedException();

    /// <summary>Swaps the pages out: not present; bringing one back in sleeps, as I/O does.</summary>
    public void SwapOut(UserPtr start, ulong length) => throw new NotImplementedException();

    /// <summary>Marks the page at <paramref name="address"/> hardware-poisoned: every access fails, no fault-in can fix it.</summary>
    public void Poison(UserPtr address) => throw new NotImplementedException();

    /// <summary>Sets the MTE allocation tag of every 16-byte granule in the range (arm64, <see cref="Prot.Mte"/> mappings).</summary>
    public void SetMemoryTag(UserPtr start, ulong length, byte tag) => throw new NotImplementedException();

    /// <summary>What the user program itself reads: faults handled as in user mode; SIGSEGV becomes an exception.</summary>
    public void UserRead(UserPtr address, Span<byte> destination) => throw new NotImplementedException();

    /// <summary>What the user program itself writes: faults handled as in user mode; SIGSEGV becomes an exception.</summary>
    public void UserWrite(UserPtr address, ReadOnlySpan<byte> bytes) => throw new NotImplementedException();

    /// <summary>The state of the page holding <paramref name="address"/>, for assertions.</summary>
    public PageState GetPageState(UserPtr address) => throw new NotImplementedException();
}
