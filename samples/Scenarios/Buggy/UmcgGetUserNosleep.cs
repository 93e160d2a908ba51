using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Buggy;

public static partial class Umcg
{
    /// <summary>
    /// <c>get_user_nosleep()</c> "with inline fixup": read a u64 from user memory on the UMCG
    /// scheduler hooks, where preemption is disabled, and fix the fault inline when the nofault read
    /// fails. (The posted macro called <c>fix_pagefault()</c> inside its <c>pagefault_disable()</c>
    /// region; the shape here is that of the series' other helpers.)
    /// </summary>
    /// <remarks>
    /// The bug: the helper exists because "get_user() might sleep and therefore cannot be used in
    /// preempt-disabled regions", yet on a fault it calls <c>fix_pagefault()</c>, which takes
    /// <c>mmap_lock</c> and may wait for the swap-in: "BUG: sleeping function called from invalid
    /// context".
    /// </remarks>
    [AtomicContext]
    public static int GetUserNosleep(UserPtr<ulong> uaddr, out ulong val)
    {
        val = 0;

        if (!AccessOk(uaddr, sizeof(ulong)))
        {
            return -EFAULT;
        }

        while (true)
        {
            int ret;
            ulong @out;

            PagefaultDisable();
            ret = GetUserUnchecked(out @out, uaddr);
            PagefaultEnable();

            if (ret == 0)
            {
                val = @out;
                return 0;
            }

            // WARN_ONCE(ret != -EFAULT, "Unexpected error")
            if (ret != -EFAULT)
            {
                return -EFAULT;
            }

            ret = FixPagefault(uaddr, false);
            if (ret != 0)
            {
                return -EFAULT;
            }
        }
    }

    /// <summary>
    /// <c>fix_pagefault()</c> of the UMCG series: resolve one fault on <paramref name="uaddr"/> under
    /// the mmap lock. It sleeps (the lock, the swap-in): never call it with preemption disabled.
    /// </summary>
    private static int FixPagefault(UserPtr uaddr, bool writeFault)
    {
        Mm mm = Current.Mm;
        int ret;

        MmapReadLock(mm);
        ret = FixupUserFault(mm, uaddr, writeFault ? FaultFlags.Write : FaultFlags.None);
        MmapReadUnlock(mm);

        return ret < 0 ? ret : 0;
    }
}
