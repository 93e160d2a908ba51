using System;
using UserAccess.Runtime.Annotations;

namespace UserAccess.Runtime;

public static partial class Kernel
{
    /// <summary><c>access_ok()</c>: the range lies below the arch's user limit without overflow (<c>size &lt;= limit &amp;&amp; addr &lt;= limit - size</c>).</summary>
    [AccessOkCheck(Pointer = "p", Size = "size")]
    public static bool AccessOk(UserPtr p, ulong size) => throw new NotImplementedException();

    /// <summary><c>get_user()</c>: <c>0</c>, or <c>-EFAULT</c> with <paramref name="value"/> zeroed; may fault.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Read, "p")]
    public static int GetUser<T>(out T value, UserPtr<T> p) where T : unmanaged => throw new NotImplementedException();

    /// <summary><c>put_user()</c>: <c>0</c> or <c>-EFAULT</c>; may fault.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Write, "p")]
    public static int PutUser<T>(T value, UserPtr<T> p) where T : unmanaged => throw new NotImplementedException();

    /// <summary><c>__get_user()</c>: no <c>access_ok()</c>, no <c>might_fault()</c>; <c>0</c>, or <c>-EFAULT</c> with <paramref name="value"/> zeroed.</summary>
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Read, "p")]
    public static int GetUserUnchecked<T>(out T value, [RequiresAccessOk] UserPtr<T> p) where T : unmanaged => throw new NotImplementedException();

    /// <summary><c>__put_user()</c>: no <c>access_ok()</c>, no <c>might_fault()</c>; <c>0</c> or <c>-EFAULT</c>.</summary>
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Write, "p")]
    public static int PutUserUnchecked<T>(T value, [RequiresAccessOk] UserPtr<T> p) where T : unmanaged => throw new NotImplementedException();

    /// <summary><c>copy_from_user()</c>: the number of bytes NOT copied; the uncopied tail of <paramref name="to"/> is zero-filled.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Read, "from", Size = "to")]
    public static int CopyFromUser(Span<byte> to, UserPtr from) => throw new NotImplementedException();

    /// <summary><c>copy_to_user()</c>: the number of bytes NOT copied; nothing is zeroed.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, "to", Size = "from")]
    public static int CopyToUser(UserPtr to, ReadOnlySpan<byte> from) => throw new NotImplementedException();

    /// <summary><c>copy_from_user_nofault()</c>: never faults, any context; <c>0</c> or <c>-EFAULT</c>, no zero-fill.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Read, "from", Size = "to")]
    public static int CopyFromUserNofault(Span<byte> to, UserPtr from) => throw new NotImplementedException();

    /// <summary><c>copy_to_user_nofault()</c>: never faults, any context; <c>0</c> or <c>-EFAULT</c>.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Write, "to", Size = "from")]
    public static int CopyToUserNofault(UserPtr to, ReadOnlySpan<byte> from) => throw new NotImplementedException();

    /// <summary><c>strncpy_from_user()</c>: the string's length (without NUL), <c>dst.Length</c> if it did not fit, or <c>-EFAULT</c>.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Read, "src", Size = "dst")]
    public static long StrncpyFromUser(Span<byte> dst, UserPtr src) => throw new NotImplementedException();

    /// <summary><c>clear_user()</c>: zeroes <paramref name="n"/> user bytes; the number of bytes NOT cleared.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, "to", Size = "n")]
    public static int ClearUser(UserPtr to, int n) => throw new NotImplementedException();
}
