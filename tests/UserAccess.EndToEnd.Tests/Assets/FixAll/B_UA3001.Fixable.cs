// A shape the UA3001 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA3001.Fixable;

public static class Enablers
{
    public static int Set(UserPtr uaddr, int size, int bit)
    {
        if (size != 4 && size != 8)
            return -EINVAL;
        if (bit < 0 || bit >= size * 8)
            return -EINVAL;
        // set the bit with faults disabled
        PagefaultDisable();
        int ret = SetBitUserInatomic(uaddr, size, bit);
        PagefaultEnable();
        return ret;
    }

    public static int Cmpxchg(UserPtr<uint> uaddr, uint oldval, uint newval)
    {
        if (oldval == newval)
            return 0;
        PagefaultDisable();
        int ret = CmpxchgUserInatomic(uaddr, oldval, newval, out uint actual);
        PagefaultEnable();
        return ret;
    }

    public static int OutAssignedOnlyByTheOp(UserPtr<ulong> uaddr, out ulong old)
    {
        PagefaultDisable();
        int ret = XchgUserInatomic(uaddr, 1ul, out old);
        PagefaultEnable();
        return ret;
    }
}
