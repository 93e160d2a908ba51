// Held out: security (keys, LoadPin, SELinux), BPF and networking protocol code (Bluetooth, CAN) that copies to
// and from user space, each defect before and after the kernel's own fix, and current correct code from the same
// files doing the same things:
// - kernel/bpf/btf.c btf_parse_hdr() and btf_parse() (BPF_BTF_LOAD), v4.19: the BTF header read from user
//   space twice (hdr_len by get_user(), then the header by copy_from_user()) and the whole blob, header
//   included, a third time, before 4a6998aff82a "bpf, btf: fix a missing check bug in btf_parse" (Martin
//   KaFai Lau, co-developed by Wenwen Wang), and btf_parse() after it; btf_get_info_by_fd(), v4.19, correct;
// - security/loadpin/loadpin.c dm_verity_ioctl() (LOADPIN_IOC_SET_TRUSTED_VERITY_DIGESTS): copy_from_user()'s
//   count of bytes not copied returned as the ioctl's result, v6.0-rc1 (3f805f8cc23b), before 6a3981af3fd9
//   "LoadPin: Return EFAULT on copy_from_user() failures" (Kees Cook, v6.0-rc2), and after it;
// - security/keys/request_key_auth.c request_key_auth_read(), v5.5: the key type's ->read() copying to user
//   space under key->sem, which keyctl_read_key() holds, before d3ec10aa9581 "KEYS: Don't write out to
//   userspace while holding key semaphore" (Waiman Long, v5.7), and security/keys/big_key.c big_key_read(), v5.5,
//   before the same fix; security/keys/keyctl.c keyctl_capabilities(), v5.10, correct;
// - kernel/bpf/syscall.c generic_map_delete_batch(), v6.7 (after 06e5c999f102): a loop over the caller's count
//   of keys, each copied in and deleted, correct; bpf_task_fd_query_copy(), v4.19 (BPF_TASK_FD_QUERY), correct;
// - net/bluetooth/hci_core.c hci_inquiry(), v2.6.32: the inquiry cache dumped under hdev->lock (a spinlock then)
//   into a kernel buffer and copied out after it; net/bluetooth/bnep/core.c bnep_get_connlist(), v4.19:
//   copy_to_user() of each session under bnep_session_sem (a rw_semaphore nothing on the fault path takes);
// - security/selinux/selinuxfs.c sel_write_load(), v2.6.32: the policy copied in under sel_mutex;
// - net/can/raw.c raw_getsockopt(), v5.11: CAN_RAW_FILTER copied out under lock_sock() (a sleeping lock).
// The BTF verifier, the key payloads, the dm-verity digests, the map operations, the HCI device, the BNEP
// sessions, the policy database and the CAN filters are stubs; the user pointers, the accesses, their checks,
// the locks and the control flow are the kernel's.
using System;
using System.Collections.Generic;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.KeysBpfProto;

public static class Btf
{
    private const int E2BIG = 7;
    private const int ENOSPC = 28;
    private const int ENOTSUPP = 524;

    /// <summary>sizeof(struct btf_header): magic, version, flags, hdr_len, type_off, type_len, str_off, str_len.</summary>
    public const int SZ_BTF_HEADER = 24;

    /// <summary>sizeof(struct btf_min_header): u16 magic, u8 version, u8 flags, u32 hdr_len.</summary>
    private const int SZ_BTF_MIN_HEADER = 8;

    /// <summary>offsetof(struct btf_header, hdr_len).</summary>
    private const int OFFSETOF_HDR_LEN = 4;

    private const ushort BTF_MAGIC = 0xeB9F;
    private const byte BTF_VERSION = 1;

    /// <summary>BTF_MAX_SIZE: 16MB for 64k structs and each has 16 members and a few MB for the strings.</summary>
    private const uint BTF_MAX_SIZE = 16 * 1024 * 1024;

    // kernel/bpf/btf.c, btf_parse_hdr(), v4.19 (before 4a6998aff82a "bpf, btf: fix a missing check bug in
    // btf_parse", upstream, backported to 4.19.y). Buggy: hdr_len is fetched with get_user() and checked
    // against btf_data_size, then fetched again as part of the header copy_from_user() copies into btf->hdr;
    // the second value is the one used (the "No data" test, btf_check_sec_info()'s btf_data_size -
    // hdr->hdr_len, and btf_parse()'s nohdr_data), unchecked. The fix parses the header from the one kernel
    // copy of the whole blob.
    public static int BtfParseHdrV419(Helpers.BtfVerifierEnv env, UserPtr btfData, uint btfDataSize)
    {
        byte[] hdr;
        uint hdrLen, hdrCopy;
        /*
         * Minimal part of the "struct btf_header" that
         * contains the hdr_len.
         */
        UserPtr minHdr;
        Helpers.BtfObj btf;
        int err;

        btf = env.Btf!;
        minHdr = btfData;

        if (btfDataSize < SZ_BTF_MIN_HEADER)
        {
            /* btf_verifier_log(env, "hdr_len not found"); */
            return -EINVAL;
        }

        if (GetUser(out hdrLen, (minHdr + OFFSETOF_HDR_LEN).Cast<uint>()) != 0)
            return -EFAULT;

        if (btfDataSize < hdrLen)
        {
            /* btf_verifier_log(env, "btf_header not found"); */
            return -EINVAL;
        }

        err = Helpers.BpfCheckUargTailZero(btfData, SZ_BTF_HEADER, hdrLen);
        if (err != 0)
        {
            /* if (err == -E2BIG) btf_verifier_log(env, "Unsupported btf_header"); */
            return err;
        }

        hdrCopy = Math.Min(hdrLen, (uint)SZ_BTF_HEADER);
        if (CopyFromUser(btf.Hdr.AsSpan(0, (int)hdrCopy), btfData) != 0) // expect: UA3003
            return -EFAULT;

        hdr = btf.Hdr;

        Helpers.BtfVerifierLogHdr(env, btfDataSize);

        if (BitConverter.ToUInt16(hdr, 0) != BTF_MAGIC)
        {
            /* btf_verifier_log(env, "Invalid magic"); */
            return -EINVAL;
        }

        if (hdr[2] != BTF_VERSION)
        {
            /* btf_verifier_log(env, "Unsupported version"); */
            return -ENOTSUPP;
        }

        if (hdr[3] != 0)
        {
            /* btf_verifier_log(env, "Unsupported flags"); */
            return -ENOTSUPP;
        }

        if (btfDataSize == BitConverter.ToUInt32(hdr, OFFSETOF_HDR_LEN))
        {
            /* btf_verifier_log(env, "No data"); */
            return -EINVAL;
        }

        err = Helpers.BtfCheckSecInfo(env, btfDataSize);
        if (err != 0)
            return err;

        return 0;
    }

    // kernel/bpf/btf.c, btf_parse(), v4.19 (before 4a6998aff82a). Buggy: after btf_parse_hdr() has fetched and
    // verified the header into btf->hdr, the whole blob, header included, is fetched again into data. The
    // commit (Wenwen Wang's report): "the whole data of 'btf_data', including the header, is then copied to
    // 'data' in btf_parse(). It is obvious that the header is copied twice here. More importantly, no check is
    // enforced after the second copy to make sure the headers obtained in these two copies are same."
    public static Helpers.BtfObj? BtfParseV419(UserPtr btfData, uint btfDataSize, uint logLevel, UserPtr logUbuf, uint logSize, out int error)
    {
        Helpers.BtfVerifierEnv env;
        Helpers.BpfVerifierLog log;
        Helpers.BtfObj? btf = null;
        byte[]? data;
        int err;

        if (btfDataSize > BTF_MAX_SIZE)
        {
            error = -E2BIG;
            return null;
        }

        env = new Helpers.BtfVerifierEnv(); /* kzalloc(sizeof(*env), GFP_KERNEL | __GFP_NOWARN) */

        log = env.Log;
        if (logLevel != 0 || logUbuf != UserPtr.Null || logSize != 0)
        {
            /* user requested verbose verifier output
             * and supplied buffer to store the verification trace
             */
            log.Level = logLevel;
            log.Ubuf = logUbuf;
            log.LenTotal = logSize;

            /* log attributes have to be sane */
            if (log.LenTotal < 128 || log.LenTotal > uint.MaxValue >> 8 ||
                log.Level == 0 || log.Ubuf == UserPtr.Null)
            {
                err = -EINVAL;
                goto errout;
            }
        }

        btf = new Helpers.BtfObj(); /* kzalloc(sizeof(*btf), GFP_KERNEL | __GFP_NOWARN) */
        env.Btf = btf;

        err = BtfParseHdrV419(env, btfData, btfDataSize);
        if (err != 0)
            goto errout;

        data = Kmalloc((int)btfDataSize, Gfp.Kernel); /* kvmalloc(btf_data_size, GFP_KERNEL | __GFP_NOWARN) */
        if (data == null)
        {
            err = -ENOMEM;
            goto errout;
        }

        btf.Data = data;
        btf.DataSize = btfDataSize;
        btf.NohdrDataOff = BitConverter.ToUInt32(btf.Hdr, OFFSETOF_HDR_LEN); /* btf->data + btf->hdr.hdr_len */

        if (CopyFromUser(data.AsSpan(0, (int)btfDataSize), btfData) != 0) // expect: UA3003
        {
            err = -EFAULT;
            goto errout;
        }

        err = Helpers.BtfParseStrSec(env);
        if (err != 0)
            goto errout;

        err = Helpers.BtfParseTypeSec(env);
        if (err != 0)
            goto errout;

        if (log.Level != 0 && Helpers.BpfVerifierLogFull(log))
        {
            err = -ENOSPC;
            goto errout;
        }

        /* btf_verifier_env_free(env); refcount_set(&btf->refcnt, 1); */
        error = 0;
        return btf;

    errout:
        /* btf_verifier_env_free(env); if (btf) btf_free(btf); */
        error = err;
        return null;
    }

    // kernel/bpf/btf.c, btf_parse(), after 4a6998aff82a. Correct: "this patch copies the user 'btf_data'
    // *before* parsing / verifying the BTF header": the blob is fetched once and btf_parse_hdr(env) reads the
    // header from the kernel copy.
    public static Helpers.BtfObj? BtfParseFixed(UserPtr btfData, uint btfDataSize, uint logLevel, UserPtr logUbuf, uint logSize, out int error) // expect: none
    {
        Helpers.BtfVerifierEnv env;
        Helpers.BpfVerifierLog log;
        Helpers.BtfObj? btf = null;
        byte[]? data;
        int err;

        if (btfDataSize > BTF_MAX_SIZE)
        {
            error = -E2BIG;
            return null;
        }

        env = new Helpers.BtfVerifierEnv(); /* kzalloc(sizeof(*env), GFP_KERNEL | __GFP_NOWARN) */

        log = env.Log;
        if (logLevel != 0 || logUbuf != UserPtr.Null || logSize != 0)
        {
            /* user requested verbose verifier output
             * and supplied buffer to store the verification trace
             */
            log.Level = logLevel;
            log.Ubuf = logUbuf;
            log.LenTotal = logSize;

            /* log attributes have to be sane */
            if (log.LenTotal < 128 || log.LenTotal > uint.MaxValue >> 8 ||
                log.Level == 0 || log.Ubuf == UserPtr.Null)
            {
                err = -EINVAL;
                goto errout;
            }
        }

        btf = new Helpers.BtfObj(); /* kzalloc(sizeof(*btf), GFP_KERNEL | __GFP_NOWARN) */
        env.Btf = btf;

        data = Kmalloc((int)btfDataSize, Gfp.Kernel); /* kvmalloc(btf_data_size, GFP_KERNEL | __GFP_NOWARN) */
        if (data == null)
        {
            err = -ENOMEM;
            goto errout;
        }

        btf.Data = data;
        btf.DataSize = btfDataSize;

        if (CopyFromUser(data.AsSpan(0, (int)btfDataSize), btfData) != 0)
        {
            err = -EFAULT;
            goto errout;
        }

        err = Helpers.BtfParseHdr(env);
        if (err != 0)
            goto errout;

        btf.NohdrDataOff = BitConverter.ToUInt32(btf.Hdr, OFFSETOF_HDR_LEN); /* btf->data + btf->hdr.hdr_len */

        err = Helpers.BtfParseStrSec(env);
        if (err != 0)
            goto errout;

        err = Helpers.BtfParseTypeSec(env);
        if (err != 0)
            goto errout;

        if (log.Level != 0 && Helpers.BpfVerifierLogFull(log))
        {
            err = -ENOSPC;
            goto errout;
        }

        /* btf_verifier_env_free(env); refcount_set(&btf->refcnt, 1); */
        error = 0;
        return btf;

    errout:
        /* btf_verifier_env_free(env); if (btf) btf_free(btf); */
        error = err;
        return null;
    }

    /// <summary>sizeof(struct bpf_btf_info): __aligned_u64 btf, u32 btf_size, u32 id.</summary>
    private const int SZ_BPF_BTF_INFO = 16;

    /// <summary>offsetof(union bpf_attr, info.info_len) (info: u32 bpf_fd, u32 info_len, u64 info).</summary>
    private const int OFFSETOF_ATTR_INFO_LEN = 4;

    // kernel/bpf/btf.c, btf_get_info_by_fd(), v4.19 (BPF_OBJ_GET_INFO_BY_FD on a BTF fd). Correct: the caller's
    // struct bpf_btf_info copied in once (at most sizeof(info)), the blob copied out up to the caller's
    // btf_size, the struct and its length written back; every failed copy is -EFAULT.
    public static int BtfGetInfoByFd(Helpers.BtfObj btf, Helpers.BpfAttrInfo attr, UserPtr uattr) // expect: none
    {
        UserPtr uinfo;
        byte[] info = new byte[SZ_BPF_BTF_INFO];
        uint infoCopy, btfCopy;
        UserPtr ubtf;
        uint uinfoLen;

        uinfo = new UserPtr(attr.Info);
        uinfoLen = attr.InfoLen;

        infoCopy = Math.Min(uinfoLen, (uint)SZ_BPF_BTF_INFO);
        if (CopyFromUser(info.AsSpan(0, (int)infoCopy), uinfo) != 0)
            return -EFAULT;

        BitConverter.TryWriteBytes(info.AsSpan(12, 4), btf.Id);               /* info.id = btf->id; */
        ubtf = new UserPtr(BitConverter.ToUInt64(info, 0));                   /* u64_to_user_ptr(info.btf) */
        btfCopy = Math.Min(btf.DataSize, BitConverter.ToUInt32(info, 8));     /* min(btf->data_size, info.btf_size) */
        if (CopyToUser(ubtf, btf.Data.AsSpan(0, (int)btfCopy)) != 0)
            return -EFAULT;
        BitConverter.TryWriteBytes(info.AsSpan(8, 4), btf.DataSize);          /* info.btf_size = btf->data_size; */

        if (CopyToUser(uinfo, info.AsSpan(0, (int)infoCopy)) != 0 ||
            PutUser(infoCopy, (uattr + OFFSETOF_ATTR_INFO_LEN).Cast<uint>()) != 0)
            return -EFAULT;

        return 0;
    }
}

public static class LoadPin
{
    /// <summary>LOADPIN_IOC_SET_TRUSTED_VERITY_DIGESTS: _IOW('L', 0x00, unsigned int).</summary>
    public const uint LOADPIN_IOC_SET_TRUSTED_VERITY_DIGESTS = 0x40044c00;

    // security/loadpin/loadpin.c, dm_verity_ioctl(), v6.0-rc1 (added by 3f805f8cc23b "LoadPin: Enable loading
    // from trusted dm-verity devices"), before 6a3981af3fd9 "LoadPin: Return EFAULT on copy_from_user()
    // failures" (Kees Cook, v6.0-rc2). Buggy: "The copy_from_user() function returns the number of bytes
    // remaining to be copied on a failure. Such failures should return -EFAULT to high levels." The ioctl
    // returns that positive count, on a path next to -EINVAL and read_trusted_verity_root_digests()'s errnos.
    public static long DmVerityIoctlV60Rc1(Helpers.File filp, uint cmd, ulong arg)
    {
        UserPtr uarg = new UserPtr(arg);
        uint fd;
        int rc;

        switch (cmd)
        {
            case LOADPIN_IOC_SET_TRUSTED_VERITY_DIGESTS:
                rc = CopyFromUser(out fd, uarg.Cast<uint>());
                if (rc != 0)
                    return rc; // expect: UA5002

                return Helpers.ReadTrustedVerityRootDigests(fd);

            default:
                return -EINVAL;
        }
    }

    // security/loadpin/loadpin.c, dm_verity_ioctl(), v6.0-rc2 (after 6a3981af3fd9). Correct: a failed copy is
    // -EFAULT.
    public static long DmVerityIoctlV60Rc2(Helpers.File filp, uint cmd, ulong arg) // expect: none
    {
        UserPtr uarg = new UserPtr(arg);
        uint fd;

        switch (cmd)
        {
            case LOADPIN_IOC_SET_TRUSTED_VERITY_DIGESTS:
                if (CopyFromUser(out fd, uarg.Cast<uint>()) != 0)
                    return -EFAULT;

                return Helpers.ReadTrustedVerityRootDigests(fd);

            default:
                return -EINVAL;
        }
    }
}

/// <summary>
/// struct key, reduced to its semaphore and payload. key->sem is ordered after mmap_sem (lockdep's report in
/// d3ec10aa9581: the key read methods "copy out the key data to userspace which is subjected to page fault
/// and may acquire the mmap semaphore. That can result in circular lock dependency"), so a fault taken while
/// holding it closes the cycle, as with a lock the fault path takes.
/// </summary>
public sealed class Key
{
    [TakenInFaultPath]
    public RwSemaphore Sem = new();

    /// <summary>key->payload.data[0] of a request_key_auth key (NULL once revoked).</summary>
    public Helpers.RequestKeyAuth? Rka;

    /// <summary>A big_key's payload: data[big_key_len], data[big_key_data] (the data, or the file's key), data[big_key_path].</summary>
    public ulong BigKeyLen;
    public byte[] BigKeyData = Array.Empty<byte>();
    public Helpers.Path BigKeyPath = new();
}

public static class Keys
{
    private const int EKEYREVOKED = 128;

    // security/keys/request_key_auth.c, request_key_auth_read(), v5.5 (the ->read() of the .request_key_auth
    // key type, which keyctl_read_key() calls with key->sem held for read; dereference_key_locked() asserts
    // it). Buggy: the callout info is copied to the user's buffer with key->sem held; d3ec10aa9581 "KEYS:
    // Don't write out to userspace while holding key semaphore" (Waiman Long, v5.7) turned every ->read() into
    // a memcpy() to a kernel buffer, copied out by keyctl_read_key() after up_read(): "The current security key
    // read methods are called with the key semaphore held. The methods then copy out the key data to userspace
    // which is subjected to page fault and may acquire the mmap semaphore. That can result in circular lock
    // dependency and hence a chance to get into deadlock."
    [RequiresLock("key.Sem", Shared = true)]
    public static long RequestKeyAuthReadV55(Key key, UserPtr buffer, ulong buflen)
    {
        Helpers.RequestKeyAuth? rka = Helpers.DereferenceKeyLocked(key);
        ulong datalen;
        long ret;

        if (rka == null)
            return -EKEYREVOKED;

        datalen = rka.CalloutLen;
        ret = (long)datalen;

        /* we can return the data as is */
        if (buffer != UserPtr.Null && buflen > 0)
        {
            if (buflen > datalen)
                buflen = datalen;

            if (CopyToUser(buffer, rka.CalloutInfo.AsSpan(0, (int)buflen)) != 0) // expect: UA2002
                ret = -EFAULT;
        }

        return ret;
    }

    private const int EIO = 5;

    /// <summary>BIG_KEY_FILE_THRESHOLD: sizeof(struct inode) + sizeof(struct dentry) (about 1 KiB).</summary>
    private const ulong BIG_KEY_FILE_THRESHOLD = 1024;

    /// <summary>ENC_AUTHTAG_SIZE: the AEAD tag appended to the encrypted file.</summary>
    private const ulong ENC_AUTHTAG_SIZE = 16;

    private const int BIG_KEY_DEC = 1;

    // security/keys/big_key.c, big_key_read(), v5.5 (the ->read() of the big_key type; "the key's semaphore is
    // read-locked" by keyctl_read_key()). Buggy: both copy_to_user() calls (the decrypted file contents, or the
    // inline payload) run with key->sem held; d3ec10aa9581 (v5.7) made them memcpy()s into the kernel buffer
    // keyctl_read_key() allocates and copies out after up_read(), for the reason quoted above.
    [RequiresLock("key.Sem", Shared = true)]
    public static long BigKeyReadV55(Key key, UserPtr buffer, ulong buflen)
    {
        ulong datalen = key.BigKeyLen;
        long ret;

        if (buffer == UserPtr.Null || buflen < datalen)
            return (long)datalen;

        if (datalen > BIG_KEY_FILE_THRESHOLD)
        {
            Helpers.BigKeyBuf? buf;
            Helpers.Path path = key.BigKeyPath;
            Helpers.File? file;
            byte[] enckey = key.BigKeyData;
            ulong enclen = datalen + ENC_AUTHTAG_SIZE;
            long pos = 0;

            buf = Helpers.BigKeyAllocBuffer(enclen);
            if (buf == null)
                return -ENOMEM;

            file = Helpers.DentryOpen(path, out ret); /* dentry_open(path, O_RDONLY, current_cred()) */
            if (file == null)
            {
                /* ret = PTR_ERR(file); */
                goto error;
            }

            /* read file to kernel and decrypt */
            ret = Helpers.KernelRead(file, buf.Virt, enclen, ref pos);
            if (ret >= 0 && (ulong)ret != enclen)
            {
                ret = -EIO;
                goto err_fput;
            }

            ret = Helpers.BigKeyCrypt(BIG_KEY_DEC, buf, enclen, enckey);
            if (ret != 0)
                goto err_fput;

            ret = (long)datalen;

            /* copy out decrypted data */
            if (CopyToUser(buffer, buf.Virt.AsSpan(0, (int)datalen)) != 0) // expect: UA2002
                ret = -EFAULT;

        err_fput:
            Helpers.Fput(file);
        error:
            Helpers.BigKeyFreeBuffer(buf);
        }
        else
        {
            ret = (long)datalen;
            if (CopyToUser(buffer, key.BigKeyData.AsSpan(0, (int)datalen)) != 0) // expect: UA2002
                ret = -EFAULT;
        }

        return ret;
    }

    /// <summary>keyrings_capabilities[2]: KEYCTL_CAPS0_* and KEYCTL_CAPS1_* of this build.</summary>
    private static readonly byte[] KeyringsCapabilities = { 0xff, 0x03 };

    // security/keys/keyctl.c, keyctl_capabilities(), v5.10 (KEYCTL_CAPABILITIES). Correct: at most
    // sizeof(keyrings_capabilities) bytes copied out, the rest of the caller's buffer cleared, each failure
    // -EFAULT; no lock is held.
    public static long KeyctlCapabilities(UserPtr buffer, ulong buflen) // expect: none
    {
        ulong size = buflen;

        if (size > 0)
        {
            if (size > (ulong)KeyringsCapabilities.Length)
                size = (ulong)KeyringsCapabilities.Length;
            if (CopyToUser(buffer, KeyringsCapabilities.AsSpan(0, (int)size)) != 0)
                return -EFAULT;
            if (size < buflen &&
                ClearUser(buffer + (long)size, (long)(buflen - size)) != 0)
                return -EFAULT;
        }

        return KeyringsCapabilities.Length;
    }
}

public static class BpfMapBatch
{
    private const ulong BPF_F_LOCK = 4;

    /// <summary>offsetof(union bpf_attr, batch.count): in_batch, out_batch, keys, values (u64 each), then count.</summary>
    private const int OFFSETOF_BATCH_COUNT = 32;

    // kernel/bpf/syscall.c, generic_map_delete_batch(), v6.7 (with 06e5c999f102 "bpf: Set uattr->batch.count as
    // zero before batched update or deletion"). Correct: the count written back is zeroed first; each key is
    // copied in with copy_from_user() (a failure ends the loop with -EFAULT) and deleted under rcu_read_lock()
    // with nothing copied inside it; the count of keys done is written back with copy_to_user(). The loop runs
    // over the caller's count, but every round deletes an element of the map or breaks out (a missing key is
    // -ENOENT), and the kernel has only cond_resched() in it, then and since.
    public static int GenericMapDeleteBatch(Helpers.BpfMap map, Helpers.BpfAttrBatch attr, UserPtr uattr) // expect: none
    {
        UserPtr keys = new UserPtr(attr.Keys);
        uint cp, maxCount;
        int err = 0;
        byte[]? key;

        if ((attr.ElemFlags & ~BPF_F_LOCK) != 0)
            return -EINVAL;

        if ((attr.ElemFlags & BPF_F_LOCK) != 0 &&
            !map.HasSpinLock)
        {
            return -EINVAL;
        }

        maxCount = attr.Count;
        if (maxCount == 0)
            return 0;

        if (PutUser(0u, (uattr + OFFSETOF_BATCH_COUNT).Cast<uint>()) != 0)
            return -EFAULT;

        key = Kmalloc((int)map.KeySize, Gfp.Kernel); /* kvmalloc(map->key_size, GFP_USER | __GFP_NOWARN) */
        if (key == null)
            return -ENOMEM;

        for (cp = 0; cp < maxCount; cp++)
        {
            err = -EFAULT;
            if (CopyFromUser(key.AsSpan(0, (int)map.KeySize), keys + (long)cp * map.KeySize) != 0)
                break;

            if (map.Offloaded)
            {
                err = Helpers.BpfMapOffloadDeleteElem(map, key);
                break;
            }

            /* bpf_disable_instrumentation(); */
            PreemptDisable(); /* rcu_read_lock() */
            err = Helpers.MapDeleteElem(map, key);
            PreemptEnable(); /* rcu_read_unlock() */
            /* bpf_enable_instrumentation(); */
            if (err != 0)
                break;
            CondResched();
        }
        if (CopyToUser((uattr + OFFSETOF_BATCH_COUNT).Cast<uint>(), cp) != 0)
            err = -EFAULT;

        /* kvfree(key); */

        return err;
    }

    private const int ENOSPC = 28;

    /// <summary>offsetof(union bpf_attr, task_fd_query.*): pid, fd, flags, buf_len, buf, prog_id, fd_type, probe_offset, probe_addr.</summary>
    private const int OFFSETOF_TFQ_BUF_LEN = 12;
    private const int OFFSETOF_TFQ_PROG_ID = 24;
    private const int OFFSETOF_TFQ_FD_TYPE = 28;
    private const int OFFSETOF_TFQ_PROBE_OFFSET = 32;
    private const int OFFSETOF_TFQ_PROBE_ADDR = 40;

    // kernel/bpf/syscall.c, bpf_task_fd_query_copy(), v4.19 (BPF_TASK_FD_QUERY, added by 41bdc4b40ed6). Correct:
    // the name's length is written back with put_user(); the caller's buffer length is taken from the kernel's
    // copy of the attributes, not read again; the name is copied whole, or cut with a NUL put at the end of the
    // caller's buffer and -ENOSPC; every write is checked and its failure is -EFAULT.
    public static int BpfTaskFdQueryCopy(Helpers.BpfAttrTaskFdQuery attr, UserPtr uattr, uint progId, uint fdType, byte[]? buf, ulong probeOffset, ulong probeAddr) // expect: none
    {
        UserPtr ubuf = new UserPtr(attr.Buf);
        uint len = buf != null ? (uint)Helpers.Strlen(buf) : 0, inputLen;
        int err = 0;

        if (PutUser(len, (uattr + OFFSETOF_TFQ_BUF_LEN).Cast<uint>()) != 0)
            return -EFAULT;
        inputLen = attr.BufLen;
        if (inputLen != 0 && ubuf != UserPtr.Null)
        {
            if (len == 0)
            {
                /* nothing to copy, just make ubuf NULL terminated */
                byte zero = 0;

                if (PutUser(zero, ubuf.Cast<byte>()) != 0)
                    return -EFAULT;
            }
            else if (inputLen >= len + 1)
            {
                /* ubuf can hold the string with NULL terminator */
                if (CopyToUser(ubuf, buf.AsSpan(0, (int)len + 1)) != 0)
                    return -EFAULT;
            }
            else
            {
                /* ubuf cannot hold the string with NULL terminator,
                 * do a partial copy with NULL terminator.
                 */
                byte zero = 0;

                err = -ENOSPC;
                if (CopyToUser(ubuf, buf.AsSpan(0, (int)inputLen - 1)) != 0)
                    return -EFAULT;
                if (PutUser(zero, (ubuf + (long)inputLen - 1).Cast<byte>()) != 0)
                    return -EFAULT;
            }
        }

        if (PutUser(progId, (uattr + OFFSETOF_TFQ_PROG_ID).Cast<uint>()) != 0 ||
            PutUser(fdType, (uattr + OFFSETOF_TFQ_FD_TYPE).Cast<uint>()) != 0 ||
            PutUser(probeOffset, (uattr + OFFSETOF_TFQ_PROBE_OFFSET).Cast<ulong>()) != 0 ||
            PutUser(probeAddr, (uattr + OFFSETOF_TFQ_PROBE_ADDR).Cast<ulong>()) != 0)
            return -EFAULT;

        return err;
    }
}

public static class Bluetooth
{
    private const int ENODEV = 19;
    private const long INQUIRY_CACHE_AGE_MAX = 30 * 100; /* HZ * 30 at HZ=100 */
    private const ushort IREQ_CACHE_FLUSH = 0x0001;

    /// <summary>sizeof(struct hci_inquiry_req): dev_id, flags, lap[3], length, num_rsp (padded).</summary>
    private const int SZ_HCI_INQUIRY_REQ = 10;

    /// <summary>sizeof(struct inquiry_info): bdaddr, pscan_rep_mode, pscan_period_mode, pscan_mode, dev_class[3], clock_offset.</summary>
    private const int SZ_INQUIRY_INFO = 14;

    // net/bluetooth/hci_core.c, hci_inquiry(), v2.6.32 (HCIINQUIRY; hci_dev_lock_bh() is spin_lock_bh() on
    // hdev->lock in this version). Correct: the request is copied in before the lock; "cache_dump can't sleep.
    // Therefore we allocate temp buffer and then copy it to the user space": the cache is dumped under the
    // spinlock into a kmalloc()ed buffer, and both copy_to_user() calls run after the unlock, each failure
    // -EFAULT.
    public static int HciInquiry(UserPtr arg) // expect: none
    {
        UserPtr ptr = arg;
        Helpers.HciInquiryReq ir;
        Helpers.HciDev? hdev;
        int err = 0, doInquiry = 0, maxRsp;
        long timeo;
        byte[]? buf;

        if (CopyFromUser(out ir, ptr.Cast<Helpers.HciInquiryReq>()) != 0)
            return -EFAULT;

        if ((hdev = Helpers.HciDevGet(ir.DevId)) == null)
            return -ENODEV;

        hdev.Lock.Lock(); /* hci_dev_lock_bh(hdev) */
        if (Helpers.InquiryCacheAge(hdev) > INQUIRY_CACHE_AGE_MAX ||
            Helpers.InquiryCacheEmpty(hdev) ||
            (ir.Flags & IREQ_CACHE_FLUSH) != 0)
        {
            Helpers.InquiryCacheFlush(hdev);
            doInquiry = 1;
        }
        hdev.Lock.Unlock(); /* hci_dev_unlock_bh(hdev) */

        timeo = ir.Length * Helpers.MsecsToJiffies(2000);
        if (doInquiry != 0 && (err = Helpers.HciRequest(hdev, ir, timeo)) < 0)
            goto done;

        /* for unlimited number of responses we will use buffer with 255 entries */
        maxRsp = (ir.NumRsp == 0) ? 255 : ir.NumRsp;

        /* cache_dump can't sleep. Therefore we allocate temp buffer and then
         * copy it to the user space.
         */
        if ((buf = Kmalloc(SZ_INQUIRY_INFO * maxRsp, Gfp.Kernel)) == null)
        {
            err = -ENOMEM;
            goto done;
        }

        hdev.Lock.Lock(); /* hci_dev_lock_bh(hdev) */
        ir.NumRsp = (byte)Helpers.InquiryCacheDump(hdev, maxRsp, buf);
        hdev.Lock.Unlock(); /* hci_dev_unlock_bh(hdev) */

        /* BT_DBG("num_rsp %d", ir.num_rsp); */

        if (CopyToUser(ptr.Cast<Helpers.HciInquiryReq>(), ir) == 0)
        {
            ptr = ptr + SZ_HCI_INQUIRY_REQ;
            if (CopyToUser(ptr, buf.AsSpan(0, SZ_INQUIRY_INFO * ir.NumRsp)) != 0)
                err = -EFAULT;
        }
        else
            err = -EFAULT;

        /* kfree(buf); */

    done:
        Helpers.HciDevPut(hdev);
        return err;
    }

    /// <summary>sizeof(struct bnep_conninfo): flags, role, state, dst[ETH_ALEN], device[16] (padded).</summary>
    private const int SZ_BNEP_CONNINFO = 32;

    // net/bluetooth/bnep/core.c, bnep_get_connlist(), v4.19 (BNEPGETCONNLIST; bnep_sock_ioctl() copied the
    // request in). Correct: each session's info is copied out with copy_to_user() under bnep_session_sem, a
    // rw_semaphore that nothing on the page-fault path takes, so the copy may fault and sleep there; a failed
    // copy is -EFAULT; the walk is bounded by the session list and by the caller's cnum.
    public static int BnepGetConnlist(Helpers.BnepConnlistReq req) // expect: none
    {
        int err = 0, n = 0;

        Helpers.BnepSessionSem.DownRead();

        foreach (Helpers.BnepSession s in Helpers.BnepSessionList)
        {
            byte[] ci = new byte[SZ_BNEP_CONNINFO];

            Helpers.BnepCopyCi(ci, s);

            if (CopyToUser(req.Ci, ci.AsSpan(0, SZ_BNEP_CONNINFO)) != 0)
            {
                err = -EFAULT;
                break;
            }

            if (++n >= req.Cnum)
                break;

            req.Ci = req.Ci + SZ_BNEP_CONNINFO;
        }
        req.Cnum = (uint)n;

        Helpers.BnepSessionSem.UpRead();
        return err;
    }
}

public static class Selinuxfs
{
    private const int EFBIG = 27;
    private const uint SECURITY__LOAD_POLICY = 0x00000010;

    // security/selinux/selinuxfs.c, sel_write_load(), v2.6.32 (a write to /sys/fs/selinux/load). Correct: the
    // whole policy (at most 64 MiB) is copied in once with copy_from_user() under sel_mutex, a mutex that
    // nothing on the fault path takes; a failed copy is -EFAULT through the goto exit that drops the mutex.
    public static long SelWriteLoad(UserPtr buf, ulong count, ref long ppos) // expect: none
    {
        long length;
        byte[]? data = null;

        Helpers.SelMutex.Lock();

        length = Helpers.TaskHasSecurity(SECURITY__LOAD_POLICY);
        if (length != 0)
            goto @out;

        /* No partial writes. */
        length = -EINVAL;
        if (ppos != 0)
            goto @out;

        length = -EFBIG;
        if (count > 64 * 1024 * 1024)
            goto @out;

        length = -ENOMEM;
        data = Kmalloc((int)count, Gfp.Kernel); /* vmalloc(count) */
        if (data == null)
            goto @out;

        length = -EFAULT;
        if (CopyFromUser(data.AsSpan(0, (int)count), buf) != 0)
            goto @out;

        length = Helpers.SecurityLoadPolicy(data, count);
        if (length != 0)
            goto @out;

        length = Helpers.SelMakeBools();
        if (length != 0)
            goto out1;

        length = Helpers.SelMakeClasses();
        if (length != 0)
            goto out1;

        length = Helpers.SelMakePolicycap();
        if (length != 0)
            goto out1;

        length = (long)count;

    out1:
        Helpers.AuditLogPolicyLoad(); /* audit_log(..., AUDIT_MAC_POLICY_LOAD, "policy loaded auid=%u ses=%u", ...) */
    @out:
        Helpers.SelMutex.Unlock();
        /* vfree(data); */
        return length;
    }
}

public static class CanRaw
{
    private const int SOL_CAN_RAW = 101;
    private const int CAN_RAW_FILTER = 1;
    private const int CAN_RAW_ERR_FILTER = 2;
    private const int CAN_RAW_LOOPBACK = 3;
    private const int CAN_RAW_RECV_OWN_MSGS = 4;
    private const int CAN_RAW_FD_FRAMES = 5;
    private const int CAN_RAW_JOIN_FILTERS = 6;
    private const int ERANGE = 34;
    private const int ENOPROTOOPT = 92;

    /// <summary>sizeof(struct can_filter): can_id, can_mask.</summary>
    private const int SZ_CAN_FILTER = 8;

    // net/can/raw.c, raw_getsockopt(), v5.11 (with "can: raw: return -ERANGE when filterset does not fit into
    // user space buffer"). Correct: optlen read once with get_user(); the filter list copied out under
    // lock_sock() (a sleeping lock) after its size was checked against the caller's length, or the size needed
    // written back with -ERANGE; the other options copied out after put_user() of their length; every failed
    // access is -EFAULT.
    public static int RawGetsockopt(Helpers.Socket sock, int level, int optname, UserPtr optval, UserPtr<int> optlen) // expect: none
    {
        Helpers.Sock sk = sock.Sk;
        Helpers.RawSock ro = Helpers.RawSk(sk);
        int len;
        byte[] val;
        int err = 0;

        if (level != SOL_CAN_RAW)
            return -EINVAL;
        if (GetUser(out len, optlen) != 0)
            return -EFAULT;
        if (len < 0)
            return -EINVAL;

        switch (optname)
        {
            case CAN_RAW_FILTER:
                Helpers.LockSock(sk);
                if (ro.Count > 0)
                {
                    int fsize = ro.Count * SZ_CAN_FILTER;

                    /* user space buffer to small for filter list? */
                    if (len < fsize)
                    {
                        /* return -ERANGE and needed space in optlen */
                        err = -ERANGE;
                        if (PutUser(fsize, optlen) != 0)
                            err = -EFAULT;
                    }
                    else
                    {
                        if (len > fsize)
                            len = fsize;
                        if (CopyToUser(optval, ro.Filter.AsSpan(0, len)) != 0)
                            err = -EFAULT;
                    }
                }
                else
                {
                    len = 0;
                }
                Helpers.ReleaseSock(sk);

                if (err == 0)
                    err = PutUser(len, optlen);
                return err;

            case CAN_RAW_ERR_FILTER:
                if (len > sizeof(uint))
                    len = sizeof(uint);
                val = BitConverter.GetBytes(ro.ErrMask);
                break;

            case CAN_RAW_LOOPBACK:
                if (len > sizeof(int))
                    len = sizeof(int);
                val = BitConverter.GetBytes(ro.Loopback);
                break;

            case CAN_RAW_RECV_OWN_MSGS:
                if (len > sizeof(int))
                    len = sizeof(int);
                val = BitConverter.GetBytes(ro.RecvOwnMsgs);
                break;

            case CAN_RAW_FD_FRAMES:
                if (len > sizeof(int))
                    len = sizeof(int);
                val = BitConverter.GetBytes(ro.FdFrames);
                break;

            case CAN_RAW_JOIN_FILTERS:
                if (len > sizeof(int))
                    len = sizeof(int);
                val = BitConverter.GetBytes(ro.JoinFilters);
                break;

            default:
                return -ENOPROTOOPT;
        }

        if (PutUser(len, optlen) != 0)
            return -EFAULT;
        if (CopyToUser(optval, val.AsSpan(0, len)) != 0)
            return -EFAULT;
        return 0;
    }
}

public static class Helpers
{
    // ---- kernel/bpf/btf.c ----

    /// <summary>struct bpf_verifier_log: level, the user's log buffer and its size.</summary>
    public sealed class BpfVerifierLog
    {
        public uint Level;
        public UserPtr Ubuf;
        public uint LenTotal;
        public uint LenUsed;
    }

    /// <summary>struct btf: the blob, its size, the header copy and where the sections start.</summary>
    public sealed class BtfObj
    {
        public byte[] Data = Array.Empty<byte>();
        public uint DataSize;
        public byte[] Hdr = new byte[Btf.SZ_BTF_HEADER];
        public uint NohdrDataOff;
        public uint Id;
    }

    /// <summary>struct btf_verifier_env: the btf being verified and the log.</summary>
    public sealed class BtfVerifierEnv
    {
        public BtfObj? Btf;
        public BpfVerifierLog Log = new();
    }

    /// <summary>
    /// bpf_check_uarg_tail_zero(uaddr, expected_size, actual_size): the bytes of the user's struct past
    /// expected_size and up to actual_size must be zero (read with check_zeroed_user(), from
    /// uaddr + expected_size on); 0, -E2BIG or -EFAULT (stub).
    /// </summary>
    [MightFault]
    public static int BpfCheckUargTailZero(UserPtr uaddr, int expectedSize, uint actualSize) => 0;

    /// <summary>btf_verifier_log_hdr(): logs btf->hdr (kernel memory only; stub).</summary>
    public static void BtfVerifierLogHdr(BtfVerifierEnv env, uint btfDataSize) { }

    /// <summary>btf_check_sec_info(): sections checked against btf_data_size - hdr->hdr_len (kernel memory only; stub).</summary>
    public static int BtfCheckSecInfo(BtfVerifierEnv env, uint btfDataSize) => 0;

    /// <summary>btf_parse_hdr(env) after 4a6998aff82a: the header parsed from btf->data (kernel memory only; stub).</summary>
    public static int BtfParseHdr(BtfVerifierEnv env)
    {
        BtfObj btf = env.Btf!;
        Array.Copy(btf.Data, btf.Hdr, Math.Min(btf.Data.Length, btf.Hdr.Length));
        return 0;
    }

    /// <summary>btf_parse_str_sec() (kernel memory only; stub).</summary>
    public static int BtfParseStrSec(BtfVerifierEnv env) => 0;

    /// <summary>btf_parse_type_sec() (kernel memory only; stub).</summary>
    public static int BtfParseTypeSec(BtfVerifierEnv env) => 0;

    /// <summary>bpf_verifier_log_full() (stub).</summary>
    public static bool BpfVerifierLogFull(BpfVerifierLog log) => log.LenUsed >= log.LenTotal - 1;

    /// <summary>attr->info of union bpf_attr (already copied in by the bpf() syscall).</summary>
    public sealed class BpfAttrInfo
    {
        public uint BpfFd;
        public uint InfoLen;
        public ulong Info;
    }

    // ---- security/loadpin/loadpin.c ----

    /// <summary>struct file (stub).</summary>
    public sealed class File { }

    /// <summary>read_trusted_verity_root_digests(fd): reads the digest list from the file with kernel_read_file(); 0 or an errno (stub).</summary>
    public static int ReadTrustedVerityRootDigests(uint fd) => 0;

    // ---- security/keys ----

    /// <summary>struct request_key_auth, reduced to the callout info.</summary>
    public sealed class RequestKeyAuth
    {
        public byte[] CalloutInfo = Array.Empty<byte>();
        public ulong CalloutLen;
    }

    /// <summary>dereference_key_locked(key): key->payload.data[0], with key->sem held.</summary>
    [RequiresLock("key.Sem", Shared = true)]
    public static RequestKeyAuth? DereferenceKeyLocked(Key key) => key.Rka;

    // ---- kernel/bpf/syscall.c ----

    /// <summary>struct bpf_map, reduced to what the batch ops read.</summary>
    public sealed class BpfMap
    {
        public uint KeySize = 4;
        public bool HasSpinLock;
        public bool Offloaded;
        public HashSet<uint> Elems = new();
    }

    /// <summary>attr->batch of union bpf_attr (already copied in by the bpf() syscall).</summary>
    public sealed class BpfAttrBatch
    {
        public ulong InBatch, OutBatch, Keys, Values;
        public uint Count;
        public uint MapFd;
        public ulong ElemFlags;
        public ulong Flags;
    }

    /// <summary>bpf_map_offload_delete_elem() (stub).</summary>
    public static int BpfMapOffloadDeleteElem(BpfMap map, byte[] key) => -EINVAL;

    /// <summary>map->ops->map_delete_elem(): 0, or -ENOENT when the key is not in the map (stub, kernel memory only).</summary>
    public static int MapDeleteElem(BpfMap map, byte[] key) => map.Elems.Remove(BitConverter.ToUInt32(key, 0)) ? 0 : -ENOENT;

    /// <summary>attr->task_fd_query of union bpf_attr (already copied in by the bpf() syscall).</summary>
    public sealed class BpfAttrTaskFdQuery
    {
        public uint Pid, Fd, Flags, BufLen;
        public ulong Buf;
    }

    /// <summary>strlen() of a NUL-terminated kernel string.</summary>
    public static int Strlen(byte[] s)
    {
        int n = Array.IndexOf(s, (byte)0);
        return n < 0 ? s.Length : n;
    }

    // ---- security/keys/big_key.c ----

    /// <summary>struct path (stub).</summary>
    public sealed class Path { }

    /// <summary>struct big_key_buf: the kernel buffer the file is read and decrypted into.</summary>
    public sealed class BigKeyBuf
    {
        public byte[] Virt = Array.Empty<byte>();
    }

    /// <summary>big_key_alloc_buffer() (stub).</summary>
    public static BigKeyBuf? BigKeyAllocBuffer(ulong len) => new BigKeyBuf { Virt = new byte[len] };

    /// <summary>big_key_free_buffer() (stub).</summary>
    public static void BigKeyFreeBuffer(BigKeyBuf? buf) { }

    /// <summary>dentry_open(): the file, or null with the errno in err (its ERR_PTR) (stub).</summary>
    public static File? DentryOpen(Path path, out long err)
    {
        err = 0;
        return new File();
    }

    /// <summary>kernel_read(): reads into a kernel buffer; the bytes read or an errno (stub).</summary>
    [MightSleep]
    public static long KernelRead(File file, byte[] buf, ulong count, ref long pos) => (long)count;

    /// <summary>big_key_crypt() (kernel memory only; stub).</summary>
    public static long BigKeyCrypt(int op, BigKeyBuf buf, ulong datalen, byte[] key) => 0;

    /// <summary>fput() (stub).</summary>
    public static void Fput(File? file) { }

    // ---- net/bluetooth ----

    /// <summary>struct hci_inquiry_req.</summary>
    public struct HciInquiryReq
    {
        public ushort DevId;
        public ushort Flags;
        public byte Lap0, Lap1, Lap2;
        public byte Length;
        public byte NumRsp;
    }

    /// <summary>struct hci_dev, reduced to hdev->lock (a spinlock in v2.6.32) and the inquiry cache.</summary>
    public sealed class HciDev
    {
        public KernelSpinlock Lock = new();
        public List<byte[]> InquiryCache = new();
        public long CacheTimestamp;
    }

    /// <summary>hci_dev_get() (stub).</summary>
    public static HciDev? HciDevGet(ushort index) => new HciDev();

    /// <summary>hci_dev_put() (stub).</summary>
    public static void HciDevPut(HciDev hdev) { }

    /// <summary>inquiry_cache_age() (stub).</summary>
    public static long InquiryCacheAge(HciDev hdev) => 0;

    /// <summary>inquiry_cache_empty() (stub).</summary>
    public static bool InquiryCacheEmpty(HciDev hdev) => hdev.InquiryCache.Count == 0;

    /// <summary>inquiry_cache_flush() (stub).</summary>
    public static void InquiryCacheFlush(HciDev hdev) => hdev.InquiryCache.Clear();

    /// <summary>inquiry_cache_dump(): up to num entries into buf, under hdev->lock; does not sleep (stub).</summary>
    public static int InquiryCacheDump(HciDev hdev, int num, byte[] buf) => Math.Min(num, hdev.InquiryCache.Count);

    /// <summary>msecs_to_jiffies() at HZ=100.</summary>
    public static long MsecsToJiffies(int ms) => ms / 10;

    /// <summary>hci_request(hdev, hci_inq_req, ...): sends the inquiry and waits for it under hdev->req_lock (a mutex).</summary>
    [MightSleep]
    public static int HciRequest(HciDev hdev, HciInquiryReq ir, long timeo) => 0;

    /// <summary>struct bnep_connlist_req (copied in by bnep_sock_ioctl()): cnum and the user's array of struct bnep_conninfo.</summary>
    public sealed class BnepConnlistReq
    {
        public uint Cnum;
        public UserPtr Ci;
    }

    /// <summary>struct bnep_session (stub).</summary>
    public sealed class BnepSession
    {
        public byte[] Dst = new byte[6];
        public string Device = "bnep0";
        public uint Flags, State, Role;
    }

    /// <summary>bnep_session_sem: DECLARE_RWSEM, taken by the BNEP ioctls and the session thread.</summary>
    public static readonly RwSemaphore BnepSessionSem = new();

    /// <summary>bnep_session_list.</summary>
    public static readonly List<BnepSession> BnepSessionList = new();

    /// <summary>__bnep_copy_ci(): fills a struct bnep_conninfo from the session (kernel memory only).</summary>
    public static void BnepCopyCi(byte[] ci, BnepSession s)
    {
        Array.Clear(ci);
        BitConverter.TryWriteBytes(ci.AsSpan(0, 4), s.Flags);
        BitConverter.TryWriteBytes(ci.AsSpan(4, 2), (ushort)s.Role);
        BitConverter.TryWriteBytes(ci.AsSpan(6, 2), (ushort)s.State);
        Array.Copy(s.Dst, 0, ci, 8, 6);
    }

    // ---- security/selinux/selinuxfs.c ----

    /// <summary>sel_mutex: DEFINE_MUTEX, serialises the selinuxfs writers.</summary>
    public static readonly KernelMutex SelMutex = new();

    /// <summary>task_has_security(current, perm): 0 or -EACCES (stub).</summary>
    public static long TaskHasSecurity(uint perm) => 0;

    /// <summary>security_load_policy(data, len): parses the policy from kernel memory (stub).</summary>
    public static long SecurityLoadPolicy(byte[] data, ulong len) => 0;

    /// <summary>sel_make_bools() (stub).</summary>
    public static long SelMakeBools() => 0;

    /// <summary>sel_make_classes() (stub).</summary>
    public static long SelMakeClasses() => 0;

    /// <summary>sel_make_policycap() (stub).</summary>
    public static long SelMakePolicycap() => 0;

    /// <summary>audit_log(current->audit_context, GFP_KERNEL, AUDIT_MAC_POLICY_LOAD, ...) (stub).</summary>
    public static void AuditLogPolicyLoad() { }

    // ---- net/can/raw.c ----

    /// <summary>struct sock: the owner lock lock_sock() takes (a sleeping lock).</summary>
    public sealed class Sock
    {
        public KernelMutex Lock = new();
        public RawSock Raw = new();
    }

    /// <summary>struct socket (stub).</summary>
    public sealed class Socket
    {
        public Sock Sk = new();
    }

    /// <summary>struct raw_sock, reduced to the options raw_getsockopt() reports.</summary>
    public sealed class RawSock
    {
        public int Count;
        public byte[] Filter = Array.Empty<byte>();
        public uint ErrMask;
        public int Loopback = 1;
        public int RecvOwnMsgs;
        public int FdFrames;
        public int JoinFilters;
    }

    /// <summary>raw_sk(sk).</summary>
    public static RawSock RawSk(Sock sk) => sk.Raw;

    /// <summary>lock_sock(): takes the socket owner lock; may sleep.</summary>
    [MightSleep]
    [Acquires("sk.Lock")]
    public static void LockSock(Sock sk) => sk.Lock.Lock();

    /// <summary>release_sock().</summary>
    [Releases("sk.Lock")]
    public static void ReleaseSock(Sock sk) => sk.Lock.Unlock();
}
