using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Fixed;

/// <summary>The <c>user_events</c> enabler update (kernel/trace/trace_events_user.c).</summary>
public static class UserEvents
{
    /// <summary>
    /// Sets bit <paramref name="bit"/> of the <paramref name="size"/>-byte enabler word at
    /// <paramref name="uaddr"/> that a user program registered; <c>0</c>, <c>-EINVAL</c> for a size,
    /// bit or alignment the ABI does not allow, <c>-EFAULT</c>, <c>-EINTR</c>.
    /// </summary>
    /// <remarks>
    /// The checks are those of <c>user_reg_get()</c>: only 32- and 64-bit enablers, a bit inside the
    /// word, natural alignment (so the word never straddles a page). The bit is numbered in the
    /// word's value, which the user-word bit op honours on both endiannesses. The update runs with
    /// page faults disabled; the fault-in is on the cold path only, after a fault.
    /// </remarks>
    public static int EnablerSetBit(UserPtr uaddr, int size, int bit)
    {
        int ret;

        // Ensure only valid enable_size
        if (size != 4 && size != 8)
        {
            return -EINVAL;
        }

        // Ensure enable_bit is within size
        if (bit < 0 || bit > size * 8 - 1)
        {
            return -EINVAL;
        }

        // Ensure natural alignment
        if ((uaddr.Address & (ulong)(size - 1)) != 0)
        {
            return -EINVAL;
        }

        while (true)
        {
            PagefaultDisable();
            ret = SetBitUserInatomic(uaddr, size, bit);
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

            ret = FaultInUserWriteable(uaddr);
            if (ret != 0)
            {
                break;
            }
        }

        return ret;
    }
}
