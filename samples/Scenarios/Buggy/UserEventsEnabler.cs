using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Buggy;

/// <summary>The <c>user_events</c> enabler update (kernel/trace/trace_events_user.c), big-endian bug class.</summary>
public static class UserEvents
{
    /// <summary>
    /// Sets bit <paramref name="bit"/> of the <paramref name="size"/>-byte enabler word at
    /// <paramref name="uaddr"/> that a user program registered, so that it sees its event enabled.
    /// </summary>
    /// <remarks>
    /// The bug: the word is treated as bytes in memory order (bit % 8 of byte bit / 8, what
    /// <c>set_bit_le()</c> does), which is right on little-endian only: on big-endian byte 7 of a u64
    /// holds value bits 0..7, so "bit 63" lands in bit 7. Nor are size and bit validated (the
    /// registration ioctl's checks): size 3 is accepted and bit 64 writes the byte after the word.
    /// The read-modify-write of the byte is not atomic against the user's own updates either.
    /// </remarks>
    public static int EnablerSetBit(UserPtr uaddr, int size, int bit)
    {
        UserPtr<byte> ptr = (uaddr + bit / 8).Cast<byte>();
        byte mask = (byte)(1 << (bit % 8));
        int ret;

        if (!AccessOk(ptr, sizeof(byte)))
        {
            return -EFAULT;
        }

        while (true)
        {
            PagefaultDisable();
            ret = GetUserUnchecked(out byte val, ptr);
            if (ret == 0)
            {
                ret = PutUserUnchecked((byte)(val | mask), ptr);
            }

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

            ret = FaultInUserWriteable(ptr);
            if (ret != 0)
            {
                break;
            }
        }

        return ret;
    }
}
