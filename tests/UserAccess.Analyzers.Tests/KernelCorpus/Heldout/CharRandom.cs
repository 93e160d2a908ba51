// Held out: code the rules were not tuned on. drivers/char/random.c, the /dev/urandom and getrandom() output
// loop before and after 1448769c9cdb "random: check for signal_pending() outside of need_resched() check"
// (Jann Horn, 2022, "Fixes: 1da177e4c3f4"), and the /dev/random write loop before "random: check for signals
// after page of pool writes" (2022); drivers/char/mem.c read_port(), a port loop bounded by the port space.
// The ChaCha block function and the pool mixing are stubs.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Heldout.CharRandom;

public static class Random
{
    private const int CHACHA_BLOCK_SIZE = 64;
    private const int CHACHA_KEY_SIZE = 32;
    private const int BLAKE2S_BLOCK_SIZE = 64;
    private const int ERESTARTSYS = 512;

    // drivers/char/random.c, get_random_bytes_user(), v5.17 (before 1448769c9cdb). Buggy: the only signal
    // test sits under need_resched(), which is a different flag: "with the current code, the
    // signal_pending() bailout probably won't work reliably", so a huge getrandom() of a killed task runs to
    // the end.
    public static long GetRandomBytesUserV517(UserPtr buf, long nbytes)
    {
        bool largeRequest = nbytes > 256;
        long ret = 0;
        long len;
        var chachaState = new byte[64];
        var output = new byte[CHACHA_BLOCK_SIZE];

        if (nbytes == 0)
            return 0;

        Helpers.CrngMakeState(chachaState, 16, CHACHA_KEY_SIZE);
        if (nbytes <= CHACHA_KEY_SIZE)
        {
            ret = CopyToUser(buf, chachaState.AsSpan(16, (int)nbytes)) != 0 ? -EFAULT : nbytes;
            goto out_zero_chacha;
        }

        do // expect: UA4003
        {
            if (largeRequest && Helpers.NeedResched())
            {
                if (SignalPending())
                {
                    if (ret == 0)
                        ret = -ERESTARTSYS;
                    break;
                }
                Schedule();
            }

            Helpers.Chacha20Block(chachaState, output);

            len = Math.Min(nbytes, CHACHA_BLOCK_SIZE);
            if (CopyToUser(buf, output.AsSpan(0, (int)len)) != 0)
            {
                ret = -EFAULT;
                break;
            }

            nbytes -= len;
            buf += len;
            ret += len;
        } while (nbytes != 0);

        Array.Clear(output);
    out_zero_chacha:
        Array.Clear(chachaState);
        return ret;
    }

    // drivers/char/random.c, get_random_bytes_user(), v5.17.y with 1448769c9cdb. Correct: a large request
    // tests signal_pending() (true for SIGKILL too) every block and leaves with what was copied.
    public static long GetRandomBytesUser(UserPtr buf, long nbytes) // expect: none
    {
        bool largeRequest = nbytes > 256;
        long ret = 0;
        long len;
        var chachaState = new byte[64];
        var output = new byte[CHACHA_BLOCK_SIZE];

        if (nbytes == 0)
            return 0;

        Helpers.CrngMakeState(chachaState, 16, CHACHA_KEY_SIZE);
        if (nbytes <= CHACHA_KEY_SIZE)
        {
            ret = CopyToUser(buf, chachaState.AsSpan(16, (int)nbytes)) != 0 ? -EFAULT : nbytes;
            goto out_zero_chacha;
        }

        do
        {
            if (largeRequest)
            {
                if (SignalPending())
                {
                    if (ret == 0)
                        ret = -ERESTARTSYS;
                    break;
                }
                CondResched();
            }

            Helpers.Chacha20Block(chachaState, output);

            len = Math.Min(nbytes, CHACHA_BLOCK_SIZE);
            if (CopyToUser(buf, output.AsSpan(0, (int)len)) != 0)
            {
                ret = -EFAULT;
                break;
            }

            nbytes -= len;
            buf += len;
            ret += len;
        } while (nbytes != 0);

        Array.Clear(output);
    out_zero_chacha:
        Array.Clear(chachaState);
        return ret;
    }

    // drivers/char/random.c, write_pool(), v5.18 (before "random: check for signals after page of pool
    // writes"). Buggy: a write of any length to /dev/random is mixed in block by block with only
    // cond_resched(); "write_pool() is doing basically the same work" as the read side and was given the same
    // signal test every page.
    public static int WritePoolV518(UserPtr ubuf, long count)
    {
        long len;
        int ret = 0;
        var block = new byte[BLAKE2S_BLOCK_SIZE];

        while (count != 0) // expect: UA4003
        {
            len = Math.Min(count, block.Length);
            if (CopyFromUser(block.AsSpan(0, (int)len), ubuf) != 0)
            {
                ret = -EFAULT;
                goto out_;
            }
            count -= len;
            ubuf += len;
            Helpers.MixPoolBytes(block, len);
            CondResched();
        }

    out_:
        Array.Clear(block);
        return ret;
    }
}

public static class Mem
{
    // drivers/char/mem.c, read_port(), v5.10 (inb() is a stub). Correct: access_ok() on the whole buffer,
    // then unchecked stores, one per port; the loop ends at port 65536 whatever count the caller passed, and
    // __put_user() returns an errno, so "< 0" is its failure.
    public static long ReadPort(UserPtr buf, long count, ref long ppos) // expect: none
    {
        long i = ppos;
        UserPtr tmp = buf;

        if (!AccessOk(buf, count))
            return -EFAULT;
        while (count-- > 0 && i < 65536)
        {
            if (PutUserUnchecked(Helpers.Inb(i), tmp.Cast<byte>()) < 0)
                return -EFAULT;
            i++;
            tmp += 1;
        }
        ppos = i;
        return (long)(tmp.Address - buf.Address);
    }
}

internal static class Helpers
{
    /// <summary>crng_make_state(): fills a key into the state from the per-cpu crng.</summary>
    public static void CrngMakeState(byte[] state, int offset, int length) => Array.Clear(state, offset, length);

    /// <summary>chacha20_block(): one block of output; advances the counter.</summary>
    public static void Chacha20Block(byte[] state, byte[] output) => Array.Clear(output);

    /// <summary>need_resched(): TIF_NEED_RESCHED, the scheduler's flag, not a signal.</summary>
    public static bool NeedResched() => false;

    /// <summary>mix_pool_bytes(): hashes the block into the input pool.</summary>
    public static void MixPoolBytes(byte[] block, long len)
    {
    }

    /// <summary>inb(): reads one I/O port.</summary>
    public static byte Inb(long port) => 0;
}
