// drivers/char/tty_io.c (now drivers/tty/tty_io.c): __tty_open() returning to user space with tty_mutex
// held after a failed reopen lookup (2008), and the fixed function.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Tty;

public static class TtyIo
{
    private const int ENXIO = 6;
    private const int ENODEV = 19;

    // drivers/char/tty_io.c, __tty_open(), v2.6.28-rc (the driver lookup and reopen part, after
    // 4a2b5fddd53b "Move tty lookup/reopen to caller", before Eric Paris's fix "tty_open can return to
    // userspace holding tty_mutex"). Buggy: the error return of the reopen lookup leaves tty_mutex held,
    // and the box is unusable afterwards (found by fsfuzzer).
    public static int TtyOpenV2628(KernelMutex ttyMutex, bool haveDriver, int lookup)
    {
        int retval = 0;
        int tty = 0;

        ttyMutex.Lock(); // expect: UA1003

        if (!haveDriver)
        {
            ttyMutex.Unlock();
            return -ENODEV;
        }

        /* check whether we're reopening an existing tty */
        tty = Helpers.TtyDriverLookupTty(lookup);
        if (tty < 0)
            return tty;

        if (tty != 0)
        {
            retval = Helpers.TtyReopen(tty);
            if (retval != 0)
                tty = retval;
        }
        else
            tty = Helpers.TtyInitDev();

        ttyMutex.Unlock();
        return tty < 0 ? tty : 0;
    }

    // drivers/char/tty_io.c, __tty_open(), after "tty_open can return to userspace holding tty_mutex".
    // Correct: the mutex is released before
    // the error is returned.
    public static int TtyOpen(KernelMutex ttyMutex, bool haveDriver, int lookup) // expect: none
    {
        int retval = 0;
        int tty = 0;

        ttyMutex.Lock();

        if (!haveDriver)
        {
            ttyMutex.Unlock();
            return -ENODEV;
        }

        /* check whether we're reopening an existing tty */
        tty = Helpers.TtyDriverLookupTty(lookup);
        if (tty < 0)
        {
            ttyMutex.Unlock();
            return tty;
        }

        if (tty != 0)
        {
            retval = Helpers.TtyReopen(tty);
            if (retval != 0)
                tty = retval;
        }
        else
            tty = Helpers.TtyInitDev();

        ttyMutex.Unlock();
        return tty < 0 ? tty : 0;
    }
}

internal static class Helpers
{
    public static int TtyDriverLookupTty(int lookup) => lookup;

    public static int TtyReopen(int tty) => 0;

    public static int TtyInitDev() => 1;
}
