using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

public static partial class Kernel
{
    private delegate int ByteCopyToUser(UserPtr to, ReadOnlySpan<byte> from);

    /// <summary><c>access_ok()</c>: the range lies below the arch's user limit without overflow (<c>size &lt;= limit &amp;&amp; addr &lt;= limit - size</c>).</summary>
    [AccessOkCheck(Pointer = "p", Size = "size")]
    public static bool AccessOk(UserPtr p, ulong size) => UserAccessOk(Scheduler.Current.Machine.Arch, p.Address, size);

    /// <summary>
    /// <c>access_ok()</c> with a signed length, as kernel code passes an <c>int</c> or <c>long</c>
    /// variable: the size is taken as <c>size_t</c>, so a negative one is huge and fails.
    /// </summary>
    [AccessOkCheck(Pointer = "p", Size = "size")]
    public static bool AccessOk(UserPtr p, long size) => AccessOk(p, unchecked((ulong)size));

    /// <summary><c>get_user()</c>: <c>0</c>, or <c>-EFAULT</c> with <paramref name="value"/> zeroed; may fault.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Read, "p")]
    public static int GetUser<T>(out T value, UserPtr<T> p) where T : unmanaged =>
        TryGetFast(p.Address, mightFault: true, out value) ? 0 : GetUserSlow(out value, p);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int GetUserSlow<T>(out T value, UserPtr<T> p) where T : unmanaged
    {
        Scheduler.MightFault("get_user");
        var task = Scheduler.Current;
        if (!AccessOk(p, (ulong)Unsafe.SizeOf<T>()))
        {
            value = default;
            task.Livelock.OnAccessFailed(task, "get_user", p.Address);
            return -Errno.EFAULT;
        }

        return ReadUserValue(task, out value, p.Address, "get_user");
    }

    /// <summary><c>put_user()</c>: <c>0</c> or <c>-EFAULT</c>; may fault.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Write, "p")]
    public static int PutUser<T>(T value, UserPtr<T> p) where T : unmanaged =>
        TryPutFast(p.Address, value, mightFault: true) ? 0 : PutUserSlow(value, p);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int PutUserSlow<T>(T value, UserPtr<T> p) where T : unmanaged
    {
        Scheduler.MightFault("put_user");
        var task = Scheduler.Current;
        if (!AccessOk(p, (ulong)Unsafe.SizeOf<T>()))
        {
            task.Livelock.OnAccessFailed(task, "put_user", p.Address);
            return -Errno.EFAULT;
        }

        return WriteUserValue(task, value, p.Address, "put_user");
    }

    /// <summary><c>__get_user()</c>: no <c>access_ok()</c>, no <c>might_fault()</c>; <c>0</c>, or <c>-EFAULT</c> with <paramref name="value"/> zeroed.</summary>
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Read, "p")]
    public static int GetUserUnchecked<T>(out T value, [RequiresAccessOk] UserPtr<T> p) where T : unmanaged =>
        TryGetFast(p.Address, mightFault: false, out value) ? 0 : ReadUserValue(Scheduler.Current, out value, p.Address, "__get_user");

    /// <summary><c>__put_user()</c>: no <c>access_ok()</c>, no <c>might_fault()</c>; <c>0</c> or <c>-EFAULT</c>.</summary>
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Write, "p")]
    public static int PutUserUnchecked<T>(T value, [RequiresAccessOk] UserPtr<T> p) where T : unmanaged =>
        TryPutFast(p.Address, value, mightFault: false) ? 0 : WriteUserValue(Scheduler.Current, value, p.Address, "__put_user");

    /// <summary><c>copy_from_user()</c>: the number of bytes NOT copied; the uncopied tail of <paramref name="to"/> is zero-filled.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Read, "from", Size = "to")]
    public static int CopyFromUser(Span<byte> to, UserPtr from)
    {
        Scheduler.MightFault("copy_from_user");
        var task = Scheduler.Current;
        int left = to.Length;
        ulong failedAt = from.Address;
        if (AccessOk(from, (ulong)to.Length) && !TaskHooks.FailsAccess(task, from.Address, to.Length))
        {
            left = task.Mm.Access(from.Address, to, AccessOp.Read, FaultModeOf(task), out failedAt, out _);
        }

        if (left != 0)
        {
            // The kernel's memset() of the tail: the caller never sees stale kernel bytes.
            to.Slice(to.Length - left).Clear();
        }

        return Account(task, left, "copy_from_user", failedAt);
    }

    /// <summary>
    /// <c>copy_from_user(&amp;kstruct, uptr, sizeof(kstruct))</c>: one unmanaged value (a struct, laid
    /// out as given; a scalar in the arch's byte order); the number of bytes NOT copied, with
    /// <paramref name="value"/> zeroed from the first uncopied byte. Use it where kernel code copies
    /// a whole struct in; <see cref="GetUser{T}"/> is for one scalar and returns an errno.
    /// </summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Read, "from")]
    public static int CopyFromUser<T>(out T value, UserPtr<T> from) where T : unmanaged
    {
        Span<byte> bytes = stackalloc byte[Unsafe.SizeOf<T>()];
        int left = CopyFromUser(bytes, from);
        value = Scheduler.Current.Machine.Arch.ReadValue<T>(bytes);
        return left;
    }

    /// <summary>
    /// <c>copy_to_user(uptr, &amp;kstruct, sizeof(kstruct))</c>: one unmanaged value (a struct, laid out
    /// as given; a scalar in the arch's byte order); the number of bytes NOT copied. Use it where
    /// kernel code copies a whole struct out; <see cref="PutUser{T}"/> is for one scalar.
    /// </summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, "to")]
    public static int CopyToUser<T>(UserPtr<T> to, in T value) where T : unmanaged => CopyValueToUser(to, value, CopyToUser);

    /// <summary><c>copy_to_user()</c>: the number of bytes NOT copied; nothing is zeroed.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, "to", Size = "from")]
    public static int CopyToUser(UserPtr to, ReadOnlySpan<byte> from)
    {
        Scheduler.MightFault("copy_to_user");
        var task = Scheduler.Current;
        int left = from.Length;
        ulong failedAt = to.Address;
        if (AccessOk(to, (ulong)from.Length) && !TaskHooks.FailsAccess(task, to.Address, from.Length))
        {
            left = task.Mm.Access(to.Address, AsWritable(from), AccessOp.Write, FaultModeOf(task), out failedAt, out _);
        }

        return Account(task, left, "copy_to_user", failedAt);
    }

    /// <summary><c>copy_from_user_nofault()</c>: never faults, any context; <c>0</c> or <c>-EFAULT</c>, no zero-fill.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Read, "from", Size = "to")]
    public static int CopyFromUserNofault(Span<byte> to, UserPtr from)
    {
        var task = Scheduler.Current;
        int left = to.Length;
        ulong failedAt = from.Address;
        if (AccessOk(from, (ulong)to.Length) && !TaskHooks.FailsAccess(task, from.Address, to.Length))
        {
            left = task.Mm.Access(from.Address, to, AccessOp.Read, FaultMode.NoFault, out failedAt, out _);
        }

        return Account(task, left, "copy_from_user_nofault", failedAt) == 0 ? 0 : -Errno.EFAULT;
    }

    /// <summary><c>copy_to_user_nofault()</c>: never faults, any context; <c>0</c> or <c>-EFAULT</c>.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Write, "to", Size = "from")]
    public static int CopyToUserNofault(UserPtr to, ReadOnlySpan<byte> from)
    {
        var task = Scheduler.Current;
        int left = from.Length;
        ulong failedAt = to.Address;
        if (AccessOk(to, (ulong)from.Length) && !TaskHooks.FailsAccess(task, to.Address, from.Length))
        {
            left = task.Mm.Access(to.Address, AsWritable(from), AccessOp.Write, FaultMode.NoFault, out failedAt, out _);
        }

        return Account(task, left, "copy_to_user_nofault", failedAt) == 0 ? 0 : -Errno.EFAULT;
    }

    /// <summary>
    /// <c>copy_to_user_nofault(uptr, &amp;kstruct, sizeof(kstruct))</c>: one unmanaged value, never
    /// faulting, in any context; <c>0</c> or <c>-EFAULT</c> (not a byte count). Use it under a lock
    /// the fault path may need, with the fault-in on the cold path after the lock is dropped.
    /// </summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Write, "to")]
    public static int CopyToUserNofault<T>(UserPtr<T> to, in T value) where T : unmanaged => CopyValueToUser(to, value, CopyToUserNofault);

    /// <summary><c>strncpy_from_user()</c>: the string's length (without NUL), <c>dst.Length</c> if it did not fit, or <c>-EFAULT</c>.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Read, "src", Size = "dst")]
    public static long StrncpyFromUser(Span<byte> dst, UserPtr src)
    {
        Scheduler.MightFault("strncpy_from_user");
        var task = Scheduler.Current;
        var arch = task.Machine.Arch;
        int count = dst.Length;
        if (count == 0)
        {
            return 0;
        }

        ulong address = arch.UntaggedAddress(src.Address);
        if (address >= arch.TaskSize || TaskHooks.FailsAccess(task, src.Address, count))
        {
            task.Livelock.OnAccessFailed(task, "strncpy_from_user", src.Address);
            return -Errno.EFAULT;
        }

        // do_strncpy_from_user(): never read at or above the user limit.
        int max = (int)Math.Min((ulong)count, arch.TaskSize - address);
        var mode = FaultModeOf(task);
        int done = 0;
        while (done < max)
        {
            ulong at = src.Address + (ulong)done;
            int chunk = Math.Min(max - done, arch.PageSize - (int)(at & (ulong)(arch.PageSize - 1)));
            var piece = dst.Slice(done, chunk);
            if (task.Mm.Access(at, piece, AccessOp.Read, mode, out ulong failedAt, out _) != 0)
            {
                int copied = (int)(failedAt - at);
                int nulBeforeFault = piece.Slice(0, copied).IndexOf((byte)0);
                if (nulBeforeFault < 0)
                {
                    task.Livelock.OnAccessFailed(task, "strncpy_from_user", failedAt);
                    return -Errno.EFAULT;
                }

                piece.Slice(nulBeforeFault + 1).Clear();
                task.Livelock.OnAccessSucceeded();
                return done + nulBeforeFault;
            }

            int nul = piece.IndexOf((byte)0);
            if (nul >= 0)
            {
                piece.Slice(nul + 1).Clear();
                task.Livelock.OnAccessSucceeded();
                return done + nul;
            }

            done += chunk;
        }

        if (max < count)
        {
            // The string runs into the user limit: the next byte is not a user byte.
            task.Livelock.OnAccessFailed(task, "strncpy_from_user", src.Address + (ulong)max);
            return -Errno.EFAULT;
        }

        task.Livelock.OnAccessSucceeded();
        return count;
    }

    /// <summary><c>clear_user()</c>: zeroes <paramref name="n"/> user bytes; the number of bytes NOT cleared.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, "to", Size = "n")]
    public static int ClearUser(UserPtr to, int n) => (int)ClearUser(to, (long)n);

    /// <summary><c>clear_user()</c> with a <c>long</c> length: zeroes <paramref name="n"/> user bytes; the number of bytes NOT cleared, as a <c>long</c>.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, "to", Size = "n")]
    public static long ClearUser(UserPtr to, long n)
    {
        Scheduler.MightFault("clear_user");
        var task = Scheduler.Current;
        if (n == 0)
        {
            return 0;
        }

        // n is an unsigned long in the kernel: a negative length is huge, access_ok() fails, and
        // all of it is reported not cleared. The explorer's fail-nth fails it the same way.
        if (!AccessOk(to, n) || TaskHooks.FailsAccess(task, to.Address, (int)Math.Min(n, int.MaxValue)))
        {
            task.Livelock.OnAccessFailed(task, "clear_user", to.Address);
            return n;
        }

        long done = 0;
        while (done < n)
        {
            int chunk = (int)Math.Min(n - done, 1 << 30);
            int left = task.Mm.Access(to.Address + (ulong)done, default, chunk, AccessOp.Clear, FaultModeOf(task), out ulong failedAt, out _);
            if (left != 0)
            {
                Account(task, left, "clear_user", failedAt);
                return n - done - (chunk - left);
            }

            done += chunk;
        }

        task.Livelock.OnAccessSucceeded();
        return 0;
    }

    /// <summary><c>__access_ok()</c> for <paramref name="arch"/>: <c>size &lt;= limit &amp;&amp; addr &lt;= limit - size</c> on the untagged address.</summary>
    internal static bool UserAccessOk(Arch arch, ulong address, ulong size)
    {
        ulong limit = arch.TaskSize;
        ulong addr = arch.UntaggedAddress(address);
        return size <= limit && addr <= limit - size;
    }

    /// <summary><c>faulthandler_disabled()</c> decides whether an access may take the fault path.</summary>
    internal static FaultMode FaultModeOf(TaskStruct task) =>
        task.PagefaultDisabledCount > 0 || task.InAtomic ? FaultMode.NoFault : FaultMode.Kernel;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ReadUserValue<T>(TaskStruct task, out T value, ulong address, string function) where T : unmanaged
    {
        Span<byte> bytes = stackalloc byte[Unsafe.SizeOf<T>()];
        ulong failedAt = address;
        int left = TaskHooks.FailsAccess(task, address, bytes.Length) ? bytes.Length : task.Mm.Access(address, bytes, AccessOp.Read, FaultModeOf(task), out failedAt, out _);
        if (Account(task, left, function, failedAt) != 0)
        {
            value = default;
            return -Errno.EFAULT;
        }

        value = task.Machine.Arch.ReadValue<T>(bytes);
        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteUserValue<T>(TaskStruct task, T value, ulong address, string function) where T : unmanaged
    {
        Span<byte> bytes = stackalloc byte[Unsafe.SizeOf<T>()];
        task.Machine.Arch.WriteValue(bytes, value);
        ulong failedAt = address;
        int left = TaskHooks.FailsAccess(task, address, bytes.Length) ? bytes.Length : task.Mm.Access(address, bytes, AccessOp.Write, FaultModeOf(task), out failedAt, out _);
        return Account(task, left, function, failedAt) == 0 ? 0 : -Errno.EFAULT;
    }

    // Feeds the livelock detector: every failed access counts against its address.
    private static int Account(TaskStruct task, int left, string function, ulong failedAt)
    {
        if (left == 0)
        {
            task.Livelock.OnAccessSucceeded();
        }
        else
        {
            task.Livelock.OnAccessFailed(task, function, failedAt);
        }

        return left;
    }

    // One value as its bytes in the arch's byte order, handed to a byte copy.
    private static int CopyValueToUser<T>(UserPtr to, in T value, ByteCopyToUser copy) where T : unmanaged
    {
        Span<byte> bytes = stackalloc byte[Unsafe.SizeOf<T>()];
        Scheduler.Current.Machine.Arch.WriteValue(bytes, value);
        return copy(to, bytes);
    }

    private static Span<byte> AsWritable(ReadOnlySpan<byte> bytes) =>
        MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(bytes), bytes.Length);
}
