// A shape the UA5001 fix declines, from its NoFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;
using System;
using UserAccess.Runtime.Annotations;

namespace FixAll.UA5001.Declined;

public static class NoErrno
{
    public static void Touch(UserPtr<uint> p)
    {
        PutUser(1u, p);
    }

    [ReturnsBytesNotCopied]
    public static int CopyHelper(UserPtr p, byte[] buf)
    {
        FaultInReadable(p, buf.Length);
        return CopyFromUser(buf, p);
    }
}
