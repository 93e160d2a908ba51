// Corpus for the half-typed-code meta-test (engine rules): the UMCG helpers as posted and fixed,
// summaries through helpers, regions entered by user methods, goto-style cleanup, using scopes,
// lambdas and local functions. Buggy and fixed code side by side: the analyzers must not throw on
// any prefix of it.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Corpus.EngineUmcg;

public static class Umcg
{
    [EntersRegion(Region.Nofault)]
    public static void UserAccessBegin() => PagefaultDisable();

    [ExitsRegion(Region.Nofault)]
    public static void UserAccessEnd() => PagefaultEnable();

    public static int FixPagefault(Mm mm, UserPtr uaddr, bool write)
    {
        MmapReadLock(mm);
        int ret = FixupUserFault(mm, uaddr, write ? FaultFlags.Write : FaultFlags.None);
        MmapReadUnlock(mm);
        return ret < 0 ? -EFAULT : 0;
    }

    public static int XchgUser64AsPosted(Mm mm, UserPtr<ulong> uaddr, ref ulong val)
    {
        int ret;
        PagefaultDisable();
        while (true)
        {
            ret = XchgUserInatomic(uaddr, val, out ulong old);
            if (ret == 0)
            {
                val = old;
                break;
            }

            if (ret == -EFAULT)
            {
                ret = FixPagefault(mm, uaddr, true);
                if (ret != 0)
                    break;
                continue;
            }

            break;
        }

        PagefaultEnable();
        return ret;
    }

    public static int XchgUser64Fixed(UserPtr<ulong> uaddr, ref ulong val)
    {
        int ret;
        while (true)
        {
            UserAccessBegin();
            ret = XchgUserInatomic(uaddr, val, out ulong old);
            UserAccessEnd();
            if (ret == 0)
                val = old;
            if (ret != -EFAULT)
                break;
            if (FatalSignalPending())
            {
                ret = -EINTR;
                break;
            }

            ret = FaultInUserWriteable(uaddr);
            if (ret != 0)
                break;
        }

        return ret;
    }

    [AtomicContext]
    public static int WqWorkerSleeping(Mm mm, UserPtr<ulong> state, KernelSpinlock lk)
    {
        int ret = 0;
        lk.Lock();
        if (state.Address == 0)
        {
            ret = -EINVAL;
            goto out_unlock;
        }

        using (NoFault())
        {
            ret = GetUser(out ulong v, state);
            if (ret == 0 && v == 0)
                ret = -EAGAIN;
        }

        Func<int> later = () => FixPagefault(mm, state, false);
        int Retry() => later() == 0 ? GetUser(out _, state) : -EFAULT;
        if (ret == -EFAULT)
            ret = -EAGAIN;
        if (ret == -EAGAIN && Retry() == 0)
            ret = 0;

    out_unlock:
        lk.Unlock();
        return ret;
    }

    public static int CmpxchgWithKillableLock(Mm mm, UserPtr<uint> uaddr, uint expected, uint newval)
    {
        int ret = MmapReadLockKillable(mm);
        if (ret != 0)
            return ret;
        try
        {
            PagefaultDisable();
            ret = CmpxchgUserInatomic(uaddr, expected, newval, out uint actual);
            PagefaultEnable();
            if (ret == 0 && actual != expected)
                ret = -EAGAIN;
            if (ret == -EFAULT)
                ret = FixupUserFault(mm, uaddr, FaultFlags.Write, out bool unlocked) == 0 && !unlocked ? -EAGAIN : -EFAULT;
        }
        finally
        {
            MmapReadUnlock(mm);
        }

        return ret;
    }
}
