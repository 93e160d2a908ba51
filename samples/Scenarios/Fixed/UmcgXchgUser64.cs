using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Fixed;

/// <summary>The UMCG user-memory helpers with the review applied: natural alignment checked, the canonical retry loop.</summary>
public static partial class Umcg
{
    /// <summary>
    /// <c>xchg_user_64()</c>: exchange a 64-bit value in user memory; <c>0</c> with
    /// <paramref name="oldval"/>, <c>-EINVAL</c> for a misaligned address, <c>-EFAULT</c>, <c>-EINTR</c>.
    /// </summary>
    public static int XchgUser64(UserPtr<ulong> uaddr, ulong newval, out ulong oldval)
    {
        int ret;

        oldval = 0;

        // A misaligned u64 takes an alignment fault (arm64: -EFAULT with the page present, which no
        // fault-in can fix) or splits a cache line (x86-64: split-lock #AC). Refuse it up front, as
        // get_futex_key() does for a misaligned futex.
        if ((uaddr.Address & (sizeof(ulong) - 1)) != 0)
        {
            return -EINVAL;
        }

        while (true)
        {
            PagefaultDisable();
            ret = XchgUserInatomic(uaddr, newval, out oldval);
            PagefaultEnable();

            if (ret != -EFAULT)
            {
                break;
            }

            if (FatalSignalPending())
            {
                ret = -EINTR;
                break;
            }

            // The cold path: the access took a fault; resolve it with faults enabled and retry.
            // A fault-in that fails means the fault is permanent: give up rather than spin.
            ret = FaultInUserWriteable(uaddr);
            if (ret != 0)
            {
                break;
            }
        }

        return ret;
    }
}
