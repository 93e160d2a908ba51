// Held out: mm/ and fs/ syscalls the corpus did not have, each defect before and after the kernel's own change,
// and current correct code from the same files doing the same things right:
// - include/linux/poll.h get_fd_set(): the byte count of __copy_from_user() returned as the errno sys_select()
//   passes to user space (Linux 2.2), and the Linux 2.4 version that turns it into -EFAULT;
// - include/linux/poll.h set_fd_set(): the result of __copy_to_user() dropped, so select() cannot report a bad
//   result set (Linux 2.4 to 2.6.0, "this function has no way to return -EFAULT on bad userspace access"), and
//   the __must_check version with fs/select.c core_sys_select() checking it (v2.6.18);
// - fs/select.c sys_poll(), Linux 2.4: the revents __put_user() results dropped (2.5/2.6's poll_list rework
//   returns -EFAULT);
// - mm/mempolicy.c sys_get_mempolicy(): put_user() and copy_nodes_to_user() with mmap_sem held for read
//   (v2.6.11), before and after Olof Johansson's "Futex mmap_sem deadlock" fix (Feb 2005) that drops the lock
//   first;
// - mm/mempolicy.c compat_sys_get_mempolicy(): copy_from_user() | clear_user() byte counts returned as the
//   syscall's result (the same shape from v2.6.1x to v5.12, removed by e130242dc351 "mm: simplify compat numa
//   syscalls"), with compat_sys_set_mempolicy() (v2.6.1x: the same or'ed results, tested != 0, -EFAULT
//   returned) and the v5.x kernel_get_mempolicy();
// - fs/namespace.c exact_copy_from_user() (v4.x), fs/read_write.c sys_sendfile() (v3.x) and fs/pipe.c
//   pipe_ioctl() FIONREAD (v5.8): correct.
// Fd tables, do_select()'s wait, the mempolicy lookup, the file plumbing and the pipe ring are stubs; the user
// pointers, the copies, the checks, the locks and the control flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.MmFsSyscalls;

/// <summary>fd_set_bits: the six kernel bitmaps of a select() call.</summary>
public sealed class FdSetBits
{
    public byte[] In = Array.Empty<byte>();
    public byte[] Out = Array.Empty<byte>();
    public byte[] Ex = Array.Empty<byte>();
    public byte[] ResIn = Array.Empty<byte>();
    public byte[] ResOut = Array.Empty<byte>();
    public byte[] ResEx = Array.Empty<byte>();
}

public static class Select
{
    private const int ERESTARTNOHAND = 514;

    // include/linux/poll.h, get_fd_set(), Linux 2.2 (the tree with struct wait_queue poll entries and
    // fd_set_buffer). Buggy: `error = __copy_from_user(fdset, ufdset, nr); return error;` hands the number of
    // bytes not copied back as the error, and sys_select() does `if ((ret = get_fd_set(n, inp, fds->in)) ||
    // ...) goto out;` and returns it: a partly unmapped fd_set makes select() return a positive count instead
    // of -EFAULT. Linux 2.4 (next function) tests the copy and returns -EFAULT.
    public static int GetFdSetV22(long nr, UserPtr ufdset, byte[] fdset)
    {
        /* round up nr to nearest "unsigned long" */
        nr = Helpers.FdsBytes(nr);
        if (ufdset != UserPtr.Null)
        {
            int error;
            error = AccessOk(ufdset, nr) ? 0 : -EFAULT; /* verify_area(VERIFY_WRITE, ufdset, nr) */
            if (error == 0)
                error = Helpers.CopyFromUserUnchecked(fdset.AsSpan(0, (int)nr), ufdset);
            return error; // expect: UA5002
        }
        Array.Clear(fdset, 0, (int)nr);
        return 0;
    }

    // include/linux/poll.h, get_fd_set(), Linux 2.4 / 2.6.0 (FDS_BYTES()). Correct: the range is checked for
    // write (set_fd_set() writes it back later without a check) and a short copy becomes -EFAULT.
    public static int GetFdSetV24(long nr, UserPtr ufdset, byte[] fdset) // expect: none
    {
        nr = Helpers.FdsBytes(nr);
        if (ufdset != UserPtr.Null)
        {
            int error;
            error = AccessOk(ufdset, nr) ? 0 : -EFAULT; /* verify_area(VERIFY_WRITE, ufdset, nr) */
            if (error == 0 && Helpers.CopyFromUserUnchecked(fdset.AsSpan(0, (int)nr), ufdset) != 0)
                error = -EFAULT;
            return error;
        }
        Array.Clear(fdset, 0, (int)nr);
        return 0;
    }

    // include/linux/poll.h, set_fd_set(), Linux 2.4 to 2.6.0 (void). Buggy: the result of __copy_to_user() is
    // dropped, so select() reports success with its result sets unwritten. Arjan van de Ven's 2003
    // warn_unused_result patch marked it "warning: this function has no way to return -EFAULT on bad userspace
    // access"; Andrew Morton: "Wouldn't it be neater to make this return the __copy_to_user() result?  And to
    // mark it __must_check?  And to fix the bug you just found in sys_select()?", which v2.6.18 (next
    // function) has. The pointer was checked for write by get_fd_set() in the same syscall.
    public static void SetFdSetV24(long nr, [RequiresAccessOk] UserPtr ufdset, byte[] fdset)
    {
        if (ufdset != UserPtr.Null)
            Helpers.CopyToUserUnchecked(ufdset, fdset.AsSpan(0, Helpers.FdsBytes(nr))); // expect: UA5001
    }

    // include/linux/poll.h, set_fd_set(), v2.6.18: __must_check, returns the bytes not copied. Correct.
    [MustCheck]
    [ReturnsBytesNotCopied]
    public static int SetFdSetV2618(long nr, [RequiresAccessOk] UserPtr ufdset, byte[] fdset) // expect: none
    {
        if (ufdset != UserPtr.Null)
            return Helpers.CopyToUserUnchecked(ufdset, fdset.AsSpan(0, Helpers.FdsBytes(nr)));
        return 0;
    }

    // fs/select.c, core_sys_select(), v2.6.18 (the structure kept to today's kvmalloc() version). Correct: the three sets are copied in by get_fd_set()
    // (copy_from_user(), range-checked there), written back by set_fd_set() with __copy_to_user() on the same
    // pointers and sizes, every result tested, -EFAULT if any fails. The kernel relies on get_fd_set()'s
    // range check for set_fd_set()'s unchecked copy (the same code is in today's fs/select.c).
    public static int CoreSysSelectV2618(int n, UserPtr inp, UserPtr outp, UserPtr exp, ref long timeout) // expect: none
    {
        var fds = new FdSetBits();
        byte[]? bits;
        int ret, size, maxFdset;

        ret = -EINVAL;
        if (n < 0)
            goto out_nofds;

        /* max_fdset can increase, so grab it once to avoid race */
        maxFdset = Helpers.MaxFdset();
        if (n > maxFdset)
            n = maxFdset;

        /*
         * We need 6 bitmaps (in/out/ex for both incoming and outgoing),
         * since we used fdset we need to allocate memory in units of
         * long-words.
         */
        ret = -ENOMEM;
        size = Helpers.FdsBytes(n);
        bits = Helpers.KmallocOrNull(6 * size);
        if (bits == null)
            goto out_nofds;
        fds.In = new byte[size];
        fds.Out = new byte[size];
        fds.Ex = new byte[size];
        fds.ResIn = new byte[size];
        fds.ResOut = new byte[size];
        fds.ResEx = new byte[size];

        if ((ret = Helpers.GetFdSetV2618(n, inp, fds.In)) != 0 ||
            (ret = Helpers.GetFdSetV2618(n, outp, fds.Out)) != 0 ||
            (ret = Helpers.GetFdSetV2618(n, exp, fds.Ex)) != 0)
            goto out_;
        /* zero_fd_set(n, fds.res_in); ... */
        Array.Clear(fds.ResIn);
        Array.Clear(fds.ResOut);
        Array.Clear(fds.ResEx);

        ret = Helpers.DoSelect(n, fds, ref timeout);

        if (ret < 0)
            goto out_;
        if (ret == 0)
        {
            ret = -ERESTARTNOHAND;
            if (SignalPending())
                goto out_;
            ret = 0;
        }

        if (SetFdSetV2618(n, inp, fds.ResIn) != 0 ||
            SetFdSetV2618(n, outp, fds.ResOut) != 0 ||
            SetFdSetV2618(n, exp, fds.ResEx) != 0)
            ret = -EFAULT;

    out_:
        /* if (bits != stack_fds) kfree(bits); */
    out_nofds:
        return ret;
    }

    private const int POLLFD_SIZE = 8; /* sizeof(struct pollfd): int fd; short events; short revents; */
    private const int POLLFD_PER_PAGE = 4096 / POLLFD_SIZE;
    private const int REVENTS_OFFSET = 6;
    private const int EINTR = 4;

    // fs/select.c, sys_poll(), Linux 2.4 (the PAGE_SIZE chunks of 24 January 2000, poll_initwait()). Buggy:
    // the revents fields are written back with __put_user() and every result is dropped, so poll() reports
    // its count with the caller's pollfd array unwritten when the write faults. The 2.5/2.6 rewrite onto a
    // poll_list (Manfred Spraul) checks each one: `if(__put_user(fds[j].revents, &ufds->revents)) goto
    // out_fds;` with err = -EFAULT. The ufds range was checked by the copy_from_user() of the same chunks;
    // nfds is bounded by max_fdset/OPEN_MAX.
    public static long SysPollV24(UserPtr ufds, uint nfds, long timeout)
    {
        int i, j, fdcount, err;
        short[][]? fds;
        int nchunks, nleft;

        /* Do a sanity check on nfds ... */
        if (nfds > Helpers.MaxFdset() && nfds > Helpers.OpenMax())
            return -EINVAL;

        /* timeout conversion; poll_initwait(&table); wait = timeout ? &table : NULL; */

        err = -ENOMEM;
        fds = null;
        if (nfds != 0)
        {
            fds = Helpers.KmallocChunkArray((int)(1 + (nfds - 1) / POLLFD_PER_PAGE));
            if (fds == null)
                goto out_;
        }

        nchunks = 0;
        nleft = (int)nfds;
        while (nleft > POLLFD_PER_PAGE)
        { /* allocate complete PAGE_SIZE chunks */
            fds![nchunks] = Helpers.GetFreePage();
            if (fds[nchunks] == null)
                goto out_fds;
            nchunks++;
            nleft -= POLLFD_PER_PAGE;
        }
        if (nleft != 0)
        { /* allocate last PAGE_SIZE chunk, only nleft elements used */
            fds![nchunks] = Helpers.GetFreePage();
            if (fds[nchunks] == null)
                goto out_fds;
        }

        err = -EFAULT;
        for (i = 0; i < nchunks; i++)
            if (CopyFromUser(System.Runtime.InteropServices.MemoryMarshal.AsBytes(fds![i].AsSpan()), ufds + (long)i * POLLFD_PER_PAGE * POLLFD_SIZE) != 0)
                goto out_fds1;
        if (nleft != 0)
        {
            if (CopyFromUser(System.Runtime.InteropServices.MemoryMarshal.AsBytes(fds![nchunks].AsSpan(0, nleft * 4)),
                    ufds + (long)nchunks * POLLFD_PER_PAGE * POLLFD_SIZE) != 0)
                goto out_fds1;
        }

        fdcount = Helpers.DoPoll((int)nfds, nchunks, nleft, fds, timeout);

        /* OK, now copy the revents fields back to user space. */
        for (i = 0; i < nchunks; i++)
            for (j = 0; j < POLLFD_PER_PAGE; j++, ufds = ufds + POLLFD_SIZE)
                PutUserUnchecked(fds![i][j * 4 + 3], (ufds + REVENTS_OFFSET).Cast<short>()); // expect: UA5001
        if (nleft != 0)
            for (j = 0; j < nleft; j++, ufds = ufds + POLLFD_SIZE)
                PutUserUnchecked(fds![nchunks][j * 4 + 3], (ufds + REVENTS_OFFSET).Cast<short>()); // expect: UA5001

        err = fdcount;
        if (fdcount == 0 && SignalPending())
            err = -EINTR;

    out_fds1:
        /* if (nleft) free_page(fds[nchunks]); */
    out_fds:
        /* for (i = 0; i < nchunks; i++) free_page(fds[i]); if (nfds != 0) kfree(fds); */
    out_:
        /* poll_freewait(&table); */
        return err;
    }
}

public static class Mempolicy
{
    private const int BITS_PER_LONG = 64;
    private const int MAX_NUMNODES = 1024;

    // mm/mempolicy.c, compat_sys_get_mempolicy(), the v4.19 to v5.12 text (kernel_get_mempolicy(), nr_node_ids,
    // copy_size; the same err |= shape since v2.6.1x, where it called sys_get_mempolicy()); removed by e130242dc351 "mm: simplify compat numa syscalls" (Arnd
    // Bergmann, v5.13), which passes the compat mask to kernel_get_mempolicy() directly. Buggy: err is
    // copy_from_user() | clear_user() | compat_put_bitmap(), byte counts or'ed with an errno, and it is
    // returned as the syscall's result: a bad nmask makes get_mempolicy() return a positive count, not
    // -EFAULT.
    public static long CompatSysGetMempolicy(UserPtr<int> policy, UserPtr nmask, ulong maxnode, ulong addr, ulong flags)
    {
        long err;
        UserPtr nm = UserPtr.Null;
        long nrBits, allocSize;
        byte[] bm = new byte[MAX_NUMNODES / 8]; /* DECLARE_BITMAP(bm, MAX_NUMNODES) */

        nrBits = Math.Min((long)maxnode - 1, Helpers.NrNodeIds());
        allocSize = Helpers.Align(nrBits, BITS_PER_LONG) / 8;

        if (nmask != UserPtr.Null)
            nm = Helpers.CompatAllocUserSpace(allocSize);

        err = Helpers.KernelGetMempolicy(policy, nm, (ulong)nrBits + 1, addr, flags);

        if (err == 0 && nmask != UserPtr.Null)
        {
            long copySize;
            copySize = Math.Min(bm.Length, allocSize);
            err = CopyFromUser(bm.AsSpan(0, (int)copySize), nm);
            /* ensure entire bitmap is zeroed */
            err |= ClearUser(nmask, Helpers.Align((long)maxnode - 1, 8) / 8);
            err |= Helpers.CompatPutBitmap(nmask, bm, nrBits);
        }

        return err; // expect: UA5002
    }

    // mm/mempolicy.c, compat_sys_set_mempolicy(), v2.6.1x (asmlinkage, before it returned at each failing copy).
    // Correct: compat_get_bitmap()'s errno and copy_to_user()'s count are or'ed, but only tested for non-zero,
    // and the syscall returns -EFAULT.
    public static long CompatSysSetMempolicy(int mode, UserPtr nmask, ulong maxnode) // expect: none
    {
        long err = 0;
        UserPtr nm = UserPtr.Null;
        long nrBits, allocSize;
        byte[] bm = new byte[MAX_NUMNODES / 8];

        nrBits = Math.Min((long)maxnode - 1, MAX_NUMNODES);
        allocSize = Helpers.Align(nrBits, BITS_PER_LONG) / 8;

        if (nmask != UserPtr.Null)
        {
            err = Helpers.CompatGetBitmap(bm, nmask, nrBits);
            nm = Helpers.CompatAllocUserSpace(allocSize);
            err |= CopyToUser(nm, bm.AsSpan(0, (int)allocSize));
        }

        if (err != 0)
            return -EFAULT;

        return Helpers.KernelSetMempolicy(mode, nm, (ulong)nrBits + 1);
    }

    private const ulong MPOL_F_NODE = 1;
    private const ulong MPOL_F_ADDR = 2;
    private const int MPOL_INTERLEAVE = 3;

    // mm/mempolicy.c, sys_get_mempolicy(), v2.6.11. Buggy: with MPOL_F_ADDR the policy and the node mask are
    // put_user()ed and copy_to_user()ed with mmap_sem still held for read; a fault on them takes mmap_sem
    // again in do_page_fault() and deadlocks behind a queued writer. Olof Johansson, "[PATCH/RFC] Futex
    // mmap_sem deadlock" (Feb 2005): "Auditing other read-takers of mmap_sem, I found one more exposure that
    // could be solved by just moving code around": the mempolicy hunk drops mmap_sem before the copies (next
    // function).
    public static int SysGetMempolicyV2611(UserPtr<int> policy, UserPtr nmask, ulong maxnode, ulong addr, ulong flags)
    {
        int err, pval;
        Mm mm = Current.Mm;
        Helpers.Vma? vma = null;
        Helpers.Mempolicy? pol = Helpers.CurrentMempolicy();

        if ((flags & ~(MPOL_F_NODE | MPOL_F_ADDR)) != 0)
            return -EINVAL;
        if (nmask != UserPtr.Null && maxnode < MAX_NUMNODES)
            return -EINVAL;
        if ((flags & MPOL_F_ADDR) != 0)
        {
            MmapReadLock(mm);
            vma = Helpers.FindVmaIntersection(mm, addr, addr + 1);
            if (vma == null)
            {
                MmapReadUnlock(mm);
                return -EFAULT;
            }
            pol = Helpers.VmaGetPolicy(vma, addr);
        }
        else if (addr != 0)
            return -EINVAL;

        if (pol == null)
            pol = Helpers.DefaultPolicy;

        if ((flags & MPOL_F_NODE) != 0)
        {
            if ((flags & MPOL_F_ADDR) != 0)
            {
                err = Helpers.LookupNode(mm, addr);
                if (err < 0)
                    goto out_;
                pval = err;
            }
            else if (pol == Helpers.CurrentMempolicy() && pol.Policy == MPOL_INTERLEAVE)
            {
                pval = Helpers.CurrentIlNext();
            }
            else
            {
                err = -EINVAL;
                goto out_;
            }
        }
        else
            pval = pol.Policy;

        err = -EFAULT;
        if (policy != new UserPtr<int>(0) && PutUser(pval, policy) != 0) // expect: UA2002
            goto out_;

        err = 0;
        if (nmask != UserPtr.Null)
        {
            byte[] nodes = new byte[MAX_NUMNODES / 8]; /* DECLARE_BITMAP(nodes, MAX_NUMNODES) */
            Helpers.GetZonemask(pol, nodes);
            err = Helpers.CopyNodesToUser(nmask, maxnode, nodes); // expect: UA2002
        }

    out_:
        if (vma != null)
            MmapReadUnlock(Current.Mm);
        return err;
    }

    // mm/mempolicy.c, sys_get_mempolicy(), as merged after the Feb 2005 fix above (a v2.6.1x tree: Andrew Morton
    // asked for get_zonemask() to stay after the unlock, and put_user() returns -EFAULT directly). Correct: mmap_sem is dropped
    // (and vma cleared so the exit path does not drop it twice) before put_user() and copy_nodes_to_user().
    public static int SysGetMempolicyV2612(UserPtr<int> policy, UserPtr nmask, ulong maxnode, ulong addr, ulong flags) // expect: none
    {
        int err, pval;
        Mm mm = Current.Mm;
        Helpers.Vma? vma = null;
        Helpers.Mempolicy? pol = Helpers.CurrentMempolicy();

        if ((flags & ~(MPOL_F_NODE | MPOL_F_ADDR)) != 0)
            return -EINVAL;
        if (nmask != UserPtr.Null && maxnode < MAX_NUMNODES)
            return -EINVAL;
        if ((flags & MPOL_F_ADDR) != 0)
        {
            MmapReadLock(mm);
            vma = Helpers.FindVmaIntersection(mm, addr, addr + 1);
            if (vma == null)
            {
                MmapReadUnlock(mm);
                return -EFAULT;
            }
            pol = Helpers.VmaGetPolicy(vma, addr);
        }
        else if (addr != 0)
            return -EINVAL;

        if (pol == null)
            pol = Helpers.DefaultPolicy;

        if ((flags & MPOL_F_NODE) != 0)
        {
            if ((flags & MPOL_F_ADDR) != 0)
            {
                err = Helpers.LookupNode(mm, addr);
                if (err < 0)
                    goto out_;
                pval = err;
            }
            else if (pol == Helpers.CurrentMempolicy() && pol.Policy == MPOL_INTERLEAVE)
            {
                pval = Helpers.CurrentIlNext();
            }
            else
            {
                err = -EINVAL;
                goto out_;
            }
        }
        else
            pval = pol.Policy;

        if (vma != null)
        {
            MmapReadUnlock(Current.Mm);
            vma = null;
        }

        if (policy != new UserPtr<int>(0) && PutUser(pval, policy) != 0)
            return -EFAULT;

        err = 0;
        if (nmask != UserPtr.Null)
        {
            byte[] nodes = new byte[MAX_NUMNODES / 8];
            Helpers.GetZonemask(pol, nodes);
            err = Helpers.CopyNodesToUser(nmask, maxnode, nodes);
        }

    out_:
        if (vma != null)
            MmapReadUnlock(Current.Mm);
        return err;
    }

    // mm/mempolicy.c, kernel_get_mempolicy(), v5.4 to v5.12. Correct: the policy is put_user()ed with its
    // result tested, the node mask goes through copy_nodes_to_user() (clear_user() of the tail and
    // copy_to_user(), both turned into -EFAULT), no user access under the mmap lock (do_get_mempolicy() drops
    // it before returning).
    public static int KernelGetMempolicy(UserPtr<int> policy, UserPtr nmask, ulong maxnode, ulong addr, ulong flags) // expect: none
    {
        int err;
        int pval;
        var nodes = new byte[MAX_NUMNODES / 8]; /* nodemask_t */

        if (nmask != UserPtr.Null && maxnode < (ulong)Helpers.NrNodeIds())
            return -EINVAL;

        addr = Helpers.UntaggedAddr(addr);

        err = Helpers.DoGetMempolicy(out pval, nodes, addr, flags);

        if (err != 0)
            return err;

        if (policy != new UserPtr<int>(0) && PutUser(pval, policy) != 0)
            return -EFAULT;

        if (nmask != UserPtr.Null)
            err = Helpers.CopyNodesToUser(nmask, maxnode, nodes);

        return err;
    }
}

public static class FsSyscalls
{
    private const int PAGE_SIZE = 4096;
    private const int EBADF = 9;
    private const int ENOIOCTLCMD = 515;
    private const uint FIONREAD = 0x541B;

    // fs/namespace.c, exact_copy_from_user(), v4.x (before the v5.x copy_mount_options() rewrite that dropped
    // it). Correct: access_ok() on the whole range, then __get_user() a byte at a time, stopping at the first
    // fault and zeroing the rest; the loop is bounded by n (PAGE_SIZE at most, from copy_mount_options()).
    // Returns the bytes not copied, as its caller expects.
    [ReturnsBytesNotCopied]
    public static long ExactCopyFromUser(byte[] to, UserPtr from, long n) // expect: none
    {
        int t = 0;
        UserPtr<byte> f = from.Cast<byte>();
        byte c;

        if (!AccessOk(from, n))
            return n;

        while (n != 0)
        {
            if (GetUserUnchecked(out c, f) != 0)
            {
                Array.Clear(to, t, (int)n);
                break;
            }
            to[t++] = c;
            f = f + 1;
            n--;
        }
        return n;
    }

    // fs/read_write.c, sys_sendfile64(), v3.x. Correct: the offset is fetched once with copy_from_user(),
    // used, and the new position written back with put_user(), both results turned into -EFAULT.
    public static long SysSendfile64(int outFd, int inFd, UserPtr<long> offset, long count) // expect: none
    {
        long pos;
        long ret;

        if (offset != new UserPtr<long>(0))
        {
            if (CopyFromUser(out pos, offset) != 0)
                return -EFAULT;
            ret = Helpers.DoSendfile(outFd, inFd, ref pos, count, 0);
            if (PutUser(pos, offset) != 0)
                return -EFAULT;
            return ret;
        }

        return Helpers.DoSendfileNoPos(outFd, inFd, count, 0);
    }

    // fs/pipe.c, pipe_ioctl(), v5.8 (the head/tail ring; the CONFIG_WATCH_QUEUE cases are left out).
    // Correct: the ring is summed under the pipe mutex, and put_user() runs after __pipe_unlock().
    public static long PipeIoctl(Helpers.PipeInodeInfo pipe, uint cmd, ulong arg) // expect: none
    {
        int count;
        uint head, tail, mask;

        switch (cmd)
        {
            case FIONREAD:
                pipe.Mutex.Lock(); /* __pipe_lock(pipe) */
                count = 0;
                head = pipe.Head;
                tail = pipe.Tail;
                mask = pipe.RingSize - 1;

                while (tail != head)
                {
                    count += pipe.BufLen[tail & mask];
                    tail++;
                }
                pipe.Mutex.Unlock(); /* __pipe_unlock(pipe) */

                return PutUser(count, new UserPtr<int>(arg));

            default:
                return -ENOIOCTLCMD;
        }
    }
}

public static class Helpers
{
    /// <summary>FDS_BYTES(nr): the bytes of nr bits rounded up to whole longs.</summary>
    public static int FdsBytes(long nr) => (int)((nr + 8 * sizeof(long) - 1) / (8 * sizeof(long)) * sizeof(long));

    /// <summary>ALIGN(x, a).</summary>
    public static long Align(long x, long a) => (x + a - 1) / a * a;

    /// <summary>struct pipe_inode_info: the mutex, the ring indices and each buffer's length.</summary>
    public sealed class PipeInodeInfo
    {
        public KernelMutex Mutex = new();
        public uint Head;
        public uint Tail;
        public uint RingSize = 16;
        public int[] BufLen = new int[16];
    }

    /// <summary>__copy_to_user(): no access_ok(); the bytes not copied.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Write, "to", Size = "from")]
    public static int CopyToUserUnchecked([RequiresAccessOk] UserPtr to, ReadOnlySpan<byte> from)
    {
        for (int i = 0; i < from.Length; i++)
        {
            if (PutUserUnchecked(from[i], (to + i).Cast<byte>()) != 0)
                return from.Length - i;
        }
        return 0;
    }

    /// <summary>__copy_from_user(): no access_ok(); the bytes not copied (the tail zero-filled).</summary>
    [MightFault]
    [MustCheck]
    [ReturnsBytesNotCopied]
    [UserAccess(AccessKind.Read, "from", Size = "to")]
    public static int CopyFromUserUnchecked(Span<byte> to, [RequiresAccessOk] UserPtr from)
    {
        for (int i = 0; i < to.Length; i++)
        {
            if (GetUserUnchecked(out byte b, (from + i).Cast<byte>()) != 0)
            {
                to.Slice(i).Clear();
                return to.Length - i;
            }
            to[i] = b;
        }
        return 0;
    }

    /// <summary>include/linux/poll.h get_fd_set(), v2.6.18 (fs/select.c's get_fd_set() is in the corpus as v5.15):
    /// copy_from_user(), -EFAULT or 0.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    public static int GetFdSetV2618(long nr, UserPtr ufdset, byte[] fdset)
    {
        nr = FdsBytes(nr);
        if (ufdset != UserPtr.Null)
            return CopyFromUser(fdset.AsSpan(0, (int)nr), ufdset) != 0 ? -EFAULT : 0;

        Array.Clear(fdset, 0, (int)nr);
        return 0;
    }

    /// <summary>struct vm_area_struct: opaque here.</summary>
    public sealed class Vma
    {
    }

    /// <summary>struct mempolicy: the mode.</summary>
    public sealed class Mempolicy
    {
        public int Policy;
    }

    /// <summary>default_policy.</summary>
    public static readonly Mempolicy DefaultPolicy = new();

    /// <summary>current->mempolicy.</summary>
    public static Mempolicy? CurrentMempolicy() => null;

    /// <summary>current->il_next.</summary>
    public static int CurrentIlNext() => 0;

    /// <summary>find_vma_intersection(): the caller holds mmap_sem.</summary>
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static Vma? FindVmaIntersection(Mm mm, ulong start, ulong end) => new Vma();

    /// <summary>vma->vm_ops->get_policy(vma, addr) or vma->vm_policy.</summary>
    public static Mempolicy? VmaGetPolicy(Vma vma, ulong addr) => null;

    /// <summary>lookup_node(): get_user_pages() of one page under the caller's mmap_sem; the node or an errno.</summary>
    public static int LookupNode(Mm mm, ulong addr) => 0;

    /// <summary>get_zonemask(): the policy's nodes; no user access.</summary>
    public static void GetZonemask(Mempolicy pol, byte[] nodes)
    {
    }

    /// <summary>kmalloc() of the chunk pointer array.</summary>
    public static short[][]? KmallocChunkArray(int n) => new short[n][];

    /// <summary>__get_free_page(GFP_KERNEL): one page of struct pollfd (fd, events, revents as shorts).</summary>
    public static short[]? GetFreePage() => new short[4096 / 2];

    /// <summary>OPEN_MAX.</summary>
    public static int OpenMax() => 256;

    /// <summary>do_poll(): polls the fds and fills revents; no user access.</summary>
    public static int DoPoll(int nfds, int nchunks, int nleft, short[][]? fds, long timeout) => 0;

    /// <summary>files_fdtable(current->files)->max_fdset, read under rcu_read_lock().</summary>
    public static int MaxFdset() => 1024;

    /// <summary>kmalloc(size, GFP_KERNEL).</summary>
    public static byte[]? KmallocOrNull(int size) => new byte[size];

    /// <summary>do_select(): polls the files and fills the result sets; no user access.</summary>
    public static int DoSelect(int n, FdSetBits fds, ref long timeout) => 0;

    /// <summary>nr_node_ids.</summary>
    public static long NrNodeIds() => 64;

    /// <summary>compat_alloc_user_space(len): room on the user stack below the compat frame.</summary>
    public static UserPtr CompatAllocUserSpace(long len) => new UserPtr(0x7fff_0000UL - (ulong)len);

    /// <summary>kernel_get_mempolicy()/sys_get_mempolicy(): 0 or a negative errno.</summary>
    [MustCheck]
    [ReturnsErrno]
    public static int KernelGetMempolicy(UserPtr<int> policy, UserPtr nmask, ulong maxnode, ulong addr, ulong flags) => 0;

    /// <summary>kernel_set_mempolicy()/sys_set_mempolicy(): 0 or a negative errno.</summary>
    [MustCheck]
    [ReturnsErrno]
    public static long KernelSetMempolicy(int mode, UserPtr nmask, ulong maxnode) => 0;

    /// <summary>compat_put_bitmap(): -EFAULT or 0.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    public static long CompatPutBitmap(UserPtr umask, byte[] mask, long bitmapSize)
        => CopyToUser(umask, mask.AsSpan(0, (int)((bitmapSize + 7) / 8))) != 0 ? -Errno.EFAULT : 0;

    /// <summary>compat_get_bitmap(): -EFAULT or 0.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    public static long CompatGetBitmap(byte[] mask, UserPtr umask, long bitmapSize)
        => CopyFromUser(mask.AsSpan(0, (int)((bitmapSize + 7) / 8)), umask) != 0 ? -Errno.EFAULT : 0;

    /// <summary>untagged_addr().</summary>
    public static ulong UntaggedAddr(ulong addr) => addr & 0x00FF_FFFF_FFFF_FFFFUL;

    /// <summary>do_get_mempolicy(): looks the policy up (taking and dropping the mmap lock); no user access.</summary>
    [MustCheck]
    [ReturnsErrno]
    public static int DoGetMempolicy(out int pval, byte[] nodes, ulong addr, ulong flags)
    {
        pval = 0;
        return 0;
    }

    /// <summary>copy_nodes_to_user(): clear_user() of the tail and copy_to_user(); -EFAULT or 0.</summary>
    [MightFault]
    [MustCheck]
    [ReturnsErrno]
    public static int CopyNodesToUser(UserPtr mask, ulong maxnode, byte[] nodes)
        => CopyToUser(mask, nodes.AsSpan(0, (int)Math.Min((long)nodes.Length, ((long)maxnode + 7) / 8))) != 0 ? -Errno.EFAULT : 0;

    /// <summary>do_sendfile() with a position: bytes sent or a negative errno; no user access.</summary>
    [ReturnsErrno]
    public static long DoSendfile(int outFd, int inFd, ref long pos, long count, long max) => 0;

    /// <summary>do_sendfile(out_fd, in_fd, NULL, count, 0).</summary>
    [ReturnsErrno]
    public static long DoSendfileNoPos(int outFd, int inFd, long count, long max) => 0;
}
