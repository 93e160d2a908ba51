// drivers/gpu/drm/i915/i915_gem.c, v2.6.29: the pread and pwrite ioctls, and the GTT pwrite path, copied between the user's buffer and
// the object's shmem file (vfs_read()/vfs_write() on a user pointer) while holding dev->struct_mutex, which
// i915_gem_fault() takes: a buffer that is itself a GTT mmap of a GEM object faults into the lock the copier
// holds. Eric Anholt's fixes in v2.6.30 (eb01459fbbcc "drm/i915: Fix lock order reversal in shmem pread path",
// 40a5f0decdf0 "... in shmem pwrite path", 3de09aa3b389 "... in GTT pwrite path": "Since the pagefault path determines that the lock order we use
// has to be mmap_sem -> struct_mutex, we can't allow page faults to occur while the struct_mutex is held")
// rewrote both as an atomic fast path and a get_user_pages() slow path. The object and its domains are
// stubs; vfs_read()/vfs_write() are the user copies they are.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.I915GemLockOrder;

/// <summary>struct drm_device, reduced to the lock that the GEM fault handler takes.</summary>
public sealed class DrmDevice(KernelMutex structMutex)
{
    [TakenInFaultPath]
    public KernelMutex StructMutex = structMutex;
}

public static class I915Gem
{
    private const int EBADF = 9;

    // drivers/gpu/drm/i915/i915_gem.c, i915_gem_pread_ioctl(), v2.6.29. Buggy: vfs_read() into the user's
    // buffer runs under struct_mutex; a fault on that buffer in a GTT mapping takes struct_mutex again.
    public static int I915GemPreadIoctlV2629(DrmDevice dev, Helpers.GemObject? obj, long argsOffset, long argsSize, UserPtr dataPtr)
    {
        long read;
        long offset;
        int ret;

        if (obj == null)
            return -EBADF;

        /* Bounds check source.
         *
         * XXX: This could use review for overflow issues...
         */
        if (argsOffset > obj.Size || argsSize > obj.Size ||
            argsOffset + argsSize > obj.Size)
        {
            Helpers.DrmGemObjectUnreference(obj);
            return -EINVAL;
        }

        dev.StructMutex.Lock();

        ret = Helpers.I915GemObjectSetCpuReadDomainRange(obj, argsOffset, argsSize);
        if (ret != 0)
        {
            Helpers.DrmGemObjectUnreference(obj);
            dev.StructMutex.Unlock();
            return ret;
        }

        offset = argsOffset;

        read = Helpers.VfsRead(obj, dataPtr, argsSize, ref offset); // expect: UA2002
        if (read != argsSize)
        {
            Helpers.DrmGemObjectUnreference(obj);
            dev.StructMutex.Unlock();
            if (read < 0)
                return (int)read;
            else
                return -EINVAL;
        }

        Helpers.DrmGemObjectUnreference(obj);
        dev.StructMutex.Unlock();

        return 0;
    }

    // drivers/gpu/drm/i915/i915_gem.c, i915_gem_shmem_pwrite(), v2.6.29. Buggy: the write twin: vfs_write()
    // reads the user's buffer under struct_mutex.
    public static int I915GemShmemPwriteV2629(DrmDevice dev, Helpers.GemObject obj, long argsOffset, long argsSize, UserPtr dataPtr)
    {
        int ret;
        long offset;
        long written;

        dev.StructMutex.Lock();

        ret = Helpers.I915GemObjectSetToCpuDomain(obj, true);
        if (ret != 0)
        {
            dev.StructMutex.Unlock();
            return ret;
        }

        offset = argsOffset;

        written = Helpers.VfsWrite(obj, dataPtr, argsSize, ref offset); // expect: UA2002
        if (written != argsSize)
        {
            dev.StructMutex.Unlock();
            if (written < 0)
                return (int)written;
            else
                return -EINVAL;
        }

        dev.StructMutex.Unlock();

        return 0;
    }

    // drivers/gpu/drm/i915/i915_gem.c, i915_gem_gtt_pwrite(), v2.6.29 (the aperture mapping is a byte array).
    // Buggy: when the atomic copy into the aperture faults, the fallback slow_user_write() copies with page
    // faults enabled, still under struct_mutex.
    public static int I915GemGttPwriteV2629(DrmDevice dev, Helpers.GemObject obj, long argsOffset, long argsSize, UserPtr dataPtr)
    {
        long remain;
        long offset, pageBase;
        UserPtr userData;
        int pageOffset, pageLength;
        int ret;

        userData = dataPtr;
        remain = argsSize;
        if (!AccessOk(userData, remain))
            return -EFAULT;

        dev.StructMutex.Lock();
        ret = Helpers.I915GemObjectPin(obj);
        if (ret != 0)
        {
            dev.StructMutex.Unlock();
            return ret;
        }
        ret = Helpers.I915GemObjectSetToGttDomain(obj, true);
        if (ret != 0)
            goto fail;

        offset = argsOffset;

        while (remain > 0)
        {
            /* Operation in this page
             *
             * page_base = page offset within aperture
             * page_offset = offset within page
             * page_length = bytes to copy for this page
             */
            pageBase = offset & ~4095L;
            pageOffset = (int)(offset & 4095);
            pageLength = (int)remain;
            if ((pageOffset + remain) > 4096)
                pageLength = 4096 - pageOffset;

            ret = Helpers.FastUserWrite(obj, pageBase, pageOffset, userData, pageLength);

            /* If we get a fault while copying data, then (presumably) our
             * source page isn't available. In this case, use the
             * non-atomic function
             */
            if (ret != 0)
            {
                ret = Helpers.SlowUserWrite(obj, pageBase, pageOffset, userData, pageLength); // expect: UA2002
                if (ret != 0)
                    goto fail;
            }

            remain -= pageLength;
            userData += pageLength;
            offset += pageLength;
        }

    fail:
        Helpers.I915GemObjectUnpin(obj);
        dev.StructMutex.Unlock();

        return ret;
    }
}

public static class Helpers
{
    /// <summary>struct drm_gem_object, reduced to its shmem backing.</summary>
    public sealed class GemObject(byte[] backing)
    {
        public byte[] Backing = backing;
        public long Size => Backing.Length;
    }

    public static void DrmGemObjectUnreference(GemObject obj)
    {
    }

    [ReturnsErrno]
    public static int I915GemObjectSetCpuReadDomainRange(GemObject obj, long offset, long size) => 0;

    [ReturnsErrno]
    public static int I915GemObjectSetToCpuDomain(GemObject obj, bool write) => 0;

    [ReturnsErrno]
    public static int I915GemObjectPin(GemObject obj) => 0;

    public static void I915GemObjectUnpin(GemObject obj)
    {
    }

    [ReturnsErrno]
    public static int I915GemObjectSetToGttDomain(GemObject obj, bool write) => 0;

    /// <summary>fast_user_write(): the copy into the atomically mapped aperture page, page faults disabled;
    /// 0 or -EFAULT.</summary>
    public static int FastUserWrite(GemObject obj, long pageBase, int pageOffset, [RequiresAccessOk] UserPtr userData, int length)
    {
        int unwritten;

        PagefaultDisable();
        unwritten = CopyFromUser(obj.Backing.AsSpan((int)pageBase + pageOffset, length), userData);
        PagefaultEnable();
        return unwritten != 0 ? -EFAULT : 0;
    }

    /// <summary>slow_user_write(): the same copy through an ioremap() of the page, faults enabled; 0 or -EFAULT.</summary>
    public static int SlowUserWrite(GemObject obj, long pageBase, int pageOffset, [RequiresAccessOk] UserPtr userData, int length)
    {
        int unwritten = CopyFromUser(obj.Backing.AsSpan((int)pageBase + pageOffset, length), userData);
        return unwritten != 0 ? -EFAULT : 0;
    }

    /// <summary>vfs_read() of the object's shmem file into a user buffer: the bytes read, or -EFAULT.</summary>
    public static long VfsRead(GemObject obj, UserPtr buf, long count, ref long pos)
    {
        if (CopyToUser(buf, obj.Backing.AsSpan((int)pos, (int)count)) != 0)
            return -EFAULT;
        pos += count;
        return count;
    }

    /// <summary>vfs_write() of a user buffer into the object's shmem file: the bytes written, or -EFAULT.</summary>
    public static long VfsWrite(GemObject obj, UserPtr buf, long count, ref long pos)
    {
        if (CopyFromUser(obj.Backing.AsSpan((int)pos, (int)count), buf) != 0)
            return -EFAULT;
        pos += count;
        return count;
    }
}
