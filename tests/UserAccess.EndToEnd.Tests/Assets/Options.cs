using System;
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace EndToEnd;

/// <summary>A file system's inode whose folio lock its page-fault handler takes (the gfs2 lesson).</summary>
public sealed class Inode
{
    public Inode(Machine machine) => FolioLock = new KernelMutex(machine, "folio_lock");

    public KernelMutex FolioLock { get; }
}

/// <summary>A vendor API that cannot be annotated; it blocks.</summary>
public static class VendorIo
{
    public static void WaitForCompletion(int ticket)
    {
        _ = ticket;
    }
}

/// <summary>Bugs that only the rule options (useraccess.fault_path_locks, useraccess.might_sleep_methods) reveal.</summary>
public static class OptionsUsers
{
    public static int ReadUnderFolioLock(Inode inode, Span<byte> buffer, UserPtr src)
    {
        if (inode.FolioLock.LockKillable() != 0)
            return -EINTR;
        int notCopied = CopyFromUser(buffer, src);
        inode.FolioLock.Unlock();
        return notCopied != 0 ? -EFAULT : 0;
    }

    public static void WaitWithPreemptionOff(int ticket)
    {
        PreemptDisable();
        VendorIo.WaitForCompletion(ticket);
        PreemptEnable();
    }
}
