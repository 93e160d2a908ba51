// net/compat.c, compat_mc_getsockopt(), v2.6.35: CVE-2010-3081 (Ben Hawkes). compat_alloc_user_space() carved
// a buffer below the user's stack pointer and returned it without access_ok(); the caller then wrote to it
// with __put_user(), so a 32-bit task with a crafted stack pointer made the kernel write to kernel memory.
// The fix, c41d68a513c7 "compat: Make compat_alloc_user_space() incorporate the access_ok()" (v2.6.36),
// moved the check into the allocator. Struct layouts (packed compat_group_filter: gf_interface at 0, gf_group
// at 4, gf_fmode at 132, gf_numsrc at 136; native group_filter: gf_interface at 0, gf_group at 8, gf_fmode at
// 136, gf_numsrc at 140) are offsets; the socket option handler is a delegate.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.CompatAllocUserSpace;

/// <summary>The protocol's getsockopt: 0 or an errno.</summary>
[ReturnsErrno]
public delegate int GetsockoptFn(int level, int optname, UserPtr optval, UserPtr<int> optlen);

public static class CompatNet
{
    private const int MCAST_MSFILTER = 48;
    private const int COMPAT_GF0_SIZE = 140;
    private const int GF_SIZE = 144;
    private const int COMPAT_GF_SIZE = 140;

    // net/compat.c, compat_mc_getsockopt(), v2.6.35 (the copy of the source list back to the caller is not
    // translated). Buggy: kgf comes from compat_alloc_user_space(), which checks nothing, and the three
    // __put_user() calls on it are the unchecked writes of CVE-2010-3081.
    public static int CompatMcGetsockoptV2635(int level, int optname, UserPtr optval, UserPtr<int> optlen, ulong userSp, GetsockoptFn getsockopt)
    {
        UserPtr gf32 = optval;
        UserPtr kgf;
        UserPtr<int> koptlen;
        uint interfaceIndex, fmode, numsrc;
        int klen, ulen;
        int err;

        if (optname != MCAST_MSFILTER)
            return getsockopt(level, optname, optval, optlen);

        koptlen = Helpers.CompatAllocUserSpace(userSp, sizeof(int)).Cast<int>();
        if (!AccessOk(optlen, sizeof(int)) ||
            GetUserUnchecked(out ulen, optlen) != 0)
            return -EFAULT;

        /* adjust len for pad */
        klen = ulen + GF_SIZE - COMPAT_GF_SIZE;

        if (klen < GF_SIZE)
            return -EINVAL;

        if (!AccessOk(koptlen, sizeof(int)) ||
            PutUserUnchecked(klen, koptlen) != 0)
            return -EFAULT;

        /* have to allow space for previous compat_alloc_user_space, too */
        kgf = Helpers.CompatAllocUserSpace(userSp, klen + sizeof(int));

        if (!AccessOk(gf32, COMPAT_GF0_SIZE) ||
            GetUserUnchecked(out interfaceIndex, gf32.Cast<uint>()) != 0 ||
            GetUserUnchecked(out fmode, (gf32 + 132).Cast<uint>()) != 0 ||
            GetUserUnchecked(out numsrc, (gf32 + 136).Cast<uint>()) != 0 ||
            PutUserUnchecked(interfaceIndex, kgf.Cast<uint>()) != 0 || // expect: UA5003
            PutUserUnchecked(fmode, (kgf + 136).Cast<uint>()) != 0 || // expect: UA5003
            PutUserUnchecked(numsrc, (kgf + 140).Cast<uint>()) != 0 || // expect: UA5003
            Helpers.CopyInUser(kgf + 8, gf32 + 4, 128) != 0)
            return -EFAULT;

        err = getsockopt(level, optname, kgf, koptlen);
        if (err != 0)
            return err;

        if (!AccessOk(koptlen, sizeof(int)) ||
            GetUserUnchecked(out klen, koptlen) != 0)
            return -EFAULT;

        ulen = klen - (GF_SIZE - COMPAT_GF_SIZE);

        if (!AccessOk(optlen, sizeof(int)) ||
            PutUserUnchecked(ulen, optlen) != 0)
            return -EFAULT;

        if (!AccessOk(kgf, klen) ||
            GetUserUnchecked(out interfaceIndex, kgf.Cast<uint>()) != 0 ||
            GetUserUnchecked(out fmode, (kgf + 136).Cast<uint>()) != 0 ||
            GetUserUnchecked(out numsrc, (kgf + 140).Cast<uint>()) != 0 ||
            PutUserUnchecked(interfaceIndex, gf32.Cast<uint>()) != 0 ||
            PutUserUnchecked(fmode, (gf32 + 132).Cast<uint>()) != 0 ||
            PutUserUnchecked(numsrc, (gf32 + 136).Cast<uint>()) != 0)
            return -EFAULT;

        return 0;
    }
}

public static class Helpers
{
    /// <summary>compat_alloc_user_space(), v2.6.35: space below the user's stack pointer, unchecked.</summary>
    public static UserPtr CompatAllocUserSpace(ulong userSp, long len) => new UserPtr((userSp - (ulong)len) & ~15UL);

    /// <summary>copy_in_user(): a user-to-user copy that checks both ranges; the bytes not copied.</summary>
    [MightFault]
    [ReturnsBytesNotCopied]
    public static int CopyInUser(UserPtr to, UserPtr from, int n)
    {
        var buf = new byte[n];
        int left = CopyFromUser(buf, from);
        if (left != 0)
            return left;
        return CopyToUser(to, buf);
    }
}
