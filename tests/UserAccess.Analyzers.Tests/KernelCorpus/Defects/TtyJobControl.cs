// drivers/tty/tty_jobctrl.c: the ->pgrp and ->session fields of a tty are protected by its ctrl_lock. The
// TIOCSPGRP and TIOCGSID handlers broke that in two ways that Jann Horn fixed in December 2020: tiocspgrp()
// took the lock of the wrong tty (CVE-2020-29661, 54ffccbf053b "tty: Fix ->pgrp locking in tiocspgrp()"),
// and tiocgsid() read ->session with no lock at all (CVE-2020-29660, c8bcd9c5be24 "tty: Fix ->session
// locking"), both use-after-free races on the struct pid; the same commit made __proc_set_tty() write
// ->session and __do_SAK() read it under ctrl_lock. The buggy functions are v5.9, the fixed ones v5.10. A struct pid is an object, get_pid()/put_pid() are stubs.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.TtyJobControl;

/// <summary>struct pid.</summary>
public sealed class Pid(int nr)
{
    public int Nr = nr;
}

/// <summary>The job-control part of struct tty_struct.</summary>
public sealed class TtyStruct(KernelSpinlock ctrlLock)
{
    public KernelSpinlock CtrlLock = ctrlLock;

    [GuardedBy(nameof(CtrlLock))]
    public Pid? Pgrp;

    [GuardedBy(nameof(CtrlLock))]
    public Pid? Session;
}

public static class TtyJobctrl
{
    private const int ENOTTY = 25;
    private const int ESRCH = 3;
    private const int EIO = 5;

    // drivers/tty/tty_jobctrl.c, tiocspgrp(), v5.9. Buggy: for a pty master, tty and real_tty differ, and
    // the handler reads real_tty->session unlocked and replaces real_tty->pgrp holding tty->ctrl_lock, so
    // it races with a TIOCSPGRP on the other side and the old pid is put twice (CVE-2020-29661).
    public static int TiocspgrpV59(TtyStruct tty, TtyStruct realTty, UserPtr<int> p, TtyStruct? currentTty, Pid currentSession)
    {
        Pid? pgrp;
        int pgrpNr;
        int retval = Helpers.TtyCheckChange(realTty);

        if (retval == -EIO)
            return -ENOTTY;
        if (retval != 0)
            return retval;
        if (currentTty == null ||
            currentTty != realTty ||
            realTty.Session != currentSession) // expect: UA2004
            return -ENOTTY;
        if (GetUser(out pgrpNr, p) != 0)
            return -EFAULT;
        if (pgrpNr < 0)
            return -EINVAL;
        pgrp = Helpers.FindVpid(pgrpNr);
        retval = -ESRCH;
        if (pgrp == null)
            goto out_unlock;
        retval = -EPERM;
        if (Helpers.SessionOfPgrp(pgrp) != currentSession)
            goto out_unlock;
        retval = 0;
        tty.CtrlLock.Lock();
        Helpers.PutPid(realTty.Pgrp); // expect: UA2004
        realTty.Pgrp = Helpers.GetPid(pgrp); // expect: UA2004
        tty.CtrlLock.Unlock();
    out_unlock:
        return retval;
    }

    // drivers/tty/tty_jobctrl.c, tiocspgrp(), v5.10 (after 54ffccbf053b and c8bcd9c5be24). Correct: the
    // session check and the pgrp update hold real_tty->ctrl_lock.
    public static int Tiocspgrp(TtyStruct tty, TtyStruct realTty, UserPtr<int> p, TtyStruct? currentTty, Pid currentSession) // expect: none
    {
        Pid? pgrp;
        int pgrpNr;
        int retval = Helpers.TtyCheckChange(realTty);

        if (retval == -EIO)
            return -ENOTTY;
        if (retval != 0)
            return retval;

        if (GetUser(out pgrpNr, p) != 0)
            return -EFAULT;
        if (pgrpNr < 0)
            return -EINVAL;

        realTty.CtrlLock.Lock();
        if (currentTty == null ||
            currentTty != realTty ||
            realTty.Session != currentSession)
        {
            retval = -ENOTTY;
            goto out_unlock_ctrl;
        }
        pgrp = Helpers.FindVpid(pgrpNr);
        retval = -ESRCH;
        if (pgrp == null)
            goto out_unlock_ctrl;
        retval = -EPERM;
        if (Helpers.SessionOfPgrp(pgrp) != currentSession)
            goto out_unlock_ctrl;
        retval = 0;
        Helpers.PutPid(realTty.Pgrp);
        realTty.Pgrp = Helpers.GetPid(pgrp);
    out_unlock_ctrl:
        realTty.CtrlLock.Unlock();
        return retval;
    }

    // drivers/tty/tty_jobctrl.c, tiocgsid(), v5.9. Buggy: ->session is read twice without ctrl_lock while
    // a concurrent disassociate_ctty() can put the pid (CVE-2020-29660).
    public static int TiocgsidV59(TtyStruct tty, TtyStruct realTty, UserPtr<int> p, TtyStruct? currentTty)
    {
        /*
         * (tty == real_tty) is a cheap way of
         * testing if the tty is NOT a master pty.
         */
        if (tty == realTty && currentTty != realTty)
            return -ENOTTY;
        if (realTty.Session == null) // expect: UA2004
            return -ENOTTY;
        return PutUser(Helpers.PidVnr(realTty.Session), p); // expect: UA2004
    }

    // drivers/tty/tty_jobctrl.c, tiocgsid(), v5.10 (after c8bcd9c5be24). Correct: the session is read and
    // translated under real_tty->ctrl_lock, and the user write comes after the unlock.
    public static int Tiocgsid(TtyStruct tty, TtyStruct realTty, UserPtr<int> p, TtyStruct? currentTty) // expect: none
    {
        int sid;

        /*
         * (tty == real_tty) is a cheap way of
         * testing if the tty is NOT a master pty.
         */
        if (tty == realTty && currentTty != realTty)
            return -ENOTTY;

        realTty.CtrlLock.Lock();
        if (realTty.Session == null)
            goto err;
        sid = Helpers.PidVnr(realTty.Session);
        realTty.CtrlLock.Unlock();

        return PutUser(sid, p);

    err:
        realTty.CtrlLock.Unlock();
        return -ENOTTY;
    }

    // drivers/tty/tty_jobctrl.c, __proc_set_tty(), v5.9 (the current task's signal fields are parameters).
    // Buggy: ->pgrp is replaced under ctrl_lock, but ->session is written after the unlock, racing with a
    // TIOCGSID that reads and translates the pid being replaced.
    public static void ProcSetTtyV59(TtyStruct tty, Pid currentPgrp, Pid currentSession)
    {
        tty.CtrlLock.Lock();
        /*
         * The session and fg pgrp references will be non-NULL if
         * tiocsctty() is stealing the controlling tty
         */
        Helpers.PutPid(tty.Session);
        Helpers.PutPid(tty.Pgrp);
        tty.Pgrp = Helpers.GetPid(currentPgrp);
        tty.CtrlLock.Unlock();
        tty.Session = Helpers.GetPid(currentSession); // expect: UA2004
    }

    // drivers/tty/tty_jobctrl.c, __proc_set_tty(), v5.10 (after c8bcd9c5be24). Correct.
    public static void ProcSetTty(TtyStruct tty, Pid currentPgrp, Pid currentSession) // expect: none
    {
        tty.CtrlLock.Lock();
        /*
         * The session and fg pgrp references will be non-NULL if
         * tiocsctty() is stealing the controlling tty
         */
        Helpers.PutPid(tty.Session);
        Helpers.PutPid(tty.Pgrp);
        tty.Pgrp = Helpers.GetPid(currentPgrp);
        tty.Session = Helpers.GetPid(currentSession);
        tty.CtrlLock.Unlock();
    }

    // drivers/tty/tty_io.c, __do_SAK(), v5.9 (the walk that kills the session's tasks is a stub). Buggy: the
    // session pid is read without ctrl_lock and without a reference, so a concurrent disassociate_ctty() can
    // free it while the walk uses it.
    public static void DoSakV59(TtyStruct? tty)
    {
        Pid? session;

        if (tty == null)
            return;
        session = tty.Session; // expect: UA2004

        Helpers.TtyLdiscFlush(tty);
        Helpers.KillSession(session);
    }

    // drivers/tty/tty_io.c, __do_SAK(), v5.10 (after c8bcd9c5be24). Correct: a reference is taken under
    // ctrl_lock and dropped after the walk.
    public static void DoSak(TtyStruct? tty) // expect: none
    {
        Pid? session;

        if (tty == null)
            return;

        tty.CtrlLock.Lock();
        session = Helpers.GetPid(tty.Session);
        tty.CtrlLock.Unlock();

        Helpers.TtyLdiscFlush(tty);
        Helpers.KillSession(session);
        Helpers.PutPid(session);
    }
}

internal static class Helpers
{
    [ReturnsErrno]
    public static int TtyCheckChange(TtyStruct tty) => 0;

    public static Pid? FindVpid(int nr) => nr == 0 ? null : new Pid(nr);

    public static Pid SessionOfPgrp(Pid pgrp) => pgrp;

    public static Pid? GetPid(Pid? pid) => pid;

    public static void PutPid(Pid? pid)
    {
    }

    public static int PidVnr(Pid? pid) => pid?.Nr ?? 0;

    public static void TtyLdiscFlush(TtyStruct tty)
    {
    }

    public static void KillSession(Pid? session)
    {
    }
}
