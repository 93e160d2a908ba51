namespace UserAccess.Runtime;

/// <summary>Linux errno values (x86 numbering). Kernel functions return them negated.</summary>
public static class Errno
{
    /// <summary>Operation not permitted.</summary>
    public const int EPERM = 1;
    /// <summary>No such entry: <c>UFFDIO_COPY</c> into a range no userfaultfd registration covers.</summary>
    public const int ENOENT = 2;
    /// <summary>No such process: the task a /proc file or ptrace names is gone, or has no mm.</summary>
    public const int ESRCH = 3;

    /// <summary>Interrupted system call; a killable wait returns it when a fatal signal arrives.</summary>
    public const int EINTR = 4;
    /// <summary>Try again; an LL/SC atomic that keeps losing its reservation gives up with it.</summary>
    public const int EAGAIN = 11;
    /// <summary>Out of memory.</summary>
    public const int ENOMEM = 12;
    /// <summary>Bad address: the user access could not be completed.</summary>
    public const int EFAULT = 14;
    /// <summary>Device or resource busy.</summary>
    public const int EBUSY = 16;
    /// <summary>Already exists: <c>UFFDIO_COPY</c> / <c>UFFDIO_ZEROPAGE</c> onto a page that is already mapped.</summary>
    public const int EEXIST = 17;

    /// <summary>Invalid argument: a misaligned user atomic, an invalid size or bit.</summary>
    public const int EINVAL = 22;
    /// <summary>Function not implemented: an unknown futex op.</summary>
    public const int ENOSYS = 38;
}
