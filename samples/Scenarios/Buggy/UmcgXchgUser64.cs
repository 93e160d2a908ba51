using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Buggy;

/// <summary>
/// The UMCG user-memory helpers as posted in the v0.x series (kernel/sched/umcg.h), before review.
/// </summary>
public static partial class Umcg
{
    /// <summary>
    /// <c>xchg_user_64()</c>: exchange a 64-bit value in user memory, fixing up faults and retrying.
    /// </summary>
    /// <remarks>
    /// The bug (Peter Zijlstra's review of the UMCG series): nothing checks that <paramref name="uaddr"/>
    /// is naturally aligned. A u64 that splits a cache line takes a split-lock #AC on x86-64 (split lock
    /// detection on); a misaligned exclusive takes an alignment fault on arm64. Both come back as
    /// <c>-EFAULT</c> with the page present, so <c>fix_pagefault()</c> "succeeds" every time and the loop
    /// never ends.
    /// </remarks>
    public static int XchgUser64(UserPtr<ulong> uaddr, ulong newval, out ulong oldval)
    {
        while (true)
        {
            int ret;
            ulong @out;

            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, newval, out @out);
            PagefaultEnable();

            if (ret == 0)
            {
                oldval = @out;
                return 0;
            }

            // WARN_ONCE(ret != -EFAULT, "Unexpected error")
            if (ret != -EFAULT)
            {
                oldval = 0;
                return -EFAULT;
            }

            ret = FixPagefault(uaddr, true);
            if (ret != 0)
            {
                oldval = 0;
                return -EFAULT;
            }
        }
    }
}
