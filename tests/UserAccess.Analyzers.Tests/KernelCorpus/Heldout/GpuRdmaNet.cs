// Held out: DRM, RDMA and network driver code that copies to and from user space, each defect before and after
// the kernel's own fix, and current correct code from the same files doing the same things:
// - drivers/gpu/drm/drm_bufs.c copy_one_buf() (DRM_IOCTL_INFO_BUFS): copy_to_user()'s count of bytes not
//   copied returned to a caller that tests "< 0", before Dan Carpenter's 74b67efa8d7b "drm: return -EFAULT
//   if copy_to_user() fails" (v5.2);
// - drivers/net/ethernet/intel/i40e/i40e_debugfs.c i40e_dbg_command_read(): the count tested "< 0" and
//   returned as an errno, before Rasmus Villemoes' 0286c67e710c "intel: i40e: fix confused code" (v4.5);
// - drivers/gpu/drm/drm_ioc32.c copy_one_buf32(): the same defect in the compat callback, before the same fix;
// - drivers/infiniband/sw/rxe/rxe_queue.c do_mmap_info(): copy_to_user()'s count returned through the error
//   path as the function's errno, between a3a974b4654d (v5.7-rc) and Dan Carpenter's "RDMA/rxe: Return -EFAULT
//   if copy_from_user() fails" (v5.7);
// - drivers/gpu/drm/msm/msm_gem_submit.c submit_lookup_objects() and submit_lookup_cmds() (current): the submit
//   ioctl's arrays copied in entry by entry, outside the spinlock;
// - drivers/gpu/drm core mode ioctls (v6.6): drm_mode_getresources(), drm_mode_getproperty_ioctl(),
//   drm_mode_getblob_ioctl(), drm_mode_gamma_get_ioctl(): put_user()/copy_to_user() loops over kernel lists
//   and arrays, bounded by the kernel's counts;
// - drivers/infiniband/core/ucma.c (v6.6) ucma_write() (the command header) and ucma_get_event();
// - drivers/net/ppp/ppp_generic.c get_filter() (v3.14, PPPIOCSPASS/PPPIOCSACTIVE) and net/core/ethtool.c
//   ethtool_get_any_eeprom() (v4.19, ETHTOOL_GEEPROM), a loop over a caller's length bounded by the EEPROM.
// The mode objects, the blobs, the RDMA CM events, the filters and the EEPROM reads are stubs; the user
// pointers, the accesses, their checks, the locks and the control flow are the kernel's.
using System;
using System.Collections.Generic;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.GpuRdmaNet;

public static class DrmLegacyBufs
{
    /// <summary>sizeof(struct drm_buf_desc) on a 64-bit kernel: count, size, low_mark, high_mark, flags, agp_start.</summary>
    public const int SZ_DRM_BUF_DESC = 32;

    /// <summary>offsetof(struct drm_buf_desc, flags): the four ints DRM_IOCTL_INFO_BUFS reports.</summary>
    public const int OFFSETOF_DRM_BUF_DESC_FLAGS = 16;

    // drivers/gpu/drm/drm_bufs.c, copy_one_buf(), v5.1 (before 74b67efa8d7b "drm: return -EFAULT if
    // copy_to_user() fails", Dan Carpenter, v5.2). Buggy: the callback of __drm_legacy_infobufs(), whose
    // caller fails only on "if (f(data, count, from) < 0) return -EFAULT;", returns copy_to_user()'s count of
    // bytes not copied: "The copy_from_user() function returns the number of bytes remaining to be copied but
    // we want to return a negative error code. Otherwise the callers treat it as a successful copy."
    public static int CopyOneBufV51(Helpers.DrmBufInfo request, int count, Helpers.DrmBufEntry from)
    {
        UserPtr to = request.List + (long)count * SZ_DRM_BUF_DESC;
        byte[] v = Helpers.DrmBufDesc(from.BufCount, from.BufSize, from.LowMark, from.HighMark);
        return CopyToUser(to, v.AsSpan(0, OFFSETOF_DRM_BUF_DESC_FLAGS)); // expect: UA5002
    }

    // drivers/gpu/drm/drm_bufs.c, copy_one_buf(), v5.2 (after 74b67efa8d7b). Correct: a failed copy is -EFAULT.
    public static int CopyOneBufV52(Helpers.DrmBufInfo request, int count, Helpers.DrmBufEntry from) // expect: none
    {
        UserPtr to = request.List + (long)count * SZ_DRM_BUF_DESC;
        byte[] v = Helpers.DrmBufDesc(from.BufCount, from.BufSize, from.LowMark, from.HighMark);

        if (CopyToUser(to, v.AsSpan(0, OFFSETOF_DRM_BUF_DESC_FLAGS)) != 0)
            return -EFAULT;
        return 0;
    }

    /// <summary>sizeof(drm_buf_desc32_t): count, size, low_mark, high_mark, flags, u32 agp_start.</summary>
    public const int SZ_DRM_BUF_DESC32 = 24;

    // drivers/gpu/drm/drm_ioc32.c, copy_one_buf32(), v5.1 (before the same 74b67efa8d7b, v5.2). Buggy: the
    // compat callback of __drm_legacy_infobufs() has the same defect, "return copy_to_user(to + count, &v,
    // offsetof(drm_buf_desc32_t, flags));", the count of bytes not copied taken for success by "< 0".
    public static int CopyOneBuf32V51(Helpers.DrmBufInfo request, int count, Helpers.DrmBufEntry from)
    {
        UserPtr to = request.List; /* compat_ptr(request->list) */
        byte[] v = Helpers.DrmBufDesc(from.BufCount, from.BufSize, from.LowMark, from.HighMark);
        return CopyToUser(to + (long)count * SZ_DRM_BUF_DESC32, v.AsSpan(0, OFFSETOF_DRM_BUF_DESC_FLAGS)); // expect: UA5002
    }
}

public static class MsmGemSubmit
{
    private const uint MSM_SUBMIT_BO_READ = 0x0001;
    private const uint MSM_SUBMIT_BO_WRITE = 0x0002;
    private const uint MSM_SUBMIT_BO_DUMP = 0x0004;
    private const uint MSM_SUBMIT_BO_NO_IMPLICIT = 0x0008;
    private const uint MSM_SUBMIT_BO_FLAGS = MSM_SUBMIT_BO_READ | MSM_SUBMIT_BO_WRITE | MSM_SUBMIT_BO_DUMP | MSM_SUBMIT_BO_NO_IMPLICIT;
    /* at least one of READ and/or WRITE flags should be set: */
    private const uint MANDATORY_FLAGS = MSM_SUBMIT_BO_READ | MSM_SUBMIT_BO_WRITE;

    private const uint MSM_SUBMIT_CMD_BUF = 0x0001;
    private const uint MSM_SUBMIT_CMD_IB_TARGET_BUF = 0x0002;
    private const uint MSM_SUBMIT_CMD_CTX_RESTORE_BUF = 0x0003;

    private const int ENOMEM = 12;

    /// <summary>sizeof(struct drm_msm_gem_submit_bo): flags, handle, presumed.</summary>
    private const int SZ_DRM_MSM_GEM_SUBMIT_BO = 16;

    /// <summary>sizeof(struct drm_msm_gem_submit_cmd): type, submit_idx, submit_offset, size, pad, nr_relocs, relocs/iova.</summary>
    private const int SZ_DRM_MSM_GEM_SUBMIT_CMD = 32;

    /// <summary>sizeof(struct drm_msm_gem_submit_reloc): submit_offset, or, shift, reloc_idx, reloc_offset.</summary>
    private const int SZ_DRM_MSM_GEM_SUBMIT_RELOC = 24;

    // drivers/gpu/drm/msm/msm_gem_submit.c, submit_lookup_objects(), torvalds/linux 00dfa76bdfc2 (v6.17 era).
    // Correct: the caller's array of buffer descriptors copied one entry at a time with copy_from_user()
    // before file->table_lock is taken, every failure -EFAULT; the spinlocked loop only looks the handles up.
    // The loop runs over args->nr_bos, which submit_create() already sized an allocation by; the kernel has
    // no signal check here.
    public static int SubmitLookupObjects(Helpers.MsmSubmit submit, Helpers.DrmMsmGemSubmitArgs args, Helpers.MsmDrmFile file) // expect: none
    {
        uint i;
        int ret = 0;

        for (i = 0; i < args.NrBos; i++)
        {
            Helpers.DrmMsmGemSubmitBo submitBo;
            UserPtr userptr = new UserPtr(args.Bos + i * (ulong)SZ_DRM_MSM_GEM_SUBMIT_BO);

            /* make sure we don't have garbage flags, in case we hit
             * error path before flags is initialized:
             */
            submit.Bos[i].Flags = 0;

            if (CopyFromUser(out submitBo, userptr.Cast<Helpers.DrmMsmGemSubmitBo>()) != 0)
            {
                ret = -EFAULT;
                i = 0;
                goto @out;
            }

            if ((submitBo.Flags & ~MSM_SUBMIT_BO_FLAGS) != 0 ||
                (submitBo.Flags & MANDATORY_FLAGS) == 0)
            {
                ret = -EINVAL; /* SUBMIT_ERROR(EINVAL, submit, "invalid flags: %x\n", submit_bo.flags) */
                i = 0;
                goto @out;
            }

            submit.Bos[i].Handle = submitBo.Handle;
            submit.Bos[i].Flags = submitBo.Flags;
        }

        file.TableLock.Lock();

        for (i = 0; i < args.NrBos; i++)
        {
            Helpers.DrmGemObject? obj;

            /* normally use drm_gem_object_lookup(), but for bulk lookup
             * all under single table_lock just hit object_idr directly:
             */
            obj = Helpers.IdrFind(file, submit.Bos[i].Handle);
            if (obj == null)
            {
                ret = -EINVAL; /* SUBMIT_ERROR(EINVAL, submit, "invalid handle %u at index %u\n", ...) */
                goto out_unlock;
            }

            /* drm_gem_object_get(obj); */

            submit.Bos[i].Obj = obj;
        }

    out_unlock:
        file.TableLock.Unlock();

    @out:
        submit.NrBos = i;

        return ret;
    }

    // drivers/gpu/drm/msm/msm_gem_submit.c, submit_lookup_cmds(), torvalds/linux 00dfa76bdfc2 (v6.17 era).
    // Correct: each command copied with copy_from_user() into ret and turned into -EFAULT in place, then its
    // relocation array (nr_relocs from that one copy) allocated and copied the same way; nothing is read twice.
    public static int SubmitLookupCmds(Helpers.MsmSubmit submit, Helpers.DrmMsmGemSubmitArgs args, Helpers.MsmDrmFile file) // expect: none
    {
        uint i;
        int sz;
        int ret = 0;

        for (i = 0; i < args.NrCmds; i++)
        {
            Helpers.DrmMsmGemSubmitCmd submitCmd;
            UserPtr userptr = new UserPtr(args.Cmds + i * (ulong)SZ_DRM_MSM_GEM_SUBMIT_CMD);

            ret = CopyFromUser(out submitCmd, userptr.Cast<Helpers.DrmMsmGemSubmitCmd>());
            if (ret != 0)
            {
                ret = -EFAULT;
                goto @out;
            }

            /* validate input from userspace: */
            switch (submitCmd.Type)
            {
                case MSM_SUBMIT_CMD_BUF:
                case MSM_SUBMIT_CMD_IB_TARGET_BUF:
                case MSM_SUBMIT_CMD_CTX_RESTORE_BUF:
                    break;
                default:
                    return -EINVAL; /* SUBMIT_ERROR(EINVAL, submit, "invalid type: %08x\n", submit_cmd.type) */
            }

            if (submitCmd.Size % 4 != 0)
            {
                ret = -EINVAL; /* SUBMIT_ERROR(EINVAL, submit, "non-aligned cmdstream buffer size: %u\n", ...) */
                goto @out;
            }

            if (file.Vmbind)
            {
                if (submitCmd.NrRelocs != 0)
                {
                    ret = -EINVAL; /* SUBMIT_ERROR(EINVAL, submit, "nr_relocs must be zero") */
                    goto @out;
                }

                if (submitCmd.SubmitIdx != 0 || submitCmd.SubmitOffset != 0)
                {
                    ret = -EINVAL; /* SUBMIT_ERROR(EINVAL, submit, "submit_idx/offset must be zero") */
                    goto @out;
                }

                submit.Cmd[i].Iova = submitCmd.RelocsOrIova;
            }

            submit.Cmd[i].Type = submitCmd.Type;
            submit.Cmd[i].Size = submitCmd.Size / 4;
            submit.Cmd[i].Offset = submitCmd.SubmitOffset / 4;
            submit.Cmd[i].Idx = submitCmd.SubmitIdx;
            submit.Cmd[i].NrRelocs = submitCmd.NrRelocs;

            userptr = new UserPtr(submitCmd.RelocsOrIova);

            sz = Helpers.ArraySize(submitCmd.NrRelocs, SZ_DRM_MSM_GEM_SUBMIT_RELOC);
            submit.Cmd[i].Relocs = Kmalloc(sz, Gfp.Kernel); /* GFP_KERNEL | __GFP_NOWARN */
            if (submit.Cmd[i].Relocs == null)
            {
                ret = -ENOMEM;
                goto @out;
            }

            submit.NrCmds = i + 1;

            ret = CopyFromUser(submit.Cmd[i].Relocs!.AsSpan(0, sz), userptr);
            if (ret != 0)
            {
                ret = -EFAULT;
                goto @out;
            }
        }

    @out:
        return ret;
    }
}

public static class I40eDebugfs
{
    private const int ENOSPC = 28;

    // drivers/net/ethernet/intel/i40e/i40e_debugfs.c, i40e_dbg_command_read(), v4.4 (before 0286c67e710c
    // "intel: i40e: fix confused code", Rasmus Villemoes, v4.5). Buggy: "The variable name 'bytes_not_copied'
    // clearly indicates that the programmer knew the semantics of copy_{to,from}_user, but then the return
    // value is checked for being negative and used as a -Exxx return value": a failed copy is never caught and
    // the read reports len bytes read.
    public static long I40eDbgCommandReadV44(Helpers.I40ePf pf, UserPtr buffer, long count, ref long ppos)
    {
        int bytesNotCopied;
        int bufSize = 256;
        byte[]? buf;
        int len;

        /* don't allow partial reads */
        if (ppos != 0)
            return 0;
        if (count < bufSize)
            return -ENOSPC;

        buf = Kmalloc(bufSize, Gfp.Kernel);
        if (buf == null)
            return -ENOSPC;

        len = Helpers.Snprintf(buf, bufSize, pf.NetdevName, pf.DbgCommandBuf);

        bytesNotCopied = CopyToUser(buffer, buf.AsSpan(0, len));
        /* kfree(buf); */
        buf = null;

        if (bytesNotCopied < 0) // expect: UA5002
            return bytesNotCopied;

        ppos = len;
        return len;
    }

    // drivers/net/ethernet/intel/i40e/i40e_debugfs.c, i40e_dbg_command_read(), v4.5 (after 0286c67e710c).
    // Correct: any bytes not copied fail the read with -EFAULT.
    public static long I40eDbgCommandReadV45(Helpers.I40ePf pf, UserPtr buffer, long count, ref long ppos) // expect: none
    {
        int bytesNotCopied;
        int bufSize = 256;
        byte[]? buf;
        int len;

        /* don't allow partial reads */
        if (ppos != 0)
            return 0;
        if (count < bufSize)
            return -ENOSPC;

        buf = Kmalloc(bufSize, Gfp.Kernel);
        if (buf == null)
            return -ENOSPC;

        len = Helpers.Snprintf(buf, bufSize, pf.NetdevName, pf.DbgCommandBuf);

        bytesNotCopied = CopyToUser(buffer, buf.AsSpan(0, len));
        /* kfree(buf); */
        buf = null;

        if (bytesNotCopied != 0)
            return -EFAULT;

        ppos = len;
        return len;
    }
}

public static class DrmModeIoctls
{
    private const int EOPNOTSUPP = 95;
    private const int DRM_MODE_CONNECTOR_WRITEBACK = 18;
    private const int DRM_PROP_NAME_LEN = 32;

    /// <summary>sizeof(struct drm_mode_property_enum): __u64 value, char name[DRM_PROP_NAME_LEN].</summary>
    private const int SZ_DRM_MODE_PROPERTY_ENUM = 40;

    // drivers/gpu/drm/drm_mode_config.c, drm_mode_getresources(), v6.6. Correct: four put_user() loops over the
    // file's framebuffers and the device's CRTCs, encoders and connectors, storing only while the caller's
    // count allows and failing with -EFAULT (dropping fbs_lock, ending the connector walk) when a store
    // faults; the loops are bounded by the kernel's lists, not by the caller.
    public static int DrmModeGetresources(Helpers.DrmDevice dev, Helpers.DrmModeCardRes cardRes, Helpers.DrmFile filePriv) // expect: none
    {
        int count, ret = 0;
        UserPtr<uint> fbId;
        UserPtr<uint> crtcId;
        UserPtr<uint> connectorId;
        UserPtr<uint> encoderId;

        if (!dev.DriverModeset)
            return -EOPNOTSUPP;

        filePriv.FbsLock.Lock();
        count = 0;
        fbId = new UserPtr<uint>(cardRes.FbIdPtr);
        foreach (var fb in filePriv.Fbs)
        {
            if (count < cardRes.CountFbs &&
                PutUser(fb.Id, fbId + 4L * count) != 0)
            {
                filePriv.FbsLock.Unlock();
                return -EFAULT;
            }
            count++;
        }
        cardRes.CountFbs = (uint)count;
        filePriv.FbsLock.Unlock();

        cardRes.MaxHeight = dev.MaxHeight;
        cardRes.MinHeight = dev.MinHeight;
        cardRes.MaxWidth = dev.MaxWidth;
        cardRes.MinWidth = dev.MinWidth;

        count = 0;
        crtcId = new UserPtr<uint>(cardRes.CrtcIdPtr);
        foreach (var crtc in dev.Crtcs)
        {
            if (Helpers.DrmLeaseHeld(filePriv, crtc.Id))
            {
                if (count < cardRes.CountCrtcs &&
                    PutUser(crtc.Id, crtcId + 4L * count) != 0)
                    return -EFAULT;
                count++;
            }
        }
        cardRes.CountCrtcs = (uint)count;

        count = 0;
        encoderId = new UserPtr<uint>(cardRes.EncoderIdPtr);
        foreach (var encoder in dev.Encoders)
        {
            if (count < cardRes.CountEncoders &&
                PutUser(encoder.Id, encoderId + 4L * count) != 0)
                return -EFAULT;
            count++;
        }
        cardRes.CountEncoders = (uint)count;

        /* drm_connector_list_iter_begin(dev, &conn_iter); */
        count = 0;
        connectorId = new UserPtr<uint>(cardRes.ConnectorIdPtr);
        foreach (var connector in dev.Connectors)
        {
            /* only expose writeback connectors if userspace understands them */
            if (!filePriv.WritebackConnectors &&
                (connector.ConnectorType == DRM_MODE_CONNECTOR_WRITEBACK))
                continue;

            if (Helpers.DrmLeaseHeld(filePriv, connector.Id))
            {
                if (count < cardRes.CountConnectors &&
                    PutUser(connector.Id, connectorId + 4L * count) != 0)
                {
                    /* drm_connector_list_iter_end(&conn_iter); */
                    return -EFAULT;
                }
                count++;
            }
        }
        cardRes.CountConnectors = (uint)count;
        /* drm_connector_list_iter_end(&conn_iter); */

        return ret;
    }

    // drivers/gpu/drm/drm_property.c, drm_mode_getproperty_ioctl(), v6.6. Correct: the property's values
    // stored with put_user() and its enum entries with two copy_to_user() each, up to the caller's counts,
    // every result tested; the loops are bounded by the property's own values and enum list.
    public static int DrmModeGetpropertyIoctl(Helpers.DrmDevice dev, Helpers.DrmModeGetProperty outResp, Helpers.DrmFile filePriv) // expect: none
    {
        Helpers.DrmProperty? property;
        int enumCount = 0;
        int valueCount = 0;
        int i, copied;
        UserPtr enumPtr;
        UserPtr<ulong> valuesPtr;

        if (!dev.DriverModeset)
            return -EOPNOTSUPP;

        property = Helpers.DrmPropertyFind(dev, filePriv, outResp.PropId);
        if (property == null)
            return -ENOENT;

        /* strscpy_pad(out_resp->name, property->name, DRM_PROP_NAME_LEN); */
        outResp.Name = property.Name;
        outResp.Flags = property.Flags;

        valueCount = property.NumValues;
        valuesPtr = new UserPtr<ulong>(outResp.ValuesPtr);

        for (i = 0; i < valueCount; i++)
        {
            if (i < outResp.CountValues &&
                PutUser(property.Values[i], valuesPtr + 8L * i) != 0)
            {
                return -EFAULT;
            }
        }
        outResp.CountValues = (uint)valueCount;

        copied = 0;
        enumPtr = new UserPtr(outResp.EnumBlobPtr);

        if (property.IsEnum || property.IsBitmask)
        {
            foreach (var propEnum in property.EnumList)
            {
                enumCount++;
                if (outResp.CountEnumBlobs < enumCount)
                    continue;

                if (CopyToUser((enumPtr + (long)copied * SZ_DRM_MODE_PROPERTY_ENUM).Cast<ulong>(), propEnum.Value) != 0)
                    return -EFAULT;

                if (CopyToUser(enumPtr + (long)copied * SZ_DRM_MODE_PROPERTY_ENUM + 8, propEnum.Name.AsSpan(0, DRM_PROP_NAME_LEN)) != 0)
                    return -EFAULT;
                copied++;
            }
            outResp.CountEnumBlobs = (uint)enumCount;
        }

        /*
         * NOTE: The idea seems to have been to use this to read all the blob
         * property values. But nothing ever added them to the corresponding
         * list, userspace always used the special-purpose get_blob ioctl to
         * read the value for a blob property.
         */
        if (property.IsBlob)
            outResp.CountEnumBlobs = 0;

        return 0;
    }

    // drivers/gpu/drm/drm_property.c, drm_mode_getblob_ioctl(), v6.6. Correct: the blob is copied out only
    // when the caller's length matches it, a failed copy is -EFAULT, and the reference is dropped on every path.
    public static int DrmModeGetblobIoctl(Helpers.DrmDevice dev, Helpers.DrmModeGetBlob outResp, Helpers.DrmFile filePriv) // expect: none
    {
        Helpers.DrmPropertyBlob? blob;
        int ret = 0;

        if (!dev.DriverModeset)
            return -EOPNOTSUPP;

        blob = Helpers.DrmPropertyLookupBlob(dev, outResp.BlobId);
        if (blob == null)
            return -ENOENT;

        if (outResp.Length == blob.Length)
        {
            if (CopyToUser(new UserPtr(outResp.Data), blob.Data.AsSpan(0, (int)blob.Length)) != 0)
            {
                ret = -EFAULT;
                goto unref;
            }
        }
        outResp.Length = blob.Length;
    unref:
        Helpers.DrmPropertyBlobPut(blob);

        return ret;
    }

    // drivers/gpu/drm/drm_color_mgmt.c, drm_mode_gamma_get_ioctl(), v6.6. Correct: the three gamma ramps
    // copied out under the CRTC's modeset lock (a ww_mutex, which may be held across a fault), each failure
    // -EFAULT through the one unlock.
    public static int DrmModeGammaGetIoctl(Helpers.DrmDevice dev, Helpers.DrmModeCrtcLut crtcLut, Helpers.DrmFile filePriv) // expect: none
    {
        Helpers.DrmCrtc? crtc;
        int rBase, gBase, bBase;
        int size;
        int ret = 0;

        if (!dev.DriverModeset)
            return -EOPNOTSUPP;

        crtc = Helpers.DrmCrtcFind(dev, filePriv, crtcLut.CrtcId);
        if (crtc == null)
            return -ENOENT;

        /* memcpy into gamma store */
        if (crtcLut.GammaSize != crtc.GammaSize)
            return -EINVAL;

        crtc.Mutex.Lock();
        size = (int)crtcLut.GammaSize * sizeof(ushort);
        rBase = 0;
        if (CopyToUser(new UserPtr(crtcLut.Red), crtc.GammaStore.AsSpan(rBase, size)) != 0)
        {
            ret = -EFAULT;
            goto @out;
        }

        gBase = rBase + size;
        if (CopyToUser(new UserPtr(crtcLut.Green), crtc.GammaStore.AsSpan(gBase, size)) != 0)
        {
            ret = -EFAULT;
            goto @out;
        }

        bBase = gBase + size;
        if (CopyToUser(new UserPtr(crtcLut.Blue), crtc.GammaStore.AsSpan(bBase, size)) != 0)
        {
            ret = -EFAULT;
            goto @out;
        }
    @out:
        crtc.Mutex.Unlock();
        return ret;
    }
}

public static class RdmaUcma
{
    private const int EACCES = 13;
    private const int ENOSPC = 28;
    private const int ERESTARTSYS = 512;
    private const int O_NONBLOCK = 0x800;

    /// <summary>sizeof(struct rdma_ucm_cmd_hdr): __u32 cmd, __u16 in, __u16 out.</summary>
    public const int SZ_RDMA_UCM_CMD_HDR = 8;

    /// <summary>sizeof(struct rdma_ucm_event_resp) (v6.6), with its trailing reserved word and struct rdma_ucm_ece.</summary>
    public const int SZ_RDMA_UCM_EVENT_RESP = 208;
    private const int SZ_RESP_RESERVED = 4;
    private const int SZ_RESP_ECE = 8;

    // drivers/infiniband/core/ucma.c, ucma_write(), v6.6. Correct: the command header copied once, its command
    // index and input length checked, and the command's own struct read by the handler from past the header:
    // no byte of the header is fetched again.
    public static long UcmaWrite(Helpers.UcmaFile file, UserPtr buf, long len) // expect: none
    {
        Helpers.RdmaUcmCmdHdr hdr;
        long ret;

        if (!Helpers.IbSafeFileAccess(file))
        {
            /* pr_err_once("%s: process %d (%s) changed security contexts after opening file descriptor, this is not allowed.\n", ...); */
            return -EACCES;
        }

        if (len < SZ_RDMA_UCM_CMD_HDR)
            return -EINVAL;

        if (CopyFromUser(out hdr, buf.Cast<Helpers.RdmaUcmCmdHdr>()) != 0)
            return -EFAULT;

        if (hdr.Cmd >= Helpers.UCMA_CMD_TABLE_SIZE)
            return -EINVAL;
        /* hdr.cmd = array_index_nospec(hdr.cmd, ARRAY_SIZE(ucma_cmd_table)); */

        if (hdr.In + SZ_RDMA_UCM_CMD_HDR > len)
            return -EINVAL;

        if (!Helpers.UcmaCmdImplemented(hdr.Cmd))
            return -ENOSYS;

        ret = Helpers.UcmaCmd(hdr.Cmd, file, buf + SZ_RDMA_UCM_CMD_HDR, hdr.In, hdr.Out);
        if (ret == 0)
            ret = len;

        return ret;
    }

    // drivers/infiniband/core/ucma.c, ucma_get_event(), v6.6. Correct: the command (the response pointer)
    // copied once, the wait for an event made interruptible with file->mut dropped, and the event copied out
    // under the mutex (a sleeping lock) with -EFAULT and the unlock on failure.
    public static long UcmaGetEvent(Helpers.UcmaFile file, UserPtr inbuf, int inLen, int outLen) // expect: none
    {
        ulong cmdResponse;
        Helpers.UcmaEvent uevent;

        /*
         * Old 32 bit user space does not send the 4 byte padding in the
         * reserved field. We don't care, allow it to keep working.
         */
        if (outLen < SZ_RDMA_UCM_EVENT_RESP - SZ_RESP_RESERVED - SZ_RESP_ECE)
            return -ENOSPC;

        if (CopyFromUser(out cmdResponse, inbuf.Cast<ulong>()) != 0)
            return -EFAULT;

        file.Mut.Lock();
        while (file.EventList.Count == 0)
        {
            file.Mut.Unlock();

            if ((file.FFlags & O_NONBLOCK) != 0)
                return -EAGAIN;

            if (Helpers.WaitEventInterruptibleEvents(file) != 0)
                return -ERESTARTSYS;

            file.Mut.Lock();
        }

        uevent = file.EventList[0];

        if (CopyToUser(new UserPtr(cmdResponse), uevent.Resp.AsSpan(0, Math.Min(outLen, SZ_RDMA_UCM_EVENT_RESP))) != 0)
        {
            file.Mut.Unlock();
            return -EFAULT;
        }

        file.EventList.RemoveAt(0);
        uevent.Ctx.EventsReported++;
        /* if (uevent->mc) uevent->mc->events_reported++; if CONNECT_REQUEST: atomic_inc(&uevent->ctx->backlog); */
        file.Mut.Unlock();

        /* kfree(uevent); */
        return 0;
    }
}

public static class RdmaRxe
{
    /// <summary>sizeof(struct mminfo): __aligned_u64 offset, __u32 size, __u32 pad.</summary>
    private const int SZ_MMINFO = 16;

    // drivers/infiniband/sw/rxe/rxe_queue.c, do_mmap_info(), v5.7-rc (after a3a974b4654d "RDMA/rxe: Always
    // return ERR_PTR from rxe_create_mmap_info()", before Dan Carpenter's "RDMA/rxe: Return -EFAULT if
    // copy_from_user() fails", v5.7). Buggy: the error path that used to return -EINVAL now returns err, and
    // on the copy's path err is copy_to_user()'s count: "Unfortunately the copy_to_user() is returning the
    // number of bytes remaining to be copied instead of a negative error code." The QP/CQ/SRQ creation verbs
    // take the positive result for something other than an error.
    public static int DoMmapInfoV57rc(Helpers.RxeDev rxe, UserPtr outbuf, Helpers.IbUdata udata, byte[] buf, long bufSize, out Helpers.RxeMmapInfo? ipP)
    {
        int err;
        Helpers.RxeMmapInfo? ip = null;

        if (outbuf != UserPtr.Null)
        {
            ip = Helpers.RxeCreateMmapInfo(rxe, bufSize, udata, buf, out err);
            if (ip == null) /* IS_ERR(ip) */
            {
                /* err = PTR_ERR(ip); */
                goto err1;
            }

            err = CopyToUser(outbuf, ip.Info.AsSpan(0, SZ_MMINFO));
            if (err != 0)
                goto err2;

            rxe.PendingLock.Lock(); /* spin_lock_bh */
            rxe.PendingMmaps.Add(ip);
            rxe.PendingLock.Unlock();
        }

        ipP = ip;

        return 0;

    err2:
        /* kfree(ip); */
        ip = null;
    err1:
        ipP = null;
        return err; // expect: UA5002
    }

    // drivers/infiniband/sw/rxe/rxe_queue.c, do_mmap_info(), v5.7 (after "RDMA/rxe: Return -EFAULT if
    // copy_from_user() fails"). Correct: a failed copy is -EFAULT, the only values err can return are errnos.
    public static int DoMmapInfoV57(Helpers.RxeDev rxe, UserPtr outbuf, Helpers.IbUdata udata, byte[] buf, long bufSize, out Helpers.RxeMmapInfo? ipP) // expect: none
    {
        int err;
        Helpers.RxeMmapInfo? ip = null;

        if (outbuf != UserPtr.Null)
        {
            ip = Helpers.RxeCreateMmapInfo(rxe, bufSize, udata, buf, out err);
            if (ip == null) /* IS_ERR(ip) */
            {
                /* err = PTR_ERR(ip); */
                goto err1;
            }

            if (CopyToUser(outbuf, ip.Info.AsSpan(0, SZ_MMINFO)) != 0)
            {
                err = -EFAULT;
                goto err2;
            }

            rxe.PendingLock.Lock(); /* spin_lock_bh */
            rxe.PendingMmaps.Add(ip);
            rxe.PendingLock.Unlock();
        }

        ipP = ip;

        return 0;

    err2:
        /* kfree(ip); */
        ip = null;
    err1:
        ipP = null;
        return err;
    }
}

public static class NetIoctls
{
    private const int ENOMEM = 12;
    private const int PAGE_SIZE = 4096;

    /// <summary>sizeof(struct sock_filter): code, jt, jf, k.</summary>
    private const int SZ_SOCK_FILTER = 8;

    /// <summary>sizeof(struct ethtool_eeprom) without its data[]: cmd, magic, offset, len.</summary>
    private const int SZ_ETHTOOL_EEPROM = 16;

    // drivers/net/ppp/ppp_generic.c, get_filter(), v3.14 (PPPIOCSPASS and PPPIOCSACTIVE). Correct: struct
    // sock_fprog copied once and the program it points to duplicated with memdup_user() from that other
    // pointer, its length computed from the one copy of uprog.len; the filter count or a negative errno.
    public static int GetFilter(UserPtr arg, out byte[]? p) // expect: none
    {
        Helpers.SockFprog uprog;
        byte[]? code = null;
        int len;

        if (CopyFromUser(out uprog, arg.Cast<Helpers.SockFprog>()) != 0)
        {
            p = null;
            return -EFAULT;
        }

        if (uprog.Len == 0)
        {
            p = null;
            return 0;
        }

        len = uprog.Len * SZ_SOCK_FILTER;
        code = Helpers.MemdupUser(new UserPtr(uprog.Filter), len);
        if (code == null)
        {
            p = null;
            return -EFAULT;
        }

        p = code;
        return uprog.Len;
    }

    // net/core/ethtool.c, ethtool_get_any_eeprom(), v4.19 (ETHTOOL_GEEPROM and ETHTOOL_GMODULEEEPROM). Correct:
    // the header copied once; the caller's offset and length checked against the device's EEPROM size, so
    // the copy loop runs over at most the EEPROM (a few KiB) a page at a time, with no signal check in the
    // kernel then or since; each failed copy is -EFAULT, and the header written back at the end.
    public static int EthtoolGetAnyEeprom(Helpers.NetDevice dev, UserPtr useraddr, Helpers.EepromGetter getter, uint totalLen) // expect: none
    {
        Helpers.EthtoolEeprom eeprom;
        UserPtr userbuf = useraddr + SZ_ETHTOOL_EEPROM;
        uint bytesRemaining;
        byte[] data;
        int ret = 0;

        if (CopyFromUser(out eeprom, useraddr.Cast<Helpers.EthtoolEeprom>()) != 0)
            return -EFAULT;

        /* Check for wrap and zero */
        if (eeprom.Offset + eeprom.Len <= eeprom.Offset)
            return -EINVAL;

        /* Check for exceeding total eeprom len */
        if (eeprom.Offset + eeprom.Len > totalLen)
            return -EINVAL;

        data = Kmalloc(PAGE_SIZE, Gfp.Kernel);
        if (data == null)
            return -ENOMEM;

        bytesRemaining = eeprom.Len;
        while (bytesRemaining > 0)
        {
            eeprom.Len = Math.Min(bytesRemaining, (uint)PAGE_SIZE);

            ret = getter(dev, ref eeprom, data);
            if (ret != 0)
                break;
            if (CopyToUser(userbuf, data.AsSpan(0, (int)eeprom.Len)) != 0)
            {
                ret = -EFAULT;
                break;
            }
            userbuf = userbuf + eeprom.Len;
            eeprom.Offset += eeprom.Len;
            bytesRemaining -= eeprom.Len;
        }

        eeprom.Len = (uint)(userbuf.Address - (useraddr + SZ_ETHTOOL_EEPROM).Address);
        eeprom.Offset -= eeprom.Len;
        if (CopyToUser(useraddr.Cast<Helpers.EthtoolEeprom>(), eeprom) != 0)
            ret = -EFAULT;

        /* kfree(data); */
        return ret;
    }
}

public static class Helpers
{
    // ---- drivers/gpu/drm/drm_bufs.c ----

    /// <summary>struct drm_buf_info as DRM_IOCTL_INFO_BUFS hands it on: the user's array of struct drm_buf_desc.</summary>
    public sealed class DrmBufInfo
    {
        public int Count;
        public UserPtr List;
    }

    /// <summary>struct drm_buf_entry: one order of DMA buffers.</summary>
    public sealed class DrmBufEntry
    {
        public int BufCount;
        public int BufSize;
        public int LowMark;
        public int HighMark;
    }

    /// <summary>A struct drm_buf_desc with its first four ints set, as its bytes.</summary>
    public static byte[] DrmBufDesc(int count, int size, int lowMark, int highMark)
    {
        var v = new byte[DrmLegacyBufs.SZ_DRM_BUF_DESC];
        BitConverter.TryWriteBytes(v.AsSpan(0, 4), count);
        BitConverter.TryWriteBytes(v.AsSpan(4, 4), size);
        BitConverter.TryWriteBytes(v.AsSpan(8, 4), lowMark);
        BitConverter.TryWriteBytes(v.AsSpan(12, 4), highMark);
        return v;
    }

    // ---- drivers/gpu/drm/msm/msm_gem_submit.c ----

    /// <summary>struct drm_msm_gem_submit (the ioctl's data, already copied in by drm_ioctl()).</summary>
    public sealed class DrmMsmGemSubmitArgs
    {
        public uint NrBos;
        public uint NrCmds;
        public ulong Bos;
        public ulong Cmds;
    }

    /// <summary>struct drm_msm_gem_submit_bo.</summary>
    public struct DrmMsmGemSubmitBo
    {
        public uint Flags;
        public uint Handle;
        public ulong Presumed;
    }

    /// <summary>struct drm_msm_gem_submit_cmd (relocs and iova share the last u64).</summary>
    public struct DrmMsmGemSubmitCmd
    {
        public uint Type;
        public uint SubmitIdx;
        public uint SubmitOffset;
        public uint Size;
        public uint Pad;
        public uint NrRelocs;
        public ulong RelocsOrIova;
    }

    public sealed class DrmGemObject
    {
        public uint Handle;
    }

    public sealed class MsmSubmitBo
    {
        public uint Flags;
        public uint Handle;
        public DrmGemObject? Obj;
    }

    public sealed class MsmSubmitCmd
    {
        public uint Type, Size, Offset, Idx, NrRelocs;
        public ulong Iova;
        public byte[]? Relocs;
    }

    /// <summary>struct msm_gem_submit: bos[nr_bos] and cmd[nr_cmds], allocated by submit_create().</summary>
    public sealed class MsmSubmit
    {
        public MsmSubmitBo[] Bos = Array.Empty<MsmSubmitBo>();
        public MsmSubmitCmd[] Cmd = Array.Empty<MsmSubmitCmd>();
        public uint NrBos;
        public uint NrCmds;
    }

    /// <summary>struct drm_file for msm: table_lock (a spinlock) over object_idr; whether the context is VM_BIND.</summary>
    public sealed class MsmDrmFile
    {
        public KernelSpinlock TableLock = new();
        public List<DrmGemObject> ObjectIdr = new();
        public bool Vmbind;
    }

    /// <summary>idr_find(&amp;file->object_idr, handle) (stub).</summary>
    public static DrmGemObject? IdrFind(MsmDrmFile file, uint handle) => file.ObjectIdr.Find(o => o.Handle == handle);

    /// <summary>array_size(): the product, saturated (stub, small sizes).</summary>
    public static int ArraySize(uint n, int size) => (int)Math.Min((long)n * size, int.MaxValue);

    // ---- drivers/net/ethernet/intel/i40e/i40e_debugfs.c ----

    /// <summary>struct i40e_pf, reduced to the LAN VSI's netdev name and the last debugfs command.</summary>
    public sealed class I40ePf
    {
        public string NetdevName = "eth0";
        public string DbgCommandBuf = "";
    }

    /// <summary>snprintf(buf, size, "%s: %s\n", name, cmd): the length it would have written, capped to the buffer.</summary>
    public static int Snprintf(byte[] buf, int size, string name, string cmd)
    {
        var s = System.Text.Encoding.ASCII.GetBytes(name + ": " + cmd + "\n");
        int n = Math.Min(s.Length, size - 1);
        Array.Copy(s, buf, n);
        return n;
    }

    // ---- drivers/gpu/drm core ----

    /// <summary>A mode object: its id.</summary>
    public class DrmModeObject
    {
        public uint Id;
    }

    public sealed class DrmFramebuffer : DrmModeObject { }

    public sealed class DrmEncoder : DrmModeObject { }

    public sealed class DrmConnector : DrmModeObject
    {
        public int ConnectorType;
    }

    /// <summary>struct drm_crtc: its modeset lock and gamma store (red, green, blue ramps of gamma_size u16 each).</summary>
    public sealed class DrmCrtc : DrmModeObject
    {
        public KernelMutex Mutex = new();
        public uint GammaSize = 256;
        public byte[] GammaStore = new byte[3 * 256 * 2];
    }

    /// <summary>struct drm_device with its mode_config: the feature flag, the size limits and the object lists.</summary>
    public sealed class DrmDevice
    {
        public bool DriverModeset = true;
        public int MaxHeight, MinHeight, MaxWidth, MinWidth;
        public List<DrmCrtc> Crtcs = new();
        public List<DrmEncoder> Encoders = new();
        public List<DrmConnector> Connectors = new();
        public List<DrmProperty> Properties = new();
        public List<DrmPropertyBlob> Blobs = new();
    }

    /// <summary>struct drm_file: fbs_lock (a mutex), the file's framebuffers, the writeback capability.</summary>
    public sealed class DrmFile
    {
        public KernelMutex FbsLock = new();
        public List<DrmFramebuffer> Fbs = new();
        public bool WritebackConnectors;
    }

    /// <summary>struct drm_mode_card_res (the ioctl's data, already copied in by drm_ioctl()).</summary>
    public sealed class DrmModeCardRes
    {
        public ulong FbIdPtr, CrtcIdPtr, ConnectorIdPtr, EncoderIdPtr;
        public uint CountFbs, CountCrtcs, CountConnectors, CountEncoders;
        public int MinWidth, MaxWidth, MinHeight, MaxHeight;
    }

    /// <summary>drm_lease_held(): whether the file's lease covers the object (stub: always).</summary>
    public static bool DrmLeaseHeld(DrmFile filePriv, uint id) => true;

    /// <summary>struct drm_property_enum: value and name[DRM_PROP_NAME_LEN].</summary>
    public sealed class DrmPropertyEnum
    {
        public ulong Value;
        public byte[] Name = new byte[32];
    }

    /// <summary>struct drm_property: name, flags, values[num_values], enum_list.</summary>
    public sealed class DrmProperty : DrmModeObject
    {
        public string Name = "";
        public uint Flags;
        public int NumValues;
        public ulong[] Values = Array.Empty<ulong>();
        public List<DrmPropertyEnum> EnumList = new();
        public bool IsEnum, IsBitmask, IsBlob;
    }

    /// <summary>struct drm_mode_get_property (the ioctl's data, already copied in by drm_ioctl()).</summary>
    public sealed class DrmModeGetProperty
    {
        public ulong ValuesPtr, EnumBlobPtr;
        public uint PropId, Flags;
        public string Name = "";
        public uint CountValues, CountEnumBlobs;
    }

    /// <summary>drm_property_find() (stub).</summary>
    public static DrmProperty? DrmPropertyFind(DrmDevice dev, DrmFile filePriv, uint id) => dev.Properties.Find(p => p.Id == id);

    /// <summary>struct drm_property_blob: length and data.</summary>
    public sealed class DrmPropertyBlob : DrmModeObject
    {
        public uint Length;
        public byte[] Data = Array.Empty<byte>();
    }

    /// <summary>struct drm_mode_get_blob (the ioctl's data, already copied in by drm_ioctl()).</summary>
    public sealed class DrmModeGetBlob
    {
        public uint BlobId;
        public uint Length;
        public ulong Data;
    }

    /// <summary>drm_property_lookup_blob(): a referenced blob or null (stub).</summary>
    public static DrmPropertyBlob? DrmPropertyLookupBlob(DrmDevice dev, uint id) => dev.Blobs.Find(b => b.Id == id);

    /// <summary>drm_property_blob_put() (stub).</summary>
    public static void DrmPropertyBlobPut(DrmPropertyBlob blob) { }

    /// <summary>struct drm_mode_crtc_lut (the ioctl's data, already copied in by drm_ioctl()).</summary>
    public sealed class DrmModeCrtcLut
    {
        public uint CrtcId;
        public uint GammaSize;
        public ulong Red, Green, Blue;
    }

    /// <summary>drm_crtc_find() (stub).</summary>
    public static DrmCrtc? DrmCrtcFind(DrmDevice dev, DrmFile filePriv, uint id) => dev.Crtcs.Find(c => c.Id == id);

    // ---- drivers/infiniband/core/ucma.c ----

    /// <summary>struct rdma_ucm_cmd_hdr.</summary>
    public struct RdmaUcmCmdHdr
    {
        public uint Cmd;
        public ushort In;
        public ushort Out;
    }

    public const uint UCMA_CMD_TABLE_SIZE = 27;

    /// <summary>struct ucma_context, reduced to its event count.</summary>
    public sealed class UcmaContext
    {
        public int EventsReported;
    }

    /// <summary>struct ucma_event: the context and the response as copied out.</summary>
    public sealed class UcmaEvent
    {
        public UcmaContext Ctx = new();
        public byte[] Resp = new byte[RdmaUcma.SZ_RDMA_UCM_EVENT_RESP];
    }

    /// <summary>struct ucma_file: file->mut (a mutex), the event list, the file's f_flags.</summary>
    public sealed class UcmaFile
    {
        public KernelMutex Mut = new();
        public List<UcmaEvent> EventList = new();
        public int FFlags;
    }

    /// <summary>ib_safe_file_access(): the caller's credentials are the opener's and the access is not from kernel space (stub).</summary>
    public static bool IbSafeFileAccess(UcmaFile file) => true;

    /// <summary>Whether ucma_cmd_table[cmd] is set (stub).</summary>
    public static bool UcmaCmdImplemented(uint cmd) => true;

    /// <summary>ucma_cmd_table[cmd](file, inbuf, in_len, out_len): each handler copies its own struct from inbuf (stub).</summary>
    public static long UcmaCmd(uint cmd, UcmaFile file, UserPtr inbuf, int inLen, int outLen) => 0;

    /// <summary>wait_event_interruptible(file->poll_wait, !list_empty(&amp;file->event_list)): 0 or -ERESTARTSYS.</summary>
    public static int WaitEventInterruptibleEvents(UcmaFile file) => SignalPending() ? -512 : 0;

    // ---- drivers/infiniband/sw/rxe/rxe_queue.c ----

    /// <summary>struct rxe_dev: pending_lock (a spinlock taken with spin_lock_bh()) and the pending mmaps.</summary>
    public sealed class RxeDev
    {
        public KernelSpinlock PendingLock = new();
        public List<RxeMmapInfo> PendingMmaps = new();
    }

    /// <summary>struct rxe_mmap_info: the struct mminfo (offset, size) handed to user space.</summary>
    public sealed class RxeMmapInfo
    {
        public byte[] Info = new byte[16];
    }

    /// <summary>struct ib_udata (stub).</summary>
    public sealed class IbUdata { }

    /// <summary>rxe_create_mmap_info(): the info, or null with a negative errno in err (its ERR_PTR) (stub).</summary>
    public static RxeMmapInfo? RxeCreateMmapInfo(RxeDev rxe, long size, IbUdata udata, byte[] obj, out int err)
    {
        err = 0;
        return new RxeMmapInfo();
    }

    // ---- drivers/net/ppp/ppp_generic.c, net/core/ethtool.c ----

    /// <summary>struct sock_fprog: unsigned short len, struct sock_filter __user *filter.</summary>
    public struct SockFprog
    {
        public ushort Len;
        public ulong Filter;
    }

    /// <summary>memdup_user(): kmalloc() and copy_from_user(); null stands for the ERR_PTR (-EFAULT).</summary>
    [MightFault]
    [UserAccess(AccessKind.Read, "src", Size = "len")]
    public static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }

    /// <summary>struct net_device (stub).</summary>
    public sealed class NetDevice
    {
        public string Name = "eth0";
    }

    /// <summary>struct ethtool_eeprom without its data[]: cmd, magic, offset, len.</summary>
    public struct EthtoolEeprom
    {
        public uint Cmd;
        public uint Magic;
        public uint Offset;
        public uint Len;
    }

    /// <summary>ops->get_eeprom or get_module_eeprom: reads eeprom.len bytes at eeprom.offset into data.</summary>
    public delegate int EepromGetter(NetDevice dev, ref EthtoolEeprom eeprom, byte[] data);
}
