// A shape the UA3003 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA3003.Declined;

public static class Attr
{
    public static int CopyAttr(UserPtr uattr, byte[] kattr)
    {
        var header = new byte[4];
        if (CopyFromUser(header, uattr) != 0)
            return -EFAULT;
        if (header[0] > kattr.Length)
            return -EINVAL;
        if (CopyFromUser(kattr, uattr) != 0)
            return -EFAULT;
        return kattr[0];
    }
}
