// A shape the UA3003 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;
using System;

namespace FixAll.UA3003.Fixable;

public static class NameIoctl
{
    const uint MaxName = 64;

    public static int SetName(UserPtr ureq, byte[] kname)
    {
        // ureq->len is at offset 4, the name at offset 8
        if (GetUser(out uint len, (ureq + 4).Cast<uint>()) != 0)
            return -EFAULT;
        if (len > MaxName || len > kname.Length)
            return -EINVAL;

        // fetch the length again for the copy
        if (GetUser(out uint n, (ureq + 4).Cast<uint>()) != 0) // user space may have changed it
            return -EFAULT;
        return CopyFromUser(kname.AsSpan(0, (int)n), ureq + 8) != 0 ? -EFAULT : (int)n;
    }
}
