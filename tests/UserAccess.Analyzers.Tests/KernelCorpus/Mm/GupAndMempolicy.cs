// mm/: the fault-in helpers (a range checked once, then one probe per page while the pointer walks it;
// fixup_user_fault() page by page under the mmap read lock), the nofault copies of mm/maccess.c, and the
// node-mask copies of mm/mempolicy.c, bounded by PAGE_SIZE * BITS_PER_BYTE.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Mm_;

public static class Gup
{
    private const ulong PAGE_SIZE = 4096;
    private const ulong PAGE_MASK = ~(PAGE_SIZE - 1);

    // mm/gup.c, fault_in_readable(), v6.1. Correct: user_read_access_begin() over the whole range, then
    // one unchecked byte read at the start and at every following page start; no signal check is needed
    // for one probe per page.
    public static ulong FaultInReadableV61(UserPtr uaddr, ulong size) // expect: none
    {
        UserPtr start = uaddr, end;
        byte c;

        if (size == 0)
            return 0;
        if (!AccessOk(uaddr, size))
            return size;
        if ((uaddr.Address & (PAGE_SIZE - 1)) != 0)
        {
            if (GetUserUnchecked(out c, uaddr.Cast<byte>()) != 0)
                goto out_;
            uaddr = new UserPtr((uaddr.Address + PAGE_SIZE - 1) & PAGE_MASK);
        }

        end = new UserPtr((start.Address + size + PAGE_SIZE - 1) & PAGE_MASK);
        if (end.Address < start.Address)
            end = default;
        while (uaddr != end)
        {
            if (GetUserUnchecked(out c, uaddr.Cast<byte>()) != 0)
                goto out_;
            uaddr += (long)PAGE_SIZE;
        }

    out_:
        /* user_read_access_end() */
        if (size > uaddr.Address - start.Address)
            return size - (uaddr.Address - start.Address);
        return 0;
    }

    // mm/gup.c, fault_in_writeable(), v6.1. Correct: the write twin; it stores a zero byte per page, which
    // its callers accept because the buffer is about to be overwritten.
    public static ulong FaultInWriteableV61(UserPtr uaddr, ulong size) // expect: none
    {
        UserPtr start = uaddr, end;

        if (size == 0)
            return 0;
        if (!AccessOk(uaddr, size))
            return size;
        if ((uaddr.Address & (PAGE_SIZE - 1)) != 0)
        {
            if (PutUserUnchecked((byte)0, uaddr.Cast<byte>()) != 0)
                goto out_;
            uaddr = new UserPtr((uaddr.Address + PAGE_SIZE - 1) & PAGE_MASK);
        }

        end = new UserPtr((start.Address + size + PAGE_SIZE - 1) & PAGE_MASK);
        if (end.Address < start.Address)
            end = default;
        while (uaddr != end)
        {
            if (PutUserUnchecked((byte)0, uaddr.Cast<byte>()) != 0)
                goto out_;
            uaddr += (long)PAGE_SIZE;
        }

    out_:
        /* user_write_access_end() */
        if (size > uaddr.Address - start.Address)
            return size - (uaddr.Address - start.Address);
        return 0;
    }

    // mm/gup.c, fault_in_safe_writeable(), v6.1 (the fixup_user_fault() loop of "mm: gup: make
    // fault_in_safe_writeable() use fixup_user_fault()", with the corrected 'start - uaddr' tail). Correct:
    // fixup_user_fault() page by page with the mmap read lock held across the loop; passing 'unlocked' makes each fault killable, so a killed task's
    // fixup fails and the loop stops.
    public static ulong FaultInSafeWriteableV61(UserPtr uaddr, ulong size, Mm mm) // expect: none
    {
        ulong start = uaddr.Address, end;
        bool unlocked = false;

        if (size == 0)
            return 0;
        end = (start + size + PAGE_SIZE - 1) & PAGE_MASK;
        if (end < start)
            end = 0;

        MmapReadLock(mm);
        do
        {
            if (FixupUserFault(mm, new UserPtr(start), FaultFlags.Write, out unlocked) != 0)
                break;
            start = (start + PAGE_SIZE) & PAGE_MASK;
        } while (start != end);
        MmapReadUnlock(mm);

        if (size > start - uaddr.Address)
            return size - (start - uaddr.Address);
        return 0;
    }

    // mm/maccess.c, copy_from_user_nofault(), v5.10. Correct: access_ok() first, the unchecked copy with
    // page faults disabled, and ret, a byte count, turned into -EFAULT before it is returned.
    public static long CopyFromUserNofaultV510(Span<byte> dst, UserPtr src) // expect: none
    {
        long ret = -EFAULT;

        if (AccessOk(src, (ulong)dst.Length))
        {
            PagefaultDisable();
            ret = Helpers.CopyFromUserInatomic(dst, src);
            PagefaultEnable();
        }

        if (ret != 0)
            return -EFAULT;
        return 0;
    }

    // mm/maccess.c, copy_to_user_nofault(), v5.10. Correct.
    public static long CopyToUserNofaultV510(UserPtr dst, ReadOnlySpan<byte> src) // expect: none
    {
        long ret = -EFAULT;

        if (AccessOk(dst, (ulong)src.Length))
        {
            PagefaultDisable();
            ret = Helpers.CopyToUserInatomic(dst, src);
            PagefaultEnable();
        }

        if (ret != 0)
            return -EFAULT;
        return 0;
    }
}

public static class Mempolicy
{
    private const int PAGE_SIZE = 4096;
    private const ulong MAX_NUMNODES = 1024;
    private const int BITS_PER_LONG = 64;

    // mm/mempolicy.c, get_bitmap(), v5.14. Correct: ret holds either compat_get_bitmap()'s errno or
    // copy_from_user()'s byte count, and is only tested for zero.
    public static int GetBitmap(ulong[] mask, UserPtr nmask, ulong maxnode, bool inCompatSyscall) // expect: none
    {
        ulong nlongs = (maxnode + BITS_PER_LONG - 1) / BITS_PER_LONG;
        int ret;

        if (inCompatSyscall)
            ret = Helpers.CompatGetBitmap(mask, nmask, maxnode);
        else
        {
            var bytes = new byte[nlongs * 8];
            ret = CopyFromUser(bytes, nmask);
            Buffer.BlockCopy(bytes, 0, mask, 0, bytes.Length);
        }

        if (ret != 0)
            return -EFAULT;

        if (maxnode % BITS_PER_LONG != 0)
            mask[nlongs - 1] &= (1UL << (int)(maxnode % BITS_PER_LONG)) - 1;

        return 0;
    }

    // mm/mempolicy.c, get_nodes(), v5.14. Correct: maxnode is bounded by PAGE_SIZE * BITS_PER_BYTE before
    // the loop that checks the unsupported words one at a time from the end.
    public static int GetNodes(ulong[] nodes, UserPtr nmask, ulong maxnode, bool inCompatSyscall) // expect: none
    {
        --maxnode;
        Array.Clear(nodes);
        if (maxnode == 0 || nmask == default)
            return 0;
        if (maxnode > PAGE_SIZE * 8)
            return -EINVAL;

        /*
         * When the user specified more nodes than supported just check
         * if the non supported part is all zero, one word at a time,
         * starting at the end.
         */
        while (maxnode > MAX_NUMNODES)
        {
            ulong bits = Math.Min(maxnode, BITS_PER_LONG);
            var t = new ulong[1];

            if (GetBitmap(t, nmask + (long)((maxnode - 1) / BITS_PER_LONG * 8), bits, inCompatSyscall) != 0)
                return -EFAULT;

            if (maxnode - bits >= MAX_NUMNODES)
            {
                maxnode -= bits;
            }
            else
            {
                maxnode = MAX_NUMNODES;
                t[0] &= ~((1UL << (int)(MAX_NUMNODES % BITS_PER_LONG)) - 1);
            }

            if (t[0] != 0)
                return -EINVAL;
        }

        return GetBitmap(nodes, nmask, maxnode, inCompatSyscall);
    }

    // mm/mempolicy.c, copy_nodes_to_user(), v5.14. Correct: clear_user() of the tail beyond the kernel's
    // mask (bounded by PAGE_SIZE), then the copy.
    public static int CopyNodesToUser(UserPtr mask, ulong maxnode, byte[] nodes, int nrNodeIds) // expect: none
    {
        ulong copy = ((maxnode - 1 + 63) & ~63UL) / 8;
        int nbytes = (nrNodeIds + 63) / 64 * 8;

        if (copy > (ulong)nbytes)
        {
            if (copy > PAGE_SIZE)
                return -EINVAL;
            if (ClearUser(mask + nbytes, (int)copy - nbytes) != 0)
                return -EFAULT;
            copy = (ulong)nbytes;
        }

        return CopyToUser(mask, nodes.AsSpan(0, (int)copy)) != 0 ? -EFAULT : 0;
    }
}

internal static class Helpers
{
    /// <summary>__copy_to_user_inatomic(): no access_ok(), never handles a fault.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, "to", Size = "from")]
    public static int CopyToUserInatomic([RequiresAccessOk] UserPtr to, ReadOnlySpan<byte> from)
        => CopyToUserNofault(to, from) != 0 ? from.Length : 0;

    /// <summary>__copy_from_user_inatomic(): no access_ok(), never handles a fault.</summary>
    [NofaultAccess]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Read, "from", Size = "to")]
    public static int CopyFromUserInatomic(Span<byte> to, [RequiresAccessOk] UserPtr from)
        => CopyFromUserNofault(to, from) != 0 ? to.Length : 0;

    /// <summary>compat_get_bitmap(): 0 or -EFAULT.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    [UserAccess(AccessKind.Read, "umask", Size = "bitmapSize")]
    public static int CompatGetBitmap(ulong[] mask, UserPtr umask, ulong bitmapSize)
    {
        var bytes = new byte[(bitmapSize + 31) / 32 * 4];
        if (CopyFromUser(bytes, umask) != 0)
            return -EFAULT;
        Buffer.BlockCopy(bytes, 0, mask, 0, Math.Min(bytes.Length, mask.Length * 8));
        return 0;
    }
}
