// Shapes the UA1003 fix declines, from its NoFix tests: nothing released to copy before the return, and an enable without its disable.
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

    public static void EnableWithoutDisable()
    {
        PagefaultEnable();
    }
}
