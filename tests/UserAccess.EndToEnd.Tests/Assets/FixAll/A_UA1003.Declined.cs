// A shape the UA1003 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA1003.Declined;

public static class Unclear
{
    public static int NeverReleased(KernelMutex lk)
    {
        lk.Lock();
        return 0;
    }

    public static int ReleasedOnOnePathOnly(KernelMutex lk, bool early)
    {
        lk.Lock();
        if (early)
        {
            lk.Unlock();
            return 1;
        }

        if (early)
            return 2;
        lk.Unlock();
        return 0;
    }

    public static int OutVarUsedAfter(KernelMutex lk, UserPtr<uint> uaddr)
    {
        lk.Lock();
        if (uaddr.Address == 0)
            return -EINVAL;
        int ret = GetUser(out var val, uaddr);
        lk.Unlock();
        return ret != 0 ? ret : (int)val;
    }

    public static void EnableWithoutDisable()
    {
        PagefaultEnable();
    }
}
