using System;
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace EndToEnd;

/// <summary>Two mistakes that the rules catch: see Fixed.cs for the same operations done right.</summary>
public static class Buggy
{
    /// <summary>Copies a report to user space while holding the mmap lock.</summary>
    public static int ReportUnderLock(Mm mm, UserPtr dst, ReadOnlySpan<byte> report)
    {
        if (MmapReadLockKillable(mm) != 0)
            return -EINTR;
        // UA2002: the copy may fault, and the fault path takes the mmap lock this task holds.
        int notCopied = CopyToUser(dst, report);
        MmapReadUnlock(mm);
        return notCopied != 0 ? -EFAULT : 0;
    }

    /// <summary>Reads a flag word from user space.</summary>
    public static int ReadFlag(UserPtr<uint> uaddr, out uint flag)
    {
        // UA5001: -EFAULT is ignored; flag is then 0, not the user's value.
        GetUser(out flag, uaddr);
        return 0;
    }
}
