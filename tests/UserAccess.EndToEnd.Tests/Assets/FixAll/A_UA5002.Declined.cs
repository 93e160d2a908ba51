// A shape the UA5002 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;
using UserAccess.Runtime.Annotations;

namespace FixAll.UA5002.Declined;

public static class Unclear
{
    public static int Partial(UserPtr arg, byte[] buf, int n)
    {
        if (CopyFromUser(buf, arg) < n)
            return 1;
        if (CopyFromUser(buf, arg) >= n)
            return n;
        if (CopyFromUser(buf, arg) != n)
            return 2;
        return 0;
    }

    [ReturnsBytesNotCopied]
    public static int Forward(UserPtr to, byte[] buf)
    {
        if (CopyToUser(to, buf) >= buf.Length)
            return buf.Length;
        return 0;
    }
}
