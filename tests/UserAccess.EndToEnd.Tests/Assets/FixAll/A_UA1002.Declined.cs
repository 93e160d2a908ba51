// A shape the UA1002 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA1002.Declined;

public static class Unclear
{
    public static int ReturnsInside(UserPtr<uint> uaddr, uint newval, out uint oldval)
    {
        PagefaultDisable();
        int ret = XchgUserInatomic(uaddr, newval, out oldval);
        if (ret == -EFAULT && FaultInUserWriteable(uaddr) != 0)
        {
            PagefaultEnable();
            return -EFAULT;
        }
        PagefaultEnable();
        return ret;
    }

    public static int UnderALock(KernelMutex lk, UserPtr<uint> uaddr, uint newval, out uint oldval)
    {
        lk.Lock();
        PagefaultDisable();
        int ret = XchgUserInatomic(uaddr, newval, out oldval);
        if (ret == -EFAULT)
            ret = FaultInUserWriteable(uaddr);
        PagefaultEnable();
        lk.Unlock();
        return ret;
    }
}
