// fs/proc/base.c (v5.7): lock_trace()/unlock_trace(), helpers that take cred_guard_mutex killably and return
// holding it, and a caller that pairs them; drivers/input/evdev.c (v5.15): evdev_handle_get_val(), which
// hands over from one spinlock to another with irqs off and copies to user space only after both are
// dropped. Correct kernel code: helpers that take or drop locks, killable waits on an ordinary mutex.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.ProcTrace;

public sealed class TaskSignal(KernelMutex credGuardMutex)
{
    public KernelMutex CredGuardMutex = credGuardMutex;
}

public sealed class InputDev(KernelSpinlock eventLock)
{
    public KernelSpinlock EventLock = eventLock;
}

public sealed class EvdevClient(KernelSpinlock bufferLock)
{
    public KernelSpinlock BufferLock = bufferLock;
}

public static class ProcTrace
{
    // fs/proc/base.c, lock_trace(), v5.7. Correct: a killable wait on an ordinary mutex; returns 0 holding
    // it, or an error without it.
    [Acquires("sig.CredGuardMutex", When = AcquiredWhen.ReturnsZero)]
    public static int LockTrace(TaskSignal sig, bool mayAccess) // expect: none
    {
        int err = sig.CredGuardMutex.LockKillable();
        if (err != 0)
            return err;
        if (!mayAccess)
        {
            sig.CredGuardMutex.Unlock();
            return -EPERM;
        }

        return 0;
    }

    // fs/proc/base.c, unlock_trace(), v5.7. Correct: releases what lock_trace() took.
    [Releases("sig.CredGuardMutex")]
    public static void UnlockTrace(TaskSignal sig) // expect: none
    {
        sig.CredGuardMutex.Unlock();
    }

    // fs/proc/base.c, proc_pid_syscall(), v5.7 (the seq_printf() output is a stub). Correct: the helpers
    // pair up on every path.
    public static int ProcPidSyscall(TaskSignal sig, bool mayAccess) // expect: none
    {
        int res;

        res = LockTrace(sig, mayAccess);
        if (res != 0)
            return res;

        Helpers.ShowCurrentSyscall();
        UnlockTrace(sig);
        return 0;
    }
}

public static class Evdev
{
    // drivers/input/evdev.c, evdev_handle_get_val(), v5.15 (bits_to_user() inlined as in its native
    // variant). Correct: event_lock (irqs off) then buffer_lock, event_lock dropped first and buffer_lock
    // dropped with irqs restored; the user copy runs after both, from the kernel snapshot.
    public static int EvdevHandleGetVal(EvdevClient client, InputDev dev, byte[] bits, uint maxbit, uint maxlen, UserPtr p) // expect: none
    {
        int ret;
        byte[] mem;
        int len;

        len = (int)((maxbit + 63) / 64) * sizeof(ulong);
        mem = Kmalloc(len, Gfp.Kernel);

        LocalIrqDisable();
        dev.EventLock.Lock();
        client.BufferLock.Lock();

        bits.AsSpan(0, len).CopyTo(mem);

        dev.EventLock.Unlock();

        Helpers.EvdevFlushQueue(client);

        client.BufferLock.Unlock();
        LocalIrqEnable();

        if (len > maxlen)
            len = (int)maxlen;
        ret = CopyToUser(p, mem.AsSpan(0, len)) != 0 ? -EFAULT : len;
        if (ret < 0)
            Helpers.EvdevQueueSynDropped(client);

        return ret;
    }
}

internal static class Helpers
{
    public static void ShowCurrentSyscall()
    {
    }

    [RequiresLock("client.BufferLock")]
    public static void EvdevFlushQueue(EvdevClient client)
    {
    }

    /// <summary>evdev_queue_syn_dropped(): takes buffer_lock with irqs saved and drops it.</summary>
    public static void EvdevQueueSynDropped(EvdevClient client)
    {
        LocalIrqDisable();
        client.BufferLock.Lock();
        client.BufferLock.Unlock();
        LocalIrqEnable();
    }
}
