// A shape the UA4004 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;
using System;

namespace FixAll.UA4004.Declined;

public static class Chunks
{
    public static int M(UserPtr p, byte[] kbuf, int len)
    {
        int done = 0;
        while (done < len)
        {
            int n = Math.Min(len - done, 4096);
            PagefaultDisable();
            int left = CopyFromUser(kbuf.AsSpan(done, n), p);
            PagefaultEnable();
            if (left != 0)
            {
                if (FaultInReadable(p, n) != 0)
                    return -EFAULT;
                continue;
            }

            p += n;
            done += n;
        }

        return 0;
    }

    public static int Expression(UserPtr p, byte[] kbuf, int len)
    {
        int done = 0;
        while (done < len)
        {
            if (FaultInReadable(p + done, Math.Min(len - done, 4096)) != 0)
                return -EFAULT;
            PagefaultDisable();
            int notCopied = CopyFromUser(kbuf.AsSpan(done, Math.Min(len - done, 4096)), p + done);
            PagefaultEnable();
            done += Math.Min(len - done, 4096) - notCopied;
        }

        return 0;
    }
}
