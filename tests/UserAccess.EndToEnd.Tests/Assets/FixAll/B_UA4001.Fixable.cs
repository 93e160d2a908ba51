// A shape the UA4001 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA4001.Fixable;

public static class Log
{
    public static int Append(UserPtr to, byte[] data)
    {
        if (FaultInWriteable(to, data.Length) != 0)
            return -EFAULT;
        PagefaultDisable();
        int ret = CopyToUserNofault(to, data);
        PagefaultEnable();
        return ret;
    }
}
