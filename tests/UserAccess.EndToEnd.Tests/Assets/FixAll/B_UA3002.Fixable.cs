// A shape the UA3002 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA3002.Fixable;

public static class Enablers
{
    public static int Set(UserPtr uaddr, int size, int bit)
    {
        if ((uaddr.Address & (ulong)(size - 1)) != 0)
            return -EINVAL;
        // set the bit with faults disabled
        PagefaultDisable();
        int ret = SetBitUserInatomic(uaddr, size, bit);
        PagefaultEnable();
        return ret;
    }
}
