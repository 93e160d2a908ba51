// fs/fhandle.c (the handle_to_path() double fetch, CVE-2015-1420, and its fix), fs/exec.c count() before
// and after it became killable (2010), and fs/proc/task_mmu.c show_smaps_rollup() before and after its
// mmap lock became killable (2019).
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.FsMore;

public static class Fhandle
{
    private const int MAX_HANDLE_SZ = 128;
    private const int FILE_HANDLE = 8;

    // fs/fhandle.c, handle_to_path(), v3.19 (before 161f873b8913 "vfs: read file_handle only once in
    // handle_to_path", CVE-2015-1420). Buggy: handle_bytes is checked in the first copy, then the whole
    // handle, handle_bytes included, is copied again and the second value is what do_handle_to_path()
    // trusts. struct file_handle: handle_bytes u32 at 0, handle_type at 4, f_handle[] at 8.
    public static int HandleToPathV319(int mountdirfd, UserPtr ufh, bool capable)
    {
        int retval = 0;
        var fHandle = new byte[FILE_HANDLE];
        byte[] handle;

        if (!capable)
        {
            retval = -EPERM;
            goto out_err;
        }

        if (CopyFromUser(fHandle, ufh) != 0)
        {
            retval = -EFAULT;
            goto out_err;
        }

        uint handleBytes = BitConverter.ToUInt32(fHandle, 0);
        if ((handleBytes > MAX_HANDLE_SZ) || (handleBytes == 0))
        {
            retval = -EINVAL;
            goto out_err;
        }

        handle = new byte[FILE_HANDLE + handleBytes];

        /* copy the full handle */
        if (CopyFromUser(handle.AsSpan(0, (int)(FILE_HANDLE + handleBytes)), ufh) != 0) // expect: UA3003
        {
            retval = -EFAULT;
            goto out_handle;
        }

        retval = Helpers.DoHandleToPath(mountdirfd, handle);

    out_handle:
    out_err:
        return retval;
    }

    // fs/fhandle.c, handle_to_path(), v4.0 (after 161f873b8913). Correct: the checked header is reused and
    // only f_handle is copied the second time.
    public static int HandleToPath(int mountdirfd, UserPtr ufh, bool capable) // expect: none
    {
        int retval = 0;
        var fHandle = new byte[FILE_HANDLE];
        byte[] handle;

        if (!capable)
        {
            retval = -EPERM;
            goto out_err;
        }

        if (CopyFromUser(fHandle, ufh) != 0)
        {
            retval = -EFAULT;
            goto out_err;
        }

        uint handleBytes = BitConverter.ToUInt32(fHandle, 0);
        if ((handleBytes > MAX_HANDLE_SZ) || (handleBytes == 0))
        {
            retval = -EINVAL;
            goto out_err;
        }

        handle = new byte[FILE_HANDLE + handleBytes];

        /* copy the full handle */
        fHandle.CopyTo(handle, 0);
        if (CopyFromUser(handle.AsSpan(FILE_HANDLE, (int)handleBytes), ufh + FILE_HANDLE) != 0)
        {
            retval = -EFAULT;
            goto out_handle;
        }

        retval = Helpers.DoHandleToPath(mountdirfd, handle);

    out_handle:
    out_err:
        return retval;
    }

    // fs/fhandle.c, do_sys_name_to_handle() copy-out, v4.0. Correct: handle_bytes read once, bounded, and
    // both results copied out with one -EFAULT for either failure.
    public static long DoSysNameToHandle(UserPtr ufh, UserPtr<int> mntId, int realMntId, byte[] encoded) // expect: none
    {
        var fHandle = new byte[FILE_HANDLE];
        long retval = 0;

        if (CopyFromUser(fHandle, ufh) != 0)
            return -EFAULT;

        uint handleBytes = BitConverter.ToUInt32(fHandle, 0);
        if (handleBytes > MAX_HANDLE_SZ)
            return -EINVAL;

        var handle = new byte[FILE_HANDLE + handleBytes];
        BitConverter.TryWriteBytes(handle.AsSpan(0, 4), handleBytes);
        encoded.AsSpan(0, (int)Math.Min(handleBytes, (uint)encoded.Length)).CopyTo(handle.AsSpan(FILE_HANDLE));

        if (CopyToUser(mntId, BitConverter.GetBytes(realMntId)) != 0 ||
            CopyToUser(ufh, handle.AsSpan(0, (int)(FILE_HANDLE + handleBytes))) != 0)
            retval = -EFAULT;

        return retval;
    }
}

public static class Exec
{
    private const int E2BIG = 7;
    private const int ERESTARTNOHAND = 514;

    // fs/exec.c, count(), v2.6.36 (before 9aea5a65aa7a "execve: make responsive to SIGKILL with large
    // arguments", 2010). Buggy: "An execve with a very large total of argument/environment strings ... runs
    // uninterruptibly to count and copy all the strings"; max is MAX_ARG_STRINGS (0x7FFFFFFF).
    public static int CountV2636(UserPtr argv, int max)
    {
        int i = 0;

        if (argv != default)
        {
            for (;;) // expect: UA4003
            {
                ulong p;

                if (GetUser(out p, argv.Cast<ulong>()) != 0)
                    return -EFAULT;
                if (p == 0)
                    break;
                argv += 8;
                if (i++ >= max)
                    return -E2BIG;
                CondResched();
            }
        }

        return i;
    }

    // fs/exec.c, count(), v2.6.37 (after 9aea5a65aa7a). Correct.
    public static int CountV2637(UserPtr argv, int max) // expect: none
    {
        int i = 0;

        if (argv != default)
        {
            for (;;)
            {
                ulong p;

                if (GetUser(out p, argv.Cast<ulong>()) != 0)
                    return -EFAULT;
                if (p == 0)
                    break;
                argv += 8;
                if (i++ >= max)
                    return -E2BIG;

                if (FatalSignalPending())
                    return -ERESTARTNOHAND;
                CondResched();
            }
        }

        return i;
    }
}

public static class ProcSmaps
{
    private const int ESRCH = 3;

    // fs/proc/task_mmu.c, show_smaps_rollup(), v5.2 (before "proc: use down_read_killable mmap_sem for
    // /proc/pid/smaps_rollup", 2019; the VMA walk and the output are stubs). Buggy: reading the file waits
    // non-killably for the mmap lock that a stuck writer may hold for a long time.
    public static int ShowSmapsRollupV52(Helpers.ProcMapsPrivate priv, bool taskAlive)
    {
        Mm? mm;
        int ret = 0;

        if (!taskAlive)
            return -ESRCH;

        mm = priv.Mm;
        if (mm == null)
        {
            ret = -ESRCH;
            goto out_put_task;
        }

        MmapReadLock(mm); // expect: UA2001
        Helpers.GatherAndShowStats(mm);
        MmapReadUnlock(mm);
        Mmput(mm);

    out_put_task:
        return ret;
    }

    // fs/proc/task_mmu.c, show_smaps_rollup(), v5.3 (after the killable series). Correct.
    public static int ShowSmapsRollup(Helpers.ProcMapsPrivate priv, bool taskAlive) // expect: none
    {
        Mm? mm;
        int ret = 0;

        if (!taskAlive)
            return -ESRCH;

        mm = priv.Mm;
        if (mm == null)
        {
            ret = -ESRCH;
            goto out_put_task;
        }

        ret = MmapReadLockKillable(mm);
        if (ret != 0)
            goto out_put_mm;

        Helpers.GatherAndShowStats(mm);
        MmapReadUnlock(mm);

    out_put_mm:
        Mmput(mm);
    out_put_task:
        return ret;
    }
}

public static class Helpers
{
    /// <summary>
    /// do_handle_to_path(): exportfs_decode_fh() of f_handle (from offset 8), handle_bytes &gt;&gt; 2 words of it
    /// (offset 0), of type handle_type (offset 4). The lookup itself is a stub.
    /// </summary>
    [MightSleep]
    public static int DoHandleToPath(int mountdirfd, byte[] handle) =>
        ExportfsDecodeFh(mountdirfd, handle.AsSpan(8), (int)(BitConverter.ToUInt32(handle, 0) >> 2), BitConverter.ToInt32(handle, 4));

    /// <summary>exportfs_decode_fh(): the file the handle names.</summary>
    public static int ExportfsDecodeFh(int mountdirfd, ReadOnlySpan<byte> fid, int fhLen, int fileidType) => 0;

    [RequiresLock("mm.MmapLock", Shared = true)]
    public static void GatherAndShowStats(Mm mm)
    {
    }

    /// <summary>struct proc_maps_private: the mm proc_maps_open() took with proc_mem_open() (mm_access()).</summary>
    public sealed class ProcMapsPrivate
    {
        [RemoteMm]
        public Mm? Mm;
    }
}
