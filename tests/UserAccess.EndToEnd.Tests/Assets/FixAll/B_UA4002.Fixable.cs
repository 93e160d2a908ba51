// A shape the UA4002 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA4002.Fixable;

public static class Xchg
{
    public static int Swap(UserPtr<uint> uaddr, uint newval)
    {
        int ret;
        uint oldval;
        while (true)
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, newval, out oldval);
            PagefaultEnable();
            if (ret != -EFAULT)
                break;
            FaultInUserWriteable(uaddr);
        }

        return ret;
    }
}
