// A shape the UA5003 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA5003.Declined;

public static class Unfixable
{
    public static uint Peek(UserPtr<uint> uaddr)
    {
        if (GetUserUnchecked(out uint v, uaddr) != 0)
            return 0;
        return v;
    }

    public static int CopyName(UserPtr dst, byte[] name)
    {
        for (int i = 0; i < name.Length; i++)
        {
            if (PutUserUnchecked(name[i], (dst + i).Cast<byte>()) != 0)
                return -EFAULT;
        }

        return 0;
    }
}
