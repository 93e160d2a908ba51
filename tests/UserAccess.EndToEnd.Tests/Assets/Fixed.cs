using System;
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace EndToEnd;

/// <summary>The operations of Buggy.cs, written the way the rules ask.</summary>
public static class Fixed
{
    /// <summary>Takes a snapshot under the mmap lock and copies it to user space after releasing it.</summary>
    public static int ReportAfterUnlock(Mm mm, UserPtr dst, ReadOnlySpan<byte> report)
    {
        if (MmapReadLockKillable(mm) != 0)
            return -EINTR;
        Span<byte> snapshot = stackalloc byte[64];
        int length = Math.Min(report.Length, snapshot.Length);
        report.Slice(0, length).CopyTo(snapshot);
        MmapReadUnlock(mm);
        // The copy may fault and sleep: the lock is no longer held.
        if (CopyToUser(dst, snapshot.Slice(0, length)) != 0)
            return -EFAULT;
        return 0;
    }

    /// <summary>Reads a flag word from user space and passes a fault on.</summary>
    public static int ReadFlag(UserPtr<uint> uaddr, out uint flag)
    {
        if (GetUser(out flag, uaddr) != 0)
            return -EFAULT;
        return 0;
    }
}
