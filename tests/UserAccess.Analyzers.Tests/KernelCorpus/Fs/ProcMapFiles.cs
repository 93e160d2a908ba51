// fs/proc/base.c, /proc/pid/map_files: the mmap lock taken non-killably in v5.2 and killably after
// cd9e2bb8271c "proc: use down_read_killable mmap_sem for /proc/pid/map_files" (v5.3): "Do not remain stuck
// forever if something goes wrong. Using a killable lock permits cleanup of stuck tasks". The dentry
// plumbing is reduced to parameters; the task is the one get_proc_task() found, and its mm is another
// task's (get_task_mm()).
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.ProcMapFiles;

public static class MapFiles
{
    private const int ENOENT = 2;
    private const int ECHILD = 10;
    private const int LOOKUP_RCU = 0x40;

    // fs/proc/base.c, map_files_get_link(), v5.2. Buggy: the lookup waits for the mmap lock non-killably
    // in a function that already returns errors.
    public static int MapFilesGetLinkV52(TaskStruct? task, bool nameOk, ulong vmStart, ulong vmEnd)
    {
        Mm? mm;
        int rc;

        rc = -ENOENT;
        if (task == null)
            goto out_;

        mm = GetTaskMm(task);
        if (mm == null)
            goto out_;

        rc = nameOk ? 0 : -ENOENT;
        if (rc != 0)
            goto out_mmput;

        rc = -ENOENT;
        MmapReadLock(mm); // expect: UA2001
        if (Helpers.FindExactVmaHasFile(mm, vmStart, vmEnd))
            rc = 0;
        MmapReadUnlock(mm);
    out_mmput:
        Mmput(mm);
    out_:
        return rc;
    }

    // fs/proc/base.c, map_files_get_link(), v5.3 (after cd9e2bb8271c). Correct.
    public static int MapFilesGetLink(TaskStruct? task, bool nameOk, ulong vmStart, ulong vmEnd) // expect: none
    {
        Mm? mm;
        int rc;

        rc = -ENOENT;
        if (task == null)
            goto out_;

        mm = GetTaskMm(task);
        if (mm == null)
            goto out_;

        rc = nameOk ? 0 : -ENOENT;
        if (rc != 0)
            goto out_mmput;

        rc = MmapReadLockKillable(mm);
        if (rc != 0)
            goto out_mmput;

        rc = -ENOENT;
        if (Helpers.FindExactVmaHasFile(mm, vmStart, vmEnd))
            rc = 0;
        MmapReadUnlock(mm);
    out_mmput:
        Mmput(mm);
    out_:
        return rc;
    }

    // fs/proc/base.c, map_files_d_revalidate(), v5.2. Buggy: the same non-killable wait; the function
    // returns -ECHILD in RCU walk mode, so it has an error path.
    public static int MapFilesDRevalidateV52(TaskStruct? task, int flags, bool nameOk, ulong vmStart, ulong vmEnd)
    {
        bool exactVmaExists = false;
        int status = 0;

        Mm? mm;

        if ((flags & LOOKUP_RCU) != 0)
            return -ECHILD;

        if (task == null)
            goto out_notask;

        mm = GetTaskMm(task);
        if (mm == null)
            goto out_notask;

        if (nameOk)
        {
            MmapReadLock(mm); // expect: UA2001
            exactVmaExists = Helpers.FindExactVma(mm, vmStart, vmEnd);
            MmapReadUnlock(mm);
        }

        if (exactVmaExists)
            status = 1;

        Mmput(mm);
    out_notask:
        return status;
    }

    // fs/proc/base.c, map_files_d_revalidate(), v5.3 (after cd9e2bb8271c). Correct: "->d_revalidate() could
    // return any error (except ECHILD) to abort validation".
    public static int MapFilesDRevalidate(TaskStruct? task, int flags, bool nameOk, ulong vmStart, ulong vmEnd) // expect: none
    {
        bool exactVmaExists = false;
        int status = 0;

        Mm? mm;

        if ((flags & LOOKUP_RCU) != 0)
            return -ECHILD;

        if (task == null)
            goto out_notask;

        mm = GetTaskMm(task);
        if (mm == null)
            goto out_notask;

        if (nameOk)
        {
            status = MmapReadLockKillable(mm);
            if (status == 0)
            {
                exactVmaExists = Helpers.FindExactVma(mm, vmStart, vmEnd);
                MmapReadUnlock(mm);
            }
        }

        if (exactVmaExists)
            status = 1;

        Mmput(mm);
    out_notask:
        return status;
    }
}

internal static class Helpers
{
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static bool FindExactVma(Mm mm, ulong vmStart, ulong vmEnd) => vmStart < vmEnd;

    [RequiresLock("mm.MmapLock", Shared = true)]
    public static bool FindExactVmaHasFile(Mm mm, ulong vmStart, ulong vmEnd) => vmStart < vmEnd;
}
