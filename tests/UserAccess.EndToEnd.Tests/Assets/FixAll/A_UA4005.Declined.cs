// A shape the UA4005 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA4005.Declined;

public static class Reader
{
    public static int Read(byte[] kbuf, UserPtr ubuf)
    {
        int ret;
        while (true)
        {
            ret = CopyFromUserNofault(kbuf, ubuf);
            if (ret != -EFAULT)
                break;
            if (FaultInReadable(ubuf, kbuf.Length) != 0)
                return -EFAULT;
        }
        return ret;
    }
}
