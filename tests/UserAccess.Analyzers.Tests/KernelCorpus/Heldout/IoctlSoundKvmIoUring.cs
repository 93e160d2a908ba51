// Held out: code the rules were not tuned on. Ioctl and registration handlers that copy a header and then
// a payload that follows it: sound/core/control.c (v5.10) SNDRV_CTL_IOCTL_ELEM_INFO and ELEM_READ;
// virt/kvm/kvm_main.c KVM_SET_SIGNAL_MASK and arch/x86/kvm/x86.c KVM_GET_MSR_INDEX_LIST (v5.10);
// drivers/input/evdev.c the legacy keycode ioctls (v5.10); io_uring/io_uring.c IORING_REGISTER_PROBE (v5.15)
// and fs/aio.c lookup_ioctx() (v5.10). All correct current code; the device, control and ring internals are
// stubs.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.IoctlSoundKvmIoUring;

public static class SoundControl
{
    private const int SIZEOF_ELEM_INFO = 272;
    private const int SIZEOF_ELEM_VALUE = 968;
    private const int OFFSETOF_ACCESS = 72;
    private const uint SNDRV_CTL_ELEM_ACCESS_SKIP_CHECK = 1u << 27;

    // sound/core/control.c, snd_ctl_elem_info_user(), v5.10. Correct: one copy in, the kernel's answer
    // copied back; the internal access flags are dropped first.
    public static int SndCtlElemInfoUser(Helpers.SndCtlFile ctl, UserPtr uinfo) // expect: none
    {
        var info = new byte[SIZEOF_ELEM_INFO];
        int result;

        if (CopyFromUser(info, uinfo) != 0)
            return -EFAULT;
        result = Helpers.SndCtlElemInfo(ctl, info);
        if (result < 0)
            return result;
        /* drop internal access flags */
        BitConverter.TryWriteBytes(info.AsSpan(OFFSETOF_ACCESS), BitConverter.ToUInt32(info, OFFSETOF_ACCESS) & ~SNDRV_CTL_ELEM_ACCESS_SKIP_CHECK);
        if (CopyToUser(uinfo, info) != 0)
            return -EFAULT;
        return result;
    }

    // sound/core/control.c, snd_ctl_elem_read_user(), v5.10. Correct: memdup_user() (a kmalloc and one
    // copy), the read under the card's locks in the stub, and the value copied back.
    public static int SndCtlElemReadUser(Helpers.SndCard card, UserPtr control_) // expect: none
    {
        byte[] control;
        int result;

        /* memdup_user() */
        control = new byte[SIZEOF_ELEM_VALUE];
        if (CopyFromUser(control, control_) != 0)
            return -EFAULT;

        result = Helpers.SndCtlElemRead(card, control);
        if (result < 0)
            goto error;

        if (CopyToUser(control_, control) != 0)
            result = -EFAULT;
    error:
        return result;
    }
}

public static class Kvm
{
    private const int SIZEOF_SIGSET = 8;
    private const int E2BIG = 7;
    private const int EINVAL_ = EINVAL;

    // virt/kvm/kvm_main.c, kvm_vcpu_ioctl() case KVM_SET_SIGNAL_MASK, v5.10. Correct: struct
    // kvm_signal_mask is a u32 len followed by the sigset; the header is copied and its len checked, then
    // the sigset is copied from the offset after it, which was not read before.
    public static long KvmVcpuIoctlSetSignalMask(Helpers.KvmVcpu vcpu, UserPtr argp) // expect: none
    {
        long r;
        var kvmSigmask = new byte[4];
        var sigset = new byte[SIZEOF_SIGSET];
        byte[]? p;

        p = null;
        if (argp != default)
        {
            r = -EFAULT;
            if (CopyFromUser(kvmSigmask, argp) != 0)
                goto out_;
            r = -EINVAL_;
            if (BitConverter.ToUInt32(kvmSigmask, 0) != SIZEOF_SIGSET)
                goto out_;
            r = -EFAULT;
            if (CopyFromUser(sigset, argp + 4) != 0)
                goto out_;
            p = sigset;
        }
        r = Helpers.KvmVcpuIoctlSetSigmask(vcpu, p);
    out_:
        return r;
    }

    // arch/x86/kvm/x86.c, kvm_arch_dev_ioctl() case KVM_GET_MSR_INDEX_LIST, v5.10 (struct kvm_msr_list:
    // nmsrs at 0, indices at 4). Correct: the caller's capacity is read once into n, the count is written
    // back, and the indices are copied only when they fit in n.
    public static long KvmGetMsrIndexList(UserPtr userMsrList, uint[] msrsToSave, uint[] emulatedMsrs) // expect: none
    {
        long r;
        var msrList = new byte[4];
        uint n;

        r = -EFAULT;
        if (CopyFromUser(msrList, userMsrList) != 0)
            goto out_;
        n = BitConverter.ToUInt32(msrList, 0);
        BitConverter.TryWriteBytes(msrList.AsSpan(0), (uint)(msrsToSave.Length + emulatedMsrs.Length));
        if (CopyToUser(userMsrList, msrList) != 0)
            goto out_;
        r = -E2BIG;
        if (n < BitConverter.ToUInt32(msrList, 0))
            goto out_;
        r = -EFAULT;
        if (CopyToUser(userMsrList + 4, Helpers.AsBytes(msrsToSave)) != 0)
            goto out_;
        if (CopyToUser(userMsrList + 4 + msrsToSave.Length * 4, Helpers.AsBytes(emulatedMsrs)) != 0)
            goto out_;
        r = 0;
    out_:
        return r;
    }
}

public static class Evdev
{
    // drivers/input/evdev.c, evdev_handle_get_keycode(), v5.10 (legacy case: an int scancode, then the
    // keycode stored in the int after it). Correct.
    public static int EvdevHandleGetKeycode(Helpers.InputDev dev, UserPtr p) // expect: none
    {
        var scancode = new byte[4];
        int error;

        /* legacy case */
        if (CopyFromUser(scancode, p) != 0)
            return -EFAULT;

        error = Helpers.InputGetKeycode(dev, scancode, out uint keycode);
        if (error != 0)
            return error;

        if (PutUser(keycode, (p + 4).Cast<uint>()) != 0)
            return -EFAULT;

        return 0;
    }

    // drivers/input/evdev.c, evdev_handle_set_keycode(), v5.10. Correct: two fetches of two different ints.
    public static int EvdevHandleSetKeycode(Helpers.InputDev dev, UserPtr p) // expect: none
    {
        var scancode = new byte[4];
        uint keycode;

        /* legacy case */
        if (CopyFromUser(scancode, p) != 0)
            return -EFAULT;

        if (GetUser(out keycode, (p + 4).Cast<uint>()) != 0)
            return -EFAULT;

        return Helpers.InputSetKeycode(dev, scancode, keycode);
    }
}

public static class IoUringAio
{
    private const int IORING_OP_LAST = 40;
    private const int SIZEOF_PROBE = 16;
    private const int SIZEOF_PROBE_OP = 8;
    private const int EOVERFLOW = 75;
    private const ushort IO_URING_OP_SUPPORTED = 1;

    // io_uring/io_uring.c, io_probe(), v5.15. Correct: the caller's probe must be all zero, the kernel fills
    // it, and the same size is copied back.
    public static int IoProbe(UserPtr arg, uint nrArgs) // expect: none
    {
        byte[] p;
        long size;
        int i, ret;

        size = SIZEOF_PROBE + (long)nrArgs * SIZEOF_PROBE_OP;
        if (size > int.MaxValue)
            return -EOVERFLOW;
        p = new byte[size];

        ret = -EFAULT;
        if (CopyFromUser(p, arg) != 0)
            goto out_;
        ret = -EINVAL;
        if (Array.Exists(p, b => b != 0))
            goto out_;

        p[0] = IORING_OP_LAST - 1;
        if (nrArgs > IORING_OP_LAST)
            nrArgs = IORING_OP_LAST;

        for (i = 0; i < nrArgs; i++)
        {
            p[SIZEOF_PROBE + i * SIZEOF_PROBE_OP] = (byte)i;
            if (Helpers.OpSupported(i))
                BitConverter.TryWriteBytes(p.AsSpan(SIZEOF_PROBE + i * SIZEOF_PROBE_OP + 2), IO_URING_OP_SUPPORTED);
        }
        p[1] = (byte)i;

        ret = 0;
        if (CopyToUser(arg, p) != 0)
            ret = -EFAULT;
    out_:
        return ret;
    }

    // fs/aio.c, lookup_ioctx(), v5.10 (ctx_id is the user address of the ring; its id at 0; the table
    // lookup is a stub). Correct: the id is read once with get_user() and a fault is "no such context".
    public static Helpers.Kioctx? LookupIoctx(ulong ctxId) // expect: none
    {
        UserPtr ring = new UserPtr(ctxId);
        Helpers.Kioctx? ctx = null, ret = null;
        uint id;

        if (GetUser(out id, ring.Cast<uint>()) != 0)
            return null;

        ctx = Helpers.IoctxTableLookup(id);
        if (ctx != null && ctx.UserId == ctxId)
            ret = ctx;
        return ret;
    }
}

public static class Helpers
{
    /// <summary>struct snd_ctl_file.</summary>
    public sealed class SndCtlFile
    {
    }

    /// <summary>struct snd_card.</summary>
    public sealed class SndCard
    {
    }

    /// <summary>struct kvm_vcpu.</summary>
    public sealed class KvmVcpu
    {
    }

    /// <summary>struct input_dev.</summary>
    public sealed class InputDev
    {
    }

    /// <summary>struct kioctx: user_id is the ring's user address.</summary>
    public sealed class Kioctx
    {
        public ulong UserId;
    }

    /// <summary>snd_ctl_elem_info(): takes controls_rwsem and asks the control; 0 or a negative errno.</summary>
    public static int SndCtlElemInfo(SndCtlFile ctl, byte[] info) => 0;

    /// <summary>snd_ctl_elem_read(): takes the card's power and controls locks and reads the value.</summary>
    public static int SndCtlElemRead(SndCard card, byte[] control) => 0;

    /// <summary>kvm_vcpu_ioctl_set_sigmask().</summary>
    public static long KvmVcpuIoctlSetSigmask(KvmVcpu vcpu, byte[]? sigset) => 0;

    /// <summary>The u32 array as the bytes copied out.</summary>
    public static byte[] AsBytes(uint[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>input_get_keycode(): the keycode of a scancode.</summary>
    public static int InputGetKeycode(InputDev dev, byte[] scancode, out uint keycode)
    {
        keycode = 0;
        return 0;
    }

    /// <summary>input_set_keycode().</summary>
    public static int InputSetKeycode(InputDev dev, byte[] scancode, uint keycode) => 0;

    /// <summary>!io_op_defs[op].not_supported.</summary>
    public static bool OpSupported(int op) => true;

    /// <summary>The walk of mm->ioctx_table under RCU for the context with this id.</summary>
    public static Kioctx? IoctxTableLookup(uint id) => null;
}
