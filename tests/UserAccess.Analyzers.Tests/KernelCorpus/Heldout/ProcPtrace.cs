// Held out: code the rules were not tuned on. kernel/ptrace.c PTRACE_PEEKDATA and PTRACE_PEEKSIGINFO,
// fs/proc/base.c /proc/pid/mem and /proc/pid/environ (loops over another task's memory through
// access_remote_vm(), whose gup loop stops on a fatal signal), and mm/memory.c __access_remote_vm() before
// and after "mm: use down_read_killable for locking mmap_sem in access_remote_vm" (Konstantin Khlebnikov,
// v5.2). The page-table walks and page copies are stubs.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.ProcPtrace;

public sealed class Sighand(KernelSpinlock siglock)
{
    /// <summary>sighand_struct::siglock.</summary>
    public KernelSpinlock Siglock = siglock;
}

public sealed class PtraceChild(Sighand sighand)
{
    public Sighand Sighand = sighand;

    /// <summary>The queued siginfos of child->pending (or of the shared queue), 128 bytes each.</summary>
    public byte[][] Pending = Array.Empty<byte[]>();
}

public static class Ptrace
{
    private const int SIZEOF_SIGINFO = 128;
    private const int EIO_ = 5;
    private const uint PTRACE_PEEKSIGINFO_SHARED = 1;

    // kernel/ptrace.c, generic_ptrace_peekdata(), v5.10. Correct: the word is read from the tracee with
    // ptrace_access_vm() and stored with put_user(), whose errno is the result.
    public static int GenericPtracePeekdata(PtraceChild tsk, ulong addr, UserPtr data) // expect: none
    {
        ulong tmp;
        int copied;

        copied = Helpers.PtraceAccessVm(tsk, addr, out tmp);
        if (copied != sizeof(ulong))
            return -EIO_;
        return PutUser(tmp, data.Cast<ulong>());
    }

    // kernel/ptrace.c, ptrace_peek_siginfo(), v5.10 (native siginfo only; the list walk is a stub).
    // Correct: the queue is walked under siglock with irqs off, the copy to user space is made after both
    // are dropped, and the loop over the caller's nr tests signal_pending() every record.
    public static int PtracePeekSiginfo(PtraceChild child, UserPtr addr, UserPtr data) // expect: none
    {
        var arg = new byte[16];
        int ret, i;

        ret = CopyFromUser(arg, addr);
        if (ret != 0)
            return -EFAULT;

        /* struct ptrace_peeksiginfo_args: off at 0, flags at 8, nr at 12. */
        uint flags = BitConverter.ToUInt32(arg, 8);
        int nr = BitConverter.ToInt32(arg, 12);
        ulong argOff = BitConverter.ToUInt64(arg, 0);

        if ((flags & ~PTRACE_PEEKSIGINFO_SHARED) != 0)
            return -EINVAL; /* unknown flags */

        if (nr < 0)
            return -EINVAL;

        for (i = 0; i < nr;)
        {
            var info = new byte[SIZEOF_SIGINFO];
            ulong off = argOff + (ulong)i;
            bool found = false;

            LocalIrqDisable();
            child.Sighand.Siglock.Lock();
            found = Helpers.NthQueued(child, off, info);
            child.Sighand.Siglock.Unlock();
            LocalIrqEnable();

            if (!found) /* beyond the end of the list */
                break;

            /* copy_siginfo_to_user() */
            if (CopyToUser(data, info) != 0)
            {
                ret = -EFAULT;
                break;
            }

            data += SIZEOF_SIGINFO;
            i++;

            if (SignalPending())
                break;

            CondResched();
        }

        if (i > 0)
            return i;

        return ret;
    }
}

public static class ProcBase
{
    private const int PAGE_SIZE = 4096;
    private const int EIO_ = 5;

    // fs/proc/base.c, mem_rw(), v5.10. Correct: /proc/pid/mem moves a page at a time between the caller's
    // buffer and the target mm; access_remote_vm() takes the mmap lock killably and its gup loop gives up
    // on a fatal signal, returning 0, which ends the loop.
    public static long MemRw(Mm? mm, UserPtr buf, long count, ref long ppos, bool write) // expect: none
    {
        ulong addr = (ulong)ppos;
        long copied;
        byte[] page;

        if (mm == null)
            return 0;

        page = new byte[PAGE_SIZE];

        copied = 0;
        if (!Helpers.MmgetNotZero(mm))
            goto free;

        while (count > 0)
        {
            int thisLen = (int)Math.Min(count, PAGE_SIZE);

            if (write && CopyFromUser(page.AsSpan(0, thisLen), buf) != 0)
            {
                copied = -EFAULT;
                break;
            }

            thisLen = Helpers.AccessRemoteVm(mm, addr, page, thisLen, write);
            if (thisLen == 0)
            {
                if (copied == 0)
                    copied = -EIO_;
                break;
            }

            if (!write && CopyToUser(buf, page.AsSpan(0, thisLen)) != 0)
            {
                copied = -EFAULT;
                break;
            }

            buf += thisLen;
            addr += (ulong)thisLen;
            copied += thisLen;
            count -= thisLen;
        }
        ppos = (long)addr;

        Mmput(mm);
    free:
        return copied;
    }

    // fs/proc/base.c, environ_read(), v5.10 (env_start and env_end are read under arg_lock by the stub).
    // Correct: the loop ends at the end of the environment block whatever count the caller passed, and
    // access_remote_vm() fails on a fatal signal.
    public static long EnvironRead(Mm? mm, UserPtr buf, long count, ref long ppos) // expect: none
    {
        byte[] page;
        ulong src = (ulong)ppos;
        long ret = 0;
        ulong envStart, envEnd;

        /* Ensure the process spawned far enough to have an environment. */
        if (mm == null || Helpers.EnvEnd(mm) == 0)
            return 0;

        page = new byte[PAGE_SIZE];

        ret = 0;
        if (!Helpers.MmgetNotZero(mm))
            goto free;

        envStart = Helpers.EnvStart(mm);
        envEnd = Helpers.EnvEnd(mm);

        while (count > 0)
        {
            long thisLen, maxLen;
            int retval;

            if (src >= (envEnd - envStart))
                break;

            thisLen = (long)(envEnd - (envStart + src));

            maxLen = Math.Min(PAGE_SIZE, count);
            thisLen = Math.Min(maxLen, thisLen);

            retval = Helpers.AccessRemoteVm(mm, envStart + src, page, (int)thisLen, write: false);

            if (retval <= 0)
            {
                ret = retval;
                break;
            }

            if (CopyToUser(buf, page.AsSpan(0, retval)) != 0)
            {
                ret = -EFAULT;
                break;
            }

            ret += retval;
            src += (ulong)retval;
            buf += retval;
            count -= retval;
        }
        ppos = (long)src;
        Mmput(mm);

    free:
        return ret;
    }
}

public static class MmMemory
{
    private const int PAGE_SIZE = 4096;

    // mm/memory.c, __access_remote_vm(), v5.1 (get_user_pages_remote() and the kmap copy are stubs).
    // Buggy: /proc/pid/mem, environ, cmdline and ptrace wait here for another task's mmap lock in D state;
    // the fix made the wait killable ("if (down_read_killable(&mm->mmap_sem)) return 0;").
    public static int AccessRemoteVmV51([RemoteMm] Mm mm, ulong addr, byte[] buf, int len, bool write)
    {
        int done = 0;

        MmapReadLock(mm); // expect: UA2001
        /* ignore errors, just check how much was successfully transferred */
        while (len != 0)
        {
            int bytes, ret, offset;

            ret = Helpers.GetUserPagesRemote(mm, addr);
            if (ret <= 0)
                break;

            bytes = len;
            offset = (int)(addr & (PAGE_SIZE - 1));
            if (bytes > PAGE_SIZE - offset)
                bytes = PAGE_SIZE - offset;

            Helpers.CopyPage(mm, addr, buf, done, bytes, write);

            len -= bytes;
            done += bytes;
            addr += (ulong)bytes;
        }
        MmapReadUnlock(mm);

        return done;
    }

    // mm/memory.c, __access_remote_vm(), v5.2 (after "mm: use down_read_killable for locking mmap_sem in
    // access_remote_vm"). Correct: a killed reader leaves with nothing transferred.
    public static int AccessRemoteVm([RemoteMm] Mm mm, ulong addr, byte[] buf, int len, bool write) // expect: none
    {
        int done = 0;

        if (MmapReadLockKillable(mm) != 0)
            return 0;
        /* ignore errors, just check how much was successfully transferred */
        while (len != 0)
        {
            int bytes, ret, offset;

            ret = Helpers.GetUserPagesRemote(mm, addr);
            if (ret <= 0)
                break;

            bytes = len;
            offset = (int)(addr & (PAGE_SIZE - 1));
            if (bytes > PAGE_SIZE - offset)
                bytes = PAGE_SIZE - offset;

            Helpers.CopyPage(mm, addr, buf, done, bytes, write);

            len -= bytes;
            done += bytes;
            addr += (ulong)bytes;
        }
        MmapReadUnlock(mm);

        return done;
    }
}

internal static class Helpers
{
    /// <summary>ptrace_access_vm(): reads a word of the tracee through access_remote_vm(); bytes copied.</summary>
    public static int PtraceAccessVm(PtraceChild tsk, ulong addr, out ulong value)
    {
        value = 0;
        return sizeof(ulong);
    }

    /// <summary>The walk of the pending queue for the off'th siginfo (copy_siginfo()); caller holds siglock.</summary>
    public static bool NthQueued(PtraceChild child, ulong off, byte[] info) => off < (ulong)child.Pending.Length;

    /// <summary>mmget_not_zero(): pins the mm's users unless it is already gone.</summary>
    public static bool MmgetNotZero(Mm mm) => true;

    /// <summary>
    /// access_remote_vm(): copies to or from another mm through get_user_pages_remote(), whose loop tests
    /// fatal_signal_pending() and then stops short; bytes transferred, 0 when nothing was.
    /// </summary>
    [FatalSignalCheck]
    public static int AccessRemoteVm(Mm mm, ulong addr, byte[] buf, int len, bool write) => len;

    /// <summary>mm->env_start, read under mm->arg_lock.</summary>
    public static ulong EnvStart(Mm mm) => 0;

    /// <summary>mm->env_end, read under mm->arg_lock.</summary>
    public static ulong EnvEnd(Mm mm) => 0;

    /// <summary>get_user_pages_remote() of one page; the caller holds the mmap lock.</summary>
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static int GetUserPagesRemote(Mm mm, ulong addr) => 1;

    /// <summary>kmap() and copy_{to,from}_user_page(): kernel memory on both sides.</summary>
    public static void CopyPage(Mm mm, ulong addr, byte[] buf, int offset, int bytes, bool write)
    {
    }
}
