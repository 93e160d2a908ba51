using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Buggy;

/// <summary>
/// The UMCG user-memory helpers (kernel/sched/umcg_uaccess.h of the UMCG RFC series, 2021), in the
/// shape of the later revisions (<c>umcg_cmpxchg_64_user()</c> and friends): page faults disabled
/// around the access only, <c>fix_pagefault()</c> after it. The first revisions even called
/// <c>fix_pagefault()</c> inside the <c>pagefault_disable()</c> region.
/// </summary>
public static partial class Umcg
{
    /// <summary>
    /// <c>xchg_user_64()</c>: exchange a 64-bit value in user memory, fixing up faults and retrying.
    /// </summary>
    /// <remarks>
    /// The bug, as the review in the thread put it: nothing checks that <paramref name="uaddr"/> is
    /// naturally aligned. A misaligned exclusive takes an alignment fault on arm64, which the
    /// exception table turns into <c>-EFAULT</c> with the page present, so <c>fix_pagefault()</c>
    /// "succeeds" every time and the loop never ends. A u64 that splits a cache line takes a
    /// split-lock #AC on x86-64; the review expected the same <c>-EFAULT</c> (and the simulator
    /// models it so), while <c>exc_alignment_check()</c> in fact dies ("Split lock detected") on a
    /// kernel-mode #AC. Either way the call never completes.
    /// </remarks>
    public static int XchgUser64(UserPtr<ulong> uaddr, ulong newval, out ulong oldval)
    {
        oldval = 0;

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
                return -EFAULT;
            }

            ret = FixPagefault(uaddr, true);
            if (ret != 0)
            {
                return -EFAULT;
            }
        }
    }
}
