using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Fixed;

/// <summary>arch/arc/kernel/process.c: <c>sys_arc_usr_cmpxchg</c> after the 2018 rework (commit e8708786d4fe), in the canonical loop's shape.</summary>
public static class Arc
{
    /// <summary>
    /// <c>SYSCALL_DEFINE3(arc_usr_cmpxchg, int __user *, uaddr, int, expected, int, new)</c>: the old
    /// value, with Z set in <c>STATUS32</c> when the exchange happened; <c>-errno</c> and SIGSEGV
    /// when the word cannot be made writable.
    /// </summary>
    /// <remarks>
    /// Preemption is disabled around the read-compare-write to make it atomic on a UP core, so
    /// neither access may handle a fault there. A failed access ends the atomic section; the page
    /// is faulted in writeable with preemption enabled (a never-written page is the read-only zero
    /// page until the write fault breaks COW) and the whole compare-and-exchange is retried. The
    /// kernel's version does this with <c>goto again</c> and <c>fixup_user_fault(FAULT_FLAG_WRITE)</c>
    /// under <c>mmap_read_lock()</c>, which is what <c>fault_in_user_writeable()</c> is.
    /// </remarks>
    public static int ArcUsrCmpxchg(UserPtr<int> uaddr, int expected, int newval, PtRegs regs)
    {
        int uval = 0;
        int ret;

        // Z indicates to userspace if operation succeeded
        regs.Status32 &= ~PtRegs.STATUS_Z_MASK;

        if (!AccessOk(uaddr, sizeof(int)))
        {
            ForceSig(Signal.SIGSEGV);
            return -EFAULT;
        }

        while (true)
        {
            // This is only for old cores lacking LLOCK/SCOND, which by definition can't possibly
            // be SMP. Thus doesn't need to be SMP safe.
            PreemptDisable();
            ret = GetUserUnchecked(out uval, uaddr);
            if (ret == 0 && uval == expected)
            {
                ret = PutUserUnchecked(newval, uaddr);
                if (ret == 0)
                {
                    regs.Status32 |= PtRegs.STATUS_Z_MASK;
                }
            }

            PreemptEnable();

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

        if (ret != 0)
        {
            ForceSig(Signal.SIGSEGV);
            return ret;
        }

        return uval;
    }
}
