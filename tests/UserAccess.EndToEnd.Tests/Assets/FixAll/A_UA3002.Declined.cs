// A shape the UA3002 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA3002.Declined;

public static class Unfixable
{
    public static int Wrong(UserPtr uaddr, int bit)
    {
        if ((uaddr.Address & 1) != 0)
            return -EINVAL;
        PagefaultDisable();
        int ret = SetBitUserInatomic(uaddr, 2, bit);
        PagefaultEnable();
        return ret;
    }

    public static bool Flag(UserPtr uaddr, int size, int bit)
    {
        if ((uaddr.Address & (ulong)(size - 1)) != 0)
            return false;
        PagefaultDisable();
        int ret = SetBitUserInatomic(uaddr, size, bit);
        PagefaultEnable();
        return ret == 0;
    }
}
