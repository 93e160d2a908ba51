// A shape the UA4003 fix declines, from its NoFix tests: a round that skips the end of the body.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;
using System;

namespace FixAll.UA4003.Declined;

public static class Counter
{
    public static long Copied(UserPtr p, byte[] kbuf, int len)
    {
        long done = 0;
        while (done < len)
        {
            int n = (int)Math.Min(len - done, 4096);
            if (CopyFromUser(kbuf.AsSpan(0, n), p + done) != 0)
            {
                done += 0;
                continue;
            }

            done += n;
        }

        return done;
    }
}
