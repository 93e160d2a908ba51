// A shape the UA1002 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA1002.Fixable;

public static class Umcg
{
    public static int Xchg(UserPtr<uint> uaddr, uint newval, out uint oldval)
    {
        int ret;

        PagefaultDisable();
        // the access: never handles a fault
        ret = XchgUserInatomic(uaddr, newval, out oldval);
        if (ret == -EFAULT)
            ret = FaultInUserWriteable(uaddr); // fix_pagefault()
        // faults on again
        PagefaultEnable();

        return ret;
    }
}
