// A shape the UA1003 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA1003.Fixable;

public static class Peek
{
    public static int Word(UserPtr<uint> uaddr, out uint val)
    {
        val = 0;
        PagefaultDisable();
        int ret = GetUserUnchecked(out val, uaddr);
        if (ret != 0)
            return ret; // leaves with faults disabled
        val++;
        // done with the access
        PagefaultEnable();
        return ret;
    }
}
