// A shape the UA4005 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA4005.Fixable;

public static class Search
{
    public static int Run(UserPtr ubuf, long bufSize)
    {
        long skOffset = 0;
        int ret;
        while (true)
        {
            ret = -EFAULT;
            if (FaultInWriteable(ubuf + skOffset, bufSize - skOffset) != 0)
                break;
            ret = CopyToUserNofault(ubuf + skOffset, new byte[8]);
            if (ret == 0)
                skOffset += 8;
            if (skOffset >= bufSize)
                break;
        }
        return ret;
    }
}
