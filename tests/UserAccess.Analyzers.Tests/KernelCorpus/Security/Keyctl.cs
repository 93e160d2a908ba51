// security/keys/keyctl.c: key payloads copied in with a PAGE_SIZE bound and goto exits, security labels
// copied out with the result tested.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Security;

public static class Keyctl
{
    private const int PAGE_SIZE = 4096;

    // security/keys/keyctl.c, keyctl_update_key(), v5.15 (the key lookup and update are stubs). Correct:
    // plen bounded by PAGE_SIZE, one checked copy, every error through the labels.
    public static long KeyctlUpdateKey(int id, UserPtr payloadUser, ulong plen) // expect: none
    {
        byte[]? payload;
        long ret;

        ret = -EINVAL;
        if (plen > PAGE_SIZE)
            goto error;

        /* pull the payload in if one was supplied */
        payload = null;

        if (plen != 0)
        {
            ret = -ENOMEM;
            payload = new byte[plen];

            ret = -EFAULT;
            if (CopyFromUser(payload, payloadUser) != 0)
                goto error2;
        }

        ret = Helpers.KeyUpdate(id, payload);

    error2:
        /* kvfree_sensitive(payload, plen) */
    error:
        return ret;
    }

    // security/keys/keyctl.c, keyctl_get_security(), v5.15. Correct: ret is the label's length or -EFAULT;
    // the copy's byte count is never returned.
    public static long KeyctlGetSecurity(int keyid, UserPtr buffer, ulong buflen) // expect: none
    {
        byte[]? context;
        long ret;

        ret = Helpers.SecurityKeyGetsecurity(keyid, out context);
        if (ret == 0)
        {
            /* if no information was returned, give userspace an empty string */
            ret = 1;
            if (buffer != default && buflen > 0 && CopyToUser(buffer, new byte[1]) != 0)
                ret = -EFAULT;
        }
        else if (ret > 0 && context != null)
        {
            /* return as much data as there's room for */
            if (buffer != default && buflen > 0)
            {
                if (buflen > (ulong)ret)
                    buflen = (ulong)ret;

                if (CopyToUser(buffer, context.AsSpan(0, (int)buflen)) != 0)
                    ret = -EFAULT;
            }
        }

        return ret;
    }
}

internal static class Helpers
{
    [MightSleep]
    public static long KeyUpdate(int id, byte[]? payload) => 0;

    public static long SecurityKeyGetsecurity(int keyid, out byte[]? context)
    {
        context = new byte[8];
        return 8;
    }
}
