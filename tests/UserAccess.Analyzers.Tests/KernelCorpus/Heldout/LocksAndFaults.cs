// Held out: user accesses in the wrong context, from fix commits in areas the rest of the corpus does not
// cover. drivers/iio/industrialio-event.c iio_event_chrdev_read() (kfifo_to_user() under the wait queue's
// spinlock, fixed by b91accafbb10 "iio:event: Fix and cleanup locking"), drivers/infiniband/hw/qib
// qib_user_sdma_writev() (copy_from_user() under mmap_sem held for write, fixed by Jan Kara's "IB/qib:
// Convert qib_user_sdma_pin_pages() to use get_user_pages_fast()"), and security/keys/keyctl.c
// keyctl_read_key() (the key type's ->read() copying to user space under key->sem, fixed by d3ec10aa9581
// "KEYS: Don't write out to userspace while holding key semaphore"), and fs/splice.c get_iovec_page_array()
// (vmsplice() reading the iovec array with get_user() under mmap_sem, fixed in v2.6.23 with
// copy_from_user_mmap_sem()), and drivers/staging/rdma/hfi1/diag.c hfi1_ioctl() (the snoop device's ioctl
// under a spinlock, fixed by 33ab349037db). Each before and after its fix; the device work, the packet building, the key
// lookup and the page pinning are stubs.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.LocksAndFaults;

/// <summary>wait_queue_head_t, reduced to its spinlock.</summary>
public sealed class WaitQueueHead(KernelSpinlock @lock)
{
    public KernelSpinlock Lock = @lock;
}

/// <summary>struct iio_event_interface: the wait queue, the event kfifo and (after the fix) read_lock.</summary>
public sealed class IioEventInterface(WaitQueueHead wait, KernelMutex readLock)
{
    public WaitQueueHead Wait = wait;

    /// <summary>The mutex b91accafbb10 added to serialise readers of det_events.</summary>
    public KernelMutex ReadLock = readLock;

    /// <summary>DECLARE_KFIFO(det_events, struct iio_event_data, 16): the queued records and their length.</summary>
    public byte[] DetEvents = new byte[16 * 16];
    public int DetEventsLen;
}

/// <summary>struct iio_dev, reduced to what the read path looks at.</summary>
public sealed class IioDev(IioEventInterface eventInterface)
{
    public IioEventInterface EventInterface = eventInterface;

    /// <summary>indio_dev->info: NULL once the driver has unregistered the device.</summary>
    public object? Info;
}

public static class IioEvent
{
    private const int SIZEOF_IIO_EVENT_DATA = 16;
    private const int ENODEV = 19;
    private const int ERESTARTSYS = 512;

    // drivers/iio/industrialio-event.c, iio_event_chrdev_read(), v3.6. Buggy: the wait queue's spinlock
    // (which also protects the kfifo against iio_push_event()) is held across kfifo_to_user(), a
    // copy_to_user() that may fault and sleep. b91accafbb10 ("iio:event: Fix and cleanup locking", Lars-Peter
    // Clausen) serialised readers with a new mutex, read_lock, and copies under it instead. The
    // wait_event_interruptible_locked() sleep itself drops the spinlock while it sleeps and is correct.
    public static long IioEventChrdevReadV36(IioEventInterface evInt, bool nonblock, UserPtr buf, long count)
    {
        uint copied = 0;
        int ret;

        if (count < SIZEOF_IIO_EVENT_DATA)
            return -EINVAL;

        evInt.Wait.Lock.Lock();
        if (Helpers.KfifoIsEmpty(evInt))
        {
            if (nonblock)
            {
                ret = -EAGAIN;
                goto error_unlock;
            }
            /* Blocking on device; waiting for something to be there */
            ret = Helpers.WaitEventInterruptibleLocked(evInt.Wait, evInt);
            if (ret != 0)
                goto error_unlock;
            /* Single access device so no one else can get the data */
        }

        ret = Helpers.KfifoToUser(evInt, buf, count, out copied); // expect: UA1001

    error_unlock:
        evInt.Wait.Lock.Unlock();

        return ret != 0 ? ret : copied;
    }

    // drivers/iio/industrialio-event.c, iio_event_chrdev_read(), v4.4 (after b91accafbb10 and the -ENODEV
    // checks for an unregistered device). Correct: the sleep is a plain wait_event_interruptible() with no
    // lock held, and kfifo_to_user() runs under the read_lock mutex, where it may fault and sleep.
    public static long IioEventChrdevRead(IioDev indioDev, bool nonblock, UserPtr buf, long count) // expect: none
    {
        IioEventInterface evInt = indioDev.EventInterface;
        uint copied;
        int ret;

        if (indioDev.Info == null)
            return -ENODEV;

        if (count < SIZEOF_IIO_EVENT_DATA)
            return -EINVAL;

        do
        {
            if (Helpers.KfifoIsEmpty(evInt))
            {
                if (nonblock)
                    return -EAGAIN;

                ret = Helpers.WaitEventInterruptible(evInt.Wait, indioDev);
                if (ret != 0)
                    return ret;
                if (indioDev.Info == null)
                    return -ENODEV;
            }

            if (evInt.ReadLock.LockKillable() != 0) /* mutex_lock_interruptible() */
                return -ERESTARTSYS;
            ret = Helpers.KfifoToUser(evInt, buf, count, out copied);
            evInt.ReadLock.Unlock();

            if (ret != 0)
                return ret;

            /*
             * If we couldn't read anything from the fifo (a different
             * thread might have been faster) we either return -EAGAIN if
             * the file descriptor is non-blocking, otherwise we go back to
             * sleep and wait for more data to arrive.
             */
            if (copied == 0 && nonblock)
                return -EAGAIN;

        } while (copied == 0);

        return copied;
    }
}

/// <summary>struct qib_user_sdma_queue, reduced to its mutex.</summary>
public sealed class QibUserSdmaQueue(KernelMutex @lock)
{
    public KernelMutex Lock = @lock;
    public uint Counter;
}

/// <summary>struct iovec as the writev() caller passed it (the array is already in kernel memory).</summary>
public readonly record struct IoVec(UserPtr IovBase, long IovLen);

public static class QibUserSdma
{
    // drivers/infiniband/hw/qib/qib_user_sdma.c, qib_user_sdma_writev(), v3.12. Buggy: the packets are built
    // with mmap_sem held for write around qib_user_sdma_queue_pkts(), which copy_from_user()s the packet
    // headers (and coalesces small payloads with copy_from_user()); a fault on those user buffers takes
    // mmap_sem again. Jan Kara's fix: "Function qib_user_sdma_queue_pkts() gets called with mmap_sem held for
    // writing. ... qib_user_sdma_queue_pkts() (and also qib_user_sdma_coalesce() called somewhat later) call
    // copy_from_user() which can hit a page fault and we deadlock on trying to get mmap_sem when handling that
    // fault." It dropped the down_write() and pinned the payload pages with get_user_pages_fast(). The
    // down_write() itself is not labelled UA2001: the kernel removed the lock for the deadlock and never made
    // this wait killable, like the other driver waits on the mmap lock the corpus keeps unlabelled.
    public static int QibUserSdmaWritevV312(Mm mm, Helpers.QibPport ppd, QibUserSdmaQueue pq, IoVec[] iovArr, long dim)
    {
        int ret = 0;
        int npkts = 0;
        int iov = 0;
        var list = new Helpers.PktList();

        pq.Lock.Lock();

        /* why not -ECOMM like qib_user_sdma_push_pkts() below? */
        if (!Helpers.QibSdmaRunning(ppd))
            goto done_unlock;

        /* Lazily clean hw queue and the sent list (qib_user_sdma_hwqueue_clean(), _queue_clean()). */
        Helpers.QibUserSdmaClean(ppd, pq);

        while (dim != 0)
        {
            int mxp = 8;
            int ndesc = 0;

            MmapWriteLock(mm);
            ret = Helpers.QibUserSdmaQueuePkts(ppd, pq, iovArr, iov, dim, list, ref mxp, ref ndesc); // expect: UA2002
            MmapWriteUnlock(mm);

            if (ret < 0)
                goto done_unlock;
            else
            {
                dim -= ret;
                iov += ret;
            }

            /* force packets onto the sdma hw queue... */
            if (!list.Empty)
            {
                /* Lazily clean hw queue (when the free descriptors are fewer than ndesc). */
                ret = Helpers.QibUserSdmaPushPkts(ppd, pq, list, mxp);
                if (ret < 0)
                    goto done_unlock;
                else
                {
                    npkts += mxp;
                    pq.Counter += (uint)mxp;
                }
            }
        }

    done_unlock:
        if (!list.Empty)
            Helpers.QibUserSdmaFreePktList(pq, list);
        pq.Lock.Unlock();

        return (ret < 0) ? ret : npkts;
    }

    // drivers/infiniband/hw/qib/qib_user_sdma.c, qib_user_sdma_writev(), after "IB/qib: Convert
    // qib_user_sdma_pin_pages() to use get_user_pages_fast()" (v3.14). Correct: the packets are built without
    // mmap_sem, and get_user_pages_fast() takes it itself where it needs it.
    public static int QibUserSdmaWritev(Helpers.QibPport ppd, QibUserSdmaQueue pq, IoVec[] iovArr, long dim) // expect: none
    {
        int ret = 0;
        int npkts = 0;
        int iov = 0;
        var list = new Helpers.PktList();

        pq.Lock.Lock();

        /* why not -ECOMM like qib_user_sdma_push_pkts() below? */
        if (!Helpers.QibSdmaRunning(ppd))
            goto done_unlock;

        /* Lazily clean hw queue and the sent list (qib_user_sdma_hwqueue_clean(), _queue_clean()). */
        Helpers.QibUserSdmaClean(ppd, pq);

        while (dim != 0)
        {
            int mxp = 8;
            int ndesc = 0;

            ret = Helpers.QibUserSdmaQueuePkts(ppd, pq, iovArr, iov, dim, list, ref mxp, ref ndesc);
            if (ret < 0)
                goto done_unlock;
            else
            {
                dim -= ret;
                iov += ret;
            }

            /* force packets onto the sdma hw queue... */
            if (!list.Empty)
            {
                /* Lazily clean hw queue (when the free descriptors are fewer than ndesc). */
                ret = Helpers.QibUserSdmaPushPkts(ppd, pq, list, mxp);
                if (ret < 0)
                    goto done_unlock;
                else
                {
                    npkts += mxp;
                    pq.Counter += (uint)mxp;
                }
            }
        }

    done_unlock:
        if (!list.Empty)
            Helpers.QibUserSdmaFreePktList(pq, list);
        pq.Lock.Unlock();

        return (ret < 0) ? ret : npkts;
    }
}

/// <summary>
/// struct key, reduced to its semaphore and payload. key->sem is ordered after mmap_sem (lockdep's report in
/// d3ec10aa9581: the key read methods "copy out the key data to userspace which is subjected to page fault
/// and may acquire the mmap semaphore. That can result in circular lock dependency"), so a fault taken while
/// holding it closes the cycle, as with a lock the fault path takes.
/// </summary>
public sealed class Key(RwSemaphore sem)
{
    [TakenInFaultPath]
    public RwSemaphore Sem = sem;

    /// <summary>key->type->read: NULL for types that cannot be read.</summary>
    public bool HasRead = true;

    /// <summary>The user key type's payload (struct user_key_payload: datalen, data).</summary>
    public byte[] Payload = Array.Empty<byte>();
}

public static class Keyctl
{
    private const int ENOKEY = 126;
    private const int EOPNOTSUPP = 95;
    private const int EACCES = 13;

    // security/keys/keyctl.c, keyctl_read_key(), v5.5 (the user key type's ->read(), user_read(), is the
    // helper it calls). Buggy: ->read() copies the payload to the user's buffer with key->sem held for read;
    // d3ec10aa9581 (Waiman Long): "The current security key read methods are called with the key semaphore
    // held. The methods then copy out the key data to userspace which is subjected to page fault and may
    // acquire the mmap semaphore. That can result in circular lock dependency and hence a chance to get into
    // deadlock."
    public static long KeyctlReadKeyV55(int keyid, UserPtr buffer, long buflen)
    {
        Key? key;
        long ret;

        /* find the key first */
        key = Helpers.LookupUserKey(keyid);
        if (key == null)
        {
            ret = -ENOKEY;
            goto error;
        }

        ret = Helpers.KeyReadState(key);
        if (ret < 0)
            goto error2; /* Negatively instantiated */

        /* see if we can read it directly */
        ret = Helpers.KeyPermissionRead(key);
        if (ret == 0)
            goto can_read_key;
        if (ret != -EACCES)
            goto error2;

        /* we can't; see if it's searchable from this process's keyrings
         * - we automatically take account of the fact that it may be
         *   dangling off an instantiation key
         */
        if (!Helpers.IsKeyPossessed(key))
        {
            ret = -EACCES;
            goto error2;
        }

    /* the key is probably readable - now try to read it */
    can_read_key:
        ret = -EOPNOTSUPP;
        if (key.HasRead)
        {
            /* Read the data with the semaphore held (since we might sleep)
             * to protect against the key being updated or revoked.
             */
            key.Sem.DownRead();
            ret = Helpers.KeyValidate(key);
            if (ret == 0)
                ret = Helpers.UserRead(key, buffer, buflen); // expect: UA2002
            key.Sem.UpRead();
        }

    error2:
        Helpers.KeyPut(key);
    error:
        return ret;
    }

    // security/keys/keyctl.c, __keyctl_read_key(), added by d3ec10aa9581. Correct: ->read() now fills a
    // kernel buffer under key->sem.
    private static long KeyctlReadKeyLocked(Key key, byte[]? buffer, long buflen) // expect: none
    {
        long ret;

        key.Sem.DownRead();
        ret = Helpers.KeyValidate(key);
        if (ret == 0)
            ret = Helpers.UserReadKernel(key, buffer, buflen);
        key.Sem.UpRead();
        return ret;
    }

    // security/keys/keyctl.c, keyctl_read_key(), as d3ec10aa9581 ("KEYS: Don't write out to userspace while
    // holding key semaphore", v5.7) left it (v5.7 also has "KEYS: Avoid false positive ENOMEM error on key
    // read" on top, which retries with a larger buffer). Correct: the key is read into a kmalloc()ed buffer under key->sem, and
    // copied to the user's buffer after up_read().
    public static long KeyctlReadKey(int keyid, UserPtr buffer, long buflen) // expect: none
    {
        Key? key;
        long ret;
        byte[]? keyData;

        /* find the key first */
        key = Helpers.LookupUserKey(keyid);
        if (key == null)
        {
            ret = -ENOKEY;
            goto out_;
        }

        ret = Helpers.KeyReadState(key);
        if (ret < 0)
            goto key_put_out; /* Negatively instantiated */

        /* see if we can read it directly */
        ret = Helpers.KeyPermissionRead(key);
        if (ret == 0)
            goto can_read_key;
        if (ret != -EACCES)
            goto key_put_out;

        /* we can't; see if it's searchable from this process's keyrings
         * - we automatically take account of the fact that it may be
         *   dangling off an instantiation key
         */
        if (!Helpers.IsKeyPossessed(key))
        {
            ret = -EACCES;
            goto key_put_out;
        }

    /* the key is probably readable - now try to read it */
    can_read_key:
        if (!key.HasRead)
        {
            ret = -EOPNOTSUPP;
            goto key_put_out;
        }

        if (buffer.Address == 0 || buflen == 0)
        {
            /* Get the key length from the read method */
            ret = KeyctlReadKeyLocked(key, null, 0);
            goto key_put_out;
        }

        /*
         * Read the data with the semaphore held (since we might sleep)
         * to protect against the key being updated or revoked.
         *
         * Allocating a temporary buffer to hold the keys before
         * transferring them to user buffer to avoid potential
         * deadlock involving page fault and mmap_sem.
         */
        keyData = Helpers.KmallocOrNull(buflen);

        if (keyData == null)
        {
            ret = -ENOMEM;
            goto key_put_out;
        }
        ret = KeyctlReadKeyLocked(key, keyData, buflen);

        /*
         * Read methods will just return the required length without
         * any copying if the provided length isn't large enough.
         */
        if (ret > 0 && ret <= buflen)
        {
            if (CopyToUser(buffer, keyData.AsSpan(0, (int)ret)) != 0)
                ret = -EFAULT;
        }
        /* kzfree(key_data) */

    key_put_out:
        Helpers.KeyPut(key);
    out_:
        return ret;
    }
}

/// <summary>struct partial_page: the offset and length of one pipe buffer in its page.</summary>
public struct PartialPage
{
    public int Offset;
    public int Len;
}

public static class Splice
{
    private const int PAGE_SIZE = 4096;
    private const int PAGE_SHIFT = 12;
    private const int PIPE_BUFFERS = 16;
    private const int SIZEOF_IOVEC = 16;

    // fs/splice.c, get_iovec_page_array() (vmsplice() into a pipe), v2.6.22. Buggy: the iovec array is read
    // with get_user() while mmap_sem is held for read ("It's ok to take the mmap_sem for reading, even across
    // a get_user()"); Linus in the thread "[patch] splice mmap_sem deadlock" (Nick Piggin, Sept 2007): "while
    // readers do nest nicely, they only do so if no potential writers can possibly exist": a fault on the
    // iovec takes mmap_sem for read again behind an mmap() waiting for write, and the task deadlocks.
    public static int GetIovecPageArrayV2622(Mm mm, UserPtr iov, uint nrVecs, Helpers.Page?[] pages,
        PartialPage[] partial, bool aligned)
    {
        int buffers = 0, error = 0;

        /*
         * It's ok to take the mmap_sem for reading, even
         * across a "get_user()".
         */
        MmapReadLock(mm);

        while (nrVecs != 0)
        {
            ulong off, npages;
            ulong @base;
            ulong len;
            int i;

            /*
             * Get user address base and length for this iovec.
             */
            error = GetUser(out @base, iov.Cast<ulong>()); // expect: UA2002
            if (error != 0)
                break;
            error = GetUser(out len, (iov + 8).Cast<ulong>()); // expect: UA2002
            if (error != 0)
                break;

            /*
             * Sanity check this iovec. 0 read succeeds.
             */
            if (len == 0)
                break;
            error = -EFAULT;
            if (@base == 0)
                break;

            /*
             * Get this base offset and number of pages, then map
             * in the user pages.
             */
            off = @base & (PAGE_SIZE - 1);

            /*
             * If asked for alignment, the offset must be zero and the
             * length a multiple of the PAGE_SIZE.
             */
            error = -EINVAL;
            if (aligned && (off != 0 || (len & (PAGE_SIZE - 1)) != 0))
                break;

            npages = (off + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
            if (npages > (ulong)(PIPE_BUFFERS - buffers))
                npages = (ulong)(PIPE_BUFFERS - buffers);

            error = Helpers.GetUserPages(mm, new UserPtr(@base), (int)npages, pages, buffers);

            if (error <= 0)
                break;

            /*
             * Fill this contiguous range into the partial page map.
             */
            for (i = 0; i < error; i++)
            {
                int plen = (int)Math.Min(len, PAGE_SIZE - off);

                partial[buffers].Offset = (int)off;
                partial[buffers].Len = plen;

                off = 0;
                len -= (ulong)plen;
                buffers++;
            }

            /*
             * We didn't complete this iov, stop here since it probably
             * means we have to move some of this into a pipe to
             * be able to continue.
             */
            if (len != 0)
                break;

            /*
             * Don't continue if we mapped fewer pages than we asked for,
             * or if we mapped the max number of pages that we have
             * room for.
             */
            if ((ulong)error < npages || buffers == PIPE_BUFFERS)
                break;

            nrVecs--;
            iov += SIZEOF_IOVEC;
        }

        MmapReadUnlock(mm);

        if (buffers != 0)
            return buffers;

        return error;
    }

    // fs/splice.c, copy_from_user_mmap_sem(), added by the fix (Jens Axboe's patch on Linus's suggestion in
    // "[patch] splice mmap_sem deadlock", Oct 2007, v2.6.23). Correct: the copy runs with page faults
    // disabled under mmap_sem, and only the fallback copy that may fault runs with mmap_sem dropped.
    [RequiresLock("mm.MmapLock", Shared = true)]
    private static int CopyFromUserMmapSem(Mm mm, Span<byte> dst, UserPtr src) // expect: none
    {
        int partial;

        PagefaultDisable();
        partial = CopyFromUser(dst, src); /* __copy_from_user_inatomic() */
        PagefaultEnable();

        /*
         * Didn't copy everything, drop the mmap_sem and do a faulting copy
         */
        if (partial != 0)
        {
            MmapReadUnlock(mm);
            partial = CopyFromUser(dst, src);
            MmapReadLock(mm);
        }

        return partial;
    }

    // fs/splice.c, get_iovec_page_array(), after the fix (v2.6.23). Correct: each iovec is read whole through
    // copy_from_user_mmap_sem(), which never faults while mmap_sem is held.
    public static int GetIovecPageArray(Mm mm, UserPtr iov, uint nrVecs, Helpers.Page?[] pages,
        PartialPage[] partial, bool aligned) // expect: none
    {
        int buffers = 0, error = 0;

        MmapReadLock(mm);

        while (nrVecs != 0)
        {
            ulong off, npages;
            var entry = new byte[SIZEOF_IOVEC];
            ulong @base;
            ulong len;
            int i;

            error = -EFAULT;
            if (CopyFromUserMmapSem(mm, entry, iov) != 0)
                break;

            @base = BitConverter.ToUInt64(entry, 0);
            len = BitConverter.ToUInt64(entry, 8);

            /*
             * Sanity check this iovec. 0 read succeeds.
             */
            error = 0;
            if (len == 0)
                break;
            error = -EFAULT;
            if (@base == 0)
                break;

            /*
             * Get this base offset and number of pages, then map
             * in the user pages.
             */
            off = @base & (PAGE_SIZE - 1);

            /*
             * If asked for alignment, the offset must be zero and the
             * length a multiple of the PAGE_SIZE.
             */
            error = -EINVAL;
            if (aligned && (off != 0 || (len & (PAGE_SIZE - 1)) != 0))
                break;

            npages = (off + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
            if (npages > (ulong)(PIPE_BUFFERS - buffers))
                npages = (ulong)(PIPE_BUFFERS - buffers);

            error = Helpers.GetUserPages(mm, new UserPtr(@base), (int)npages, pages, buffers);

            if (error <= 0)
                break;

            /*
             * Fill this contiguous range into the partial page map.
             */
            for (i = 0; i < error; i++)
            {
                int plen = (int)Math.Min(len, PAGE_SIZE - off);

                partial[buffers].Offset = (int)off;
                partial[buffers].Len = plen;

                off = 0;
                len -= (ulong)plen;
                buffers++;
            }

            /*
             * We didn't complete this iov, stop here since it probably
             * means we have to move some of this into a pipe to
             * be able to continue.
             */
            if (len != 0)
                break;

            /*
             * Don't continue if we mapped fewer pages than we asked for,
             * or if we mapped the max number of pages that we have
             * room for.
             */
            if ((ulong)error < npages || buffers == PIPE_BUFFERS)
                break;

            nrVecs--;
            iov += SIZEOF_IOVEC;
        }

        MmapReadUnlock(mm);

        if (buffers != 0)
            return buffers;

        return error;
    }
}

/// <summary>struct hfi1_link_info (64 bytes with its res[47] padding, omitted here), the fields the ioctl uses.</summary>
public struct Hfi1LinkInfo
{
    public ulong NodeGuid;
    public byte PortMode;
    public byte PortState;
    public ushort LinkSpeedActive;
    public ushort LinkWidthActive;
    public ushort Vl15Init;
    public byte PortNumber;
}

/// <summary>struct hfi1_packet_filter_command.</summary>
public struct Hfi1PacketFilterCommand
{
    public int Opcode;
    public int Length;
    public ulong ValuePtr;
}

/// <summary>struct hfi1_pportdata, reduced to what the link-state ioctls report.</summary>
public sealed class Hfi1Pport
{
    public ulong Guid;
    public ushort LinkSpeedActive;
    public ushort LinkWidthActive;
}

/// <summary>dd->hfi1_snoop: the snoop queue's spinlock (taken from the receive interrupt path) and state.</summary>
public sealed class Hfi1Snoop(KernelSpinlock snoopLock)
{
    public KernelSpinlock SnoopLock = snoopLock;
    public int ModeFlag;
    public int FilterOpcode = -1;
    public byte[]? FilterValue;
}

/// <summary>struct hfi1_devdata, reduced to the snoop state and the ports.</summary>
public sealed class Hfi1Devdata(Hfi1Snoop snoop, Hfi1Pport[] pport)
{
    public Hfi1Snoop Hfi1Snoop = snoop;
    public Hfi1Pport[] Pport = pport;
    public uint NumPports => (uint)Pport.Length;
}

public static class Hfi1Diag
{
    private const int ENODEV = 19;
    private const int ENOTTY = 25;
    private const int CAP_SYS_ADMIN = 21;

    private const uint IOC_WRITE = 1;
    private const uint IOC_READ = 2;

    private const int HFI1_PORT_SNOOP_MODE = 1;
    private const int HFI1_PORT_CAPTURE_MODE = 2;
    private const int HFI1_MAX_FILTERS = 8;
    private const int SNOOP_CAPTURE_VERSION = 0x1;
    private const int SNOOP_DROP_SEND = 1 << 0;
    private const int SNOOP_USE_METADATA = 1 << 1;
    private const int SNOOP_SET_VL0TOVL15 = 1 << 2;

    private const int IB_PORT_NOP = 0;
    private const int IB_PORT_DOWN = 1;
    private const int IB_PORT_ARMED = 3;
    private const int IB_PORT_ACTIVE = 4;

    private const ushort HLS_DN_DOWNDEF = 1;
    private const ushort HLS_DN_POLL = 2;
    private const ushort HLS_DN_DISABLE = 3;
    private const ushort HLS_UP_ARMED = 4;
    private const ushort HLS_UP_ACTIVE = 5;

    /* include/uapi/rdma/hfi/hfi1_user.h: _IO(IB_IOCTL_MAGIC, 0x80 + n), no direction and no size, except the
     * two _EXTRA commands, _IOWR(..., struct hfi1_link_info) of 64 bytes. */
    private const uint HFI1_SNOOP_IOCGETLINKSTATE = 0x00001b80;
    private const uint HFI1_SNOOP_IOCSETLINKSTATE = 0x00001b81;
    private const uint HFI1_SNOOP_IOCCLEARQUEUE = 0x00001b82;
    private const uint HFI1_SNOOP_IOCCLEARFILTER = 0x00001b83;
    private const uint HFI1_SNOOP_IOCSETFILTER = 0x00001b84;
    private const uint HFI1_SNOOP_IOCGETVERSION = 0x00001b85;
    private const uint HFI1_SNOOP_IOCSET_OPTS = 0x00001b86;
    private const uint HFI1_SNOOP_IOCGETLINKSTATE_EXTRA = 0xc0401b86;
    private const uint HFI1_SNOOP_IOCSETLINKSTATE_EXTRA = 0xc0401b87;

    private static int snoopFlags;

    // drivers/staging/rdma/hfi1/diag.c, hfi1_ioctl(), v4.4 (the state before 33ab349037db). Buggy: the whole ioctl of the snoop/capture
    // device runs under spin_lock_irqsave(&dd->hfi1_snoop.snoop_lock), the copies to and from user space
    // included. 33ab349037db ("staging/rdma/hfi1: Reduce snoop locking scope in IOCTL", v4.5): "This patch
    // avoids issues while calling into copy from/to user while holding the lock by only taking the lock when
    // it is absolutely required." kzalloc(GFP_KERNEL) and set_link_state() (ppd->hls_lock, a mutex) also
    // sleep under the lock; here they are stubs, and the labels stay on the user accesses. Buggy as well, and
    // not fixed by it: GETLINKSTATE, GETVERSION and SET_OPTS are _IO() commands, with no direction and no
    // size, so the access_ok() checks in front are skipped and __get_user()/__put_user() run on an unchecked
    // pointer (CAP_SYS_ADMIN only, which mitigates and does not fix). Those four are not sleeps in atomic
    // context: __get_user()/__put_user() have no might_fault(), and a fault taken under the spinlock finds the
    // fault handler disabled (faulthandler_disabled() is pagefault_disabled() || in_atomic()) and fails with
    // -EFAULT instead of sleeping; the copies, which call might_fault(), are.
    public static long Hfi1IoctlV44(Hfi1Devdata? dd, uint cmd, UserPtr arg)
    {
        byte[]? filterValue = null;
        long ret = 0;
        int value = 0;
        byte physState = 0;
        byte linkState = 0;
        ushort devState = 0;
        Hfi1PacketFilterCommand filterCmd = default;
        int modeFlag = 0;
        Hfi1Pport? ppd = null;
        uint index;
        Hfi1LinkInfo linkInfo = default;

        if (dd == null)
            return -ENODEV;

        LocalIrqDisable(); /* spin_lock_irqsave() */
        dd.Hfi1Snoop.SnoopLock.Lock();

        modeFlag = dd.Hfi1Snoop.ModeFlag;

        if (((Helpers.IocDir(cmd) & IOC_READ) != 0
            && !AccessOk(arg, Helpers.IocSize(cmd)))
            || ((Helpers.IocDir(cmd) & IOC_WRITE) != 0
            && !AccessOk(arg, Helpers.IocSize(cmd))))
        {
            ret = -EFAULT;
        }
        else if (!Helpers.Capable(CAP_SYS_ADMIN))
        {
            ret = -EPERM;
        }
        else if ((modeFlag & HFI1_PORT_CAPTURE_MODE) != 0 &&
            (cmd != HFI1_SNOOP_IOCCLEARQUEUE) &&
            (cmd != HFI1_SNOOP_IOCCLEARFILTER) &&
            (cmd != HFI1_SNOOP_IOCSETFILTER))
        {
            /* Capture devices are allowed only 3 operations
             * 1.Clear capture queue
             * 2.Clear capture filter
             * 3.Set capture filter
             * Other are invalid.
             */
            ret = -EINVAL;
        }
        else
        {
            switch (cmd)
            {
                case HFI1_SNOOP_IOCSETLINKSTATE:
                    /* snoop_dbg("HFI1_SNOOP_IOCSETLINKSTATE is not valid") */
                    ret = -EINVAL;
                    break;

                case HFI1_SNOOP_IOCSETLINKSTATE_EXTRA:
                    linkInfo = default;

                    if (CopyFromUser(out linkInfo, arg.Cast<Hfi1LinkInfo>()) != 0) // expect: UA1001
                        ret = -EFAULT;

                    value = linkInfo.PortState;
                    index = linkInfo.PortNumber;
                    if (index > dd.NumPports - 1)
                    {
                        ret = -EINVAL;
                        break;
                    }

                    ppd = dd.Pport[index];
                    if (ppd == null)
                    {
                        ret = -EINVAL;
                        break;
                    }

                    /* What we want to transition to */
                    physState = (byte)((value >> 4) & 0xF);
                    linkState = (byte)(value & 0xF);

                    switch (linkState)
                    {
                        case IB_PORT_NOP:
                            if (physState == 0)
                                break;
                            goto case IB_PORT_DOWN; /* fall through */
                        case IB_PORT_DOWN:
                            switch (physState)
                            {
                                case 0:
                                    devState = HLS_DN_DOWNDEF;
                                    break;
                                case 2:
                                    devState = HLS_DN_POLL;
                                    break;
                                case 3:
                                    devState = HLS_DN_DISABLE;
                                    break;
                                default:
                                    ret = -EINVAL;
                                    goto done;
                            }
                            ret = Helpers.SetLinkState(ppd, devState);
                            break;
                        case IB_PORT_ARMED:
                            ret = Helpers.SetLinkState(ppd, HLS_UP_ARMED);
                            /* if (!ret) send_idle_sma(dd, SMA_IDLE_ARM); */
                            break;
                        case IB_PORT_ACTIVE:
                            ret = Helpers.SetLinkState(ppd, HLS_UP_ACTIVE);
                            /* if (!ret) send_idle_sma(dd, SMA_IDLE_ACTIVE); */
                            break;
                        default:
                            ret = -EINVAL;
                            break;
                    }

                    if (ret != 0)
                        break;
                    goto case HFI1_SNOOP_IOCGETLINKSTATE; /* fall through */
                case HFI1_SNOOP_IOCGETLINKSTATE:
                case HFI1_SNOOP_IOCGETLINKSTATE_EXTRA:
                    if (cmd == HFI1_SNOOP_IOCGETLINKSTATE_EXTRA)
                    {
                        linkInfo = default;
                        if (CopyFromUser(out linkInfo, arg.Cast<Hfi1LinkInfo>()) != 0) // expect: UA1001
                            ret = -EFAULT;
                        index = linkInfo.PortNumber;
                    }
                    else
                    {
                        ret = GetUserUnchecked(out int uindex, arg.Cast<int>()); // expect: UA5003
                        index = (uint)uindex;
                        if (ret != 0)
                            break;
                    }

                    if (index > dd.NumPports - 1)
                    {
                        ret = -EINVAL;
                        break;
                    }

                    ppd = dd.Pport[index];
                    if (ppd == null)
                    {
                        ret = -EINVAL;
                        break;
                    }
                    value = Helpers.Hfi1IbphysPortstate(ppd);
                    value <<= 4;
                    value |= Helpers.DriverLstate(ppd);

                    if ((cmd == HFI1_SNOOP_IOCGETLINKSTATE_EXTRA) ||
                        (cmd == HFI1_SNOOP_IOCSETLINKSTATE_EXTRA))
                    {
                        linkInfo.PortState = (byte)value;
                        linkInfo.NodeGuid = ppd.Guid; /* cpu_to_be64() */
                        linkInfo.LinkSpeedActive = ppd.LinkSpeedActive;
                        linkInfo.LinkWidthActive = ppd.LinkWidthActive;
                        if (CopyToUser(arg.Cast<Hfi1LinkInfo>(), linkInfo) != 0) // expect: UA1001
                            ret = -EFAULT;
                    }
                    else
                    {
                        ret = PutUserUnchecked(value, arg.Cast<int>()); // expect: UA5003
                    }
                    break;

                case HFI1_SNOOP_IOCCLEARQUEUE:
                    Helpers.DrainSnoopList(dd.Hfi1Snoop);
                    break;

                case HFI1_SNOOP_IOCCLEARFILTER:
                    if (dd.Hfi1Snoop.FilterOpcode >= 0)
                    {
                        /* Drain packets first */
                        Helpers.DrainSnoopList(dd.Hfi1Snoop);
                        dd.Hfi1Snoop.FilterOpcode = -1;
                    }
                    dd.Hfi1Snoop.FilterValue = null; /* kfree() */
                    break;

                case HFI1_SNOOP_IOCSETFILTER:
                    /* just copy command structure */
                    if (CopyFromUser(out filterCmd, arg.Cast<Hfi1PacketFilterCommand>()) != 0) // expect: UA1001
                    {
                        ret = -EFAULT;
                        break;
                    }
                    if (filterCmd.Opcode >= HFI1_MAX_FILTERS)
                    {
                        /* pr_alert("Invalid opcode in request\n") */
                        ret = -EINVAL;
                        break;
                    }

                    filterValue = Helpers.Kzalloc(filterCmd.Length); /* kzalloc(GFP_KERNEL) */
                    if (filterValue == null)
                    {
                        ret = -ENOMEM;
                        break;
                    }
                    /* copy remaining data from userspace */
                    if (CopyFromUser(filterValue.AsSpan(0, filterCmd.Length), new UserPtr(filterCmd.ValuePtr)) != 0) // expect: UA1001
                    {
                        filterValue = null; /* kfree() */
                        ret = -EFAULT;
                        break;
                    }
                    /* Drain packets first */
                    Helpers.DrainSnoopList(dd.Hfi1Snoop);
                    dd.Hfi1Snoop.FilterOpcode = filterCmd.Opcode;
                    /* just in case we see back to back sets */
                    dd.Hfi1Snoop.FilterValue = filterValue;

                    break;
                case HFI1_SNOOP_IOCGETVERSION:
                    value = SNOOP_CAPTURE_VERSION;
                    ret = PutUserUnchecked(value, arg.Cast<int>()); // expect: UA5003
                    break;
                case HFI1_SNOOP_IOCSET_OPTS:
                    snoopFlags = 0;
                    ret = GetUserUnchecked(out value, arg.Cast<int>()); // expect: UA5003
                    if (ret != 0)
                        break;

                    if ((value & SNOOP_DROP_SEND) != 0)
                        snoopFlags |= SNOOP_DROP_SEND;
                    if ((value & SNOOP_USE_METADATA) != 0)
                        snoopFlags |= SNOOP_USE_METADATA;
                    break;
                default:
                    ret = -ENOTTY;
                    break;
            }
        }
    done:
        dd.Hfi1Snoop.SnoopLock.Unlock(); /* spin_unlock_irqrestore() */
        LocalIrqEnable();
        return ret;
    }

    // drivers/staging/rdma/hfi1/diag.c, hfi1_ioctl(), as torvalds/linux 0c7f77afb7f6 has it (after 33ab349037db,
    // the follow-ups that return early, and the VL credits option). Correct as to the lock: the checks and every user access run without
    // snoop_lock, which is taken only around the snoop queue and filter updates. Still buggy: the _IO()
    // commands reach __get_user()/__put_user() with no access_ok(), as above.
    public static long Hfi1Ioctl(Hfi1Devdata? dd, uint cmd, UserPtr arg)
    {
        byte[]? filterValue = null;
        long ret = 0;
        int value = 0;
        byte physState = 0;
        byte linkState = 0;
        ushort devState = 0;
        Hfi1PacketFilterCommand filterCmd = default;
        int modeFlag = 0;
        Hfi1Pport? ppd = null;
        uint index;
        Hfi1LinkInfo linkInfo = default;
        bool readCmd, writeCmd, readOk, writeOk;

        if (dd == null)
            return -ENODEV;

        modeFlag = dd.Hfi1Snoop.ModeFlag;
        readCmd = (Helpers.IocDir(cmd) & IOC_READ) != 0;
        writeCmd = (Helpers.IocDir(cmd) & IOC_WRITE) != 0;
        writeOk = AccessOk(arg, Helpers.IocSize(cmd));
        readOk = AccessOk(arg, Helpers.IocSize(cmd));

        if ((readCmd && !writeOk) || (writeCmd && !readOk))
            return -EFAULT;

        if (!Helpers.Capable(CAP_SYS_ADMIN))
            return -EPERM;

        if ((modeFlag & HFI1_PORT_CAPTURE_MODE) != 0 &&
            (cmd != HFI1_SNOOP_IOCCLEARQUEUE) &&
            (cmd != HFI1_SNOOP_IOCCLEARFILTER) &&
            (cmd != HFI1_SNOOP_IOCSETFILTER))
            /* Capture devices are allowed only 3 operations
             * 1.Clear capture queue
             * 2.Clear capture filter
             * 3.Set capture filter
             * Other are invalid.
             */
            return -EINVAL;

        switch (cmd)
        {
            case HFI1_SNOOP_IOCSETLINKSTATE_EXTRA:
                linkInfo = default;

                if (CopyFromUser(out linkInfo, arg.Cast<Hfi1LinkInfo>()) != 0)
                    return -EFAULT;

                value = linkInfo.PortState;
                index = linkInfo.PortNumber;
                if (index > dd.NumPports - 1)
                    return -EINVAL;

                ppd = dd.Pport[index];
                if (ppd == null)
                    return -EINVAL;

                /* What we want to transition to */
                physState = (byte)((value >> 4) & 0xF);
                linkState = (byte)(value & 0xF);

                switch (linkState)
                {
                    case IB_PORT_NOP:
                        if (physState == 0)
                            break;
                        goto case IB_PORT_DOWN; /* fall through */
                    case IB_PORT_DOWN:
                        switch (physState)
                        {
                            case 0:
                                devState = HLS_DN_DOWNDEF;
                                break;
                            case 2:
                                devState = HLS_DN_POLL;
                                break;
                            case 3:
                                devState = HLS_DN_DISABLE;
                                break;
                            default:
                                return -EINVAL;
                        }
                        ret = Helpers.SetLinkState(ppd, devState);
                        break;
                    case IB_PORT_ARMED:
                        ret = Helpers.SetLinkState(ppd, HLS_UP_ARMED);
                        /* if (!ret) send_idle_sma(dd, SMA_IDLE_ARM); */
                        break;
                    case IB_PORT_ACTIVE:
                        ret = Helpers.SetLinkState(ppd, HLS_UP_ACTIVE);
                        /* if (!ret) send_idle_sma(dd, SMA_IDLE_ACTIVE); */
                        break;
                    default:
                        return -EINVAL;
                }

                if (ret != 0)
                    break;
                goto case HFI1_SNOOP_IOCGETLINKSTATE; /* fall through */
            case HFI1_SNOOP_IOCGETLINKSTATE:
            case HFI1_SNOOP_IOCGETLINKSTATE_EXTRA:
                if (cmd == HFI1_SNOOP_IOCGETLINKSTATE_EXTRA)
                {
                    linkInfo = default;
                    if (CopyFromUser(out linkInfo, arg.Cast<Hfi1LinkInfo>()) != 0)
                        return -EFAULT;
                    index = linkInfo.PortNumber;
                }
                else
                {
                    ret = GetUserUnchecked(out int uindex, arg.Cast<int>()); // expect: UA5003
                    index = (uint)uindex;
                    if (ret != 0)
                        break;
                }

                if (index > dd.NumPports - 1)
                    return -EINVAL;

                ppd = dd.Pport[index];
                if (ppd == null)
                    return -EINVAL;

                value = Helpers.Hfi1IbphysPortstate(ppd);
                value <<= 4;
                value |= Helpers.DriverLstate(ppd);

                if ((cmd == HFI1_SNOOP_IOCGETLINKSTATE_EXTRA) ||
                    (cmd == HFI1_SNOOP_IOCSETLINKSTATE_EXTRA))
                {
                    linkInfo.PortState = (byte)value;
                    linkInfo.NodeGuid = ppd.Guid; /* cpu_to_be64() */
                    linkInfo.LinkSpeedActive = ppd.LinkSpeedActive;
                    linkInfo.LinkWidthActive = ppd.LinkWidthActive;
                    if (CopyToUser(arg.Cast<Hfi1LinkInfo>(), linkInfo) != 0)
                        return -EFAULT;
                }
                else
                {
                    ret = PutUserUnchecked(value, arg.Cast<int>()); // expect: UA5003
                }
                break;

            case HFI1_SNOOP_IOCCLEARQUEUE:
                LocalIrqDisable(); /* spin_lock_irqsave() */
                dd.Hfi1Snoop.SnoopLock.Lock();
                Helpers.DrainSnoopList(dd.Hfi1Snoop);
                dd.Hfi1Snoop.SnoopLock.Unlock();
                LocalIrqEnable();
                break;

            case HFI1_SNOOP_IOCCLEARFILTER:
                LocalIrqDisable();
                dd.Hfi1Snoop.SnoopLock.Lock();
                if (dd.Hfi1Snoop.FilterOpcode >= 0)
                {
                    /* Drain packets first */
                    Helpers.DrainSnoopList(dd.Hfi1Snoop);
                    dd.Hfi1Snoop.FilterOpcode = -1;
                }
                dd.Hfi1Snoop.FilterValue = null; /* kfree() */
                dd.Hfi1Snoop.SnoopLock.Unlock();
                LocalIrqEnable();
                break;

            case HFI1_SNOOP_IOCSETFILTER:
                /* just copy command structure */
                if (CopyFromUser(out filterCmd, arg.Cast<Hfi1PacketFilterCommand>()) != 0)
                    return -EFAULT;

                if (filterCmd.Opcode >= HFI1_MAX_FILTERS)
                {
                    /* pr_alert("Invalid opcode in request\n") */
                    return -EINVAL;
                }

                filterValue = Helpers.Kzalloc(filterCmd.Length); /* kcalloc(GFP_KERNEL) */
                if (filterValue == null)
                    return -ENOMEM;

                /* copy remaining data from userspace */
                if (CopyFromUser(filterValue.AsSpan(0, filterCmd.Length), new UserPtr(filterCmd.ValuePtr)) != 0)
                {
                    /* kfree(filter_value) */
                    return -EFAULT;
                }
                /* Drain packets first */
                LocalIrqDisable();
                dd.Hfi1Snoop.SnoopLock.Lock();
                Helpers.DrainSnoopList(dd.Hfi1Snoop);
                dd.Hfi1Snoop.FilterOpcode = filterCmd.Opcode;
                /* just in case we see back to back sets */
                dd.Hfi1Snoop.FilterValue = filterValue;
                dd.Hfi1Snoop.SnoopLock.Unlock();
                LocalIrqEnable();
                break;
            case HFI1_SNOOP_IOCGETVERSION:
                value = SNOOP_CAPTURE_VERSION;
                ret = PutUserUnchecked(value, arg.Cast<int>()); // expect: UA5003
                break;
            case HFI1_SNOOP_IOCSET_OPTS:
                snoopFlags = 0;
                ret = GetUserUnchecked(out value, arg.Cast<int>()); // expect: UA5003
                if (ret != 0)
                    break;

                if ((value & SNOOP_DROP_SEND) != 0)
                    snoopFlags |= SNOOP_DROP_SEND;
                if ((value & SNOOP_USE_METADATA) != 0)
                    snoopFlags |= SNOOP_USE_METADATA;
                if ((value & SNOOP_SET_VL0TOVL15) != 0)
                {
                    ppd = dd.Pport[0]; /* first port will do */
                    ret = Helpers.Hfi1AssignSnoopLinkCredits(ppd, value);
                }
                break;
            default:
                return -ENOTTY;
        }

        return ret;
    }
}

public static class Helpers
{

    // ---- hfi1 ----

    /// <summary>_IOC_DIR(cmd).</summary>
    public static uint IocDir(uint cmd) => cmd >> 30;

    /// <summary>_IOC_SIZE(cmd).</summary>
    public static uint IocSize(uint cmd) => (cmd >> 16) & 0x3fff;

    /// <summary>capable().</summary>
    public static bool Capable(int cap) => true;

    /// <summary>set_link_state(): the link state machine (under ppd->hls_lock); 0 or a negative errno.</summary>
    public static int SetLinkState(Hfi1Pport ppd, ushort state) => 0;

    /// <summary>hfi1_ibphys_portstate().</summary>
    public static int Hfi1IbphysPortstate(Hfi1Pport ppd) => 5;

    /// <summary>driver_lstate().</summary>
    public static int DriverLstate(Hfi1Pport ppd) => 4;

    /// <summary>drain_snoop_list(): frees the queued packets; the caller holds snoop_lock.</summary>
    public static void DrainSnoopList(Hfi1Snoop snoop)
    {
    }

    /// <summary>kzalloc()/kcalloc() of a byte array; NULL when the allocation fails.</summary>
    public static byte[]? Kzalloc(int size) => size < 0 ? null : new byte[size];

    /// <summary>hfi1_assign_snoop_link_credits(): device buffer-credit setup; 0 or -EINVAL.</summary>
    public static int Hfi1AssignSnoopLinkCredits(Hfi1Pport ppd, int value) => 0;

    // ---- splice ----

    /// <summary>struct page.</summary>
    public sealed class Page
    {
    }

    /// <summary>
    /// get_user_pages(current, current->mm, start, npages, 0, 0, &amp;pages[at], NULL): pins up to npages pages
    /// of the caller's memory for reading; the number pinned, or a negative errno. Needs mmap_sem.
    /// </summary>
    [RequiresLock("mm.MmapLock", Shared = true)]
    public static int GetUserPages(Mm mm, UserPtr start, int npages, Page?[] pages, int at)
    {
        for (int i = 0; i < npages && at + i < pages.Length; i++)
            pages[at + i] = new Page();
        return npages;
    }
    // ---- iio ----

    /// <summary>kfifo_is_empty(&ev_int->det_events).</summary>
    public static bool KfifoIsEmpty(IioEventInterface ev) => ev.DetEventsLen == 0;

    /// <summary>
    /// wait_event_interruptible_locked(ev_int->wait, !kfifo_is_empty(...)): entered and left holding the wait
    /// queue's spinlock, which it drops around schedule(); 0, or -ERESTARTSYS on a signal.
    /// </summary>
    [RequiresLock("wq.Lock")]
    public static int WaitEventInterruptibleLocked(WaitQueueHead wq, IioEventInterface ev) => 0;

    /// <summary>wait_event_interruptible(ev_int->wait, !kfifo_is_empty(...) || indio_dev->info == NULL).</summary>
    [MightSleep]
    public static int WaitEventInterruptible(WaitQueueHead wq, IioDev indioDev) => 0;

    /// <summary>
    /// kfifo_to_user(): copies as many whole records as fit in len to the user's buffer with copy_to_user();
    /// 0 or -EFAULT, and the bytes copied.
    /// </summary>
    public static int KfifoToUser(IioEventInterface ev, UserPtr to, long len, out uint copied)
    {
        int n = (int)Math.Min(len, ev.DetEventsLen);
        copied = 0;
        if (CopyToUser(to, ev.DetEvents.AsSpan(0, n)) != 0)
            return -EFAULT;
        copied = (uint)n;
        return 0;
    }

    // ---- qib ----

    /// <summary>struct qib_pportdata, reduced to whether send DMA is running.</summary>
    public sealed class QibPport
    {
        public bool SdmaRunning = true;
    }

    /// <summary>struct list_head of built packets.</summary>
    public sealed class PktList
    {
        public int Count;
        public bool Empty => Count == 0;
    }

    /// <summary>qib_sdma_running().</summary>
    public static bool QibSdmaRunning(QibPport ppd) => ppd.SdmaRunning;

    /// <summary>qib_user_sdma_hwqueue_clean() and qib_user_sdma_queue_clean(): device bookkeeping.</summary>
    public static void QibUserSdmaClean(QibPport ppd, QibUserSdmaQueue pq)
    {
    }

    /// <summary>
    /// qib_user_sdma_queue_pkts(): for each packet, copy_from_user() of its header from the iovec into a
    /// kernel buffer (and of small payloads, qib_user_sdma_coalesce()), then the payload pages pinned; the
    /// number of iovecs consumed, or -EFAULT.
    /// </summary>
    public static int QibUserSdmaQueuePkts(QibPport ppd, QibUserSdmaQueue pq, IoVec[] iovArr, int iov, long dim,
        PktList list, ref int mxp, ref int ndesc)
    {
        var pbc = new byte[64];
        IoVec hdr = iovArr[iov];
        int len = (int)Math.Min(hdr.IovLen, pbc.Length);

        if (CopyFromUser(pbc.AsSpan(0, len), hdr.IovBase) != 0)
            return -EFAULT;
        list.Count++;
        ndesc++;
        return 1;
    }

    /// <summary>qib_user_sdma_push_pkts(): puts the built packets on the send DMA ring (under sdma_lock).</summary>
    public static int QibUserSdmaPushPkts(QibPport ppd, QibUserSdmaQueue pq, PktList list, int count)
    {
        list.Count = 0;
        return count;
    }

    /// <summary>qib_user_sdma_free_pkt_list().</summary>
    public static void QibUserSdmaFreePktList(QibUserSdmaQueue pq, PktList list) => list.Count = 0;

    // ---- keys ----

    /// <summary>lookup_user_key(keyid, 0, 0) and key_ref_to_ptr(); NULL for -ENOKEY.</summary>
    public static Key? LookupUserKey(int keyid) => null;

    /// <summary>key_read_state(): the key's state, negative if it was negatively instantiated.</summary>
    public static long KeyReadState(Key key) => 0;

    /// <summary>key_permission(key_ref, KEY_NEED_READ): 0 or a negative errno.</summary>
    public static long KeyPermissionRead(Key key) => 0;

    /// <summary>is_key_possessed(key_ref).</summary>
    public static bool IsKeyPossessed(Key key) => true;

    /// <summary>key_validate(): 0, or -EKEYREVOKED / -EKEYEXPIRED.</summary>
    public static long KeyValidate(Key key) => 0;

    /// <summary>key_put().</summary>
    public static void KeyPut(Key? key)
    {
    }

    /// <summary>
    /// user_read() before d3ec10aa9581: the payload length, with up to buflen bytes of the payload
    /// copy_to_user()ed to the user's buffer; -EFAULT if that copy failed.
    /// </summary>
    public static long UserRead(Key key, UserPtr buffer, long buflen)
    {
        long ret = key.Payload.Length;

        /* we can return the data as is */
        if (buffer.Address != 0 && buflen > 0)
        {
            if (buflen > key.Payload.Length)
                buflen = key.Payload.Length;

            if (CopyToUser(buffer, key.Payload.AsSpan(0, (int)buflen)) != 0)
                ret = -EFAULT;
        }

        return ret;
    }

    /// <summary>
    /// user_read() after d3ec10aa9581: the payload length, with the payload memcpy()ed into the kernel buffer
    /// when it fits.
    /// </summary>
    public static long UserReadKernel(Key key, byte[]? buffer, long buflen)
    {
        long ret = key.Payload.Length;

        if (buffer != null && buflen >= key.Payload.Length)
            key.Payload.CopyTo(buffer, 0);

        return ret;
    }

    /// <summary>kmalloc(buflen, GFP_KERNEL): NULL when the allocation fails.</summary>
    [MightSleep]
    public static byte[]? KmallocOrNull(long size) => size > int.MaxValue ? null : new byte[size];
}
