// Corpus (issue 4): user atomics, bit operations and double fetches, buggy and fixed.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

class Umcg
{
    static int FixPagefault(Mm mm, UserPtr uaddr, bool write)
    {
        MmapReadLock(mm);
        int ret = FixupUserFault(mm, uaddr, write ? FaultFlags.Write : FaultFlags.None);
        MmapReadUnlock(mm);
        return ret < 0 ? ret : 0;
    }

    // xchg_user_64 as posted: UA3001 and UA1002.
    static int XchgUser64(Mm mm, UserPtr<ulong> uaddr, ref ulong val)
    {
        int ret;
        if (!AccessOk(uaddr, sizeof(ulong)))
            return -EFAULT;

        PagefaultDisable();
        while (true)
        {
            ret = XchgUserInatomic(uaddr, val, out ulong old);
            if (ret == 0)
            {
                val = old;
                break;
            }

            if (FixPagefault(mm, uaddr, true) < 0)
                break;
        }

        PagefaultEnable();
        return ret;
    }
}

class Futex
{
    static int FutexAtomicOpInuser([RequiresAlignment] UserPtr<uint> uaddr, int oparg, out int oldval)
    {
        PagefaultDisable();
        int ret = ArchFutexAtomicOpInuser(FutexOp.Add, oparg, out oldval, uaddr);
        PagefaultEnable();
        return ret;
    }

    static int WakeOp(UserPtr<uint> uaddr2, int oparg)
    {
        ulong address = uaddr2.Address;
        if ((address % sizeof(uint)) != 0)
            return -EINVAL;
        int op, oldval;
    retry:
        op = FutexAtomicOpInuser(uaddr2, oparg, out oldval);
        if (op < 0)
        {
            if (op != -EFAULT)
                return op;
            int ret = FaultInUserWriteable(uaddr2);
            if (ret != 0)
                return ret;
            goto retry;
        }

        return oldval;
    }
}

class UserEvents
{
    static int EnablerUpdate(UserPtr enableAddr, int enableSize, int enableBit, bool on)
    {
        if (enableSize != 4 && enableSize != 8)
            return -EINVAL;
        if (enableAddr.Address % (ulong)enableSize != 0)
            return -EINVAL;
        if (enableBit < 0 || enableBit > (enableSize * 8) - 1)
            return -EINVAL;
        PagefaultDisable();
        int ret = on
            ? SetBitUserInatomic(enableAddr, enableSize, enableBit)
            : ClearBitUserInatomic(enableAddr, enableSize, enableBit);
        PagefaultEnable();
        return ret;
    }

    static int Unchecked(UserPtr enableAddr, int enableSize, int enableBit)
    {
        if (enableSize is 4 or 8 && (uint)enableBit < enableSize * 8)
        {
            PagefaultDisable();
            int ret = SetBitUserInatomic(enableAddr, enableSize, enableBit);
            PagefaultEnable();
            return ret;
        }

        return -EINVAL;
    }
}

class Ioctl
{
    static int SetName(UserPtr<uint> ulen, UserPtr data, byte[] kbuf)
    {
        if (GetUser(out uint len, ulen) != 0)
            return -EFAULT;
        if (len > kbuf.Length)
            return -EINVAL;
        if (GetUser(out uint again, ulen) != 0)
            return -EFAULT;
        return CopyFromUser(kbuf.AsSpan(0, (int)again), data) != 0 ? -EFAULT : 0;
    }
}
