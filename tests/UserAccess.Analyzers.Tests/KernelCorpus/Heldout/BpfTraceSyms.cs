// Held out: code the rules were not tuned on. kernel/trace/bpf_trace.c copy_user_syms(), which reads the
// array of symbol-name pointers a BPF_LINK_CREATE of a kprobe_multi link passes, before and after "bpf: Add
// missing access_ok call to copy_user_syms" (Jiri Olsa, 2026; "Fixes: 0236fec57a15 ("bpf: Resolve symbols
// with ftrace_lookup_symbols for kprobe multi link")", reported by Sashiko: "we use __get_user without prior
// access_ok call on the user space pointer"). The kvmalloc_array() calls are allocations.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.BpfTraceSyms;

/// <summary>struct user_syms: the names copied in, and the buffer that holds them.</summary>
public sealed class UserSyms
{
    public int[]? Syms;
    public byte[]? Buf;
}

public static class BpfTrace
{
    private const int KSYM_NAME_LEN = 512;
    private const int E2BIG = 7;
    private const int ENOMEM_ = ENOMEM;

    // kernel/trace/bpf_trace.c, copy_user_syms(), v6.15 (before the fix). Buggy: __get_user() of every
    // entry of the caller's array with no access_ok() on it, so the pointers can be read from a kernel
    // address the caller chose.
    public static int CopyUserSymsV615(UserSyms us, UserPtr usyms, uint cnt)
    {
        ulong usymbol;
        int[]? syms = null;
        byte[]? buf = null;
        int p;
        long err = -ENOMEM_;
        uint i;

        syms = new int[cnt];

        buf = new byte[(long)cnt * KSYM_NAME_LEN];

        for (p = 0, i = 0; i < cnt; i++)
        {
            if (GetUserUnchecked(out usymbol, (usyms + i * 8).Cast<ulong>()) != 0) // expect: UA5003
            {
                err = -EFAULT;
                goto error;
            }
            err = StrncpyFromUser(buf.AsSpan(p, KSYM_NAME_LEN), new UserPtr(usymbol));
            if (err == KSYM_NAME_LEN)
                err = -E2BIG;
            if (err < 0)
                goto error;
            syms[i] = p;
            p += (int)err + 1;
        }

        us.Syms = syms;
        us.Buf = buf;
        return 0;

    error:
        return (int)err;
    }

    // kernel/trace/bpf_trace.c, copy_user_syms(), after "bpf: Add missing access_ok call to
    // copy_user_syms". Correct: access_ok() on the whole pointer array first, then __get_user() of each
    // entry inside it.
    public static int CopyUserSyms(UserSyms us, UserPtr usyms, uint cnt) // expect: none
    {
        ulong usymbol;
        int[]? syms = null;
        byte[]? buf = null;
        int p;
        long err = -ENOMEM_;
        uint i;

        if (!AccessOk(usyms, (long)cnt * 8))
            return -EFAULT;

        syms = new int[cnt];

        buf = new byte[(long)cnt * KSYM_NAME_LEN];

        for (p = 0, i = 0; i < cnt; i++)
        {
            if (GetUserUnchecked(out usymbol, (usyms + i * 8).Cast<ulong>()) != 0)
            {
                err = -EFAULT;
                goto error;
            }
            err = StrncpyFromUser(buf.AsSpan(p, KSYM_NAME_LEN), new UserPtr(usymbol));
            if (err == KSYM_NAME_LEN)
                err = -E2BIG;
            if (err < 0)
                goto error;
            syms[i] = p;
            p += (int)err + 1;
        }

        us.Syms = syms;
        us.Buf = buf;
        return 0;

    error:
        return (int)err;
    }
}
