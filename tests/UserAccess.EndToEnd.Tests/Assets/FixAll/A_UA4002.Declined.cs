// A shape the UA4002 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;
using System;

namespace FixAll.UA4002.Declined;

public static class Used
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
            ret = FaultInUserWriteable(uaddr);
            if (ret != 0)
                CondResched();
        }

        return ret;
    }

    public static int Read(UserPtr p, byte[] kbuf, int len, ref int missing)
    {
        while (true)
        {
            PagefaultDisable();
            int left = CopyFromUser(kbuf.AsSpan(0, len), p);
            PagefaultEnable();
            if (left == 0)
                return 0;
            int notFaulted = FaultInReadable(p, len);
            missing += notFaulted;
        }
    }

    public static int SwapUntilStopped(UserPtr<uint> uaddr, uint newval, bool stop)
    {
        int ret = 0;
        uint oldval;
        while (!stop)
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, newval, out oldval);
            PagefaultEnable();
            if (ret != -EFAULT)
                return ret;
            ret = FaultInUserWriteable(uaddr);
        }

        return ret < 0 ? ret : 0;
    }
}
