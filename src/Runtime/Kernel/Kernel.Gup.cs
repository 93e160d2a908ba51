using System;
using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

public static partial class Kernel
{
    /// <summary><c>fault_in_readable()</c>: reads a byte at <paramref name="p"/> and at each following page start; the number of bytes NOT faulted in.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsBytesNotFaultedIn]
    [FaultsIn(AccessKind.Read, Pointer = "p", Size = "size")]
    public static int FaultInReadable(UserPtr p, int size) => throw new NotImplementedException();

    /// <summary><c>fault_in_writeable()</c>: WRITES a zero byte at <paramref name="p"/> and at each following page start (destructive); the number of bytes NOT faulted in.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsBytesNotFaultedIn]
    [FaultsIn(AccessKind.Write, Pointer = "p", Size = "size")]
    public static int FaultInWriteable(UserPtr p, int size) => throw new NotImplementedException();

    /// <summary><c>fault_in_safe_writeable()</c>: non-destructive, <c>fixup_user_fault(FAULT_FLAG_WRITE)</c> page by page under the mmap read lock (killable); the number of bytes NOT faulted in.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsBytesNotFaultedIn]
    [FaultsIn(AccessKind.Write, Pointer = "p", Size = "size")]
    public static int FaultInSafeWriteable(UserPtr p, int size) => throw new NotImplementedException();

    /// <summary><c>fault_in_subpage_writeable()</c>: like <see cref="FaultInWriteable"/> and also probes every MTE granule; the number of bytes NOT faulted in.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsBytesNotFaultedIn]
    [FaultsIn(AccessKind.Write, Pointer = "p", Size = "size")]
    public static int FaultInSubpageWriteable(UserPtr p, int size) => throw new NotImplementedException();

    /// <summary><c>fixup_user_fault(mm, address, flags, NULL)</c>: resolves one fault with the mmap lock held for read; <c>0</c>, <c>-EFAULT</c>, <c>-ENOMEM</c> or <c>-EINTR</c>.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static int FixupUserFault(Mm mm, UserPtr address, FaultFlags flags) => throw new NotImplementedException();

    /// <summary><c>fixup_user_fault(mm, address, flags, &amp;unlocked)</c>: adds <c>FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE</c> and reports whether the lock was dropped and retaken; <c>0</c> or <c>-errno</c>.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    [ReturnsErrno]
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static int FixupUserFault(Mm mm, UserPtr address, FaultFlags flags, out bool unlocked) => throw new NotImplementedException();

    /// <summary><c>pin_user_pages_unlocked()</c>: the number of pages pinned, or <c>-errno</c>; with <see cref="GupFlags.NoFault"/> only present, suitably writable pages.</summary>
    [ResolvesFaults]
    [MightSleep]
    [MustCheck]
    public static int PinUserPagesUnlocked(UserPtr start, int nrPages, PinnedPage[] pages, GupFlags flags) => throw new NotImplementedException();

    /// <summary><c>unpin_user_page()</c>.</summary>
    public static void UnpinUserPage(PinnedPage page) => throw new NotImplementedException();
}
