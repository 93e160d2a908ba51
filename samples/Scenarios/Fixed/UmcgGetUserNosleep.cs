using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Fixed;

public static partial class Umcg
{
    /// <summary>
    /// <c>get_user_nosleep()</c>: read a u64 from user memory where the caller cannot sleep (the
    /// UMCG scheduler hooks run with preemption disabled); <c>0</c>, or <c>-EFAULT</c> when the page
    /// is not there.
    /// </summary>
    /// <remarks>
    /// It only ever tries the nofault read. Resolving the fault takes <c>mmap_lock</c> and may wait
    /// for I/O, so on <c>-EFAULT</c> the caller fails the fast path and retries from a context that
    /// can sleep, after faulting the page in itself.
    /// </remarks>
    [AtomicContext]
    public static int GetUserNosleep(UserPtr<ulong> uaddr, out ulong val)
    {
        int ret = -EFAULT;

        val = 0;
        if (AccessOk(uaddr, sizeof(ulong)))
        {
            PagefaultDisable();
            ret = GetUserUnchecked(out val, uaddr);
            PagefaultEnable();
        }

        return ret;
    }
}
