// Held out: a header (a version, a cipher type, a count, a command) fetched from user memory, checked, and then the
// body fetched, in one function or split between an entry point and its handlers; each defect before and after the
// kernel's own change, and correct code doing the same thing right:
// - net/tls/tls_main.c do_tls_setsockopt_tx(), v4.14: the tls_crypto_info header copied into a local and its
//   version and cipher type checked, then the whole tls12_crypto_info_aes_gcm_128, header included, copied again
//   from optval into ctx->crypto_send, whose cipher type tls_set_sw_offload() switches on; and
//   do_tls_setsockopt_conf(), v4.18, which copies the header once into the context and only the bytes after it
//   from optval + sizeof(*crypto_info);
// - drivers/crypto/chelsio/chtls/chtls_main.c do_chtls_setsockopt() as merged in the v4.17 cycle, the same re-copy of
//   the header over the checked one, before f16b613ca8b3 ("crypto: chtls - fix a missing-check bug"), and after it
//   (v4.18);
// - net/ipv4/netfilter/ip_tables.c do_add_counters() (IPT_SO_SET_ADD_COUNTERS), v2.6.16: the counters header copied,
//   num_counters checked against the option length, the whole buffer copied again from the same address and the
//   table's entry count compared with the second copy's num_counters (the CVE-2006-0039 race, here in ip_tables);
//   and v2.6.17, as the x_tables 32-bit compat layer of that cycle rewrote it, which compares the first copy's
//   count and copies only the counters after the header;
// - arch/x86/kvm/x86.c kvm_arch_vcpu_ioctl() (KVM_SET_CPUID2, KVM_GET_CPUID2) and arch/x86/kvm/cpuid.c
//   kvm_vcpu_ioctl_set_cpuid2() and kvm_vcpu_ioctl_get_cpuid2(), v4.19: the kvm_cpuid2 header copied by the ioctl
//   and handed to the handlers with the user address of the entries that follow it;
// - net/core/ethtool.c dev_ethtool() (the GREGS, GPERMADDR and SEEPROM cases) with ethtool_get_regs(),
//   ethtool_get_perm_addr() and ethtool_set_eeprom(), v4.14: the command word fetched and dispatched on, the
//   handlers copy their whole struct, the command word included, and use only the fields after it;
// - drivers/vfio/platform/vfio_platform_common.c vfio_platform_ioctl() (VFIO_DEVICE_SET_IRQS) and drivers/vfio/vfio.c
//   vfio_set_irqs_validate_and_prepare(), v4.19: the vfio_irq_set header copied and validated, the data fetched
//   from arg + minsz.
// Sockets, TLS contexts, netfilter tables, vcpus, net devices and VFIO devices are stubs; the user pointers, the
// accesses, their checks, the locks and the control flow are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;
using static KernelCorpus.Heldout.HeaderBodyCopies.HbErrno;

namespace KernelCorpus.Heldout.HeaderBodyCopies;

/// <summary>The errnos these paths return that the runtime does not define.</summary>
public static class HbErrno
{
    public const int E2BIG = 7;
    public const int ENODEV = 19;
    public const int ENOPROTOOPT = 92;
    public const int EOPNOTSUPP = 95;
    public const int ENOTSUPP = 524;
    public const int ETOOSMALL = 525;
}

public static class Tls
{
    public const ushort TLS_1_2_VERSION = 0x0303;
    public const ushort TLS_CIPHER_AES_GCM_128 = 51;

    /// <summary>struct tls_crypto_info: __u16 version, __u16 cipher_type.</summary>
    public const int SZ_TLS_CRYPTO_INFO = 4;
    public const int TCI_VERSION = 0;
    public const int TCI_CIPHER_TYPE = 2;

    /// <summary>struct tls12_crypto_info_aes_gcm_128: info, iv[8], key[16], salt[4], rec_seq[8].</summary>
    public const int SZ_TLS12_CRYPTO_INFO_AES_GCM_128 = 40;

    public const int TLS_BASE = 0;
    public const int TLS_SW = 1;

    // net/tls/tls_main.c, do_tls_setsockopt_tx(), v4.14 (the TLS_TX socket option, called under lock_sock()).
    // Buggy: the crypto info header is copied into tmp_crypto_info and its version and cipher type checked, then
    // the whole tls12_crypto_info_aes_gcm_128 is copied again from optval, header included, into ctx->crypto_send,
    // whose version and cipher type user space may have changed in between: tls_set_sw_offload() switches on the
    // second copy's cipher_type and getsockopt(TLS_TX) hands it back. By v4.18 (next function) the header is copied
    // once and only the bytes after it are fetched from optval + sizeof(*crypto_info).
    public static int DoTlsSetsockoptTxV414(Helpers.Sock sk, UserPtr optval, uint optlen)
    {
        byte[] cryptoInfo;
        var tmpCryptoInfo = new byte[SZ_TLS_CRYPTO_INFO];
        Helpers.TlsContext ctx = Helpers.TlsGetCtx(sk);
        int rc = 0;

        if (optval.Address == 0 || (optlen < SZ_TLS_CRYPTO_INFO))
        {
            rc = -EINVAL;
            goto out_;
        }

        rc = CopyFromUser(tmpCryptoInfo, optval);
        if (rc != 0)
        {
            rc = -EFAULT;
            goto out_;
        }

        /* check version */
        if (BitConverter.ToUInt16(tmpCryptoInfo, TCI_VERSION) != TLS_1_2_VERSION)
        {
            rc = -ENOTSUPP;
            goto out_;
        }

        /* get user crypto info */
        cryptoInfo = ctx.CryptoSend;

        /* Currently we don't support set crypto info more than one time */
        if (BitConverter.ToUInt16(cryptoInfo, TCI_CIPHER_TYPE) != 0) /* TLS_CRYPTO_INFO_READY(crypto_info) */
        {
            rc = -EBUSY;
            goto out_;
        }

        switch (BitConverter.ToUInt16(tmpCryptoInfo, TCI_CIPHER_TYPE))
        {
            case TLS_CIPHER_AES_GCM_128:
            {
                if (optlen != SZ_TLS12_CRYPTO_INFO_AES_GCM_128)
                {
                    rc = -EINVAL;
                    goto err_crypto_info;
                }
                rc = CopyFromUser(cryptoInfo.AsSpan(0, SZ_TLS12_CRYPTO_INFO_AES_GCM_128), optval); // expect: UA3003

                if (rc != 0)
                {
                    rc = -EFAULT;
                    goto err_crypto_info;
                }
                break;
            }
            default:
                rc = -EINVAL;
                goto err_crypto_info;
        }

        /* ctx->sk_write_space = sk->sk_write_space; sk->sk_write_space = tls_write_space; */
        /* ctx->sk_proto_close = sk->sk_prot->close; */

        /* currently SW is default, we will have ethtool in future */
        rc = Helpers.TlsSetSwOffload(sk, ctx, cryptoInfo);
        if (rc != 0)
            goto err_crypto_info;

        sk.Prot = TLS_SW; /* sk->sk_prot = &tls_sw_prot; */
        goto out_;

    err_crypto_info:
        Array.Clear(cryptoInfo, 0, SZ_TLS_CRYPTO_INFO); /* memset(crypto_info, 0, sizeof(*crypto_info)); */
    out_:
        return rc;
    }

    // net/tls/tls_main.c, do_tls_setsockopt_conf(), v4.18 (TLS_TX and TLS_RX, called under lock_sock(); kernel built
    // without CONFIG_TLS_DEVICE). Correct: the header is copied once, into the context, and checked there; only the
    // rest of the struct is fetched, from optval + sizeof(*crypto_info), so the version and cipher type the offload
    // code reads are the ones checked.
    public static int DoTlsSetsockoptConf(Helpers.Sock sk, UserPtr optval, uint optlen, bool tx) // expect: none
    {
        byte[] cryptoInfo;
        Helpers.TlsContext ctx = Helpers.TlsGetCtx(sk);
        int rc = 0;
        int conf;

        if (optval.Address == 0 || (optlen < SZ_TLS_CRYPTO_INFO))
        {
            rc = -EINVAL;
            goto out_;
        }

        if (tx)
            cryptoInfo = ctx.CryptoSend;
        else
            cryptoInfo = ctx.CryptoRecv;

        /* Currently we don't support set crypto info more than one time */
        if (BitConverter.ToUInt16(cryptoInfo, TCI_CIPHER_TYPE) != 0) /* TLS_CRYPTO_INFO_READY(crypto_info) */
        {
            rc = -EBUSY;
            goto out_;
        }

        rc = CopyFromUser(cryptoInfo.AsSpan(0, SZ_TLS_CRYPTO_INFO), optval);
        if (rc != 0)
        {
            rc = -EFAULT;
            goto err_crypto_info;
        }

        /* check version */
        if (BitConverter.ToUInt16(cryptoInfo, TCI_VERSION) != TLS_1_2_VERSION)
        {
            rc = -ENOTSUPP;
            goto err_crypto_info;
        }

        switch (BitConverter.ToUInt16(cryptoInfo, TCI_CIPHER_TYPE))
        {
            case TLS_CIPHER_AES_GCM_128:
            {
                if (optlen != SZ_TLS12_CRYPTO_INFO_AES_GCM_128)
                {
                    rc = -EINVAL;
                    goto err_crypto_info;
                }
                rc = CopyFromUser(cryptoInfo.AsSpan(SZ_TLS_CRYPTO_INFO, (int)optlen - SZ_TLS_CRYPTO_INFO),
                                  optval + SZ_TLS_CRYPTO_INFO);
                if (rc != 0)
                {
                    rc = -EFAULT;
                    goto err_crypto_info;
                }
                break;
            }
            default:
                rc = -EINVAL;
                goto err_crypto_info;
        }

        if (tx)
        {
            {
                rc = Helpers.TlsSetSwOffload(sk, ctx, cryptoInfo);
                conf = TLS_SW;
            }
        }
        else
        {
            {
                rc = Helpers.TlsSetSwOffload(sk, ctx, cryptoInfo);
                conf = TLS_SW;
            }
        }

        if (rc != 0)
            goto err_crypto_info;

        if (tx)
            ctx.TxConf = conf;
        else
            ctx.RxConf = conf;
        /* update_sk_prot(sk, ctx); the write_space hook or the socket ops are switched */
        goto out_;

    err_crypto_info:
        Array.Clear(cryptoInfo, 0, cryptoInfo.Length); /* memzero_explicit(crypto_info, sizeof(union tls_crypto_context)); */
    out_:
        return rc;
    }
}

public static class Chtls
{
    /// <summary>TLS_CIPHER_AES_GCM_128_KEY_SIZE.</summary>
    public const int TLS_CIPHER_AES_GCM_128_KEY_SIZE = 16;

    // drivers/crypto/chelsio/chtls/chtls_main.c, do_chtls_setsockopt(), as merged in the v4.17 cycle (before
    // f16b613ca8b3). Buggy: "the tls
    // crypto info is first copied from the poiner 'optval' in userspace and saved to 'tmp_crypto_info'. Then the
    // 'version' of the crypto info is checked. ... Then, the 'cipher_type' field of the 'tmp_crypto_info' is also
    // checked ... If it is, the whole struct of tls12_crypto_info_aes_gcm_128 is copied from the pointer 'optval'
    // ... a malicious userspace process can race to change the data pointed by 'optval' between the two copies.
    // ... After the first copy, the user can modify the 'version' and the 'cipher_type' fields to any versions
    // and/or cipher types that are not allowed." The second copy lands in the socket's crypto_info, the state the
    // key programming (chtls_setkey()) and the connection keep.
    public static int DoChtlsSetsockoptV417(Helpers.ChtlsSock csk, UserPtr optval, uint optlen, int optname)
    {
        byte[] cryptoInfo;
        var tmpCryptoInfo = new byte[Tls.SZ_TLS_CRYPTO_INFO];
        int keylen;
        int rc = 0;

        /* csk = rcu_dereference_sk_user_data(sk); */

        if (optval.Address == 0 || optlen < Tls.SZ_TLS_CRYPTO_INFO)
        {
            rc = -EINVAL;
            goto out_;
        }

        rc = CopyFromUser(tmpCryptoInfo, optval);
        if (rc != 0)
        {
            rc = -EFAULT;
            goto out_;
        }

        /* check version */
        if (BitConverter.ToUInt16(tmpCryptoInfo, Tls.TCI_VERSION) != Tls.TLS_1_2_VERSION)
        {
            rc = -ENOTSUPP;
            goto out_;
        }

        cryptoInfo = csk.CryptoInfo; /* (struct tls_crypto_info *)&csk->tlshws.crypto_info */

        switch (BitConverter.ToUInt16(tmpCryptoInfo, Tls.TCI_CIPHER_TYPE))
        {
            case Tls.TLS_CIPHER_AES_GCM_128:
            {
                if (CopyFromUser(cryptoInfo.AsSpan(0, Tls.SZ_TLS12_CRYPTO_INFO_AES_GCM_128), optval) != 0) // expect: UA3003
                {
                    rc = -EFAULT;
                    goto out_;
                }

                keylen = TLS_CIPHER_AES_GCM_128_KEY_SIZE;
                rc = Helpers.ChtlsSetkey(csk, keylen, optname);
                break;
            }
            default:
                rc = -EINVAL;
                goto out_;
        }
    out_:
        return rc;
    }

    // drivers/crypto/chelsio/chtls/chtls_main.c, do_chtls_setsockopt(), v4.18 (after f16b613ca8b3). Correct: "Obtain
    // version and type from previous copy": the checked header is stored into crypto_info and only the bytes after
    // it are copied from optval + sizeof(*crypto_info).
    public static int DoChtlsSetsockopt(Helpers.ChtlsSock csk, UserPtr optval, uint optlen, int optname) // expect: none
    {
        byte[] cryptoInfo;
        var tmpCryptoInfo = new byte[Tls.SZ_TLS_CRYPTO_INFO];
        int keylen;
        int rc = 0;

        /* csk = rcu_dereference_sk_user_data(sk); */

        if (optval.Address == 0 || optlen < Tls.SZ_TLS_CRYPTO_INFO)
        {
            rc = -EINVAL;
            goto out_;
        }

        rc = CopyFromUser(tmpCryptoInfo, optval);
        if (rc != 0)
        {
            rc = -EFAULT;
            goto out_;
        }

        /* check version */
        if (BitConverter.ToUInt16(tmpCryptoInfo, Tls.TCI_VERSION) != Tls.TLS_1_2_VERSION)
        {
            rc = -ENOTSUPP;
            goto out_;
        }

        cryptoInfo = csk.CryptoInfo; /* (struct tls_crypto_info *)&csk->tlshws.crypto_info */

        switch (BitConverter.ToUInt16(tmpCryptoInfo, Tls.TCI_CIPHER_TYPE))
        {
            case Tls.TLS_CIPHER_AES_GCM_128:
            {
                /* Obtain version and type from previous copy */
                Array.Copy(tmpCryptoInfo, cryptoInfo, Tls.SZ_TLS_CRYPTO_INFO); /* crypto_info[0] = tmp_crypto_info; */
                /* Now copy the following data */
                rc = CopyFromUser(cryptoInfo.AsSpan(Tls.SZ_TLS_CRYPTO_INFO,
                                                    Tls.SZ_TLS12_CRYPTO_INFO_AES_GCM_128 - Tls.SZ_TLS_CRYPTO_INFO),
                                  optval + Tls.SZ_TLS_CRYPTO_INFO);

                if (rc != 0)
                {
                    rc = -EFAULT;
                    goto out_;
                }

                keylen = TLS_CIPHER_AES_GCM_128_KEY_SIZE;
                rc = Helpers.ChtlsSetkey(csk, keylen, optname);
                break;
            }
            default:
                rc = -EINVAL;
                goto out_;
        }
    out_:
        return rc;
    }
}

public static class IpTables
{
    /// <summary>sizeof(struct xt_counters_info): char name[32], unsigned int num_counters, 8-aligned counters[].</summary>
    public const int SZ_XT_COUNTERS_INFO = 40;

    /// <summary>offsetof(struct xt_counters_info, num_counters).</summary>
    public const int OFFSETOF_NUM_COUNTERS = 32;

    /// <summary>sizeof(struct xt_counters): u64 pcnt, bcnt.</summary>
    public const int SZ_XT_COUNTERS = 16;

    // net/ipv4/netfilter/ip_tables.c, do_add_counters(), v2.6.16 (IPT_SO_SET_ADD_COUNTERS, after capable(CAP_NET_ADMIN)).
    // Buggy, the race CVE-2006-0039 names in arp_tables: tmp.num_counters is checked against len, then the whole
    // buffer, header included, is copied again from the same address and the table's entry count is compared with
    // paddc->num_counters, the second fetch; the walk then adds private->number counters from a buffer sized for
    // tmp.num_counters. v2.6.17 (next function) compares the first copy's count and fetches only the counters.
    public static int DoAddCountersV2616(UserPtr user, uint len)
    {
        uint i;
        byte[] tmp = new byte[SZ_XT_COUNTERS_INFO];
        Helpers.XtTable? t;
        Helpers.XtTableInfo @private;
        int ret = 0;

        if (CopyFromUser(tmp, user) != 0)
            return -EFAULT;

        if (len != SZ_XT_COUNTERS_INFO + BitConverter.ToUInt32(tmp, OFFSETOF_NUM_COUNTERS) * SZ_XT_COUNTERS)
            return -EINVAL;

        byte[]? paddc = Helpers.VmallocNode(len);
        if (paddc == null)
            return -ENOMEM;

        if (CopyFromUser(paddc.AsSpan(0, (int)len), user) != 0) // expect: UA3003
        {
            ret = -EFAULT;
            goto free;
        }

        t = Helpers.XtFindTableLock(Helpers.AF_INET, tmp);
        if (t == null)
        {
            ret = -ENOENT;
            goto free;
        }

        t.Lock.Lock(); /* write_lock_bh(&t->lock) */
        @private = t.Private;
        if (@private.Number != BitConverter.ToUInt32(paddc, OFFSETOF_NUM_COUNTERS))
        {
            ret = -EINVAL;
            goto unlock_up_free;
        }

        i = 0;
        /* Choose the copy that is on our node */
        Helpers.IptEntryIterateAddCounters(@private, paddc, SZ_XT_COUNTERS_INFO, ref i); /* paddc->counters */
    unlock_up_free:
        t.Lock.Unlock(); /* write_unlock_bh(&t->lock) */
        Helpers.XtTableUnlock(t);
        /* module_put(t->me); */
    free:
        Helpers.Vfree(paddc);

        return ret;
    }

    // net/ipv4/netfilter/ip_tables.c, do_add_counters(), v2.6.17 (as the x_tables 32-bit compat layer rewrote it;
    // the native path, CONFIG_COMPAT's 32-bit branch left out). Correct: num_counters and the name are taken from the first
    // copy, the table's count is compared with that checked value, and only the counters after the header are
    // fetched, from user + size.
    public static int DoAddCountersV2617(UserPtr user, uint len) // expect: none
    {
        uint i;
        byte[] tmp = new byte[SZ_XT_COUNTERS_INFO];
        uint numCounters;
        byte[] name;
        int size;
        Helpers.XtTable? t;
        Helpers.XtTableInfo @private;
        int ret = 0;

        {
            size = SZ_XT_COUNTERS_INFO; /* ptmp = &tmp; size = sizeof(struct xt_counters_info); */
        }

        if (CopyFromUser(tmp.AsSpan(0, size), user) != 0)
            return -EFAULT;

        {
            numCounters = BitConverter.ToUInt32(tmp, OFFSETOF_NUM_COUNTERS);
            name = tmp;
        }

        if (len != size + numCounters * SZ_XT_COUNTERS)
            return -EINVAL;

        byte[]? paddc = Helpers.VmallocNode(len - (uint)size);
        if (paddc == null)
            return -ENOMEM;

        if (CopyFromUser(paddc.AsSpan(0, (int)(len - size)), user + size) != 0)
        {
            ret = -EFAULT;
            goto free;
        }

        t = Helpers.XtFindTableLock(Helpers.AF_INET, name);
        if (t == null)
        {
            ret = -ENOENT;
            goto free;
        }

        t.Lock.Lock(); /* write_lock_bh(&t->lock) */
        @private = t.Private;
        if (@private.Number != numCounters)
        {
            ret = -EINVAL;
            goto unlock_up_free;
        }

        i = 0;
        /* Choose the copy that is on our node */
        Helpers.IptEntryIterateAddCounters(@private, paddc, 0, ref i); /* paddc */
    unlock_up_free:
        t.Lock.Unlock(); /* write_unlock_bh(&t->lock) */
        Helpers.XtTableUnlock(t);
        /* module_put(t->me); */
    free:
        Helpers.Vfree(paddc);

        return ret;
    }
}

public static class KvmCpuid
{
    public const uint KVM_SET_CPUID2 = 0x4008AE90;
    public const uint KVM_GET_CPUID2 = 0xC008AE91;

    /// <summary>struct kvm_cpuid2: __u32 nent, __u32 padding, struct kvm_cpuid_entry2 entries[].</summary>
    public const int SZ_KVM_CPUID2 = 8;
    public const int OFFSETOF_ENTRIES = 8;

    /// <summary>sizeof(struct kvm_cpuid_entry2).</summary>
    public const int SZ_KVM_CPUID_ENTRY2 = 40;

    public const uint KVM_MAX_CPUID_ENTRIES = 80;

    // arch/x86/kvm/x86.c, kvm_arch_vcpu_ioctl(), v4.19, the KVM_SET_CPUID2 and KVM_GET_CPUID2 cases (the other
    // cases left out; called by kvm_vcpu_ioctl() with vcpu->mutex held). Correct: the kvm_cpuid2 header is copied
    // once and the handlers get that copy (&cpuid) with the user address of the entries after it
    // (cpuid_arg->entries); nothing fetches the header again, and the updated copy goes back with copy_to_user().
    public static long KvmArchVcpuIoctl(Helpers.KvmVcpu vcpu, uint ioctl, ulong arg) // expect: none
    {
        UserPtr argp = new UserPtr(arg);
        int r;
        byte[]? buffer; /* union { ... void *buffer; } u; */

        Helpers.VcpuLoad(vcpu);

        buffer = null;
        switch (ioctl)
        {
            case KVM_SET_CPUID2:
            {
                UserPtr cpuidArg = argp;
                var cpuid = new byte[SZ_KVM_CPUID2];

                r = -EFAULT;
                if (CopyFromUser(cpuid, cpuidArg) != 0)
                    goto out_;
                r = KvmVcpuIoctlSetCpuid2(vcpu, cpuid,
                                          cpuidArg + OFFSETOF_ENTRIES);
                break;
            }
            case KVM_GET_CPUID2:
            {
                UserPtr cpuidArg = argp;
                var cpuid = new byte[SZ_KVM_CPUID2];

                r = -EFAULT;
                if (CopyFromUser(cpuid, cpuidArg) != 0)
                    goto out_;
                r = KvmVcpuIoctlGetCpuid2(vcpu, cpuid,
                                          cpuidArg + OFFSETOF_ENTRIES);
                if (r != 0)
                    goto out_;
                r = -EFAULT;
                if (CopyToUser(cpuidArg, cpuid) != 0)
                    goto out_;
                r = 0;
                break;
            }
            default:
                r = -EINVAL;
                break;
        }
    out_:
        buffer = null; /* kfree(u.buffer); */
        Helpers.VcpuPut(vcpu);
        return r;
    }

    // arch/x86/kvm/cpuid.c, kvm_vcpu_ioctl_set_cpuid2(), v4.19. Correct: the entry count is the caller's copy, checked
    // here and used to size the one fetch of the entries.
    public static int KvmVcpuIoctlSetCpuid2(Helpers.KvmVcpu vcpu, byte[] cpuid, UserPtr entries) // expect: none
    {
        int r;

        r = -E2BIG;
        if (BitConverter.ToUInt32(cpuid, 0) > KVM_MAX_CPUID_ENTRIES)
            goto out_;
        r = -EFAULT;
        if (CopyFromUser(vcpu.CpuidEntries.AsSpan(0, (int)BitConverter.ToUInt32(cpuid, 0) * SZ_KVM_CPUID_ENTRY2),
                         entries) != 0)
            goto out_;
        vcpu.CpuidNent = (int)BitConverter.ToUInt32(cpuid, 0);
        Helpers.KvmApicSetVersion(vcpu);
        /* kvm_x86_ops->cpuid_update(vcpu); */
        r = Helpers.KvmUpdateCpuid(vcpu);
    out_:
        return r;
    }

    // arch/x86/kvm/cpuid.c, kvm_vcpu_ioctl_get_cpuid2(), v4.19. Correct: the room is the caller's copy of nent, the
    // entries are copied out, and the count is written into the caller's copy for it to copy back.
    public static int KvmVcpuIoctlGetCpuid2(Helpers.KvmVcpu vcpu, byte[] cpuid, UserPtr entries) // expect: none
    {
        int r;

        r = -E2BIG;
        if (BitConverter.ToUInt32(cpuid, 0) < vcpu.CpuidNent)
            goto out_;
        r = -EFAULT;
        if (CopyToUser(entries, vcpu.CpuidEntries.AsSpan(0, vcpu.CpuidNent * SZ_KVM_CPUID_ENTRY2)) != 0)
            goto out_;
        return 0;

    out_:
        BitConverter.TryWriteBytes(cpuid.AsSpan(0, 4), (uint)vcpu.CpuidNent); /* cpuid->nent = vcpu->arch.cpuid_nent; */
        return r;
    }
}

public static class Ethtool
{
    public const uint ETHTOOL_GSET = 0x00000001;
    public const uint ETHTOOL_GDRVINFO = 0x00000003;
    public const uint ETHTOOL_GREGS = 0x00000004;
    public const uint ETHTOOL_GMSGLVL = 0x00000007;
    public const uint ETHTOOL_GLINK = 0x0000000a;
    public const uint ETHTOOL_SEEPROM = 0x0000000c;
    public const uint ETHTOOL_GCOALESCE = 0x0000000e;
    public const uint ETHTOOL_GRINGPARAM = 0x00000010;
    public const uint ETHTOOL_GPAUSEPARAM = 0x00000012;
    public const uint ETHTOOL_GSTRINGS = 0x0000001b;
    public const uint ETHTOOL_GSTATS = 0x0000001d;
    public const uint ETHTOOL_GPERMADDR = 0x00000020;
    public const uint ETHTOOL_GFLAGS = 0x00000025;
    public const uint ETHTOOL_GSSET_INFO = 0x00000037;
    public const uint ETHTOOL_GFEATURES = 0x0000003a;
    public const uint ETHTOOL_PERQUEUE = 0x0000004b;

    /// <summary>struct ethtool_regs: cmd, version, len, data[].</summary>
    public const int SZ_ETHTOOL_REGS = 12;
    public const int REGS_LEN = 8;
    public const int OFFSETOF_REGS_DATA = 12;

    /// <summary>struct ethtool_eeprom: cmd, magic, offset, len, data[].</summary>
    public const int SZ_ETHTOOL_EEPROM = 16;
    public const int EEPROM_OFFSET = 8;
    public const int EEPROM_LEN = 12;

    /// <summary>struct ethtool_perm_addr: cmd, size, data[].</summary>
    public const int SZ_ETHTOOL_PERM_ADDR = 8;
    public const int PERM_ADDR_SIZE = 4;

    public const int PAGE_SIZE = 4096;

    // net/core/ethtool.c, dev_ethtool(), v4.14 (SIOCETHTOOL; the GREGS, GPERMADDR and SEEPROM cases, the other
    // commands' cases left out). Correct: the command word is fetched and dispatched on, and the permission check
    // is made on it; each handler copies its whole struct again, the command word included, but reads only the
    // fields after it (the handlers below), and copies the struct back: the command the handler runs is the one
    // checked here.
    public static int DevEthtool(Helpers.NetDevice? dev, UserPtr useraddr) // expect: none
    {
        uint ethcmd, subCmd;
        int rc;
        ulong oldFeatures;

        if (dev == null || !Helpers.NetifDevicePresent(dev))
            return -ENODEV;

        if (CopyFromUser(out ethcmd, useraddr.Cast<uint>()) != 0)
            return -EFAULT;

        if (ethcmd == ETHTOOL_PERQUEUE)
        {
            if (CopyFromUser(out subCmd, (useraddr + 4).Cast<uint>()) != 0)
                return -EFAULT;
        }
        else
        {
            subCmd = ethcmd;
        }
        /* Allow some commands to be done by anyone */
        switch (subCmd)
        {
            case ETHTOOL_GSET:
            case ETHTOOL_GDRVINFO:
            case ETHTOOL_GMSGLVL:
            case ETHTOOL_GLINK:
            case ETHTOOL_GCOALESCE:
            case ETHTOOL_GRINGPARAM:
            case ETHTOOL_GPAUSEPARAM:
            case ETHTOOL_GSTRINGS:
            case ETHTOOL_GSTATS:
            case ETHTOOL_GPERMADDR:
            case ETHTOOL_GFLAGS:
            case ETHTOOL_GSSET_INFO:
            case ETHTOOL_GFEATURES:
                /* ... and the other read-only commands */
                break;
            default:
                if (!Helpers.NsCapableNetAdmin(dev))
                    return -EPERM;
                break;
        }

        if (dev.Ops.HasBegin)
        {
            rc = Helpers.EthtoolBegin(dev);
            if (rc < 0)
                return rc;
        }
        oldFeatures = dev.Features;

        switch (ethcmd)
        {
            case ETHTOOL_GREGS:
                rc = EthtoolGetRegs(dev, useraddr);
                break;
            case ETHTOOL_GPERMADDR:
                rc = EthtoolGetPermAddr(dev, useraddr);
                break;
            case ETHTOOL_SEEPROM:
                rc = EthtoolSetEeprom(dev, useraddr);
                break;
            default:
                rc = -EOPNOTSUPP;
                break;
        }

        if (dev.Ops.HasComplete)
            Helpers.EthtoolComplete(dev);

        if (oldFeatures != dev.Features)
            Helpers.NetdevFeaturesChange(dev);

        return rc;
    }

    // net/core/ethtool.c, ethtool_get_regs(), v4.14. Correct: the struct is copied once; the length the user asked
    // for is clamped to the driver's and the same local bounds the copy out.
    public static int EthtoolGetRegs(Helpers.NetDevice dev, UserPtr useraddr) // expect: none
    {
        var regs = new byte[SZ_ETHTOOL_REGS];
        byte[]? regbuf;
        int reglen, ret;

        if (!dev.Ops.HasGetRegs || !dev.Ops.HasGetRegsLen)
            return -EOPNOTSUPP;

        if (CopyFromUser(regs, useraddr) != 0)
            return -EFAULT;

        reglen = Helpers.GetRegsLen(dev);
        if (reglen <= 0)
            return reglen;

        if (BitConverter.ToUInt32(regs, REGS_LEN) > reglen)
            BitConverter.TryWriteBytes(regs.AsSpan(REGS_LEN, 4), (uint)reglen);

        regbuf = Helpers.Vzalloc(reglen);
        if (regbuf == null)
            return -ENOMEM;

        if (BitConverter.ToUInt32(regs, REGS_LEN) < reglen)
            reglen = (int)BitConverter.ToUInt32(regs, REGS_LEN);

        Helpers.GetRegs(dev, regs, regbuf);

        ret = -EFAULT;
        if (CopyToUser(useraddr, regs) != 0)
            goto out_;
        useraddr += OFFSETOF_REGS_DATA;
        if (CopyToUser(useraddr, regbuf.AsSpan(0, reglen)) != 0)
            goto out_;
        ret = 0;

    out_:
        /* vfree(regbuf); */
        return ret;
    }

    // net/core/ethtool.c, ethtool_get_perm_addr(), v4.14. Correct: the room the user gives (size) is checked and
    // overwritten with the address length before anything is copied out.
    public static int EthtoolGetPermAddr(Helpers.NetDevice dev, UserPtr useraddr) // expect: none
    {
        var epaddr = new byte[SZ_ETHTOOL_PERM_ADDR];

        if (CopyFromUser(epaddr, useraddr) != 0)
            return -EFAULT;

        if (BitConverter.ToUInt32(epaddr, PERM_ADDR_SIZE) < dev.AddrLen)
            return -ETOOSMALL;
        BitConverter.TryWriteBytes(epaddr.AsSpan(PERM_ADDR_SIZE, 4), (uint)dev.AddrLen);

        if (CopyToUser(useraddr, epaddr) != 0)
            return -EFAULT;
        useraddr += SZ_ETHTOOL_PERM_ADDR;
        if (CopyToUser(useraddr, dev.PermAddr.AsSpan(0, (int)BitConverter.ToUInt32(epaddr, PERM_ADDR_SIZE))) != 0)
            return -EFAULT;
        return 0;
    }

    // net/core/ethtool.c, ethtool_set_eeprom(), v4.14. Correct: the header is copied once and its offset and length
    // checked; the data is fetched page by page from the address after the header, and the lengths the driver gets
    // are the checked ones.
    public static int EthtoolSetEeprom(Helpers.NetDevice dev, UserPtr useraddr) // expect: none
    {
        var eeprom = new byte[SZ_ETHTOOL_EEPROM];
        UserPtr userbuf = useraddr + SZ_ETHTOOL_EEPROM;
        uint bytesRemaining;
        byte[]? data;
        int ret = 0;

        if (!dev.Ops.HasSetEeprom || !dev.Ops.HasGetEepromLen ||
            Helpers.GetEepromLen(dev) == 0)
            return -EOPNOTSUPP;

        if (CopyFromUser(eeprom, useraddr) != 0)
            return -EFAULT;

        /* Check for wrap and zero */
        if (BitConverter.ToUInt32(eeprom, EEPROM_OFFSET) + BitConverter.ToUInt32(eeprom, EEPROM_LEN) <=
            BitConverter.ToUInt32(eeprom, EEPROM_OFFSET))
            return -EINVAL;

        /* Check for exceeding total eeprom len */
        if (BitConverter.ToUInt32(eeprom, EEPROM_OFFSET) + BitConverter.ToUInt32(eeprom, EEPROM_LEN) >
            Helpers.GetEepromLen(dev))
            return -EINVAL;

        data = Kmalloc(PAGE_SIZE, Gfp.Kernel); /* GFP_USER */
        if (data == null)
            return -ENOMEM;

        bytesRemaining = BitConverter.ToUInt32(eeprom, EEPROM_LEN);
        while (bytesRemaining > 0)
        {
            BitConverter.TryWriteBytes(eeprom.AsSpan(EEPROM_LEN, 4), Math.Min(bytesRemaining, (uint)PAGE_SIZE));

            if (CopyFromUser(data.AsSpan(0, (int)BitConverter.ToUInt32(eeprom, EEPROM_LEN)), userbuf) != 0)
            {
                ret = -EFAULT;
                break;
            }
            ret = Helpers.SetEeprom(dev, eeprom, data);
            if (ret != 0)
                break;
            userbuf += BitConverter.ToUInt32(eeprom, EEPROM_LEN);
            BitConverter.TryWriteBytes(eeprom.AsSpan(EEPROM_OFFSET, 4),
                                       BitConverter.ToUInt32(eeprom, EEPROM_OFFSET) + BitConverter.ToUInt32(eeprom, EEPROM_LEN));
            bytesRemaining -= BitConverter.ToUInt32(eeprom, EEPROM_LEN);
        }

        /* kfree(data); */
        return ret;
    }
}

public static class VfioPlatform
{
    public const uint VFIO_DEVICE_SET_IRQS = 0x3B6E;

    /// <summary>struct vfio_irq_set: argsz, flags, index, start, count, then data[].</summary>
    public const int IRQ_SET_ARGSZ = 0;
    public const int IRQ_SET_FLAGS = 4;
    public const int IRQ_SET_INDEX = 8;
    public const int IRQ_SET_START = 12;
    public const int IRQ_SET_COUNT = 16;
    public const int OFFSETOFEND_COUNT = 20;

    public const uint VFIO_IRQ_SET_DATA_NONE = 1 << 0;
    public const uint VFIO_IRQ_SET_DATA_BOOL = 1 << 1;
    public const uint VFIO_IRQ_SET_DATA_EVENTFD = 1 << 2;
    public const uint VFIO_IRQ_SET_DATA_TYPE_MASK = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_DATA_EVENTFD;
    public const uint VFIO_IRQ_SET_ACTION_TYPE_MASK = (1 << 3) | (1 << 4) | (1 << 5);

    // drivers/vfio/platform/vfio_platform_common.c, vfio_platform_ioctl(), v4.19, the VFIO_DEVICE_SET_IRQS case (the
    // other commands left out). Correct: the header is copied once and handed, as the kernel copy, to the
    // validation; the data is fetched from arg + minsz, after the header, with the size the validation computed, and
    // the handler gets the header's checked fields.
    public static long VfioPlatformIoctl(Helpers.VfioPlatformDevice vdev, uint cmd, ulong arg) // expect: none
    {
        int minsz;

        if (cmd == VFIO_DEVICE_SET_IRQS)
        {
            var hdr = new byte[OFFSETOFEND_COUNT];
            byte[]? data = null;
            int ret = 0;
            int dataSize = 0;

            minsz = OFFSETOFEND_COUNT; /* offsetofend(struct vfio_irq_set, count) */

            if (CopyFromUser(hdr.AsSpan(0, minsz), new UserPtr(arg)) != 0)
                return -EFAULT;

            ret = VfioSetIrqsValidateAndPrepare(hdr, vdev.NumIrqs, vdev.NumIrqs, out dataSize);
            if (ret != 0)
                return ret;

            if (dataSize != 0)
            {
                data = Helpers.MemdupUser(new UserPtr(arg + (ulong)minsz), dataSize);
                if (data == null)
                    return -EFAULT; /* IS_ERR(data): PTR_ERR(data) */
            }

            vdev.Igate.Lock();

            ret = Helpers.VfioPlatformSetIrqsIoctl(vdev, BitConverter.ToUInt32(hdr, IRQ_SET_FLAGS),
                                                   BitConverter.ToUInt32(hdr, IRQ_SET_INDEX),
                                                   BitConverter.ToUInt32(hdr, IRQ_SET_START),
                                                   BitConverter.ToUInt32(hdr, IRQ_SET_COUNT), data);
            vdev.Igate.Unlock();
            /* kfree(data); */

            return ret;
        }

        return -ENOTTY_;
    }

    private const int ENOTTY_ = 25;

    // drivers/vfio/vfio.c, vfio_set_irqs_validate_and_prepare(), v4.19. Correct: validates the kernel copy of the
    // header it is given and computes the size of the data that follows it; it touches no user memory. (The
    // kernel's data_size is a pointer that may be NULL, failing a header that carries data; every caller here
    // passes one, so it is an out parameter.)
    public static int VfioSetIrqsValidateAndPrepare(byte[] hdr, int numIrqs, int maxIrqType, out int dataSize) // expect: none
    {
        uint minsz;
        uint size;
        uint argsz = BitConverter.ToUInt32(hdr, IRQ_SET_ARGSZ);
        uint flags = BitConverter.ToUInt32(hdr, IRQ_SET_FLAGS);
        uint index = BitConverter.ToUInt32(hdr, IRQ_SET_INDEX);
        uint start = BitConverter.ToUInt32(hdr, IRQ_SET_START);
        uint count = BitConverter.ToUInt32(hdr, IRQ_SET_COUNT);

        minsz = OFFSETOFEND_COUNT;
        dataSize = 0;

        if ((argsz < minsz) || (index >= maxIrqType) ||
            (count >= (uint.MaxValue - start)) ||
            (flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK | VFIO_IRQ_SET_ACTION_TYPE_MASK)) != 0)
            return -EINVAL;

        dataSize = 0; /* if (data_size) *data_size = 0; */

        if (start >= numIrqs || start + count > numIrqs)
            return -EINVAL;

        switch (flags & VFIO_IRQ_SET_DATA_TYPE_MASK)
        {
            case VFIO_IRQ_SET_DATA_NONE:
                size = 0;
                break;
            case VFIO_IRQ_SET_DATA_BOOL:
                size = 1; /* sizeof(uint8_t) */
                break;
            case VFIO_IRQ_SET_DATA_EVENTFD:
                size = 4; /* sizeof(int32_t) */
                break;
            default:
                return -EINVAL;
        }

        if (size != 0)
        {
            if (argsz - minsz < count * size)
                return -EINVAL;

            dataSize = (int)(count * size);
        }

        return 0;
    }
}

public static class Helpers
{
    public const int AF_INET = 2;

    // ---- net/tls, chtls ----

    /// <summary>struct sock, as far as the TLS ULP touches it: the protocol ops it installs.</summary>
    public sealed class Sock
    {
        public int Prot;
        public TlsContext Ctx = new();
    }

    /// <summary>struct tls_context: the TX and RX crypto info (union tls_crypto_context, 40 bytes for AES-GCM-128).</summary>
    public sealed class TlsContext
    {
        public byte[] CryptoSend = new byte[Tls.SZ_TLS12_CRYPTO_INFO_AES_GCM_128];
        public byte[] CryptoRecv = new byte[Tls.SZ_TLS12_CRYPTO_INFO_AES_GCM_128];
        public int TxConf;
        public int RxConf;
    }

    /// <summary>tls_get_ctx(): the socket's ULP context.</summary>
    public static TlsContext TlsGetCtx(Sock sk) => sk.Ctx;

    /// <summary>tls_set_sw_offload(): sets up the software record layer from the stored crypto info; switches on its
    /// cipher_type (only AES-GCM-128 is known) and reads the key, salt, IV and sequence number (stub: kernel memory
    /// only).</summary>
    public static int TlsSetSwOffload(Sock sk, TlsContext ctx, byte[] cryptoInfo)
    {
        switch (BitConverter.ToUInt16(cryptoInfo, Tls.TCI_CIPHER_TYPE))
        {
            case Tls.TLS_CIPHER_AES_GCM_128:
                return 0;
            default:
                return -EINVAL;
        }
    }

    /// <summary>struct chtls_sock: csk->tlshws.crypto_info, the connection's crypto info.</summary>
    public sealed class ChtlsSock
    {
        public byte[] CryptoInfo = new byte[Tls.SZ_TLS12_CRYPTO_INFO_AES_GCM_128];
    }

    /// <summary>chtls_setkey(): programs the key held in csk->tlshws.crypto_info into the adapter (stub; kernel memory
    /// only).</summary>
    public static int ChtlsSetkey(ChtlsSock csk, int keylen, int optname) => 0;

    // ---- netfilter ----

    /// <summary>struct xt_table_info: the rule blob; only the entry count matters here.</summary>
    public sealed class XtTableInfo
    {
        public uint Number;
        public ulong[] Counters = Array.Empty<ulong>();
    }

    /// <summary>struct ipt_table (xt_table): its rwlock (write_lock_bh) and rules.</summary>
    public sealed class XtTable
    {
        public KernelSpinlock Lock = new();
        public XtTableInfo Private = new();
    }

    /// <summary>vmalloc_node() (stub; may sleep); null when out of memory.</summary>
    [MightSleep]
    public static byte[]? VmallocNode(uint size) => new byte[size];

    /// <summary>vfree() (stub).</summary>
    public static void Vfree(byte[]? p) { }

    /// <summary>xt_find_table_lock(): the table by name, with xt[af].mutex held (stub); null when not found.</summary>
    public static XtTable? XtFindTableLock(int af, byte[] nameHeader) => null;

    /// <summary>xt_table_unlock(): drops xt[af].mutex (stub).</summary>
    public static void XtTableUnlock(XtTable t) { }

    /// <summary>IPT_ENTRY_ITERATE(loc_cpu_entry, private->size, add_counter_to_entry, counters, &amp;i): adds one
    /// counter pair from the kernel copy, starting at countersOffset, to each of the table's entries (stub; kernel
    /// memory only; the kernel walks private->number entries whatever the copy's size).</summary>
    public static void IptEntryIterateAddCounters(XtTableInfo priv, byte[] paddc, int countersOffset, ref uint i)
    {
        for (; i < priv.Number && countersOffset + (i + 1) * IpTables.SZ_XT_COUNTERS <= paddc.Length; i++)
            priv.Counters[i] += BitConverter.ToUInt64(paddc, (int)(countersOffset + i * IpTables.SZ_XT_COUNTERS));
    }

    // ---- KVM ----

    /// <summary>struct kvm_vcpu, as far as CPUID goes: vcpu->arch.cpuid_entries and cpuid_nent.</summary>
    public sealed class KvmVcpu
    {
        public byte[] CpuidEntries = new byte[KvmCpuid.KVM_MAX_CPUID_ENTRIES * KvmCpuid.SZ_KVM_CPUID_ENTRY2];
        public int CpuidNent;
    }

    /// <summary>vcpu_load(): loads the vcpu on this CPU (preemption notifiers; stub).</summary>
    public static void VcpuLoad(KvmVcpu vcpu) { }

    /// <summary>vcpu_put() (stub).</summary>
    public static void VcpuPut(KvmVcpu vcpu) { }

    /// <summary>kvm_apic_set_version() (stub; kernel memory only).</summary>
    public static void KvmApicSetVersion(KvmVcpu vcpu) { }

    /// <summary>kvm_update_cpuid(): recomputes the vcpu state from the entries (stub; kernel memory only).</summary>
    public static int KvmUpdateCpuid(KvmVcpu vcpu) => 0;

    // ---- ethtool ----

    /// <summary>The ethtool_ops a driver fills in.</summary>
    public sealed class EthtoolOps
    {
        public bool HasBegin, HasComplete, HasGetRegs, HasGetRegsLen, HasSetEeprom, HasGetEepromLen;
    }

    /// <summary>struct net_device, as far as these handlers go.</summary>
    public sealed class NetDevice
    {
        public EthtoolOps Ops = new();
        public ulong Features;
        public int AddrLen = 6;
        public byte[] PermAddr = new byte[32];
    }

    /// <summary>netif_device_present() (stub).</summary>
    public static bool NetifDevicePresent(NetDevice dev) => true;

    /// <summary>ns_capable(net->user_ns, CAP_NET_ADMIN) (stub).</summary>
    public static bool NsCapableNetAdmin(NetDevice dev) => true;

    /// <summary>dev->ethtool_ops->begin() (stub).</summary>
    public static int EthtoolBegin(NetDevice dev) => 0;

    /// <summary>dev->ethtool_ops->complete() (stub).</summary>
    public static void EthtoolComplete(NetDevice dev) { }

    /// <summary>netdev_features_change() (stub).</summary>
    public static void NetdevFeaturesChange(NetDevice dev) { }

    /// <summary>ops->get_regs_len() (stub).</summary>
    public static int GetRegsLen(NetDevice dev) => 256;

    /// <summary>ops->get_regs(dev, &amp;regs, regbuf): the driver sets regs->version and fills the buffer (stub;
    /// kernel memory only).</summary>
    public static void GetRegs(NetDevice dev, byte[] regs, byte[] regbuf) { }

    /// <summary>vzalloc() (stub; may sleep); null when out of memory.</summary>
    [MightSleep]
    public static byte[]? Vzalloc(int size) => new byte[size];

    /// <summary>ops->get_eeprom_len() (stub).</summary>
    public static uint GetEepromLen(NetDevice dev) => 256;

    /// <summary>ops->set_eeprom(dev, &amp;eeprom, data): writes eeprom.len bytes at eeprom.offset, checks eeprom.magic
    /// (stub; kernel memory only).</summary>
    public static int SetEeprom(NetDevice dev, byte[] eeprom, byte[] data) => 0;

    // ---- VFIO ----

    /// <summary>struct vfio_platform_device: its interrupt count and the igate mutex.</summary>
    public sealed class VfioPlatformDevice
    {
        public int NumIrqs;
        public KernelMutex Igate = new();
    }

    /// <summary>vfio_platform_set_irqs_ioctl(): sets up the interrupts from the kernel copy of the data (stub).</summary>
    public static int VfioPlatformSetIrqsIoctl(VfioPlatformDevice vdev, uint flags, uint index, uint start, uint count,
                                               byte[]? data) => 0;

    /// <summary>memdup_user(): kmalloc() and copy_from_user(); null stands for the ERR_PTR (-EFAULT).</summary>
    [MightFault]
    [UserAccess(AccessKind.Read, "src", Size = "len")]
    public static byte[]? MemdupUser(UserPtr src, int len)
    {
        var buf = new byte[len];
        return CopyFromUser(buf, src) != 0 ? null : buf;
    }
}
