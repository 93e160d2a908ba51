// Held out: user accesses in the wrong context, from fix commits in areas the rest of the corpus does not
// cover. drivers/iio/industrialio-event.c iio_event_chrdev_read() (kfifo_to_user() under the wait queue's
// spinlock, fixed by b91accafbb10 "iio:event: Fix and cleanup locking"), drivers/infiniband/hw/qib
// qib_user_sdma_writev() (copy_from_user() under mmap_sem held for write, fixed by Jan Kara's "IB/qib:
// Convert qib_user_sdma_pin_pages() to use get_user_pages_fast()"), and security/keys/keyctl.c
// keyctl_read_key() (the key type's ->read() copying to user space under key->sem, fixed by d3ec10aa9581
// "KEYS: Don't write out to userspace while holding key semaphore"). Each before and after its fix; the
// device work, the packet building and the key lookup are stubs.
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
    // fault." It dropped the down_write() and pinned the payload pages with get_user_pages_fast().
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

            MmapWriteLock(mm); // expect: UA2001
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

    // security/keys/keyctl.c, keyctl_read_key(), after d3ec10aa9581 ("KEYS: Don't write out to userspace while
    // holding key semaphore", v5.7). Correct: the key is read into a kmalloc()ed buffer under key->sem, and
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

public static class Helpers
{
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
