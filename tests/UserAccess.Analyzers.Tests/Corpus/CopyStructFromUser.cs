// Corpus for the half-typed-code meta-test: copy_struct_from_user() and its callers, with the
// bytes-not-copied convention of copy_from_user(). Not compiled into the test assembly.
using System;
using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Corpus.Uaccess;

public static class StructCopy
{
    /// <summary>Copies min(ksize, usize) bytes; a bigger user struct must have zero trailing bytes.</summary>
    public static int CopyStructFromUser(Span<byte> dst, UserPtr src, int usize)
    {
        var size = Math.Min(dst.Length, usize);
        if (usize > dst.Length)
        {
            var rest = new byte[usize - dst.Length];
            if (CopyFromUser(rest, src + dst.Length) != 0)
            {
                return -EFAULT;
            }

            foreach (var b in rest)
            {
                if (b != 0)
                {
                    return -E2BIG;
                }
            }
        }
        else if (usize < dst.Length)
        {
            dst.Slice(usize).Clear();
        }

        int notCopied = CopyFromUser(dst.Slice(0, size), src);
        return notCopied != 0 ? -EFAULT : 0;
    }

    /// <summary>A partial copy that reports how far it got, as read(2) does.</summary>
    public static long ReadToUser(UserPtr buf, ReadOnlySpan<byte> data)
    {
        int left = CopyToUser(buf, data);
        if (left == data.Length)
        {
            return -EFAULT;
        }

        return data.Length - left;
    }

    /// <summary>get_user() on a checked pointer, then a put_user() of the doubled value.</summary>
    public static int Double(UserPtr<int> p)
    {
        if (!AccessOk(p, sizeof(int)))
        {
            return -EFAULT;
        }

        if (GetUserUnchecked(out int value, p) != 0)
        {
            return -EFAULT;
        }

        return PutUser(value * 2, p);
    }

    private const int E2BIG = 7;
}
