using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Buggy;

/// <summary>arch/arc/kernel/process.c: <c>sys_arc_usr_cmpxchg</c> as added in 2016, before Peter Zijlstra's 2018 rework (commit e8708786d4fe).</summary>
public static class Arc
{
    /// <summary>
    /// <c>SYSCALL_DEFINE3(arc_usr_cmpxchg, int __user *, uaddr, int, expected, int, new)</c>: the
    /// compare-and-exchange that user space on cores without LLOCK/SCOND asks the kernel for; the
    /// old value, with Z set in <c>STATUS32</c> when the exchange happened.
    /// </summary>
    /// <remarks>
    /// The bug: <c>__put_user()</c> runs with preemption disabled, so a fault cannot be handled and
    /// it fails on a page that is not writable yet (a never-written page maps the zero page
    /// read-only). Its result is ignored and Z reports success: user space reads the stale value.
    /// </remarks>
    public static int ArcUsrCmpxchg(UserPtr<int> uaddr, int expected, int newval, PtRegs regs)
    {
        int uval = -EFAULT;

        // Z indicates to userspace if operation succeeded
        regs.Status32 &= ~PtRegs.STATUS_Z_MASK;

        if (!AccessOk(uaddr, sizeof(int)))
        {
            return -EFAULT;
        }

        // This is only for old cores lacking LLOCK/SCOND, which by definition can't possibly be
        // SMP. Thus doesn't need to be SMP safe.
        PreemptDisable();

        if (GetUserUnchecked(out uval, uaddr) != 0)
        {
            goto done;
        }

        if (uval == expected)
        {
            PutUserUnchecked(newval, uaddr);
            regs.Status32 |= PtRegs.STATUS_Z_MASK;
        }

    done:
        PreemptEnable();

        return uval;
    }
}
